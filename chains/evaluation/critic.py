"""Evaluate the critique scorer against human grades: ``coach eval critic``.

Rows come from a CSV or JSONL file with ``question``, ``model_answer``, ``answer`` and either ``score``
(a numeric human grade) or ``label`` (correct / incorrect). Optional columns give the scorer what the
app gives it: ``requirement``, ``posting_title``, ``difficulty`` (easy/medium/hard), ``scaffold``
(true when the model answer is an offline one built from the requirement), ``kind`` and ``guide``
(points separated by " | ").

Rows with a ``posting`` column instead of ``model_answer`` are scored exactly as the app would score
them: ``posting`` is a stored posting's id or a posting file (ingested into the store first), and the
question is built as a session builds it (``chains.session.own_question``: the requirement given or
found by retrieval, the kind given or read from the question, the model answer by the session's
precedence), then scored by ``score_question``. A ``trap`` (or ``trait``) column names what a row
tests; the report gives the mean error per trap value and per kind. Every row is scored by
``chains.critic.scorer.score_answer`` itself, the scorer the app uses; the only batching is that the texts
of a chunk of rows are encoded together first (``answer_vectors.warm``), which fills the cache the
scorer reads, so a row's score is the same as scoring it alone.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from chains.critic import vectors as answer_vectors
from chains.critic.card import card_problems
from chains.critic.features import split_sentences
from chains.critic.keypoints import key_points
from chains.critic.language import NOT_ENGLISH
from chains.critic.scorer import RUBRIC_PATH, load_rubric, score_answer, score_question
from chains.models import Critique, Difficulty, Question
from core.settings import get_settings

CHUNK_ROWS = 256
POSITIVE_LABELS = frozenset({"correct", "1", "true", "yes", "pass", "right"})
NEGATIVE_LABELS = frozenset({"incorrect", "0", "false", "no", "fail", "wrong"})


class EvalDataError(ValueError):
    """The evaluation file cannot be read as asked; the message says what to fix."""


class EvalRow(BaseModel):
    """One graded answer."""

    question: str
    model_answer: str
    answer: str
    score: float | None = None
    label: bool | None = None
    question_id: str = ""
    requirement: str = ""
    posting_title: str = ""
    difficulty: Difficulty = Difficulty.MEDIUM
    scaffold: bool = False
    kind: str = ""
    guide: list[str] = Field(default_factory=list)
    trait: str = Field(default="", description="What the row tests (the dev set's 'trap' column).")
    row_id: str = ""
    asked: Question | None = Field(default=None, description="The question as a session built it.")

    def critique(self) -> Critique:
        """The scorer's critique of this row, with the inputs the app would give it."""
        if self.asked is not None:
            return score_question(self.asked, self.answer, self.posting_title or None)
        return score_answer(
            self.question, self.model_answer, self.answer, requirement=self.requirement or None,
            difficulty=self.difficulty, scaffold=self.scaffold, posting_title=self.posting_title or None,
            kind=self.kind or None, guide=tuple(self.guide),
        )


class WorstQuestion(BaseModel):
    """A question where the critic disagrees most with the human grades."""

    question: str
    n: int
    error: float = Field(description="Mean absolute error (grades) or share misclassified (labels).")


class GroupError(BaseModel):
    """How far the critic's scores are from the human grades on one group of rows (a trap, a kind)."""

    n: int
    mean_grade: float
    mean_score: float
    mean_error: float = Field(description="Mean of score - grade (positive: the critic is too generous).")
    mean_abs_error: float = Field(description="Mean |score - grade|, in grade points.")


