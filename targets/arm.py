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
from .base import CallingConvention, SyscallAbi, Target, TlsAbi

REGISTERS = {f"r{i}": getattr(R, f"UC_ARM_REG_R{i}") for i in range(13)}
REGISTERS.update({f"s{i}": getattr(R, f"UC_ARM_REG_S{i}") for i in range(32)})
REGISTERS.update({f"d{i}": getattr(R, f"UC_ARM_REG_D{i}") for i in range(32)})
REGISTERS.update({"sp": R.UC_ARM_REG_SP, "lr": R.UC_ARM_REG_LR, "pc": R.UC_ARM_REG_PC,
                  "cpsr": R.UC_ARM_REG_CPSR})
REGISTERS["tpidruro"] = R.UC_ARM_REG_C13_C0_3     # the thread pointer (set_tls), read with mrc p15, 0, rX, c13, c0, 3


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

#: The kuser helper page Linux maps read+exec at 0xffff0000 (arch/arm/kernel/entry-armv.S, ARMv7 SMP
#: with hardware TLS, so __kuser_get_tls is the patched `mrc`), assembled with zig cc:
#:   0xf60 __kuser_cmpxchg64: push {r4-r7}; ldrd r4, r5, [r0]; ldrd r6, r7, [r1]; dmb ish
#:         1: ldrexd r0, r1, [r2]; eors r3, r0, r4; eorseq r3, r1, r5; strexdeq r3, r6, r7, [r2]
#:         teqeq r3, #1; beq 1b; dmb ish; rsbs r0, r3, #0; pop {r4-r7}; bx lr
#:   0xfa0 __kuser_memory_barrier: dmb ish; bx lr
#:   0xfc0 __kuser_cmpxchg: 1: ldrex r3, [r2]; subs r3, r3, r0; strexeq r3, r1, [r2]; teqeq r3, #1
#:         beq 1b; rsbs r0, r3, #0; b __kuser_memory_barrier
#:   0xfe0 __kuser_get_tls: mrc p15, 0, r0, c13, c0, 3; bx lr; mrc p15, 0, r0, c13, c0, 3
#:   0xff0 the software TLS word (set_tls writes it too), 0xffc __kuser_helper_version: 5
KUSER_PAGE = 0xFFFF0000
_KUSER_CODE = {
    0xF60: (0xE92D00F0, 0xE1C040D0, 0xE1C160D0, 0xF57FF05B, 0xE1B20F9F, 0xE0303004, 0x00313005,
            0x01A23F96, 0x03330001, 0x0AFFFFF9, 0xF57FF05B, 0xE2730000, 0xE8BD00F0, 0xE12FFF1E),
    0xFA0: (0xF57FF05B, 0xE12FFF1E),
    0xFC0: (0xE1923F9F, 0xE0533000, 0x01823F91, 0x03330001, 0x0AFFFFFA, 0xE2730000, 0xEAFFFFF0),
    0xFE0: (0xEE1D0F70, 0xE12FFF1E, 0xEE1D0F70, 0, 0, 0, 0, 5),
}


def _kuser_page() -> bytes:
    page = bytearray(0x1000)
    for offset, words in _KUSER_CODE.items():
        page[offset:offset + 4 * len(words)] = b"".join(w.to_bytes(4, "little") for w in words)
    return bytes(page)


