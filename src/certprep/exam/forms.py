"""Exam forms: which questions, in which order, with which options shown where.

A form is assembled from a question bank and an exam blueprint by a pure function that takes the
random generator explicitly, so the same bank, blueprint and seed always give the same form.
For speed, index the bank once per content version with ``ExamBank.build`` and pass the index
(docs/benchmarks.md). docs/scoring.md explains how a form is scored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from certprep.content.gauges import gauge_problems, gauges
from certprep.content.schema import Blueprint, Question, QuestionType
from certprep.exam.bank import Bucket, ExamBank

__all__ = [
    "DIFFICULTY_MIX",
    "FIXED_FORM_COUNT",
    "ExamBank",
    "Form",
    "FormItem",
    "Shortfall",
    "assemble_form",
    "choice_rationales",
    "choice_texts",
    "domain_counts",
    "fixed_form_seed",
    "fixed_forms",
    "practice_exams",
    "shuffled_presentation",
]

# Target share of each difficulty inside a domain (content-guide: 25% / 50% / 25%).
DIFFICULTY_MIX: Mapping[int, Fraction] = MappingProxyType({1: Fraction(1, 4), 2: Fraction(1, 2), 3: Fraction(1, 4)})
_NO_PREFERENCE: Mapping[str, int] = MappingProxyType({})
_TYPES_WITH_CASES = frozenset({*(t.value for t in QuestionType), "case_study"})


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormItem:
    """One question of a form.

    ``presentation`` is the order in which the answer choices are shown, as canonical indexes:
    single/multiple: option indexes; ordering: step keys (``0..len(steps)-1`` are the real steps,
    then the distractor steps); matching: indexes into ``Question.responses``. Position ``k`` on
    screen shows choice ``presentation[k]``.

    ``scored`` must never reach the learner before the attempt is submitted.
    """

    question_id: str
    revision: int
    type: QuestionType
    task: str
    domain: str
    scored: bool
    presentation: tuple[int, ...]
    case_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "revision": self.revision,
            "type": self.type.value,
            "task": self.task,
            "domain": self.domain,
            "scored": self.scored,
            "presentation": list(self.presentation),
            "case_id": self.case_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormItem:
        try:
            return cls(
                question_id=str(data["question_id"]),
                revision=int(data["revision"]),
                type=QuestionType(data["type"]),
                task=str(data["task"]),
                domain=str(data["domain"]),
                scored=bool(data["scored"]),
                presentation=tuple(int(i) for i in data["presentation"]),
                case_id=None if data.get("case_id") is None else str(data["case_id"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a valid form item: {exc!r}") from exc


@dataclass(frozen=True)
class Shortfall:
    """The bank could not supply ``wanted`` questions for ``domain`` (None: for the whole form)."""

    domain: str | None
    wanted: int
    got: int

    def __str__(self) -> str:
        if self.domain is None:
            return f"the form: wanted {self.wanted} questions, the bank could fill {self.got}"
        return f"domain {self.domain}: wanted {self.wanted} questions, the bank had {self.got}"

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "wanted": self.wanted, "got": self.got}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shortfall:
        domain = data.get("domain")
        return cls(domain=None if domain is None else str(domain), wanted=int(data["wanted"]), got=int(data["got"]))


@dataclass(frozen=True)
class Form:
    """An ordered set of questions for one exam; the questions of a case study are adjacent."""

    exam: str
    blueprint_revision: int
    items: tuple[FormItem, ...]
    title: str = ""
    shortfalls: tuple[Shortfall, ...] = ()
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {item.question_id: i for i, item in enumerate(self.items)}
        if len(index) != len(self.items):
            raise ValueError("a form lists a question twice")
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(item.question_id for item in self.items)

    @property
    def scored_items(self) -> tuple[FormItem, ...]:
        return tuple(item for item in self.items if item.scored)

    def index_of(self, question_id: str) -> int:
        """Position of ``question_id`` in the form; ``KeyError`` when it is not on the form."""
        return self._index[question_id]

    def item(self, question_id: str) -> FormItem:
        return self.items[self.index_of(question_id)]

    def to_dict(self) -> dict[str, Any]:
        """The form as JSON-ready data (built once per form: an attempt writes it with every answer;
        the result is shared, so treat it as read-only)."""
        return self._as_dict

    @functools.cached_property
    def _as_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "blueprint_revision": self.blueprint_revision,
            "title": self.title,
            "items": [item.to_dict() for item in self.items],
            "shortfalls": [s.to_dict() for s in self.shortfalls],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Form:
        try:
            return cls(
                exam=str(data["exam"]),
                blueprint_revision=int(data["blueprint_revision"]),
                title=str(data.get("title", "")),
                items=tuple(FormItem.from_dict(d) for d in data["items"]),
                shortfalls=tuple(Shortfall.from_dict(d) for d in data.get("shortfalls", ())),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a valid form: {exc!r}") from exc

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Form:
        return cls.from_dict(json.loads(text))


# --- counts per domain ------------------------------------------------------------------------


def _selected_domains(blueprint: Blueprint, domains: Iterable[str] | None) -> tuple[str, ...]:
    known = tuple(d.id for d in blueprint.domains)
    if domains is None:
        return known
    wanted = {str(d) for d in domains}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ValueError(f"exam {blueprint.code} has no domain {', '.join(unknown)}")
    if not wanted:
        raise ValueError("choose at least one domain")
    return tuple(d for d in known if d in wanted)


def _quotas(blueprint: Blueprint, n: int, domains: Sequence[str]) -> dict[str, Fraction]:
    weights = {d.id: d.weight for d in blueprint.domains if d.id in domains}
    total = sum(weights.values())
    return {d: Fraction(w * n, total) for d, w in weights.items()}


def domain_counts(blueprint: Blueprint, n: int, *, domains: Iterable[str] | None = None) -> dict[str, int]:
    """Questions per domain for an ``n``-question form: the largest-remainder method on the weights.

    With ``domains`` only those domains count and their weights are renormalised. Ties between
    equal remainders go to the domain listed first in the blueprint. For MLA-C01, 65 questions
    give ``{"1": 18, "2": 17, "3": 14, "4": 16}`` and 50 give 14/13/11/12.
    """
    if n < 0:
        raise ValueError("the number of questions cannot be negative")
    chosen = _selected_domains(blueprint, domains)
    quotas = _quotas(blueprint, n, chosen)
    counts = {d: int(q) for d, q in quotas.items()}  # int() floors a non-negative Fraction
    left = n - sum(counts.values())
    by_remainder = sorted(chosen, key=lambda d: (-(quotas[d] - counts[d]), chosen.index(d)))
    for d in by_remainder[:left]:
        counts[d] += 1
    return counts


# --- assembly ---------------------------------------------------------------------------------

_Member = tuple[Question, str, str]  # question, task statement, domain
_Deferred = tuple[Bucket, str, list[_Member]]  # where a case study came from, its id, its questions


class _Assembler:
    """The mutable working state of one ``assemble_form`` call (never escapes it)."""

    def __init__(self, bank: ExamBank, blueprint: Blueprint, n: int, rng: random.Random, domains: tuple[str, ...]):
        self.bank = bank
        self.n = n
        self.rng = rng
        self.domains = domains
        self.quotas = _quotas(blueprint, n, domains)
        self.targets = domain_counts(blueprint, n, domains=domains)
        self.tasks = {d.id: [t.id for t in d.tasks] for d in blueprint.domains if d.id in domains}
        self.task_domain = {t: d for d, ts in self.tasks.items() for t in ts}
        # per task statement: candidates bucketed by (preference, difficulty)
        self.pools: dict[str, dict[tuple[int, int], Bucket]] = {t: {} for t in self.task_domain}
        self.counts = dict.fromkeys(domains, 0)
        self.task_counts = dict.fromkeys(self.task_domain, 0)
        self.difficulty_counts = {d: dict.fromkeys(DIFFICULTY_MIX, 0) for d in domains}
        self.used_cases: set[str] = set()
        self.used_ids: set[str] = set()
        self.picked: list[list[_Member]] = []
        self.total = 0
        # round-robin over the tasks of each domain, starting at a random task
        self.rotation = {d: rng.randrange(len(ts)) for d, ts in self.tasks.items()}

    def load(self, preference: Mapping[str, int], types: frozenset[str] | None) -> None:
        """Fill the pools from the bank's groups; costs O(groups + len(preference)), not O(bank)."""
        marks = self.bank.levels(preference) if preference else {}
        for key, entries in self.bank.groups.items():
            task, kind, difficulty = key
            pool = self.pools.get(task)
            if pool is None or (types is not None and kind not in types):
                continue
            marked = marks.get(key)
            if not marked:
                _bucket(pool, 0, difficulty).add(entries)
                continue
            by_level: dict[int, list[int]] = {}
            for position, level in sorted(marked.items()):
                by_level.setdefault(level, []).append(position)
            _bucket(pool, 0, difficulty).add(entries, [i for i in range(len(entries)) if i not in marked])
            for level, positions in by_level.items():
                _bucket(pool, level, difficulty).add(entries, positions)

    # picking

    def _level(self, task: str) -> int | None:
        """The lowest preference still present in ``task``'s pool (empty buckets dropped)."""
        buckets = self.pools[task]
        for key in [k for k, v in buckets.items() if not v]:
            del buckets[key]
        return min((p for p, _ in buckets), default=None)

    def _difficulty_order(self, domain: str) -> list[int]:
        have = self.difficulty_counts[domain]
        after = sum(have.values()) + 1
        return sorted(DIFFICULTY_MIX, key=lambda d: (-(DIFFICULTY_MIX[d] * after - have[d]), d))

    def _overshoots(self, members: list[_Member]) -> bool:
        extra: dict[str, int] = {}
        for _, _, domain in members:
            extra[domain] = extra.get(domain, 0) + 1
        return any(self.counts[d] + k > self.targets[d] for d, k in extra.items())

    def _pick_at(self, task: str, domain: str, level: int, deferred: list[_Deferred]) -> list[_Member] | None:
        """A random usable unit of ``task`` at preference ``level``, most-needed difficulty first.

        A case study that would push a domain over its count goes to ``deferred`` instead.
        """
        buckets = self.pools[task]
        for difficulty in self._difficulty_order(domain):
            bucket = buckets.get((level, difficulty))
            while bucket:
                entry = bucket.pop(self.rng)
                if not isinstance(entry, str):
                    if entry.id in self.used_ids:  # the bank repeats this id
                        continue
                    return [(entry, task, domain)]
                if entry in self.used_cases:  # already taken through another of its tasks
                    continue
                members = [(q, t, self.task_domain[t]) for q, t in self.bank.cases[entry] if t in self.task_domain]
                if self.total + len(members) > self.n or any(q.id in self.used_ids for q, _, _ in members):
                    continue  # too big now, so too big for good
                if self._overshoots(members):
                    deferred.append((bucket, entry, members))
                    continue
                self.used_cases.add(entry)
                return members
        return None

    def pick_for_domain(self, domain: str) -> bool:
        """Add one unit (a question or a whole case study) from ``domain``; False when it has none.

        The lowest preference wins over the spread across task statements (unseen-first must mean
        unseen first); among tasks at that level the least-served task goes next, starting from
        a random task. A case study that would push a domain over its count is taken only when
        nothing else at that level fits; ``_settle_overshoot`` then keeps the total at ``n``.
        """
        tasks = self.tasks[domain]
        start = self.rotation[domain]
        while True:
            levels = {i: lv for i, t in enumerate(tasks) if (lv := self._level(t)) is not None}
            if not levels:
                return False
            lowest = min(levels.values())
            order = sorted(
                (i for i, lv in levels.items() if lv == lowest),
                key=lambda i: (self.task_counts[tasks[i]], (i - start) % len(tasks)),
            )
            deferred: list[_Deferred] = []
            members: list[_Member] | None = None
            for i in order:
                members = self._pick_at(tasks[i], domain, lowest, deferred)
                if members is not None:
                    break
            if members is None and deferred:
                _, case_id, members = deferred.pop(self.rng.randrange(len(deferred)))
                self.used_cases.add(case_id)
            for bucket, case_id, _ in deferred:
                bucket.put_back(case_id)  # for a later pick
            if members is not None:
                self._add(members)
                return True
            # only stale case entries were left at that level; they are gone now, so look again

    def _add(self, members: list[_Member]) -> None:
        self.picked.append(members)
        for q, task, domain in members:
            self.used_ids.add(q.id)
            self.counts[domain] += 1
            self.task_counts[task] += 1
            self.difficulty_counts[domain][q.difficulty] += 1
        self.total += len(members)
        self._settle_overshoot()

    def _settle_overshoot(self) -> None:
        """A case study may push a domain over its count; take the seats back elsewhere.

        The seat comes from the domain that still has open seats and whose count is furthest above
        its exact quota (the one that won the largest remainder), so the total stays ``n``.
        """
        for domain in self.domains:
            while self.counts[domain] > self.targets[domain]:
                self.targets[domain] += 1
                donors = [d for d in self.domains if self.targets[d] > self.counts[d]]
                if not donors:  # cannot happen while total <= n; keep the sum honest anyway
                    break
                donor = max(donors, key=lambda d: (self.targets[d] - self.quotas[d], -self.domains.index(d)))
                self.targets[donor] -= 1

    def fill(self) -> list[Shortfall]:
        """Fill every domain to its count, then fill any gap from the other domains."""
        empty: set[str] = set()
        for domain in self.domains:
            while self.counts[domain] < self.targets[domain] and self.total < self.n:
                if not self.pick_for_domain(domain):
                    empty.add(domain)
                    break
        shortfalls = [
            Shortfall(d, self.targets[d], self.counts[d]) for d in self.domains if self.counts[d] < self.targets[d]
        ]
        while self.total < self.n:
            open_domains = [d for d in self.domains if d not in empty]
            if not open_domains:
                shortfalls.append(Shortfall(None, self.n, self.total))
                break
            domain = max(open_domains, key=lambda d: (self.quotas[d] - self.counts[d], -self.domains.index(d)))
            if not self.pick_for_domain(domain):
                empty.add(domain)
        return shortfalls


