"""The .apkg opens in Anki itself (the `anki` library) with the right notes, fields and tags."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from certprep.cli.main import cli
from tests.conftest import bundled_pack

PACK = bundled_pack()


def _open_in_anki(apkg: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(tmp_path / "collection.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
    return col


def test_flashcards_and_questions_open_in_anki(tmp_path: Path) -> None:
    apkg = tmp_path / "certprep.apkg"
    result = CliRunner().invoke(cli, ["export", "anki", str(apkg), "--questions"])
    assert result.exit_code == 0, result.output
    col = _open_in_anki(apkg, tmp_path)
    try:
        card_notes = col.find_notes('note:"certprep flashcard"')
        question_notes = col.find_notes('note:"certprep question"')
        assert len(card_notes) == len(PACK.flashcards)
        assert len(question_notes) == len(PACK.questions)
        sample = PACK.flashcards[0]
        (nid,) = col.find_notes(f'"Id:{sample.id}"')
        note = col.get_note(nid)
        assert note["Id"] == sample.id and sample.front.split()[0] in note["Front"]
        ref = sample.exams[0]
        assert f"certprep::{ref.exam}::d{ref.task.split('.')[0]}::t{ref.task}" in note.tags
        q = next(q for q in PACK.questions if q.type.value == "single")
        (qid,) = col.find_notes(f'"Id:{q.id}"')
        assert col.get_note(qid)["Answer"] == "ABCD"[q.correct_indexes[0]]
    finally:
        col.close()


def test_exam_filter_and_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    apkg = tmp_path / "mls.apkg"
    ok = runner.invoke(cli, ["export", "anki", str(apkg), "--exam", "MLS-C01"])
    assert ok.exit_code == 0
    expected = sum(1 for c in PACK.flashcards if any(e.exam == "MLS-C01" for e in c.exams))
    assert f"{expected} flashcards" in ok.output
    col = _open_in_anki(apkg, tmp_path)
    try:
        assert len(col.find_notes("")) == expected
    finally:
        col.close()
    bad = runner.invoke(cli, ["export", "anki", str(tmp_path / "x.apkg"), "--exam", "XYZ-C01"])
    assert bad.exit_code == 1 and "unknown exam" in bad.output
    bad = runner.invoke(cli, ["export", "anki", str(tmp_path / "x.zip")])
    assert bad.exit_code == 1 and ".apkg" in bad.output
    bad = runner.invoke(cli, ["export", "anki", str(tmp_path / "x.apkg"), "--exam", "MLA-C02", "--domain", "9"])
    assert bad.exit_code == 1 and "unknown domain '9'" in bad.output


def test_domain_filter(tmp_path: Path) -> None:
    apkg = tmp_path / "d2.apkg"
    ok = CliRunner().invoke(cli, ["export", "anki", str(apkg), "--exam", "MLA-C02", "--domain", "2"])
    assert ok.exit_code == 0, ok.output
    expected = [c for c in PACK.flashcards if any(e.exam == "MLA-C02" and e.task.startswith("2.") for e in c.exams)]
    assert 0 < len(expected) < len(PACK.flashcards) and f"{len(expected)} flashcards" in ok.output
    col = _open_in_anki(apkg, tmp_path)
    try:
        assert len(col.find_notes("")) == len(expected)
    finally:
        col.close()


def test_history_export_json_and_csv(tmp_path: Path) -> None:
    import csv
    import json
    import random
    from datetime import UTC, datetime

    from certprep.app import open_app
    from certprep.config import Settings
    from certprep.services import exams
    from certprep.services.content import local_user

    data_dir = tmp_path / "data"
    app = open_app(Settings(data_dir=data_dir))
    try:
        user = local_user(app, datetime.now(UTC))["id"]
        view = exams.start_exam(
            app,
            user,
            exams.StartRequest(exam="MLA-C01", selection="fixed", form=1),
            now=datetime.now(UTC),
            rng=random.Random(1),
        )
        exams.act(app, user, view.id, {"type": "flag"}, expected_version=view.version, now=datetime.now(UTC))
    finally:
        app.close()
    runner = CliRunner()
    out = tmp_path / "history.json"
    result = runner.invoke(cli, ["--data-dir", str(data_dir), "export", "history", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [a["id"] for a in data["attempts"]] == [view.id]
    assert [r["event"] for r in data["responses"]] == ["start", "flag"]
    folder = tmp_path / "csv"
    result = runner.invoke(cli, ["--data-dir", str(data_dir), "export", "history", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    with (folder / "responses.csv").open() as handle:
        assert [r["event"] for r in csv.DictReader(handle)] == ["start", "flag"]
