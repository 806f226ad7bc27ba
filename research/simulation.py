"""Simulated learners for the calibration study (benchmarks/bench_calibration.py, docs/readiness.md).

A generative model that is deliberately *not* the predictor's model, so the study can catch a
predictor that only agrees with itself:

- **Ability** is logistic (IRT), per task statement: a general level plus a task deviation, and a
  guessing floor. Items have a true difficulty around their author label, with noise the label
  does not reveal.
- **Learning**: every answer on a task raises its ability by a learner-specific rate, with
  diminishing returns up to a ceiling; **forgetting**: the gain decays with a learner-specific
  half-life.
- **Memory of items**: a question seen before is easier for a while (the learner read its
  rationale), so re-answering the small bank flatters the raw percent correct.
- **Behaviour**: a varied amount of practice (10 to 1,200 answers, log-uniform) over a varied
  span; drills on the learner's favourite task statements (uneven coverage), full-length mocks,
  reviews of missed questions; then a gap, then the exam.
- **The exam**: a fresh 50-scored-item form (never-seen items) with the blueprint's domain counts,
  round-robin task statements and the 25/50/25 difficulty mix; pass means
  ``scaled_score >= passing_score``.

Everything is drawn from the ``random.Random`` passed in, so a seed fixes the whole study.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from certprep.analytics.observations import Observation, Source
from certprep.content.schema import Blueprint
from certprep.exam.forms import domain_counts
from certprep.exam.scoring import scaled_score

__all__ = ["Population", "SimulatedLearner", "simulate_learner"]

_EPOCH = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
_LABELS: tuple[tuple[int, float], ...] = ((1, 0.25), (2, 0.5), (3, 0.25))


@dataclass(frozen=True)
class Population:
    """Parameters of the generative model (logits unless stated)."""

    ability_mean: float = 0.2  # general level before any practice
    ability_sd: float = 0.9
    task_sd: float = 0.5  # a task statement's deviation from the general level
    difficulty: tuple[float, float, float] = (-0.9, 0.0, 0.9)  # true difficulty of labels 1, 2, 3...
    item_sd: float = 0.5  # ...plus this much per item, unknown to the predictor
    guess: float = 0.2
    learn_rate: tuple[float, float] = (0.01, 0.08)  # gain per answer at the start, uniform range
    max_gain: float = 1.6  # ceiling of what practice adds to a task
    forget_half_life_days: tuple[float, float] = (20.0, 150.0)
    memory: float = 0.5  # a seen question: p moves this share of the way to 1...
    memory_half_life_days: float = 10.0  # ...fading with this half-life
    answers: tuple[int, int] = (10, 1200)  # log-uniform
    span_days: tuple[float, float] = (5.0, 90.0)
    gap_days: tuple[float, float] = (0.5, 21.0)
    bank_per_task: int = 25
    mock_share: float = 0.15  # chance that a session is a full-length mock (when enough answers remain)
    review_share: float = 0.15  # chance that a session reviews missed questions (when there are any)


@dataclass(frozen=True)
class SimulatedLearner:
    observations: tuple[Observation, ...]
    exam_at: datetime
    raw: int  # right answers on the 50 scored items
    passed: bool
    true_percent: float  # the expected raw percent on the exam form (not known to predictors)


@dataclass
class _Item:
    qid: str
    task: str
    label: int
    b: float
    seen_at: float | None = None  # days since the epoch


def _label(rng: random.Random) -> int:
    u = rng.random()
    for label, share in _LABELS:
        if u < share:
            return label
        u -= share
    return 3


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Learner:
    """The mutable state of one simulated learner (never escapes ``simulate_learner``)."""

    def __init__(self, blueprint: Blueprint, pop: Population, rng: random.Random) -> None:
        self.bp = blueprint
        self.pop = pop
        self.rng = rng
        general = rng.gauss(pop.ability_mean, pop.ability_sd)
        self.base = {t: general + rng.gauss(0.0, pop.task_sd) for t in blueprint.task_ids}
        self.gain = dict.fromkeys(blueprint.task_ids, 0.0)
        self.gain_at = dict.fromkeys(blueprint.task_ids, 0.0)
        self.rate = rng.uniform(*pop.learn_rate)
        self.forget = math.log(2.0) / rng.uniform(*pop.forget_half_life_days)
        self.domain_of = {t.id: d.id for d in blueprint.domains for t in d.tasks}
        self.domain_tasks = {d.id: [t.id for t in d.tasks] for d in blueprint.domains}
        self.bank = {
            t: [
                _Item(f"{t}-{i}", t, label, pop.difficulty[label - 1] + rng.gauss(0.0, pop.item_sd))
                for i, label in ((i, _label(rng)) for i in range(pop.bank_per_task))
            ]
            for t in blueprint.task_ids
        }
        self.missed: dict[str, _Item] = {}
        self.observations: list[Observation] = []

    def ability(self, task: str, day: float) -> float:
        gain = self.gain[task] * math.exp(-self.forget * (day - self.gain_at[task]))
        self.gain[task], self.gain_at[task] = gain, day
        return self.base[task] + gain

    def p_right(self, item: _Item, day: float) -> float:
        pop = self.pop
        p = pop.guess + (1.0 - pop.guess) * _sigmoid(self.ability(item.task, day) - item.b)
        if item.seen_at is not None:
            p += (1.0 - p) * pop.memory * 0.5 ** ((day - item.seen_at) / pop.memory_half_life_days)
        return p

    def answer(self, item: _Item, day: float, source: Source) -> None:
        right = self.rng.random() < self.p_right(item, day)
        item.seen_at = day
        if right:
            self.missed.pop(item.qid, None)
        else:
            self.missed[item.qid] = item
        gain = self.gain[item.task]  # ability() just brought it up to ``day``
        self.gain[item.task] = gain + self.rate * (self.pop.max_gain - gain) / self.pop.max_gain
        self.observations.append(
            Observation(
                question_id=item.qid,
                task=item.task,
                domain=self.domain_of[item.task],
                exam=self.bp.code,
                correct=right,
                at=_EPOCH + timedelta(days=day),
                difficulty=1 if item.label == 1 else 3 if item.label == 3 else 2,
                source=source,
            )
        )

    def pick(self, task: str) -> _Item:
        """Unseen first (as certprep assembles practice), else any."""
        items = self.bank[task]
        unseen = [i for i in items if i.seen_at is None]
        return self.rng.choice(unseen or items)

    def form_tasks(self, n: int) -> list[str]:
        """Task statements of an ``n``-item form: domain counts, round-robin from a random start."""
        tasks: list[str] = []
        for domain, count in domain_counts(self.bp, n).items():
            ids = self.domain_tasks[domain]
            start = self.rng.randrange(len(ids))
            tasks += [ids[(start + j) % len(ids)] for j in range(count)]
        return tasks


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _preferences(tasks: Sequence[str], rng: random.Random) -> list[float]:
    """A learner's taste for task statements: Dirichlet with a concentration from 0.3 (very uneven) to 3."""
    concentration = rng.uniform(0.3, 3.0)
    weights = [rng.gammavariate(concentration, 1.0) for _ in tasks]
    total = sum(weights)
    return [w / total for w in weights]


