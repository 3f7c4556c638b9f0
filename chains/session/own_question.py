"""Bring your own question: any question, critiqued against a posting as a session would critique it.

``own_question`` turns (posting, question text, optional requirement and kind) into the ``Question``
a session would have asked: the requirement as the posting wrote it (found by retrieval in the
posting's store entries when not given), the kind (given, the posting's own question when it is one
of its Q&A pairs, else read from the wording), and the model answer by the session's own precedence
(``chains.questions.references.resolve_model_answer`` offline: a stored edited answer, the posting's Q&A
answer, the offline one built from the requirement). ``coach critique --posting``, ``coach eval
critic`` on rows with a ``posting`` column and the Coach facade all build it here, so the three
score an answer exactly as the practice loop does.
"""

from __future__ import annotations

import re
from pathlib import Path

from chains.models import Difficulty, Question, QuestionKind
from chains.questions.compose import Spread, from_library, library_question, outline
from chains.questions.planner import question_id
from chains.questions.references import offline_answer, stored_answer
from core.errors import CoachError
from core.text import content_stems
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind
from knowledge.store import PostingStore

_BEHAVIOURAL = re.compile(
    r"\b(tell me about a time|describe a time|a time (when|you)|give (me |us )?an example|walk me through a "
    r"(time|situation|project)|share an example|talk about a time|an occasion when|have you ever)\b",
    re.IGNORECASE,
)
_SITUATIONAL = re.compile(
    r"\b(what would you do|how would you (handle|respond|deal|approach|manage|react)|imagine|suppose|"
    r"you (arrive|find|notice|discover|are asked|get a call|have just)|if you (were|found|noticed|had)|"
    r"on your first (day|week|shift))\b",
    re.IGNORECASE,
)


class UnknownPosting(CoachError):
    """The posting named is neither a stored posting's id nor a readable posting file."""


def infer_kind(question: str) -> QuestionKind:
    """The kind of a question, read from its wording.

    "Tell me about a time" is behavioural, "what would you do if" situational, anything else
    ("how does X work", "how would you build Y") technical.
    """
    if _BEHAVIOURAL.search(question):
        return QuestionKind.BEHAVIOURAL
    if _SITUATIONAL.search(question):
        return QuestionKind.SITUATIONAL
    return QuestionKind.TECHNICAL


def _same_text(left: str, right: str) -> bool:
    a, b = content_stems(left), content_stems(right)
    return bool(a and b) and len(a & b) / len(a | b) >= 0.6


def posting_pair(posting: Posting, question: str) -> QAPair | None:
    """The posting's own Q&A pair asking ``question`` (same content words, give or take a few)."""
    for pair in posting.qa_pairs:
        if " ".join(pair.question.split()).casefold() == " ".join(question.split()).casefold():
            return pair
    return next((pair for pair in posting.qa_pairs if _same_text(pair.question, question)), None)


def find_requirement(
    posting: Posting, store: PostingStore | None, question: str, requirement: str | None
) -> Requirement | None:
    """The requirement a question probes.

    The posting's own item when given (or a new one with that text), else the posting's requirement
    closest to the question (the store's search).
    """
    if requirement and requirement.strip():
        wanted = " ".join(requirement.split())
        for item in posting.requirements:
            if item.text.casefold() == wanted.casefold():
                return item
        close = [item for item in posting.requirements if _same_text(item.text, wanted)]
        return close[0] if close else Requirement(text=wanted, kind=RequirementKind.REQUIRED)
    if store is not None:
        hits = store.search(question, k=1, posting_id=posting.id)
        if hits:
            return hits[0].requirement
    return posting.requirements[0] if posting.requirements else None


def resolve_posting(store: PostingStore, posting: str) -> Posting:
    """A stored posting by id (or unique prefix), or a posting file, ingested into ``store`` first."""
    full = store.resolve_id(posting) if posting.strip() else None
    if full is not None:
        found = store.get(full)
        if found is not None:
            return found
    path = Path(posting)
    if path.is_file():
        from knowledge.parse import parse_file

        parsed = parse_file(path)
        store.ingest(parsed)
        return store.get(parsed.id) or parsed
    raise UnknownPosting(
        f"'{posting}' is neither a stored posting id nor a posting file; run 'coach postings' or give a path"
    )


def own_question(
    posting: Posting,
    text: str,
    store: PostingStore | None,
    requirement: str | None = None,
    kind: QuestionKind | str | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> Question:
    """The question a session would have asked with this text, its reference settled (offline)."""
    text = " ".join(text.split())
    pair = posting_pair(posting, text)
    if kind is None or str(kind).strip() == "":
        chosen = QuestionKind.POSTING if pair is not None else infer_kind(text)
    else:
        chosen = QuestionKind(str(kind).strip().lower())
    target = find_requirement(posting, store, text, requirement)
    requirements = [target] if target is not None else []
    key = target.text if target is not None else text
    question = Question(
        id=question_id(posting.id, key, chosen, difficulty),
        text=text,
        kind=chosen,
        difficulty=difficulty,
        requirements=requirements,
        why=f"Why this question: your own question, about: {key}",
        posting_id=posting.id,
    )
    if chosen is QuestionKind.POSTING and pair is not None:
        question = question.model_copy(
            update={"model_answer": pair.model_answer.strip(), "model_answer_source": "posting"}
        )
    # The session's precedence, offline (resolve_model_answer without a chat model, synchronously):
    # a stored answer for this (posting, question), the posting's own answer, the offline one.
    stored = stored_answer(store, posting.id, question.id) if store is not None else None
    if stored is not None:
        return question.model_copy(update={"model_answer": stored[0], "model_answer_source": stored[1]})
    if not question.model_answer:
        given = kind is not None and str(kind).strip() != ""
        asked = _as_library_question(question, target, given) if target is not None else None
        question = asked or _library_or_outline(question)
    return question


def _as_library_question(question: Question, target: Requirement, kind_given: bool) -> Question | None:
    """The question with the library's guide and example when its text is a library question.

    Its kind is the library's unless the caller named another (then it is not the library's question).
    """
    found = library_question(target, question.text)
    if found is None or kind_given and found[1] is not question.kind:
        return None
    competency, kind, listed_at = found
    composed = from_library(target, competency, kind, listed_at, Spread(), text=question.text)
    return question.model_copy(
        update={
            "id": question_id(question.posting_id, target.text, kind, question.difficulty),
            "kind": kind,
            "model_answer": composed.model_answer,
            "model_answer_source": composed.source,
            "guide": list(composed.guide),
            "competency_id": composed.competency_id,
        }
    )


def _library_or_outline(question: Question) -> Question:
    """The reference an outline gives: what to cover, built from the requirement.

    Not the library's guide: on the interview development set (part A) judging own technical
    questions by a matched competency's guide agreed less with the graders (Spearman 0.75) than
    reading the answer's substance against the outline (0.82), so an own question keeps the outline.
    """
    answer, source = offline_answer(question)
    update: dict[str, object] = {"model_answer": answer, "model_answer_source": source}
    if question.requirements and not question.guide:
        update["guide"] = outline(question.requirements[0], question.kind, question.difficulty)
    return question.model_copy(update=update)
