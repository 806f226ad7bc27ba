"""`certprep cards`: review flashcards and missed questions in the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from certprep.cli.exam import LETTERS, _wrap, local_profile, parse_answer

__all__ = ["cards"]


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def cards() -> None:
    """Flashcards and missed questions on an FSRS schedule (the local profile)."""


@cards.command("review")
@click.option(
    "--kind",
    type=click.Choice(["all", "cards", "missed"]),
    default="all",
    show_default=True,
    help="cards: flashcards only; missed: missed questions only.",
)
@click.option("--exam", help="Only items of this exam (e.g. MLA-C02, MLA-C01, MLS-C01).")
@click.option("--domain", help="Only items of this domain (its number, e.g. 2; with --exam, of that exam).")
@click.option("--limit", type=int, default=0, help="Stop after this many items (0: the whole queue).")
@click.pass_context
def review(ctx: click.Context, kind: str, exam: str | None, domain: str | None, limit: int) -> None:
    """Review today's queue: Enter shows the answer, then rate 1 Again, 2 Hard, 3 Good, 4 Easy.

    New flashcards are spread among the due reviews; the daily limits of new cards and reviews are
    the ones set on the web app's Flashcards page. Missed questions come back as questions: answer
    them, and the result rates them. u undoes the last rating, q quits.
    """
    from certprep.services import cards as service

    done = 0
    with local_profile(ctx) as (app, user):
        try:
            where = service.check_filter(app, kind, exam, domain)
        except service.ReviewRequestError as exc:
            raise click.ClickException(str(exc)) from exc
        queue = service.queue(app, user, now=_now(), where=where)
        click.echo(
            f"{queue.due} due, {queue.new} new (limits: {queue.limits.new_per_day} new, "
            f"{queue.limits.reviews_per_day} reviews a day"
            + (f"; {queue.reviews_held} reviews held for tomorrow" if queue.reviews_held else "")
            + "). u undoes the last rating, q quits."
        )
        while not limit or done < limit:
            items = service.queue(app, user, now=_now(), where=where).items
            if not items:
                break
            view = service.card_view(app, user, items[0].item_id, now=_now())
            outcome = _review_one(app, user, view, service)
            if outcome == "quit":
                break
            if outcome == "undo":
                _undo(app, user, service)
                done = max(0, done - 1)
                continue
            done += 1
    click.echo(f"Reviewed {done} item(s). See `certprep cards stats`.")


def _undo(app: Any, user: int, service: Any) -> None:
    try:
        undone = service.undo_last(app, user, now=_now())
    except service.NothingToUndo as exc:
        click.echo(f"Not undone: {exc}.")
        return
    from certprep.srs import RATINGS

    click.echo(f"Undone: your rating of {undone.item_id} ({RATINGS[undone.rating]}); it comes back now.")


def _review_one(app: Any, user: int, view: dict[str, Any], service: Any) -> str:
    """Show one item and take its rating or answer: "done", "undo" (u) or "quit" (q)."""
    click.echo("\n" + "-" * 80)
    if view["kind"] == "flashcard":
        click.echo(_wrap(view["front"]))
        shown = click.prompt("(Enter to show the answer)", default="", show_default=False).strip().lower()
        if shown in ("q", "u"):
            return "quit" if shown == "q" else "undo"
        click.echo(_wrap(view["back"], "  "))
        buttons = "  ".join(f"{k} {r['label']} ({r['next']})" for k, r in view["ratings"].items())
        while True:
            answer = click.prompt(buttons, default="", show_default=False).strip().lower()
            if answer in ("q", "u"):
                return "quit" if answer == "q" else "undo"
            if answer in view["ratings"]:
                service.rate_card(app, user, view["item_id"], int(answer), expected_version=view["version"], now=_now())
                return "done"
            click.echo("Type 1, 2, 3 or 4 (or u, q).")
    click.echo(f"Missed question ({view['type']}):")
    click.echo(_wrap(view["stem"]))
    for n, prompt in enumerate(view["prompts"], 1):
        click.echo(f"   {n}. {prompt}")
    for i, choice in enumerate(view["choices"]):
        click.echo(f"  {LETTERS[i].upper()}) {choice}")
    while True:
        text = click.prompt("Your answer", default="", show_default=False).strip()
        if text.lower() in ("q", "u"):
            return "quit" if text.lower() == "q" else "undo"
        try:
            response = parse_answer(view["type"], text, len(view["choices"]), view.get("select"))
            result = service.answer_question_item(
                app, user, view["item_id"], response, expected_version=view["version"], now=_now()
            )
            break
        except (ValueError, service.ReviewRequestError) as exc:
            click.echo(f"Not understood: {exc}")
    click.echo(("Correct" if result["correct"] else "Not correct") + f"; next review {result['due'][:10]}.")
    for i, rationale in enumerate(result["rationales"]):
        if rationale:
            click.echo(_wrap(f"{LETTERS[i].upper()}: {rationale}", "  "))
    return "done"


@cards.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Reviews per day, the due forecast and true retention against the desired one."""
    from certprep.services import cards as service

    with local_profile(ctx) as (app, user):
        data = service.stats(app, user, now=_now())
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    retention = "n/a" if data["true_retention"] is None else f"{data['true_retention']:.0%}"
    click.echo(
        f"cards known {data['cards_known']}, reviews in the last year {data['reviews_total']}, "
        f"true retention {retention} over {data['retention_reviews']} reviews (desired {data['desired_retention']:.0%})"
    )
    click.echo(
        "due in the next 7 days: " + "  ".join(f"{d[5:]}:{n}" for d, n in list(data["due_forecast"].items())[:7])
    )
