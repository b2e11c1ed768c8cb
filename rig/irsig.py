"""Function signatures read from LLVM IR, so `Module.call` needs no types."""
from __future__ import annotations

import re
from typing import Dict

from .signature import Signature, ir_type


def signatures(data: bytes, kind: str) -> Dict[str, Signature]:
    """name -> `Signature` for every function defined in IR text or bitcode
    whose types the rig can pass (others are left out)."""
    import llvmlite.binding as llvm
    try:
        module = llvm.parse_assembly(data.decode("utf-8", "replace")) if kind == "ir" else llvm.parse_bitcode(data)
    except RuntimeError:
        return {}
    text = data.decode("utf-8", "replace") if kind == "ir" else ""
    out = {}
    for f in module.functions:
        if f.is_declaration:
            continue
        fn_type = str(f.global_value_type)
        m = re.match(r"^(.*?)\s*\((.*)\)$", fn_type)
        if not m:
            continue
        ret_zext = bool(re.search(r"define[^@\n]*\bzeroext\b[^@\n]*@\"?" + re.escape(f.name) + r"\"?\(", text))
        ret = ir_type(m.group(1), zeroext=ret_zext)
        params = []
        ok = ret is not None
        for a in f.arguments:
            t = ir_type(str(a.type), zeroext=b"zeroext" in list(a.attributes))
            ok = ok and t is not None
            params.append(t)
        if not ok:
            continue
        variadic = m.group(2).rstrip().endswith("...")
        out[f.name] = Signature(() if ret.kind == "void" else (ret,), tuple(params), variadic)
    return out
