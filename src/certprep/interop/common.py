"""What every import and export format shares: drafts, reports, safe reading, HTML to Markdown.

A parser turns a file into ``Draft`` items: certprep's own fields (the YAML shape of
docs/content-format.md) plus where the item came from, its category and tags. ``certprep.interop.build``
then gives each draft its exams, id and defaults and validates it, item by item.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nh3

from certprep.content.media import MediaError, media_name
from certprep.content.schema import CaseStudy, Question

__all__ = [
    "MAX_IMPORT_BYTES",
    "TRUE_FALSE_SKIP",
    "CaseDraft",
    "Draft",
    "ExportResult",
    "FormatError",
    "MediaKeeper",
    "decode_text",
    "general_feedback",
    "group_cases",
    "html_to_markdown",
    "keep_general_feedback",
    "meta_comment",
    "parse_feedback",
    "question_meta",
    "read_limited",
    "read_meta",
    "slug",
    "true_false_data",
]

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a question bank of 20 MB is tens of thousands of questions


class FormatError(ValueError):
    """A file that cannot be read at all: wrong encoding, too large, malformed. Names the line."""

    def __init__(self, message: str, line: int | None = None, file: str | None = None) -> None:
        self.line = line
        self.file = file
        self.reason = message
        super().__init__(message)

    def __str__(self) -> str:
        parts = [self.file, f"line {self.line}" if self.line is not None else None, self.reason]
        return ": ".join(p for p in parts if p)


@dataclass
class CaseDraft:
    """A group of drafts that share a scenario (a Moodle category with a description...)."""

    key: str
    title: str
    scenario: str
    id: str | None = None
    revision: int | None = None


@dataclass
class Draft:
    """One item read from a file, before exams, ids and defaults are settled."""

    where: str  # "line 12" or "question 'name'": how the report names the item
    data: dict[str, Any] = field(default_factory=dict)  # certprep's fields (type, stem, options...)
    name: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    case: CaseDraft | None = None
    skip: str | None = None  # set when the item is of a kind certprep cannot hold: why
    problem: str | None = None  # set when the item cannot be imported as it is (an image...): why
    kind: str = "question"  # or "flashcard"
    media: dict[str, bytes] = field(default_factory=dict)  # images kept as files of the pack, by media name
    true_false: bool = False  # a true/false question: ``data`` holds it as True/False, ``skip`` says why


TRUE_FALSE_SKIP = (
    "a true/false question: import it with --true-false as-single (a single-answer question with "
    "the options True and False)"
)


def true_false_data(key: bool, rationale_true: str = "", rationale_false: str = "") -> dict[str, Any]:
    """A true/false question's answers as certprep's options: "True", "False", the key marked,
    each option's feedback (shown when it is chosen) as its rationale."""
    options: list[dict[str, Any]] = []
    for value, rationale in ((True, rationale_true), (False, rationale_false)):
        option: dict[str, Any] = {"text": "True" if value else "False"}
        if value is key:
            option["correct"] = True
        if rationale:
            option["rationale"] = rationale
        options.append(option)
    return {"type": "single", "options": options}


