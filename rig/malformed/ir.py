"""Hostile LLVM IR text: a valid corpus module, mutated.

Two families.  Token-level damage (swaps, deletions, huge numbers, odd
types, lines dropped or doubled, raw non-UTF-8 bytes, truncation) mostly
makes IR that does not parse: the parser must say so.  Appended snippets
are valid or nearly valid IR that asks for something odd (an alignment of
2^32, `section ".bss"` on a function, another target's intrinsic, inline
`asm"nop"`, a name that is not UTF-8, an array of 2^61 elements, a
constructor pointing at address 16...): those reach the optimiser, the
code generator and the loader, which is where a process dies if anything
does.  Every snippet's function is named `hostile_*` so the campaign calls
it first.
"""
from __future__ import annotations

import re
from typing import List, Tuple

from ._choice import Choice

#: A call of each target's own intrinsics, for the other targets to choke on.
INTRINSICS = {
    "x86_64": ("declare i64 @llvm.x86.rdtsc()", "call i64 @llvm.x86.rdtsc()", "i64"),
    "arm": ("declare void @llvm.arm.hint(i32)", "call void @llvm.arm.hint(i32 0)", None),
    "thumb": ("declare i32 @llvm.arm.get.fpscr()", "call i32 @llvm.arm.get.fpscr()", "i32"),
    "aarch64": ("declare i64 @llvm.aarch64.get.fpcr()", "call i64 @llvm.aarch64.get.fpcr()", "i64"),
}


def _foreign_intrinsic(target: str, choice: Choice, n: int) -> str:
    other = choice.pick([t for t in INTRINSICS if t != target] + [target])
    decl, call, ty = INTRINSICS[other]
    body = f"  %v = {call}\n" if ty else f"  {call}\n"
    return f"{decl}\ndefine void @hostile_{n}() {{\n{body}  ret void\n}}\n"


