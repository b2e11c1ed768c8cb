"""What a target is: the data and small pure functions the core asks for.

The core (`rig.link`, `rig.layout`, `rig.process`) never tests which
architecture it runs for; it reads a `Target`.  A relocation type is one
`Howto` row: an `Expr` (what value, the lld `RelExpr` idea) and a `Field`
(how that value is written into the instruction or data word, with its range
and alignment check).
"""
from __future__ import annotations

import enum
import re
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
    # Thread-local storage (Drepper, "ELF Handling For Thread-Local Storage"; lld's R_TPREL,
    # R_DTPREL, R_GOT_PC of a TLS symbol, R_TLSGD_PC, R_TLSLD_PC, R_TLSDESC*).  S of a TLS
    # symbol is its address in the program's TLS image; TP is the image address the thread
    # pointer stands for, DTP the start of the image (the one static module's TLS block).
    TPREL = "S + A - TP"          #: local-exec: the offset from the thread pointer
    DTPREL = "S + A - DTP"        #: local-dynamic: the offset in the module's TLS block
    GOTTP = "GTP(S) + A"          #: initial-exec: the GOT slot holding S - TP
    GOTTP_PC = "GTP(S) + A - P"   #: initial-exec, pc-relative to that slot
    GOTTP_PAGE_PC = "Page(GTP(S) + A) - Page(P)"   #: initial-exec, ADRP to that slot
    TLSGD_PC = "GGD(S) + A - P"   #: general-dynamic: the GOT pair (module, S - DTP), pc-relative
    TLSLD_PC = "GLD + A - P"      #: local-dynamic: the object's GOT pair (module, 0), pc-relative
    TLSDESC = "GDESC(S) + A"      #: TLS descriptor: the GOT pair (resolver, S - TP)
    TLSDESC_PC = "GDESC(S) + A - P"                #: ... pc-relative
    TLSDESC_PAGE_PC = "Page(GDESC(S) + A) - Page(P)"   #: ... ADRP


#: The expressions that need a GOT slot for their symbol.
GOT_SLOT_EXPRS = frozenset({Expr.GOT, Expr.GOT_PC, Expr.GOT_REL, Expr.GOT_PAGE_PC,
                            Expr.GOT_PAGE_OFF})
#: The expressions that need the GOT to exist (its base), if not a slot.
GOT_BASE_EXPRS = GOT_SLOT_EXPRS | {Expr.GOT_BASE_PC, Expr.GOT_OFF}

#: The GOT entry each expression reaches: "slot" (a word: the symbol's address), "tp" (a
#: word: its TP offset), "gd" (two words: module id, DTP offset), "ld" (two words: module
#: id, 0; one per object, no symbol) or "desc" (two words: resolver, TP offset).
GOT_ENTRY_OF = {**{e: "slot" for e in GOT_SLOT_EXPRS},
                Expr.GOTTP: "tp", Expr.GOTTP_PC: "tp", Expr.GOTTP_PAGE_PC: "tp",
                Expr.TLSGD_PC: "gd", Expr.TLSLD_PC: "ld",
                Expr.TLSDESC: "desc", Expr.TLSDESC_PC: "desc", Expr.TLSDESC_PAGE_PC: "desc"}
#: Words per GOT entry kind.
GOT_ENTRY_WORDS = {"slot": 1, "tp": 1, "gd": 2, "ld": 2, "desc": 2}
#: The expressions that need the thread-local storage image (a TP, a DTP or a TLS GOT entry).
TLS_EXPRS = frozenset({Expr.TPREL, Expr.DTPREL}) | {e for e, k in GOT_ENTRY_OF.items() if k != "slot"}


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
class SyscallAbi:
    """How a Linux program makes a system call on one architecture: data only.

    When the trap fires the process reads the call number from `number` and six
    arguments from `args`, hands them to its kernel (the handlers, Linux's
    semantics, live in `rig.userland`) and writes the answer (a value or -errno)
    to `result`.  `numbers` holds the calls the rig implements, name -> number,
    as the Linux UAPI headers zig ships define them
    (`lib/libc/include/<musl_arch>-linux-musl/bits/syscall.h`; the names of the
    other calls are read from that header, for messages only).
    """

    number: str                           #: register holding the call number
    args: Sequence[str]                   #: the six argument registers, in order
    result: str                           #: register the result (or -errno) goes to
    numbers: Mapping[str, int]            #: name -> number of every call the rig implements
    musl_arch: str                        #: the architecture's name in musl and zig's include tree
    machine: str = ""                     #: what uname reports as the machine ("x86_64", "armv7l", "aarch64")
    insn: Optional[int] = None            #: a Unicorn instruction id for UC_HOOK_INSN (x86-64 `syscall`)
    interrupt: Optional[int] = None       #: else the UC_HOOK_INTR number of the trap (`svc`: 2)
    trap_size: int = 0                    #: bytes from the PC the hook sees to the return address
    #: registers the trap overwrites, (register, source): "next" is the return address
    #: (x86-64 `syscall` leaves it in rcx and the flags in r11)
    clobbers: Sequence[Tuple[str, str]] = ()
    thread_pointer: Optional[str] = None  #: the register (a `Target.registers` name) holding the thread pointer
    #: ARM: (address, contents) of the kuser helper page Linux maps read+exec at 0xffff0000
    kuser_page: Optional[Tuple[int, bytes]] = None
    kuser_tls: Optional[int] = None       #: ARM: the page's software TLS word, which set_tls writes
    #: struct stat as the kernel writes it (fstat/newfstatat, ARM's stat64): field -> (offset, size)
    stat: Mapping[str, Tuple[int, int]] = field(default_factory=dict)
    stat_size: int = 0


