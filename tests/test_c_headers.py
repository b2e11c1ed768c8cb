"""C sees the standard headers (musl's, from the ziglang package) whatever the
runtime, its own directory on the include path, and `--cflag`/`cflags`."""
from __future__ import annotations

import json
import os

import pytest

import rig
from rig.cli import main

TARGETS = ("x86_64", "arm", "thumb", "aarch64")
HELLO = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "greeting.h"

int main(int argc, char **argv) {
    char buf[32];
    strcpy(buf, GREETING);
    printf("%s, %s! %d %.3f\n", buf, argc > 1 ? argv[1] : "nobody", (int)strlen(buf), sqrt(2.0));
    puts(getenv("WHO") ? getenv("WHO") : "no WHO");
    return abs(-3) + EXTRA;
}
"""


@pytest.fixture
def hello(tmp_path):
    (tmp_path / "greeting.h").write_text('#define GREETING "hello"\n#ifndef EXTRA\n#define EXTRA 0\n#endif\n')
    path = tmp_path / "hello.c"
    path.write_text(HELLO)
    return path


def test_rig_run_hello_c_with_standard_headers_on_every_target(hello, capsys):
    status = main(["run", str(hello), "--target", "all", "--placements", "2", "--env", "WHO=world",
                   "--", "rig"])
    captured = capsys.readouterr()
    assert status == 3
    assert captured.out == "hello, rig! 5 1.414\nworld\n"
    assert "all 16 runs agree" in captured.err


@pytest.mark.parametrize("target", TARGETS)
def test_cflags_pass_through_on_the_api(hello, target):
    jit = rig.Jit(target, seed=1, cflags=["-DEXTRA=4"])
    assert jit.load(hello).invoke("main", 1, 0, signature="i32(i32, ptr)").value == 7
    # per load, added to the Jit's own
    other = rig.Jit(target, seed=1)
    assert other.load(hello, cflags=["-DEXTRA=10"]).call("main", 1, 0, signature="i32(i32, ptr)") == 13


def test_cflag_on_the_command_line(hello, capsys):
    status = main(["run", str(hello), "--target", "aarch64", "--placements", "1", "--cflag=-DEXTRA=40",
                   "--json"])
    assert status == 43
    report = json.loads(capsys.readouterr().out)
    assert report


def test_a_flag_the_rig_does_not_pass_is_an_error(hello):
    for flag in ("-fsanitize=address", "-o", "-fPIC", "-target"):
        with pytest.raises(rig.CompileError, match="is not passed through"):
            rig.Jit("x86_64", cflags=[flag])
        with pytest.raises(rig.CompileError, match="is not passed through"):
            rig.Jit("x86_64").load(hello, cflags=[flag])


def test_an_edited_local_header_recompiles(hello):
    jit = rig.Jit("arm", seed=2)
    m = jit.load(hello)
    assert m.call("main", 1, 0, signature="i32(i32, ptr)") == 3
    jit.unload(m)
    header = hello.parent / "greeting.h"
    header.write_text('#define GREETING "hello"\n#define EXTRA 20\n')
    st = header.stat()
    os.utime(header, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert jit.load(hello).call("main", 1, 0, signature="i32(i32, ptr)") == 23


def test_a_function_the_host_runtime_lacks_names_the_runtime_that_has_it(tmp_path, capsys):
    src = tmp_path / "sort.c"
    src.write_text("#include <stdlib.h>\n"
                   "static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }\n"
                   "int main(void) { int v[3] = {3, 1, 2}; qsort(v, 3, sizeof v[0], cmp); return v[0]; }\n")
    with pytest.raises(rig.UndefinedSymbol, match="'qsort'.*musl's libc has 'qsort'") as e:
        rig.Jit("aarch64").load(src)
    assert e.value.symbol == "qsort"
    assert main(["run", str(src), "--target", "x86_64", "--placements", "1"]) == 2
    assert "musl's libc has 'qsort'" in capsys.readouterr().err
    # a name no libc has gets no such hint
    src.write_text("int frobnicate(void);\nint main(void) { return frobnicate(); }\n")
    with pytest.raises(rig.UndefinedSymbol) as e:
        rig.Jit("aarch64").load(src)
    assert "musl" not in str(e.value)
