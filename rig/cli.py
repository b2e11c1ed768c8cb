"""The `rig` command: parse, call the API, print.  No logic of its own."""
from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import sys
import traceback
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional

from . import corpus, runner
from .corpus import ALL_TARGETS, Call, Program
from .errors import RigError, UnknownTarget


def _console():
    from rich.console import Console
    return Console(highlight=False, soft_wrap=False)


def _targets(text: str) -> List[str]:
    names = list(ALL_TARGETS) if text == "all" else [t.strip() for t in text.split(",") if t.strip()]
    unknown = [n for n in names if n not in ALL_TARGETS]
    if unknown or not names:
        raise UnknownTarget(f"unknown target(s) {', '.join(unknown) or '(none given)'}; "
                            f"choose from {', '.join(ALL_TARGETS)} or all")
    return names


def _relocs(text: str) -> List[str]:
    return ["static", "pic"] if text == "both" else [text]


def _load(path: str) -> Program:
    """`corpus.load` for any bytes: a header is text, but IR may hold bytes that are
    not UTF-8 (in a comment, a string or a quoted name), so the header is read with
    them replaced and the program keeps its own bytes for the compiler."""
    try:
        return corpus.load(path)
    except UnicodeDecodeError:
        raw = Path(path).read_bytes()
        return dataclasses.replace(corpus.parse_header(raw.decode("utf-8", "replace"), Path(path)), source=raw)


def _program(path: str, entry: Optional[str], args: List[str], signature: Optional[str] = None) -> Program:
    prog = _load(path) if path.endswith(corpus.SOURCE_SUFFIXES) else Program(Path(path), "", ())
    if not prog.source:
        try:
            prog = Program(Path(path), "", (), source=Path(path).read_bytes())
        except OSError as e:
            raise RigError(f"cannot read {path}: {e.strerror}") from None
    if entry or not prog.calls:
        values = []
        for a in args:
            try:
                values.append(ast.literal_eval(a))
            except (ValueError, SyntaxError):
                raise RigError(f"argument {a!r} is not a number") from None
        call = Call(entry or "main", tuple(values), "==", None, 0)
        prog = Program(prog.path, prog.description, (call,), prog.relocs, ALL_TARGETS, prog.source,
                       prog.signatures)
    if signature:
        prog = Program(prog.path, prog.description, prog.calls, prog.relocs, prog.targets, prog.source,
                       prog.signatures + ((prog.calls[0].name, signature),))
    return prog


def cmd_run(ns) -> int:
    """rig run: every target x relocation model x placement; compare.  A whole
    program (a STATUS header, or a file with no CALL lines and no --entry) runs
    its main like a process and exits with its status."""
    from . import executor as _executor
    _executor.check(ns.executor)
    if not ns.entry:
        whole = _load(ns.program) if ns.program.endswith(corpus.SOURCE_SUFFIXES) else None
        if whole is None or not whole.calls:
            return _run_whole(ns, whole if whole is not None else Program(Path(ns.program), "", ()))
    if ns.argv or ns.env or ns.extra_module or ns.extra_object or ns.extra_archive or ns.expect_stdout:
        raise RigError("program arguments, --env, --extra-module, --extra-object, --extra-archive and "
                       "--expect-stdout are for "
                       "whole programs (main); this file states CALL lines or --entry was given")
    prog = _program(ns.program, ns.entry, ns.args, ns.signature)
    names, notes = runner.fitting_targets(_targets(ns.target), [prog.path], explicit=ns.target != "all")
    if not ns.json:
        _notes(ns, notes)
    all_trials = []
    for target in names:
        if target not in prog.targets:
            continue
        for reloc in (_relocs(ns.reloc) if ns.reloc else prog.relocs):
            all_trials.extend(runner.run_trials(prog, target, placements=ns.placements, seed=ns.seed,
                                                reloc=reloc, opt=ns.opt, cflags=ns.cflag, executor=ns.executor))
    problems = runner.disagreements(all_trials)
    failed = [t for t in all_trials if not t.ok]
    if ns.json:
        print(json.dumps({"program": str(prog.path), "targets": names, "notes": notes,
                          "trials": [t.as_dict() for t in all_trials],
                          "disagreements": problems, "ok": not failed and not problems}, indent=2))
    else:
        _print_run(prog, all_trials, problems, ns.placements)
    return 1 if failed or problems or not all_trials else 0


DISAGREE_STATUS = 70        #: `rig run`'s exit status when runs disagree or miss what was stated (EX_SOFTWARE)
INTERNAL_ERROR_STATUS = 2   #: a bug in rig itself is an error like any other (told apart by its message)


def _env(pairs: List[str]) -> List[tuple]:
    out = []
    for p in pairs:
        k, eq, v = p.partition("=")
        if not eq or not k:
            raise RigError(f"--env takes NAME=value, got {p!r}")
        out.append((k, v))
    return out


def _stdin(ns) -> bytes:
    """What the program reads on standard input: --stdin FILE ("-": the rig's own), else nothing."""
    if not ns.stdin:
        return b""
    if ns.stdin == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(ns.stdin).read_bytes()
    except OSError as e:
        raise RigError(f"cannot read --stdin {ns.stdin}: {e.strerror}") from None


def _mounts(specs) -> Dict[str, str]:
    """--mount GUEST=HOST (or HOST, seen at the same path): read-only directories the program may open."""
    out = {}
    for spec in specs:
        guest, eq, host = spec.partition("=")
        guest, host = (guest, host) if eq else (spec, spec)
        if not Path(host).is_dir():
            raise RigError(f"--mount {spec}: {host} is not a directory")
        out[guest if guest.startswith("/") else "/" + guest] = str(Path(host).resolve())
    return out


