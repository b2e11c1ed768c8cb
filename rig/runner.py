"""Run a program's calls on a target at many placements and compare.

Shared by `rig run`, `rig demo` and the tests: one `Jit` per (target,
relocation model) is reused across placements (unload, load at a new random
placement, call), so a trial costs a layout, a link and the calls.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .corpus import ALL_TARGETS, Call, Program, Run
from .errors import BadObject, EmulationFault, RigError
from .jit import Jit
from .program import ProgramResult


@dataclass
class Outcome:
    """One call at one placement."""

    call: Call
    value: object = None
    stdout: str = ""
    error: Optional[str] = None
    ok: bool = True

    def shown(self) -> str:
        """The value or the error, as printed."""
        return f"error: {self.error}" if self.error else repr(self.value)


@dataclass
class Trial:
    """A program loaded at one placement, and what its calls gave."""

    target: str
    reloc: str
    index: int
    layout: Dict[str, int] = field(default_factory=dict)
    outcomes: List[Outcome] = field(default_factory=list)
    error: Optional[str] = None
    relocations: int = 0
    stubs: int = 0

    @property
    def ok(self) -> bool:
        """No error and every stated expectation held."""
        return self.error is None and all(o.ok for o in self.outcomes)

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"target": self.target, "reloc": self.reloc, "placement": self.index,
                "layout": {k: hex(v) for k, v in self.layout.items()}, "ok": self.ok, "error": self.error,
                "relocations": self.relocations, "stubs": self.stubs,
                "calls": [{"call": call_text(o.call), "value": o.value if not isinstance(o.value, bytes) else None,
                           "stdout": o.stdout, "error": o.error, "ok": o.ok} for o in self.outcomes]}


def call_text(call: Call) -> str:
    """The call as written, with its stated result when there is one ("f(3) == 4"),
    or without ("f(3, 2.5)" for `--entry f --args 3 2.5`, which states nothing)."""
    args = ", ".join(repr(a) for a in call.args)
    return f"{call.name}({args})" + ("" if call.expected is None else f" {call.op} {call.expected!r}")


def run_trials(program: Program, target: str, *, placements: int = 1, seed: Optional[int] = 0,
               reloc: str = "static", calls: Optional[Sequence[Call]] = None, opt: int = 2,
               jit: Optional[Jit] = None, cflags: Sequence[str] = (), executor: str = "inprocess") -> List[Trial]:
    """Load `program` at `placements` random placements on `target`, run its calls (in
    `executor`, when no `jit` is given)."""
    calls = list(program.calls if calls is None else calls)
    sigs = dict(program.signatures)
    own = jit is None
    jit = jit or Jit(target, seed=seed, reloc=reloc, opt=opt, cflags=cflags, executor=executor)
    trials = []
    try:
        for k in range(placements):
            trial = Trial(target, reloc, k)
            trials.append(trial)
            try:
                mod = jit.load(program.source, name=program.name)
            except RigError as e:
                trial.error = str(e)
                continue
            trial.layout = mod.layout.mapping()
            trial.relocations = len(mod.trace)
            trial.stubs = len(mod.image.stubs)
            try:
                for call in calls:
                    trial.outcomes.append(_run_call(mod, call, sigs))
            finally:
                jit.unload(mod)
                jit.process.heap.reset()
    finally:
        if own:
            jit.close()
    return trials


def _run_call(mod, call: Call, signatures: dict) -> Outcome:
    out = Outcome(call)
    try:
        res = mod.invoke(call.name, *call.args, signature=signatures.get(call.name))
    except RigError as e:
        out.error, out.ok = str(e), False
        if isinstance(e, EmulationFault) and "called from" not in out.error:
            caller = calling_function(mod.jit, e.pc) if e.pc is not None else ""
            if caller:       # read now: the emulator still holds the faulting frame
                out.error += f"\n  called from {caller}"
        stdout = getattr(e, "stdout", b"")
        out.stdout = stdout.decode("utf-8", "replace") if stdout else ""
        return out
    out.value = res.value
    out.stdout = res.stdout.decode("utf-8", "replace")
    if call.expected is not None and not call.matches(res.value):
        out.ok = False
    if call.stdout is not None and out.stdout != call.stdout:
        out.ok = False
    return out


def disagreements(trials: Sequence[Trial]) -> List[str]:
    """Where trials that ran cleanly disagree on a call's value or output."""
    msgs = []
    clean = [t for t in trials if t.error is None]
    if not clean:
        return msgs
    ref = clean[0]
    for t in clean[1:]:
        for a, b in zip(ref.outcomes, t.outcomes):
            if (a.value, a.stdout, a.error) != (b.value, b.stdout, b.error) and not (
                    isinstance(a.value, float) and isinstance(b.value, float) and a.value != a.value
                    and b.value != b.value):
                msgs.append(f"{a.call.name}: {ref.target}/{ref.reloc} placement {ref.index} gave "
                            f"{a.shown()} {a.stdout!r}, {t.target}/{t.reloc} placement {t.index} gave "
                            f"{b.shown()} {b.stdout!r}")
    return msgs


