"""Sentence and word vectors for the critique scorer, from ONE pass of the shared embeddings model.

The scorer aligns words (BERTScore-style) as well as whole sentences. Both come out of the same
forward pass of ``knowledge.embeddings.get_model()``: the sentence vector is exactly what
``knowledge.embeddings.embed`` returns, and the word vectors are the model's contextual token vectors,
word pieces averaged back into words. So word alignment costs no extra model call.

Encodings are cached by text in a bounded LRU (model-answer key points repeat on every attempt; the
evaluation pre-warms it with a batch). Vectors are rounded to 4 decimals so that encoding a text alone
or inside a batch (which pads differently and can move the last float bits) gives the same numbers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.text import STOPWORDS, stem
from knowledge.embeddings import get_model

CACHE_SIZE = 4096
_DECIMALS = 4


@dataclass(frozen=True)
class Encoded:
    """One text as the scorer sees it: its sentence vector and its content words with vectors."""

    text: str
    vector: np.ndarray  # (384,) unit length
    words: tuple[str, ...]  # content words, lower-case, in order
    stems: tuple[str, ...]  # stem of each word
    word_vectors: np.ndarray  # (len(words), 384) unit length


_cache: OrderedDict[str, Encoded] = OrderedDict()
_pending: dict[str, Future[Encoded]] = {}  # texts being encoded now, by any thread
_lock = threading.Lock()


def _merge_pieces(tokens: list[str], vectors: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """Join '##' word pieces back into words, averaging their vectors."""
    merged: list[str] = []
    pieces: list[list[np.ndarray]] = []
    for token, vector in zip(tokens, vectors, strict=True):
        if token.startswith("##") and merged:
            merged[-1] += token[2:]
            pieces[-1].append(vector)
        else:
            merged.append(token)
            pieces.append([vector])
    return merged, [np.mean(p, axis=0) for p in pieces]


def _is_content(word: str) -> bool:
    return word.isalnum() and word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def _encode_batch(texts: Sequence[str]) -> list[Encoded]:
    model = get_model()
    tokenizer = model.tokenizer
    outputs: list[dict[str, Any]] = model.encode(  # type: ignore[assignment]
        list(texts), output_value=None, batch_size=64, show_progress_bar=False
    )
    encoded: list[Encoded] = []
    for text, out in zip(texts, outputs, strict=True):
        length = int(out["attention_mask"].sum())
        ids = out["input_ids"][:length].tolist()
        tokens = tokenizer.convert_ids_to_tokens(ids)[1:-1]  # drop [CLS] and [SEP]
        token_vectors = out["token_embeddings"][1 : length - 1].float().numpy()
        merged, vectors = _merge_pieces(tokens, token_vectors)
        keep = [i for i, w in enumerate(merged) if _is_content(w)]
        words = tuple(merged[i] for i in keep)
        if keep:
            matrix = np.stack([vectors[i] for i in keep]).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
        else:
            matrix = np.zeros((0, token_vectors.shape[1] if token_vectors.size else 384), dtype=np.float32)
        sentence = np.asarray(out["sentence_embedding"].float().numpy(), dtype=np.float32)
        stems = tuple(stem(w) for w in words)
        encoded.append(
            Encoded(
                text=text,
                vector=np.round(sentence, _DECIMALS),
                words=words,
                stems=stems,
                word_vectors=np.round(matrix, _DECIMALS),
            )
        )
    return encoded


BatchEncoder = Callable[[Sequence[str]], list[Encoded]]
_batch_encoder: BatchEncoder | None = None  # None: the model (_encode_batch, looked up at each call)


def _encoder() -> BatchEncoder:
    return _batch_encoder or _encode_batch


@contextmanager
def use_encoder(batch_encoder: BatchEncoder) -> Iterator[None]:
    """Score with another encoder inside the block (tests: a fake that needs no model, in milliseconds).

    The cache is cleared on the way in and out, so no vector of one encoder is read by the other.
    """
    global _batch_encoder
    previous = _batch_encoder
    clear_cache()
    _batch_encoder = batch_encoder
    try:
        yield
    finally:
        _batch_encoder = previous
        clear_cache()


def encode(texts: Sequence[str]) -> list[Encoded]:
    """Encodings of ``texts`` in order; texts not cached are encoded together in one model call.

    A text another thread is encoding right now is waited for, not encoded again: sessions on one
    posting reach the same question together, and each would otherwise pay for its key points.
    """
    mine: dict[str, Future[Encoded]] = {}
    theirs: dict[str, Future[Encoded]] = {}
    with _lock:
        for text in dict.fromkeys(texts):
            if text in _cache:
                continue
            pending = _pending.get(text)
            if pending is not None:
                theirs[text] = pending
            else:
                mine[text] = _pending[text] = Future()
    fresh: dict[str, Encoded] = {}
    if mine:
        try:
            fresh = {e.text: e for e in _encoder()(list(mine))}
        except BaseException as exc:
            with _lock:
                for text, future in mine.items():
                    del _pending[text]
                    future.set_exception(exc)
            raise
        with _lock:
            for text, item in fresh.items():
                _cache[text] = item
                del _pending[text]
                mine[text].set_result(item)
    for text, future in theirs.items():
        fresh[text] = future.result()
    with _lock:
        result: list[Encoded] = []
        for text in texts:
            found = fresh.get(text) or _cache.get(text)
            # None only when evicted by other threads since: encode it again
            result.append(found if found is not None else _encoder()([text])[0])
        for text in texts:
            if text in _cache:
                _cache.move_to_end(text)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def warm(texts: Sequence[str]) -> None:
    """Encode texts ahead of scoring (the evaluation batches many rows in one model call)."""
    encode(list(dict.fromkeys(texts)))


def clear_cache() -> None:
    """Forget every cached encoding (tests use it to compare cold and warm paths)."""
    with _lock:
        _cache.clear()
