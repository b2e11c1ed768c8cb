"""32-bit Arm: A32 ("arm") and T32 ("thumb") on ARMv7-A, AAPCS-VFP (hard-float), Linux.

Both targets share one relocation table and one process model; they differ
in the state compiled code runs in.  A call into Thumb code starts at
`address | 1`; the CPSR T bit (bit 5) tells the state of a stopped CPU.
"""
from __future__ import annotations

import capstone
import unicorn
from unicorn import arm_const as R

from .arm_relocs import RELOCATIONS
from .base import CallingConvention, Target

REGISTERS = {f"r{i}": getattr(R, f"UC_ARM_REG_R{i}") for i in range(13)}
REGISTERS.update({f"s{i}": getattr(R, f"UC_ARM_REG_S{i}") for i in range(32)})
REGISTERS.update({f"d{i}": getattr(R, f"UC_ARM_REG_D{i}") for i in range(32)})
REGISTERS.update({"sp": R.UC_ARM_REG_SP, "lr": R.UC_ARM_REG_LR, "pc": R.UC_ARM_REG_PC,
                  "cpsr": R.UC_ARM_REG_CPSR})


def _stub(state: str, address: int, target: int) -> bytes:
    """A veneer in the caller's state that loads the target into PC, which
    interworks on ARMv5T and later: bit 0 of the loaded word picks the state."""
    word = (target & 0xFFFFFFFF).to_bytes(4, "little")
    if state == "thumb":
        return bytes.fromhex("dff800f0") + word    # ldr.w pc, [pc, #0]; .word target
    return (0xE51FF004).to_bytes(4, "little") + word  # ldr pc, [pc, #-4]; .word target


def _enable_fp(uc) -> None:
    # VFP/NEON are off at reset: CPACR cp10/cp11 full access, then FPEXC.EN.
    uc.reg_write(R.UC_ARM_REG_C1_C0_2, uc.reg_read(R.UC_ARM_REG_C1_C0_2) | (0xF << 20))
    uc.reg_write(R.UC_ARM_REG_FPEXC, 1 << 30)


def _state(uc) -> str:
    return "thumb" if uc.reg_read(R.UC_ARM_REG_CPSR) & (1 << 5) else "arm"


CC = CallingConvention(
    int_args=("r0", "r1", "r2", "r3"),
    float_args=tuple(f"d{i}" for i in range(8)),
    int_ret=("r0", "r1", "r2", "r3"),
    float_ret="d0",
    stack_pointer="sp",
    return_address="lr",
    stack_align=8,
    stack_slot=4,
    pair_align=True,
    vfp_backfill=True,
    variadic_floats_in_int=True,
    stack_arg_align_cap=8,
)

# A module may spread over the whole space: the memory manager narrows the
# window to what the object's own pc-relative relocations reach (R_ARM_PREL31
# from .ARM.exidx reaches ±1 GiB).
_SPACE = (0x10000, 0xFFFF_0000)
_WINDOW = _SPACE[1] - _SPACE[0]


def _target(name: str, triple: str, state: str, description: str) -> Target:
    return Target(
        name=name,
        description=description,
        triple=triple,
        elf_machine="EM_ARM",
        elf_class=32,
        pointer_size=4,
        uc_arch=unicorn.UC_ARCH_ARM,
        uc_mode=unicorn.UC_MODE_ARM,    # the entry address's bit 0 selects Thumb
        cs_arch=capstone.CS_ARCH_ARM,
        cs_mode=capstone.CS_MODE_THUMB if state == "thumb" else capstone.CS_MODE_ARM,
        registers=REGISTERS,
        pc="pc",
        address_space=_SPACE,
        code_models={"small": _WINDOW, "medium": _WINDOW, "large": _WINDOW},
        relocations=RELOCATIONS,
        rela=False,
        cc=CC,
        stub_size=8,
        stub_align=4,
        write_stub=_stub,
        stub_target=lambda code: int.from_bytes(code[4:8], "little"),
        host_slot=(0xE12FFF1E).to_bytes(4, "little"),   # bx lr (ARM state; returns to either)
        default_state=state,
        fault_registers=tuple(f"r{i}" for i in range(13)) + ("sp", "lr", "pc", "cpsr"),
        enable_fp=_enable_fp,
        cs_modes={"arm": capstone.CS_MODE_ARM, "thumb": capstone.CS_MODE_THUMB},
        state_of=_state,
        interworking=True,
        # freestanding: zig refuses non-PIC code for linux-gnu; an ARMv7-A core with VFPv4
        clang_args=("-target", f"{'thumb' if state == 'thumb' else 'arm'}-linux-musleabihf", "-mcpu=cortex_a15"),
        # Thumb code needs halfwords; ARM code (also inside a Thumb-target object) words.
        code_align=2 if state == "thumb" else 4,
    )


ARM = _target("arm", "armv7-unknown-linux-gnueabihf", "arm", "ARMv7-A, A32 instruction set, AAPCS-VFP")
THUMB = _target("thumb", "thumbv7-unknown-linux-gnueabihf", "thumb", "ARMv7-A, Thumb-2 (T32), AAPCS-VFP")
