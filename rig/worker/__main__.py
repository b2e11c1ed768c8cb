"""``python -m rig.worker``: serve compile requests on stdin/stdout (see `rig.worker.server`).

The pool itself runs ``server.py`` by path, so the worker never imports the
`rig` package; this entry point is for trying the protocol by hand.
"""
from .server import main

main()