def _run_whole(ns, prog: Program) -> int:
    """Run main on every target x relocation model x placement, like lli runs a program."""
    run = prog.run
    args = list(ns.argv) if ns.argv else list(run.args if run else ())
    env = _env(ns.env) if ns.env else list(run.env if run else ())
    expected = run if run is not None and not ns.argv and not ns.env else None
    sources = [prog.path] + list(run.extra if run else ()) + [Path(p) for p in ns.extra_module + ns.extra_object]
    archives = [Path(p) for p in ns.extra_archive]          # lli -extra-archive: members pulled as needed
    for src in sources + archives:
        if not src.is_file():
            raise RigError(f"cannot read {src}: no such file")
    sources, repeated = runner.unique_sources(sources)       # a file named twice is one module
    names, notes = runner.fitting_targets(_targets(ns.target), sources + archives, explicit=ns.target != "all")
    if not ns.json:
        _notes(ns, notes)
    trials = []
    # The first run's output goes to the terminal as the program writes it (a long or
    # crashing program shows its progress); the other runs are compared with it.  Not
    # when there is an expected output to compare with (the header's, --expect-stdout):
    # a run that misses it prints the report alone, as `diff` would.
    stream = None if ns.json or ns.expect_stdout or expected is not None else _stream_output
    for target in names:
        if target not in prog.targets:
            continue
        for reloc in (_relocs(ns.reloc) if ns.reloc else prog.relocs):
            if any(t.streamed for t in trials):
                stream = None
            trials.extend(runner.run_program(sources, target, args=args, env=env, placements=ns.placements,
                                             seed=ns.seed, reloc=reloc, opt=ns.opt, expected=expected,
                                             program_name=prog.path.name, cflags=ns.cflag,
                                             code_model=ns.code_model or prog.code_model,
                                             archives=archives, runtime=ns.runtime or prog.runtime,
                                             stdin=_stdin(ns) if ns.stdin or not run else run.stdin,
                                             mounts=_mounts(ns.mount) or prog.mounts,
                                             stream=stream, executor=ns.executor))
    problems = runner.program_disagreements(trials)
    failed = [t for t in trials if not t.ok]
    first = next((t.result for t in trials if t.result is not None), None)
    if ns.expect_stdout and first is not None:
        try:
            want = Path(ns.expect_stdout).read_bytes()
        except OSError as e:
            raise RigError(f"cannot read {ns.expect_stdout}: {e.strerror}") from None
        if first.stdout != want:
            problems.append(f"stdout differs from {ns.expect_stdout}: expected {want!r}, got {first.stdout!r}")
    if trials and all(t.error for t in trials):
        # An error at every placement is the input's, not a placement's: say each once.
        errors = list(dict.fromkeys(t.error for t in trials))
        raise RigError(errors[0] if len(errors) == 1 else "\n  ".join(["every run failed:"] + errors))
    good = trials and not failed and not problems
    if ns.json:
        print(json.dumps({"program": str(prog.path), "args": args, "env": dict(env),
                          "modules": [str(s) for s in sources], "archives": [str(a) for a in archives],
                          "targets": names, "notes": notes,
                          "trials": [t.as_dict() for t in trials],
                          "disagreements": problems, "ok": bool(good),
                          "status": first.status if good else None}, indent=2))
        return first.status if good else DISAGREE_STATUS
    err = _console_err()
    if ns.verbose:
        for src in repeated:
            err.print(f"[dim]rig: {src} is named more than once (header EXTRA, --extra-module, "
                      f"--extra-object): loaded once[/dim]")
        for note in dict.fromkeys(n for t in trials for n in t.notes):
            err.print(f"[dim]rig: {note}[/dim]")
    if not good:
        _report_whole(err, prog, trials, failed, problems)
        return DISAGREE_STATUS
    shown = _first_run(trials)
    if not shown.streamed:                       # the program's own output, in the order it wrote it
        for stream_no, data in first.output:
            _stream_output(stream_no, data)
    _print_fault(err, shown)
    if not ns.quiet:
        targets = sorted({t.target for t in trials}, key=ALL_TARGETS.index)
        for target in targets:
            mine = [t for t in trials if t.target == target]
            relocs = "+".join(sorted({t.reloc for t in mine}))
            err.print(f"[dim]rig: {target} ({relocs}, {len(mine)} runs at random placements): "
                      f"{mine[0].result.summary()}[/dim]")
        err.print(f"[dim]rig: {prog.path.name}: all {len(trials)} runs agree[/dim]")
    return first.status


def _stream_output(stream: int, data: bytes) -> None:
    """Write the program's bytes to the rig's own stdout (1) or stderr (2), now."""
    out = sys.stdout if stream == 1 else sys.stderr
    other = sys.stderr if stream == 1 else sys.stdout
    other.flush()                 # the two streams interleave as the program wrote them
    out.flush()
    out.buffer.write(data)
    out.flush()


def _first_run(trials):
    """The first trial that ran the program to an end (the one whose output is shown)."""
    return next((t for t in trials if t.result is not None), None)


def _print_fault(err, trial) -> None:
    """A killed program's place, as a debugger shows it (on stderr, even with -q:
    the shell says "Segmentation fault" too)."""
    if trial is None or trial.result is None or trial.result.ended not in ("fault", "limit"):
        return
    r = trial.result
    head = f"rig: {trial.target}/{trial.reloc} placement {trial.index}: {r.summary()}"
    place = trial.fault
    if place is None:
        err.print(head + (f": {r.error.strip().splitlines()[0]}" if r.error.strip() else ""), markup=False)
        return
    lines = place.lines()
    err.print(f"{head}: {lines[0]}", markup=False)
    for line in lines[1:]:
        err.print(f"rig:   {line}", markup=False)


def _notes(ns, notes: List[str]) -> None:
    """What the run changed from what was asked (on stderr, unless -q)."""
    if notes and not ns.quiet:
        err = _console_err()
        for note in notes:
            err.print(f"rig: note: {note}")


def _console_err():
    from rich.console import Console
    return Console(highlight=False, soft_wrap=True, stderr=True)


def _report_whole(con, prog: Program, trials, failed, problems) -> None:
    """Why the runs of a whole program do not count as one: each failing run (its
    error, or its status and output against the stated ones, and where a fault
    was), then the disagreements, with the place of each kind of end once."""
    con.print(f"[bold red]rig: {prog.path}: the runs do not all give what they must[/bold red]")
    said = set()
    for t in failed[:8]:
        where = f"{t.target}/{t.reloc} placement {t.index}"
        if t.error:
            con.print(f"  {where}: error: " + ("(as above)" if t.error in said else t.error))
            said.add(t.error)
            continue
        r, e = t.result, t.expected
        con.print(f"  {where}: {r.summary()}" + (f" (expected status {e.status})" if e and e.status != r.status
                                                   else ""))
        if r.error:
            con.print(f"    {r.error}")
        if e and r.output != e.output:
            con.print(f"    output {list(r.output)!r}\n    expected {list(e.output)!r}")
        # the program's own modules; archive members (a whole libc) only counted
        own = {m: lay for m, lay in t.layouts.items() if ".a(" not in m}
        members = len(t.layouts) - len(own)
        con.print("    " + "; ".join(f"{m}: " + " ".join(f"{k}={v:#x}" for k, v in lay.items())
                                     for m, lay in own.items())
                  + (f"; and {members} archive members (--json lists them)" if members else ""))
        if t.fault is not None:
            con.print("\n".join(f"    {line}" for line in t.fault.lines()), markup=False)
    if len(failed) > 8:
        con.print(f"  ... and {len(failed) - 8} more failing runs")
    for p in problems:
        con.print(f"  [red]DISAGREE[/red] {p}")
    # Where each different kind of end happened, once (a disagreement names only the statuses).
    shown = {t.result.summary() for t in failed[:8] if t.result is not None and t.fault is not None}
    for t in trials:
        if problems and t.fault is not None and t.result.summary() not in shown:
            shown.add(t.result.summary())
            con.print(f"  {t.target}/{t.reloc} placement {t.index}: {t.result.summary()}: "
                      + "\n    ".join(t.fault.lines()), markup=False)


