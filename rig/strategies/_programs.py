"""Random, well-defined LLVM IR programs that make every target relocate a lot.

A program is functions ``i64 @fK(i64)`` spread over named text sections
(``.text.sJ``) and an entry ``i64 @checksum(i64)`` folding everything into a
64-bit checksum, with the data they use: function-pointer tables, globals whose
initialisers point into other globals with (negative) addends, constant
strings, zero-initialised arrays, float and double constants.  Bodies are drawn
from ingredients: 64-bit and narrow arithmetic, dense switches (jump tables),
direct, tail (`tail`/`musttail`) and indirect calls, bounded self-recursion,
memcpy/memset/strlen on the host.

Every program computes the same checksum on all four targets and the host: no
nsw/nuw/exact, divisors forced nonzero (positive when signed), shift amounts
masked, pointers used only for addressing (typed GEPs, never byte offsets
into pointer-holding data), floats finite and in range before `fptosi`.  The
entry is re-entrant (state is reset or rewritten before it is read).

One builder serves two sources of choices: `build_program(rng)` draws from
`random.Random` (deterministic, e.g. for `rig fuzz`); `programs()` draws from
Hypothesis, whose integers shrink low, booleans to False and picks to the
first option, so a failure shrinks toward fewer sections and plain arithmetic.
Each function and each ingredient of a body is drawn in a span of its own,
its "one more?" choice included, so the shrinker deletes whole functions and
ingredients (fK calls only fJ, J < K: any of them can go).
"""
from __future__ import annotations

import random
import struct
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple, Union

from hypothesis import strategies as st

ENTRY, SIGNATURE = "checksum", "i64(i64)"
_COST_LIMIT = 200          # function invocations per entry call (recursion multiplies by 8)
_FNV32, _FNV32_PRIME = -2128831035, 16777619          # 2166136261 as a signed i32
_LINKAGE = ("", "dso_local ", "internal ")            # GOT where the compiler likes / direct / section symbol


@dataclass(frozen=True)
class Program:
    """A generated program: call `entry` (signature `SIGNATURE`) for its checksum."""

    ir: str                       #: LLVM IR text, without target triple or datalayout
    entry: str
    functions: int                #: functions besides the entry
    sections: int                 #: named text sections they are spread over
    description: str              #: one line: the ingredients used
    thumb_mix: bool = False       #: some functions carry "+thumb-mode"/"-thumb-mode"

    @property
    def signature(self) -> str:
        """The entry's rig signature."""
        return SIGNATURE

    @property
    def portable_ir(self) -> str:
        """`ir` without the ARM-only target features (other targets warn about them)."""
        return self.ir.replace(' "target-features"="+thumb-mode"', "").replace(
            ' "target-features"="-thumb-mode"', "")


class RandomChoices:
    """Choices from a `random.Random`, as `build_program` makes them."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return self.rng.randint(lo, hi)

    def flag(self) -> bool:
        """A coin toss."""
        return self.rng.random() < 0.5

    def pick(self, options: Sequence):
        """One of `options`."""
        return options[self.rng.randrange(len(options))]

    def more(self) -> bool:
        """Whether a repetition goes on (3 in 4)."""
        return self.rng.random() < 0.75

    def group(self, fn):
        """`fn(choices)`: its choices belong together (Hypothesis can delete them as one)."""
        return fn(self)


class _DrawChoices(RandomChoices):
    """Choices from Hypothesis: integers shrink to `lo`, flags to False, picks to the first."""

    def __init__(self, draw):
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def pick(self, options: Sequence):
        return self.draw(st.sampled_from(options))

    def more(self) -> bool:
        return self.draw(st.integers(0, 3)) > 0

    def group(self, fn):
        return self.draw(_group(fn))


@st.composite
def _group(draw, fn):
    """One span of the choice sequence, for `_DrawChoices.group`."""
    return fn(_DrawChoices(draw))


def _lit(v: int, bits: int = 64) -> str:
    """The IR literal of `v` as a `bits`-bit two's-complement integer."""
    v &= (1 << bits) - 1
    return str(v - (1 << bits) if v >> (bits - 1) else v)


def _fp(v: float) -> str:
    """An exact double (or float, when `v` is one) constant in IR hex."""
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", v))[0]


