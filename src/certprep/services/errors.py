"""Errors that services of every area raise."""

from __future__ import annotations

__all__ = ["NotFound"]


class NotFound(LookupError):
    """A row that does not exist, or that belongs to somebody else (the two look the same)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what
