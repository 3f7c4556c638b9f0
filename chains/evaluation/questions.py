"""``coach eval questions``: check that planned questions are grounded, complete, varied, well worded.

For each posting file a full session is planned (one question per requirement, until every
requirement was asked) and checked:
- grounded: the question's requirements belong to the posting and its wording is semantically close
  to the requirement it probes (cosine of the two embeddings >= GROUNDED_THRESHOLD);
- required coverage: a session as long as the number of required items asks about all of them;
- repeats (a requirement asked twice in one cycle) and near-repeats (two questions nearly alike);
- what a person notices (chains.evaluation.question_checks): template openings, the requirement
  quoted verbatim, questions over 45 words, wording and grammar rules, placeholder phrases and a
  phrase said three times in a model answer, the same opening on more than two questions;
- screening items (a degree "or equivalent", travel, application instructions) are not asked: they
  count as handled for required coverage and are reported per posting.

A library question is grounded through its match: the requirement's confidence for the question's
competency (recomputed here from the library) reaches ``MATCH_THRESHOLD``; any other question by the
cosine of its text and the requirement (``GROUNDED_THRESHOLD``).

In LLM mode (``COACH_LLM`` or ``--llm`` is ``provider:model``) each planned question is worded by the
model exactly as a session words it (``chains.llm.wording.word_question``), and the checks run on the
model's wording; a question whose wording failed keeps the offline draft and counts as a fallback.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

import prompts
from chains.evaluation.question_checks import (
    answer_problems,
    foreign_example,
    question_problems,
    same_openings,
)
from chains.llm.factory import get_chat_model
from chains.llm.wording import word_question
from chains.models import Difficulty, Question, QuestionKind
from chains.questions.library import MATCH_THRESHOLD, QUALIFICATION_THRESHOLD, library_index
from chains.questions.planner import (
    GROUNDED_THRESHOLD,
    MERGE_THRESHOLD,
    plan_questions,
    requirement_key,
    screening_items,
)
from chains.questions.qualifications import QUALIFICATION_FAMILY
from core.errors import PostingError
from core.settings import Settings, get_settings
from knowledge.posting import Posting, RequirementKind
from prompts.library import load_library

# Two questions this alike (cosine of their texts) read as the same question asked twice: the same
# opener on two degree lines ("The role asks for “BA/BS degree ...”. Tell me about a time ...") scored
# 0.88-0.90, while distinct questions of the 15 evaluated sessions score at most 0.84. Two questions
# whose requirements are near-duplicates (the planner's MERGE_THRESHOLD) are near-repeats as well.
NEAR_REPEAT_THRESHOLD = 0.85

# Questions worded by the model at once (a session words one at a time; an evaluation of 11 postings
# asks ~150 questions). Small, to stay under hosted providers' rate limits and a local server's slots.
LLM_CONCURRENCY = 4


class QuestionCheck(BaseModel):
    """One planned question and what the checks found."""

    text: str
    kind: str
    requirement: str = Field(description="The requirement the question probes (the first, if several).")
    similarity: float = Field(description="Cosine of question and requirement embeddings.")
    grounded: bool
    problems: list[str] = Field(default_factory=list, description="What a person notices in the question.")
    competency: str = Field(default="", description="The library competency it comes from ('' if none).")
    confidence: float = Field(default=0.0, description="The requirement's match to that competency.")
    model_answer_source: str = Field(default="offline")
    has_example: bool = Field(
        default=False, description="Its model answer is an example answer (not only a guide or outline)."
    )
    answer_problems: list[str] = Field(
        default_factory=list, description="What a person notices in its model answer."
    )
    worded_by: str = Field(default="offline", description="'llm', or 'offline' (templates, the posting).")
    fallback: str | None = Field(default=None, description="Why the model's wording was not used, if so.")


class PostingRow(BaseModel):
    """The checks for one posting."""

    source: str
    posting_id: str
    title: str
    requirements: int
    required: int
    questions: int = Field(description="Length of the full session (one cycle).")
    grounded: float = Field(description="Share of questions that are grounded.")
    required_coverage: float = Field(description="Share of required items asked in a session that long.")
    repeats: int
    near_repeats: int
    wording_problems: int = Field(description="Questions with at least one wording problem.")
    answer_problems: int = Field(default=0, description="Model answers with at least one problem.")
    same_openings: int = Field(default=0, description="Openings used on more than two questions.")
    problems: int = Field(default=0, description="Questions, answers and openings with a problem, summed.")
    library_questions: int = Field(default=0, description="Questions from the competency library.")
    library_examples: int = Field(
        default=0, description="Library questions shown with an example answer written for them."
    )
    screened: list[str] = Field(default_factory=list, description="Screening items not asked, with why.")
    llm_fallbacks: int = Field(default=0, description="Questions the model failed to word (draft kept).")
    checks: list[QuestionCheck] = Field(default_factory=list)


class QuestionEvalReport(BaseModel):
    """Totals over all postings (questions pooled), per-posting rows, and what produced them."""

    grounded: float
    required_coverage: float
    repeats: int
    near_repeats: int
    wording_problems: int
    answer_problems: int = 0
    same_openings: int = 0
    problems: int = Field(default=0, description="Everything a person would notice, summed.")
    library_questions: int = 0
    library_examples: int = 0
    screened: int = 0
    questions: int
    postings: list[PostingRow]
    errors: list[str] = Field(default_factory=list, description="Files that could not be read.")
    thresholds: dict[str, float]
    difficulty: str
    prompt_versions: dict[str, int]
    library_versions: dict[str, int] = Field(default_factory=dict, description="Competency file versions.")
    git_commit: str
    model: str = Field(default="offline", description="What worded the questions: 'offline' or the LLM spec.")
    llm_fallbacks: int = Field(default=0, description="Questions that fell back to offline wording.")


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _session(posting: Posting, vectors: np.ndarray, n: int, difficulty: Difficulty) -> list[Question]:
    items = list(zip(posting.requirements, vectors, strict=True))
    return plan_questions(posting, items, n, difficulty, tuple(QuestionKind), ())


def _one_cycle(questions: list[Question], keys: set[str]) -> list[Question]:
    """The questions up to the one that completes coverage of every requirement."""
    covered: set[str] = set()
    cycle: list[Question] = []
    for question in questions:
        cycle.append(question)
        covered |= {requirement_key(r.text) for r in question.requirements}
        if keys <= covered:
            break
    return cycle


@dataclass
class _Plan:
    """A posting's planned session before the checks: its row so far and the questions to check."""

    posting: Posting
    vectors: np.ndarray
    row: PostingRow
    session: list[Question]
    worded_by: list[str] = field(default_factory=list)
    fallbacks: list[str | None] = field(default_factory=list)


