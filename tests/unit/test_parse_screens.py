"""What never becomes a requirement, and which text reads as English (knowledge/parse/screens.py)."""

from __future__ import annotations

import pytest

from knowledge.parse.screens import is_english, not_a_requirement

NOT_REQUIREMENTS = {
    "27 days annual leave (plus Bank Holidays) increasing with service": "benefit",
    "Life Assurance, Discounted Fitness Membership, Stakeholder Company Pension": "benefit",
    "Comprehensive, affordable medical, dental and vision plans": "benefit",
    "Teaching Fee: $35/hour; Teachers will be assigned 4-7 classes per week": "pay",
    "Full Time - 37.5 hours per week": "pay",
    "Applicants who lack six months of the required experience may file for this examination.": "process",
    "A final average score of 70% is required to be placed on the eligible list.": "process",
    "Please select the programming languages with which you have SDLC experience": "process",
    "Post subject to References, Identification, DBS and OH checks": "verification",
    "You may be required to undergo a drug and alcohol screening test.": "verification",
    "The City of Springfield does not discriminate on the basis of race, religion or sex.": "eeo",
    "Acme is an equal opportunity employer.": "eeo",
    "💼 About Us: We’re a global leader in learning software.": "about",
    "Our vision is to provide safe services to every patient.": "about",
}
REQUIREMENTS = [
    "Knowledge of equal opportunity law",
    "NMC Registered General Nurse",
    "Legal authorization to work in the United States.",
    "A valid California driver's license is required.",
    "Experience with payroll and benefits administration systems",
    "3+ years of experience designing data pipelines",
]


@pytest.mark.parametrize(("text", "reason"), NOT_REQUIREMENTS.items())
def test_boilerplate_sentences_are_screened_with_their_reason(text: str, reason: str) -> None:
    assert not_a_requirement(text) == reason


@pytest.mark.parametrize("text", REQUIREMENTS)
def test_requirements_that_mention_such_words_pass(text: str) -> None:
    assert not_a_requirement(text) is None


def test_english_and_other_languages() -> None:
    english = "You will design services for our customers and review code with the product team. " * 5
    french = "Vous concevez des services pour nos clients et participez aux revues de code. " * 5
    german = "Sie entwickeln Dienste für unsere Kunden und arbeiten mit dem Team an der Planung. " * 5
    keywords = "Python SQL Docker Kubernetes Terraform AWS GCP Kafka Spark Airflow " * 5
    assert is_english(english)
    assert not is_english(french)
    assert not is_english(german)
    assert is_english(keywords)  # a bare keyword list is no other language
    assert is_english("Courte annonce")  # too short to judge


def test_a_short_advert_in_another_language_is_judged_by_its_function_words() -> None:
    # 36 words: under the length judged by shares alone, but 12 German function words and no English.
    german = (
        "Stellenangebot: Softwareentwickler (m/w/d)\n\nIhre Aufgaben\n- Entwicklung von Webanwendungen mit "
        "Python\n- Zusammenarbeit mit dem Produktteam und den Kunden\n\nIhr Profil\n- Abgeschlossenes "
        "Studium der Informatik oder eine vergleichbare Ausbildung\n- Mehrjährige Erfahrung mit Python und "
        "Datenbanken\n"
    )
    assert not is_english(german)
    # A short English advert naming a French restaurant and a Dutch firm stays English.
    short = "Sous chef at La Maison de la Mer for Van der Berg en Zonen: lead the line and the team."
    assert is_english(short)
