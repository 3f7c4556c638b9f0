"""Real-world layouts (issue 13), on original text in each layout: bulletins, NHS adverts and person
specifications, county career pages, LinkedIn descriptions, ATS pages with JSON-LD; refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import PostingError
from knowledge.parse import parse_file, parse_text
from knowledge.parse.meta import title_from_stem
from knowledge.posting import Posting, RequirementKind
from tests.conftest import REPO_ROOT

SAMPLES = REPO_ROOT / "knowledge" / "postings"


def _kinds(posting: Posting) -> list[tuple[str, str]]:
    return [(req.kind.value, req.text) for req in posting.requirements]


BULLETIN = """\
AN EQUAL EMPLOYMENT OPPORTUNITY EMPLOYER
PARKS MAINTENANCE SUPERVISOR
Class Code:       3141
Open Date:  04-01-26

ANNUAL SALARY

$61,000 to $75,500

DUTIES

A Parks Maintenance Supervisor plans the daily work of grounds crews; inspects playgrounds and \
sports fields for hazards; orders materials within the section budget; and fulfills equal \
employment opportunity responsibilities.

REQUIREMENTS

1. Three years of full-time paid experience maintaining public parks; or
2. Two years of such experience and a certificate in horticulture.

NOTES:

1. Applicants must submit a Verification of Work Experience form at the time of filing.
2. A valid driver's license is required. Applicants with three moving violations will not be considered.

SELECTION PROCESS

The examination will consist entirely of an interview. Candidates will be notified by e-mail.

The County of Ashworth does not discriminate on the basis of race, religion or sex. The County of \
Ashworth offers a generous benefits package.
"""


def test_civil_service_bulletin() -> None:
    posting = parse_text(BULLETIN)
    assert (posting.title, posting.company, posting.title_from) == (
        "Parks Maintenance Supervisor", "County of Ashworth", "text"
    )
    assert _kinds(posting) == [
        ("responsibility", "A Parks Maintenance Supervisor plans the daily work of grounds crews"),
        ("responsibility", "inspects playgrounds and sports fields for hazards"),
        ("responsibility", "orders materials within the section budget"),
        ("required", "Three years of full-time paid experience maintaining public parks; or"),
        ("required", "Two years of such experience and a certificate in horticulture."),
        ("required", "A valid driver's license is required."),
    ]


NHS_ADVERT = """\
<html><head><title>Staff Nurse</title></head><body><h1>Staff Nurse</h1><p>Eastfield NHS Foundation Trust</p>
<p>We are looking for a nurse who wants to grow with a friendly ward team.</p>
<p>We are seeking Registered Nurses who are calm under pressure and kind to patients. You must have \
current NMC registration. You will be expected to lead a bay of six patients on each shift.</p>
<p><strong>PAY RATES</strong></p>
<p><strong>- Day rate: £18.00 per hour</strong></p>
<p> </p>
<p>Eastfield is the leading provider of acute care in the county. Typically, you would work three long \
days a week.</p>
<p>In return for your hard work you will have access to the following benefits:</p>
<p>- 27 days annual leave</p><p>- NHS Pension Scheme</p>
<p>This post is subject to an enhanced DBS check.</p></body></html>
"""


def test_nhs_advert_in_prose() -> None:
    posting = parse_text(NHS_ADVERT, fmt="html")
    assert (posting.title, posting.company) == ("Staff Nurse", "Eastfield NHS Foundation Trust")
    assert _kinds(posting) == [
        ("required", "We are seeking Registered Nurses who are calm under pressure and kind to patients."),
        ("required", "You must have current NMC registration."),
        ("responsibility", "You will be expected to lead a bay of six patients on each shift."),
        ("responsibility", "Typically, you would work three long days a week."),
    ]


def test_person_specification_sample_has_essential_and_desirable_criteria() -> None:
    posting = parse_file(SAMPLES / "community_physiotherapist_hollins_vale.html")
    by_section = {(req.section, req.kind.value) for req in posting.requirements}
    assert ("Essential", "required") in by_section and ("Desirable", "preferred") in by_section
    assert not any("annual leave" in req.text or "DBS" in req.text for req in posting.requirements)


def test_bulletin_sample_keeps_its_alternative_paths_and_leaves_the_exam_and_process_notes() -> None:
    posting = parse_file(SAMPLES / "water_treatment_operator_marlow_falls.txt")
    required = [req.text for req in posting.requirements if req.kind.value == "required"]
    assert required[0].startswith("Two years of full-time paid experience") and required[0].endswith("; or")
    assert required[1].startswith("An associate degree in water or wastewater technology")
    assert "A valid driver's license is required." in required
    for note in ("moving violations", "eligible list", "medical examination", "on-line", "Interview"):
        assert not any(note in req.text for req in posting.requirements)


COUNTY_PAGE = """\
=== JOB DETAILS ===

