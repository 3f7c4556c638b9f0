"""``coach practice`` through its real entry point, with answers scripted on stdin."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.commands import COACH
from tests.engine_fixtures import ingest

REPO = Path(__file__).resolve().parents[2]


def _coach(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COACH, *args], input=stdin, cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_practice_loop_quit_and_resume_to_the_summary() -> None:
    posting = ingest()
    script = "\n".join([
        "/model",
        "I have run Kubernetes clusters in production for three years and cut incidents by half.",
        "",  # an empty line is not an answer
        "/skip",
        "/quit",
        "this line is never read",
    ]) + "\n"
    first = _coach("practice", posting.id, "--questions", "3", "--no-follow-ups", stdin=script)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    session = re.search(r"^Session ([0-9a-f]{32}) on Site Reliability Engineer\.$", out, re.MULTILINE)
    assert session, out
    thread_id = session.group(1)
    assert out.count("Why this question") >= 2
    assert "Question 1/3" in out and "Question 2/3" in out
    # The guide always, never the placeholder label (the example's rendering: tests/unit/test_ui_render.py).
    assert "What a strong answer covers:" in out and "Model answer:" not in out
    assert re.search(r"Score \d+/100 \((strong|fair|weak)\)", out)
    assert "Your answer is empty: type your answer, or /skip." in out
    assert f"Saved session {thread_id}. Resume with: coach practice {posting.id} --resume {thread_id}" in out
    # /skip: the skipped question takes no place (another requirement's question is added), and says so.
    assert "does not count as one of your 3 questions" in out and "Question 3/3" not in out
    assert out.count("Question 2/3") == 2

    # Resume in a new process; EOF after the last answer ends the session with the summary.
    second = _coach("practice", posting.id, "--resume", thread_id,
                    stdin="I wrote runbooks and led the incident review.\nI automated it with Python.\n")
    assert second.returncode == 0, second.stderr
    out2 = second.stdout
    assert f"Resuming session {thread_id}" in out2
    assert "Question 2/3" in out2 and "Question 3/3" in out2
    assert "# Session summary: Site Reliability Engineer" in out2
    assert f"Session {thread_id} ended." in out2


def test_eof_saves_and_bad_input_is_one_line() -> None:
    posting = ingest()
    eof = _coach("practice", posting.id[:8], "--questions", "1", stdin="")
    assert eof.returncode == 0, eof.stderr
    assert "Saved session" in eof.stdout and "--resume" in eof.stdout

    unknown = _coach("practice", "ffffffffffffffff", stdin="")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().count("\n") == 0 and "not in the store" in unknown.stderr

    bad = _coach("practice", posting.id, "--difficulty", "extreme", stdin="")
    assert bad.returncode == 2 and "easy, medium or hard" in bad.stderr

    missing = _coach("practice", posting.id, "--resume", "nosuchsession", stdin="")
    assert missing.returncode == 1 and "no session 'nosuchsession'" in missing.stdout


def test_model_answers_export_edit_import(tmp_path: Path) -> None:
    posting = ingest()
    folder = tmp_path / "answers"
    exported = _coach("model-answers", "export", posting.id, str(folder), stdin="")
    assert exported.returncode == 0, exported.stderr
    files = sorted(folder.glob("*.md"))
    assert files and f"Wrote {len(files)} model answers" in exported.stdout
    text = files[0].read_text(encoding="utf-8")
    head, _ = text.rsplit("---\n", 1)
    edited = "I keep clusters patched. I cut incidents by 30 percent."
    files[0].write_text(f"{head}---\n{edited}\n", encoding="utf-8")
    (folder / "broken.md").write_text("no header here", encoding="utf-8")
    imported = _coach("model-answers", "import", str(folder), stdin="")
    assert imported.returncode == 1  # one file was broken: reported, the rest stored
    assert "Imported 1 edited answers" in imported.stdout
    assert "broken.md" in imported.stderr

    from chains.questions.references import read_answer_file
    from knowledge.store import open_store

    header, _ = read_answer_file(files[0])
    stored = open_store().get_model_answer(posting.id, str(header["question_id"]))
    assert stored == edited
