"""``coach bench`` through the installed entry point: a real (quick) benchmark run, read back as JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.commands import COACH

REPO = Path(__file__).resolve().parents[2]


def _coach(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COACH, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_quick_ingest_bench_reports_positive_figures_as_json_and_a_table(tmp_path: Path) -> None:
    table_file = tmp_path / "report" / "bench.md"
    done = _coach("bench", "--quick", "--only", "ingest", "--json", "--out", str(table_file), cwd=tmp_path)

    # 0: every target met, 1: a target missed on this busy machine; 2 would mean it did not run.
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["quick"] is True and report["failures"] == []
    assert "cores" in report["machine"] and report["seconds"] > 0
    rows = report["measurements"]
    assert {r["benchmark"] for r in rows} == {"ingest"}
    for row in rows:
        assert set(row) == {"benchmark", "metric", "value", "target", "passed"}
        assert isinstance(row["value"], float) and row["value"] > 0, row
    ratio = next(r for r in rows if "ratio" in r["metric"])
    assert ratio["target"] == "<= 1.5" and ratio["passed"] is (ratio["value"] <= 1.5)
    assert "ingest: done in" in done.stderr

    table = table_file.read_text(encoding="utf-8")
    assert "| benchmark | metric" in table and "| target" in table and "pass/fail |" in table
    assert sum(line.startswith("| ingest ") for line in table.splitlines()) == len(rows)


def test_unknown_benchmark_is_one_line_naming_the_choices(tmp_path: Path) -> None:
    done = _coach("bench", "--only", "ingest,warp", cwd=tmp_path)

    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: unknown benchmark warp: choose from ingest, search, critique, session, cold_start, load, "
        "load_think, soak, speech"
    ]
    assert done.stdout == ""


def test_without_the_bench_folder_it_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli import bench as cli_bench
    from cli.main import app

    monkeypatch.setattr(cli_bench, "BENCH_DIR", tmp_path / "bench")
    result = CliRunner().invoke(app, ["bench", "--quick"])

    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "bench") in lines[0] and "clone" in lines[0]
