"""Oracles: what a program should compute, from somewhere other than the rig's linker.

`host_run` compiles LLVM IR natively for this x86-64 host with llvmlite's MCJIT
and calls it through ctypes: no emulator, no rig relocation code, and the
host's own libc/libm behind every external (this module imports nothing else
from rig).  `packed_reference` runs the IR in the rig at the packed placement,
the most ordinary layout, as a baseline for random placements.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from typing import Optional, Sequence, Tuple

import llvmlite.binding as llvm

__all__ = ["HostModule", "OracleError", "U128", "host_module", "host_run", "host_invoke",
           "packed_reference"]


class OracleError(Exception):
    """The oracle cannot run this program (an unknown external, an unsupported type...)."""


class U128(ctypes.Structure):
    """An i128 as SysV x86-64 passes it: two INTEGER eightbytes (rax:rdx)."""
    _fields_ = [("lo", ctypes.c_uint64), ("hi", ctypes.c_uint64)]


#: IR type names and rig signature type names -> ctypes.
_CTYPES = {
    "i1": ctypes.c_uint8, "i8": ctypes.c_int8, "i16": ctypes.c_int16,
    "i32": ctypes.c_int32, "i64": ctypes.c_int64, "i128": U128,
    "float": ctypes.c_float, "double": ctypes.c_double, "void": None, "ptr": ctypes.c_void_p,
    "u8": ctypes.c_uint8, "u16": ctypes.c_uint16, "u32": ctypes.c_uint32, "u64": ctypes.c_uint64,
    "u128": U128, "f32": ctypes.c_float, "f64": ctypes.c_double, "size": ctypes.c_size_t,
    "ssize": ctypes.c_ssize_t, "int": ctypes.c_int32, "long": ctypes.c_ssize_t, "ulong": ctypes.c_size_t,
}

#: Names codegen may call although the IR does not declare them.
_IMPLICIT = ("memcpy", "memmove", "memset", "fmod", "fmodf",
             "__udivti3", "__umodti3", "__divti3", "__modti3", "__multi3")

_lock = threading.Lock()
_LIBS: list = []


def _libs() -> list:
    """libc (the process itself), libm and libgcc_s, loaded once; initialises LLVM's native target."""
    with _lock:
        if not _LIBS:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            _LIBS.append(ctypes.CDLL(None))
            _LIBS[0].fflush.argtypes = [ctypes.c_void_p]
            for name in ("m", "gcc_s"):
                path = ctypes.util.find_library(name)
                if path:
                    _LIBS.append(ctypes.CDLL(path))
    return _LIBS


def _resolve(name: str) -> Optional[int]:
    for lib in _libs():
        try:
            return ctypes.cast(getattr(lib, name), ctypes.c_void_p).value
        except AttributeError:
            continue
    return None


def _bind_externals(mod) -> None:
    names = {f.name for f in mod.functions if f.is_declaration and not f.name.startswith("llvm.")}
    for name in sorted(names) + [n for n in _IMPLICIT if n not in names]:
        addr = _resolve(name)
        if addr is None:
            if name in _IMPLICIT:
                continue
            raise OracleError(f"external {name!r} not found in the host's libc/libm/libgcc")
        llvm.add_symbol(name, addr)


def _optimise(mod, tm) -> None:
    pto = llvm.create_pipeline_tuning_options(speed_level=2)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(mod, pb)


def _types_of(signature: str) -> Tuple[str, list]:
    """(result, params) type names of a rig signature such as "i64(i64, f64)"."""
    ret, _, rest = signature.strip().partition("(")
    params = [p.strip() for p in rest.rstrip().rstrip(")").split(",") if p.strip()]
    if "..." in params:
        raise OracleError(f"the host oracle cannot call a variadic function ({signature})")
    return ret.strip(), [p for p in params if p != "void"]


