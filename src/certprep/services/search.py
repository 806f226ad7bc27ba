"""Search across the questions a user has seen, the lessons, the cheat sheets and the flashcards.

The pack's in-memory index (``content.search``) is built once per application; the user's seen
questions (``services.notes.seen_questions``) are read per search, so an unseen question is never
found, its stem never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from certprep.content.search import KINDS, MAX_QUERY, Hit, Kind, SearchIndex, query_words
from certprep.services import notes

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["SearchRequestError", "SearchResults", "search"]

PER_KIND = 20


class SearchRequestError(ValueError):
    """A query that cannot be searched (too long)."""


@dataclass(frozen=True)
class SearchResults:
    """The query, its words, and the hits of each kind (best first)."""

    query: str
    words: tuple[str, ...]
    hits: dict[Kind, list[Hit]]
    questions_searched: int


def _index(app: Certprep) -> SearchIndex:
    key = "search-index"
    if key not in app.cache:
        app.cache[key] = SearchIndex.build(app.pack)
    index: SearchIndex = app.cache[key]
    return index


def search(app: Certprep, user_id: int, query: str) -> SearchResults:
    """Search; an empty query (or one with no words) finds nothing, one over ``MAX_QUERY``
    characters is refused."""
    query = " ".join(query.split())
    if len(query) > MAX_QUERY:
        raise SearchRequestError(f"a search is at most {MAX_QUERY} characters (this one has {len(query)})")
    words = tuple(query_words(query))
    if not words:
        return SearchResults(query, (), {kind: [] for kind in KINDS}, 0)
    seen = notes.seen_questions(app, user_id)
    hits = _index(app).search(query, questions=seen, limit=PER_KIND)
    return SearchResults(query, words, hits, len(seen))
