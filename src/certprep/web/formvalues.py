"""Reading numbers from HTML form fields, which arrive as any text.

``str.isdigit()`` is true for "²", which ``int()`` refuses, and ``int()`` refuses more than 4,300
digits: both once made a 500. Every form field that should be a small whole number goes through
``small_int``.
"""

from __future__ import annotations

__all__ = ["small_int"]


def small_int(value: str, max_digits: int = 6) -> int | None:
    """``value`` as a non-negative whole number of at most ``max_digits`` digits, else None."""
    value = value.strip()
    if not value.isdecimal() or len(value) > max_digits:
        return None
    return int(value)
