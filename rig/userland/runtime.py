"""The musl runtime: a real libc in the remote process.

With `rig.Jit(target, runtime="musl")` a program's externals resolve to
members of musl's static libraries for the target (`rig.userland.libc`: built
once through the ziglang package), pulled as a static linker pulls them
(`Jit.load_archive`'s rule: only what some loaded module needs) and placed
at random like any other module; the Python host functions are not used.
System calls go to `rig.userland.kernel`.  `main` is entered as a static
executable's is: through musl's `__libc_start_main`, with argc, argv, envp
and an auxiliary vector laid out in the remote memory as the kernel lays them
on the stack.  Constructors, `atexit`, stdio flushing and `exit` are musl's;
the rig hands musl the constructor and destructor lists of every loaded
module (`__init_array_start`/`__fini_array_start`, which a linker defines).

All the modules of such a `Jit` lie in one random window of the target's
small code-model reach (chosen at the first placement), as a static link
puts them in one image: libc's non-PIC members reach each other's data
pc-relatively and with 32-bit absolute addresses.
"""
from __future__ import annotations

import random
from typing import List, Mapping, Optional, Sequence, Tuple, Union

from ..errors import ProgramExit, RigError
from ..signature import parse as _parse_signature
from . import unwind
from .libc import libc, libcxx

#: The start stub module's name (one per Jit, loaded with the first program)
START_NAME = "<musl start>"
#: Linked in first, so that the start routine and exit are pulled from libc (and
#: defining what a static link's crt files would).
START_IR = """
declare i32 @__libc_start_main(ptr, i32, ptr, ptr, ptr, ptr)
declare void @exit(i32)
@__rig_start = global [2 x ptr] [ptr @__libc_start_main, ptr @exit]
; what crtbegin.o defines in a static link: the handle C++ code passes to __cxa_atexit
@__dso_handle = global ptr null
"""
#: The auxiliary vector's keys (Linux's include/uapi/linux/auxvec.h).
AT_NULL, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_HWCAP, \
    AT_CLKTCK, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN = 0, 3, 4, 5, 6, 9, 11, 12, 13, 14, 16, 17, 23, 25, 26, 31
PAGE, _LISTS_AT = 4096, 1024
_LIMITS: dict = {}     # (target, space, archives) -> libc's absolute limit: read once per process
#: __libc_start_main(main, argc, argv, init, fini, ldso): musl ignores the last three
_START_SIG = _parse_signature("i32(ptr, i32, ptr, ptr, ptr, ptr)")
_ARRAYS = ("__init_array_start", "__init_array_end", "__fini_array_start", "__fini_array_end")
#: Names of the Itanium C++ ABI and its unwinder (mangled names, __cxa_*, the
#: personality, _Unwind_*): a module waiting for one is C++ (or IR written for
#: C++'s runtime), and the C++ runtime's archives join the search, before libc's,
#: as clang++ adds -lc++ -lc++abi -lunwind to a link.  Built on first need only.
CXX_NAMES = ("_Z", "__cxa_", "__gxx_", "_Unwind_", "__register_frame", "__deregister_frame")