def _plan(posting: Posting, difficulty: Difficulty) -> _Plan:
    """Plan the full session (offline drafts) and measure required coverage, which wording cannot change."""
    from knowledge.embeddings import embed  # lazy: the model costs seconds to load

    requirements = posting.requirements
    vectors = embed([r.text for r in requirements])
    keys = {requirement_key(r.text) for r in requirements}
    keys -= {requirement_key(r.text) for r, _ in screening_items(requirements, vectors)}
    keys = keys or {requirement_key(r.text) for r in requirements}
    required = [r for r in requirements if r.kind == RequirementKind.REQUIRED]
    row = PostingRow(
        source=posting.source, posting_id=posting.id, title=posting.title, requirements=len(requirements),
        required=len(required), questions=0, grounded=1.0, required_coverage=1.0, repeats=0, near_repeats=0,
        wording_problems=0,
    )
    if not requirements:
        return _Plan(posting=posting, vectors=vectors, row=row, session=[])
    session = _one_cycle(_session(posting, vectors, len(requirements), difficulty), keys)
    screened = screening_items(requirements, vectors)
    row.screened = [f"{r.text}: {reason}" for r, reason in screened]
    if required:
        # A screening item is handled by being listed as such; the others must be asked.
        handled = {requirement_key(r.text) for r, _ in screened}
        askable = [r for r in required if requirement_key(r.text) not in handled]
        short = _session(posting, vectors, max(len(askable), 1), difficulty)
        asked = {requirement_key(r.text) for q in short for r in q.requirements} | handled
        row.required_coverage = sum(requirement_key(r.text) in asked for r in required) / len(required)
    return _Plan(posting=posting, vectors=vectors, row=row, session=session,
                 worded_by=["offline"] * len(session), fallbacks=[None] * len(session))


