"""Images kept as files of a pack: ``media/<hash>.<ext>``, referenced from Markdown as
``![alt](media/<hash>.<ext>)`` (docs/content-format.md#images).

Only raster images whose bytes say what their name says: PNG, JPEG, GIF and WebP, at most
``MAX_MEDIA_BYTES`` each. SVG is refused (it can carry scripts and links). The name is the first
16 hex digits of the SHA-256 of the bytes, so one image is one file whatever its source name, and
two packs that hold the same image hold the same name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "MAX_MEDIA_BYTES",
    "MEDIA_NAME",
    "MEDIA_TYPES",
    "MediaError",
    "media_name",
    "media_refs",
    "media_type",
]

MAX_MEDIA_BYTES = 1024 * 1024
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
MEDIA_NAME = re.compile(r"^[0-9a-f]{16}\.(png|jpg|gif|webp)$")
# A Markdown image or link whose target is a file of the pack's media folder.
_REF = re.compile(r"\]\(media/([^)\s]+)\)")


class MediaError(ValueError):
    """An image certprep does not keep: the message says why."""


def media_type(data: bytes) -> str | None:
    """The extension the bytes are (png, jpg, gif, webp), from their signature; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def media_name(data: bytes, source: str = "image") -> str:
    """The file name an image is kept under; ``MediaError`` for one that is not kept."""
    if len(data) > MAX_MEDIA_BYTES:
        raise MediaError(f"{source}: larger than {MAX_MEDIA_BYTES // 1024} KiB")
    kind = media_type(data)
    if kind is None:
        svg = source.lower().endswith(".svg") or data.lstrip()[:5].lower() in (b"<svg ", b"<?xml")
        why = "SVG is not kept (it can hold scripts)" if svg else "not a PNG, JPEG, GIF or WebP image"
        raise MediaError(f"{source}: {why}")
    return f"{hashlib.sha256(data).hexdigest()[:16]}.{kind}"


def media_refs(values: Iterable[Any]) -> set[str]:
    """The media file names the Markdown texts in ``values`` (nested data) refer to."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.update(_REF.findall(value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for value in values:
        walk(value)
    return found
