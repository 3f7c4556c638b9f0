"""bench/speech.py's WER is fair to both sides, and ``coach bench`` reads its table back."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves run_all's annotations through it
    spec.loader.exec_module(module)
    return module


speech = _load("speech")


def test_written_and_spoken_forms_of_the_same_words_are_no_error() -> None:
    pairs = [
        ("it cut the cost by thirty percent", "It cut the cost by 30%."),
        ("we saved about forty thousand dollars a year", "We saved about $40,000 a year."),
        ("a refund of fifty pounds", "a refund of £50"),
        ("I apologised, and I'm sure we've won", "I apologized and I am sure we have won"),
        ("Um, we picked the simpler option", "we picked the simpler option"),
    ]
    for ref, hyp in pairs:
        assert speech.wer([(ref, hyp)]) == 0, (ref, hyp)


def test_real_mistakes_count_and_hesitations_count_only_when_kept() -> None:
    assert speech.wer([("train four new nurses", "train for new nurses")]) == 1 / 4
    assert speech.wer([("nine hours", "I hours"), ("in eight weeks", "the 8 weeks")]) == 2 / 5
    said, heard = "Uh, the situation was a release", "A situation was a release"
    assert speech.wer([(said, heard)]) == 1 / 5
    assert speech.wer([(said, heard)], keep_hesitations=True) == 2 / 6


def test_coach_bench_reads_the_speech_table_with_its_targets() -> None:
    output = """  some transcript

| metric | value | target | pass/fail |
|---|---:|---|---|
| WER on 6 spoken answers, % (espeak-ng en-us 150 wpm) | 8.1% | <= 5% | FAIL |
| WER on the check set (6 other answers), % | 4.3% | <= 5% | pass |
| WER counting um/uh as words, % | 8.5% | - | - |
| real-time factor (12 answers, wall) | 0.639 | - | - |
| 60 s answer: transcription median s (3 runs: 31.3, 25.7, 30.1) | 30.1 | <= 10 | FAIL |
| 60 s answer: CPU s (median) | 11.6 | - | - |
| peak RSS MB | 390 | - | - |
"""
    figures = {m.metric: m for m in _load("run_all").read_speech(output)}
    wer = figures["WER on 6 spoken answers (espeak-ng en-us, 150 wpm), %"]
    assert (wer.value, wer.target, wer.passed) == (8.1, "<= 5", False)
    check = figures["WER on a second set of 6 answers, %"]
    assert (check.value, check.passed) == (4.3, True)
    answer = figures["60 s answer: transcription, median s"]
    assert (answer.value, answer.target, answer.passed) == (30.1, "<= 10", False)
    assert figures["peak RSS, MB"].value == 390 and figures["peak RSS, MB"].passed is None
    assert figures["60 s answer: CPU s, median"].value == 11.6
