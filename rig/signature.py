"""C-level function signatures: what the calling convention needs to know.

Grammar: ``ret(param, param, ...)`` where each type is one of
``void i1 i8 u8 i16 u16 i32 u32 i64 u64 i128 u128 ptr size ssize f32 f64``
(``float``/``double``/``int``/``long`` are accepted aliases), a final
``...`` marks a variadic function, and a result may be a brace group such as
``{i32,i32}`` for values returned in consecutive integer registers (the ARM
EABI ``__aeabi_idivmod`` family).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Tuple

from .errors import SignatureError


@dataclass(frozen=True)
class CType:
    """A scalar C type: its kind ("int", "float", "void"), size in bytes
    (0 for pointer-sized, resolved per target), and signedness."""

    name: str
    kind: str
    size: int
    signed: bool = False

    def byte_size(self, pointer_size: int) -> int:
        """Size in bytes on a target with `pointer_size`-byte pointers."""
        return self.size or pointer_size


_TYPES = {
    "void": CType("void", "void", 0),
    "i1": CType("i1", "int", 1, False),
    "bool": CType("i1", "int", 1, False),
    "i8": CType("i8", "int", 1, True), "u8": CType("u8", "int", 1),
    "i16": CType("i16", "int", 2, True), "u16": CType("u16", "int", 2),
    "i32": CType("i32", "int", 4, True), "u32": CType("u32", "int", 4),
    "int": CType("i32", "int", 4, True),
    "i64": CType("i64", "int", 8, True), "u64": CType("u64", "int", 8),
    "i128": CType("i128", "int", 16, True), "u128": CType("u128", "int", 16),
    "ptr": CType("ptr", "int", 0), "size": CType("size", "int", 0),
    "ssize": CType("ssize", "int", 0, True), "long": CType("ssize", "int", 0, True),
    "ulong": CType("size", "int", 0),
    "f32": CType("f32", "float", 4, True), "float": CType("f32", "float", 4, True),
    "f64": CType("f64", "float", 8, True), "double": CType("f64", "float", 8, True),
}


def ctype(name: str) -> CType:
    """The `CType` called `name`, or `SignatureError`."""
    try:
        return _TYPES[name.strip()]
    except KeyError:
        raise SignatureError(f"unknown type {name.strip()!r}; known: {', '.join(sorted(_TYPES))}") from None


@dataclass(frozen=True)
class Signature:
    """A function's result type(s), parameter types, and whether it is variadic."""

    result: Tuple[CType, ...]      #: empty for void; several for a register group
    params: Tuple[CType, ...]
    variadic: bool = False

    def __str__(self) -> str:
        res = "void" if not self.result else (
            self.result[0].name if len(self.result) == 1 else "{" + ",".join(t.name for t in self.result) + "}")
        ps = [t.name for t in self.params] + (["..."] if self.variadic else [])
        return f"{res}({', '.join(ps)})"


_SIG = re.compile(r"^\s*(\{[^}]*\}|[A-Za-z0-9_]+)\s*\((.*)\)\s*$")


@lru_cache(maxsize=None)
def parse(text: str) -> Signature:
    """Parse ``"u64(ptr, u64, u64)"`` into a `Signature`."""
    if isinstance(text, Signature):
        return text
    m = _SIG.match(text or "")
    if not m:
        raise SignatureError(f"malformed signature {text!r}: expected e.g. 'u64(ptr, u64)'")
    res_text, params_text = m.groups()
    if res_text.startswith("{"):
        result = tuple(ctype(t) for t in res_text[1:-1].split(",") if t.strip())
    else:
        r = ctype(res_text)
        result = () if r.kind == "void" else (r,)
    params = []
    variadic = False
    items = [p.strip() for p in params_text.split(",")] if params_text.strip() else []
    for i, p in enumerate(items):
        if p == "...":
            if i != len(items) - 1:
                raise SignatureError(f"in {text!r}: '...' must come last")
            variadic = True
            continue
        t = ctype(p)
        if t.kind == "void":
            if len(items) == 1:
                continue
            raise SignatureError(f"in {text!r}: void is not a parameter type")
        params.append(t)
    return Signature(result, tuple(params), variadic)


def coerce_int(value: int, t: CType, pointer_size: int) -> int:
    """The bit pattern of integer `value` as type `t` (two's complement), or
    `SignatureError` when it fits neither the signed nor the unsigned range."""
    bits = 8 * t.byte_size(pointer_size)
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int):
        raise SignatureError(f"expected an integer for {t.name}, got {value!r}")
    if not (-(1 << (bits - 1)) <= value < (1 << bits)):
        raise SignatureError(f"{value} does not fit {t.name} ({bits} bits)")
    return value & ((1 << bits) - 1)


def from_bits(bits_value: int, t: CType, pointer_size: int) -> int:
    """Interpret a raw register value as integer type `t`."""
    bits = 8 * t.byte_size(pointer_size)
    v = bits_value & ((1 << bits) - 1)
    if t.signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def ir_type(text: str, zeroext: bool = False) -> Optional[CType]:
    """The `CType` for an LLVM IR type name, or None if the rig cannot pass it."""
    text = text.strip()
    table = {"void": "void", "float": "f32", "double": "f64", "ptr": "ptr", "i1": "i1"}
    if text in table:
        return _TYPES[table[text]]
    if text.endswith("*"):
        return _TYPES["ptr"]
    m = re.fullmatch(r"i(8|16|32|64|128)", text)
    if m:
        return _TYPES[("u" if zeroext else "i") + m.group(1)]
    return None


#: How C and assembly sources start a comment line (a header is the leading comment lines).
HEADER_COMMENTS = ("//", ";", "#", "@")


def header_lines(text: str):
    """(line number, KEY, rest) for each ``KEY: rest`` line of a source's header,
    the comment lines it starts with (``; CALL: f(1) == 2``, ``// SIG: f i32(i32)``)."""
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        prefix = next((p for p in HEADER_COMMENTS if s.startswith(p)), None)
        if prefix is None:
            return
        key, _, rest = s[len(prefix):].strip().partition(":")
        yield lineno, key.strip().upper(), rest.strip()


def header_signatures(text: str) -> Dict[str, Signature]:
    """`name -> Signature` from the ``SIG: name i32(i32)`` lines in the leading
    comments of a C or assembly source: an object carries no types, so these
    sources state them (``rig run`` and ``jit.load`` both read them)."""
    out: Dict[str, Signature] = {}
    for _, key, rest in header_lines(text):
        if key == "SIG":
            name, _, sig = rest.partition(" ")
            out[name] = parse(sig.strip())
    return out
