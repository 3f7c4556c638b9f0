"""The critic evaluation: batched scoring equals score_answer, metrics, data loading."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from chains.critic import vectors as answer_vectors
from chains.critic.scorer import score_answer
from chains.evaluation.critic import (
    EvalDataError,
    EvalRow,
    compare_reports,
    evaluate,
    load_rows,
    roc_auc,
    score_rows,
)
from tests.conftest import SEMEVAL_CSV, need_shared

SEMEVAL_MAP = {"reference_answer": "model_answer", "student_answer": "answer", "label_2way": "label"}


def test_batched_eval_scores_equal_score_answer_on_semeval_rows() -> None:
    rows = load_rows(need_shared(SEMEVAL_CSV), SEMEVAL_MAP, {"split": "test-unseen-questions"})
    sample = random.Random(7).sample(rows, 40)
    answer_vectors.clear_cache()
    alone = []
    for row in sample:
        answer_vectors.clear_cache()  # each row encoded on its own, as in the app
        alone.append(score_answer(row.question, row.model_answer, row.answer).score)
    answer_vectors.clear_cache()
    batched = score_rows(sample)  # all rows of the chunk encoded in one batch first
    assert batched == alone


def test_labels_report_has_the_metrics(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    rows = [
        ("What makes a bulb light?", "The bulb is in a closed path with the battery.",
         "It is in a closed path with a battery.", "correct"),
        ("What makes a bulb light?", "The bulb is in a closed path with the battery.",
         "the bulb is blue", "incorrect"),
        ("Why does ice float?", "Ice is less dense than liquid water.",
         "Because ice is less dense than water.", "correct"),
        ("Why does ice float?", "Ice is less dense than liquid water.", "I don't know", "incorrect"),
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "reference_answer", "student_answer", "label_2way"])
        writer.writerows(rows)
    loaded = load_rows(path, SEMEVAL_MAP)
    report = evaluate(loaded, str(path))
    assert report.n == 4
    assert report.kind == "labels"
    assert report.roc_auc == 1.0
    assert report.accuracy is not None and report.macro_f1 is not None
    assert report.threshold == report.rubric["pass_threshold"]
    assert report.rubric["version"] >= 1
    assert report.seconds_per_answer > 0
    assert report.worst_questions and report.worst_questions[0].n == 2


def test_grades_report_uses_cross_validated_isotonic_map(tmp_path: Path) -> None:
    path = tmp_path / "grades.jsonl"
    items = []
    for q, m, good, bad in [
        ("What is a process?", "A process is a program in execution with its own memory.",
         "A running program that has its own memory space.", "fine"),
        ("What is a thread?", "A thread is a unit of execution inside a process that shares its memory.",
         "A unit of execution within a process sharing the process memory.", "I like trains"),
        ("What is an index?", "An index is a data structure that speeds up lookups in a table.",
         "A structure that makes table lookups faster.", "no idea"),
    ]:
        items += [{"question": q, "model_answer": m, "answer": good, "score": 5},
                  {"question": q, "model_answer": m, "answer": bad, "score": 0}]
    path.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    report = evaluate(load_rows(path), str(path))
    assert report.kind == "grades"
    assert report.spearman is not None and report.spearman > 0.8
    assert report.rmse is not None
    assert "cross-validation" in report.calibration


def test_bad_data_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("q,a\nx,y\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match="missing column"):
        load_rows(path)
    with pytest.raises(EvalDataError, match="no such file"):
        load_rows(tmp_path / "absent.csv")
    labelled = tmp_path / "labels.csv"
    labelled.write_text("question,model_answer,answer,label\nq,m,a,maybe\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match="neither correct nor incorrect"):
        load_rows(labelled)
    levelled = tmp_path / "levels.csv"
    levelled.write_text("question,model_answer,answer,score,difficulty\nq,m,a,50,extreme\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match=r"levels.csv:2: difficulty 'extreme' is not easy"):
        load_rows(levelled)


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([True, False], [1, 0]) == 1.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5


def test_compare_reports_gives_differences() -> None:
    rows = compare_reports({"n": 10, "roc_auc": 0.7, "rubric": {"version": 1}},
                           {"n": 10, "roc_auc": 0.75, "rubric": {"version": 2}})
    table = {name: (a, b, d) for name, a, b, d in rows}
    assert table["roc_auc"] == (0.7, 0.75, 0.05)
    assert table["rubric version"][:2] == (1, 2)


def test_eval_row_model_carries_labels() -> None:
    row = EvalRow(question="q", model_answer="m", answer="a", label=True)
    assert row.label is True and row.score is None