class MuslRuntime:
    """musl's libc and the kernel for one `Jit`."""

    name = "musl"
    #: Each run is a fresh process image: data written in one run is gone at the next
    #: (relinks start from the linked bytes, not from memory; `Jit._keeps_writes`).
    fresh_process = True

    def __init__(self, jit, *, stdin: Union[bytes, str] = b"", mounts: Optional[Mapping[str, str]] = None,
                 seed: int = 0):
        from .kernel import attach
        self.jit = jit
        self.seed = seed
        self.libs = [jit.read_archive(p) for p in libc(jit.target).archives]
        self.kernel = attach(jit.process, stdin=stdin, mounts=mounts, seed=seed)
        # Externals are musl's: no Python stand-ins, no data the process lays out itself.
        jit.host.clear()
        jit.process.data_symbols.clear()
        for name in _ARRAYS:                    # empty lists until a run lays them out
            jit.process.data_symbols[name] = jit.process.data_base
        #: the C++ runtime's archives once a module needed them (None: a C program)
        self.cxx: Optional[list] = None
        self._exidx: Optional[Tuple[int, int]] = None     # (address, size) of the merged exidx table's pages
        self._limit: Optional[int] = None

    # -- linking ---------------------------------------------------------------

    def absolute_limit(self, space) -> int:
        """The highest end address libc's members allow (non-PIC code keeps its
        data below 2 or 4 GiB on 64-bit targets), read from every member once."""
        if self._limit is None:
            key = (self.jit.target.name, space.lo, space.hi, tuple(id(lib) for lib in self.libs))
            limit = _LIMITS.get(key)
            if limit is None:
                from ..layout import absolute_limit
                limit = space.hi
                for lib in self.libs:
                    for m in lib.members:
                        limit = min(limit, absolute_limit(self.jit._parse(m.data, lib.module_name(m)), space))
                _LIMITS[key] = limit
            self._limit = limit
        return self._limit

    def archives(self) -> list:
        """The archives searched after every load (a static linker's implicit -lc,
        and -lc++ -lc++abi -lunwind once some module needs the C++ runtime)."""
        if self.cxx is None and any(n.startswith(CXX_NAMES) for n in self.jit.modules_pending()):
            self.cxx = [self.jit.read_archive(p) for p in libcxx(self.jit.target).archives]
        return (self.cxx or []) + self.libs

    def start_module(self, undo, load) -> None:
        """Load the start stub once (it pulls __libc_start_main and exit), and,
        with the C++ runtime on a "dwarf" target, the frame registration stub."""
        # Loaded unless it is there now (`Jit.unload_all` or an unload may have taken it)
        if not any(m.name == START_NAME for m in self.jit.modules):
            load(undo, START_IR, START_NAME)
        self.archives()
        if self.cxx is not None and self.jit.target.unwind == "dwarf" and \
                self.jit.resolve(unwind.REGISTER_FN) is None:
            load(undo, unwind.REGISTER_IR, "<register frames>")

    # -- running main ----------------------------------------------------------

    def run(self, args: Sequence, env, program_name: str, entry: str = "main",
            stdin: Union[bytes, str, None] = None):
        """Run `main` through `__libc_start_main`; a `rig.program.ProgramResult`."""
        from .. import program
        jit = self.jit
        mod, address, thumb = program._find(jit, entry)
        start = jit.resolve("__libc_start_main")
        if start is None:
            raise RigError("musl's __libc_start_main is not loaded: load the program through this Jit first")
        argv = [program._bytes(program_name or mod.name)] + [program._bytes(a) for a in args]
        pairs = list(env.items()) if isinstance(env, Mapping) else list(env or ())
        envp = [program._bytes(k) + b"=" + program._bytes(v) for k, v in pairs]
        self.kernel.restart(stdin)              # each run a fresh process image:
        self._fresh_data()                      # libc's (and the program's) data as loaded
        tables, phdrs = self._unwind_tables()
        block, argv_at = self._lay_out(argv, envp, phdrs)
        chunks: List[Tuple[int, bytes]] = []
        try:
            try:
                value = program._call(jit, chunks, start[0], start[1], _START_SIG,
                                      (address | int(thumb), len(argv), argv_at, 0, 0, 0))
            except ProgramExit as e:
                chunks.extend(e.output)
                ended = "exit" if e.kind in ("exit", "_exit") else e.kind
                return program.ProgramResult(e.status, program.join_output(chunks), ended, e.signal)
            # __libc_start_main never returns: exit(main(...)) ends in exit_group
            raise RigError(f"musl's __libc_start_main returned {value}: the program did not exit")
        except program._Killed as k:
            return k.result(chunks)
        finally:
            jit.free(block)
            if tables is not None:
                jit.free(tables)

    def _unwind_tables(self) -> Tuple[Optional[int], List[bytes]]:
        """With the C++ runtime: what the unwinder needs to find every module's
        unwind tables in this run (`rig.userland.unwind`), written to a block
        freed after the run; (block or None, extra program headers)."""
        jit = self.jit
        if self.cxx is None:
            return None, []
        ptr = jit.target.pointer_size
        if jit.target.unwind == "dwarf":
            where = jit.resolve(unwind.FRAMES_LIST)
            if where is None:
                return None, []
            fdes = unwind.fde_addresses(jit.modules)
            block = jit.alloc(max(1, len(fdes)) * ptr, 16)
            jit.write(block, b"".join(a.to_bytes(ptr, "little") for a in fdes))
            jit.write(where[0], block.to_bytes(ptr, "little") + (block + len(fdes) * ptr).to_bytes(ptr, "little"))
            return block, []
        at = self._exidx_area(8 * sum(len(unwind.exidx_entries(m)) for m in jit.modules))
        table = unwind.exidx_table(jit.modules, at)
        jit.write(at, table)
        ends = [(p.address, p.end) for m in jit.modules for p in m.layout.placements if "x" in p.item.perms]
        lo, hi = min(a for a, _ in ends), max(b for _, b in ends)
        return None, unwind.ehabi_headers(at, len(table), lo, hi)

    def _exidx_area(self, size: int) -> int:
        """Pages for the merged .ARM.exidx table inside the modules' window (its
        PREL31 fields reach code within ±1 GiB only), kept across runs and
        moved only when the table outgrows them."""
        from ..errors import PlacementError
        from ..layout import page_up
        jit = self.jit
        need = page_up(max(size, 8))
        if self._exidx is None or self._exidx[1] < need:
            if self._exidx is not None:
                jit.process.unmap(*self._exidx)
                jit.space.release(self)
                self._exidx = None
            lo, hi = jit.window
            at = jit.space.find_free(2 * need, lo)       # room to grow before moving again
            if at + 2 * need > hi:
                raise PlacementError(f"no {2 * need:#x} free bytes for the unwind table inside the modules' "
                                     f"window [{lo:#x}, {hi:#x})")
            jit.space.reserve(self, at, at + 2 * need)
            jit.process.map_zeroed(at, 2 * need, "r")
            self._exidx = (at, 2 * need)
        return self._exidx[0]

    def _lay_out(self, argv: List[bytes], envp: List[bytes], extra_phdrs: Sequence[bytes] = ()
                 ) -> Tuple[int, int]:
        """argc's companions as the kernel lays them out: argv, NULL, envp, NULL,
        the auxiliary vector, then the strings and AT_RANDOM's 16 bytes; and, in
        the same block, every loaded module's constructors (in the order the rig
        runs them) and destructors where musl's start and exit code look for them
        (`__init_array_start` ... `__fini_array_end`, which a linker defines)."""
        from .. import program
        jit = self.jit
        ptr = jit.target.pointer_size
        rng = random.Random(self.seed)
        phdrs = self._program_headers() + list(extra_phdrs)
        aux = [(AT_PAGESZ, 4096), (AT_HWCAP, jit.target.hwcap), (AT_CLKTCK, 100), (AT_UID, 0), (AT_EUID, 0),
               (AT_GID, 0), (AT_EGID, 0), (AT_SECURE, 0), (AT_RANDOM, None)]
        if phdrs:
            aux += [(AT_PHDR, "phdr"), (AT_PHENT, len(phdrs[0])), (AT_PHNUM, len(phdrs))]
        aux.append((AT_NULL, 0))
        self._write_lists(program)
        words = len(argv) + 1 + len(envp) + 1 + 2 * len(aux)
        strings = bytearray(rng.getrandbits(8) for _ in range(16))
        phdr_at = len(strings)
        strings += b"".join(phdrs)
        strings += bytes(-len(strings) % ptr)
        size = words * ptr + len(strings) + sum(len(s) + 1 for s in argv + envp)
        block = jit.alloc(size, 16)
        text = block + words * ptr
        pointers = []
        for s in argv + [None] + envp + [None]:
            if s is None:
                pointers.append(0)
                continue
            pointers.append(text + len(strings))
            strings += s + b"\0"
        for key, value in aux:
            pointers += [key, text if value is None else text + phdr_at if value == "phdr" else value]
        jit.write(block, b"".join(p.to_bytes(ptr, "little") for p in pointers) + bytes(strings))
        return block, block

    def _fresh_data(self) -> None:
        """Every module's writable sections back to their linked bytes, as a new
        exec would map them: musl's FILEs, errno, malloc state and the program's
        globals do not carry over from the last run (libc stays loaded across
        runs, so a warm trial costs a placement of the program, not of libc)."""
        from ..layout import GOT
        jit = self.jit
        for m in jit.modules:
            for p in m.layout.placements:
                if "w" in p.item.perms and p.item.key != GOT and p.item.size:
                    data = m.image.sections.get(p.item.key)
                    if data is not None:
                        jit.process.write(p.address, bytes(data))

    def _program_headers(self) -> List[bytes]:
        """The program headers a static executable of the loaded modules would have
        that musl reads: PT_TLS, the TLS image `rig.tls` laid out (musl's
        __init_tls copies it into the thread's block it makes, at the offsets the
        rig's TLS relocations used); none when no module has thread-locals."""
        import struct
        tls = self.jit.tls
        if tls.area is None:
            return []
        pt = tls.pt_tls
        PT_TLS, PF_R = 7, 4
        if self.jit.target.pointer_size == 8:      # Elf64_Phdr
            return [struct.pack("<IIQQQQQQ", PT_TLS, PF_R, 0, pt.vaddr, pt.vaddr, pt.filesz, pt.memsz, pt.align)]
        return [struct.pack("<IIIIIIII", PT_TLS, 0, pt.vaddr, pt.vaddr, pt.filesz, pt.memsz, PF_R, pt.align)]

    def _write_lists(self, program) -> None:
        """Constructors then destructors in one area kept across runs (moved, and
        libc relinked, only when the lists change size: warm trials relink nothing)."""
        jit = self.jit
        ptr = jit.target.pointer_size
        inits = [i.pointer for i in program.initializers(jit, "init")]
        register = jit.resolve(unwind.REGISTER_FN) if self.cxx is not None else None
        if register is not None:        # frames registered before any constructor can throw
            inits.insert(0, register[0] | int(register[1]))
        # musl's exit walks the fini array from its end: stored reversed, they run in the rig's order
        finis = [i.pointer for i in program.initializers(jit, "fini")][::-1]
        n = len(inits) + len(finis)
        # The process's own data page is unused with musl (its FILEs are musl's): the lists
        # live there, at a fixed address; a longer list goes to the heap for this run.
        room = (PAGE - _LISTS_AT) // ptr
        at = jit.process.data_base + _LISTS_AT if n <= room else jit.alloc(n * ptr, 16)
        jit.write(at, b"".join(p.to_bytes(ptr, "little") for p in inits + finis))
        symbols = {"__init_array_start": at, "__init_array_end": at + len(inits) * ptr,
                   "__fini_array_start": at + len(inits) * ptr, "__fini_array_end": at + n * ptr}
        if any(jit.process.data_symbols.get(k) != a for k, a in symbols.items()):
            jit.process.data_symbols.update(symbols)
            jit.relink(symbols)              # libc's start and exit code read them

