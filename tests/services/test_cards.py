"""The daily queue, reviews with a version check, missed questions back on schedule, stats."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from certprep.app import Certprep
from certprep.exam.scoring import key_response, response_to_json, to_presented
from certprep.services import cards, exams
from certprep.services.errors import NotFound
from tests.conftest import NOW
from tests.services.conftest import other_user


def test_queue_limits_new_cards_and_rating_schedules(app: Certprep, user: int) -> None:
    limit = app.settings.new_cards_per_day
    q = cards.queue(app, user, now=NOW)
    assert q.due == 0 and q.new == min(limit, len(app.pack.flashcards))
    first = q.items[0].item_id
    view = cards.card_view(app, user, first, now=NOW)
    assert view["kind"] == "flashcard" and view["version"] == 0
    assert set(view["ratings"]) == {"1", "2", "3", "4"} and view["ratings"]["1"]["next"] == "1m"
    done = cards.rate_card(app, user, first, 3, expected_version=0, now=NOW)
    assert done["version"] == 1
    after = cards.queue(app, user, now=NOW)
    assert after.new_introduced_today == 1 and after.new == min(limit - 1, len(app.pack.flashcards) - 1)
    assert first not in [i.item_id for i in after.items]  # due in 10 minutes
    later = cards.queue(app, user, now=NOW + timedelta(minutes=11))
    assert later.items[0].item_id == first and later.due == 1


def test_stale_rating_is_refused(app: Certprep, user: int) -> None:
    item = cards.queue(app, user, now=NOW).items[0].item_id
    cards.rate_card(app, user, item, 3, expected_version=0, now=NOW)
    with pytest.raises(cards.CardStateChanged, match="reviewed elsewhere"):
        cards.rate_card(app, user, item, 1, expected_version=0, now=NOW)
    with pytest.raises(cards.ReviewRequestError):
        cards.rate_card(app, user, item, 7, expected_version=1, now=NOW)
    assert cards.stats(app, user, now=NOW)["reviews_total"] == 1


def test_missed_question_comes_back_and_is_answered_in_place(app: Certprep, user: int) -> None:
    view = exams.start_exam(
        app,
        user,
        exams.StartRequest(exam="MLA-C01", selection="drill", mode="practice", tasks=("1.3",), count=2),
        now=NOW,
        rng=random.Random(2),
    )
    qid = view.question.id
    q = app.pack.question(qid)
    wrong = [i for i in range(len(view.question.choices)) if i != 0][:1]
    response = wrong[0] if q.type.value == "single" else [1, 0] if q.type.value == "ordering" else None
    if response is None:
        pytest.skip("first question is not single or ordering")  # the drill's seed makes it single
    exams.act(
        app,
        user,
        view.id,
        {"type": "answer", "index": 0, "response": response},
        expected_version=view.version,
        now=NOW,
    )
    fresh = app.pack.question(qid)
    queue = cards.queue(app, user, now=NOW)
    missed = [i for i in queue.items if i.kind == "question"]
    if not missed:  # the answer happened to be right
        return
    assert missed[0].item_id == qid and queue.items[0].item_id == qid
    shown = cards.card_view(app, user, qid, now=NOW)
    assert shown["kind"] == "question" and "key" not in shown
    on_screen = to_presented(cards.presentation(fresh, user, shown["version"]), key_response(fresh))
    result = cards.answer_question_item(
        app, user, qid, response_to_json(on_screen), expected_version=shown["version"], now=NOW
    )
    assert result["correct"] is True and all(result["rationales"])
    assert qid not in [i.item_id for i in cards.queue(app, user, now=NOW).items]


def test_other_users_cannot_see_review_items(app: Certprep, user: int) -> None:
    bob = other_user(app)
    q = app.pack.questions[0]
    with app.engine.begin() as conn:
        cards.record_missed(conn, user, q.id, NOW)
    with pytest.raises(NotFound):
        cards.card_view(app, bob, q.id, now=NOW)
    assert all(i.kind == "flashcard" for i in cards.queue(app, bob, now=NOW).items)


def test_stats(app: Certprep, user: int) -> None:
    items = [i.item_id for i in cards.queue(app, user, now=NOW).items[:3]]
    for item in items:
        cards.rate_card(app, user, item, 3, expected_version=0, now=NOW)
    s = cards.stats(app, user, now=NOW)
    assert s["reviews_per_day"] == {NOW.date().isoformat(): 3}
    assert sum(s["due_forecast"].values()) == 3 and s["desired_retention"] == 0.9
    assert s["true_retention"] is None  # no card in the Review state has been reviewed yet


def test_a_first_rating_that_lost_the_race_is_refused_not_a_crash(
    app: Certprep, user: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs rate a new card at once: both read "no state yet" (PostgreSQL lets both read), the
    second insert finds the first one's row and is refused as stale, with nothing changed."""
    item = cards.queue(app, user, now=NOW).items[0].item_id
    cards.rate_card(app, user, item, 3, expected_version=0, now=NOW)  # the tab that won
    monkeypatch.setattr(cards.repo, "get_card", lambda *args: None)  # the loser's read, made before
    with pytest.raises(cards.CardStateChanged):
        cards.rate_card(app, user, item, 1, expected_version=0, now=NOW)
    monkeypatch.undo()
    assert cards.stats(app, user, now=NOW)["reviews_total"] == 1
    assert cards.card_view(app, user, item, now=NOW)["version"] == 1


