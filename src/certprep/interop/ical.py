"""iCalendar export of a study plan through the `icalendar` library.

One VEVENT per study session. A day's sessions follow each other from ``start_time`` (review
first, as the plan orders them); a day too long to end by midnight starts early enough to do so.
UIDs are ``<exam>-<yyyymmdd>-<index>@certprep`` (index: the session's place in its day), so
re-importing a re-planned calendar updates events instead of duplicating them. DTSTAMP is the
plan's ``today``: the same plan always gives the same bytes.

Times are floating (no time zone: "19:00 wherever you are") unless ``tz`` is given; then they carry
its TZID and the calendar holds the matching VTIMEZONE. Rest days are left out unless
``include_rest`` is set, in which case each is an all-day event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from icalendar import Calendar, Event

from certprep.planner.model import Plan, SessionKind

__all__ = ["PRODID", "plan_to_ics"]

PRODID = "-//certprep//study plan//EN"


def _uid(exam: str, day: date, index: int) -> str:
    return f"{exam}-{day:%Y%m%d}-{index}@certprep"


def plan_to_ics(
    plan: Plan,
    *,
    start_time: time = time(19, 0),
    tz: tzinfo | None = None,
    include_rest: bool = False,
) -> bytes:
    """The plan as an RFC 5545 calendar (bytes of a ``.ics`` file)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"certprep: {plan.exam} study plan")
    stamp = datetime.combine(plan.today, time(0, 0), tzinfo=UTC)
    for day, sessions in plan.by_day().items():
        clock = datetime.combine(day, start_time, tzinfo=tz)
        # A long day starts earlier rather than spill past midnight into the next date.
        midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
        clock = min(clock, midnight - timedelta(minutes=sum(x.minutes for x in sessions)))
        for index, session in enumerate(sessions):
            if session.kind is SessionKind.REST and not include_rest:
                continue
            event = Event()
            event.add("uid", _uid(plan.exam, day, index))
            event.add("dtstamp", stamp)
            event.add("summary", session.title)
            event.add("description", session.reason)
            event.add("categories", ["certprep", session.kind.value])
            if session.kind is SessionKind.REST:
                event.add("dtstart", day)
                event.add("dtend", day + timedelta(days=1))
                event.add("transp", "TRANSPARENT")
            else:
                end = clock + timedelta(minutes=session.minutes)
                event.add("dtstart", clock)
                event.add("dtend", end)
                clock = end
            cal.add_component(event)
    if tz is not None and hasattr(cal, "add_missing_timezones"):  # icalendar >= 6.1 writes the VTIMEZONE
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