Salary: $52,000.00 - $64,000.00 Annually
Location: Lakeview, OR
Department: Elections

=== JOB DESCRIPTION ===

The Lakeview County Elections Office is seeking applicants for a "Voter Services Coordinator" position. \
The employee will serve as the first contact for voters at the counter and by phone.

Answers voter questions about registration and ballots
Trains seasonal election workers before each election
Maintains the voter registration file

Possession of a high school diploma and two years of customer service experience.

Lakeview County offers a generous benefits package to regular employees. Lakeview County is an \
equal opportunity employer.

01

    Do you have two years of customer service experience?
        Yes
        No

02

    Please describe your experience with election software.
"""


def test_county_career_page_with_an_application_questionnaire() -> None:
    posting = parse_text(COUNTY_PAGE)
    assert (posting.title, posting.company) == ("Voter Services Coordinator", "Lakeview County")
    texts = [req.text for req in posting.requirements]
    assert "Trains seasonal election workers before each election" in texts
    assert "Possession of a high school diploma and two years of customer service experience." in texts
    assert not any("?" in text or text in ("Yes", "No") or "benefits" in text for text in texts)


LINKEDIN = """\
About the job

At Northwind Tutors, we help children love reading. The Reading Tutor will work one to one with pupils online.

What You'll Do

Plan short reading lessons for each pupil
Give parents a weekly progress note
Keep lesson records up to date

Who We're Looking For

You're patient, organised and clear when you explain things.
A degree or teaching qualification is a plus

Pay Structure

