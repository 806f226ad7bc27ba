"""The import and export formats by name, as `certprep content import/export --format` lists them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from certprep.content.media import media_refs
from certprep.content.schema import CaseStudy, Question
from certprep.interop.common import Draft, ExportResult, FormatError, decode_text, read_limited

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_questions", "read_drafts"]

Exporter = Callable[[Sequence[Question], Mapping[str, CaseStudy]], ExportResult]


def _text_reader(parse: Callable[[str], list[Draft]]) -> Callable[[Path], list[Draft]]:
    def read(path: Path) -> list[Draft]:
        return parse(decode_text(read_limited(path), str(path)))

    return read


def _importers() -> dict[str, Callable[[Path], list[Draft]]]:
    from certprep.interop import aiken, apkg, csvfile, gift, markdown, moodlexml

    return {
        "gift": _text_reader(gift.parse_gift),
        "moodle-xml": lambda path: moodlexml.parse_moodle_xml(read_limited(path), str(path)),
        "aiken": _text_reader(aiken.parse_aiken),
        "csv": _text_reader(csvfile.parse_csv),
        "markdown": _text_reader(markdown.parse_markdown),
        "apkg": apkg.read_apkg,
    }


def _exporters() -> dict[str, Exporter]:
    from certprep.interop import aiken, csvfile, gift, markdown, moodlexml, qti

    return {
        "gift": gift.export_gift,
        "moodle-xml": moodlexml.export_moodle_xml,
        "aiken": aiken.export_aiken,
        "qti": qti.export_qti,
        "csv": csvfile.export_csv,
        "markdown": markdown.export_markdown,
    }


IMPORT_FORMATS = ("gift", "moodle-xml", "aiken", "csv", "markdown", "apkg")
EXPORT_FORMATS = ("gift", "moodle-xml", "aiken", "qti", "csv", "markdown")


def read_drafts(fmt: str, path: Path) -> list[Draft]:
    """Parse one file of format ``fmt``; raises ``FormatError`` for a file that cannot be read."""
    try:
        return _importers()[fmt](path)
    except FormatError as exc:
        exc.file = exc.file or str(path)
        raise


def export_questions(
    fmt: str, questions: Sequence[Question], cases: Mapping[str, CaseStudy], media: Mapping[str, Path] | None = None
) -> ExportResult:
    """Write ``questions`` in ``fmt``. ``media``: the pack's image files by name; Moodle XML embeds
    the ones the questions show, every other format lists them as lost (the references stay)."""
    if fmt == "moodle-xml":
        from certprep.interop import moodlexml

        wanted = media_refs([q.model_dump(mode="json") for q in questions])
        wanted |= media_refs([c.scenario for c in cases.values()])
        files = {name: path.read_bytes() for name, path in (media or {}).items() if name in wanted}
        return moodlexml.export_moodle_xml(questions, cases, files)
    result = _exporters()[fmt](questions, cases)
    for q in questions:
        names = sorted(media_refs([q.model_dump(mode="json")]))
        if names:
            shown = ", ".join(f"media/{n}" for n in names)
            result.lost.append(f"{q.id}: image(s) {shown}: {fmt} cannot carry image files; the references stay")
    return result
