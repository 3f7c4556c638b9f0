"""The interviewer's rubric with the real model: the issue's cases, the gaming cases, the card rules.

Each gaming case from issue 11 is one test: keyword lists with or without commas, padding with
unrelated numbers, fluent off-topic stories, the question repeated, a model answer pasted back for a
different question, a claim that contradicts the requirement. Every critique here also passes the card
rules (``chains.critic.card.card_problems``).
"""

from __future__ import annotations

import pytest

from chains.critic import experience as xp
from chains.critic.card import card_problems
from chains.critic.rubric import load_rubric
from chains.critic.scorer import score_answer
from chains.critic.vectors import encode
from chains.models import Critique, Difficulty, QuestionKind
from prompts.library import Competency, KindEntry

BACKEND_Q = "Tell me about a time you built or improved a backend service in Python."
BACKEND_R = "Backend development in Python"
BACKEND_STORY = (
    "At Parcelly I owned the scan-ingest service, a Python consumer that reads carrier scan events from "
    "Kafka and writes them to PostgreSQL. During peak season we were losing about 0.8% of events and p95 "
    "latency was 900 ms, because every event was written in its own transaction. I profiled it, moved the "
    "writes to batches of 500 with an idempotent upsert, and added a dead-letter topic for malformed "
    "events. After the release lost events went from 0.8% to zero and p95 latency fell from 900 ms to "
    "120 ms. What I learned is to measure before redesigning: the profile showed the fix was in the writes."
)
ACCOUNTS_Q = "Tell me about a time your education or training helped you solve a problem at work."
ACCOUNTS_R = "A degree in accounting or finance, or a professional qualification (ACCA, CIMA) in progress"
ACCOUNTS_STORY = (
    "In my second year at a packaging plant our inventory count was 38,000 pounds below the ledger. From "
    "my CIMA costing module I knew to reconcile the standard cost of production with actual usage, so I "
    "traced the gap line by line and found unrecorded scrap on two extrusion lines. I set up a scrap log "
    "with the shift supervisors and a weekly review with production. Within two months the stock variance "
    "fell from 4% to under 1%. I learned to walk the floor before trusting the numbers in the system."
)
PERF_Q = "Tell me about a time you found and fixed a performance problem in production."
PERF_R = "Experience designing relational schemas and tuning slow SQL queries in PostgreSQL"
PERF_SAMPLE = (
    "At my last company the order search endpoint timed out every morning. I used pg_stat_statements and "
    "EXPLAIN ANALYZE to find a sequential scan on a 60-million-row table, added a composite index and "
    "moved to keyset pagination. p99 dropped from 3.8 s to 240 ms. I now review query plans in code review."
)
PERF_OWN = (
    "On a ticketing site I worked on, the order history page took four seconds to load. "
    "pg_stat_statements showed one query doing a sequential scan over 30 million rows. I added a "
    "composite index on (user_id, created_at DESC), built it concurrently, and switched to keyset "
    "pagination. Load time fell to 300 ms. Since then I check query plans in every review."
)
SHEETS_Q = "Tell me about a report you built in Excel that other people relied on."
SHEETS_R = "Advanced Excel: pivot tables, XLOOKUP or INDEX/MATCH, and models that other people can follow"


def experience(
    question: str,
    requirement: str,
    answer: str,
    kind: QuestionKind = QuestionKind.BEHAVIOURAL,
    model_answer: str = "",
) -> Critique:
    critique = score_answer(question, model_answer, answer, requirement=requirement, kind=kind)
    assert critique.judged_as == "experience"
    assert card_problems(critique, answer) == [], card_problems(critique, answer)
    return critique


def test_an_excellent_star_story_is_strong_and_its_measured_result_quotes_the_numbers() -> None:
    critique = experience(BACKEND_Q, BACKEND_R, BACKEND_STORY)
    assert critique.score >= 75 and critique.band == "strong"
    result = next(c for c in critique.covered if "result" in c.point)
    assert "measured" in result.point and "0.8%" in result.evidence and "120 ms" in result.evidence
    assert not any("measured result" in step for step in critique.improvements)


def test_a_strong_education_story_lists_nothing_twice_and_asks_for_nothing_it_shows() -> None:
    critique = experience(ACCOUNTS_Q, ACCOUNTS_R, ACCOUNTS_STORY)
    # 47 before, with "Missing: What you learned" four times; every part is found now. The requirement
    # (a qualification) is abstract, so the topic factor still holds it below "strong".
    assert critique.score >= 60 and not critique.missing
    assert "What you learned" not in critique.missing
    assert not any("concrete example" in step.lower() for step in critique.improvements)


def test_the_postings_own_question_is_not_judged_against_the_sample_story() -> None:
    own = experience(PERF_Q, PERF_R, PERF_OWN, kind=QuestionKind.POSTING, model_answer=PERF_SAMPLE)
    assert own.score >= 70
    # The card names the parts of a strong answer, never a detail of the sample's story.
    assert all("pg_stat" not in item and "60-million" not in item for item in own.missing)
    again = experience(PERF_Q, PERF_R, PERF_OWN, kind=QuestionKind.POSTING, model_answer=PERF_SAMPLE)
    assert again == own


def test_a_part_found_in_an_off_topic_sentence_earns_nothing() -> None:
    base = experience(BACKEND_Q, BACKEND_R, BACKEND_STORY.rsplit(" After the release", 1)[0])
    padded = experience(
        BACKEND_Q,
        BACKEND_R,
        BACKEND_STORY.rsplit(" After the release", 1)[0]
        + " The weather today is nice and the sky is 100 percent blue.",
    )
    assert padded.score <= base.score
    assert not any("sky" in c.evidence for c in padded.covered)