def _bucket(pool: dict[tuple[int, int], Bucket], level: int, difficulty: int) -> Bucket:
    bucket = pool.get((level, difficulty))
    if bucket is None:
        bucket = pool[(level, difficulty)] = Bucket()
    return bucket


def choice_texts(q: Question) -> list[str]:
    """The texts of a question's answer choices in canonical order (options, steps then
    distractor steps, or matching responses): what ``FormItem.presentation`` indexes."""
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return [o.text for o in q.options]
    if q.type is QuestionType.ORDERING:
        return [s.text for s in (*q.steps, *q.distractor_steps)]
    return list(q.responses)


def choice_rationales(q: Question) -> list[str | None]:
    """The rationale of each answer choice, in the canonical order of ``choice_texts``."""
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return [o.rationale for o in q.options]
    if q.type is QuestionType.ORDERING:
        return [s.rationale for s in (*q.steps, *q.distractor_steps)]
    by_text: dict[str, str | None] = {}
    for pair in q.pairs:
        by_text.setdefault(pair.response, pair.rationale)
    for extra in q.extra_responses:
        by_text.setdefault(extra.text, extra.rationale)
    return [by_text[t] for t in q.responses]


def shuffled_presentation(q: Question, rng: random.Random) -> tuple[int, ...]:
    """A screen order of ``q``'s answer choices (canonical indexes), the one shuffle of every
    interface: exam forms and the review of missed questions (``services.cards``)."""
    order = list(range(len(choice_texts(q))))
    rng.shuffle(order)
    if q.type in (QuestionType.ORDERING, QuestionType.MATCHING) and len(order) > 1:
        # Shown in key order, an ordering question answers itself, and a matching question lines
        # each response up with its prompt: never show the identity.
        while order == sorted(order):
            rng.shuffle(order)
    return tuple(order)


