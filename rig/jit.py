"""The public API: `Jit` (a remote process for one target) and `Module`.

Glue only: each step is another module's job (compile, objfile, layout,
link, process).  This is MCJIT's remote mode as a library: `load` compiles,
places, links and copies a module into the emulator; `call` runs a function
there; `remap` is `mapSectionAddress` after the fact.
"""
from __future__ import annotations

import bisect
import collections
import contextlib
import hashlib
import operator
import os
import random
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import targets as _targets

from . import archive as _archive
from . import compile as _compile
from ._cache import LRU
from . import irsig, layout as _layout, link as _link, objfile, toolchain
from . import limits as _limits
from .limits import Limits
from .errors import (BadObject, ModuleUnloaded, NoSuchSymbol, PlacementError, RigError, SignatureError, UndefinedSymbol,
                     UnknownTarget)
from .process import CallResult, Process
from .tls import StaticTls
from .runtime import default_functions
from .symbols import SymbolTable
from .runtime.host import HostFunction
from .signature import Signature, header_signatures, parse as parse_signature

Source = Union[str, bytes, os.PathLike]
_SUFFIXES = (".ll", ".bc", ".o", ".s", ".S", ".c", ".cpp", ".cc", ".cxx")
_parsed: "LRU" = LRU(512)      # (object hash, target) -> ObjectFile: parse once, relocate many
_sigs: "LRU" = LRU(512)        # source hash -> {function: Signature}
_prepared: "LRU" = LRU(256)    # (source text, options, target table) -> what `_prepare` gives


def read_source(source: Source) -> Tuple[bytes, str]:
    """(content, name) for a path, IR text or object bytes."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and source.endswith(_SUFFIXES)):
        path = Path(source)
        try:
            return path.read_bytes(), path.name
        except OSError as e:
            raise RigError(f"cannot read {path}: {e.strerror}") from None
    if isinstance(source, str):
        return source.encode(), "<ir>"
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "<bytes>"
    raise RigError(f"cannot load a {type(source).__name__}: give a path, IR text or object bytes")


def _signatures_via_disk(digest: str, data: bytes, kind: str) -> Dict[str, Signature]:
    """The IR's function signatures, or those a previous process left in the disk cache."""
    import pickle
    cache = _compile._cache_dir()
    path = cache / f"{digest}.signatures" if cache is not None else None
    cached = _compile.read_cached(path)
    if cached is not None:
        try:
            version, sigs = pickle.loads(cached)
            if version == _SIGNATURES_VERSION:
                return sigs
        except Exception:          # a stale or truncated cache file is a miss, never an error
            pass
    sigs = irsig.signatures(data, kind)
    if path is not None:
        _compile.store(path, pickle.dumps((_SIGNATURES_VERSION, sigs), protocol=pickle.HIGHEST_PROTOCOL))
    return sigs


_SIGNATURES_VERSION = 1


#: The C runtimes: the rig's Python host functions, or musl's libc (`rig.userland`).
RUNTIMES = ("host", "musl")


def runtime_hint(name: Optional[str]) -> str:
    """What to say about a function nobody defines: which runtime has it."""
    from .userland import musl_defines
    if name and musl_defines(name):
        return (f"; musl's libc has {name!r}, the host runtime (the rig's Python host functions) does not: "
                f"load a module, object or archive that defines it, or add it with jit.add_host_function")
    return ""


_REACH = LRU(1024)     # id(object) -> (object, external_reach(object))


def _external_reach(obj: objfile.ObjectFile):
    hit = _REACH.get(id(obj))
    if hit is None or hit[0] is not obj:
        hit = _REACH[id(obj)] = (obj, _layout.external_reach(obj))
    return hit[1]


def _defined_names(obj: objfile.ObjectFile) -> frozenset:
    """The global names `obj` defines: what a load or unload of it can change for others."""
    from .symbols import ranks
    return frozenset(ranks(obj))


def _bound(m: "Module") -> frozenset:
    """The names module `m` asked the resolver about at its last link (cached per bindings)."""
    cached = getattr(m, "_bound_cache", None)
    if cached is None or cached[0] is not m.bindings:
        cached = (m.bindings, frozenset(k[1] if isinstance(k, tuple) else k for k in m.bindings))
        m._bound_cache = cached
    return cached[1]


def _placeholder(lay: _layout.Layout) -> Optional[int]:
    """Where a module's names that wait for a later module stand meanwhile: the
    start of its lowest page (near enough for every field, aligned for every scale)."""
    low = min((p.address for p in lay.placements), default=None)
    return None if low is None else _layout.page_down(low)


class _Undo:
    """What puts the `Jit` back as it was: steps recorded as an operation changes
    state, run in reverse if it fails (a load, unload or remap is all-or-nothing)."""

    def __init__(self):
        self.steps: List[tuple] = []

    def __call__(self, fn, *args) -> None:
        self.steps.append((fn, args))

    def rollback(self) -> None:
        for fn, args in reversed(self.steps):
            fn(*args)


class _Loading:
    """Stands for a module during its first link, before it has a `Module`."""

    def __init__(self, name: str):
        self.name = name


def _weak_undefined(obj: objfile.ObjectFile) -> frozenset:
    return frozenset(s.name for s in obj.symbols if s.kind == "undefined" and s.binding == "weak")


def _referenced_at(obj: objfile.ObjectFile, name: str) -> str:
    for r in obj.relocations:
        if r.symbol and obj.symbols[r.symbol].name == name:
            return f"{r.howto.name} at {obj.section(r.section).name}+{r.offset:#x}"
    return "no relocation"


def _in_archive(e: BadObject, lib, member) -> BadObject:
    """A member's `BadObject`, naming where the member lies in its archive."""
    return BadObject(f"{e} (member {member.name!r} at offset {member.offset:#x} of archive {lib.name})")


