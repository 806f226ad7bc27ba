"""Types for what clients send (path, query and form parameters, body fields): checked text and ids.

A text value from a client never holds a control character: NUL cannot be stored in PostgreSQL's
text columns (it was a 500 there), and none of them has a use in a name, an id or a message. Such
values get 422 with a plain message, as every other invalid input does. ``Lines`` allows the tab
and the line breaks of multi-line text (a problem report's message); ``OneLine`` allows none.
Row ids are 32-bit integers in both databases, so a larger number is refused here, not by the
database.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

__all__ = ["MAX_ROW_ID", "Lines", "OneLine", "RowId", "check_lines", "check_one_line"]

MAX_ROW_ID = 2**31 - 1

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_one_line(value: str | None) -> str | None:
    """``value`` unless it holds a control character (U+0000-U+001F, U+007F)."""
    if value is not None and _CONTROL.search(value):
        raise ValueError("control characters (such as NUL or line breaks) are not allowed here")
    return value


def check_lines(value: str | None) -> str | None:
    """``value`` unless it holds a control character other than tab, line feed and carriage return."""
    if value is not None and _CONTROL_BUT_LINES.search(value):
        raise ValueError("control characters (such as NUL) are not allowed; tabs and line breaks are")
    return value


# Metadata for ``Annotated[str, Path(...), OneLine]`` and ``Annotated[str, StringConstraints(...), OneLine]``.
OneLine = AfterValidator(check_one_line)
Lines = AfterValidator(check_lines)

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A row id (a 32-bit integer).")]
