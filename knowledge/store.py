"""The one place that talks to Chroma: postings, their requirements and Q&A pairs, model answers.

Layout (four collections, cosine space, embeddings always computed by ``knowledge.embeddings``):

- ``postings``: one record per posting; the document is the parsed ``Posting`` as JSON, so it can be
  listed and shown without re-parsing. Its metadata ``version`` (a hash of that JSON) names the
  generation of requirement and Q&A entries that belong to it.
- ``requirements`` and ``qa_pairs``: one entry per item, with ``posting_id``, ``version``, ``kind``,
  ``section`` and ``order`` in the metadata.
- ``model_answers``: answers generated once per (posting, question) and reused.

A posting is visible only through its ``postings`` record, which is written last: entries of an
interrupted ingest are never referenced, are cleaned up on failure, and are filtered out of searches.

Who sees a posting: its record's ``owner``. Bundled and ``coach ingest`` postings have none and are
shared; a posting a user pastes or uploads in the app is theirs alone (its title and company may name
their employer), stored under an id derived from the owner and the content, so two users adding the
same text get two postings and neither can replace, list or open the other's.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from core.errors import CoachError, SetupError
from core.settings import Settings, get_settings
from core.text import content_words
from knowledge import embeddings
from knowledge.posting import Posting, Requirement, RequirementKind

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

POSTINGS = "postings"
REQUIREMENTS = "requirements"
QA_PAIRS = "qa_pairs"
MODEL_ANSWERS = "model_answers"
_COSINE: dict[str, Any] = {"hnsw": {"space": "cosine"}}
# Texts embedded per call when ingesting many postings: large enough to keep the model busy, small
# enough that one Chroma write per collection stays far below its batch limit.
_TEXTS_PER_BATCH = 2048
_MIN_PREFIX = 4
# Sources that do not name a file: two pasted postings never replace each other.
_ANONYMOUS_SOURCES = frozenset({"", "pasted"})


class SearchHit(BaseModel):
    """A requirement that matched a search query."""

    posting_id: str = Field(description="Id of the posting the requirement belongs to.")
    requirement: Requirement = Field(description="The matching requirement.")
    score: float = Field(description="Cosine similarity to the query; higher is closer (at most 1).")


class PostingSummary(BaseModel):
    """One line of the posting list."""

    id: str = Field(description="Posting id (content hash).")
    title: str = Field(description="Job title.")
    company: str = Field(default="", description="Hiring company, when known.")
    location: str = Field(default="", description="Location, when known.")
    source: str = Field(default="", description="File name or 'pasted'.")
    requirements: int = Field(description="Number of requirements stored.")
    qa_pairs: int = Field(description="Number of Q&A pairs stored.")
    owner: str = Field(default="", description="The user the posting is private to; '' when shared.")


class IngestResult(BaseModel):
    """What happened to one posting handed to the store."""

    posting_id: str = Field(description="Id of the stored posting.")
    title: str = Field(description="Job title.")
    source: str = Field(description="File name or 'pasted'.")
    status: Literal["added", "unchanged", "replaced", "duplicate"] = Field(
        description="added: new; unchanged: already stored as is; replaced: an older version of the "
        "same posting (same id, or same source file) was swapped for this one; duplicate: the same "
        "content as another file of this run (``duplicate_of``), stored once."
    )
    duplicate_of: str = Field(default="", description="For a duplicate: the source stored instead.")
    requirements: int = Field(description="Number of requirements stored.")
    qa_pairs: int = Field(description="Number of Q&A pairs stored.")


class AmbiguousIdError(CoachError):
    """An id prefix matches more than one posting."""


def _version_of(posting: Posting) -> str:
    """Hash of the parsed posting: a new parser result for the same text is a new version."""
    return hashlib.sha256(posting.model_dump_json().encode("utf-8")).hexdigest()[:12]


def private_id(owner: str, posting_id: str) -> str:
    """The id of a posting private to ``owner``: never equal to the shared one or another user's."""
    return hashlib.sha256(f"{owner}\0{posting_id}".encode()).hexdigest()[:16]


