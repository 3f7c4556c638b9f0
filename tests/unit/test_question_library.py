"""Questions from the competency library: matching, terms, qualifications, screening, spread, history."""

from __future__ import annotations

import numpy as np
import pytest

from chains.evaluation.question_checks import (
    answer_problems,
    foreign_example,
    question_problems,
    quotes_requirement,
    repeated_phrase,
    same_openings,
)
from chains.models import Difficulty, Question, QuestionKind
from chains.questions import compose
from chains.questions.compose import Spread, opening
from chains.questions.library import MATCH_THRESHOLD, fills, library_index, requirement_terms
from chains.questions.planner import plan_questions, requirement_key, screening_items
from chains.questions.qualifications import screening_reason
from knowledge.embeddings import embed
from knowledge.posting import Posting, Requirement, RequirementKind
from ui import render

R, P, D = RequirementKind.REQUIRED, RequirementKind.PREFERRED, RequirementKind.RESPONSIBILITY


def _posting(lines: list[tuple[str, RequirementKind]], title: str = "Management Accountant") -> Posting:
    requirements = [Requirement(text=t, kind=k, order=i) for i, (t, k) in enumerate(lines)]
    return Posting(id="acct0123456789ab", title=title, text="\n".join(t for t, _ in lines),
                   requirements=requirements)


def _items(posting: Posting) -> list[tuple[Requirement, np.ndarray]]:
    return list(zip(posting.requirements, embed([r.text for r in posting.requirements]), strict=True))


ACCOUNTANT = [
    ("Hands-on experience running a month-end close and preparing balance sheet reconciliations", R),
    ("CPA certification", R),
    ("BA/BS degree or equivalent practical experience.", R),
    ("Reconcile bank and supplier accounts in Xero every month", D),
    ("Able to explain variances against budget to non-finance managers", R),
    ("Ability to travel up to 10% of the time.", P),
    ("Experience with accounts payable and supplier payment runs", D),
]


@pytest.fixture(scope="module")
def accountant() -> tuple[Posting, list[tuple[Requirement, np.ndarray]]]:
    posting = _posting(ACCOUNTANT)
    return posting, _items(posting)


def _match(text: str) -> tuple[str, float]:
    found = library_index().matches(embed([text])[0], top=1)[0]
    return found.id, found.confidence


@pytest.mark.parametrize(
    ("text", "competency"),
    [
        ("Reconcile bank and balance sheet accounts monthly", "account_reconciliation"),
        ("Safely administer IV medicines and check high-risk drugs", "medication_administration_safety"),
        ("Keep a calm, positive classroom using the school's behaviour policy",
         "classroom_behaviour_management"),
        ("Recognise safeguarding concerns and report them straight away", "safeguarding_vulnerable_people"),
        ("Hands-on experience running Docker and Kubernetes in production", "cloud_infrastructure_devops"),
        # Leading a shift is not care planning; being a patient's named nurse is.
        ("Undertake the role of Nurse in Charge as and when required", "nurse_in_charge_shift_coordination"),
        ("Take charge of the ward on a regular basis", "nurse_in_charge_shift_coordination"),
        ("Act as a named staff nurse for a group of assigned patients", "patient_assessment_care_planning"),
        # A language line is about the language, not about writing that got people to act.
        ("A second European language.", "working_in_languages"),
        ("Ability to speak and write in English and Korean fluently and idiomatically.",
         "working_in_languages"),
        ("Conversational Spanish preferred", "working_in_languages"),
        ("Excellent written and verbal communication skills", "communication"),
        # Bulletin duties in the third person.
        ("Maintains open communication with parents", "working_with_parents_families"),
        ("assigns, reviews, and evaluates the work of employees", "team_planning_delegation"),
        ("answers routine and complex computer related questions from users", "it_support_service_desk"),
    ],
)
def test_requirements_match_their_competency_with_confidence(text: str, competency: str) -> None:
    found, confidence = _match(text)
    assert found == competency and confidence >= MATCH_THRESHOLD