async def _word_plans(plans: Sequence[_Plan], chat_model: BaseChatModel, settings: Settings) -> None:
    """Word every planned question with the model, as a session does; failures keep the draft."""
    gate = asyncio.Semaphore(LLM_CONCURRENCY)

    async def word(plan: _Plan, i: int) -> None:
        draft = plan.session[i]
        if draft.kind == QuestionKind.POSTING:  # asked as the posting wrote it, in LLM mode too
            return
        async with gate:
            # No retrieval tools: the evaluation does not ingest the posting into a store; the prompt
            # already carries the requirement, the draft and the posting excerpt.
            worded, notice = await word_question(
                draft, plan.posting, chat_model=chat_model, settings=settings
            )
        plan.session[i] = worded
        plan.worded_by[i] = "offline" if notice else "llm"
        plan.fallbacks[i] = notice

    await asyncio.gather(*(word(plan, i) for plan in plans for i in range(len(plan.session))))


def _check(plan: _Plan) -> PostingRow:
    """Run the checks on the session's questions as worded (offline drafts or the model's wording)."""
    from knowledge.embeddings import embed  # lazy: the model costs seconds to load

    posting, vectors, row, session = plan.posting, plan.vectors, plan.row, plan.session
    if not session:
        return row
    requirements = posting.requirements
    texts = [q.text for q in session]
    question_vectors = embed(texts)
    own = {requirement_key(r.text): i for i, r in enumerate(requirements)}
    checks: list[QuestionCheck] = []
    seen: set[str] = set()
    posting_questions = {qa.question.strip() for qa in posting.qa_pairs}
    index_of = library_index()
    qualification_ids = {
        c.id for f in load_library().families if f.family == QUALIFICATION_FAMILY for c in f.competencies
    }
    for i, question in enumerate(session):
        probed = question.requirements[0]
        belongs = all(requirement_key(r.text) in own for r in question.requirements)
        index = own.get(requirement_key(probed.text))
        similarity = float(question_vectors[i] @ vectors[index]) if belongs and index is not None else 0.0
        # A question the posting itself lists is grounded in the posting by definition.
        own_question = question.kind == QuestionKind.POSTING and question.text in posting_questions
        confidence = 0.0
        competency = index_of.by_id(question.competency_id) if question.competency_id else None
        if competency is not None and index is not None:
            position = index_of.competencies.index(competency)
            confidence = round(float(index_of.confidences(vectors[index])[position]), 4)
        bar = QUALIFICATION_THRESHOLD if question.competency_id in qualification_ids else MATCH_THRESHOLD
        # Grounded through the match only while the words are the library's: a model's rewording is
        # checked by its cosine to the requirement, like any other text.
        matched = competency is not None and confidence >= bar and plan.worded_by[i] == "offline"
        problems = question_problems(question.text, probed.text, question.kind == QuestionKind.POSTING)
        question_keys = {requirement_key(r.text) for r in question.requirements}
        if question_keys & seen:
            row.repeats += 1
        seen |= question_keys
        checks.append(QuestionCheck(
            text=question.text, kind=question.kind.value, requirement=probed.text,
            similarity=round(similarity, 3),
            grounded=belongs and (similarity >= GROUNDED_THRESHOLD or own_question or matched),
            problems=problems, worded_by=plan.worded_by[i], fallback=plan.fallbacks[i],
            competency=question.competency_id, confidence=confidence,
            model_answer_source=question.model_answer_source,
            has_example=bool(question.model_answer.strip()) and not question.answer_is_guide,
            answer_problems=answer_problems(question.model_answer)
            + [p for p in [foreign_example(question.text, question.model_answer, competency)] if p],
        ))
    alike = question_vectors @ question_vectors.T
    targets = np.stack([vectors[own.get(requirement_key(q.requirements[0].text), 0)] for q in session])
    same_item = targets @ targets.T
    row.near_repeats = int(sum(
        alike[i, j] >= NEAR_REPEAT_THRESHOLD or same_item[i, j] >= MERGE_THRESHOLD
        for i in range(len(session)) for j in range(i + 1, len(session))
    ))
    row.questions = len(session)
    row.grounded = sum(c.grounded for c in checks) / len(checks)
    row.wording_problems = sum(bool(c.problems) for c in checks)
    row.answer_problems = sum(bool(c.answer_problems) for c in checks)
    row.same_openings = len(same_openings(texts))
    row.problems = row.wording_problems + row.answer_problems + row.same_openings
    row.library_questions = sum(c.model_answer_source == "library" for c in checks)
    row.library_examples = sum(c.model_answer_source == "library" and c.has_example for c in checks)
    row.llm_fallbacks = sum(c.fallback is not None for c in checks)
    row.checks = checks
    return row


