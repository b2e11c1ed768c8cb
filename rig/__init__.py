"""rig: an emulator-backed, cross-target JIT test rig.

Code is compiled here, its sections are placed at (random) addresses in a
Unicorn "remote process" for x86-64, ARM, Thumb-2 or AArch64, relocated for
those addresses, and run there, as LLVM's MCJIT does in its remote mode.
"""
from .errors import (BadObject, BudgetExceeded, ComparisonFailed, CompileError, DuplicateSymbol, EmulationFault,
                     HostFunctionError, InstructionBudgetExceeded, LimitExceeded, ModuleUnloaded, NoSuchSymbol, PlacementError,
                     ProgramExit, RelocationOverflow, RigError, SignatureError, TimeLimitExceeded,
                     UndefinedSymbol, UnknownTarget, UnsupportedRelocation)
from .jit import Function, Jit, Module
from .limits import Limits
from .process import CallResult
from .program import ProgramResult

__version__ = "0.2.0"

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

__all__ = ["Jit", "Module", "Function", "CallResult", "ProgramResult", "TARGETS", "RigError", "BadObject",
           "BudgetExceeded", "ComparisonFailed", "CompileError", "DuplicateSymbol", "EmulationFault", "HostFunctionError",
           "InstructionBudgetExceeded", "LimitExceeded", "Limits", "ModuleUnloaded", "NoSuchSymbol", "PlacementError", "ProgramExit",
           "RelocationOverflow", "SignatureError", "TimeLimitExceeded", "UndefinedSymbol", "UnknownTarget",
           "UnsupportedRelocation"]
