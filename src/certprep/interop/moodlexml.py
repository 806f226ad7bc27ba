"""Moodle XML: export and import, field by field as Moodle's own XML format writes and reads them.

Single answer -> ``multichoice`` with ``<single>true</single>``; multiple response ->
``multichoice`` with ``<single>false</single>`` and weighted fractions (50 / 33.33333 for each key,
-100 otherwise); matching -> ``matching`` with ``<subquestion>`` (an extra response is a
subquestion with empty text); ordering -> ``ordering`` (Moodle's ordering type: answers in the
right order, ``fraction`` 1..n); a True/False single answer -> ``truefalse``. Text is written
with ``format="markdown"``. Rationales -> answer ``<feedback>`` (matching: numbered in
``<generalfeedback>``), references -> ``<generalfeedback>``.
``<idnumber>`` carries the id; tags ``certprep:exam:CODE:TASK``, ``certprep:difficulty:N``,
``certprep:revision:N``, ``certprep:service:...``, ``certprep:concept:...`` the rest. A case study
is a ``category`` question followed by a ``description`` (the scenario). Every parse goes through
defusedxml with DTDs forbidden: XML bombs and external entities are refused. docs/interop.md.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import (
    TRUE_FALSE_SKIP,
    CaseDraft,
    Draft,
    ExportResult,
    FormatError,
    MediaKeeper,
    general_feedback,
    group_cases,
    html_to_markdown,
    keep_general_feedback,
    parse_feedback,
    true_false_data,
)

__all__ = ["export_moodle_xml", "parse_moodle_xml", "parse_xml"]

ROOT_CATEGORY = "$course$/top/certprep"
_FRACTION = {2: "50", 3: "33.33333"}


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _common(q: Question, qtype: str, feedback: str) -> ET.Element:
    el = ET.Element("question", {"type": qtype})
    name = ET.SubElement(el, "name")
    ET.SubElement(name, "text").text = q.id
    _text(el, "questiontext", q.stem.strip())
    _text(el, "generalfeedback", feedback)
    _simple(el, "defaultgrade", "1")
    _simple(el, "penalty", "0.3333333")
    _simple(el, "hidden", "0")
    _simple(el, "idnumber", q.id)
    return el


def _combined_feedback(el: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(el, tag, "")
    ET.SubElement(el, "shownumcorrect")


def _tags(el: ET.Element, q: Question) -> None:
    tags = ET.SubElement(el, "tags")
    values = [f"certprep:exam:{r.exam}:{r.task}" for r in q.exams]
    values += [f"certprep:skill:{r.exam}:{s}" for r in q.exams for s in r.skills]
    values += [f"certprep:difficulty:{q.difficulty}", f"certprep:revision:{q.revision}"]
    values += [f"certprep:service:{s}" for s in q.services] + [f"certprep:concept:{c}" for c in q.concepts]
    for value in values:
        tag = ET.SubElement(tags, "tag")
        ET.SubElement(tag, "text").text = value


def _answer(parent: ET.Element, fraction: str, text: str, rationale: str | None) -> None:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction, "format": "markdown"})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", rationale or "")


def _question(q: Question, lost: list[str]) -> ET.Element:
    if q.is_true_false:
        # Moodle's own true/false type: answers "true" and "false", each with its feedback.
        el = _common(q, "truefalse", general_feedback([], q))
        for o in q.options:
            answer = ET.SubElement(
                el, "answer", {"fraction": "100" if o.correct else "0", "format": "moodle_auto_format"}
            )
            ET.SubElement(answer, "text").text = o.text.lower()
            _text(answer, "feedback", o.rationale or "")
    elif q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        el = _common(q, "multichoice", general_feedback([], q))
        single = q.type is QuestionType.SINGLE
        _simple(el, "single", "true" if single else "false")
        _simple(el, "shuffleanswers", "true")
        _simple(el, "answernumbering", "abc")
        _simple(el, "showstandardinstruction", "0")
        _combined_feedback(el)
        right = _FRACTION.get(len(q.correct_indexes), "100") if not single else "100"
        for o in q.options:
            _answer(el, right if o.correct else ("0" if single else "-100"), o.text, o.rationale)
    elif q.type is QuestionType.MATCHING:
        rationales = [p.rationale for p in q.pairs] + [e.rationale for e in q.extra_responses]
        el = _common(q, "matching", general_feedback(rationales, q))
        _simple(el, "shuffleanswers", "true")
        _combined_feedback(el)
        for prompt, response in [(p.prompt, p.response) for p in q.pairs] + [("", e.text) for e in q.extra_responses]:
            sub = _text(el, "subquestion", prompt)
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = response
    else:
        el = _common(q, "ordering", general_feedback([], q))
        for tag, value in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ):
            _simple(el, tag, value)
        _combined_feedback(el)
        for n, step in enumerate(q.steps, 1):
            _answer(el, str(n), step.text, step.rationale)
        if q.distractor_steps:
            lost.append(f"{q.id}: {len(q.distractor_steps)} distractor step(s) (Moodle's ordering type has none)")
    _tags(el, q)
    return el


def _category(quiz: ET.Element, path: str, info: str = "") -> None:
    el = ET.SubElement(quiz, "question", {"type": "category"})
    cat = ET.SubElement(el, "category")
    ET.SubElement(cat, "text").text = path
    _text(el, "info", info)


_MEDIA_REF = re.compile(r"\]\(media/([^)\s]+)\)")


def _embed_media(el: ET.Element, media: Mapping[str, bytes], lost: list[str], item_id: str) -> None:
    """The pack's images a question's texts show, as Moodle embeds them: the text names
    ``@@PLUGINFILE@@/<name>`` and the element holds ``<file name encoding="base64">``."""
    for holder in el.iter():
        text_el = holder.find("text")
        if text_el is None or not text_el.text or "](media/" not in text_el.text:
            continue
        names = list(dict.fromkeys(_MEDIA_REF.findall(text_el.text)))
        for name in names:
            if name not in media:
                lost.append(f"{item_id}: image media/{name} is not in the pack; the reference is kept")
                continue
            text_el.text = text_el.text.replace(f"](media/{name})", f"](@@PLUGINFILE@@/{name})")
            file = ET.SubElement(holder, "file", {"name": name, "path": "/", "encoding": "base64"})
            file.text = base64.b64encode(media[name]).decode("ascii")


def export_moodle_xml(
    questions: Sequence[Question], cases: Mapping[str, CaseStudy], media: Mapping[str, bytes] | None = None
) -> ExportResult:
    """The questions as a Moodle XML file; returns it with the list of what could not be written.
    ``media``: the bytes of the pack's images the questions show (embedded as Moodle does)."""
    quiz = ET.Element("quiz")
    lost: list[str] = []
    count = 0
    _category(quiz, ROOT_CATEGORY)
    for case, members in group_cases(questions, cases):
        if case is not None:
            _category(quiz, f"{ROOT_CATEGORY}/{case.id}", case.title)
            desc = ET.SubElement(quiz, "question", {"type": "description"})
            name = ET.SubElement(desc, "name")
            ET.SubElement(name, "text").text = case.title
            _text(desc, "questiontext", case.scenario.strip())
            _embed_media(desc, media or {}, lost, case.id)
            _text(desc, "generalfeedback", "")
            _simple(desc, "defaultgrade", "0")
            _simple(desc, "penalty", "0")
            _simple(desc, "hidden", "0")
            _simple(desc, "idnumber", case.id)
            tags = ET.SubElement(desc, "tags")
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = f"certprep:revision:{case.revision}"
        for q in members:
            el = _question(q, lost)
            _embed_media(el, media or {}, lost, q.id)
            quiz.append(el)
            count += 1
        if case is not None:
            _category(quiz, ROOT_CATEGORY)
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode")
    return ExportResult(('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8"), count, lost)


# --- import -----------------------------------------------------------------------------------


def parse_xml(data: bytes, file: str | None = None) -> ET.Element:
    """Parse untrusted XML: no DTD (so no entity expansion, no external entity), clear errors."""
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True)
        return root
    except defusedxml.DTDForbidden as exc:
        raise FormatError("a DTD is refused (XML bombs and external entities are not read)", 1, file) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise FormatError("entity declarations are refused (XML bombs, external entities)", 1, file) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise FormatError(f"malformed XML ({reason}) at column {column + 1}", line, file) from None


class _Reader:
    """Reads an item's texts; its embedded images are kept as files of the pack (``MediaKeeper``)."""

    def __init__(self) -> None:
        self.media = MediaKeeper()

    def text(self, el: ET.Element | None) -> str:
        if el is None:
            return ""
        fmt = el.get("format", "html")
        raw = el.findtext("text") or ""
        for f in el.findall("file"):
            self.media.embed((f.get("name") or "file").rsplit("/", 1)[-1], f.text or "")
        if fmt in ("markdown", "plain_text"):
            return self.media.markdown(raw.strip())
        text, _refused = html_to_markdown(raw, self.media.resolve)
        return text


_SKIP = {
    "shortanswer": "a short-answer question: certprep has no free-text answers",
    "essay": "an essay question: certprep has no free-text answers",
    "numerical": "a numerical question: certprep has no numeric answers",
    "multianswer": "an embedded-answers (cloze) question: certprep has no such type",
    "calculated": "a calculated question: certprep has no numeric answers",
    "calculatedsimple": "a calculated question: certprep has no numeric answers",
    "calculatedmulti": "a calculated question: certprep has no such type",
    "ddwtos": "a drag-and-drop into text question: certprep has no such type",
    "gapselect": "a select-missing-words question: certprep has no such type",
    "random": "a random question placeholder: it holds no question",
}


def _read_tags(el: ET.Element) -> tuple[dict[str, Any], tuple[str, ...]]:
    meta: dict[str, Any] = {}
    others: list[str] = []
    for tag in el.findall("tags/tag/text"):
        value = (tag.text or "").strip()
        parts = value.split(":")
        if parts[0].lower() != "certprep" or len(parts) < 3:
            others.append(value)
            continue
        kind = parts[1].lower()
        if kind == "exam" and len(parts) == 4:
            meta.setdefault("exams", []).append({"exam": parts[2].upper(), "task": parts[3]})
        elif kind == "skill" and len(parts) == 4:
            for ref in meta.get("exams", []):
                if ref["exam"] == parts[2].upper():
                    ref.setdefault("skills", []).append(parts[3])
        elif kind in ("difficulty", "revision") and parts[2].isdigit():
            meta[kind] = int(parts[2])
        elif kind in ("service", "concept"):
            meta.setdefault(f"{kind}s", []).append(":".join(parts[2:]))
        else:
            others.append(value)
    return meta, tuple(others)


def _draft(el: ET.Element, index: int, category: str | None, case: CaseDraft | None) -> Draft:
    qtype = el.get("type", "")
    name = (el.findtext("name/text") or "").strip() or None
    where = f"question {index}" + (f" ({name})" if name else "")
    draft = Draft(where=where, name=name, category=category, case=case)
    if qtype in _SKIP or qtype not in ("multichoice", "matching", "ordering", "truefalse"):
        draft.skip = _SKIP.get(qtype, f"a {qtype or 'untyped'} question: certprep has no such type")
        return draft
    read = _Reader()
    meta, draft.tags = _read_tags(el)
    data: dict[str, Any] = {"stem": read.text(el.find("questiontext"))}
    rationales, refs, rest = parse_feedback(read.text(el.find("generalfeedback")))
    if refs:
        data["references"] = refs
    if qtype == "truefalse":
        # Moodle's answers "true" and "false"; the one with a positive fraction is the key, and each
        # answer's feedback (shown when it is chosen) becomes that option's rationale.
        truth: dict[str, tuple[bool, str]] = {}
        for answer in el.findall("answer"):
            value = (answer.findtext("text") or "").strip().lower()
            try:
                correct = float(answer.get("fraction", "0")) > 0
            except ValueError:
                correct = False
            truth[value] = (correct, read.text(answer.find("feedback")))
        draft.true_false = True
        draft.skip = TRUE_FALSE_SKIP
        if set(truth) != {"true", "false"} or truth["true"][0] == truth["false"][0]:
            draft.problem = "a true/false question needs the answers 'true' and 'false', one of them right"
            return draft
        data.update(true_false_data(truth["true"][0], truth["true"][1], truth["false"][1]))
    elif qtype == "multichoice":
        options = []
        for answer in el.findall("answer"):
            try:
                correct = float(answer.get("fraction", "0")) > 0
            except ValueError:
                correct = False
            option: dict[str, Any] = {"text": read.text(answer)}
            if correct:
                option["correct"] = True
            if why := read.text(answer.find("feedback")):
                option["rationale"] = why
            options.append(option)
        single = (el.findtext("single") or "true").strip().lower() in ("true", "1")
        data["type"] = "single" if single and sum(1 for o in options if o.get("correct")) == 1 else "multiple"
        data["options"] = options
    elif qtype == "matching":
        pairs: list[dict[str, Any]] = []
        extras: list[dict[str, Any]] = []
        for sub in el.findall("subquestion"):
            prompt = read.text(sub)
            response = (sub.findtext("answer/text") or "").strip()
            if prompt:
                pairs.append({"prompt": prompt, "response": response})
            else:
                extras.append({"text": response})
        for target, said in zip(pairs + extras, rationales, strict=False):
            if said:
                target["rationale"] = said
        data["type"] = "matching"
        data["pairs"] = pairs
        if extras:
            data["extra_responses"] = extras
    else:
        answers = el.findall("answer")

        def position(a: ET.Element) -> float:
            try:
                return float(a.get("fraction", "0"))
            except ValueError:
                return 0.0

        steps = []
        for answer in sorted(answers, key=position):
            step: dict[str, Any] = {"text": read.text(answer)}
            if why := read.text(answer.find("feedback")):
                step["rationale"] = why
            steps.append(step)
        data["type"] = "ordering"
        data["steps"] = steps
    idnumber = (el.findtext("idnumber") or "").strip()
    if idnumber:
        data["id"] = idnumber
    data.update(meta)
    keep_general_feedback(data, rest)
    draft.problem = draft.problem or read.media.problem()
    draft.media = read.media.kept
    draft.data = data
    return draft


def parse_moodle_xml(data: bytes, file: str | None = None) -> list[Draft]:
    """Read a Moodle XML file into drafts (unsupported kinds marked skipped with the reason)."""
    root = parse_xml(data, file)
    if root.tag != "quiz":
        raise FormatError(f"the root element is <{root.tag}>, not <quiz>: not a Moodle XML file", 1, file)
    drafts: list[Draft] = []
    category: str | None = None
    case: CaseDraft | None = None
    opens_category = False  # only a description that opens its category is a case study's scenario
    for index, el in enumerate(root.findall("question"), 1):
        qtype = el.get("type", "")
        first, opens_category = opens_category, False
        if qtype == "category":
            category = re.sub(r"\s+", " ", el.findtext("category/text") or "").strip() or None
            case = None
            opens_category = True
            continue
        if qtype == "description" and not first:
            name = (el.findtext("name/text") or "").strip()
            drafts.append(Draft(where=f"question {index} ({name})", name=name, skip="a description (no answers)"))
            continue
        if qtype == "description":
            read = _Reader()
            name = (el.findtext("name/text") or "").strip()
            meta, _ = _read_tags(el)
            case = CaseDraft(
                key=f"{category}@{index}",
                title=name or (category or "case study").rsplit("/", 1)[-1],
                scenario=read.text(el.find("questiontext")),
                id=(el.findtext("idnumber") or "").strip() or None,
                revision=meta.get("revision"),
            )
            continue
        drafts.append(_draft(el, index, category, case))
    return drafts
