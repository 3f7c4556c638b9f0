"""The interview development set (bench/data/interview_dev): complete, consistent, graded twice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from scipy.stats import spearmanr

from tests.conftest import REPO_ROOT

DEV = REPO_ROOT / "bench" / "data" / "interview_dev"
PARTS = sorted(DEV.glob("part_?.csv"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    rows = [row for part in PARTS for row in _rows(part)]
    assert len(rows) >= 200
    assert len({(r["posting"], r["question"]) for r in rows}) >= 40
    assert len({r["posting"] for r in rows}) >= 10


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.stem)
def test_every_row_is_graded_and_its_requirement_is_in_its_posting(part: Path) -> None:
    rows = _rows(part)
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert 0 <= int(row["score"]) <= 100
        assert row["kind"] in {"behavioural", "situational", "technical", "posting"}
        posting = REPO_ROOT / row["posting"] if not row["posting"].startswith("bundled:") else None
        if posting is not None and posting.exists() and row["requirement"]:
            assert row["requirement"] in " ".join(posting.read_text(encoding="utf-8").split()), row["id"]


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.stem)
def test_each_part_was_graded_a_second_time_and_the_gradings_agree(part: Path) -> None:
    second = DEV / f"second_grades_{part.stem[-1]}.csv"
    first = {r["id"]: int(r["score"]) for r in _rows(part)}
    again = {r["id"]: int(r["score"]) for r in _rows(second)}
    assert set(again) == set(first)
    ids = sorted(first)
    assert spearmanr([first[i] for i in ids], [again[i] for i in ids]).statistic >= 0.9
