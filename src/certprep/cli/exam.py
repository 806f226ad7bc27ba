"""`certprep exam`: take exams in the terminal, over the same services as the web app.

The terminal runner is line-based so that it works in any terminal and over ssh: it shows the
time left (from the server-side deadline), a question palette, the question, and a prompt.
Every answer, flag and move is stored before "saved" is printed; quitting (or a crash) loses
nothing, and `certprep exam resume` carries on where the learner left off.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from certprep.services.exams import AttemptReport, AttemptView, QuestionView

__all__ = ["exam"]

LETTERS = "abcdefghij"
HELP = (
    "Answer: a | a,c (multiple) | c a b (ordering, in order) | 1=b 2=a (matching).  "
    "Enter/n next · p previous · g N go to N · f flag/unflag · x clear · r review · "
    "s submit · pause / resume (practice) · q quit (resume later) · ? help"
)

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def local_profile(ctx: click.Context) -> Iterator[tuple[Any, int]]:
    """The opened app and the local profile's user id; the app is closed when the block ends."""
    from certprep.cli.main import _open
    from certprep.services.content import local_user

    app = _open(ctx)
    try:
        yield app, int(local_user(app, _now())["id"])
    finally:
        app.close()


@click.group()
def exam() -> None:
    """Take practice exams in the terminal (the local profile's history, shared with the web app)."""


@exam.command("start")
@click.option("--exam", "code", default=None, help="Exam code, e.g. MLA-C02 (default: the current exam).")
@click.option("--form", "form", type=int, help="Practice Exam number (1-6): the same form for everyone.")
@click.option("--random", "random_form", is_flag=True, help="A freshly assembled full exam, unseen questions first.")
@click.option(
    "--select",
    "selection",
    type=click.Choice(["drill", "missed", "unseen", "flagged", "custom"]),
    help="Practice selection instead of a full exam.",
)
@click.option("--mode", type=click.Choice(["exam", "practice"]), help="exam: timed, no feedback; practice: feedback.")
@click.option("--domain", "domains", multiple=True, help="Domain id (repeatable), e.g. --domain 2.")
@click.option("--task", "tasks", multiple=True, help="Task statement (repeatable), e.g. --task 2.2.")
@click.option(
    "--type", "types", multiple=True, help="Question type (repeatable): single, multiple, ordering, matching."
)
@click.option("--count", type=int, help="Number of questions for a practice selection (default 20).")
@click.option("--time-limit", type=int, help="Time limit in minutes.")
@click.pass_context
def start(
    ctx: click.Context,
    code: str | None,
    form: int | None,
    random_form: bool,
    selection: str | None,
    mode: str | None,
    domains: tuple[str, ...],
    tasks: tuple[str, ...],
    types: tuple[str, ...],
    count: int | None,
    time_limit: int | None,
) -> None:
    """Start an attempt and take it here. Default: a random full exam in exam mode."""
    from certprep.services import exams

    if sum(x is not None and x is not False for x in (form, random_form or None, selection)) > 1:
        raise click.UsageError("choose one of --form, --random and --select")
    chosen = "fixed" if form is not None else selection or "assembled"
    with local_profile(ctx) as (app, user):
        req = exams.StartRequest(
            exam=code or app.pack.default_exam,
            selection=chosen,
            mode=mode or ("practice" if selection else "exam"),
            form=form,
            count=count,
            time_limit_minutes=time_limit,
            domains=domains,
            tasks=tasks,
            types=types,
        )
        view = _call(lambda: exams.start_exam(app, user, req, now=_now(), rng=random.Random()))
        _run(app, user, view, _now)


@exam.command("resume")
@click.argument("attempt_id", required=False)
@click.pass_context
def resume(ctx: click.Context, attempt_id: str | None) -> None:
    """Carry on with an attempt (default: the latest one still in progress)."""
    from certprep.services import exams

    with local_profile(ctx) as (app, user):
        if attempt_id is None:
            open_ = [a for a in exams.list_attempts(app, user, now=_now()) if a.status == "in_progress"]
            if not open_:
                raise click.ClickException("no attempt in progress; start one with `certprep exam start`")
            attempt_id = open_[0].id
        found = attempt_id
        view = _call(lambda: exams.attempt_view(app, user, found, now=_now()))
        if view.status != "in_progress":
            click.echo(f"This attempt is {view.status}; see `certprep exam report {view.id}`.")
            return
        _run(app, user, view, _now)


