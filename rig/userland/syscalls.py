"""Linux system-call facts shared by every target: errno values, call names, records.

The per-architecture data (numbers, registers, struct stat) lives in `targets/`
(`Target.syscalls`, a `SyscallAbi`); the handlers in `rig.userland.kernel`.
Names of the calls the rig does not implement come from the Linux UAPI header
zig ships (`lib/libc/include/<arch>-linux-musl/bits/syscall.h`), read once, for
messages only.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path
from typing import Dict, NamedTuple, Optional, Tuple

from ..errors import RigError

# Linux errno values (asm-generic/errno-base.h, errno.h): the same on x86-64, ARM and AArch64.
EPERM, ENOENT, ESRCH, EINTR, EIO = 1, 2, 3, 4, 5
EBADF, EAGAIN, ENOMEM, EACCES, EFAULT = 9, 11, 12, 13, 14
EEXIST, ENODEV, ENOTDIR, EISDIR, EINVAL = 17, 19, 20, 21, 22
EMFILE, ENOTTY, EFBIG, ENOSPC, ESPIPE, EROFS = 24, 25, 27, 28, 29, 30
ERANGE, ENAMETOOLONG, ENOSYS, ELOOP, EOVERFLOW = 34, 36, 38, 40, 75

ERRNO_NAMES = {v: k for k, v in dict(globals()).items() if k.startswith("E") and isinstance(v, int)}

#: Signal names (the same numbers on the three targets).
SIGNALS = {1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
           8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
           14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
           20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
           26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS"}


class Errno(Exception):
    """Raised inside a handler to answer -errno at once."""

    def __init__(self, errno: int):
        super().__init__(errno)
        self.errno = errno


class SyscallError(RigError):
    """A system call the rig cannot answer faithfully (a signal handler it would
    have to run, a futex wait with no other thread to wake it)."""


class Call(NamedTuple):
    """One system call as the kernel saw it."""

    name: str
    number: int
    args: Tuple[int, ...]
    result: Optional[int]          #: None: the call did not return (exit, a fatal signal, an error)

    def __str__(self) -> str:
        if self.result is None:
            res = "(did not return)"
        elif -4096 < self.result < 0:
            res = f"-{ERRNO_NAMES.get(-self.result, -self.result)}"
        else:
            res = f"{self.result:#x}"
        return f"{self.name}({', '.join(f'{a:#x}' for a in self.args)}) = {res}"


def _include_root() -> Optional[Path]:
    spec = importlib.util.find_spec("ziglang")
    if spec is None or not spec.origin:
        return None
    root = Path(spec.origin).parent / "lib" / "libc" / "include"
    return root if root.is_dir() else None


_DEFINE = re.compile(r"^#define\s+__(?:ARM_)?NR_(\w+)\s+(0x[0-9a-fA-F]+|\d+)\s*$", re.M)


@functools.lru_cache(maxsize=None)
def header_numbers(musl_arch: str) -> Dict[str, int]:
    """Every name -> number in zig's `<musl_arch>-linux-musl/bits/syscall.h` (empty if absent)."""
    root = _include_root()
    path = root / f"{musl_arch}-linux-musl" / "bits" / "syscall.h" if root else None
    if path is None or not path.is_file():
        return {}
    return {m.group(1): int(m.group(2), 0) for m in _DEFINE.finditer(path.read_text(errors="replace"))}


@functools.lru_cache(maxsize=None)
def _names(musl_arch: str) -> Dict[int, str]:
    return {n: name for name, n in header_numbers(musl_arch).items()}


def syscall_name(abi, number: int) -> str:
    """The name of system call `number` on the target of `abi` ("syscall 999" if Linux has none)."""
    for name, n in abi.numbers.items():
        if n == number:
            return name
    return _names(abi.musl_arch).get(number, f"syscall {number}")
