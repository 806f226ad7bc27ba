"""Content sync: a validated pack -> content_items / content_revisions, by id and revision.

Idempotent: a second sync of the same pack writes nothing. A new revision adds a row and moves
``current_revision``; old revisions stay, so past responses keep pointing at what was shown.
Items that left the pack are marked inactive, never deleted. Each item keeps the id of the pack
that brought it (several packs are served side by side: content.packset).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from certprep.content.loader import Pack
from certprep.store.tables import content_items, content_revisions

__all__ = ["ContentConflict", "SyncResult", "content_hash", "pack_items", "sync_pack"]


class ContentConflict(Exception):
    """An item's content changed but its revision did not; raising it keeps history truthful."""

    def __init__(self, item_ids: list[str]) -> None:
        self.item_ids = item_ids
        shown = ", ".join(item_ids[:5]) + (f" (+{len(item_ids) - 5} more)" if len(item_ids) > 5 else "")
        super().__init__(
            f"content changed without a new revision: {shown}. "
            "Raise the item's `revision` when you change it (docs/content-format.md)."
        )


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.revised or self.deactivated)


def content_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pack_items(pack: Pack) -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(id, kind, revision, JSON body) for every item of the pack."""
    for bp in pack.blueprints.values():
        yield bp.code, "blueprint", bp.revision, bp.model_dump(mode="json")
    for q in pack.questions:
        yield q.id, "question", q.revision, q.model_dump(mode="json")
    for case in pack.case_studies:
        body = case.model_dump(mode="json", exclude={"questions"})
        body["question_ids"] = [q.id for q in case.questions]
        yield case.id, "case_study", case.revision, body
    for card in pack.flashcards:
        yield card.id, "flashcard", card.revision, card.model_dump(mode="json")
    for lesson in pack.lessons:
        yield lesson.id, "lesson", lesson.revision, lesson.model_dump(mode="json")
    for sheet in pack.cheatsheets:
        yield sheet.id, "cheatsheet", sheet.revision, sheet.model_dump(mode="json")


def sync_pack(conn: Connection, pack: Pack, now: datetime) -> SyncResult:
    """Bring the content tables in line with ``pack``; the caller owns the transaction."""
    items = {row.id: row for row in conn.execute(select(content_items))}
    hashes = {
        (row.item_id, row.revision): row.content_hash
        for row in conn.execute(
            select(content_revisions.c.item_id, content_revisions.c.revision, content_revisions.c.content_hash)
        )
    }
    result = SyncResult()
    conflicts: list[str] = []
    new_items: list[dict[str, Any]] = []
    new_revisions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item_id, kind, revision, body in pack_items(pack):
        seen.add(item_id)
        digest = content_hash(body)
        stored = hashes.get((item_id, revision))
        existing = items.get(item_id)
        if stored is not None:
            if stored != digest:
                conflicts.append(item_id)
            elif existing is not None and (existing.current_revision != revision or not existing.active):
                conn.execute(
                    update(content_items)
                    .where(content_items.c.id == item_id)
                    .values(current_revision=revision, active=True)
                )
                result.revised.append(item_id)
            else:
                result.unchanged += 1
            continue
        new_revisions.append(
            {"item_id": item_id, "revision": revision, "content_hash": digest, "body": body, "synced_at": now}
        )
        if existing is None:
            new_items.append(
                {
                    "id": item_id,
                    "kind": kind,
                    "current_revision": revision,
                    "active": True,
                    "pack_id": pack.pack_of(item_id),
                }
            )
            result.added.append(item_id)
        else:
            conn.execute(
                update(content_items)
                .where(content_items.c.id == item_id)
                .values(current_revision=revision, active=True)
            )
            result.revised.append(item_id)
    if conflicts:
        raise ContentConflict(conflicts)
    if new_items:
        conn.execute(content_items.insert(), new_items)
    if new_revisions:
        conn.execute(content_revisions.insert(), new_revisions)
    # Only the packs served now: a pack refused for its errors (or left out) keeps its items active.
    served = set(pack.pack_ids)
    gone = [item_id for item_id, row in items.items() if row.active and row.pack_id in served and item_id not in seen]
    if gone:
        conn.execute(update(content_items).where(content_items.c.id.in_(gone)).values(active=False))
        result.deactivated.extend(gone)
    return result