def _visible(meta: Mapping[str, Any] | None, visible_to: str | None) -> bool:
    """Whether a posting record may be shown to ``visible_to`` (None: the operator, who sees all)."""
    owner = str((meta or {}).get("owner") or "")
    return visible_to is None or not owner or owner == visible_to


def _title_line(posting: Posting) -> str:
    return " - ".join(part for part in (posting.title, posting.company) if part) or posting.id


@dataclass
class _Planned:
    """One posting to write, with what it replaces."""

    posting: Posting
    version: str
    status: Literal["added", "replaced"]
    replaces: list[str] = field(default_factory=list)  # other posting ids to delete afterwards
    owner: str = ""


class PostingStore:
    """Postings in Chroma: idempotent all-or-nothing ingest, listing, search, model-answer cache."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._client: ClientAPI | None = None
        self._collections: dict[str, Collection] = {}
        self._max_batch: int | None = None
        self._lock = threading.RLock()
        self._seen_write: int | None = None  # the write marker's mtime when this process last looked

    # -- connection -------------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """Where the store lives, for messages: a folder or ``host:port``."""
        if self.settings.chroma_host:
            return f"{self.settings.chroma_host}:{self.settings.chroma_port}"
        return str(self.settings.chroma_dir)

    def _open_client(self) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        host = self.settings.chroma_host
        if host:
            port = self.settings.chroma_port
            try:
                client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
                client.heartbeat()
            except Exception as exc:
                raise SetupError(
                    f"Chroma server at {host}:{port} is unreachable: start it with "
                    f"'chroma run --path {self.settings.chroma_dir} --host {host} --port {port}' "
                    "or unset COACH_CHROMA_HOST"
                ) from exc
            return client
        path = self.settings.chroma_dir
        try:
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            raise SetupError(
                f"Cannot open the Chroma store at {path}: {exc}; set COACH_DATA_DIR to a writable folder"
            ) from exc

    # -- writes by other processes ----------------------------------------------------------------
    # The embedded store keeps each collection's vector index in memory: a posting another process
    # (``coach ingest`` while the app runs) added was listed but failed when opened ("Error
    # executing plan: Internal error: Error finding id") until a restart. Every writer touches a
    # marker file after writing; a reader that sees it changed by someone else reopens the store.

    @property
    def _marker(self) -> Path:
        return self.settings.chroma_dir / ".written"

    def _marker_mtime(self) -> int | None:
        try:
            return self._marker.stat().st_mtime_ns
        except OSError:
            return None

    def _mark_written(self) -> None:
        """Tell other processes on this store that it changed (embedded store only)."""
        if self.settings.chroma_host:
            return
        try:
            self._marker.write_text(f"{os.getpid()} {time.time()}\n", encoding="utf-8")
        except OSError:
            return  # a read-only store has no readers to tell
        self._seen_write = self._marker_mtime()

    def _reopen_if_written_elsewhere(self) -> None:
        if self.settings.chroma_host or self._client is None:
            return
        mtime = self._marker_mtime()
        if mtime == self._seen_write:
            return
        with self._lock:
            if mtime == self._seen_write:
                return
            from chromadb.api.shared_system_client import SharedSystemClient

            # Forget the cached system for this path (not stopped: a query running on it may
            # finish), so the next client loads the indexes as they are on disk now.
            identifier = getattr(self._client, "_identifier", str(self.settings.chroma_dir))
            SharedSystemClient._identifier_to_system.pop(identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(identifier, None)
            self._client = None
            self._collections = {}
            self._seen_write = mtime

    def _collection(self, name: str) -> Collection:
        """A collection, created on first use; always with our embedding function, never Chroma's."""
        self._reopen_if_written_elsewhere()
        found = self._collections.get(name)
        if found is None:
            with self._lock:
                if self._client is None:
                    self._seen_write = self._marker_mtime()
                    self._client = self._open_client()
                found = self._client.get_or_create_collection(
                    name,
                    embedding_function=embeddings.ChromaEmbeddingFunction(),  # type: ignore[arg-type]
                    configuration=_COSINE,  # type: ignore[arg-type]
                )
                self._collections[name] = found
        return found

    def _write_chunks(self) -> int:
        # Asked once: through HttpClient every call is a request.
        if self._max_batch is None:
            assert self._client is not None  # a collection was opened before any write
            self._max_batch = max(1, int(self._client.get_max_batch_size()))
        return self._max_batch

    def _upsert(
        self,
        collection: Collection,
        ids: list[str],
        documents: list[str],
        vectors: np.ndarray,
        metadatas: list[dict[str, Any]],
    ) -> None:
        if not ids:
            return
        step = self._write_chunks()
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=ids[start:end],
                documents=documents[start:end],
                embeddings=vectors[start:end],  # type: ignore[arg-type]
                metadatas=metadatas[start:end],  # type: ignore[arg-type]
            )

    # -- ids --------------------------------------------------------------------------------------

    def resolve_id(self, posting_id: str, visible_to: str | None = None) -> str | None:
        """The full id of a stored posting given its id or a unique prefix of at least 4 characters.

        Only postings ``visible_to`` may see count (None: all). Returns None when nothing matches;
        raises ``AmbiguousIdError`` when a prefix matches several.
        """
        posting_id = posting_id.strip()
        if not posting_id:
            return None
        postings = self._collection(POSTINGS)
        exact = postings.get(ids=[posting_id], include=["metadatas"])
        if exact["ids"]:
            metas = exact["metadatas"] or []
            return posting_id if _visible(metas[0] if metas else None, visible_to) else None
        if len(posting_id) < _MIN_PREFIX:
            return None
        everything = postings.get(include=["metadatas"])
        matches = sorted(
            i
            for i, meta in zip(everything["ids"], everything["metadatas"] or [], strict=True)
            if i.startswith(posting_id) and _visible(meta, visible_to)
        )
        if len(matches) > 1:
            raise AmbiguousIdError(
                f"Posting id '{posting_id}' is ambiguous: it matches {', '.join(matches[:5])}"
                f"{' ...' if len(matches) > 5 else ''}; give more characters"
            )
        return matches[0] if matches else None

    def _records(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Metadata of the posting records that exist among ``ids``."""
        if not ids:
            return {}
        got = self._collection(POSTINGS).get(ids=list(dict.fromkeys(ids)), include=["metadatas"])
        metadatas = got["metadatas"] or []
        return {pid: dict(meta or {}) for pid, meta in zip(got["ids"], metadatas, strict=True)}

    # -- ingest -----------------------------------------------------------------------------------

    def ingest(self, posting: Posting, owner: str | None = None) -> IngestResult:
        """Store one posting, all or nothing; re-ingesting the same content changes nothing."""
        return self.ingest_many([posting], owner=owner)[0]

    def ingest_many(self, postings: Sequence[Posting], owner: str | None = None) -> list[IngestResult]:
        """Store many postings, embedding their texts in large batches across postings.

        Each posting is stored all or nothing. Results come back in input order. A posting whose
        ``source`` names a file that is already stored under another id (by the same owner, or
        shared) replaces that older version. The same content twice in one call is stored once, the
        later ones reported as duplicates. With an ``owner`` the postings are private to that user.
        A failure (embedding, Chroma) raises after removing the entries of the batch it interrupted;
        batches finished before it stay stored.
        """
        if owner:
            postings = [p.model_copy(update={"id": private_id(owner, p.id)}) for p in postings]
        with self._lock:
            results: list[IngestResult | None] = [None] * len(postings)
            planned = self._plan(postings, results, owner or "")
            for batch in _batches(planned):
                try:
                    self._write_batch([item for _, item in batch])
                finally:
                    self._mark_written()
                for index, item in batch:
                    results[index] = IngestResult(
                        posting_id=item.posting.id,
                        title=item.posting.title,
                        source=item.posting.source,
                        status=item.status,
                        requirements=len(item.posting.requirements),
                        qa_pairs=len(item.posting.qa_pairs),
                    )
            return [result for result in results if result is not None]

    def _plan(
        self, postings: Sequence[Posting], results: list[IngestResult | None], owner: str
    ) -> list[tuple[int, _Planned]]:
        """Decide per posting: unchanged or duplicate (filled into ``results``), added, or replacing."""
        stored = self._records([p.id for p in postings])
        by_source = self._stored_by_source({p.source for p in postings} - _ANONYMOUS_SOURCES, owner)
        first_source: dict[str, str] = {}
        planned: list[tuple[int, _Planned]] = []
        for index, posting in enumerate(postings):
            version = _version_of(posting)
            current = stored.get(posting.id)
            if posting.id in first_source:
                # Same content as an earlier file of this call (two copies in one folder): storing
                # both would write one id twice, which Chroma refuses for the whole batch.
                results[index] = IngestResult(
                    posting_id=posting.id,
                    title=posting.title,
                    source=posting.source,
                    status="duplicate",
                    duplicate_of=first_source[posting.id],
                    requirements=len(posting.requirements),
                    qa_pairs=len(posting.qa_pairs),
                )
                continue
            first_source[posting.id] = posting.source
            if current is not None and current.get("version") == version:
                results[index] = IngestResult(
                    posting_id=posting.id,
                    title=posting.title,
                    source=posting.source,
                    status="unchanged",
                    requirements=len(posting.requirements),
                    qa_pairs=len(posting.qa_pairs),
                )
                continue
            # Only versions stored before this call are replaced: two different files with the same
            # name in one run are two postings.
            replaces = [pid for pid in by_source.get(posting.source, []) if pid != posting.id]
            status: Literal["added", "replaced"] = (
                "replaced" if replaces or current is not None else "added"
            )
            planned.append((index, _Planned(posting, version, status, replaces, owner)))
        return planned

    def _stored_by_source(self, sources: set[str], owner: str) -> dict[str, list[str]]:
        """Stored posting ids by source file, among the postings of ``owner`` ('': shared ones).

        Scoped by owner: a user's upload named like a bundled file (or like another user's) must
        never replace it.
        """
        if not sources:
            return {}
        got = self._collection(POSTINGS).get(
            where={"source": {"$in": sorted(sources)}},  # type: ignore[dict-item]
            include=["metadatas"],
        )
        found: dict[str, list[str]] = {}
        for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
            if str((meta or {}).get("owner") or "") == owner:
                found.setdefault(str((meta or {}).get("source", "")), []).append(pid)
        return found

    def _write_batch(self, batch: list[_Planned]) -> None:
        """Write the entries of a batch, then its posting records, then drop what they replace."""
        req_ids: list[str] = []
        req_docs: list[str] = []
        req_meta: list[dict[str, Any]] = []
        qa_ids: list[str] = []
        qa_docs: list[str] = []
        qa_meta: list[dict[str, Any]] = []
        for item in batch:
            pid, version = item.posting.id, item.version
            for i, req in enumerate(item.posting.requirements):
                req_ids.append(f"{pid}:{version}:r{i}")
                req_docs.append(req.text)
                req_meta.append(
                    {"posting_id": pid, "version": version, "kind": req.kind.value,
                     "section": req.section, "order": req.order, "index": i}
                )
            for i, qa in enumerate(item.posting.qa_pairs):
                qa_ids.append(f"{pid}:{version}:q{i}")
                qa_docs.append(qa.question)
                qa_meta.append(
                    {"posting_id": pid, "version": version, "order": i,
                     "model_answer": qa.model_answer, "source": qa.source}
                )
        titles = [_title_line(item.posting) for item in batch]
        try:
            vectors = embeddings.embed([*req_docs, *qa_docs, *titles])
            n_req, n_qa = len(req_docs), len(qa_docs)
            self._upsert(self._collection(REQUIREMENTS), req_ids, req_docs, vectors[:n_req], req_meta)
            self._upsert(
                self._collection(QA_PAIRS), qa_ids, qa_docs, vectors[n_req : n_req + n_qa], qa_meta
            )
            # The posting records go last: once one is written, its posting is complete.
            self._upsert(
                self._collection(POSTINGS),
                [item.posting.id for item in batch],
                [item.posting.model_dump_json() for item in batch],
                vectors[n_req + n_qa :],
                [self._record_metadata(item) for item in batch],
            )
        except BaseException:
            self._clean_up_failed(batch)
            raise
        # Older generations of these postings (and leftovers of interrupted runs), then older
        # versions of the same files.
        where: dict[str, Any] = {"$and": [
            {"posting_id": {"$in": [item.posting.id for item in batch]}},
            {"version": {"$nin": [item.version for item in batch]}},
        ]}
        for name in (REQUIREMENTS, QA_PAIRS):
            self._collection(name).delete(where=where)  # type: ignore[arg-type]
        for item in batch:
            for old in item.replaces:
                self._delete_posting(old)

    @staticmethod
    def _record_metadata(item: _Planned) -> dict[str, Any]:
        posting = item.posting
        return {
            "title": posting.title,
            "company": posting.company,
            "location": posting.location,
            "source": posting.source,
            "version": item.version,
            "requirements": len(posting.requirements),
            "qa_pairs": len(posting.qa_pairs),
            "ingested_at": time.time(),
            "owner": item.owner,
        }

    def _clean_up_failed(self, batch: list[_Planned]) -> None:
        """Remove the entries of an interrupted batch that no posting record refers to."""
        try:
            records = self._records([item.posting.id for item in batch])
            for item in batch:
                if records.get(item.posting.id, {}).get("version") == item.version:
                    continue  # its record landed, so the posting is complete
                where: dict[str, Any] = {"$and": [{"posting_id": item.posting.id}, {"version": item.version}]}
                for name in (REQUIREMENTS, QA_PAIRS):
                    self._collection(name).delete(where=where)  # type: ignore[arg-type]
        except Exception:  # noqa: S110 - the original failure is the one to report
            pass

    def _delete_entries(self, posting_id: str) -> None:
        for name in (REQUIREMENTS, QA_PAIRS):
            self._collection(name).delete(where={"posting_id": posting_id})

    def _delete_posting(self, posting_id: str) -> None:
        # The record first, so the posting disappears at once; its entries follow.
        self._collection(POSTINGS).delete(ids=[posting_id])
        self._delete_entries(posting_id)
        self._collection(MODEL_ANSWERS).delete(where={"posting_id": posting_id})

    # -- reading ----------------------------------------------------------------------------------

    def list_postings(self, visible_to: str | None = None) -> list[PostingSummary]:
        """The stored postings ``visible_to`` may see (None: all), by title."""
        got = self._collection(POSTINGS).get(include=["metadatas"])
        summaries = [
            PostingSummary(
                id=pid,
                title=str(meta.get("title", "")),
                company=str(meta.get("company", "")),
                location=str(meta.get("location", "")),
                source=str(meta.get("source", "")),
                requirements=_as_int(meta.get("requirements")),
                qa_pairs=_as_int(meta.get("qa_pairs")),
                owner=str(meta.get("owner") or ""),
            )
            for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if meta is not None and _visible(meta, visible_to)
        ]
        return sorted(summaries, key=lambda s: (s.title.lower(), s.company.lower(), s.id))

    def get(self, posting_id: str, visible_to: str | None = None) -> Posting | None:
        """The parsed posting by id or unique id prefix (4+ characters), or None.

        None also when the posting is private to someone other than ``visible_to`` (None: the
        operator, who sees all).
        """
        full = self.resolve_id(posting_id, visible_to)
        if full is None:
            return None
        got = self._collection(POSTINGS).get(ids=[full], include=["documents"])
        documents = got["documents"] or []
        if not documents or documents[0] is None:
            return None
        return Posting.model_validate_json(documents[0])

    def remove(self, posting_id: str) -> bool:
        """Delete a posting (by id or unique prefix) with its entries and cached answers."""
        with self._lock:
            full = self.resolve_id(posting_id)
            if full is None:
                return False
            self._delete_posting(full)
            self._mark_written()
            return True

    def count(self, collection: Literal["postings", "requirements", "qa_pairs", "model_answers"]) -> int:
        """Number of entries in one collection (for checks and status lines)."""
        return int(self._collection(collection).count())

    def search(self, query: str, k: int = 5, posting_id: str | None = None) -> list[SearchHit]:
        """The ``k`` requirements closest to ``query``, optionally within one posting, best first."""
        if k < 1 or not query.strip():
            return []
        where: dict[str, Any] | None = None
        if posting_id is not None:
            full = self.resolve_id(posting_id)
            if full is None:
                return []
            where = {"posting_id": full}
        collection = self._collection(REQUIREMENTS)
        vector = embeddings.embed([query])
        wanted = k
        while True:
            got = collection.query(
                query_embeddings=vector,  # type: ignore[arg-type]
                n_results=wanted,
                where=where,  # type: ignore[arg-type]
                include=["documents", "metadatas", "distances"],
            )
            ids = got["ids"][0]
            metas = (got["metadatas"] or [[]])[0]
            docs = (got["documents"] or [[]])[0]
            dists = (got["distances"] or [[]])[0]
            rows = list(zip(metas, docs, dists, strict=True))
            records = self._records([str(m.get("posting_id")) for m, _, _ in rows])
            hits = [
                SearchHit(
                    posting_id=str(meta["posting_id"]),
                    requirement=_requirement_from(doc, meta),
                    score=1.0 - float(dist),
                )
                for meta, doc, dist in rows
                # Only entries that their posting's record refers to: never a half-written posting.
                if records.get(str(meta.get("posting_id")), {}).get("version") == meta.get("version")
            ]
            if len(hits) >= k or len(ids) < wanted:
                return hits[:k]
            wanted *= 4

    def search_postings(self, query: str, k: int = 5) -> list[tuple[PostingSummary, float]]:
        """Postings close in meaning to ``query``, best first, with their similarity.

        A posting's score is its title's or best requirement's cosine similarity to the query's topic
        (the query without job-hunt words), whichever is higher. Kept: at least ``MEANING_MIN`` and
        within ``MEANING_WINDOW`` of the best. Measured on 24 postings: "I have an interview next
        week for a nursing job" gives Senior Nurse 0.74 and Registered Nurse 0.60, then a psychiatrist
        0.44; "I want to be a chef" has nothing above 0.42; "product manager role" 0.54, then 0.44.
        """
        topic = " ".join(w for w in content_words(query) if w not in _JOB_HUNT_WORDS)
        if k < 1 or not topic:
            return []
        vector = embeddings.embed([topic])
        best: dict[str, float] = {}
        collection = self._collection(POSTINGS)
        total = collection.count()
        if total:
            got = collection.query(
                query_embeddings=vector,  # type: ignore[arg-type]
                n_results=min(total, 50),
                include=["distances"],
            )
            for pid, dist in zip(got["ids"][0], (got["distances"] or [[]])[0], strict=True):
                best[pid] = 1.0 - float(dist)
        for hit in self.search(topic, k=20):
            best[hit.posting_id] = max(best.get(hit.posting_id, -1.0), hit.score)
        listed = {p.id: p for p in self.list_postings()}
        ranked = sorted(((listed[pid], score) for pid, score in best.items() if pid in listed),
                        key=lambda pair: (-pair[1], pair[0].title.lower()))
        if not ranked:
            return []
        floor = max(MEANING_MIN, ranked[0][1] - MEANING_WINDOW)
        return [pair for pair in ranked if pair[1] >= floor][:k]

    def requirements_with_embeddings(self, posting_id: str) -> list[tuple[Requirement, np.ndarray]]:
        """A posting's requirements in posting order, each with its stored unit-length embedding."""
        full = self.resolve_id(posting_id)
        if full is None:
            return []
        version = self._records([full]).get(full, {}).get("version")
        got = self._collection(REQUIREMENTS).get(
            where={"$and": [{"posting_id": full}, {"version": str(version)}]},
            include=["documents", "metadatas", "embeddings"],
        )
        vectors = got["embeddings"] if got["embeddings"] is not None else []
        rows = [
            (_requirement_from(doc, meta), np.asarray(vec, dtype=np.float32), _as_int(meta.get("index")))
            for doc, meta, vec in zip(got["documents"] or [], got["metadatas"] or [], vectors, strict=True)
        ]
        rows.sort(key=lambda row: row[2])
        return [(req, vec) for req, vec, _ in rows]

    # -- model answers ----------------------------------------------------------------------------

    def get_model_answer(self, posting_id: str, question_id: str) -> str | None:
        """The cached model answer for a question of a posting, or None."""
        got = self._collection(MODEL_ANSWERS).get(ids=[f"{posting_id}:{question_id}"], include=["documents"])
        documents = got["documents"] or []
        return documents[0] if documents else None

    def put_model_answer(
        self, posting_id: str, question_id: str, question: str, answer: str, source: str
    ) -> None:
        """Cache (or overwrite) the model answer for a question of a posting."""
        vector = embeddings.embed([question])
        self._upsert(
            self._collection(MODEL_ANSWERS),
            [f"{posting_id}:{question_id}"],
            [answer],
            vector,
            [{"posting_id": posting_id, "question_id": question_id, "question": question, "source": source}],
        )


