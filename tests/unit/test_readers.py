"""Each format reaches requirements: .md, .txt, .html, .pdf (fpdf2) and .docx (python-docx), real files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from core.errors import PostingError
from knowledge.parse import SUPPORTED_EXTENSIONS, parse_file, parse_text
from knowledge.readers import html_to_text

MARKDOWN = """\
# Data Engineer

**Company:** Fernbrook Energy
**Location:** Leeds, United Kingdom

## What you'll do
- Build batch pipelines in Python and SQL that feed the finance dashboards
- Own the data quality checks on meter readings

## Requirements
* 3+ years of experience with Airflow or Dagster
* Strong SQL, including window functions

## Nice to have
1. Experience with dbt

## Tech stack
- Python, PostgreSQL, BigQuery
"""

EXPECTED_MARKDOWN = [
    ("responsibility", "Build batch pipelines in Python and SQL that feed the finance dashboards"),
    ("responsibility", "Own the data quality checks on meter readings"),
    ("required", "3+ years of experience with Airflow or Dagster"),
    ("required", "Strong SQL, including window functions"),
    ("preferred", "Experience with dbt"),
    ("skill", "Python"),
    ("skill", "PostgreSQL"),
    ("skill", "BigQuery"),
]


def _kinds_and_texts(path_or_posting: object) -> list[tuple[str, str]]:
    posting = parse_file(path_or_posting) if isinstance(path_or_posting, Path) else path_or_posting
    return [(req.kind.value, req.text) for req in posting.requirements]  # type: ignore[attr-defined]


def test_supported_extensions_are_the_documented_six() -> None:
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"}) == SUPPORTED_EXTENSIONS


def test_markdown_file_round_trips_to_requirements(tmp_path: Path) -> None:
    path = tmp_path / "data_engineer.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    posting = parse_file(path)
    assert _kinds_and_texts(posting) == EXPECTED_MARKDOWN
    assert (posting.title, posting.company, posting.location) == (
        "Data Engineer",
        "Fernbrook Energy",
        "Leeds, United Kingdom",
    )
    assert posting.source == "data_engineer.md"


def test_text_file_with_colon_and_capitalised_headings(tmp_path: Path) -> None:
    path = tmp_path / "warehouse_lead.txt"
    path.write_text(
        "Warehouse Shift Lead\n"
        "Company: Aldermoor Foods\n\n"
        "RESPONSIBILITIES\n"
        "• Plan the night shift rota for twelve pickers\n"
        "• Run the daily safety briefing\n\n"
        "Requirements:\n"
        "• Two years supervising a warehouse team\n"
        "• Forklift licence\n\n"
        "PREFERRED QUALIFICATIONS\n"
        "• Experience with a warehouse management system\n",
        encoding="utf-8",
    )
    assert _kinds_and_texts(path) == [
        ("responsibility", "Plan the night shift rota for twelve pickers"),
        ("responsibility", "Run the daily safety briefing"),
        ("required", "Two years supervising a warehouse team"),
        ("required", "Forklift licence"),
        ("preferred", "Experience with a warehouse management system"),
    ]
    assert parse_file(path).company == "Aldermoor Foods"


HTML = """\
<!DOCTYPE html>
<html><head><title>Site Reliability Engineer | Orchard Bank</title>
<script>var secret = "SCRIPT-ONLY-TEXT";</script><style>.x { color: red }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/jobs">All jobs NAV-ONLY-TEXT</a></nav>
<h1>Site Reliability Engineer</h1>
<p>Location: Lisbon, Portugal</p>
<h2>Responsibilities</h2>
<ul>
  <li>Keep the payments API above 99.95% availability</li>
  <li>Automate incident <em>response</em> runbooks</li>
</ul>
<p><strong>Requirements</strong></p>
<ul>
  <li>Experience running Linux services in production</li>
  <li>Comfort writing &lt;script&gt; tags and shell scripts</li>