$25/hour
Northwind Tutors is an equal opportunity employer.
"""


def test_linkedin_description_with_free_lines() -> None:
    posting = parse_text(LINKEDIN)
    assert (posting.title, posting.company) == ("Reading Tutor", "Northwind Tutors")
    assert _kinds(posting) == [
        ("responsibility", "Plan short reading lessons for each pupil"),
        ("responsibility", "Give parents a weekly progress note"),
        ("responsibility", "Keep lesson records up to date"),
        ("required", "You're patient, organised and clear when you explain things."),
        ("preferred", "A degree or teaching qualification is a plus"),
    ]


def _ats_page(record: dict[str, object], body: str = '<div id="root"></div>') -> str:
    return (
        '<html><head><title>Careers</title><script type="application/ld+json">'
        f"{json.dumps(record)}</script></head><body>{body}</body></html>"
    )


JOB_RECORD = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Data Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Brightwater Energy"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Leeds", "addressRegion": "UK"}},
    "description": "&lt;p&gt;Join our data team.&lt;/p&gt;&lt;h3&gt;What you'll do&lt;/h3&gt;"
    "&lt;ul&gt;&lt;li&gt;Build batch pipelines in Python&lt;/li&gt;&lt;/ul&gt;"
    "&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;3+ years of SQL&lt;/li&gt;&lt;/ul&gt;"
    "&lt;h3&gt;Benefits&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;25 days annual leave&lt;/li&gt;&lt;/ul&gt;",
}


def test_ats_page_rendered_by_script_is_read_from_its_json_ld_record() -> None:
    posting = parse_text(_ats_page(JOB_RECORD), fmt="html")
    assert (posting.title, posting.company, posting.location) == (
        "Data Engineer", "Brightwater Energy", "Leeds, UK"
    )
    assert _kinds(posting) == [
        ("responsibility", "Build batch pipelines in Python"),
        ("required", "3+ years of SQL"),
    ]


def test_a_broken_json_ld_record_leaves_the_visible_page() -> None:
    page = _ats_page(JOB_RECORD).replace('{"@context"', '{"@context" oops')
    visible = "<h1>Analyst</h1><h2>Requirements</h2><ul><li>Excel</li></ul>"
    page = page.replace('<div id="root"></div>', visible)
    posting = parse_text(page, fmt="html")
    assert posting.title == "Analyst" and [req.text for req in posting.requirements] == ["Excel"]


def test_title_from_the_file_name_is_a_last_resort_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "county_07_08-records-clerk.txt"
    path.write_text("Duties:\n- Files and retrieves court records\n- Answers public enquiries\n")
    posting = parse_file(path)
    assert (posting.title, posting.title_from) == ("Records Clerk", "file name")


@pytest.mark.parametrize(
    ("stem", "title"),
    [
        ("la_city_03_MACHINIST_3763_061016", "Machinist"),
        ("000_field_sales_representative", "Field Sales Representative"),
        ("warehouse_lead_2024_final", "Warehouse Lead"),
        ("2024_warehouse_lead", "Warehouse Lead"),
        ("county_03_01-city-clerk", "City Clerk"),
    ],
)
def test_a_file_name_title_leaves_catalogue_prefixes_and_codes_but_not_the_job(stem: str, title: str) -> None:
    assert title_from_stem(stem) == title


def test_a_page_listing_several_jobs_is_refused_with_how_to_add_one() -> None:
    page = "\n\n".join(
        f"## {name}\nLocation: {place}\nClosing date: {day} May\n\n"
        f"Responsibilities:\n- Support the {name} team\n"
        for name, place, day in (("Analyst", "Leeds", 3), ("Designer", "York", 9), ("Engineer", "Hull", 12))
    )
    with pytest.raises(PostingError, match=r"holds several job postings \('Location' is given 3 times\); "
                       r"save each posting as its own file"):
        parse_text("# Jobs this week\n\n" + page)


def test_two_bulletins_pasted_together_are_refused_by_their_two_class_codes() -> None:
    second = BULLETIN.replace("PARKS MAINTENANCE SUPERVISOR", "GROUNDS CREW LEADER").replace("3141", "3152")
    with pytest.raises(PostingError, match=r"holds several job postings \('Class Code' is given 2 times\)"):
        parse_text(BULLETIN + "\n\n" + second)


LINKEDIN_JOB = """\
About the job

{name} at Fernhill Academy. We are looking for a teacher who loves {subject}.

What you'll do
- Plan and teach {subject} lessons to classes of thirty
- Mark work and report progress to parents each term

