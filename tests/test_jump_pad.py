"""A program run's next call is made from a hook at the program pad, by writing the PC.
Unicorn does not always honour that write: after a Thumb `popeq {r4, pc}` that ends an IT
block, it ran the pad's own instruction.  The pad jumps through a scratch register the rig
sets too (`Target.jump_pad`), so the run goes on where the rig sent it either way."""
from __future__ import annotations

import pytest

import rig
import targets

ITPOP = """\t.syntax unified
\t.thumb
\t.text
\t.globl helper
\t.type helper,%function
\t.thumb_func
helper:
\tbx lr
\t.globl main
\t.type main,%function
\t.thumb_func
main:
\tpush {r4, lr}
\tbl helper
\tmovs r0, #0
\tcmp r0, #0
\titt eq
\tmoveq r0, #7
\tpopeq {r4, pc}
\tmovs r0, #50
\tpop {r4, pc}
"""


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_main_returning_from_an_it_block_ends_the_run(target, tmp_path):
    path = tmp_path / "itpop.s"
    path.write_text(ITPOP)
    with rig.Jit(target, seed=1) as jit:
        jit.load(path)
        result = jit.run()
        assert (result.status, result.ended) == (7, "return"), result.error


@pytest.mark.parametrize("name", ["x86_64", "arm", "thumb", "aarch64"])
def test_every_target_has_a_jump_pad_through_a_scratch_register(name):
    t = targets.get(name)
    code, reg = t.jump_pad
    assert code and reg in t.registers
    assert reg not in t.cc.int_args and reg != t.cc.stack_pointer
