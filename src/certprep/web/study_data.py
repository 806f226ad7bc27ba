"""Data of the study pages (flashcard review, review statistics, lessons, cheat sheets) and their
JSON twins: one function per page, returning the pydantic model the JSON route returns.

Missed questions come back as review items. Their choices are shown in the shuffled order of
``services.cards.presentation`` (in key order an ordering question answers itself), so, as in the
exam API, a response is given in screen positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from certprep.app import Certprep
from certprep.content.schema import Blueprint, CheatSheet, Lesson, Question, QuestionType
from certprep.exam.scoring import ResponseError, from_presented, key_response, response_to_json, to_presented
from certprep.services import cards
from certprep.services.accounts import User
from certprep.services.errors import NotFound
from certprep.srs import RATINGS

__all__ = [
    "HEATMAP_WEEKS",
    "AnswerIn",
    "AnswerOut",
    "CardOut",
    "CheatSheetPageOut",
    "CheatSheetsOut",
    "HeatCell",
    "LessonPageOut",
    "LessonsOut",
    "LimitsIn",
    "LimitsOut",
    "QueueOut",
    "RatingIn",
    "RatingOut",
    "StatsOut",
    "StudyRequestError",
    "UndoOut",
    "anki_package",
    "answer",
    "card_data",
    "cheatsheet_data",
    "cheatsheets_data",
    "heatmap",
    "lesson_data",
    "lessons_data",
    "limits_out",
    "queue_data",
    "queue_filter",
    "rate",
    "save_limits",
    "stats_data",
    "undo",
]

HEATMAP_WEEKS = 26
FORECAST_DAYS = 30


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- cards: in ------------------------------------------------------------------------------------


class RatingIn(BaseModel):
    """A rating of a flashcard, made against the card ``version`` that was shown."""

    model_config = ConfigDict(extra="forbid")

    rating: Annotated[StrictInt, Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy.")]
    expected_version: Annotated[StrictInt, Field(ge=0, description="The card's `version` when it was shown.")]


class AnswerIn(BaseModel):
    """An answer to a missed question, in screen positions of the card view (``choices``):
    single ``2``; multiple ``[0, 3]``; ordering ``[1, 0, 2]``; matching ``{"0": 2, "1": 0}``."""

    model_config = ConfigDict(extra="forbid")

    response: StrictInt | list[StrictInt] | dict[str, StrictInt]
    expected_version: Annotated[StrictInt, Field(ge=0, description="The card's `version` when it was shown.")]


# --- cards: out -----------------------------------------------------------------------------------


class ExamTaskOut(_Out):
    exam: str
    task: str


class RatingChoiceOut(_Out):
    rating: int
    label: str
    next: str = Field(description="When the card comes back with this rating, e.g. 10m, 3d.")


class CardOut(_Out):
    """One review item as the review screen shows it. A flashcard has ``front``, ``back`` and the
    four ``ratings``; a missed question has ``stem`` and ``choices`` (shuffled) and is answered,
    not rated. Keys and rationales come only with the answer."""

    item_id: str
    kind: Literal["flashcard", "question"]
    version: int
    exams: list[ExamTaskOut]
    front: str | None = None
    back: str | None = None
    tags: list[str] = []
    ratings: list[RatingChoiceOut] = []
    type: str | None = None
    stem: str | None = None
    choices: list[str] = []
    prompts: list[str] = []
    select: int | None = Field(default=None, description="Multiple response: how many to select.")
    steps_to_order: int | None = Field(default=None, description="Ordering with extra steps: how many belong.")


class QueueItemOut(_Out):
    item_id: str
    kind: Literal["flashcard", "question"]
    source: Literal["learning", "review", "new"] = Field(
        description="learning: back after a learning step; review: due; new: a flashcard never studied."
    )


class LimitsOut(_Out):
    """Your daily limits (``saved``: set by you; otherwise the defaults)."""

    new_per_day: int
    reviews_per_day: int
    saved: bool


class LimitsIn(BaseModel):
    """Daily limits of the review queue: new flashcards started a day, reviews a day (learning steps
    of cards you just failed are not counted)."""

    model_config = ConfigDict(extra="forbid")

    new_per_day: Annotated[StrictInt, Field(ge=0, le=cards.MAX_NEW_PER_DAY)]
    reviews_per_day: Annotated[StrictInt, Field(ge=0, le=cards.MAX_REVIEWS_PER_DAY)]


class UndoOut(_Out):
    """A rating that can be undone (the last one), or that was just undone."""

    item_id: str
    kind: Literal["flashcard", "question"]
    rating: int
    label: str
    reviewed_at: datetime


class QueueOut(_Out):
    """Today's queue: cards back after a learning step, due items (most overdue first) up to the
    daily review limit, and new flashcards up to the daily new limit spread among them; filtered by
    ``kind`` (all, cards, missed), ``exam`` and ``domain``. ``next`` is the first item as the review
    screen shows it; ``undo`` the last rating, if it can be undone."""

    kind: Literal["all", "cards", "missed"]
    exam: str | None
    domain: str | None
    exams: list[str]
    domains: dict[str, list[str]] = Field(description="Each exam's domain numbers, for the filter.")
    due: int
    learning: int
    reviews_held: int = Field(description="Due reviews over today's limit: they come back tomorrow.")
    new: int
    new_limit: int
    review_limit: int
    new_introduced_today: int
    reviews_today: int
    limits: LimitsOut
    items: list[QueueItemOut]
    next: CardOut | None
    undo: UndoOut | None


class RatingOut(_Out):
    item_id: str
    rating: int
    due: datetime
    version: int


class ReferenceOut(_Out):
    title: str
    url: str


class ChoiceFeedbackOut(_Out):
    """A choice in screen order with its rationale. ``in_key``: a correct option, a step that
    belongs in the order, a response some prompt is matched to. ``chosen``: in your answer."""

    text: str
    rationale: str | None
    in_key: bool
    chosen: bool


class MatchFeedbackOut(_Out):
    prompt: str
    chosen: str | None
    answer: str
    right: bool
    rationale: str | None


class AnswerOut(RatingOut):
    """The result of answering a missed question in place (right rates it Good, wrong Again)."""

    correct: bool
    type: str
    stem: str
    response: Any = Field(description="Your answer, in screen positions.")
    key: Any = Field(description="The right answer, in screen positions.")
    choices: list[ChoiceFeedbackOut]
    your_order: list[str] | None = None
    right_order: list[str] | None = None
    matches: list[MatchFeedbackOut] = []
    references: list[ReferenceOut]


class StudyRequestError(ValueError):
    """A request that does not fit the item (an answer to a flashcard, a rating of a question)."""


# --- cards: functions -----------------------------------------------------------------------------


def card_data(app: Certprep, user: User, item_id: str, *, now: datetime) -> CardOut:
    """One item for review (``NotFound`` for an unknown item or another user's missed question)."""
    view = cards.card_view(app, user.id, item_id, now=now)
    exams = [ExamTaskOut(**e) for e in view["exams"]]
    if view["kind"] == "flashcard":
        ratings = [RatingChoiceOut(rating=int(k), label=v["label"], next=v["next"]) for k, v in view["ratings"].items()]
        return CardOut(
            item_id=item_id,
            kind="flashcard",
            version=view["version"],
            exams=exams,
            front=view["front"],
            back=view["back"],
            tags=view["tags"],
            ratings=sorted(ratings, key=lambda r: r.rating),
        )
    q = app.pack.question(item_id)
    return CardOut(
        item_id=item_id,
        kind="question",
        version=view["version"],
        exams=exams,
        type=view["type"],
        stem=view["stem"],
        choices=view["choices"],  # in the service's screen order
        prompts=view["prompts"],
        select=view["select"],
        steps_to_order=len(q.steps) if q.distractor_steps else None,
    )


def queue_filter(app: Certprep, kind: str | None, exam: str | None, domain: str | None) -> cards.QueueFilter:
    """The query's filter, checked (``StudyRequestError`` naming the bad value: a 422)."""
    try:
        return cards.check_filter(app, kind or "all", exam, domain)
    except cards.ReviewRequestError as exc:
        raise StudyRequestError(str(exc)) from exc


def _undo_out(undo: cards.UndoableReview) -> UndoOut:
    kind: Literal["flashcard", "question"] = "flashcard" if undo.kind == "flashcard" else "question"
    return UndoOut(
        item_id=undo.item_id,
        kind=kind,
        rating=undo.rating,
        label=RATINGS.get(undo.rating, str(undo.rating)),
        reviewed_at=undo.reviewed_at,
    )


def limits_out(limits: cards.CardLimits) -> LimitsOut:
    return LimitsOut(new_per_day=limits.new_per_day, reviews_per_day=limits.reviews_per_day, saved=limits.saved)


def queue_data(
    app: Certprep,
    user: User,
    *,
    now: datetime,
    where: cards.QueueFilter = cards.EVERY_ITEM,
    show: str | None = None,
) -> QueueOut:
    """The queue for ``where``; ``show``: an item to put first (the card whose rating was just undone)."""
    q = cards.queue(app, user.id, now=now, where=where)
    items = [QueueItemOut(item_id=e.item_id, kind=e.kind, source=e.source) for e in q.items]
    first = items[0].item_id if items else None
    if show is not None and any(i.item_id == show for i in items):
        first = show
    return QueueOut(
        kind=where.kind,
        exam=where.exam,
        domain=where.domain,
        exams=list(app.pack.exam_codes),
        domains={code: [d.id for d in app.pack.blueprints[code].domains] for code in app.pack.exam_codes},
        due=q.due,
        learning=q.learning,
        reviews_held=q.reviews_held,
        new=q.new,
        new_limit=q.limits.new_per_day,
        review_limit=q.limits.reviews_per_day,
        new_introduced_today=q.new_introduced_today,
        reviews_today=q.reviews_today,
        limits=limits_out(q.limits),
        items=items,
        next=card_data(app, user, first, now=now) if first else None,
        undo=_undo_out(q.undo) if q.undo else None,
    )


def undo(app: Certprep, user: User, *, now: datetime) -> UndoOut:
    """Undo the last rating (``cards.NothingToUndo`` when there is none that can be)."""
    return _undo_out(cards.undo_last(app, user.id, now=now))


def anki_package(app: Certprep, where: cards.QueueFilter) -> tuple[bytes, str]:
    """The flashcards of ``where``'s exam and domain as an Anki package: its bytes and file name."""
    package = cards.anki_package(app, where)
    return package.data, package.filename


def save_limits(app: Certprep, user: User, body: LimitsIn, *, now: datetime) -> LimitsOut:
    done = cards.save_limits(app, user.id, new_per_day=body.new_per_day, reviews_per_day=body.reviews_per_day, now=now)
    return limits_out(done)


def rate(app: Certprep, user: User, item_id: str, body: RatingIn, *, now: datetime) -> RatingOut:
    """Rate a flashcard. Raises ``cards.CardStateChanged`` for a stale version, ``NotFound``."""
    if card_data(app, user, item_id, now=now).kind != "flashcard":
        raise StudyRequestError(f"a missed question is answered, not rated: POST /api/cards/{item_id}/answer")
    result = cards.rate_card(app, user.id, item_id, body.rating, expected_version=body.expected_version, now=now)
    return RatingOut(**result)


def answer(app: Certprep, user: User, item_id: str, body: AnswerIn, *, now: datetime) -> AnswerOut:
    """Answer a missed question in place; the result carries every choice's rationale."""
    if card_data(app, user, item_id, now=now).kind != "question":
        raise StudyRequestError(f"a flashcard is rated, not answered: POST /api/cards/{item_id}/rating")
    q = app.pack.question(item_id)
    order = cards.presentation(q, user.id, body.expected_version)  # the order the learner was shown
    try:
        value = from_presented(q.type, order, body.response)
    except ResponseError as exc:
        raise cards.ReviewRequestError(f"invalid answer: {exc}") from exc
    result = cards.answer_question_item(
        app, user.id, item_id, body.response, expected_version=body.expected_version, now=now
    )
    return _feedback(q, order, value, result)


def _feedback(q: Question, order: tuple[int, ...], value: Any, result: dict[str, Any]) -> AnswerOut:
    key = key_response(q)
    shown = response_to_json(to_presented(order, value))
    common: dict[str, Any] = {
        "item_id": result["item_id"],
        "rating": result["rating"],
        "due": result["due"],
        "version": result["version"],
        "correct": result["correct"],
        "type": q.type.value,
        "stem": q.stem,
        "response": shown,
        "key": response_to_json(to_presented(order, key)),
        "references": [ReferenceOut(title=r.title, url=str(r.url)) for r in q.references],
    }
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        chosen = {value} if isinstance(value, int) else set(value)
        choices = [
            ChoiceFeedbackOut(text=o.text, rationale=o.rationale, in_key=o.correct, chosen=i in chosen)
            for i, o in ((i, q.options[i]) for i in order)
        ]
        return AnswerOut(**common, choices=choices)
    if q.type is QuestionType.ORDERING:
        steps = [*q.steps, *q.distractor_steps]
        placed = set(value)
        choices = [
            ChoiceFeedbackOut(
                text=steps[i].text, rationale=steps[i].rationale, in_key=i < len(q.steps), chosen=i in placed
            )
            for i in order
        ]
        return AnswerOut(
            **common,
            choices=choices,
            your_order=[steps[i].text for i in value],
            right_order=[s.text for s in q.steps],
        )
    responses = q.responses
    extras = {e.text: e.rationale for e in q.extra_responses}
    used = {p.response for p in q.pairs}
    matches = [
        MatchFeedbackOut(
            prompt=p.prompt,
            chosen=responses[value[i]] if i in value else None,
            answer=p.response,
            right=i in value and responses[value[i]] == p.response,
            rationale=p.rationale,
        )
        for i, p in enumerate(q.pairs)
    ]
    chosen_texts = {responses[v] for v in value.values()}
    choices = [
        ChoiceFeedbackOut(text=t, rationale=extras.get(t), in_key=t in used, chosen=t in chosen_texts)
        for t in (responses[i] for i in order)
    ]
    return AnswerOut(**common, choices=choices, matches=matches)


# --- statistics -----------------------------------------------------------------------------------


class StatsOut(_Out):
    """Reviews per day over the heatmap's weeks, the due forecast, true retention (30 days)."""

    since: date = Field(description="First day of the heatmap (a Monday).")
    today: date
    reviews_per_day: dict[str, int]
    reviews_total: int
    due_forecast: dict[str, int]
    true_retention: float | None
    retention_reviews: int
    desired_retention: float
    cards_known: int


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    level: int  # 0 none, 1..4 quarters of the busiest day
    week: int
    weekday: int


def stats_data(app: Certprep, user: User, *, now: datetime) -> StatsOut:
    today = now.date()
    since = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    s = cards.stats(app, user.id, now=now, days=(today - since).days + 1)
    per_day = {d: n for d, n in s["reviews_per_day"].items() if d >= since.isoformat()}
    return StatsOut(
        since=since,
        today=today,
        reviews_per_day=per_day,
        reviews_total=sum(per_day.values()),
        due_forecast=s["due_forecast"],
        true_retention=s["true_retention"],
        retention_reviews=s["retention_reviews"],
        desired_retention=s["desired_retention"],
        cards_known=s["cards_known"],
    )


def heatmap(stats: StatsOut) -> list[HeatCell]:
    """One cell per day from ``since`` to ``today``: columns are weeks, rows Monday..Sunday."""
    busiest = max(stats.reviews_per_day.values(), default=0)
    cells = []
    for offset in range((stats.today - stats.since).days + 1):
        day = stats.since + timedelta(days=offset)
        count = stats.reviews_per_day.get(day.isoformat(), 0)
        level = 0 if count == 0 else max(1, -(-4 * count // busiest))
        cells.append(HeatCell(day=day, count=count, level=level, week=offset // 7, weekday=offset % 7))
    return cells


# --- lessons and cheat sheets ---------------------------------------------------------------------


class LessonLinkOut(_Out):
    id: str
    title: str


class TaskOut(_Out):
    exam: str
    exam_availability: str | None
    task: str
    title: str
    domain: str
    domain_title: str
    questions: int
    flashcards: int


class TaskLessonsOut(_Out):
    id: str
    title: str
    lessons: list[LessonLinkOut]
    questions: int
    flashcards: int


class DomainLessonsOut(_Out):
    id: str
    title: str
    weight: int
    tasks: list[TaskLessonsOut]


class ExamLessonsOut(_Out):
    code: str
    title: str
    availability: str | None = Field(description="Whether and where the exam can still be booked.")
    domains: list[DomainLessonsOut]


class LessonsOut(_Out):
    """Every exam's domains and task statements, with the lessons that cover each."""

    exams: list[ExamLessonsOut]
    lessons_total: int


class LessonOut(_Out):
    id: str
    revision: int
    title: str
    body: str = Field(description="Markdown source; sanitize it before showing it as HTML.")


class FlashcardFrontOut(_Out):
    id: str
    front: str


class LessonPageOut(_Out):
    """A lesson, the task statements it covers (with their questions, to drill) and the fronts of
    their flashcards."""

    lesson: LessonOut
    tasks: list[TaskOut]
    flashcards: list[FlashcardFrontOut]


class CheatSheetLinkOut(_Out):
    id: str
    title: str
    domain: str
    domain_title: str


class ExamCheatSheetsOut(_Out):
    code: str
    title: str
    availability: str | None
    sheets: list[CheatSheetLinkOut]


class CheatSheetsOut(_Out):
    exams: list[ExamCheatSheetsOut]


class CheatSheetOut(_Out):
    id: str
    revision: int
    title: str
    exam: str
    exam_availability: str | None
    domain: str
    domain_title: str
    body: str = Field(description="Markdown source; sanitize it before showing it as HTML.")


class CheatSheetPageOut(_Out):
    cheatsheet: CheatSheetOut
    lessons: list[LessonLinkOut] = Field(description="Lessons on task statements of the same domain.")


def _counts(app: Certprep) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Questions and flashcards per (exam, task), computed once per pack."""
    key = "study:task-counts"
    if key not in app.cache:
        questions: dict[tuple[str, str], int] = {}
        flashcards: dict[tuple[str, str], int] = {}
        for q in app.pack.questions:
            for e in {(e.exam, e.task) for e in q.exams}:
                questions[e] = questions.get(e, 0) + 1
        for c in app.pack.flashcards:
            for e in {(e.exam, e.task) for e in c.exams}:
                flashcards[e] = flashcards.get(e, 0) + 1
        app.cache[key] = (questions, flashcards)
    counts: tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]] = app.cache[key]
    return counts


def _blueprints(app: Certprep) -> list[Blueprint]:
    return [app.pack.blueprints[code] for code in app.pack.exam_codes]


def lessons_data(app: Certprep) -> LessonsOut:
    questions, flashcards = _counts(app)
    covering: dict[tuple[str, str], list[LessonLinkOut]] = {}
    for lesson in app.pack.lessons:
        for e in lesson.exams:
            covering.setdefault((e.exam, e.task), []).append(LessonLinkOut(id=lesson.id, title=lesson.title))
    exams = [
        ExamLessonsOut(
            code=bp.code,
            title=bp.title,
            availability=bp.availability,
            domains=[
                DomainLessonsOut(
                    id=d.id,
                    title=d.title,
                    weight=d.weight,
                    tasks=[
                        TaskLessonsOut(
                            id=t.id,
                            title=t.title,
                            lessons=covering.get((bp.code, t.id), []),
                            questions=questions.get((bp.code, t.id), 0),
                            flashcards=flashcards.get((bp.code, t.id), 0),
                        )
                        for t in d.tasks
                    ],
                )
                for d in bp.domains
            ],
        )
        for bp in _blueprints(app)
    ]
    return LessonsOut(exams=exams, lessons_total=len(app.pack.lessons))


def _lesson(app: Certprep, lesson_id: str) -> Lesson:
    for lesson in app.pack.lessons:
        if lesson.id == lesson_id:
            return lesson
    raise NotFound("lesson")


def lesson_data(app: Certprep, lesson_id: str) -> LessonPageOut:
    lesson = _lesson(app, lesson_id)
    questions, flashcards = _counts(app)
    tasks = []
    for e in lesson.exams:
        bp = app.pack.blueprints.get(e.exam)
        if bp is None or e.task not in bp.task_ids:
            continue  # the linter reports it; the page shows what it can
        domain = bp.domain_of(e.task)
        title = next(t.title for t in domain.tasks if t.id == e.task)
        tasks.append(
            TaskOut(
                exam=e.exam,
                exam_availability=bp.availability,
                task=e.task,
                title=title,
                domain=domain.id,
                domain_title=domain.title,
                questions=questions.get((e.exam, e.task), 0),
                flashcards=flashcards.get((e.exam, e.task), 0),
            )
        )
    refs = {(e.exam, e.task) for e in lesson.exams}
    fronts = [
        FlashcardFrontOut(id=c.id, front=c.front)
        for c in app.pack.flashcards
        if any((e.exam, e.task) in refs for e in c.exams)
    ]
    return LessonPageOut(
        lesson=LessonOut(id=lesson.id, revision=lesson.revision, title=lesson.title, body=lesson.body),
        tasks=tasks,
        flashcards=fronts,
    )


def _domain_title(app: Certprep, sheet: CheatSheet) -> str:
    bp = app.pack.blueprints.get(sheet.exam)
    domain = next((d for d in bp.domains if d.id == sheet.domain), None) if bp else None
    return domain.title if domain else ""


def cheatsheets_data(app: Certprep) -> CheatSheetsOut:
    by_exam: dict[str, list[CheatSheetLinkOut]] = {}
    for sheet in sorted(app.pack.cheatsheets, key=lambda s: (s.exam, int(s.domain), s.id)):
        link = CheatSheetLinkOut(
            id=sheet.id, title=sheet.title, domain=sheet.domain, domain_title=_domain_title(app, sheet)
        )
        by_exam.setdefault(sheet.exam, []).append(link)
    exams = [
        ExamCheatSheetsOut(
            code=code,
            title=app.pack.blueprints[code].title,
            availability=app.pack.blueprints[code].availability,
            sheets=by_exam[code],
        )
        for code in app.pack.exam_codes
        if code in by_exam
    ]
    return CheatSheetsOut(exams=exams)


def cheatsheet_data(app: Certprep, sheet_id: str) -> CheatSheetPageOut:
    sheet = next((s for s in app.pack.cheatsheets if s.id == sheet_id), None)
    if sheet is None:
        raise NotFound("cheat sheet")
    bp = app.pack.blueprints.get(sheet.exam)
    lessons = [
        LessonLinkOut(id=lesson.id, title=lesson.title)
        for lesson in app.pack.lessons
        if bp is not None
        and any(
            e.exam == sheet.exam and e.task in bp.task_ids and bp.domain_of(e.task).id == sheet.domain
            for e in lesson.exams
        )
    ]
    return CheatSheetPageOut(
        cheatsheet=CheatSheetOut(
            id=sheet.id,
            revision=sheet.revision,
            title=sheet.title,
            exam=sheet.exam,
            exam_availability=bp.availability if bp else None,
            domain=sheet.domain,
            domain_title=_domain_title(app, sheet),
            body=sheet.body,
        ),
        lessons=lessons,
    )
