"""Run every benchmark, each in its own process, and gather the headline figures into one table.

    .venv/bin/python bench/run_all.py [--quick] [--only ingest,critique] [--json] [--out FILE]
    (or ``coach bench`` with the same options)

Each benchmark script runs as a subprocess (they load models and fill stores; a fresh process keeps one
from warming the next) and prints its own table; this module reads that table back. Targets are the
scripts' own where they print them (their verdict columns and target lines), else the one noted here.
Figures are medians, percentiles over many calls, or ratios, never single timings: the machine is
shared and noisy.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pydantic import BaseModel

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from _table import machine, markdown_table  # noqa: E402

HEADERS = ["benchmark", "metric", "value", "target", "pass/fail"]


class Measurement(BaseModel):
    """One headline figure of one benchmark."""

    benchmark: str
    metric: str
    value: float
    target: str | None = None  # e.g. "<= 100"; None when the figure is for information
    passed: bool | None = None  # None when there is no target


class Failure(BaseModel):
    """A benchmark that did not run or whose output could not be read."""

    benchmark: str
    problem: str


class BenchReport(BaseModel):
    """Everything one ``coach bench`` run measured."""

    date: str
    machine: str
    quick: bool
    seconds: float
    measurements: list[Measurement]
    failures: list[Failure]

    def ok(self) -> bool:
        """No failure and no missed target."""
        return not self.failures and all(m.passed is not False for m in self.measurements)


# --- reading the scripts' output -------------------------------------------------------------------


def number(text: str) -> float:
    """A printed figure as a float: "1,234.5" -> 1234.5, "1.23x" -> 1.23, "45%" -> 45."""
    return float(text.strip().replace(",", "").rstrip("x%").strip())


def markdown_rows(output: str) -> list[dict[str, str]]:
    """The rows of the Markdown pipe tables in ``output`` (as printed by ``_table``), keyed by header."""
    rows: list[dict[str, str]] = []
    headers: list[str] | None = None
    for line in output.splitlines():
        if not line.startswith("|"):
            headers = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if headers is None:
            headers = cells
        elif not all(set(c) <= set("-:") for c in cells):
            rows.append(dict(zip(headers, cells, strict=False)))
    return rows


def row_starting(rows: list[dict[str, str]], first_column: str, prefix: str) -> dict[str, str]:
    """The first row whose ``first_column`` starts with ``prefix``; KeyError naming it when absent."""
    for row in rows:
        if row.get(first_column, "").lower().startswith(prefix.lower()):
            return row
    raise KeyError(f"no row starting with {prefix!r}")


def verdict_column(row: dict[str, str]) -> tuple[str, bool]:
    """A script's own target column (its header says "<= ...") as (target, met)."""
    for header, cell in row.items():
        if "<=" in header:
            target = header[header.index("<=") :].strip()
            return target, cell.strip().lower() == "yes"
    raise KeyError("no target column")


def target_in(output: str, pattern: str, default: float) -> float:
    """A limit the script prints in a sentence (e.g. "p95 <= 250 ms"), else ``default``."""
    found = re.search(pattern, output)
    return float(found.group(1)) if found else default


def _limit(target: str) -> str:
    """"<= 100 ms" -> "<= 100", "<= 1.5x" -> "<= 1.5" (the unit is in the metric's name)."""
    return " ".join(target.split()[:2]).rstrip("x")


def read_ingest(output: str) -> list[Measurement]:
    row = markdown_rows(output)[0]
    target, met = verdict_column(row)
    return [
        Measurement(benchmark="ingest", metric="ingest time / embedding alone (ratio)",
                    value=number(row["ingest/embed"]), target=_limit(target), passed=met),
        Measurement(benchmark="ingest", metric="postings per second", value=number(row["postings/s"])),
        Measurement(benchmark="ingest", metric="re-ingest unchanged, s",
                    value=number(row["re-ingest unchanged s"])),
    ]