class CriticReport(BaseModel):
    """What ``coach eval critic --json`` prints."""

    data: str
    filters: dict[str, str] = Field(default_factory=dict)
    n: int
    kind: str = Field(description="'labels' or 'grades'.")
    roc_auc: float | None = None
    accuracy: float | None = None
    macro_f1: float | None = None
    threshold: float | None = Field(default=None, description="score >= threshold means correct.")
    pearson: float | None = None
    spearman: float | None = None
    rmse: float | None = None
    calibration: str = ""
    worst_questions: list[WorstQuestion] = Field(default_factory=list)
    by_trait: dict[str, GroupError] = Field(
        default_factory=dict, description="Raw score vs grade per trap value ('' = no trap)."
    )
    by_kind: dict[str, GroupError] = Field(default_factory=dict, description="Raw score vs grade per kind.")
    unscored: int = Field(default=0, description="Rows the critic declined to score (not in English).")
    card_problems: list[str] = Field(
        default_factory=list, description="Rows whose card breaks a card rule (chains.critic.card), with why."
    )
    seconds_per_answer: float
    prompt_versions: dict[str, int] = Field(default_factory=dict)
    rubric: dict[str, Any] = Field(default_factory=dict)
    git_commit: str = ""
    model: str = Field(
        default="all-MiniLM-L6-v2 (offline rubric scorer)",
        description="What produced the scores: the offline rubric scorer, in every mode.",
    )
    llm: str = Field(
        default="offline",
        description="The configured chat model (COACH_LLM). It words critiques in the app but never sets "
        "the score, so it does not change these numbers.",
    )


def parse_pairs(text: str | None, option: str) -> dict[str, str]:
    """'a=b,c=d' into a dict; a malformed item raises with the option's name."""
    pairs: dict[str, str] = {}
    if not text:
        return pairs
    for item in text.split(","):
        if "=" not in item or not item.split("=", 1)[0].strip():
            raise EvalDataError(f"{option}: '{item}' is not name=value")
        key, value = item.split("=", 1)
        pairs[key.strip()] = value.strip()
    return pairs


def _read_records(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise EvalDataError(f"{path}: no such file")
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        records = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append({k: "" if v is None else str(v) for k, v in json.loads(line).items()})
                except json.JSONDecodeError as exc:
                    raise EvalDataError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        return records
    if path.suffix.lower() in {".csv", ".tsv"}:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else ","))
    raise EvalDataError(f"{path}: expected a .csv, .tsv or .jsonl file")


def _parse_label(value: str, where: str) -> bool:
    low = value.strip().lower()
    if low in POSITIVE_LABELS:
        return True
    if low in NEGATIVE_LABELS:
        return False
    raise EvalDataError(f"{where}: label '{value}' is neither correct nor incorrect")