MEANING_MIN = 0.46  # see PostingStore.search_postings for the measurements behind both
MEANING_WINDOW = 0.15

# Words of a sentence about the job hunt, not about the job: "I have an interview next week for a
# nursing job" is about nursing. Left in, they pull every posting title towards the query alike.
_JOB_HUNT_WORDS = frozenset(
    [
        "interview", "interviews", "interviewing", "job", "jobs", "role", "roles", "position",
        "positions", "posting", "postings", "vacancy", "opening", "work", "working", "apply",
        "applying", "application", "week", "next", "tomorrow", "today", "soon", "practise",
        "practice", "want", "like", "need", "looking", "find", "prepare", "preparing", "help",
        "please"
    ]
)


def _requirement_from(document: str | None, meta: Any) -> Requirement:
    return Requirement(
        text=document or "",
        kind=RequirementKind(str(meta.get("kind", RequirementKind.SKILL.value))),
        section=str(meta.get("section", "")),
        order=_as_int(meta.get("order")),
    )


def _as_int(value: Any) -> int:
    return int(value) if isinstance(value, int | float | str) and str(value).strip() else 0


def _batches(planned: list[tuple[int, _Planned]]) -> Iterator[list[tuple[int, _Planned]]]:
    """Group postings so each embedding call gets about ``_TEXTS_PER_BATCH`` texts."""
    batch: list[tuple[int, _Planned]] = []
    texts = 0
    for entry in planned:
        size = len(entry[1].posting.requirements) + len(entry[1].posting.qa_pairs) + 1
        if batch and texts + size > _TEXTS_PER_BATCH:
            yield batch
            batch, texts = [], 0
        batch.append(entry)
        texts += size
    if batch:
        yield batch


_stores: dict[tuple[str, str | None, int], PostingStore] = {}
_stores_lock = threading.Lock()


def open_store(settings: Settings | None = None) -> PostingStore:
    """The process-wide store for these settings (one per data dir or Chroma server)."""
    settings = settings or get_settings()
    key = (
        str(Path(settings.data_dir).resolve()),
        settings.chroma_host,
        settings.chroma_port if settings.chroma_host else 0,
    )
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = PostingStore(settings)
        return store

