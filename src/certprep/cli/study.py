"""`certprep readiness` and `certprep plan`: am I ready, and what to do each day until the exam."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from certprep.cli.exam import _call, local_profile
from certprep.planner.model import parse_day_off

__all__ = ["plan", "readiness"]


def _now() -> datetime:
    return datetime.now(UTC)


@click.command()
@click.option("--exam", default=None, help="Exam code, e.g. MLA-C02 (default: the current exam).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole dashboard as JSON.")
@click.pass_context
def readiness(ctx: click.Context, exam: str | None, as_json: bool) -> None:
    """Mastery per domain, the predicted scaled score with its interval, P(pass) and a checklist."""
    from certprep.services import readiness as service

    with local_profile(ctx) as (app, user):
        exam = exam or app.pack.default_exam
        data = _call(lambda: service.dashboard(app, user, exam, now=_now()))
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    p = data["prediction"]
    click.echo(f"{exam}: {data['answers']} answers recorded")
    click.echo(
        f"Predicted scaled score {p['scaled_median']} "
        f"(80% interval {p['scaled_low']}-{p['scaled_high']}, an estimate); "
        f"probability of passing {p['p_pass']:.0%}"
    )
    click.echo("Mastery by domain (80% credible interval):")
    for f in data["figures"]:  # worded as on every page of the web app (analytics.figures)
        click.echo(f"  {f['id']}: {f['text']} (80% interval {f['low']:.0%}-{f['high']:.0%})")
    click.echo("Readiness checklist:")
    for item in data["readiness"]["items"]:
        click.echo(f"  [{'x' if item['met'] else ' '}] {item['label']} — {item['detail']}")
    for count in data["readiness"].get("labs", []):
        click.echo(f"  {count['label']}")
    top = data["mistakes"]["concepts"][:5] if "concepts" in data["mistakes"] else []
    if top:
        click.echo("Most frequent mistakes: " + ", ".join(f"{g['tag']} ({g['count']})" for g in top))


def _days_off(values: tuple[str, ...]) -> frozenset[int | date]:
    out: set[int | date] = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                out.add(parse_day_off(part))
            except ValueError as exc:
                raise click.BadParameter(f"{part!r} is neither a weekday (mon..sun) nor a date (YYYY-MM-DD)") from exc
    return frozenset(out)


@click.command()
@click.option("--exam", default=None, help="Exam code, e.g. MLA-C02 (default: the current exam).")
@click.option(
    "--exam-date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The day of your exam (YYYY-MM-DD)."
)
@click.option("--hours", "hours_per_week", required=True, type=float, help="Hours a week you can study.")
@click.option("--days-off", multiple=True, help="Weekdays (sat,sun) or dates (2026-12-24) without study; repeatable.")
@click.option("--session-minutes", type=int, help="Length of a study block in minutes (default 45).")
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the plan as an iCalendar file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_context
def plan(
    ctx: click.Context,
    exam: str | None,
    exam_date: datetime,
    hours_per_week: float,
    days_off: tuple[str, ...],
    session_minutes: int | None,
    ics_path: Path | None,
    as_json: bool,
) -> None:
    """A day-by-day study plan until the exam, re-planned from your current mastery each time."""
    from certprep.interop.ical import plan_to_ics
    from certprep.services import readiness as service

    off = _days_off(days_off)
    with local_profile(ctx) as (app, user):
        request = service.PlanInput(
            exam=exam or app.pack.default_exam,
            exam_date=exam_date.date(),
            hours_per_week=hours_per_week,
            days_off=off,
            minutes_per_session=session_minutes,
        )
        result: Any = _call(lambda: service.study_plan(app, user, request, now=_now()))
    if ics_path is not None:
        ics_path.write_bytes(plan_to_ics(result))
        click.echo(f"wrote {ics_path}")
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
        return
    for warning in result.warnings:
        click.echo(f"note: {warning}")
    for day, sessions in result.by_day().items():
        parts = [f"{s.title} ({s.minutes} min)" for s in sessions if s.minutes]
        click.echo(f"{day.isoformat()} {day.strftime('%a')}: " + ("; ".join(parts) if parts else "rest"))
