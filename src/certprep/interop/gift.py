"""GIFT (Moodle's plain-text question format): export and import.

Export writes ``[markdown]`` questions, one per block, each preceded by a ``// certprep: {...}``
comment that carries what GIFT has no field for (id, revision, exams, difficulty, services,
concepts); Moodle ignores comments, certprep reads them back. Single answer -> ``=`` and ``~``
(True/False -> ``{TRUE#...#...}``); multiple response -> ``~%50%`` weights; matching ->
``=prompt -> response`` (an extra response is ``= -> text``); rationales -> per-answer feedback
``#...`` (for matching: numbered in the general feedback ``####``), references -> the general
feedback. A case study is a ``$CATEGORY`` whose first item is a description (the scenario).
Ordering questions cannot be written (GIFT has no ordering type) and are listed as lost.
docs/interop.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import (
    TRUE_FALSE_SKIP,
    CaseDraft,
    Draft,
    ExportResult,
    MediaKeeper,
    general_feedback,
    group_cases,
    html_to_markdown,
    keep_general_feedback,
    meta_comment,
    parse_feedback,
    question_meta,
    read_meta,
    true_false_data,
)

__all__ = ["export_gift", "parse_gift"]

_SPECIAL = "~=#{}:"
ROOT_CATEGORY = "$course$/top/certprep"


def _esc(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _weight(n: int) -> str:
    return "50" if n == 2 else "33.33333"


def _question(q: Question, lost: list[str]) -> str | None:
    lines = [f"// {meta_comment(question_meta(q))}"]
    head = f"::{q.id}::[markdown]{_esc(q.stem.strip())}{{"
    answers: list[str] = []
    rationales: list[str | None] = []
    if q.is_true_false:
        # GIFT's own true/false type: {TRUE#feedback for a wrong answer#feedback for the right one}.
        key, other = (q.options[0], q.options[1]) if q.options[0].correct else (q.options[1], q.options[0])
        answers.append(
            ("TRUE" if key is q.options[0] else "FALSE") + f"#{_esc(other.rationale or '')}#{_esc(key.rationale or '')}"
        )
    elif q.type is QuestionType.SINGLE:
        for o in q.options:
            answers.append(
                ("=" if o.correct else "~") + _esc(o.text) + (f"#{_esc(o.rationale)}" if o.rationale else "")
            )
    elif q.type is QuestionType.MULTIPLE:
        w = _weight(len(q.correct_indexes))
        for o in q.options:
            mark = f"~%{w}%" if o.correct else "~%-100%"
            answers.append(mark + _esc(o.text) + (f"#{_esc(o.rationale)}" if o.rationale else ""))
    elif q.type is QuestionType.MATCHING:
        if any("->" in p.prompt or "->" in p.response for p in q.pairs) or any(
            "->" in e.text for e in q.extra_responses
        ):
            lost.append(f"{q.id}: a matching text holds '->', which GIFT cannot escape; question left out")
            return None
        answers += [f"={_esc(p.prompt)} -> {_esc(p.response)}" for p in q.pairs]
        answers += [f"= -> {_esc(e.text)}" for e in q.extra_responses]
        rationales = [p.rationale for p in q.pairs] + [e.rationale for e in q.extra_responses]
    else:
        lost.append(f"{q.id}: ordering question (GIFT has no ordering type); left out")
        return None
    feedback = general_feedback(rationales, q)
    if feedback:
        answers.append(f"####{_esc(feedback)}")
    lines.append(head)
    lines += [f"\t{a}" for a in answers]
    lines.append("}")
    return "\n".join(lines)


def export_gift(questions: Sequence[Question], cases: Mapping[str, CaseStudy]) -> ExportResult:
    """The questions as a GIFT file; returns it with the list of what could not be written."""
    blocks = [f"$CATEGORY: {ROOT_CATEGORY}"]
    lost: list[str] = []
    count = 0
    for case, members in group_cases(questions, cases):
        if case is not None:
            blocks.append(f"$CATEGORY: {ROOT_CATEGORY}/{case.id}")
            meta = meta_comment({"case": case.id, "revision": case.revision})
            blocks.append(f"// {meta}\n::{_esc(case.title)}::[markdown]{_esc(case.scenario.strip())}")
        for q in members:
            block = _question(q, lost)
            if block is not None:
                blocks.append(block)
                count += 1
        if case is not None:
            blocks.append(f"$CATEGORY: {ROOT_CATEGORY}")
    return ExportResult(("\n\n".join(blocks) + "\n").encode("utf-8"), count, lost)


# --- import -----------------------------------------------------------------------------------


def _unescaped(text: str, chars: str, start: int = 0) -> list[int]:
    """Positions of the characters of ``chars`` in ``text`` that no backslash escapes."""
    out = []
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in chars:
            out.append(i)
        i += 1
    return out


def _find(text: str, needle: str, start: int = 0) -> int:
    i = start
    while i <= len(text) - len(needle):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1


def _unesc(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class _Text:
    """Turns GIFT text of a given format into Markdown, collecting embedded images."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.media = MediaKeeper()

    def __call__(self, raw: str) -> str:
        text = _unesc(re.sub(r"[ \t]*\n[ \t]*", " ", raw)).strip()
        if self.fmt in ("html", "moodle"):
            text, _refused = html_to_markdown(text, self.media.resolve)
        else:
            text = self.media.markdown(text)
        return text


