"""The downloadable report of one session, as typed data: every exchange, the summary, progress.

``ui.render.report_markdown`` lays it out section by section; a new section (delivery figures, say)
is a field here and a section function there. Built from the checkpointed state, so a report made
on a reopened thread is the same as the one made when the session ended.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from chains.models import Critique, Delivery, Question, SessionSummary
from chains.session.progress import Progress
from chains.session.state import State


class ReportItem(BaseModel):
    """One answered exchange."""

    number: int = Field(description="The question's N in 'Question N of M' (a follow-up: its question's).")
    question: Question = Field(description="The question as asked (a follow-up has is_follow_up set).")
    attempt: int = Field(default=1, description="1 for the first answer to the question, 2 for a retry, ...")
    answer: str = Field(description="The answer as scored.")
    critique: Critique = Field(description="Score, its parts, covered and missing points, advice.")
    reference: Question = Field(
        description="The question whose model answer and guide the answer was judged against "
        "(a follow-up's: the question it followed)."
    )
    delivery: Delivery | None = Field(
        default=None, description="How the answer was spoken (None if typed); never part of the score."
    )


class SessionReport(BaseModel):
    """Everything a person keeps from a session."""

    posting_id: str
    posting_title: str
    company: str = ""
    made_at: datetime = Field(description="When the report was made (server local time).")
    session_number: int = Field(default=1, description="Which of the user's sessions on this posting.")
    score: int | None = Field(description="The session score (``chains.session.summary.session_score``).")
    summary: SessionSummary
    items: list[ReportItem]
    skipped: list[Question] = Field(default_factory=list, description="Questions skipped, never answered.")
    progress: Progress = Field(description="Progress over this user's ended sessions on the posting.")


def build_report(
    state: State,
    summary: SessionSummary,
    progress: Progress,
    *,
    company: str = "",
    session_number: int = 1,
    made_at: datetime | None = None,
) -> SessionReport:
    """The report of the session in ``state``."""
    by_id = {q.id: q for q in state.asked}
    dropped = set(state.dropped_slots)
    kept = sorted({slot for slot in state.slots.values() if slot not in dropped})
    attempts: dict[int | str, int] = {}
    items = []
    main_number = 0
    for item in state.history:
        question = item.question
        reference = by_id.get(question.parent_id, question) if question.is_follow_up else question
        slot = state.slots.get(reference.id)
        if slot is not None and slot in kept:
            number = kept.index(slot) + 1
        else:  # a session checkpointed before places were kept: answer order
            number = main_number + (0 if question.is_follow_up else 1)
        main_number = max(main_number, number)
        place: int | str = slot if slot is not None else reference.id
        if not question.is_follow_up:
            attempts[place] = attempts.get(place, 0) + 1
        items.append(
            ReportItem(
                number=number, question=question, attempt=max(attempts.get(place, 1), 1),
                answer=item.answer, critique=item.critique, reference=reference, delivery=item.delivery,
            )
        )
    answered = {item.reference.id for item in items}
    skipped = [q for q in state.skipped if q.id not in answered]
    return SessionReport(
        posting_id=state.posting_id,
        posting_title=state.posting_title,
        company=company,
        made_at=made_at or datetime.now(),
        session_number=session_number,
        score=summary.overall_score,
        summary=summary,
        items=items,
        skipped=skipped,
        progress=progress,
    )