def test_library_questions_carry_their_guide_and_example_answer(accountant) -> None:
    posting, items = accountant
    plan = plan_questions(posting, items, 4)
    library = [q for q in plan if q.model_answer_source == "library"]
    assert library, [q.text for q in plan]
    for question in library:
        competency = library_index().by_id(question.competency_id)
        assert competency is not None
        entry = getattr(competency, question.kind.value)
        written = [e for e in entry.examples if e.answer.strip() == question.model_answer]
        if written:  # the example answers this very question, and its guide goes with it
            assert fills(written[0].question, question.text), (question.text, written[0].question)
            assert question.guide == entry.guide_for(written[0].question)
        else:  # no example was written for this question: its guide is its model answer
            listed = next(q for q in entry.questions.all() if fills(q, question.text))
            assert question.answer_is_guide and question.guide == entry.guide_for(listed)
        assert foreign_example(question.text, question.model_answer, competency) == ""
        assert "interviewers probe it with questions on" in question.why
        assert answer_problems(question.model_answer) == []


def test_requirement_terms_fill_the_slot_only_where_they_read_naturally() -> None:
    reconciliation = library_index().by_id("account_reconciliation")
    cloud = library_index().by_id("cloud_infrastructure_devops")
    assert reconciliation is not None and cloud is not None
    listed = "Reconciliation tools such as BlackLine or FloQast"
    assert requirement_terms(listed, reconciliation.slot_names) == "BlackLine or FloQast"
    # "Cut Docker or Kubernetes spending" would not read: the default fills the slot.
    assert requirement_terms("Experience with Docker and Kubernetes", cloud.slot_names) == ""
    requirement = Requirement(text=f"Experience with {listed[0].lower()}{listed[1:]}", kind=R)
    hard = compose.library_options(requirement, reconciliation, QuestionKind.TECHNICAL, Difficulty.HARD)
    assert any("BlackLine or FloQast" in text for text in hard), hard


def test_qualifications_get_what_interviewers_ask_about_them(accountant) -> None:
    posting, items = accountant
    plan = plan_questions(posting, items, 5)
    cpa = next(q for q in plan if q.requirements[0].text == "CPA certification")
    assert cpa.competency_id == "certification_applied" and cpa.guide
    assert "CPA" in cpa.text and "studies" not in cpa.text.lower() and "“" not in cpa.text
    licence = Requirement(text="Current registered nurse licence in New Hampshire or a compact state", kind=R)
    chosen = compose.choose_competency(licence, embed([licence.text])[0], Spread())
    assert chosen is not None and "licence" in chosen[0].name.lower() + chosen[0].description.lower()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BA/BS degree or equivalent practical experience.", "degree"),
        ("Ability to travel up to 10% of the time.", "travel"),
        ("A full driving licence.", "driving"),
        ("Able to travel between sites; a driving licence is desirable for rural visits.", "travel"),
        ("Please specify where you gained the education level listed above", "application form"),
        ("Yes", "application form"),
        ("2 years of relevant work experience", "length of experience"),
        ("comprehensive, affordable medical, dental and vision plans", "term of employment"),
        # Where and when, whatever the line's shape (bulletins and job boards keep them as items).
        ("🌏 Available Locations: Australia, New Zealand, Canada, USA, UK.", "location"),
        ("Petersburg, Virginia", "location"),
        ("early, late, twilight and nights.", "hours"),
        ("All staff are expected to be able and willing to work across a 7 day service.", "hours"),
        ("This post will be based on the Basingstoke site and may provide cover elsewhere", "location"),
        ("Appropriate Automobile Insurance Coverage", "driving"),
        ("performs related work as required.", "term of employment"),
        ("You are still eligible to apply if you are still pursuing a Bachelor's degree", "application"),
        ("Think Academy U.S. is looking for Remote Advanced Competition Math Teacher to work with students",
         "application"),
        ("Two years of full-time paid experience of the type specified in Requirement #1, and a. Completion "
         "of a certificate program", "cross-reference"),
    ],
)
def test_screening_items_are_not_asked_and_say_why(text: str, reason: str) -> None:
    assert reason in screening_reason(Requirement(text=text, kind=R))


