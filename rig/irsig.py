"""Function signatures read from LLVM IR, so `Module.call` needs no types."""
from __future__ import annotations

import re
from typing import Dict, Optional

from .signature import Signature, ir_type


def signatures(data: bytes, kind: str) -> Dict[str, Signature]:
    """name -> `Signature` for every function defined in IR text or bitcode
    whose types the rig can pass (others are left out).  A name that is not
    UTF-8 (`@"\\A2"`) is keyed as `rig.objfile` names its symbol (undecodable
    bytes as U+FFFD), so the signature is found under the loaded symbol's name."""
    import llvmlite.binding as llvm
    try:
        module = llvm.parse_assembly(data.decode("utf-8", "replace")) if kind == "ir" else llvm.parse_bitcode(data)
    except RuntimeError:
        return {}
    text = data.decode("utf-8", "replace") if kind == "ir" else ""
    out = {}
    for f in module.functions:
        try:
            if f.is_declaration:
                continue
            name = _name(f)
            sig = _signature(f, name, text)
        except UnicodeDecodeError:
            # llvmlite decodes every string it returns as strict UTF-8: a type or attribute
            # it cannot decode leaves this function without a signature (one may be given)
            continue
        if sig is not None:
            out[name] = sig
    return out


def _name(f) -> str:
    try:
        return f.name
    except UnicodeDecodeError:
        # llvmlite's `name` is strict UTF-8; the raw bytes decode as the ELF symbol's name does
        from llvmlite.binding import ffi
        return ffi.lib.LLVMPY_GetValueName(f).decode("utf-8", "replace")


def _signature(f, name: str, text: str) -> Optional[Signature]:
    fn_type = str(f.global_value_type)
    m = re.match(r"^(.*?)\s*\((.*)\)$", fn_type)
    if not m:
        return None
    ret_zext = bool(re.search(r"define[^@\n]*\bzeroext\b[^@\n]*@\"?" + re.escape(name) + r"\"?\(", text))
    ret = ir_type(m.group(1), zeroext=ret_zext)
    params = []
    ok = ret is not None
    for a in f.arguments:
        t = ir_type(str(a.type), zeroext=b"zeroext" in list(a.attributes))
        ok = ok and t is not None
        params.append(t)
    if not ok:
        return None
    variadic = m.group(2).rstrip().endswith("...")
    return Signature(() if ret.kind == "void" else (ret,), tuple(params), variadic)