class HostModule:
    """One IR module compiled and loaded natively.

    `codegen_opt` is the code generator's level; `ir_opt` also runs LLVM's
    -O2 IR pipeline first (a program with undefined behaviour tends to change
    its answers under it).  Globals keep their state between calls."""

    def __init__(self, source: str, codegen_opt: int = 2, ir_opt: bool = False):
        self._libc = _libs()[0]
        try:
            mod = llvm.parse_assembly(source)
        except RuntimeError as e:
            raise OracleError(f"LLVM IR does not parse: {str(e).strip()}") from None
        tm = llvm.Target.from_default_triple().create_target_machine(opt=codegen_opt)
        mod.triple = llvm.get_default_triple()
        mod.data_layout = str(tm.target_data)
        mod.verify()
        if ir_opt:
            _optimise(mod, tm)
            mod.verify()
        _bind_externals(mod)
        self.ee = llvm.create_mcjit_compiler(mod, tm)
        self.ee.finalize_object()
        self.mod = mod
        # the types of the unoptimised definitions (the optimiser may drop
        # unused functions, but never a defined external one)
        self.types = {}
        for f in llvm.parse_assembly(source).functions:
            if not f.is_declaration:
                fty = f.global_value_type
                self.types[f.name] = (str(fty.get_function_return()),
                                      [str(p) for p in fty.get_function_parameters()])

    def function(self, name: str, signature: Optional[str] = None):
        """(ctypes function, result type, parameter types) for `name`; the types
        come from `signature` (rig syntax) or else from the IR."""
        if signature is not None:
            ret, params = _types_of(str(signature))
        elif name in self.types:
            ret, params = self.types[name]
        else:
            raise OracleError(f"no function {name!r} defined in the program")
        for t in [ret] + params:
            if t not in _CTYPES:
                raise OracleError(f"{name}: type {t} not supported by the host oracle")
        addr = self.ee.get_function_address(name)
        if not addr:
            raise OracleError(f"no address for {name!r}")
        proto = ctypes.CFUNCTYPE(_CTYPES[ret], *[_CTYPES[p] for p in params])
        return proto(addr), ret, params

    def call(self, name: str, args: Sequence = (), signature: Optional[str] = None,
             capture: bool = True) -> Tuple[object, bytes]:
        """(value, what it wrote to file descriptor 1); integers as the type says (iN signed, uN not)."""
        fn, ret, params = self.function(name, signature)
        if len(params) != len(args):
            raise OracleError(f"{name} takes {len(params)} arguments, got {len(args)}")
        argv = []
        for t, a in zip(params, args):
            if t in ("float", "double", "f32", "f64"):
                argv.append(float(a))
            elif _CTYPES[t] is U128:
                v = int(a) & ((1 << 128) - 1)
                argv.append(U128(v & ((1 << 64) - 1), v >> 64))
            elif isinstance(a, int):
                argv.append(a)
            else:
                raise OracleError(f"{name}: integer argument expected for {t}, got {a!r}")
        out, res = self.captured(fn, argv) if capture else (b"", fn(*argv))
        if ret == "i1":
            res &= 1
        elif _CTYPES[ret] is U128:
            res = res.lo | (res.hi << 64)
            if ret == "i128" and res >> 127:
                res -= 1 << 128
        elif ret == "ptr":
            res = res or 0
        return res, out

    def captured(self, fn, argv):
        """Call `fn`, capturing what it writes to file descriptor 1: (output, result)."""
        libc = self._libc
        sys.stdout.flush()
        libc.fflush(None)
        saved = os.dup(1)
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 1)
            try:
                res = fn(*argv)
                libc.fflush(None)
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            tmp.seek(0)
            out = tmp.read()
        return out, res


_modules: "OrderedDict[tuple, HostModule]" = OrderedDict()
_CACHED = 64


def host_module(ir: str, codegen_opt: int = 2, ir_opt: bool = False) -> HostModule:
    """The `HostModule` for this IR text, compiled once (the most recent few are kept)."""
    key = (ir, codegen_opt, ir_opt)
    with _lock:
        hit = _modules.get(key)
        if hit is not None:
            _modules.move_to_end(key)
            return hit
    m = HostModule(ir, codegen_opt, ir_opt)
    with _lock:
        _modules[key] = m
        while len(_modules) > _CACHED:
            _modules.popitem(last=False)
    return m


def host_invoke(ir: str, name: str, args: Sequence = (), signature: Optional[str] = None, *,
                codegen_opt: int = 2, ir_opt: bool = False) -> Tuple[object, bytes]:
    """(value, stdout) of `name(*args)` run natively; the module is cached per IR
    text, so its globals keep their state from earlier calls."""
    return host_module(ir, codegen_opt, ir_opt).call(name, args, signature)


def host_run(ir: str, name: str, args: Sequence = (), signature: Optional[str] = None, *,
             codegen_opt: int = 2, ir_opt: bool = False):
    """The value of `name(*args)` run natively on this x86-64 host (output not captured)."""
    return host_module(ir, codegen_opt, ir_opt).call(name, args, signature, capture=False)[0]


def packed_reference(jit_target_name: str, ir, name: str, args: Sequence = (),
                     signature: Optional[str] = None, **jit_options) -> Tuple[object, bytes]:
    """(value, stdout) of `name(*args)` in the rig on `jit_target_name`, with every
    section packed in order (`placement="packed"`) in a fresh process."""
    from .jit import Jit
    with Jit(jit_target_name, placement="packed", **jit_options) as jit:
        r = jit.load(ir).invoke(name, *args, signature=signature)
        return r.value, r.stdout
