"""The pack's side of an exam: its blueprint, its question bank, its six fixed practice exams, the
questions of a form at the revisions it was built with, and the stored forms of attempts.

All of it is derived from data that never changes (the pack, old question revisions, a form once
stored with its attempt), so it is kept in ``Certprep.cache`` (docs/architecture.md, "House
rules").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from certprep.content.schema import Blueprint, Question
from certprep.exam.bank import ExamBank
from certprep.exam.forms import Form
from certprep.exam.forms import practice_exams as fixed_practice_exams
from certprep.services.exams.errors import ExamRequestError
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "FIXED_FORMS",
    "FORM_CACHE_KEY",
    "FORM_CACHE_SIZE",
    "FormCache",
    "blueprint",
    "exam_bank",
    "fixed_forms",
    "form_questions",
]

FIXED_FORMS = 6
FORM_CACHE_KEY = "attempt-forms"
FORM_CACHE_SIZE = 2048  # attempts whose form is kept: about 16 KB each at 65 items, some 34 MB when full


class FormCache:
    """The assembled forms of recent attempts, by attempt id, least recently used first out.

    A form is stored once, with its attempt, and never changes: holding it spares rebuilding 65
    ``FormItem``s from JSON on every action. Only the form is kept; the attempt's state (answers,
    flags, version, deadline) is read from the database on every request. Who may see an attempt
    is still the query's business: ``state.load`` reads the row scoped to the user first."""

    def __init__(self, size: int = FORM_CACHE_SIZE) -> None:
        self._size = size
        self._forms: OrderedDict[str, Form] = OrderedDict()
        self._lock = threading.Lock()  # the routes run on a thread pool

    def get(self, attempt_id: str) -> Form | None:
        with self._lock:
            form = self._forms.get(attempt_id)
            if form is not None:
                self._forms.move_to_end(attempt_id)
            return form

    def put(self, attempt_id: str, form: Form) -> None:
        with self._lock:
            self._forms[attempt_id] = form
            self._forms.move_to_end(attempt_id)
            while len(self._forms) > self._size:
                self._forms.popitem(last=False)


def blueprint(app: Certprep, exam: str) -> Blueprint:
    bp = app.pack.blueprints.get(exam)
    if bp is None:
        raise ExamRequestError(f"unknown exam {exam!r}; known: {', '.join(sorted(app.pack.blueprints))}")
    return bp


def exam_bank(app: Certprep, exam: str) -> ExamBank:
    key = ("bank", exam)
    if key not in app.cache:
        app.cache[key] = ExamBank.build(app.pack.questions_for(exam), blueprint(app, exam))
    bank: ExamBank = app.cache[key]
    return bank


def fixed_forms(app: Certprep, exam: str) -> list[Form]:
    key = ("fixed", exam)
    if key not in app.cache:
        app.cache[key] = fixed_practice_exams(app.pack.form_questions_for(exam), blueprint(app, exam))
    forms: list[Form] = app.cache[key]
    return forms


def form_questions(app: Certprep, conn: Connection, form: Form) -> dict[str, Question]:
    """The questions of a form at the revisions the form was built with. Revisions that are no
    longer the pack's are read from the database once (a revision never changes)."""
    out: dict[str, Question] = {}
    missing: list[tuple[str, int]] = []
    current = app.pack.questions_by_id
    for item in form.items:
        q = current.get(item.question_id)
        if q is not None and q.revision == item.revision:
            out[q.id] = q
        else:
            missing.append((item.question_id, item.revision))
    if missing:
        cache: dict[tuple[str, int], Question] = app.cache.setdefault("revisions", {})
        need = [k for k in missing if k not in cache]
        if need:
            for key, body in repo.load_revisions(conn, need).items():
                cache[key] = Question.model_validate(body)
        for key in missing:
            if key not in cache:
                raise LookupError(f"question {key[0]} revision {key[1]} is not in the database")
            out[key[0]] = cache[key]
    return out