def _print_run(prog: Program, trials, problems, placements: int) -> None:
    from rich.table import Table
    con = _console()
    con.print(f"[bold]{prog.path}[/bold]" + (f" — {prog.description}" if prog.description else ""))
    table = Table(show_lines=False)
    for col in ("target", "reloc", "ok", "relocs", "stubs", "span of placement 0", "results"):
        table.add_column(col, overflow="fold")
    groups = {}
    for t in trials:
        groups.setdefault((t.target, t.reloc), []).append(t)
    for (target, reloc), ts in groups.items():
        ok = sum(t.ok for t in ts)
        first = ts[0]
        span = (f"{min(first.layout.values()):#x}–{max(first.layout.values()):#x}"
                if first.layout else "-")
        if first.error is not None:
            res = f"error: {first.error}"
        elif all(o.call.expected is not None for o in first.outcomes):
            res = f"{sum(o.ok for o in first.outcomes)}/{len(first.outcomes)} as stated"
        else:
            res = ", ".join(o.shown() for o in first.outcomes)
        style = "green" if ok == len(ts) else "red"
        table.add_row(target, reloc, f"[{style}]{ok}/{len(ts)}[/{style}]", str(first.relocations),
                      str(max(t.stubs for t in ts)), span, res[:60])
    con.print(table)
    for t in trials:
        if t.ok:
            continue
        con.print(f"[red]FAIL[/red] {t.target}/{t.reloc} placement {t.index}: "
                  + " ".join(f"{k}={v:#x}" for k, v in t.layout.items()))
        if t.error:
            con.print(f"  {t.error}")
        for o in t.outcomes:
            if not o.ok:
                stated = ([repr(o.call.expected)] if o.call.expected is not None else []) + (
                    [f"stdout {o.call.stdout!r}"] if o.call.stdout is not None else [])
                want = f" (expected {', '.join(stated)})" if stated else ""     # nothing stated: no "None"
                args = ", ".join(repr(a) for a in o.call.args)
                con.print(f"  {o.call.name}({args}) -> {o.shown()} stdout {o.stdout!r}{want}")
    for p in problems:
        con.print(f"[red]DISAGREE[/red] {p}")
    if not problems and all(t.ok for t in trials):
        con.print(f"[green]all {len(trials)} trials agree[/green]")


def cmd_targets(ns) -> int:
    """rig targets: what each target is."""
    import targets
    rows = []
    for name, t in targets.all_targets().items():
        rows.append({"name": name, "triple": t.triple, "description": t.description,
                     "relocations": len(t.relocations), "code_models": list(t.code_models),
                     "address_space": [hex(t.address_space[0]), hex(t.address_space[1])]})
    if ns.json:
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table
    table = Table()
    for col in ("target", "triple", "description", "relocation types", "code models", "address space"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["triple"], r["description"], str(r["relocations"]),
                      ", ".join(r["code_models"]), "–".join(r["address_space"]))
    _console().print(table)
    return 0


def cmd_relocs(ns) -> int:
    """rig relocs: every supported relocation type per target, and what the corpus exercises."""
    import targets
    from .coverage import corpus_coverage
    names = _targets(ns.target)
    covered = corpus_coverage(ns.corpus, names) if ns.corpus and Path(ns.corpus).is_dir() else {}
    rows = []
    for name in names:
        t = targets.get(name)
        for h in sorted(t.relocations.values(), key=lambda h: h.type):
            f = h.field
            rows.append({"target": name, "type": h.type, "name": h.name,
                         "value": ("((S + A) | T)" + h.expr.value[5:] if h.thumb_bit and h.expr.value.startswith("S + A")
                                   else h.expr.value),
                         "field": f.name if f else None, "bytes": f.size if f else 0,
                         "range": f.range_text() if f else None,
                         "stub": h.stub_state is not None, "doc": h.doc,
                         "corpus_sites": covered.get(name, {}).get(h.name, 0) if covered else None})
    if ns.json:
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table
    table = Table()
    for col in ("target", "type", "name", "value", "field", "range", "stub", "corpus"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["target"], str(r["type"]), r["name"], r["value"], r["field"] or "-", r["range"] or "-",
                      "yes" if r["stub"] else "", "-" if r["corpus_sites"] is None else str(r["corpus_sites"]))
    _console().print(table)
    return 0


def cmd_fuzz(ns) -> int:
    """rig fuzz: the placement properties as a campaign over --jobs workers, with live
    progress and coverage per target (--malformed: the hostile-input campaign instead)."""
    import time
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from .fuzz import campaign, parallel_campaign
    if ns.malformed:
        return _fuzz_malformed(ns)
    if ns.engine:
        return _fuzz_engine(ns)
    if ns.count is not None or ns.save is not None:
        raise RigError("--count and --save are for the malformed-input campaign: add --malformed")
    if ns.site_examples < 0:
        raise RigError(f"--site-examples must be 0 (no site sweep) or more, not {ns.site_examples}")
    ns.jobs = (os.cpu_count() or 1) if ns.jobs is None else ns.jobs
    if ns.jobs < 1:
        raise RigError(f"--jobs must be at least 1, not {ns.jobs}")
    from . import executor as _executor
    _executor.check(ns.executor)
    if ns.compare is not None:
        _executor.check(ns.compare)
    names = _targets(ns.target)
    total = None if ns.minutes else ns.examples
    live: Dict[object, tuple] = {}          # share -> (target, examples, types, failures, deadline)

    def left(deadline) -> str:
        return "" if deadline is None else f"{max(0, int(deadline - time.time())) // 60}:" \
                                           f"{max(0, int(deadline - time.time())) % 60:02d} left"

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[types]} types, {task.fields[failures]} failures {task.fields[left]}"),
                  TimeElapsedColumn(), disable=ns.json or not sys.stdout.isatty(), transient=True) as progress:
        # a target's clock starts when a worker starts it
        tasks = {n: progress.add_task(n, total=total, types=0, failures=0, left="", start=False) for n in names}

        def watch(share, target, examples, types, failures, deadline) -> None:
            live[share] = (target, examples, set(types), failures, deadline)
            progress.start_task(tasks[target])
            mine = [v for v in live.values() if v[0] == target]
            ends = [v[4] for v in mine if v[4] is not None]
            progress.update(tasks[target], completed=sum(v[1] for v in mine),
                            types=len(set().union(*(v[2] for v in mine))), failures=sum(v[3] for v in mine),
                            left=left(max(ends)) if ends else "")
        options = dict(examples=ns.examples, minutes=ns.minutes, seed=ns.seed, corpus_dir=ns.corpus,
                       database=ns.db or None, runtime=None if ns.runtime == "any" else ns.runtime,
                       executor=ns.executor, compare=ns.compare, site_examples=ns.site_examples)
        if ns.jobs == 1:                    # in this process
            reports = campaign(names, **options, watch=lambda r, deadline: watch(
                r.target, r.target, r.examples, r.relocations, len(r.failures), deadline))
        else:
            reports = parallel_campaign(names, ns.jobs, **options, watch=watch)
    failed = [r for r in reports if r.failures]
    if ns.json:
        print(json.dumps({"ok": not failed, "targets": [r.as_dict() for r in reports]}, indent=2))
        return 1 if failed else 0
    import targets
    from rich.table import Table
    con = _console()
    table = Table(title="relocation types applied during the campaign", title_justify="left")
    for col in ("target", "examples", "stubs", "rows", "types applied (sites)", "never applied", "result"):
        table.add_column(col, overflow="fold")
    for r in reports:
        rows = [h.name for h in targets.get(r.target).relocations.values()]
        prefix = os.path.commonprefix(rows)         # "R_X86_64_", "R_ARM_", "R_AARCH64_"
        applied = ", ".join(f"{k[len(prefix):] if k.startswith(prefix) else k}×{v}"
                            for k, v in sorted(r.relocations.items()))
        never = ", ".join(n[len(prefix):] for n in r.never) or "-"
        table.add_row(r.target, str(r.examples), str(r.stubs), f"{len(rows) - len(r.never)}/{len(rows)}",
                      applied, never, "[red]FAIL[/red]" if r.failures else "[green]ok[/green]")
    con.print(table)
    for r in failed:
        for f in r.failures:
            con.print(f"[red]{r.target}[/red]: {f}")
    return 1 if failed else 0


