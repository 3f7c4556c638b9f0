"""The question planner: order, coverage without repeats, near-duplicates, posting Q&A, follow-ups."""

from __future__ import annotations

import re

import numpy as np
import pytest

from chains.models import Critique, Difficulty, Question, QuestionKind, SubScores
from chains.questions.compose import library_options, outline, outline_answer
from chains.questions.library import library_index
from chains.questions.planner import easier, follow_up, harder, plan_questions
from knowledge.embeddings import embed
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind

R, P, D = RequirementKind.REQUIRED, RequirementKind.PREFERRED, RequirementKind.RESPONSIBILITY


def _posting(lines: list[tuple[str, RequirementKind]], qa: list[QAPair] | None = None) -> Posting:
    requirements = [Requirement(text=t, kind=k, order=i) for i, (t, k) in enumerate(lines)]
    return Posting(id="p0123456789abcdef", title="Backend Engineer", text="\n".join(t for t, _ in lines),
                   requirements=requirements, qa_pairs=qa or [])


def _items(posting: Posting) -> list[tuple[Requirement, np.ndarray]]:
    vectors = embed([r.text for r in posting.requirements])
    return list(zip(posting.requirements, vectors, strict=True))


MIXED = [
    ("Experience with Terraform", P),
    ("Design and operate Python services that ingest carrier events", D),
    ("Experience with Docker and Kubernetes", R),
    ("Familiarity with GraphQL", P),
    ("Review pull requests and coach junior engineers", D),
    ("Strong SQL skills and experience tuning PostgreSQL queries", R),
    ("BA/BS degree or equivalent practical experience", R),
    ("Excellent written and verbal communication skills", P),
]


# The degree "or equivalent practical experience" is a screening item: a session does not ask it.
SCREENED = "BA/BS degree or equivalent practical experience"
ASKED = [t for t, _ in MIXED if t != SCREENED]


@pytest.fixture(scope="module")
def mixed() -> tuple[Posting, list[tuple[Requirement, np.ndarray]]]:
    posting = _posting(MIXED)
    return posting, _items(posting)


def _tier(question: Question) -> int:
    return {R: 0, D: 1, RequirementKind.SKILL: 1, P: 2}[question.requirements[0].kind]


def test_required_first_then_responsibilities_then_preferred(mixed) -> None:
    posting, items = mixed
    plan = plan_questions(posting, items, len(ASKED))
    tiers = [_tier(q) for q in plan]
    assert tiers == sorted(tiers)
    assert {q.requirements[0].kind for q in plan[:2]} == {R}


def test_a_whole_cycle_asks_every_requirement_once_then_starts_again(mixed) -> None:
    posting, items = mixed
    plan = plan_questions(posting, items, 2 * len(ASKED))
    first, second = plan[: len(ASKED)], plan[len(ASKED):]
    assert sorted(q.requirements[0].text for q in first) == sorted(ASKED)
    assert sorted(q.requirements[0].text for q in second) == sorted(ASKED)
    assert first != second  # the second cycle is worded differently where the library allows


def test_asked_requirements_wait_until_all_were_asked(mixed) -> None:
    posting, items = mixed
    session: list[Question] = []
    for _ in range(len(ASKED)):
        planned = plan_questions(posting, items, 1, asked=[q.id for q in session])  # ids work as texts do
        assert planned
        session.append(planned[0])
    texts = [q.requirements[0].text for q in session]
    assert len(set(texts)) == len(ASKED)
    # Everything was asked once: the next question starts a new cycle, with the first required item.
    again = plan_questions(posting, items, 1, asked=texts)[0]
    assert again.requirements[0].text == session[0].requirements[0].text


def test_near_duplicates_are_probed_together_not_asked_twice_before_others() -> None:
    posting = _posting([
        ("Python programming", R), ("Experience with Docker and Kubernetes", R),
        ("Programming in Python", R), ("Strong SQL skills", R), ("Experience with Kafka", R),
    ])
    plan = plan_questions(posting, _items(posting), 4)
    probed = [[r.text for r in q.requirements] for q in plan]
    assert ["Python programming", "Programming in Python"] in probed
    assert sum("Programming in Python" in p for p in probed) == 1
    covered = {t for p in probed for t in p}
    assert covered == {r.text for r in posting.requirements}  # 4 questions cover all 5 items


def test_every_question_says_which_requirement_it_probes(mixed) -> None:
    posting, items = mixed
    for question in plan_questions(posting, items, len(items)):
        requirement = question.requirements[0]
        assert question.why.startswith("Why this question: the posting asks for “")
        assert requirement.text.rstrip(".") in question.why
        assert question.posting_id == posting.id and question.model_answer


