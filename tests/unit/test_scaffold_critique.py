"""Offline model answers are scaffolds: a real answer is judged by the story parts it has, on topic."""

from __future__ import annotations

import itertools

import pytest

import prompts
from chains.critic.keypoints import key_points
from chains.critic.parts import ADVICE, Role, action_steps, evidence, point_role
from chains.critic.scorer import score_answer
from chains.models import Critique, Difficulty, QuestionKind
from chains.questions.model_answers import offline_model_answer
from knowledge.posting import Requirement, RequirementKind

SALES = Requirement(
    text="4 years of field sales experience in the technology industry selling enterprise software",
    kind=RequirementKind.REQUIRED,
    section="Minimum qualifications",
)
SALES_Q = (
    "Walk me through how you have applied field sales in the technology industry in practice. "
    "What are the key steps, and how do you know it worked?"
)
SALES_STRONG = (
    "At my last job at Oracle I ran field sales for mid-market accounts selling our ERP software. "
    "I built a quarterly territory plan, met 40 customers a month, and grew bookings by 35 percent in a "
    "year by focusing on migration deals. I learned to qualify harder early, and I now drop deals "
    "without an executive sponsor."
)
SALES_NO_REFLECTION = (
    "At my last job I ran the cloud sales pipeline for mid-market accounts. I built a quarterly "
    "territory plan, met 40 customers a month, and grew bookings by 35 percent in a year by focusing "
    "on migration deals."
)
# Every story part, told about something else.
OFF_TOPIC_STORY = (
    "Last summer I baked bread every weekend for my family. I tried twelve recipes, tracked the rise "
    "times in a notebook and cut the baking time by 30 percent. I learned that patience matters."
)
OPINION = "I think sales is about relationships and I am a people person who likes technology."

EXPECTED_ROLES = {
    "technical": ["experience", "action", "action", "result", "reflection"],
    "situational": ["experience", "action", "action", "result", "reflection"],
    "behavioural": ["experience", "situation", "action", "result", "reflection"],
}
FORMS = ["verb", "noun", "tool", "trait", "education", "language", "logistics"]


def _scaffold(kind: QuestionKind, difficulty: Difficulty = Difficulty.MEDIUM) -> str:
    return offline_model_answer(SALES, kind, difficulty)


def _score(answer: str, *, scaffold: bool = True, difficulty: Difficulty = Difficulty.MEDIUM) -> Critique:
    return score_answer(
        SALES_Q, _scaffold(QuestionKind.TECHNICAL, difficulty), answer,
        requirement=SALES.text, difficulty=difficulty, scaffold=scaffold,
    )


@pytest.mark.parametrize(("form", "kind"), list(itertools.product(FORMS, EXPECTED_ROLES)))
def test_every_template_sentence_has_its_story_part(form: str, kind: str) -> None:
    for difficulty in ("easy", "medium", "hard"):
        rendered = prompts.render(
            "templates/model_answer", form=form, topic="TOPIC", past="did TOPIC", subject="SUBJ",
            kind=kind, difficulty=difficulty,
        )
        points = key_points(" ".join(line.strip() for line in rendered.splitlines() if line.strip()))
        roles = [point_role(p).value for p in points]
        expected = list(EXPECTED_ROLES[kind])
        if difficulty == "easy":  # one step (or the example) fewer
            expected.remove("situation" if kind == "behavioural" else "action")
            if kind == "behavioural":
                expected[1] = "situation"
        if difficulty == "hard":
            expected += ["trade-off", "trade-off"]
        assert roles == expected, (form, kind, difficulty, points)


def test_a_strong_real_answer_scores_strong_against_the_scaffold() -> None:
    literal = _score(SALES_STRONG, scaffold=False)
    critique = _score(SALES_STRONG)
    # Matched word for word against placeholders, a strong story looked weak; by its parts it is strong.
    assert literal.score < 50
    assert critique.score >= 75 and critique.band == "strong"
    assert not critique.missing
    assert all(c.evidence in SALES_STRONG for c in critique.covered)
    # Each part is shown by the sentence that has it, not by the whole (short) answer.
    assert all(c.evidence.strip() != SALES_STRONG for c in critique.covered)
    # The candidate sees the parts, not the placeholder sentences.
    assert [c.point for c in critique.covered] == [
        "Hands-on experience with it", "Your own actions (step 1)", "Your own actions (step 2)",
        "A measured result", "What you learned",
    ]


def test_an_empty_answer_lists_the_parts_to_give() -> None:
    critique = _score("   ")
    assert critique.score == 0 and critique.missing[0] == "Hands-on experience with it"
    assert ADVICE[Role.EXPERIENCE] in critique.improvements


def test_a_missing_part_is_named_as_advice_not_as_a_placeholder() -> None:
    critique = _score(SALES_NO_REFLECTION)
    assert 55 <= critique.score < _score(SALES_STRONG).score
    assert [point_role(p) for p in critique.missing] == [Role.REFLECTION]
    assert critique.improvements[0] == ADVICE[Role.REFLECTION]
    assert not any("In a previous role this approach" in step for step in critique.improvements)


def test_off_topic_stories_and_opinions_earn_no_parts() -> None:
    good = _score(SALES_STRONG).score
    for answer in (OFF_TOPIC_STORY, OPINION):
        critique = _score(answer)
        assert critique.score <= 20, answer
        assert critique.score == _score(answer, scaffold=False).score
    assert good > 60


