"""``coach eval parse``: the parser against hand-written gold annotations of real postings.

A gold file (``bench/data/parse_gold/*.yaml``, described in its README) names a posting, its title
and employer, each requirement with its kind, lines a parser may take or leave (``optional``) and
lines that must never become requirements (``not_requirements``). Per posting and overall (macro
average over postings) the report gives:
- precision and recall of requirements. A parsed requirement matches a gold one when their content
  stems overlap enough (Dice >= MATCH_THRESHOLD), one to one, best pairs first; a parsed item that
  matches an ``optional`` line counts neither way;
- kind accuracy over the matched pairs;
- title and employer accuracy (any accepted answer, case and punctuation ignored), and how many
  titles came from the file name;
- boilerplate taken: parsed requirements that match a ``not_requirements`` line.
A posting the parser refuses scores precision and recall 0, unless its gold says ``refuse: true``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from core.errors import PostingError
from core.text import content_stems
from knowledge.parse import parse_file
from knowledge.posting import Posting

# Dice overlap of content stems at which two lines are the same requirement. 0.6 accepts the same
# line with a lead-in or a trailing "; or" cut differently (measured on the gold set: such pairs
# score 0.75-1.0) and rejects two different bullets of one list (at most 0.45 on the gold set).
MATCH_THRESHOLD = 0.6
KINDS = ("responsibility", "required", "preferred", "skill")
BUNDLED = Path(__file__).resolve().parents[2] / "knowledge" / "postings"


class GoldError(ValueError):
    """A gold file that cannot be used (one line: which file and why)."""


class Gold(BaseModel):
    """One gold annotation, as written in its YAML file."""

    model_config = ConfigDict(extra="forbid")

    source: str
    layout: str
    split: str = "dev"
    title: list[str]
    employer: list[str] | None = None
    responsibility: list[str] = Field(default_factory=list)
    required: list[str] = Field(default_factory=list)
    preferred: list[str] = Field(default_factory=list)
    skill: list[str] = Field(default_factory=list)
    optional: list[str] = Field(default_factory=list)
    not_requirements: list[str] = Field(default_factory=list)
    refuse: bool = False
    unsure: str = ""

    def items(self) -> list[tuple[str, str]]:
        """(text, kind) of every gold requirement."""
        return [(text, kind) for kind in KINDS for text in getattr(self, kind)]


class PostingScore(BaseModel):
    """How the parser did on one posting."""

    name: str
    layout: str
    split: str
    parsed: int = Field(description="Requirements the parser returned.")
    gold: int = Field(description="Requirements in the gold annotation.")
    matched: int
    precision: float
    recall: float
    kind_accuracy: float | None = Field(description="Share of matched pairs whose kind agrees.")
    title: str = ""
    title_ok: bool
    title_from_file_name: bool = False
    employer: str = ""
    employer_ok: bool | None = Field(description="None when the gold names no employer.")
    boilerplate: list[str] = Field(default_factory=list, description="Parsed items matching a not-line.")
    false_items: list[str] = Field(default_factory=list, description="Parsed items matching nothing.")
    missed: list[str] = Field(default_factory=list, description="Gold items nothing matched.")
    wrong_kind: list[str] = Field(default_factory=list, description="'text: parsed kind, gold kind'.")
    error: str | None = None


class Summary(BaseModel):
    """Macro averages over a set of postings."""

    postings: int
    precision: float
    recall: float
    kind_accuracy: float
    title_accuracy: float
    employer_accuracy: float
    titles_from_file_name: int
    boilerplate_taken: int
    refused: int


class ParseEvalReport(BaseModel):
    """The whole evaluation: per posting, overall, per layout and per split."""

    gold_dir: str
    postings_dir: str
    git_commit: str | None
    match_threshold: float = MATCH_THRESHOLD
    scores: list[PostingScore]
    overall: Summary
    by_layout: dict[str, Summary]
    by_split: dict[str, Summary]


def load_gold(folder: Path) -> list[Gold]:
    """Every ``*.yaml`` gold file in ``folder``, sorted by name; a bad file raises ``GoldError``."""
    if not folder.is_dir():
        raise GoldError(f"{folder}: no such folder of gold annotations")
    golds: list[Gold] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            golds.append(Gold.model_validate(data))
        except (yaml.YAMLError, ValueError) as exc:
            first = " ".join(str(exc).split())[:200]
            raise GoldError(f"{path}: not a gold annotation ({first})") from None
    if not golds:
        raise GoldError(f"{folder}: no *.yaml gold annotations in this folder")
    return golds


def resolve(gold: Gold, postings_dir: Path) -> Path:
    """The posting file a gold annotation names."""
    if gold.source.startswith("bundled:"):
        return BUNDLED / gold.source.removeprefix("bundled:")
    return postings_dir / gold.source


def dice(a: str, b: str) -> float:
    """Overlap of two lines' content stems, 0..1."""
    sa, sb = content_stems(a), content_stems(b)
    if not sa or not sb:
        return 1.0 if _norm(a) == _norm(b) else 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def score_posting(gold: Gold, posting: Posting | None, error: str | None, name: str) -> PostingScore:
    """Compare one parse (or its refusal) with its gold annotation."""
    items = gold.items()
    if posting is None:
        ok = gold.refuse
        return PostingScore(
            name=name, layout=gold.layout, split=gold.split, parsed=0, gold=len(items), matched=0,
            precision=1.0 if ok else 0.0, recall=1.0 if ok else 0.0, kind_accuracy=None,
            title_ok=ok, employer_ok=None if gold.employer is None else ok,
            missed=[text for text, _ in items], error=error,
        )
    parsed = [(req.text, req.kind.value) for req in posting.requirements]
    # One to one, best pairs first: gold items and optional lines compete for each parsed item.
    targets = [(text, kind, False) for text, kind in items] + [(text, "", True) for text in gold.optional]
    pairs = sorted(
        (
            (dice(p_text, t_text), i, j)
            for i, (p_text, _) in enumerate(parsed)
            for j, (t_text, _, _) in enumerate(targets)
        ),
        reverse=True,
    )
    taken_p: dict[int, int] = {}
    taken_t: set[int] = set()
    for value, i, j in pairs:
        if value < MATCH_THRESHOLD:
            break
        if i in taken_p or j in taken_t:
            continue
        taken_p[i] = j
        taken_t.add(j)
    matched = [(i, j) for i, j in taken_p.items() if not targets[j][2]]
    neutral = {i for i, j in taken_p.items() if targets[j][2]}
    unmatched = [i for i in range(len(parsed)) if i not in taken_p]
    counted = len(parsed) - len(neutral)
    boilerplate = [
        parsed[i][0]
        for i in range(len(parsed))
        if i not in {m for m, _ in matched}
        and any(dice(parsed[i][0], line) >= MATCH_THRESHOLD for line in gold.not_requirements)
    ]
    wrong_kind = [
        f"{parsed[i][0][:70]}: {parsed[i][1]}, gold {targets[j][1]}"
        for i, j in matched
        if parsed[i][1] != targets[j][1]
    ]
    if gold.refuse:
        precision = recall = 0.0
    else:
        precision = len(matched) / counted if counted else (1.0 if not items else 0.0)
        recall = len(matched) / len(items) if items else 1.0
    employer_ok = None if gold.employer is None else _accepted(posting.company, gold.employer)
    return PostingScore(
        name=name, layout=gold.layout, split=gold.split, parsed=len(parsed), gold=len(items),
        matched=len(matched), precision=round(precision, 4), recall=round(recall, 4),
        kind_accuracy=round(1 - len(wrong_kind) / len(matched), 4) if matched else None,
        title=posting.title, title_ok=_accepted(posting.title, gold.title),
        title_from_file_name=posting.title_from == "file name",
        employer=posting.company, employer_ok=employer_ok, boilerplate=boilerplate,
        false_items=[parsed[i][0] for i in unmatched if parsed[i][0] not in boilerplate],
        missed=[targets[j][0] for j in range(len(items)) if j not in taken_t],
        wrong_kind=wrong_kind,
    )


