"""The Google postings in ../shared: every listed item becomes a requirement of the right kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.parse import parse_file
from tests.conftest import GOOGLE_POSTINGS, need_shared

pytestmark = pytest.mark.shared

KIND_OF_HEADING = {
    "Responsibilities:": "responsibility",
    "Minimum qualifications:": "required",
    "Preferred qualifications:": "preferred",
}


def _google_files() -> list[Path]:
    if not GOOGLE_POSTINGS.exists():
        return []
    return sorted(GOOGLE_POSTINGS.glob("*.txt"))


def _listed_items(path: Path) -> dict[str, list[str]]:
    """The file read plainly, line by line: the non-empty lines under each of the three headings."""
    items: dict[str, list[str]] = {kind: [] for kind in KIND_OF_HEADING.values()}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line in KIND_OF_HEADING:
            current = KIND_OF_HEADING[line]
        elif line and current is not None:
            items[current].append(line)
    return items


def test_the_shared_folder_holds_google_postings() -> None:
    need_shared(GOOGLE_POSTINGS)
    assert len(_google_files()) >= 10


@pytest.mark.parametrize("path", _google_files(), ids=lambda p: p.stem)
def test_every_listed_line_is_covered_by_requirements_of_its_kind(path: Path) -> None:
    posting = parse_file(path)
    listed = _listed_items(path)
    assert all(listed.values()), "each Google posting lists items under all three headings"
    for kind, lines in listed.items():
        got = [req.text for req in posting.requirements if req.kind.value == kind]
        # A line may become two requirements (two qualifications in one line), never fewer words.
        assert " ".join(got) == " ".join(lines), kind
        for text in got:
            assert sum(text in line for line in lines) == 1, text
    assert len(posting.requirements) >= sum(len(lines) for lines in listed.values())


@pytest.mark.parametrize("path", _google_files(), ids=lambda p: p.stem)
def test_first_line_gives_title_company_and_location(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    title, inner = re.fullmatch(r"(.*) \(([^()]*)\)", first).groups()  # type: ignore[union-attr]
    company, location = inner.split(", ", 1)
    posting = parse_file(path)
    assert (posting.title, posting.company, posting.location) == (title, company, location)
    assert posting.qa_pairs == []
    assert "Category:" in posting.text


def test_field_sales_posting_parses_completely() -> None:
    path = need_shared(GOOGLE_POSTINGS / "00_Field_Sales_Representative_Google_Cloud.txt")
    posting = parse_file(path)
    assert posting.title == "Field Sales Representative, Google Cloud"
    assert posting.company == "Google"
    assert posting.location == "Minneapolis, MN, United States"
    assert [(req.kind.value, req.section, req.text) for req in posting.requirements] == [
        (
            "responsibility",
            "Responsibilities",
            "Build and maintain executive relationships with customers, influence long-term strategic "
            "direction, and act as a trusted advisor.",
        ),
        (
            "responsibility",
            "Responsibilities",
            "Lead account strategy in generating and developing business growth opportunities, working "
            "collaboratively with Customer Engineers, and Google Partners - all to maximize business results "
            "in territory and open up opportunities with large enterprise customers.",
        ),
        (
            "responsibility",
            "Responsibilities",
            "Drive business development, forecast accurately and achieve strategic goals by leading "
            "customers through the entire business cycle.",
        ),
        (
            "responsibility",
            "Responsibilities",
            "Explore and understand complex customer requirements on both a business and technical level; "
            "Engage, educate, and ensure satisfaction of the installed base.",
        ),
        (
            "responsibility",
            "Responsibilities",
            "Manage multiple opportunities through the entire cycle simultaneously, working with "
            "cross-functional teams as necessary, and serve as the primary customer contact for all "
            "adoption-related activities.",
        ),
        ("required", "Minimum qualifications", "BA/BS degree or equivalent practical experience."),
        (
            "required",
            "Minimum qualifications",
            "4 years of field sales experience in the technology industry selling enterprise software.",
        ),
        # One line, two qualifications: split into two requirements.
        (
            "preferred",
            "Preferred qualifications",
            "10 years of experience selling IaaS or PaaS with a demonstrated track record in reaching and "
            "exceeding sales goals in the technology industry.",
        ),
        ("preferred", "Preferred qualifications", "Experience using CRM system such as Salesforce.com."),
        (
            "preferred",
            "Preferred qualifications",
            "Technical or sales engineering experience in Computer Science or Information Systems",
        ),
        (
            "preferred",
            "Preferred qualifications",
            "Demonstrable ability to speak credibly about platform- and infrastructure-as-a-service, and "
            "perform basic technical qualification",
        ),
        (
            "preferred",
            "Preferred qualifications",
            "Ability to build influential relationships and deliver results in a cross-functional/matrixed "
            "environment.",
        ),
        (
            "preferred",
            "Preferred qualifications",
            "Excellent written/verbal communication/presentation skills, and strong strategic and analytical "
            "thinking skills, with the ability to plan, pitch, and execute a territory sales strategy",
        ),
        (
            "preferred",
            "Preferred qualifications",
            "Ability to effectively operate with flexibility in a fast-paced, constantly evolving team "
            "environment.",
        ),
    ]


def test_a_sentence_that_refers_back_stays_with_its_item() -> None:
    path = need_shared(GOOGLE_POSTINGS / "24_Communications_Manager_Search.txt")
    posting = parse_file(path)
    first = posting.requirements[0]
    assert first.text.startswith("Serve as the daily PR lead")
    assert first.text.endswith("This will include working closely with cross-functional teams to draft blog "
                               "posts, media pitches and launch materials.")  # fmt: skip


def test_two_duties_in_one_line_become_two_responsibilities() -> None:
    path = need_shared(GOOGLE_POSTINGS / "04_Go_to_Market_Specialist_Google_Cloud.txt")
    texts = [req.text for req in parse_file(path).requirements if req.kind.value == "responsibility"]
    assert (
        "Develop trusted advisory partnerships and advocates with strategic Cloud Platform customers."
        in texts
    )
    assert "Engage the right teams across Google to ensure customer success." in texts
