"""Plain-text cues the scorer reads: what counts as a measured result."""

from __future__ import annotations

import pytest

from chains import text_features as tf


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