# -- where a program faulted ------------------------------------------------------

@dataclass(frozen=True)
class FaultPlace:
    """Where a run was killed, as a debugger shows it: what happened, the PC as
    symbol+offset and section+offset, the instruction there, and the function
    that called the one it was in."""

    what: str              #: "read of unmapped memory at 0x0 (4 bytes)", "the call ran past its budget..."
    pc: int
    where: str             #: "deref+0x4, .text+0x4 in null.ll" ("" when the PC is in no module)
    instruction: str       #: "8b07  mov eax, dword ptr [rdi]", as capstone prints it
    caller: str = ""       #: the return address, symbolized ("" when none was found)

    def lines(self) -> List[str]:
        """The report, one line each: what, at, instruction, called from."""
        out = [self.what, f"at {self.pc:#x}" + (f" ({self.where})" if self.where else " (in no loaded module)"),
               f"instruction {self.instruction}"]
        if self.caller:
            out.append(f"called from {self.caller}")
        return out

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"what": self.what, "pc": hex(self.pc), "where": self.where, "instruction": self.instruction,
                "caller": self.caller}


def _what(error: str) -> str:
    """The first clause of a fault's or a limit's message: the part before the place."""
    first = error.strip().splitlines()[0] if error.strip() else ""
    for cut in ("; stopped at PC ", " at PC "):
        if cut in first:
            return first.split(cut, 1)[0]
    return first


def fault_place(jit: Jit, error: str) -> Optional[FaultPlace]:
    """Where the last run stopped, read from the emulator (it keeps the faulting
    CPU state until the next call), with `error` (the fault's message) saying what;
    None when the state cannot be read."""
    try:
        pc = jit.process.read_register(jit.target.pc)
        where = jit.symbolize(pc)
        insn = jit.process.disassemble(pc)
    except Exception:  # noqa: BLE001 - a report must not fail the run it reports
        return None
    return FaultPlace(_what(error), pc, where, insn, calling_function(jit, pc))


#: Call mnemonics, by capstone's spelling, and the lengths a call instruction can have.
_CALLS = ("call", "bl", "blx", "blr", "blraa", "blrab", "blraaz", "blrabz")
_CALL_LENGTHS = {"x86": (5, 6, 2, 3, 4, 7), "arm": (4,), "thumb": (4, 2), "a64": (4,)}


def _function_of(jit: Jit, address: int) -> Optional[str]:
    """"name" of the symbol `address` is in ("name+0x10, .text+..." -> "name"), or None."""
    text = jit.symbolize(address)
    if not text or "+" not in text.split(",")[0] or text.startswith("."):
        return None
    return text.split(",")[0].rsplit("+", 1)[0]


