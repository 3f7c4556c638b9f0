"""Same answer, same critique: alone, or while ten other sessions answer at the same moment.

The app serves many sessions from one process: their critiques run at once in worker threads that
share the embeddings model and the scorer's encoding cache, and sessions that start together share
one planning of their questions. None of that may change what a candidate is told.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from chains.critic import vectors as answer_vectors
from chains.critic.scorer import score_answer
from chains.models import Critique
from chains.session.coach import Coach, SessionOptions
from tests.engine_fixtures import ingest

ANSWER = (
    "I was on call when our payments cluster lost two nodes. I declared an incident, drained the "
    "failing nodes with kubectl and moved traffic to the healthy zone. Recovery took 40 minutes, and "
    "afterwards I automated the node replacement with Terraform."
)

# Ten other answers of very different lengths and kinds, so any batching across sessions would pad
# and mix them with the answer under test.
OTHERS = [
    "fine",
    "I don't know",
    "Kubernetes, Terraform, Prometheus, Python",
    "I run clusters in production.",
    "At my last job I ran twelve Kubernetes clusters for 300 engineers. I upgraded them every quarter "
    "with a blue-green plan, wrote runbooks, and cut the upgrade time from two days to four hours.",
    "I would first check the control plane, then the nodes, then the workloads, and write down what I "
    "found for the postmortem.",
    "My favourite food is pasta and I like to cook it on Sundays with my family and friends.",
    "We had an outage. We fixed it. We wrote a report.",
    "Honestly I have mostly used Docker Compose; I read the Kubernetes docs and set up a small cluster "
    "at home with kind to learn how deployments, services and ingress fit together.",
    "Situation: a node pool kept crashing. Task: keep the API up. Action: I cordoned the pool, moved "
    "pods, found a kernel bug and pinned the image. Result: no downtime and 30% fewer pages a month.",
]


def _fields(critique: Critique) -> dict[str, object]:
    return critique.model_dump(mode="json")


def test_an_answer_is_encoded_to_the_same_bits_alone_and_while_ten_others_are_encoded() -> None:
    # Batching texts of several sessions into one model call would pad them to a common length,
    # which moves the last float bits of the word vectors: the scorer must never see that.
    texts = [ANSWER, *OTHERS]
    alone = []
    for text in texts:
        answer_vectors.clear_cache()
        alone.append(answer_vectors.encode([text])[0])

    answer_vectors.clear_cache()
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        together = list(pool.map(lambda t: answer_vectors.encode([t])[0], texts))

    for one, crowd in zip(alone, together, strict=True):
        assert crowd.text == one.text and crowd.words == one.words
        assert np.array_equal(crowd.vector, one.vector), one.text[:50]
        assert np.array_equal(crowd.word_vectors, one.word_vectors), one.text[:50]


def test_score_answer_is_the_same_alone_and_among_ten_concurrent_answers() -> None:
    question = "Tell me about a time you operated Kubernetes clusters in production."
    model_answer = (
        "I ran production Kubernetes clusters for a payments service. I set up autoscaling and pod "
        "disruption budgets. I handled node failures by draining and replacing nodes. As a result we "
        "kept 99.95% availability for a year."
    )
    requirement = "Operate Kubernetes clusters in production"
    texts = [ANSWER, *OTHERS]

    alone = []
    for text in texts:
        answer_vectors.clear_cache()  # nothing shared: each answer is encoded with its own key points
        alone.append(score_answer(question, model_answer, text, requirement=requirement))

    answer_vectors.clear_cache()
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        together = list(
            pool.map(lambda t: score_answer(question, model_answer, t, requirement=requirement), texts)
        )

    assert len({c.score for c in alone}) > 3, "the answers should not all score alike"
    for text, one, crowd in zip(texts, alone, together, strict=True):
        assert _fields(crowd) == _fields(one), f"critique changed under concurrency for: {text[:50]}"


async def test_a_session_gets_the_same_questions_and_critique_while_ten_others_answer_at_once() -> None:
    posting = ingest()
    options = SessionOptions(questions=2, follow_ups=False)

    answer_vectors.clear_cache()
    async with Coach() as coach:
        first = await coach.start(posting.id, options, user_id="alone")
        alone = await coach.answer(first.thread_id, ANSWER)
    assert first.question is not None and alone.critique is not None

    # A new process-like start: a fresh engine and an empty encoding cache, eleven sessions at once.
    answer_vectors.clear_cache()
    async with Coach() as coach:
        starts = await asyncio.gather(
            *(coach.start(posting.id, options, user_id=f"user{n}") for n in range(len(OTHERS) + 1))
        )
        turns = await asyncio.gather(
            *(
                coach.answer(turn.thread_id, text)
                for turn, text in zip(starts, [ANSWER, *OTHERS], strict=True)
            )
        )

    for start in starts:  # the shared planning gives every session the plan one session gets alone
        assert start.question is not None
        assert start.question.model_dump() == first.question.model_dump()
    mine = turns[0]
    assert mine.critique is not None and alone.critique is not None
    assert _fields(mine.critique) == _fields(alone.critique)
    assert mine.question is not None and alone.question is not None
    assert mine.question.model_dump() == alone.question.model_dump()
    # Each session got the critique of its own answer, not a neighbour's.
    for turn, text in zip(turns, [ANSWER, *OTHERS], strict=True):
        assert turn.critique is not None
        for point in turn.critique.covered:
            assert point.evidence in text, (text[:40], point.evidence[:80])


def test_ten_threads_asking_for_one_new_text_encode_it_once(monkeypatch) -> None:
    # Sessions on one posting reach a question together: its key points are encoded once, and every
    # session gets that one encoding.
    calls: list[list[str]] = []
    real = answer_vectors._encode_batch

    def counting(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(answer_vectors, "_encode_batch", counting)
    answer_vectors.clear_cache()
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: answer_vectors.encode([ANSWER, OTHERS[4]]), range(10)))

    encoded = [text for batch in calls for text in batch]
    assert sorted(encoded) == sorted([ANSWER, OTHERS[4]])
    for pair in results:
        assert [e.text for e in pair] == [ANSWER, OTHERS[4]]
        assert np.array_equal(pair[0].vector, results[0][0].vector)


def test_a_failed_encoding_reaches_every_waiter_and_the_next_call_tries_again(monkeypatch) -> None:
    real = answer_vectors._encode_batch
    failing = True

    def flaky(texts):
        if failing:
            raise RuntimeError("model crashed")
        return real(texts)

    monkeypatch.setattr(answer_vectors, "_encode_batch", flaky)
    answer_vectors.clear_cache()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(answer_vectors.encode, [ANSWER]) for _ in range(4)]
    for future in futures:
        assert isinstance(future.exception(), RuntimeError)
    failing = False
    assert answer_vectors.encode([ANSWER])[0].text == ANSWER