@pytest.mark.parametrize(
    "answer",
    [
        "Kubernetes Spark feature store ML platform Airflow MLflow model registry drift monitoring",
        "Kubernetes, Spark, feature store, ML platform, Airflow, MLflow, model registry, drift monitoring",
        "PostgreSQL EXPLAIN ANALYZE indexes p95 latency Grafana Kubernetes query optimization caching Redis",
    ],
)
def test_keyword_lists_with_or_without_commas_score_low(answer: str) -> None:
    critique = experience(PERF_Q, PERF_R, answer)
    assert critique.score <= load_rubric().caps.keyword_list
    assert "keyword list without sentences" in critique.caps


def test_padding_with_unrelated_numbers_scores_low() -> None:
    answer = (
        "I shipped a feature at my last company. It was on mobile and I'm really proud of it. Did you know "
        "the average person checks their phone 96 times a day? My favourite number is 17 and the weather "
        "today is 100 percent sunny."
    )
    critique = experience(
        "Tell me about a mobile feature you shipped. What changed in the numbers?",
        "2 years of product management on a mobile or e-commerce product",
        answer,
    )
    assert critique.score <= 30 and critique.caps


def test_a_templates_closing_words_are_not_the_topic() -> None:
    # "What was your part, and how did it turn out?" is in every such question: a machinist's story
    # shares none of those words, and was capped as off-topic (15) before they were left out.
    critique = experience(
        "Give me an example from your work of performing machine shop work. What was your part, and how "
        "did it turn out?",
        "Six years of full-time paid experience performing machine shop work",
        "On a gearbox rebuild last year I measured the bore with a bore gauge against the drawing, found it "
        "0.04 mm oversize, and I machined a sleeve on the lathe, pressed it in and re-bored it to size. I "
        "checked it three times with the gauge and the shaft fitted first time; the pump ran without "
        "vibration after.",
    )
    assert "off-topic" not in critique.flags
    assert critique.score >= 45


SHIFT_Q = "Tell me about a time you had to cover a shift at short notice. What did you do?"
SHIFT_R = "Able to organise the team's rota and cover gaps at short notice"


def test_counts_of_a_career_or_an_employer_with_nothing_done_are_padding() -> None:
    # The size of a CV and of an employer, no occasion and no action: a hiring manager hears padding.
    answer = (
        "I've worked in retail for eight years, at three stores, with teams of 12, 25 and 40 people. "
        "My current store has 30 staff and 4 departments and we had 1.2 million customers last year. "
        "In my career I've probably done over 2,000 shifts. So I know rotas and I always stay calm."
    )
    critique = experience(SHIFT_Q, SHIFT_R, answer)
    assert critique.score <= load_rubric().experience.caps["padding"]
    assert "padded with unrelated numbers or small talk" in critique.caps


def test_a_story_that_opens_with_the_stores_size_is_judged_on_what_was_done() -> None:
    # The same kind of counts as a setting, then actions of one's own: no padding.
    answer = (
        "My last store had 30 staff and 4 departments. On a Saturday in December two of the three "
        "tills team rang in sick at 7am. I called the two part-timers who had asked for extra hours, moved "
        "a stock-room colleague to the tills for the morning peak and pushed the delivery back to the "
        "afternoon. We opened on time and queues stayed under five minutes. Since then I keep a short "
        "list of people happy to cover."
    )
    critique = experience(SHIFT_Q, SHIFT_R, answer)
    assert "padded with unrelated numbers or small talk" not in critique.flags
    assert critique.score >= 55


@pytest.mark.parametrize(
    "story",
    [
        "Last summer I planned my sister's wedding in Lisbon for 140 guests. I built a spreadsheet of 38 "
        "suppliers, negotiated the venue down by 15%, and "
        "kept the whole thing on a Trello board. The day ran "
        "to the minute and we came in 2,000 pounds under "
        "budget. I learned that the best plans have a buffer.",
        "Two years ago I walked the West Highland Way, 96 miles in seven days. On day four it rained all day "
        "and my friend wanted to give up. I re-planned the route and booked us into a hostel with a drying "
        "room. We finished on time and I learned that a good plan has slack in it.",
        "Last year I taught myself to bake sourdough. I fed the starter every twelve hours, logged the rise "
        "height in a spreadsheet and tuned the hydration from 70% to 78%, and my loaves got 30% more oven "
        "spring. I've baked 210 loaves so far. It taught me patience and to measure everything.",
    ],
)
def test_fluent_off_topic_stories_score_low(story: str) -> None:
    critique = experience(PERF_Q, PERF_R, story)
    assert critique.score <= 30
    assert not critique.covered or critique.score <= 15


def test_the_question_repeated_scores_low() -> None:
    answer = (
        "A time I found and fixed a performance problem in production. Yes, that happens, you find a "
        "performance problem in production and then you fix it."
    )
    critique = experience(PERF_Q, PERF_R, answer)
    assert critique.score <= load_rubric().caps.repeats_question and "repeats the question" in critique.caps


def test_a_model_answer_pasted_back_for_a_different_question_scores_low() -> None:
    critique = experience(
        "Tell me about a time you had to explain a technical trade-off to a product manager.",
        "Ability to explain technical trade-offs clearly to product managers and support staff",
        PERF_OWN,
    )
    assert critique.score < 35


def test_a_claim_that_contradicts_the_requirement_scores_low() -> None:
    answer = (
        "I've never needed spreadsheets. The ERP produces the reports, and if I need anything else I ask "
        "the analyst. I think spreadsheets are a bit old-fashioned now."
    )
    critique = experience(SHEETS_Q, SHEETS_R, answer)
    assert critique.score <= 15 and "contradicts the requirement" in critique.caps


def test_an_honest_would_answer_with_a_plan_is_not_a_contradiction() -> None:
    answer = (
        "I haven't carried a Kubernetes pager myself, but the approach would be the same. I'd acknowledge "
        "the page, check the dashboard for when the errors began and whether a deploy went out, then run "
        "kubectl describe pod to see why the pods restart. If a release went out I'd roll it back first, "
        "post in the incident channel so support knows, and I'd treat it as fixed when the error rate is "
        "under 0.5% for thirty minutes."
    )
    critique = experience(
        "You're on call at 2 a.m. and the ingest service's pods keep restarting. What do you do?",
        "Running services in production on Kubernetes, with metrics, logs and alerts",
        answer,
        kind=QuestionKind.SITUATIONAL,
    )
    assert "contradicts the requirement" not in critique.flags and critique.score >= 45


