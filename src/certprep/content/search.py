"""Full-text search over the content pack, in memory and pure: the pack never changes while the app
runs, so its index is built once and kept with it (``Certprep.cache``).

Every question, lesson, cheat sheet and flashcard is one document: a title and its whole text
(for a question: stem, options or steps or pairs, and rationales). A query is split into words;
a document matches when every word is in it (case- and accent-insensitive, a word may be the
start of a longer one: "hyperparam" finds "hyperparameter"). Matches are ranked by where the
words are (the title counts most) and how often.

Which questions a user may find is not the index's business: ``search`` takes the ids of the
questions the caller may show (a user's seen questions) and never returns another one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from certprep.content.loader import Pack
from certprep.content.schema import Question

__all__ = ["KINDS", "MAX_QUERY", "Hit", "Kind", "SearchIndex", "normalize", "query_words"]

Kind = Literal["question", "lesson", "cheatsheet", "flashcard"]
KINDS: tuple[Kind, ...] = ("question", "lesson", "cheatsheet", "flashcard")
MAX_QUERY = 200  # characters
MAX_WORDS = 8
SNIPPET = 160  # characters around the first match

_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"[`*_#>|\[\]()]+")


def normalize(text: str) -> str:
    """Lower case, accents removed, Markdown marks and runs of spaces folded to one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_MARKUP.sub(" ", plain).lower().split())


def query_words(query: str) -> list[str]:
    """The words of a query, normalized, without repeats, at most ``MAX_WORDS``."""
    return list(dict.fromkeys(_WORD.findall(normalize(query))))[:MAX_WORDS]


@dataclass(frozen=True)
class Document:
    kind: Kind
    id: str
    title: str
    text: str  # shown in snippets: the plain text, Markdown marks removed
    folded_title: str
    folded: str  # normalized, for matching


@dataclass(frozen=True)
class Hit:
    """One result: its kind, id, title, a snippet of the text around the first match, a score."""

    kind: Kind
    id: str
    title: str
    snippet: str
    score: float


def _question_text(q: Question) -> str:
    parts = [q.stem]
    parts += [f"{o.text} {o.rationale or ''}" for o in q.options]
    parts += [f"{s.text} {s.rationale or ''}" for s in (*q.steps, *q.distractor_steps)]
    parts += [f"{p.prompt} {p.response} {p.rationale or ''}" for p in q.pairs]
    parts += [f"{e.text} {e.rationale or ''}" for e in q.extra_responses]
    return "\n".join(parts)


def _title(text: str, size: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


def _document(kind: Kind, item_id: str, title: str, text: str) -> Document:
    plain = " ".join(_MARKUP.sub(" ", text).split())
    return Document(kind, item_id, title, plain, normalize(title), normalize(text))


def _words_at(folded: str, word: str) -> list[int]:
    """Where ``word`` starts a word of ``folded``."""
    return [m.start() for m in re.finditer(rf"\b{re.escape(word)}", folded)]


class SearchIndex:
    """The pack's documents, searched in memory."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = tuple(documents)

    @classmethod
    def build(cls, pack: Pack) -> SearchIndex:
        docs = [_document("question", q.id, _title(q.stem), _question_text(q)) for q in pack.questions]
        docs += [_document("lesson", x.id, x.title, x.body) for x in pack.lessons]
        docs += [_document("cheatsheet", x.id, x.title, x.body) for x in pack.cheatsheets]
        docs += [_document("flashcard", c.id, _title(c.front), f"{c.front}\n{c.back}") for c in pack.flashcards]
        return cls(docs)

    def search(self, query: str, *, questions: Collection[str], limit: int = 20) -> dict[Kind, list[Hit]]:
        """The best ``limit`` matches of each kind, best first; questions only among ``questions``."""
        words = query_words(query)
        found: dict[Kind, list[Hit]] = {kind: [] for kind in KINDS}
        if not words:
            return found
        for doc in self.documents:
            if doc.kind == "question" and doc.id not in questions:
                continue
            if not all(w in doc.folded for w in words):  # a cheap test before the word boundaries
                continue
            places = [_words_at(doc.folded, w) for w in words]
            if not all(places):
                continue
            in_title = sum(1 for w in words if _words_at(doc.folded_title, w))
            score = 10.0 * in_title + sum(min(len(p), 5) for p in places)
            found[doc.kind].append(Hit(doc.kind, doc.id, doc.title, _snippet(doc.text, words), score))
        for kind in KINDS:
            found[kind] = sorted(found[kind], key=lambda h: (-h.score, h.id))[:limit]
        return found


def _snippet(text: str, words: list[str]) -> str:
    """Some text around the first word found (the plain text, with ellipses where it is cut)."""
    folded = normalize(text)
    first = min((p[0] for w in words if (p := _words_at(folded, w))), default=0)
    # ``normalize`` keeps one character per character of the plain text in most cases; clamp.
    start = max(0, min(first, len(text)) - SNIPPET // 3)
    end = min(len(text), start + SNIPPET)
    piece = text[start:end].strip()
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
