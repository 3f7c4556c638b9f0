"""Delivery figures on synthetic word timings: fillers, pace, long pauses, the tip, the session overview."""

from __future__ import annotations

import pytest

from chains.models import Delivery, LongPause
from chains.speech.delivery import (
    Word,
    count_fillers,
    long_pauses,
    measure,
    overview,
    overview_markdown,
    tip,
    words_per_minute,
)


def words(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    """One word every ``step`` seconds, each lasting 0.3 s, punctuation kept as the recogniser writes it."""
    return [Word(token, start + i * step, start + i * step + 0.3) for i, token in enumerate(text.split())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I led the team. Uh, we shipped it.", {"um": 1, "uh": 1}),
        ("Umm so er we erm shipped it", {"um": 1, "uh": 2}),
        ("It was, like, a big deal for us.", {"like": 1}),
        ("Like, we had to move fast.", {"like": 1}),
        ("and like we rewrote the whole thing", {"like": 1}),
        ("I like Python and I'd like to learn Rust.", {}),
        ("We would like to hire two more people who like data.", {}),
        ("It looks like a maze, something like 20% of the code.", {}),
        ("It was like a maze.", {}),
        ("Tools like Spark and languages like Scala.", {}),
        ("We shipped it, you know, in about three months.", {"you know": 1}),
        ("Do you know how the cache works? If you know the answer, say so.", {}),
        ("I think you know what I mean about you know, deadlines.", {"you know": 1}),
        ("We cut the release time by forty percent in three months.", {}),
    ],
)
def test_fillers_are_counted_and_like_only_as_a_filler(text: str, expected: dict[str, int]) -> None:
    assert count_fillers(words(text)) == expected


def test_long_pauses_come_from_gaps_between_speech_segments_not_the_ends() -> None:
    speech = [(1.0, 5.0), (5.8, 9.0), (13.5, 20.0), (22.9, 30.0), (34.0, 35.0)]
    assert long_pauses(speech) == [
        LongPause(start_s=9.0, length_s=4.5),
        LongPause(start_s=30.0, length_s=4.0),
    ]
    assert long_pauses([(2.0, 10.0)]) == []  # silence before and after speech is no pause
    assert long_pauses([]) == []


def test_pace_is_words_over_speaking_time_without_the_long_pauses() -> None:
    steady = words(" ".join(["word"] * 150), step=0.4)  # 150 words over 59.9 s
    assert words_per_minute(steady) == pytest.approx(150.3, abs=0.1)
    first = words(" ".join(["word"] * 75), step=0.4)
    second = words(" ".join(["word"] * 75), start=first[-1].end + 10.1, step=0.4)
    pause = LongPause(start_s=first[-1].end, length_s=10.1)
    assert words_per_minute(first + second, [pause]) == pytest.approx(150.3, abs=0.2)
    assert words_per_minute(first + second) < 130  # counted with the pause it would look slow
    assert words_per_minute(words("too few words here")) is None


def test_measure_puts_the_figures_together() -> None:
    spoken = words("Um, I led a team of five engineers and, like, we cut the release time by forty percent.")
    delivery = measure(spoken, duration_s=12.0, speech=[(0.0, 4.0), (7.5, 8.0)])
    assert delivery.duration_s == 12.0 and delivery.words == len(spoken)
    assert delivery.fillers == {"um": 1, "like": 1}
    assert delivery.long_pauses == [LongPause(start_s=4.0, length_s=3.5)]
    assert delivery.words_per_minute is not None and delivery.tip


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        ((200.0, 150.0, {}, [], 3.0), "Aim for one to three minutes: this ran 3:20"),
        ((90.0, 150.0, {"um": 5, "like": 1}, [], 1.5), 'You said "um" 5 times'),
        ((90.0, 150.0, {"um": 1, "uh": 1, "like": 1}, [], 1.0), 'You used 3 fillers ("like", "uh", "um")'),
        ((90.0, 190.0, {"um": 1}, [], 1.5), "You spoke fast (190 words a minute)"),
        ((90.0, 95.0, {}, [], 1.5), "You spoke slowly (95 words a minute)"),
        ((90.0, 150.0, {}, [LongPause(start_s=62.0, length_s=4.2)], 1.5), "You paused 4 s at 1:02"),
        ((20.0, 150.0, {}, [], 0.3), "A short answer (20 s)"),
        ((90.0, 150.0, {}, [], 1.5), "Steady delivery"),
    ],
)
def test_one_tip_in_the_order_an_interviewer_notices(args: tuple, starts: str) -> None:  # type: ignore[type-arg]
    assert tip(*args).startswith(starts)


def test_overview_over_the_spoken_answers_of_a_session() -> None:
    a = Delivery(duration_s=60, words=150, words_per_minute=150.0, fillers={"um": 2}, long_pauses=[], tip="")
    b = Delivery(duration_s=120, words=300, words_per_minute=100.0, fillers={"um": 1, "like": 3},
                 long_pauses=[LongPause(start_s=10, length_s=4)], tip="")
    o = overview([a, None, b])  # None: a typed answer
    assert o is not None
    assert o.answers == 2 and o.mean_duration_s == 90.0
    assert o.words_per_minute == pytest.approx(450 / 4, abs=0.1)  # 1 min + 3 min of speaking
    assert o.fillers == {"um": 3, "like": 3} and o.fillers_per_minute == 1.5
    assert o.long_pauses == 1 and o.tip.startswith("1 long pause in all")
    report = overview_markdown(o)
    assert "## Delivery (spoken answers)" in report and "like 3, um 3 (1.5 a minute)" in report
    assert overview([None, None]) is None
