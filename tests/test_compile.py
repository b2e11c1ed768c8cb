"""Compiling: IR text, bitcode and objects; options; the cache; retargeting;
every code model each target has, run at random placements."""
from __future__ import annotations

import pytest

import rig
import targets
from rig import compile as C

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

SRC = r"""
target triple = "powerpc64le-unknown-linux-gnu"
target datalayout = "e-m:e-Fn32-i64:64-n32:64-S128-v256:256:256-v512:512:512"
@g = global i64 40
@h = dso_local global [4 x i32] [i32 1, i32 2, i32 3, i32 4]
@fp = global ptr @twice
@msg = private constant [7 x i8] c"%d %s\0A\00"
@word = private constant [3 x i8] c"ok\00"
declare i32 @printf(ptr, ...)
define i64 @twice(i64 %x) section ".text.other" { %r = mul i64 %x, 2
  ret i64 %r }
define i64 @f(i32 %i) {
  %v = load i64, ptr @g
  %p = getelementptr [4 x i32], ptr @h, i32 0, i32 %i
  %w = load i32, ptr %p
  %w64 = sext i32 %w to i64
  %fn = load ptr, ptr @fp
  %t = call i64 %fn(i64 %w64)
  %s = add i64 %v, %t
  call i32 (ptr, ...) @printf(ptr @msg, i32 %w, ptr @word)
  ret i64 %s
}
"""


def test_ir_for_another_machine_is_retargeted():
    for name in TARGETS:
        jit = rig.Jit(name, seed=1)
        r = jit.load(SRC).invoke("f", 2)
        assert (r.value, r.stdout) == (46, b"3 ok\n")


@pytest.mark.parametrize("target", TARGETS)
def test_every_code_model_runs_at_random_placements(target):
    for model in targets.get(target).code_models:
        if model == "tiny":          # llvmlite cannot emit it; objects from clang can still use it
            with pytest.raises(rig.CompileError, match="tiny"):
                rig.Jit(target, code_model=model).load(SRC)
            continue
        for reloc in ("static", "pic"):
            jit = rig.Jit(target, seed=3, reloc=reloc, code_model=model)
            for _ in range(5):
                mod = jit.load(SRC)
                assert mod.call("f", 3) == 48, (model, reloc, mod.layout.mapping())
                jit.unload(mod)


def test_large_code_models_use_their_relocations():
    seen = {}
    for name, model in (("x86_64", "large"), ("aarch64", "large")):
        for reloc in ("static", "pic"):
            mod = rig.Jit(name, seed=1, reloc=reloc, code_model=model).load(SRC)
            seen[(name, model, reloc)] = {r.type for r in mod.trace}
    assert "R_X86_64_64" in seen[("x86_64", "large", "static")]
    assert "R_X86_64_GOTPC64" in seen[("x86_64", "large", "pic")]
    assert "R_AARCH64_MOVW_UABS_G3" in seen[("aarch64", "large", "static")]


def test_bitcode_and_objects_are_accepted():
    import llvmlite.binding as llvm
    C._llvm()
    bc = llvm.parse_assembly(SRC.split("\n", 3)[3]).as_bitcode()
    for name in TARGETS:
        t = targets.get(name)
        jit = rig.Jit(name, seed=2)
        first = jit.load(bc)
        assert first.call("f", 1) == 44
        jit.unload(first)                            # the same definitions again would be duplicates
        obj = C.compile_source(SRC, t)
        mod = jit.load(obj)                          # a plain object: no IR, so an explicit signature
        assert mod.function("f", "i64(i32)")(0) == 42
        with pytest.raises(rig.SignatureError, match="carries no types"):
            mod.call("f", 0)


def test_cache_returns_the_same_object(tmp_path, monkeypatch):
    monkeypatch.setenv("RIG_CACHE_DIR", str(tmp_path))
    t = targets.get("aarch64")
    opts = C.Options("pic", "small", 1)
    src = SRC + "\n; cache probe\n"
    a = C.compile_source(src, t, opts)
    files = list(tmp_path.glob("*.o"))
    assert len(files) == 1 and files[0].read_bytes() == a
    C._memory.clear()
    assert C.compile_source(src, t, opts) == a               # from disk
    assert C.compile_source(src, t, C.Options("static", "small", 1)) != a    # options are in the key
    assert len(list(tmp_path.glob("*.o"))) == 2


def test_bad_options_are_refused():
    with pytest.raises(rig.CompileError, match="code model"):
        C.Options(code_model="huge").check()
    with pytest.raises(rig.CompileError, match="optimisation level"):
        C.Options(opt=7).check()
    with pytest.raises(rig.CompileError, match="assembly"):
        rig.Jit("aarch64").load('module asm "nop"\ndefine void @f() { ret void }')


