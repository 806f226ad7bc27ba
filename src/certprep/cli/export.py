"""`certprep export`: files for other tools."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["export"]


@click.group()
def export() -> None:
    """Export content or your data to files for other tools."""


@export.command("anki")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--questions",
    is_flag=True,
    help="Add a deck of the questions (stem and options; answer and rationales on the back).",
)
@click.option("--exam", help="Only items of this exam (e.g. MLA-C02, MLA-C01, MLS-C01).")
@click.option("--domain", help="Only items of this domain (its number, e.g. 2; with --exam, of that exam).")
@click.pass_context
def anki(ctx: click.Context, path: Path, questions: bool, exam: str | None, domain: str | None) -> None:
    """Write an Anki package (.apkg) of the flashcards, tagged per exam, domain and task."""
    from certprep.cli.packs import load_content
    from certprep.interop.anki import export_apkg

    pack = load_content(ctx)
    if exam and exam not in pack.blueprints:
        raise click.ClickException(f"unknown exam {exam!r}; known: {', '.join(sorted(pack.blueprints))}")
    known = sorted(
        {d.id for code, bp in pack.blueprints.items() if not exam or code == exam for d in bp.domains}, key=int
    )
    if domain and domain not in known:
        raise click.ClickException(f"unknown domain {domain!r}; known: {', '.join(known)}")
    if path.suffix != ".apkg":
        raise click.ClickException("the file name must end in .apkg")
    counts = export_apkg(pack, path, questions=questions, exam=exam, domain=domain)
    click.echo(f"wrote {path}: {counts['flashcards']} flashcards, {counts['questions']} questions")


@export.command("history")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one file; csv: a folder with one CSV file per table.",
)
@click.pass_context
def history(ctx: click.Context, path: Path, fmt: str) -> None:
    """Export everything the local profile did: attempts, every answer and flag, reviews, reports,
    lab check runs."""
    import csv
    import json
    from datetime import UTC, datetime

    from certprep.cli.main import _open
    from certprep.services.content import local_user
    from certprep.services.history import user_history

    app = _open(ctx)
    try:
        data = user_history(app, int(local_user(app, datetime.now(UTC))["id"]))
    finally:
        app.close()
    if fmt == "json":
        path.write_text(json.dumps(data, indent=2, default=str))
        click.echo(f"wrote {path}: " + ", ".join(f"{len(rows)} {name}" for name, rows in data.items()))
        return
    if path.exists() and not path.is_dir():
        raise click.ClickException(f"{path} exists and is not a folder")
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        with (path / f"{name}.csv").open("w", newline="") as handle:
            if not rows:
                continue
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()})
    click.echo(f"wrote {len(data)} CSV files to {path}")