def read_search(output: str) -> list[Measurement]:
    rows = markdown_rows(output)
    every, one = row_starting(rows, "query", "top-"), None
    for row in rows:
        if "within one posting" in row["query"]:
            one = row
    if one is None:
        raise KeyError("no 'within one posting' row")
    precomputed = next(r for r in rows if "precomputed" in r["query"])
    figures = []
    for label, row in (("over all postings", every), ("within one posting", one)):
        target, met = verdict_column(row)
        figures.append(Measurement(benchmark="search", metric=f"{label}: median ms",
                                   value=number(row["median ms"])))
        figures.append(Measurement(benchmark="search", metric=f"{label}: p95 ms",
                                   value=number(row["p95 ms"]), target=_limit(target), passed=met))
    figures.append(Measurement(benchmark="search", metric="store alone (vector precomputed): p95 ms",
                               value=number(precomputed["p95 ms"])))
    return figures


def read_critique(output: str) -> list[Measurement]:
    rows = markdown_rows(output)
    critique, ratio = row_starting(rows, "measure", "critique"), row_starting(rows, "measure", "ratio")
    p95_limit = target_in(output, r"p95 <= ([\d.]+) ms", 250.0)
    ratio_limit = target_in(output, r"ratio <= ([\d.]+)", 2.0)
    p95, ratio_median = number(critique["p95"]), number(ratio["median"])
    return [
        Measurement(benchmark="critique", metric="answer to critique (score_answer): median ms",
                    value=number(critique["median"])),
        Measurement(benchmark="critique", metric="answer to critique (score_answer): p95 ms", value=p95,
                    target=f"<= {p95_limit:g}", passed=p95 <= p95_limit),
        Measurement(benchmark="critique", metric="critique / embedding alone: median ratio",
                    value=ratio_median, target=f"<= {ratio_limit:g}", passed=ratio_median <= ratio_limit),
    ]


# bench/session_turns.py prints no target: a single session's reply should stay well inside the
# whole-reply target bench/load.py sets for 20 concurrent sessions (p95 <= 1 s).
SESSION_ANSWER_P95_MS = 1000.0


def read_session(output: str) -> list[Measurement]:
    rows = markdown_rows(output)
    answer, start = row_starting(rows, "call", "answer"), row_starting(rows, "call", "start")
    p95 = number(answer["p95"])
    return [
        Measurement(benchmark="session", metric="start session: median ms", value=number(start["median"])),
        Measurement(benchmark="session", metric="answer (critique + next question): median ms",
                    value=number(answer["median"])),
        Measurement(benchmark="session", metric="answer (critique + next question): p95 ms", value=p95,
                    target=f"<= {SESSION_ANSWER_P95_MS:g}", passed=p95 <= SESSION_ANSWER_P95_MS),
    ]


def read_load(output: str, name: str = "load") -> list[Measurement]:
    """bench/load.py's table, as benchmark ``name``."""
    rows = markdown_rows(output)

    def value(prefix: str) -> float:
        return number(row_starting(rows, "measure", prefix)["value"])

    sessions = row_starting(rows, "measure", "sessions x answers")["value"]
    think = row_starting(rows, "measure", "think")["value"]
    think = "back to back" if think.startswith("0") else f"think {think}"
    limit = target_in(output, r"target p95 <= ([\d.]+) s", 1.0)
    p95, errors, cross = value("whole reply p95"), value("client errors"), value("cross-talk")
    figures = [
        Measurement(benchmark=name, metric=f"whole reply p50 s ({sessions}, {think})",
                    value=value("whole reply p50")),
        Measurement(benchmark=name, metric=f"whole reply p95 s ({sessions}, {think})", value=p95,
                    target=f"<= {limit:g}", passed=p95 <= limit),
        Measurement(benchmark=name, metric="client errors + cross-talk problems", value=errors + cross,
                    target="= 0", passed=errors + cross == 0),
    ]
    with suppress(KeyError, ValueError):  # "-" when not measured (a server started elsewhere)
        figures.append(Measurement(benchmark=name, metric="server CPU per answer, ms",
                                   value=value("server CPU per answer")))
    return figures


