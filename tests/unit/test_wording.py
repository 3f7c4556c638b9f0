"""Offline wording: the phrase normaliser and the question templates read naturally for odd items."""

from __future__ import annotations

import re

import pytest

from chains.models import Difficulty, QuestionKind
from chains.questions.wording import PhraseForm, normalise, question_text, wording_problems
from knowledge.posting import Requirement, RequirementKind

REQ, PREF, RESP = RequirementKind.REQUIRED, RequirementKind.PREFERRED, RequirementKind.RESPONSIBILITY

# (requirement as a posting writes it, its kind, the core words the question must contain; '|' = or)
ODD = [
    ("Experience with Docker and Kubernetes", REQ, "Docker and Kubernetes"),
    ("5+ years of experience in distributed systems", REQ, "distributed systems"),
    ("BA/BS degree or equivalent practical experience.", REQ, "BA/BS degree"),
    ("Ability to build influential relationships and deliver results in a cross-functional/matrixed "
     "environment.",
     PREF, "influential relationships"),
    ("Excellent written/verbal communication skills", REQ, "written and verbal communication"),
    ("4 years of field sales experience in the technology industry selling enterprise software.",
     REQ, "field sales"),
    ("10 years of experience selling IaaS or PaaS with a demonstrated track record in reaching and exceeding "
     "sales goals in the technology industry. Experience using CRM system such as Salesforce.com.",
     PREF, "IaaS or PaaS"),
    ("Build and maintain executive relationships with customers, influence long-term strategic direction, "
     "and act as a trusted advisor.", RESP, "executive relationships with customers"),
    ("Ability to speak and write in English and German fluently and idiomatically.", REQ,
     "English and German"),
    ("Detail oriented with strong written and verbal communication skills, with the ability to multitask "
     "in a fast-paced environment.", PREF, "detail oriented"),
    ("Strong coding experience (e.g. Java, C#, Python)", REQ, "Java, C# or Python"),
    ("Experience with messaging technologies (Kafka, Google Pub/Sub, Kinesis, RabbitMQ, etc.)",
     REQ, "messaging technologies such as Kafka"),
    ("Knowledge of modern software development tools, systems, and practices (design patterns, CI/CD, git)",
     REQ, "modern software development tools"),
    ("Legal authorization to work in the United States.", REQ,
     "legal authorization to work in the United States"),
    ("Goal oriented, self-motivated individual who is confident, thorough, tenacious with strong analytical "
     "skills. Demonstrated organizational and project management capabilities.", PREF,
     "goal oriented"),
    ("Edit, clarify, and proofread documents written by others, and coach non-writers on ways to improve "
     "their writing skills.", RESP, "proofread documents|proofreading documents"),
    ("Proficiency with HTML, CSS and a UNIX environment.", PREF, "HTML, CSS"),
    ("Effective interpersonal and communication skills.", PREF,
     "interpersonal and communication skills"),
    ("Generally requires a minimum of two (2) years relevant experience in applied machine learning.",
     REQ, "applied machine learning"),
    ("Experience or internship in sales, customer support, account management, business analysis, marketing "
     "or consulting in the technology industry.", PREF, "sales, customer support"),
]

POSTING_LIST_WORDING = re.compile(
    r"Tell me about (?:Experience|Ability|Knowledge|Proficiency|Strong|Excellent)|about Ability to|"
    r"you (?:Experience|Ability)|\b(?:with|in|about|of) (?:Experience|Ability|Knowledge|Proficiency|Strong|"
    r"Excellent|Demonstrated|Effective)\b|years of"
)


@pytest.mark.parametrize("kind", [QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL])
@pytest.mark.parametrize("difficulty", list(Difficulty))
@pytest.mark.parametrize(("text", "req_kind", "core"), ODD)
def test_odd_requirements_read_naturally(
    text: str, req_kind: RequirementKind, core: str, kind: QuestionKind, difficulty: Difficulty
) -> None:
    question = question_text(Requirement(text=text, kind=req_kind), kind, difficulty)
    assert not POSTING_LIST_WORDING.search(question), question
    assert question.endswith("?"), question
    assert question[0].isupper(), question
    if normalise(text, req_kind).form in (PhraseForm.EDUCATION, PhraseForm.LOGISTICS):
        # Degrees and conditions are screening items or library questions; the fallback never quotes them.
        assert "“" not in question and text.rstrip(".") not in question, question
    else:
        assert any(alternative in question for alternative in core.split("|")), question
    assert wording_problems(question) == [], (question, wording_problems(question))


