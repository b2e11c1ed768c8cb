"""What a target is: the data and small pure functions the core asks for.

The core (`rig.link`, `rig.layout`, `rig.process`) never tests which
architecture it runs for; it reads a `Target`.  A relocation type is one
`Howto` row: an `Expr` (what value, the lld `RelExpr` idea) and a `Field`
(how that value is written into the instruction or data word, with its range
and alignment check).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence, Tuple


class Expr(enum.Enum):
    """The value a relocation needs, in the psABI notation.

    S symbol address, A addend, P place, T Thumb bit, G(S) the symbol's GOT
    slot, GOT the GOT's base, L(S) the symbol's stub, Z the symbol's size,
    Page(x) = x & ~0xfff.
    """

    NONE = "none"                 #: nothing is written
    ABS = "S + A"                 #: absolute
    PC = "S + A - P"              #: pc-relative
    BRANCH = "S + A - P (or L + A - P)"  #: a branch: direct when in reach, else through a stub
    GOT = "G(S) + A"              #: absolute address of the GOT slot
    GOT_PC = "G(S) + A - P"       #: pc-relative to the GOT slot
    GOT_REL = "G(S) + A - GOT"    #: GOT slot relative to the GOT base
    GOT_BASE_PC = "GOT + A - P"   #: pc-relative to the GOT base
    GOT_OFF = "S + A - GOT"       #: symbol relative to the GOT base
    PAGE_PC = "Page(S + A) - Page(P)"          #: ADRP
    GOT_PAGE_PC = "Page(G(S) + A) - Page(P)"   #: ADRP to the GOT slot
    GOT_PAGE_OFF = "G(S) + A - Page(GOT)"      #: GOT slot from the GOT's page
    SIZE = "Z + A"                #: symbol size


#: The expressions that need a GOT slot for their symbol.
GOT_SLOT_EXPRS = frozenset({Expr.GOT, Expr.GOT_PC, Expr.GOT_REL, Expr.GOT_PAGE_PC,
                            Expr.GOT_PAGE_OFF})
#: The expressions that need the GOT to exist (its base), if not a slot.
GOT_BASE_EXPRS = GOT_SLOT_EXPRS | {Expr.GOT_BASE_PC, Expr.GOT_OFF}


@dataclass(frozen=True)
class Field:
    """Where a relocation's value goes and which values fit there.

    `encode(word, value)` returns `word` with the field replaced (other bits kept);
    `addend(word)` reads the implicit addend of a REL relocation from the field.
    `prepare(value)` adjusts the value before the check, as an instruction needs
    (Thumb BLX rounds its target).  `exchanges(word)` tells whether the
    instruction as written changes state (a BLX): for a target that is not a
    function the linker keeps the instruction as written (aaelf32 interworks
    only for STT_FUNC symbols).  The value must lie in `[lo, hi)` and be a
    multiple of `align`; `lo is None` means no check (the `_NC` forms).
    """

    name: str
    size: int
    encode: Callable[[int, int], int]
    addend: Optional[Callable[[int], int]] = None
    lo: Optional[int] = None
    hi: Optional[int] = None
    align: int = 1
    prepare: Optional[Callable[[int], int]] = None
    exchanges: Optional[Callable[[int], bool]] = None  #: the instruction as written changes state (BLX)

    def fits(self, value: int) -> bool:
        """True when `value` is in range and aligned for this field."""
        if self.lo is not None and not (self.lo <= value < self.hi):
            return False
        return value % self.align == 0

    def range_text(self) -> str:
        """The allowed range, for error messages."""
        parts = []
        if self.lo is not None:
            parts.append(f"[{_num(self.lo)}, {_num(self.hi)})")
        if self.align > 1:
            parts.append(f"multiple of {self.align}")
        return ", ".join(parts) or "any"


def _num(v: int) -> str:
    return f"-{-v:#x}" if v < 0 else f"{v:#x}"


def signed(bits: int, shift: int = 0) -> dict:
    """Range keywords for a signed field of `bits` bits holding value >> shift."""
    return {"lo": -(1 << (bits + shift - 1)), "hi": 1 << (bits + shift - 1), "align": 1 << shift}


def unsigned(bits: int, shift: int = 0) -> dict:
    """Range keywords for an unsigned field."""
    return {"lo": 0, "hi": 1 << (bits + shift), "align": 1 << shift}


def either(bits: int) -> dict:
    """Range keywords for a data word that may hold a signed or an unsigned value."""
    return {"lo": -(1 << (bits - 1)), "hi": 1 << bits}


def sign_extend(value: int, bits: int) -> int:
    """Interpret the low `bits` bits of `value` as two's complement."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def word(size: int, check: Optional[dict] = None, name: str = "") -> Field:
    """A whole little-endian data word of `size` bytes."""
    mask = (1 << (8 * size)) - 1
    return Field(name or f"word{8 * size}", size,
                 encode=lambda w, v: v & mask,
                 addend=lambda w: sign_extend(w, 8 * size),
                 **(check or {}))