def test_an_answer_in_german_is_not_scored_and_the_card_says_so() -> None:
    answer = (
        "Bei meinem letzten Arbeitgeber war die Bestellhistorie sehr langsam. Ich habe mit EXPLAIN die "
        "Abfrage untersucht, einen zusammengesetzten Index angelegt und die Ladezeit von vier Sekunden auf "
        "300 Millisekunden gesenkt. Seitdem prüfe ich Abfragepläne in jedem Review."
    )
    critique = score_answer(PERF_Q, "", answer, requirement=PERF_R, kind=QuestionKind.POSTING)
    assert critique.flags == ["not in English"] and not critique.covered and not critique.missing
    assert any("Only English answers are scored" in step for step in critique.improvements)


def test_a_we_only_story_scores_below_the_same_story_told_with_i() -> None:
    mine = experience(PERF_Q, PERF_R, PERF_OWN)
    ours = experience(PERF_Q, PERF_R, PERF_OWN.replace("I added", "We added").replace("I check", "we check"))
    assert ours.score < mine.score
    assert any("'I'" in step for step in ours.improvements)


def test_length_fit_is_flagged_under_40_and_over_400_words() -> None:
    short = experience(PERF_Q, PERF_R, "I added an index to the slow orders query and it got much faster.")
    assert any(flag.startswith("short answer") for flag in short.flags)
    long_answer = " ".join([PERF_OWN] * 8)
    assert any(flag.startswith("long answer") for flag in experience(PERF_Q, PERF_R, long_answer).flags)


def test_situational_answers_are_judged_by_plan_people_risks_and_check() -> None:
    answer = (
        "First I'd check the patient's identity and the prescription, and I'd ask a second nurse to "
        "double-check the heparin bag and the pump settings with me, because heparin is high-risk. I'd "
        "call pharmacy about the barcode and document the override. I'd recheck the infusion rate after "
        "ten minutes and the APTT at six hours, and tell the charge nurse."
    )
    critique = experience(
        "It's three in the morning and the barcode scanner won't read the heparin bag. What do you do?",
        "Give medications and IV therapy safely, using barcode scanning and double checks",
        answer,
        kind=QuestionKind.SITUATIONAL,
    )
    shown = {c.point for c in critique.covered}
    assert any("plan" in p for p in shown) and any("involve" in p for p in shown)
    assert critique.score >= 60


def test_same_input_same_critique() -> None:
    first = experience(BACKEND_Q, BACKEND_R, BACKEND_STORY, kind=QuestionKind.POSTING)
    assert score_answer(BACKEND_Q, "", BACKEND_STORY, requirement=BACKEND_R, kind="posting") == first


def test_rows_without_a_kind_are_knowledge_questions_scored_as_before() -> None:
    critique = score_answer(
        "What happens to the bulb?",
        "The bulb is in a closed path.",
        "It is in a closed path",
        difficulty=Difficulty.MEDIUM,
    )
    assert critique.judged_as == "knowledge" and critique.score > 50


MENTOR_Q = "Tell me about a time you coached a new colleague who was struggling."
MENTOR_R = "Coaching and developing junior staff"


def test_an_honest_plan_to_a_behavioural_question_is_judged_as_a_plan_and_capped() -> None:
    answer = (
        "I haven't had a new starter of my own yet; so far I've only helped with inductions. If one was "
        "struggling, I'd sit with them for a morning to see where the work goes wrong, and I'd agree two "
        "goals with them in writing with a review date a fortnight later. I would ask my manager to keep "
        "their caseload light meanwhile, and the risk I'd watch is that they stop asking questions, so I'd "
        "check in daily. I'd know it worked when they close their cases on time without my help."
    )
    plan = experience(MENTOR_Q, MENTOR_R, answer)
    assert "no example of your own yet: judged as a plan" in plan.flags
    assert 45 <= plan.score <= load_rubric().experience.caps["honest_plan"], plan.score
    vague = experience(MENTOR_Q, MENTOR_R, "I haven't had a new starter yet, but I would help them.")
    assert vague.score < plan.score - 20


def test_a_result_told_with_number_words_or_a_multiple_is_a_measured_result() -> None:
    answer = (
        "When I took over the early shift the team had lost three people in two months and morale was low. "
        "I held a one-to-one with each person and found the rota was the main complaint, so I moved to a "
        "rota published a month ahead with a fair weekend rotation. Over the next half year leavers went "
        "from four to one, and the number of shift swaps we had to force on people halved. I learned to ask "
        "the people on the least popular shifts first."
    )
    question = "Tell me about a time you improved the morale of a team."
    critique = experience(question, "Leading and motivating a team", answer)
    result = [c for c in critique.covered if c.point.startswith("A measured result")]
    assert result and "from four to one" in result[0].evidence, critique.covered


PPM_Q = (
    "The planned maintenance on the freezer drives is three weeks overdue because production won't give "
    "you the line. What do you do?"
)
PPM_R = "Carry out planned preventive maintenance (PPM) on motors, inverters and conveyors, recorded in CMMS"
PPM_PLAN = (
    "First I'd find out what the overdue PPM actually covers and what the risk is of running the drives "
    "longer: bearing temperatures, inverter fault history, the last vibration readings. Then I'd go to the "
    "production manager with that, not just a request, and offer the shortest window that works, for "
    "example splitting the job across two changeovers or doing it on the Sunday hygiene shift. If they "
    "still can't release the line I'd escalate to the engineering manager with the risk written down, and "
    "record the deferral in the CMMS. I'd know it worked when the PPM is closed and the backlog report "
    "shows the drives back in date."
)
PASTED_STORY = (
    "At a bakery I looked after a tray-sealing line that kept stopping with a guard-open fault six times a "
    "shift. Two engineers had already swapped the switch. I went online to the PLC, trended the guard input "
    "against the carriage position overnight and saw every drop-out happened at the end of the stroke. I "
    "isolated the line, opened the drag chain and found two cracked cores in a cable not rated for "
    "flexing. I fitted flex-rated cable and added the drag chains to the quarterly PPM. We had no guard "
    "faults in the next four weeks. I learned to trend a signal before changing parts."
)