def _fuzz_engine(ns) -> int:
    """rig fuzz --engine E: the corpus at drawn placements, E against the references, site by site."""
    from .engines import campaign as _campaign
    names = _targets(ns.target)
    refs = tuple(r.strip() for r in ns.against.split(",") if r.strip())
    report = _campaign.run(ns.engine, names, corpus_dir=ns.corpus, placements=ns.placements,
                           seed=ns.seed or 0, references=refs, out_dir=ns.out or None, minutes=ns.minutes)
    if ns.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 1 if report.findings else 0
    con = _console()
    con.print(f"engine {report.engine} against {', '.join(refs)}: {report.links} links, {report.sites} sites "
              f"compared in {report.seconds:.0f} s ({report.references_disagree} sites where the references "
              f"disagree, not judged)")
    if report.own_placement:
        con.print(f"{report.engine} chose the placement itself in {report.own_placement} of {report.links} links "
                  f"(it lays sections out on its own): the references were linked at its placement", highlight=False)
    for why, n in sorted(report.documented.items()):
        con.print(f"documented difference, {n} site(s), not a finding: {why}", highlight=False)
    for (target, type_, kind), f in sorted(report.findings.items()):
        d = f.disagreement
        con.print(f"[red]{target} {type_} ({kind})[/red] x{f.count}: {d} [{f.program}, seed {f.seed}]",
                  highlight=False)
        if f.reproducer:
            con.print(f"    reproducer: {f.reproducer}/run.sh", highlight=False)
        if f.behaviour:
            con.print(f"    in the emulator: {f.behaviour}", highlight=False)
    for target, types in sorted(report.unsupported.items()):
        if types:
            con.print(f"{target}: not supported by {report.engine} (counted, not bugs): "
                      + ", ".join(f"{t} ({report.why[t]})" if report.why.get(t) else t for t in sorted(types)),
                      highlight=False)
    for (target, type_), (n, msg) in sorted(report.refused_sites.items()):
        con.print(f"{target}: {report.engine} refused {n} {type_} site(s) (not compared): {msg}", highlight=False)
    for e in report.errors[:20]:
        con.print(f"[yellow]error[/yellow] {e}", highlight=False)
    return 1 if report.findings else 0


