"""`python -m rig.malformed serve` (the sandbox's child) and
`python -m rig.malformed replay FILE --target T` (one saved input, in this
process, with the traceback if it raises anything but a RigError)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    """Entry point of `python -m rig.malformed`."""
    p = argparse.ArgumentParser(prog="python -m rig.malformed")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="check inputs read from stdin (the sandbox's child)")
    s.add_argument("--memory", type=int, default=0, help="address-space limit in bytes (0: none)")
    s.add_argument("--budget", type=int, default=200_000)
    s.add_argument("--call-timeout", type=float, default=2.0)
    s.add_argument("--alarm", type=float, default=0.0)
    s.add_argument("--compile-seconds", type=float, default=None)
    r = sub.add_parser("replay", help="check one saved input here and print what happened")
    r.add_argument("file")
    r.add_argument("--target", required=True)
    ns = p.parse_args(argv)
    if ns.command == "serve":
        from .sandbox import serve
        return serve(ns.memory, ns.budget, ns.call_timeout, ns.alarm, ns.compile_seconds)
    from .check import check
    from .generate import Input
    out = check(Input(ns.target, "file", Path(ns.file).read_bytes(), ns.file))
    print(out.describe())
    return 0 if out.ok else 1


if __name__ == "__main__":
    sys.exit(main())