def test_missed_questions_do_not_use_up_the_new_card_limit(app: Certprep, user: int) -> None:
    limit = app.settings.new_cards_per_day
    questions = sorted(q.id for q in app.pack.questions if q.type.value == "single")[:5]
    with app.transaction() as conn:
        for qid in questions:
            cards.record_missed(conn, user, qid, NOW)
    for qid in questions:
        version = cards.card_view(app, user, qid, now=NOW)["version"]
        cards.rate_card(app, user, qid, 3, expected_version=version, now=NOW)
    q = cards.queue(app, user, now=NOW)
    assert q.new_introduced_today == 0 and q.new == min(limit, len(app.pack.flashcards))
    flashcard = next(i.item_id for i in q.items if i.kind == "flashcard")
    cards.rate_card(app, user, flashcard, 3, expected_version=0, now=NOW)
    assert cards.queue(app, user, now=NOW).new_introduced_today == 1


def test_a_missed_ordering_question_comes_shuffled_from_the_service(app: Certprep, user: int) -> None:
    """Every interface (web, JSON, `certprep cards review`) gets a missed question's choices in
    the service's screen order: an ordering question's steps never in the right order, and the
    answer, key and rationales come back in that order (issue 18, point 5)."""
    ordering = [q for q in app.pack.questions if q.type.value == "ordering" and not q.distractor_steps]
    q = ordering[0]
    with app.engine.begin() as conn:
        cards.record_missed(conn, user, q.id, NOW)
    shown = cards.card_view(app, user, q.id, now=NOW)
    right_order = [s.text for s in q.steps]
    assert sorted(shown["choices"]) == sorted(right_order) and shown["choices"] != right_order
    order = cards.presentation(q, user, shown["version"])
    assert shown["choices"] == [right_order[i] for i in order]
    key_on_screen = [order.index(k) for k in range(len(q.steps))]  # positions of step 1, 2, ...
    result = cards.answer_question_item(app, user, q.id, key_on_screen, expected_version=shown["version"], now=NOW)
    assert result["correct"] is True and result["key"] == key_on_screen
    assert result["rationales"] == [q.steps[i].rationale for i in order]


# --- issue 18, point 7: the queue's filters, the daily limits, undo --------------------------------


def _miss_all(app: Certprep, user: int, ids: list[str]) -> None:
    with app.transaction() as conn:
        for qid in ids:
            cards.record_missed(conn, user, qid, NOW - timedelta(hours=1))


def test_new_cards_come_among_many_missed_questions(app: Certprep, user: int) -> None:
    """75 missed questions no longer pass before the first flashcard (issue 18, point 7)."""
    missed = sorted(q.id for q in app.pack.questions)[:75]
    _miss_all(app, user, missed)
    q = cards.queue(app, user, now=NOW)
    kinds = [i.kind for i in q.items]
    assert q.due == 75 and q.new == 20 and kinds.index("flashcard") == 4  # ceil(75 / 21) reviews first
    assert [n for n, kind in enumerate(kinds) if kind == "flashcard"][:3] == [4, 9, 13]


def test_filters_kind_exam_domain(app: Certprep, user: int) -> None:
    c02 = [q for q in app.pack.questions if any(e.exam == "MLA-C02" for e in q.exams)]
    missed = [q.id for d in "1234" for q in c02 if q.exams[0].task.startswith(f"{d}.")][::7][:30]
    _miss_all(app, user, missed)
    only_cards = cards.queue(app, user, now=NOW, where=cards.check_filter(app, "cards"))
    assert only_cards.due == 0 and {i.kind for i in only_cards.items} == {"flashcard"}
    only_missed = cards.queue(app, user, now=NOW, where=cards.check_filter(app, "missed"))
    assert only_missed.new == 0 and {i.item_id for i in only_missed.items} == set(missed) and len(missed) == 30
    domain_two = cards.check_filter(app, "all", "MLA-C02", "2")
    in_two = cards.queue(app, user, now=NOW, where=domain_two)
    for item in in_two.items:
        source = app.pack.question(item.item_id) if item.kind == "question" else cards._flashcards(app)[item.item_id]
        refs = source.exams
        assert any(r.exam == "MLA-C02" and r.task.startswith("2.") for r in refs)
    assert 0 < in_two.due < 30
    for bad, message in [
        (("some", None, None), "unknown kind"),
        (("all", "XYZ-C01", None), "unknown exam"),
        (("all", "MLA-C02", "9"), "unknown domain '9' of MLA-C02"),
    ]:
        with pytest.raises(cards.ReviewRequestError, match=message):
            cards.check_filter(app, *bad)