def _fuzz_malformed(ns) -> int:
    """rig fuzz --malformed: hostile inputs for each target, each in a sandboxed child;
    a table of what came out; status 1 on any non-RigError, unusable Jit, hang or crash."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from . import malformed
    names = _targets(ns.target)
    ns.count = 1000 if ns.count is None else ns.count
    ns.jobs = (os.cpu_count() or 1) if ns.jobs is None else ns.jobs
    ns.save = malformed.DEFAULT_SAVE if ns.save is None else ns.save
    if ns.count < 1:
        raise RigError(f"--count must be at least 1, not {ns.count}")
    if ns.jobs < 1:
        raise RigError(f"--jobs must be at least 1, not {ns.jobs}")
    shares = [ns.count // len(names) + (1 if k < ns.count % len(names) else 0) for k in range(len(names))]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=ns.json, transient=True) as progress:
        tasks = {n: progress.add_task(n, total=share) for n, share in zip(names, shares)}
        report = malformed.campaign(names, ns.count, ns.seed, save=ns.save or None, jobs=ns.jobs,
                                    tick=lambda t: progress.advance(tasks[t]))
    if ns.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0 if report.ok else 1
    from rich import box
    from rich.table import Table
    con = _console()
    con.print(f"[bold]malformed inputs[/bold]: {report.inputs:,} in {report.seconds:.0f} s, seed {report.seed}, "
              f"{report.children} child processes")

    def red(n) -> str:
        return f"[red]{n}[/red]" if n else "0"
    for t in report.targets:          # a table per target: two columns fit any terminal
        table = Table(title=f"{t.target}: {t.inputs:,} inputs ("
                            + ", ".join(f"{k} {v:,}" for k, v in t.kinds.most_common()) + ")",
                      title_justify="left", show_header=False, box=box.SIMPLE)
        table.add_column("what", no_wrap=True)
        table.add_column("count", overflow="fold")
        table.add_row("loaded and ran", f"{t.loaded:,}")
        table.add_row("refused by a RigError", f"{t.rejected:,}")
        table.add_row("RigErrors by class", ", ".join(f"{k} {v:,}" for k, v in t.rig_errors.most_common()) or "-")
        table.add_row("non-RigError exceptions", red(", ".join(f"{k} {v}" for k, v in t.exceptions.most_common())))
        table.add_row("Jit unusable afterwards", red(t.unusable))
        table.add_row("hangs", red(t.hangs))
        table.add_row("crashes", red(t.crashes))
        table.add_row("compile worker crashes", f"{t.worker_crashes:,} (each a CompileError)")
        table.add_row("peak RSS", f"{t.peak_rss / (1 << 20):.0f} MiB")
        con.print(table)
    for t in report.targets:
        for f in t.findings:
            con.print(f"[red]{t.target}[/red] input {f.index} ({f.kind}: {f.how}): {f.status}: "
                      f"{f.exception}: {f.message.splitlines()[0] if f.message else ''}"
                      + (f" [dim](saved: {f.saved})[/dim]" if f.saved else "")
                      + ("" if f.alone is None else " [dim](happens again alone)[/dim]" if f.alone
                         else " [dim](not alone: its batch is saved)[/dim]"), markup=True, highlight=False)
    if report.ok:
        con.print(f"[green]only RigErrors from {report.inputs:,} inputs, and every Jit ran good code after "
                  f"each[/green]")
    else:
        con.print(f"replay one: python -m rig.malformed replay FILE --target T; "
                  f"the campaign again: rig fuzz --malformed --seed {report.seed} --count {ns.count} "
                  f"--target {ns.target}")
    return 0 if report.ok else 1


def cmd_bench(ns) -> int:
    """rig bench: trial cost per target, the floor, relocations per second, cold/cached, memory,
    and the same program through ld.lld + qemu-user and lli -remote-mcjit when installed."""
    from . import bench, comparisons
    names = _targets(ns.target)
    con = _console()
    if ns.scaling:
        result = {t: bench.scaling(t, quick=ns.quick) for t in names}
        if ns.json:
            print(json.dumps(result, indent=2))
            return 0
        for t, rows in result.items():
            con.print(f"[bold]{t}[/bold] (step = cost growth / work growth; ~1 or less is linear)")
            for key in ("relocations", "sections"):
                con.print(f"  by {key}: " + ", ".join(
                    f"{r[key]} → {r['seconds_per_trial'] * 1e3:.2f} ms"
                    + (f" (step {r['step']:.2f})" if "step" in r else "") for r in rows[key]))
        return 0
    if ns.compile:
        result = bench.compile_overhead(names, repeats=1 if ns.quick else 3)
        if ns.json:
            print(json.dumps(result, indent=2))
            return 0
        con.print(f"compiling corpus/*.ll for {', '.join(result['targets'])} ({result['compiles']} compiles, "
                  f"cold caches, medians of {len(result['worker_rounds'])} rounds): in this process "
                  f"{result['in_process_seconds']:.2f} s, in the compile worker {result['worker_seconds']:.2f} s "
                  f"({result['overhead']:+.1%}, {result['workers_started']} worker start(s) counted)")
        return 0
    program = bench.BenchProgram.from_corpus(ns.program) if ns.program else None
    if ns.executor:
        return _bench_executor(ns, names, program, con)
    if ns.profile:
        for t in names:
            print(bench.profile(t, program, 500 if ns.quick else 5000))
        return 0
    progress = None if ns.json else (lambda msg: con.print(f"[dim]{msg}[/dim]"))
    result = bench.run(names, program=program, quick=ns.quick, memory_trials=ns.memory_trials,
                       compare=not ns.no_compare, progress=progress)
    if ns.json:
        print(json.dumps(result, indent=2))
        return 0
    from rich.table import Table
    first = next(iter(result.values()))
    table = Table(title=f"rig bench: {first['program']} (medians; a trial = load at a new random "
                        f"placement, link, call, unload)")
    for col in ("target", "trials/s", "× floor", "ld.lld+qemu", "lli remote", "large: relocs/s",
                "cold ms", "cached load", "memory", "musl hello: cold / warm", "C++ throw: cold / warm"):
        table.add_column(col, justify="right" if col != "target" else "left")
    missing = False
    for t, r in result.items():
        lq = r.get("lld_qemu")
        li = r.get("lli_remote")
        missing |= "lld_qemu" in r and lq is None
        table.add_row(
            t, f"{r['small']['trials_per_second']:.0f}", f"{r['times_floor']:.2f}",
            f"{lq['seconds_per_trial'] * 1e3:.1f} ms ({r['lld_qemu_ratio']:.0f}× slower)" if lq else "—",
            f"{li['seconds_per_trial'] * 1e3:.1f} ms ({r['lli_remote_ratio']:.0f}× slower)" if li else "—",
            f"{r['large']['relocations_per_second']:.0f} ({r['large']['relocations']})",
            f"{r['cold_seconds'] * 1e3:.1f}",
            f"{r['cached_fraction'] * 100:.2f}% of cold (disk {r['disk_cached_fraction'] * 100:.1f}%)",
            f"+{r['memory_growth_mib']:.1f} MiB / {r['memory_trials']:,} trials",
            *[(f"{r[k]['cold_seconds']:.2f} s / {r[k]['warm_seconds_per_trial'] * 1e3:.2f} ms "
               f"({r[k]['trials_per_second']:.0f}/s)") if r.get(k) else "—" for k in ("musl", "cxx")])
    con.print(table)
    if missing:
        con.print(f"ld.lld + qemu-user not found; to compare, install them: {comparisons.install_hint()}")
    return 0


def _bench_executor(ns, names, program, con) -> int:
    """rig bench --executor E: trials/s in E next to inprocess, and lli -remote-mcjit's trial."""
    from . import bench
    from . import executor as _executor
    _executor.check(ns.executor)
    result = bench.executors(names, ns.executor, program=program, quick=ns.quick, compare=not ns.no_compare)
    if ns.json:
        print(json.dumps(result, indent=2))
        return 0
    from rich.table import Table
    first = next(iter(result.values()))
    table = Table(title=f"rig bench --executor {ns.executor}: {first['program']} (medians; a trial = load at a "
                        f"new random placement, link, call, unload)")
    for col in ("target", "inprocess trials/s", f"{ns.executor} trials/s", "ratio", "lli -remote-mcjit",
                f"{ns.executor} ahead of lli"):
        table.add_column(col, justify="right" if col != "target" else "left")
    for t, r in result.items():
        li = r.get("lli_remote")
        table.add_row(t, f"{r['inprocess']['trials_per_second']:.0f}", f"{r['executor']['trials_per_second']:.0f}",
                      f"{r['ratio']:.2f}", f"{li['seconds_per_trial'] * 1e3:.1f} ms" if li else "—",
                      f"{r['ahead_of_lli']:.0f}×" if li else "—")
    con.print(table)
    return 0


def _explained(ns, seed):
    """Load the program (and its EXTRA modules) as `rig explain` asks, at `seed`; (jit, modules,
    the header's program)."""
    from .jit import Jit
    prog = _load(ns.program) if ns.program.endswith(corpus.SOURCE_SUFFIXES) else Program(Path(ns.program), "", ())
    extra = list(prog.run.extra) if prog.run else []
    placement = None
    if ns.placement:
        placement = ns.placement if ns.placement in ("packed", "random") else _placement_json(ns.placement)
    jit = Jit(ns.target, seed=seed, reloc=ns.reloc or (prog.relocs[0] if prog.relocs else "static"),
              opt=ns.opt, cflags=ns.cflag, code_model=ns.code_model or prog.code_model)
    try:
        mods = [jit.load(prog.path, name=prog.path.name, placement=placement, defer_undefined=bool(extra))]
        mods += [jit.load(Path(e), name=Path(e).name) for e in extra]
    except BaseException:
        jit.close()
        raise
    return jit, mods, prog


def _placement_json(text: str) -> dict:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise RigError(f"--placement {text!r}: packed, random, or JSON like '{{\".text\": 268435456}}' ({e})") from None
    if not isinstance(raw, dict):
        raise RigError(f"--placement {text!r}: a JSON object of section name -> address")
    return {k: int(v, 0) if isinstance(v, str) else v for k, v in raw.items()}