def _accepted(found: str, accepted: Sequence[str]) -> bool:
    return _norm(found) in {_norm(option) for option in accepted}


def summarise(scores: Sequence[PostingScore]) -> Summary:
    """Macro averages (each posting weighs the same) of ``scores``."""
    n = len(scores)

    def mean(values: Sequence[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    employers = [s.employer_ok for s in scores if s.employer_ok is not None]
    return Summary(
        postings=n,
        precision=mean([s.precision for s in scores]),
        recall=mean([s.recall for s in scores]),
        kind_accuracy=mean([s.kind_accuracy for s in scores if s.kind_accuracy is not None]),
        title_accuracy=mean([float(s.title_ok) for s in scores]),
        employer_accuracy=mean([float(ok) for ok in employers]),
        titles_from_file_name=sum(s.title_from_file_name for s in scores),
        boilerplate_taken=sum(len(s.boilerplate) for s in scores),
        refused=sum(s.error is not None for s in scores),
    )


def evaluate(gold_dir: Path, postings_dir: Path, split: str | None = None) -> ParseEvalReport:
    """Parse every posting the gold files name and score it; ``split`` keeps only that split."""
    golds = load_gold(gold_dir)
    if split is not None:
        golds = [gold for gold in golds if gold.split == split]
        if not golds:
            raise GoldError(f"{gold_dir}: no gold annotation has split '{split}'")
    scores: list[PostingScore] = []
    for gold in golds:
        path = resolve(gold, postings_dir)
        if not path.exists():
            raise GoldError(f"{path}: the posting named by a gold file is missing (see --postings)")
        posting: Posting | None = None
        error: str | None = None
        try:
            posting = parse_file(path)
        except PostingError as exc:
            error = exc.problem
        scores.append(score_posting(gold, posting, error, Path(gold.source).name))
    layouts = sorted({s.layout for s in scores})
    splits = sorted({s.split for s in scores})
    return ParseEvalReport(
        gold_dir=str(gold_dir),
        postings_dir=str(postings_dir),
        git_commit=_git_commit(),
        scores=scores,
        overall=summarise(scores),
        by_layout={name: summarise([s for s in scores if s.layout == name]) for name in layouts},
        by_split={name: summarise([s for s in scores if s.split == name]) for name in splits},
    )


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
