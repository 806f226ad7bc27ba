"""Anki export (.apkg) of the flashcards, and optionally the questions, through genanki.

Notes are tagged per exam, domain and task statement (``certprep::MLA-C01::d2::t2.2``) so that a
learner can study one slice in Anki. Ids are stable: re-importing an export updates the notes
instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import genanki

from certprep.content.loader import Pack
from certprep.content.schema import ExamRef, Question, QuestionType

__all__ = ["export_apkg"]

LETTERS = "ABCDEFGHIJ"


def _stable_id(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") | (1 << 30)


CARD_MODEL = genanki.Model(
    _stable_id("certprep-flashcard-model"),
    "certprep flashcard",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Id"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'},
    ],
)
QUESTION_MODEL = genanki.Model(
    _stable_id("certprep-question-model"),
    "certprep question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Explanation"}, {"name": "Id"}],
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer"><b>{{Answer}}</b><br>{{Explanation}}',
        }
    ],
)


def _tags(pack: Pack, refs: tuple[ExamRef, ...]) -> list[str]:
    tags = []
    for ref in refs:
        domain = ref.task.split(".")[0]
        tags += [
            f"certprep::{ref.exam}",
            f"certprep::{ref.exam}::d{domain}",
            f"certprep::{ref.exam}::d{domain}::t{ref.task}",
        ]
    return sorted(set(tags))


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _question_fields(q: Question) -> tuple[str, str, str]:
    parts = [_esc(q.stem.strip())]
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        parts += [f"{LETTERS[i]}. {_esc(o.text)}" for i, o in enumerate(q.options)]
        answer = ", ".join(LETTERS[i] for i in q.correct_indexes)
        explain = [f"{LETTERS[i]}: {_esc(o.rationale or '')}" for i, o in enumerate(q.options)]
    elif q.type is QuestionType.ORDERING:
        steps = sorted([*q.steps, *q.distractor_steps], key=lambda s: s.text)
        parts += [f"- {_esc(s.text)}" for s in steps]
        answer = " → ".join(_esc(s.text) for s in q.steps)
        explain = [_esc(f"{s.text}: {s.rationale or ''}") for s in (*q.steps, *q.distractor_steps)]
    else:
        parts += [f"{n}. {_esc(p.prompt)}" for n, p in enumerate(q.pairs, 1)]
        parts += ["Responses: " + "; ".join(_esc(r) for r in sorted(q.responses))]
        answer = "; ".join(f"{n} → {_esc(p.response)}" for n, p in enumerate(q.pairs, 1))
        explain = [_esc(p.rationale or "") for p in q.pairs]
    return "<br>".join(parts), answer, "<br>".join(explain)


def _serves(refs: tuple[ExamRef, ...], exam: str | None, domain: str | None) -> bool:
    """An item of ``exam`` (any when None) and of its domain ``domain`` (any when None)."""
    return any((not exam or r.exam == exam) and (not domain or r.task.split(".")[0] == domain) for r in refs)


def export_apkg(
    pack: Pack, path: Path, *, questions: bool = False, exam: str | None = None, domain: str | None = None
) -> dict[str, int]:
    """Write an .apkg with one deck of flashcards (and one of questions) of ``exam`` and its
    ``domain`` (a number; without an exam, that domain of any exam); returns note counts."""
    scope = f"{exam or ''}{f' domain {domain}' if domain else ''}".strip()
    decks = [
        genanki.Deck(
            _stable_id(f"certprep-cards-{scope or 'all'}"), f"certprep::Flashcards{f' {scope}' if scope else ''}"
        )
    ]
    counts = {"flashcards": 0, "questions": 0}
    for card in pack.flashcards:
        if not _serves(card.exams, exam, domain):
            continue
        note = genanki.Note(
            model=CARD_MODEL,
            fields=[_esc(card.front), _esc(card.back), card.id],
            tags=_tags(pack, card.exams),
            guid=genanki.guid_for("certprep", card.id),
        )
        decks[0].add_note(note)
        counts["flashcards"] += 1
    if questions:
        deck = genanki.Deck(
            _stable_id(f"certprep-questions-{scope or 'all'}"), f"certprep::Questions{f' {scope}' if scope else ''}"
        )
        for q in pack.questions:
            if not _serves(q.exams, exam, domain):
                continue
            front, answer, explain = _question_fields(q)
            deck.add_note(
                genanki.Note(
                    model=QUESTION_MODEL,
                    fields=[front, answer, explain, q.id],
                    tags=_tags(pack, q.exams),
                    guid=genanki.guid_for("certprep", q.id),
                )
            )
            counts["questions"] += 1
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(path))
    return counts
