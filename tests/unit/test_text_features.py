"""Plain-text cues the scorer reads: what counts as a measured result."""

from __future__ import annotations

import pytest

from chains.critic import features as tf


@pytest.mark.parametrize(
    "sentence",
    [
        "The p95 query time dropped from 4 seconds to 120 ms.",
        "We grew bookings by 35 percent.",
        "It cut release time from two hours to 10 minutes.",
    ],
)
def test_a_number_with_an_outcome_is_a_result(sentence: str) -> None:
    assert tf.has_result(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # "shipment" shares its stem with "shipped", an outcome verb; it is a noun here.
        "Our shipment search page took 4 seconds on a table of 200 million rows.",
        "I managed 3 engineers.",
    ],
)
def test_a_number_alone_is_no_result(sentence: str) -> None:
    assert not tf.has_result(sentence)


@pytest.mark.parametrize("answer", ["I don't know SQL.", "No idea, sorry.", "not sure about that", "fine"])
def test_stock_phrases_with_a_word_more_are_non_answers(answer: str) -> None:
    assert tf.is_non_answer(answer)


def test_an_answer_that_admits_a_gap_is_still_an_answer() -> None:
    assert not tf.is_non_answer("I don't know the exact figure, but I cut our cloud bill by a third.")
