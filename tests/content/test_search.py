"""The pack's in-memory search index: words, prefixes, accents, ranking, and questions only among
those the caller may show."""

from __future__ import annotations

from certprep.content.search import SearchIndex, normalize, query_words
from tests.conftest import bundled_pack


def test_words_prefixes_and_accents() -> None:
    assert normalize("  Hyper**Paramètre**  `tuning` ") == "hyper parametre tuning"
    assert query_words("SageMaker sagemaker   Endpoint!!") == ["sagemaker", "endpoint"]
    assert query_words("\u0000 ... ---") == []


def test_finds_lessons_sheets_and_cards_and_only_the_questions_allowed() -> None:
    pack = bundled_pack()
    index = SearchIndex.build(pack)
    q = sorted(pack.questions, key=lambda x: x.id)[0]
    word = max(query_words(q.stem), key=len)
    hidden = index.search(word, questions=set())
    assert hidden["question"] == []
    shown = index.search(word, questions={q.id})
    assert [h.id for h in shown["question"]] == [q.id]
    lesson = pack.lessons[0]
    title_hits = index.search(lesson.title, questions=set())["lesson"]
    assert title_hits and title_hits[0].id == lesson.id  # the title counts most
    card = pack.flashcards[0]
    assert card.id in [h.id for h in index.search(card.front[:60], questions=set(), limit=50)["flashcard"]]
    prefix = index.search("hyperparam", questions=set())
    assert prefix["lesson"] or prefix["cheatsheet"] or prefix["flashcard"]
    assert all(not hits for hits in index.search("", questions={q.id}).values())
    nothing = index.search("zzqxv-no-such-word", questions={x.id for x in pack.questions})
    assert all(not hits for hits in nothing.values())
    snippet = shown["question"][0].snippet
    assert word in normalize(snippet) and len(snippet) <= 170
