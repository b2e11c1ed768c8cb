"""The remote process as a real userland: musl's libc from the ziglang package
(`libc`: built once, loaded member by member; `runtime`: entering `main`
through `__libc_start_main`), a Linux system-call layer (`kernel`), and what
they need (`memory`, `files`, `syscalls`).  `rig.Jit(target, runtime="musl")`
is the face; nothing here is needed with the default host runtime."""
from .kernel import Kernel, attach
from .musl import musl_defines, musl_root
from .syscalls import Call, SyscallError

__all__ = ["Kernel", "attach", "Call", "SyscallError", "musl_defines", "musl_root"]
