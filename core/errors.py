"""Errors a user can act on: one line naming what failed and what to do."""

from __future__ import annotations


class CoachError(Exception):
    """Base of every error whose message is meant for the user as it is."""


class PostingError(CoachError):
    """A posting could not be read or parsed; nothing of it was stored."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class SetupError(CoachError):
    """A missing model, dependency or server: the message says what to install or start."""
