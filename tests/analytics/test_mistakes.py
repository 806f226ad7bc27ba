"""The mistake log: wrong answers grouped by concept and by service."""

from __future__ import annotations

from certprep.analytics import QuestionTags, mistake_log

from .conftest import NOW, obs

TAGS = {
    "q1": QuestionTags(concepts=("drift",), services=("sagemaker", "cloudwatch")),
    "q2": QuestionTags(concepts=("drift", "bias"), services=("sagemaker",)),
    "q3": QuestionTags(services=("glue",)),
}


def test_groups_counts_and_latest() -> None:
    history = [
        obs("q1", "4.1", False, days_ago=10),
        obs("q1", "4.1", False, days_ago=2),
        obs("q1", "4.1", True),  # right answers are not mistakes
        obs("q2", "2.3", False, days_ago=5),
        obs("q3", "1.2", False, days_ago=1),
        obs("q4", "1.1", False, days_ago=3),  # no tags known
        obs("q2", "2.3", False, exam="MLS-C01"),
    ]
    log = mistake_log(history, TAGS, exam="MLA-C01")
    assert log.total == 5
    assert [(g.tag, g.count) for g in log.concepts] == [("drift", 3), ("bias", 1)]
    drift = log.concepts[0]
    assert drift.questions == ("q1", "q2") and drift.tasks == ("2.3", "4.1")
    assert drift.latest == obs("q1", "4.1", False, days_ago=2).at
    assert [(g.tag, g.count) for g in log.services] == [("sagemaker", 3), ("cloudwatch", 2), ("glue", 1)]
    assert (log.untagged_concepts, log.untagged_services) == (2, 1)  # q3 and q4; q4
    assert log.to_dict()["concepts"][0]["latest"] == drift.latest.isoformat()


def test_ties_sort_by_latest_then_tag() -> None:
    tags = {
        "a": QuestionTags(concepts=("old",)),
        "b": QuestionTags(concepts=("new",)),
        "c": QuestionTags(concepts=("also new",)),
    }
    history = [obs("a", "1.1", False, days_ago=9), obs("b", "1.1", False), obs("c", "1.1", False)]
    assert [g.tag for g in mistake_log(history, tags).concepts] == ["also new", "new", "old"]


def test_a_tag_listed_twice_counts_once() -> None:
    tags = {"a": QuestionTags(concepts=("x", "x"))}
    assert mistake_log([obs("a", "1.1", False)], tags).concepts[0].count == 1


def test_empty() -> None:
    log = mistake_log([obs("a", "1.1", True, days_ago=1)], TAGS)
    assert (log.total, log.concepts, log.services) == (0, (), ())
    assert NOW  # the fixture clock is aware
