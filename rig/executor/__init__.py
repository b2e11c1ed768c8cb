"""Executors: the remote process's contract as primitive operations (`Machine`), in this
process (`UnicornMachine`) or in another one over a pipe (`RemoteMachine`, served by
``python -m rig.executor --stdio --target T`` / ``rig executor --stdio --target T``).

Host functions stay in the rig's process.  A run given `on_host` stays inside emulation at a
host slot and calls back to the rig, whose memory and register operations the executor
answers from inside the run (so the instruction budget and the deadline span every host
call); a run without it stops there (`Stop` "host") and the rig runs on after the call.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from ..errors import ExecutorError
from .client import RemoteMachine
from .machine import Machine, Stop, UnicornMachine
from .protocol import VERSION
from .revive import Revivable


#: The executors a `Jit` can use (besides "tcp://HOST:PORT"), and what each is.
EXECUTORS = {
    "inprocess": "Unicorn in the rig's own process (the default; the fastest)",
    "subprocess": "Unicorn in a child process over pipes (`rig executor --stdio`)",
    "native": "the host CPU in a ptrace'd child process (x86_64 on an x86-64 host)",
}


def check(spec: str) -> str:
    """`spec` if it names an executor ("inprocess", "subprocess", "native", "tcp://HOST:PORT"),
    else an `ExecutorError` listing them."""
    if spec in EXECUTORS:
        return spec
    if isinstance(spec, str) and spec.startswith("tcp://"):
        from .client import parse_tcp
        parse_tcp(spec)
        return spec
    raise ExecutorError(f"unknown executor {spec!r}: use {', '.join(EXECUTORS)} or tcp://HOST:PORT")


def machine_for(target, spec: str) -> Optional[Machine]:
    """The machine a `Jit` for `target` runs its code on with executor `spec` (None for
    "inprocess": the `Process` makes its own): a `Revivable` over the executor, so that a
    dead executor is replaced and its modules re-installed at the next operation."""
    check(spec)
    if spec == "inprocess":
        return None
    if spec == "subprocess":
        return Revivable(lambda: RemoteMachine(target))
    if spec == "native":
        from .native import NativeMachine
        return Revivable(lambda: NativeMachine(target))
    return Revivable(lambda: RemoteMachine(target, address=spec))


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The executor's command-line options (shared by ``python -m rig.executor`` and ``rig executor``)."""
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--stdio", action="store_true", help="serve one client on stdin/stdout (what "
                     "executor='subprocess' starts)")
    how.add_argument("--listen", metavar="HOST:PORT", help="accept TCP connections, each served by a "
                     "forked child (what executor='tcp://HOST:PORT' connects to)")
    p.add_argument("--target", help="the target this executor emulates (with --listen: any the "
                   "client names, unless given)")


def command_line(argv: Optional[List[str]] = None) -> int:
    """``python -m rig.executor``'s entry point; its exit status."""
    p = argparse.ArgumentParser(prog="python -m rig.executor", description="serve one emulated target")
    add_arguments(p)
    ns = p.parse_args(argv)
    return run(ns)


def run(ns) -> int:
    """Serve as the parsed options say (``--stdio`` or ``--listen``); the exit status."""
    from .server import listen, main
    if ns.listen:
        return listen(ns.listen, ns.target)
    if not ns.target:
        print("rig executor: --stdio needs --target", file=sys.stderr)
        return 2
    return main(ns.target)


__all__ = ["Machine", "Stop", "UnicornMachine", "RemoteMachine", "Revivable", "VERSION", "EXECUTORS",
           "check", "machine_for", "command_line"]
