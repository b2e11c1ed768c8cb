"""What the remote unwinder needs to find every loaded module's unwind tables.

A static link hands the unwinder one image: `.eh_frame` behind a
`PT_GNU_EH_FRAME` index, or one sorted `.ARM.exidx` table behind
`PT_ARM_EXIDX`.  The rig's modules are placed one by one, so it does what a
JIT's memory manager and a linker do instead, per the target's `unwind`:

* "dwarf" (x86-64, AArch64): every FDE of every module's `.eh_frame` is
  registered with libunwind through `__register_frame` (RuntimeDyld's
  `registerEHFrames` with libunwind: one call per FDE), by a constructor that
  runs first in every process (`REGISTER_IR`), from a list the rig writes
  at each start, so an unloaded module is gone and a remapped one is found
  at its new address.  An FDE describing a COMDAT function another module
  keeps is left out, as lld drops it.
* "ehabi" (ARM, Thumb): the `.ARM.exidx` entries of every module, merged and
  sorted by function address into one table (PREL31 fields re-encoded for
  the table's own address), with `EXIDX_CANTUNWIND` entries closing every
  code section, as lld's synthetic exidx section has; musl's
  `dl_iterate_phdr` reports it as `PT_ARM_EXIDX` in the auxiliary vector's
  program headers, with one `PT_LOAD` spanning the loaded code.
"""
from __future__ import annotations

import struct
from typing import Dict, List, Tuple

from ..errors import BadObject, PlacementError
from .._cache import LRU

#: The registration constructor, loaded with the C++ runtime on "dwarf" targets:
#: `__rig_eh_frames` holds [first, end) of the FDE address list the rig writes.
REGISTER_IR = """
declare void @__register_frame(ptr)
@__rig_eh_frames = global [2 x ptr] zeroinitializer
define void @__rig_register_frames() nounwind {
entry:
  %b = load ptr, ptr @__rig_eh_frames
  %e = load ptr, ptr getelementptr ([2 x ptr], ptr @__rig_eh_frames, i32 0, i32 1)
  br label %loop
loop:
  %p = phi ptr [ %b, %entry ], [ %n, %body ]
  %done = icmp eq ptr %p, %e
  br i1 %done, label %out, label %body
body:
  %f = load ptr, ptr %p
  call void @__register_frame(ptr %f)
  %n = getelementptr ptr, ptr %p, i32 1
  br label %loop
out:
  ret void
}
"""
REGISTER_FN, FRAMES_LIST = "__rig_register_frames", "__rig_eh_frames"
EXIDX_CANTUNWIND = 1
PT_LOAD, PT_ARM_EXIDX = 1, 0x70000001
PF_X, PF_R = 1, 4

_FDES = LRU(1024)       # (id(object), exclude) -> (object, [(section index, FDE offset)])


def fde_offsets(obj, exclude: frozenset) -> List[Tuple[int, int]]:
    """(section index, offset) of every FDE in `obj`'s `.eh_frame` sections
    that describes a function this module keeps; parsed once per object."""
    key = (id(obj), exclude)
    hit = _FDES.get(key)
    if hit is not None and hit[0] is obj:
        return hit[1]
    dead = {s.index for s in obj.symbols if s.kind == "defined" and s.section in exclude}
    out = []
    for sec in obj.sections:
        if sec.name != ".eh_frame" or sec.index in exclude or not sec.size:
            continue
        pc_begin = {r.offset: r.symbol for r in obj.relocations if r.section == sec.index}
        data = sec.data
        off = 0
        while off + 4 <= len(data):
            length = int.from_bytes(data[off:off + 4], "little")
            if length == 0:
                break                       # the terminator
            head = 4
            if length == 0xFFFFFFFF:        # a 64-bit length
                length = int.from_bytes(data[off + 4:off + 12], "little")
                head = 12
            end = off + head + length
            if end > len(data):
                raise BadObject(f"{obj.name}: .eh_frame+{off:#x}: a record of {length} bytes runs past the "
                                f"section's end ({len(data)} bytes)")
            cie_id = int.from_bytes(data[off + head:off + head + 4], "little")
            if cie_id != 0 and pc_begin.get(off + head + 4) not in dead:
                out.append((sec.index, off))
            off = end
    _FDES[key] = (obj, out)
    return out


