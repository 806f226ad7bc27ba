"""Load a content pack from a folder: every file validated, all or nothing.

A pack with any error loads nothing: ``load_pack`` raises ``PackError`` carrying every problem
found (file, line, message), so an author fixes them all in one pass.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from certprep.content.media import MAX_MEDIA_BYTES, MEDIA_NAME, MediaError, media_name, media_refs
from certprep.content.schema import (
    Blueprint,
    CaseStudy,
    CheatSheet,
    Flashcard,
    Lesson,
    Question,
)
from certprep.content.yamlsource import YamlDocument, parse_yaml, split_front_matter

__all__ = ["Issue", "Pack", "PackError", "PackInfo", "check_pack", "load_pack"]

_NOTHING: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Issue:
    """One problem in a pack: the file (relative to the pack), the line, and what is wrong."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(Exception):
    def __init__(self, errors: list[Issue]) -> None:
        self.errors = errors
        head = "; ".join(str(e) for e in errors[:3])
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"content pack has {len(errors)} error(s): {head}{more}")


class PackInfo(BaseModel):
    model_config = {"frozen": True, "extra": "forbid"}
    id: str
    title: str
    version: str
    # Services shut down for everyone: never a key, whatever the exam (closed_services per blueprint).
    shut_down_services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """Everything a pack holds, validated. Questions include those inside case studies."""

    root: Path
    info: PackInfo
    blueprints: dict[str, Blueprint]
    questions: tuple[Question, ...]
    case_studies: tuple[CaseStudy, ...]
    flashcards: tuple[Flashcard, ...]
    lessons: tuple[Lesson, ...]
    cheatsheets: tuple[CheatSheet, ...]
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)  # item id -> (file, line)
    # Several packs served side by side (content.packset): which pack each item and each exam's
    # blueprint comes from, and the packs' folders. Empty for one pack: everything is ``info.id``'s.
    origins: Mapping[str, str] = field(default_factory=dict)  # item id -> pack id
    media: Mapping[str, Path] = field(default_factory=dict)  # media file name -> its file (content.media)
    members: tuple[tuple[PackInfo, Path], ...] = ()

    @property
    def pack_ids(self) -> tuple[str, ...]:
        """The ids of the packs served together (the first is the base pack)."""
        return tuple(info.id for info, _ in self.members) or (self.info.id,)

    def pack_of(self, item_id: str) -> str:
        """The id of the pack that holds an item (a question, a card, a blueprint's exam code...)."""
        return self.origins.get(item_id, self.info.id)

    def item_path(self, item_id: str) -> Path:
        """The file that defines an item (KeyError for an unknown id)."""
        roots = {info.id: root for info, root in self.members} or {self.info.id: self.root}
        return roots[self.pack_of(item_id)] / self.sources[item_id][0]

    @functools.cached_property
    def questions_by_id(self) -> Mapping[str, Question]:
        """Every question by its id (built once: a pack never changes after loading)."""
        return MappingProxyType({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        return self.questions_by_id[question_id]  # KeyError for an unknown id

    @functools.cached_property
    def exam_codes(self) -> tuple[str, ...]:
        """Exam codes in the order users see them: exams candidates can sit first (current, then
        beta), retired ones last, the most recently retired first; newest code first otherwise."""
        rank = {"current": 0, "beta": 1, "retired": 2}

        def key(code: str) -> tuple[int, int]:
            bp = self.blueprints[code]
            return rank[bp.status], -(bp.retired_on.toordinal() if bp.retired_on else 0)

        return tuple(sorted(sorted(self.blueprints, reverse=True), key=key))

    @property
    def default_exam(self) -> str:
        """The exam chosen when a user names none: the first of ``exam_codes``."""
        return self.exam_codes[0]

    def questions_for(self, exam: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if any(e.exam == exam for e in q.exams))

    def form_questions_for(self, exam: str) -> tuple[Question, ...]:
        """The questions the fixed Practice Exams of ``exam`` are built from: those of the pack
        that defines the exam's blueprint, so another pack's questions never change them."""
        owner = self.pack_of(exam)
        return tuple(q for q in self.questions_for(exam) if self.pack_of(q.id) == owner)

    def case_study(self, case_id: str) -> CaseStudy:
        for case in self.case_studies:
            if case.id == case_id:
                return case
        raise KeyError(case_id)


class _Collector:
    def __init__(self, root: Path, taken: Mapping[str, str]) -> None:
        self.root = root
        self.taken = taken
        self.errors: list[Issue] = []
        self.sources: dict[str, tuple[str, int]] = {}

    def register(self, item_id: str, path: Path, line: int) -> None:
        """Remember where an item is defined; a second definition of the same id is an error."""
        if item_id in self.taken:
            self.error(path, line, f"id {item_id!r} is already used by pack {self.taken[item_id]!r}")
        if item_id in self.sources:
            first, first_line = self.sources[item_id]
            self.error(path, line, f"id {item_id!r} is already used by {first}:{first_line}")
        else:
            self.sources[item_id] = (self.rel(path), line)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def error(self, path: Path, line: int, message: str) -> None:
        self.errors.append(Issue(self.rel(path), line, message))

    def read_yaml(self, path: Path, text: str | None = None, line_offset: int = 0) -> YamlDocument | None:
        try:
            raw = path.read_text(encoding="utf-8") if text is None else text
        except (OSError, UnicodeDecodeError) as exc:
            self.error(path, 1, f"cannot read file: {exc}")
            return None
        try:
            return parse_yaml(raw, line_offset)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = (mark.line + 1 if mark is not None else 1) + line_offset
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(path, line, f"invalid YAML: {problem}")
            return None

    def validate(
        self, model: type[BaseModel], data: Any, doc: YamlDocument, path: Path, base: tuple[int | str, ...] = ()
    ) -> Any:
        if not isinstance(data, dict):
            self.error(path, doc.line(base), f"expected a mapping for a {model.__name__.lower()}")
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = ".".join(str(p) for p in base + loc) or "(item)"
                self.error(path, doc.line(base + loc), f"{where}: {err['msg']}")
            return None


def _yaml_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _md_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*.md") if p.is_file())


def _front_matter_item(c: _Collector, path: Path, model: type[BaseModel]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        front, body, body_line = split_front_matter(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        c.error(path, 1, str(exc))
        return None
    doc = c.read_yaml(path, front, line_offset=1)
    if doc is None:
        return None
    doc.fixed_lines["body"] = body_line
    data = doc.data
    if isinstance(data, dict):
        data = {**data, "body": body}
    item = c.validate(model, data, doc, path)
    if item is not None:
        c.register(item.id, path, body_line)
    return item


def check_pack(
    root: Path,
    *,
    known_blueprints: Mapping[str, Blueprint] = _NOTHING,
    taken_ids: Mapping[str, str] = _NOTHING,
) -> tuple[Pack | None, list[Issue]]:
    """Validate every file of the pack at ``root``; return the pack (None on errors) and errors.

    A pack served beside others (content.packset) is checked with what they define:
    ``known_blueprints`` are exams its items may name (its own blueprint of such an exam is a copy
    and is left out: the first pack's stands), ``taken_ids`` the ids already used (id -> pack id).
    """
    root = Path(root)
    c = _Collector(root, taken_ids)
    if not root.is_dir():
        c.errors.append(Issue(str(root), 0, "not a folder"))
        return None, c.errors
    info_path = root / "pack.yaml"
    info: PackInfo | None = None
    if not info_path.is_file():
        c.error(info_path, 0, "a pack needs a pack.yaml (id, title, version)")
    else:
        doc = c.read_yaml(info_path)
        if doc is not None:
            info = c.validate(PackInfo, doc.data, doc, info_path)

    blueprints: dict[str, Blueprint] = {}
    for path in _yaml_files(root / "blueprints"):
        doc = c.read_yaml(path)
        if doc is None:
            continue
        bp = c.validate(Blueprint, doc.data, doc, path)
        if bp is not None and bp.code not in known_blueprints:
            if bp.code in blueprints:
                c.error(path, 1, f"exam {bp.code} is defined twice")
            blueprints[bp.code] = bp
            c.register(bp.code, path, 1)

    questions: list[Question] = []
    cases: list[CaseStudy] = []
    for path in _yaml_files(root / "questions"):
        doc = c.read_yaml(path)
        if doc is None:
            continue
        if isinstance(doc.data, dict) and doc.data.get("kind") == "case_study":
            case = c.validate(CaseStudy, doc.data, doc, path)
            if case is not None:
                cases.append(case)
                c.register(case.id, path, 1)
                for index, q in enumerate(case.questions):
                    questions.append(q.model_copy(update={"case_id": case.id}))
                    c.register(q.id, path, doc.line(("questions", index)))
        else:
            q = c.validate(Question, doc.data, doc, path)
            if q is not None:
                questions.append(q)
                c.register(q.id, path, 1)

    flashcards: list[Flashcard] = []
    for path in _yaml_files(root / "flashcards"):
        doc = c.read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("cards"), list):
            c.error(path, 1, "a flashcard file holds a 'cards:' list")
            continue
        for index, raw in enumerate(doc.data["cards"]):
            card = c.validate(Flashcard, raw, doc, path, ("cards", index))
            if card is not None:
                flashcards.append(card)
                c.register(card.id, path, doc.line(("cards", index)))

    lessons = [x for p in _md_files(root / "lessons") if (x := _front_matter_item(c, p, Lesson))]
    sheets = [x for p in _md_files(root / "cheatsheets") if (x := _front_matter_item(c, p, CheatSheet))]

    _cross_check(c, {**blueprints, **known_blueprints}, questions, cases, flashcards, lessons, sheets)
    media = _check_media(c, root / "media")
    items: list[Question | CaseStudy | Flashcard | Lesson | CheatSheet] = [*questions, *cases, *flashcards]
    for item in [*items, *lessons, *sheets]:
        for name in sorted(media_refs([item.model_dump(mode="json")]) - set(media)):
            file, line = c.sources.get(item.id, ("?", 1))
            c.error(root / file, line, f"{item.id}: the image media/{name} is not in the pack's media folder")
    if info is not None and info.id in taken_ids.values():
        c.error(info_path, 1, f"pack id {info.id!r} is already used by another pack served")
    if c.errors or info is None:
        return None, c.errors
    pack = Pack(
        root=root,
        info=info,
        blueprints=blueprints,
        questions=tuple(questions),
        case_studies=tuple(cases),
        flashcards=tuple(flashcards),
        lessons=tuple(lessons),
        cheatsheets=tuple(sheets),
        sources=c.sources,
        media=media,
    )
    return pack, []


def _cross_check(
    c: _Collector,
    blueprints: dict[str, Blueprint],
    questions: list[Question],
    cases: list[CaseStudy],
    flashcards: list[Flashcard],
    lessons: list[Lesson],
    sheets: list[CheatSheet],
) -> None:
    """Rules that span files: unique ids, known exams and tasks, types the exam allows."""

    def where(item_id: str) -> tuple[Path, int]:
        file, line = c.sources.get(item_id, ("?", 1))
        return c.root / file, line

    def check_refs(item: Question | Flashcard | Lesson) -> None:
        for ref in item.exams:
            bp = blueprints.get(ref.exam)
            path, line = where(item.id)
            if bp is None:
                c.error(path, line, f"{item.id}: unknown exam {ref.exam}")
            elif ref.task not in bp.task_ids:
                c.error(path, line, f"{item.id}: exam {ref.exam} has no task statement {ref.task}")
            else:
                for skill_id in ref.skills:
                    if skill_id not in bp.skills:
                        c.error(path, line, f"{item.id}: exam {ref.exam} has no skill {skill_id}")

    for q in questions:
        check_refs(q)
        for ref in q.exams:
            bp = blueprints.get(ref.exam)
            if bp is None:
                continue
            kind = "case_study" if q.case_id else q.type.value
            allowed = set(bp.question_types)
            if kind not in allowed or (q.case_id and q.type.value not in allowed):
                path, line = where(q.id)
                c.error(path, line, f"{q.id}: exam {ref.exam} has no {kind.replace('_', ' ')} questions")
    for card in flashcards:
        check_refs(card)
    for lesson in lessons:
        check_refs(lesson)
    for sheet in sheets:
        path, line = where(sheet.id)
        bp = blueprints.get(sheet.exam)
        if bp is None:
            c.error(path, line, f"{sheet.id}: unknown exam {sheet.exam}")
        elif sheet.domain not in {d.id for d in bp.domains}:
            c.error(path, line, f"{sheet.id}: exam {sheet.exam} has no domain {sheet.domain}")
    for case in cases:
        exams = {ref.exam for q in case.questions for ref in q.exams}
        if len(exams) == 0:
            path, line = where(case.id)
            c.error(path, line, f"{case.id}: a case study's questions name no exam")


def _check_media(c: _Collector, folder: Path) -> dict[str, Path]:
    """The images of the pack (``media/<hash>.<ext>``), each checked: name, type, size, hash."""
    media: dict[str, Path] = {}
    if not folder.is_dir():
        return media
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.is_symlink() or not MEDIA_NAME.match(path.name):
            c.error(path, 0, "the media folder holds only files named <16 hex digits>.png|jpg|gif|webp")
            continue
        with path.open("rb") as handle:
            data = handle.read(MAX_MEDIA_BYTES + 1)
        try:
            expected = media_name(data, path.name)
        except MediaError as exc:
            c.error(path, 0, str(exc))
            continue
        if expected != path.name:
            c.error(path, 0, f"named {path.name} but its bytes are {expected} (the name is their hash)")
            continue
        media[path.name] = path
    return media


def load_pack(root: Path) -> Pack:
    """Load and validate a pack; raise ``PackError`` listing every problem if there is any."""
    pack, errors = check_pack(root)
    if pack is None:
        raise PackError(errors)
    return pack