def test_filler_does_not_fill_a_part() -> None:
    filler = (
        "In my last role I did field sales in the technology industry selling enterprise software. "
        "I planned it, I did it, and I improved it by 20 percent. I learned a lot."
    )
    critique = _score(filler)
    missing = {point_role(p) for p in critique.missing}
    # A number with no subject ("improved it") is no result, "a lot" is no lesson, "did it" no step.
    assert {Role.RESULT, Role.REFLECTION} <= missing
    assert critique.score < 75 and critique.score < _score(SALES_STRONG).score - 10
    assert action_steps("I planned it, I did it.") == 0


BACKEND = "4+ years of professional backend development in Python, Go or Java"
BACKEND_Q = (
    "Think of a real problem in this role that backend development in Python would help solve. "
    "What are the key steps, and how do you know it worked?"
)
BACKEND_TITLE = "Backend Engineer, Shipment Tracking"
# Plainly backend work, yet it never says "backend" or "Python": cosine 0.15 to the requirement.
SLOW_QUERIES = (
    "At my last job our shipment search page took 4 seconds because the events table had grown to "
    "200 million rows. I ran EXPLAIN ANALYZE on the slow queries, redesigned the schema to split "
    "events by month and added a composite index on shipment_id and created_at. "
    "The p95 query time dropped from 4 seconds to 120 ms."
)


def _backend(answer: str, title: str | None) -> Critique:
    requirement = Requirement(text=BACKEND, kind=RequirementKind.REQUIRED, section="Minimum qualifications")
    scaffold = offline_model_answer(requirement, QuestionKind.TECHNICAL, Difficulty.MEDIUM)
    return score_answer(BACKEND_Q, scaffold, answer, requirement=BACKEND, scaffold=True, posting_title=title)


def test_a_story_about_the_job_is_not_off_topic_and_is_asked_to_name_the_requirement() -> None:
    alone = _backend(SLOW_QUERIES, None)
    assert "off-topic" in alone.flags and alone.score <= 15
    in_posting = _backend(SLOW_QUERIES, BACKEND_TITLE)
    assert "off-topic" not in in_posting.flags and 45 <= in_posting.score < 75
    assert in_posting.improvements[0].startswith("Tie the answer to the requirement")
    # Naming the requirement's own terms earns the full part credit.
    python = " I wrote the new query layer of our Python backend service."
    named = _backend(SLOW_QUERIES + python, BACKEND_TITLE)
    assert named.score > in_posting.score
    # About neither the requirement nor the job: still off-topic, title or not.
    assert "off-topic" in _backend(OFF_TOPIC_STORY, BACKEND_TITLE).flags
    assert _backend(SALES_STRONG, BACKEND_TITLE).score < 35


def test_what_counts_as_a_step_and_as_a_result() -> None:
    # A person acted on is a step; "I don't" and "I learned" are not.
    assert action_steps("I reassessed him, checked the wound and called the rapid response team.") == 3
    assert action_steps("I don't know SQL.") == 0
    assert action_steps("I learned to trust small changes in vital signs.") == 0
    # A result without a number: an outcome, or how one would know it worked.
    told = [
        "He was back in theatre within the hour for a bleed and recovered well.",
        "I would know it worked when the analyst confirms my numbers match theirs.",
    ]
    assert all(evidence(Role.RESULT, sentence, has_result=False) for sentence in told)
    assert not evidence(Role.RESULT, "It worked.", has_result=False)


def test_each_action_point_needs_its_own_step() -> None:
    one_step = "At my last job I ran field sales for enterprise software accounts."
    critique = _score(one_step)
    roles = [point_role(p) for p in critique.missing]
    assert roles.count(Role.ACTION) == 1  # the second step is still missing
    assert action_steps("I built a plan, met 40 customers a month, and grew bookings.") == 3
    assert action_steps("I think I am good at it.") == 0


def test_hard_asks_for_a_trade_off() -> None:
    hard = _score(SALES_STRONG, difficulty=Difficulty.HARD)
    assert [point_role(p) for p in hard.missing] == [Role.TRADE_OFF, Role.TRADE_OFF]
    assert ADVICE[Role.TRADE_OFF] in hard.improvements
    with_trade_off = _score(
        SALES_STRONG + " The trade-off was fewer but larger deals, so the pipeline was riskier.",
        difficulty=Difficulty.HARD,
    )
    assert not with_trade_off.missing and with_trade_off.score > hard.score


def test_posting_and_llm_model_answers_are_still_matched_word_for_word() -> None:
    story = (
        "At my last company I sold Salesforce to hospitals. I mapped every buying committee and ran "
        "pilots with two clinics. Bookings grew 40 percent. I learned to involve IT security early."
    )
    # Not a scaffold: the story's own content has to be covered, whatever parts the answer has.
    critique = score_answer(SALES_Q, story, SALES_STRONG, requirement=SALES.text)
    assert "I mapped every buying committee and ran pilots with two clinics." in critique.missing
    assert any("I mapped every buying committee" in step for step in critique.improvements)


def test_the_scaffold_score_is_deterministic() -> None:
    assert _score(SALES_STRONG) == _score(SALES_STRONG)
