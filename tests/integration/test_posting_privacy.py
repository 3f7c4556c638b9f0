"""Postings a user adds in the app are theirs alone; bundled and CLI-ingested ones are shared.

Two users on one real Chroma store: what one pastes (its title may name their employer) is never
listed to, opened by, replaced by or practised on by the other.
"""

from __future__ import annotations

import pytest

from chains.session.coach import Coach, SessionOptions
from core.settings import get_settings
from knowledge.parse import parse_text
from knowledge.store import PostingStore

SHARED = """Backend Engineer (Acme, Remote)

Responsibilities:
Build and operate Python services that handle payments for our merchants.
Design PostgreSQL schemas and review the queries other engineers write.
"""

ALICES = """Staff Engineer (Alice's Current Employer GmbH, Munich)

Responsibilities:
Lead the migration of the billing platform to event sourcing over two years.
Mentor six engineers and run the architecture review every week.
"""


@pytest.fixture
def store() -> PostingStore:
    return PostingStore(get_settings())


def test_a_users_posting_is_listed_and_opened_only_for_them(store: PostingStore) -> None:
    shared = store.ingest(parse_text(SHARED, source="acme.txt"))  # coach ingest: no owner
    mine = store.ingest(parse_text(ALICES, source="pasted"), owner="alice")

    alice = {p.id for p in store.list_postings(visible_to="alice")}
    bob = {p.id for p in store.list_postings(visible_to="bob")}
    assert alice == {shared.posting_id, mine.posting_id}
    assert bob == {shared.posting_id}
    assert store.get(mine.posting_id, visible_to="bob") is None
    assert store.get(mine.posting_id[:6], visible_to="bob") is None  # not by prefix either
    assert store.get(mine.posting_id, visible_to="alice") is not None
    assert store.resolve_id(mine.posting_id, visible_to="bob") is None
    # The operator (the CLI) sees every posting.
    assert {p.id for p in store.list_postings()} == alice


def test_the_same_text_from_two_users_is_two_private_postings(store: PostingStore) -> None:
    first = store.ingest(parse_text(ALICES, source="pasted"), owner="alice")
    second = store.ingest(parse_text(ALICES, source="pasted"), owner="bob")
    assert first.posting_id != second.posting_id
    assert second.status == "added"  # not "unchanged": Bob must not be pointed at Alice's copy
    assert [p.id for p in store.list_postings(visible_to="bob")] == [second.posting_id]


def test_an_upload_named_like_a_shared_file_does_not_replace_it(store: PostingStore) -> None:
    shared = store.ingest(parse_text(SHARED, source="acme.txt"))
    upload = store.ingest(parse_text(ALICES, source="acme.txt"), owner="mallory")
    assert upload.status == "added"
    assert store.get(shared.posting_id, visible_to="bob") is not None


async def test_another_user_cannot_start_a_session_on_a_private_posting(store: PostingStore) -> None:
    mine = store.ingest(parse_text(ALICES, source="pasted"), owner="alice")
    async with Coach(get_settings()) as coach:
        with pytest.raises(LookupError):
            await coach.start(mine.posting_id, SessionOptions(), thread_id="t-bob", user_id="bob")
        turn = await coach.start(mine.posting_id, SessionOptions(), thread_id="t-alice", user_id="alice")
        assert turn.question is not None
