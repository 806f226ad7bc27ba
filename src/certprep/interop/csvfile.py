"""CSV (a spreadsheet): one question a row, every type, export and import.

Columns: ``id, revision, type, exams, difficulty, services, concepts, case_id, case_revision,
case_title, case_scenario, stem, option_1.., rationale_1.., correct, references``.

- ``exams``: ``EXAM:TASK`` (then ``:SKILL`` for each skill), several joined by ``; ``
- ``services``, ``concepts``: joined by ``; ``
- single / multiple: one option a column; ``correct`` lists the keyed letters, ``A`` or ``A;C``
- ordering: the steps and distractor steps as options; ``correct`` lists the steps' letters in
  the right order (the options it leaves out are the distractors)
- matching: each option is ``prompt -> response``; an extra response is ``-> response``
- ``references``: one ``title | url`` a line

Comma, semicolon and tab separated files are read (the separator is sniffed); UTF-8 or UTF-16.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import CaseDraft, Draft, ExportResult, FormatError

__all__ = ["export_csv", "parse_csv"]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEAD = [
    "id",
    "revision",
    "type",
    "exams",
    "difficulty",
    "services",
    "concepts",
    "case_id",
    "case_revision",
    "case_title",
    "case_scenario",
]


def _choices(q: Question) -> tuple[list[tuple[str, str | None]], str] | None:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return [(o.text, o.rationale) for o in q.options], ";".join(LETTERS[i] for i in q.correct_indexes)
    if q.type is QuestionType.ORDERING:
        steps = [*q.steps, *q.distractor_steps]
        return [(s.text, s.rationale) for s in steps], ";".join(LETTERS[i] for i in range(len(q.steps)))
    texts = [p.prompt for p in q.pairs] + [p.response for p in q.pairs] + [e.text for e in q.extra_responses]
    if any("->" in t for t in texts):
        return None
    pairs: list[tuple[str, str | None]] = [(f"{p.prompt} -> {p.response}", p.rationale) for p in q.pairs]
    return pairs + [(f"-> {e.text}", e.rationale) for e in q.extra_responses], ""


def export_csv(questions: Sequence[Question], cases: Mapping[str, CaseStudy]) -> ExportResult:
    """The questions as CSV (UTF-8, comma-separated, a header row)."""
    rows: list[dict[str, Any]] = []
    lost: list[str] = []
    width = 5
    for q in questions:
        choices = _choices(q)
        if choices is None:
            lost.append(f"{q.id}: a matching text holds '->', which this CSV layout cannot tell apart; left out")
            continue
        items, correct = choices
        width = max(width, len(items))
        case = cases.get(q.case_id) if q.case_id else None
        row: dict[str, Any] = {
            "id": q.id,
            "revision": q.revision,
            "type": q.type.value,
            "exams": "; ".join(":".join([r.exam, r.task, *r.skills]) for r in q.exams),
            "difficulty": q.difficulty,
            "services": "; ".join(q.services),
            "concepts": "; ".join(q.concepts),
            "case_id": case.id if case else "",
            "case_revision": case.revision if case else "",
            "case_title": case.title if case else "",
            "case_scenario": case.scenario if case else "",
            "stem": q.stem.strip(),
            "correct": correct,
            "references": "\n".join(f"{r.title} | {r.url}" for r in q.references),
        }
        for n, (text, why) in enumerate(items, 1):
            row[f"option_{n}"] = text
            row[f"rationale_{n}"] = why or ""
        rows.append(row)
    fields = [*HEAD, "stem"]
    fields += [f"option_{n}" for n in range(1, width + 1)] + [f"rationale_{n}" for n in range(1, width + 1)]
    fields += ["correct", "references"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ExportResult(out.getvalue().encode("utf-8"), len(rows), lost)


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;,]", value) if v.strip()]


def _row_draft(row: dict[str, str], where: str, cases: dict[str, CaseDraft]) -> Draft:
    draft = Draft(where=where)
    get = {k: (v or "").strip() for k, v in row.items() if k}
    numbers = sorted(int(k[7:]) for k in get if re.fullmatch(r"option_\d+", k))
    items = [(get[f"option_{n}"], get.get(f"rationale_{n}", "")) for n in numbers if get.get(f"option_{n}")]
    letters = [x.upper() for x in _split(get.get("correct", ""))]
    if not get.get("stem"):
        draft.problem = "no stem"
        return draft
    bad = [x for x in letters if len(x) != 1 or x not in LETTERS[: len(items)]]
    if bad:
        draft.problem = f"correct names {', '.join(bad)}, not an option letter (A..{LETTERS[max(len(items) - 1, 0)]})"
        return draft
    kind = get.get("type") or ("matching" if items and all("->" in t for t, _ in items) else "")
    kind = kind or ("single" if len(letters) == 1 else "multiple")
    data: dict[str, Any] = {"type": kind, "stem": get["stem"]}
    if kind in ("single", "multiple"):
        data["options"] = [
            {"text": t, **({"correct": True} if LETTERS[i] in letters else {}), **({"rationale": w} if w else {})}
            for i, (t, w) in enumerate(items)
        ]
    elif kind == "ordering":
        index = [LETTERS.index(x) for x in letters]
        data["steps"] = [{"text": items[i][0], **({"rationale": items[i][1]} if items[i][1] else {})} for i in index]
        data["distractor_steps"] = [
            {"text": t, **({"rationale": w} if w else {})} for i, (t, w) in enumerate(items) if i not in index
        ]
    elif kind == "matching":
        pairs: list[dict[str, Any]] = []
        extras: list[dict[str, Any]] = []
        for text, why in items:
            if "->" not in text:
                draft.problem = f"matching option {text!r} is not 'prompt -> response'"
                return draft
            left, right = (part.strip() for part in text.split("->", 1))
            entry = {"prompt": left, "response": right} if left else {"text": right}
            if why:
                entry["rationale"] = why
            (pairs if left else extras).append(entry)
        data["pairs"] = pairs
        data["extra_responses"] = extras
    else:
        draft.skip = f"type {kind!r}: certprep holds single, multiple, ordering and matching questions"
        return draft
    for key in ("id",):
        if get.get(key):
            data[key] = get[key]
    for key in ("revision", "difficulty"):
        if get.get(key):
            if not get[key].isdigit():
                draft.problem = f"{key} {get[key]!r} is not a whole number"
                return draft
            data[key] = int(get[key])
    for key in ("services", "concepts"):
        if get.get(key):
            data[key] = [v.strip() for v in get[key].split(";") if v.strip()]
    if get.get("exams"):
        refs = []
        for ref in get["exams"].split(";"):
            parts = [p.strip() for p in ref.split(":")]
            if len(parts) < 2:
                draft.problem = f"exams entry {ref.strip()!r} is not EXAM:TASK"
                return draft
            refs.append({"exam": parts[0], "task": parts[1], **({"skills": parts[2:]} if parts[2:] else {})})
        data["exams"] = refs
    refs_text = get.get("references", "")
    references = []
    for line in refs_text.split("\n"):
        if line.strip():
            title, _, url = line.rpartition("|")
            references.append({"title": title.strip() or url.strip(), "url": url.strip()})
    if references:
        data["references"] = references
    case_key = get.get("case_id") or get.get("case_title")
    if case_key:
        if case_key not in cases:
            cases[case_key] = CaseDraft(
                key=case_key,
                title=get.get("case_title") or case_key,
                scenario=get.get("case_scenario", ""),
                id=get.get("case_id") or None,
                revision=int(get["case_revision"]) if get.get("case_revision", "").isdigit() else None,
            )
        draft.case = cases[case_key]
    draft.data = data
    return draft


def parse_csv(text: str) -> list[Draft]:
    """Read CSV text (with a header row) into drafts, one per row."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    drafts: list[Draft] = []
    cases: dict[str, CaseDraft] = {}
    try:
        if reader.fieldnames is None or "stem" not in [f.strip() for f in reader.fieldnames]:
            raise FormatError("the header row has no 'stem' column (see docs/interop.md for the columns)", 1)
        reader.fieldnames = [f.strip() for f in reader.fieldnames]
        start = reader.line_num + 1
        for number, row in enumerate(reader, 1):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                start = reader.line_num + 1
                continue
            name = (row.get("id") or "").strip()
            drafts.append(_row_draft(row, f"row {number} (line {start})" + (f" ({name})" if name else ""), cases))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"malformed CSV: {exc}", reader.line_num) from exc
    return drafts