def load_rows(
    path: Path,
    mapping: dict[str, str] | None = None,
    filters: dict[str, str] | None = None,
    limit: int | None = None,
) -> list[EvalRow]:
    """Read, rename (``mapping`` old=new), filter (col=value) and validate evaluation rows."""
    mapping = mapping or {}
    filters = filters or {}
    records = _read_records(path)
    if not records:
        raise EvalDataError(f"{path}: no rows")
    renamed = [{mapping.get(k, k): v for k, v in r.items()} for r in records]
    columns = set(renamed[0])
    for column in filters:
        if column not in columns and column not in {k for r in records for k in r}:
            raise EvalDataError(f"{path}: --filter column '{column}' not found (columns: {sorted(columns)})")
    by_posting = "posting" in columns and "model_answer" not in columns
    needed = {"question", "answer", "posting"} if by_posting else {"question", "model_answer", "answer"}
    if not needed <= columns:
        raise EvalDataError(
            f"{path}: missing column(s) {sorted(needed - columns)}; rename with --map old=new "
            f"(columns: {sorted(columns)})"
        )
    if "score" not in columns and "label" not in columns:
        raise EvalDataError(f"{path}: needs a 'score' or a 'label' column (use --map to rename one)")
    rows: list[EvalRow] = []
    builder = _QuestionBuilder() if by_posting else None
    for number, (raw, record) in enumerate(zip(records, renamed, strict=True), 2):
        if any((record.get(c, raw.get(c, "")) or "") != v for c, v in filters.items()):
            continue
        where = f"{path}:{number}"
        grade: float | None = None
        label: bool | None = None
        if "label" in record:
            label = _parse_label(record["label"], where)
        else:
            try:
                grade = float(record["score"])
            except ValueError as exc:
                raise EvalDataError(f"{where}: score '{record['score']}' is not a number") from exc
        try:
            difficulty = Difficulty((record.get("difficulty") or "medium").strip().lower())
        except ValueError:
            level = record["difficulty"]
            raise EvalDataError(f"{where}: difficulty '{level}' is not easy, medium or hard") from None
        kind = (record.get("kind") or "").strip().lower()
        guide = [p.strip() for p in (record.get("guide") or "").split(" | ") if p.strip()]
        common: dict[str, Any] = {
            "answer": record["answer"], "score": grade, "label": label, "difficulty": difficulty,
            "trait": (record.get("trap") or record.get("trait") or "").strip(),
            "row_id": record.get("id") or str(number - 1),
        }
        if builder is not None:
            asked, title = builder.build(record, difficulty, kind, guide, where)
            row = EvalRow(
                question=asked.text, model_answer=asked.model_answer, question_id=asked.id,
                requirement=asked.requirements[0].text if asked.requirements else "", posting_title=title,
                scaffold=asked.model_answer_source == "offline", kind=asked.kind.value,
                guide=list(asked.guide), asked=asked, **common,
            )
        else:
            row = EvalRow(
                question=record["question"], model_answer=record["model_answer"],
                question_id=record.get("question_id") or record["question"],
                requirement=record.get("requirement") or "", posting_title=record.get("posting_title") or "",
                scaffold=_parse_label(record["scaffold"], where) if record.get("scaffold") else False,
                kind=kind, guide=guide, **common,
            )
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        raise EvalDataError(f"{path}: no rows left after --filter {filters}")
    return rows


class _QuestionBuilder:
    """Builds each row's question as a session would, opening the store and each posting once."""

    def __init__(self) -> None:
        self._store: Any = None
        self._postings: dict[str, Any] = {}

    def build(
        self, record: dict[str, str], difficulty: Difficulty, kind: str, guide: list[str], where: str
    ) -> tuple[Question, str]:
        from chains.models import QuestionKind
        from chains.session.own_question import UnknownPosting, own_question, resolve_posting
        from knowledge.store import open_store

        if self._store is None:
            self._store = open_store()
        name = (record.get("posting") or "").strip()
        if name not in self._postings:
            try:
                self._postings[name] = resolve_posting(self._store, name)
            except UnknownPosting as exc:
                raise EvalDataError(f"{where}: {exc}") from None
        posting = self._postings[name]
        try:
            chosen = QuestionKind(kind) if kind else None
        except ValueError:
            names = [k.value for k in QuestionKind]
            raise EvalDataError(f"{where}: kind '{kind}' is not one of {names}") from None
        asked = own_question(
            posting, record["question"], self._store, requirement=record.get("requirement") or None,
            kind=chosen, difficulty=difficulty,
        )
        if guide:
            asked = asked.model_copy(update={"guide": guide})
        return asked, posting.title


def texts_to_encode(row: EvalRow) -> list[str]:
    """Every text ``score_answer`` will encode for this row (so a batch can encode them first)."""
    answer = row.answer.strip()
    rubric = load_rubric()
    answer = answer[: rubric.max_answer_chars]
    sentences = split_sentences(answer)[: rubric.max_answer_sentences]
    if 1 < len(sentences) <= 3:
        sentences.append(answer)
    extra = [t.strip() for t in (row.requirement, row.posting_title) if t.strip()]
    return [*key_points(row.model_answer), *(sentences or [answer]), row.question.strip(), *extra]


def critique_rows(rows: list[EvalRow], progress: Callable[[int], None] | None = None) -> list[Critique]:
    """Critiques of record for ``rows``, encoding each chunk's texts in one batch first."""
    critiques: list[Critique] = []
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        answer_vectors.warm([t for row in chunk for t in texts_to_encode(row) if t])
        for row in chunk:
            critiques.append(row.critique())
            if progress is not None:
                progress(1)
    return critiques


