import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.errors import SetupError
from knowledge import embeddings


def test_embeddings_are_unit_length_and_semantic() -> None:
    vectors = embeddings.embed(
        ["Deploy containers with Kubernetes", "Run Docker workloads on a k8s cluster", "Bake sourdough bread"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_the_model_is_loaded_once_per_process() -> None:
    assert embeddings.get_model() is embeddings.get_model()


def test_a_configured_folder_that_is_not_a_model_fails_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from core.settings import get_settings

    monkeypatch.setenv("COACH_EMBEDDINGS_MODEL", str(tmp_path))
    get_settings.cache_clear()
    with pytest.raises(SetupError) as info:
        embeddings.model_path()
    assert "\n" not in str(info.value)
    assert "COACH_EMBEDDINGS_MODEL" in str(info.value)


def test_loading_needs_no_network() -> None:
    # A fresh interpreter with every hub variable cleared still loads from the package folder.
    code = (
        "import os; [os.environ.pop(k, None) for k in ('HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE')];"
        "os.environ['HF_ENDPOINT'] = 'http://127.0.0.1:9'; "
        "from knowledge.embeddings import embed; print(embed(['hello']).shape)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "(1, 384)" in out.stdout
