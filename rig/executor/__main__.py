"""``python -m rig.executor --stdio --target T``: an executor serving on stdin/stdout."""
import sys

from . import command_line

sys.exit(command_line(sys.argv[1:]))