What we're looking for
- Qualified teacher status
- Two years of teaching {subject} in a secondary school
"""


def test_two_descriptions_pasted_together_are_refused_by_their_repeated_headings() -> None:
    page = LINKEDIN_JOB.format(name="Maths Teacher", subject="maths") + "\n" + LINKEDIN_JOB.format(
        name="Science Teacher", subject="science"
    )
    with pytest.raises(PostingError, match=r"several job postings \('About the job' heads 2 sections\)"):
        parse_text(page)


def test_a_newsletter_of_short_adverts_is_refused() -> None:
    adverts = "\n\n".join(
        f"{job}\n{school} · closing 14 March\nRequirements: {need}\nApply now"
        for job, school, need in (
            ("Teaching Assistant", "Hillside Primary", "experience of supporting readers"),
            ("Caretaker", "St Anne's Academy", "a site maintenance background"),
            ("Science Teacher", "Riverside College", "qualified teacher status"),
        )
    )
    with pytest.raises(PostingError, match=r"holds several job postings \('Requirements' heads 3 sections\)"):
        parse_text("Education Jobs Weekly\n\n" + adverts)


def test_a_page_that_shows_its_posting_twice_word_for_word_is_one_posting() -> None:
    once = LINKEDIN_JOB.format(name="Maths Teacher", subject="maths")
    assert _kinds(parse_text(once + "\n" + once)) == _kinds(parse_text(once))


def test_a_job_list_page_with_a_record_per_job_is_refused_naming_them() -> None:
    titles = ("Data Engineer", "Data Analyst", "ML Engineer", "SRE")
    records = [{**JOB_RECORD, "title": title} for title in titles]
    listing = {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": r} for r in records]}
    for data in (records, {"@context": "https://schema.org", "@graph": records}, listing):
        with pytest.raises(PostingError, match=r"several job postings \(4 job records: 'Data Engineer', "
                           r"'Data Analyst', 'ML Engineer', \.\.\.\); save the page of one job"):
            parse_text(_ats_page(data), fmt="html")
    # The same record given twice (some pages do) is still one job.
    assert parse_text(_ats_page([JOB_RECORD, JOB_RECORD]), fmt="html").title == "Data Engineer"


def test_a_careers_page_without_a_job_is_refused_as_such() -> None:
    page = (
        "# Careers at Acme\n\nWe want people who love solving problems.\n\n"
        "## Why work here\n- Flexible hours\n"
        "- 25 days holiday\n\n## Open positions\n- [Data Engineer](https://acme.example/jobs/1)\n"
    )
    with pytest.raises(PostingError, match="it holds no job posting"):
        parse_text(page)


CV = """\
# Jane Doe
jane.doe@example.com · 07700 900123 · Leeds

## Profile
Registered nurse with six years on acute medical wards.

## Experience
**Staff Nurse, Leeds General Infirmary** (2019 - present)
- Led a bay of six patients on nights
- Trained four newly qualified nurses

**Healthcare Assistant, St James's Hospital** (2016 - 2019)
- Personal care and observations for 28 patients