class _Fn:
    """SSA text for one function body: fresh names, the current block."""

    def __init__(self):
        self.lines: List[str] = []
        self.n, self.cur = 0, "entry"

    def name(self, prefix: str = "v") -> str:
        self.n += 1
        return f"%{prefix}{self.n}"

    def val(self, text: str, prefix: str = "v") -> str:
        r = self.name(prefix)
        self.lines.append(f"  {r} = {text}")
        return r

    def set(self, name: str, text: str) -> None:
        self.lines.append(f"  {name} = {text}")

    def do(self, text: str) -> None:
        self.lines.append(f"  {text}")

    def label(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def start(self, label: str) -> None:
        self.lines.append(f"{label}:")
        self.cur = label

    def bits(self, x: str, shift: int, mask: int) -> str:
        """(x >> shift) & mask."""
        return self.val(f"and i64 {self.val(f'lshr i64 {x}, {shift}') if shift else x}, {mask}")

    def mix(self, h: str, v: str) -> str:
        """Fold `v` into the running hash `h` (FNV-like, high bits folded down)."""
        b = self.val(f"mul i64 {self.val(f'xor i64 {h}, {v}')}, 1099511628211")
        return self.val(f"xor i64 {b}, {self.val(f'lshr i64 {b}, 29')}", "h")

    def loop(self, n: int, body) -> None:
        """for i in 0..n-1: body(i)  (the body must not branch)."""
        pre, loop, done = self.cur, self.label("loop"), self.label("done")
        i, i1 = self.name("i"), self.name("i")
        self.do(f"br label %{loop}")
        self.start(loop)
        self.set(i, f"phi i64 [ 0, %{pre} ], [ {i1}, %{loop} ]")
        body(i)
        self.set(i1, f"add i64 {i}, 1")
        self.do(f"br i1 {self.val(f'icmp eq i64 {i1}, {n}')}, label %{done}, label %{loop}")
        self.start(done)

    def hash_bytes(self, base: str, count: int = 0) -> str:
        """FNV-1a over the bytes at `base`: `count` of them, or up to the NUL when 0."""
        pre, loop, body, done = self.cur, self.label("hb"), self.label("hbody"), self.label("hdone")
        i, h, i1, h2 = self.name("i"), self.name("hh"), self.name("i"), self.name("hh")
        self.do(f"br label %{loop}")
        self.start(loop)
        self.set(i, f"phi i64 [ 0, %{pre} ], [ {i1}, %{body} ]")
        self.set(h, f"phi i32 [ {_FNV32}, %{pre} ], [ {h2}, %{body} ]")
        b = self.val(f"load i8, ptr {self.val(f'getelementptr i8, ptr {base}, i64 {i}')}")
        stop = self.val(f"icmp eq i64 {i}, {count}" if count else f"icmp eq i8 {b}, 0")
        self.do(f"br i1 {stop}, label %{done}, label %{body}")
        self.start(body)
        h1 = self.val(f"xor i32 {h}, {self.val(f'zext i8 {b} to i32')}")
        self.set(h2, f"mul i32 {h1}, {_FNV32_PRIME}")
        self.set(i1, f"add i64 {i}, 1")
        self.do(f"br label %{loop}")
        self.start(done)
        return self.val(f"zext i32 {h} to i64")


_INGREDIENTS = ("arith", "call", "switch", "table", "string", "bss", "pointers", "float", "mem")
_DECLS = {
    "fshl": "declare i64 @llvm.fshl.i64(i64, i64, i64)",
    "memcpy": "declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)",
    "memset": "declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)",
    "strlen": "declare i64 @strlen(ptr)",   # i64 even where size_t is 32 bits: truncated before use
    "sqrt": "declare double @llvm.sqrt.f64(double)",
    "fabs": "declare double @llvm.fabs.f64(double)",
}


class _Gen:
    """Builds one program from choices."""

    def __init__(self, c: RandomChoices, max_functions: int, max_sections: int, host_calls: bool,
                 thumb_mix: bool):
        self.c, self.thumb_mix = c, thumb_mix
        self.kinds = _INGREDIENTS if host_calls else _INGREDIENTS[:-1]
        self.max_functions, self.max_sections = max(1, max_functions), max(1, max_sections)
        self.data_sections = c.flag()          # every data global in a named section of its own
        self.counting = c.flag()               # every function counts its calls in @calls
        self.globals: List[str] = []
        self.decls: Dict[str, str] = {}
        self.cost: Dict[int, int] = {}
        self.ng = 0

    def glob(self, prefix: str, kind: str, body: str) -> str:
        """A new global of `kind` "data", "rodata" or "bss"; its name."""
        self.ng += 1
        name = f"@{prefix}{self.ng}"
        link = self.c.pick(_LINKAGE) + ("constant" if kind == "rodata" else "global")
        sec = f', section ".{kind}.rig.{prefix}{self.ng}"' if self.data_sections else ""
        self.globals.append(f"{name} = {link} {body}{sec}")
        return name

    def repeat(self, most: int, fn) -> list:
        """[fn(), ...]: at least once, at most `most` times, while the choices say more;
        each call in a group with its "more?" choice (the first one's is ignored)."""
        out: list = []

        def one(c):
            saved, self.c = self.c, c
            try:
                return fn() if c.more() or not out else None
            finally:
                self.c = saved
        while len(out) < most:
            r = self.c.group(one)
            if r is None:
                break
            out.append(r)
        return out

    def string(self, lo: int, hi: int) -> str:
        """A private constant C string of printable bytes (mergeable .rodata.str: section-relative)."""
        text = bytes(self.c.integer(0x21, 0x7E) for _ in range(self.c.integer(lo, hi)))
        self.ng += 1
        esc = "".join(chr(b) if chr(b).isalnum() else "\\%02X" % b for b in text)
        self.globals.append(f'@str{self.ng} = private unnamed_addr constant [{len(text) + 1} x i8] c"{esc}\\00"')
        return f"@str{self.ng}"

    # -- ingredients: each reads `x` and returns an i64 value --------------------

    def arith(self, f: _Fn, x: str) -> str:
        c, v = self.c, x
        for _ in range(c.integer(1, 6)):
            op = c.pick(("add", "mul", "xor", "shift", "udiv", "sdiv", "rotl", "narrow", "select"))
            other = x if c.flag() else _lit(c.integer(-(1 << 63), (1 << 63) - 1))
            if op in ("add", "mul", "xor"):
                v = f.val(f"{op} i64 {v}, {other}")
            elif op == "shift":                                         # masked amount: never poison
                v = f.val(f"{c.pick(('shl', 'lshr', 'ashr'))} i64 {v}, {f.val(f'and i64 {other}, 63')}")
            elif op == "udiv":                                          # | 1: nonzero (a libcall on ARM)
                v = f.val(f"{c.pick(('udiv', 'urem'))} i64 {v}, {f.val(f'or i64 {other}, 1')}")
            elif op == "sdiv":                                          # 1..65536: neither 0 nor -1
                d = f.val(f"add i64 {f.val(f'and i64 {other}, 65535')}, 1")
                v = f.val(f"{c.pick(('sdiv', 'srem'))} i64 {v}, {d}")
            elif op == "rotl":
                self.decls["fshl"] = _DECLS["fshl"]
                v = f.val(f"call i64 @llvm.fshl.i64(i64 {v}, i64 {v}, i64 {other})")
            elif op == "narrow":
                t = c.pick(("i32", "i16", "i8"))
                b = f.val(f"or {t} {f.val(f'trunc i64 {other} to {t}')}, 1")
                r = f.val(f"{c.pick(('mul', 'udiv', 'urem', 'add', 'sub'))} {t} {f.val(f'trunc i64 {v} to {t}')}, {b}")
                v = f.val(f"{c.pick(('zext', 'sext'))} {t} {r} to i64")
            else:
                cond = f.val(f"icmp {c.pick(('ult', 'slt', 'eq', 'ugt'))} i64 {v}, {other}")
                v = f.val(f"select i1 {cond}, i64 {v}, i64 {f.val(f'xor i64 {v}, {c.integer(0, 1 << 20)}')}")
        return v

    def switch(self, f: _Fn, x: str) -> str:
        c = self.c
        sel = f.bits(x, c.integer(0, 60), 15)
        join, default = f.label("sw.join"), f.label("sw.def")
        cases = [f.label("sw.case") for _ in range(c.integer(8, 16))]      # dense: a jump table
        f.do(f"switch i64 {sel}, label %{default} [ " +
             " ".join(f"i64 {i}, label %{lab}" for i, lab in enumerate(cases)) + " ]")
        ops, incoming = ("add", "xor", "mul", "sub", "shl", "lshr", "or", "and"), []
        for i, lab in enumerate(cases):
            f.start(lab)
            op = ops[(i + c.integer(0, 7)) % len(ops)]          # mixed ops: nothing common to hoist
            k = c.integer(1, 63) if op in ("shl", "lshr") else c.integer(-(1 << 31), 1 << 31)
            incoming.append((f.val(f"{op} i64 {x}, {k}"), lab))
            f.do(f"br label %{join}")
        f.start(default)
        incoming.append((str(c.integer(0, 1 << 16)), default))
        f.do(f"br label %{join}")
        f.start(join)
        return f.val("phi i64 " + ", ".join(f"[ {v}, %{lab} ]" for v, lab in incoming))

    def string_hash(self, f: _Fn, x: str) -> str:
        base = name = self.string(4, 40)
        if self.c.flag():            # through a pointer global with an addend into the string
            base = f.val(f"load ptr, ptr {self.glob('sp', 'data', f'ptr getelementptr (i8, ptr {name}, i64 2)')}")
        # a variable start: the loop cannot be folded away
        return f.hash_bytes(f.val(f"getelementptr i8, ptr {base}, i64 {f.bits(x, 0, 1)}"))

    def bss(self, f: _Fn, x: str) -> str:
        c = self.c
        n, t = c.pick((8, 16, 32, 64)), c.pick(("i64", "i32", "i16", "i8"))
        arr, mul, ext = self.glob("bss", "bss", f"[{n} x {t}] zeroinitializer"), c.integer(1, 1 << 40) | 1, \
            c.pick(("zext", "sext"))

        def write(i):                 # every element is written before any is read back
            w = f.val(f"xor i64 {f.val(f'mul i64 {i}, {mul}')}, {x}")
            w = f.val(f"trunc i64 {w} to {t}") if t != "i64" else w
            f.do(f"store {t} {w}, ptr {f.val(f'getelementptr [{n} x {t}], ptr {arr}, i64 0, i64 {i}')}")
        f.loop(n, write)
        acc = "0"
        for shift in (0, c.integer(1, 58)):
            p = f.val(f"getelementptr [{n} x {t}], ptr {arr}, i64 0, i64 {f.bits(x, shift, n - 1)}")
            e = f.val(f"load {t}, ptr {p}")
            acc = f.mix(acc, f.val(f"{ext} {t} {e} to i64") if t != "i64" else e)
        return acc

    def pointers(self, f: _Fn, x: str) -> str:
        c = self.c
        vals = ", ".join(f"i32 {_lit(c.integer(0, (1 << 32) - 1), 32)}" for _ in range(8))
        arr = self.glob("arr", "data", f"[8 x i32] [{vals}]")
        p = self.glob("p", c.pick(("data", "rodata")), f"ptr getelementptr (i8, ptr {arr}, i64 {4 * c.integer(0, 4)})")
        q = f.val(f"getelementptr i32, ptr {f.val(f'load ptr, ptr {p}')}, i64 {f.bits(x, 0, 3)}")
        acc = f.val(f"sext i32 {f.val(f'load i32, ptr {q}')} to i64")              # arr[a + (x & 3)]
        if c.flag():                  # a negative addend, added back at run time (no inbounds)
            b = c.integer(1, 4)
            neg = f.val(f"load ptr, ptr {self.glob('q', 'data', f'ptr getelementptr (i8, ptr {arr}, i64 {-4 * b})')}")
            off = f.val(f"add i64 {f.val(f'shl i64 {f.bits(x, 2, 3)}, 2')}, {4 * b}")
            e = f.val(f"load i32, ptr {f.val(f'getelementptr i8, ptr {neg}, i64 {off}')}")
            acc = f.mix(acc, f.val(f"zext i32 {e} to i64"))
        if c.flag():                  # a struct with pointers: its layout differs per target, field indices do not
            ty = "{ i32, ptr, i64, ptr }"
            k1, k2 = c.integer(0, 1 << 30), c.integer(0, 1 << 62)
            rec = self.glob("rec", "data", f"{ty} {{ i32 {k1}, ptr {p}, i64 {k2}, "
                                           f"ptr getelementptr ([8 x i32], ptr {arr}, i64 0, i64 7) }}")
            fld = [f.val(f"getelementptr {ty}, ptr {rec}, i32 0, i32 {i}") for i in range(4)]
            pp = f.val(f"load ptr, ptr {fld[1]}")                                   # -> @p -> arr
            e1 = f.val(f"load i32, ptr {f.val(f'load ptr, ptr {pp}')}")
            e3 = f.val(f"load i32, ptr {f.val(f'load ptr, ptr {fld[3]}')}")
            for e in (f.val(f"zext i32 {e1} to i64"), f.val(f"zext i32 {e3} to i64")):
                acc = f.mix(acc, e)
            acc = f.mix(acc, f.val(f"load i64, ptr {fld[2]}"))
        return acc

    def float_(self, f: _Fn, x: str) -> str:
        c = self.c
        # |x'| <= 65535, |c1| <= 100, |c2| <= 250000, |c3| in [0.5, 100], |cf| <= 4: the value
        # before fptosi is finite and below 6.1e7 in magnitude, well inside i32
        c1, c2 = c.integer(-800, 800) / 8, c.integer(-1000000, 1000000) / 4
        c3, cf = c.integer(4, 800) / 8 * c.pick((1, -1)), c.integer(-32, 32) / 8
        a = f.bits(x, 0, 65535)
        d = (f.val(f"uitofp i64 {a} to double") if c.flag()       # __aeabi_ul2d on ARM
             else f.val(f"sitofp i32 {f.val(f'trunc i64 {a} to i32')} to double"))
        k1, kf = _fp(c1), _fp(cf)
        if c.flag():                  # constants from data, not the constant pool
            k1 = f.val(f"load double, ptr {self.glob('cd', c.pick(('data', 'rodata')), f'double {k1}')}")
            kf = f.val(f"load float, ptr {self.glob('cf', 'data', f'float {kf}')}")
        d = f.val(f"fmul double {d}, {k1}")
        d = f.val(f"fadd double {d}, {_fp(c2)}")
        d = f.val(f"fdiv double {d}, {_fp(c3)}")
        if c.flag():
            self.decls.update(sqrt=_DECLS["sqrt"], fabs=_DECLS["fabs"])
            d = f.val(f"call double @llvm.sqrt.f64(double {f.val(f'call double @llvm.fabs.f64(double {d})')})")
        s = f.val(f"fmul float {f.val(f'fptrunc double {d} to float')}, {kf}")
        i = f.val(f"fptosi double {f.val(f'fpext float {s} to double')} to i32")
        return f.mix(f.val(f"sext i32 {i} to i64"), f.val(f"bitcast double {d} to i64"))

    def mem(self, f: _Fn, x: str) -> str:
        c = self.c
        self.decls.update(memcpy=_DECLS["memcpy"], memset=_DECLS["memset"])
        buf, src = self.glob("buf", "bss", "[64 x i8] zeroinitializer"), self.string(32, 40)
        f.do(f"call void @llvm.memset.p0.i64(ptr {buf}, i8 {c.integer(1, 127)}, i64 63, i1 false)")
        f.do(f"store i8 0, ptr getelementptr ([64 x i8], ptr {buf}, i64 0, i64 63)")
        dst = f.val(f"getelementptr i8, ptr {buf}, i64 {f.bits(x, 5, 31)}")          # off + n <= 62
        f.do(f"call void @llvm.memcpy.p0.p0.i64(ptr {dst}, ptr {src}, i64 {f.bits(x, 0, 31)}, i1 false)")
        f.do(f"call void @llvm.memset.p0.i64(ptr getelementptr (i8, ptr {buf}, i64 40), "
             f"i8 {c.integer(1, 127)}, i64 {f.bits(x, 10, 15)}, i1 false)")      # variable sizes: real calls
        h = f.hash_bytes(buf, 64)
        if c.flag():
            self.decls["strlen"] = _DECLS["strlen"]
            ln = f.val(f"call i64 @strlen(ptr {f.val(f'getelementptr i8, ptr {buf}, i64 {f.bits(x, 14, 7)}')})")
            h = f.mix(h, f.val(f"zext i32 {f.val(f'trunc i64 {ln} to i32')} to i64"))   # r1 is junk on ARM
        return h

    # -- calls and functions ---------------------------------------------------

    def table(self, f: _Fn, x: str, targets: List[int], tail: str = "") -> Tuple[str, int]:
        """An indirect call through a table of `targets`: (value, cost)."""
        c = self.c
        m = c.pick((2, 4, 8))
        entries = [targets[(i + c.integer(0, len(targets) - 1)) % len(targets)] for i in range(m)]
        tab = self.glob("tab", c.pick(("data", "rodata")), f"[{m} x ptr] [{', '.join(f'ptr @f{j}' for j in entries)}]")
        if c.flag():                  # through a pointer into the table (typed GEP: no pointer-size bytes)
            at = c.integer(0, m - 1)
            tp = self.glob("tp", "data", f"ptr getelementptr ([{m} x ptr], ptr {tab}, i64 0, i64 {at})")
            base, idx = f.val(f"load ptr, ptr {tp}"), f.val(f"urem i64 {x}, {m - at}")
            slot = f.val(f"getelementptr ptr, ptr {base}, i64 {idx}")
        else:
            slot = f.val(f"getelementptr [{m} x ptr], ptr {tab}, i64 0, i64 {f.bits(x, c.integer(0, 60), m - 1)}")
        return f.val(f"{tail}call i64 {f.val(f'load ptr, ptr {slot}')}(i64 {x})"), max(self.cost[j] for j in entries)

    def function(self, k: int) -> Tuple[str, List[str]]:
        """fK, which may call f0..fK-1 (built already, so their cost is known): its
        definition, with "{section}" for its section's number, and what it uses."""
        c, f = self.c, _Fn()
        recursive = c.flag()
        mult, cost, used = (8 if recursive else 1), 1, []
        if self.counting:
            n = f.val("load i64, ptr @calls")
            f.do(f"store i64 {f.val(f'add i64 {n}, 1')}, ptr @calls")
        h = f.val(f"xor i64 %x, {c.integer(0, 1 << 62)}", "h")
        if recursive:                 # bounded: the low 3 bits of x count down to 0
            do, skip, join = f.label("rec"), f.label("norec"), f.label("recjoin")
            lo = f.bits("%x", 0, 7)
            f.do(f"br i1 {f.val(f'icmp eq i64 {lo}, 0')}, label %{skip}, label %{do}")
            f.start(do)
            r = f.val(f"call i64 @f{k}(i64 {f.val('sub i64 %x, 1')})")
            f.do(f"br label %{join}")
            f.start(skip)
            f.do(f"br label %{join}")
            f.start(join)
            h = f.mix(h, f.val(f"phi i64 [ {r}, %{do} ], [ 7, %{skip} ]"))
            used.append("recursion")

        def targets():
            return [j for j in range(k) if (cost + self.cost[j]) * mult <= _COST_LIMIT]

        def ingredient():
            nonlocal cost, h
            c = self.c
            kind, arg = c.pick(self.kinds), f.val(f"add i64 {h}, {c.integer(0, 1 << 32)}")
            callees = targets()
            kind = "arith" if kind in ("call", "table") and not callees else kind
            if kind == "call":
                j = c.pick(callees)
                v, extra = f.val(f"call i64 @f{j}(i64 {arg})"), self.cost[j]
            elif kind == "table":
                v, extra = self.table(f, arg, callees)
            else:
                v, extra = getattr(self, {"string": "string_hash", "float": "float_"}.get(kind, kind))(f, arg), 0
            cost += extra
            h = f.mix(h, v)
            return kind
        used += self.repeat(4, ingredient)
        callees = targets()
        end = c.pick(("ret", "tail", "musttail", "tailtable")) if callees else "ret"
        if end in ("tail", "musttail"):          # a branch to another section: JUMP24/JUMP26/PLT32
            j = c.pick(callees)
            h, cost = f.val(f"{end} call i64 @f{j}(i64 {h})"), cost + self.cost[j]
        elif end == "tailtable":
            h, extra = self.table(f, h, callees, c.pick(("tail ", "musttail ")))
            cost += extra
        f.do(f"ret i64 {h}")
        self.cost[k] = mult * cost
        attr = c.pick((0, 1, 2)) if self.thumb_mix else 0
        body = "\n".join(f.lines)
        return (f'define {c.pick(_LINKAGE)}i64 @f{k}(i64 %x) #{attr} section ".text.s{{section}}" '
                f'{{\nentry:\n{body}\n}}\n', used + [end])

    def build(self) -> Program:
        funcs = []
        self.repeat(self.max_functions, lambda: funcs.append(self.function(len(funcs))) or True)
        self.nf = nf = len(funcs)
        self.ns = ns = self.c.integer(1, min(self.max_sections, nf))
        used = {u for _, us in funcs for u in us}
        funcs = [text.replace("{section}", str(k % ns)) for k, (text, _) in enumerate(funcs)]
        f, c = _Fn(), self.c
        if self.counting:
            f.do("store i64 0, ptr @calls")            # re-entrant: every call counts from zero
            self.globals.insert(0, "@calls = global i64 0")
        h = f.val(f"call i64 @f{self.nf - 1}(i64 %x)")
        budget = _COST_LIMIT - self.cost[self.nf - 1]
        for j in range(self.nf - 1):                   # more roots, while the budget lasts
            if self.cost[j] <= budget and c.flag():
                budget -= self.cost[j]
                h = f.mix(h, f.val(f"call i64 @f{j}(i64 {f.val(f'xor i64 %x, {c.integer(1, 1 << 62)}')})"))
        if self.counting:
            h = f.mix(h, f.val("load i64, ptr @calls"))
        f.do(f"ret i64 {h}")
        attrs = ["attributes #0 = { noinline }"]        # keep the calls: calls are what relocate
        if self.thumb_mix:
            attrs += [f'attributes #{i} = {{ noinline "target-features"="{m}thumb-mode" }}'
                      for i, m in ((1, "+"), (2, "-"))]
        body = "\n".join(f.lines)
        ir = "\n".join([f"; rig: generated: {self.nf} functions in {self.ns} sections", *self.globals,
                        *sorted(self.decls.values()), "", *funcs,
                        f"define i64 @{ENTRY}(i64 %x) #0 {{\nentry:\n{body}\n}}\n", *attrs, ""])
        desc = f"{self.nf} functions, {self.ns} sections: {' '.join(sorted(used - {'ret'}))}"
        return Program(ir, ENTRY, self.nf, self.ns, desc, self.thumb_mix)


def build_program(rng: Union[random.Random, int], max_functions: int = 6, max_sections: int = 4,
                  host_calls: bool = True, thumb_mix: bool = False) -> Program:
    """A program drawn from `rng` (a `random.Random` or a seed); the same seed, the same program."""
    if not isinstance(rng, random.Random):
        rng = random.Random(rng)
    return _Gen(RandomChoices(rng), max_functions, max_sections, host_calls, thumb_mix).build()


@st.composite
def _programs(draw, max_functions, max_sections, host_calls, thumb_mix):
    return _Gen(_DrawChoices(draw), max_functions, max_sections, host_calls, thumb_mix).build()


def programs(max_functions: int = 6, max_sections: int = 4, host_calls: bool = True,
             thumb_mix: bool = False) -> st.SearchStrategy[Program]:
    """Hypothesis strategy for `Program`s: up to `max_functions` functions in up to
    `max_sections` text sections; `host_calls` allows memcpy/memset/strlen; `thumb_mix`
    gives some functions "+thumb-mode" or "-thumb-mode" (for arm/thumb only: other
    targets warn about the feature; `Program.portable_ir` drops it)."""
    return _programs(max_functions, max_sections, host_calls, thumb_mix)


def programs_for_arm_mix(**kwargs) -> st.SearchStrategy[Program]:
    """`programs(thumb_mix=True, ...)`: ARM and Thumb functions calling each other."""
    return programs(thumb_mix=True, **kwargs)
