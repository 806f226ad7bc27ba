"""Write imported items as a content pack, atomically: all of it, linted, or nothing.

The pack is written into a temporary folder beside ``DIR``, checked with the same loader as
``certprep content lint``, and only then renamed to ``DIR``; any failure removes the temporary
folder, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from certprep.content.loader import Issue, Pack, check_pack
from certprep.content.schema import CaseStudy, Flashcard, Question
from certprep.interop.build import ImportResult

__all__ = ["PackWriteError", "add_to_pack", "dump_item", "write_pack"]


class PackWriteError(Exception):
    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        self.issues = issues or []
        super().__init__(message)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _plain(item: Question | CaseStudy | Flashcard) -> dict[str, Any]:
    data = item.model_dump(mode="json", exclude_defaults=True, exclude={"kind", "case_id"})
    if isinstance(item, CaseStudy):
        data = {"kind": "case_study", **data}
        data["questions"] = [_plain(q) for q in item.questions]
    return data


def dump_item(item: Question | CaseStudy | Flashcard) -> str:
    """The YAML of one item in certprep's format (block strings for multi-line text)."""
    return yaml.dump(_plain(item), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_pack(
    result: ImportResult, into: Path, blueprint_files: Mapping[str, Path], *, pack_id: str, title: str
) -> Pack:
    """Write ``result`` as a pack at ``into`` (which must not exist, or be an empty folder)."""
    into = Path(into)
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise PackWriteError(f"{into} exists and is not an empty folder; nothing was written")
    into.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{into.name}.", suffix=".tmp", dir=into.parent))
    try:
        info = {"id": pack_id, "title": title, "version": "1"}
        (tmp / "pack.yaml").write_text(yaml.safe_dump(info, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (tmp / "blueprints").mkdir()
        for code in sorted(result.exams):
            # The exam's blueprint comes along unchanged, so the pack lints on its own.
            shutil.copyfile(blueprint_files[code], tmp / "blueprints" / f"{code}.yaml")
        questions = tmp / "questions"
        questions.mkdir()
        for q in result.questions:
            (questions / f"{q.id}.yaml").write_text(dump_item(q), encoding="utf-8")
        for case in result.case_studies:
            (questions / f"{case.id}.yaml").write_text(dump_item(case), encoding="utf-8")
        if result.flashcards:
            (tmp / "flashcards").mkdir()
            cards = {"cards": [_plain(c) for c in result.flashcards]}
            text = yaml.dump(cards, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
            (tmp / "flashcards" / "imported.yaml").write_text(text, encoding="utf-8")
        if result.media:
            (tmp / "media").mkdir()
            for name, data in sorted(result.media.items()):
                (tmp / "media" / name).write_bytes(data)
        pack, errors = check_pack(tmp)
        if pack is None:
            raise PackWriteError(
                f"the imported pack does not lint ({len(errors)} error(s)); nothing was written", errors
            )
        if into.exists():
            into.rmdir()
        tmp.rename(into)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return pack


def add_to_pack(
    source: Path, target: Path, *, check: Callable[[Path], list[Issue]], pack_id: str, title: str, batch: str
) -> None:
    """Add the items of the pack at ``source`` (an import) to the pack at ``target``, created with
    ``pack_id`` and ``title`` if it does not exist. The new version is built beside ``target``,
    checked with ``check`` (its errors; none when it may be served), and only then swapped in for
    the old one: any failure leaves ``target`` as it was.

    ``batch`` names the flashcard file of this addition (``flashcards/<batch>.yaml``)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    new = work / "pack"
    try:
        if target.exists():
            shutil.copytree(target, new, symlinks=False)
        else:
            new.mkdir()
            info = {"id": pack_id, "title": title, "version": "1"}
            (new / "pack.yaml").write_text(yaml.safe_dump(info, sort_keys=False, allow_unicode=True), encoding="utf-8")
        for folder, pattern in (("blueprints", "*.yaml"), ("questions", "*.yaml"), ("media", "*")):
            if folder == "media" and not (source / folder).is_dir():
                continue
            (new / folder).mkdir(exist_ok=True)
            for path in sorted((source / folder).glob(pattern)):
                dest = new / folder / path.name
                if dest.exists() and folder in ("blueprints", "media"):
                    continue  # a blueprint the pack holds already; an image (named by its hash) likewise
                if dest.exists():
                    raise PackWriteError(f"{folder}/{path.name} is already in {target}; nothing was added")
                shutil.copyfile(path, dest)
        cards = source / "flashcards" / "imported.yaml"
        if cards.is_file():
            (new / "flashcards").mkdir(exist_ok=True)
            dest = new / "flashcards" / f"{batch}.yaml"
            if dest.exists():
                raise PackWriteError(f"flashcards/{dest.name} is already in {target}; nothing was added")
            shutil.copyfile(cards, dest)
        errors = check(new)
        if errors:
            raise PackWriteError(f"{target} would not load ({len(errors)} error(s)); nothing was added", errors)
        # Two renames: the old version out of the way, the new one in its place (the same folder,
        # so both are atomic); if the second fails, the old one goes back.
        if target.exists():
            target.rename(work / "old")
            try:
                new.rename(target)
            except BaseException:
                (work / "old").rename(target)
                raise
        else:
            new.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
