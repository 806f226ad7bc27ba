"""Anki decks come in through the `anki` library: basic, basic-and-reversed and cloze notes become
flashcards; tags map to exams and tasks; certprep's own decks come back whole."""

from __future__ import annotations

from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.content import check_pack
from certprep.interop.apkg import read_apkg
from certprep.interop.build import assemble, load_map

from .strategies import PACK

pytest.importorskip("anki")


def _deck(path: Path) -> None:
    deck = genanki.Deck(2059400110, "team")
    notes = [
        (genanki.BASIC_MODEL, ["What is <b>SageMaker Clarify</b> for?", "Bias &amp; explainability"], ["clarify"]),
        (genanki.BASIC_AND_REVERSED_CARD_MODEL, ["Parquet", "A columnar file format"], ["formats"]),
        (
            genanki.CLOZE_MODEL,
            ["{{c1::Kinesis Data Streams}} ingests events; {{c2::Firehose::service}} delivers them", "streaming"],
            ["certprep::MLA-C02::d1::t1.1"],
        ),
        (genanki.BASIC_MODEL, ['A chart <img src="chart.png">', "back"], ["clarify"]),
        (genanki.BASIC_MODEL, ["Untagged front", "Untagged back"], []),
    ]
    for model, fields, tags in notes:
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags))
    genanki.Package(deck).write_to_file(str(path))


def test_basic_reversed_and_cloze_notes_become_flashcards(tmp_path: Path) -> None:
    apkg = tmp_path / "team.apkg"
    _deck(apkg)
    mapping = tmp_path / "map.yaml"
    mapping.write_text('tags:\n  clarify: {exam: MLA-C02, task: "4.2"}\n  formats: {exam: MLA-C02, task: "1.1"}\n')
    result = assemble(read_apkg(apkg), PACK.blueprints, exam_map=load_map(mapping))
    cards = {c.front: c for c in result.flashcards}
    assert cards["What is **SageMaker Clarify** for?"].back == "Bias & explainability"
    assert [(r.exam, r.task) for r in cards["What is **SageMaker Clarify** for?"].exams] == [("MLA-C02", "4.2")]
    assert cards["Parquet"].tags == ("formats",)
    c1 = cards["[...] ingests events; Firehose delivers them"]
    c2 = cards["Kinesis Data Streams ingests events; [service] delivers them"]
    assert c1.back == "Kinesis Data Streams\nstreaming" and c2.back == "Firehose\nstreaming"
    assert [(r.exam, r.task) for r in c1.exams] == [("MLA-C02", "1.1")]
    problems = dict(result.problems)
    assert any("chart.png" in why for why in problems.values())
    assert any("no exam and task" in why for where, why in result.problems if "Untagged" in where)


@pytest.mark.slow  # a whole-bank round trip
def test_certprep_own_deck_comes_back(tmp_path: Path) -> None:
    apkg = tmp_path / "certprep.apkg"
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "anki", str(apkg), "--questions"]).exit_code == 0
    into = tmp_path / "cards"
    result = runner.invoke(cli, ["content", "import", str(apkg), "--format", "apkg", "--into", str(into)])
    assert result.exit_code == 0, result.output
    # Question notes cannot become questions: each is named as skipped.
    assert result.output.count("a certprep question note") == len(PACK.questions)
    pack, errors = check_pack(into)
    assert errors == [] and pack is not None
    original = {c.id: c for c in PACK.flashcards}
    assert {c.id for c in pack.flashcards} == set(original)
    for card in pack.flashcards:
        was = original[card.id]
        assert (card.front, card.back) == (was.front.strip(), was.back.strip()), card.id
        assert {(r.exam, r.task) for r in card.exams} == {(r.exam, r.task) for r in was.exams}


def test_a_file_that_is_not_a_deck_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.apkg"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(cli, ["content", "import", str(bad), "--format", "apkg", "--into", str(tmp_path / "p")])
    assert result.exit_code == 1 and "not a readable Anki package" in result.output
    assert not (tmp_path / "p").exists()
