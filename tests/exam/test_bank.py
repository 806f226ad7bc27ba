from __future__ import annotations

import random
from collections import Counter

import pytest

from certprep.exam.bank import Bucket, ExamBank
from research.synthetic import synthetic_question

from .conftest import MLA, make_bank

BANK = make_bank(MLA, 60, prefix="bank", case_every=5)


def test_build_groups_by_task_kind_and_difficulty() -> None:
    index = ExamBank.build(BANK, MLA)
    assert index.exam == "MLA-C01"
    assert len(index) == 60
    standalone = [q for q in BANK if q.case_id is None]
    for q in standalone:
        ((key, position),) = index.locations[q.id]
        assert key == (q.exams[0].task, q.type.value, q.difficulty)
        assert index.groups[key][position] is q
    for case_id, members in index.cases.items():
        assert [q.id for q, _ in members] == [q.id for q in BANK if q.case_id == case_id]
        for key, position in index.case_locations[case_id]:
            assert key[1] == "case_study" and index.groups[key][position] == case_id
        assert all(index.case_of[q.id] == case_id for q, _ in members)


def test_build_leaves_out_other_exams_and_unknown_tasks() -> None:
    other_exam = synthetic_question("other-exam-question", "single", "MLS-C01", "3.5")
    unknown_task = synthetic_question("unknown-task-question", "single", "MLA-C01", "9.9")
    index = ExamBank.build([*BANK[:3], other_exam, unknown_task], MLA)
    ids = {q.id for entries in index.groups.values() for q in entries if not isinstance(q, str)}
    assert ids == {q.id for q in BANK[:3] if q.case_id is None}


def test_repeated_ids_are_located_everywhere_and_never_picked_twice() -> None:
    q = BANK[0]
    index = ExamBank.build([q, q, q], MLA)
    assert len(index.locations[q.id]) == 3
    assert len(index) == 1
    assert index.levels({q.id: 2}) == {index.locations[q.id][0][0]: {0: 2, 1: 2, 2: 2}}


def test_levels_for_case_studies_take_the_largest_preference() -> None:
    index = ExamBank.build(BANK, MLA)
    case_id, members = next(iter(index.cases.items()))
    marks = index.levels({members[0][0].id: 1, members[1][0].id: 4, "not-in-bank": 9})
    for key, position in index.case_locations[case_id]:
        assert marks[key][position] == 4
    assert index.levels({members[0][0].id: 0}) == {}


def test_bucket_draws_every_entry_once_uniformly() -> None:
    entries = tuple(f"e{i}" for i in range(10))
    seen: Counter[str] = Counter()
    for seed in range(300):
        bucket = Bucket()
        bucket.add(entries[:6])
        bucket.add(entries, [6, 7, 8, 9])
        bucket.put_back("loose")
        drawn = []
        rng = random.Random(seed)
        while bucket:
            drawn.append(bucket.pop(rng))
        assert sorted(drawn) == sorted([*entries, "loose"])
        seen[drawn[0]] += 1
        with pytest.raises(IndexError):
            bucket.pop(rng)
    assert len(seen) == 11 and min(seen.values()) > 10  # every entry can come first
