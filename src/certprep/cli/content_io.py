"""`certprep content import` and `certprep content export`: other tools' question files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from certprep.cli.packs import load_content
from certprep.interop.formats import EXPORT_FORMATS, IMPORT_FORMATS

__all__ = ["export_content", "import_content"]


def _check_exam(pack, exam: str | None, task: str | None) -> None:  # type: ignore[no-untyped-def]
    if exam and exam not in pack.blueprints:
        raise click.ClickException(f"unknown exam {exam!r}; known: {', '.join(pack.exam_codes)}")
    if exam and task and task not in pack.blueprints[exam].task_ids:
        raise click.ClickException(f"exam {exam} has no task statement {task!r}")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), required=True, help="Format of the files.")
@click.option("--into", required=True, type=click.Path(path_type=Path), help="New pack folder (must not exist).")
@click.option("--exam", help="Exam for items that name none (with --task).")
@click.option("--task", help="Task statement for items that name none, e.g. 1.1 (with --exam).")
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file: categories and tags -> {exam, task}.",
)
@click.option("--pack-id", default=None, help="Id of the new pack [default: the folder name].")
@click.option(
    "--true-false",
    type=click.Choice(["skip", "as-single"]),
    default="skip",
    show_default=True,
    help="True/false questions: skip them (listed with the reason), or import each as a single-answer "
    "question with the options True and False (feedback as rationales).",
)
@click.pass_context
def import_content(
    ctx: click.Context,
    files: tuple[Path, ...],
    fmt: str,
    into: Path,
    exam: str | None,
    task: str | None,
    map_file: Path | None,
    pack_id: str | None,
    true_false: str,
) -> None:
    """Import question files (or an Anki deck) as a new content pack that `certprep content lint` accepts.

    Every item that cannot be imported is named with the reason; the others are imported. The
    pack is written whole or not at all.
    """
    from certprep.interop.build import assemble, load_map, read_files
    from certprep.interop.common import FormatError, slug
    from certprep.interop.packwrite import PackWriteError, write_pack

    if bool(exam) != bool(task):
        raise click.UsageError("give --exam and --task together")
    pack = load_content(ctx)
    _check_exam(pack, exam, task)
    try:
        exam_map = load_map(map_file) if map_file else None
        drafts = read_files(files, fmt)
    except FormatError as exc:
        raise click.ClickException(f"cannot import: {exc}") from exc
    result = assemble(drafts, pack.blueprints, exam=exam, task=task, exam_map=exam_map, true_false=true_false)
    for where, why in result.skipped:
        click.echo(f"skipped: {where}: {why}")
    for where, why in result.problems:
        click.echo(f"not imported: {where}: {why}")
    if not result.question_count and not result.flashcards:
        raise click.ClickException("nothing to import; nothing was written")
    files_of = {code: pack.item_path(code) for code in result.exams}
    name = pack_id or slug(into.name)
    try:
        write_pack(result, into, files_of, pack_id=name, title=f"Imported: {', '.join(p.name for p in files)}")
    except PackWriteError as exc:
        for issue in exc.issues:
            click.echo(f"error: {issue}", err=True)
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"imported {result.question_count} question(s) ({len(result.case_studies)} case stud"
        f"{'y' if len(result.case_studies) == 1 else 'ies'}), {len(result.flashcards)} flashcard(s) into {into}; "
        f"{len(result.skipped)} skipped, {len(result.problems)} not imported"
    )


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Format to write.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--exam", help="Only questions of this exam.")
@click.option("--task", help="Only questions of this task statement (with --exam).")
@click.option("--ids", help="Only these question ids (comma-separated).")
@click.pass_context
def export_content(
    ctx: click.Context, fmt: str, out: Path, exam: str | None, task: str | None, ids: str | None
) -> None:
    """Export questions to GIFT, Moodle XML, Aiken, QTI 2.1, CSV or Markdown.

    What the format cannot express is listed, item by item.
    """
    from certprep.interop.formats import export_questions

    if task and not exam:
        raise click.UsageError("--task needs --exam")
    pack = load_content(ctx)
    _check_exam(pack, exam, task)
    wanted = {i.strip() for i in ids.split(",") if i.strip()} if ids else None
    if wanted:
        unknown = sorted(wanted - set(pack.questions_by_id))
        if unknown:
            raise click.ClickException(f"unknown question id(s): {', '.join(unknown)}")
    chosen = [
        q
        for q in pack.questions
        if (wanted is None or q.id in wanted)
        and (exam is None or any(r.exam == exam and (task is None or r.task == task) for r in q.exams))
    ]
    if not chosen:
        raise click.ClickException("no question matches; nothing was written")
    result = export_questions(fmt, chosen, {c.id: c for c in pack.case_studies}, pack.media)
    for line in result.lost:
        click.echo(f"lost: {line}")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(result.content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the file is for sharing
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(f"wrote {out}: {result.count} of {len(chosen)} question(s); {len(result.lost)} item(s) lost")
