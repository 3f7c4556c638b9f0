"""Which field of the competency library a text is about: a story pasted from another job is caught.

A sentence's cosine to the question is a weak test of topic with a small model: a fluent story about a
payroll week reads 0.26 from "a security incident you managed", as close as many real answers. The
library is the project's own text about 136 competencies, so it can say more: each competency's profile
is the mean of its description, example requirement phrasings, questions and guide points, and an answer
whose closest profiles are other fields, far ahead of the question's own, is about another job.

Measured on the library's own example answers (behavioural and situational, 308): the answer's own
competency is among the 10 closest profiles for 97% of them, and for 4% of the same answers pasted to a
question of another family. Cross-role and qualification competencies ("communication", "a case your
certificate prepared you for") are answered with stories from any field, so they are never judged here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from chains.critic.rubric import FieldRubric
from chains.models import QuestionKind
from chains.questions.library import cached_embed, entry, fill_terms
from prompts.library import Competency, Library, load_library

_lock = threading.Lock()
_index: FieldIndex | None = None


@dataclass(frozen=True)
class Elsewhere:
    """The answer reads as being about another field: the closest competency, and the asked one."""

    closest: str  # the closest competency's name
    asked: str  # the question's competency's name
    rank: int  # the asked competency's place among the closest (0 = closest)


def _profile_texts(competency: Competency) -> list[str]:
    texts = [f"{competency.name}: {competency.description}", *competency.phrasings]
    for kind in (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL):
        kind_entry = entry(competency, kind)
        terms = competency.default_terms
        texts += [fill_terms(q, terms, terms) for q in kind_entry.questions.all()]
        texts += list(kind_entry.guide)
    return texts


class FieldIndex:
    """One unit vector per competency of the library (the mean of its profile texts), in library order."""

    def __init__(self, library: Library) -> None:
        from knowledge.embeddings import embed  # lazy: loading the model costs seconds

        self.competencies = library.competencies
        self.family = {c.id: f.family for f in library.families for c in f.competencies}
        texts: list[str] = []
        owners: list[int] = []
        for i, competency in enumerate(self.competencies):
            profile = _profile_texts(competency)
            texts += profile
            owners += [i] * len(profile)
        vectors = cached_embed(texts, embed)
        centroids = np.zeros((len(self.competencies), vectors.shape[1]), dtype=np.float64)
        np.add.at(centroids, np.asarray(owners), vectors.astype(np.float64))
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        # Rounded like the scorer's vectors, so a batch's padding never moves a rank.
        self._centroids = np.round(centroids / np.where(norms > 0, norms, 1.0), 4)
        self._position = {c.id: i for i, c in enumerate(self.competencies)}

    def elsewhere(self, vector: np.ndarray, competency_id: str, rubric: FieldRubric) -> Elsewhere | None:
        """``Elsewhere`` when the answer's vector is far closer to other fields than to the asked one."""
        at = self._position.get(competency_id)
        if at is None or self.family.get(competency_id) in rubric.any_field_families:
            return None
        closeness = np.round(self._centroids @ np.asarray(vector, dtype=np.float64), 4)
        order = np.argsort(-closeness, kind="stable")
        rank = int(np.flatnonzero(order == at)[0])
        gap = float(closeness[order[0]] - closeness[at])
        if rank < rubric.rank_over or gap <= rubric.gap_over:
            return None
        if float(self._centroids[order[0]] @ self._centroids[at]) >= rubric.neighbour_cosine:
            # The closest field is a neighbour of the asked one (a family-liaison question from social
            # care asked on a ward nurse's posting, answered with a ward story): not another job.
            return None
        return Elsewhere(
            closest=self.competencies[int(order[0])].name, asked=self.competencies[at].name, rank=rank
        )


def field_index() -> FieldIndex:
    """The process's field index, built on first use (embeds the library's profiles once; cached on disk)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = FieldIndex(load_library())
    return _index