@pytest.mark.parametrize(
    ("text", "form", "topic", "past"),
    [
        ("Experience with Docker and Kubernetes", PhraseForm.TOOL, "Docker and Kubernetes", ""),
        ("Ability to build influential relationships", PhraseForm.VERB, "building influential relationships",
         "built influential relationships"),
        ("5+ years of experience in stakeholder management", PhraseForm.NOUN, "stakeholder management", ""),
        ("Excellent written/verbal communication skills", PhraseForm.NOUN,
         "written and verbal communication skills", ""),
        ("Experience vending Amazon Web Services and Microsoft Azure to enterprises.", PhraseForm.VERB,
         "vending Amazon Web Services and Microsoft Azure to enterprises",
         "vended Amazon Web Services and Microsoft Azure to enterprises"),
        ("Perform data analysis and creates benchmarking to support risk assessments and threat "
         "identification; create and present travel briefings.", PhraseForm.VERB,
         "performing data analysis and creating benchmarking",
         "performed data analysis and created benchmarking"),
        ("Python programming", PhraseForm.TOOL, "Python programming", ""),
        ("Technically minded, with a understanding of the cloud computing market", PhraseForm.TRAIT,
         "technically minded, with an understanding of the cloud computing market", ""),
        ("Goal oriented, self-motivated individual who is confident", PhraseForm.TRAIT, "goal oriented", ""),
        ("Clear written and verbal communicator with the ability to tailor messages", PhraseForm.TRAIT,
         "a clear written and verbal communicator", ""),
        ("MBA, Master's degree or PhD in a Management, Technical or Engineering field.", PhraseForm.EDUCATION,
         "MBA, Master's degree or PhD in a Management, Technical or Engineering field", ""),
        # "Knowledge of how to X": the skill is doing X ("how your team handles how to install ..." before).
        ("Knowledge of how to install fire doors correctly.", PhraseForm.VERB,
         "installing fire doors correctly", "installed fire doors correctly"),
        # "to extract and join": the infinitive's verbs stay as they are; "refer" is inflected with its head.
        ("Write SQL to extract and join data from our ticketing and timetable databases.", PhraseForm.VERB,
         "writing SQL to extract and join data from our ticketing and timetable databases",
         "wrote SQL to extract and join data from our ticketing and timetable databases"),
        ("Identify potential fraud indicators and refer claims to the counter-fraud team.", PhraseForm.VERB,
         "identifying potential fraud indicators and referring claims to the counter-fraud team",
         "identified potential fraud indicators and referred claims to the counter-fraud team"),
        # "to take" says which action, not what it is for: cutting there left "... and the action".
        ("Knowledge of safe handling of sharps and the action to take after a sharps injury.",
         PhraseForm.NOUN,
         "safe handling of sharps and the action to take after a sharps injury", ""),
    ],
)
def test_normaliser_picks_the_core_phrase(text: str, form: PhraseForm, topic: str, past: str) -> None:
    phrase = normalise(text)
    assert (phrase.form, phrase.topic, phrase.past) == (form, topic, past)


def test_responsibility_verbs_are_inflected_with_their_coordinated_verbs() -> None:
    phrase = normalise("Explore and understand complex customer requirements; Engage, educate.",
                       RESP)
    assert phrase.past == "explored and understood complex customer requirements"
    assert phrase.base == "explore and understand complex customer requirements"