@dataclass(frozen=True)
class TlsAbi:
    """Where a thread's static TLS lives relative to its thread pointer, data only.

    Drepper, "ELF Handling For Thread-Local Storage", 3.4.6, and lld's
    `getTlsTpOffset` (lld/ELF/InputSection.cpp), for a PT_TLS image at an
    address aligned to its `p_align`:

    * variant 1 (ARM, AArch64): TP points at a thread control block of
      `tcb_size` bytes (two words); the image follows at
      TP + alignTo(tcb_size, p_align), so a symbol at offset o of the image is
      at TP + alignTo(tcb_size, p_align) + o.
    * variant 2 (x86-64): the image ends at TP: a symbol at offset o is at
      TP - alignTo(p_memsz, p_align) + o; TP points at the TCB, whose first
      word holds TP itself (code reads `%fs:0`); `tcb_size` bytes are reserved there.

    `tlsdesc_resolver` is the code of a static TLS descriptor's resolver: it
    returns the TP offset in the descriptor's second word and preserves every
    other register (empty: the target's compilers emit no descriptors the rig takes).
    """

    variant: int
    register: str                 #: the thread pointer's name in `Target.registers`
    tcb_size: int
    tlsdesc_resolver: bytes = b""


class SiteValues:
    """The numbers a `SiteRecipe`'s formulas read, taken from where the linked
    module's symbols and sections landed (never from the linker's trace): S the
    address of `target` (no Thumb bit), T its Thumb bit, P the place (the
    label `site` plus the recipe's `field_offset`), A the addend, and each drawn
    parameter by name (``v.p["X"]``)."""

    __slots__ = ("S", "T", "P", "A", "p")

    def __init__(self, S: int, T: int, P: int, A: int, params: Mapping[str, int]):
        self.S, self.T, self.P, self.A, self.p = S, T, P, A, dict(params)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v:#x}" if isinstance(v, int) else f", {k}={v}"
                        for k, v in self.p.items() if k != "A")
        return f"S={self.S:#x}, T={self.T}, P={self.P:#x}, A={self.A:#x}{extra}"


def page(x: int) -> int:
    """Page(x) of the AArch64 psABI: x with its low 12 bits cleared."""
    return x & ~0xFFF