@dataclass(frozen=True)
class Howto:
    """One relocation type: its name and number, the value and the field.

    `thumb_bit` ORs T into S + A (ARM).  `stub_state` names the instruction set
    of the branch's caller when it may go through a stub; `same_state` says the
    instruction cannot change state (a B, not a BL), so a target in the other
    state must go through a stub.  `pc_bias` is the part of a branch's addend
    that only accounts for where the CPU's PC points: the branch's destination
    is S + A - pc_bias, which is where its stub must go.
    """

    name: str
    type: int
    expr: Expr
    field: Optional[Field]
    thumb_bit: bool = False
    stub_state: Optional[str] = None
    same_state: bool = False
    doc: str = ""
    pc_bias: int = 0    #: what the addend holds for the PC offset (-8 ARM, -4 Thumb and x86 calls)


@dataclass(frozen=True)
class ArgClass:
    """How the calling convention passes one value.

    `kind` is "int" or "float"; `size` in bytes (1..16); `align` for pairs
    and stack slots.
    """

    kind: str
    size: int


@dataclass(frozen=True)
class CallingConvention:
    """The parameters that separate the three C calling conventions.

    The algorithm in `rig.callconv` reads these; nothing else differs.
    """

    int_args: Sequence[str]        #: argument registers, in order
    float_args: Sequence[str]      #: FP argument registers (d-sized names)
    int_ret: Sequence[str]         #: integer result registers
    float_ret: str                 #: FP result register (d-sized name)
    stack_pointer: str
    return_address: Optional[str]  #: link register, or None when pushed (x86)
    stack_align: int
    stack_slot: int                #: minimum size of a stack argument
    pair_align: bool = False       #: 64-bit values start at an even register (AAPCS)
    vfp_backfill: bool = False     #: AAPCS: floats back-fill single registers
    variadic_floats_in_int: bool = False  #: AAPCS-VFP: variadic FP goes in core registers
    float_count_reg: Optional[str] = None  #: x86-64: %al = vector registers used
    stack_arg_align_cap: int = 16  #: max alignment of a stack slot


@dataclass(frozen=True)
class Target:
    """Everything the core needs to know about one architecture and state."""

    name: str
    description: str
    triple: str
    elf_machine: str
    elf_class: int
    pointer_size: int
    uc_arch: int
    uc_mode: int
    cs_arch: int
    cs_mode: int
    registers: Mapping[str, int]          #: name -> Unicorn register id
    pc: str
    address_space: tuple                  #: [lo, hi) that user space gets
    code_models: Mapping[str, int]        #: model -> window all sections must fit in
    relocations: Mapping[int, Howto]
    rela: bool
    cc: CallingConvention
    stub_size: int
    stub_align: int
    write_stub: Callable[[str, int, int], bytes]   #: (state, stub address, target|T) -> bytes
    stub_target: Callable[[bytes], int]             #: the target|T a stub written by `write_stub` reaches
    host_slot: bytes                      #: a host function's slot: returns to the caller
    default_state: str                    #: the instruction set compiled code is in
    fault_registers: Sequence[str] = ()   #: shown in a fault report, in order
    enable_fp: Callable[[object], None] = lambda uc: None
    cs_modes: Mapping[str, int] = field(default_factory=dict)  #: state -> capstone mode
    state_of: Callable[[object], str] = lambda uc: ""          #: the state a stopped CPU is in
    code_model_default: str = "small"
    interworking: bool = False   #: bit 0 of a function symbol's value marks Thumb code (ARM)
    code_align: int = 1          #: least alignment of a code section (the instruction size)
    thumb_code_align: int = 2    #: ... of a section whose functions are all Thumb (interworking targets)
    #: how clang (zig cc) is told to build for this target: a <arch>-linux-musl triple, so C sees
    #: musl's standard headers (compiling needs no libc build)
    clang_args: Sequence[str] = ()

    def code_pointer(self, value: int) -> Tuple[int, bool]:
        """(address, thumb) a function pointer's value stands for: on interworking
        targets bit 0 marks Thumb code (a pointer to `main` or a constructor in .init_array)."""
        if self.interworking:
            return value & ~1, bool(value & 1)
        return value, False

    def howto(self, type_: int) -> Optional[Howto]:
        """The table row for a relocation type number, or None."""
        return self.relocations.get(type_)