def test_difficulty_changes_the_wording() -> None:
    requirement = Requirement(text="Experience with Docker and Kubernetes", kind=REQ)
    worded = {d: question_text(requirement, QuestionKind.BEHAVIOURAL, d, variant=0) for d in Difficulty}
    assert len(set(worded.values())) == 3
    assert "trade-off" in worded[Difficulty.HARD] and "larger scale" in worded[Difficulty.HARD]
    assert "trade-off" not in worded[Difficulty.MEDIUM] and "result" in worded[Difficulty.MEDIUM]


def test_variants_give_different_openers_and_same_input_same_wording() -> None:
    requirement = Requirement(text="Ability to build influential relationships", kind=PREF)
    openers = {question_text(requirement, QuestionKind.BEHAVIOURAL, Difficulty.MEDIUM, v).split(".")[0]
               for v in range(3)}
    assert len(openers) == 3
    technical = QuestionKind.TECHNICAL
    assert question_text(requirement, technical) == question_text(requirement, technical)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Tell me about Experience with Docker?", "posting-list wording left in"),
        ("Tell me about {{ topic }}?", "template marker left in"),
        ("Tell me about None?", "'None' or 'undefined' in the text"),
        ("Tell me  about Docker?", "double space"),
        ("We use Docker.", "does not end with '?'"),
        ("tell me about Docker?", "does not start with a capital letter"),
        ("Think of a problem that Participate in reviews would solve?",
         "capitalised word mid-sentence (Participate)"),
        ("Who wants recruiting, training, certify and supervising done faster?",
         "verb in another form inside a list (certify)"),
        ("You recruited, trained, certify and supervised staff. What happened?",
         "verb in another form inside a list (certify)"),
    ],
)
def test_wording_checks_catch_glitches(text: str, problem: str) -> None:
    assert problem in wording_problems(text)


def test_posting_questions_are_not_worded_by_templates() -> None:
    with pytest.raises(ValueError, match="posting"):
        question_text("Experience with Docker", QuestionKind.POSTING)


@pytest.mark.parametrize(
    ("text", "kind", "topic"),
    [
        # A bulletin describes the duty in the third person; the question asks about doing it.
        ("Assigns, reviews, and evaluates the work of employees at these facilities", None,
         "assigning, reviewing, and evaluating the work of employees at these facilities"),
        ("Supervises play activities, meals, and rest time", RESP,
         "supervising play activities, meals, and rest time"),
        ("Records children's daily activities and maintains daily student records", RESP,
         "recording children's daily activities and maintaining daily student records"),
        ("Acts as back-up to other Elections Division programs", None,
         "acting as back-up to other Elections Division programs"),
        ("Researches and accurately responds to county questions", None,
         "researching and accurately responding to county questions"),
        ("You will also deputise for the Team Manager in their absence", None,
         "deputising for the Team Manager in their absence"),
        ("May personally perform marketing duties, and does related work", None,
         "performing marketing duties, and doing related work"),
        # -ies forms of -ify verbs go to their base, inside a list too ("certifies" -> certifying).
        ("recruits, trains, certifies and supervises lifesaving personnel", RESP,
         "recruiting, training, certifying and supervising lifesaving personnel"),
        ("Identifies and notifies stakeholders of changes", RESP,
         "identifying and notifying stakeholders of changes"),
        ("Certifies payroll and verifies timesheets", RESP, "certifying payroll and verifying timesheets"),
        # An adverb in front makes the -s word a verb, whatever the line's kind.
        ("Independently reviews initial and renewal applications", REQ,
         "independently reviewing initial and renewal applications"),
        ("Tracks vacancies that need to be filled", REQ, "tracking vacancies that need to be filled"),
        # Civil-service bulletins: the terms of the experience go, what it was in stays.
        ("Six years of full-time paid experience performing machine shop work; or", REQ,
         "performing machine shop work"),
    ],
)
def test_duties_in_the_third_person_become_verb_phrases(
    text: str, kind: RequirementKind | None, topic: str
) -> None:
    phrase = normalise(text, kind)
    assert (phrase.form, phrase.topic) == (PhraseForm.VERB, topic)