def _in_code(jit: Jit, address: int) -> bool:
    for m in jit.modules:
        for p in m.layout.placements:
            if p.address <= address < p.end and "x" in p.item.perms:
                return True
    return False


def _after_call(jit: Jit, ret: int, thumb: bool, cs_cache: dict) -> bool:
    """Whether the instruction that ends at `ret` is a call (so `ret` is a return address)."""
    import capstone
    target = jit.target
    if target.interworking:
        state = "thumb" if thumb else "arm"
        mode = target.cs_modes.get(state, capstone.CS_MODE_THUMB if thumb else capstone.CS_MODE_ARM)
    else:
        state = "x86" if target.pc == "rip" else "a64"
        mode = target.cs_mode
    cs = cs_cache.get(state)
    if cs is None:
        cs = cs_cache[state] = capstone.Cs(target.cs_arch, mode)
    for length in _CALL_LENGTHS[state]:
        try:
            code = jit.process.read(ret - length, length)
        except Exception:  # noqa: BLE001 - unreadable: not a return address
            return False
        for insn in cs.disasm(code, ret - length, 1):
            if insn.size == length and insn.mnemonic.split(".")[0] in _CALLS:
                return True
    return False


def calling_function(jit: Jit, pc: int, words: int = 512) -> str:
    """The function that called the one `pc` is in, symbolized ("main+0x9, .text+0x19
    in prog.ll"), or "" when no return address is found.  The link register first (a
    leaf function's caller, unless it points into this same function: a stale value),
    then the stack from the stack pointer up: the first word that points just after a
    call instruction in a loaded module's code, as a debugger without unwind tables does."""
    target = jit.target
    proc = jit.process
    here = _function_of(jit, pc)
    candidates = []
    try:
        if target.cc.return_address is not None:
            candidates.append((proc.read_register(target.cc.return_address), True))
        sp = proc.read_register(target.cc.stack_pointer)
        size = target.pointer_size
        top = min(sp + words * size, proc.stack_top)
        if sp < top:
            raw = proc.read(sp, top - sp)
            candidates += [(int.from_bytes(raw[k:k + size], "little"), False)
                           for k in range(0, len(raw) - size + 1, size)]
    except Exception:  # noqa: BLE001 - no registers or stack to read: no caller to name
        return ""
    cs_cache: dict = {}
    for value, from_register in candidates:
        thumb = bool(target.interworking and value & 1)
        ret = value & ~1 if target.interworking else value
        own = proc.describe_own(ret) if ret else None
        if own and "pad" in own:
            # what the rig's own call returns to: the function was entered from the start
            # of the run, or tail-called (a jump, no frame) by the function that was
            return "the rig's entry call (the run's start called this function, or tail-called the one that did)"
        if ret == 0 or not _in_code(jit, ret):
            continue
        if from_register and here is not None and _function_of(jit, ret) == here:
            continue              # the link register still holds a return into this function
        if _after_call(jit, ret, thumb, cs_cache):
            return jit.symbolize(ret)
    return ""


# -- whole programs -------------------------------------------------------------

