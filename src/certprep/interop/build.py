"""Drafts -> validated questions, case studies and flashcards, item by item.

Each draft gets its exams (its own metadata, else the ``--map`` file by category or tag, else
``--exam``/``--task``), an id (its own, else a slug of its name or stem, made unique) and the
defaults certprep needs (revision 1, difficulty 2). A draft that fails validation is reported with
its place and the reason; every other draft is still imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from certprep.content.schema import Blueprint, CaseStudy, Flashcard, Question
from certprep.interop.common import CaseDraft, Draft, FormatError, decode_text, read_limited, slug

__all__ = ["DEFAULT_DIFFICULTY", "TRUE_FALSE_MODES", "ExamMap", "ImportResult", "assemble", "load_map", "read_files"]

DEFAULT_DIFFICULTY = 2
TRUE_FALSE_MODES = ("skip", "as-single")


@dataclass(frozen=True)
class ExamMap:
    """Categories and tags of the source -> an exam and task statement (``--map FILE``)."""

    categories: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    tags: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def for_draft(self, draft: Draft) -> list[dict[str, str]]:
        refs: list[dict[str, str]] = []
        if draft.category is not None:
            # The longest mapped category that the draft's category path starts with.
            best = max(
                (c for c in self.categories if draft.category == c or draft.category.startswith(c.rstrip("/") + "/")),
                key=len,
                default=None,
            )
            if best is not None:
                exam, task = self.categories[best]
                refs.append({"exam": exam, "task": task})
        for tag in draft.tags:
            if tag in self.tags:
                exam, task = self.tags[tag]
                if all(r["exam"] != exam for r in refs):
                    refs.append({"exam": exam, "task": task})
        return refs


def load_map(path: Path) -> ExamMap:
    """Read a map file: ``categories:`` and ``tags:``, each name -> ``{exam: CODE, task: "D.N"}``."""
    text = decode_text(read_limited(path, 1024 * 1024), str(path))
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FormatError(f"invalid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else 1) from exc
    if not isinstance(data, dict) or set(data) - {"categories", "tags"}:
        raise FormatError("a map file holds 'categories:' and 'tags:' only", 1, str(path))
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for section in ("categories", "tags"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise FormatError(f"{section}: expected a mapping of names", 1, str(path))
        out[section] = {}
        for name, target in entries.items():
            if not isinstance(target, dict) or not {"exam", "task"} <= set(target):
                raise FormatError(f"{section}.{name}: expected {{exam: CODE, task: 'D.N'}}", 1, str(path))
            out[section][str(name)] = (str(target["exam"]), str(target["task"]))
    return ExamMap(categories=out["categories"], tags=out["tags"])


@dataclass
class ImportResult:
    questions: list[Question] = field(default_factory=list)  # standalone questions
    case_studies: list[CaseStudy] = field(default_factory=list)
    flashcards: list[Flashcard] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why): kinds certprep cannot hold
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why): items that failed
    media: dict[str, bytes] = field(default_factory=dict)  # images of the items imported, by media name

    @property
    def question_count(self) -> int:
        return len(self.questions) + sum(len(c.questions) for c in self.case_studies)

    @property
    def exams(self) -> set[str]:
        refs = [r for q in self.questions for r in q.exams]
        refs += [r for c in self.case_studies for q in c.questions for r in q.exams]
        refs += [r for card in self.flashcards for r in card.exams]
        return {r.exam for r in refs}


def _messages(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)


class _Ids:
    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.used: set[str] = set(taken)
        self.next: dict[str, int] = {}  # base -> the next suffix to try (no rescans: linear)

    def take(self, wanted: str | None, fallback: str) -> str:
        base = wanted if wanted and _valid_id(wanted) else slug(fallback)
        if len(base) < 3:
            base = f"imported-{base}"
        candidate, n = base, self.next.get(base, 2)
        while candidate in self.used:
            candidate = f"{base[:72]}-{n}"
            n += 1
        self.next[base] = n
        self.used.add(candidate)
        return candidate


def _valid_id(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,79}", value) is not None


def _check_refs(refs: Iterable[Mapping[str, Any]], kind: str, blueprints: Mapping[str, Blueprint]) -> str | None:
    for ref in refs:
        bp = blueprints.get(str(ref.get("exam")))
        if bp is None:
            return f"unknown exam {ref.get('exam')} (known: {', '.join(sorted(blueprints))})"
        if str(ref.get("task")) not in bp.task_ids:
            return f"exam {bp.code} has no task statement {ref.get('task')}"
        if kind not in bp.question_types and kind != "flashcard":
            return f"exam {bp.code} has no {kind.replace('_', ' ')} questions"
    return None


def assemble(
    drafts: Iterable[Draft],
    blueprints: Mapping[str, Blueprint],
    *,
    exam: str | None = None,
    task: str | None = None,
    exam_map: ExamMap | None = None,
    taken: Iterable[str] = (),
    true_false: str = "skip",
) -> ImportResult:
    """Validate every draft; return what was imported, what was skipped and what failed (and why).

    ``taken``: ids already in use (the packs served); an item whose id is one gets a suffix.
    ``true_false``: "skip" (a true/false question is skipped with the reason) or "as-single" (it
    becomes a single-answer question with the options True and False)."""
    if true_false not in TRUE_FALSE_MODES:
        raise ValueError(f"true_false must be one of {', '.join(TRUE_FALSE_MODES)}")
    result = ImportResult()
    ids = _Ids(taken)
    exam_map = exam_map or ExamMap()
    cases: dict[str, tuple[CaseDraft, list[tuple[Draft, Question]]]] = {}
    order: list[tuple[str, Any]] = []
    for draft in drafts:
        if draft.skip and not (draft.true_false and true_false == "as-single"):
            result.skipped.append((draft.where, draft.skip))
            continue
        if draft.problem:
            result.problems.append((draft.where, draft.problem))
            continue
        data = dict(draft.data)
        refs = data.get("exams") or exam_map.for_draft(draft)
        if not isinstance(refs, list) or not all(isinstance(r, dict) for r in refs):
            result.problems.append((draft.where, "exams: expected a list of {exam, task}"))
            continue
        if not refs and exam and task:
            refs = [{"exam": exam, "task": task}]
        if not refs:
            result.problems.append((draft.where, "no exam and task: give --exam and --task, or map it with --map"))
            continue
        kind = "flashcard" if draft.kind == "flashcard" else ("case_study" if draft.case else str(data.get("type")))
        problem = _check_refs(refs, kind, blueprints)
        if problem is None and draft.case:
            problem = _check_refs(refs, str(data.get("type")), blueprints)
        if problem:
            result.problems.append((draft.where, problem))
            continue
        data["exams"] = refs
        data.setdefault("revision", 1)
        fallback = draft.name or str(data.get("front") or data.get("stem") or "item")[:80]
        data["id"] = ids.take(data.get("id"), fallback)
        try:
            if draft.kind == "flashcard":
                result.flashcards.append(Flashcard.model_validate(data))
                result.media.update(draft.media)
                continue
            data.setdefault("difficulty", DEFAULT_DIFFICULTY)
            question = Question.model_validate(data)
        except ValidationError as exc:
            ids.used.discard(data["id"])
            result.problems.append((draft.where, _messages(exc)))
            continue
        result.media.update(draft.media)
        if draft.case:
            if draft.case.key not in cases:
                cases[draft.case.key] = (draft.case, [])
                order.append(("case", draft.case.key))
            cases[draft.case.key][1].append((draft, question))
        else:
            order.append(("question", question))
    for what, value in order:
        if what == "question":
            result.questions.append(value)
            continue
        case, members = cases[value]
        questions = tuple(q for _, q in members)
        case_id = ids.take(case.id, case.title)
        try:
            result.case_studies.append(
                CaseStudy(
                    id=case_id,
                    revision=case.revision or 1,
                    title=case.title,
                    scenario=case.scenario,
                    questions=questions,
                )
            )
        except ValidationError as exc:
            where = members[0][0].where
            result.problems.append(
                (f"case study {case.title!r} ({where})", f"{_messages(exc)}; its questions are not imported")
            )
    return result


def read_files(files: Sequence[Path], fmt: str) -> list[Draft]:
    """The drafts of ``files`` of format ``fmt``, each named with its file when there are several
    (what `certprep content import` and the admin's upload page both read, then ``assemble``);
    ``FormatError`` for a file that cannot be read."""
    from certprep.interop.formats import read_drafts

    drafts: list[Draft] = []
    for path in files:
        for draft in read_drafts(fmt, path):
            if len(files) > 1:
                draft.where = f"{path.name}: {draft.where}"
            drafts.append(draft)
    return drafts
