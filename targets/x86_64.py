"""x86-64: System V AMD64 ABI, Linux user space."""
from __future__ import annotations

import capstone
import unicorn
from unicorn import x86_const as X

from .base import CallingConvention, SyscallAbi, Target, TlsAbi
from .x86_64_relocs import RELOCATIONS

_GPR = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
REGISTERS = {name: getattr(X, f"UC_X86_REG_{name.upper()}") for name in _GPR + ["rip", "eflags", "al"]}
REGISTERS.update({f"xmm{i}": getattr(X, f"UC_X86_REG_XMM{i}") for i in range(16)})
REGISTERS["fs_base"] = X.UC_X86_REG_FS_BASE      # the thread pointer (arch_prctl ARCH_SET_FS)


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

#: Linux x86-64 system calls: `syscall` with the number in rax, arguments in rdi, rsi, rdx,
#: r10, r8, r9, the result (or -errno) in rax; the CPU leaves the return address in rcx and
#: the flags in r11.  Numbers from zig's lib/libc/include/x86_64-linux-musl/bits/syscall.h
#: (the calls rig.userland implements; tests check them against the header).
SYSCALLS = SyscallAbi(
    number="rax",
    args=("rdi", "rsi", "rdx", "r10", "r8", "r9"),
    result="rax",
    numbers={
        "read": 0, "write": 1, "open": 2, "close": 3, "stat": 4, "fstat": 5, "lstat": 6, "lseek": 8,
        "mmap": 9, "mprotect": 10, "munmap": 11, "brk": 12, "rt_sigaction": 13, "rt_sigprocmask": 14,
        "ioctl": 16, "pread64": 17, "readv": 19, "writev": 20, "access": 21, "sched_yield": 24,
        "mremap": 25, "madvise": 28, "nanosleep": 35, "getpid": 39, "exit": 60, "kill": 62,
        "uname": 63, "fcntl": 72, "getcwd": 79, "gettimeofday": 96, "getuid": 102, "getgid": 104,
        "geteuid": 107, "getegid": 108, "getppid": 110, "sigaltstack": 131, "arch_prctl": 158,
        "gettid": 186, "tkill": 200, "time": 201, "futex": 202, "set_tid_address": 218,
        "clock_gettime": 228, "clock_getres": 229, "clock_nanosleep": 230, "exit_group": 231,
        "tgkill": 234, "openat": 257, "newfstatat": 262, "faccessat": 269, "set_robust_list": 273,
        "prlimit64": 302, "getrandom": 318, "statx": 332,
    },
    musl_arch="x86_64",
    machine="x86_64",
    insn=X.UC_X86_INS_SYSCALL,
    trap_size=2,                     # the hook sees RIP at the `syscall` (0f 05) itself
    clobbers=(("rcx", "next"), ("r11", "eflags")),
    thread_pointer="fs_base",
    # musl arch/x86_64/kstat.h (the kernel's struct stat): field -> (offset, size)
    stat={"st_dev": (0, 8), "st_ino": (8, 8), "st_nlink": (16, 8), "st_mode": (24, 4), "st_uid": (28, 4),
          "st_gid": (32, 4), "st_rdev": (40, 8), "st_size": (48, 8), "st_blksize": (56, 8),
          "st_blocks": (64, 8), "st_atime_sec": (72, 8), "st_atime_nsec": (80, 8),
          "st_mtime_sec": (88, 8), "st_mtime_nsec": (96, 8), "st_ctime_sec": (104, 8),
          "st_ctime_nsec": (112, 8)},
    stat_size=144,
)

_SMALL = (1 << 31) - (1 << 24)   # every section within ±2 GiB of every other, with room for addends

#: TLS variant 2: the static TLS image ends at FS base, where the TCB starts with its own
#: address (code reads %fs:0).  The TLSDESC resolver (-mtls-dialect=gnu2) is called with the
#: descriptor in %rax and returns its second word, S - TP: `mov 8(%rax), %rax; ret`.
TLS = TlsAbi(variant=2, register="fs_base", tcb_size=64, tlsdesc_resolver=bytes.fromhex("488b4008c3"))

#: x86 exception vectors (Intel SDM vol. 3, 6.3.1) -> what Linux's traps.c sends: #DE divide
#: error (also INT_MIN / -1) SIGFPE, #DB and int3 SIGTRAP, #OF/#BR and #GP SIGSEGV (Unicorn
#: reports `int $n` as vector n; Linux gives SIGSEGV for every n user code may not raise),
#: #MF and #XM SIGFPE, #AC SIGBUS.  #UD (ud2) reaches the rig as an invalid instruction.
TRAPS = {0: ("integer division fault (#DE)", 8), 1: ("debug trap (#DB)", 5), 3: ("breakpoint (int3)", 5),
         4: ("overflow trap (into)", 11), 5: ("bound range exceeded (#BR)", 11),
         13: ("general protection fault (#GP)", 11), 16: ("x87 floating-point exception (#MF)", 8),
         17: ("alignment check (#AC)", 7), 19: ("SIMD floating-point exception (#XM)", 8)}


def _enable_fp(uc) -> None:
    """The FPU state Linux gives a new process (Unicorn starts with both words 0):
    the x87 control word 0x037F (64-bit extended precision, round to nearest,
    exceptions masked) and MXCSR 0x1F80 (SSE exceptions masked).  With 0, x87
    arithmetic rounds to 24 bits: musl's strtod (long double) gave float results."""
    from unicorn import x86_const
    uc.reg_write(x86_const.UC_X86_REG_FPCW, 0x037F)
    uc.reg_write(x86_const.UC_X86_REG_MXCSR, 0x1F80)


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
    jump_pad=(b"\x41\xff\xe3", "r11"),  # jmp r11
    default_state="x86",
    fault_registers=tuple(_GPR) + ("rip", "eflags"),
    cs_modes={"x86": capstone.CS_MODE_64},
    enable_fp=_enable_fp,
    clang_args=("-target", "x86_64-linux-musl"),
    state_of=lambda uc: "x86",
    syscalls=SYSCALLS,
    tls=TLS,
    traps=TRAPS,
    sites="targets.x86_64_sites:RECIPES",
)
