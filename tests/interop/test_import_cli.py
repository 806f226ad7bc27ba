"""`certprep content import` and `export`: files of other tools' making, per-item reports, skipped
kinds, mapping, atomic writes, bad input with a line number."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from certprep.cli.main import cli
from certprep.content import check_pack
from certprep.interop import common

from .strategies import PACK

MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Week 1/Storage</text></category></question>
  <question type="multichoice">
    <name><text>Columnar formats</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which format lets <b>Athena</b> read only the
      columns a query needs?<script>alert(1)</script></p>]]></text></questiontext>
    <generalfeedback format="html"><text>Columnar formats store each column together.</text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text>Apache Parquet</text>
      <feedback format="html"><text>&lt;i&gt;Columnar&lt;/i&gt;, so Athena skips columns.</text></feedback></answer>
    <answer fraction="0" format="html"><text>CSV</text><feedback><text>Row based.</text></feedback></answer>
    <answer fraction="0" format="html"><text>JSON lines</text></answer>
    <answer fraction="0" format="html"><text>Plain text logs</text></answer>
    <tags><tag><text>storage</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Too few options</text></name>
    <questiontext format="html"><text>Pick one</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>A</text></answer>
    <answer fraction="0"><text>B</text></answer>
    <answer fraction="0"><text>C</text></answer>
  </question>
  <question type="truefalse"><name><text>TF one</text></name>
    <questiontext><text>S3 is a block store.</text></questiontext></question>
  <question type="essay"><name><text>Essay one</text></name>
    <questiontext><text>Discuss.</text></questiontext></question>
  <question type="shortanswer"><name><text>Short one</text></name>
    <questiontext><text>Name it.</text></questiontext></question>
  <question type="numerical"><name><text>Number one</text></name>
    <questiontext><text>How many?</text></questiontext></question>
  <question type="multianswer"><name><text>Cloze one</text></name>
    <questiontext><text>{1:SA:=x}</text></questiontext></question>
  <question type="multichoice">
    <name><text>With a picture</text></name>
    <questiontext format="html"><text><![CDATA[<p>Look: <img src="@@PLUGINFILE@@/chart.svg"></p>]]></text>
      <file name="chart.svg" encoding="base64">PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=</file>
    </questiontext>
    <single>true</single>
    <answer fraction="100"><text>A</text></answer><answer fraction="0"><text>B</text></answer>
    <answer fraction="0"><text>C</text></answer><answer fraction="0"><text>D</text></answer>
  </question>
</quiz>
"""

