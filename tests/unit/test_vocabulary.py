"""The common-stems list: a strict loader, and what counts as a field's concrete detail."""

from __future__ import annotations

from pathlib import Path

import pytest

from chains.critic.vocabulary import VocabularyError, common_stems, concrete_stems
from core.text import content_stems


def test_the_bundled_list_loads_and_holds_words_every_field_uses() -> None:
    stems = common_stems()
    assert {"team", "check", "mak"} <= stems
    assert "lockshield" not in stems and "reconcil" not in stems


def test_a_field_word_is_concrete_and_the_questions_own_words_are_not() -> None:
    asked = frozenset(content_stems("How do you balance a heating system?"))
    text = "I check each lockshield valve and balance the heating to an 11 degree drop."
    found = concrete_stems(text, asked)
    assert "lockshield" in found and "valv" in found
    assert not {"balanc", "heat", "check"} & found  # asked, or common to every field
    assert "11" not in found  # numbers are counted by the names-and-numbers rule, not here


@pytest.mark.parametrize(
    ("text", "message"),
    [("# only a comment\n", "no stems"), ("team\nNot A Stem\n", ":2:")],
)
def test_a_malformed_list_fails_and_names_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "common_stems.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=message):
        common_stems(path)


def test_a_missing_list_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot read"):
        common_stems(tmp_path / "absent.txt")


def test_the_committed_list_is_what_the_library_gives() -> None:
    # Regenerating after a library edit is a deliberate step (it moves scores); this says when it is due.
    from bench.common_words import common_stems as generate

    stems, _ = generate(0.2)
    assert frozenset(stems) == common_stems(), "run: .venv/bin/python bench/common_words.py --write"
