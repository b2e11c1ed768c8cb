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
from typing import List, Optional

from .client import RemoteMachine
from .machine import Machine, Stop, UnicornMachine
from .protocol import VERSION


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The executor's command-line options (shared by ``python -m rig.executor`` and ``rig executor``)."""
    p.add_argument("--stdio", action="store_true", required=True,
                   help="serve the protocol on stdin/stdout (the only transport so far)")
    p.add_argument("--target", required=True, help="the target this executor emulates")


def command_line(argv: Optional[List[str]] = None) -> int:
    """``python -m rig.executor``'s entry point; its exit status."""
    p = argparse.ArgumentParser(prog="python -m rig.executor", description="serve one emulated target")
    add_arguments(p)
    ns = p.parse_args(argv)
    from .server import main
    return main(ns.target)


__all__ = ["Machine", "Stop", "UnicornMachine", "RemoteMachine", "VERSION", "command_line"]