@pytest.mark.parametrize(
    "text",
    ["Records management experience", "Sales experience in SaaS", "Reports and dashboards in Tableau"],
)
def test_plural_nouns_that_are_also_verbs_stay_nouns(text: str) -> None:
    assert normalise(text, REQ).form != PhraseForm.VERB


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Degree in physiotherapy and current registration with the HCPC", PhraseForm.EDUCATION),
        ("A valid State Grade II Water Treatment Operator certificate is required at the time of appointment",
         PhraseForm.EDUCATION),
        ("Postgraduate course in falls prevention or vestibular rehabilitation", PhraseForm.EDUCATION),
        ("typically, you would usually work a four shift system", PhraseForm.LOGISTICS),
        ("available and willing to work during weekday evenings and weekends", PhraseForm.LOGISTICS),
        ("Must be able to work full time at a CCA Family Service Center", PhraseForm.LOGISTICS),
        ("Able to travel between sites; a driving licence is desirable for rural visits.",
         PhraseForm.LOGISTICS),
    ],
)
def test_qualifications_and_conditions_in_sentence_form_are_recognised(text: str, form: PhraseForm) -> None:
    assert normalise(text, REQ).form == form


def test_a_long_line_is_not_quoted_whole() -> None:
    text = 'devising and implementing virtual methods of creating and maintaining a "school community"'
    phrase = normalise(text, RESP)
    assert phrase.topic == "devising virtual methods of creating and maintaining a school community"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Confident handling overbookings and walking guests to partner hotels with care",
         "handling overbookings and walking guests to partner hotels with care"),
        ("Accurate with cash, card payments, deposits and the night audit",
         "cash, card payments, deposits and the night audit"),
    ],
)
def test_an_adjective_of_manner_in_front_is_dropped(text: str, topic: str) -> None:
    assert normalise(text, REQ).topic == topic


@pytest.mark.parametrize(
    "text",
    ["Tell me about planning, budgeting and forecasting.", "How do you split cooking, cleaning and laundry?",
     "Describe how you plan, build and test a release."],
)
def test_a_list_in_one_form_is_not_a_mixed_verb_list(text: str) -> None:
    assert not any("another form" in p for p in wording_problems(text))


@pytest.mark.parametrize(
    ("text", "topic"),
    [("A second European language.", "a second European language"),
     ("Knowledge of a foreign language is an advantage", "a foreign language")],
)
def test_a_language_asked_for_without_its_name_is_a_language_line(text: str, topic: str) -> None:
    phrase = normalise(text, REQ)
    assert (phrase.form, phrase.topic) == (PhraseForm.LANGUAGE, topic)
    question = question_text(Requirement(text=text, kind=REQ), QuestionKind.BEHAVIOURAL)
    assert topic in question and wording_problems(question) == []


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Four years of full -time paid professional experience in the development of air service marketing",
         "the development of air service marketing"),
        ("Prior math teaching experiences is not required, but a plus", "math teaching experiences"),
        ("Passionate about customer service", "customer service"),
    ],
)
def test_terms_and_hedges_around_the_subject_are_dropped(text: str, topic: str) -> None:
    assert normalise(text, REQ).topic == topic


def test_a_training_route_is_a_qualification() -> None:
    for text in ("Completion of a recognized apprenticeship as a machinist; or",
                 "Completion of a recognized United States Military machinist training program"):
        assert normalise(text, REQ).form == PhraseForm.EDUCATION


def test_the_mistakes_question_closes_itself() -> None:
    """"What mistakes ...?" is a whole question: no "What are the key steps" tacked on after it."""
    requirement = Requirement(text="PostgreSQL", kind=REQ)
    seen = 0
    for difficulty in (Difficulty.MEDIUM, Difficulty.HARD):
        for variant in range(6):
            text = question_text(requirement, QuestionKind.TECHNICAL, difficulty, variant)
            if text.startswith("What mistakes"):
                seen += 1
                assert text.count("?") == (1 if difficulty == Difficulty.MEDIUM else 2), text
                assert "key steps" not in text and "ten times" not in text
            else:
                assert text.count("?") >= 1
    assert seen


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Remain calm and courteous with callers who are upset", "remaining calm and courteous with callers"),
        ("Works well in a team and is willing to ask for help in practice", "working well in a team"),
        ("Works closely with families and carers", "working closely with families and carers"),
        ("Carry out checks of the fire alarm panel", "carrying out checks of the fire alarm panel"),
    ],
)
def test_a_person_spec_line_told_as_a_verb_becomes_a_verb_phrase(text: str, topic: str) -> None:
    phrase = normalise(text)
    assert phrase.form is PhraseForm.VERB and phrase.topic.startswith(topic)


