"""Markdown with checkbox lists: every type, export and import, readable on any Git host.

```
## question-id
<!-- certprep: {"id": ..., "exams": [...], "difficulty": 2} -->

The stem, any Markdown.

<!-- answers -->
- [x] A keyed option
  > why it is right
- [ ] Another option
  > why it is wrong here

References:
- [Title](https://docs.aws.amazon.com/...)
```

Ordering: a numbered list of the steps in the right order, then ``- [ ]`` items for distractor
steps. Matching: ``- prompt -> response`` items, ``- -> response`` for an extra response. A case
study is a ``# Case study: Title`` heading with the scenario under it; a ``#`` heading of any other
text ends it. The ``<!-- answers -->`` marker is optional on import (the answers are then the
trailing list); the metadata comment too (then ``--exam``/``--task`` or ``--map`` place the item).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import (
    CaseDraft,
    Draft,
    ExportResult,
    group_cases,
    meta_comment,
    question_meta,
    read_meta,
)

__all__ = ["export_markdown", "parse_markdown"]

ANSWERS = "<!-- answers -->"
CASE_PREFIX = "Case study:"


def _item(marker: str, text: str, rationale: str | None) -> list[str]:
    lines = text.split("\n")
    out = [f"{marker} {lines[0]}"] + [f"  {line}" if line else "" for line in lines[1:]]
    if rationale:
        out += [f"  > {line}".rstrip() for line in rationale.split("\n")]
    return out


def _question(q: Question, lost: list[str]) -> str | None:
    lines = [f"## {q.id}", f"<!-- {meta_comment(question_meta(q))} -->", "", q.stem.strip(), "", ANSWERS]
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        for o in q.options:
            lines += _item("- [x]" if o.correct else "- [ ]", o.text, o.rationale)
    elif q.type is QuestionType.ORDERING:
        for n, s in enumerate(q.steps, 1):
            lines += _item(f"{n}.", s.text, s.rationale)
        for s in q.distractor_steps:
            lines += _item("- [ ]", s.text, s.rationale)
    else:
        if any("->" in p.prompt for p in q.pairs):
            lost.append(f"{q.id}: a matching prompt holds '->'; left out")
            return None
        for p in q.pairs:
            lines += _item("-", f"{p.prompt} -> {p.response}", p.rationale)
        for e in q.extra_responses:
            lines += _item("-", f"-> {e.text}", e.rationale)
    if q.references:
        lines += ["", "References:"] + [f"- [{r.title}]({r.url})" for r in q.references]
    return "\n".join(lines)


def export_markdown(questions: Sequence[Question], cases: Mapping[str, CaseStudy]) -> ExportResult:
    """The questions as one Markdown file (checkbox lists for the answers)."""
    parts: list[str] = []
    lost: list[str] = []
    count = 0
    in_case = False
    for case, members in group_cases(questions, cases):
        if case is not None:
            parts.append(
                f"# {CASE_PREFIX} {case.title}\n<!-- {meta_comment({'case': case.id, 'revision': case.revision})} -->"
                f"\n\n{case.scenario.strip()}"
            )
            in_case = True
        elif in_case or not parts:
            parts.append("# Questions")
            in_case = False
        for q in members:
            block = _question(q, lost)
            if block is not None:
                parts.append(block)
                count += 1
    return ExportResult(("\n\n".join(parts) + "\n").encode("utf-8"), count, lost)


# --- import -----------------------------------------------------------------------------------

_CHECK = re.compile(r"^- \[( |x|X)\] (.*)$")
_NUMBER = re.compile(r"^(\d+)\. (.*)$")
_PAIR = re.compile(r"^- (.*?)\s*->\s*(.*)$")
_REF = re.compile(r"^- \[([^\n]{1,500})\]\((\S{1,2000})\)\s*$")


def _answer_start(lines: list[str]) -> int:
    """Index of the first line of the trailing answer list (when no marker says where)."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip() or line.startswith("  "):
            continue
        if _CHECK.match(line) or _NUMBER.match(line) or _PAIR.match(line):
            start = i
            continue
        break
    return start