def test_posting_questions_are_asked_with_their_model_answers() -> None:
    qa = QAPair(question="How do you roll out a risky change to a Kubernetes cluster safely?",
                model_answer="I use canary deployments. I watch error rates. I roll back automatically.")
    posting = _posting([("Experience with Docker and Kubernetes", R), ("Strong SQL skills", R)], [qa])
    plan = plan_questions(posting, _items(posting), 2)
    asked = [q for q in plan if q.kind == QuestionKind.POSTING]
    assert len(asked) == 1
    assert asked[0].text == qa.question and asked[0].model_answer == qa.model_answer
    assert asked[0].model_answer_source == "posting"
    assert asked[0].requirements[0].text == "Experience with Docker and Kubernetes"
    without = plan_questions(posting, _items(posting), 2, kinds=[QuestionKind.TECHNICAL])
    assert {q.kind for q in without} == {QuestionKind.TECHNICAL}


def test_plans_are_deterministic_and_kinds_are_mixed(mixed) -> None:
    posting, items = mixed
    one = [q.model_dump() for q in plan_questions(posting, items, 6)]
    two = [q.model_dump() for q in plan_questions(posting, items, 6)]
    assert one == two
    assert len({q["kind"] for q in one}) >= 2
    assert len({q["id"] for q in one}) == 6


def test_harder_and_easier_keep_the_requirement_and_change_what_is_asked(mixed) -> None:
    posting, items = mixed
    question = plan_questions(posting, items, 1)[0]
    hard, easy = harder(question), easier(question)
    assert hard.requirements == question.requirements == easy.requirements
    assert (hard.difficulty, easy.difficulty) == (Difficulty.HARD, Difficulty.EASY)
    assert len({hard.text, easy.text, question.text}) == 3
    # Same competency, same kind: its hard and easy questions, each with the guide written for it.
    competency = library_index().by_id(question.competency_id)
    assert competency is not None and hard.competency_id == easy.competency_id == question.competency_id
    entry = getattr(competency, question.kind.value)
    requirement = question.requirements[0]
    assert hard.text in library_options(requirement, competency, question.kind, Difficulty.HARD)
    assert easy.text in library_options(requirement, competency, question.kind, Difficulty.EASY)
    guides = [entry.guide_for(listed) for listed in entry.questions.all()]
    assert all(q.guide in guides for q in (hard, easy, question))
    assert harder(hard) == hard


def _critique(score: int, missing: list[str], flags: list[str] | None = None, **sub: int) -> Critique:
    subscores = {"coverage": 50, "relevance": 60, "specificity": 60, "structure": 60, "results": 60} | sub
    band = "strong" if score >= 75 else "fair" if score >= 45 else "weak"
    return Critique(score=score, band=band, subscores=SubScores(**subscores), missing=missing,
                    flags=flags or [])


@pytest.fixture(scope="module")
def docker_question(mixed) -> Question:
    posting, items = mixed
    plan = plan_questions(posting, items, len(items), kinds=[QuestionKind.BEHAVIOURAL])
    return next(q for q in plan if q.requirements[0].text == "Experience with Docker and Kubernetes")


def test_follow_up_probes_the_top_missing_point(docker_question: Question) -> None:
    # A library question: the critic reports the guide's points it missed; the follow-up asks for the first.
    assert docker_question.model_answer_source == "library" and docker_question.guide
    point = docker_question.guide[1]
    asked = follow_up(docker_question, _critique(40, [point, docker_question.guide[2]]))
    assert asked is not None and asked.is_follow_up and asked.parent_id == docker_question.id
    assert asked.model_answer == point and asked.requirements == docker_question.requirements
    competency = library_index().by_id(docker_question.competency_id)
    assert competency is not None and competency.name.lower() in asked.text.lower()
    on_result = follow_up(docker_question, _critique(40, ["The result in numbers, such as time saved"]))
    assert on_result is not None and "measurable result" in on_result.text


@pytest.fixture(scope="module")
def outline_question(docker_question: Question) -> Question:
    """The Docker question as asked when no competency matches: an outline of what to cover."""
    requirement = docker_question.requirements[0]
    points = outline(requirement, docker_question.kind, docker_question.difficulty)
    return docker_question.model_copy(update={
        "model_answer": outline_answer(points), "guide": points, "model_answer_source": "offline",
        "competency_id": "",
    })