GIFT = """// A quiz written by hand in Moodle's GIFT.
::TF::S3 is object storage.{T}

::Essay::Describe your pipeline.{}

::Numeric::How many AZs at least?{#2}

::Short::Which service streams data?{=Kinesis =Kinesis Data Streams}

::Missing::Athena reads {=Parquet ~CSV ~XML ~YAML} faster.

::MC::Which service labels data?{
  =SageMaker Ground Truth#It manages labelling jobs.
  ~Amazon Rekognition#It detects, it does not label.
  ~AWS Glue#An ETL service.
  ~Amazon Athena#A query service.
  ####Ground Truth offers human and automated labelling.
}
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_moodle_xml_from_moodle_imports_what_it_can_and_names_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "moodle.xml"
    src.write_text(MOODLE_XML, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text('categories:\n  "$course$/top/Week 1": {exam: MLA-C02, task: "1.1"}\n')
    into = tmp_path / "team"
    result = _run("content", "import", str(src), "--format", "moodle-xml", "--into", str(into), "--map", str(mapping))
    assert result.exit_code == 0, result.output
    out = result.output
    for name, reason in [
        ("TF one", "true/false"),
        ("Essay one", "essay"),
        ("Short one", "short-answer"),
        ("Number one", "numerical"),
        ("Cloze one", "cloze"),
    ]:
        assert "skipped: question " in out and f"({name}): a" in out and reason in out, (name, out)
    assert (
        "not imported: question 3 (Too few options): Value error, a single-answer question has exactly 4 options" in out
    )
    assert "(With a picture): image(s) not kept: chart.svg: SVG is not kept" in out
    assert "imported 1 question(s)" in out
    pack, errors = check_pack(into)
    assert errors == [] and pack is not None
    (q,) = pack.questions
    assert q.exams[0].exam == "MLA-C02" and q.exams[0].task == "1.1"
    assert "**Athena**" in q.stem and "script" not in q.stem and "alert" not in q.stem
    # The general feedback joins the keyed option's rationale: nothing is dropped.
    assert (
        q.options[0].rationale == "*Columnar*, so Athena skips columns.\n\nColumnar formats store each column together."
    )
    assert q.options[1].rationale == "Row based."
    lint = _run("content", "lint", str(into))
    assert lint.exit_code == 0, lint.output


def test_gift_by_hand_lists_every_unsupported_kind_with_its_line(tmp_path: Path) -> None:
    src = tmp_path / "quiz.gift"
    src.write_text(GIFT, encoding="utf-8")
    result = _run("content", "import", str(src), "--format", "gift", "--into", str(tmp_path / "p"),
                  "--exam", "MLA-C02", "--task", "1.1")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(
        line.startswith("skipped: line 2 (TF): a true/false question: import it with --true-false") for line in lines
    )
    assert "skipped: line 4 (Essay): an essay question: certprep has no free-text answers" in lines
    assert "skipped: line 6 (Numeric): a numerical question: certprep has no numeric answers" in lines
    assert "skipped: line 8 (Short): a short-answer question: certprep has no free-text answers" in lines
    assert any(line.startswith("skipped: line 10 (Missing): a missing-word question") for line in lines)
    pack, _ = check_pack(tmp_path / "p")
    assert pack is not None
    (q,) = pack.questions
    assert (
        q.id == "imported-mc"
        and q.options[0].correct
        and q.options[0].rationale
        == ("It manages labelling jobs.\n\nGround Truth offers human and automated labelling.")
    )
    assert q.options[1].rationale == "It detects, it does not label."


def test_aiken_problems_name_the_line_and_the_rest_is_imported(tmp_path: Path) -> None:
    src = tmp_path / "quiz.txt"
    src.write_text(
        "Which store is columnar?\nA. Parquet\nB. CSV\nC. JSON\nD. XML\nANSWER: A\n\n"
        "Broken one\nA. x\nB. y\nANSWER: E\n\n"
        "Which service labels data?\nA) Ground Truth\nB) Glue\nC) Athena\nD) EMR\nANSWER: A\n",
        encoding="utf-8",
    )
    result = _run("content", "import", str(src), "--format", "aiken", "--into", str(tmp_path / "p"),
                  "--exam", "MLA-C02", "--task", "1.1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "not imported: line 8: ANSWER on line 11 names 'E', not one of A, B" in result.output
    assert "imported 2 question(s)" in result.output


def test_no_exam_for_an_item_is_a_problem_not_a_guess(tmp_path: Path) -> None:
    src = tmp_path / "quiz.txt"
    src.write_text("Which store is columnar?\nA. Parquet\nB. CSV\nC. JSON\nD. XML\nANSWER: A\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["content", "import", str(src), "--format", "aiken", "--into", str(tmp_path / "p")]
    )
    assert result.exit_code == 1
    assert "no exam and task: give --exam and --task, or map it with --map" in result.output
    assert "nothing to import; nothing was written" in result.output
    assert not (tmp_path / "p").exists()


@pytest.mark.slow  # a whole-bank round trip
def test_the_pack_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "bank.csv"
    assert _run("content", "export", "--format", "csv", "--out", str(src)).exit_code == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    refused = CliRunner().invoke(cli, ["content", "import", str(src), "--format", "csv", "--into", str(busy)])
    assert refused.exit_code == 1 and "not an empty folder" in refused.output
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]

    # A failure after files were written (here: the pack does not lint) leaves nothing behind.
    from certprep.content.loader import Issue
    from certprep.interop import packwrite

    monkeypatch.setattr(packwrite, "check_pack", lambda root: (None, [Issue("x.yaml", 1, "broken on purpose")]))
    failed = CliRunner().invoke(
        cli, ["content", "import", str(src), "--format", "csv", "--into", str(tmp_path / "new")]
    )
    assert failed.exit_code == 1 and "broken on purpose" in failed.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.csv", "busy"]


def test_export_filters_and_lists_what_is_lost(tmp_path: Path) -> None:
    out = tmp_path / "x.gift"
    ordering = [q for q in PACK.questions if q.type.value == "ordering"]
    single = next(q for q in PACK.questions if q.type.value == "single")
    ids = ",".join([single.id] + [q.id for q in ordering[:1]])
    result = _run("content", "export", "--format", "gift", "--ids", ids, "--out", str(out))
    assert result.exit_code == 0, result.output
    if ordering:
        assert f"lost: {ordering[0].id}: ordering question (GIFT has no ordering type); left out" in result.output
    assert f"::{single.id}::" in out.read_text()
    code = PACK.default_exam
    task = PACK.blueprints[code].task_ids[0]
    result = _run("content", "export", "--format", "csv", "--exam", code, "--task", task, "--out", str(out))
    expected = [q for q in PACK.questions if any(r.exam == code and r.task == task for r in q.exams)]
    if expected:
        assert f"{len(expected)} of {len(expected)} question(s)" in result.output
    bad = CliRunner().invoke(cli, ["content", "export", "--format", "csv", "--ids", "nope-nope", "--out", str(out)])
    assert bad.exit_code == 1 and "unknown question id(s): nope-nope" in bad.output


@pytest.mark.slow
def test_exported_packs_of_every_format_lint(tmp_path: Path) -> None:
    for fmt in ("gift", "moodle-xml", "csv", "markdown"):
        src = tmp_path / f"bank.{fmt}"
        assert _run("content", "export", "--format", fmt, "--out", str(src)).exit_code == 0
        into = tmp_path / f"pack-{fmt}"
        result = _run("content", "import", str(src), "--format", fmt, "--into", str(into))
        assert result.exit_code == 0 and "0 not imported" in result.output, (fmt, result.output)
        assert _run("content", "lint", str(into)).exit_code == 0
        data = yaml.safe_load((into / "pack.yaml").read_text())
        assert data["id"] == f"pack-{fmt}"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        (
            "gift",
            "::a::b{=c ~d}\n".encode("latin-1") + "Caf\xe9".encode("latin-1"),
            "bad: line 2: not UTF-8 (byte 0xe9)",
        ),
        ("csv", b"stem,option_1\n\x00x,y\n", "line 2: a NUL character"),
        ("csv", b"question,a,b\nq,x,y\n", "line 1: the header row has no 'stem' column"),
        ("moodle-xml", b"<quiz>\n<question type='multichoice'>\n<name>\n</quiz>", "line 4: malformed XML"),
        ("moodle-xml", b"<questions/>", "not a Moodle XML file"),
        (
            "moodle-xml",
            b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
            b"<quiz>&lol2;</quiz>",
            "a DTD is refused (XML bombs and external entities are not read)",
        ),
        (
            "moodle-xml",
            b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<quiz>&xxe;</quiz>',
            "a DTD is refused",
        ),
    ],
)
def test_bad_files_give_a_clear_error_with_a_line(tmp_path: Path, fmt: str, content: bytes, message: str) -> None:
    src = tmp_path / "bad"
    src.write_bytes(content)
    result = CliRunner().invoke(cli, ["content", "import", str(src), "--format", fmt, "--into", str(tmp_path / "p"),
                                      "--exam", "MLA-C02", "--task", "1.1"])  # fmt: skip
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert f"{src}" in result.output
    assert not (tmp_path / "p").exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "MAX_IMPORT_BYTES", 1000)
    src = tmp_path / "big.gift"
    src.write_text("::a::b{=c ~d ~e ~f}\n\n" * 100)
    result = CliRunner().invoke(cli, ["content", "import", str(src), "--format", "gift", "--into", str(tmp_path / "p")])
    assert result.exit_code == 1 and "larger than the limit of 1,000 bytes" in result.output


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    text = "stem\toption_1\toption_2\toption_3\toption_4\tcorrect\nWhich is columnar?\tParquet\tCSV\tJSON\tXML\tA\n"
    src.write_bytes(text.encode("utf-16"))
    result = _run("content", "import", str(src), "--format", "csv", "--into", str(tmp_path / "p"),
                  "--exam", "MLA-C02", "--task", "1.1")  # fmt: skip
    assert result.exit_code == 0 and "imported 1 question(s)" in result.output, result.output
