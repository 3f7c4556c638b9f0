"""Subcommands of ``coach`` (being written; see chains/cli.py)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the ``coach`` app."""
