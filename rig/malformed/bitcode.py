"""Hostile bitcode and random bytes.

Bitcode: a valid module's bitcode (from llvmlite, with the target's triple)
with bits flipped, bytes set, words overwritten with huge values (block
lengths and abbreviation widths live in 32-bit words), ranges deleted or
doubled, or cut short.  The magic is usually kept, so the bytes reach the
bitcode reader rather than the IR parser.

Random bytes: nothing at all, or a recognisable start (ELF magic with this
target's class and machine, a bitcode magic, an `ar` archive's, IR's
`define`) and then noise, so each front door gets its share.
"""
from __future__ import annotations

from typing import Tuple

from ._choice import Choice
from .elf import HUGE


def _flip(data: bytearray, choice: Choice) -> str:
    n = choice.integer(1, 16)
    for _ in range(n):
        at = choice.integer(0, len(data) - 1)
        data[at] ^= 1 << choice.integer(0, 7)
    return f"{n} bit flips"


def _bytes(data: bytearray, choice: Choice) -> str:
    n = choice.integer(1, 8)
    at = choice.integer(0, max(0, len(data) - n))
    data[at:at + n] = choice.data(n)
    return f"{n} bytes set at {at}"


def _word(data: bytearray, choice: Choice) -> str:
    at = 4 * choice.integer(0, max(0, len(data) // 4 - 1))
    value = choice.pick(HUGE + (0, 1, 0xFFFF, 0x10000))
    data[at:at + 4] = (value & 0xFFFFFFFF).to_bytes(4, "little")
    return f"word at {at} -> {value & 0xFFFFFFFF:#x}"


def _delete(data: bytearray, choice: Choice) -> str:
    at = choice.integer(4, max(4, len(data) - 1))
    n = choice.integer(1, 64)
    del data[at:at + n]
    return f"{n} bytes deleted at {at}"


def _double(data: bytearray, choice: Choice) -> str:
    at = choice.integer(4, max(4, len(data) - 1))
    n = choice.integer(1, 64)
    data[at:at] = data[at:at + n]
    return f"{n} bytes doubled at {at}"


def _truncate(data: bytearray, choice: Choice) -> str:
    at = choice.integer(0, len(data) - 1)
    del data[at:]
    return f"truncated to {at} bytes"


MUTATIONS = (("bit flips", _flip), ("bytes", _bytes), ("word", _word), ("delete", _delete),
             ("double", _double), ("truncation", _truncate))


def mutate(data: bytes, choice: Choice) -> Tuple[bytes, str]:
    """Valid bitcode `data` with one to three mutations, and what they were."""
    out = bytearray(data)
    said = []
    for _ in range(choice.pick((1, 1, 2, 3))):
        if len(out) < 8:
            break
        name, fn = choice.pick(MUTATIONS)
        said.append(fn(out, choice))
    return bytes(out), "; ".join(said)


def random_bytes(target, choice: Choice) -> Tuple[bytes, str]:
    """Noise behind one of the recognisable starts; `target` (a `targets.base.Target`)
    gives the ELF header its class and machine, so the machine check passes."""
    from elftools.elf.enums import ENUM_E_MACHINE
    machine = ENUM_E_MACHINE.get(target.elf_machine, 0)
    elf_head = (b"\x7fELF" + bytes([target.elf_class // 32, 1, 1]) + bytes(9)
                + (1).to_bytes(2, "little") + machine.to_bytes(2, "little"))
    starts = (("nothing", b""), ("ELF header", elf_head), ("ELF magic", b"\x7fELF"), ("bitcode", b"BC\xc0\xde"),
              ("bitcode wrapper", b"\xde\xc0\x17\x0b"), ("ar archive", b"!<arch>\n"), ("IR", b"define "),
              ("a lone DEL", b"\x7f"))
    what, start = choice.pick(starts)
    size = choice.pick((0, 1, 3, 16, 52, 64, 100, 1000, 4096))
    return start + choice.data(size), f"{what} + {size} random bytes"