@pytest.mark.parametrize(
    "text",
    ["CPA certification", "PostgreSQL", "Bachelor's degree in accounting or finance",
     "Experience with Docker and Kubernetes", "Project Management, Agile", "Customer Service, Sales",
     "We are looking for someone with payroll experience",
     "Completion of a recognized apprenticeship as a machinist",
     # "controlled drug and ..." is no drug test; "under the direction of a vet" is what the job knows
     "Follow the practice's infection control, controlled drug and health and safety procedures.",
     "Knowledge of the procedures a nurse may carry out under the direction of a veterinary surgeon"],
)
def test_real_requirements_are_not_screened(text: str) -> None:
    assert screening_reason(Requirement(text=text, kind=R)) == ""


def test_a_session_skips_screening_items_and_says_so_in_the_first_why(accountant) -> None:
    posting, items = accountant
    plan = plan_questions(posting, items, 5)
    asked = {r.text for q in plan for r in q.requirements}
    assert "Ability to travel up to 10% of the time." not in asked
    assert "BA/BS degree or equivalent practical experience." not in asked
    assert "Not asked in this practice" in plan[0].why and "travel" in plan[0].why
    assert {r.text for r, _ in screening_items(posting.requirements)} >= {
        "Ability to travel up to 10% of the time.", "BA/BS degree or equivalent practical experience."
    }


def test_a_posting_of_screening_items_only_plans_nothing() -> None:
    posting = _posting([("Ability to travel up to 10% of the time.", R), ("A full driving licence.", R)])
    assert plan_questions(posting, _items(posting), 3) == []


def test_a_requirement_no_competency_matches_gets_a_grammatical_question_and_an_outline() -> None:
    requirement = Requirement(text="Experience with carrier scan events for parcel tracking", kind=R)
    composed = compose.from_requirement(requirement, QuestionKind.BEHAVIOURAL, Difficulty.MEDIUM, Spread())
    assert composed.source == "offline" and not composed.competency_id
    assert not composed.text.lower().startswith("tell me about experience")
    assert not quotes_requirement(composed.text, requirement.text)
    assert question_problems(composed.text, requirement.text) == []
    assert 4 <= len(composed.guide) <= 5 and answer_problems(composed.model_answer) == []
    assert not any(point.startswith(("I ", "In my last role")) for point in composed.guide)


def test_openings_and_competencies_spread_over_a_session(accountant) -> None:
    posting, items = accountant
    plan = plan_questions(posting, items, 10)
    assert same_openings([q.text for q in plan]) == []
    assert len({q.kind for q in plan}) >= 2
    first_cycle = plan[:5]
    assert len({q.text for q in first_cycle}) == 5
    assert len({opening(q.text) for q in first_cycle}) >= 3


def test_a_second_session_starts_from_what_was_not_asked_then_the_worst_answered(accountant) -> None:
    posting, items = accountant
    first = plan_questions(posting, items, 2)
    history: dict[str, int | None] = {requirement_key(first[0].requirements[0].text): 85,
                                      requirement_key(first[1].requirements[0].text): 30}
    second = plan_questions(posting, items, 5, history=history)
    asked_before = {first[0].requirements[0].text, first[1].requirements[0].text}
    assert second[0].requirements[0].text not in asked_before
    order = [q.requirements[0].text for q in second]
    fresh = [t for t in order if t not in asked_before]
    assert order[: len(fresh)] == fresh  # everything new first
    # The accountant posting has five practised requirements: three new, then the two asked before,
    # the worst answered (30) before the best (85).
    assert order[len(fresh):] == [first[1].requirements[0].text, first[0].requirements[0].text]


