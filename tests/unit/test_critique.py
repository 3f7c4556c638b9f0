"""The rubric scorer: ordering, non-answers, evidence, determinism, limits."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from chains.critic.scorer import key_points, score_answer
from chains.models import Difficulty
from tests.conftest import REPO_ROOT

PERF_Q = "Tell me about a time you improved the performance of a slow system."
PERF_M = (
    "At my last company our checkout API had a p95 latency of 2 seconds during peak traffic. "
    "I was responsible for bringing it under 500 ms before the holiday sale. "
    "I profiled the service and found that most time went to repeated database queries for product "
    "prices. "
    "I added a Redis cache in front of the price lookups and batched the remaining queries. "
    "As a result p95 latency dropped to 350 ms and checkout conversion rose by 4 percent."
)
PERF_PARA = (
    "In my previous job the checkout service was slow: at peak its 95th percentile response time was "
    "around two seconds. My task was to get it below half a second before the big holiday sale. "
    "After profiling it I saw that repeated database lookups of product prices took most of the time. "
    "I put a Redis cache in front of those price lookups and batched the other queries. "
    "Latency at p95 fell to 350 ms and conversion at checkout went up 4 percent."
)
PERF_PARTIAL = (
    "We had a slow checkout service once. I looked into it and added some caching, and it got faster."
)

CONFLICT_Q = "Describe a disagreement with a colleague and how you resolved it."
CONFLICT_M = (
    "On a data platform project a senior engineer and I disagreed about whether to adopt Kafka or keep "
    "our nightly batch jobs. I asked for a meeting and we each wrote down our criteria: cost, latency and "
    "operational risk. I built a two-week prototype that streamed one pipeline and measured it. "
    "The data showed the latency gain was real but only needed for two reports, so we agreed to stream "
    "those two and keep batch for the rest. We shipped on time and report freshness went from 24 hours "
    "to 5 minutes."
)
CONFLICT_PARA = (
    "During a data platform project I disagreed with a senior engineer about moving to Kafka versus "
    "keeping the nightly batch jobs. I set up a meeting where we both wrote our criteria down: cost, "
    "latency and operational risk. I then built a prototype over two weeks that streamed one pipeline, "
    "and measured it. The numbers showed a real latency gain, but only two reports needed it, so we "
    "agreed to stream those two and keep the rest in batch. We shipped on time and the reports went "
    "from 24 hours old to 5 minutes."
)
CONFLICT_PARTIAL = (
    "A senior engineer and I disagreed about adopting Kafka instead of our nightly batch jobs. "
    "We talked it through and agreed on a compromise."
)

TECH_Q = "What is the difference between a process and a thread?"
TECH_M = (
    "A process is an independent program in execution with its own memory space. "
    "Threads are units of execution inside a process that share its memory and resources. "
    "Switching between threads is cheaper than switching between processes, but shared memory needs "
    "synchronisation such as locks to avoid race conditions."
)
TECH_PARA = (
    "A process is a running program that has its own separate memory. Threads run inside a process and "
    "share that process's memory and resources. Context switches between threads cost less than between "
    "processes, but because memory is shared you need locks or other synchronisation to prevent races."
)
TECH_PARTIAL = "A process has its own memory, while threads live inside a process."

SQL_Q = "How would you find and fix a slow SQL query?"
SQL_M = (
    "First I would reproduce the slow query and run EXPLAIN ANALYZE to see the query plan. "
    "I would look for sequential scans on large tables, missing indexes and bad join orders. "
    "Then I would add a suitable index or rewrite the query, and measure the execution time again "
    "to confirm the improvement."
)
SQL_PARA = (
    "I would start by reproducing the slow query and running EXPLAIN ANALYZE on it to read the plan. "
    "In the plan I'd check for full sequential scans of big tables, indexes that are missing, and poor "
    "join order. After that I'd create the right index or rewrite the query, then time it again to "
    "confirm it is faster."
)
SQL_PARTIAL = "I would check whether the table has an index and add one if it is missing."

HOLIDAY = (
    "Last summer I went on holiday to Spain with my family. We swam every day, ate paella and visited "
    "Barcelona. It was the best trip we ever had and we took 300 photos."
)

CASES = [
    (PERF_Q, PERF_M, PERF_PARA, PERF_PARTIAL, "Redis, caching, latency, p95, performance, profiling"),
    (CONFLICT_Q, CONFLICT_M, CONFLICT_PARA, CONFLICT_PARTIAL, "Kafka, batch, streaming, latency, prototype"),
    (TECH_Q, TECH_M, TECH_PARA, TECH_PARTIAL, "process, thread, memory, locks, synchronisation, concurrency"),
    (SQL_Q, SQL_M, SQL_PARA, SQL_PARTIAL, "SQL, EXPLAIN ANALYZE, index, join, query plan, performance"),
]


@pytest.mark.parametrize(("question", "model", "paraphrase", "partial", "buzzwords"), CASES)
def test_good_beats_partial_beats_non_answers(
    question: str, model: str, paraphrase: str, partial: str, buzzwords: str
) -> None:
    model_score = score_answer(question, model, model).score
    para_score = score_answer(question, model, paraphrase).score
    partial_score = score_answer(question, model, partial).score
    assert model_score > 80
    assert para_score > 80
    non_answers = ["fine", "I don't know", question, HOLIDAY, buzzwords]
    non_scores = {a: score_answer(question, model, a).score for a in non_answers}
    for answer, score in non_scores.items():
        assert score < 20, (answer, score)
    assert min(model_score, para_score) > partial_score > max(non_scores.values())


def test_non_answers_are_flagged_with_the_reason() -> None:
    assert "non-answer" in score_answer(PERF_Q, PERF_M, "I don't know").flags
    assert "repeats the question" in score_answer(PERF_Q, PERF_M, PERF_Q).flags
    assert "off-topic" in score_answer(PERF_Q, PERF_M, HOLIDAY).flags
    flags = score_answer(PERF_Q, PERF_M, "Redis, caching, latency, p95, performance, database").flags
    assert "keyword list without sentences" in flags


def test_bands_follow_the_score() -> None:
    assert score_answer(PERF_Q, PERF_M, PERF_M).band == "strong"
    assert score_answer(PERF_Q, PERF_M, "fine").band == "weak"


def test_evidence_is_verbatim_and_points_are_partitioned() -> None:
    answer = PERF_PARTIAL + " " + "Latency at p95 fell to 350 ms after I added a Redis cache."
    critique = score_answer(PERF_Q, PERF_M, answer)
    points = key_points(PERF_M)
    assert critique.covered, "a sentence that restates a key point must be credited"
    for covered in critique.covered:
        assert covered.evidence in answer
        assert covered.point in points
    covered_points = [c.point for c in critique.covered]
    assert sorted(covered_points + critique.missing) == sorted(points)
    assert not set(covered_points) & set(critique.missing)


def test_improvements_come_from_the_evidence() -> None:
    critique = score_answer(PERF_Q, PERF_M, "We added a cache and the service got faster.")
    assert 2 <= len(critique.improvements) <= 3
    text = " ".join(critique.improvements)
    assert critique.missing[0] in text  # names the top missing key point
    assert "measured result" in text  # no number in the answer
    critique_we = score_answer(PERF_Q, PERF_M, PERF_PARTIAL.replace("I looked", "We looked"))
    assert any("'I'" in step for step in critique_we.improvements) or "measured result" in " ".join(
        critique_we.improvements
    )


def test_someone_elses_experience_is_compared_not_copied() -> None:
    story = score_answer(PERF_Q, PERF_M, "I once made a slow page faster.")
    own = [step for step in story.improvements if "Say what you did that compares." in step]
    assert own and all("Cover the missing point" not in step for step in story.improvements)
    facts = score_answer(TECH_Q, TECH_M, "A thread is smaller.")
    assert any(step.startswith("Cover the missing point") for step in facts.improvements)


def test_only_we_asks_for_own_actions() -> None:
    answer = (
        "At my last company we had a slow checkout API. We profiled it and we found repeated database "
        "queries. We added a Redis cache and latency dropped to 350 ms, a 4 percent lift in conversion."
    )
    critique = score_answer(PERF_Q, PERF_M, answer)
    assert any("'I'" in step for step in critique.improvements)


def test_empty_answer_scores_zero_with_a_flag() -> None:
    critique = score_answer(PERF_Q, PERF_M, "   \n ")
    assert critique.score == 0
    assert critique.flags == ["empty answer"]
    assert critique.missing == key_points(PERF_M)
    assert critique.improvements


def test_same_input_same_critique() -> None:
    first = score_answer(TECH_Q, TECH_M, TECH_PARTIAL, requirement="Concurrency")
    score_answer(SQL_Q, SQL_M, SQL_PARA)  # other work in between must not matter
    second = score_answer(TECH_Q, TECH_M, TECH_PARTIAL, requirement="Concurrency")
    assert first == second


def test_same_critique_in_another_process_and_order() -> None:
    """A fresh process scoring in a different order (so different batches) gives identical JSON."""
    code = (
        "import json,sys; from chains.critic.scorer import score_answer\n"
        "from tests.unit.test_critique import CASES\n"
        "out = {}\n"
        "for q, m, para, part, buzz in reversed(CASES):\n"
        "    for a in (part, para):\n"
        "        out[q + '|' + a] = score_answer(q, m, a).model_dump(mode='json')\n"
        "print(json.dumps(out, sort_keys=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True, timeout=300
    )
    import json

    other = json.loads(result.stdout.strip().splitlines()[-1])
    for q, m, para, part, _ in CASES:
        for a in (para, part):
            assert score_answer(q, m, a).model_dump(mode="json") == other[q + "|" + a]


def test_difficulty_changes_what_is_required() -> None:
    answer = (
        "At my last company the checkout API was slow at peak. I profiled it, found repeated price "
        "queries and added a Redis cache, and it became faster."
    )
    easy = score_answer(PERF_Q, PERF_M, answer, difficulty=Difficulty.EASY).score
    medium = score_answer(PERF_Q, PERF_M, answer, difficulty=Difficulty.MEDIUM).score
    hard = score_answer(PERF_Q, PERF_M, answer, difficulty=Difficulty.HARD).score
    assert easy > medium > hard
    assert score_answer(PERF_Q, PERF_M, PERF_M, difficulty=Difficulty.HARD).score > 80


def test_requirement_relevance_is_measured() -> None:
    on = score_answer(PERF_Q, PERF_M, PERF_PARTIAL, requirement="Improve backend performance and latency")
    off = score_answer(PERF_Q, PERF_M, PERF_PARTIAL, requirement="Negotiate vendor contracts for catering")
    assert on.subscores.relevance > off.subscores.relevance


def test_five_megabyte_answer_returns_quickly() -> None:
    score_answer(PERF_Q, PERF_M, PERF_PARTIAL)  # model loaded outside the timing
    huge = (PERF_PARA + " ") * (5_000_000 // (len(PERF_PARA) + 1))
    started = time.perf_counter()
    critique = score_answer(PERF_Q, PERF_M, huge)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed  # generous: shared CI cores; bench/turn.py has the real numbers
    assert any(f.startswith("long answer") for f in critique.flags)
    assert critique.score > 80  # the start of it is a good answer


def test_key_points_are_sentences_deduplicated() -> None:
    model = (
        "Add an index on the user id column. Add an index on the user id column! "
        "Measure the query time before and after the change. No."
    )
    points = key_points(model)
    assert points[0] == "Add an index on the user id column."
    assert sum("index" in p for p in points) == 1
    assert any(p.startswith("Measure the query time") for p in points)
    assert all(p.strip() != "No." for p in points)  # a bare fragment joins its neighbour