def test_the_employers_lead_in_is_not_the_topic() -> None:
    phrase = normalise("We are seeking Registered Nurses who are calm under pressure to join our bank")
    assert not phrase.topic.lower().startswith("we are") and "calm" in phrase.topic


def test_the_case_after_when_is_not_part_of_the_skill() -> None:
    phrase = normalise("Calm decision-making under pressure when the plan falls apart at 6am")
    assert phrase.topic.lower() == "calm decision-making under pressure"


@pytest.mark.parametrize(
    "text",
    [
        "Record every job, certificate and part used on the mobile job system before leaving the property.",
        "Issue gas safety certificates after every annual check.",
    ],
)
def test_a_duty_that_names_a_certificate_is_not_a_qualification(text: str) -> None:
    assert normalise(text, RequirementKind.RESPONSIBILITY).form is PhraseForm.VERB


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # A cut before "with ..." or "when ..." leaves no dangling "in line", "in conjunction" or "when".
        ("Handle tenants' personal data in line with the data protection policy and our own retention "
         "schedule.", "handling tenants' personal data"),
        ("Tracks repairs that need to be booked in conjunction with the contractor and the housing office "
         "each week", "tracking repairs that need to be booked"),
        # Nor a verb that lost its object: "... and stay".
        ("Build monthly rotas that match staff hours to expected footfall and stay within the agreed "
         "budget.", "building monthly rotas that match staff hours to expected footfall"),
        # "including, but not limited to, ..." is a list of examples, not part of the core.
        ("Providing support to staff including, but not limited to, rota planning and training",
         "providing support to staff"),
        # The posting's own voice before the duty.
        ("There is a need to understand release processes such as trunk-based development.",
         "understanding release processes"),
        ("In your first three months you'll help rebuild how tenants book repairs online.",
         "rebuilding how tenants book repairs online"),
        ("Willing to complete manual handling training before starting.",
         "completing manual handling training before starting"),
        ("Confident with CRM tools and Excel, and able to keep notes accurate.", "CRM tools and Excel"),
    ],
)
def test_cut_lines_leave_nothing_dangling(text: str, topic: str) -> None:
    assert normalise(text, RESP).topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Calm, kind and patient with anxious customers.", "calm, kind and patient"),
        ("High-energy, friendly and approachable", "high-energy, friendly and approachable"),
        ("We want people who are caring, supportive and keen to learn.", "caring and supportive"),
    ],
)
def test_personal_qualities_listed_as_adjectives_are_traits(text: str, topic: str) -> None:
    phrase = normalise(text, REQ)
    assert (phrase.form, phrase.topic) == (PhraseForm.TRAIT, topic)
    for kind in (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL):
        asked = question_text(Requirement(text=text, kind=REQ), kind)
        assert "handles" not in asked and "relies on" not in asked and not wording_problems(asked), asked


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Current Gas Safe registration with ACS assessments.", PhraseForm.EDUCATION),
        ("Registered as a dental nurse with the GDC.", PhraseForm.EDUCATION),
        ("CIPD Level 3 Foundation Diploma in People Practice.", PhraseForm.EDUCATION),
        # Work, not a qualification held.
        ("Ability to talk credibly about cloud platforms, and perform basic technical qualification",
         PhraseForm.VERB),
        ("Manage event registration for the annual conference.", PhraseForm.VERB),
    ],
)
def test_a_registration_held_is_a_qualification(text: str, form: PhraseForm) -> None:
    assert normalise(text, REQ).form == form


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # "be" in the past is "were" after the templates' "you".
        ("You will also be part of a regional network of liaison nurses.", RESP, "you were part of"),
        # A list of nouns after the object is not a list of verbs.
        ("Prepare the surgery, instruments and materials for each clinic.", RESP,
         "the surgery, instruments and"),
        # Duty verbs a control room or a dental surgery uses, and an ambiguous verb paired with a plain one.
        ("Dispatch and track fire units by radio.", REQ, "dispatch"),
        ("Query national databases and relay information to crews.", REQ,
         "queried national databases and relayed"),
        # A duty that names a certificate is work, not a qualification held.
        ("Administers certification tests", RESP, "administering certification tests"),
    ],
)
def test_duty_verbs_read_as_duties(text: str, kind: RequirementKind, expected: str) -> None:
    requirement = Requirement(text=text, kind=kind)
    asked = [question_text(requirement, QuestionKind.BEHAVIOURAL, variant=v) for v in range(3)]
    assert any(expected in a.lower() for a in asked), asked
    assert normalise(text, kind).form == PhraseForm.VERB


