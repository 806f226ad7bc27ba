"""Where the bundled content pack lives inside the installed package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["bundled_pack_path"]


def bundled_pack_path() -> Path:
    """The folder of the bundled ``aws-ml`` pack (a real folder: wheels install unzipped)."""
    return Path(str(files("certprep") / "packs" / "aws_ml"))