@dataclass(frozen=True)
class SiteRecipe:
    """One relocation type made observable by running code (issue 14's
    type-directed generator draws these: `rig.strategies.relocation_sites`).

    `asm` is an assembly file for the target (ziglang's clang assembles it),
    with ``{NAME}`` placeholders filled from `params` (a drawn choice each;
    ``{A}`` is the addend by convention).  It must define:

    * ``probe``: a global function taking no arguments, whose result
      (`signature`, default ``i64()``) depends on the relocated field;
    * ``site``: a label at the relocated place (P = site + `field_offset`),
      in a section named ``.rig.site``;
    * ``target``: the global symbol the site's relocation names, in a section
      named ``.rig.target`` (the generator moves that section to aim the
      field's value), unless the recipe sets `movable` False (an absolute
      symbol, a TLS variable).

    `expect(v)` is what the probe returns (or, with `observe` "word", what the
    `size` bytes at P hold after linking), written by hand from the psABI,
    compared on the low `size` bytes.  `value(v)` is the field's value by the
    psABI formula and `lo`/`hi`/`align` its range by the psABI: a value
    outside must be a `RelocationOverflow` (or, for a `branch`, go through a
    stub and still land).  No `value`: the recipe has no range to check (a
    GOT or TLS route, an _NC half, NONE).  These numbers are the oracle, so
    they are written from the spec, never read from the target's table.
    """

    row: str
    asm: str
    expect: Callable[["SiteValues"], int]
    value: Optional[Callable[["SiteValues"], int]] = None
    lo: Optional[int] = None
    hi: Optional[int] = None
    align: int = 1
    params: Mapping[str, Sequence[int]] = field(default_factory=dict)
    observe: str = "return"           #: "return": the probe's result; "word": the field's bytes after linking
    size: int = 8                     #: bytes of the result (or word) compared
    signature: str = "i64()"
    field_offset: int = 0             #: P - address of `site`
    branch: bool = False              #: out of reach goes through a stub and must still land
    movable: bool = True              #: the generator may move `.rig.target` to aim the value
    name: str = ""                    #: tells several recipes of one row apart
    reloc: str = "static"             #: the relocation model the runtime sees (PIC adds a GOT)
    #: (old, new) relocation type numbers renumbered in the assembled object, for a row no
    #: assembler spells (R_AARCH64_NULL: a `.reloc ., R_AARCH64_NONE` made 256)
    retype: Tuple[Tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        """The row and, when a row has several recipes, which one."""
        return f"{self.row}[{self.name}]" if self.name else self.row

    def fits(self, value: int) -> bool:
        """Whether `value` is in the psABI range this recipe states (True without one)."""
        if self.lo is None:
            return True
        return self.lo <= value <= self.hi and value % self.align == 0


_MAPPING_SYMBOL = re.compile(r"\$[atdx](\..*)?")


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
    #: (instruction, scratch register): the program pad's code, a jump to the address in a
    #: register the calling convention lets a call clobber (x86-64 `jmp r11`, ARM `bx r12`,
    #: AArch64 `br x16`).  The rig puts the next call's address there as well as in the PC
    #: (see `Process._next_step`).
    jump_pad: Tuple[bytes, str] = (b"", "")
    code_align: int = 1          #: least alignment of a code section (the instruction size)
    thumb_code_align: int = 2    #: ... of a section whose functions are all Thumb (interworking targets)
    #: how clang (zig cc) is told to build for this target: a <arch>-linux-musl triple, so C sees
    #: musl's standard headers (compiling needs no libc build)
    clang_args: Sequence[str] = ()
    hwcap: int = 0               #: AT_HWCAP a Linux kernel gives a process on this CPU (musl reads it)
    #: how an unwinder finds a frame's unwind table: "dwarf" (.eh_frame FDEs, registered with the
    #: unwinder as a JIT's memory manager does) or "ehabi" (one sorted .ARM.exidx table that
    #: dl_iterate_phdr's PT_ARM_EXIDX names, as a static link makes it)
    unwind: str = "dwarf"
    #: the widest one statically linked image can be, when less than the code model's window:
    #: ARM's unwind tables reach every function (and the C++ personality routine) with PREL31
    image_span: Optional[int] = None
    syscalls: Optional[SyscallAbi] = None   #: how Linux system calls are made (None: not trapped)
    #: CPU exceptions as Unicorn numbers them (UC_HOOK_INTR) -> (what it is, the signal Linux
    #: kills a process with for it).  One not listed is SIGILL; memory faults (SIGSEGV) and
    #: invalid instructions (SIGILL) never come this way.
    traps: Mapping[int, Tuple[str, int]] = field(default_factory=dict)
    tls: Optional[TlsAbi] = None            #: the thread pointer and the static TLS layout (None: no TLS)
    #: the ELF ABI's mapping symbols ($a, $t, $d, $x, optionally ".suffix": AAELF32 and AAELF64)
    #: mark where code of one kind or data starts; they name no function or object
    mapping_symbols: bool = False
    #: mapping symbol -> the instruction set the code after it is in ("$t" -> "thumb"); one not
    #: listed ($d) marks data.  Empty: all code is in `default_state`.
    mapping_states: Mapping[str, str] = field(default_factory=dict)
    #: "module:attribute" of this target's `SiteRecipe`s (a sequence), imported on first
    #: use by `site_recipes`: the type-directed generator's snippets, one or more per row
    sites: str = ""

    def site_recipes(self) -> Sequence["SiteRecipe"]:
        """This target's `SiteRecipe`s (empty when it has none)."""
        if not self.sites:
            return ()
        import importlib
        module, attr = self.sites.split(":")
        return getattr(importlib.import_module(module), attr)

    def is_mapping_symbol(self, name: str) -> bool:
        """Whether `name` is a mapping symbol (never shown as the place of an address)."""
        return self.mapping_symbols and _MAPPING_SYMBOL.fullmatch(name) is not None

    def code_pointer(self, value: int) -> Tuple[int, bool]:
        """(address, thumb) a function pointer's value stands for: on interworking
        targets bit 0 marks Thumb code (a pointer to `main` or a constructor in .init_array)."""
        if self.interworking:
            return value & ~1, bool(value & 1)
        return value, False

    def howto(self, type_: int) -> Optional[Howto]:
        """The table row for a relocation type number, or None."""
        return self.relocations.get(type_)
