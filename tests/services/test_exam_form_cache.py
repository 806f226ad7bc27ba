"""The stored form of an attempt is read from the database once (it never changes), and the form
cache keeps the most recently used."""

from __future__ import annotations

import random
from typing import Any

import pytest

from certprep.app import Certprep
from certprep.services import exams
from certprep.services.exams.content import FormCache
from certprep.store import exams as exam_store
from tests.conftest import NOW


def test_the_stored_form_is_read_once(app: Certprep, user: int, monkeypatch: pytest.MonkeyPatch) -> None:
    req = exams.StartRequest(exam="MLA-C01", selection="fixed", form=1)
    view = exams.start_exam(app, user, req, now=NOW, rng=random.Random(1))
    app.cache.clear()  # as after a restart
    reads: list[bool] = []
    real = exam_store.get_attempt

    def spy(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("form", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(exam_store, "get_attempt", spy)
    for _ in range(3):
        view = exams.act(app, user, view.id, {"type": "flag"}, expected_version=view.version, now=NOW)
        view = exams.act(app, user, view.id, {"type": "unflag"}, expected_version=view.version, now=NOW)
    assert exams.attempt_view(app, user, view.id, now=NOW) == view
    assert reads[0] is True and not any(reads[1:]) and len(reads) == 7


def test_the_form_cache_keeps_the_most_recently_used(app: Certprep) -> None:
    forms = FormCache(size=2)
    a, b, c = (object() for _ in range(3))
    forms.put("a", a)  # type: ignore[arg-type]
    forms.put("b", b)  # type: ignore[arg-type]
    assert forms.get("a") is a  # "a" is now the most recent
    forms.put("c", c)  # type: ignore[arg-type]
    assert forms.get("b") is None and forms.get("a") is a and forms.get("c") is c
