"""The thread's static TLS block: the program's TLS image, laid out as a static linker would.

One `Jit` runs one thread, which owns one static TLS block.  Each loaded
module's thread-local sections (.tdata, .tbss and their `-fdata-sections`
kin) get offsets in one program-wide TLS image as they load, like the input
sections of a static executable's PT_TLS segment.  The layout, in one place:

Image (what PT_TLS describes; `StaticTls.pt_tls`):
    p_vaddr  = `address`: where the rig keeps a pristine copy of the image
               in remote memory (read-only), aligned to `align`;
    p_memsz  = `size`: the block's fixed capacity (default 64 KiB, a
               multiple of `align`), so that no offset moves when a later
               module adds to the image;
    p_filesz = `filesz`: up to the end of the last initialised section;
    p_align  = `align` (64): the largest alignment a TLS section may ask for.
    A module's sections go after the modules loaded before it, its
    initialised (PROGBITS) ones first, then its NOBITS ones, each at its own
    alignment; the module starts at its largest section alignment.  S of a
    TLS symbol is its address in this image.

Thread pointer (`tp`) and a symbol at image offset o (lld's `getTlsTpOffset`
for that PT_TLS; Drepper, "ELF Handling For Thread-Local Storage", 3.4.6):
    variant 1 (ARM, AArch64): TP + alignTo(tcb, align) + o, with tcb the
        target's two words (8 on ARM, 16 on AArch64) at TP;
    variant 2 (x86-64): TP - size + o; the word at TP holds TP itself.
    The image address TP stands for is `tp_image` (variant 1: address -
    alignTo(tcb, align); variant 2: address + size); a TP offset is
    S - tp_image, a DTP offset S - address.

Remote memory: one reserved area, "the static TLS block": a page of code
(the TLSDESC resolver, where the target has one), the pristine image, then
the thread's block (TCB and TLS as above).  The thread pointer register is
set once, when the area is made; a module's initial image is copied into
the block when it loads (its .tbss is zero), and on a relink only the bytes
its relocations write there are refreshed, so the thread's values persist.

The dynamic models run without relaxation: `__tls_get_addr` (a host
function) answers a GD/LD GOT pair (module 1, DTP offset) with
TP + (address - tp_image) + offset, reading the thread pointer register as
the code does; a TLSDESC GOT pair holds (the resolver, TP offset) and the
resolver returns its second word; `__aeabi_read_tp` returns the register.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from targets.base import Target

from ._cache import LRU
from .errors import HostFunctionError, PlacementError
from .layout import PAGE, AddressSpace, Layout, TlsImage, align_up, page_up
from .objfile import ObjectFile
from .runtime.host import HostFunction

DEFAULT_SIZE = 1 << 16     #: bytes of thread-local storage the static block holds (p_memsz)
ALIGN = 64                 #: the image's p_align: the largest alignment a TLS section may have
OWNER = "the static TLS block"


@dataclass(frozen=True)
class PtTls:
    """The PT_TLS program header of the image, as a static linker writes it."""

    vaddr: int
    filesz: int
    memsz: int
    align: int


def module_image(obj: ObjectFile, exclude: frozenset = frozenset()) -> Tuple[Dict[int, int], int, int, int]:
    """(section -> offset, size, alignment, end of the initialised part) of one
    object's TLS sections laid out together: PROGBITS ones first, then NOBITS
    ones, in object order, each at its alignment (offsets from the module's start)."""
    sections = [s for s in obj.sections if s.tls and s.index not in exclude]
    offsets: Dict[int, int] = {}
    cursor, align, init_end = 0, 1, 0
    for s in [s for s in sections if not s.nobits] + [s for s in sections if s.nobits]:
        cursor = align_up(cursor, s.align)
        offsets[s.index] = cursor
        cursor += s.size
        align = max(align, s.align)
        if not s.nobits:
            init_end = cursor
    return offsets, cursor, align, init_end


@dataclass
class _Region:
    """One module's part of the image: [base, end) in image offsets."""

    image: TlsImage
    base: int
    end: int
    init_end: int
    installed: bool = False          #: its initial image is in the thread's block


class StaticTls:
    """The static TLS block of a `Jit`'s one thread (see the module docstring).

    Made lazily: nothing is reserved or mapped until a module with
    thread-local storage loads (or `ensure` is called).
    """

    def __init__(self, target: Target, space: AddressSpace, process, size: int = DEFAULT_SIZE,
                 align: int = ALIGN):
        if size % align or align & (align - 1) or align > PAGE:
            raise PlacementError(f"a static TLS block of {size:#x} bytes aligned to {align} is not a multiple of "
                                 f"a power-of-two alignment of at most a page")
        self.target, self.space, self.process = target, space, process
        self.abi = target.tls
        self.size, self.align = size, align
        self.area: Optional[Tuple[int, int]] = None      #: [start, end) of the reserved area, once made
        self.address = 0          #: the pristine image (p_vaddr)
        self.tp = 0               #: the thread pointer the rig set
        self.tp_image = 0         #: the image address TP stands for
        self.resolver = 0         #: the static TLSDESC resolver (0: none)
        self._runs: tuple = ()
        self._regions: List[_Region] = []

    # -- the layout ---------------------------------------------------------------

    @property
    def block(self) -> int:
        """Where the image's first byte lives in the thread's block (the module blocks' base)."""
        return self.live(self.address)

    @property
    def filesz(self) -> int:
        """Bytes of the image that hold initial values (the rest starts as zero)."""
        return max((r.base + r.init_end for r in self._regions if r.init_end), default=0)

    @property
    def pt_tls(self) -> PtTls:
        """The PT_TLS header a static executable with this image would have."""
        return PtTls(self.address, self.filesz, self.size, self.align)

    @property
    def image(self) -> bytes:
        """The initial image (p_filesz bytes from p_vaddr), as a loader would copy it."""
        return self.process.read(self.address, self.filesz) if self.area and self.filesz else b""

    def live(self, image_address: int) -> int:
        """Where the thread's copy of the image byte at `image_address` is."""
        return self.tp + (image_address - self.tp_image)

    def tp_offset(self, image_address: int) -> int:
        """The TP offset of an image address (what local-exec code adds to the thread pointer)."""
        return image_address - self.tp_image

    # -- the area ----------------------------------------------------------------------

    def ensure(self, undo=None, avoid: Optional[Layout] = None) -> None:
        """Reserve and map the area, and set the thread pointer (once); away from `avoid`, a
        layout chosen but not yet reserved (the module whose load makes the area)."""
        if self.area is not None:
            return
        if self.abi is None:
            raise PlacementError(f"target {self.target.name} has no thread-local storage ABI")
        abi = self.abi
        code = abi.tlsdesc_resolver
        code_size = PAGE if code else 0
        image_size = page_up(self.size)
        lead = align_up(abi.tcb_size, self.align) if abi.variant == 1 else 0
        block_size = page_up(lead + self.size + (abi.tcb_size if abi.variant == 2 else 0))
        total = code_size + image_size + block_size
        chosen = object()
        for p in avoid.placements if avoid is not None else ():
            self.space.reserve(chosen, p.address, max(p.end, p.address + 1))
        try:
            start = self.space.find_free(total + 2 * PAGE) + PAGE      # a free page either side
        finally:
            self.space.release(chosen)
        self.space.reserve(OWNER, start, start + total)
        image, block = start + code_size, start + code_size + image_size
        runs = ([(start, code_size, "rx")] if code else []) + [(image, image_size, "r"), (block, block_size, "rw")]
        old_tp = self.process.read_register(abi.register)
        try:
            self.process.map_runs(runs, [(start, code)] if code else [])
        except Exception:
            self.space.release(OWNER)
            raise
        self.area, self._runs, self.address = (start, start + total), tuple(runs), image
        self.resolver = start if code else 0
        if abi.variant == 1:
            self.tp, self.tp_image = block, image - lead
        else:
            self.tp, self.tp_image = block + self.size, image + self.size
            self.process.write(self.tp, self.tp.to_bytes(self.target.pointer_size, "little"))   # the TCB's self-pointer
        self.process.write_register(abi.register, self.tp)
        if undo is not None:
            undo(self._unmake, old_tp)

    def _unmake(self, old_tp: int) -> None:
        self.process.unmap_runs(self._runs)
        self.space.release(OWNER)
        self.process.write_register(self.abi.register, old_tp)
        self.area, self._runs, self.address, self.tp, self.tp_image, self.resolver = None, (), 0, 0, 0, 0

    # -- modules -----------------------------------------------------------------------

    def assign(self, lay: Layout, obj: ObjectFile, exclude: frozenset = frozenset(), undo=None) -> Layout:
        """`lay` with the object's place in the TLS image (`Layout.tls`), after the
        modules already there; `lay` itself when the object has no thread-local storage."""
        if not obj.needs_tls:
            return lay
        self.ensure(undo, avoid=lay)
        offsets, size, align, init_end = module_image(obj, exclude)
        if align > self.align:
            big = max((s for s in obj.sections if s.tls), key=lambda s: s.align)
            raise PlacementError(f"{obj.name}: thread-local section {big.name} asks for alignment {big.align}, "
                                 f"more than the static TLS block's {self.align}")
        end = max((r.end for r in self._regions), default=0)
        base = align_up(end, align)
        if base + size > self.size:
            raise PlacementError(f"{obj.name}: its {size:#x} bytes of thread-local storage do not fit the static "
                                 f"TLS block: {self.size - min(end, self.size):#x} of {self.size:#x} bytes are left")
        image = TlsImage({sec: self.address + base + off for sec, off in offsets.items()}, self.tp_image,
                         self.address, 1, self.resolver, self.size, self.align)
        region = _Region(image, base, base + size, init_end)
        self._regions.append(region)
        if undo is not None:
            undo(self._regions.remove, region)
        return replace(lay, tls=image)

    @staticmethod
    def carry(old: Layout, new: Layout) -> Layout:
        """`new` (a module's layout after a remap) with `old`'s place in the TLS image."""
        return replace(new, tls=old.tls) if old.tls is not None else new

    def release(self, image: Optional[TlsImage]) -> None:
        """Give back an unloaded module's part of the image (its offsets are reused
        once nothing after them is still in use)."""
        region = self._region(image)
        if region is None:
            return
        self._regions.remove(region)
        self.process.write(self.address + region.base, bytes(region.end - region.base))

    def install(self, lay: Layout, image, undo=None) -> None:
        """Copy a linked module's TLS sections into the pristine image and, the first
        time, into the thread's block; after a relink only the bytes its relocations
        wrote in them (the thread's own values stay)."""
        region = self._region(lay.tls)
        if region is None:
            return
        sites = _sites(image.obj)
        writes = []
        for sec, address in lay.tls.sections.items():
            data = bytes(image.sections[sec])
            writes.append((address, data))
            live = self.live(address)
            if not region.installed:
                writes.append((live, data))
            else:
                writes += [(live + off, data[off:off + size]) for off, size in sites.get(sec, ())]
        if undo is not None:
            saved = [(a, self.process.read(a, len(d))) for a, d in writes if d]
            undo(self._restore, region, region.installed, saved)
        for a, d in writes:
            if d:
                self.process.write(a, d)
        region.installed = True

    def _restore(self, region: _Region, installed: bool, saved) -> None:
        for a, d in saved:
            self.process.write(a, d)
        region.installed = installed

    def _region(self, image: Optional[TlsImage]) -> Optional[_Region]:
        return next((r for r in self._regions if r.image is image), None) if image is not None else None

    # -- the runtime's side ---------------------------------------------------------------

    def host_functions(self) -> Dict[str, HostFunction]:
        """`__tls_get_addr` and `__aeabi_read_tp`, answering from this block."""
        return {"__tls_get_addr": HostFunction.of("__tls_get_addr", "ptr(ptr)", self._tls_get_addr),
                "__aeabi_read_tp": HostFunction.of("__aeabi_read_tp", "ptr()", self._read_tp)}

    def _read_tp(self, ctx) -> int:
        """The thread pointer (ARM RTABI: preserves every register but r0)."""
        return self.process.read_register(self.abi.register) if self.abi is not None else 0

    def _tls_get_addr(self, ctx, index: int) -> int:
        """The address of (module, offset) = the tls_index at `index` in this thread."""
        ptr = ctx.pointer_size
        raw = ctx.read(index, 2 * ptr)
        module, offset = int.from_bytes(raw[:ptr], "little"), int.from_bytes(raw[ptr:], "little")
        if self.area is None or module != 1:
            raise HostFunctionError(f"__tls_get_addr({index:#x}): no TLS module {module} (the static TLS image is "
                                    f"module 1{'' if self.area else ', and no module with TLS is loaded'})")
        tp = self._read_tp(ctx)
        return (tp + (self.address - self.tp_image) + offset) & ((1 << (8 * ptr)) - 1)


_SITES = LRU(256)     # id(object) -> (object, {TLS section: ((offset, size), ...)})


def _sites(obj: ObjectFile) -> Dict[int, tuple]:
    """Where the object's relocations write inside its TLS sections."""
    hit = _SITES.get(id(obj))
    if hit is None or hit[0] is not obj:
        tls = {s.index for s in obj.sections if s.tls}
        out: Dict[int, list] = {}
        for r in obj.relocations:
            if r.section in tls and r.howto.field is not None:
                out.setdefault(r.section, []).append((r.offset, r.howto.field.size))
        hit = _SITES[id(obj)] = (obj, {k: tuple(v) for k, v in out.items()})
    return hit[1]