def fde_addresses(modules) -> List[int]:
    """Where every kept FDE of the loaded `modules` lies now."""
    out = []
    for m in modules:
        offsets = fde_offsets(m.object, m.exclude)
        if offsets:
            where = {p.item.key: p.address for p in m.layout.placements}
            out += [where[i] + off for i, off in offsets if i in where]
    return out


def _prel31(word: int, place: int) -> int:
    v = word & 0x7FFFFFFF
    if v & 0x40000000:
        v -= 0x80000000
    return (place + v) & 0xFFFFFFFF


_EXIDX = LRU(1024)      # (id(module), id(layout), id(image)) -> (layout, image, entries)


def exidx_entries(module) -> List[Tuple[int, int, bool]]:
    """(function address, second word, is the second word an address) of every
    `.ARM.exidx` entry of a loaded module, read from its linked bytes, plus a
    CANTUNWIND entry at the end of each code section (and at the start of one
    that has none)."""
    key = (id(module), id(module.layout), id(module.image))
    hit = _EXIDX.get(key)
    if hit is not None and hit[0] is module.layout and hit[1] is module.image:
        return hit[2]
    out: List[Tuple[int, int, bool]] = []
    starts = set()
    for p in module.layout.placements:
        sec = p.item
        if not sec.name.startswith(".ARM.exidx"):
            continue
        data = module.image.sections.get(sec.key)
        if data is None:
            continue
        for at in range(0, len(data) - 7, 8):
            w0, w1 = struct.unpack_from("<II", data, at)
            fn = _prel31(w0, p.address + at)
            if w1 == EXIDX_CANTUNWIND or w1 & 0x80000000:
                out.append((fn, w1, False))
            else:
                out.append((fn, _prel31(w1, p.address + at + 4), True))
            starts.add(fn & ~1)
    for p in module.layout.placements:
        if "x" in p.item.perms and p.item.size:
            if not any(p.address <= s < p.end for s in starts):
                out.append((p.address, EXIDX_CANTUNWIND, False))
            out.append((p.end, EXIDX_CANTUNWIND, False))
    _EXIDX[key] = (module.layout, module.image, out)
    return out


def exidx_table(modules, at: int) -> bytes:
    """The merged `.ARM.exidx` table of `modules`, as it must lie at `at`:
    sorted by function address; where two entries name one address, a real
    entry wins over a section's closing CANTUNWIND."""
    best: Dict[int, Tuple[int, int, bool]] = {}
    for m in modules:
        for fn, w1, is_addr in exidx_entries(m):
            k = fn & ~1
            if k not in best or best[k][1] == EXIDX_CANTUNWIND:
                best[k] = (fn, w1, is_addr)
    out = bytearray()
    for i, k in enumerate(sorted(best)):
        fn, w1, is_addr = best[k]
        place = at + 8 * i
        w0 = _prel31_field(fn, place, "a function")
        if is_addr:
            w1 = _prel31_field(w1, place + 4, "an .ARM.extab entry")
        out += struct.pack("<II", w0, w1)
    return bytes(out)


def _prel31_field(target: int, place: int, what: str) -> int:
    v = target - place
    if not -(1 << 30) <= v < (1 << 30):
        raise PlacementError(f"the merged .ARM.exidx table at {place:#x} cannot reach {what} at {target:#x} "
                             f"(R_ARM_PREL31 reaches ±1 GiB): the modules lie too far apart for one image")
    return v & 0x7FFFFFFF


def ehabi_headers(table_at: int, table_size: int, lo: int, hi: int) -> List[bytes]:
    """Elf32 program headers musl's dl_iterate_phdr reports for the unwinder:
    one PT_LOAD spanning [lo, hi) and the PT_ARM_EXIDX table."""
    return [struct.pack("<IIIIIIII", PT_LOAD, 0, lo, lo, hi - lo, hi - lo, PF_R | PF_X, 4096),
            struct.pack("<IIIIIIII", PT_ARM_EXIDX, 0, table_at, table_at, table_size, table_size, PF_R, 4)]