def _blocks(text: str) -> list[tuple[int, list[str], dict[str, Any] | None, str | None]]:
    """(first line, lines, metadata comment, category) of each question block."""
    out: list[tuple[int, list[str], dict[str, Any] | None, str | None]] = []
    category: str | None = None
    current: list[str] = []
    first = 0
    meta: dict[str, Any] | None = None
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not current and stripped.startswith("//"):
            meta = read_meta(stripped[2:]) or meta
            continue
        if current and stripped.startswith("//") and depth == 0:
            continue
        if not current and stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:") :].strip()
            meta = None
            continue
        if not stripped and depth == 0:
            if current:
                out.append((first, current, meta, category))
                current, meta = [], None
            continue
        if not current:
            first = number
        current.append(line)
        for pos in _unescaped(line, "{}"):
            depth = max(0, depth + (1 if line[pos] == "{" else -1))
    if current:
        out.append((first, current, meta, category))
    return out


def _answers(body: str) -> list[tuple[str, str]]:
    marks = _unescaped(body, "=~")
    return [(body[m], body[m + 1 : (marks[i + 1] if i + 1 < len(marks) else len(body))]) for i, m in enumerate(marks)]


_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")


def _parse_block(first: int, lines: list[str], meta: dict[str, Any] | None, case: CaseDraft | None) -> Draft:
    raw = "\n".join(lines).strip()
    name: str | None = None
    if raw.startswith("::"):
        end = _find(raw, "::", 2)
        if end != -1:
            name = _unesc(raw[2:end]).strip()
            raw = raw[end + 2 :].lstrip()
    where = f"line {first}" + (f" ({name})" if name else "")
    draft = Draft(where=where, name=name, case=case)
    fmt = "moodle"
    m = re.match(r"\[(html|moodle|plain|markdown)\]", raw)
    if m:
        fmt, raw = m.group(1), raw[m.end() :]
    text = _Text(fmt)
    brace = _find(raw, "{")
    if brace == -1:
        draft.skip = "a description (text with no answers)"
        return draft
    close = _find(raw, "}", brace + 1)
    if close == -1:
        draft.problem = "no closing '}' for the answers"
        return draft
    stem_raw, body, after = raw[:brace], raw[brace + 1 : close], raw[close + 1 :].strip()
    if after:
        draft.skip = "a missing-word question (answers inside the text): certprep has no such type"
        return draft
    general = ""
    cut = _find(body, "####")
    if cut != -1:
        body, general = body[:cut], text(body[cut + 4 :])
    stripped = body.strip()
    if not stripped:
        draft.skip = "an essay question: certprep has no free-text answers"
        return draft
    if stripped.startswith("#"):
        draft.skip = "a numerical question: certprep has no numeric answers"
        return draft
    true_false = re.fullmatch(r"(T|F|TRUE|FALSE)(\s*#.*)?", stripped, flags=re.DOTALL)
    items = [] if true_false else _answers(body)
    if not items and not true_false:
        draft.problem = "no answers between '{' and '}'"
        return draft
    rationales, refs, rest = parse_feedback(general)
    data: dict[str, Any] = {"stem": text(stem_raw)}
    if refs:
        data["references"] = refs
    if true_false:
        # {TRUE#shown for a wrong answer#shown for the right one}: each becomes the rationale of
        # the option that shows it.
        key = stripped.split("#", 1)[0].strip().upper().startswith("T")
        marks = _unescaped(stripped, "#")
        notes = [
            text(stripped[m + 1 : (marks[i + 1] if i + 1 < len(marks) else len(stripped))]) for i, m in enumerate(marks)
        ]
        wrong, right = [*notes, "", ""][:2]
        data.update(true_false_data(key, *((right, wrong) if key else (wrong, right))))
        draft.true_false = True
        draft.skip = TRUE_FALSE_SKIP
    elif all(mark == "=" and "->" in content for mark, content in items):
        data["type"] = QuestionType.MATCHING.value
        pairs: list[dict[str, Any]] = []
        extras: list[dict[str, Any]] = []
        for _mark, content in items:
            left, right = content.split("->", 1)
            feedback = _find(right, "#")
            if feedback != -1:
                right = right[:feedback]
            if left.strip():
                pairs.append({"prompt": text(left), "response": text(right)})
            else:
                extras.append({"text": text(right)})
        for target, said in zip(pairs + extras, rationales, strict=False):
            if said:
                target["rationale"] = said
        data["pairs"] = pairs
        if extras:
            data["extra_responses"] = extras
    elif all(mark == "=" for mark, _ in items):
        draft.skip = "a short-answer question: certprep has no free-text answers"
        return draft
    else:
        options = []
        for mark, content in items:
            weight = _WEIGHT.match(content)
            if weight:
                content = content[weight.end() :]
            correct = float(weight.group(1)) > 0 if weight else mark == "="
            feedback = _find(content, "#")
            option: dict[str, Any] = {"text": text(content if feedback == -1 else content[:feedback])}
            if correct:
                option["correct"] = True
            if feedback != -1 and (reason := text(content[feedback + 1 :])):
                option["rationale"] = reason
            options.append(option)
        keyed = sum(1 for o in options if o.get("correct"))
        data["type"] = QuestionType.SINGLE.value if keyed == 1 else QuestionType.MULTIPLE.value
        data["options"] = options
    if meta:
        data.update({k: v for k, v in meta.items() if k in _META_KEYS})
    keep_general_feedback(data, rest)
    draft.problem = draft.problem or text.media.problem()
    draft.media = text.media.kept
    draft.data = data
    return draft


