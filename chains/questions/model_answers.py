"""Model answers in LLM mode, and the posting excerpt the LLM prompts carry.

Offline, a question's model answer is settled by the planner (``chains.questions.compose``): the
library's guide and example answer, or an outline of what a strong answer covers. In LLM mode
``generate_model_answer`` asks the chat model with prompts/model_answer.md, starting from the
question's guide and the library's example, and the caller caches the result
(chains.questions.references).

``offline_model_answer`` is the old first-person scaffold (prompts/templates/model_answer.md). No
question uses it any more; it stays only because the critic's scaffold scoring and its tests
(tests/unit/test_scaffold_critique.py, issue 11) still exercise it. Remove both with that scoring.
"""

from __future__ import annotations

import re
from functools import lru_cache

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

import prompts
from chains.models import Difficulty, Question, QuestionKind
from chains.questions.wording import Phrase, PhraseForm, normalise, tidy
from knowledge.posting import Posting, Requirement, RequirementKind

EXCERPT_CHARS = 1200


def subject_of(phrase: Phrase) -> str:
    """The requirement as a noun phrase that fits after "my work on ..." or "the trade-off in ..."."""
    if phrase.form == PhraseForm.TRAIT:
        return f"being {phrase.topic}"
    if phrase.form == PhraseForm.LANGUAGE:
        return f"working in {phrase.topic}"
    if phrase.form == PhraseForm.EDUCATION:
        return "what I learned in my studies and practical work"
    if phrase.form == PhraseForm.LOGISTICS:
        return "arrangements like this"
    return phrase.topic


def offline_model_answer(requirement: Requirement, kind: QuestionKind, difficulty: Difficulty) -> str:
    """A reference answer built from ``requirement``: 4 (easy), 5 (medium) or 6 (hard) sentences.

    Posting questions without a posting answer are answered as behavioural ones.
    """
    style = QuestionKind.BEHAVIOURAL if kind == QuestionKind.POSTING else kind
    return _offline(requirement.text, requirement.kind, style, difficulty)


@lru_cache(maxsize=4096)
def _offline(text: str, req_kind: RequirementKind, style: QuestionKind, difficulty: Difficulty) -> str:
    phrase = normalise(text, req_kind)
    rendered = prompts.render(
        "templates/model_answer",
        form=phrase.form.value,
        topic=phrase.topic,
        past=phrase.past,
        subject=subject_of(phrase),
        kind=style.value,
        difficulty=difficulty.value,
    )
    sentences = [tidy(line) for line in rendered.splitlines() if line.strip()]
    return " ".join(sentences)


def posting_excerpt(
    posting: Posting | None, requirement: Requirement | None, max_chars: int = EXCERPT_CHARS
) -> str:
    """The part of the posting around ``requirement`` (its section), for an LLM prompt's data block."""
    if posting is None:
        return requirement.text if requirement else ""
    text = posting.text
    if requirement is not None:
        at = text.find(requirement.text[:60])
        if at >= 0:
            start = max(0, at - max_chars // 2)
            return text[start : start + max_chars].strip()
        siblings = [r.text for r in posting.requirements if r.section == requirement.section]
        if siblings:
            return "\n".join(f"- {s}" for s in siblings)[:max_chars]
    return text[:max_chars].strip()


def _reply_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(block.get("text", "")) if isinstance(block, dict) else str(block)
            for block in content
            if isinstance(block, str) or (isinstance(block, dict) and block.get("type") == "text")
        )
    return str(content or "")


def generate_model_answer(
    question: Question,
    requirement: Requirement | None,
    chat_model: BaseChatModel,
    posting: Posting | None = None,
) -> str:
    """Ask ``chat_model`` for a model answer with prompts/model_answer.md (posting text fenced as data).

    Raises ``ValueError`` on an empty reply; the caller falls back to ``offline_model_answer`` and
    caches what it keeps.
    """
    target = requirement or (question.requirements[0] if question.requirements else None)
    # A library question with no example of its own has its guide as model answer: no example to pass.
    example = question.model_answer_source == "library" and not question.answer_is_guide
    library_answer = question.model_answer if example else ""
    prompt = prompts.render(
        "model_answer",
        question=question.text,
        requirement=target.text if target else "",
        kind=question.kind.value,
        difficulty=question.difficulty.value,
        posting_title=posting.title if posting else "",
        posting_excerpt=posting_excerpt(posting, target),
        guide=list(question.guide),
        example_answer=library_answer,
    )
    reply = chat_model.invoke([HumanMessage(content=prompt)])
    text = _reply_text(reply.content).strip()
    # Models sometimes wrap the answer in a heading or quotes despite the instructions.
    text = re.sub(r"^(?:model answer|answer)\s*:\s*", "", text, flags=re.I).strip().strip('"').strip()
    if not text:
        raise ValueError("the model returned an empty model answer")
    return text