#: Linux ARM EABI system calls (arm and thumb alike): `svc #0` with the number in r7,
#: arguments in r0-r5, the result (or -errno) in r0; ARM-private calls from 0xf0000.
#: Numbers from zig's lib/libc/include/arm-linux-musl/bits/syscall.h (the calls
#: rig.userland implements; tests check them against the header).
SYSCALLS = SyscallAbi(
    number="r7",
    args=("r0", "r1", "r2", "r3", "r4", "r5"),
    result="r0",
    numbers={
        "exit": 1, "read": 3, "write": 4, "open": 5, "close": 6, "lseek": 19, "getpid": 20,
        "getuid": 24, "access": 33, "kill": 37, "brk": 45, "getgid": 47, "geteuid": 49, "getegid": 50,
        "ioctl": 54, "fcntl": 55, "getppid": 64, "munmap": 91,
        "uname": 122, "mprotect": 125, "_llseek": 140, "readv": 145, "writev": 146, "sched_yield": 158,
        "nanosleep": 162, "mremap": 163, "rt_sigaction": 174, "rt_sigprocmask": 175, "pread64": 180,
        "getcwd": 183, "sigaltstack": 186, "mmap2": 192, "stat64": 195, "lstat64": 196, "fstat64": 197,
        "getuid32": 199, "getgid32": 200, "geteuid32": 201, "getegid32": 202, "madvise": 220,
        "fcntl64": 221, "gettid": 224, "tkill": 238, "futex": 240, "exit_group": 248,
        "set_tid_address": 256, "clock_gettime32": 263, "clock_getres_time32": 264,
        "clock_nanosleep_time32": 265, "gettimeofday_time32": 78,
        "tgkill": 268, "openat": 322, "fstatat64": 327, "faccessat": 334,
        "set_robust_list": 338, "prlimit64": 369, "getrandom": 384, "statx": 397,
        "clock_gettime64": 403, "clock_getres_time64": 406, "clock_nanosleep_time64": 407,
        "futex_time64": 422, "cacheflush": 0xF0002, "set_tls": 0xF0005,
    },
    musl_arch="arm",
    machine="armv7l",
    interrupt=2,                     # EXCP_SWI; the hook sees PC after the svc, in either state
    thread_pointer="tpidruro",
    kuser_page=(KUSER_PAGE, _kuser_page()),
    kuser_tls=KUSER_PAGE + 0xFF0,
    # musl arch/arm/kstat.h (the kernel's struct stat64): field -> (offset, size)
    stat={"st_dev": (0, 8), "__st_ino_truncated": (12, 4), "st_mode": (16, 4), "st_nlink": (20, 4),
          "st_uid": (24, 4), "st_gid": (28, 4), "st_rdev": (32, 8), "st_size": (48, 8),
          "st_blksize": (56, 4), "st_blocks": (64, 8), "st_atime_sec": (72, 4), "st_atime_nsec": (76, 4),
          "st_mtime_sec": (80, 4), "st_mtime_nsec": (84, 4), "st_ctime_sec": (88, 4),
          "st_ctime_nsec": (92, 4), "st_ino": (96, 8)},
    stat_size=104,
)

# A module may spread over the whole space: the memory manager narrows the
# window to what the object's own pc-relative relocations reach (R_ARM_PREL31
# from .ARM.exidx reaches ±1 GiB).
_SPACE = (0x10000, 0xFFFF_0000)
_WINDOW = _SPACE[1] - _SPACE[0]


#: TLS variant 1: TPIDRURO points at an 8-byte TCB, the static TLS image follows at
#: TP + alignTo(8, p_align); code reads TP with `mrc p15, 0, rX, c13, c0, 3` or __aeabi_read_tp.
TLS = TlsAbi(variant=1, register="tpidruro", tcb_size=8)


#: CPU exceptions as Unicorn numbers them (QEMU's EXCP_* of target/arm) -> what Linux sends:
#: an undefined instruction (udf) SIGILL, bkpt SIGTRAP (the debug-event prefetch abort), a data
#: abort SIGBUS -- unmapped and protected accesses reach the rig as memory faults, so what is
#: left is the alignment fault (ldrex/strex, ldrd/ldm of an unaligned address).
TRAPS = {1: ("undefined instruction", 4), 3: ("prefetch abort", 11), 4: ("alignment fault (data abort)", 7),
         7: ("breakpoint (bkpt)", 5), 17: ("coprocessor instruction with no coprocessor", 4)}


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
        jump_pad=((0xE12FFF1C).to_bytes(4, "little"), "r12"),   # bx r12 (to either state)
        default_state=state,
        fault_registers=tuple(f"r{i}" for i in range(13)) + ("sp", "lr", "pc", "cpsr"),
        enable_fp=_enable_fp,
        cs_modes={"arm": capstone.CS_MODE_ARM, "thumb": capstone.CS_MODE_THUMB},
        mapping_states={"$a": "arm", "$t": "thumb"},
        state_of=_state,
        interworking=True,
        unwind="ehabi",
        mapping_symbols=True,
        image_span=0x3C000000,      # PREL31's ±1 GiB, less a sixteenth for addends and sizes (as rig.layout)
        # freestanding: zig refuses non-PIC code for linux-gnu; an ARMv7-A core with VFPv4
        hwcap=504022,  # Cortex-A15: HALF THUMB FAST_MULT VFP EDSP NEON VFPv3 TLS VFPv4 IDIVA IDIVT
        clang_args=("-target", f"{'thumb' if state == 'thumb' else 'arm'}-linux-musleabihf", "-mcpu=cortex_a15"),
        # Thumb code needs halfwords; ARM code (also inside a Thumb-target object) words.
        code_align=2 if state == "thumb" else 4,
        syscalls=SYSCALLS,
        tls=TLS,
        traps=TRAPS,
        sites="targets.arm_sites:RECIPES",
    )


ARM = _target("arm", "armv7-unknown-linux-gnueabihf", "arm", "ARMv7-A, A32 instruction set, AAPCS-VFP")
THUMB = _target("thumb", "thumbv7-unknown-linux-gnueabihf", "thumb", "ARMv7-A, Thumb-2 (T32), AAPCS-VFP")
