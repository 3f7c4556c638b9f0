"""Several postings in one text or file (issue 13): refused with a message saying so and how to add
one, whatever the layout; one posting is never refused as several.

Real postings from ../shared/postings are concatenated here (skipped when ../shared is absent);
original texts in each layout check each rule on its own.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from core.errors import PostingError
from knowledge.parse import parse_file, parse_text
from tests.conftest import REPO_ROOT, SHARED_DIR, need_shared

VARIED = SHARED_DIR / "postings" / "varied"
SAMPLES = REPO_ROOT / "knowledge" / "postings"
HOW_TO_ADD = r"save each (?:posting|page) as its own file \(or paste one posting\) and add that"
SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


def _refused(text: str, fmt: str = "txt") -> str:
    with pytest.raises(PostingError) as caught:
        parse_text(text, fmt=fmt)
    return str(caught.value)


# --- real postings pasted together -------------------------------------------------------------


def _pairs(pattern: str) -> list[tuple[Path, Path]]:
    return list(itertools.combinations(sorted(need_shared(VARIED).glob(pattern)), 2))


@pytest.mark.parametrize("layout", ["county_*.txt", "la_city_*.txt", "linkedin_*.txt"])
def test_two_real_text_postings_of_one_layout_pasted_together_are_refused(layout: str) -> None:
    pairs = _pairs(layout)
    assert pairs
    for first, second in pairs:
        message = _refused(first.read_text() + "\n\n" + second.read_text())
        assert re.search(r"holds several job postings \(.+\); " + HOW_TO_ADD, message), (first.name, message)


def test_two_real_county_pages_are_refused_by_their_job_numbers_past_the_first_questionnaire() -> None:
    first = need_shared(VARIED / "county_01_02-program-specialist-4.txt").read_text()
    second = (VARIED / "county_03_01-city-clerk.txt").read_text()
    assert "\n01\n" in first  # its application questionnaire, which runs to the end of the text
    message = _refused(first + "\n\n" + second)
    assert "('Job Number' is given 2 times)" in message


def test_two_real_county_pages_without_job_numbers_are_refused_by_their_repeated_opening() -> None:
    def without_numbers(name: str) -> str:
        text = need_shared(VARIED / name).read_text()
        return "\n".join(line for line in text.splitlines() if not line.startswith("Job Number"))

    message = _refused(without_numbers("county_02_02-support-specialist.txt") + "\n\n"
                       + without_numbers("county_04_09-software-developer.txt"))
    assert "(it starts over with 'job details', 'salary' and 'location' again)" in message.lower()


def test_two_real_nhs_pages_in_one_html_file_are_refused_naming_both(tmp_path: Path) -> None:
    pages = sorted(need_shared(VARIED).glob("nhs_*.html"))
    assert len(pages) >= 2
    for first, second in itertools.combinations(pages, 2):
        both = tmp_path / "two_adverts.html"
        both.write_text(first.read_text() + "\n" + second.read_text())
        expected = r"holds several job postings \(2 HTML pages: '[^']+', '[^']+'\); " + HOW_TO_ADD
        with pytest.raises(PostingError, match=expected):
            parse_file(both)
    first, second = pages[0].read_text(), pages[2].read_text()
    message = _refused(first + second, fmt="html")
    assert "(2 HTML pages: 'Senior Nurse', 'NICU Registered Nurse')" in message


def test_the_bundled_samples_pasted_together_are_refused() -> None:
    kestrel = (SAMPLES / "backend_engineer_kestrel.md").read_text()
    tidewater = (SAMPLES / "ml_engineer_tidewater.md").read_text()
    assert "('Company' is given 2 times)" in _refused(kestrel + "\n\n" + tidewater, fmt="md")
    # Without their company lines, the two job names over their own requirements tell them apart.
    unnamed = kestrel.replace("Company:", "Team of") + "\n\n" + tidewater.replace("**Company:**", "Team of")
    assert ("('Backend Engineer, Shipment Tracking' and 'Machine Learning Engineer, Demand Forecasting' "
            "each have their own duties or requirements)") in _refused(unnamed, fmt="md")


def _single_postings() -> list[Path]:
    roots = [SHARED_DIR / "postings", SAMPLES, REPO_ROOT / "bench" / "data" / "postings"]
    return sorted(
        path
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.suffix.lower() in SUPPORTED and path.name != "README.md"
    )


def test_no_real_single_posting_is_refused_as_several() -> None:
    need_shared(VARIED)
    postings = _single_postings()
    assert len(postings) >= 30
    refused = []
    for path in postings:
        try:
            parse_file(path)
        except PostingError as exc:
            refused.append(str(exc))
    assert refused == []


# --- original texts, one rule each -----------------------------------------------------------

CAREER_PAGE = """\
=== JOB DETAILS ===

Salary: {salary}
Location: {place}
Job Type: Full Time
{number}Closing Date: Continuous

=== JOB DESCRIPTION ===

The {name} supports the elections office of {place}.

Required Qualifications
- Two years of office experience in local government
- Knowledge of state election law

