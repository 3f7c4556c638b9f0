"""Offline answer-to-critique latency: ``score_answer`` on 100 fresh answers vs embedding them alone.

Usage: .venv/bin/python bench/turn.py [--answers 100] [--scaffold]

Each answer is new to the scorer (its sentences are not cached); the question and model-answer key
points are cached, as they are from the second attempt on in the app. The ratio compares the critique
with ``knowledge.embeddings.embed`` of the same answer sentences alone (the floor: the model pass).
``--scaffold`` scores as the app does against an offline model answer (story parts checked too).
``--guide`` scores as a library knowledge question: six guide points listing instances ("such as"),
each instance read against every clause of the answer as well.
Targets: p95 <= 250 ms, ratio <= 2.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _table import print_table  # noqa: E402

from chains.critic import vectors as answer_vectors  # noqa: E402
from chains.critic.features import split_sentences  # noqa: E402
from chains.critic.scorer import score_answer  # noqa: E402
from chains.evaluation.critic import EvalRow, texts_to_encode  # noqa: E402
from knowledge.embeddings import embed  # noqa: E402
from tests.unit.test_critique import CASES  # noqa: E402

FILLERS = [
    "It took about three weeks overall.",
    "I kept the team informed in our weekly sync.",
    "Looking back, I would have involved QA earlier.",
    "The biggest risk was breaking the release schedule.",
    "I documented the change in our runbook.",
]
GUIDE = [
    "Correctness first, such as edge cases, error handling and tests that prove the change works",
    "Readability, such as clear names, small functions and no surprising side effects",
    "Design, such as whether the change fits the existing structure or quietly adds coupling",
    "Risks, such as security, performance and backwards compatibility",
    "Feedback that is specific, kind and separates must-fix from nice-to-have",
    "Measurement, such as latency, error rates and the cost of each request",
]


def make_answers(count: int) -> list[tuple[str, str, str]]:
    """Deterministic mix of sentences from good, paraphrased and partial answers (3-9 sentences)."""
    rng = random.Random(42)
    answers = []
    for i in range(count):
        question, model, para, partial, _ = CASES[i % len(CASES)]
        pool = split_sentences(model) + split_sentences(para) + split_sentences(partial) + FILLERS
        picked = rng.sample(pool, k=min(len(pool), rng.randint(3, 9)))
        # Every sentence unique to this answer, so no answer sentence is ever served from the cache.
        fresh = [f"{s.rstrip('.!?')} (note {i}.{j})." for j, s in enumerate(picked)]
        answers.append((question, model, " ".join(fresh)))
    return answers


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--scaffold", action="store_true", help="score as against an offline model answer")
    parser.add_argument("--guide", action="store_true", help="score as a library knowledge question")
    args = parser.parse_args()
    extra: dict[str, object] = {"kind": "technical", "guide": GUIDE} if args.guide else {}
    answers = make_answers(args.answers)
    for question, model, _ in answers[: len(CASES)]:
        score_answer(question, model, "warm up the model and cache the key points", **extra)  # type: ignore[arg-type]
    critique_ms: list[float] = []
    embed_ms: list[float] = []
    for question, model, answer in answers:
        row = EvalRow(question=question, model_answer=model, answer=answer)
        sentences = [t for t in texts_to_encode(row) if t != question and t not in model]  # uncached ones
        started = time.perf_counter()
        embed(sentences)
        embed_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        score_answer(question, model, answer, scaffold=args.scaffold, **extra)  # type: ignore[arg-type]
        critique_ms.append((time.perf_counter() - started) * 1000)
    answer_vectors.clear_cache()
    ratios = [c / e for c, e in zip(critique_ms, embed_ms, strict=True)]
    rows = [
        ["critique (score_answer), ms", round(statistics.median(critique_ms), 1),
         round(percentile(critique_ms, 0.95), 1)],
        ["embedding the same sentences, ms", round(statistics.median(embed_ms), 1),
         round(percentile(embed_ms, 0.95), 1)],
        ["ratio critique / embedding, per answer", round(statistics.median(ratios), 2),
         round(percentile(ratios, 0.95), 2)],
        ["ratio of the medians / of the p95s",
         round(statistics.median(critique_ms) / statistics.median(embed_ms), 2),
         round(percentile(critique_ms, 0.95) / percentile(embed_ms, 0.95), 2)],
    ]
    print_table(f"Critique latency, {len(answers)} fresh answers (targets: p95 <= 250 ms, ratio <= 2)",
                ["measure", "median", "p95"], rows)

if __name__ == "__main__":
    main()
