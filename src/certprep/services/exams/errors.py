"""How an exam request is refused."""

from __future__ import annotations

__all__ = ["AttemptConflictError", "ExamRequestError"]


class ExamRequestError(ValueError):
    """A request that cannot be met (unknown exam, no questions left, bad action): a 4xx."""


class AttemptConflictError(ExamRequestError):
    """A request the attempt's state does not allow yet (a report before submitting): a 409."""
