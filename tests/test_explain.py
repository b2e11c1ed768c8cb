"""`rig explain`: what is shown is what the linker did.  Each value is checked against the
trace, the process's memory and capstone, for one site of each route (direct, through a
stub, through a GOT slot) on every target."""
from __future__ import annotations

import json
import re
from pathlib import Path

import capstone
import pytest

import rig
from rig.cli import main
from rig.explain import explain

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")


@pytest.fixture(scope="module", params=TARGETS)
def both(request):
    """corpus/output.ll static and PIC: calls to host functions (stubs where they are far),
    GOT sites in PIC (on ARM in literal pools: data words in the code), direct fields."""
    out = []
    for reloc in ("static", "pic"):
        jit = rig.Jit(request.param, seed=3, reloc=reloc)
        mod = jit.load(CORPUS / "output.ll")
        out.append((jit, mod, explain(jit, [mod], seed=3)))
    yield out
    for jit, _, _ in out:
        jit.close()


@pytest.fixture(params=[0, 1], ids=["static", "pic"])
def explained(both, request):
    return both[request.param]


def _one(both, kind):
    """A site of this route, an instruction where there is one, from either model."""
    found = [(jit, s) for jit, _, ex in both for s in ex.sites if s.route.kind == kind]
    assert found, f"no {kind} site"
    code = [f for f in found if f[1].code]
    return (code or found)[0]


def _insn_at(jit, state, address, size=16):
    t = jit.target
    cs = capstone.Cs(t.cs_arch, t.cs_modes.get(state, t.cs_mode))
    code = jit.process.read(address, size)
    i = next(cs.disasm(code, address, 1))
    return f"{i.mnemonic} {i.op_str}".strip()


def test_every_site_is_the_trace(explained):
    jit, mod, ex = explained
    assert len(ex.sites) == len(mod.trace)
    for s, r in zip(ex.sites, mod.trace):
        assert (s.section, s.offset, s.type, s.S, s.A, s.P, s.value) == (r.section, r.offset, r.type, r.S, r.A,
                                                                         r.P, r.value)
        assert bytes.fromhex(s.after) == r.after and bytes.fromhex(s.before) == r.before
        # what the site holds in memory now is the word shown as "after"
        assert jit.process.read(s.address, len(r.after)) == r.after
        assert s.numbers.endswith(f"= {s.value:#x}" if s.value >= 0 else f"= -{-s.value:#x}")
        if s.field is not None:
            assert s.changed & ~s.field.mask == 0, (s.id, hex(s.changed), hex(s.field.mask))
            assert s.field.fits


@pytest.mark.parametrize("kind", ["direct", "stub", "got"])
def test_one_site_of_each_route(both, kind):
    jit, s = _one(both, kind)
    numbers = s.numbers
    # the formula's numbers are this site's
    assert f"{s.P:#x}" in numbers or "P" not in s.formula
    if kind == "stub":
        assert s.route.stub is not None and f"{s.route.stub:#x}" in numbers
        code = jit.process.read(s.route.stub, jit.target.stub_size)
        assert jit.target.stub_target(code) == s.S | s.T          # the stub reaches the symbol
        assert f"{s.S | s.T:#x}" in s.route.stub_code
    elif kind == "got":
        slot = s.route.got_slot
        assert slot is not None
        held = int.from_bytes(jit.process.read(slot, jit.target.pointer_size), "little")
        assert held == s.route.got_value == s.S | s.T
    else:
        assert f"{s.S:#x}" in numbers
    if not s.code:           # a literal-pool word (ARM's GOT offsets): data, shown as such
        assert s.disasm_after == "" and s.route.kind == "got"
        return
    # the instruction after is the one in memory, as capstone reads it
    insn_start = s.address - _field_offset(jit, s)
    assert s.disasm_after == _insn_at(jit, s.state, insn_start)
    assert s.disasm_before and s.disasm_before != "(not an instruction)"


def _field_offset(jit, s):
    """Where the field sits in its instruction: x86-64's displacement follows the opcode."""
    t = jit.target
    cs = capstone.Cs(t.cs_arch, t.cs_modes.get(s.state, t.cs_mode))
    for back in range(0, 16):
        code = jit.process.read(s.address - back, 16)
        for i in cs.disasm(code, s.address - back, 1):
            if i.size > back and f"{i.mnemonic} {i.op_str}".strip() == s.disasm_after:
                return back
    return 0


def test_explain_one_site_on_the_command_line(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")      # one line per row: the values are not wrapped
    jit = rig.Jit("aarch64", seed=0)
    mod = jit.load(CORPUS / "dispatch.ll")
    site = explain(jit, [mod]).sites[0]
    jit.close()
    where = f"{site.section}+{site.offset:#x}"
    assert main(["explain", str(CORPUS / "dispatch.ll"), "--target", "aarch64", "--seed", "0", "--site", where]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert site.type in out and site.formula in out
    assert " ".join(site.numbers.split()) in out
    assert site.disasm_before in out and site.disasm_after in out
    assert f"{site.after_word:#010x}" in out                     # the word after, in hex
    assert format(site.after_word, "032b")[:8] in out.replace(" ", "")   # and in bits


def test_json_diff_and_a_missing_site(capsys):
    prog = str(CORPUS / "dispatch.ll")
    assert main(["explain", prog, "--target", "arm", "--json", "--type", "ABS32"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sites"] and all(s["type"] == "R_ARM_ABS32" for s in data["sites"])
    assert {r["kind"] for r in data["map"]} >= {"section", "host", "stack", "heap"}
    assert main(["explain", prog, "--target", "x86_64", "--diff", "5"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d+ sites hold other bytes at the second placement, \d+ the same", " ".join(out.split()))
    assert main(["explain", prog, "--target", "x86_64", "--site", ".text+0x99999"]) != 0
    assert "no relocation site at '.text+0x99999'" in capsys.readouterr().err


def test_a_fault_is_explained_with_the_sites_near_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    src = tmp_path / "fault.ll"
    src.write_text("""
@table = global [2 x ptr] [ptr @f, ptr null]
define i32 @f() {
  ret i32 1
}
define i32 @main() {
  %p = getelementptr [2 x ptr], ptr @table, i64 0, i64 1
  %fn = load volatile ptr, ptr %p
  %r = call i32 %fn()
  %s = add i32 %r, 1
  ret i32 %s
}
""")
    assert main(["explain", str(src), "--target", "x86_64", "--run", "--symbol", "table"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "the run faulted: instruction fetch from unmapped memory at 0x0" in out
    assert "nearest to the faulting instruction" in out


def test_demo_explain_walks_through_every_site(capsys):
    assert main(["demo", "--explain", "--target", "aarch64", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    jit = rig.Jit("aarch64", seed=2)
    from importlib import resources
    mod = jit.load(resources.files("rig").joinpath("demo/demo.ll").read_bytes(), name="demo.ll")
    types = {r.type for r in mod.trace}
    jit.close()
    assert all(t in out for t in types)
    assert out.count("formula") == len(mod.trace)
