"""Markdown from content packs and imports, rendered and then sanitized.

markdown-it-py renders (CommonMark plus tables and strikethrough, raw HTML allowed so that an
author's ``<sup>`` survives), then nh3 keeps only an allow-list of tags and attributes: no
script, no event handler, no ``javascript:`` URL, no style and no image (content must work
offline and must not call other servers) ever reaches the page, except the pack's own images:
``![alt](media/<hash>.<ext>)`` becomes ``<img src="/media/<hash>.<ext>">`` (content.media); any
other image source is dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from certprep.content.media import MEDIA_NAME

__all__ = ["ALLOWED_TAGS", "INLINE_TAGS", "render_markdown", "render_markdown_inline"]

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "img",
    }
)  # fmt: skip
# Inside a label, a legend or a list item of choices: phrasing content only (no paragraphs).
INLINE_TAGS = frozenset({"a", "abbr", "b", "br", "code", "del", "em", "i", "img", "kbd", "s", "strong", "sub", "sup"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},  # language-xyz from fenced code blocks
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    "img": {"src", "alt", "title"},
}


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only a pack's own image reaches a page, served by the app (web/routes/pages.py)."""
    if tag == "img" and attribute == "src":
        name = value.removeprefix("media/")
        return f"/media/{name}" if value.startswith("media/") and MEDIA_NAME.match(name) else None
    return value


# An image whose source was dropped (not a pack's own, see _attribute) leaves no empty tag.
_NO_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


# The texts are nearly all the content pack's (stems, choices, rationales), the same on every
# action of every examinee: a bounded cache of a pure function of the text keeps the runner from
# parsing and sanitising them again on each fragment.
@lru_cache(maxsize=8192)
def render_markdown(text: str | None) -> Markup:
    """Markdown source -> safe HTML (a ``Markup``, so Jinja does not escape it again)."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_attribute,
    )
    return Markup(_NO_SOURCE.sub("", clean))  # sanitized by nh3 just above


@lru_cache(maxsize=8192)
def render_markdown_inline(text: str | None) -> Markup:
    """One line of Markdown (an option, a step) -> safe phrasing HTML, without a paragraph."""
    if not text:
        return Markup("")
    html = _parser().renderInline(text)
    clean = nh3.clean(
        html,
        tags=set(INLINE_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items() if k in INLINE_TAGS},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_attribute,
    )
    return Markup(_NO_SOURCE.sub("", clean))  # sanitized by nh3 just above
