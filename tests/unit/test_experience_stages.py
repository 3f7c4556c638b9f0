"""Each named stage of the critic, without the model (milliseconds each).

Stages: judge kind (``judge_kind``), topic (``read_topic``), parts (``read_parts``), judge
(``judge``), caps (in ``score_answer``), the card (``tidy_card`` / ``card_problems``), and the cheap
checks (``is_english``, ``looks_like_bare_terms``, ``infer_kind``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chains.critic import experience as xp
from chains.critic.card import card_problems, tidy_card
from chains.critic.features import looks_like_bare_terms
from chains.critic.language import is_english
from chains.critic.rubric import load_rubric
from chains.critic.scorer import judge_kind, score_answer
from chains.critic.vectors import encode, use_encoder
from chains.models import CoveredPoint, Critique, QuestionKind, SubScores
from chains.session.own_question import infer_kind
from tests.critic_fakes import fake_encode

RUBRIC = load_rubric().experience


@pytest.fixture(autouse=True)
def _fake_encoder() -> Iterator[None]:
    with use_encoder(fake_encode):
        yield


def sentences(*pairs: tuple[str, bool]) -> list[xp.Sentence]:
    """Sentences with their on-topic flag set by hand (the topic stage is tested on its own)."""
    encoded = encode([text for text, _ in pairs])
    return [
        xp.Sentence(text=text, encoded=enc, topic=0.5 if on else 0.0, on_topic=on)
        for (text, on), enc in zip(pairs, encoded, strict=True)
    ]


def test_judge_kind_follows_the_question() -> None:
    assert judge_kind(None) == "knowledge"  # SemEval rows: scored exactly as before
    assert judge_kind(QuestionKind.TECHNICAL) == "knowledge"
    for kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL, QuestionKind.POSTING, "posting"):
        assert judge_kind(kind) == "experience"


def test_a_sentence_far_from_every_anchor_and_the_story_is_off_topic() -> None:
    texts = ["postgres index query slow", "the weather sky blue today"]
    encoded = encode([*texts, "postgres query slow index tuning"])
    read = xp.read_topic(list(zip(texts, encoded[:2], strict=True)), [encoded[2]], RUBRIC)
    assert [s.on_topic for s in read] == [True, False]


def test_a_part_in_an_off_topic_sentence_earns_nothing() -> None:
    found = xp.read_parts(
        sentences(
            ("I added an index to the orders table.", True),
            ("The sky went from grey to 100 percent blue and I learned to love it.", False),
        ),
        "behavioural",
        "",
        RUBRIC,
    )
    assert xp.Part.RESULT not in found.evidence and xp.Part.REFLECTION not in found.evidence
    assert xp.Part.ACTIONS in found.evidence


def test_actions_are_told_as_done_and_we_counts_half() -> None:
    duties = xp.read_parts(
        sentences(("I attend sprint planning and I write documentation.", True)), "behavioural", "", RUBRIC
    )
    assert duties.own_steps == 0 and xp.Part.ACTIONS not in duties.evidence
    mine = xp.read_parts(
        sentences(("I profiled the service, rewrote the writes and added a queue.", True)),
        "behavioural",
        "",
        RUBRIC,
    )
    ours = xp.read_parts(
        sentences(("We profiled the service, rewrote the writes and added a queue.", True)),
        "behavioural",
        "",
        RUBRIC,
    )
    assert mine.own_steps >= 2 and ours.own_steps == 0 and ours.we_steps >= 2
    assert xp.credit(ours, RUBRIC)[xp.Part.ACTIONS] < xp.credit(mine, RUBRIC)[xp.Part.ACTIONS]


def test_a_measured_result_holds_a_number_and_an_outcome_does_not() -> None:
    measured = xp.read_parts(
        sentences(("I rewrote the query.", True), ("Load time fell from 4 seconds to 300 ms.", True)),
        "behavioural",
        "",
        RUBRIC,
    )
    assert measured.measured and "300 ms" in measured.evidence[xp.Part.RESULT]
    told = xp.read_parts(
        sentences(
            ("I taught her the injections.", True), ("She gave the last dose without any prompting.", True)
        ),
        "behavioural",
        "",
        RUBRIC,
    )
    assert not told.measured and xp.Part.RESULT in told.evidence
    assert xp.credit(told, RUBRIC)[xp.Part.RESULT] == RUBRIC.outcome_credit


def test_asked_what_one_would_do_a_past_story_is_no_plan() -> None:
    story = xp.read_parts(
        sentences(("I ran the close and I agreed a calendar with the controller.", True)),
        "situational",
        "",
        RUBRIC,
    )
    plan = xp.read_parts(
        sentences(("I'd check the stock count, then I'd ask the warehouse lead.", True)),
        "situational",
        "",
        RUBRIC,
    )
    assert xp.Part.PLAN not in story.evidence and xp.Part.PLAN in plan.evidence
    assert xp.Part.PEOPLE in plan.evidence


def test_a_denial_of_the_requirement_without_steps_is_found() -> None:
    found = xp.read_parts(
        sentences(("I've never needed spreadsheets, the analyst does it.", True)), "behavioural", "", RUBRIC
    )
    assert found.denies_requirement


def test_length_fit_is_flagged() -> None:
    found = xp.read_parts(sentences(("I added an index.", True)), "behavioural", "I added an index.", RUBRIC)
    assert xp.judge(found, RUBRIC, "medium").length_note.startswith("short answer")
    found.words = 450
    assert xp.judge(found, RUBRIC, "medium").length_note.startswith("long answer")


def _card(**update: object) -> Critique:
    base = Critique(
        score=60,
        band="fair",
        subscores=SubScores(coverage=60, relevance=60, specificity=60, structure=60, results=0),
        covered=[
            CoveredPoint(point=xp.MEASURED_RESULT, evidence="Load time fell to 300 ms.", similarity=0.3)
        ],
        missing=["What you learned"],
        improvements=[xp.ADVICE[xp.Part.REFLECTION]],
    )
    return base.model_copy(update=update)


def test_card_rules_catch_every_contradiction() -> None:
    answer = "I rewrote the query. Load time fell to 300 ms."
    assert card_problems(_card(), answer) == []
    assert card_problems(_card(missing=[xp.MEASURED_RESULT]), answer)  # covered and missing
    assert card_problems(_card(improvements=[xp.ADVICE[xp.Part.RESULT]]), answer)  # asks for what is there
    assert card_problems(
        _card(covered=[CoveredPoint(point=xp.MEASURED_RESULT, evidence="It got better.", similarity=0.1)]),
        answer,
    )  # no measure, not quoted
    assert card_problems(_card(missing=["What you learned", "What you learned"]), answer)


def test_tidy_card_enforces_the_rules() -> None:
    messy = _card(
        covered=[CoveredPoint(point=xp.MEASURED_RESULT, evidence="Load time fell to 300 ms.", similarity=0.3)]
        * 2,
        missing=[xp.MEASURED_RESULT, "What you learned", "What you learned"],
        improvements=[
            xp.ADVICE[xp.Part.RESULT],
            xp.ADVICE[xp.Part.REFLECTION],
            xp.ADVICE[xp.Part.REFLECTION],
        ],
    )
    tidy = tidy_card(messy)
    assert card_problems(tidy, "I rewrote the query. Load time fell to 300 ms.") == []
    assert tidy.missing == ["What you learned"] and tidy.improvements == [xp.ADVICE[xp.Part.REFLECTION]]


def test_cheap_checks() -> None:
    assert not is_english(
        "Bei meinem letzten Arbeitgeber war die Bestellhistorie sehr langsam und ich habe "
        "einen Index angelegt.",
        0.12,
    )
    assert is_english("At my last job the order page was slow, so I added an index to the table.", 0.12)
    assert looks_like_bare_terms("Kubernetes Spark feature store ML platform Airflow")
    assert not looks_like_bare_terms("I ran Spark jobs on Kubernetes.")
    assert infer_kind("Tell me about a time you fixed a slow query.") is QuestionKind.BEHAVIOURAL
    assert infer_kind("What would you do if the pods keep restarting?") is QuestionKind.SITUATIONAL
    assert infer_kind("How does a B-tree index work?") is QuestionKind.TECHNICAL


def test_caps_say_why_with_the_fake_encoder() -> None:
    critique = score_answer(
        "Tell me about a slow query you fixed.",
        "",
        "I don't know",
        requirement="Tuning SQL",
        kind="behavioural",
    )
    assert "non-answer" in critique.caps and critique.score <= load_rubric().caps.non_answer
    assert critique.judged_as == "experience"


def test_a_terse_sentence_that_carries_an_on_topic_answer_is_on_topic() -> None:
    # Fake vectors: the second sentence shares no word with the question or the first sentence, but
    # it is half of an answer that as a whole is on the question's topic.
    texts = ["formative assessment maths lesson whiteboards", "hinge misconceptions exit tickets piles"]
    encoded = encode([*texts, "formative assessment maths lesson", " ".join(texts)])
    candidates = list(zip(texts, encoded[:2], strict=True))
    alone = xp.read_topic(candidates, [encoded[2]], RUBRIC)
    read = xp.read_topic(candidates, [encoded[2]], RUBRIC, whole=encoded[3])
    assert [s.on_topic for s in alone] == [True, False]
    assert [s.on_topic for s in read] == [True, True]


def test_numbers_in_a_sentence_of_the_story_are_its_result_not_padding() -> None:
    # Both sentences are far from the question (topic 0.0); only the one outside the story is padding.
    rubric = load_rubric().experience
    story = sentences(
        ("On placement I taught fractions of amounts to a class that found dividing first hard.", True),
        ("By Friday 27 of 30 got the exit ticket right.", True),
    )
    assert xp.read_parts(story, "behavioural", " ".join(s.text for s in story), rubric).padding == []
    aside = sentences(
        ("On placement I taught fractions of amounts to a class that found dividing first hard.", True),
        ("My flat is on floor 27 of 30.", False),
    )
    found = xp.read_parts(aside, "behavioural", " ".join(s.text for s in aside), rubric)
    assert found.padding == ["My flat is on floor 27 of 30."]


def test_a_plan_told_in_imperatives_counts_its_steps() -> None:
    own, ours = xp._steps(
        "Raise a major incident, get the duty manager on it, and link the calls to one ticket.", True
    )
    assert (own, ours) == (2, 0)
    own, _ = xp._steps("I'd draft it, prepare a clean copy without the document, and update the log.", True)
    assert own >= 2


@pytest.mark.parametrize(
    ("sentence", "skips"),
    [
        ("When we're busy I'd skip the probe check.", True),
        ("There's no need to check who is calling.", True),
        ("I mostly approved the pull requests without reading them.", True),
        ("I never skip the double check, however busy the ward is.", False),
        ("Under pressure I don't speed up by skipping the read-back.", False),
    ],
)
def test_a_skipped_safeguard_is_found_and_a_kept_one_is_not(sentence: str, skips: bool) -> None:
    assert xp.shortcut(sentence) is skips


def test_not_being_a_fan_of_the_requirement_denies_it() -> None:
    assert xp._DENIAL.search("Honestly, I'm not a big fan of code reviews.")
    assert xp._DENIAL.search("I'd rather not spend time commenting on other people's work.")
