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
@click.option("--exam", help="Only items of this exam (e.g. MLA-C02, MLA-C01, MLS-C01).")
@click.option("--limit", type=int, default=0, help="Stop after this many items (0: the whole queue).")
@click.pass_context
def review(ctx: click.Context, exam: str | None, limit: int) -> None:
    """Review today's queue: Enter shows the answer, then rate 1 Again, 2 Hard, 3 Good, 4 Easy.

    Missed questions come back as questions: answer them, and the result rates them.
    """
    from certprep.services import cards as service

    done = 0
    with local_profile(ctx) as (app, user):
        queue = service.queue(app, user, now=_now(), exam=exam)
        click.echo(f"{queue['due']} due, {queue['new']} new (limit {queue['new_limit']} new a day). q quits.")
        for entry in queue["items"]:
            if limit and done >= limit:
                break
            view = service.card_view(app, user, entry["item_id"], now=_now())
            if not _review_one(app, user, view, service):
                break
            done += 1
    click.echo(f"Reviewed {done} item(s). See `certprep cards stats`.")


def _review_one(app: Any, user: int, view: dict[str, Any], service: Any) -> bool:
    click.echo("\n" + "-" * 80)
    if view["kind"] == "flashcard":
        click.echo(_wrap(view["front"]))
        if click.prompt("(Enter to show the answer)", default="", show_default=False).strip().lower() == "q":
            return False
        click.echo(_wrap(view["back"], "  "))
        buttons = "  ".join(f"{k} {r['label']} ({r['next']})" for k, r in view["ratings"].items())
        while True:
            answer = click.prompt(buttons, default="", show_default=False).strip().lower()
            if answer == "q":
                return False
            if answer in view["ratings"]:
                service.rate_card(app, user, view["item_id"], int(answer), expected_version=view["version"], now=_now())
                return True
            click.echo("Type 1, 2, 3 or 4 (or q).")
    click.echo(f"Missed question ({view['type']}):")
    click.echo(_wrap(view["stem"]))
    for n, prompt in enumerate(view["prompts"], 1):
        click.echo(f"   {n}. {prompt}")
    for i, choice in enumerate(view["choices"]):
        click.echo(f"  {LETTERS[i].upper()}) {choice}")
    while True:
        text = click.prompt("Your answer", default="", show_default=False).strip()
        if text.lower() == "q":
            return False
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
    return True


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
