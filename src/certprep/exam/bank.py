"""A question bank indexed for one exam, so that many forms can be assembled from one scan.

Reading 10,000 questions costs about 10 ms on a laptop, and nearly all of it is memory reads
(each question is several Python objects). ``ExamBank.build`` pays that once per content
version; ``assemble_form`` then works from the index in well under a millisecond plus the cost of
the preference mapping it is given. docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from certprep.content.schema import Blueprint, Question

__all__ = ["ExamBank", "GroupKey"]

GroupKey = tuple[str, str, int]
"""(task statement, kind, difficulty); kind is a question type, or ``"case_study"``."""

Entry = Question | str
"""A standalone question, or the id of a case study."""

CaseMember = tuple[Question, str]
"""A question of a case study and its task statement in the exam."""


@dataclass(frozen=True)
class ExamBank:
    """The questions of a bank that serve one exam, grouped by task, kind and difficulty.

    Build it with ``ExamBank.build`` and keep it as long as the content does not change (it is
    immutable). Questions tagged with a task statement the blueprint does not have are left out.
    A case study appears once in the group of each task statement its questions test. A repeated
    id stays in the groups (finding repeats would cost a hash per question); assembly never puts
    an id on a form twice.
    """

    exam: str
    groups: Mapping[GroupKey, tuple[Entry, ...]]
    cases: Mapping[str, tuple[CaseMember, ...]]
    case_locations: Mapping[str, tuple[tuple[GroupKey, int], ...]]
    case_of: Mapping[str, str]

    @classmethod
    def build(cls, questions: Iterable[Question], blueprint: Blueprint) -> ExamBank:
        """Index the questions of ``questions`` that serve ``blueprint.code``."""
        code = blueprint.code
        known_tasks = frozenset(blueprint.task_ids)
        groups: dict[GroupKey, list[Entry]] = {}
        cases: dict[str, dict[str, CaseMember]] = {}
        # The one full scan, and the hot loop of the package: it reads as few attributes per
        # question as it can, because each read is likely a cache miss.
        for q in questions:
            for ref in q.exams:
                if ref.exam == code:
                    case_id = q.case_id
                    if case_id is None:
                        key = (ref.task, q.type.value, q.difficulty)
                        group = groups.get(key)
                        if group is None:
                            groups[key] = [q]
                        else:
                            group.append(q)
                    else:
                        cases.setdefault(case_id, {}).setdefault(q.id, (q, ref.task))
                    break
        kept_cases: dict[str, tuple[CaseMember, ...]] = {}
        case_of: dict[str, str] = {}
        case_locations: dict[str, tuple[tuple[GroupKey, int], ...]] = {}
        for case_id, by_id in cases.items():
            members = tuple(m for m in by_id.values() if m[1] in known_tasks)
            if not members:
                continue
            kept_cases[case_id] = members
            spots: list[tuple[GroupKey, int]] = []
            tasks_done: list[str] = []
            for q, task in members:
                case_of[q.id] = case_id
                if task in tasks_done:
                    continue
                tasks_done.append(task)
                key = (task, "case_study", q.difficulty)
                group = groups.setdefault(key, [])
                spots.append((key, len(group)))
                group.append(case_id)
            case_locations[case_id] = tuple(spots)
        return cls(
            exam=code,
            groups=MappingProxyType({k: tuple(v) for k, v in groups.items() if k[0] in known_tasks}),
            cases=MappingProxyType(kept_cases),
            case_locations=MappingProxyType(case_locations),
            case_of=MappingProxyType(case_of),
        )

    @cached_property
    def locations(self) -> Mapping[str, tuple[tuple[GroupKey, int], ...]]:
        """Standalone question id -> where it sits (group, position); built on first use, since
        only a preference needs it."""
        spots: dict[str, list[tuple[GroupKey, int]]] = {}
        for key, entries in self.groups.items():
            for position, entry in enumerate(entries):
                if not isinstance(entry, str):
                    spots.setdefault(entry.id, []).append((key, position))
        return MappingProxyType({qid: tuple(where) for qid, where in spots.items()})

    def __len__(self) -> int:
        """The number of distinct questions (a case study counts each of its questions)."""
        return len(self.locations) + len(self.case_of)

    def levels(self, preference: Mapping[str, int]) -> dict[GroupKey, dict[int, int]]:
        """Per group, the positions whose preference is not 0, and that preference.

        Costs one look-up per entry of ``preference``, not a pass over the bank (after the first
        call, which builds ``locations``). A case study takes the largest preference of its
        questions (so "unseen-first" means wholly unseen).
        """
        marks: dict[GroupKey, dict[int, int]] = {}
        touched: dict[str, None] = {}
        locations = self.locations
        for qid, value in preference.items():
            if not value:
                continue
            spots = locations.get(qid)
            if spots is not None:
                for key, position in spots:
                    marks.setdefault(key, {})[position] = value
            elif qid in self.case_of:
                touched[self.case_of[qid]] = None
        for case_id in touched:
            value = max(preference.get(q.id, 0) for q, _ in self.cases[case_id])
            if value:
                for key, position in self.case_locations[case_id]:
                    marks.setdefault(key, {})[position] = value
        return marks


class Bucket:
    """Entries still available at one (preference, difficulty) of a task, drawn at random.

    It samples from the bank's shared tuples without copying them: a copy of 10,000 references
    writes to 10,000 objects' reference counts, which costs as much as the scan it avoids.
    """

    __slots__ = ("_loose", "_parts", "_size")

    def __init__(self) -> None:
        self._parts: list[_Part] = []
        self._loose: list[Entry] = []  # entries put back after a pick passed them over
        self._size = 0

    def add(self, entries: tuple[Entry, ...], positions: list[int] | None = None) -> None:
        """Make ``entries`` (only ``positions`` of it, when given) available."""
        part = _Part(entries, positions)
        if part.left:
            self._parts.append(part)
            self._size += part.left

    def put_back(self, entry: Entry) -> None:
        """Return an entry that was popped but not used."""
        self._loose.append(entry)
        self._size += 1

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0

    def pop(self, rng: random.Random) -> Entry:
        """Remove and return a random entry (uniform over all of them); IndexError when empty."""
        if self._size == 0:
            raise IndexError("pop from an empty bucket")
        r = rng.randrange(self._size)
        self._size -= 1
        if r < len(self._loose):
            entry = self._loose[r]
            self._loose[r] = self._loose[-1]
            self._loose.pop()
            return entry
        r -= len(self._loose)
        for part in self._parts:
            if r < part.left:
                return part.pop(rng)
            r -= part.left
        raise AssertionError("unreachable")  # pragma: no cover


class _Part:
    __slots__ = ("entries", "left", "positions", "taken")

    def __init__(self, entries: tuple[Entry, ...], positions: list[int] | None) -> None:
        self.entries = entries
        self.positions = positions
        self.taken: set[int] = set()
        self.left = len(entries) if positions is None else len(positions)

    def pop(self, rng: random.Random) -> Entry:
        if self.positions is None and len(self.taken) * 2 > len(self.entries):
            # rejection sampling slows down once most positions are gone: list what is left
            self.positions = [i for i in range(len(self.entries)) if i not in self.taken]
        if self.positions is not None:
            i = rng.randrange(len(self.positions))
            position = self.positions[i]
            self.positions[i] = self.positions[-1]
            self.positions.pop()
        else:
            position = rng.randrange(len(self.entries))
            while position in self.taken:
                position = rng.randrange(len(self.entries))
            self.taken.add(position)
        self.left -= 1
        return self.entries[position]