def test_follow_up_quotes_a_point_it_cannot_classify(docker_question: Question) -> None:
    point = "I keep base images small and pin their versions."
    written = docker_question.model_copy(update={"model_answer_source": "llm"})
    asked = follow_up(written, _critique(50, [point]))
    assert asked is not None and f"“{point}”" in asked.text and asked.text.endswith("?")
    assert f"“{point}”" in asked.why


def test_follow_up_on_an_offline_outline_asks_for_the_part_without_quoting_it(
    outline_question: Question,
) -> None:
    situation = outline_question.guide[0]
    asked = follow_up(outline_question, _critique(40, ["A concrete situation"]))
    assert asked is not None and "situation" in asked.text and "“" not in asked.text
    assert "“" not in asked.why
    assert asked.model_answer == f"{situation}."  # the outline's own point stays the reference
    assert "Docker and Kubernetes" in asked.text


def test_follow_up_asks_for_an_example_or_a_result_when_nothing_is_missing(docker_question: Question) -> None:
    vague = follow_up(docker_question, _critique(55, [], specificity=20))
    assert vague is not None and "concrete" in vague.text
    no_result = follow_up(docker_question, _critique(55, [], results=10))
    assert no_result is not None and "result" in no_result.text
    non_answer = follow_up(docker_question, _critique(5, ["x"], flags=["non-answer"]))
    assert non_answer is not None and "try that again" in non_answer.text
    # A long answer that was cut is no non-answer: the follow-up probes its gap as usual.
    note = "long answer: only the first 60 sentences were read"
    cut = follow_up(docker_question, _critique(40, [], flags=[note], results=10))
    assert cut is not None and "try that again" not in cut.text and "result" in cut.text


def test_a_situational_question_is_followed_up_on_the_plan_never_with_a_request_for_a_story(
    docker_question: Question,
) -> None:
    scene = docker_question.model_copy(update={"kind": QuestionKind.SITUATIONAL})
    again = follow_up(scene, _critique(5, ["x"], flags=["non-answer"]))
    assert again is not None and again.kind is QuestionKind.SITUATIONAL
    assert "what would you do first" in again.text and "real example" not in again.text
    people = follow_up(scene.model_copy(update={"model_answer_source": "llm"}),
                       _critique(40, ["Who you would involve."]))
    assert people is not None and "Who would you involve" in people.text
    vague = follow_up(scene, _critique(55, [], specificity=20))
    assert vague is not None and "would you do first" in vague.text
    no_check = follow_up(scene, _critique(55, [], results=10))
    assert no_check is not None and "worked" in no_check.text
    for asked in (again, people, vague, no_check):
        assert not re.search(r"\b(did you|what happened|what was the result)\b", asked.text, re.I), asked.text


def test_no_follow_up_for_a_strong_answer_or_a_follow_up(docker_question: Question) -> None:
    assert follow_up(docker_question, _critique(85, [])) is None
    first = follow_up(docker_question, _critique(40, ["I keep base images small."]))
    assert first is not None
    assert follow_up(first, _critique(10, ["anything"])) is None


def test_nothing_to_plan_gives_no_questions() -> None:
    posting = _posting([])
    assert plan_questions(posting, [], 5) == []


def _judged(critique: Critique, judged_as: str) -> Critique:
    return critique.model_copy(update={"judged_as": judged_as})


def test_a_knowledge_question_is_followed_up_on_its_substance_never_with_a_story(
    docker_question: Question,
) -> None:
    technical = docker_question.model_copy(update={"kind": QuestionKind.TECHNICAL})
    point = docker_question.guide[1]
    missed = follow_up(technical, _judged(_critique(40, [point]), "knowledge"))
    assert missed is not None and f"“{point}”" in missed.text and "experience" not in missed.text
    general = follow_up(technical, _judged(_critique(55, [], specificity=20, results=0), "knowledge"))
    assert general is not None and "tools, terms or numbers" in general.text
    again = follow_up(technical, _judged(_critique(5, ["x"], flags=["non-answer"]), "knowledge"))
    assert again is not None and "step by step" in again.text
    for asked in (missed, general, again):
        assert not any(word in asked.text.lower() for word in ("situation", "result", "a time", "example"))


def test_an_answer_mostly_about_something_else_is_asked_back_to_the_topic(docker_question: Question) -> None:
    thin = _critique(43, [], specificity=20).model_copy(
        update={"improvements": [
            "Answer the question asked, about the requirement it probes: keep every sentence on that topic."
        ], "judged_as": "experience"}
    )
    asked = follow_up(docker_question, thin)
    assert asked is not None and "stay with" in asked.text and "something other" in asked.why
