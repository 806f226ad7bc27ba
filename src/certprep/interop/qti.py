"""QTI 2.1 export: an IMS content package (zip) of assessment items and one assessment test.

- single answer -> ``choiceInteraction`` (maxChoices 1), scored by match
- multiple response -> ``choiceInteraction`` (maxChoices 0) with a ``mapping``: each key weighs
  1/n, each other option -1/n, the score bounded to 0..1
- ordering -> ``orderInteraction`` (cardinality ordered); distractor steps are extra choices and
  ``minChoices = maxChoices = `` the number of steps, so they must be left out
- matching -> ``matchInteraction`` of directed pairs (prompt -> response); extra responses are
  responses no pair uses
- rationales and references -> a ``modalFeedback`` shown after the answer
- case studies -> an ``assessmentSection`` of the test per case study, the scenario in its
  ``rubricBlock``

Text is Markdown rendered to XHTML by markdown-it-py (raw HTML off). Exams, difficulty, services
and concepts are not written (QTI has no field for them): listed as lost. No QTI import.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt

from certprep.content.schema import CaseStudy, Question, QuestionType
from certprep.interop.common import ExportResult, group_cases

__all__ = ["NS", "export_qti", "identifier"]

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
SCHEMA = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_SCHEMA = f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _q(tag: str) -> str:
    # Elements carry plain names and the root its xmlns attributes: ElementTree cannot write a
    # default namespace together with the unqualified attributes QTI uses.
    return tag


def identifier(text: str) -> str:
    """A QTI identifier (an NCName) for an id: ids starting with a digit get a prefix."""
    return text if text[:1].isalpha() else f"q-{text}"


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable(["table", "strikethrough"])


def _html(text: str, inline: bool = False) -> list[ET.Element | str]:
    """Markdown -> XHTML nodes in the QTI namespace (leading text returned as a string)."""
    from certprep.interop.moodlexml import parse_xml

    rendered = _md().renderInline(text) if inline else _md().render(text)
    root = parse_xml(f"<div>{rendered}</div>".encode())
    for el in root.iter():
        el.tag = _q(el.tag)
        if el.tag == _q("del"):  # QTI 2.1 has no <del>: strike-through reads as plain emphasis
            el.tag = _q("em")
    out: list[ET.Element | str] = [root.text] if root.text else []
    out += list(root)
    return out


def _fill(parent: ET.Element, nodes: list[ET.Element | str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + node
            else:
                parent.text = (parent.text or "") + node
        else:
            parent.append(node)


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, _q(tag), attrs)


def _value(parent: ET.Element, text: str) -> None:
    _sub(parent, "value").text = text


def _feedback_markdown(q: Question) -> str:
    lines: list[str] = []
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        rows = [(o.text, o.rationale, o.correct) for o in q.options]
        lines += [f"- {'**Key.** ' if right else ''}{text}: {why}" for text, why, right in rows if why]
    elif q.type is QuestionType.ORDERING:
        lines += [f"{n}. {s.text}: {s.rationale}" for n, s in enumerate(q.steps, 1) if s.rationale]
        lines += [f"- Not a step: {s.text}: {s.rationale}" for s in q.distractor_steps if s.rationale]
    else:
        lines += [f"- {p.prompt} -> {p.response}: {p.rationale}" for p in q.pairs if p.rationale]
        lines += [f"- {e.text}: {e.rationale}" for e in q.extra_responses if e.rationale]
    if q.references:
        lines += ["", "References:", ""] + [f"- [{r.title}]({r.url})" for r in q.references]
    return "\n".join(lines).strip()


def _item(q: Question) -> ET.Element:
    item = ET.Element(
        _q("assessmentItem"),
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": SCHEMA,
            "identifier": identifier(q.id),
            "title": q.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    cardinality, base = {
        QuestionType.SINGLE: ("single", "identifier"),
        QuestionType.MULTIPLE: ("multiple", "identifier"),
        QuestionType.ORDERING: ("ordered", "identifier"),
        QuestionType.MATCHING: ("multiple", "directedPair"),
    }[q.type]
    decl = _sub(item, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base)
    correct = _sub(decl, "correctResponse")
    body = ET.Element(_q("itemBody"))
    stem = ET.SubElement(body, _q("div"))
    _fill(stem, _html(q.stem))
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        single = q.type is QuestionType.SINGLE
        for i in q.correct_indexes:
            _value(correct, f"C{i + 1}")
        if not single:
            n = len(q.correct_indexes)
            mapping = _sub(decl, "mapping", lowerBound="0", upperBound="1", defaultValue="0")
            for i, o in enumerate(q.options):
                _sub(mapping, "mapEntry", mapKey=f"C{i + 1}", mappedValue=f"{(1 if o.correct else -1) / n:.5f}")
        interaction = _sub(
            body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true", maxChoices="1" if single else "0"
        )
        for i, o in enumerate(q.options):
            _fill(_sub(interaction, "simpleChoice", identifier=f"C{i + 1}"), _html(o.text, inline=True))
    elif q.type is QuestionType.ORDERING:
        steps = [*q.steps, *q.distractor_steps]
        for i in range(len(q.steps)):
            _value(correct, f"S{i + 1}")
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "true"}
        if q.distractor_steps:
            attrs |= {"minChoices": str(len(q.steps)), "maxChoices": str(len(q.steps))}
        interaction = _sub(body, "orderInteraction", **attrs)
        for i, s in enumerate(steps):
            _fill(_sub(interaction, "simpleChoice", identifier=f"S{i + 1}"), _html(s.text, inline=True))
    else:
        responses = list(q.responses)
        for i, p in enumerate(q.pairs):
            _value(correct, f"P{i + 1} R{responses.index(p.response) + 1}")
        interaction = _sub(
            body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true", maxAssociations=str(len(q.pairs))
        )
        prompts = _sub(interaction, "simpleMatchSet")
        for i, p in enumerate(q.pairs):
            choice = _sub(prompts, "simpleAssociableChoice", identifier=f"P{i + 1}", matchMax="1")
            _fill(choice, _html(p.prompt, inline=True))
        targets = _sub(interaction, "simpleMatchSet")
        for i, r in enumerate(responses):
            choice = _sub(targets, "simpleAssociableChoice", identifier=f"R{i + 1}", matchMax=str(len(q.pairs)))
            _fill(choice, _html(r, inline=True))
    score = _sub(item, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    _value(_sub(score, "defaultValue"), "0")
    _sub(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="single", baseType="identifier")
    item.append(body)
    rp = _sub(item, "responseProcessing")
    if q.type is QuestionType.MULTIPLE:
        _sub(_sub(rp, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    else:
        cond = _sub(rp, "responseCondition")
        if_ = _sub(cond, "responseIf")
        match = _sub(if_, "match")
        _sub(match, "variable", identifier="RESPONSE")
        _sub(match, "correct", identifier="RESPONSE")
        _sub(_sub(if_, "setOutcomeValue", identifier="SCORE"), "baseValue", baseType="float").text = "1"
        else_ = _sub(cond, "responseElse")
        _sub(_sub(else_, "setOutcomeValue", identifier="SCORE"), "baseValue", baseType="float").text = "0"
    feedback = _feedback_markdown(q)
    if feedback:
        _sub(_sub(rp, "setOutcomeValue", identifier="FEEDBACK"), "baseValue", baseType="identifier").text = "EXPLAIN"
        modal = _sub(item, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="show", identifier="EXPLAIN")
        _fill(modal, _html(feedback))
    return item


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _test(groups: list[tuple[CaseStudy | None, list[Question]]]) -> ET.Element:
    test = ET.Element(
        _q("assessmentTest"),
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": SCHEMA,
            "identifier": "certprep-test",
            "title": "certprep",
        },
    )
    part = _sub(test, "testPart", identifier="part-1", navigationMode="nonlinear", submissionMode="individual")
    loose = None
    for n, (case, members) in enumerate(groups, 1):
        if case is None:
            if loose is None:
                loose = _sub(part, "assessmentSection", identifier="questions", title="Questions", visible="true")
            section = loose
        else:
            section = _sub(part, "assessmentSection", identifier=f"case-{n}-{identifier(case.id)}", title=case.title,
                           visible="true")  # fmt: skip
            rubric = _sub(section, "rubricBlock", view="candidate")
            _fill(rubric, _html(case.scenario))
        for q in members:
            _sub(section, "assessmentItemRef", identifier=identifier(q.id), href=f"items/{q.id}.xml")
    return test


def export_qti(questions: Sequence[Question], cases: Mapping[str, CaseStudy]) -> ExportResult:
    """A QTI 2.1 content package (zip bytes): one item per question, and a test."""
    groups = list(group_cases(questions, cases))
    manifest = ET.Element(
        "manifest", {"xmlns": CP, "xmlns:xsi": XSI, "identifier": "certprep-export", "xsi:schemaLocation": CP_SCHEMA}
    )
    meta = ET.SubElement(manifest, "metadata")
    ET.SubElement(meta, "schema").text = "QTIv2.1 Package"
    ET.SubElement(meta, "schemaversion").text = "1.0.0"
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:

        def write(name: str, data: bytes) -> None:
            zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)

        test_res = None
        for _case, members in groups:
            for q in members:
                href = f"items/{q.id}.xml"
                write(href, _xml(_item(q)))
                res = ET.SubElement(
                    resources,
                    "resource",
                    {"identifier": f"res-{identifier(q.id)}", "type": "imsqti_item_xmlv2p1", "href": href},
                )
                ET.SubElement(res, "file", {"href": href})
        write("test.xml", _xml(_test(groups)))
        test_res = ET.SubElement(
            resources, "resource", {"identifier": "res-test", "type": "imsqti_test_xmlv2p1", "href": "test.xml"}
        )
        ET.SubElement(test_res, "file", {"href": "test.xml"})
        for _case, members in groups:
            for q in members:
                ET.SubElement(test_res, "dependency", {"identifierref": f"res-{identifier(q.id)}"})
        write("imsmanifest.xml", _xml(manifest))
    lost = [] if not questions else ["exams, difficulty, services and concepts of every question (QTI has no field)"]
    return ExportResult(buffer.getvalue(), len(questions), lost)