def _unresolved(name: str) -> HostFunction:
    """A host function standing in for `name` until a module defines it: calling it is an error."""
    def trap(ctx, *args):
        raise UndefinedSymbol(f"{name!r} was called, but no loaded module or host function defines it",
                              symbol=name)
    return HostFunction.of(f"<undefined {name}>", "void()", trap)


class Function:
    """A remote function with a signature: call it like a Python function."""

    def __init__(self, module: "Module", name: str, signature: Signature):
        self.module, self.name, self.signature = module, name, signature

    def __call__(self, *args):
        return self.invoke(*args).value

    def invoke(self, *args) -> CallResult:
        """Call and return value and output."""
        return self.module.jit._call(self.module, self.name, self.signature, args)

    def __repr__(self) -> str:
        return f"<Function {self.name}: {self.signature}>"


class Module:
    """A loaded object: its placement, its relocated image, its functions."""

    def __init__(self, jit: "Jit", name: str, obj: objfile.ObjectFile, layout: _layout.Layout,
                 image: _link.Image, signatures: Mapping[str, Signature], options: _compile.Options):
        self.jit, self.name, self.object = jit, name, obj
        self.layout, self.image = layout, image
        self.signatures = dict(signatures)
        self.options = options
        self.exclude: frozenset = frozenset()      #: sections left out: COMDAT groups another module keeps
        self.defer = False                         #: undefined symbols may wait for a later module
        self.bindings: Dict[object, object] = {}   #: what each external / preemptible name resolved to
        self.pending: Dict[str, str] = {}          #: undefined symbol -> where it is referenced
        self.notes: List[str] = []                 #: what the rig changed, e.g. a foreign target triple replaced
        self.unloaded = False                      #: set by `jit.unload`: nothing of it may run any more
        self._index()

    def _index(self) -> None:
        self._sorted: Optional[list] = None       # made when a fault report first needs it

    def _symbols_by_address(self):
        if self._sorted is None:
            syms = {**self.image.locals, **self.image.symbols}
            mapping = self.jit.target.is_mapping_symbol
            self._sorted = sorted((a, n) for n, (a, _) in syms.items() if not mapping(n))
            self._addrs = [a for a, _ in self._sorted]
        return self._sorted, self._addrs

    @property
    def trace(self) -> List[_link.TraceRecord]:
        """One record per relocation applied at the current placement."""
        return self.image.trace

    def address(self, name: str) -> int:
        """The remote address of symbol `name` (without the Thumb bit)."""
        return self._lookup(name)[0]

    def _lookup(self, name: str) -> Tuple[int, bool]:
        if self.unloaded:
            raise ModuleUnloaded(f"module {self.name} was unloaded from its {self.jit.target.name} Jit: "
                                 f"{name!r} no longer exists there (load the module again)")
        hit = self.image.symbols.get(name) or self.image.locals.get(name)
        if hit is None:
            raise NoSuchSymbol(f"module {self.name} defines no symbol {name!r}")
        return hit

    def function(self, name: str, signature: Union[str, Signature, None] = None) -> Function:
        """The function `name`, with `signature` (from the IR when omitted)."""
        self._lookup(name)
        if signature is None:
            signature = self.signatures.get(name)
            if signature is None:
                raise SignatureError(f"no signature known for {name!r} in {self.name} (an object file "
                                     f"carries no types): pass one, e.g. mod.function({name!r}, 'i32(i32)')")
        return Function(self, name, parse_signature(signature) if isinstance(signature, str) else signature)

    def call(self, name: str, *args, signature=None):
        """Call function `name` and return its value."""
        return self.function(name, signature).invoke(*args).value

    def invoke(self, name: str, *args, signature=None) -> CallResult:
        """Call function `name`; value, stdout and stderr."""
        return self.function(name, signature).invoke(*args)

    def symbolize(self, address: int) -> Optional[str]:
        """"sym+0x10, .text+0x30" for an address inside this module, else None."""
        where = self.layout.locate(address)
        if where is None:
            return None
        item, off = where
        by_address, addrs = self._symbols_by_address()
        i = bisect.bisect_right(addrs, address) - 1
        sym = ""
        if i >= 0:
            a, n = by_address[i]
            if self.layout.locate(a) and self.layout.locate(a)[0] == item:
                sym = f"{n}+{address - a:#x}, "
        return f"{sym}{item}+{off:#x} in {self.name}"

    def __repr__(self) -> str:
        if self.unloaded:
            return f"<Module {self.name} on {self.jit.target.name}: unloaded>"
        return f"<Module {self.name} on {self.jit.target.name}: {self.layout.mapping()}>"


