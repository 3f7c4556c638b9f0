"""The scorer's own logic with a fake encoder: caps, evidence, the card's rules, bands; milliseconds each.

``test_critique.py`` keeps the same kind of checks with the real model; these run without it, so a
change to the logic is checked in well under a second.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from chains.critic.rubric import load_rubric
from chains.critic.scorer import score_answer
from chains.critic.vectors import use_encoder
from chains.models import Difficulty
from tests.critic_fakes import fake_encode

QUESTION = "How do you reconcile a bank account at month end?"
MODEL = (
    "Start from the closing balance on the bank statement and the cash balance in the general ledger. "
    "List every outstanding cheque and deposit in transit as a reconciling item. "
    "Investigate unexplained differences and post correcting journals for errors in the ledger. "
    "Document the reconciliation and have a reviewer sign it off before the close."
)


@pytest.fixture(autouse=True)
def _fake_encoder() -> Iterator[None]:
    with use_encoder(fake_encode):
        yield


def test_the_model_answer_itself_is_strong_and_covers_every_point() -> None:
    critique = score_answer(QUESTION, MODEL, MODEL)
    assert critique.band == "strong" and not critique.missing
    assert len(critique.covered) == 4


def test_an_unrelated_answer_covers_nothing_and_scores_below_an_echo() -> None:
    echo = score_answer(QUESTION, MODEL, MODEL)
    unrelated = score_answer(QUESTION, MODEL, "I enjoy hiking in the mountains with my dog on weekends.")
    assert not unrelated.covered and unrelated.score < echo.score - 40


@pytest.mark.parametrize(
    ("answer", "flag", "cap_key"),
    [
        ("I don't know", "non-answer", "non_answer"),
        ("pass", "non-answer", "non_answer"),
        ("bank statement, general ledger, reconciling items, journals, sign-off",
         "keyword list without sentences", "keyword_list"),
    ],
)
def test_non_answers_are_capped_and_say_why(answer: str, flag: str, cap_key: str) -> None:
    critique = score_answer(QUESTION, MODEL, answer)
    assert flag in critique.flags and flag in critique.caps
    assert critique.score <= getattr(load_rubric().caps, cap_key)


def test_an_empty_answer_scores_zero_with_advice() -> None:
    critique = score_answer(QUESTION, MODEL, "   ")
    assert critique.score == 0 and critique.flags == ["empty answer"] and critique.improvements


def test_the_card_never_lists_a_point_as_both_covered_and_missing_nor_twice() -> None:
    partial = "I compare the bank statement closing balance with the general ledger cash balance every month."
    critique = score_answer(QUESTION, MODEL, partial)
    covered = [c.point for c in critique.covered]
    assert not set(covered) & set(critique.missing)
    assert len(covered) == len(set(covered)) and len(critique.missing) == len(set(critique.missing))
    assert len(critique.improvements) == len(set(critique.improvements)) <= 3


def test_every_evidence_quote_is_the_answers_own_words() -> None:
    answer = (
        "First I take the bank statement closing balance and the ledger cash balance. "
        "Then I list outstanding cheques and deposits in transit as reconciling items."
    )
    critique = score_answer(QUESTION, MODEL, answer)
    assert critique.covered
    assert all(c.evidence in answer for c in critique.covered)


def test_same_input_same_critique() -> None:
    answer = "I list every outstanding cheque and deposit in transit, then investigate the rest."
    first = score_answer(QUESTION, MODEL, answer, difficulty=Difficulty.HARD)
    assert score_answer(QUESTION, MODEL, answer, difficulty=Difficulty.HARD) == first


def test_the_band_follows_the_rubric() -> None:
    rubric = load_rubric()
    critique = score_answer(QUESTION, MODEL, MODEL)
    assert critique.band == rubric.band(critique.score)
    assert rubric.band(rubric.bands.strong) == "strong" and rubric.band(rubric.bands.fair - 1) == "weak"


def test_a_long_paste_is_cut_with_a_note_not_a_cap() -> None:
    long_answer = "I list every outstanding cheque as a reconciling item. " * 2000
    critique = score_answer(QUESTION, MODEL, long_answer)
    assert any(f.startswith("long answer") for f in critique.notes) and not critique.caps


def test_logic_runs_in_milliseconds_without_the_model() -> None:
    started = time.perf_counter()
    for i in range(20):
        score_answer(QUESTION, MODEL, f"I reconciled {i} accounts and listed every outstanding cheque.")
    assert time.perf_counter() - started < 5  # generous: the point is that no model is loaded
