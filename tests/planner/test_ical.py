"""The iCalendar export parses back with icalendar: one event per study session, on the plan's days."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from certprep.interop.ical import PRODID, plan_to_ics
from certprep.planner import Plan, PlanRequest, SessionKind, build_plan

from .helpers import MLA, TODAY, request

SUN = 6


def events(data: bytes) -> list[Event]:
    return [e for e in Calendar.from_ical(data).walk("VEVENT") if isinstance(e, Event)]


def plan() -> Plan:
    return build_plan(request(weeks=5, hours=7, days_off=frozenset({SUN})), MLA)


def test_one_event_per_study_session_with_the_plans_days_and_text() -> None:
    p = plan()
    data = plan_to_ics(p)
    cal = Calendar.from_ical(data)
    assert str(cal["PRODID"]) == PRODID and str(cal["VERSION"]) == "2.0"
    found = events(data)
    study = p.study_sessions
    assert len(found) == len(study) and len(study) < len(p.sessions)  # rest days left out
    for event, session in zip(found, study, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.date() == session.day
        assert end - start == timedelta(minutes=session.minutes)
        assert str(event["SUMMARY"]) == session.title
        assert str(event["DESCRIPTION"]) == session.reason
        assert session.kind.value in event.categories


def test_sessions_of_a_day_follow_each_other_from_the_start_time() -> None:
    p = plan()
    found = events(plan_to_ics(p, start_time=time(7, 30)))
    first_day = [e for e in found if e.decoded("DTSTART").date() == TODAY]
    assert first_day[0].decoded("DTSTART") == datetime(2026, 11, 25, 7, 30)  # floating: no time zone
    for a, b in itertools.pairwise(first_day):
        assert a.decoded("DTEND") == b.decoded("DTSTART")


def test_uids_are_stable_and_unique() -> None:
    p = plan()
    uids = [str(e["UID"]) for e in events(plan_to_ics(p))]
    assert len(set(uids)) == len(uids)
    assert uids[:2] == ["MLA-C01-20261125-0@certprep", "MLA-C01-20261125-1@certprep"]
    # Same plan, same bytes (DTSTAMP is the plan's own date, not the clock).
    assert plan_to_ics(p) == plan_to_ics(plan())


def test_rest_days_on_request_and_a_time_zone() -> None:
    p = plan()
    paris = ZoneInfo("Europe/Paris")
    data = plan_to_ics(p, tz=paris, include_rest=True)
    cal = Calendar.from_ical(data)
    found = events(data)
    assert len(found) == len(p.sessions)
    rest = [e for e in found if "rest" in e.categories]
    assert [e.decoded("DTSTART") for e in rest] == [s.day for s in p.sessions if s.kind is SessionKind.REST]
    assert all(isinstance(e.decoded("DTSTART"), date) and not isinstance(e.decoded("DTSTART"), datetime) for e in rest)
    timed = next(e for e in found if "review" in e.categories)
    assert timed.decoded("DTSTART") == datetime(2026, 11, 25, 19, 0, tzinfo=paris)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.floats(2, 20), st.frozensets(st.integers(0, 6), max_size=4))
def test_any_plan_round_trips(days: int, hours: float, off: frozenset[int]) -> None:
    try:
        req = PlanRequest("MLA-C01", TODAY + timedelta(days=days), TODAY, hours, frozenset(off))
        p = build_plan(req, MLA)
    except ValueError:
        return
    found = events(plan_to_ics(p))
    assert len(found) == len(p.study_sessions)
    assert sorted({e.decoded("DTSTART").date() for e in found}) == sorted({s.day for s in p.study_sessions})
    assert all(e.decoded("DTSTART").date() < req.exam_date for e in found)
    assert all(
        e.decoded("DTEND") <= datetime.combine(e.decoded("DTSTART").date() + timedelta(days=1), time()) for e in found
    )


def test_a_long_day_starts_early_enough_to_end_by_midnight() -> None:
    # 30 hours over Friday-Sunday: 600 minutes a day, which from 19:00 would run to 05:00.
    req = PlanRequest("MLA-C01", TODAY + timedelta(weeks=3), TODAY, 30, frozenset({0, 1, 2, 3}))
    p = build_plan(req, MLA)
    friday = date(2026, 11, 27)
    assert sum(s.minutes for s in p.on(friday)) == 600
    timed = [e for e in events(plan_to_ics(p)) if e.decoded("DTSTART").date() == friday]
    assert timed[0].decoded("DTSTART") == datetime(2026, 11, 27, 14, 0)
    assert timed[-1].decoded("DTEND") == datetime(2026, 11, 28, 0, 0)