def test_a_strong_story_pasted_from_another_question_does_not_answer_a_situational_scene() -> None:
    plan = experience(PPM_Q, PPM_R, PPM_PLAN, kind=QuestionKind.SITUATIONAL)
    pasted = experience(PPM_Q, PPM_R, PASTED_STORY, kind=QuestionKind.SITUATIONAL)
    assert plan.score >= 55
    assert pasted.score <= 30 and pasted.score < plan.score - 25


def test_the_whole_answer_does_not_carry_sentences_when_it_is_off_topic() -> None:
    question = "How do you use formative assessment day to day in a maths lesson?"
    texts = ["I fed my sourdough starter every morning for ten days.", "The loaves rose in the fridge."]
    encoded = encode([*texts, question, " ".join(texts)])
    candidates = list(zip(texts, encoded[:2], strict=True))
    read = xp.read_topic(candidates, [encoded[2]], load_rubric().experience, whole=encoded[3])
    assert not any(s.on_topic for s in read)


RECON_Q = "Describe a time a reconciliation wouldn't balance and you had to find out why."
RECON_R = "Hands-on experience running a month-end close and preparing balance sheet reconciliations"
RECON_VAGUE = (
    "In my last role I was responsible for reconciliations. I resolved any issues quickly and everything "
    "was always on time. My manager was very pleased with my work and I learned a lot."
)
RECON_STORY = (
    "In my second month at a distributor the bank reconciliation was 4,180 pounds out at month-end. I "
    "listed every unmatched item from the bank statement against the cash book and found a supplier "
    "refund posted twice and a direct debit never entered. I corrected both journals, had the controller "
    "approve them, and the reconciliation tied out the same afternoon. Since then I match the bank feed "
    "weekly instead of waiting for month-end."
)


def test_generic_claims_show_no_part_of_a_story() -> None:
    vague = experience(RECON_Q, RECON_R, RECON_VAGUE)
    story = experience(RECON_Q, RECON_R, RECON_STORY)
    shown = {c.point for c in vague.covered}
    assert not any("outcome" in p or "result" in p or "learned" in p for p in shown)
    assert vague.score <= 30 and story.score >= vague.score + 30


RECON_GUIDE = [
    "Match every bank statement line to the cash book and list what is left unmatched",
    "Explain each difference: timing items, bank charges, errors in the ledger",
    "Post correcting journals for ledger errors and keep timing items on the reconciliation",
    "Have the reconciliation reviewed and signed off",
]
RECON_ANSWER = (
    "I match every line of the bank statement to the cash book and list the unmatched items. Each "
    "difference gets explained: uncleared cheques and deposits in transit are timing items, bank "
    "charges get posted, and ledger errors get a correcting journal. The timing items stay on the "
    "reconciliation, and the controller reviews and signs it off."
)


def test_a_knowledge_question_is_not_asked_for_a_story_or_a_measured_result() -> None:
    guide, answer = RECON_GUIDE, RECON_ANSWER
    critique = score_answer(
        "Walk me through a bank reconciliation from start to finish.", RECON_STORY, answer,
        requirement=RECON_R, kind=QuestionKind.TECHNICAL, guide=guide,
    )
    assert critique.judged_as == "knowledge" and critique.score >= 60
    advice = " ".join(critique.improvements).lower()
    assert "measured result" not in advice and "star" not in advice


def test_background_and_context_facts_are_not_a_method_or_a_plan() -> None:
    technical = score_answer(
        "How do you carry out a final accuracy check on a discharge prescription someone else dispensed?",
        "",
        "We do a lot of discharges, probably 120 a day, and about 40 percent of them come after 2 p.m. "
        "The hospital has 550 beds and I live about ten minutes away. I did my NVQ in 2019 and I've been "
        "in pharmacy about six years, so I'm very used to checking.",
        requirement="Carry out final accuracy checks on dispensed discharge prescriptions",
        kind=QuestionKind.TECHNICAL,
        scaffold=True,  # an own question: no guide, read for its substance
    )
    assert technical.score <= 30
    situational = experience(
        "It's 8:45 on a Monday and nobody in the Leeds office can get into email. What do you do?",
        "Keep users informed during major incidents and follow the major incident process.",
        "Mondays are always busy, I'd say we get about 140 calls on a Monday compared with 90 on a Friday. "
        "The Leeds office has around 120 staff, I've been there twice. I've used Outlook since 2015, so I "
        "know it really well.",
        kind=QuestionKind.SITUATIONAL,
    )
    assert situational.score <= 30 and not situational.covered


RADIATOR_Q = "How do you bleed radiators and balance a wet heating system?"
RADIATOR_R = "Commission and maintain domestic wet central heating systems"
DELIVERY_Q = "How do you check a delivery of chilled food when it arrives?"
DELIVERY_R = "Receive and store deliveries in line with food safety procedures"


def own_technical(question: str, requirement: str, answer: str) -> Critique:
    """A technical question of the user's own: no guide, read for its substance."""
    critique = score_answer(
        question, "", answer, requirement=requirement, kind=QuestionKind.TECHNICAL, scaffold=True
    )
    assert card_problems(critique, answer) == [], card_problems(critique, answer)
    return critique


def test_a_terse_answer_in_the_fields_own_lower_case_terms_shows_its_details() -> None:
    terse = own_technical(
        RADIATOR_Q,
        RADIATOR_R,
        "Heating off and let it cool first. Open each bleed valve with a radiator key until water spits, "
        "close it, then top the pressure back up at the filling loop to about 1.5 bar. To balance, open "
        "every lockshield, start at the radiator nearest the boiler and close its lockshield down until "
        "the drop across it is about 11 degrees, then work outwards.",
    )
    vague_one = own_technical(
        RADIATOR_Q,
        RADIATOR_R,
        "I would make sure everything is done properly and safely, following the correct procedure for "
        "the system. I always check it works at the end and that the customer is happy with the result.",
    )
    assert terse.score >= 50 and vague_one.score <= 30
    details = [c for c in terse.covered if c.point == xp.LABELS[xp.Part.DETAIL]]
    assert details
    assert any(term in details[0].evidence for term in ("bleed valve", "lockshield", "filling loop"))


