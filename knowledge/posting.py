"""The parsed posting: requirements by kind and the interview Q&A pairs it carries."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, Field


class RequirementKind(StrEnum):
    """What a requirement is; drives the order in which the planner asks about it."""

    RESPONSIBILITY = "responsibility"
    REQUIRED = "required"
    PREFERRED = "preferred"
    SKILL = "skill"


class Requirement(BaseModel):
    """One item of the posting a candidate may be asked about."""

    text: str = Field(description="The item as written in the posting, whitespace-normalised.")
    kind: RequirementKind = Field(description="responsibility, required, preferred or skill.")
    section: str = Field(default="", description="The heading the item was listed under.")
    order: int = Field(default=0, description="Position of the item within the posting (0-based).")


class QAPair(BaseModel):
    """An interview question with its model answer."""

    question: str = Field(description="The question as asked.")
    model_answer: str = Field(description="A strong answer, whole.")
    source: str = Field(default="posting", description="'posting' when the posting carried it.")


class Posting(BaseModel):
    """A job posting as parsed: what the coach grounds every question in."""

    id: str = Field(description="Stable id derived from the cleaned content.")
    title: str = Field(description="Job title.")
    title_from: str = Field(
        default="text",
        description="Where the title was read: 'text' (the posting itself) or 'file name' (a last resort).",
    )
    company: str = Field(default="", description="Hiring company, when known.")
    location: str = Field(default="", description="Location or 'Remote', when known.")
    source: str = Field(default="", description="File name or 'pasted'.")
    text: str = Field(description="The cleaned posting text (boilerplate dropped).")
    requirements: list[Requirement] = Field(default_factory=list)
    qa_pairs: list[QAPair] = Field(default_factory=list)


def posting_id_for(text: str) -> str:
    """Stable id from content: the same cleaned text always gives the same id."""
    normalised = " ".join(text.split()).lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
