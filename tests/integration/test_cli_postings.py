"""``coach ingest|postings|show|search|remove`` through the real entry point, on real files.

Each command is a subprocess (about 10 s when it loads the embeddings model), so one test walks the
whole life of a posting and another covers the failure lines.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.commands import COACH

REPO_ROOT = Path(__file__).resolve().parents[2]

POSTING_MD = """\
# Platform Engineer

## About the role
You will keep our payments platform fast and safe.

## Responsibilities
- Operate Kubernetes clusters that serve payment traffic
- Design PostgreSQL schemas for high write volumes
- Write [bold]incident reviews[/bold] about <script>alert(1)</script> bugs

## Requirements
- 5+ years of Python or Go in production
- Experience with Terraform

## Nice to have
- Kafka streaming experience

## Interview questions
Q: How would you roll out a risky database migration?
A: Behind a feature flag, with a backfill, a dual write period and a tested rollback.

Q: Tell me about an outage you led.
A: I declared the incident, split roles, communicated every 15 minutes and wrote the review.
"""


def coach(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``coach`` as a user would: the installed script, or the same entry point via Python."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [*COACH, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_a_posting_from_file_to_removal(tmp_path: Path) -> None:
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "platform.md").write_text(POSTING_MD, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"this is not a PDF at all")
    (folder / "notes.xyz").write_text("not a posting", encoding="utf-8")

    ingested = coach("ingest", str(folder), cwd=tmp_path)
    assert ingested.returncode == 1, ingested.stderr  # one file failed
    assert "Platform Engineer" in ingested.stdout and "added" in ingested.stdout
    assert "skipped, not a supported type" in ingested.stdout  # a row of the table, and a line:
    assert f"{folder / 'notes.xyz'}: skipped, not a supported type" in ingested.stderr
    [broken] = error_lines(ingested.stderr)
    assert broken.startswith(f"error: {folder / 'broken.pdf'}: ")
    assert "1 stored, 1 failed, 1 skipped" in ingested.stderr

    listed = coach("postings", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    [summary] = json.loads(listed.stdout)  # the good file went in, the bad one did not
    assert {"id", "title", "company", "location", "source", "requirements", "qa_pairs"} <= summary.keys()
    assert (summary["title"], summary["source"], summary["requirements"], summary["qa_pairs"]) == (
        "Platform Engineer", "platform.md", 6, 2
    )
    posting_id = summary["id"]

    shown = coach("show", posting_id[:6], "--json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    posting = json.loads(shown.stdout)
    assert posting["id"] == posting_id
    assert [(r["text"], r["kind"]) for r in posting["requirements"]][:2] == [
        ("Operate Kubernetes clusters that serve payment traffic", "responsibility"),
        ("Design PostgreSQL schemas for high write volumes", "responsibility"),
    ]
    assert {r["kind"] for r in posting["requirements"]} == {"responsibility", "required", "preferred"}
    assert posting["qa_pairs"][0]["question"] == "How would you roll out a risky database migration?"
    assert posting["qa_pairs"][0]["model_answer"].startswith("Behind a feature flag")

    text = coach("show", posting_id, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    # Posting text is shown as written, never read as Rich markup.
    assert "Write [bold]incident reviews[/bold] about <script>alert(1)</script> bugs" in text.stdout
    for heading in ("Responsibilities (3)", "Required (2)", "Preferred (1)", "Q&A pairs (2)"):
        assert heading in text.stdout

    found = coach("search", "relational database design", "--k", "2", "--json", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == 2 and hits[0]["posting_id"] == posting_id
    assert hits[0]["requirement"]["text"] == "Design PostgreSQL schemas for high write volumes"
    assert hits[0]["requirement"]["kind"] == "responsibility"
    assert hits[0]["score"] >= hits[1]["score"]

    again = coach("ingest", str(folder / "platform.md"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout

    removed = coach("remove", posting_id, cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert f"Removed {posting_id} Platform Engineer" in removed.stdout
    assert json.loads(coach("postings", "--json", cwd=tmp_path).stdout) == []


def test_a_title_guessed_from_the_file_name_is_shown_as_such(tmp_path: Path) -> None:
    path = tmp_path / "07_night_porter.txt"
    path.write_text("Duties:\n- Check guests in after 11 pm\n- Answer the night phone\n", encoding="utf-8")
    ingested = coach("ingest", str(path), cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    assert "Night Porter (from the" in ingested.stdout


def test_unknown_ids_and_missing_paths_fail_with_one_line(tmp_path: Path) -> None:
    for args in (("show", "deadbeef"), ("remove", "deadbeef"), ("search", "python", "--posting", "deadbeef")):
        result = coach(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert result.stdout == ""
        assert result.stderr.strip() == (
            "error: no posting with id 'deadbeef': see 'coach postings' for the ids"
        ), args

    missing = coach("ingest", str(tmp_path / "nowhere.txt"), cwd=tmp_path)
    assert missing.returncode == 1
    assert error_lines(missing.stderr) == [
        f"error: {tmp_path / 'nowhere.txt'}: file or folder not found; check the path"
    ]


def test_every_posting_command_has_help(tmp_path: Path) -> None:
    for command in ("ingest", "postings", "show", "search", "remove"):
        result = coach(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "Usage" in result.stdout, command


def test_identical_files_in_one_folder_are_one_posting_and_the_rest_go_in(tmp_path: Path) -> None:
    # Before: Chroma's DuplicateIDError for the whole batch, a traceback, and nothing stored.
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "a.md").write_text(POSTING_MD, encoding="utf-8")
    (folder / "b_copy.md").write_text(POSTING_MD, encoding="utf-8")
    (folder / "c.txt").write_text(
        "Line Cook (Bistro Nord, Hamburg)\n\nResponsibilities:\nPrepare mise en place for the dinner "
        "service every day.\nKeep the station clean and follow food safety rules.\n",
        encoding="utf-8",
    )
    done = coach("ingest", str(folder), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    outcomes = {Path(o["path"]).name: o for o in json.loads(done.stdout)}
    assert {o["result"]["status"] for o in outcomes.values()} == {"added", "duplicate"}
    assert outcomes["b_copy.md"]["result"]["status"] == "duplicate"
    assert outcomes["b_copy.md"]["result"]["duplicate_of"].endswith("a.md")
    listed = json.loads(coach("postings", "--json", cwd=tmp_path).stdout)
    assert len(listed) == 2
