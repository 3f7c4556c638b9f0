"""``coach critique`` and ``coach eval critic|compare`` through the real entry point."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

from tests.commands import COACH

REPO_ROOT = Path(__file__).resolve().parents[2]

QUESTION = "What is the difference between a process and a thread?"
MODEL = (
    "A process is an independent program in execution with its own memory space. "
    "Threads are units of execution inside a process that share its memory and resources."
)


def _coach(*args: str, tmp_path: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    return subprocess.run(
        [*COACH, *args], capture_output=True, text=True, cwd=REPO_ROOT, env=env, input=stdin, timeout=600,
        check=False,
    )


def test_critique_json_has_score_at_top_level(tmp_path: Path) -> None:
    answer = "A process has its own memory. Threads run inside a process and share its memory."
    result = _coach("critique", "--question", QUESTION, "--model-answer", MODEL, "--answer", answer,
                    "--requirement", "Concurrency in Python", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    critique = json.loads(result.stdout)
    assert critique["score"] > 60
    assert critique["band"] in {"strong", "fair"}
    assert {c["evidence"] for c in critique["covered"]} <= {
        "A process has its own memory.", "Threads run inside a process and share its memory.", answer
    }

    result = _coach("critique", "--question", QUESTION, "--model-answer", MODEL, "--answer", "fine",
                    "--json", tmp_path=tmp_path)
    assert json.loads(result.stdout)["score"] < 20


def test_critique_text_output_and_bad_input(tmp_path: Path) -> None:
    result = _coach("critique", "--question", QUESTION, "--model-answer", MODEL, "--answer", "-",
                    tmp_path=tmp_path, stdin="Threads share memory inside a process [red]x[/red].")
    assert result.returncode == 0, result.stderr
    assert "Score" in result.stdout and "Missed" in result.stdout
    assert "[red]x[/red]" in result.stdout  # the answer's text is shown as typed, not as markup

    bad = _coach("critique", "--question", QUESTION, "--model-answer", MODEL, "--answer", "x",
                 "--difficulty", "extreme", tmp_path=tmp_path)
    assert bad.returncode == 2
    assert "--difficulty must be easy, medium or hard" in bad.stderr


def test_eval_critic_and_compare_on_a_small_csv(tmp_path: Path) -> None:
    data = tmp_path / "graded.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "reference_answer", "student_answer", "label_2way", "split"])
        good = "Processes have their own memory; threads share a process's memory."
        writer.writerow([QUESTION, MODEL, good, "correct", "dev"])
        writer.writerow([QUESTION, MODEL, "I don't know", "incorrect", "dev"])
        writer.writerow(["Why does ice float?", "Ice is less dense than liquid water.",
                         "Ice is less dense than water.", "correct", "dev"])
        writer.writerow(["Why does ice float?", "Ice is less dense than liquid water.", "it is cold",
                         "incorrect", "dev"])
        writer.writerow(["Why does ice float?", "Ice is less dense than liquid water.", "it is cold",
                         "incorrect", "other"])
    mapping = "reference_answer=model_answer,student_answer=answer,label_2way=label"
    out = tmp_path / "report.json"
    result = _coach("eval", "critic", "--data", str(data), "--map", mapping, "--filter", "split=dev",
                    "--json", "--out", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for field in ("n", "roc_auc", "accuracy", "macro_f1", "threshold", "worst_questions",
                  "seconds_per_answer", "prompt_versions", "rubric", "git_commit", "model"):
        assert field in report
    assert report["n"] == 4
    assert report["roc_auc"] == 1.0
    assert json.loads(out.read_text(encoding="utf-8"))["n"] == 4

    text = _coach("eval", "critic", "--data", str(data), "--map", mapping, "--limit", "2", tmp_path=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "roc_auc" in text.stdout and "score >= " in text.stdout

    newer = json.loads(out.read_text(encoding="utf-8"))
    newer["roc_auc"] = 0.9
    new_path = tmp_path / "new.json"
    new_path.write_text(json.dumps(newer), encoding="utf-8")
    compared = _coach("eval", "compare", str(out), str(new_path), tmp_path=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert "roc_auc" in compared.stdout and "-0.1" in compared.stdout

    missing = _coach("eval", "critic", "--data", str(data), tmp_path=tmp_path)
    assert missing.returncode == 2
    assert "missing column" in missing.stderr and "--map" in missing.stderr


def test_critique_your_own_question_against_a_posting_file(tmp_path: Path) -> None:
    posting = str(REPO_ROOT / "knowledge" / "postings" / "backend_engineer_kestrel.md")
    answer = (
        "On a ticketing site I worked on, the order history page took four seconds to load. "
        "pg_stat_statements showed one query doing a sequential scan over 30 million rows. I added a "
        "composite index on (user_id, created_at DESC), built it concurrently, and switched to keyset "
        "pagination. Load time fell to 300 ms. Since then I check query plans in every review."
    )
    question = "Tell me about a time you made a slow PostgreSQL query fast."
    result = _coach("critique", "--posting", posting, "--question", question, "--answer", answer, "--json",
                    tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    critique = json.loads(result.stdout)
    assert critique["judged_as"] == "experience" and critique["score"] >= 60
    rows = tmp_path / "rows.csv"
    with rows.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["posting", "question", "answer", "score"])
        writer.writeheader()
        writer.writerow({"posting": posting, "question": "Tell me about a time you made a slow PostgreSQL "
                         "query fast.", "answer": answer, "score": 85})
        writer.writerow({"posting": posting, "question": "Tell me about a time you made a slow PostgreSQL "
                         "query fast.", "answer": "I don't know", "score": 2})
    out = tmp_path / "critiques.jsonl"
    report = _coach("eval", "critic", "--data", str(rows), "--rows", str(out), "--json", tmp_path=tmp_path)
    assert report.returncode == 0, report.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["score"] for line in lines][0] == critique["score"] and lines[1]["score"] <= 5
    assert json.loads(report.stdout)["card_problems"] == []
