"""The competency library: what interviewers ask about each competency, as data files.

``prompts/competencies/<family>.yaml`` holds one job family (or the cross-role competencies)::

    version: 1
    family: finance_accounting
    title: Finance and accounting
    competencies:
      - id: account_reconciliation
        name: Account reconciliation
        description: Tying balances to their source records and clearing the differences.
        phrasings:                      # how postings ask for it (matched by embeddings)
          - Experience reconciling balance sheet accounts
          - ...
        default_terms: the ledgers       # fills {terms} when the requirement names nothing specific
        slot_names: [Xero, Sage]         # the requirement's names that may fill {terms} instead
        behavioural:
          questions: {easy: [...], medium: [...], hard: [...]}
          guide: [4-7 points: the evidence a strong answer shows]
          example_answer: one good answer, original text
        technical:    {questions: ..., guide: [4-7 points: the substance], example_answer: ...}
        situational:  {questions: ..., guide: [4-7 points: plan, people, risks, check], example_answer: ...}

A question may contain one ``{terms}`` slot, filled with the requirement's own terms (tools,
standards, settings) or ``default_terms``. The loader is strict: an unknown or missing key, a guide
outside 4-7 points, a duplicate id or a malformed slot fails at once and names the file and the key.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LIBRARY_DIR = Path(__file__).parent / "competencies"
SLOT = "{terms}"
_BRACES = re.compile(r"[{}]")


class LibraryError(Exception):
    """A competency file is missing, malformed or inconsistent."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionsByDifficulty(_Strict):
    """Questions worded as an interviewer says them, by difficulty."""

    easy: list[str] = Field(min_length=1)
    medium: list[str] = Field(min_length=1)
    hard: list[str] = Field(min_length=1)

    @field_validator("easy", "medium", "hard")
    @classmethod
    def _well_formed(cls, questions: list[str]) -> list[str]:
        for text in questions:
            if not text.strip():
                raise ValueError("a question is empty")
            if _BRACES.search(text.replace(SLOT, "")):
                raise ValueError(f"only the {SLOT} slot may use braces: {text!r}")
            if text.count(SLOT) > 1:
                raise ValueError(f"at most one {SLOT} slot per question: {text!r}")
        return questions

    def all(self) -> list[str]:
        """Every question, easy first."""
        return [*self.easy, *self.medium, *self.hard]


class KindEntry(_Strict):
    """One kind of question about a competency, with its answer guide and an example answer."""

    questions: QuestionsByDifficulty
    guide: list[str] = Field(
        min_length=4, max_length=7,
        description="What a strong answer covers: the substance (technical) or the evidence it shows.",
    )
    example_answer: str = Field(min_length=200, description="One answer of good quality, original text.")


class Competency(_Strict):
    """One competency: how postings name it, what is asked about it and what a strong answer holds."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    description: str
    phrasings: list[str] = Field(min_length=3, description="Example requirement phrasings, for matching.")
    default_terms: str = Field(default="", description="Fills {terms} when the requirement names none.")
    slot_names: list[str] = Field(
        default_factory=list,
        description="Names that read naturally in the {terms} slot (tools, standards); a requirement's own "
        "names fill the slot only when they are among these, else default_terms does.",
    )
    behavioural: KindEntry
    technical: KindEntry
    situational: KindEntry

    @model_validator(mode="after")
    def _slot_has_default(self) -> Competency:
        for kind in (self.behavioural, self.technical, self.situational):
            if any(SLOT in q for q in kind.questions.all()) and not self.default_terms:
                raise ValueError(f"'{self.id}' uses {SLOT} but has no default_terms")
        return self


class FamilyFile(_Strict):
    """One file of the library."""

    version: int = Field(ge=1, description="Bumped on every change; recorded in evaluation reports.")
    family: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    competencies: list[Competency] = Field(min_length=1)


class Library(BaseModel):
    """Every family file, loaded and checked together."""

    families: list[FamilyFile]

    @property
    def competencies(self) -> list[Competency]:
        """All competencies, in file order."""
        return [c for family in self.families for c in family.competencies]

    def versions(self) -> dict[str, int]:
        """Family to version, recorded in evaluation reports."""
        return {family.family: family.version for family in self.families}


def load_file(path: Path) -> FamilyFile:
    """Read and validate one family file; errors name the file and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LibraryError(f"{path.name}: cannot read: {exc}") from exc
    try:
        family = FamilyFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LibraryError(f"{path.name}: {where}: {first['msg']}") from exc
    if family.family != path.stem:
        raise LibraryError(f"{path.name}: family '{family.family}' does not match the file name")
    return family


@cache
def load_library(directory: Path = LIBRARY_DIR) -> Library:
    """Every ``*.yaml`` file under ``directory``; competency ids are unique across files."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise LibraryError(f"no competency files in {directory}")
    families = [load_file(path) for path in files]
    seen: dict[str, str] = {}
    for family in families:
        for competency in family.competencies:
            if competency.id in seen:
                other = seen[competency.id]
                raise LibraryError(f"{family.family}.yaml: id '{competency.id}' is also in {other}.yaml")
            seen[competency.id] = family.family
    return Library(families=families)


if __name__ == "__main__":  # python -m prompts.library: check the files and count them
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else LIBRARY_DIR
    try:
        library = load_library(folder)
    except LibraryError as error:
        print(f"error: {error}")
        raise SystemExit(1) from None
    for fam in library.families:
        print(f"{fam.family:32} v{fam.version}  {len(fam.competencies)} competencies")
    print(f"total: {len(library.competencies)} competencies in {len(library.families)} files")