def score_rows(rows: list[EvalRow], progress: Callable[[int], None] | None = None) -> list[int]:
    """Scores of record for ``rows`` (see ``critique_rows``)."""
    return [c.score for c in critique_rows(rows, progress)]


def _group_errors(
    rows: list[EvalRow], scores: np.ndarray, key: Callable[[EvalRow], str]
) -> dict[str, GroupError]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[key(row)].append(i)
    out: dict[str, GroupError] = {}
    for name in sorted(groups):
        idx = groups[name]
        grades = np.array([rows[i].score for i in idx], dtype=float)
        diff = scores[idx] - grades
        out[name] = GroupError(
            n=len(idx), mean_grade=round(float(grades.mean()), 1),
            mean_score=round(float(scores[idx].mean()), 1),
            mean_error=round(float(diff.mean()), 1), mean_abs_error=round(float(np.abs(diff).mean()), 1),
        )
    return out


def roc_auc(labels: Iterable[bool], scores: Iterable[float]) -> float:
    """Area under the ROC curve (ties count half)."""
    from scipy.stats import rankdata

    y = np.asarray(list(labels), dtype=bool)
    s = np.asarray(list(scores), dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _macro_f1(y: np.ndarray, predicted: np.ndarray) -> float:
    f1s = []
    for cls in (True, False):
        tp = int(((predicted == cls) & (y == cls)).sum())
        fp = int(((predicted == cls) & (y != cls)).sum())
        fn = int(((predicted != cls) & (y == cls)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def _isotonic_cv(rows: list[EvalRow], scores: np.ndarray, folds: int = 5) -> np.ndarray:
    """Predicted grades from a monotone map of the score, fitted on other questions (grouped CV)."""
    from sklearn.isotonic import IsotonicRegression

    grades = np.array([r.score for r in rows], dtype=float)
    groups = sorted({r.question_id for r in rows})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    row_fold = np.array([fold_of[r.question_id] for r in rows])
    predicted = np.zeros(len(rows))
    for fold in range(folds):
        test = row_fold == fold
        train = ~test
        if not test.any():
            continue
        if not train.any():  # one question only: fit on itself rather than fail
            train = test
        model = IsotonicRegression(out_of_bounds="clip").fit(scores[train], grades[train])
        predicted[test] = model.predict(scores[test])
    return predicted


def _cap_values() -> dict[str, int]:
    rubric = load_rubric()
    caps = rubric.caps
    return {
        "empty answer": 0, "non-answer": caps.non_answer, "repeats the question": caps.repeats_question,
        "keyword list without sentences": caps.keyword_list,
        "off-topic": max(caps.off_topic, rubric.experience.caps["off_topic"]),
        "contradicts the requirement": rubric.experience.caps["denies_requirement"],
    }


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=RUBRIC_PATH.parents[1], check=False,
        )
        return out.stdout.strip()
    except OSError:
        return ""


def _prompt_versions() -> dict[str, int]:
    try:
        from prompts import versions

        return versions()
    except Exception:  # noqa: BLE001 - a broken prompt must not hide the evaluation's numbers
        return {}


def _round(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def evaluate(
    rows: list[EvalRow],
    data: str,
    filters: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    worst: int = 5,
    llm: str | None = None,
    rows_out: Path | None = None,
) -> CriticReport:
    """Score every row and compare with the human grades or labels.

    ``llm`` (default: the configured ``COACH_LLM``) is only recorded: the score of record comes from
    the offline rubric scorer whatever chat model is configured.
    """
    started = time.perf_counter()
    critiques = critique_rows(rows, progress)
    elapsed = time.perf_counter() - started
    cap_values = _cap_values()
    problems = [
        f"{row.row_id or i + 1}: {problem}"
        for i, (row, critique) in enumerate(zip(rows, critiques, strict=True))
        for problem in card_problems(critique, row.answer, cap_values)
    ]
    unscored = [i for i, c in enumerate(critiques) if NOT_ENGLISH in c.flags]
    all_rows, all_critiques = rows, critiques
    if unscored and len(unscored) < len(rows):
        # The critic says plainly it does not score these; they are counted, not compared.
        rows = [r for i, r in enumerate(rows) if i not in set(unscored)]
        critiques = [c for i, c in enumerate(critiques) if i not in set(unscored)]
    scores = np.array([c.score for c in critiques], dtype=float)
    if rows_out is not None:
        rows_out.parent.mkdir(parents=True, exist_ok=True)
        with rows_out.open("w", encoding="utf-8") as handle:
            for critique in all_critiques:
                handle.write(json.dumps(critique.model_dump(mode="json"), ensure_ascii=False) + "\n")
    rubric = load_rubric()
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_question[row.question_id].append(i)
    report: dict[str, Any] = {
        "data": data, "filters": filters or {}, "n": len(rows), "unscored": len(all_rows) - len(rows),
        "card_problems": problems,
        "seconds_per_answer": round(elapsed / len(rows), 5), "prompt_versions": _prompt_versions(),
        "rubric": rubric.model_dump(), "git_commit": _git_commit(),
        "llm": (llm or get_settings().llm).strip(),
    }
    if all(r.label is not None for r in rows):
        y = np.array([bool(r.label) for r in rows])
        threshold = float(rubric.pass_threshold)
        predicted = scores >= threshold
        errors = predicted != y
        report.update(
            kind="labels", roc_auc=_round(roc_auc(y, scores)), accuracy=_round(float((~errors).mean())),
            macro_f1=_round(_macro_f1(y, predicted)), threshold=threshold,
        )
        per_question = {q: float(errors[idx].mean()) for q, idx in by_question.items()}
    elif all(r.score is not None for r in rows):
        from scipy.stats import pearsonr, spearmanr

        grades = np.array([r.score for r in rows], dtype=float)
        predicted_grades = _isotonic_cv(rows, scores)
        constant = np.std(predicted_grades) == 0 or np.std(grades) == 0
        report.update(
            kind="grades",
            pearson=None if constant else _round(float(pearsonr(predicted_grades, grades)[0])),
            spearman=None if np.std(scores) == 0 else _round(float(spearmanr(scores, grades)[0])),
            rmse=_round(float(np.sqrt(np.mean((predicted_grades - grades) ** 2)))),
            calibration="isotonic map score->grade, 5-fold cross-validation grouped by question",
        )
        abs_err = np.abs(predicted_grades - grades)
        per_question = {q: float(abs_err[idx].mean()) for q, idx in by_question.items()}
        if any(r.trait for r in rows):
            report["by_trait"] = _group_errors(rows, scores, lambda r: r.trait)
        if any(r.kind for r in rows):
            report["by_kind"] = _group_errors(rows, scores, lambda r: r.kind)
    else:
        raise EvalDataError(f"{data}: every row needs a label, or every row a score (not a mix)")
    text_of = {r.question_id: r.question for r in rows}
    ranked = sorted(per_question.items(), key=lambda kv: (-kv[1], kv[0]))[:worst]
    report["worst_questions"] = [
        WorstQuestion(question=text_of[q], n=len(by_question[q]), error=round(e, 4)) for q, e in ranked
    ]
    return CriticReport.model_validate(report)


def compare_reports(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any, float | None]]:
    """Metric rows (name, old, new, new - old) for two saved reports."""
    names = ["n", "roc_auc", "accuracy", "macro_f1", "threshold", "pearson", "spearman", "rmse",
             "seconds_per_answer"]
    rows = []
    for name in names:
        a, b = old.get(name), new.get(name)
        if a is None and b is None:
            continue
        delta = round(b - a, 4) if isinstance(a, int | float) and isinstance(b, int | float) else None
        rows.append((name, a, b, delta))
    old_version = (old.get("rubric") or {}).get("version")
    new_version = (new.get("rubric") or {}).get("version")
    rows.append(("rubric version", old_version, new_version, None))
    rows.append(("git commit", old.get("git_commit"), new.get("git_commit"), None))
    return rows