def test_once_everything_was_asked_a_session_starts_from_the_worst_answered(accountant) -> None:
    posting, items = accountant
    first = plan_questions(posting, items, 5)
    keys = [requirement_key(q.requirements[0].text) for q in first]
    assert len(set(keys)) == 5
    # The first session's opening requirement was answered best, its third worst, its fifth skipped.
    history: dict[str, int | None] = dict(zip(keys, [90, 70, 20, 55, None], strict=True))
    second = plan_questions(posting, items, 5, history=history)
    order = [requirement_key(q.requirements[0].text) for q in second]
    assert order == [keys[4], keys[2], keys[3], keys[1], keys[0]]  # unanswered, then 20, 55, 70, 90
    assert second[0].text != first[0].text
    # Kinds and openings still vary within the second session.
    assert len({q.kind for q in second}) >= 2
    assert len({opening(q.text) for q in second}) >= 3


def test_question_checks_catch_what_a_person_notices() -> None:
    req = "CPA certification and experience in a technology organization"
    asks_for = "The role asks for “CPA certification”. Tell me more?"
    assert "template opening" in question_problems(asks_for, req)
    assert "template opening" in question_problems(
        "Think of a real problem in this role that accounting would help solve. What matters?", req)
    assert "quotes the requirement verbatim" in question_problems(
        f"How has {req.lower()} helped you?", req)
    assert any("words" in p for p in question_problems("Why " + "really " * 50 + "?", req))
    assert question_problems("Describe a time a reconciliation wouldn't balance.", req) == []
    scaffold = (
        "One concrete example was a project with a tight deadline where what I learned in my studies "
        "and practical work mattered most. It improved the main metric by about 20 percent."
    )
    assert any("placeholder" in p for p in answer_problems(scaffold))
    repeated = " ".join(["I was designing, building and operating the Python services."] * 3)
    assert repeated_phrase(repeated) and any("repeated" in p for p in answer_problems(repeated))
    assert same_openings(["Tell me about a", "Tell me about b", "Tell me about c"]) == ["tell me about"]
    assert same_openings(["Tell me about a", "Describe b", "Tell me about c"]) == []


def test_model_answer_shows_the_guide_as_a_list_then_the_example() -> None:
    question = Question(
        id="q1", text="Walk me through a bank reconciliation.", kind=QuestionKind.TECHNICAL,
        difficulty=Difficulty.MEDIUM, requirements=[], why="Why this question: x.",
        model_answer="I start with two numbers at the same date.", model_answer_source="library",
        guide=["Start from the bank statement", "Match transactions"],
    )
    shown = render.model_answer(question.model_answer, question)
    assert shown.index("- Start from the bank statement") < shown.index("> I start with two numbers")
    assert "question library" in shown
    outline = question.model_copy(update={
        "model_answer_source": "offline",
        "model_answer": "Start from the bank statement. Match transactions.",
    })
    shown = render.model_answer(outline.model_answer, outline)
    assert "- Match transactions" in shown and ">" not in shown.split("\n\n", 1)[1]


def test_the_summary_lists_screening_items_with_their_reason(accountant) -> None:
    from chains.session.summary import build_summary

    posting, _ = accountant
    summary = build_summary(posting, [], [])
    travel = next(row for row in summary.rows if row.requirement.text.startswith("Ability to travel"))
    assert travel.screening and "travel" in travel.screening and not travel.asked
    assert "## Screening items (not practised)" in summary.markdown
    assert "Ability to travel up to 10% of the time" in summary.markdown.split("## Screening items")[1]
    not_asked = summary.markdown.split("## Not asked yet")[1].split("## ")[0]
    assert "CPA certification" in not_asked and "Ability to travel" not in not_asked
    shown = render.summary(summary)
    assert "**Screening items**" in shown and "travel" in shown


