"""``coach eval questions`` on real postings: grounded, complete, no repeats, clean wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from chains.evaluation.questions import evaluate_files
from cli.evaluate import eval_app
from tests.conftest import GOOGLE_POSTINGS, REPO_ROOT, SEED_POSTING, need_shared

BUNDLED = REPO_ROOT / "knowledge" / "postings"


def _app() -> typer.Typer:
    return eval_app  # `coach eval`: questions is one of its commands


@pytest.mark.shared
def test_shared_postings_meet_the_targets() -> None:
    report = evaluate_files([need_shared(GOOGLE_POSTINGS), need_shared(SEED_POSTING)])
    assert len(report.postings) == 11 and not report.errors
    problems = [(c.text, c.problems) for row in report.postings for c in row.checks if c.problems]
    ungrounded = [(c.text, c.similarity) for row in report.postings for c in row.checks if not c.grounded]
    assert problems == []
    assert ungrounded == []
    assert report.grounded == 1.0 and report.required_coverage == 1.0
    assert report.repeats == 0 and report.near_repeats == 0
    assert report.problems == 0 and report.answer_problems == 0 and report.same_openings == 0
    assert report.library_questions >= report.questions // 2
    for row in report.postings:
        # Near-duplicates share a question; screening items are listed with their reason, not dropped.
        assert row.questions + len(row.screened) >= row.requirements - 2
        assert all(": " in item for item in row.screened)


def test_cli_reports_plain_json_fields_for_the_bundled_postings(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(_app(), ["questions", str(BUNDLED), "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    for field in ("grounded", "required_coverage", "repeats", "near_repeats", "wording_problems", "postings",
                  "prompt_versions", "git_commit", "problems", "answer_problems", "same_openings",
                  "library_questions", "screened", "library_versions"):
        assert field in report
    assert report["prompt_versions"]["templates/question_behavioural"] >= 1
    assert len(report["postings"]) == len(list(BUNDLED.iterdir()))
    assert report["grounded"] == 1.0 and report["repeats"] == 0 and report["wording_problems"] == 0
    assert report["problems"] == 0 and report["library_versions"]["finance_accounting"] >= 1
    assert json.loads(result.output[result.output.index("{"):]) == report


def test_cli_says_in_one_line_when_nothing_can_be_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["questions", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt" in result.output and "not found" in result.output
    assert "Traceback" not in result.output