## Education
- BSc (Hons) Adult Nursing, University of Leeds, 2019
"""


def test_a_cv_brought_instead_of_a_posting_is_refused_as_such() -> None:
    with pytest.raises(PostingError, match="looks like a CV or résumé, not a job posting; add the posting"):
        parse_text(CV, fmt="md")
    without_contact = CV.replace("jane.doe@example.com · 07700 900123 · Leeds\n", "")
    with pytest.raises(PostingError, match="looks like a CV"):
        parse_text(without_contact, fmt="md")


def test_a_posting_that_names_a_period_and_a_contact_is_still_a_posting() -> None:
    posting = parse_text(
        "# Year 4 Teacher\nOakfield Primary School\n\nFor the 2026 - 2027 school year.\n\n"
        "## Responsibilities\n- Plan and teach the Year 4 curriculum\n\n## Requirements\n"
        "- Qualified teacher status\n\n## Education\n- A degree in education\n\n"
        "Questions: jobs@oakfield.example or 0113 496 0000 (2026 - 2027 intake).\n"
    )
    assert posting.title == "Year 4 Teacher" and len(posting.requirements) == 3


def test_a_posting_in_another_language_gets_a_clear_message() -> None:
    page = (
        "# Ingénieur logiciel\n\n## Missions\n- Concevoir et développer des services pour nos clients\n"
        "- Participer aux revues de code avec les équipes produit et données\n\n## Profil\n"
        "- Cinq ans d'expérience en développement Python ou Java dans une équipe produit\n"
        "- Bonne connaissance des bases de données et des files de messages pour les services\n"
    )
    with pytest.raises(PostingError, match="not in English; the coach asks and scores in English"):
        parse_text(page)


def test_a_posting_written_to_the_reader_in_free_paragraphs_is_read_by_its_cues() -> None:
    # LinkedIn-style prose with no headings: "You'll ..." duties, "You'll need ..." requirements,
    # "is a bonus" extras. Before, none of these cues was read and the posting was refused.
    text = (
        "Pastry Chef (Harbour Kitchen, Falmouth)\n\n"
        "Harbour Kitchen is a 60-cover seafood restaurant on the quay, open for lunch and dinner.\n\n"
        "You'll run the pastry section on your own, from morning prep to the last dessert, and you'll be "
        "trusted to order your own stock. You'll help train our apprentice on laminated doughs.\n\n"
        "You'll need at least two years' experience on a pastry section, ideally in a restaurant. You "
        "must know allergen control well. A Level 3 Food Hygiene certificate is a bonus.\n\n"
        "We pay 31,000 pounds a year plus tronc. Send your CV to the head chef."
    )
    posting = parse_text(text)

    def kind_of(start: str) -> RequirementKind:
        return next(r.kind for r in posting.requirements if r.text.startswith(start))

    assert kind_of("You'll run the pastry section") is RequirementKind.RESPONSIBILITY
    assert kind_of("You'll help train our apprentice") is RequirementKind.RESPONSIBILITY
    assert kind_of("You'll need at least two years") is RequirementKind.REQUIRED
    assert kind_of("You must know allergen control") is RequirementKind.REQUIRED
    assert kind_of("A Level 3 Food Hygiene certificate") is RequirementKind.PREFERRED
    assert not any("31,000" in r.text or "CV" in r.text for r in posting.requirements)


def test_an_advert_in_paragraphs_with_youll_and_you_must_know_is_a_posting() -> None:
    # Written as a small employer writes: no headings, no lists, contractions.
    page = (
        "Line Cook (The Old Granary, Ludlow)\n\n"
        "The Old Granary is a 40-cover bistro by the river, cooking from a short seasonal menu.\n\n"
        "You'll run the grill section at dinner and help prepare the lunch menu with the head chef. "
        "You must know the 14 allergens and safe cooling and reheating.\n\n"
        "You'll need a year's experience in a busy fresh-food kitchen. "
        "You will need to ensure you can work two weekends in three.\n\n"
        "We pay 27,000 pounds a year plus tips and a meal on every shift.\n"
    )
    assert _kinds(parse_text(page)) == [
        ("responsibility", "You'll run the grill section at dinner and help prepare the lunch menu with the "
         "head chef."),
        ("required", "You must know the 14 allergens and safe cooling and reheating."),
        ("required", "You'll need a year's experience in a busy fresh-food kitchen."),
    ]


def test_a_linkedin_headline_names_title_employer_and_place_and_diversity_text_is_no_requirement() -> None:
    page = (
        "Account Manager (SMB) at Larkfield, Leeds, United Kingdom (Hybrid)\n\n"
        "Larkfield makes booking software for salons and clinics.\n\n"
        "You'll run renewals for about 80 small accounts and you'll help customers set up online payments. "
        "You'll probably have two years in account management or a similar customer-facing role. We'd love "
        "to hear from you if you can read usage data and turn it into a plan for the account.\n\n"
        "Larkfield is committed to building a diverse team and we welcome applicants from all backgrounds; "
        "if you need any adjustments during the process, tell our talent team.\n"
    )
    posting = parse_text(page)
    assert (posting.title, posting.company) == ("Account Manager (SMB)", "Larkfield")
    assert posting.location.startswith("Leeds")
    texts = [r.text for r in posting.requirements]
    assert any(t.startswith("You'll probably have two years") for t in texts)
    assert any(t.startswith("We'd love to hear from you if you can read usage data") for t in texts)
    assert not any("diverse" in t or "adjustments" in t for t in texts)


def test_a_bulletins_job_title_field_under_a_dropped_heading_is_its_title() -> None:
    page = (
        "HARTLEY COUNTY\nDEPARTMENT OF PARKS\nEXAMINATION BULLETIN\n\n"
        "JOB TITLE: Park Ranger II\nSALARY: $24.10 - $30.55 per hour\n\n"
        "DUTIES\n"
        "- Patrols parks and trails and enforces park rules with visitors.\n"
        "- Leads guided walks and school visits.\n"
        "- Writes incident reports and keeps the daily log.\n\n"
        "MINIMUM QUALIFICATIONS\n"
        "- Two years of experience in park operations, outdoor recreation or public safety.\n"
        "- A valid driver's license.\n"
    )
    posting = parse_text(page)
    assert posting.title == "Park Ranger II" and posting.title_from == "text"
