"""AArch64: AAPCS64, Linux user space (48-bit virtual addresses)."""
from __future__ import annotations

import capstone
import unicorn
from unicorn import arm64_const as A

from .aarch64_relocs import RELOCATIONS
from .base import CallingConvention, Target

REGISTERS = {f"x{i}": getattr(A, f"UC_ARM64_REG_X{i}") for i in range(31)}
REGISTERS.update({f"d{i}": getattr(A, f"UC_ARM64_REG_D{i}") for i in range(32)})
REGISTERS.update({f"s{i}": getattr(A, f"UC_ARM64_REG_S{i}") for i in range(32)})
REGISTERS.update({"sp": A.UC_ARM64_REG_SP, "pc": A.UC_ARM64_REG_PC, "lr": A.UC_ARM64_REG_LR,
                  "nzcv": A.UC_ARM64_REG_NZCV})


def _stub(state: str, address: int, target: int) -> bytes:
    # ldr x16, #8; br x16; .quad target -- x16 (IP0) is the register AAPCS64 gives veneers.
    return (0x58000050).to_bytes(4, "little") + (0xD61F0200).to_bytes(4, "little") + target.to_bytes(8, "little")


def _enable_fp(uc) -> None:
    # FP worked without it on Unicorn 2.1, but real EL0 code relies on CPACR_EL1.FPEN.
    uc.reg_write(A.UC_ARM64_REG_CPACR_EL1, uc.reg_read(A.UC_ARM64_REG_CPACR_EL1) | (3 << 20))


CC = CallingConvention(
    int_args=tuple(f"x{i}" for i in range(8)),
    float_args=tuple(f"d{i}" for i in range(8)),
    int_ret=("x0", "x1"),
    float_ret="d0",
    stack_pointer="sp",
    return_address="lr",
    stack_align=16,
    stack_slot=8,
    pair_align=True,
)

_SPACE = (0x10000, 1 << 48)

TARGET = Target(
    name="aarch64",
    description="AArch64 (A64), AAPCS64",
    triple="aarch64-unknown-linux-gnu",
    elf_machine="EM_AARCH64",
    elf_class=64,
    pointer_size=8,
    uc_arch=unicorn.UC_ARCH_ARM64,
    uc_mode=unicorn.UC_MODE_ARM,
    cs_arch=capstone.CS_ARCH_AARCH64 if hasattr(capstone, "CS_ARCH_AARCH64") else capstone.CS_ARCH_ARM64,
    cs_mode=capstone.CS_MODE_ARM,
    registers=REGISTERS,
    pc="pc",
    address_space=_SPACE,
    # tiny: ADR / LDR literal reach ±1 MiB; small: ADRP reaches ±4 GiB.
    code_models={"tiny": (1 << 20) - (1 << 16), "small": (1 << 32) - (1 << 24),
                 "large": _SPACE[1] - _SPACE[0]},
    relocations=RELOCATIONS,
    rela=True,
    cc=CC,
    stub_size=16,
    stub_align=8,
    write_stub=_stub,
    stub_target=lambda code: int.from_bytes(code[8:16], "little"),
    host_slot=(0xD65F03C0).to_bytes(4, "little"),   # ret
    default_state="a64",
    fault_registers=tuple(f"x{i}" for i in range(31)) + ("sp", "pc", "nzcv"),
    enable_fp=_enable_fp,
    cs_modes={"a64": capstone.CS_MODE_ARM},
    clang_args=("-target", "aarch64-linux-musl"),
    state_of=lambda uc: "a64",
    code_align=4,
)