@pytest.mark.parametrize(
    ("text", "form", "topic"),
    [
        ("This position demonstrates the knowledge of child development and the ability to plan activities.",
         PhraseForm.NOUN, "child development"),
        ("This position demonstrates the knowledge of child development and possesses the ability to plan.",
         PhraseForm.NOUN, "child development"),
        ("You're coachable, results-driven, and excited to learn new things.", PhraseForm.TRAIT,
         "coachable and results-driven"),
    ],
)
def test_the_postings_own_voice_is_not_quoted(text: str, form: PhraseForm, topic: str) -> None:
    phrase = normalise(text, REQ)
    assert (phrase.form, phrase.topic) == (form, topic)


@pytest.mark.parametrize(
    ("text", "form", "topic"),
    [
        # Writing "for" its uses is the work of writing them.
        ("Clear written English for specifications, reports and supplier feedback.", PhraseForm.VERB,
         "writing specifications, reports and supplier feedback clearly"),
        # The article goes with its lead-in; a colon's list is examples, not the topic.
        ("A working knowledge of CDM 2015 and safe systems of work", PhraseForm.TOOL,
         "CDM 2015 and safe systems of work"),
        ("A sound grasp of statistics: averages and medians, percentages", PhraseForm.NOUN, "statistics"),
        ("A specialist interest in maths or early reading", PhraseForm.NOUN, "maths or early reading"),
        # "record keeping" is one noun; the frame around the duties goes.
        ("all notice functions and record keeping responsibilities of the City", PhraseForm.NOUN,
         "notice functions and record keeping"),
        ("We know you will understand how important your record keeping and calculations are in the role",
         PhraseForm.NOUN, "record keeping and calculations"),
        # Qualities of a manner are the person's; an article before a lower-case word is not a name.
        ("A fair, methodical approach and careful record keeping.", PhraseForm.TRAIT, "fair and methodical"),
        ("A flexible approach to work", PhraseForm.NOUN, "a flexible approach to work"),
        # A person noun framing the work: the work after "who can" is asked about.
        ("Clear, kind communicator who can explain a diagnosis and plan in plain language.", PhraseForm.VERB,
         "explaining a diagnosis and plan in plain language"),
        ("An organised person who is able to prioritise a busy caseload", PhraseForm.VERB,
         "prioritising a busy caseload"),
        # Only a qualification is "worked towards"; a substitute "is acceptable".
        ("IBMS Specialist Portfolio or working towards it.", PhraseForm.EDUCATION,
         "IBMS Specialist Portfolio or working towards it"),
    ],
)
def test_lead_ins_and_frames_leave_the_topic(text: str, form: PhraseForm, topic: str) -> None:
    phrase = normalise(text, REQ)
    assert (phrase.form, phrase.topic) == (form, topic)


