"""Search latency: queries over a store of generated postings, the query's embedding included.

Run: .venv/bin/python bench/search.py [--postings 1000] [--queries 200] [--store DIR].
Target: p95 <= 100 ms. ``--store DIR`` keeps the filled store in DIR and reuses it on the next run
(filling 1,000 postings takes minutes). A row with the query vector precomputed shows the store's
own share, which other work on the machine disturbs less than the model does.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _synthetic import generate_postings, generate_queries  # noqa: E402
from _table import print_table  # noqa: E402

from core.settings import get_settings  # noqa: E402
from knowledge import embeddings  # noqa: E402
from knowledge.store import PostingStore  # noqa: E402

TARGET_P95_MS = 100.0


def _latencies(calls: list[Callable[[], object]]) -> list[float]:
    timings = []
    for call in calls:
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _row(name: str, timings: list[float], target: bool) -> list[object]:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = ("yes" if p95 <= TARGET_P95_MS else "NO") if target else "-"
    return [name, len(timings), statistics.median(ordered), p95, ordered[-1], verdict]


@contextmanager
def _data_dir(keep: Path | None) -> Iterator[str]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield str(keep)
        return
    with tempfile.TemporaryDirectory(prefix="coach-bench-search-") as tmp:
        yield tmp


def run(
    n_postings: int, n_queries: int, keep: Path | None = None, k: int = 5
) -> tuple[float, list[list[object]]]:
    """Fill the store (unless kept from a previous run), then time the queries; (fill seconds, rows)."""
    postings = generate_postings(n_postings)
    queries = generate_queries(n_queries)
    rng = random.Random(3)
    with _data_dir(keep) as data_dir:
        os.environ["COACH_DATA_DIR"] = data_dir
        get_settings.cache_clear()
        store = PostingStore(get_settings())
        start = time.perf_counter()
        store.ingest_many(postings)  # all "unchanged", in well under a second, when the store was kept
        fill_s = time.perf_counter() - start
        assert store.count("postings") == n_postings, "the kept store holds other postings"
        for q in queries[:10]:  # warm up model, index and caches
            store.search(q, k=k)
        within = [rng.choice(postings).id for _ in queries]
        vectors = {q: embeddings.embed([q]) for q in queries}

        def search_all(q: str) -> Callable[[], object]:
            return lambda: store.search(q, k=k)

        def search_one(q: str, pid: str) -> Callable[[], object]:
            return lambda: store.search(q, k=k, posting_id=pid)

        def embed_only(q: str) -> Callable[[], object]:
            return lambda: embeddings.embed([q])

        rows = [
            _row(f"top-{k} over all postings", _latencies([search_all(q) for q in queries]), True),
            _row(
                f"top-{k} within one posting",
                _latencies([search_one(q, pid) for q, pid in zip(queries, within, strict=True)]),
                True,
            ),
            _row("query embedding alone", _latencies([embed_only(q) for q in queries]), False),
        ]
        real_embed = embeddings.embed

        def precomputed(texts: list[str], batch_size: int = 64) -> np.ndarray:
            return vectors[texts[0]]

        embeddings.embed = precomputed  # type: ignore[assignment]
        try:
            timings = _latencies([search_all(q) for q in queries])
            rows.append(_row(f"top-{k} over all, vector precomputed", timings, False))
        finally:
            embeddings.embed = real_embed
    return fill_s, rows


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1000, help="postings in the store (default 1000)")
    parser.add_argument("--queries", type=int, default=200, help="queries timed per row (default 200)")
    parser.add_argument("--store", type=Path, default=None, help="keep the filled store here and reuse it")
    args = parser.parse_args(argv)
    fill_s, rows = run(args.postings, args.queries, args.store)
    print_table(
        f"Search (bench/search.py): {args.postings} postings (store filled in {fill_s:.0f} s)",
        ["query", "n", "median ms", "p95 ms", "max ms", f"p95 <= {TARGET_P95_MS:.0f} ms"],
        rows,
    )


if __name__ == "__main__":
    main()