01
Do you have two years of office experience?
Yes
No
"""


def _career_page(name: str, salary: str, place: str, number: str = "") -> str:
    return CAREER_PAGE.format(name=name, salary=salary, place=place, number=number)


def test_a_second_career_page_after_a_questionnaire_is_found_by_its_job_number() -> None:
    first = _career_page("Elections Clerk", "$3,100 Monthly", "Brannock County", "Job Number: 24-118\n")
    second = _career_page("Voter Outreach Lead", "$4,200 Monthly", "Tillery County", "Job Number: 24-131\n")
    assert "('Job Number' is given 2 times)" in _refused(first + "\n" + second)
    assert parse_text(first).title  # each alone is one posting


def test_a_second_career_page_is_found_by_its_opening_starting_over_with_other_values() -> None:
    first = _career_page("Elections Clerk", "$3,100 Monthly", "Brannock County")
    second = _career_page("Voter Outreach Lead", "$4,200 Monthly", "Tillery County")
    message = _refused(first + "\n" + second)
    assert "(it starts over with 'JOB DETAILS', 'Salary' and 'Location' again)" in message


def test_a_career_page_given_twice_word_for_word_is_one_posting() -> None:
    page = _career_page("Elections Clerk", "$3,100 Monthly", "Brannock County", "Job Number: 24-118\n")
    assert parse_text(page + "\n" + page).title == parse_text(page).title


def test_a_summary_box_repeating_the_opening_at_the_foot_is_one_posting() -> None:
    page = (
        "Salary: $52,000\nLocation: Harlow\nJob Type: Permanent\n\n"
        "Responsibilities\n- Keep the depot's stock records\n- Order parts from suppliers\n\n"
        "Requirements\n- Two years in a stores role\n\n"
        "Salary: $52,000\nLocation: Harlow\nJob Type: Permanent\n"
    )
    assert [req.text for req in parse_text(page).requirements] == [
        "Keep the depot's stock records",
        "Order parts from suppliers",
        "Two years in a stores role",
    ]


MARKDOWN_JOB = """\
# {name}

Based at our {place} office.

## {duties}

- {duty}
- Write up each week's findings for the team

## {needs}

- {need}
"""


def test_two_markdown_postings_each_with_its_own_requirements_are_refused_by_their_names() -> None:
    first = MARKDOWN_JOB.format(name="Data Analyst", place="Leeds", duties="What you'll do",
                                duty="Build the monthly sales dashboards", needs="What you'll need",
                                need="Good SQL")
    second = MARKDOWN_JOB.format(name="Field Engineer", place="Hull", duties="Responsibilities",
                                 duty="Service the wind turbines of the northern sites",
                                 needs="Requirements", need="An electrical engineering degree")
    message = _refused(first + "\n" + second, fmt="md")
    assert "('Data Analyst' and 'Field Engineer' each have their own duties or requirements)" in message


def test_a_markdown_posting_with_every_heading_at_one_level_is_one_posting() -> None:
    page = (
        "# Data Analyst\n\n# The team\n\nSix analysts in Leeds.\n\n# Responsibilities\n\n"
        "- Build the monthly sales dashboards\n\n# Our office\n\nNear the station.\n\n"
        "# Requirements\n\n- Good SQL\n"
    )
    posting = parse_text(page, fmt="md")
    assert posting.title == "Data Analyst"
    assert [req.text for req in posting.requirements] == ["Build the monthly sales dashboards", "Good SQL"]


PERSON_SPEC = """\
## {title}

{employer}

## Person Specification

### Essential

- {essential}

### Desirable

- {desirable}
"""


def test_two_person_specifications_are_refused_though_their_heading_holds_nothing_itself() -> None:
    first = PERSON_SPEC.format(title="Ward Clerk", employer="Fenbridge Community Hospital",
                               essential="GCSE English and maths", desirable="NVQ in business administration")
    second = PERSON_SPEC.format(title="Hospital Porter", employer="Fenbridge Community Hospital",
                                essential="Able to move heavy equipment safely",
                                desirable="Manual handling certificate")
    assert "('Person Specification' heads 2 sections)" in _refused(first + "\n" + second, fmt="md")
    assert parse_text(first + "\n" + first, fmt="md").title == "Ward Clerk"


def test_two_job_title_fields_are_two_postings() -> None:
    page = (
        "Job title: Ward Clerk\nBand: 3\n\nMain duties\n- Keep the ward's records\n\n"
        "Job title: Hospital Porter\nBand: 2\n\nMain duties\n- Move patients safely\n"
    )
    assert "('Job title' is given 2 times)" in _refused(page)


NHS_PAGE = (
    "<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
    "<p>Fenbridge Community Hospital is looking for a {title} to join a friendly team on a busy "
    "surgical ward.</p><h2>Main duties</h2><ul><li>{duty}</li><li>Work with the ward manager</li></ul>"
    "</body></html>"
)


def test_two_html_pages_in_one_text_are_refused_naming_them() -> None:
    first = NHS_PAGE.format(title="Ward Clerk", duty="Keep the ward's patient records")
    second = NHS_PAGE.format(title="Hospital Porter", duty="Move patients and equipment safely")
    message = _refused(first + "\n" + second, fmt="html")
    assert "several job postings (2 HTML pages: 'Ward Clerk', 'Hospital Porter'); save each page" in message
    # Two pages under one title (two trusts' nurse adverts) differ by their text.
    other = NHS_PAGE.format(title="Ward Clerk", duty="Book outpatient appointments")
    assert "(2 HTML pages: 'Ward Clerk')" in _refused(first + other, fmt="html")


def test_one_html_page_saved_twice_or_mentioning_html_in_a_script_is_one_posting() -> None:
    page = NHS_PAGE.format(title="Ward Clerk", duty="Keep the ward's patient records")
    assert parse_text(page + page, fmt="html").title == "Ward Clerk"
    written = "<script>document.write('<html><body>x</body></html>')</script>"
    scripted = page.replace("</body>", written + "</body>")
    assert parse_text(scripted, fmt="html").title == "Ward Clerk"