@dataclass
class ExportResult:
    """An exported file and, item by item, what the format could not hold."""

    content: bytes
    count: int
    lost: list[str] = field(default_factory=list)


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path``, refused past ``limit`` (default ``MAX_IMPORT_BYTES``; reads at most
    limit+1 bytes)."""
    limit = MAX_IMPORT_BYTES if limit is None else limit
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FormatError(f"file is larger than the limit of {limit:,} bytes", file=str(path))
    return data


def decode_text(data: bytes, file: str | None = None) -> str:
    """UTF-8 (a BOM is dropped), or UTF-16 with a BOM; anything else names the line it fails on."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FormatError(f"invalid UTF-16 ({exc.reason})", 1, file) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise FormatError(f"not UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8", line, file) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError("a NUL character: this is not a text file", line, file)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def slug(text: str, limit: int = 60) -> str:
    """An id-shaped slug of ``text`` (lower-case letters, digits and dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "item"


# --- metadata carried in comments (GIFT, Markdown) --------------------------------------------

META_PREFIX = "certprep:"


def meta_comment(meta: dict[str, Any]) -> str:
    """One line of JSON that a comment carries, so that our own exports come back whole."""
    return META_PREFIX + " " + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))


def read_meta(text: str) -> dict[str, Any] | None:
    """The metadata of a comment written by ``meta_comment``; None when it is anything else."""
    text = text.strip()
    if not text.startswith(META_PREFIX):
        return None
    try:
        value = json.loads(text[len(META_PREFIX) :])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- images kept as files of the pack ----------------------------------------------------------

_PLUGINFILE = "@@PLUGINFILE@@/"


class MediaKeeper:
    """The images of one imported item: those embedded in the file (Moodle's ``<file>``, a
    ``data:`` URI) are kept as files of the pack (content.media); any other (a link to another
    server, an SVG, a file too large) is refused with the reason."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}  # embedded files by their name in the source
        self.kept: dict[str, bytes] = {}  # media name -> bytes
        self.refused: list[str] = []

    def embed(self, name: str, encoded: str) -> None:
        """A file embedded in the source as base64 (Moodle's ``<file encoding="base64">``)."""
        try:
            self.files[name] = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            self.refused.append(f"{name}: not valid base64")

    def resolve(self, src: str) -> str | None:
        """``media/<name>`` for an image kept, None for one refused (the reason is recorded)."""
        src = src.strip()
        if src.startswith("data:"):
            head, _, payload = src.partition(",")
            source = "a data: image"
            if not head.endswith(";base64"):
                self.refused.append(f"{source}: not base64")
                return None
            try:
                data = base64.b64decode(payload, validate=False)
            except (binascii.Error, ValueError):
                self.refused.append(f"{source}: not valid base64")
                return None
        else:
            source = unquote(src.removeprefix(_PLUGINFILE)).rsplit("/", 1)[-1]
            if not src.startswith(_PLUGINFILE) or source not in self.files:
                self.refused.append(f"{source or src[:80]}: not embedded in the file (certprep fetches nothing)")
                return None
            data = self.files[source]
        try:
            name = media_name(data, source)
        except MediaError as exc:
            self.refused.append(str(exc))
            return None
        self.kept[name] = data
        return f"media/{name}"

    def markdown(self, text: str) -> str:
        """Markdown text whose images name embedded files (``![a](@@PLUGINFILE@@/x.png)``):
        each kept one points at its media file, each refused one is recorded."""

        def swap(match: re.Match[str]) -> str:
            ref = self.resolve(match.group(2))
            return f"![{match.group(1)}]({ref})" if ref else match.group(0)

        return re.sub(r"!\[([^\]]*)\]\(((?:@@PLUGINFILE@@/|data:)[^)\s]+)\)", swap, text)

    def problem(self) -> str | None:
        """The reason an item is not imported, when any of its images was refused."""
        if not self.refused:
            return None
        return (
            "image(s) not kept: "
            + "; ".join(dict.fromkeys(self.refused))
            + (" (a pack keeps PNG, JPEG, GIF and WebP images embedded in the file)")
        )


# --- HTML -> Markdown ------------------------------------------------------------------------

_KEEP = {"a", "b", "strong", "i", "em", "code", "pre", "br", "p", "div", "ul", "ol", "li", "sub", "sup", "img"}


# Tags written the same at both ends.
_BOTH_ENDS = {"b": "**", "strong": "**", "i": "*", "em": "*", "p": "\n\n", "div": "\n\n"}


