"""``coach eval parse``: matching, scores and the gold files (chains/evaluation/parse.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chains.evaluation.parse import (
    MATCH_THRESHOLD,
    Gold,
    GoldError,
    evaluate,
    load_gold,
    resolve,
    score_posting,
)
from knowledge.posting import Posting, Requirement, RequirementKind
from tests.conftest import REPO_ROOT, SHARED_DIR, need_shared

GOLD_DIR = REPO_ROOT / "bench" / "data" / "parse_gold"
POSTINGS = SHARED_DIR / "postings"


def _posting(*items: tuple[str, str], title: str = "Ward Clerk", company: str = "Eastfield Trust") -> Posting:
    return Posting(
        id="x", title=title, company=company, text="",
        requirements=[Requirement(text=text, kind=RequirementKind(kind)) for kind, text in items],
    )


GOLD = Gold(
    source="x.txt", layout="nhs", title=["Ward Clerk"], employer=["Eastfield Trust"],
    responsibility=["Book outpatient appointments and keep the ward diary"],
    required=["Excellent keyboard skills and accuracy", "GCSE English and Maths at grade C or above"],
    optional=["Some weekend working will be necessary"],
    not_requirements=["27 days annual leave plus bank holidays"],
)


def test_a_perfect_parse_scores_one() -> None:
    posting = _posting(
        ("responsibility", "Book outpatient appointments and keep the ward diary."),
        ("required", "Excellent keyboard skills and accuracy"),
        ("required", "GCSE English and Maths at grade C or above"),
    )
    score = score_posting(GOLD, posting, None, "x.txt")
    assert (score.precision, score.recall, score.kind_accuracy, score.title_ok, score.employer_ok) == (
        1.0, 1.0, 1.0, True, True
    )


def test_false_items_boilerplate_optional_lines_and_wrong_kinds_are_counted_apart() -> None:
    posting = _posting(
        ("required", "Book outpatient appointments and keep the ward diary"),  # wrong kind
        ("required", "Excellent keyboard skills and accuracy"),
        ("required", "Some weekend working will be necessary"),  # optional: neither way
        ("required", "27 days annual leave plus bank holidays"),  # boilerplate
        ("required", "Enjoys team quizzes"),  # false
        title="WARD CLERK!", company="Another Trust",
    )
    score = score_posting(GOLD, posting, None, "x.txt")
    assert score.matched == 2 and score.precision == 0.5 and score.recall == round(2 / 3, 4)
    assert score.kind_accuracy == 0.5 and score.wrong_kind
    assert score.boilerplate == ["27 days annual leave plus bank holidays"]
    assert score.false_items == ["Enjoys team quizzes"]
    assert score.missed == ["GCSE English and Maths at grade C or above"]
    assert score.title_ok and not score.employer_ok  # case and punctuation do not matter, names do


def test_a_refused_posting_scores_zero_unless_its_gold_says_refuse() -> None:
    refused = score_posting(GOLD, None, "no requirements found", "x.txt")
    assert (refused.precision, refused.recall, refused.error) == (0.0, 0.0, "no requirements found")
    expected = score_posting(GOLD.model_copy(update={"refuse": True}), None, "holds several", "x.txt")
    assert (expected.precision, expected.recall, expected.title_ok) == (1.0, 1.0, True)


def test_two_bullets_of_one_list_do_not_match() -> None:
    from chains.evaluation.parse import dice

    same = dice("Excellent communication skills", "Excellent communication skills, both oral and written")
    other = dice("Supervises play activities, meals, and rest time", "Plans and implements activities")
    assert same >= MATCH_THRESHOLD > other


def test_bad_gold_files_fail_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no such folder"):
        load_gold(tmp_path / "missing")
    with pytest.raises(GoldError, match="no \\*.yaml gold annotations"):
        load_gold(tmp_path)
    (tmp_path / "a.yaml").write_text("source: x.txt\nlayout: nhs\ntitle: [X]\nsurprise: 1\n")
    with pytest.raises(GoldError, match=r"a.yaml: not a gold annotation") as info:
        load_gold(tmp_path)
    assert "\n" not in str(info.value)


def test_every_gold_file_loads_and_names_a_posting_of_its_layout() -> None:
    golds = load_gold(GOLD_DIR)
    assert len(golds) >= 37
    for gold in golds:
        assert gold.title and gold.items(), gold.source
        if gold.source.startswith("bundled:"):
            assert resolve(gold, POSTINGS).exists(), gold.source
    assert {gold.split for gold in golds} == {"dev", "check"}


@pytest.mark.shared
def test_the_parser_meets_the_targets_on_the_shared_postings() -> None:
    """Issue 13's targets over ../shared/postings: precision, recall >= 0.90, every title, no boilerplate."""
    need_shared(POSTINGS)
    report = evaluate(GOLD_DIR, POSTINGS)
    shared = [score for score in report.scores if score.layout != "bundled"]
    assert len(shared) == 31
    precision = sum(s.precision for s in shared) / len(shared)
    recall = sum(s.recall for s in shared) / len(shared)
    assert precision >= 0.90 and recall >= 0.90, (precision, recall)
    assert [s.name for s in shared if not s.title_ok] == []
    assert [(s.name, s.boilerplate) for s in report.scores if s.boilerplate] == []
    assert [s.name for s in report.scores if s.error] == []
