"""What a trial costs with external tools, for side-by-side reporting with `rig bench`.

A rig trial loads a program at a new random placement, links it, calls one
function and unloads it.  Without the rig, the nearest a user gets is:

* `lld_qemu_cost`: link a static executable with ld.lld at a new random
  placement (`--section-start` for .text, .rodata, .data and .bss) and run it
  under qemu-user.  The IR plus a generated `main` is compiled once, outside
  the timed loop; each trial times ld.lld (zig's, invoked directly on the
  pre-built object and the crt1.o / libc.a / compiler-rt that `zig cc -static`
  links, not through the `zig cc` driver) and the qemu run.
* `lli_remote_cost`: run the IR plus a generated `main` with
  `lli -remote-mcjit` (the JIT in one process, the code in a child
  `lli-child-target`), next to plain in-process `lli` (MCJIT), on an x86-64 host.

Both check the program's exit status: every run by every tool (qemu's, and
lli's in process and in the remote child alike) must exit with the status the
rig computed, so a comparison that did not run the program correctly raises
`ComparisonFailed` instead of reporting a time.  Both return None when the
tools are not installed (`install_hint()` says how).
"""
from __future__ import annotations

import glob
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from . import irsig
from .compile import strip_target
from .errors import CompileError, ComparisonFailed, SignatureError

#: rig target -> (zig target triple for the libc and link driver, qemu-user binary)
TOOLS: Dict[str, Tuple[str, str]] = {
    "x86_64": ("x86_64-linux-musl", "qemu-x86_64"),
    "arm": ("arm-linux-musleabihf", "qemu-arm"),
    "thumb": ("arm-linux-musleabihf", "qemu-arm"),     # Thumb code, ARM-state musl: interworking
    "aarch64": ("aarch64-linux-musl", "qemu-aarch64"),
}

#: Output sections given a new random address in every trial.
PLACED = (".text", ".rodata", ".data", ".bss")
#: Placements are page-aligned, between these addresses: above the page of ELF and
#: program headers lld leaves at its image base (64 KiB on Arm, 16 MiB elsewhere),
#: and low enough for every small code model.
SPACE = (0x0200_0000, 0x4000_0000)
PAGE = 0x1000
#: Seconds before a tool run counts as hung.
TIMEOUT = 60


def install_hint() -> str:
    """The command that installs the optional tools on Debian or Ubuntu."""
    return "sudo apt-get install qemu-user llvm-19"


# --------------------------------------------------------------------- the program

def _int_bits(t, what: str) -> int:
    if t.kind != "int" or not t.size:
        raise SignatureError(f"comparisons pass and return fixed-width integers only; {what} is {t.name}")
    return 8 * t.size


def _main_ir(ir_source: str, fn: str, args: Sequence[int], calls: int) -> str:
    """IR of a `main` that calls `fn(*args)` `calls` times and returns the last result."""
    if calls < 1:
        raise SignatureError(f"calls must be at least 1, not {calls}")
    if fn == "main":
        raise SignatureError("the function to call cannot be called main (the comparison adds its own)")
    sigs = irsig.signatures(strip_target(ir_source).encode(), "ir")
    if not sigs and "define" in ir_source:
        raise CompileError("LLVM IR does not parse (or defines nothing the rig can call)")
    sig = sigs.get(fn)
    if sig is None:
        raise SignatureError(f"the IR defines no function {fn!r} the comparison can call")
    if sig.variadic:
        raise SignatureError(f"{fn} is variadic: the comparison cannot call it")
    if len(sig.params) != len(args):
        raise SignatureError(f"{fn} takes {len(sig.params)} argument(s), {len(args)} given")
    actuals = []
    for i, (t, v) in enumerate(zip(sig.params, args)):
        bits = _int_bits(t, f"argument {i} of {fn}")
        if not isinstance(v, int):
            raise SignatureError(f"argument {i} of {fn} must be an int, not {v!r}")
        v &= (1 << bits) - 1
        if v >= 1 << (bits - 1):
            v -= 1 << bits
        actuals.append(f"i{bits} {v}")
    ret = f"i{_int_bits(sig.result[0], f'the result of {fn}')}" if sig.result else "void"
    call = f"call {ret} @{_ir_name(fn)}({', '.join(actuals)})"
    lines = ["", "define i32 @main() {"]
    for k in range(calls):
        lines.append(f"  %r{k} = {call}" if ret != "void" else f"  {call}")
    last = f"%r{calls - 1}"
    if ret == "void":
        lines.append("  ret i32 0")
    else:
        bits = int(ret[1:])
        if bits > 32:
            lines.append(f"  %s = trunc {ret} {last} to i32")
        elif bits < 32:
            lines.append(f"  %s = zext {ret} {last} to i32")
        else:
            lines.append(f"  %s = add i32 {last}, 0")
        lines.append("  ret i32 %s")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ir_name(name: str) -> str:
    return name if re.fullmatch(r"[-a-zA-Z$._][-a-zA-Z$._0-9]*", name) else '"' + name + '"'