@exam.command("abandon")
@click.argument("attempt_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def abandon(ctx: click.Context, attempt_id: str, yes: bool) -> None:
    """Discard an attempt in progress: it stays listed as abandoned but counts in no score or figure."""
    from certprep.services import exams

    with local_profile(ctx) as (app, user):
        view = _call(lambda: exams.attempt_view(app, user, attempt_id, now=_now()))
        if view.status != "in_progress":
            raise click.ClickException(f"this attempt is {view.status}; only one in progress can be discarded")
        if not yes and not click.confirm(f"Discard “{view.title}” ({view.answered} answered)?", default=False):
            click.echo("Kept.")
            return
        action = {"type": "abandon"}
        _call(lambda: exams.act(app, user, attempt_id, action, expected_version=view.version, now=_now()))
    click.echo(f"Discarded {attempt_id}: listed as abandoned, counted nowhere.")


@exam.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List your attempts, newest first."""
    from certprep.services import exams

    with local_profile(ctx) as (app, user):
        rows = exams.list_attempts(app, user, now=_now())
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    if not rows:
        click.echo("No attempts yet. Start one with `certprep exam start`.")
    for r in rows:
        score = "" if r.scaled_score is None else f"  {r.scaled_score} ({'pass' if r.passed else 'fail'}, estimate)"
        click.echo(f"{r.id}  {r.started_at.isoformat()[:16]}  {r.exam_code}  {r.mode:8} {r.status:11} {r.title}{score}")


@exam.command("report")
@click.argument("attempt_id")
@click.option("--review", is_flag=True, help="Also print every question with your answer, the key and the rationales.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.pass_context
def report(ctx: click.Context, attempt_id: str, review: bool, as_json: bool) -> None:
    """The score report of a finished attempt."""
    from certprep.services import exams

    with local_profile(ctx) as (app, user):
        data = _call(lambda: exams.attempt_report(app, user, attempt_id, now=_now()))
    if as_json:
        click.echo(data.model_dump_json(indent=2))
        return
    _print_report(data, review)


def _call(fn: Callable[[], Any]) -> Any:
    """Run a service call; turn the errors a learner can cause into one clear line."""
    from certprep.exam.attempt import AttemptError
    from certprep.services.errors import NotFound
    from certprep.services.exams import ExamRequestError

    try:
        return fn()
    except NotFound as exc:
        raise click.ClickException(f"{exc.what} not found") from exc
    except (ExamRequestError, AttemptError) as exc:
        raise click.ClickException(str(exc)) from exc


# --- the interactive runner --------------------------------------------------------------------


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return "untimed"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d} left"


def _palette(view: AttemptView) -> str:
    cells = []
    for cell in view.palette:
        mark = ">" if cell.index == view.current else ("*" if cell.answered else ".")
        flag = "F" if cell.flagged else " "
        cells.append(f"{cell.number:>2}{mark}{flag}")
    rows = [" ".join(cells[i : i + 13]) for i in range(0, len(cells), 13)]
    return "\n".join(rows) + "\n(* answered  . not answered  F flagged  > current)"


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = [p.strip() for p in text.strip().split("\n\n")]
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), width=96, initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
    )


def _on_screen(view: AttemptView) -> QuestionView:
    """The question on screen of an open attempt (a finished one has none)."""
    if view.question is None:
        raise click.ClickException(f"attempt {view.id} is {view.status}")
    return view.question


def _show(view: AttemptView) -> None:
    q = _on_screen(view)
    click.echo("")
    click.echo("=" * 96)
    click.echo(
        f"{view.title} · {view.exam} · {view.mode} mode · question {q.number} of {view.count} · "
        f"{_clock(view.seconds_left)} · answered {view.answered}/{view.count}" + (" · PAUSED" if view.paused else "")
    )
    click.echo(_palette(view))
    click.echo("-" * 96)
    if q.case:
        click.echo(f"Case study: {q.case.title}")
        click.echo(_wrap(q.case.scenario, "  | "))
        click.echo("")
    click.echo(_wrap(q.stem) + ("   [FLAGGED]" if q.flagged else ""))
    click.echo("")
    if q.type == "matching":
        for n, prompt in enumerate(q.prompts or [], 1):
            click.echo(_wrap(f"{n}. {prompt}", "   "))
        click.echo("  Responses:")
    for i, choice in enumerate(q.choices):
        click.echo(
            textwrap.fill(choice, width=96, initial_indent=f"  {LETTERS[i].upper()}) ", subsequent_indent="     ")
        )
    hint = {
        "single": "Choose one letter.",
        "multiple": f"Choose {q.select} letters, e.g. a,c.",
        "ordering": "Give the letters in order"
        + (", leaving out the steps that do not belong." if q.steps_to_order else "."),
        "matching": "Match every prompt, e.g. 1=b 2=a.",
    }[q.type]
    click.echo(f"\n{hint}")
    if q.response is not None:
        click.echo(f"Your answer: {_format_response(q.type, q.response)}")
    feedback = q.feedback
    if feedback:
        click.echo(
            ("Correct." if feedback.correct else "Not correct.") + f" Key: {_format_response(q.type, feedback.key)}"
        )
        for i, rationale in enumerate(feedback.rationales):
            if rationale:
                click.echo(
                    textwrap.fill(
                        rationale, width=96, initial_indent=f"  {LETTERS[i].upper()}: ", subsequent_indent="     "
                    )
                )


def _format_response(kind: str, value: Any) -> str:
    if kind == "single":
        return LETTERS[value].upper()
    if kind == "multiple":
        return ",".join(LETTERS[v].upper() for v in value)
    if kind == "ordering":
        return " ".join(LETTERS[v].upper() for v in value)
    return " ".join(f"{int(k) + 1}={LETTERS[v].upper()}" for k, v in sorted(value.items(), key=lambda kv: int(kv[0])))


def parse_answer(kind: str, text: str, choices: int, select: int | None = None) -> Any:
    """Turn what was typed into screen positions; ValueError with a hint when it does not fit.

    ``select``: how many letters a multiple-response question takes ("Choose 3"); any other
    number of (distinct) letters is refused."""
    text = text.strip().lower()

    def letter(token: str) -> int:
        if len(token) != 1 or token not in LETTERS[:choices]:
            raise ValueError(f"{token!r} is not one of the letters A-{LETTERS[choices - 1].upper()}")
        return LETTERS.index(token)

    if kind == "matching":
        pairs = re.findall(r"(\d+)\s*=\s*([a-z])", text)
        if not pairs:
            raise ValueError("match as 1=b 2=a ...")
        return {str(int(n) - 1): letter(x) for n, x in pairs}
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    if kind == "single":
        if len(tokens) != 1:
            raise ValueError("choose exactly one letter")
        return letter(tokens[0])
    picked = [letter(t) for t in tokens]
    if len(set(picked)) != len(picked):
        raise ValueError("give each letter once")
    if kind == "multiple" and select is not None and len(picked) != select:
        raise ValueError(f"choose exactly {select} letters (you gave {len(picked)})")
    return picked


def _review_screen(view: AttemptView) -> None:
    unanswered = [c.number for c in view.palette if not c.answered]
    flagged = [c.number for c in view.palette if c.flagged]
    click.echo("\nReview")
    click.echo(f"  answered:   {view.answered} of {view.count}")
    click.echo(f"  unanswered: {', '.join(map(str, unanswered)) or 'none'}")
    click.echo(f"  flagged:    {', '.join(map(str, flagged)) or 'none'}")
    click.echo("  Go to a question with `g N`, or submit with `s`.")


def _run(app: Any, user: int, view: AttemptView, clock: Clock) -> None:
    """The prompt loop: one command a line until the attempt is submitted or the learner quits."""
    from certprep.exam.attempt import AttemptClosedError, StaleStateError, TransitionError
    from certprep.services import exams

    click.echo(f"Attempt {view.id}. {HELP}")

    def do(action: dict[str, Any]) -> AttemptView:
        return exams.act(app, user, view.id, action, expected_version=view.version, now=clock())

    shown = -1
    while view.status == "in_progress":
        if view.current != shown:
            _show(view)
            shown = view.current
        try:
            line = click.prompt(f"[{_clock(view.seconds_left)}] >", default="", show_default=False)
        except (click.Abort, EOFError):
            click.echo(f"\nLeft the attempt; nothing is lost. Resume with `certprep exam resume {view.id}`.")
            return
        command = line.strip().lower()
        index = view.current
        try:
            if command in ("q", "quit"):
                click.echo(f"Saved. Resume with `certprep exam resume {view.id}`.")
                return
            if command in ("?", "h", "help"):
                click.echo(HELP)
                continue
            if command in ("", "n", "next"):
                if index + 1 >= view.count:
                    _review_screen(view)
                    continue
                view = do({"type": "navigate", "index": index + 1})
            elif command in ("p", "prev", "previous"):
                view = do({"type": "navigate", "index": max(0, index - 1)})
            elif command.startswith("g") and command[1:].strip().isdecimal():
                target = int(command[1:].strip()) - 1
                if not 0 <= target < view.count:
                    click.echo(f"There is no question {target + 1}.")
                    continue
                view = do({"type": "navigate", "index": target})
            elif command in ("f", "flag"):
                kind = "unflag" if _on_screen(view).flagged else "flag"
                view = do({"type": kind, "index": index})
                click.echo("Flagged." if kind == "flag" else "Flag removed.")
            elif command in ("x", "clear"):
                view = do({"type": "clear", "index": index})
                click.echo("Answer cleared.")
            elif command in ("r", "review"):
                _review_screen(view)
            elif command in ("pause", "resume"):
                view = do({"type": command})
                shown = -1
            elif command in ("s", "submit"):
                left = view.count - view.answered
                warn = f" {left} question(s) are not answered and will count as incorrect." if left else ""
                if click.confirm(f"Submit the attempt?{warn}", default=False):
                    view = do({"type": "submit"})
            else:
                q = _on_screen(view)
                response = parse_answer(q.type, command, len(q.choices), q.select)
                view = do({"type": "answer", "index": index, "response": response})
                click.echo(f"Saved: {_format_response(q.type, _on_screen(view).response)}")
                if view.mode == "practice":  # a typed answer is complete: check it (docs/cli.md)
                    view = do({"type": "check", "index": index})
                    shown = -1  # show the feedback
        except TransitionError as exc:  # e.g. a checked (locked) practice answer, a paused attempt
            click.echo(f"Not saved: {exc}.")
        except ValueError as exc:
            click.echo(f"Not understood: {exc}. Type ? for help.")
        except StaleStateError as exc:
            click.echo(str(exc))
            view = exams.attempt_view(app, user, view.id, now=clock())
            shown = -1
        except AttemptClosedError:
            view = exams.attempt_view(app, user, view.id, now=clock())
    click.echo(f"\nThe attempt is {view.status}.")
    _print_report(exams.attempt_report(app, user, view.id, now=clock()), review=False)


def _print_report(data: AttemptReport, review: bool) -> None:
    click.echo(f"\n{data.title} · {data.exam} · {data.mode} mode · {data.status}")
    raw = f"raw {data.raw_correct}/{data.raw_max} ({data.raw_percent:.0f}%)"  # a percent already (0-100)
    if data.passed is None:  # not a full-length exam-mode attempt: no verdict, no scaled score
        click.echo(f"Result: {data.raw_correct} of {data.raw_max} right · {raw} (full mocks only get a verdict)")
    else:
        verdict = "PASS" if data.passed else "FAIL"
        click.echo(
            f"Result: {verdict} · scaled score {data.scaled_score} (estimate; pass {data.passing_score} on "
            f"{data.score_min}-{data.score_max}, see docs/scoring.md) · {raw}"
        )
    click.echo(f"Answered {data.answered}, unanswered {data.unanswered}, time {int(data.seconds_elapsed // 60)} min")
    click.echo("Domains:")
    for d in data.domains:
        click.echo(f"  {d.id}. {d.title[:60]:60} {d.correct:>3}/{d.total:<3} {d.percent:>3.0f}%  {d.rating}")
    click.echo("Task statements:")
    for t in data.tasks:
        click.echo(f"  {t.id:5} {t.title[:58]:58} {t.correct:>3}/{t.total:<3} {t.rating}")
    if data.flagged:
        click.echo(f"Flagged: {len(data.flagged)} question(s)")
    click.echo(f"Review: `certprep exam report {data.id} --review`")
    if not review:
        return
    for item in data.items:
        mark = "right" if item.correct else ("wrong" if item.answered else "not answered")
        scored = "" if item.scored else " (unscored)"
        click.echo(f"\n--- {item.number}. {item.question_id} · task {item.task} · {mark}{scored}")
        click.echo(_wrap(item.stem))
        lettered = item.type != "matching"  # the runner's letters; matching lists prompts
        for n, c in enumerate(item.choices):
            tags = []
            if c.in_key:
                tags.append("key")
            if c.chosen:
                tags.append("yours")
            if c.key_position:
                tags.append(f"step {c.key_position}")
            if c.key_match:
                tags.append(f"-> {c.key_match}")
            mark = f"{LETTERS[n].upper()})" if lettered else "-"
            click.echo(f"  {mark} {c.text}" + (f"  [{', '.join(tags)}]" if tags else ""))
            if c.rationale:
                click.echo(_wrap(c.rationale, "      "))
        for ref in item.references:
            click.echo(f"  Reference: {ref.title} <{ref.url}>")
