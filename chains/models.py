"""Typed data that crosses module borders in the interview: questions, critiques, summaries."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from knowledge.posting import Requirement


class QuestionKind(StrEnum):
    """The style of a question."""

    BEHAVIOURAL = "behavioural"
    TECHNICAL = "technical"
    SITUATIONAL = "situational"
    POSTING = "posting"  # asked as the posting itself wrote it, with its model answer


class Difficulty(StrEnum):
    """Changes the wording and what a good answer must contain."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


def guide_text(points: Sequence[str]) -> str:
    """A guide as one text, a sentence per point: the model answer of a question with no example."""
    return " ".join(point.rstrip(".") + "." for point in points)


class Question(BaseModel):
    """One planned interview question with the requirement(s) it probes."""

    id: str = Field(description="Stable id: same posting, requirement, kind and difficulty, same id.")
    text: str = Field(description="The question as shown to the candidate.")
    kind: QuestionKind
    difficulty: Difficulty
    requirements: list[Requirement] = Field(description="The posting items this question probes.")
    why: str = Field(description="'Why this question: ...' naming the requirement it probes.")
    model_answer: str = Field(default="", description="The reference a strong answer is compared with.")
    model_answer_source: str = Field(
        default="offline",
        description="'library' (the competency's example answer), 'posting', 'llm', 'edited', or 'offline' "
        "(no competency matched: an outline of what a strong answer covers, built from the requirement).",
    )
    competency_id: str = Field(
        default="", description="The competency library entry the question comes from ('' if none matched)."
    )
    guide: list[str] = Field(
        default_factory=list,
        description="What a strong answer covers (the library's answer guide); shown with the model answer.",
    )
    is_follow_up: bool = Field(default=False, description="True for a follow-up probing a gap.")
    posting_id: str = Field(default="", description="The posting the session belongs to.")
    parent_id: str = Field(default="", description="For a follow-up: the id of the question it follows.")

    @property
    def answer_is_guide(self) -> bool:
        """True when the model answer is the guide itself: no example answer exists for this question.

        An outline built from the requirement, and a library question whose competency has no example
        written for it, are shown as the list of points only.
        """
        return bool(self.guide) and self.model_answer.strip() == guide_text(self.guide)


class SubScores(BaseModel):
    """The rubric's parts, each 0-100."""

    coverage: int = Field(ge=0, le=100, description="Share of the model answer's key points covered.")
    relevance: int = Field(ge=0, le=100, description="How closely the answer addresses the requirement.")
    specificity: int = Field(ge=0, le=100, description="Concrete details, names, numbers: evidence.")
    structure: int = Field(ge=0, le=100, description="Situation, task, action, result (STAR) present.")
    results: int = Field(ge=0, le=100, description="A measured outcome is stated.")


class CoveredPoint(BaseModel):
    """A key point of the model answer that the answer covers, with the words that cover it."""

    point: str = Field(description="The key point, from the model answer.")
    evidence: str = Field(description="The answer's sentence that covers it, verbatim.")
    similarity: float = Field(ge=-1, le=1, description="How closely the evidence matches the point.")


# Flags that cap the score (the answer was treated as a non-answer); any other flag is a note, such
# as "long answer: only the first 20000 characters were read", which caps nothing.
CAP_FLAGS = frozenset(
    {
        "empty answer", "non-answer", "repeats the question", "keyword list without sentences", "off-topic",
        "contradicts the requirement", "not in English", "padded with unrelated numbers or small talk",
        "skips or waves away a check or safeguard",
        "skips a check or safeguard",  # its name before rubric v9, on critiques stored earlier
    }
)


class Critique(BaseModel):
    """The score of record and its evidence. Deterministic: same input, same critique."""

    score: int = Field(ge=0, le=100, description="Overall score, 0-100.")
    band: str = Field(description="'strong' (>=75), 'fair' (>=45) or 'weak'.")
    subscores: SubScores
    covered: list[CoveredPoint] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Key points the answer did not cover.")
    improvements: list[str] = Field(default_factory=list, description="2-3 concrete next steps.")
    flags: list[str] = Field(
        default_factory=list,
        description="Why the score was capped (CAP_FLAGS, e.g. 'off-topic'); notes (a long answer cut).",
    )
    narrative: str = Field(default="", description="Prose explaining the evidence; never changes the score.")
    judged_as: str = Field(
        default="knowledge",
        description="'knowledge' (coverage of the reference's key points) or 'experience' (an interviewer's "
        "rubric: on topic, the parts of a strong answer, specificity, ownership, length).",
    )

    @property
    def caps(self) -> list[str]:
        """The flags that capped the score."""
        return [flag for flag in self.flags if flag in CAP_FLAGS]

    @property
    def notes(self) -> list[str]:
        """The flags that are only notes (nothing was capped by them)."""
        return [flag for flag in self.flags if flag not in CAP_FLAGS]


class RequirementProgress(BaseModel):
    """One row of the session summary."""

    requirement: Requirement
    asked: bool
    best_score: int | None = None
    attempts: int = 0
    screening: str = Field(
        default="", description="Why a practice session does not ask about it (a screening item), or ''."
    )


class AreaNote(BaseModel):
    """A strongest or weakest area with what to practise next."""

    requirement: str
    score: int
    advice: str


class LongPause(BaseModel):
    """A silence inside a spoken answer long enough to notice."""

    start_s: float = Field(ge=0, description="Where the pause starts: seconds into the recording.")
    length_s: float = Field(gt=0, description="How long it lasts, in seconds.")


class Delivery(BaseModel):
    """How a spoken answer was delivered. Shown beside the critique; never part of the content score."""

    duration_s: float = Field(ge=0, description="Length of the recording, in seconds.")
    words: int = Field(ge=0, description="Words spoken (fillers included).")
    words_per_minute: float | None = Field(
        default=None, description="Pace over the speaking time (long pauses left out); None under 5 words."
    )
    fillers: dict[str, int] = Field(
        default_factory=dict, description="Count per filler ('um', 'uh', 'you know', 'like' as a filler)."
    )
    long_pauses: list[LongPause] = Field(default_factory=list, description="Silences of 3 s or more.")
    tip: str = Field(default="", description="One line: the most useful thing to change next time.")


class DeliveryOverview(BaseModel):
    """Delivery over the spoken answers of a session."""

    answers: int = Field(ge=1, description="Spoken answers in the session.")
    mean_duration_s: float
    words_per_minute: float | None = Field(default=None, description="Pace over all spoken words.")
    fillers: dict[str, int] = Field(default_factory=dict, description="Count per filler, all answers.")
    fillers_per_minute: float = Field(ge=0, description="Fillers per minute of speaking time.")
    long_pauses: int = Field(ge=0, description="Long pauses, all answers.")
    tip: str = ""


class SessionSummary(BaseModel):
    """End-of-session report: data for the app's chart and Markdown for download."""

    posting_id: str
    posting_title: str
    overall_score: int | None
    answered: int
    rows: list[RequirementProgress]
    strongest: list[AreaNote]
    weakest: list[AreaNote]
    scores_over_session: list[int] = Field(description="Scores in the order the answers were given.")
    markdown: str
    delivery: DeliveryOverview | None = Field(
        default=None, description="Delivery over the session's spoken answers (None if none was spoken)."
    )
