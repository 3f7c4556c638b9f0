"""LLM wording of a drafted question or follow-up, with the draft as the offline fallback.

The planner (``chains.questions.planner``) drafts every question offline, from the competency library
where the requirement matches one; in LLM mode the model rewrites that draft for the posting from
``prompts/ask_question.md`` (with the library's answer guide, so the question keeps asking for what
the guide covers) or ``prompts/follow_up.md``. Questions the posting itself wrote are
asked as written. A failed or unusable reply keeps the draft and says so in the turn's notice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.tools import BaseTool

from chains.llm.factory import LLMUnavailable, TokenCallback, converse, fallback_notice
from chains.models import Question, QuestionKind
from chains.questions.model_answers import posting_excerpt
from core.settings import Settings
from knowledge.posting import Posting
from prompts import load, render

_MAX_QUESTION_CHARS = 600


def prompt_values(
    question: Question, posting: Posting, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Every value a question prompt may declare (the prompts fence posting text as data themselves)."""
    requirement = question.requirements[0] if question.requirements else None
    values: dict[str, Any] = {
        "requirement": requirement.text if requirement else "",
        "kind": question.kind.value,
        "difficulty": question.difficulty.value,
        "draft_question": question.text,
        "guide": list(question.guide),
        "posting_title": posting.title,
        "posting_excerpt": posting_excerpt(posting, requirement),
    }
    values.update(extra or {})
    return values


def render_declared(name: str, values: dict[str, Any]) -> str:
    """Render prompt ``name`` with the subset of ``values`` its header declares."""
    declared = load(name).header.variables
    return render(name, **{key: values[key] for key in declared if key in values})


def clean_question(text: str) -> str:
    """The question from a model reply: labels, wrapping quotes and blank lines removed."""
    text = text.strip()
    text = re.sub(
        r"^(?:\*\*)?(?:follow[- ]up )?question(?:\*\*)?\s*[:\-]\s*", "", text, flags=re.IGNORECASE
    )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    text = " ".join(lines).strip()
    if len(text) >= 2 and text[0] in "\"“'" and text[-1] in "\"”'":
        text = text[1:-1].strip()
    return text


async def word_question(
    question: Question,
    posting: Posting,
    *,
    chat_model: BaseChatModel | None,
    prompt: str = "ask_question",
    tools: Sequence[BaseTool] = (),
    on_token: TokenCallback | None = None,
    settings: Settings | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[Question, str | None]:
    """``question`` worded by the model (or as drafted), and a notice if the model failed."""
    if chat_model is None or question.kind == QuestionKind.POSTING:
        return question, None
    messages = [
        SystemMessage(render("system")),
        HumanMessage(render_declared(prompt, prompt_values(question, posting, extra))),
    ]
    try:
        text, _ = await converse(chat_model, messages, tools=tools, on_token=on_token, settings=settings)
        worded = clean_question(text)
        if not worded or len(worded) > _MAX_QUESTION_CHARS:
            raise LLMUnavailable("malformed reply")
    except LLMUnavailable as exc:
        return question, fallback_notice(exc.reason)
    return question.model_copy(update={"text": worded}), None