@dataclass
class ProgramTrial:
    """A whole program (main module and extra modules) run at one placement."""

    target: str
    reloc: str
    index: int
    layouts: Dict[str, Dict[str, int]] = field(default_factory=dict)   #: module -> section -> address
    result: Optional[ProgramResult] = None
    error: Optional[str] = None
    expected: Optional[Run] = None
    notes: List[str] = field(default_factory=list)
    fault: Optional[FaultPlace] = None       #: where a fault (or a limit) stopped it
    streamed: bool = False                   #: its output went to `stream` as it was written

    @property
    def matches(self) -> bool:
        """The stated status and output (if any) were given."""
        if self.expected is None or self.result is None:
            return self.result is not None
        return self.result.status == self.expected.status and self.result.output == self.expected.output

    @property
    def ok(self) -> bool:
        """It ran, and gave what was stated."""
        return self.error is None and self.matches

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        r = self.result
        return {"target": self.target, "reloc": self.reloc, "placement": self.index, "ok": self.ok,
                "layouts": {m: {k: hex(v) for k, v in lay.items()} for m, lay in self.layouts.items()},
                "error": self.error, "notes": self.notes,
                "status": r.status if r else None, "ended": r.ended if r else None,
                "signal": r.signal if r else None, "fault": r.error if r else None,
                "place": self.fault.as_dict() if self.fault else None,
                "stdout": r.stdout.decode("utf-8", "replace") if r else None,
                "stderr": r.stderr.decode("utf-8", "replace") if r else None,
                "output": [[s, d.decode("utf-8", "replace")] for s, d in r.output] if r else None,
                "expected": None if self.expected is None else {
                    "status": self.expected.status, "stdout": self.expected.stdout.decode("utf-8", "replace"),
                    "stderr": self.expected.stderr.decode("utf-8", "replace")}}


def run_program(sources: Sequence, target: str, *, args: Sequence = (), env=None, program_name: str = "",
                placements: int = 1, seed: Optional[int] = 0, reloc: str = "static", opt: int = 2,
                expected: Optional[Run] = None, cflags: Sequence[str] = (),
                archives: Sequence = (), runtime: str = "host", stdin: bytes = b"",
                mounts: Optional[Dict[str, str]] = None, code_model: Optional[str] = None,
                stream: Optional[Callable[[int, bytes], None]] = None,
                executor: str = "inprocess") -> List[ProgramTrial]:
    """Load `sources` (the program, then extra modules and objects) at
    `placements` random placements on `target` and run `main` in each;
    `archives` give the members they need (lli's `-extra-archive`).
    `stream(1 or 2, bytes)` gets what the first placement's program writes, as
    it writes it (`rig run` prints it then, not after every placement ran).
    A run that a fault or a limit ended gets its `FaultPlace`.  The code runs in `executor`
    (`rig.executor`)."""
    jit = Jit(target, seed=seed, reloc=reloc, opt=opt, cflags=cflags, runtime=runtime, stdin=stdin, mounts=mounts,
              code_model=code_model, executor=executor)
    trials = []
    try:
        for k in range(placements):
            trial = ProgramTrial(target, reloc, k, expected=expected)
            trials.append(trial)
            try:
                mods = jit.load_all(sources, archives=archives)
            except RigError as e:
                trial.error = str(e)
                continue
            try:
                trial.layouts = {m.name: m.layout.mapping() for m in mods}
                trial.notes = [n for m in mods for n in m.notes]
                if stream is not None and k == 0:
                    trial.streamed = True
                    with _tee(jit, stream):
                        trial.result = jit.run(args, env, program_name=program_name or mods[0].name)
                else:
                    trial.result = jit.run(args, env, program_name=program_name or mods[0].name)
                if trial.result.ended in ("fault", "limit") and trial.result.error:
                    trial.fault = fault_place(jit, trial.result.error)
            except RigError as e:
                trial.error = str(e)
            finally:
                jit.unload_all()             # the next placement starts from an empty Jit
                jit.process.heap.reset()
    finally:
        jit.close()
    return trials


class _tee:
    """Pass what the program writes to `stream` too, while in the `with` block.

    Every write, the host runtime's and musl's `write` system call alike, goes
    through the process's `output` method, so wrapping that one attribute of
    this one process sees it all, in order; the capture is unchanged (the
    original method runs first and may refuse, at the output limit)."""

    def __init__(self, jit: Jit, stream: Callable[[int, bytes], None]):
        self.proc, self.stream = jit.process, stream

    def __enter__(self) -> "_tee":
        original = self.proc.output

        def output(stream_no: int, data: bytes) -> None:
            original(stream_no, data)
            self.stream(stream_no, bytes(data))
        self.proc.output = output
        return self

    def __exit__(self, *exc) -> None:
        del self.proc.output           # the class's method again


