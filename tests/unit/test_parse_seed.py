"""The real scraped job page in ../shared: what is kept, what is dropped, and its five Q&A pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.parse import parse_file
from knowledge.posting import Posting
from tests.conftest import SEED_POSTING, need_shared

pytestmark = pytest.mark.shared

EXPECTED_REQUIREMENTS = [
    ("responsibility", "Partner with the Data Platform team in a two-way exchange of best practices"),
    (
        "responsibility",
        "Adopt common patterns and build effective abstractions across different machine learning "
        "pipelines that simplify existing machine learning processes and accelerate the modelling process "
        "from the business problem’s inception to deploying a model solution into production",
    ),
    (
        "responsibility",
        "Develop horizontal solutions to robustly scale the team’s machine learning models and processes",
    ),
    (
        "responsibility",
        "Build software with Object-oriented Design Patterns and Analysis (OOA and OOD) with an eye toward "
        "reducing technical debt and maintaining services at high availability",
    ),
    ("responsibility", "Participate in requirements reviews, design reviews, and code reviews"),
    ("responsibility", "Research and prototype new technologies to support the rapid growth of the business"),
    (
        "responsibility",
        "Interact cross-functionally with a wide variety of technical teams and work closely with data and "
        "applied scientists to identify opportunities to improve on iHerb’s platform",
    ),
    ("required", "Strong coding experience (e.g. Java, C#, Python)"),
    (
        "required",
        "Experience with gathering data from multiple sources using big data technologies "
        "(Spark, Hadoop, BigQuery, Athena, etc.)",
    ),
    (
        "required",
        "Experience building machine learning infrastructure following robust software engineering practices",
    ),
    (
        "required",
        "Knowledge of modern software development tools, systems, and practices (design patterns, CI/CD, "
        "git, unit testing, smoke testing, integration testing, job schedulers, cloud technologies like "
        "AWS Lambdas and Google functions, etc.)",
    ),
    ("required", "Exposure to all aspects of the software development life-cycle"),
    ("required", "Experience with messaging technologies (Kafka, Google Pub/Sub, Kinesis, RabbitMQ, etc.)"),
    ("required", "Experience with Docker and Kubernetes"),
    ("required", "High degree of accuracy and attention to detail"),
    ("required", "Excellent organization skills and ability to multitask"),
    ("skill", "Experience with Microsoft Office Suite (Word, Excel, PowerPoint)"),
    ("skill", "Experience with Google Business Suite (Gmail, Drive, Docs, Sheets, Forms) preferred"),
    (
        "required",
        "Generally requires a minimum of two (2) years relevant experience in applied machine learning or "
        "machine learning systems/infrastructure, and one (1) year of relevant work experience in machine "
        "learning engineering or related fields. (e.g., as a Machine Learning Engineer, ML Ops engineer, "
        "or related position).",
    ),
    (
        "required",
        "Bachelor’s Degree in Computer Science, Electrical Engineering, or related field required, "
        "Masters Degree preferred.",
    ),
    (
        "required",
        "Able to identify, troubleshoot and resolve problems quickly using sound judgment, poise and "
        "diplomacy.",
    ),
    (
        "required",
        "Ability to use judgment and reasoning skills, and determine when to escalate issues, as required, "
        "in a timely manner.",
    ),
]

# (question, first words of the answer, last words of the answer)
EXPECTED_QA = [
    (
        "Describe an experience where you designed and built a scalable machine learning infrastructure "
        "from scratch.",
        "At my previous company, I led the design of a ML platform",
        "scaled to handle millions of predictions per day.",
    ),
    (
        "How do you ensure the reliability and performance of ML models in production?",
        "I implement robust monitoring and alerting for model metrics",
        "I rely on A/B testing and gradual canary deployments to mitigate risks.",
    ),
    (
        "Walk me through a time you collaborated with data scientists to solve a business problem using ML. "
        "What was your role?",
        "I worked closely with data scientists to build a recommendation system",
        "The collaboration resulted in a 15% increase in click-through rates.",
    ),
    (
        "What is your experience with big data technologies? Give an example of a project where you "
        "processed large volumes of data.",
        "I used Spark to process over 10TB of customer behavior data daily.",
        "The processed data was used to train real-time fraud detection models.",
    ),
    (
        "How do you stay updated with the latest trends in machine learning engineering?",
        "I regularly read research papers and blogs from top companies",
        "I also experiment with new tools and frameworks in personal projects to evaluate their potential.",
    ),
]

# Page furniture and boilerplate of the page, with a phrase of each that must not survive.
DROPPED = {
    "resume tailoring widget": "Tailor my resume",
    "resume tailoring sample": "Senior Backend Developer position",
    "good-fit widget": "Am I a good fit",
    "good-fit sample": "Overall Match",
    "cover letter assistant": "Cover Letter Assistant",
    "cover letter sample": "Dear Hiring Manager",
    "cover letter body": "XYZ Corp",
    "AI summary": "AI Summary",
    "AI insight": "AI Insight",
    "salary analysis": "Market Rate",
    "company blurb": "Earth’s best-curated selection",
    "company values": "Strive for Simplicity",
    "benefits": "401(k)",
    "benefits link": "iHerbBenefits",
    "pay scale": "Anticipated Pay Scale",
    "staffing notice": "unsolicited 3rd party",
    "EEO": "Equal Opportunity employer",
    "upload widget": "Upload your resume",
    "trust notice": "Trust & Safety",
    "similar jobs heading": "Similar Software Engineering remote jobs",
    "similar job": "Model-Based Systems Engineer",
    "similar job company": "Baker Hughes",
    "similar job blurb": "Veeam is the Data and AI Trust Company",
    "apply link": "Apply now",
    "physical demands": "climb stairs",
    "work environment": "Warehouse environment",
    "duties disclaimer": "not an exhaustive list",
    "job board header": "Views / Applies",
    "recruiting tag": "#LI-JC1",
}


@pytest.fixture(scope="module")
def seed() -> Posting:
    return parse_file(need_shared(SEED_POSTING))


def test_requirements_are_exactly_the_employers_items_with_their_kinds(seed: Posting) -> None:
    got = [(req.kind.value, req.text) for req in seed.requirements]
    assert got == EXPECTED_REQUIREMENTS
    assert [req.order for req in seed.requirements] == list(range(len(EXPECTED_REQUIREMENTS)))


def test_requirements_remember_their_section(seed: Posting) -> None:
    sections = {req.text: req.section for req in seed.requirements}
    assert sections["Experience with Docker and Kubernetes"] == "Required"
    assert sections["Participate in requirements reviews, design reviews, and code reviews"] == (
        "Job Expectations"
    )
    assert (
        sections["Experience with Microsoft Office Suite (Word, Excel, PowerPoint)"] == "Equipment Knowledge"
    )


def test_the_run_together_question_block_splits_into_five_whole_pairs(seed: Posting) -> None:
    assert len(seed.qa_pairs) == len(EXPECTED_QA)
    for pair, (question, answer_start, answer_end) in zip(seed.qa_pairs, EXPECTED_QA, strict=True):
        assert pair.question == question
        assert pair.model_answer.startswith(answer_start)
        assert pair.model_answer.endswith(answer_end)
        assert pair.source == "posting"
    # No answer swallowed the next question or the "Job Summary" heading glued to the last answer.
    for pair in seed.qa_pairs:
        assert "?" not in pair.model_answer
        assert "Job Summary" not in pair.model_answer


def test_title_company_and_location_are_read_from_the_page(seed: Posting) -> None:
    assert seed.title == "Principal Machine Learning Engineer"
    assert seed.company == "iHerb"
    assert seed.location == "Remote (USA)"
    assert seed.source == SEED_POSTING.name


def test_kept_text_holds_the_posting_itself(seed: Posting) -> None:
    for kept in (
        "The Machine Learning Engineer will tackle challenging problems",  # job summary
        "Job Expectations",
        "Experience with Docker and Kubernetes",
        "Equipment Knowledge",
        "Generally requires a minimum of two (2) years",
        "Bachelor’s Degree in Computer Science",
        "How do you stay updated with the latest trends",
    ):
        assert kept in seed.text


@pytest.mark.parametrize(("what", "phrase"), sorted(DROPPED.items()))
def test_boilerplate_is_dropped_from_text_and_requirements(seed: Posting, what: str, phrase: str) -> None:
    assert phrase not in seed.text, what
    assert all(phrase not in req.text for req in seed.requirements), what
    assert all(phrase not in pair.question + pair.model_answer for pair in seed.qa_pairs), what


def test_no_requirement_comes_from_links_or_markup(seed: Posting) -> None:
    for req in seed.requirements:
        assert "](" not in req.text and "http" not in req.text and not req.text.startswith(("*", "#"))


def test_parsing_twice_gives_the_same_posting(seed: Posting) -> None:
    again = parse_file(Path(SEED_POSTING))
    assert again == seed