#: Hostile top-level snippets: `{n}` makes names unique.  The first ones are the plainest.
SNIPPETS = (
    "define i32 @hostile_{n}(i32 %x) {{\n  %r = sdiv i32 %x, 0\n  ret i32 %r\n}}\n",
    "@hostile_g{n} = global i32 7, align 4294967296\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_g{n}, align 4294967296\n  ret i32 %v\n}}\n",
    "@hostile_g{n} = global i32 7, align 1073741824\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_g{n}\n  ret i32 %v\n}}\n",
    "define void @hostile_{n}() section \".bss\" {{\n  ret void\n}}\n",
    "define void @hostile_{n}() section \".data\" {{\n  ret void\n}}\n",
    "@hostile_g{n} = global [4 x i8] c\"\\C3\\00\\00\\00\", section \".text\"\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_g{n}\n  ret i32 %v\n}}\n",
    "define void @hostile_{n}() {{\n  call void asm\"nop\", \"\"()\n  ret void\n}}\n",
    "define void @hostile_{n}() {{\n  call void asm sideeffect \"nop\", \"\"()\n  ret void\n}}\n",
    "module asm \".byte 0\"\ndefine void @hostile_{n}() {{\n  ret void\n}}\n",
    "define i32 @\"\\A2{n}\"() {{\n  ret i32 1\n}}\n"
    "define i32 @hostile_{n}() {{\n  %r = call i32 @\"\\A2{n}\"()\n  ret i32 %r\n}}\n",
    "@\"\\FF\\FE{n}\" = global i32 1\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @\"\\FF\\FE{n}\"\n  ret i32 %v\n}}\n",
    "@hostile_g{n} = global [2305843009213693952 x i8] zeroinitializer\n"
    "define i8 @hostile_{n}() {{\n  %v = load i8, ptr @hostile_g{n}\n  ret i8 %v\n}}\n",
    "@hostile_g{n} = global [2305843009213693952 x i32] zeroinitializer\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_g{n}\n  ret i32 %v\n}}\n",
    "@hostile_g{n} = global [536870912 x i8] zeroinitializer\n"
    "define i8 @hostile_{n}() {{\n  %v = load i8, ptr @hostile_g{n}\n  ret i8 %v\n}}\n",
    "define i8 @hostile_{n}() {{\n  %a = alloca [2305843009213693952 x i8]\n  %v = load volatile i8, ptr %a\n"
    "  ret i8 %v\n}}\n",
    "define i8 @hostile_{n}(i64 %n) {{\n  %a = alloca i8, i64 %n\n  store volatile i8 1, ptr %a\n"
    "  %v = load volatile i8, ptr %a\n  ret i8 %v\n}}\n",
    "define void @hostile_{n}() {{\n  br label %l\nl:\n  br label %l\n}}\n",
    "define void @hostile_{n}() {{\n  call void @hostile_{n}()\n  ret void\n}}\n",
    "declare void @llvm.trap()\ndefine void @hostile_{n}() {{\n  call void @llvm.trap()\n  unreachable\n}}\n",
    "define void @hostile_{n}() {{\n  unreachable\n}}\n",
    "define i8388608 @hostile_{n}(i8388608 %x) {{\n  %r = mul i8388608 %x, %x\n  ret i8388608 %r\n}}\n",
    "define i4096 @hostile_{n}(i4096 %x) {{\n  %r = sdiv i4096 %x, 3\n  ret i4096 %r\n}}\n",
    "define fp128 @hostile_{n}(fp128 %x) {{\n  %r = fadd fp128 %x, %x\n  ret fp128 %r\n}}\n",
    "define x86_fp80 @hostile_{n}(x86_fp80 %x) {{\n  %r = fmul x86_fp80 %x, %x\n  ret x86_fp80 %r\n}}\n",
    "define ppc_fp128 @hostile_{n}(ppc_fp128 %x) {{\n  %r = fadd ppc_fp128 %x, %x\n  ret ppc_fp128 %r\n}}\n",
    "define <1024 x i64> @hostile_{n}(<1024 x i64> %x) {{\n  %r = mul <1024 x i64> %x, %x\n"
    "  ret <1024 x i64> %r\n}}\n",
    "define void @hostile_{n}() naked {{\n  ret void\n}}\n",
    "define ghccc void @hostile_{n}() {{\n  ret void\n}}\n",
    "define cc 1023 void @hostile_{n}() {{\n  ret void\n}}\n",
    "define void @hostile_{n}() \"target-features\"=\"+nonexistent,-neon,+avx512f\" {{\n  ret void\n}}\n",
    "define void @hostile_{n}() \"target-cpu\"=\"no-such-cpu\" {{\n  ret void\n}}\n",
    "define void @hostile_{n}() \"frame-pointer\"=\"all\" \"probe-stack\"=\"inline-asm\" "
    "\"stack-probe-size\"=\"0\" {{\n  %a = alloca [65536 x i8]\n  store volatile i8 0, ptr %a\n  ret void\n}}\n",
    "define void @hostile_{n}() alignstack(256) {{\n  ret void\n}}\n",
    "define void @hostile_{n}() align 4294967296 {{\n  ret void\n}}\n",
    "define void @hostile_{n}() prefix i32 123 {{\n  ret void\n}}\n",
    "define void @hostile_{n}() prologue i8 144 {{\n  ret void\n}}\n",
    "define void @hostile_{n}() gc \"statepoint-example\" {{\n  ret void\n}}\n",
    "declare i32 @__gxx_personality_v0(...)\n"
    "define void @hostile_{n}() personality ptr @__gxx_personality_v0 {{\n  ret void\n}}\n",
    "@hostile_a{n} = alias i32, ptr @hostile_a{n}\n",
    "define ptr @hostile_r{n}() {{\n  ret ptr null\n}}\n@hostile_{n} = ifunc void (), ptr @hostile_r{n}\n",
    "@hostile_t{n} = thread_local global i32 5\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_t{n}\n  ret i32 %v\n}}\n",
    "@llvm.global_ctors = appending global [1 x {{ i32, ptr, ptr }}] "
    "[{{ i32, ptr, ptr }} {{ i32 65535, ptr inttoptr (i64 16 to ptr), ptr null }}]\n",
    "define void @hostile_{n}() {{\n  store volatile i32 1, ptr inttoptr (i64 4294967296 to ptr)\n  ret void\n}}\n",
    "@hostile_g{n} = global i8 0\n@hostile_p{n} = global ptr getelementptr (i8, ptr @hostile_g{n}, "
    "i64 9223372036854775807)\n",
    "@hostile_g{n} = global i32 0\n@hostile_p{n} = global i32 ptrtoint (ptr @hostile_g{n} to i32)\n",
    "@hostile_g{n} = global i8 0\n@hostile_p{n} = global i16 ptrtoint (ptr @hostile_g{n} to i16)\n",
    "@hostile_e{n} = external global i32\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_e{n}\n  ret i32 %v\n}}\n",
    "@hostile_w{n} = extern_weak global i32\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr @hostile_w{n}\n  ret i32 %v\n}}\n",
    "$hostile_c{n} = comdat any\n@hostile_c{n} = global i32 0, comdat\n",
    "$hostile_c{n} = comdat largest\n@hostile_c{n} = global [4294967296 x i8] zeroinitializer, comdat\n",
    "@hostile_g{n} = global i32 0, section \".init_array\"\n",
    "@hostile_g{n} = global [3 x i8] c\"abc\", section \".tdata\"\n",
    "@hostile_g{n} = common global [4096 x i8] zeroinitializer, align 3\n",
    "@hostile_g{n} = addrspace(7) global i32 5\n"
    "define i32 @hostile_{n}() {{\n  %v = load i32, ptr addrspace(7) @hostile_g{n}\n  ret i32 %v\n}}\n",
    "!llvm.module.flags = !{{!900{n}}}\n!900{n} = !{{i32 1, !\"Code Model\", i32 99}}\n",
    "!llvm.module.flags = !{{!900{n}}}\n!900{n} = !{{i32 7, !\"PIC Level\", i32 -1}}\n",
    "define i32 @hostile_{n}(i32 %x) {{\n  switch i32 %x, label %d [ i32 0, label %a i32 0, label %a ]\n"
    "a:\n  ret i32 1\nd:\n  ret i32 0\n}}\n",
    "define i32 @hostile_{n}() {{\n  %r = musttail call i32 @hostile_{n}()\n  ret i32 %r\n}}\n",
    "define i32 @hostile_{n}(ptr %p) {{\n  %q = getelementptr i8, ptr %p, i64 -9223372036854775808\n"
    "  %v = load volatile i32, ptr %q\n  ret i32 %v\n}}\n",
    "define ptr @hostile_{n}() {{\n  ret ptr blockaddress(@hostile_{n}, %x)\nx:\n  ret ptr null\n}}\n",
    "define void @hostile_{n}() {{\n  call void @llvm.memset.p0.i64(ptr null, i8 0, i64 -1, i1 false)\n"
    "  ret void\n}}\ndeclare void @llvm.memset.p0.i64(ptr, i8, i64, i1)\n",
    "declare i32 @printf(ptr, ...)\n@hostile_f{n} = private constant [8 x i8] c\"%9999999\"\n"
    "define i32 @hostile_{n}() {{\n  %r = call i32 (ptr, ...) @printf(ptr @hostile_f{n})\n  ret i32 %r\n}}\n",
    "declare ptr @malloc(i64)\ndefine ptr @hostile_{n}() {{\n  %p = call ptr @malloc(i64 -1)\n  ret ptr %p\n}}\n",
)