def cmd_explain(ns) -> int:
    """rig explain: what the linker did at every site of one placement, for a person."""
    from .explain import explain, terminal
    con = _console()
    seed = ns.seed if ns.seed is not None else 0
    jit, mods, prog = _explained(ns, seed)
    try:
        ex = explain(jit, mods, program=prog.path.name, seed=seed)
        chosen = ex.select(site=ns.site, type=ns.type, symbol=ns.symbol) if (ns.site or ns.type or ns.symbol) else None
        if chosen == []:
            raise RigError(f"no relocation site of {ns.program} on {ns.target} matches "
                           + ", ".join(f"--{k} {v}" for k, v in (("type", ns.type), ("symbol", ns.symbol)) if v))
        if ns.json:
            data = ex.as_dict()
            if chosen is not None:
                ids = {s.id for s in chosen}
                data["sites"] = [s for s in data["sites"] if s["id"] in ids]
            print(json.dumps(data, indent=2))
            return 0
        if ns.html:
            from .explain.html import render_html
            Path(ns.html).write_text(render_html(ex), encoding="utf-8")
            con.print(f"wrote {ns.html}: the memory map and {len(ex.sites)} sites of {prog.path.name} on {ns.target}")
            return 0
        if ns.diff is not None:
            jit2, mods2, _ = _explained(ns, ns.diff)
            try:
                other = explain(jit2, mods2, program=prog.path.name, seed=ns.diff)
            finally:
                jit2.close()
            con.print(terminal.diff_table(ex, other, (seed, ns.diff)))
            return 0
        terminal.render(ex, con, chosen if chosen is not None else (ex.sites if ns.all else None),
                        show_map=chosen is None, show_table=chosen is None)
        if ns.run:
            return _explain_run(ns, jit, mods, ex, con)
        return 0
    finally:
        jit.close()


def _explain_run(ns, jit, mods, ex, con) -> int:
    """Run the program at this placement; a fault is shown with the sites nearest to it."""
    from .errors import EmulationFault
    from .explain import terminal
    import re
    try:
        if ns.entry:
            value = mods[0].call(ns.entry, *[_number(a) for a in ns.args])
            con.print(f"{ns.entry}({', '.join(ns.args)}) = {value!r}")
            return 0
        result = jit.run()
    except EmulationFault as e:
        what, pc, address, text = str(e).splitlines()[0], e.pc, e.address, str(e)
    else:
        if result.ended != "fault":
            con.print(f"the run: {result.summary()}")
            return 0
        place = runner.fault_place(jit, result.error)
        what = place.what if place else result.error.splitlines()[0]
        pc = place.pc if place else None
        m = re.search(r"at (0x[0-9a-f]+)", what)
        address = int(m.group(1), 16) if m else None
        text = result.error
    fault = what
    # A PC in no module (a jump to 0) is explained from where the jump came from.
    caller = re.search(r"called from (0x[0-9a-f]+)", text)
    in_code = any(r.kind == "section" and "x" in r.perms and r.start <= (pc or -1) < r.end for r in ex.map)
    if not in_code and caller:
        con.print(f"the faulting PC is in no module; it was reached from {caller.group(1)}")
        pc = int(caller.group(1), 16)
    from rich.markup import escape
    con.print(f"[red]the run faulted[/red]: {escape(str(fault).splitlines()[0])}")
    near = sorted((s for s in ex.sites if s.code), key=lambda s: abs(s.address - (pc or 0)))[:3]
    wrote = [s for s in ex.sites if address and s.route.kind != "none" and s.value in (address, address & ~1)]
    con.print(f"the relocation sites nearest to the faulting instruction ({pc:#x}):" if pc is not None else
              "the relocation sites:")
    for s in near:
        con.print(terminal.site_panel(s))
    for s in wrote:
        con.print(f"[yellow]{s.section}+{s.offset:#x} ({s.type}) wrote {s.value:#x}, the faulting address[/yellow]")
        con.print(terminal.site_panel(s))
    return 1


def _number(text: str):
    try:
        return int(text, 0)
    except ValueError:
        return float(text)


def _demo_explained(ns, prog, con) -> int:
    """rig demo --explain / --html: the demo program's sites, one by one, for a class."""
    from .explain import explain, terminal
    from .jit import Jit
    names = _targets(ns.target or "x86_64")
    for target in names:
        with Jit(target, seed=ns.seed) as jit:
            mod = jit.load(prog.source, name="demo.ll")
            ex = explain(jit, [mod], program="demo.ll", seed=ns.seed)
            if ns.html:
                from .explain.html import render_html
                out = Path(ns.html)
                if len(names) > 1:
                    out = out.with_name(f"{out.stem}-{target}{out.suffix}")
                out.write_text(render_html(ex), encoding="utf-8")
                con.print(f"wrote {out}: the memory map and {len(ex.sites)} sites of demo.ll on {target}")
                continue
            from rich.markup import escape
            con.print(f"[bold]rig demo --explain[/bold] — {escape(prog.description)}, on {target}: the memory map, "
                      f"then each of its {len(ex.sites)} relocation sites in turn.\n")
            terminal.render(ex, con, ex.sites)
    return 0