_META_KEYS = {"id", "revision", "exams", "difficulty", "services", "concepts"}


def parse_gift(text: str) -> list[Draft]:
    """Read GIFT text into drafts (one per question block; unsupported kinds marked skipped)."""
    drafts: list[Draft] = []
    case: CaseDraft | None = None
    case_category: str | None = None
    previous: str | None = None
    for first, lines, meta, category in _blocks(text):
        if case is not None and category != case_category:
            case = None
        opens_category, previous = category != previous, category
        draft = _parse_block(first, lines, meta, case)
        if draft.skip and draft.skip.startswith("a description") and opens_category and category:
            # A description opening a category: the scenario of a case study.
            raw = "\n".join(lines).strip()
            body = raw[_find(raw, "::", 2) + 2 :] if raw.startswith("::") else raw
            fmt = re.match(r"\[(html|moodle|plain|markdown)\]", body.lstrip())
            body = body.lstrip()[fmt.end() :] if fmt else body
            fmt_text = _Text(fmt.group(1) if fmt else "moodle")
            case = CaseDraft(
                key=f"{category}@{first}",
                title=draft.name or category.rsplit("/", 1)[-1],
                scenario=fmt_text(body),
                id=(meta or {}).get("case"),
                revision=(meta or {}).get("revision"),
            )
            case_category = category
            continue
        draft.category = category
        drafts.append(draft)
    return drafts