def test_an_answer_that_skips_a_safeguard_is_flagged_with_the_sentence_and_costs_score() -> None:
    careful = (
        "I check the delivery note against the order and count the cases. I probe a pack from the top "
        "and one from the bottom of the load, between packs so nothing is pierced, and chilled food must "
        "be 5 degrees or below. Then I check the use-by dates and move it into the walk-in within "
        "fifteen minutes."
    )
    cutting = careful.replace(
        "I probe a pack from the top and one from the bottom of the load, between packs so nothing is "
        "pierced, and chilled food must be 5 degrees or below.",
        "When we're busy I'd skip the probe check, because the supplier's van is refrigerated anyway.",
    )
    good = own_technical(DELIVERY_Q, DELIVERY_R, careful)
    bad = own_technical(DELIVERY_Q, DELIVERY_R, cutting)
    assert "skips or waves away a check or safeguard" not in good.flags
    assert "skips or waves away a check or safeguard" in bad.flags and bad.score <= 0.65 * good.score
    advice = " ".join(bad.improvements)
    assert "I'd skip the probe check" in advice


def test_two_skipped_safeguards_make_a_weak_answer() -> None:
    answer = (
        "I'd just sign for it and put it away, there's no real need to probe it because the supplier "
        "checks temperatures. I wouldn't record it either when the kitchen is busy, it's quicker to "
        "sort the paperwork at the end of the week."
    )
    critique = own_technical(DELIVERY_Q, DELIVERY_R, answer)
    assert critique.score <= load_rubric().experience.caps["shortcuts"]
    assert critique.band == "weak" and not critique.covered


def test_a_dense_answer_in_abbreviations_about_the_question_is_not_off_topic() -> None:
    # It recalls few of the question's words, but as a whole it is about the question (cosine over
    # technical_whole_cosine). Its score stays low (the topic factor reads recall): a known limit.
    critique = own_technical(
        "How do you close the month in the ledger?",
        "Month-end close and balance sheet reconciliations",
        "Accruals and prepayments, then the bank rec, AP and AR subledgers tied to the GL, fixed asset "
        "register and depreciation, VAT control, then the TB review and the flux analysis before the pack "
        "goes out on WD5.",
    )
    assert "off-topic" not in critique.flags
    assert xp.LABELS[xp.Part.METHOD] in [c.point for c in critique.covered]


def test_rating_oneself_and_hedged_claims_are_not_a_method() -> None:
    critique = own_technical(
        RADIATOR_Q,
        RADIATOR_R,
        "I'm really good at fault finding on heating systems, it's a big thing for me. I'd have a look at "
        "the system and make sure it's right, bleeding and balancing everything properly with the correct "
        "procedure. I always get to the bottom of it in the end.",
    )
    assert critique.score <= 30
    assert not any(c.point == xp.LABELS[xp.Part.DETAIL] for c in critique.covered)


def test_a_told_story_that_mentions_never_having_worked_with_someone_is_still_a_story() -> None:
    critique = experience(
        "Tell me about a complaint you investigated. How did you keep it fair?",
        "Investigate complaints and grievances fairly and in line with policy",
        "Last year I investigated a complaint from a cleaner who said her shift lead was giving her "
        "the worst rotas. I'd never worked with either of them, which helped. I agreed the scope with "
        "HR first, then I interviewed her, the shift lead and four colleagues, and I pulled eight weeks "
        "of rotas. The rotas showed she had twice as many late shifts as anyone else, so I upheld that "
        "part and not the rest. The lead had training and the rota is now shared in advance. I learned "
        "to get the records before the interviews.",
    )
    assert xp.HONEST_PLAN not in critique.flags and "contradicts the requirement" not in critique.flags
    assert critique.score >= 60


def test_a_situational_plan_told_in_imperatives_is_a_plan() -> None:
    critique = experience(
        "It's 2 a.m. and the fire panel in the care home shows a fault on the first floor. What do you do?",
        "Follow fire safety procedures and keep residents safe at night",
        "Check the panel to see which zone and whether it's a fault or a fire signal. Send a colleague to "
        "walk the zone and look for smoke, while I stay by the panel. Ring the alarm company's engineer "
        "line and log the fault and the time. Keep the residents where they are unless there is a fire, "
        "and tell the night manager before handover.",
        kind=QuestionKind.SITUATIONAL,
    )
    assert xp.LABELS[xp.Part.PLAN] in [c.point for c in critique.covered]
    assert critique.score >= 45


def test_a_fair_score_with_nothing_missing_says_what_would_lift_it() -> None:
    answer = (
        "First I check the gas meter and the working pressure at the appliance inlet, about 20 millibars, "
        "then a tightness test on the installation. I check the flue for spillage and the combustion with "
        "an analyser, the CO/CO2 ratio under 0.004, because a poor reading means the heat exchanger or "
        "burner needs cleaning. I clean the condensate trap, check the expansion vessel charge and the "
        "safety devices, and I record everything on the service record and the landlord gas safety "
        "certificate, and tell the tenant how to report a smell of gas."
    )
    critique = own_technical(
        "Walk me through how you have applied Current Gas Safe registration with CCN1, CENWAT, CKR1 and "
        "HTR1 assessments in practice. What are the key steps, and how do you know it worked?",
        "Current Gas Safe registration with CCN1, CENWAT, CKR1 and HTR1 (or equivalent) assessments",
        answer,
    )
    assert critique.band != "strong" and not critique.missing
    assert critique.improvements and not critique.improvements[0].startswith("Keep this shape")