def program(ir_source: str, fn: str, args: Sequence[int] = (), calls: int = 1) -> str:
    """The IR plus a `main` that calls `fn(*args)` `calls` times and returns the
    last result (as the exit status: its low 8 bits); no target triple."""
    return strip_target(ir_source) + _main_ir(ir_source, fn, tuple(args), calls)


# ---------------------------------------------------------------------- running tools

def _run(cmd: List[str], tool: str, what: str, **kw) -> Tuple[subprocess.CompletedProcess, float]:
    """Run `cmd`; the process and its wall-clock seconds.  `ComparisonFailed` when it
    cannot be started or hangs (a non-zero status is the caller's to judge)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, **kw)
    except OSError as e:
        raise ComparisonFailed(f"{tool} could not be started for {what}: {e}") from None
    except subprocess.TimeoutExpired as e:
        raise ComparisonFailed(f"{tool} did not finish {what} within {TIMEOUT} s; stderr: "
                               f"{_text(e.stderr)}") from None
    return proc, time.perf_counter() - t0


def _text(data) -> str:
    if data is None:
        return "(none)"
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    lines = data.strip().splitlines()
    return "\n  ".join(lines[-15:]) if lines else "(empty)"


def _status(proc: subprocess.CompletedProcess, tool: str, what: str) -> int:
    """The exit status of a program run by `tool`; `ComparisonFailed` when it died of a signal."""
    if proc.returncode < 0:
        raise ComparisonFailed(f"{tool}: {what} was killed by signal {-proc.returncode}; stderr:\n  "
                               f"{_text(proc.stderr)}")
    return proc.returncode


def _check(status: int, expected: int, tool: str, what: str, proc: subprocess.CompletedProcess) -> None:
    """`ComparisonFailed` (naming `tool`, `what`, both statuses and the end of
    `proc`'s stderr) unless `status` is `expected`: the one decision every
    comparison makes about every run."""
    if status != expected:
        raise ComparisonFailed(f"{tool}: {what} exited with status {status}, expected {expected}; "
                               f"stderr:\n  {_text(proc.stderr)}")


def _version(cmd: List[str]) -> str:
    """The first dotted version number `cmd --version` prints, or "?"."""
    try:
        proc = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    m = re.search(r"\b(?:version|LLD)\s+(\d+(?:\.\d+)+)", proc.stdout + proc.stderr)
    return m.group(1) if m else "?"


def _median(xs: List[float]) -> float:
    return statistics.median(xs) if xs else 0.0


# ------------------------------------------------------------------- ld.lld + qemu-user

def _zig_env() -> dict:
    env = dict(os.environ)
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "rig-zig-cache"))
    return env


def _link_line(obj: str, exe: str, zig_triple: str, tmp: str) -> List[str]:
    """The ld.lld arguments `zig cc -static` uses to link `obj` into `exe` (it links
    `exe` while at it), with `obj` and `exe` as given, for reuse without the driver."""
    from .toolchain import zig
    proc = zig(["cc", "-target", zig_triple, "-static", "-fno-sanitize=undefined", "-v", obj, "-o", exe],
               tmp, f"linking {obj} for {zig_triple} with zig cc")
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines()
             if ln.startswith("ld.lld ") and " -r " not in ln]
    if not lines:
        raise ComparisonFailed(f"zig cc -v printed no ld.lld command line for {zig_triple}; it printed:\n  "
                               f"{_text(proc.stderr)}")
    argv = shlex.split(lines[-1])[1:]
    if "-o" not in argv or obj not in argv:
        raise ComparisonFailed(f"zig cc's ld.lld command line is not understood: {lines[-1][:300]}")
    return argv


def _span(exe: str) -> int:
    """Bytes from the lowest to the highest end of the allocated sections of `exe`."""
    from elftools.elf.elffile import ELFFile
    with open(exe, "rb") as fh:
        secs = [s for s in ELFFile(fh).iter_sections() if s["sh_flags"] & 2 and s["sh_addr"]]
        lo = min(s["sh_addr"] for s in secs)
        hi = max(s["sh_addr"] + s["sh_size"] for s in secs)
    return hi - lo


def _addresses(exe: str, names: Sequence[str]) -> Dict[str, int]:
    from elftools.elf.elffile import ELFFile
    with open(exe, "rb") as fh:
        return {s.name: s["sh_addr"] for s in ELFFile(fh).iter_sections() if s.name in names}


def _overlapping_segments(exe: str) -> List[str]:
    """Pairs of PT_LOAD segments of `exe` that share a page (the loader would map one over the other)."""
    from elftools.elf.elffile import ELFFile
    with open(exe, "rb") as fh:
        spans = sorted((p["p_vaddr"] & -PAGE, -(-(p["p_vaddr"] + p["p_memsz"]) // PAGE) * PAGE)
                       for p in ELFFile(fh).iter_segments() if p["p_type"] == "PT_LOAD")
    return [f"[{a:#x}, {b:#x}) and [{c:#x}, {d:#x})"
            for (a, b), (c, d) in zip(spans, spans[1:]) if c < b]


def _placement(rng: random.Random, names: Sequence[str], span: int) -> Dict[str, int]:
    """A page-aligned address per section, each in a slot of its own that holds the
    whole image (so the sections lld lays out after a placed one never overlap)."""
    slot = -(-(2 * span + 0x10000) // 0x10_0000) * 0x10_0000
    slots = rng.sample(range((SPACE[1] - SPACE[0]) // slot), len(names))
    room = (slot - span) // PAGE
    return {name: SPACE[0] + k * slot + rng.randrange(room) * PAGE for name, k in zip(names, slots)}


def lld_qemu_cost(target: str, ir_source: str, fn: str, args: tuple = (), n: int = 20,
                  expected: Optional[int] = None, calls: int = 1, seed: Optional[int] = None
                  ) -> Optional[dict]:
    """Seconds per trial of ld.lld + qemu-user: per trial, link a static executable at
    a new random placement and run it; None when `qemu-<arch>` is not on PATH.

    The program is `ir_source` plus a `main` calling `fn(*args)` `calls` times,
    exiting with the last result's low 8 bits.  It is compiled once (llvmlite,
    for the rig target's triple) and linked once with `zig cc -static` against
    zig's musl, at lld's default layout: that run's status is checked against
    `expected` (when given) and becomes the status every trial must reproduce.
    Timed per trial: ld.lld run directly (`zig ld.lld`, the driver's own
    command line plus `--strip-all`, which saves about 3 ms of the ~15 ms, and
    `--section-start` for .text, .rodata, .data and .bss at distinct random
    page-aligned addresses between 32 MiB and 1 GiB), then qemu.  Every
    trial's executable is checked (untimed) to have those sections where they
    were asked for and no two segments on one page.  `ComparisonFailed` when a
    tool fails or a status differs.

    Returns {"seconds_per_trial", "link_seconds", "run_seconds" (medians),
    "driver_link_seconds" (median of up to 3 links through the `zig cc` driver,
    for reference only: zig cc rejects `-Wl,--section-start` and `-Wl,-Ttext`,
    so those links move the whole image with `--image-base`),
    "trials", "expected", "tool"}.
    """
    from targets import get
    from .compile import Options, compile_source
    from .toolchain import _zig_command, available
    rig_target = get(target)       # LookupError for a name no target has; aliases too
    if rig_target.name not in TOOLS:
        raise ComparisonFailed(f"no ld.lld/qemu comparison for target {target!r}")
    zig_triple, qemu_name = TOOLS[rig_target.name]
    qemu = shutil.which(qemu_name)
    if qemu is None or not available():
        return None
    if n < 1:
        raise ComparisonFailed(f"n must be at least 1, not {n}")
    obj_bytes = compile_source(program(ir_source, fn, args, calls), rig_target, Options(),
                               name=f"{fn} comparison program")
    rng = random.Random(seed)
    zig = list(_zig_command())
    env = _zig_env()
    with tempfile.TemporaryDirectory(prefix="rig-cmp-") as tmp:
        obj, ref = os.path.join(tmp, "prog.o"), os.path.join(tmp, "ref")
        Path(obj).write_bytes(obj_bytes)
        argv = _link_line(obj, ref, zig_triple, tmp)
        out_at = argv.index("-o") + 1
        proc, _ = _run([qemu, ref], qemu_name, f"the reference link of {fn}")
        status = _status(proc, qemu_name, "the reference executable")
        if expected is not None:
            _check(status, expected & 0xFF, qemu_name, "the reference executable (lld's default layout)", proc)
        names = [s for s in PLACED if s in _addresses(ref, PLACED)]
        span = _span(ref)
        links, runs, seen = [], [], set()
        driver = []
        exe = os.path.join(tmp, "trial")
        for i in range(n):
            while True:
                placement = _placement(rng, names, span)
                key = tuple(sorted(placement.items()))
                if key not in seen:
                    seen.add(key)
                    break
            cmd = argv[:out_at] + [exe] + argv[out_at + 1:]
            cmd += ["--strip-all", *[f"--section-start={s}={a:#x}" for s, a in placement.items()]]
            proc, t_link = _run([*zig, "ld.lld", *cmd], "ld.lld", f"trial {i}", cwd=tmp, env=env)
            if proc.returncode:
                raise ComparisonFailed(f"ld.lld failed to link trial {i} (placement "
                                       f"{_show(placement)}):\n  {_text(proc.stderr or proc.stdout)}")
            got = _addresses(exe, names)
            if got != placement:
                raise ComparisonFailed(f"ld.lld put trial {i}'s sections at {_show(got)}, not at "
                                       f"{_show(placement)}")
            clash = _overlapping_segments(exe)
            if clash:
                raise ComparisonFailed(f"ld.lld gave trial {i} ({_show(placement)}) overlapping segments: "
                                       + "; ".join(clash))
            proc, t_run = _run([qemu, exe], qemu_name, f"trial {i}")
            _check(_status(proc, qemu_name, f"trial {i} ({_show(placement)})"), status, qemu_name,
                   f"trial {i} ({_show(placement)})", proc)
            links.append(t_link)
            runs.append(t_run)
            if i < 3:
                # A link through the driver, not in the totals: what `zig cc` would add.  It
                # rejects --section-start and -Ttext, so it moves the whole image instead.
                dcmd = [*zig, "cc", "-target", zig_triple, "-static", "-fno-sanitize=undefined", obj,
                        "-o", exe + "-driver", f"-Wl,--image-base={placement[names[0]]:#x}"]
                proc, t_drv = _run(dcmd, "zig cc", f"trial {i}", cwd=tmp, env=env)
                if proc.returncode:
                    raise ComparisonFailed(f"zig cc failed to link trial {i}:\n  {_text(proc.stderr)}")
                driver.append(t_drv)
        totals = [a + b for a, b in zip(links, runs)]
    return {
        "seconds_per_trial": _median(totals),
        "link_seconds": _median(links),
        "run_seconds": _median(runs),
        "driver_link_seconds": _median(driver),
        "trials": n,
        "expected": status,
        "tool": f"ld.lld {_version([*zig, 'ld.lld'])} + {qemu_name} {_version([qemu])}",
    }


def _show(placement: Dict[str, int]) -> str:
    return ", ".join(f"{s}={a:#x}" for s, a in placement.items())


# -------------------------------------------------------------------------------- lli

#: The oldest LLVM whose IR parser takes opaque pointers (`ptr`) without a flag.
MIN_LLVM = 15


def find_lli() -> Optional[Tuple[str, Optional[str]]]:
    """(lli, lli-child-target or None): LLVM 19's from /usr/lib/llvm-19/bin, else
    the highest /usr/lib/llvm-N/bin with an lli, else `lli` on PATH; None when
    there is none, or it is older than LLVM 15 (it cannot parse `ptr`)."""
    def major(d: str) -> int:
        m = re.search(r"llvm-(\d+)", d)
        return int(m.group(1)) if m else -1

    dirs = sorted(glob.glob("/usr/lib/llvm-*/bin"), key=major, reverse=True)
    dirs = [d for d in dirs if major(d) == 19] + [d for d in dirs if major(d) != 19]
    for d in dirs:
        lli = os.path.join(d, "lli")
        if major(d) >= MIN_LLVM and os.access(lli, os.X_OK):
            child = os.path.join(d, "lli-child-target")
            return lli, child if os.access(child, os.X_OK) else None
    lli = shutil.which("lli")
    version = _version([lli]) if lli else "?"
    if not version[0].isdigit() or int(version.split(".")[0]) < MIN_LLVM:
        return None
    child = os.path.join(os.path.dirname(os.path.realpath(lli)), "lli-child-target")
    if not os.access(child, os.X_OK):
        child = shutil.which("lli-child-target")
    return lli, child


def lli_remote_cost(ir_source: str, fn: str, args: tuple = (), n: int = 20,
                    expected: Optional[int] = None, calls: int = 1) -> Optional[dict]:
    """Seconds per trial of `lli -remote-mcjit -mcjit-remote-process=lli-child-target`
    on the IR plus a `main` calling `fn(*args)` `calls` times (exit status: the last
    result's low 8 bits), next to in-process `lli -jit-kind=mcjit`.

    Only on an x86-64 host (the IR is run for the host), and None when no lli
    with an lli-child-target is found (`find_lli`).  Every run, in process and
    remote, must exit with `expected` (when given; otherwise the first
    in-process run sets it), or `ComparisonFailed` is raised, as for ld.lld +
    qemu-user.  A JIT places code wherever its memory manager maps it, so there
    is no placement to randomise: each trial is a new process.

    Returns {"seconds_per_trial" (remote, median), "in_process_seconds" (median),
    "remote_statuses" (each remote trial's status, in order), "trials",
    "expected", "tool"}.
    """
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    found = find_lli()
    if found is None or found[1] is None:
        return None
    lli, child = found
    if n < 1:
        raise ComparisonFailed(f"n must be at least 1, not {n}")
    text = program(ir_source, fn, args, calls)
    local_t, remote_t, remote_statuses = [], [], []
    with tempfile.TemporaryDirectory(prefix="rig-lli-") as tmp:
        prog = os.path.join(tmp, "prog.ll")
        Path(prog).write_text(text)
        want = None if expected is None else expected & 0xFF
        for i in range(n):
            proc, t = _run([lli, "-jit-kind=mcjit", prog], "lli", f"trial {i} in process", cwd=tmp)
            if proc.returncode and b"error" in proc.stderr.lower():
                raise ComparisonFailed(f"lli could not run the program:\n  {_text(proc.stderr)}")
            status = _status(proc, "lli", f"trial {i} in process")
            if want is None:
                want = status
            _check(status, want, "lli", f"trial {i} in process", proc)
            local_t.append(t)
            # -jit-kind=mcjit: without it LLVM 19's lli runs its in-process ORC JIT and ignores
            # -remote-mcjit (it exits 0 even with a child that does not exist).
            proc, t = _run([lli, "-jit-kind=mcjit", "-remote-mcjit", f"-mcjit-remote-process={child}", prog],
                           "lli -remote-mcjit", f"trial {i}", cwd=tmp)
            status = _status(proc, "lli -remote-mcjit", f"trial {i}")
            _check(status, want, "lli -remote-mcjit", f"trial {i}", proc)
            remote_statuses.append(status)
            remote_t.append(t)
    return {
        "seconds_per_trial": _median(remote_t),
        "in_process_seconds": _median(local_t),
        "remote_statuses": remote_statuses,
        "trials": n,
        "expected": want,
        "tool": f"lli {_version([lli])} -remote-mcjit",
    }