def test_the_essential_functions_of_the_position_stay_whole() -> None:
    text = "Ability to use applicable software to perform the essential functions of the position"
    assert normalise(text, REQ).topic.endswith("essential functions of the position")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # Experience "as a" role, or "work experience in" a place, is working there.
        ("At least two years' experience as a site engineer on civil engineering works",
         "working as a site engineer on civil engineering works"),
        ("Two years of work experience in retail", "working in retail"),
        ("Post-registration experience in an MSK outpatient setting, including spinal conditions.",
         "working in an MSK outpatient setting"),
        # A second verb the lexicon lacks is dropped rather than left uninflected.
        ("Identify and unlock opportunities within the Sector.",
         "identifying opportunities within the Sector"),
        ("Plan and deliver lessons", "planning and delivering lessons"),
        # A second duty after "and to" whose verb the rules cannot inflect is cut, not left bare.
        ("Ability to carry out a thorough daily walkaround check and to refuse to drive an unsafe vehicle.",
         "carrying out a thorough daily walkaround check"),
        ("Ability to plan the route and to load the trailer safely",
         "planning the route and loading the trailer safely"),
        # "program" doubles its consonant as "plan" does.
        ("Program and run simple CMM routines and interpret CMM reports.",
         "programming simple CMM routines and interpreting CMM reports"),
    ],
)
def test_experience_and_paired_verbs_read_as_work(text: str, topic: str) -> None:
    phrase = normalise(text, REQ)
    assert (phrase.form, phrase.topic) == (PhraseForm.VERB, topic)


def test_a_quality_that_starts_the_line_is_not_a_name() -> None:
    topic = normalise("Calm decision-making under pressure", REQ).topic
    assert topic == "calm decision-making under pressure"


def test_a_membership_is_a_qualification_and_is_desirable_is_never_asked() -> None:
    line = "WRAS Approved Plumber scheme membership is desirable; Gas Safe registration is a bonus."
    assert normalise(line, REQ).form == PhraseForm.EDUCATION
    assert normalise("Membership of the CIPD", REQ).form == PhraseForm.EDUCATION
    assert normalise("Knowledge of Excel is essential", REQ).topic == "Excel"
    pasted = "What mistakes do people make with scheme membership is desirable, and how have you fixed them?"
    assert "the posting's 'is desirable' left in" in wording_problems(pasted)
    assert not wording_problems("Why is a permit to work essential for confined spaces?")


def test_listed_verbs_the_rules_cannot_inflect_are_dropped_not_left_bare() -> None:
    line = "Install, pressure test and commission hot and cold water pipework."
    assert normalise(line, RESP).topic == "installing hot and cold water pipework"
    listed = normalise("Recruit, train and supervise staff", RESP).topic
    assert listed == "recruiting, training and supervising staff"


def test_care_with_something_is_a_quality_not_caring() -> None:
    phrase = normalise("Care with numbers, and the habit of checking your own work.", REQ)
    assert (phrase.form, phrase.topic) == (PhraseForm.TRAIT, "careful with numbers")
    assert normalise("Care for patients with dementia", RESP).topic == "caring for patients with dementia"


def test_a_verb_whose_when_clause_was_cut_goes_with_it() -> None:
    # "Imagine your team is falling behind on triaging patients and recognising." was asked.
    line = "Experience of triaging patients and recognising when an animal needs to be seen urgently."
    assert normalise(line, RequirementKind.REQUIRED).topic == "triaging patients"


def test_being_on_a_professional_register_is_a_qualification() -> None:
    line = "Listed on the RCVS Register of Veterinary Nurses, or eligible to register before starting."
    assert normalise(line, RequirementKind.REQUIRED).form == PhraseForm.EDUCATION


def test_every_duty_of_a_listed_line_takes_the_same_form() -> None:
    # "preparing theatre, induce and monitor anaesthesia" was asked: the lexicon lacked "induce", and a
    # verb after "<inflected verb> and" did not join it when it can also be a noun ("monitor").
    line = "Prepare theatre, induce and monitor anaesthesia under veterinary direction and recover patients."
    assert normalise(line, RequirementKind.RESPONSIBILITY).topic == (
        "preparing theatre, inducing and monitoring anaesthesia under veterinary direction and "
        "recovering patients"
    )