def _parse_question(lines: list[str], where: str, name: str, case: CaseDraft | None) -> Draft:
    draft = Draft(where=where, name=name or None, case=case)
    meta: dict[str, Any] | None = None
    body: list[str] = []
    for line in lines:
        comment = re.fullmatch(r"\s*<!--(.*)-->\s*", line)
        if comment and meta is None and (found := read_meta(comment.group(1))) is not None:
            meta = found
            continue
        body.append(line)
    refs: list[dict[str, str]] = []
    if "References:" in body:
        at = len(body) - 1 - body[::-1].index("References:")
        for line in body[at + 1 :]:
            if ref := _REF.match(line.strip()):
                refs.append({"title": ref.group(1), "url": ref.group(2)})
        body = body[:at]
    if ANSWERS in body:
        at = body.index(ANSWERS)
        stem_lines, answer_lines = body[:at], body[at + 1 :]
    else:
        at = _answer_start(body)
        stem_lines, answer_lines = body[:at], body[at:]
    items: list[dict[str, Any]] = []  # {kind, text, correct, rationale}
    for line in answer_lines:
        if not line.strip():
            continue
        if line.startswith("  ") and items:
            content = line[2:]
            if content.startswith(">"):
                said = content[1:].removeprefix(" ")
                items[-1]["rationale"] = f"{items[-1]['rationale']}\n{said}" if items[-1]["rationale"] else said
            else:
                items[-1]["text"] += "\n" + content
        elif m := _CHECK.match(line):
            items.append({"kind": "check", "text": m.group(2), "correct": m.group(1) != " ", "rationale": None})
        elif m := _NUMBER.match(line):
            items.append({"kind": "step", "text": m.group(2), "correct": True, "rationale": None})
        elif m := _PAIR.match(line):
            items.append({"kind": "pair", "prompt": m.group(1), "text": m.group(2), "rationale": None})
        else:
            draft.problem = f"line {line!r} in the answers is not a '- [ ]', '1.' or '- prompt -> response' item"
            return draft
    stem = "\n".join(stem_lines).strip()
    kinds = {i["kind"] for i in items}
    if not items:
        draft.problem = "no answers (a '- [x]' checkbox list, a numbered list or '- prompt -> response' items)"
        return draft

    def why(item: dict[str, Any]) -> dict[str, str]:
        return {"rationale": item["rationale"]} if item["rationale"] else {}

    data: dict[str, Any] = {"stem": stem}
    if "step" in kinds and "pair" not in kinds:
        data["type"] = "ordering"
        data["steps"] = [{"text": i["text"], **why(i)} for i in items if i["kind"] == "step"]
        data["distractor_steps"] = [{"text": i["text"], **why(i)} for i in items if i["kind"] == "check"]
    elif kinds == {"pair"}:
        data["type"] = "matching"
        data["pairs"] = [{"prompt": i["prompt"], "response": i["text"], **why(i)} for i in items if i["prompt"]]
        data["extra_responses"] = [{"text": i["text"], **why(i)} for i in items if not i["prompt"]]
    elif kinds == {"check"}:
        right = sum(1 for i in items if i["correct"])
        data["type"] = "single" if right == 1 else "multiple"
        data["options"] = [{"text": i["text"], **({"correct": True} if i["correct"] else {}), **why(i)} for i in items]
    else:
        draft.problem = "the answers mix checkbox, numbered and matching items"
        return draft
    if refs:
        data["references"] = refs
    if meta:
        data.update(
            {k: v for k, v in meta.items() if k in ("id", "revision", "exams", "difficulty", "services", "concepts")}
        )
    elif re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,79}", name):
        data["id"] = name
    draft.data = data
    return draft


def parse_markdown(text: str) -> list[Draft]:
    """Read Markdown into drafts: one per ``##`` section."""
    drafts: list[Draft] = []
    case: CaseDraft | None = None
    case_lines: list[str] | None = None
    section: tuple[int, str, list[str]] | None = None
    fence = False

    def flush() -> None:
        nonlocal section
        if section is not None:
            number, name, lines = section
            drafts.append(_parse_question(lines, f"line {number}" + (f" ({name})" if name else ""), name, case))
        section = None

    def close_case() -> None:
        nonlocal case_lines
        if case is not None and case_lines is not None:
            meta: dict[str, Any] = {}
            body = []
            for line in case_lines:
                comment = re.fullmatch(r"\s*<!--(.*)-->\s*", line)
                if comment and (found := read_meta(comment.group(1))) is not None:
                    meta = found
                else:
                    body.append(line)
            case.scenario = "\n".join(body).strip()
            case.id = meta.get("case")
            case.revision = meta.get("revision")
        case_lines = None

    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence and line.startswith("# "):
            flush()
            close_case()
            title = line[2:].strip()
            if title.startswith(CASE_PREFIX):
                case = CaseDraft(key=f"line {number}", title=title[len(CASE_PREFIX) :].strip(), scenario="")
                case_lines = []
            else:
                case = None
            continue
        if not fence and line.startswith("## "):
            flush()
            close_case()
            section = (number, line[3:].strip(), [])
            continue
        if section is not None:
            section[2].append(line)
        elif case_lines is not None:
            case_lines.append(line)
    flush()
    close_case()
    return drafts
