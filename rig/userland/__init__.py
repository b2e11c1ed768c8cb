"""The C runtime of the remote process, from the ziglang package's musl.

Today this package answers what musl provides (to say, when the host runtime
lacks a function, that musl's libc has it); the musl runtime itself (libc.a
built through the ziglang package, loaded member by member, a system-call
layer) grows here.
"""
from .musl import musl_defines, musl_root

__all__ = ["musl_defines", "musl_root"]