#: Numbers and types to put where a number or a type was.
HUGE_NUMBERS = ("2147483648", "4294967296", "4294967295", "9223372036854775808", "18446744073709551615",
                "18446744073709551616", "-9223372036854775809", "2305843009213693952",
                "340282366920938463463374607431768211456", "1" + "0" * 60, "0x7FF0000000000001", "-0")
ODD_TYPES = ("i1", "i0", "i8388608", "i8388609", "i4096", "half", "bfloat", "fp128", "x86_fp80", "ppc_fp128",
             "void", "label", "metadata", "token", "ptr addrspace(1)", "<4294967295 x i8>", "[0 x i8]",
             "{}", "x86_amx", "<vscale x 4 x i32>", "opaque")
ODD_ATTRIBUTES = ("align 4294967296", "align 3", "align 0", "section \".bss\"", "section \"\"",
                  "section \".text\"", "addrspace(7)", "dso_local", "thread_local", "unnamed_addr",
                  "nonnull", "inalloca(i32)", "preallocated(i32)", "byval(i8)", "sret(i8)", "swifterror",
                  "\"target-cpu\"=\"cortex-m0\"", "noreturn", "readnone", "cold", "naked", "alwaysinline")

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[@%!#$]?[-\w.$]+|\S')
_NUMBER = re.compile(r"(?<![\w.@%\"])-?\d+(?![\w.])")
_INT_TYPE = re.compile(r"\bi(?:1|8|16|32|64|128)\b")
_GLOBAL_NAME = re.compile(r"@([A-Za-z_.$][\w.$]*)")


def _snippet(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    n = choice.integer(0, 999)
    if choice.integer(0, len(SNIPPETS)) == 0:
        snippet = _foreign_intrinsic(target, choice, n)
        return text + "\n" + snippet, "another target's intrinsic"
    i = choice.integer(0, len(SNIPPETS) - 1)
    snippet = SNIPPETS[i].format(n=n)
    first = snippet.strip().splitlines()[0]
    return text + "\n" + snippet, f"snippet {i}: {first[:70]}"


def _attribute(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    lines = text.splitlines()
    spots = [k for k, line in enumerate(lines) if re.match(r"\s*(define|@|%\w+ = (load|alloca)|store)", line)]
    if not spots:
        return _snippet(text, target, choice)
    k = choice.pick(spots)
    attr = choice.pick(ODD_ATTRIBUTES)
    line = lines[k]
    if line.lstrip().startswith("define") and "{" in line:
        brace = line.rindex("{")
        lines[k] = line[:brace] + attr + " " + line[brace:]
    else:
        lines[k] = line + ", " + attr
    return "\n".join(lines) + "\n", f"line {k + 1}: {attr}"


def _tokens(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if len(spans) < 2:
        return text + "}", "a stray brace"
    a, b = sorted((choice.integer(0, len(spans) - 1), choice.integer(0, len(spans) - 1)))
    (sa, ea), (sb, eb) = spans[a], spans[b]
    ta, tb = text[sa:ea], text[sb:eb]
    how = choice.pick(("swap", "delete", "duplicate"))
    if how == "swap" and a != b:
        return text[:sa] + tb + text[ea:sb] + ta + text[eb:], f"tokens {ta!r} and {tb!r} swapped"
    if how == "delete":
        return text[:sa] + text[ea:], f"token {ta!r} deleted"
    return text[:ea] + " " + ta + text[ea:], f"token {ta!r} doubled"


def _number(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    spans = [m.span() for m in _NUMBER.finditer(text)]
    if not spans:
        return _snippet(text, target, choice)
    s, e = choice.pick(spans)
    huge = choice.pick(HUGE_NUMBERS)
    return text[:s] + huge + text[e:], f"{text[s:e]} -> {huge}"


def _type(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    spans = [m.span() for m in _INT_TYPE.finditer(text)]
    if not spans:
        return _snippet(text, target, choice)
    odd = choice.pick(ODD_TYPES)
    if choice.boolean():                 # every use of that type: still consistent, maybe valid
        old = text[slice(*choice.pick(spans))]
        return re.sub(rf"\b{old}\b", lambda m: odd, text), f"every {old} -> {odd}"
    s, e = choice.pick(spans)
    return text[:s] + odd + text[e:], f"{text[s:e]} -> {odd} once"


def _lines(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    lines = text.splitlines()
    if len(lines) < 2:
        return text * 2, "doubled"
    k = choice.integer(0, len(lines) - 1)
    how = choice.pick(("delete", "duplicate", "swap"))
    if how == "delete":
        del lines[k]
    elif how == "duplicate":
        lines.insert(k, lines[k])
    else:
        j = choice.integer(0, len(lines) - 1)
        lines[k], lines[j] = lines[j], lines[k]
    return "\n".join(lines) + "\n", f"line {k + 1} {how}d"


def _name(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    names = sorted(set(_GLOBAL_NAME.findall(text)) - {"llvm"})
    names = [n for n in names if not n.startswith("llvm.")]
    if not names:
        return _snippet(text, target, choice)
    old = choice.pick(names)
    new = choice.pick(('"\\A2"', '"\\FF\\FE"', '"\\C0\\80"', '""', '"' + "x" * 5000 + '"', '"a\\00b"',
                       '"\\0A"', "main", "printf", "malloc", "_GLOBAL_OFFSET_TABLE_", "__tls_get_addr"))
    out = re.sub(rf"@{re.escape(old)}\b", lambda m: "@" + new, text)
    return out, f"@{old} renamed @{new[:20]}"


def _raw(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    at = choice.integer(0, len(text))
    junk = choice.pick(("\udca2", "\udcff\udcfe", "\x00", "\udcc0\udc80", "\u202e", "\ufeff"))
    return text[:at] + junk + text[at:], f"raw {junk.encode('utf-8', 'surrogateescape')!r} at {at}"


def _truncate(text: str, target: str, choice: Choice) -> Tuple[str, str]:
    at = choice.integer(0, len(text))
    return text[:at], f"truncated to {at} characters"


#: (name, mutation): (ir text, target, choice) -> (ir text, what).  Snippets first: valid IR shrinks best.
MUTATIONS = (
    ("snippet", _snippet),
    ("attribute", _attribute),
    ("huge number", _number),
    ("odd type", _type),
    ("token", _tokens),
    ("line", _lines),
    ("name", _name),
    ("raw bytes", _raw),
    ("truncation", _truncate),
)


def mutate(text: str, target: str, choice: Choice) -> Tuple[bytes, str]:
    """`text` (valid IR) with one to three mutations, as bytes (raw bytes are
    kept as the surrogates stood for them), and what they were."""
    said: List[str] = []
    for _ in range(choice.pick((1, 1, 2, 3))):
        name, fn = choice.pick(MUTATIONS)
        text, what = fn(text, target, choice)
        said.append(what)
    return text.encode("utf-8", "surrogateescape"), "; ".join(said)
