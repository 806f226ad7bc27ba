"""Several content packs served side by side: the base pack (the bundled one) and a team's own.

The rules (docs/content-format.md, "Several packs"):

- Packs load in order, the base pack first. Each later pack is checked on its own, with the exams
  of the packs before it known, and is refused whole (its errors reported) if anything is wrong;
  the others are still served. An error in the base pack stops the start, as always.
- An exam belongs to the first pack that defines its blueprint. A later pack may add questions,
  flashcards, lessons and cheat sheets to that exam, or bring the blueprint of a new exam; its own
  copy of a known exam's blueprint (``content import`` writes one so the pack lints alone) is left
  out: the first pack's stands.
- Ids are unique across the packs served: a pack that reuses an id of an earlier pack (or its
  pack id) is refused, never renamed (ids are what the learners' history points at).
- The fixed Practice Exams of an exam are built from the questions of the pack that owns the
  exam's blueprint; drills, custom practice, missed-only and flashcards use every pack's items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from certprep.content.loader import Issue, Pack, check_pack

__all__ = ["PackSet", "RefusedPack", "check_beside", "load_pack_set", "merge_packs"]


@dataclass(frozen=True)
class RefusedPack:
    """A pack that was not served, and why."""

    root: Path
    errors: tuple[Issue, ...]

    def lines(self) -> list[str]:
        return [f"{self.root}: {issue}" for issue in self.errors]


@dataclass(frozen=True)
class PackSet:
    """The packs served (merged into one ``Pack``) and those refused."""

    pack: Pack
    refused: tuple[RefusedPack, ...] = ()


def _ids(pack: Pack) -> dict[str, str]:
    """Every id the pack defines (items and exam codes) -> the pack that defines it."""
    return {item_id: pack.pack_of(item_id) for item_id in pack.sources}


def merge_packs(base: Pack, extra: Pack) -> Pack:
    """``base`` with ``extra``'s items added (``extra`` checked against ``base`` beforehand)."""
    origins = {**_ids(base), **{item_id: extra.info.id for item_id in extra.sources}}
    members = base.members or ((base.info, base.root),)
    return replace(
        base,
        blueprints={**base.blueprints, **extra.blueprints},
        questions=base.questions + extra.questions,
        case_studies=base.case_studies + extra.case_studies,
        flashcards=base.flashcards + extra.flashcards,
        lessons=base.lessons + extra.lessons,
        cheatsheets=base.cheatsheets + extra.cheatsheets,
        sources={**base.sources, **extra.sources},
        media={**base.media, **extra.media},
        origins=origins,
        members=(*members, (extra.info, extra.root)),
    )


def _distinct(roots: Iterable[Path], base: Path) -> list[Path]:
    seen = {base.resolve()}
    out = []
    for root in roots:
        key = Path(root).resolve()
        if key not in seen:
            seen.add(key)
            out.append(Path(root))
    return out


def load_pack_set(base: Pack, extra_roots: Sequence[Path]) -> PackSet:
    """``base`` and every pack of ``extra_roots`` that checks, in order; the others refused."""
    pack = base
    refused: list[RefusedPack] = []
    for root in _distinct(extra_roots, base.root):
        extra, errors = check_pack(root, known_blueprints=pack.blueprints, taken_ids=_ids(pack))
        if extra is None:
            refused.append(RefusedPack(root=Path(root), errors=tuple(errors)))
            continue
        pack = merge_packs(pack, extra)
    return PackSet(pack=pack, refused=tuple(refused))


def check_beside(root: Path, served: Pack, *, replacing: str | None = None) -> tuple[Pack | None, list[Issue]]:
    """Check the pack at ``root`` as it would be served beside ``served``, in place of the pack
    ``replacing`` (its new version: the team pack after an upload is added)."""
    others = {item_id: pack_id for item_id, pack_id in _ids(served).items() if pack_id != replacing}
    known = {code: bp for code, bp in served.blueprints.items() if served.pack_of(code) != replacing}
    return check_pack(root, known_blueprints=known, taken_ids=others)