def simulate_learner(
    blueprint: Blueprint, rng: random.Random, population: Population | None = None
) -> SimulatedLearner:
    """One learner: practice history (as observations), then a fresh exam and its result."""
    pop = population or Population()
    learner = _Learner(blueprint, pop, rng)
    total = round(_log_uniform(rng, *pop.answers))
    full = blueprint.questions_total
    sizes: list[tuple[str, int]] = []
    left = total
    while left > 0:
        roll = rng.random()
        if roll < pop.mock_share and left >= full:
            sizes.append(("mock", full))
        elif roll < pop.mock_share + pop.review_share:
            sizes.append(("review", min(left, rng.randint(5, 20))))
        else:
            sizes.append(("drill", min(left, rng.randint(10, 30))))
        left -= sizes[-1][1]
    span = rng.uniform(*pop.span_days)
    days = sorted(rng.uniform(0.0, span) for _ in sizes)
    tasks = list(blueprint.task_ids)
    taste = _preferences(tasks, rng)
    for (kind, size), day in zip(sizes, days, strict=True):
        minute = 1.0 / (24 * 60)
        if kind == "mock":
            for j, task in enumerate(learner.form_tasks(size)):
                learner.answer(learner.pick(task), day + j * 2 * minute, "exam")
            continue
        if kind == "review" and learner.missed:
            recent = sorted(learner.missed.values(), key=lambda i: -(i.seen_at or 0.0))[:size]
            for j, item in enumerate(recent):
                learner.answer(item, day + j * minute, "review")
            continue
        focus = rng.choices(tasks, weights=taste)[0]  # a drill: one task statement, a few others mixed in
        for j in range(size):
            task = focus if rng.random() < 0.7 else rng.choices(tasks, weights=taste)[0]
            learner.answer(learner.pick(task), day + j * minute, "practice")
    last = days[-1] if days else 0.0
    exam_day = last + rng.uniform(*pop.gap_days)
    n = blueprint.questions_scored
    raw = 0
    expected = 0.0
    for task in learner.form_tasks(n):
        label = _label(rng)
        item = _Item("exam", task, label, pop.difficulty[label - 1] + rng.gauss(0.0, pop.item_sd))
        p = learner.p_right(item, exam_day)
        expected += p
        raw += rng.random() < p
    return SimulatedLearner(
        observations=tuple(learner.observations),
        exam_at=_EPOCH + timedelta(days=exam_day),
        raw=raw,
        passed=scaled_score(raw, n, blueprint) >= blueprint.passing_score,
        true_percent=100.0 * expected / n,
    )
