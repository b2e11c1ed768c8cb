"""The rig's built-in runtime: the libc, libm and compiler-rt functions that
remote code can call, implemented in Python over a `HostContext`."""
from __future__ import annotations

from . import aeabi, compiler_rt, libc, libm
from .heap import Heap
from .host import HostContext, HostFunction, collect

__all__ = ["Heap", "HostContext", "HostFunction", "default_functions"]


def default_functions() -> dict[str, HostFunction]:
    """Every built-in host function by C name (a fresh dict each call)."""
    functions: dict[str, HostFunction] = {}
    for module in (libc, libm, compiler_rt, aeabi):
        functions.update(collect(vars(module)))
    return functions
