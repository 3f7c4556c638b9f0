"""How tests run the ``coach`` command: by the running interpreter, so the venv may live anywhere."""

from __future__ import annotations

import sys

COACH = [sys.executable, "-m", "cli"]
