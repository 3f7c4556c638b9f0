"""The competency library reviewed like code: it loads, it is complete, and its content reads well."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chains.evaluation.question_checks import TEMPLATE_OPENINGS, answer_problems
from chains.questions.library import fill_terms
from chains.questions.wording import wording_problems
from knowledge.embeddings import embed
from prompts.library import FORMAT, LIBRARY_DIR, SLOT, LibraryError, load_file, load_library

KINDS = ("behavioural", "technical", "situational")
MAX_WORDS = 35
# Two competencies this alike (cosine of name, description and phrasings) would compete for the
# same requirements. The closest pair of the 97 measures 0.78 (nursing registration and practice ~
# holding a professional licence: the first is the nursing case of the second), the next 0.67
# (budgeting and forecasting ~ project budget control); see the printed report and docs/prompts.md.
NEAR_DUPLICATE = 0.85
LIBRARY = load_library()
COMPETENCIES = LIBRARY.competencies


@pytest.mark.parametrize("path", sorted(LIBRARY_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_file_loads(path) -> None:
    family = load_file(path)
    assert family.competencies and family.version >= 1


def test_at_least_eighty_competencies_over_the_families() -> None:
    assert len(COMPETENCIES) >= 80
    assert len({c.id for c in COMPETENCIES}) == len(COMPETENCIES)
    assert len(LIBRARY.families) >= 18


@pytest.mark.parametrize("competency", COMPETENCIES, ids=lambda c: c.id)
def test_every_competency_has_all_kinds_difficulties_and_a_guide(competency) -> None:
    assert len(competency.phrasings) >= 3 and competency.description
    for kind in KINDS:
        entry = getattr(competency, kind)
        for level in ("easy", "medium", "hard"):
            assert getattr(entry.questions, level), (competency.id, kind, level)
        assert 4 <= len(entry.guide) <= 7, (competency.id, kind)
        assert entry.examples, (competency.id, kind)
        for example in entry.examples:
            assert len(example.answer.split()) >= 60, (competency.id, kind, example.question)


@pytest.mark.parametrize("competency", COMPETENCIES, ids=lambda c: c.id)
def test_questions_read_as_an_interviewer_says_them(competency) -> None:
    for kind in KINDS:
        for question in getattr(competency, kind).questions.all():
            text = fill_terms(question, "", competency.default_terms)
            assert len(text.split()) < MAX_WORDS, (competency.id, text)
            assert not TEMPLATE_OPENINGS.search(text), (competency.id, text)
            assert wording_problems(text) == [], (competency.id, text, wording_problems(text))


@pytest.mark.parametrize("competency", COMPETENCIES, ids=lambda c: c.id)
def test_example_answers_have_no_placeholders_or_filler(competency) -> None:
    for kind in KINDS:
        for example in getattr(competency, kind).examples:
            assert answer_problems(example.answer) == [], (competency.id, kind, example.question)
            assert SLOT not in example.answer


def test_no_two_competencies_are_near_duplicates(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [f"{c.name}. {c.description} " + " ".join(c.phrasings) for c in COMPETENCIES]
    vectors = embed(texts)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    pairs = sorted(
        ((float(sims[i, j]), COMPETENCIES[i].id, COMPETENCIES[j].id)
         for i, j in itertools.combinations(range(len(COMPETENCIES)), 2)),
        reverse=True,
    )
    with capsys.disabled():  # the review report: the closest pairs, for a maintainer to read
        print("\nclosest competency pairs:")
        for sim, a, b in pairs[:8]:
            print(f"  {sim:.3f}  {a} ~ {b}")
    assert pairs[0][0] < NEAR_DUPLICATE, pairs[:3]


def test_a_broken_file_names_the_file_and_the_key(tmp_path) -> None:
    good = (LIBRARY_DIR / "cross_role.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "cross_role.yaml"
    broken.write_text(good.replace("    guide:", "    guidance:", 1), encoding="utf-8")
    with pytest.raises(LibraryError, match="cross_role.yaml"):
        load_file(broken)


def test_slot_names_only_where_a_question_has_a_slot() -> None:
    for competency in COMPETENCIES:
        slotted = any(SLOT in q for kind in KINDS for q in getattr(competency, kind).questions.all())
        if competency.slot_names:
            assert slotted, competency.id


def test_every_file_is_in_the_format_the_loader_reads() -> None:
    assert {family.format for family in LIBRARY.families} == {FORMAT}


def test_a_file_in_another_format_fails_and_says_what_to_do(tmp_path) -> None:
    good = (LIBRARY_DIR / "cross_role.yaml").read_text(encoding="utf-8")
    old = tmp_path / "cross_role.yaml"
    old.write_text(good.replace(f"format: {FORMAT}", "format: 1", 1), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"cross_role.yaml: format: 1 is not the format .*convert"):
        load_file(old)


def test_an_example_for_a_question_the_kind_does_not_list_fails(tmp_path) -> None:
    family = load_file(LIBRARY_DIR / "cross_role.yaml")
    question = family.competencies[0].behavioural.examples[0].question
    good = (LIBRARY_DIR / "cross_role.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "cross_role.yaml"
    # The example stays, its question is reworded: it no longer names a question of the kind.
    broken.write_text(good.replace(f"- question: \"{question}\"", "- question: \"Something else?\"", 1))
    with pytest.raises(LibraryError, match="does not list"):
        load_file(broken)


def test_an_example_is_found_by_the_question_it_answers_and_no_other() -> None:
    for competency in COMPETENCIES:
        for kind in KINDS:
            entry = getattr(competency, kind)
            named = {example.question for example in entry.examples}
            for question in entry.questions.all():
                example = entry.example_for(question)
                assert (example is not None) == (question in named), (competency.id, kind, question)
                if example is not None:
                    assert example.question == question
                    assert entry.guide_for(question) == list(example.guide or entry.guide)
                else:  # its own points where written, else the kind's
                    assert entry.guide_for(question) == list(entry.guides.get(question, entry.guide))
                    assert entry.has_own_guide(question) == (question in entry.guides)


def test_a_question_without_an_example_can_have_its_own_guide(tmp_path) -> None:
    family = load_file(LIBRARY_DIR / "cross_role.yaml")
    entry = family.competencies[0].technical.model_copy(update={"guides": {}})  # every question has one now
    question = next(q for q in entry.questions.all() if entry.example_for(q) is None)
    points = ["First point", "Second point", "Third point", "Fourth point"]
    own = entry.model_copy(update={"guides": {question: points}})
    assert own.guide_for(question) == points and own.has_own_guide(question)
    assert not entry.has_own_guide(question) and entry.guide_for(question) == list(entry.guide)
    for bad in ({"Not a listed question?": points}, {question: points[:3]},
                {entry.examples[0].question: points}):
        with pytest.raises(ValueError):
            type(entry).model_validate({**entry.model_dump(), "guides": bad})
