"""AArch64: AAPCS64, Linux user space (48-bit virtual addresses)."""
from __future__ import annotations

import capstone
import unicorn
from unicorn import arm64_const as A

from .aarch64_relocs import RELOCATIONS
from .base import CallingConvention, SyscallAbi, Target, TlsAbi

REGISTERS = {f"x{i}": getattr(A, f"UC_ARM64_REG_X{i}") for i in range(31)}
REGISTERS.update({f"d{i}": getattr(A, f"UC_ARM64_REG_D{i}") for i in range(32)})
REGISTERS.update({f"s{i}": getattr(A, f"UC_ARM64_REG_S{i}") for i in range(32)})
REGISTERS.update({"sp": A.UC_ARM64_REG_SP, "pc": A.UC_ARM64_REG_PC, "lr": A.UC_ARM64_REG_LR,
                  "nzcv": A.UC_ARM64_REG_NZCV})
REGISTERS["tpidr_el0"] = A.UC_ARM64_REG_TPIDR_EL0   # the thread pointer: guest code sets it with msr


def _stub(state: str, address: int, target: int) -> bytes:
    # ldr x16, #8; br x16; .quad target -- x16 (IP0) is the register AAPCS64 gives veneers.
    return (0x58000050).to_bytes(4, "little") + (0xD61F0200).to_bytes(4, "little") + (target & (2**64 - 1)).to_bytes(8, "little")


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

#: Linux AArch64 system calls (the generic numbers of asm-generic/unistd.h): `svc #0` with the
#: number in x8, arguments in x0-x5, the result (or -errno) in x0.  Numbers from zig's
#: lib/libc/include/aarch64-linux-musl/bits/syscall.h (the calls rig.userland implements;
#: tests check them against the header).
SYSCALLS = SyscallAbi(
    number="x8",
    args=("x0", "x1", "x2", "x3", "x4", "x5"),
    result="x0",
    numbers={
        "getcwd": 17, "fcntl": 25, "ioctl": 29, "faccessat": 48, "openat": 56, "close": 57,
        "lseek": 62, "read": 63, "write": 64, "readv": 65, "writev": 66, "pread64": 67,
        "newfstatat": 79, "fstat": 80, "exit": 93, "exit_group": 94, "set_tid_address": 96,
        "futex": 98, "set_robust_list": 99, "nanosleep": 101, "clock_gettime": 113,
        "clock_getres": 114, "clock_nanosleep": 115, "sched_yield": 124, "kill": 129, "tkill": 130,
        "tgkill": 131, "sigaltstack": 132, "rt_sigaction": 134, "rt_sigprocmask": 135, "uname": 160,
        "gettimeofday": 169, "getpid": 172, "getppid": 173, "getuid": 174, "geteuid": 175,
        "getgid": 176, "getegid": 177, "gettid": 178, "brk": 214, "munmap": 215, "mremap": 216,
        "mmap": 222, "mprotect": 226, "madvise": 233, "prlimit64": 261, "getrandom": 278, "statx": 291,
    },
    musl_arch="aarch64",
    machine="aarch64",
    interrupt=2,                     # EXCP_SWI; the hook sees PC after the svc
    thread_pointer="tpidr_el0",
    # musl arch/aarch64/kstat.h (asm-generic struct stat): field -> (offset, size)
    stat={"st_dev": (0, 8), "st_ino": (8, 8), "st_mode": (16, 4), "st_nlink": (20, 4), "st_uid": (24, 4),
          "st_gid": (28, 4), "st_rdev": (32, 8), "st_size": (48, 8), "st_blksize": (56, 4),
          "st_blocks": (64, 8), "st_atime_sec": (72, 8), "st_atime_nsec": (80, 8),
          "st_mtime_sec": (88, 8), "st_mtime_nsec": (96, 8), "st_ctime_sec": (104, 8),
          "st_ctime_nsec": (112, 8)},
    stat_size=128,
)

#: TLS variant 1: TPIDR_EL0 points at a 16-byte TCB, the static TLS image follows at
#: TP + alignTo(16, p_align).  The static TLSDESC resolver (called with the descriptor in x0,
#: it may clobber only x0, as aaelf64's TLSDESC calling convention asks) returns the
#: descriptor's second word, S - TP: `ldr x0, [x0, #8]; ret`.
TLS = TlsAbi(variant=1, register="tpidr_el0", tcb_size=16,
             tlsdesc_resolver=(0xF9400400).to_bytes(4, "little") + (0xD65F03C0).to_bytes(4, "little"))

#: CPU exceptions as Unicorn numbers them (QEMU's EXCP_* of target/arm) -> what Linux sends:
#: an undefined instruction (udf, hlt at EL0) SIGILL, brk SIGTRAP (so llvm.trap, `brk #1`, is
#: status 133), a data abort SIGBUS -- unmapped and protected accesses reach the rig as memory
#: faults, so what is left is the alignment fault (ldxr/stxr, ldaxr of an unaligned address).
TRAPS = {1: ("undefined instruction", 4), 3: ("prefetch abort", 11), 4: ("alignment fault (data abort)", 7),
         7: ("breakpoint (brk)", 5)}

TARGET = Target(
    mapping_symbols=True,
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
    jump_pad=((0xD61F0200).to_bytes(4, "little"), "x16"),   # br x16
    default_state="a64",
    fault_registers=tuple(f"x{i}" for i in range(31)) + ("sp", "pc", "nzcv"),
    enable_fp=_enable_fp,
    cs_modes={"a64": capstone.CS_MODE_ARM},
    mapping_states={"$x": "a64"},
    hwcap=0x3,  # HWCAP_FP | HWCAP_ASIMD
    clang_args=("-target", "aarch64-linux-musl"),
    state_of=lambda uc: "a64",
    code_align=4,
    syscalls=SYSCALLS,
    tls=TLS,
    traps=TRAPS,
    sites="targets.aarch64_sites:RECIPES",
)
