"""Content packs: files -> validated, frozen objects (schema, loader, lint, bundled pack)."""

from certprep.content.loader import Issue, Pack, PackError, check_pack, load_pack
from certprep.content.packs import bundled_pack_path

__all__ = ["Issue", "Pack", "PackError", "bundled_pack_path", "check_pack", "load_pack"]