def read_soak(output: str) -> list[Measurement]:
    """bench/soak.py's two tables: latency, failures and the memory growth over the run."""
    rows = markdown_rows(output)

    def value(prefix: str) -> str:
        return row_starting(rows, "measure", prefix)["value"]

    sessions = value("concurrent sessions")
    seconds = value("duration asked").split("/")[0].strip()
    errors, cross = number(value("client errors")), number(value("cross-talk"))
    growth = row_starting(rows, "process", "growth")["after the idle wait"].split("/")
    total = row_starting(rows, "process", "total")
    return [
        Measurement(benchmark="soak", metric=f"whole reply p50 s ({sessions} sessions, {seconds} s)",
                    value=number(value("whole reply p50"))),
        Measurement(benchmark="soak", metric=f"whole reply p95 s ({sessions} sessions, {seconds} s)",
                    value=number(value("whole reply p95"))),
        Measurement(benchmark="soak", metric="answers measured", value=number(value("answers measured"))),
        Measurement(benchmark="soak", metric="client errors + cross-talk problems", value=errors + cross,
                    target="= 0", passed=errors + cross == 0),
        Measurement(benchmark="soak", metric="server + workers PSS after warm-up, MB",
                    value=number(total["after warm-up"].split("/")[1])),
        Measurement(benchmark="soak", metric="server + workers PSS growth after the run, MB",
                    value=number(growth[1])),
        Measurement(benchmark="soak", metric="server + workers RSS growth after the run, MB",
                    value=number(growth[0])),
    ]


def read_cold_start(output: str) -> list[Measurement]:
    result = json.loads(output[output.index("{") :])
    medians, targets, met = result["medians"], result["targets"], result["met"]
    return [
        Measurement(benchmark="cold_start", metric=label, value=medians[key],
                    target=f"<= {targets[key]:g}" if key in targets else None, passed=met.get(key))
        for key, label in result["labels"].items()
    ]


def read_speech(output: str) -> list[Measurement]:
    """bench/speech.py's table: its own targets (WER, the 60 s answer) and the figures around them."""
    rows = markdown_rows(output)

    def figure(prefix: str, metric: str) -> Measurement:
        row = row_starting(rows, "metric", prefix)
        target = row["target"] if row["target"] != "-" else None
        passed = None if row["pass/fail"] == "-" else row["pass/fail"] == "pass"
        return Measurement(benchmark="speech", metric=metric, value=number(row["value"]),
                           target=target.rstrip("%").strip() if target else None, passed=passed)

    return [
        figure("WER on 6", "WER on 6 spoken answers (espeak-ng en-us, 150 wpm), %"),
        figure("WER on the check", "WER on a second set of 6 answers, %"),
        figure("real-time factor", "real-time factor (wall)"),
        figure("60 s answer: transcription", "60 s answer: transcription, median s"),
        figure("60 s answer: CPU", "60 s answer: CPU s, median"),
        figure("peak RSS", "peak RSS, MB"),
    ]


# --- the benchmarks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """A script in bench/, its arguments for a full and a quick run, and how to read its output."""

    name: str
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    read: Callable[[str], list[Measurement]]
    opt_in: bool = False  # only run when named in --only (too slow for a plain run)


BENCHMARKS = {
    b.name: b
    for b in (
        Benchmark("ingest", "ingest.py", ("--n", "200"), ("--n", "20"), read_ingest),
        Benchmark("search", "search.py", ("--postings", "1000", "--queries", "200"),
                  ("--postings", "100", "--queries", "50"), read_search),
        Benchmark("critique", "turn.py", ("--answers", "100"), ("--answers", "20"),
                  read_critique),
        Benchmark("session", "session_turns.py", ("--sessions", "10"), ("--sessions", "1"), read_session),
        Benchmark("cold_start", "cold_start.py", ("--runs", "3", "--answers", "3", "--json"),
                  ("--runs", "1", "--answers", "1", "--json"), read_cold_start),
        # Issue 4's scenario: 20 sessions answering back to back (the saturated upper bound), then
        # the same with think time between answers, as people read and type.
        Benchmark("load", "load.py", ("--sessions", "20", "--answers", "5"),
                  ("--sessions", "4", "--answers", "2"), read_load),
        Benchmark("load_think", "load.py", ("--sessions", "20", "--answers", "5", "--think", "5"),
                  ("--sessions", "4", "--answers", "2", "--think", "1"),
                  partial(read_load, name="load_think")),
        # Issue 14: 50 sessions for 5 minutes, memory before and after (about 7 minutes in all).
        Benchmark("soak", "soak.py", ("--sessions", "50", "--minutes", "5"),
                  ("--sessions", "10", "--minutes", "1", "--idle", "10"), read_soak, opt_in=True),
        # Whisper base on 12 espeak-ng answers and a 60 s answer timed 3 times: 2-5 minutes on a busy
        # machine, about 1 on a quiet one. Needs espeak-ng (make system-packages).
        Benchmark("speech", "speech.py", ("--runs", "3"), ("--runs", "1"), read_speech),
    )
}


