"""Anki deck (.apkg) import through the `anki` library: notes become flashcards.

Basic notes (and basic-and-reversed, optional reversed, type-in: any note type whose first two
fields are the front and the back) give one flashcard; a cloze note gives one flashcard per cloze
number (the front hides that cloze, the back gives it and the "Back Extra" field). certprep's own
exports come back with their ids. Tags ``certprep::EXAM::dD::tD.N`` (as ``certprep export anki``
writes them) set the exams; other tags can be mapped with ``--map``; tags of certprep's tag shape
stay as the card's tags. Images and sounds are refused with a message. Fields are HTML: sanitised
to Markdown.

The `anki` library is large, so it is an optional dependency: ``pip install 'certprep[anki]'``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from certprep.interop.common import Draft, FormatError, html_to_markdown

__all__ = ["MAX_APKG_BYTES", "read_apkg"]

MAX_APKG_BYTES = 50 * 1024 * 1024

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_EXAM_TAG = re.compile(r"^certprep::([A-Za-z]{2,5}-[A-Za-z]\d{2})::d\d+::t(\d+\.\d+)$")
_TAG = re.compile(r"^[a-z0-9][a-z0-9 ./+&()-]*$")


def _open_collection(path: Path, workdir: Path) -> Any:
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise FormatError("reading .apkg files needs the anki library: pip install 'certprep[anki]'") from exc
    col = Collection(str(workdir / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False))
        )
    except Exception as exc:
        col.close()
        raise FormatError(f"not a readable Anki package: {exc}", file=str(path)) from exc
    return col


def _cloze_side(text: str, ordinal: int, front: bool) -> str:
    def repl(m: re.Match[str]) -> str:
        if int(m.group(1)) != ordinal:
            return m.group(2)
        if front:
            return f"[{m.group(3)}]" if m.group(3) else "[...]"
        return f"**{m.group(2)}**"

    return _CLOZE.sub(repl, text)


def _markdown(html: str, images: list[str]) -> str:
    text, found = html_to_markdown(html)
    images += found
    sounds = re.findall(r"\[sound:([^\]]+)\]", text)
    images += sounds
    return text


def _tags(tags: list[str]) -> tuple[list[dict[str, str]], list[str], tuple[str, ...]]:
    refs: list[dict[str, str]] = []
    card_tags: list[str] = []
    others: list[str] = []
    for tag in tags:
        m = _EXAM_TAG.match(tag)
        if m:
            exam = m.group(1).upper()
            if {"exam": exam, "task": m.group(2)} not in refs:  # a card may serve two tasks of one exam
                refs.append({"exam": exam, "task": m.group(2)})
            continue
        if tag.lower().startswith("certprep::"):
            continue
        others.append(tag)
        plain = tag.lower().replace("_", " ")
        if _TAG.match(plain):
            card_tags.append(plain)
    return refs, card_tags, tuple(others)


def read_apkg(path: Path) -> list[Draft]:
    """Read an .apkg into flashcard drafts (notes of other shapes marked skipped with the reason)."""
    if path.stat().st_size > MAX_APKG_BYTES:
        raise FormatError(f"file is larger than the limit of {MAX_APKG_BYTES // (1024 * 1024)} MB", file=str(path))
    workdir = Path(tempfile.mkdtemp(prefix="certprep-apkg-"))
    drafts: list[Draft] = []
    try:
        col = _open_collection(path, workdir)
        try:
            for nid in sorted(col.find_notes("")):
                note = col.get_note(nid)
                model = note.note_type() or {}
                names = list(note.keys())
                refs, card_tags, others = _tags(list(note.tags))
                plain = _CLOZE.sub(r"\2", re.sub(r"<[^>]+>", "", note.fields[0] if note.fields else ""))
                label = plain[:40].strip()
                where = f"note {nid} ({label})" if label else f"note {nid}"
                base: dict[str, Any] = {}
                if refs:
                    base["exams"] = refs
                if card_tags:
                    base["tags"] = card_tags
                if model.get("name") == "certprep question":
                    drafts.append(Draft(where=where, kind="flashcard", skip="a certprep question note: import "
                                        "questions from GIFT, Moodle XML, CSV or Markdown instead"))  # fmt: skip
                    continue
                if model.get("type") == 1:  # cloze
                    text = note["Text"] if "Text" in names else note.fields[0]
                    extra = note["Back Extra"] if "Back Extra" in names else ""
                    ordinals = sorted({int(m[0]) for m in _CLOZE.findall(text)})
                    if not ordinals:
                        drafts.append(Draft(where=where, kind="flashcard", problem="a cloze note with no {{c1::...}}"))
                        continue
                    for ordinal in ordinals:
                        images: list[str] = []
                        front = _markdown(_cloze_side(text, ordinal, front=True), images)
                        answers = [m[1] for m in _CLOZE.findall(text) if int(m[0]) == ordinal]
                        back = _markdown("; ".join(answers) + (f"<br>{extra}" if extra else ""), images)
                        draft = Draft(where=f"{where} cloze {ordinal}", name=f"{label} c{ordinal}", kind="flashcard",
                                      tags=others, data={**base, "front": front, "back": back})  # fmt: skip
                        if images:
                            draft.problem = f"image(s) or sound(s) {', '.join(images)}: certprep packs hold none"
                        drafts.append(draft)
                    continue
                if len(note.fields) < 2:
                    drafts.append(Draft(where=where, kind="flashcard", skip="a note with one field has no back"))
                    continue
                images = []
                data = {**base, "front": _markdown(note.fields[0], images), "back": _markdown(note.fields[1], images)}
                if "Id" in names and note["Id"].strip():
                    data["id"] = note["Id"].strip()
                draft = Draft(where=where, name=label or None, kind="flashcard", tags=others, data=data)
                if images:
                    draft.problem = f"image(s) or sound(s) {', '.join(images)}: certprep packs hold none"
                drafts.append(draft)
        finally:
            col.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return drafts
