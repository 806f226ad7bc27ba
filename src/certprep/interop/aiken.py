"""Aiken (Moodle's simplest text format): single-answer questions, export and import.

A question is its text on one line, options ``A. ...`` one a line, then ``ANSWER: B``. Aiken has no
title, feedback, tags or other types: multiple response, ordering and matching questions, and
every rationale and reference, are listed as lost; line breaks inside a text become spaces.
An import takes ``ANSWER: A, C`` as a multiple-response key (an extension Moodle does not read).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import Draft, ExportResult

__all__ = ["export_aiken", "parse_aiken"]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def export_aiken(questions: Sequence[Question], cases: Mapping[str, CaseStudy]) -> ExportResult:
    """The single-answer questions as an Aiken file; everything else is listed as lost."""
    blocks: list[str] = []
    lost: list[str] = []
    for q in questions:
        if q.type is not QuestionType.SINGLE:
            lost.append(f"{q.id}: {q.type.value} question (Aiken holds single-answer questions only); left out")
            continue
        lines = [_line(q.stem)]
        lines += [f"{LETTERS[i]}. {_line(o.text)}" for i, o in enumerate(q.options)]
        lines.append(f"ANSWER: {LETTERS[q.correct_indexes[0]]}")
        blocks.append("\n".join(lines))
        dropped = []
        if any(o.rationale for o in q.options):
            dropped.append("rationales")
        if q.references:
            dropped.append("references")
        if q.case_id:
            dropped.append(f"its case study {q.case_id}")
        if "\n" in q.stem.strip() or any("\n" in o.text for o in q.options):
            dropped.append("line breaks")
        if dropped:
            lost.append(f"{q.id}: {', '.join(dropped)} (Aiken has no place for them)")
    return ExportResult(("\n\n".join(blocks) + "\n").encode("utf-8"), len(blocks), lost)


_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)


def parse_aiken(text: str) -> list[Draft]:
    """Read Aiken text into drafts; a malformed question is reported with its line."""
    drafts: list[Draft] = []
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    first = 0

    def reset() -> None:
        nonlocal stem, options
        stem, options = [], []

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer:
            where = f"line {first or number}"
            draft = Draft(where=where, name=None)
            letters = [x.strip().upper() for x in answer.group(1).split(",") if x.strip()]
            known = [letter for letter, _ in options]
            if not stem or not options:
                draft.problem = f"ANSWER on line {number} with no question or options before it"
            elif not letters or any(x not in known for x in letters):
                draft.problem = f"ANSWER on line {number} names {answer.group(1)!r}, not one of {', '.join(known)}"
            else:
                draft.data = {
                    "type": "single" if len(letters) == 1 else "multiple",
                    "stem": " ".join(stem),
                    "options": [
                        {"text": t, "correct": True} if letter in letters else {"text": t} for letter, t in options
                    ],
                }
            drafts.append(draft)
            reset()
            first = 0
        elif option and stem:
            options.append((option.group(1), option.group(2)))
        elif options:
            drafts.append(Draft(where=f"line {first}", problem=f"line {number}: expected an option or ANSWER: line"))
            reset()
            first = number
            stem.append(line)
        else:
            first = first or number
            stem.append(line)
    if stem or options:
        drafts.append(Draft(where=f"line {first}", problem="the question has no ANSWER: line"))
    return drafts
