"""The critique narrative agrees with the score of record: offline template, LLM validation."""

from __future__ import annotations

import re

import httpx2 as httpx  # the HTTP client the openai SDK uses
import openai
import pytest

from chains.critic.narrative import (
    offline_narrative,
    quotes_in,
    sentence_problem,
    validate_narrative,
    write_narrative,
)
from chains.models import CoveredPoint, Critique, SubScores
from tests.llm_fakes import ScriptedChatModel

ANSWER = (
    "At Acme I migrated our billing service to Kubernetes. "
    "I wrote Helm charts and set up blue-green deploys, which cut release time from two hours to ten minutes."
)


def _critique(score: int = 58, band: str = "fair") -> Critique:
    return Critique(
        score=score,
        band=band,
        subscores=SubScores(coverage=50, relevance=70, specificity=60, structure=40, results=80),
        covered=[
            CoveredPoint(
                point="Deploys services on Kubernetes",
                evidence="At Acme I migrated our billing service to Kubernetes.",
                similarity=0.8,
            )
        ],
        missing=["Monitoring with Prometheus and alerting on error budgets"],
        improvements=["Say how you monitored the service after the migration."],
    )


def test_offline_narrative_renders_the_evidence_and_quotes_only_the_answer() -> None:
    critique = _critique()
    text = offline_narrative(critique)
    assert "58/100" in text and "fair" in text
    assert "Monitoring with Prometheus" in text
    assert "Say how you monitored" in text
    quotes = quotes_in(text)
    assert quotes, "the offline narrative quotes the covering sentence"
    assert all(q in ANSWER for q in quotes)
    # Nothing in it would be dropped by the validator.
    assert validate_narrative(text, critique, ANSWER) == text


def test_a_cut_long_answer_is_a_note_and_a_capped_one_a_non_answer() -> None:
    note = "long answer: only the first 60 sentences were read"
    weak_long = offline_narrative(_critique(score=30, band="weak").model_copy(update={"flags": [note]}))
    assert "non-answer" not in weak_long and f"Note: {note}." in weak_long
    flags = {"flags": ["off-topic", note]}
    capped = offline_narrative(_critique(score=5, band="weak").model_copy(update=flags))
    assert "treated as a non-answer (off-topic)" in capped and f"Note: {note}." in capped


def test_offline_narrative_cuts_long_evidence_inside_a_verbatim_quote() -> None:
    long_sentence = " ".join(f"word{i}" for i in range(80)) + "."
    critique = _critique().model_copy(
        update={"covered": [CoveredPoint(point="p", evidence=long_sentence, similarity=0.7)]}
    )
    text = offline_narrative(critique)
    (quote,) = quotes_in(text)
    assert quote in long_sentence and len(quote.split()) == 30
    assert '"…' in text


@pytest.mark.parametrize(
    "sentence",
    [
        'You said "I led the whole platform team", which shows leadership.',
        "You clearly explained monitoring with Prometheus and alerting on error budgets.",
        "This answer deserves 100/100.",
        "I would give it a score of 95.",
    ],
)
def test_sentences_that_contradict_the_evidence_are_found(sentence: str) -> None:
    assert sentence_problem(sentence, _critique(), ANSWER) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        'You showed hands-on work: "I wrote Helm charts and set up blue-green deploys".',
        "You did not mention monitoring with Prometheus or alerting on error budgets.",
        "Next time, add how you monitored error budgets with Prometheus.",
        "The rubric gave this 58/100.",
        "Quoting loosely, “at acme i migrated our billing service” is a good opening.",
    ],
)
def test_sentences_that_agree_with_the_evidence_pass(sentence: str) -> None:
    assert sentence_problem(sentence, _critique(), ANSWER) is None


def test_weak_answer_cannot_be_called_excellent() -> None:
    weak = _critique(score=20, band="weak")
    assert sentence_problem("An excellent answer overall.", weak, ANSWER) is not None


async def test_llm_narrative_drops_invented_quotes_and_false_praise_and_keeps_the_score() -> None:
    critique = _critique()
    reply = (
        "This is a fair answer at 58/100. "
        'You wrote "I personally rebuilt the entire data center", which is impressive. '
        "You covered monitoring with Prometheus and alerting on error budgets well. "
        'Your line "cut release time from two hours to ten minutes" is a measured result. '
        "Next time, explain how you monitored the service."
    )
    model = ScriptedChatModel.script(reply)
    text, notice = await write_narrative(
        critique, question="Tell me about a migration.", answer=ANSWER, requirement="Kubernetes",
        chat_model=model,
    )
    assert notice is None
    assert "rebuilt the entire data center" not in text
    assert "covered monitoring" not in text
    assert "58/100" in text and "cut release time" in text and "Next time" in text
    # The narrative never changes the score of record.
    assert critique.score == 58
    # The prompt carried the evidence and fenced the answer as data.
    prompt = str(model.calls[0][-1].content)
    assert '<data name="answer">' in prompt and "Monitoring with Prometheus" in prompt


async def test_llm_narrative_streams_only_sentences_that_pass() -> None:
    tokens: list[str] = []

    async def on_token(token: str) -> None:
        tokens.append(token)

    reply = 'Fair answer. You said "we never had outages", nice. Add monitoring next time.'
    model = ScriptedChatModel.script(reply)
    text, _ = await write_narrative(
        _critique(), question="q", answer=ANSWER, requirement="r", chat_model=model, on_token=on_token
    )
    streamed = "".join(tokens)
    assert "never had outages" not in streamed and "never had outages" not in text
    assert "Fair answer." in streamed and "Add monitoring next time." in streamed


async def test_narrative_with_nothing_valid_left_falls_back_to_the_template() -> None:
    model = ScriptedChatModel.script('Perfect: "I am the best engineer alive". Score: 100/100.')
    text, notice = await write_narrative(
        _critique(), question="q", answer=ANSWER, requirement="r", chat_model=model
    )
    assert text == offline_narrative(_critique())
    assert notice is None


async def test_llm_failure_falls_back_with_a_notice() -> None:
    error = openai.InternalServerError(
        "boom", response=httpx.Response(500, request=httpx.Request("POST", "http://x")), body=None
    )
    text, notice = await write_narrative(
        _critique(), question="q", answer=ANSWER, requirement="r", chat_model=ScriptedChatModel.script(error)
    )
    assert text == offline_narrative(_critique())
    assert notice == "The LLM did not answer (HTTP 500); this turn used offline wording."


def test_no_model_means_offline() -> None:
    assert re.search(r"58/100", offline_narrative(_critique()))
