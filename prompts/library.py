"""The competency library: what interviewers ask about each competency, as data files.

``prompts/competencies/<family>.yaml`` holds one job family (or the cross-role competencies)::

    format: 3                           # the layout of the file (FORMAT); version counts content edits
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
          examples:                     # good answers, original text, each to one question above
            - question: "Describe a time ..."   # exactly as listed under questions
              answer: ...
              guide: [...]              # optional: this question's own 4-7 points
          guides:                       # optional: the points of a question with no example
            "How do you ...?": [4-7 points]   # keyed by the question as listed
        technical:    {questions: ..., guide: [4-7 points: the substance], examples: ...}
        situational:  {questions: ..., guide: [4-7 points: plan, people, risks, check], examples: ...}

An example answers one question, named in the file: a question without an example of its own is
shown with its guide only, never with an answer written for a neighbouring question (format 1 had
one ``example_answer`` per kind, which was shown under every question of the kind). The kind's
``guide`` is written with its first example's question in view, so a question with no example gets
its own points under ``guides`` (format 3): "What is the graduated approach?" is not answered by the
points of "How do you adapt a lesson for a mixed-ability class?", and the critic scores a technical
answer by its question's points. A question may
contain one ``{terms}`` slot, filled with the requirement's own terms (tools, standards, settings) or
``default_terms``. The loader is strict: an unknown or missing key, another format, a guide outside
4-7 points, an example for a question the kind does not list, a duplicate id or a malformed slot
fails at once and names the file and the key.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LIBRARY_DIR = Path(__file__).parent / "competencies"
# The file layout this loader reads. Bump it with a change of keys, and convert every file.
FORMAT = 3
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


class Example(_Strict):
    """A good answer to one question of a kind, original text."""

    question: str = Field(description="The question it answers, exactly as the kind lists it.")
    answer: str = Field(min_length=200)
    guide: list[str] | None = Field(
        default=None, min_length=4, max_length=7,
        description="This question's own points, when the kind's guide is about another question.",
    )


class KindEntry(_Strict):
    """One kind of question about a competency, with its answer guide and example answers."""

    questions: QuestionsByDifficulty
    guide: list[str] = Field(
        min_length=4, max_length=7,
        description="What a strong answer covers: the substance (technical) or the evidence it shows.",
    )
    examples: list[Example] = Field(min_length=1, description="Example answers, each to one question.")
    guides: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The 4-7 points of a question that has no example, keyed by the question as listed.",
    )

    @model_validator(mode="after")
    def _examples_answer_listed_questions(self) -> KindEntry:
        listed = set(self.questions.all())
        with_example = {example.question for example in self.examples}
        for question, points in self.guides.items():
            if question not in listed:
                raise ValueError(f"a guide is for a question the kind does not list: {question!r}")
            if question in with_example:
                raise ValueError(f"a question with an example keeps its guide on the example: {question!r}")
            if not 4 <= len(points) <= 7 or not all(isinstance(p, str) and p.strip() for p in points):
                raise ValueError(f"a question's guide needs 4-7 points: {question!r}")
        seen: set[str] = set()
        for example in self.examples:
            if example.question not in listed:
                raise ValueError(
                    f"an example answers a question the kind does not list: {example.question!r}"
                )
            if example.question in seen:
                raise ValueError(f"two examples answer the same question: {example.question!r}")
            seen.add(example.question)
        return self

    def example_for(self, question: str) -> Example | None:
        """The example written for ``question`` (as listed, before its slot is filled), or None."""
        return next((e for e in self.examples if e.question == question), None)

    def guide_for(self, question: str) -> list[str]:
        """The points a strong answer to ``question`` covers: its example's or its own, else the kind's."""
        example = self.example_for(question)
        if example is not None and example.guide:
            return list(example.guide)
        return list(self.guides.get(question, self.guide))

    def has_own_guide(self, question: str) -> bool:
        """True when ``question``'s guide was written for it (an example, or an entry in ``guides``)."""
        return self.example_for(question) is not None or question in self.guides


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

    format: int = Field(description="The file layout (FORMAT); another value fails with what to do.")
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
    if isinstance(raw, dict) and raw.get("format") != FORMAT:
        raise LibraryError(
            f"{path.name}: format: {raw.get('format')!r} is not the format this loader reads ({FORMAT}); "
            "convert the file (see prompts/library.py for the layout)"
        )
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