def _rows(
    postings: Sequence[Posting], difficulty: Difficulty, chat_model: BaseChatModel | None, settings: Settings
) -> list[PostingRow]:
    plans = [_plan(p, difficulty) for p in postings]
    if chat_model is not None:
        # One event loop for every call: the provider's async HTTP client is cached per process and
        # must not outlive the loop it was first used on.
        asyncio.run(_word_plans(plans, chat_model, settings))
    return [_check(plan) for plan in plans]


def evaluate_posting(
    posting: Posting,
    difficulty: Difficulty = Difficulty.MEDIUM,
    chat_model: BaseChatModel | None = None,
    settings: Settings | None = None,
) -> PostingRow:
    """Plan a full session for ``posting`` and check it (worded by ``chat_model`` when given)."""
    return _rows([posting], difficulty, chat_model, settings or get_settings())[0]


def evaluate_postings(
    postings: Sequence[Posting],
    difficulty: Difficulty = Difficulty.MEDIUM,
    errors: Sequence[str] = (),
    llm: str | None = None,
    settings: Settings | None = None,
) -> QuestionEvalReport:
    """Check a full session for every posting; totals pool the questions of all postings.

    ``llm`` ('offline' or 'provider:model') overrides ``settings.llm``; in LLM mode the questions are
    worded by that model. Raises ``SetupError`` when the model cannot be built (before any work).
    Runs its own event loop: call it from synchronous code (or a worker thread).
    """
    settings = settings or get_settings()
    spec = (llm or settings.llm).strip()
    chat_model = get_chat_model(spec, settings)
    rows = _rows(postings, difficulty, chat_model, settings)
    questions = sum(r.questions for r in rows)
    required = sum(r.required for r in rows)
    return QuestionEvalReport(
        grounded=round(sum(r.grounded * r.questions for r in rows) / questions, 4) if questions else 1.0,
        required_coverage=round(sum(r.required_coverage * r.required for r in rows) / required, 4)
        if required else 1.0,
        repeats=sum(r.repeats for r in rows),
        near_repeats=sum(r.near_repeats for r in rows),
        wording_problems=sum(r.wording_problems for r in rows),
        answer_problems=sum(r.answer_problems for r in rows),
        same_openings=sum(r.same_openings for r in rows),
        problems=sum(r.problems for r in rows),
        library_questions=sum(r.library_questions for r in rows),
        library_examples=sum(r.library_examples for r in rows),
        screened=sum(len(r.screened) for r in rows),
        questions=questions,
        postings=rows,
        errors=list(errors),
        thresholds={"grounded": GROUNDED_THRESHOLD, "near_repeat": NEAR_REPEAT_THRESHOLD,
                    "near_duplicate_requirement": MERGE_THRESHOLD, "library_match": MATCH_THRESHOLD},
        difficulty=difficulty.value,
        prompt_versions=prompts.versions(),
        library_versions=load_library().versions(),
        git_commit=_git_commit(),
        model="offline" if chat_model is None else spec,
        llm_fallbacks=sum(r.llm_fallbacks for r in rows),
    )


def evaluate_files(
    paths: Sequence[Path],
    difficulty: Difficulty = Difficulty.MEDIUM,
    llm: str | None = None,
    settings: Settings | None = None,
) -> QuestionEvalReport:
    """Parse each posting file (folders: every supported file in them) and evaluate the sessions."""
    from knowledge.parse import collect_files, parse_file

    settings = settings or get_settings()
    get_chat_model(llm or settings.llm, settings)  # a model that cannot start fails before any parsing
    files, problems = collect_files(list(paths))
    errors = [str(p) for p in problems]
    postings: list[Posting] = []
    for path in files:
        try:
            postings.append(parse_file(path))
        except PostingError as exc:
            errors.append(str(exc))
    return evaluate_postings(postings, difficulty, errors, llm, settings)
