"""Shared fixtures: every test runs with its own data dir and fresh settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# No test may reach a model hub, whatever it imports.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()
SEED_POSTING = SHARED_DIR / "postings" / "000_c829ed06b855b098.txt"
GOOGLE_POSTINGS = SHARED_DIR / "postings" / "google"
SEMEVAL_CSV = SHARED_DIR / "eval" / "semeval2013_2way.csv"


def need_shared(path: Path) -> Path:
    """Skip the calling test, with the reason, when ../shared is not beside the clone."""
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is only beside the clone in CI and on dev machines")
    return path


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from core.settings import get_settings

    data_dir = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("COACH_LLM", "offline")
    for name in ("COACH_CHROMA_HOST", "COACH_DATABASE_URL", "COACH_USERS_FILE", "COACH_EMBEDDINGS_MODEL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests last: Playwright's sync API leaves an event loop running in the main
    thread, and every asyncio test after it would fail with 'cannot be called from a running loop'."""
    items.sort(key=lambda item: "tests/e2e/" in item.nodeid.replace("\\", "/"))
