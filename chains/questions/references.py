"""Where a question's model answer comes from, and its export to and import from editable files.

Order of precedence: an answer stored for the (posting, question) pair (edited by a maintainer, or
generated once by the LLM), then the posting's own Q&A answer, then a new LLM answer written from the
library's guide and example (stored, so it is generated once), then the offline answer the planner
gave the question: the library's example answer, or an outline of what a strong answer covers.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from langchain_core.language_models import BaseChatModel

from chains.llm.factory import failure_reason, fallback_notice
from chains.models import Difficulty, Question, QuestionKind
from chains.questions import compose
from chains.questions.model_answers import generate_model_answer
from chains.questions.planner import plan_questions
from core.errors import CoachError
from core.settings import Settings, get_settings
from knowledge.posting import Posting, Requirement
from knowledge.store import MODEL_ANSWERS, PostingStore


def stored_answer(store: PostingStore, posting_id: str, question_id: str) -> tuple[str, str] | None:
    """The stored model answer and its source ('edited', 'llm'), or None."""
    text = store.get_model_answer(posting_id, question_id)
    if not text:
        return None
    source = "llm"
    try:
        # The store's public call returns the text only; the source sits in the entry's metadata.
        got = store._collection(MODEL_ANSWERS).get(ids=[f"{posting_id}:{question_id}"], include=["metadatas"])
        metadatas = got["metadatas"] or []
        if metadatas and metadatas[0]:
            source = str(metadatas[0].get("source") or source)
    except Exception:  # noqa: S110 - the text is what matters; the source is a label
        pass
    return text, source


def _requirement(question: Question) -> Requirement | None:
    return question.requirements[0] if question.requirements else None


def offline_answer(question: Question) -> tuple[str, str]:
    """The offline model answer for ``question`` and its source: the planner's, else an outline."""
    if question.model_answer and question.model_answer_source in ("library", "offline"):
        return question.model_answer, question.model_answer_source
    requirement = _requirement(question)
    if requirement is None:
        return question.model_answer, question.model_answer_source
    points = compose.outline(requirement, question.kind, question.difficulty)
    return compose.outline_answer(points), "offline"


def _offline(question: Question) -> Question:
    answer, source = offline_answer(question)
    update: dict[str, object] = {"model_answer": answer, "model_answer_source": source}
    if source == "offline" and not question.guide and question.requirements:
        update["guide"] = compose.outline(question.requirements[0], question.kind, question.difficulty)
    return question.model_copy(update=update)


async def resolve_model_answer(
    question: Question,
    posting: Posting,
    store: PostingStore,
    chat_model: BaseChatModel | None,
    settings: Settings | None = None,
) -> tuple[Question, str | None]:
    """``question`` with its model answer settled, and a notice if the LLM failed."""
    settings = settings or get_settings()
    budget = settings.llm_timeout * (settings.llm_retries + 1) + 5
    stored = await asyncio.to_thread(stored_answer, store, posting.id, question.id)
    if stored is not None:
        text, source = stored
        return question.model_copy(update={"model_answer": text, "model_answer_source": source}), None
    if question.model_answer and question.model_answer_source in ("posting", "edited"):
        return question, None
    if chat_model is not None and _requirement(question) is not None:
        try:
            # The generator calls the model synchronously: keep it off the event loop, and bounded.
            text = await asyncio.wait_for(
                asyncio.to_thread(
                    generate_model_answer, question, _requirement(question), chat_model, posting
                ),
                timeout=budget,
            )
            text = str(text or "").strip()
            if not text:
                raise ValueError("empty model answer")
        except Exception as exc:  # the model failed: this turn uses the offline answer
            notice = fallback_notice(failure_reason(exc))
            return _offline(question), notice
        await asyncio.to_thread(store.put_model_answer, posting.id, question.id, question.text, text, "llm")
        return question.model_copy(update={"model_answer": text, "model_answer_source": "llm"}), None
    if not question.model_answer:
        question = _offline(question)
    return question, None


# -- files a maintainer can edit -----------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``import_model_answers`` did."""

    edited: list[str]
    unchanged: list[str]
    problems: list[str]


def _sha(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "question"


def export_model_answers(
    posting: Posting,
    store: PostingStore,
    directory: Path,
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> list[Path]:
    """Write one Markdown file per question the coach would ask about ``posting`` at ``difficulty``.

    Each file has a YAML header (ids, question, source and a fingerprint of the answer as exported)
    and the model answer as its body; edit the body and import the folder.
    """
    items = store.requirements_with_embeddings(posting.id)
    total = len(posting.requirements) + len(posting.qa_pairs)
    questions = plan_questions(posting, items, max(total, 1), difficulty, list(QuestionKind), [])
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number, question in enumerate(questions, start=1):
        stored = stored_answer(store, posting.id, question.id)
        if stored is not None:
            answer, source = stored
        elif question.model_answer and question.model_answer_source in ("posting", "edited"):
            answer, source = question.model_answer, question.model_answer_source
        else:
            answer, source = offline_answer(question)
        header = {
            "posting_id": posting.id,
            "question_id": question.id,
            "question": question.text,
            "kind": question.kind.value,
            "difficulty": question.difficulty.value,
            "source": source,
            "exported_sha": _sha(answer),
        }
        path = directory / f"{number:03d}_{_slug(question.text)}.md"
        head = yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
        path.write_text(f"---\n{head}---\n{answer.strip()}\n", encoding="utf-8")
        written.append(path)
    return written


def read_answer_file(path: Path) -> tuple[dict[str, Any], str]:
    """The header and body of an exported answer file; raises ``CoachError`` when malformed."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---"):
        raise CoachError(f"{path.name}: no '---' header; export the answers again and edit only the body")
    try:
        _, head, body = raw.split("---", 2)
        header = yaml.safe_load(head) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise CoachError(f"{path.name}: malformed header ({exc})") from exc
    for key in ("posting_id", "question_id", "question"):
        if not header.get(key):
            raise CoachError(f"{path.name}: the header lacks '{key}'; export the answers again")
    return header, body.strip()


def import_model_answers(directory: Path, store: PostingStore) -> ImportResult:
    """Store every edited answer file of ``directory`` as the question's model answer ('edited')."""
    result = ImportResult(edited=[], unchanged=[], problems=[])
    files = sorted(directory.glob("*.md"))
    if not files:
        raise CoachError(
            f"{directory}: no exported answer files (*.md); run 'coach model-answers export' first"
        )
    for path in files:
        try:
            header, body = read_answer_file(path)
        except CoachError as exc:
            result.problems.append(str(exc))
            continue
        if not body:
            result.problems.append(f"{path.name}: the answer is empty; nothing stored")
            continue
        if _sha(body) == header.get("exported_sha"):
            result.unchanged.append(path.name)
            continue
        store.put_model_answer(
            str(header["posting_id"]), str(header["question_id"]), str(header["question"]), body, "edited"
        )
        result.edited.append(path.name)
    return result