def select(only: str | None) -> list[Benchmark]:
    """The benchmarks named in a comma list (all but the opt-in ones when None); ValueError naming an
    unknown one."""
    if not only:
        return [b for b in BENCHMARKS.values() if not b.opt_in]
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown or not names:
        raise ValueError(f"unknown benchmark {', '.join(unknown) or repr(only)}: choose from "
                         f"{', '.join(BENCHMARKS)}")
    return [b for b in BENCHMARKS.values() if b.name in names]


def run_one(bench: Benchmark, quick: bool, timeout: float = 3600.0) -> list[Measurement] | Failure:
    """Run one script in a fresh process and read its figures (or say why there are none)."""
    command = [sys.executable, str(BENCH / bench.script), *(bench.quick if quick else bench.full)]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Failure(benchmark=bench.name, problem=f"did not finish within {timeout:.0f} s")
    try:
        return bench.read(done.stdout)
    except (KeyError, IndexError, ValueError, StopIteration) as exc:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return Failure(
            benchmark=bench.name,
            problem=f"exit {done.returncode}, output not readable ({exc}): {tail[0][:200]}",
        )


def run(
    benchmarks: Sequence[Benchmark], quick: bool, progress: Callable[[str], None] | None = None
) -> BenchReport:
    """Run the benchmarks one after the other; ``progress`` gets a line before and after each."""
    started = time.perf_counter()
    measurements: list[Measurement] = []
    failures: list[Failure] = []
    for bench in benchmarks:
        args = " ".join(bench.quick if quick else bench.full)
        if progress:
            progress(f"{bench.name}: bench/{bench.script} {args} ...")
        began = time.perf_counter()
        result = run_one(bench, quick)
        if isinstance(result, Failure):
            failures.append(result)
        else:
            measurements.extend(result)
        if progress:
            state = "FAILED" if isinstance(result, Failure) else "done"
            progress(f"{bench.name}: {state} in {time.perf_counter() - began:.0f} s")
    return BenchReport(
        date=time.strftime("%Y-%m-%d %H:%M"),
        machine=machine(),
        quick=quick,
        seconds=round(time.perf_counter() - started, 1),
        measurements=measurements,
        failures=failures,
    )


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else ("pass" if passed else "FAIL")


def table(report: BenchReport) -> str:
    """The report as one Markdown table: benchmark, metric, value, target, pass/fail."""
    rows: list[list[object]] = [
        [m.benchmark, m.metric, m.value, m.target or "-", _verdict(m.passed)] for m in report.measurements
    ]
    rows += [[f.benchmark, f"did not run: {f.problem}", "-", "-", "FAIL"] for f in report.failures]
    return markdown_table(HEADERS, rows)


def render(report: BenchReport) -> str:
    """The table with a line saying when, where and how it ran."""
    kind = "quick run" if report.quick else "full run"
    misses = sum(m.passed is False for m in report.measurements)
    return (
        f"{report.date}, {report.machine}, {kind} in {report.seconds:.0f} s\n\n{table(report)}\n\n"
        f"{misses} target(s) missed, {len(report.failures)} benchmark(s) failed to run."
    )


def exit_code(report: BenchReport) -> int:
    """0 all met, 1 a target missed, 2 a benchmark did not run."""
    return 2 if report.failures else (0 if report.ok() else 1)


def emit(report: BenchReport, as_json: bool, out: Path | None) -> None:
    """Print the report (table or JSON) and write it to ``out`` if given."""
    payload = json.dumps(report.model_dump(mode="json"), indent=2)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(report) + "\n" if out.suffix == ".md" else payload + "\n", encoding="utf-8")
    print(payload if as_json else render(report))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry for running this file directly (``coach bench`` is the same)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a fast look")
    parser.add_argument("--only", help=f"comma list of: {', '.join(BENCHMARKS)} (soak only when named)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--out", type=Path, help="also write the report here (.md: the table; else JSON)")
    args = parser.parse_args(argv)
    try:
        chosen = select(args.only)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = run(chosen, args.quick, lambda line: print(line, file=sys.stderr, flush=True))
    emit(report, args.json, args.out)
    return exit_code(report)


if __name__ == "__main__":
    raise SystemExit(main())