def test_a_certificate_named_in_several_words_is_named_whole_in_the_question() -> None:
    from chains.questions.qualifications import qualification_terms
    from knowledge.posting import Requirement, RequirementKind

    line = "A valid State Grade II Water Treatment Operator certificate is required at appointment."
    requirement = Requirement(text=line, kind=RequirementKind.REQUIRED)
    terms = qualification_terms(requirement, "certification_applied")
    assert terms == "your State Grade II Water Treatment Operator certificate"
    assert qualification_terms(
        Requirement(text="PMP or PRINCE2 certification preferred", kind=RequirementKind.PREFERRED),
        "certification_applied",
    ) == "your PMP and PRINCE2 certificates"


def test_a_language_line_fills_the_slot_with_the_language_it_names() -> None:
    languages = library_index().by_id("working_in_languages")
    assert languages is not None
    names = languages.slot_names
    assert requirement_terms("Ability to speak and write in English and German fluently", names) == "German"
    assert requirement_terms("A second European language.", names) == ""
    requirement = Requirement(text="Fluent Spanish and English", kind=R)
    texts = [t for d in Difficulty for k in (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL)
             for t in compose.library_options(requirement, languages, k, d)]
    assert any("Spanish" in t for t in texts) and not any("{terms}" in t for t in texts)


def test_a_question_without_its_own_example_gets_its_guide_not_a_neighbours_example() -> None:
    reconciliation = library_index().by_id("account_reconciliation")
    assert reconciliation is not None
    entry = reconciliation.situational
    requirement = Requirement(text="Reconcile bank and supplier accounts every month", kind=R)
    asked = [compose.from_library(requirement, reconciliation, QuestionKind.SITUATIONAL, d, Spread())
             for d in Difficulty]
    for composed in asked:
        listed = next(q for q in entry.questions.all() if fills(q, composed.text))
        example = entry.example_for(listed)
        if example is None:
            assert not composed.has_example
            assert composed.model_answer == compose.guide_text(entry.guide_for(listed))
        else:
            assert composed.has_example and composed.model_answer == example.answer.strip()
    # The medium question asked is the one the example was written for.
    medium = asked[list(Difficulty).index(Difficulty.MEDIUM)]
    assert medium.has_example


def test_the_evaluation_flags_an_example_shown_under_another_question() -> None:
    reconciliation = library_index().by_id("account_reconciliation")
    assert reconciliation is not None
    example = reconciliation.situational.examples[0]
    other = next(q for q in reconciliation.situational.questions.all() if q != example.question)
    assert "written for another question" in foreign_example(other, example.answer, reconciliation)
    assert foreign_example(example.question, example.answer, reconciliation) == ""


@pytest.mark.parametrize(
    "text",
    ["Able to coach and motivate a team working rotating shifts.",
     "Lead, schedule and train the front office team across early, late and night shifts.",
     "Run the shift as duty manager"],
)
def test_leading_a_shift_outside_nursing_is_not_the_nurse_in_charge(text: str) -> None:
    assert _match(text)[0] != "nurse_in_charge_shift_coordination"


def test_every_library_question_shows_the_example_written_for_it_or_its_guide() -> None:
    """Asked through the composer, each of the library's questions carries only its own example."""
    from prompts.library import load_library

    shown_examples = 0
    for competency in load_library().competencies:
        requirement = Requirement(text=competency.phrasings[0], kind=R)
        for kind in (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL):
            entry = getattr(competency, kind.value)
            for difficulty in Difficulty:
                for listed, text, _ in compose._ranked(requirement, competency, kind, difficulty):
                    composed = compose.from_library(requirement, competency, kind, difficulty, Spread(),
                                                    text=text)
                    assert fills(listed, composed.text), (competency.id, listed, composed.text)
                    example = entry.example_for(listed)
                    if example is None:
                        assert not composed.has_example, (competency.id, listed)
                        assert composed.guide == entry.guide_for(listed)
                        assert composed.model_answer == compose.guide_text(entry.guide_for(listed))
                    else:
                        assert composed.has_example and composed.model_answer == example.answer.strip()
                        assert composed.guide == entry.guide_for(listed)
                        shown_examples += 1
                    assert foreign_example(composed.text, composed.model_answer, competency) == "", (
                        competency.id, listed)
    assert shown_examples >= 3 * len(load_library().competencies)  # every kind has at least one