def test_an_answer_that_waves_a_risk_away_is_flagged_like_a_skipped_check() -> None:
    careful = (
        "I check the delivery note against the order and count the cases. I probe a pack from the top "
        "and one from the bottom of the load, between packs so nothing is pierced, and chilled food must "
        "be 5 degrees or below. Then I check the use-by dates and move it into the walk-in within "
        "fifteen minutes."
    )
    waving = (
        "I check the delivery note against the order and count the cases. The supplier's van is "
        "refrigerated, so the temperature of the chilled food is not a problem and I leave the probe in "
        "the drawer. A quick look at the use-by dates on the top layer is enough, and it goes into the "
        "walk-in when the rest of the load is done."
    )
    good = own_technical(DELIVERY_Q, DELIVERY_R, careful)
    bad = own_technical(DELIVERY_Q, DELIVERY_R, waving)
    assert "skips or waves away a check or safeguard" not in good.flags
    assert "skips or waves away a check or safeguard" in bad.flags and bad.score <= 30
    assert any("is not a problem" in step for step in bad.improvements)


@pytest.mark.parametrize(
    "sentence",
    [
        "There's enough room in the walk-in for the whole delivery, so I move it straight in.",
        "I told the supplier the late van was not acceptable and logged it on the delivery sheet.",
        "The probe reading was 3 degrees, so the chilled food was fine and I signed the note.",
    ],
)
def test_a_careful_sentence_is_not_read_as_waving_a_risk_away(sentence: str) -> None:
    assert not xp.shortcut(sentence)


def test_facts_about_the_employer_with_no_actions_are_no_result_of_the_candidate() -> None:
    facts = (
        "My current warehouse ships about 9,000 parcels a day from two sorting lines and we employ 140 "
        "people on three shifts. Our accuracy was 99.2% last year and on-time dispatch reached 97%. It is "
        "a very busy site, and picking errors happen everywhere in logistics, that's just how it is."
    )
    critique = experience(
        "Tell me about a time you reduced picking errors on your shift.",
        "Experience of improving pick accuracy in a warehouse",
        facts,
    )
    assert not any(c.point == xp.LABELS[xp.Part.RESULT] for c in critique.covered)
    assert critique.subscores.results == 0


def test_someone_not_realising_something_is_no_lesson_learned() -> None:
    assert not xp._REFLECT.search("The tenant didn't realise the valve was shut until the next morning.")
    assert xp._REFLECT.search("Looking at the log I quickly realised the alarm had been muted.")
    assert xp._REFLECT.search("It made me realise how much the handover matters.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Stock rotation isn't really my area, the supervisor sorts that out.",
        "I'd give the customer the refund whatever the policy says, it keeps them happy.",
        "Procedures are just guidelines when the line is this busy.",
    ],
)
def test_setting_the_requirement_aside_reads_as_a_denial(sentence: str) -> None:
    assert xp._DENIAL.search(sentence)


def test_following_the_policy_is_not_a_denial() -> None:
    assert not xp._DENIAL.search(
        "I checked what the refund policy says and offered the customer a credit note."
    )


def test_a_terse_plan_of_imperatives_is_a_plan_on_the_scene() -> None:
    question = (
        "It's Saturday night, the walk-in freezer alarm goes off and the display reads minus 4. The "
        "engineer can't come until Monday. What would you do in the next hour?"
    )
    plan = (
        "Confirm the reading with a probe in three products. Stop opening the door, move the most "
        "valuable stock to the reach-in freezers and add ice packs around the rest. Phone the head chef "
        "and the on-call engineer, then log the temperatures every 30 minutes and discard anything that "
        "has defrosted."
    )
    critique = experience(
        question, "Keep food safe and follow temperature control procedures", plan, QuestionKind.SITUATIONAL
    )
    assert "off-topic" not in critique.flags
    assert any(c.point == xp.LABELS[xp.Part.PLAN] for c in critique.covered)
    assert critique.score >= 45


def test_verbs_listed_after_a_first_person_saw_or_got_are_own_steps() -> None:
    told = "I saw the tenant that morning, checked the pressure, isolated the supply and logged the fault."
    assert xp._steps(told, situational=False)[0] >= 2
    assert xp._steps("I saw that the boiler pressure was low.", situational=False) == (0, 0)


def test_stopping_the_work_despite_the_pressure_is_not_waving_a_risk_away() -> None:
    assert not xp.shortcut("I'd stop the lift first, it doesn't matter that the queue is building up.")
    assert xp.shortcut("I stopped worrying about it, the checks are a waste of time on a quiet night.")


SHORT_STAFFED_Q = (
    "Suppose you arrive for a late shift and two care workers have called in sick. What would you do?"
)
SHORT_STAFFED_R = "Support the shift leader to organise care when the team is short-staffed"
SHORT_STAFFED_STORY = (
    "Last winter I arrived for a late shift and two colleagues had rung in sick. I checked the care plans "
    "and listed the residents who needed two carers to move. I rang the shift leader and she called in "
    "an agency worker. I moved the medication round earlier and asked the cook to help with teas. "
    "Everyone had their evening care before ten and nobody missed their medicines."
)


def test_a_past_story_to_a_situational_question_is_named_as_one_not_called_a_plan() -> None:
    critique = experience(SHORT_STAFFED_Q, SHORT_STAFFED_R, SHORT_STAFFED_STORY, QuestionKind.SITUATIONAL)
    # What was done once is not the plan asked for; the card says so, and does not list "who you would
    # involve" from the story as a part of a plan.
    assert xp.PAST_EXAMPLE in critique.flags
    assert critique.improvements[0] == xp.PLAN_FROM_EXAMPLE
    assert not any("involve" in c.point for c in critique.covered)
    assert not any(step == xp.ADVICE[xp.Part.PEOPLE] for step in critique.improvements)
    planned = experience(
        SHORT_STAFFED_Q,
        SHORT_STAFFED_R,
        SHORT_STAFFED_STORY + " I would do the same again: I'd ring the shift leader first and check "
        "the care plans for who needs two carers, then tell the residents' families if teas were late.",
        QuestionKind.SITUATIONAL,
    )
    assert xp.PAST_EXAMPLE not in planned.flags and planned.score > critique.score


