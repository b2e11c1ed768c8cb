"""The public API: `Jit` (a remote process for one target) and `Module`.

Glue only: each step is another module's job (compile, objfile, layout,
link, process).  This is MCJIT's remote mode as a library: `load` compiles,
places, links and copies a module into the emulator; `call` runs a function
there; `remap` is `mapSectionAddress` after the fact.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import random
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Tuple, Union

import targets as _targets

from . import compile as _compile
from ._cache import LRU
from . import irsig, layout as _layout, link as _link, objfile
from .errors import NoSuchSymbol, PlacementError, RigError, SignatureError, UnknownTarget
from .process import CallResult, Process
from .runtime import default_functions
from .runtime.host import HostFunction
from .signature import Signature, parse as parse_signature

Source = Union[str, bytes, os.PathLike]
_SUFFIXES = (".ll", ".bc", ".o", ".s", ".S", ".c")
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
        self._index()

    def _index(self) -> None:
        self._sorted: Optional[list] = None       # made when a fault report first needs it

    def _symbols_by_address(self):
        if self._sorted is None:
            syms = {**self.image.locals, **self.image.symbols}
            self._sorted = sorted((a, n) for n, (a, _) in syms.items())
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
        return f"<Module {self.name} on {self.jit.target.name}: {self.layout.mapping()}>"


class Jit:
    """A remote process for one target, and the modules loaded into it.

    `seed` makes random placements reproducible; `placement` is "random",
    "packed" or a section -> address mapping (explicit).
    """

    def __init__(self, target: str = "x86_64", seed: Optional[int] = None, *, reloc: str = "static",
                 code_model: Optional[str] = None, opt: int = 2, placement="random",
                 budget: int = 50_000_000, timeout: float = 10.0,
                 host_functions: Optional[Mapping[str, Callable]] = None,
                 stack_size: int = 1 << 20, heap_size: int = 16 << 20):
        try:
            self.target = _targets.get(target)
        except LookupError as e:
            raise UnknownTarget(str(e)) from None
        self.seed = seed
        self.rng = random.Random(seed)
        self.options = _compile.Options(reloc, code_model or self.target.code_model_default, opt).check()
        self.placement = placement
        self.budget, self.timeout = budget, timeout
        self.space = _layout.AddressSpace(*self.target.address_space)
        self.process = Process(self.target, self.space, stack_size=stack_size, heap_size=heap_size)
        self.process.describe = self.symbolize
        self.host: Dict[str, HostFunction] = dict(default_functions())
        for name, fn in (host_functions or {}).items():
            self.add_host_function(name, fn)
        self.modules: List[Module] = []

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
        """What `getSymbolAddress` answers: a loaded module's definition, else a host function."""
        for m in self.modules:
            hit = m.image.symbols.get(name)
            if hit is not None:
                return hit
        fn = self.host.get(name)
        if fn is not None:
            return self.process.bind(fn), False
        return None

    # -- loading ---------------------------------------------------------------

    def load(self, source: Source, *, name: Optional[str] = None, reloc: Optional[str] = None,
             code_model: Optional[str] = None, opt: Optional[int] = None, placement=None,
             seed: Optional[int] = None) -> Module:
        """Compile (if needed), place, link and copy a module into the process."""
        name, opts, obj, sigs = self._prepare(source, name, reloc, code_model, opt)
        policy = self.placement if placement is None else placement
        lay = self._place(obj, policy, opts.code_model, seed)
        image = _link.link(obj, lay, self.target, self.resolve)
        mod = Module(self, name, obj, lay, image, sigs, opts)
        self._install(mod, lay, image)
        self.modules.append(mod)
        return mod

    def _prepare(self, source: Source, name: Optional[str] = None, reloc: Optional[str] = None,
                 code_model: Optional[str] = None, opt: Optional[int] = None):
        """The once-per-source work of a load: compile, parse, read signatures (all cached)."""
        # In-memory text is its own key (Python keeps a string's hash): a trial
        # that loads the same text again skips even hashing it.  Files may change.
        key = None
        if isinstance(source, bytes) or (isinstance(source, str) and "\n" in source):
            key = (source, name, reloc, code_model, opt, self.options, self.target.name,
                   id(self.target.relocations))
            hit = _prepared.get(key)
            if hit is not None and hit[2] is _parsed.get(hit[4]):
                return hit[:4]
        data, default_name = read_source(source)
        name = name or default_name
        opts = _compile.Options(reloc or self.options.reloc, code_model or self.options.code_model,
                                self.options.opt if opt is None else opt).check()
        kind = _compile.source_kind(data)
        obj_bytes = _compile.compile_source(data, self.target, opts, name)
        obj = self._parse(obj_bytes, name)
        sigs = {}
        if kind != "object":
            digest = hashlib.sha256(data).hexdigest()
            sigs = _sigs.get(digest)
            if sigs is None:
                sigs = _sigs[digest] = irsig.signatures(data, kind)
        if key is not None:
            _prepared[key] = (name, opts, obj, sigs, self._parse_key(obj_bytes))
        return name, opts, obj, sigs

    def _parse_key(self, data: bytes) -> tuple:
        return (hashlib.sha256(data).hexdigest(), self.target.name, id(self.target.relocations))

    def _parse(self, data: bytes, name: str) -> objfile.ObjectFile:
        # the table is part of the key: a parsed relocation carries its row (tests swap rows in)
        key = self._parse_key(data)
        obj = _parsed.get(key)
        if obj is None:
            obj = _parsed[key] = objfile.parse(data, self.target, name)
        return obj

    def _place(self, obj, policy, code_model: str, seed=None, ignore=None) -> _layout.Layout:
        if isinstance(policy, Mapping):
            return _layout.make_layout(obj, self.target, self.space, "explicit", mapping=policy, ignore=ignore)
        rng = random.Random(seed) if seed is not None else self.rng
        return _layout.make_layout(obj, self.target, self.space, policy, rng=rng, code_model=code_model,
                                   ignore=ignore)

    def _install(self, mod: Module, lay: _layout.Layout, image: _link.Image) -> None:
        self.process.map_runs(lay.runs(), [
            (p.address, image.got if p.item.key == _layout.GOT else image.sections[p.item.key])
            for p in lay.placements])
        for p in lay.placements:
            self.space.reserve(mod, p.address, max(p.end, p.address + 1))

    def unload(self, mod: Module) -> None:
        """Remove a module: unmap its pages and forget its symbols."""
        self.process.unmap_runs(mod.layout.runs())
        self.space.release(mod)
        self.modules.remove(mod)

    # -- remap (mapSectionAddress after the fact) ---------------------------------

    def remap(self, mod: Module, section: str, address: int) -> _layout.Layout:
        """Move one section (or the GOT) of a loaded module to `address`, keep
        its current contents, and re-apply every relocation; the code runs on."""
        mapping = mod.layout.mapping()
        if section not in mapping:
            raise PlacementError(f"module {mod.name} has no section {section!r}; it has {', '.join(mapping)}")
        mapping[section] = address
        new = _layout.make_layout(mod.object, self.target, self.space, "explicit", mapping=mapping, ignore=mod)
        image = _link.link(mod.object, new, self.target, self.resolve, self._contents(mod))
        old_layout, old_image = mod.layout, mod.image
        mod.layout, mod.image = new, image          # others now resolve to the new addresses
        try:
            others = [(m, _link.link(m.object, m.layout, self.target, self.resolve, self._contents(m)))
                      for m in self.modules if m is not mod]
        except RigError:
            mod.layout, mod.image = old_layout, old_image
            raise
        self.process.unmap_runs(old_layout.runs())
        self.space.release(mod)
        self._install(mod, new, mod.image)
        mod._index()
        for m, image in others:
            m.image = image
            for p in m.layout.placements:
                self.process.write(p.address, image.got if p.item.key == _layout.GOT
                                   else image.sections[p.item.key])
            m._index()
        return new

    def _contents(self, mod: Module) -> Dict[int, bytes]:
        return {s.index: self.process.read(mod.layout.address(s.index), s.size) for s in mod.object.sections}

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
        address, thumb = mod._lookup(name)
        return self.process.call(address, thumb, sig, args, budget=self.budget, timeout=self.timeout)

    def symbolize(self, address: int) -> str:
        """Where an address is: "f+0x10, .text+0x30 in m.ll", a host function, the stack..."""
        for m in self.modules:
            hit = m.symbolize(address)
            if hit:
                return hit
        own = self.process.describe_own(address)
        if own:
            return own
        owner = self.space.conflict(address, address + 1)
        return str(owner) if isinstance(owner, str) else ""

    def close(self) -> None:
        """Free the emulator now."""
        self.process.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