C_SRC = r"""
int printf(const char *, ...);
static const char *names[] = {"zero", "one", "two", "three"};
static int table[4] = {10, 20, 30, 40};
long long big(long long a, long long b) { return a / (b | 1) + (a << (b & 7)); }
__attribute__((noinline, section(".text.other"))) int g(int x) { return x * 2 + 1; }
int f(int x) {
    printf("%s %d\n", names[x & 3], table[x & 3]);
    return g(table[x & 3]) + (int)big(x * 1000000007LL, 3);
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_c_through_the_toolchain_runs_at_random_placements(target, tmp_path):
    (tmp_path / "prog.c").write_text(C_SRC)
    want = 2 * 20 + 1 + (1000000007 // 3 + (1000000007 << 3))
    want = (want + 2**31) % 2**32 - 2**31
    for reloc in ("static", "pic"):
        jit = rig.Jit(target, seed=4, reloc=reloc)
        for _ in range(5):
            mod = jit.load(tmp_path / "prog.c")
            r = mod.invoke("f", 1, signature="i32(i32)")
            assert (r.value, r.stdout) == (want, b"one 20\n"), mod.layout.mapping()
            jit.unload(mod)


ASM = {
    "x86_64": ".text\n.globl f\nf:\n lea 1(%rdi), %rax\n ret\n",
    "arm": ".text\n.globl f\n.type f,%function\nf:\n add r0, r0, #1\n bx lr\n",
    "thumb": ".syntax unified\n.thumb\n.text\n.globl f\n.type f,%function\n.thumb_func\nf:\n adds r0, #1\n bx lr\n",
    "aarch64": ".text\n.globl f\n.type f,%function\nf:\n add x0, x0, #1\n ret\n",
}


@pytest.mark.parametrize("target", TARGETS)
def test_assembly_through_the_toolchain(target, tmp_path):
    (tmp_path / "f.s").write_text(ASM[target])
    mod = rig.Jit(target, seed=1).load(tmp_path / "f.s")
    assert mod.function("f", "i32(i32)")(41) == 42


def test_toolchain_errors_are_compile_errors(tmp_path):
    (tmp_path / "bad.c").write_text("int f(void) { return undefined_thing; }\n")
    with pytest.raises(rig.CompileError, match="undefined_thing"):
        rig.Jit("aarch64").load(tmp_path / "bad.c")
    (tmp_path / "bad.s").write_text("not_an_instruction x0\n")
    with pytest.raises(rig.CompileError, match="assembling bad.s for arm failed"):
        rig.Jit("arm").load(tmp_path / "bad.s")


def test_aarch64_tiny_code_model_from_c(tmp_path):
    """llvmlite has no tiny model, clang does: ADR/LDR-literal reach ±1 MiB, and the
    memory manager keeps the module inside it."""
    (tmp_path / "tiny.c").write_text(
        "static int data[4] = {1, 2, 3, 4};\nint *p = &data[1];\n"
        "int f(int i) { return data[i & 3] + *p; }\n")
    jit = rig.Jit("aarch64", seed=5, code_model="tiny")
    for _ in range(10):
        mod = jit.load(tmp_path / "tiny.c")
        assert {t.type for t in mod.trace} & {"R_AARCH64_ADR_PREL_LO21", "R_AARCH64_LD_PREL_LO19"}
        span = max(p.end for p in mod.layout.placements) - min(p.address for p in mod.layout.placements)
        assert span < 1 << 20
        assert mod.call("f", 2, signature="i32(i32)") == 3 + 2
        jit.unload(mod)


def test_arm_without_movw_movt_uses_literal_pools():
    src = SRC.split("\n", 3)[3].replace("define i64 @f(i32 %i) {", 'define i64 @f(i32 %i) #0 {') + \
        '\nattributes #0 = { "target-features"="+no-movt" }\n'
    for target in ("arm", "thumb"):
        jit = rig.Jit(target, seed=6, reloc="static")
        mod = jit.load(src)
        types = {t.type for t in mod.trace if t.section == ".text"}
        assert "R_ARM_ABS32" in types and not any("MOV" in t for t in types), types
        assert mod.call("f", 3) == 48


def _forget_in_memory():
    from rig import jit as J
    C._memory.clear()
    J._parsed.clear()
    J._sigs.clear()
    J._prepared.clear()


@pytest.mark.parametrize("target", TARGETS)
def test_a_new_process_takes_the_parse_and_signatures_from_disk(target, tmp_path, monkeypatch):
    """A later process (memory caches empty) reads the parsed object and the
    signatures back instead of running pyelftools and the IR reader again."""
    from rig import irsig, objfile
    monkeypatch.setenv("RIG_CACHE_DIR", str(tmp_path))
    _forget_in_memory()             # another test may have parsed the same object bytes
    src = SRC + f"\n; disk probe {target}\n"
    first = rig.Jit(target, seed=4).load(src)
    value = first.call("f", 1)
    assert len(list(tmp_path.glob("*.parsed"))) == 1 and len(list(tmp_path.glob("*.signatures"))) == 1
    _forget_in_memory()
    monkeypatch.setattr(objfile, "parse", lambda *a: pytest.fail("parsed again"))
    monkeypatch.setattr(irsig, "signatures", lambda *a: pytest.fail("signatures read again"))
    again = rig.Jit(target, seed=4).load(src, name="again.ll")
    assert again.call("f", 1) == value
    assert again.object.name == "again.ll"                       # messages name the new load
    assert [(r.type, r.howto) for r in again.object.relocations] == \
           [(r.type, r.howto) for r in first.object.relocations]
    assert again.object.sections == first.object.sections and again.object.symbols == first.object.symbols


def test_a_damaged_parse_cache_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("RIG_CACHE_DIR", str(tmp_path))
    src = SRC + "\n; damaged probe\n"
    value = rig.Jit("arm", seed=4).load(src).call("f", 1)
    for f in tmp_path.glob("*.parsed"):
        f.write_bytes(f.read_bytes()[:40])
    for f in tmp_path.glob("*.signatures"):
        f.write_bytes(b"not a pickle")
    _forget_in_memory()
    assert rig.Jit("arm", seed=4).load(src).call("f", 1) == value


def test_a_swapped_table_row_never_reads_or_writes_the_parse_cache(tmp_path, monkeypatch):
    from rig import mutants
    monkeypatch.setenv("RIG_CACHE_DIR", str(tmp_path))
    _forget_in_memory()
    with mutants.swap_row("x86_64", "R_X86_64_PLT32"):
        rig.Jit("x86_64").load(SRC + "\n; mutant probe\n")
    assert not list(tmp_path.glob("*.parsed"))
    rig.Jit("x86_64").load(SRC + "\n; mutant probe\n")
    assert len(list(tmp_path.glob("*.parsed"))) == 1