def program_disagreements(trials: Sequence[ProgramTrial]) -> List[str]:
    """Where runs that completed disagree on status or output."""
    done = [t for t in trials if t.result is not None]
    if not done:
        return []
    ref = done[0]
    msgs = []
    for t in done[1:]:
        a, b = ref.result, t.result
        if (a.status, a.output) != (b.status, b.output):
            msgs.append(f"{ref.target}/{ref.reloc} placement {ref.index}: {a.summary()}, stdout "
                        f"{a.stdout!r}, stderr {a.stderr!r}; but {t.target}/{t.reloc} placement {t.index}: "
                        f"{b.summary()}, stdout {b.stdout!r}, stderr {b.stderr!r}")
    return msgs


# -- which files and targets a run uses ---------------------------------------------

def unique_sources(paths: Sequence[Path]) -> Tuple[List[Path], List[Path]]:
    """(`paths` with each file kept once, at its first place; the later mentions
    dropped): a module a program's header lists and `--extra-module` names again
    is one module, not two definitions of each of its symbols."""
    seen, kept, dropped = set(), [], []
    for p in paths:
        key = Path(p).resolve()
        if key in seen:
            dropped.append(Path(p))
        else:
            seen.add(key)
            kept.append(Path(p))
    return kept, dropped


def object_machine(path: Path) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """For an ELF file (or an `ar` archive: its first ELF member): (its machine as
    "EM_AARCH64 ELFCLASS64", the targets whose objects those are); None for anything
    else (source files, unreadable files: loading them says what is wrong)."""
    import targets as _targets
    from elftools.elf.enums import ENUM_E_MACHINE
    try:
        with open(path, "rb") as f:
            head = f.read(20)
            if head.startswith(b"!<arch>\n"):      # an archive: its first ELF member's machine
                from .archive import machine_header
                f.seek(0)
                head = machine_header(f.read())
    except OSError:
        return None
    if len(head) < 20 or not head.startswith(b"\x7fELF") or head[4] not in (1, 2):
        return None
    bits = 32 * head[4]
    number = int.from_bytes(head[18:20], "big" if head[5] == 2 else "little")
    machine = next((name for name, n in ENUM_E_MACHINE.items() if n == number and name.startswith("EM_")),
                   f"machine {number}")
    fits = tuple(t for t in ALL_TARGETS
                 if _targets.get(t).elf_machine == machine and _targets.get(t).elf_class == bits)
    return f"{machine} ELFCLASS{bits}", fits


def fitting_targets(requested: Sequence[str], sources: Sequence[Path], *, explicit: bool
                    ) -> Tuple[List[str], List[str]]:
    """The targets of `requested` that every ELF object among `sources` is for, and notes
    saying which were left out.  An object is for one machine: when the targets were asked
    for `explicit`ly, one the object does not fit is a `BadObject` naming both; otherwise
    (the default, every target) the run keeps to the targets the objects fit."""
    chosen, notes = list(requested), []
    for src in sources:
        found = object_machine(src)
        if found is None:
            continue
        machine, fits = found
        left_out = [t for t in chosen if t not in fits]
        if not left_out:
            continue
        what = f"{src}: an {machine} object"
        if not fits:
            raise BadObject(f"{what}, for none of rig's targets ({', '.join(ALL_TARGETS)})")
        if explicit:
            raise BadObject(f"{what}, for target {', '.join(fits)}, not for {', '.join(left_out)} "
                            f"(--target); run it with --target {','.join(fits)}")
        if len(left_out) == len(chosen):
            raise BadObject(f"{what}, for target {', '.join(fits)}; the objects before it fit only "
                            f"{', '.join(chosen)}: no target runs them all")
        chosen = [t for t in chosen if t in fits]
        notes.append(f"{src.name} is an {machine} object: running on {', '.join(chosen)} only, "
                     f"not {', '.join(left_out)}")
    return chosen, notes