def test_a_three_word_claim_is_no_step_of_a_plan() -> None:
    critique = experience(
        SHORT_STAFFED_Q, SHORT_STAFFED_R, SHORT_STAFFED_STORY + " I help people.", QuestionKind.SITUATIONAL
    )
    assert not any(c.evidence == "I help people." for c in critique.covered)
    assert xp.PAST_EXAMPLE in critique.flags


MACHINIST_Q = (
    "Give me an example from your work of performing machine shop work. What was your part, and how did "
    "it turn out?"
)
MACHINIST_R = "Six years of full-time paid experience performing machine shop work; or"
MACHINIST_STORY = (
    "At the county fleet shop I was asked to make a replacement bushing for a street sweeper because the "
    "part was on back order for six weeks. I measured the worn part, drew it up, and turned it on the "
    "lathe from bronze stock, holding the bore to plus or minus half a thou. I checked it with a "
    "micrometer and bore gauge before fitting it, and the sweeper was back on the road the same "
    "afternoon. I learned to always check the drawing tolerances with the mechanic first."
)


def test_a_story_in_the_trades_own_words_is_on_topic_though_no_sentence_is_near_the_question() -> None:
    # Each sentence is about 0.21 from "machine shop work" by cosine (under on_topic_cosine); the words
    # of the answer cover the topic as well as most real answers do. It was capped as off-topic at 0.
    critique = experience(MACHINIST_Q, MACHINIST_R, MACHINIST_STORY)
    assert "off-topic" not in critique.flags and critique.score >= 70


def test_a_claim_about_oneself_does_not_lift_a_story() -> None:
    plain = experience(MACHINIST_Q, MACHINIST_R, MACHINIST_STORY)
    claimed = experience(MACHINIST_Q, MACHINIST_R, MACHINIST_STORY + " I am good at machines.")
    assert claimed.score <= plain.score + 2
    bread = (
        "Last year I baked bread for my sister's wedding, two hundred rolls. I planned the proofing times, "
        "borrowed a second oven and got up at four to bake them. Every guest had warm rolls and my sister "
        "cried. I learned to plan backwards from the deadline."
    )
    assert experience(MACHINIST_Q, MACHINIST_R, bread + " I am good at machines.").score <= 20
    assert xp.self_claim("I am good at machines.") and xp.self_claim("I'm really good with people.")


def test_a_past_story_whose_steps_follow_its_first_verb_is_named_as_one() -> None:
    # "I sat with her and found out ..., so I spoke to the nurse": the steps after the first verb
    # count, as they do in a behavioural story (only one was counted, so the card gave plan advice).
    story = (
        "On my last placement a lady with dementia refused her wash every morning and got very upset. I "
        "sat with her and found out from her daughter that she always had a bath in the evening at home, "
        "so I spoke to the nurse in charge and we moved her personal care to the evening. She stopped "
        "getting distressed and ate better at breakfast. I learned to ask families about routines first."
    )
    critique = experience(SHORT_STAFFED_Q, SHORT_STAFFED_R, story, QuestionKind.SITUATIONAL)
    assert xp.PAST_EXAMPLE in critique.flags


CODE_REVIEW_Q = "What do you look for when you review a colleague's pull request?"
CODE_REVIEW_GUIDE = [
    "Correctness, such as edge cases, error handling and tests that cover the change",
    "Readability, such as clear names and small functions",
    "Risks, such as security, performance and backwards compatibility",
    "Feedback that says why, and separates must-fix from nice-to-have",
]


def test_a_guide_point_is_made_by_one_of_its_instances_in_the_answers_own_words() -> None:
    # Each sentence gives an instance of a point, never the point's whole phrase.
    answer = (
        "First I read the ticket so I know what the change is for. I check there are tests, and that they "
        "try the edge cases, like an empty list or a record that does not exist. Then I look at the names "
        "and whether any function has grown too long to follow. I also look at security: SQL built from "
        "strings or a secret committed in config is always a blocking comment. I mark each comment as "
        "blocking or a suggestion, and I say why."
    )
    critique = score_answer(
        CODE_REVIEW_Q,
        "",
        answer,
        requirement="Write clean, well-tested code",
        kind=QuestionKind.TECHNICAL,
        guide=CODE_REVIEW_GUIDE,
    )
    shown = {c.point for c in critique.covered}
    assert {CODE_REVIEW_GUIDE[0], CODE_REVIEW_GUIDE[1], CODE_REVIEW_GUIDE[2]} <= shown, critique.missing
    assert critique.score >= 60 and not card_problems(critique, answer)


def test_an_answer_to_another_question_of_the_field_makes_no_guide_point() -> None:
    other = (
        "I keep Terraform state in a remote backend with locking, one state per environment, and modules "
        "shared between them. Plans run in CI on every merge request and applies need an approval. Drift "
        "is checked nightly and fixed in code, never by hand in the console."
    )
    critique = score_answer(
        CODE_REVIEW_Q,
        "",
        other,
        requirement="Write clean, well-tested code",
        kind=QuestionKind.TECHNICAL,
        guide=CODE_REVIEW_GUIDE,
    )
    assert len(critique.covered) <= 1 and critique.score <= 35


def test_repeating_the_question_makes_no_guide_point_through_its_instances() -> None:
    # "pull request" is in the question: a facet naming it alone is dropped, so echoing it earns nothing.
    from chains.critic.keypoints import point_facets

    assert point_facets("Habits, such as pull request size", CODE_REVIEW_Q) == ["Habits", "pull request size"]
    assert point_facets("Habits, such as the pull request", CODE_REVIEW_Q) == ["Habits"]
    assert point_facets("Keep reviews small and quick", CODE_REVIEW_Q) == []
    critique = score_answer(
        CODE_REVIEW_Q,
        "",
        "When I review a colleague's pull request I look at the pull request.",
        requirement="Write clean, well-tested code",
        kind=QuestionKind.TECHNICAL,
        guide=CODE_REVIEW_GUIDE,
    )
    assert critique.score <= 20