def test_a_look_alike_from_another_job_family_gives_way_on_a_posting_of_one_family() -> None:
    # A sales posting's "cloud partners" line is close to the DevOps competency's "cloud" phrasings;
    # a hiring manager for the sales job would never ask about Terraform or production incidents.
    sales = [
        "Negotiate contract renewals with procurement teams",
        "Build a pipeline of qualified prospects",
        "Run discovery calls with finance leaders",
        "Experience partnering with cloud resellers",
    ]
    families = compose.home_families(list(embed(sales)))
    assert families == {"sales_customer_success"}
    cloud = Requirement(text="Experience working alongside cloud partners", kind=R)
    vector = embed([cloud.text])[0]
    alone = compose.choose_competency(cloud, vector, Spread())
    assert alone is not None and alone[0].id == "cloud_infrastructure_devops"  # no posting context
    in_posting = compose.choose_competency(cloud, vector, Spread(families=families))
    assert in_posting is None or compose._family(in_posting[0]) != "software_data"


@pytest.mark.parametrize(
    "text", ["Person specification", "Experience (essential)", "Knowledge and skills (desirable)",
             "Personal qualities", "Skills and experience:"],
)
def test_the_headings_of_a_person_specification_are_not_asked(text: str) -> None:
    assert "heading" in screening_reason(Requirement(text=text, kind=R))


def test_a_registration_is_named_by_its_name_not_its_assessments() -> None:
    from chains.questions.qualifications import qualification_terms

    gas = Requirement(text="Current Gas Safe registration with CCN1 and HTR1 assessments.", kind=R)
    assert qualification_terms(gas, "professional_licence_registration") == "your Gas Safe registration"
    council = Requirement(text="Registration with the General Dental Council as a dental nurse.", kind=R)
    named = qualification_terms(council, "professional_licence_registration")
    assert named == "your General Dental Council registration"
    # The acronym in brackets names the council; a name joins its words with "of" and "and".
    hcpc = Requirement(text="Registration with the Health and Care Professions Council (HCPC).", kind=R)
    assert qualification_terms(hcpc, "professional_licence_registration") == "your HCPC registration"
    csp = Requirement(text="Membership of the Chartered Society of Physiotherapy.", kind=R)
    assert qualification_terms(csp, "professional_licence_registration") == (
        "your Chartered Society of Physiotherapy membership"
    )


def test_a_general_coding_line_is_asked_about_code_not_about_apis() -> None:
    # Without a competency for writing and reviewing code, "coding in Java or Python" matched the API one
    # and was asked how to version a public API.
    coding = Requirement(text="Strong coding experience in Java or Python", kind=R)
    chosen = compose.choose_competency(coding, embed([coding.text])[0], Spread())
    assert chosen is not None and chosen[0].id == "software_engineering_practice"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Calm, clear communication with callers from the public, some of them anxious.",
         "member of the public"),
        ("Good written communication, including reports for managers.", "written report"),
        ("Confident presenting to large groups.", "presentation"),
    ],
)
def test_a_communication_line_gets_the_communication_question_it_is_about(text: str, wanted: str) -> None:
    # Written or public communication used to get the presentation question, the only one with an example.
    requirement = Requirement(text=text, kind=R)
    communication = library_index().by_id("communication")
    assert communication is not None
    options = compose.library_options(requirement, communication, QuestionKind.TECHNICAL, Difficulty.MEDIUM,
                                      embed([text])[0])
    assert wanted in options[0], options
