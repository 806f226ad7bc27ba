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
@click.option("--exam", help="Only items of this exam (MLA-C01 or MLS-C01).")
@click.pass_context
def anki(ctx: click.Context, path: Path, questions: bool, exam: str | None) -> None:
    """Write an Anki package (.apkg) of the flashcards, tagged per exam, domain and task."""
    from certprep.content import bundled_pack_path, load_pack
    from certprep.content.loader import PackError
    from certprep.interop.anki import export_apkg

    pack_path = ctx.obj.get("pack_path") if ctx.obj else None
    try:
        pack = load_pack(pack_path or bundled_pack_path())
    except PackError as exc:
        raise click.ClickException(str(exc)) from exc
    if exam and exam not in pack.blueprints:
        raise click.ClickException(f"unknown exam {exam!r}; known: {', '.join(sorted(pack.blueprints))}")
    if path.suffix != ".apkg":
        raise click.ClickException("the file name must end in .apkg")
    counts = export_apkg(pack, path, questions=questions, exam=exam)
    click.echo(f"wrote {path}: {counts['flashcards']} flashcards, {counts['questions']} questions")