PAYROLL_WEEK = (
    "I was the payroll administrator at a builders' merchant, and one month the payroll changes were due "
    "on Wednesday, twelve new starters' contracts on Thursday and an audit of holiday pay on Friday. I "
    "listed everything with its deadline and who was waiting on it, and I asked the finance manager "
    "which could move. She agreed the audit could wait a week, so I did the payroll changes first and "
    "the contracts next. Payroll ran on time with no errors and every starter had a contract on day one. "
    "I learned to ask early which deadline can move instead of working late on all of them."
)


def _library_entry(competency_id: str, kind: QuestionKind) -> tuple[KindEntry, Competency]:
    from chains.questions.library import entry
    from prompts.library import load_library

    [competency] = [c for c in load_library().competencies if c.id == competency_id]
    return entry(competency, kind), competency


def _library_question(competency_id: str, kind: QuestionKind, at: int) -> tuple[str, str]:
    kind_entry, competency = _library_entry(competency_id, kind)
    return kind_entry.questions.all()[at], competency.phrasings[0]


def test_a_story_from_another_field_is_off_topic_and_the_card_names_the_field_it_reads_as() -> None:
    question, requirement = _library_question("physical_security_operations", QuestionKind.BEHAVIOURAL, 1)
    critique = score_answer(
        question,
        "",
        PAYROLL_WEEK,
        requirement=requirement,
        kind=QuestionKind.BEHAVIOURAL,
        competency_id="physical_security_operations",
    )
    assert "off-topic" in critique.flags and critique.score <= 15
    assert "reads as being about" in critique.improvements[0]
    assert "security" in critique.improvements[0]
    assert not card_problems(critique, PAYROLL_WEEK)


def test_the_same_story_answers_a_cross_role_question_and_is_not_judged_by_its_field() -> None:
    question, requirement = _library_question("prioritisation_time_management", QuestionKind.BEHAVIOURAL, 1)
    critique = score_answer(
        question,
        "",
        PAYROLL_WEEK,
        requirement=requirement,
        kind=QuestionKind.BEHAVIOURAL,
        competency_id="prioritisation_time_management",
    )
    assert "off-topic" not in critique.flags and critique.score >= 60


def test_a_story_in_the_field_asked_about_is_not_sent_elsewhere() -> None:
    question, requirement = _library_question("physical_security_operations", QuestionKind.BEHAVIOURAL, 1)
    story = (
        "I was the security supervisor at a distribution centre when a contractor's van left the yard "
        "with a pallet that wasn't on its paperwork. In the first hour I had the gatehouse stop outgoing "
        "vehicles, pulled the CCTV for the loading bay, and called the police and the site manager. I "
        "took statements from the two guards on shift and secured the footage. The pallet was recovered "
        "the same day and the contractor lost the contract. Afterwards I brought in seal checks on every "
        "trailer at the gate, and we had no losses from the yard in the next year."
    )
    critique = score_answer(
        question,
        "",
        story,
        requirement=requirement,
        kind=QuestionKind.BEHAVIOURAL,
        competency_id="physical_security_operations",
    )
    assert "off-topic" not in critique.flags and critique.score >= 60


def test_a_knowledge_answer_that_makes_every_point_is_not_asked_for_an_example() -> None:
    guide, answer = RECON_GUIDE, RECON_ANSWER
    critique = score_answer(
        "Walk me through a bank reconciliation from start to finish.", "", answer,
        requirement=RECON_R, kind=QuestionKind.TECHNICAL, guide=guide,
    )
    assert critique.missing == [] and len(critique.covered) == len(guide)
    assert not any("concrete example" in step for step in critique.improvements), critique.improvements
    assert any("Every point" in step for step in critique.improvements)


HOUSING_NOTICE = (
    "At a housing association, the gas safety checks in our flats kept being missed because tenants "
    "ignored our letters. I read the old letter: two pages of regulations, and the date of the visit was "
    "on the second page. I rewrote it as five lines: the date and time at the top, why the check keeps "
    "them safe, and one number to text to move it. I had it sent from the tenants' own housing officer, "
    "not the compliance team, and I asked caretakers to mention it at the door. Missed visits fell from "
    "about a third to one in ten over the next quarter, and the team now uses the same layout for every "
    "notice. I learned that people act on a letter when they can see in a few seconds what is asked and "
    "why it matters to them."
)


def _library_guide(competency_id: str, kind: QuestionKind, question: str) -> list[str]:
    return _library_entry(competency_id, kind)[0].guide_for(question)


def test_a_library_questions_guide_tells_the_topic_of_a_story_told_in_another_fields_words() -> None:
    # "A piece of writing that got people to act", answered with a gas-safety letter: the question's
    # words are far from the story's, the guide's (audience, the ask, sender and channel) are not.
    question, requirement = _library_question("communication", QuestionKind.BEHAVIOURAL, 1)
    assert "writing" in question
    guide = _library_guide("communication", QuestionKind.BEHAVIOURAL, question)
    told = score_answer(
        question, "", HOUSING_NOTICE, requirement=requirement, kind=QuestionKind.BEHAVIOURAL,
        guide=guide, competency_id="communication",
    )
    assert "off-topic" not in told.flags and told.score >= 80, (told.score, told.flags)
    assert not card_problems(told, HOUSING_NOTICE)
    hike = (
        "Last summer I walked the West Highland Way with two friends over seven days. We planned the "
        "route around the bunkhouses, and I carried the stove and the maps. On day four the weather "
        "closed in and we waited a morning in Tyndrum before crossing Rannoch Moor. We finished on time "
        "and I learned to pack lighter: I carried nearly fourteen kilos and needed nine."
    )
    off = score_answer(
        question, "", hike, requirement=requirement, kind=QuestionKind.BEHAVIOURAL,
        guide=guide, competency_id="communication",
    )
    assert "off-topic" in off.flags and off.score <= 15