class Jit:
    """A remote process for one target, and the modules loaded into it.

    `seed` makes random placements reproducible; `placement` is "random",
    "compact" (random, but each module's sections of one permission together,
    as a linker lays out an input file), "packed" or a section -> address
    mapping (explicit).  `limits` (`rig.limits.Limits`) bound what inputs and
    the guest may make the rig spend.  `runtime_placement` places the runtime's library
    members when `placement` is random: "compact" by default (libc's big
    members have a thousand sections each, and a thousand emulator regions
    make every later map slow), "random" to spread their sections too.
    """

    def __init__(self, target: str = "x86_64", seed: Optional[int] = None, *, reloc: str = "static",
                 code_model: Optional[str] = None, opt: int = 2, placement="random",
                 budget: Optional[int] = None, timeout: float = 10.0,
                 host_functions: Optional[Mapping[str, Callable]] = None,
                 stack_size: int = 1 << 20, heap_size: int = 16 << 20, cflags: Sequence[str] = (),
                 runtime: str = "host", stdin: Union[bytes, str] = b"", mounts: Optional[Mapping[str, str]] = None,
                 runtime_placement: str = "compact", limits: Optional["Limits"] = None,
                 executor: str = "inprocess"):
        if runtime not in RUNTIMES:
            raise RigError(f"unknown runtime {runtime!r}: use {' or '.join(RUNTIMES)}")
        from . import executor as _executor
        _executor.check(executor)
        try:
            self.target = _targets.get(target)
        except LookupError as e:
            raise UnknownTarget(str(e)) from None
        self.seed = seed
        self.rng = random.Random(seed)
        self.options = _compile.Options(reloc, code_model or self.target.code_model_default, opt,
                                        tuple(cflags)).check()
        self.placement = placement
        if runtime_placement not in ("compact", "random"):
            raise PlacementError(f"unknown runtime placement {runtime_placement!r}: use compact or random")
        self.runtime_placement = runtime_placement
        # a real libc's program does more per call: startup, stdio, exit
        self.budget = budget if budget is not None else (500_000_000 if runtime == "musl" else 50_000_000)
        self.timeout = timeout
        #: what an input or the guest may make the rig spend (`rig.limits`)
        self.limits = limits if limits is not None else _limits.DEFAULT
        self.space = _layout.AddressSpace(*self.target.address_space)
        #: where the code runs: "inprocess", "subprocess", "native" or "tcp://HOST:PORT" (`rig.executor`)
        self.executor = executor
        machine = _executor.machine_for(self.target, executor)
        try:
            # The executor's own pages (the native child's) are never placed over.
            for start, end in getattr(machine, "occupied", lambda: ())():
                self.space.reserve("the executor", start, end)
            self.process = Process(self.target, self.space, stack_size=stack_size, heap_size=heap_size,
                                   limits=self.limits, machine=machine)
        except BaseException:
            if machine is not None:
                machine.close()
            raise
        self.process.describe = self.symbolize
        self.host: Dict[str, HostFunction] = dict(default_functions())
        self.tls = StaticTls(self.target, self.space, self.process)   #: the thread's TLS block (made on first use)
        self.host.update(self.tls.host_functions())
        for name, fn in (host_functions or {}).items():
            self.add_host_function(name, fn)
        self.modules: List[Module] = []
        self._gone: collections.deque = collections.deque(maxlen=64)   # (name, layout) of unloaded modules
        self.symbols = SymbolTable()
        self.notes: List[str] = []          # of the last source prepared
        #: [lo, hi) every random placement stays in (None: each module's own window), see `_place`
        self.window: Optional[Tuple[int, int]] = None
        #: the C runtime: None for the Python host functions, else musl's libc (rig.userland)
        self.runtime = None
        if runtime == "musl":
            from .userland.runtime import MuslRuntime
            self.runtime = MuslRuntime(self, stdin=stdin, mounts=mounts, seed=seed or 0)

    # -- host functions --------------------------------------------------------

    def add_host_function(self, name: str, fn, signature: Optional[str] = None) -> None:
        """Make `name` resolve to Python: `fn` is a `HostFunction`, or a callable
        `fn(ctx, *args)` with `signature` (e.g. "i32(ptr, i32)")."""
        if not isinstance(fn, HostFunction):
            if signature is None:
                raise SignatureError(f"host function {name!r} needs a signature")
            fn = HostFunction.of(name, signature, fn)
        self.host[name] = fn
        self.process.rebind(fn)

    def resolve(self, name: str) -> Optional[Tuple[int, bool]]:
        """What `getSymbolAddress` answers: the loaded modules' winning definition
        (strong over weak, first loaded among weak), else the C library's data
        (stdout, environ, ...), else a host function."""
        hit = self.symbols.resolve(name)
        if hit is not None:
            return hit
        data = self.process.data_symbols.get(name)
        if data is not None:
            return data, False
        fn = self.host.get(name)
        if fn is not None:
            return self.process.bind(fn), False
        return None

    def _answer(self, owner, obj: objfile.ObjectFile, key, exclude: frozenset, defer: bool,
                 placeholder: Optional[int] = None):
        """What the linker is told for `key`: a name to resolve, or ("preempt", name).
        A name that waits for a later module stands at `placeholder`, an address
        inside the module itself (so every field reaches it; nothing runs until
        the name is defined: calls refuse while a module waits), or, without
        one, at a host slot that says so if called."""
        if isinstance(key, tuple):
            return self.symbols.preempt(owner, obj, key[1], exclude)
        hit = self.resolve(key)
        if hit is None and defer and key not in _weak_undefined(obj):
            hit = (placeholder if placeholder is not None else self.process.bind(_unresolved(key))), False
        return hit

    def _link(self, owner, obj: objfile.ObjectFile, lay: _layout.Layout, exclude: frozenset, defer: bool,
              contents=None, trace: bool = True):
        """Link `obj` at `lay` and note what every name resolved to (to relink when that changes)."""
        bindings: Dict[object, object] = {}
        pending: Dict[str, str] = {}
        placeholder = _placeholder(lay)

        def resolve(name):
            hit = bindings[name] = self._answer(owner, obj, name, exclude, defer, placeholder)
            if hit is not None and defer and self.resolve(name) is None:
                pending[name] = _referenced_at(obj, name)
            return hit

        def preempt(name):
            hit = bindings[("preempt", name)] = self.symbols.preempt(owner, obj, name, exclude)
            return hit

        try:
            image = _link.link(obj, lay, self.target, resolve, contents, trace=trace, preempt=preempt,
                               exclude=exclude)
        except UndefinedSymbol as e:
            e.args = (str(e) + runtime_hint(e.symbol),)
            raise
        return image, bindings, pending

    def _stale(self, mod: "Module") -> bool:
        placeholder = _placeholder(mod.layout)
        return any(self._answer(mod, mod.object, k, mod.exclude, mod.defer, placeholder) != v
                   for k, v in mod.bindings.items())

    def _relinks(self, skip=None, names: Optional[frozenset] = None) -> List[tuple]:
        """New images for the modules whose names now resolve differently (not yet
        written).  `names`: only these names can have changed (those a module
        that came or went defines), so only modules bound to one are asked."""
        out = []
        for m in self.modules:
            if m is skip:
                continue
            if names is not None and not m.pending and names.isdisjoint(_bound(m)):
                continue
            if m.pending or self._stale(m):
                out.append((m, *self._link(m, m.object, m.layout, m.exclude, m.defer, self._contents(m))))
        return out

    def _rewrite(self, relinks: List[tuple], undo: _Undo) -> None:
        for m, image, bindings, pending in relinks:
            writes = [(p.address, image.got if p.item.key == _layout.GOT else image.sections[p.item.key])
                      for p in m.layout.placements]
            undo(self._restore, m, m.image, m.bindings, m.pending,
                 [(a, self.process.read(a, len(data))) for a, data in writes if data])
            m.image, m.bindings, m.pending = image, bindings, pending
            for a, data in writes:
                self.process.write(a, data)
            self.tls.install(m.layout, image, undo)
            m._index()

    def _restore(self, m: Module, image, bindings, pending, saved) -> None:
        m.image, m.bindings, m.pending = image, bindings, pending
        for a, data in saved:
            self.process.write(a, data)
        m._index()

    @contextlib.contextmanager
    def _transaction(self):
        """All or nothing: on any error, undo what the block changed and re-raise."""
        undo = _Undo()
        try:
            yield undo
        except BaseException:
            undo.rollback()
            raise

    # -- loading ---------------------------------------------------------------

    def load(self, source: Source, *, name: Optional[str] = None, reloc: Optional[str] = None,
             code_model: Optional[str] = None, opt: Optional[int] = None, placement=None,
             seed: Optional[int] = None, defer_undefined: bool = False,
             cflags: Sequence[str] = ()) -> Module:
        """Compile (if needed), place, link and copy a module into the process.

        C sources see the target's standard headers and their own directory;
        `cflags` (`-I`, `-D`, `-std=`, ...) add to the `Jit`'s.

        Its symbols resolve against the modules already loaded and the host;
        modules loaded before it that were waiting for its definitions, or whose
        weak definitions its strong ones override, are relinked.  With
        `defer_undefined`, a symbol nobody defines yet waits for a later module
        (calls refuse to run until then) instead of failing the load.  On any
        error the `Jit` is left exactly as it was."""
        with self._transaction() as undo:
            mod = self._load(undo, source, name, reloc, code_model, opt, placement, seed,
                             defer_undefined or self.runtime is not None, cflags)
            if self.runtime is not None:          # a static linker's implicit -lc
                self._link_runtime(undo, reloc, code_model, opt, seed)
                if not defer_undefined:
                    self.check_resolved()
                    mod.defer = False
            return mod

    def _link_runtime(self, undo: "_Undo", reloc, code_model, opt, seed) -> List["Module"]:
        """Pull what the loaded modules need from the runtime's archives."""
        members = self.runtime_placement if self.placement == "random" else None
        self.runtime.start_module(undo, lambda u, src, name: self._load(u, src, name, reloc, code_model, opt,
                                                                        None, seed, True))
        pulled = self._pull(undo, self.runtime.archives(), reloc, code_model, opt, members, seed)
        for m in pulled:
            m.defer = False
        return pulled

    def relink(self, names: Optional[Sequence[str]] = None) -> None:
        """Relink every module whose names now resolve differently (all or nothing);
        `names`: only these can have changed."""
        with self._transaction() as undo:
            self._rewrite(self._relinks(names=None if names is None else frozenset(names)), undo)

    def _load(self, undo: _Undo, source, name, reloc, code_model, opt, placement, seed, defer,
              cflags: Sequence[str] = ()) -> Module:
        name, opts, obj, sigs = self._prepare(source, name, reloc, code_model, opt, cflags)
        # The parse is shared between Jits (cached by content): this Jit's own limits hold too.
        objfile.check_limits(obj, self.limits)
        exclude = self.symbols.dropped(obj)
        policy = self.placement if placement is None else placement
        lay = self._place(obj, policy, opts.code_model, seed, exclude=exclude)
        lay = self.tls.assign(lay, obj, exclude, undo)
        self.symbols.check(name, obj, exclude)
        owner = _Loading(name)
        image, bindings, pending = self._link(owner, obj, lay, exclude, defer)
        mod = Module(self, name, obj, lay, image, sigs, opts)
        mod.exclude, mod.defer, mod.bindings, mod.pending = exclude, defer, bindings, pending
        mod.notes = list(self.notes)
        self._install(mod, lay, image, undo)
        self.modules.append(mod)
        undo(self.modules.remove, mod)
        self.symbols.add(mod, obj, image.symbols, exclude)
        undo(self.symbols.remove, mod)
        if len(self.modules) > 1:
            self._rewrite(self._relinks(skip=mod, names=_defined_names(obj)), undo)
        return mod

    def load_all(self, sources, **options) -> List[Module]:
        """Load several modules that may refer to each other in any direction
        (lli's `-extra-module`): each placed on its own, all linked together.
        `archives` (paths or bytes of `ar` archives, lli's `-extra-archive`)
        are then searched, as one group, for what they still need (see
        `load_archive`); the members pulled come last in the list returned.
        `UndefinedSymbol` if a name stays undefined; on any error nothing of
        them stays loaded and the `Jit` is exactly as it was."""
        allowed = {"name", "reloc", "code_model", "opt", "placement", "seed", "archives"}
        unknown = set(options) - allowed
        if unknown:
            raise TypeError(f"load_all() got unexpected option(s) {', '.join(sorted(unknown))}")
        libs = [self.read_archive(a) for a in options.get("archives") or ()]   # lli's -extra-archive
        with self._transaction() as undo:
            loaded = [self._load(undo, src, options.get("name"), options.get("reloc"), options.get("code_model"),
                                 options.get("opt"), options.get("placement"), options.get("seed"), True)
                      for src in sources]
            loaded += self._pull(undo, libs, options.get("reloc"), options.get("code_model"), options.get("opt"),
                                 options.get("placement"), options.get("seed"))
            if self.runtime is not None:
                loaded += self._link_runtime(undo, options.get("reloc"), options.get("code_model"),
                                             options.get("opt"), options.get("seed"))
            self.check_resolved()
        for m in loaded:
            m.defer = False
        return loaded

    # -- archives (a static linker's rule; lli's -extra-archive) -----------------

    def read_archive(self, source, name: Optional[str] = None) -> "_archive.Archive":
        """The `ar` archive at a path (or in bytes), its members checked for this
        target; parsed once per content (a cache keyed by its hash)."""
        if isinstance(source, _archive.Archive):
            return source
        return _archive.Archive.read(source, self.target, name)

    def load_archive(self, source, *, name: Optional[str] = None, reloc: Optional[str] = None,
                     code_model: Optional[str] = None, opt: Optional[int] = None, placement=None,
                     seed: Optional[int] = None, defer_undefined: bool = False) -> List[Module]:
        """Load the members of a static library that the modules loaded so far
        need, as a static linker does: a member is loaded (on its own placement,
        named "libfoo.a(bar.o)") only when it defines a symbol some loaded module
        still waits for (one no module, C library datum or host function
        defines), and again for what the pulled members need, until nothing new
        is pulled.  Members nobody needs are never loaded.  The archive is not
        remembered: modules loaded later that need more of it call
        `load_archive` again (parsed once; members already loaded are not
        loaded twice, their symbols being defined).

        Unless `defer_undefined`, a symbol still undefined afterwards in any
        module is an `UndefinedSymbol` (the end of a static link); pass it to
        chain archives (libm.a, then libc.a).  All or nothing: on any error no
        member stays loaded and the `Jit` is exactly as it was.  Returns the
        members loaded, in load order."""
        lib = self.read_archive(source, name)
        with self._transaction() as undo:
            loaded = self._pull(undo, [lib], reloc, code_model, opt, placement, seed)
            if not defer_undefined:
                self.check_resolved()
        if not defer_undefined:
            for m in loaded:
                m.defer = False
        return loaded

    def _pull(self, undo: _Undo, libs: List["_archive.Archive"], reloc, code_model, opt, placement,
              seed) -> List[Module]:
        """Load the members of `libs` (one group, searched in order) that define a
        symbol a loaded module waits for, and those they need in turn, until none
        is left; they wait (`defer`) for each other like `load_all`'s modules."""
        def needs(lib, member):
            try:
                obj = self._parse(member.data, lib.module_name(member))
            except BadObject as e:
                raise _in_archive(e, lib, member) from None
            return [s.name for s in obj.symbols if s.kind == "undefined" and s.name and s.binding != "weak"]

        loaded: List[Module] = []
        pulled: set = set()
        while libs:
            batch = _archive.pull_order(libs, self.modules_pending(), lambda n: self.resolve(n) is not None,
                                        needs, pulled)
            if not batch:
                break
            for lib, member in batch:
                try:
                    loaded.append(self._load(undo, member.data, lib.module_name(member), reloc, code_model, opt,
                                             placement, seed, True))
                except BadObject as e:
                    raise _in_archive(e, lib, member) from None
        return loaded

    def check_resolved(self) -> None:
        """`UndefinedSymbol` naming every symbol still waiting for a definition."""
        missing = [f"{n!r} (referenced by {where} in {m.name})" for m in self.modules for n, where in m.pending.items()]
        if missing:
            first = next(iter(self.modules_pending()))
            raise UndefinedSymbol("undefined symbol(s): " + ", ".join(missing) + "; no loaded module or "
                                  "host function defines them" + "".join(dict.fromkeys(
                                      runtime_hint(n) for n in self.modules_pending())), symbol=first)

    def modules_pending(self) -> List[str]:
        """Every symbol some loaded module still waits for."""
        return [n for m in self.modules for n in m.pending]

    def _prepare(self, source: Source, name: Optional[str] = None, reloc: Optional[str] = None,
                 code_model: Optional[str] = None, opt: Optional[int] = None, cflags: Sequence[str] = ()):
        """The once-per-source work of a load: compile, parse, read signatures (all cached)."""
        # In-memory text is its own key (Python keeps a string's hash): a trial
        # that loads the same text again skips even hashing it.  Files may change.
        toolchain.check_cflags(cflags)
        key = None
        if isinstance(source, bytes) or (isinstance(source, str) and "\n" in source):
            ident = source
        else:                        # a file: the same path, size and modification time
            try:
                st = os.stat(source)
                ident = (os.fspath(source), st.st_size, st.st_mtime_ns)
                if ident[0].endswith(toolchain.COMPILED_SUFFIXES):     # ... and the headers beside it
                    ident += tuple(toolchain.header_stamps((f"-I{Path(ident[0]).resolve().parent}",
                                                            *self.options.cflags, *cflags)))
            except (OSError, TypeError, ValueError):
                ident = None         # read_source names the problem
        if ident is not None:
            key = (ident, name, reloc, code_model, opt, tuple(cflags), self.options, self.target.name,
                   id(self.target.relocations))
            hit = _prepared.get(key)
            if hit is not None and hit[2] is _parsed.get(hit[4]):
                self.notes = hit[5]
                return hit[:4]
        data, default_name = read_source(source)
        name = name or default_name
        own_dir = ()
        if isinstance(ident, tuple):        # a file: `#include "local.h"` finds its neighbours
            own_dir = (f"-I{Path(os.fspath(source)).resolve().parent}",)
        opts = _compile.Options(reloc or self.options.reloc, code_model or self.options.code_model,
                                self.options.opt if opt is None else opt,
                                self.options.cflags + tuple(cflags) + own_dir).check()
        kind = _compile.source_kind(data)
        obj_bytes = _compile.compile_source(data, self.target, opts, name, self.limits)
        obj = self._parse(obj_bytes, name)
        sigs = {}
        if name.endswith(toolchain.SUFFIXES) and kind != "object":
            # C and assembly state their signatures in the header, as `rig run` reads them
            sigs = header_signatures(data.decode("utf-8", "replace"))
        elif kind != "object":
            digest = hashlib.sha256(data).hexdigest()
            sigs = _sigs.get(digest)
            if sigs is None:
                sigs = _sigs[digest] = _signatures_via_disk(digest, data, kind)
        self.notes = _compile.retargeted(data, self.target) if kind in ("ir", "bitcode") else []
        if key is not None:
            _prepared[key] = (name, opts, obj, sigs, self._parse_key(obj_bytes, name), self.notes)
        return name, opts, obj, sigs

    def _parse_key(self, data: bytes, name: str) -> tuple:
        # The name is part of the key: errors name the object's file, and two files
        # with the same bytes are still two files.
        return (hashlib.sha256(data).hexdigest(), self.target.name, id(self.target.relocations), name)

    def _parse(self, data: bytes, name: str) -> objfile.ObjectFile:
        # the table is part of the key: a parsed relocation carries its row (tests swap rows in)
        key = self._parse_key(data, name)
        obj = _parsed.get(key)
        if obj is None:
            obj = _parsed[key] = self._parse_via_disk(key[0], data, name)
        return obj

    def _parse_via_disk(self, digest: str, data: bytes, name: str) -> objfile.ObjectFile:
        """Parse, or take the parse a previous process left in the disk cache
        (pyelftools costs ~1.6 ms for a small object; reading it back ~0.1 ms)."""
        cache = _compile._cache_dir()
        own_table = not getattr(self.target.relocations, "mutated", False)     # see rig.mutants
        path = cache / f"{digest}.{self.target.name}.parsed" if cache is not None and own_table else None
        cached = _compile.read_cached(path)
        obj = objfile.loads(cached, self.target, name, self.limits) if cached is not None else None
        if obj is not None:
            return obj
        obj = objfile.parse(data, self.target, name, self.limits)
        if path is not None:
            _compile.store(path, objfile.dumps(obj))
        return obj

    def _address(self, what: str, value) -> int:
        """A placement address checked at the API boundary: an integer inside the target's space."""
        if isinstance(value, bool):
            raise PlacementError(f"{what}: {value!r} is not an address (give an integer)")
        try:
            value = operator.index(value)
        except TypeError:
            raise PlacementError(f"{what}: {value!r} ({type(value).__name__}) is not an address "
                                 f"(give an integer)") from None
        lo, hi = self.space.lo, self.space.hi
        if not lo <= value < hi:
            shown = f"-{-value:#x}" if value < 0 else f"{value:#x}"
            raise PlacementError(f"{what} at {shown} is outside the address space of {self.target.name} "
                                 f"[{lo:#x}, {hi:#x})")
        return value

    def _place(self, obj, policy, code_model: str, seed=None, ignore=None,
               exclude: frozenset = frozenset()) -> _layout.Layout:
        if isinstance(policy, Mapping):
            policy = {k: self._address(f"placement of {k}", v) for k, v in policy.items()}
            if exclude:          # a section dropped as a COMDAT duplicate has nowhere to go
                dropped = {s.name for s in obj.sections if s.index in exclude}
                policy = {k: v for k, v in policy.items() if k not in dropped}
            return _layout.make_layout(obj, self.target, self.space, "explicit", mapping=policy, ignore=ignore,
                                       exclude=exclude)
        rng = random.Random(seed) if seed is not None else self.rng
        near = self._referrers(obj) if self.modules else []
        if self.runtime is not None and policy in ("random", "compact"):
            near.append(self._window(obj, code_model, rng))
        return _layout.make_layout(obj, self.target, self.space, policy, rng=rng, code_model=code_model,
                                   ignore=ignore, exclude=exclude, resolve=self.resolve, near=near)

    def _window(self, obj, code_model: str, rng) -> Tuple[int, int, int]:
        """The one window all of a runtime's modules share, as (lo, hi, reach) for
        `make_layout`'s `near`: a static link puts libc and the program in one
        image, and libc's members reach each other pc-relatively and by 32-bit
        absolute addresses; chosen at random at the first placement."""
        if self.window is None:
            # the runtime's libraries are built for the default code model, whatever the program's
            width = self.target.code_models.get(self.target.code_model_default, self.space.hi - self.space.lo)
            width = min(width, self.target.image_span or width)
            top = min(self.space.hi, _layout.absolute_limit(obj, self.space),
                      self.runtime.absolute_limit(self.space))
            width = min(width, top - self.space.lo)
            # ... around the modules placed explicitly before it (a drawn placement of the program)
            spans = [(p.address, p.end) for m in self.modules for p in m.layout.placements if p.item.size]
            first = min((a for a, _ in spans), default=top)
            last = max((b for _, b in spans), default=self.space.lo)
            floor, ceiling = max(self.space.lo, last - width), min(first, top - width)
            if ceiling < floor:
                raise PlacementError(f"the modules loaded so far span [{first:#x}, {last:#x}), more than one "
                                     f"image's {width:#x} bytes on {self.target.name} (libc must reach them all)")
            lo = rng.randrange(floor, ceiling + 1) & ~(_layout.PAGE - 1)
            self.window = (max(lo, self.space.lo), max(lo, self.space.lo) + width)
        lo, hi = self.window
        return lo, hi, hi - lo

    def _referrers(self, obj: objfile.ObjectFile) -> List[Tuple[int, int, int]]:
        """(lo, hi, reach) of each loaded module that reaches, pc-relatively, a name
        `obj` defines (it was waiting for it, or its weak definition loses to
        `obj`'s): the new module must land within their reach as well."""
        from .symbols import ranks
        defined = ranks(obj)
        out = []
        for m in self.modules:
            reach, names = _external_reach(m.object)
            if reach is not None and any(n in defined for n in names):
                spans = [(p.address, p.end) for p in m.layout.placements if p.item.size]
                if spans:
                    out.append((min(a for a, _ in spans), max(b for _, b in spans), reach))
        return out

    def _install(self, mod: Module, lay: _layout.Layout, image: _link.Image, undo: _Undo) -> None:
        self.process.map_runs(lay.runs(), [
            (p.address, image.got if p.item.key == _layout.GOT else image.sections[p.item.key])
            for p in lay.placements])
        undo(self.process.unmap_runs, lay.runs())
        self._reserve(mod, lay)
        undo(self.space.release, mod)
        self.tls.install(lay, image, undo)

    def _reserve(self, mod: Module, lay: _layout.Layout) -> None:
        # By page run, adjacent runs joined: a compact libc member of a thousand
        # sections is a few ranges, and every lookup's index stays small.
        start = end = None
        for a, size, _ in lay.runs():
            if a != end:
                if start is not None:
                    self.space.reserve(mod, start, end)
                start = a
            end = a + size
        if start is not None:
            self.space.reserve(mod, start, end)
        for p in lay.placements:
            if not p.item.size:          # an empty section still holds its address (as it did)
                self.space.reserve(mod, p.address, p.address + 1)

    def _live(self, mod: Module) -> None:
        if mod.unloaded:
            raise ModuleUnloaded(f"module {mod.name} was already unloaded from this Jit")
        if mod.jit is not self or mod not in self.modules:
            raise RigError(f"module {mod.name} is not loaded in this Jit ({self.target.name})")

    def unload(self, mod: Module) -> None:
        """Remove a module: unmap its pages and forget its symbols.  Modules that
        used its definitions are relinked (to their own weak ones, or left
        waiting for a new definition: calls refuse to run until one is loaded)."""
        self._live(mod)
        # A COMDAT group it keeps that later modules dropped (C++'s inline functions,
        # vtables, DW.ref.__gxx_personality_v0) passes to the first of them, which
        # places and links its own copy, as if it had been loaded first.
        heirs: Dict[Module, List[str]] = {}
        for sig in self.symbols.holders(mod):
            heir = next((m for m in self.modules if m is not mod and any(g.signature == sig for g in m.object.groups)),
                        None)
            if heir is not None:
                heirs.setdefault(heir, []).append(sig)
        with self._transaction() as undo:
            # Everything that can fail comes before the pages go.
            at = self.modules.index(mod)
            if len(self.modules) > 1:          # only relinking others can fail: then undo exactly
                undo(self.symbols.restore, self.symbols.snapshot())
            self.modules.remove(mod)
            undo(self.modules.insert, at, mod)
            self.symbols.remove(mod)
            # Every heir's adopted definitions are entered before any heir is linked:
            # one heir's code may call into a group another heir adopts.
            adoptions = [self._adopt(heir, mod, sigs, undo) for heir, sigs in heirs.items()]
            for heir, new, exclude, contents in adoptions:
                image, bindings, pending = self._link(heir, heir.object, new, exclude, heir.defer, contents)
                undo(setattr, heir, "exclude", heir.exclude)
                heir.exclude = exclude
                self._move(heir, new, image, bindings, pending, undo)
            for m in self.modules:
                undo(setattr, m, "defer", m.defer)
                m.defer = True          # a name it used may be gone: wait for it rather than fail here
            self._rewrite(self._relinks(names=_defined_names(mod.object)), undo)
        self.process.unmap_runs(mod.layout.runs())
        self.space.release(mod)
        self.tls.release(mod.layout.tls)
        mod.unloaded = True
        self._gone.append((mod.name, mod.layout))

    def unload_all(self) -> None:
        """Unload every module, as unloading each in turn would leave the `Jit`,
        without relinking those still loaded after each one: unloaded one by
        one, a program with its C++ runtime (a hundred members) relinks the
        rest a hundred times; here nothing is left to relink."""
        for mod in reversed(self.modules):
            self.symbols.remove(mod)
            self.process.unmap_runs(mod.layout.runs())
            self.space.release(mod)
            self.tls.release(mod.layout.tls)
            mod.unloaded = True
            self._gone.append((mod.name, mod.layout))
        self.modules.clear()

    def _adopt(self, mod: Module, keeper: Module, signatures: List[str], undo: _Undo):
        """`mod` keeps COMDAT groups `signatures` from now on (`keeper`, which kept
        them, is going): its own copies of their sections, left out at load, are
        placed after its other sections (which stay where they are, with what
        the program wrote in them), its writable ones filled with the keeper's
        current bytes (a counter in a COMDAT group keeps counting), and the names they define are
        entered in the symbol table.  Returns (mod, new layout, new exclude set,
        contents) for the caller to link once every heir has adopted (every
        relocation site is then written anew for the new addresses)."""
        obj = mod.object
        adopted = {i for g in obj.groups if g.signature in signatures for i in g.sections}
        if any(obj.section(i).tls for i in adopted if i in mod.exclude):
            raise RigError(f"cannot unload {keeper.name}: {mod.name} would have to adopt the thread-local sections "
                           f"of COMDAT group(s) {', '.join(signatures)}, and its TLS image is fixed once loaded")
        exclude = frozenset(mod.exclude - adopted)
        new = _layout.make_layout(obj, self.target, self.space, "explicit", mapping=mod.layout.mapping(),
                                  ignore=mod, exclude=exclude)
        new = self.tls.carry(mod.layout, new)
        contents = self._contents(mod)
        theirs = {obj.section(i).name: i for i in adopted}
        for g in keeper.object.groups:
            if g.signature in signatures:
                for i in g.sections:
                    sec = keeper.object.section(i)
                    mine = theirs.get(sec.name)
                    # Only writable data carries over: the two copies of a group's code
                    # or constants may come from different compilers or flags (a
                    # program's static code, libc++'s PIC), same signature, other bytes.
                    if (mine is not None and "w" in sec.perms and self._keeps_writes
                            and obj.section(mine).size == sec.size):
                        contents[mine] = self.process.read(keeper.layout.address(i), sec.size)
        self.symbols.adopt(mod, obj, _link.definitions(obj, new, exclude)[0], exclude, signatures)
        # Hold the adopted sections' pages now, so the next heir's layout avoids them.
        self._reserve(mod, new)
        undo(self._reserve, mod, mod.layout)
        undo(self.space.release, mod)
        return mod, new, exclude, contents

    def _move(self, mod: Module, new: _layout.Layout, image: _link.Image, bindings, pending, undo: _Undo) -> None:
        """Put `mod`'s pages where `new` says, holding `image`; undone exactly on failure."""
        old = mod.layout
        # The old pages as they are now (the program's writes included), to put back on failure.
        saved = [(start, self.process.read(start, size)) for start, size, _ in old.runs()]
        self.process.unmap_runs(old.runs())
        undo(self.process.map_runs, old.runs(), saved)
        self.space.release(mod)
        undo(self._reserve, mod, old)
        self._install(mod, new, image, undo)
        undo(self._restore, mod, mod.image, mod.bindings, mod.pending, ())
        undo(setattr, mod, "layout", old)
        mod.layout, mod.image, mod.bindings, mod.pending = new, image, bindings, pending
        mod._index()

    # -- remap (mapSectionAddress after the fact) ---------------------------------

    def remap(self, mod: Module, section: str, address: int) -> _layout.Layout:
        """Move one section (or the GOT) of a loaded module to `address`, keep
        its current contents, and re-apply every relocation; the code runs on.
        On any error the module, the process and the other modules are exactly
        as they were."""
        self._live(mod)
        mapping = mod.layout.mapping()
        if section not in mapping:
            raise PlacementError(f"module {mod.name} has no section {section!r}; it has {', '.join(mapping)}")
        mapping[section] = self._address(f"remap of {section}", address)
        new = _layout.make_layout(mod.object, self.target, self.space, "explicit", mapping=mapping, ignore=mod,
                                  exclude=mod.exclude)
        new = self.tls.carry(mod.layout, new)
        image, bindings, pending = self._link(mod, mod.object, new, mod.exclude, mod.defer, self._contents(mod))
        with self._transaction() as undo:
            self.symbols.update(mod, image.symbols)         # others now resolve to the new addresses
            undo(self.symbols.update, mod, mod.image.symbols)
            others = self._relinks(skip=mod)
            self._move(mod, new, image, bindings, pending, undo)
            self._rewrite(others, undo)
        return new

    @property
    def _keeps_writes(self) -> bool:
        """Whether what the program wrote in a module's data outlives a call: yes
        with the host runtime (calls share one process), no with a runtime whose
        every run is a fresh process (musl's: its data must relink as loaded,
        not as the last run left it, or the next run starts from that state)."""
        return not getattr(self.runtime, "fresh_process", False)

    def _contents(self, mod: Module) -> Dict[object, bytes]:
        """The bytes a relink starts from: each section as it is now in memory
        (a remap or relink keeps what the program wrote), writable ones only
        when `_keeps_writes`."""
        keep = self._keeps_writes
        out: Dict[object, bytes] = {s.index: self.process.read(mod.layout.address(s.index), s.size)
                                    for s in mod.object.sections
                                    if s.index not in mod.exclude and (keep or "w" not in s.perms)}
        if mod.object.common_size and keep:
            out[_layout.COMMON] = self.process.read(mod.layout.address(_layout.COMMON), mod.object.common_size)
        return out

    # -- memory ------------------------------------------------------------------

    def alloc(self, size: int, align: int = 16) -> int:
        """Allocate `size` bytes on the remote heap (what the program's malloc uses)."""
        addr = self.process.heap.allocate(size, align)
        if not addr:
            raise RigError(f"the remote heap has no {size} free bytes")
        return addr

    def free(self, address: int) -> None:
        """Free a block from `alloc`."""
        self.process.heap.release(address)

    def write(self, address: int, data: bytes) -> None:
        """Write bytes into the remote space."""
        self.process.write(address, data)

    def read(self, address: int, size: int) -> bytes:
        """Read bytes from the remote space."""
        return self.process.read(address, size)

    # -- calls -------------------------------------------------------------------

    def _call(self, mod: Module, name: str, sig: Signature, args) -> CallResult:
        address, thumb = mod._lookup(name)          # refuses a module unloaded since
        if any(m.pending for m in self.modules):
            self.check_resolved()
        return self.process.call(address, thumb, sig, args, budget=self.budget, timeout=self.timeout)

    def run(self, args=(), env=None, *, program_name: str = "", entry: str = "main",
            stdin: Union[bytes, str, None] = None):
        """Run the loaded program's `main` as a process would: argv ([program_name]
        + args) and envp (exactly `env`) in the remote space, constructors before,
        exit handlers and destructors after; a `rig.program.ProgramResult`
        (exit status, ordered output, how it ended).  `stdin` (musl runtime):
        this run's standard input, and the next runs' (default: the `Jit`'s);
        the host runtime's programs read none, so only empty input is allowed."""
        from . import program
        self.check_resolved()
        if self.runtime is not None:
            return self.runtime.run(args, env, program_name, entry, stdin)
        if stdin:
            raise RigError("standard input is the musl runtime's (rig.Jit(..., runtime='musl')); the host "
                           "runtime's programs have none")
        return program.run(self, args, env, program_name=program_name, entry=entry)

    def symbolize(self, address: int) -> str:
        """Where an address is: "f+0x10, .text+0x30 in m.ll", a host function, the stack..."""
        for m in self.modules:
            hit = m.symbolize(address)
            if hit:
                return hit
        own = self.process.describe_own(address)
        if own:
            return own
        for name, lay in reversed(self._gone):
            where = lay.locate(address)
            if where is not None:
                return f"{where[0]}+{where[1]:#x} of {name}, a module unloaded before this call"
        owner = self.space.conflict(address, address + 1)
        return str(owner) if isinstance(owner, str) else ""

    def close(self) -> None:
        """Free the emulator now."""
        self.process.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
