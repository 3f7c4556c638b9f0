"""A fake encoder for the critic: no model, deterministic, microseconds per text.

Each content word's stem gets a fixed pseudo-random unit vector (seeded by its hash), so the same stem
matches perfectly and different words are nearly orthogonal; a sentence vector is the normalised sum
of its word vectors. That is enough to test the scorer's logic (caps, evidence, card rules, bands)
without the 10 s model load; the tests with the real model stay beside these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from chains.critic.vectors import Encoded
from core.text import STOPWORDS, stem, words

DIM = 384


def _word_vector(word_stem: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word_stem.encode("utf-8")).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def fake_encode(texts: Sequence[str]) -> list[Encoded]:
    """Encodings in the shape ``chains.critic.vectors`` returns, from hashed word vectors."""
    out: list[Encoded] = []
    for text in texts:
        content = tuple(w for w in words(text) if w.isalnum() and w not in STOPWORDS and len(w) > 1)
        stems = tuple(stem(w) for w in content)
        if content:
            matrix = np.stack([_word_vector(s) for s in stems])
            sentence = matrix.sum(axis=0)
            sentence /= np.linalg.norm(sentence) + 1e-12
        else:
            matrix = np.zeros((0, DIM), dtype=np.float32)
            sentence = np.zeros(DIM, dtype=np.float32)
        out.append(
            Encoded(text=text, vector=np.round(sentence, 4), words=content, stems=stems,
                    word_vectors=np.round(matrix, 4))
        )
    return out
