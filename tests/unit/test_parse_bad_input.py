"""Bad input: each case gets one line naming the file and the problem; good files still get through."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fpdf import FPDF

from core.errors import PostingError
from core.settings import get_settings
from knowledge.parse import collect_files, parse_file, parse_text

GOOD = (
    "Courier\n\nResponsibilities:\n- Deliver parcels on a fixed route\n\n"
    "Requirements:\n- A clean driving licence\n"
)


def _error_for(path: Path, **kwargs: int) -> str:
    with pytest.raises(PostingError) as info:
        parse_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message, "an error is one line"
    assert message.startswith(f"{path}: "), "an error names the file first"
    assert info.value.source == str(path)
    return message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "the file is empty" in _error_for(path)


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("  \n\n\t \r\n")
    assert "the file is empty" in _error_for(path)


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    assert "looks like a binary file, not text" in _error_for(path)


def test_binary_file_without_nul_bytes(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "noise.md"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    assert "looks like a binary file, not text" in _error_for(path)


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    limit = get_settings().max_file_bytes
    assert limit == 2 * 1024 * 1024
    path.write_bytes(GOOD.encode() + b"- Python\n" * (limit // 9 + 1))
    message = _error_for(path)
    assert "over the 2.0 MB limit" in message
    assert "COACH_MAX_FILE_BYTES" in message


def test_size_limit_can_be_passed_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "courier.txt"
    path.write_text(GOOD)
    assert "over the 0.0 MB limit" in _error_for(path, max_bytes=50)
    assert parse_file(path, max_bytes=len(GOOD)).requirements


def test_size_limit_follows_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "courier.txt"
    path.write_text(GOOD)
    monkeypatch.setenv("COACH_MAX_FILE_BYTES", "40")
    get_settings.cache_clear()
    assert "limit" in _error_for(path)


@pytest.mark.parametrize("name", ["posting.xyz", "posting.doc", "README"])
def test_unknown_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(GOOD)
    message = _error_for(path)
    assert "not supported; use .txt, .md, .html, .htm, .pdf or .docx" in message
    if name.endswith(".doc"):
        assert "save .doc files as .docx" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in _error_for(tmp_path / "nowhere.md")


def test_a_folder_given_as_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "postings.md"
    folder.mkdir()
    assert "is a folder, not a file" in _error_for(folder)


def test_scanned_pdf_without_a_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80)  # a drawing, no text: what a scan looks like to a text extractor
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    message = _error_for(path)
    assert "has no text layer" in message
    assert "OCR" in message


def test_text_with_no_recognisable_requirements(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        "Dear Sam,\n\nThanks for dinner last night. The lasagne was wonderful and we should do it again "
        "soon.\n\nSee you on Friday,\nAlex\n"
    )
    assert "no requirements found" in _error_for(path)


def test_a_page_that_is_only_boilerplate_has_no_requirements(tmp_path: Path) -> None:
    path = tmp_path / "benefits.md"
    path.write_text(
        "# Careers\n\n## Benefits\n- Free lunch\n- Gym membership\n\n"
        "Acme is an equal opportunity employer and does not discriminate on the basis of race or religion.\n"
    )
    assert "no requirements found" in _error_for(path)


def test_pasted_text_over_the_limit_fails_at_once() -> None:
    pasted = "Requirements:\n" + "- Experience with Python and SQL\n" * 160_000  # about 5 MB
    assert len(pasted.encode()) > 5_000_000
    with pytest.raises(PostingError) as info:
        parse_text(pasted)
    message = str(info.value)
    assert message.startswith("pasted: the text is 5.")
    assert "over the 2.0 MB limit" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "the text is empty"), ("   \n\t", "the text is empty"), ("Requirements:\n- a\x00b", "binary")],
)
def test_empty_or_binary_paste(text: str, problem: str) -> None:
    with pytest.raises(PostingError, match=problem):
        parse_text(text)


def test_unknown_paste_format() -> None:
    with pytest.raises(PostingError, match="unknown format 'rtf'; use txt, md or html"):
        parse_text(GOOD, fmt="rtf")


def test_a_dump_of_thousands_of_items_is_not_one_posting() -> None:
    items = "".join(f"- Experience with tool number {index}\n" for index in range(400))
    with pytest.raises(PostingError, match="lists 400 items, more than one job posting holds"):
        parse_text("Requirements:\n" + items)


# Inputs built to make careless regexes backtrack (about 1 MB each, where a quadratic pattern would
# take hours); each must be refused or parsed, not hang.
PATHOLOGICAL = {
    "unclosed images": "![a](" * 200_000,
    "unclosed links": "[a](" * 250_000,
    "glued sentences": "a.B" * 330_000,
    "one long word": "a" * 1_000_000,
    "blank run after a dot": "Requirements:\n- x." + " " * 1_000_000 + "Heading:",
    "bold markers": "**" * 500_000,
    "nested brackets": "[" * 1_000_000,
    "question glue": "Interview questions\n" + "How do you do it?I do it well." * 33_000,
    "wrapped lowercase lines": "requirements\n" + "a\n" * 500_000,
    "about headings": "About Acme\n" * 30_000,
    "colon lines": "Some words here:\n" * 30_000,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_text_is_handled_in_linear_time(name: str) -> None:
    text = PATHOLOGICAL[name]
    assert len(text.encode()) <= get_settings().max_file_bytes
    try:
        posting = parse_text(text)
    except PostingError as error:
        assert "\n" not in str(error)
    else:
        assert posting.requirements


@pytest.mark.timeout(60)
def test_html_with_more_elements_than_any_posting_is_refused() -> None:
    with pytest.raises(PostingError, match="HTML elements, far more than a job posting page"):
        parse_text("<div>" * 300_000, fmt="html")


# --- collect_files ----------------------------------------------------------------------------------


def test_collect_files_keeps_good_files_among_bad_paths(tmp_path: Path) -> None:
    good = tmp_path / "courier.md"
    good.write_text(GOOD)
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("x")
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    (empty_folder / "data.csv").write_text("a,b\n")
    missing = tmp_path / "missing.txt"

    files, errors = collect_files([good, unknown, empty_folder, missing])

    assert files == [good]
    assert [error.source for error in errors] == [str(unknown), str(empty_folder), str(missing)]
    assert "'.xyz' files are not supported" in str(errors[0])
    assert "no posting files in this folder" in str(errors[1])
    assert "not found" in str(errors[2])
    assert all("\n" not in str(error) for error in errors)
    assert parse_file(files[0]).requirements


def test_collect_files_expands_folders_recursively_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text(GOOD)
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "c.HTML").write_text("<ul><li>x</li></ul>")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.md").write_text(GOOD)
    (tmp_path / ".draft.md").write_text(GOOD)

    files, errors = collect_files([tmp_path, tmp_path / "a.txt"])

    assert errors == []
    assert files == [tmp_path / "a.txt", tmp_path / "b.md", tmp_path / "sub" / "deeper" / "c.HTML"]


def test_each_bad_file_in_a_folder_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    files, errors = collect_files([tmp_path])
    assert errors == []
    outcomes: dict[str, int | str] = {}
    for path in files:
        try:
            outcomes[path.name] = len(parse_file(path).requirements)
        except PostingError as error:
            outcomes[path.name] = str(error)
    assert outcomes["good.md"] == 2
    assert "the file is empty" in str(outcomes["empty.txt"])
    assert "binary" in str(outcomes["binary.txt"])


def test_every_file_left_out_of_a_folder_is_named_with_the_reason(tmp_path: Path) -> None:
    from knowledge.parse import collect_files_and_skips

    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "notes.xyz").write_text("x")
    (tmp_path / ".draft.md").write_text(GOOD)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    files, errors, skipped = collect_files_and_skips([tmp_path])
    assert files == [tmp_path / "good.md"] and errors == []
    assert [(item.source, item.problem.split(" (")[0]) for item in skipped] == [
        (str(tmp_path / ".git"), "skipped, a hidden folder"),
        (str(tmp_path / ".draft.md"), "skipped, a hidden file"),
        (str(tmp_path / "notes.xyz"), "skipped, not a supported type"),
    ]


def test_a_broken_link_in_a_folder_is_named_as_one(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    files, errors = collect_files([tmp_path])
    assert files == [tmp_path / "gone.txt", tmp_path / "good.md"] and errors == []
    with pytest.raises(PostingError, match="is a link to a file that is not there; fix or remove the link"):
        parse_file(tmp_path / "gone.txt")