def _choose_unscored(
    members: list[_Member], unscored: int, blueprint: Blueprint, domains: tuple[str, ...], rng: random.Random
) -> set[int]:
    """Positions of the unscored items.

    Chosen by ``rng`` inside each domain so that the *scored* items follow the weights for
    ``len - unscored`` questions (weights are "% of scored content"); any gap left by case studies
    or shortfalls is closed with random picks.
    """
    if unscored == 0:
        return set()
    by_domain: dict[str, list[int]] = {d: [] for d in domains}
    for pos, (_, _, domain) in enumerate(members):
        by_domain[domain].append(pos)
    scored_target = domain_counts(blueprint, len(members) - unscored, domains=domains)
    take = {d: max(0, len(by_domain[d]) - scored_target[d]) for d in domains}
    while sum(take.values()) > unscored:
        d = rng.choice([d for d in domains if take[d] > 0])
        take[d] -= 1
    while sum(take.values()) < unscored:
        d = rng.choice([d for d in domains if take[d] < len(by_domain[d])])
        take[d] += 1
    chosen: set[int] = set()
    for d in domains:
        chosen.update(rng.sample(by_domain[d], take[d]))
    return chosen


def assemble_form(
    questions: Iterable[Question] | ExamBank,
    blueprint: Blueprint,
    n: int,
    rng: random.Random,
    *,
    preference: Mapping[str, int] = _NO_PREFERENCE,
    unscored: int = 0,
    domains: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    title: str = "",
) -> Form:
    """Assemble an ``n``-question form for ``blueprint.code`` from the bank ``questions``.

    ``questions`` is any iterable of questions, or an ``ExamBank`` built from them once (much
    faster when many forms come from the same bank: the service keeps one per content version).

    - Questions per domain follow ``domain_counts`` (only ``domains`` when given, weights
      renormalised); inside a domain the task statements take turns, and difficulties are mixed
      towards ``DIFFICULTY_MIX``.
    - Lower ``preference`` first (times seen for unseen-first, times used for fixed forms; a
      missing id counts 0); ties are broken by ``rng``. A case study takes the largest value of
      its questions. Preference beats the spread across task statements.
    - The questions of a case study stay together, in bank order, and each counts in its own
      domain. A case that would push a domain over its count is taken only when nothing else
      fits; then the domains go over by at most the case's size minus one in all, and each seat is
      taken back from the domain that won the largest remainder, so the total stays ``n``.
    - ``types`` keeps standalone questions of those types; case-study questions are kept when
      ``"case_study"`` is listed.
    - If the bank runs short for a domain the gap is filled from the others and recorded in
      ``Form.shortfalls``; if the whole bank runs short the form is shorter than ``n`` and the
      unscored count shrinks in proportion.
    - ``unscored`` items are chosen by ``rng`` and marked ``scored=False``, inside each domain so
      that the scored items follow the weights (weights are "% of scored content").
    - Units (questions or whole case studies) are shuffled, and so are the answer choices.
    """
    if n < 1:
        raise ValueError("a form needs at least one question")
    if not 0 <= unscored < n:
        raise ValueError("unscored must be at least 0 and less than the number of questions")
    chosen_domains = _selected_domains(blueprint, domains)
    type_filter: frozenset[str] | None = None
    if types is not None:
        type_filter = frozenset(str(t) for t in types)
        unknown = sorted(type_filter - _TYPES_WITH_CASES)
        if unknown:
            raise ValueError(f"unknown question type {', '.join(unknown)}")

    bank = questions if isinstance(questions, ExamBank) else ExamBank.build(questions, blueprint)
    if bank.exam != blueprint.code:
        raise ValueError(f"the bank was built for {bank.exam}, not {blueprint.code}")
    work = _Assembler(bank, blueprint, n, rng, chosen_domains)
    work.load(preference, type_filter)
    shortfalls = work.fill()

    units = list(work.picked)
    rng.shuffle(units)
    members = [m for unit in units for m in unit]
    if len(members) < n:
        unscored = min(unscored * len(members) // n, max(len(members) - 1, 0))
    hidden = _choose_unscored(members, unscored, blueprint, chosen_domains, rng)
    items = tuple(
        FormItem(
            question_id=q.id,
            revision=q.revision,
            type=q.type,
            task=task,
            domain=domain,
            scored=pos not in hidden,
            presentation=shuffled_presentation(q, rng),
            case_id=q.case_id,
        )
        for pos, (q, task, domain) in enumerate(members)
    )
    return Form(
        exam=blueprint.code,
        blueprint_revision=blueprint.revision,
        items=items,
        title=title,
        shortfalls=tuple(shortfalls),
    )


# --- fixed practice exams ---------------------------------------------------------------------


def fixed_form_seed(exam: str, number: int, draft: int = 0) -> int:
    """The seed of draft ``draft`` of "Practice Exam ``number``" of ``exam``: stable across processes
    and machines (``hash()`` of a str is salted per process, so it is never used)."""
    suffix = f":{draft}" if draft else ""
    digest = hashlib.sha256(f"certprep:fixed-form:{exam}:{number}{suffix}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


MAX_DRAFTS = 64
FIXED_FORM_COUNT = 6


def fixed_forms(
    questions: Iterable[Question],
    blueprint: Blueprint,
    count: int = 6,
    *,
    problems: Callable[[Sequence[Question]], Sequence[str]] | None = None,
) -> list[Form]:
    """Practice Exam 1..``count``: full-length forms, the same for every user of the same bank.

    The bank is sorted by id and each form is seeded from the exam code and its number, so the
    forms depend only on the bank's content. Overlap is minimised greedily: each form prefers the
    questions used least by the forms before it. With ``problems`` (what is wrong with a set of
    questions, e.g. the item-writing gauges of ``content.gauges``), each form is the first of up to
    ``MAX_DRAFTS`` seeded drafts with no problem, or else the draft with the fewest.
    """
    if count < 0:
        raise ValueError("count cannot be negative")
    ordered = sorted(questions, key=lambda q: q.id)
    by_id = {q.id: q for q in ordered}
    bank = ExamBank.build(ordered, blueprint)
    used: Counter[str] = Counter()
    forms: list[Form] = []
    for number in range(1, count + 1):
        best: tuple[int, Form] | None = None
        for draft in range(MAX_DRAFTS if problems is not None else 1):
            form = assemble_form(
                bank,
                blueprint,
                blueprint.questions_total,
                random.Random(fixed_form_seed(blueprint.code, number, draft)),
                preference=used,
                unscored=blueprint.questions_unscored,
                title=f"Practice Exam {number}",
            )
            found = len(problems([by_id[qid] for qid in form.question_ids])) if problems else 0
            if best is None or found < best[0]:
                best = (found, form)
            if found == 0:
                break
        assert best is not None
        used.update(best[1].question_ids)
        forms.append(best[1])
    return forms


def _writing_problems(questions: Sequence[Question]) -> list[str]:
    return gauge_problems(gauges(questions))


def practice_exams(questions: Iterable[Question], blueprint: Blueprint) -> list[Form]:
    """The six fixed Practice Exams of an exam as every interface serves them: each checked on its
    own against the item-writing gauges (key length rank, absolute words, stem-key overlap, Select
    THREE share), so that no form can be passed by reading the options alone."""
    return fixed_forms(questions, blueprint, FIXED_FORM_COUNT, problems=_writing_problems)
