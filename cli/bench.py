"""``coach bench``: run the benchmarks in the repository's bench/ folder and print one table.

The benchmarks are scripts, not part of the installed package: this command finds bench/ beside the
package (a clone or an editable install) and loads ``bench/run_all.py``, which runs each script in its
own process and reads its figures back.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"


def _run_all() -> ModuleType:
    """bench/run_all.py as a module; a one-line error and exit 2 when bench/ is not there."""
    path = BENCH_DIR / "run_all.py"
    if not path.is_file():
        typer.echo(
            f"error: coach bench needs the benchmarks folder {BENCH_DIR}, which only a clone of the "
            "repository has: run it from a clone (make setup && make bench)",
            err=True,
        )
        raise typer.Exit(2)
    spec = importlib.util.spec_from_file_location("coach_bench_run_all", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the report's annotations through it
    spec.loader.exec_module(module)
    return module


def bench(
    quick: Annotated[bool, typer.Option("--quick", help="Smaller runs, for a fast look.")] = False,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Comma list of: ingest, search, critique, session, cold_start, load, load_think, soak, "
            "speech (soak, about 7 minutes, only when named).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the report here (.md: the table; else JSON).")
    ] = None,
) -> None:
    """Run the benchmarks, each in its own process; one table: benchmark, metric, value, target, pass/fail.

    Exit status: 0 every target met, 1 a target missed, 2 a benchmark could not run.
    """
    run_all = _run_all()
    try:
        chosen = run_all.select(only)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    report = run_all.run(chosen, quick, lambda line: typer.echo(line, err=True))
    run_all.emit(report, as_json, out)
    raise typer.Exit(run_all.exit_code(report))


def register(app: typer.Typer) -> None:
    """Add ``coach bench``."""
    app.command("bench")(bench)