def cmd_demo(ns) -> int:
    """rig demo: the built-in program on every target at a few random placements."""
    from rich.table import Table
    from .jit import Jit
    source = resources.files("rig").joinpath("demo/demo.ll").read_bytes()
    prog = corpus.parse_header(source.decode(), Path("demo.ll"))
    con = _console()
    if ns.explain or ns.html:
        return _demo_explained(ns, prog, con)
    con.print(f"[bold]rig demo[/bold] — {prog.description}")
    con.print("Each target loads the program at random section addresses, applies the relocations "
              "itself and runs it in Unicorn.\n")
    trials = []
    for target in ALL_TARGETS:
        jit = Jit(target, seed=ns.seed)
        ts = runner.run_trials(prog, target, placements=ns.placements, jit=jit)
        trials.extend(ts)
        mod = jit.load(prog.source, name="demo.ll")      # show one placement in detail
        table = Table(title=f"{target}: one placement ({jit.target.triple})", title_justify="left")
        table.add_column("section")
        table.add_column("address", justify="right")
        table.add_column("size", justify="right")
        table.add_column("perms")
        for p in sorted(mod.layout.placements, key=lambda p: p.address):
            table.add_row(p.item.name, f"{p.address:#x}", str(p.item.size), p.item.perms)
        con.print(table)
        kinds = {}
        for r in mod.trace:
            kinds[r.type] = kinds.get(r.type, 0) + 1
        con.print("  relocations: " + ", ".join(f"{k}×{v}" for k, v in sorted(kinds.items())))
        for o in ts[0].outcomes:
            con.print(f"  {o.call.name}{o.call.args} = {o.shown()}   prints {o.stdout!r}")
        jit.close()
    summary = Table(title="every placement", title_justify="left")
    for col in ("target", "placement", "layout (lowest three)", "results", "ok"):
        summary.add_column(col)
    for t in trials:
        lay = ", ".join(f"{k}@{v:#x}" for k, v in list(t.layout.items())[:3])
        summary.add_row(t.target, str(t.index), lay, ", ".join(o.shown() for o in t.outcomes) or (t.error or ""),
                        "[green]yes[/green]" if t.ok else "[red]NO[/red]")
    con.print(summary)
    problems = runner.disagreements(trials)
    bad = [t for t in trials if not t.ok]
    if bad or problems:
        for p in problems:
            con.print(f"[red]DISAGREE[/red] {p}")
        con.print(f"[red]{len(bad)} of {len(trials)} trials failed[/red]")
        return 1
    con.print(f"[green]{len(trials)} trials on {len(ALL_TARGETS)} targets: same results at every placement[/green]")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    p = argparse.ArgumentParser(prog="rig", description="Cross-target JIT test rig: compile, place at "
                                "random, relocate and run in Unicorn.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a program on targets at random placements and compare",
                       description="Run a program's main (like lli) or its stated CALLs on every target at random "
                                   "placements. A whole program's output is printed once, in the order it was "
                                   f"written, and rig exits with its status when all runs agree (else "
                                   f"{DISAGREE_STATUS}, with a report).",
                       epilog="example: rig run corpus/programs/args.ll --target all --placements 20 -- one 'two words'")
    r.add_argument("program", help=".ll, .bc, .c, .cpp, .s or .o file (a corpus header states calls and results)")
    r.add_argument("--target", default="all", help="x86_64, arm, thumb, aarch64, a comma list, or all")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--placements", type=int, default=5)
    r.add_argument("--reloc", choices=["static", "pic", "both"],
                   help="relocation model(s) (default: the header's RELOC line, else both)")
    r.add_argument("--opt", type=int, default=2, choices=[0, 1, 2, 3])
    r.add_argument("--code-model", help="small (default), large, ... as the target has them (rig targets); "
                                        "default: the header's CODE_MODEL line, else small")
    r.add_argument("--entry", help="function to call (default: the header's CALL lines, else main)")
    r.add_argument("--args", nargs="*", default=[], help="arguments for --entry (numbers)")
    r.add_argument("--signature", help="the entry's C signature, e.g. 'i32(i32, f64)' (needed for .c, .s, .o)")
    r.add_argument("--json", action="store_true")
    r.add_argument("argv", nargs="*", metavar="ARGS",
                   help="after --: the program's arguments (argv[1..]; argv[0] is the file name)")
    r.add_argument("--runtime", choices=("host", "musl"),
                   help="the C runtime: host (the rig's Python host functions, fast) or musl (musl's libc "
                        "from the ziglang package, a Linux system-call layer); default: the header's, else host")
    r.add_argument("--stdin", metavar="FILE", help="the program's standard input (musl runtime; '-': the rig's own)")
    r.add_argument("--mount", action="append", default=[], metavar="GUEST=HOST",
                   help="a host directory the program may read at GUEST (musl runtime; read-only; repeatable)")
    r.add_argument("--cflag", action="append", default=[], metavar="FLAG",
                   help="a C flag passed to clang (repeatable): -I DIR, -DNAME=1, -std=c11, -W..., -f...; "
                        "give it as --cflag=-DX=1")
    r.add_argument("--extra-module", action="append", default=[], metavar="M",
                   help="another IR/C/assembly module loaded after the program (repeatable; lli -extra-module)")
    r.add_argument("--extra-object", action="append", default=[], metavar="O",
                   help="an ELF relocatable object loaded after the program (repeatable; lli -extra-object)")
    r.add_argument("--extra-archive", action="append", default=[], metavar="A",
                   help="an ar archive (static library) whose members are loaded when the program needs a "
                        "symbol they define, as a static linker does (repeatable; lli -extra-archive)")
    r.add_argument("--env", action="append", default=[], metavar="K=V",
                   help="an environment variable (repeatable); the environment is empty otherwise")
    r.add_argument("--expect-stdout", metavar="FILE", help="fail unless the program's stdout is this file's bytes")
    r.add_argument("--executor", default="inprocess", metavar="EXECUTOR",
                   help="where the code runs: inprocess (Unicorn here, the default), subprocess (Unicorn in a child "
                        "process), tcp://HOST:PORT (a `rig executor --listen` server), native (this CPU, "
                        "x86_64 on an x86-64 host)")
    r.add_argument("-v", "--verbose", action="store_true", help="say what the rig changed (e.g. a foreign triple)")
    r.add_argument("-q", "--quiet", action="store_true", help="no summary line after the program's output")
    r.set_defaults(fn=cmd_run)
    t = sub.add_parser("targets", help="list the targets")
    t.add_argument("--json", action="store_true")
    t.set_defaults(fn=cmd_targets)
    rl = sub.add_parser("relocs", help="the relocation tables, and which types the corpus exercises")
    rl.add_argument("--target", default="all")
    rl.add_argument("--corpus", default="corpus", help="directory of programs to count (default: corpus)")
    rl.add_argument("--json", action="store_true")
    rl.set_defaults(fn=cmd_relocs)
    fz = sub.add_parser("fuzz", help="placement-invariance campaign over the corpus, with coverage")
    fz.add_argument("--target", default="all")
    fz.add_argument("--examples", type=int, default=200, help="examples per target (default 200)")
    fz.add_argument("--minutes", type=float,
                    help="run each target for this long instead (a target split over workers: each share)")
    fz.add_argument("--seed", type=int, help="make the campaign reproducible")
    fz.add_argument("--corpus", default="corpus", help="programs with stated results (default: corpus)")
    fz.add_argument("--db", default=".rig-fuzz", help="Hypothesis example database directory ('' for none)")
    fz.add_argument("--site-examples", type=int, default=5, metavar="N",
                    help="examples of each site recipe of the type-directed generator, run first for each target "
                         "so every row of its table is applied at values aimed across its field (default 5; 0: "
                         "none). --json reports, per type, the sites applied and the distinct values written")
    fz.add_argument("--runtime", choices=("host", "musl", "any"), default="host",
                    help="the corpus programs to draw, by the C runtime they need (default host; musl: the "
                         "standard-C and C++ corpora, whole programs with libc kept loaded)")
    fz.add_argument("--executor", default="inprocess", metavar="EXECUTOR", help="where the code runs: inprocess (Unicorn here, the default), subprocess (Unicorn in a child "
                        "process), tcp://HOST:PORT (a `rig executor --listen` server), native (this CPU, "
                        "x86_64 on an x86-64 host)")
    fz.add_argument("--compare", metavar="EXECUTOR",
                    help="run every example in this executor too and require exactly the same results "
                         "(--executor native --compare inprocess: Unicorn checked against the CPU)")
    fz.add_argument("--engine", metavar="E",
                    help="fuzz a relocation engine instead: rig, lld, rtdyld, module:Class or a command template "
                         "(rig.engines.CommandEngine); disagreements with the references are reported once per "
                         "(target, type, kind) with a reproducer directory")
    fz.add_argument("--against", default="rig,lld", help="--engine: the references (default rig,lld)")
    fz.add_argument("--placements", type=int, default=3, help="--engine: placements per corpus object (default 3)")
    fz.add_argument("--out", default=".rig-engines", help="--engine: where reproducers go ('' for nowhere)")
    fz.add_argument("--malformed", action="store_true",
                    help="the hostile-input campaign instead: mutated objects, IR, bitcode and random bytes "
                         "must raise only RigErrors and leave the Jit usable")
    fz.add_argument("--count", type=int,
                    help="--malformed: inputs in all, split evenly over the targets (default 1000)")
    fz.add_argument("--save", metavar="DIR",
                    help="--malformed: where inputs that break the rule are saved (default .rig-malformed; "
                         "'' for nowhere)")
    fz.add_argument("--jobs", type=int,
                    help="workers (default: the CPUs; 1: all in this process): each runs shares of the "
                         "targets' examples, each share with its own seed, all sharing the --db; --malformed: "
                         "child processes checking inputs at once")
    fz.add_argument("--json", action="store_true")
    fz.set_defaults(fn=cmd_fuzz)
    b = sub.add_parser("bench", help="what a trial costs, against the emulator's own floor")
    b.add_argument("--target", default="all")
    b.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    b.add_argument("--scaling", action="store_true", help="cost against relocations and sections")
    b.add_argument("--program", help="a corpus program to time (its first CALL), instead of the built-in one")
    b.add_argument("--memory-trials", type=int, default=None,
                   help="trials for the memory measurement (default 100,000; 500 with --quick)")
    b.add_argument("--no-compare", action="store_true", help="skip ld.lld + qemu-user and lli")
    b.add_argument("--compile", action="store_true",
                   help="what compiling in the isolated worker process costs against compiling in-process")
    b.add_argument("--profile", action="store_true",
                   help="where a trial's time goes: a pyinstrument call tree (pip install 'rig[bench]')")
    b.add_argument("--executor", metavar="EXECUTOR",
                   help="trials/s in this executor (subprocess, native, tcp://HOST:PORT) next to inprocess "
                        "and lli -remote-mcjit")
    b.add_argument("--json", action="store_true")
    b.set_defaults(fn=cmd_bench)
    ex = sub.add_parser("explain", help="what the linker did at every relocation site, for a person",
                        description="Load a program at one placement and show the memory map and, per "
                                    "relocation site, the formula with this placement's numbers, the bits "
                                    "of the field, the instruction before and after, and the route (direct, "
                                    "through a stub, through a GOT slot).",
                        epilog="example: rig explain corpus/dispatch.ll --target aarch64 --type CALL26")
    ex.add_argument("program", help=".ll, .bc, .c, .s or .o file (a whole program's EXTRA modules come too)")
    ex.add_argument("--target", default="x86_64", help="x86_64, arm, thumb or aarch64 (default x86_64)")
    ex.add_argument("--seed", type=int, help="the placement's seed (default 0)")
    ex.add_argument("--reloc", choices=["static", "pic"], help="relocation model (default: the header's, else static)")
    ex.add_argument("--opt", type=int, default=2, choices=[0, 1, 2, 3])
    ex.add_argument("--code-model", help="small (default), large, ... (rig targets)")
    ex.add_argument("--cflag", action="append", default=[], metavar="FLAG", help="a C flag (repeatable)")
    ex.add_argument("--placement", help="packed, random, or JSON {section: address} (default: random at --seed)")
    ex.add_argument("--site", help="one site, as SECTION+OFFSET (e.g. .text+0x14)")
    ex.add_argument("--type", help="the sites of one relocation type (R_AARCH64_CALL26 or CALL26)")
    ex.add_argument("--symbol", help="the sites that refer to one symbol")
    ex.add_argument("--all", action="store_true", help="every site in detail (default: one of each type and route)")
    ex.add_argument("--diff", type=int, metavar="SEED2", help="what changes at the placement of another seed")
    ex.add_argument("--run", action="store_true",
                    help="then run it (main, or --entry); a fault is shown with the sites nearest to it")
    ex.add_argument("--entry", help="with --run: the function to call instead of main")
    ex.add_argument("--args", nargs="*", default=[], help="with --entry: its arguments")
    ex.add_argument("--html", metavar="OUT", help="write one self-contained HTML page instead")
    ex.add_argument("--json", action="store_true")
    ex.set_defaults(fn=cmd_explain)
    d = sub.add_parser("demo", help="run the built-in demo on all four targets")
    d.add_argument("--seed", type=int, default=None)
    d.add_argument("--placements", type=int, default=3)
    d.add_argument("--explain", action="store_true",
                   help="walk through the demo program's relocation sites one by one (for a class)")
    d.add_argument("--html", metavar="OUT", help="write the demo's explanation as one HTML page")
    d.add_argument("--target", help="with --explain or --html: the target(s) (default x86_64)")
    d.set_defaults(fn=cmd_demo)
    from .executor import add_arguments as executor_arguments
    ex = sub.add_parser("executor", help="serve one emulated target over the executor protocol",
                        description="Run an executor: the remote process behind the rig, served on "
                                    "stdin/stdout or to TCP clients (rig.executor.protocol).")
    executor_arguments(ex)
    ex.set_defaults(fn=cmd_executor)
    return p


