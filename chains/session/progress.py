"""Progress over sessions on one posting: per requirement the best and latest score, a trend, what next.

Built from the session index (``chains.session.index``), which keeps each ended session's score and
its best score per requirement, so no checkpoint is decoded. The session score is the one definition
in ``chains.session.summary.session_score``; a row written before the index kept it falls back to the
mean of its scores in answer order (the best that row knows).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from chains.session.index import SessionRecord

STRONG = 75  # a requirement whose latest score is this or more needs no practice next (the 'strong' band)
PRACTISE_NEXT = 3


class SessionPoint(BaseModel):
    """One ended session on the posting."""

    thread_id: str
    started_at: datetime = Field(description="When the session started (server local time).")
    score: int = Field(description="The session score (mean of the best score per answered requirement).")
    answered: int = Field(description="Requirements answered in the session.")


class RequirementTrend(BaseModel):
    """One requirement across the sessions that answered it."""

    requirement: str
    scores: list[int | None] = Field(
        description="Its best score in each session, oldest first (None: not answered)."
    )
    best: int = Field(description="The best score across sessions.")
    latest: int = Field(description="The score in the most recent session that answered it.")
    change: int | None = Field(
        default=None, description="Latest minus the score the time before; None when answered once."
    )

    @property
    def sessions(self) -> int:
        """How many sessions answered it."""
        return sum(1 for s in self.scores if s is not None)


class Progress(BaseModel):
    """A user's progress on one posting, over their ended sessions."""

    posting_id: str
    sessions: list[SessionPoint] = Field(default_factory=list, description="Oldest first.")
    requirements: list[RequirementTrend] = Field(
        default_factory=list, description="Weakest latest score first (what to practise leads)."
    )
    practise_next: list[str] = Field(
        default_factory=list,
        description="Requirement texts to practise next: latest score below 'strong', weakest first.",
    )

    @property
    def empty(self) -> bool:
        """No ended session scored anything."""
        return not self.sessions


def build_progress(posting_id: str, records: Sequence[SessionRecord]) -> Progress:
    """Progress from the index's records of ended sessions (oldest first)."""
    sessions = [
        SessionPoint(
            thread_id=r.thread_id,
            started_at=datetime.fromtimestamp(r.created_at),
            score=r.score if r.score is not None else round(sum(r.scores) / len(r.scores)),
            answered=len(r.requirements) or len(r.scores),
        )
        for r in records
    ]
    order: list[str] = []  # requirements in the order first answered
    for record in records:
        order += [text for text in record.requirements if text not in order]
    trends = []
    for text in order:
        scores = [record.requirements.get(text) for record in records]
        known = [s for s in scores if s is not None]
        trends.append(
            RequirementTrend(
                requirement=text,
                scores=scores,
                best=max(known),
                latest=known[-1],
                change=known[-1] - known[-2] if len(known) > 1 else None,
            )
        )
    # Weakest latest first; on a tie the one that slipped most, then the order first answered.
    trends.sort(key=lambda t: (t.latest, t.change or 0))
    practise = [t.requirement for t in trends if t.latest < STRONG][:PRACTISE_NEXT]
    return Progress(posting_id=posting_id, sessions=sessions, requirements=trends, practise_next=practise)