</ul>
<script>document.write("SCRIPT-ONLY-TEXT-2")</script>
<!-- COMMENT-ONLY-TEXT -->
<div hidden>HIDDEN-ONLY-TEXT</div><p style="display: none">STYLE-HIDDEN-TEXT</p>
<footer>FOOTER-ONLY-TEXT © Orchard Bank</footer>
</body></html>
"""


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_keeps_visible_text_and_drops_scripts_navigation_and_footer(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sre{suffix}"
    path.write_text(HTML, encoding="utf-8")
    posting = parse_file(path)
    assert _kinds_and_texts(posting) == [
        ("responsibility", "Keep the payments API above 99.95% availability"),
        ("responsibility", "Automate incident response runbooks"),
        ("required", "Experience running Linux services in production"),
        # Markup written as text in the page stays text: the escaped tag is content, not HTML.
        ("required", "Comfort writing <script> tags and shell scripts"),
    ]
    assert posting.title == "Site Reliability Engineer"
    assert posting.location == "Lisbon, Portugal"
    for hidden in (
        "SCRIPT-ONLY",
        "NAV-ONLY",
        "COMMENT-ONLY",
        "HIDDEN-ONLY",
        "STYLE-HIDDEN",
        "FOOTER-ONLY",
        "color",
    ):
        assert hidden not in posting.text


def test_pasted_html_is_parsed_as_html() -> None:
    posting = parse_text(HTML, fmt="html")
    assert len(posting.requirements) == 4
    assert posting.source == "pasted"
    assert "SCRIPT-ONLY" not in posting.text


def test_html_headings_and_list_items_become_lines() -> None:
    text = html_to_text(
        "<h2>Skills</h2><ul><li>Go</li><li>gRPC <b>and</b> protobuf</li></ul><p>One<br>Two</p>"
    )
    assert text.splitlines() == ["## Skills", "", "- Go", "- gRPC and protobuf", "", "One", "Two"]


def test_html_page_title_is_used_when_the_page_has_no_heading() -> None:
    page = (
        "<html><head><title>Barista</title></head>"
        "<body><p>Requirements:</p><ul><li>Latte art</li></ul></body></html>"
    )
    posting = parse_text(page, fmt="html")
    assert posting.title == "Barista"
    assert [req.text for req in posting.requirements] == ["Latte art"]


def _pdf(path: Path, lines: list[str]) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_with_a_text_layer_round_trips(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "analyst.pdf",
        [
            "Pricing Analyst",
            "",
            "Responsibilities:",
            "- Build the weekly margin report for the category managers and explain every change of more "
            "than two points to the commercial director",
            "- Maintain the competitor price database",
            "",
            "Requirements:",
            "- 2+ years of experience in a pricing or analytics role",
            "- Advanced Excel and working SQL",
        ],
    )
    posting = parse_file(path)
    assert _kinds_and_texts(posting) == [
        (
            "responsibility",
            # The PDF wrapped this item at the page edge; the reader joins it back into one line.
            "Build the weekly margin report for the category managers and explain every change of more than "
            "two points to the commercial director",
        ),
        ("responsibility", "Maintain the competitor price database"),
        ("required", "2+ years of experience in a pricing or analytics role"),
        ("required", "Advanced Excel and working SQL"),
    ]
    assert posting.title == "Pricing Analyst"


def test_docx_paragraphs_lists_headings_and_tables_round_trip(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Customer Support Engineer", 0)
    document.add_paragraph("Location: Dublin, Ireland")
    document.add_heading("Responsibilities", 1)
    document.add_paragraph("Answer customer tickets within four business hours", style="List Bullet")
    document.add_paragraph("Write and update help-centre articles", style="List Bullet")
    document.add_heading("Requirements", 1)
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "2 years of customer support experience in a software company"
    table.cell(1, 0).text = "Excellent written English"
    document.add_heading("Skills", 2)
    document.add_paragraph("Zendesk", style="List Bullet")
    path = tmp_path / "support.docx"
    document.save(str(path))

    posting = parse_file(path)
    assert _kinds_and_texts(posting) == [
        ("responsibility", "Answer customer tickets within four business hours"),
        ("responsibility", "Write and update help-centre articles"),
        ("required", "2 years of customer support experience in a software company"),
        ("required", "Excellent written English"),
        ("skill", "Zendesk"),
    ]
    assert posting.title == "Customer Support Engineer"
    assert posting.location == "Dublin, Ireland"


def test_latin1_file_with_accents_parses(tmp_path: Path) -> None:
    path = tmp_path / "chef.txt"
    path.write_bytes(
        "Chef de partie (Brasserie Étoile, Montréal)\n\nRequirements:\n- Expérience en cuisine française\n"
        "- Diplôme en arts culinaires\n".encode("latin-1")
    )
    posting = parse_file(path)
    assert [req.text for req in posting.requirements] == [
        "Expérience en cuisine française",
        "Diplôme en arts culinaires",
    ]
    assert posting.company == "Brasserie Étoile"
    assert posting.location == "Montréal"


def test_windows_1252_smart_quotes_decode(tmp_path: Path) -> None:
    path = tmp_path / "baker.txt"
    path.write_bytes("Baker\n\nRequirements:\n- You\u2019ll need 2 years\u2019 experience\n".encode("cp1252"))
    assert [req.text for req in parse_file(path).requirements] == ["You’ll need 2 years’ experience"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_honoured(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("Courier\n\nRequirements:\n- A clean driving licence\n".encode(encoding))
    posting = parse_file(path)
    assert posting.title == "Courier"
    assert [req.text for req in posting.requirements] == ["A clean driving licence"]


def test_corrupt_pdf_and_docx_give_one_line_errors(tmp_path: Path) -> None:
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"PK\x03\x04 not a real zip")
    for path, expected in ((broken_pdf, "not a readable PDF"), (broken_docx, "not a valid .docx")):
        with pytest.raises(PostingError) as info:
            parse_file(path)
        message = str(info.value)
        assert message.startswith(str(path) + ": ")
        assert expected in message
        assert "\n" not in message


def test_a_pdf_saved_with_a_text_extension_is_named(tmp_path: Path) -> None:
    real = _pdf(tmp_path / "real.pdf", ["Requirements:", "- Anything"])
    misnamed = tmp_path / "posting.txt"
    misnamed.write_bytes(real.read_bytes())
    with pytest.raises(PostingError, match=r"is a PDF with a text extension; rename it to \.pdf"):
        parse_file(misnamed)


def test_mostly_utf8_file_with_one_stray_byte_keeps_its_accents(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    good = "Barista — Café Noël\n\nRequirements:\n- Expérience barista\n- Crème brûlée\n".encode()
    path.write_bytes(good + b"- Stray \xff byte\n")
    texts = [req.text for req in parse_file(path).requirements]
    assert texts[:2] == ["Expérience barista", "Crème brûlée"]


def test_pdf_page_numbers_and_repeated_footers_are_dropped(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page, lines in enumerate(
        (["Dental Nurse", "Requirements:", "- GDC registration"], ["- Experience with Dentally software"]),
        start=1,
    ):
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, "Smilewell Clinics - Confidential", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, f"Page {page} of 2", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "dental.pdf"
    pdf.output(str(path))
    posting = parse_file(path)
    assert [req.text for req in posting.requirements] == [
        "GDC registration",
        "Experience with Dentally software",
    ]
    assert "Confidential" not in posting.text
    assert "Page 1" not in posting.text
