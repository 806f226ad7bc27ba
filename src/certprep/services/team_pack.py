"""The team pack: an admin uploads a question file, sees the import report, and adds it.

An upload is imported with the same code as `certprep content import` (``interop.build``) into a
staged pack under ``<data_dir>/imports/<token>`` (written whole or not at all, linted); adding it
copies its items into the team pack folder (``Settings.team_pack_path()``), checked beside the
other packs served and swapped in atomically (``interop.packwrite.add_to_pack``); then this
process loads the packs again and syncs them. Other worker processes serve it from their next
start (docs/content-format.md#several-packs).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from certprep.content.loader import Issue
from certprep.content.packset import check_beside

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "TEAM_PACK_ID",
    "TOKEN_PATTERN",
    "ImportRefused",
    "ImportReport",
    "ItemNote",
    "StagedItem",
    "TeamPackAdded",
    "add_upload",
    "import_upload",
    "staged_report",
]

TEAM_PACK_ID = "team"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
_TOKEN = re.compile(TOKEN_PATTERN)


class ImportRefused(ValueError):
    """An upload that cannot be imported or added: the message says why (422)."""


@dataclass(frozen=True)
class ItemNote:
    """An item that was skipped (a kind certprep cannot hold) or not imported, and why."""

    where: str
    why: str


@dataclass(frozen=True)
class StagedItem:
    id: str
    kind: str  # question, case_study, flashcard
    text: str  # the stem, the scenario's title or the card's front, shortened


@dataclass(frozen=True)
class ImportReport:
    """What an upload gave: the items ready to add, the skipped kinds, the items not imported."""

    token: str
    file_name: str
    format: str
    questions: int
    flashcards: int
    items: list[StagedItem] = field(default_factory=list)
    skipped: list[ItemNote] = field(default_factory=list)
    problems: list[ItemNote] = field(default_factory=list)


@dataclass(frozen=True)
class TeamPackAdded:
    """An upload added to the team pack, now served by this process."""

    token: str
    team_pack: str
    questions: int
    flashcards: int
    served_questions: int


def _staging(app: Certprep) -> Path:
    return app.settings.data_dir / "imports"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "..."


def import_upload(
    app: Certprep,
    data: bytes,
    file_name: str,
    fmt: str,
    *,
    exam: str | None = None,
    task: str | None = None,
    true_false: str = "skip",
) -> ImportReport:
    """Import an uploaded file into a staged pack and return its report (nothing is served yet)."""
    from certprep.interop.build import assemble, read_files
    from certprep.interop.common import FormatError
    from certprep.interop.formats import IMPORT_FORMATS
    from certprep.interop.packwrite import PackWriteError, write_pack

    if fmt not in IMPORT_FORMATS:
        raise ImportRefused(f"unknown format {fmt!r}; known: {', '.join(IMPORT_FORMATS)}")
    limit = app.settings.upload_max_bytes
    if len(data) > limit:
        raise ImportRefused(f"the file is larger than the limit of {limit:,} bytes; nothing was imported")
    if true_false not in ("skip", "as-single"):
        raise ImportRefused("true/false questions: choose skip or as-single")
    if bool(exam) != bool(task):
        raise ImportRefused("give the exam and the task statement together, or neither")
    pack = app.pack
    if exam and (exam not in pack.blueprints or task not in pack.blueprints[exam].task_ids):
        raise ImportRefused(f"unknown exam or task statement: {exam} {task}")
    name = Path(file_name or "upload").name[:100] or "upload"
    token = secrets.token_urlsafe(18)
    staging = _staging(app)
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".upload.", dir=staging))
    try:
        source = work / ("upload" + Path(name).suffix[:10])
        source.write_bytes(data)
        try:
            drafts = read_files([source], fmt)
        except FormatError as exc:
            exc.file = name
            raise ImportRefused(f"cannot import: {exc}") from exc
        result = assemble(drafts, pack.blueprints, exam=exam, task=task, taken=pack.sources, true_false=true_false)
        report = ImportReport(
            token=token,
            file_name=name,
            format=fmt,
            questions=result.question_count,
            flashcards=len(result.flashcards),
            items=[StagedItem(q.id, "question", _short(q.stem)) for q in result.questions]
            + [StagedItem(c.id, "case_study", _short(c.title)) for c in result.case_studies]
            + [StagedItem(c.id, "flashcard", _short(c.front)) for c in result.flashcards],
            skipped=[ItemNote(w, y) for w, y in result.skipped],
            problems=[ItemNote(w, y) for w, y in result.problems],
        )
        if result.question_count or result.flashcards:
            files_of = {code: pack.item_path(code) for code in result.exams}
            try:
                write_pack(result, work / "pack", files_of, pack_id=f"upload-{token.lower()[:8]}", title=name)
            except PackWriteError as exc:
                raise ImportRefused(_explain(exc)) from exc
        (work / "report.json").write_text(json.dumps(asdict(report)), encoding="utf-8")
        work.rename(staging / token)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _explain(exc: Exception) -> str:
    issues = [str(issue) for issue in getattr(exc, "issues", [])[:5]]
    return f"{exc}: {'; '.join(issues)}" if issues else str(exc)


def _staged(app: Certprep, token: str) -> Path:
    folder = _staging(app) / token
    if not _TOKEN.match(token) or not (folder / "report.json").is_file():
        raise ImportRefused("no such upload (it was added already, or never made): upload the file again")
    return folder


def staged_report(app: Certprep, token: str) -> ImportReport:
    """The report of a staged upload."""
    data = json.loads((_staged(app, token) / "report.json").read_text(encoding="utf-8"))
    return ImportReport(
        **{k: v for k, v in data.items() if k not in ("items", "skipped", "problems")},
        items=[StagedItem(**i) for i in data["items"]],
        skipped=[ItemNote(**i) for i in data["skipped"]],
        problems=[ItemNote(**i) for i in data["problems"]],
    )


def _pack_id(info: Path) -> str:
    """The id in the team pack's pack.yaml (the default id if it has none yet)."""
    try:
        data = yaml.safe_load(info.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return TEAM_PACK_ID
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and found else TEAM_PACK_ID


def add_upload(app: Certprep, token: str, now: datetime) -> TeamPackAdded:
    """Add a staged upload to the team pack, then serve the packs again (this process)."""
    from certprep.interop.packwrite import PackWriteError, add_to_pack

    folder = _staged(app, token)
    report = staged_report(app, token)
    if not (folder / "pack").is_dir():
        raise ImportRefused("this upload has nothing to add")
    team = app.settings.team_pack_path()
    team_id = _pack_id(team / "pack.yaml")

    def check(root: Path) -> list[Issue]:
        return check_beside(root, app.pack, replacing=team_id)[1]

    try:
        add_to_pack(folder / "pack", team, check=check, pack_id=team_id, title="Team pack", batch=f"upload-{token}")
    except PackWriteError as exc:
        # Most often the ids were free at upload time and another upload took them since.
        raise ImportRefused(f"{_explain(exc)}; upload the file again to import it under free ids") from exc
    shutil.rmtree(folder, ignore_errors=True)
    app.reload_packs(now)
    return TeamPackAdded(
        token=token,
        team_pack=str(team),
        questions=report.questions,
        flashcards=report.flashcards,
        served_questions=sum(1 for q in app.pack.questions if app.pack.pack_of(q.id) == team_id),
    )