def test_daily_limits_are_saved_per_user_and_honoured(app: Certprep, user: int) -> None:
    bob = other_user(app)
    assert cards.limits(app, user) == cards.CardLimits(20, cards.DEFAULT_REVIEWS_PER_DAY, saved=False)
    cards.save_limits(app, user, new_per_day=2, reviews_per_day=5, now=NOW)
    assert cards.limits(app, user) == cards.CardLimits(2, 5, saved=True)
    assert cards.limits(app, bob).saved is False
    _miss_all(app, user, sorted(q.id for q in app.pack.questions)[:8])
    q = cards.queue(app, user, now=NOW)
    assert (q.new, q.due, q.reviews_held) == (2, 5, 3)
    first_new = next(i.item_id for i in q.items if i.kind == "flashcard")
    cards.rate_card(app, user, first_new, 3, expected_version=0, now=NOW)
    assert cards.queue(app, user, now=NOW).new == 1
    with pytest.raises(cards.ReviewRequestError, match="between 0 and 1000"):
        cards.save_limits(app, user, new_per_day=1001, reviews_per_day=5, now=NOW)
    assert cards.limits(app, user).new_per_day == 2


def test_undo_restores_the_previous_state_and_only_the_last_rating(app: Certprep, user: int) -> None:
    first, second = [i.item_id for i in cards.queue(app, user, now=NOW).items[:2]]
    cards.rate_card(app, user, first, 3, expected_version=0, now=NOW)
    later = NOW + timedelta(minutes=11)
    before = cards.card_view(app, user, first, now=later)
    assert before["version"] == 1
    cards.rate_card(app, user, first, 3, expected_version=1, now=later)  # graduates: due in days
    cards.rate_card(app, user, second, 1, expected_version=0, now=later)
    assert cards.queue(app, user, now=later).undo == cards.UndoableReview(second, "flashcard", 1, later)

    undone = cards.undo_last(app, user, now=later)  # a new card's first rating: new again
    assert undone.item_id == second
    assert cards.card_view(app, user, second, now=later)["version"] == 0
    assert cards.stats(app, user, now=later)["reviews_total"] == 2
    with pytest.raises(cards.NothingToUndo, match="only your last rating"):
        cards.undo_last(app, user, now=later)  # not the one before it
    assert cards.queue(app, user, now=later).undo is None

    cards.rate_card(app, user, first, 1, expected_version=2, now=later + timedelta(days=3))  # a lapse
    cards.undo_last(app, user, now=later + timedelta(days=3))
    with app.engine.connect() as conn:
        row = cards.repo.get_card(conn, user, first)
    assert row is not None and row["state"]["state"] == 2 and row["due"] > later + timedelta(days=1)
    assert row["version"] == 4  # versions only grow: a tab showing the lapse cannot rate it again
    assert cards.stats(app, user, now=later)["reviews_total"] == 2


def test_undo_is_refused_when_the_card_changed_since(app: Certprep, user: int) -> None:
    q = sorted(q.id for q in app.pack.questions if q.type.value == "single")[0]
    _miss_all(app, user, [q])
    view = cards.card_view(app, user, q, now=NOW)
    cards.rate_card(app, user, q, 3, expected_version=view["version"], now=NOW)
    with app.transaction() as conn:
        cards.record_missed(conn, user, q, NOW)  # missed again in an exam: brought forward
    with pytest.raises(cards.NothingToUndo, match="changed"):
        cards.undo_last(app, user, now=NOW)
    assert cards.stats(app, user, now=NOW)["reviews_total"] == 1
    other = other_user(app)
    with pytest.raises(cards.NothingToUndo):
        cards.undo_last(app, other, now=NOW)


def test_anki_package_of_one_exam_domain(app: Certprep) -> None:
    import io
    import sqlite3
    import zipfile

    where = cards.check_filter(app, "all", "MLA-C02", "1")
    package = cards.anki_package(app, where)
    expected = [c for c in app.pack.flashcards if any(e.exam == "MLA-C02" and e.task.startswith("1.") for e in c.exams)]
    assert package.filename == "certprep-flashcards-MLA-C02-domain1.apkg" and package.flashcards == len(expected)
    with zipfile.ZipFile(io.BytesIO(package.data)) as z:
        collection = z.read("collection.anki2")
    with tempfile_db(collection) as path, sqlite3.connect(path) as db:
        assert db.execute("select count(*) from notes").fetchone()[0] == len(expected)


@contextmanager
def tempfile_db(data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(data)
        yield path
