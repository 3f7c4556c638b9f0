"""The posting store against a real embedded Chroma (and a real Chroma server at the end)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.errors import SetupError
from core.settings import get_settings
from knowledge import embeddings, store
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind, posting_id_for
from knowledge.store import AmbiguousIdError, PostingStore

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_posting(
    title: str,
    requirements: list[tuple[str, RequirementKind]],
    qa: list[tuple[str, str]] = (),  # type: ignore[assignment]
    source: str = "posting.txt",
    company: str = "Acme",
    posting_id: str | None = None,
) -> Posting:
    text = "\n".join([title, *(r for r, _ in requirements), *(q for q, _ in qa)])
    return Posting(
        id=posting_id or posting_id_for(text),
        title=title,
        company=company,
        location="Remote",
        source=source,
        text=text,
        requirements=[
            Requirement(text=r, kind=kind, section=kind.value.title(), order=i)
            for i, (r, kind) in enumerate(requirements)
        ],
        qa_pairs=[QAPair(question=q, model_answer=a) for q, a in qa],
    )


REQ = RequirementKind.REQUIRED
RESP = RequirementKind.RESPONSIBILITY
PREF = RequirementKind.PREFERRED
SKILL = RequirementKind.SKILL

BACKEND = make_posting(
    "Backend Engineer",
    [
        ("Design and operate PostgreSQL database schemas for high write volumes", RESP),
        ("Five years of Python in production services", REQ),
        ("Experience running services on Kubernetes", PREF),
        ("Clear written communication", SKILL),
    ],
    [("How would you shard a busy table?", "Pick an even shard key, route by it, rebalance online.")],
    source="backend.txt",
)
CHEF = make_posting(
    "Head Chef",
    [
        ("Lead a kitchen brigade of twelve cooks", RESP),
        ("Plan seasonal menus and control food cost", RESP),
        ("Food hygiene certificate level 3", REQ),
    ],
    [("How do you handle a rush?", "Prep ahead, call tickets clearly, keep stations stocked.")],
    source="chef.txt",
)


@pytest.fixture
def posting_store() -> PostingStore:
    return PostingStore(get_settings())


def counts(s: PostingStore) -> tuple[int, int, int]:
    return s.count("postings"), s.count("requirements"), s.count("qa_pairs")


def test_ingest_is_idempotent_and_round_trips(posting_store: PostingStore) -> None:
    first = posting_store.ingest(BACKEND)
    assert (first.status, first.requirements, first.qa_pairs) == ("added", 4, 1)
    assert counts(posting_store) == (1, 4, 1)

    again = posting_store.ingest(BACKEND.model_copy(deep=True))
    assert again.status == "unchanged"
    assert counts(posting_store) == (1, 4, 1)  # no duplicates

    assert posting_store.get(BACKEND.id) == BACKEND
    [summary] = posting_store.list_postings()
    assert (summary.id, summary.title, summary.company, summary.requirements, summary.qa_pairs) == (
        BACKEND.id, "Backend Engineer", "Acme", 4, 1
    )


def test_ingest_many_reports_each_posting_and_duplicates_once(posting_store: PostingStore) -> None:
    results = posting_store.ingest_many([BACKEND, CHEF, BACKEND])
    assert [(r.posting_id, r.status) for r in results] == [
        (BACKEND.id, "added"), (CHEF.id, "added"), (BACKEND.id, "duplicate")
    ]
    assert counts(posting_store) == (2, 7, 2)


def test_changed_file_replaces_its_old_version(posting_store: PostingStore) -> None:
    posting_store.ingest(BACKEND)
    posting_store.put_model_answer(BACKEND.id, "q1", "Why Python?", "Because.", "generated")
    updated = make_posting(
        "Backend Engineer",
        [("Seven years of Go in production services", REQ), ("On-call for payment systems", RESP)],
        source="backend.txt",
    )
    result = posting_store.ingest(updated)
    assert result.status == "replaced"
    assert [p.id for p in posting_store.list_postings()] == [updated.id]
    assert posting_store.get(BACKEND.id) is None
    assert counts(posting_store) == (1, 2, 0)
    assert posting_store.count("model_answers") == 0  # the old posting's cached answers went with it
    texts = {hit.requirement.text for hit in posting_store.search("PostgreSQL database schemas", k=5)}
    assert texts == {"Seven years of Go in production services", "On-call for payment systems"}


def test_pasted_postings_do_not_replace_each_other(posting_store: PostingStore) -> None:
    one = make_posting("Data Analyst", [("SQL reporting", REQ)], source="pasted")
    two = make_posting("Nurse", [("Registered nurse licence", REQ)], source="pasted")
    assert [r.status for r in posting_store.ingest_many([one])] == ["added"]
    assert [r.status for r in posting_store.ingest_many([two])] == ["added"]
    assert {p.title for p in posting_store.list_postings()} == {"Data Analyst", "Nurse"}


def test_same_text_parsed_differently_is_rewritten(posting_store: PostingStore) -> None:
    posting_store.ingest(BACKEND)
    reparsed = BACKEND.model_copy(update={"requirements": BACKEND.requirements[:2]})
    assert posting_store.ingest(reparsed).status == "replaced"
    assert counts(posting_store) == (1, 2, 1)
    assert [r.text for r, _ in posting_store.requirements_with_embeddings(BACKEND.id)] == [
        r.text for r in BACKEND.requirements[:2]
    ]


def test_remove_deletes_the_posting_and_everything_of_it(posting_store: PostingStore) -> None:
    posting_store.ingest_many([BACKEND, CHEF])
    posting_store.put_model_answer(CHEF.id, "q1", "Knife skills?", "Daily practice.", "generated")
    assert posting_store.remove(CHEF.id[:6]) is True  # a unique prefix is enough, like git
    assert [p.id for p in posting_store.list_postings()] == [BACKEND.id]
    assert counts(posting_store) == (1, 4, 1)
    assert posting_store.get_model_answer(CHEF.id, "q1") is None
    assert posting_store.remove(CHEF.id) is False


def test_search_ranks_the_relevant_requirement_first_and_respects_the_posting_filter(
    posting_store: PostingStore,
) -> None:
    posting_store.ingest_many([BACKEND, CHEF])
    hits = posting_store.search("relational database design", k=3)
    assert hits[0].requirement.text.startswith("Design and operate PostgreSQL")
    assert hits[0].posting_id == BACKEND.id
    assert hits[0].requirement.kind is RESP
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1.0001

    chef_only = posting_store.search("relational database design", k=10, posting_id=CHEF.id)
    assert len(chef_only) == 3 and {h.posting_id for h in chef_only} == {CHEF.id}
    cooking = posting_store.search("running a restaurant kitchen team", k=1)
    assert cooking[0].requirement.text == "Lead a kitchen brigade of twelve cooks"
    assert posting_store.search("anything", posting_id="ffffffffffff") == []


def test_ids_resolve_by_unique_prefix(posting_store: PostingStore) -> None:
    a = make_posting("Role A", [("Alpha skill", REQ)], source="a.txt", posting_id="abcd000000000001")
    b = make_posting("Role B", [("Beta skill", REQ)], source="b.txt", posting_id="abcd000000000002")
    posting_store.ingest_many([a, b])
    with pytest.raises(AmbiguousIdError, match="ambiguous"):
        posting_store.get("abcd")
    fetched = posting_store.get("abcd000000000002")
    assert fetched is not None and fetched.title == "Role B"
    assert posting_store.get("abc") is None  # prefixes under 4 characters are not guessed


def test_requirements_with_embeddings_come_back_in_order_with_their_vectors(
    posting_store: PostingStore,
) -> None:
    posting_store.ingest_many([CHEF, BACKEND])
    rows = posting_store.requirements_with_embeddings(BACKEND.id[:8])
    assert [r for r, _ in rows] == BACKEND.requirements
    stored = np.stack([v for _, v in rows])
    fresh = embeddings.embed([r.text for r in BACKEND.requirements])
    assert stored.shape == (4, embeddings.dimension())
    np.testing.assert_allclose(stored, fresh, atol=1e-5)


def test_model_answers_are_cached_overwritten_and_persisted(posting_store: PostingStore) -> None:
    posting_store.ingest(BACKEND)
    assert posting_store.get_model_answer(BACKEND.id, "q7") is None
    posting_store.put_model_answer(BACKEND.id, "q7", "Why Kubernetes?", "Self-healing deploys.", "offline")
    posting_store.put_model_answer(BACKEND.id, "q7", "Why Kubernetes?", "Edited by the user.", "user")
    reopened = PostingStore(get_settings())
    assert reopened.get_model_answer(BACKEND.id, "q7") == "Edited by the user."
    assert reopened.count("model_answers") == 1


def test_embedding_failure_stores_nothing(
    posting_store: PostingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(texts: object, batch_size: int = 64) -> np.ndarray:
        raise RuntimeError("model crashed")

    monkeypatch.setattr(embeddings, "embed", broken)
    with pytest.raises(RuntimeError, match="model crashed"):
        posting_store.ingest(BACKEND)
    monkeypatch.undo()
    assert counts(posting_store) == (0, 0, 0)
    assert posting_store.list_postings() == []


def test_failure_after_entries_were_written_leaves_no_partial_posting(
    posting_store: PostingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    posting_store.ingest(BACKEND)  # the old version must survive a failed replacement
    postings_collection = posting_store._collection("postings")
    real_upsert = postings_collection.upsert

    def failing_upsert(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(postings_collection, "upsert", failing_upsert)
    updated = make_posting("Backend Engineer", [("Rust services", REQ)], source="backend.txt")
    with pytest.raises(OSError, match="disk full"):
        posting_store.ingest_many([updated, CHEF])
    monkeypatch.setattr(postings_collection, "upsert", real_upsert)

    assert counts(posting_store) == (1, 4, 1)  # requirements/Q&A written before the failure are gone
    assert posting_store.get(BACKEND.id) == BACKEND
    assert posting_store.search("Rust services", k=10)[0].posting_id == BACKEND.id


def test_mid_way_failure_keeps_finished_batches_whole(
    posting_store: PostingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [
        make_posting(f"Role {i}", [(f"Skill {i} one", REQ), (f"Skill {i} two", PREF)], source=f"{i}.txt")
        for i in range(6)
    ]
    monkeypatch.setattr(store, "_TEXTS_PER_BATCH", 6)  # two postings (3 texts each) per batch
    real_embed = embeddings.embed
    calls = {"n": 0}

    def embed_then_fail(texts: list[str], batch_size: int = 64) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("embedding failed mid-way")
        return real_embed(texts, batch_size)

    monkeypatch.setattr(embeddings, "embed", embed_then_fail)
    with pytest.raises(RuntimeError, match="mid-way"):
        posting_store.ingest_many(many)
    monkeypatch.undo()

    assert [p.title for p in posting_store.list_postings()] == ["Role 0", "Role 1"]
    assert counts(posting_store) == (2, 4, 0)
    assert [r.status for r in posting_store.ingest_many(many)] == ["unchanged"] * 2 + ["added"] * 4


def test_leftovers_of_a_crash_are_never_found_and_are_swept_by_the_next_ingest(
    posting_store: PostingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A crash between the entries and the posting record: no clean-up ran.
    monkeypatch.setattr(PostingStore, "_clean_up_failed", lambda self, batch: None)
    monkeypatch.setattr(posting_store._collection("postings"), "upsert", _raise_killed)
    with pytest.raises(KeyboardInterrupt):
        posting_store.ingest(CHEF)
    monkeypatch.undo()
    assert counts(posting_store) == (0, 3, 1)
    assert posting_store.search("kitchen brigade", k=5) == []  # half-written postings stay invisible

    reparsed = CHEF.model_copy(update={"requirements": CHEF.requirements[:1]})
    assert posting_store.ingest(reparsed).status == "added"
    assert counts(posting_store) == (1, 1, 1)


def _raise_killed(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def _run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_postings_persist_across_processes() -> None:
    _run_python(
        "import json, sys\n"
        "from knowledge.posting import Posting\n"
        "from knowledge.store import open_store\n"
        f"docs = {json.dumps([BACKEND.model_dump_json(), CHEF.model_dump_json()])}\n"
        "postings = [Posting.model_validate_json(j) for j in docs]\n"
        "print([r.status for r in open_store().ingest_many(postings)])\n"
    )
    out = _run_python(
        "from knowledge.store import open_store\n"
        "s = open_store()\n"
        "print([p.title for p in s.list_postings()])\n"
        "print(s.search('menu planning and food costs', k=1)[0].requirement.text)\n"
        "print(s.ingest_many([s.get(p.id) for p in s.list_postings()])[0].status)\n"
    )
    assert out.splitlines() == [
        "['Backend Engineer', 'Head Chef']",
        "Plan seasonal menus and control food cost",
        "unchanged",
    ]


def test_store_through_a_chroma_server(
    chroma_server: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = chroma_server
    monkeypatch.setenv("COACH_CHROMA_HOST", host)
    monkeypatch.setenv("COACH_CHROMA_PORT", str(port))
    get_settings.cache_clear()
    settings = get_settings()
    remote = PostingStore(settings)
    for posting in (BACKEND, CHEF):
        remote.remove(posting.id)  # the server outlives single tests
    assert [r.status for r in remote.ingest_many([BACKEND, CHEF])] == ["added", "added"]
    assert remote.ingest(CHEF).status == "unchanged"
    assert remote.search("hygiene certificate", k=1, posting_id=CHEF.id)[0].requirement.text == (
        "Food hygiene certificate level 3"
    )
    assert {p.id for p in PostingStore(settings).list_postings()} >= {BACKEND.id, CHEF.id}
    assert not settings.chroma_dir.exists()  # nothing went to the embedded store
    assert remote.remove(BACKEND.id) and PostingStore(settings).get(BACKEND.id) is None


def test_unreachable_chroma_server_fails_with_one_actionable_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.conftest import free_port

    port = free_port()
    monkeypatch.setenv("COACH_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("COACH_CHROMA_PORT", str(port))
    get_settings.cache_clear()
    with pytest.raises(SetupError) as caught:
        PostingStore(get_settings()).list_postings()
    message = str(caught.value)
    assert message.startswith(
        f"Chroma server at 127.0.0.1:{port} is unreachable: start it with 'chroma run --path"
    )
    assert message.endswith("or unset COACH_CHROMA_HOST") and "\n" not in message