class _ToMarkdown(HTMLParser):
    def __init__(self, resolve: Callable[[str], str | None] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.resolve = resolve
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.href: list[str | None] = []
        self.images: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in _BOTH_ENDS:
            self.out.append(_BOTH_ENDS[tag])
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
            self.out.append("\n")
        elif tag == "li":
            indent = "  " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.out.append(f"\n{indent}{self.lists[-1][1]}. ")
            else:
                self.out.append(f"\n{indent}- ")
        elif tag == "a":
            self.href.append(a.get("href"))
            self.out.append("[")
        elif tag == "img":
            src = a.get("src") or ""
            ref = self.resolve(src) if self.resolve else None
            if ref:
                alt = re.sub(r"[\[\]\n]", " ", a.get("alt") or "").strip()
                self.out.append(f"![{alt}]({ref})")
            else:
                self.images.append(src.rsplit("/", 1)[-1][:80] if not src.startswith("data:") else "data: image")
        elif tag in ("sub", "sup"):
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BOTH_ENDS:
            self.out.append(_BOTH_ENDS[tag])
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag == "a":
            href = self.href.pop() if self.href else None
            self.out.append(f"]({href})" if href else "]")
        elif tag in ("sub", "sup"):
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.out.append(data)


_HTML_HINT = re.compile(r"<\s*/?\s*[a-zA-Z]|&[a-zA-Z#0-9]+;")


def html_to_markdown(html: str, resolve: Callable[[str], str | None] | None = None) -> tuple[str, list[str]]:
    """Sanitise HTML with nh3 (an allow-list: no script, style or event handler survives), then
    write it as Markdown. ``resolve`` turns an image's source into a reference to a file of the
    pack (``media/<name>``, see ``MediaKeeper``) or None. Returns the Markdown and the sources of
    the images it could not keep."""
    if not _HTML_HINT.search(html):
        return html.strip(), []
    clean = nh3.clean(
        html,
        tags=_KEEP,
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto", "data", "@@PLUGINFILE@@"},
        link_rel=None,
        strip_comments=True,
    )
    parser = _ToMarkdown(resolve)
    parser.feed(clean)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(), parser.images


# --- shared by the exporters -----------------------------------------------------------------


def group_cases(
    questions: Sequence[Question], cases: Mapping[str, CaseStudy]
) -> Iterator[tuple[CaseStudy | None, list[Question]]]:
    """Questions in order, those of one case study together: (case or None, its questions)."""
    seen: set[str] = set()
    for q in questions:
        if q.case_id is None:
            yield None, [q]
        elif q.case_id not in seen:
            seen.add(q.case_id)
            yield cases[q.case_id], [x for x in questions if x.case_id == q.case_id]


def question_meta(q: Question) -> dict[str, Any]:
    """What a format without fields for it carries in a comment: id, exams, difficulty, tags."""
    meta: dict[str, Any] = {"id": q.id, "revision": q.revision, "difficulty": q.difficulty}
    meta["exams"] = [r.model_dump(mode="json", exclude_defaults=True) for r in q.exams]
    if q.services:
        meta["services"] = list(q.services)
    if q.concepts:
        meta["concepts"] = list(q.concepts)
    return meta


RATIONALES_HEAD = "Rationales:"
REFERENCES_HEAD = "References:"


def general_feedback(rationales: Sequence[str | None], q: Question) -> str:
    """Markdown feedback for the whole question: numbered rationales (for answers the format
    gives no feedback of their own) and the references as links."""
    parts = []
    if any(rationales):
        lines = [RATIONALES_HEAD]
        for n, text in enumerate(rationales, 1):
            body = (text or "-").replace("\n", "\n   ")
            lines.append(f"{n}. {body}")
        parts.append("\n".join(lines))
    if q.references:
        refs = [REFERENCES_HEAD] + [f"- [{r.title}]({r.url})" for r in q.references]
        parts.append("\n".join(refs))
    return "\n\n".join(parts)


_REF = re.compile(r"^- \[([^\n]{1,500})\]\((\S{1,2000})\)$")


def parse_feedback(text: str) -> tuple[list[str | None], list[dict[str, str]], str]:
    """The inverse of ``general_feedback``: (rationales, references, any other text)."""
    rationales: list[str | None] = []
    refs: list[dict[str, str]] = []
    rest: list[str] = []
    section = ""
    for line in text.split("\n"):
        if line.strip() in (RATIONALES_HEAD, REFERENCES_HEAD):
            section = line.strip()
            continue
        number = re.match(r"^(\d+)\. (.*)$", line)
        if section == RATIONALES_HEAD and number and int(number.group(1)) == len(rationales) + 1:
            rationales.append(None if number.group(2) == "-" else number.group(2))
        elif section == RATIONALES_HEAD and line.startswith("   ") and rationales:
            rationales[-1] = f"{rationales[-1] or ''}\n{line[3:]}"
        elif section == REFERENCES_HEAD and (ref := _REF.match(line.strip())):
            refs.append({"title": ref.group(1), "url": ref.group(2)})
        elif line.strip():
            section = ""
            rest.append(line)
        elif not section:
            rest.append(line)
    return rationales, refs, "\n".join(rest).strip()


def keep_general_feedback(data: dict[str, Any], feedback: str) -> None:
    """Feedback for the whole question (another tool's, not our numbered rationales) has no field
    in certprep: it joins the rationale of the keyed option(s), or of the first step or pair."""
    if not feedback:
        return
    targets = [o for o in data.get("options", []) if o.get("correct")]
    targets = targets or (data.get("steps") or data.get("pairs") or [])[:1]
    for target in targets:
        mine = target.get("rationale")
        target["rationale"] = f"{mine}\n\n{feedback}" if mine else feedback
