"""x86-64: System V AMD64 ABI, Linux user space."""
from __future__ import annotations

import capstone
import unicorn
from unicorn import x86_const as X

from .base import CallingConvention, Target
from .x86_64_relocs import RELOCATIONS

_GPR = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
REGISTERS = {name: getattr(X, f"UC_X86_REG_{name.upper()}") for name in _GPR + ["rip", "eflags", "al"]}
REGISTERS.update({f"xmm{i}": getattr(X, f"UC_X86_REG_XMM{i}") for i in range(16)})


def _stub(state: str, address: int, target: int) -> bytes:
    # jmp *0(%rip); .quad target -- reaches anywhere, needs no GOT slot.
    return b"\xff\x25\x00\x00\x00\x00" + (target & (2**64 - 1)).to_bytes(8, "little")


CC = CallingConvention(
    int_args=("rdi", "rsi", "rdx", "rcx", "r8", "r9"),
    float_args=tuple(f"xmm{i}" for i in range(8)),
    int_ret=("rax", "rdx"),
    float_ret="xmm0",
    stack_pointer="rsp",
    return_address=None,
    stack_align=16,
    stack_slot=8,
    float_count_reg="al",
)

_SMALL = (1 << 31) - (1 << 24)   # every section within ±2 GiB of every other, with room for addends

TARGET = Target(
    name="x86_64",
    description="x86-64, System V ABI",
    triple="x86_64-unknown-linux-gnu",
    elf_machine="EM_X86_64",
    elf_class=64,
    pointer_size=8,
    uc_arch=unicorn.UC_ARCH_X86,
    uc_mode=unicorn.UC_MODE_64,
    cs_arch=capstone.CS_ARCH_X86,
    cs_mode=capstone.CS_MODE_64,
    registers=REGISTERS,
    pc="rip",
    address_space=(0x10000, 0x7FFF_FFFF_F000),
    code_models={"small": _SMALL, "kernel": _SMALL, "medium": _SMALL,
                 "large": 0x7FFF_FFFF_F000 - 0x10000},
    relocations=RELOCATIONS,
    rela=True,
    cc=CC,
    stub_size=16,
    stub_align=16,
    write_stub=_stub,
    stub_target=lambda code: int.from_bytes(code[6:14], "little"),
    host_slot=b"\xc3",               # ret
    default_state="x86",
    fault_registers=tuple(_GPR) + ("rip", "eflags"),
    cs_modes={"x86": capstone.CS_MODE_64},
    clang_args=("-target", "x86_64-linux-musl"),
    state_of=lambda uc: "x86",
)