def cmd_executor(ns) -> int:
    """`rig executor --stdio --target T` (serve until stdin ends) or `--listen HOST:PORT`."""
    from .executor import run
    return run(ns)


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the `rig` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    rest = None
    if "--" in argv:          # everything after -- is the program's (argparse mangles it in subcommands)
        cut = argv.index("--")
        argv, rest = argv[:cut], argv[cut + 1:]
    ns = build_parser().parse_args(argv)
    if rest is not None:
        if not hasattr(ns, "argv"):
            print("rig: error: only `rig run` takes program arguments after --", file=sys.stderr)
            return 2
        ns.argv = list(getattr(ns, "argv", [])) + rest
    try:
        return ns.fn(ns)
    except RigError as e:
        print(f"rig: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rig: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:            # `rig ... | head`: the reader left; nothing more to say
        return 141
    except Exception as e:  # noqa: BLE001 - the last line of defence: a message, never a traceback
        if os.environ.get("RIG_TRACEBACK"):
            raise
        where = traceback.extract_tb(e.__traceback__)[-1]
        print(f"rig: internal error: {type(e).__name__}: {e} (at {Path(where.filename).name}:{where.lineno} "
              f"in {where.name}; this is a bug in rig, not in your input: please report it, with the "
              f"traceback RIG_TRACEBACK=1 prints)", file=sys.stderr)
        return INTERNAL_ERROR_STATUS


if __name__ == "__main__":
    sys.exit(main())
