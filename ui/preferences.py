"""A user's chat settings (difficulty, kinds, questions, follow-ups, model), kept in the data dir.

Chainlit keeps chat settings in the chat session only, so New Chat would reset them to the defaults;
here they live per user until that user changes them. One small JSON file per user under
``<data dir>/preferences/``, named by a hash of the user id (a user id may hold any character).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEYS = ("difficulty", "kinds", "questions", "follow_ups", "llm")  # what the settings panel holds


def _path(data_dir: Path, user_id: str | None) -> Path:
    name = hashlib.sha256((user_id or "").encode("utf-8")).hexdigest()[:32]
    return data_dir / "preferences" / f"{name}.json"


def load(data_dir: Path, user_id: str | None) -> dict[str, Any]:
    """The user's saved settings ({} when none, or when the file is unreadable: defaults apply)."""
    path = _path(data_dir, user_id)
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("Ignoring unreadable settings file %s", path)
        return {}
    return {key: values[key] for key in KEYS if isinstance(values, dict) and key in values}


def save(data_dir: Path, user_id: str | None, values: dict[str, Any]) -> None:
    """Keep the user's settings (written whole, then renamed: a crash never leaves half a file)."""
    path = _path(data_dir, user_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {key: values[key] for key in KEYS if key in values}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(kept, out)
    os.replace(tmp, path)
