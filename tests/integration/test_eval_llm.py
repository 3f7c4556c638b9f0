"""The evaluations in LLM mode, through the real langchain-openai client and a local scripted server.

``coach eval questions`` words each planned question with the configured model (as a session does) and
checks the model's wording; ``coach eval critic`` records the configured model but scores offline.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from chains.evaluation.critic import EvalRow, evaluate
from chains.evaluation.question_checks import question_problems
from chains.evaluation.questions import evaluate_files
from cli.evaluate import eval_app
from core.settings import get_settings
from tests.commands import COACH
from tests.conftest import REPO_ROOT
from tests.integration.fake_openai import FakeOpenAI, Reply, serve

POSTING = REPO_ROOT / "knowledge" / "postings" / "backend_engineer_kestrel.md"
OFF_TOPIC = "My favourite holiday destination is Lisbon."  # off topic, and not a question
_REQUIREMENT = re.compile(r'<data name="requirement">\n(.*?)\n</data>', re.DOTALL)


def requirement_of(body: dict[str, Any]) -> str:
    """The requirement fenced in a question-wording request."""
    match = _REQUIREMENT.search(str(body["messages"][-1]["content"]))
    assert match, "not a question-wording request"
    return match.group(1).strip()


def llm_wording(requirement: str) -> str:
    """What the scripted model answers for a requirement: a question a session could ask."""
    requirement = requirement.rstrip(".")
    return f"Which project best shows this about you: {requirement[:1].lower()}{requirement[1:]}?"


class Wordings:
    """Replies to each wording request from its requirement; ``off_topic`` gets an unrelated question."""

    def __init__(self, off_topic: str = "") -> None:
        self.off_topic = off_topic

    def __call__(self, body: dict[str, Any]) -> Reply:
        requirement = requirement_of(body)
        if self.off_topic and self.off_topic in requirement:
            return Reply(text=OFF_TOPIC)
        return Reply(text=llm_wording(requirement))


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COACH_LLM", "openai:test-model")
    monkeypatch.setenv("COACH_LLM_RETRIES", "0")
    monkeypatch.setenv("COACH_LLM_TIMEOUT", "5")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _use(fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_LLM_BASE_URL", fake.base_url)
    get_settings.cache_clear()


def test_questions_are_worded_by_the_configured_model_and_checked_as_worded(
    llm_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(Wordings(off_topic="PostgreSQL")) as fake:
        _use(fake, monkeypatch)
        report = evaluate_files([POSTING])
    row = report.postings[0]
    assert report.model == "openai:test-model" and report.llm_fallbacks == 0 and not report.errors
    assert {body["model"] for body in fake.requests} == {"test-model"}
    worded = [c for c in row.checks if c.kind != "posting"]
    assert worded and len(fake.requests) == len(worded)
    for check in worded:
        assert check.worded_by == "llm" and check.fallback is None
        if "PostgreSQL" in check.requirement:
            # The checks ran on the model's wording: an off-topic statement is caught on both counts.
            assert check.text == OFF_TOPIC and not check.grounded
            assert "does not end with '?'" in check.problems
        else:
            assert check.text == llm_wording(check.requirement), check
            # The fake pastes the requirement into its wording: the check catches that, as a reader would.
            assert check.grounded and check.problems == question_problems(check.text, check.requirement)
    # The posting's own questions are asked as written, without a model call.
    assert all(c.worded_by == "offline" for c in row.checks if c.kind == "posting")
    assert report.grounded < 1.0 and row.grounded == report.grounded


def test_a_failing_model_falls_back_per_question_and_the_report_is_complete(
    llm_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_LLM", "offline")
    get_settings.cache_clear()
    offline = evaluate_files([POSTING])
    monkeypatch.setenv("COACH_LLM", "openai:test-model")
    with serve(Reply(status=500)) as fake:
        _use(fake, monkeypatch)
        report = evaluate_files([POSTING])
    drafts = [c for c in offline.postings[0].checks if c.kind != "posting"]
    assert offline.model == "offline" and offline.llm_fallbacks == 0
    assert report.model == "openai:test-model"
    assert report.llm_fallbacks == len(drafts) == len(fake.requests) > 0
    # Every question is still checked, on the offline drafts, so the numbers equal the offline run's.
    assert [c.text for c in report.postings[0].checks] == [c.text for c in offline.postings[0].checks]
    for name in ("questions", "grounded", "required_coverage", "repeats", "near_repeats", "wording_problems"):
        assert getattr(report, name) == getattr(offline, name), name
    fallbacks = [c.fallback for c in report.postings[0].checks if c.kind != "posting"]
    assert all(f is not None and "HTTP 500" in f for f in fallbacks)


def _questions_app() -> typer.Typer:
    return eval_app  # `coach eval`: questions is one of its commands


def test_llm_option_overrides_coach_llm_and_the_table_names_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with serve(Wordings()) as fake:
        _use(fake, monkeypatch)
        result = CliRunner().invoke(
            _questions_app(), ["questions", str(POSTING), "--llm", "openai:other-model"],
            env={"COACH_LLM_RETRIES": "0"},
        )
    assert result.exit_code == 0, result.output
    assert "worded by openai:other-model; 0 of" in result.output
    assert fake.requests and {body["model"] for body in fake.requests} == {"other-model"}


def test_a_model_spec_that_cannot_start_fails_in_one_line() -> None:
    result = CliRunner().invoke(_questions_app(), ["questions", str(POSTING), "--llm", "gpt-4o"])
    assert result.exit_code == 2
    assert "error: LLM 'gpt-4o' is not 'offline' or 'provider:model'" in result.output
    assert "Traceback" not in result.output


def test_coach_entry_point_records_the_model(tmp_path: Path) -> None:
    with serve(Wordings()) as fake:
        env = {**os.environ, "COACH_LLM": "openai:test-model", "COACH_LLM_BASE_URL": fake.base_url,
               "COACH_LLM_RETRIES": "0", "COACH_DATA_DIR": str(tmp_path / "data")}
        result = subprocess.run(
            [*COACH, "eval", "questions", str(POSTING), "--json"],
            capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=180,
        )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] == "openai:test-model" and report["llm_fallbacks"] == 0
    worded = [c for c in report["postings"][0]["checks"] if c["worded_by"] == "llm"]
    assert worded and all(c["text"] == llm_wording(c["requirement"]) for c in worded)


# -- coach eval critic: the score of record is offline in every mode ----------------------------------

ROWS = [
    EvalRow(question="How do you keep queries fast?", model_answer="I add indexes. I read query plans.",
            answer="I read the query plan and added an index.", label=True),
    EvalRow(question="How do you keep queries fast?", model_answer="I add indexes. I read query plans.",
            answer="I restart the server.", label=False),
]


def test_critic_records_the_configured_llm_but_scores_offline(llm_env: None) -> None:
    report = evaluate(ROWS, "rows")
    assert report.llm == "openai:test-model"
    assert "offline rubric scorer" in report.model
    offline = evaluate(ROWS, "rows", llm="offline")
    assert offline.llm == "offline"
    assert (offline.roc_auc, offline.accuracy) == (report.roc_auc, report.accuracy)


def test_critic_text_output_says_the_score_is_the_offline_rubric(llm_env: None, tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps(r.model_dump(exclude={"score", "question_id"})) for r in ROWS),
                    encoding="utf-8")
    result = CliRunner().invoke(eval_app, ["critic", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "openai:test-model" in result.output
    assert "The score is the offline rubric's in every mode" in result.output
