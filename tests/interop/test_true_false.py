"""True/false questions: skipped with the reason by default; with ``--true-false as-single``, a
single-answer question with the options True and False, each answer's feedback its rationale; GIFT
and Moodle XML write them as their own true/false type and read them back the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certprep.cli.main import cli
from certprep.content import check_pack
from certprep.content.schema import Question
from certprep.interop import gift, moodlexml
from certprep.interop.build import assemble
from certprep.interop.formats import export_questions

from .strategies import PACK, line, questions

PARSERS = {"gift": lambda b: gift.parse_gift(b.decode()), "moodle-xml": moodlexml.parse_moodle_xml}


@st.composite
def true_false(draw: st.DrawFn) -> Question:
    """A generated single-answer question made a true/false one (its first two rationales kept)."""
    base = draw(questions(("single",)))
    key = draw(st.booleans())
    data: dict[str, Any] = base.model_dump(mode="json", exclude_defaults=True, exclude={"kind", "case_id"})
    data["id"] = base.id.replace("single", "tf")
    data["options"] = [
        {"text": "True", "correct": key, "rationale": draw(st.one_of(st.just(""), line()))},
        {"text": "False", "correct": not key, "rationale": draw(st.one_of(st.just(""), line()))},
    ]
    for option in data["options"]:
        if not option["rationale"]:
            del option["rationale"]
    return Question.model_validate(data)


@pytest.mark.parametrize("fmt", list(PARSERS))
def test_true_false_questions_come_back_as_single(fmt: str) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(true_false(), min_size=1, max_size=3, unique_by=lambda q: q.id))
    def check(qs: list[Question]) -> None:
        exported = export_questions(fmt, qs, {})
        assert exported.lost == [] and exported.count == len(qs)
        drafts = PARSERS[fmt](exported.content)
        skipped = assemble(drafts, PACK.blueprints)
        assert skipped.questions == [] and len(skipped.skipped) == len(qs)
        assert all("--true-false as-single" in why for _, why in skipped.skipped)
        mapped = assemble(PARSERS[fmt](exported.content), PACK.blueprints, true_false="as-single")
        assert mapped.problems == [] and mapped.skipped == []
        assert mapped.questions == qs

    check()


def test_gift_true_false_feedback_becomes_the_rationales() -> None:
    text = (
        "::Blocks::S3 is a block store.{FALSE#S3 stores objects.#Right: EBS is the block store.}\n\n"
        "::Yes::EFS is NFS.{T}\n"
    )
    result = assemble(gift.parse_gift(text), PACK.blueprints, exam="MLA-C01", task="1.1", true_false="as-single")
    first, second = result.questions
    assert [(o.text, o.correct, o.rationale) for o in first.options] == [
        ("True", False, "S3 stores objects."),  # the feedback of a wrong answer: shown when True is chosen
        ("False", True, "Right: EBS is the block store."),
    ]
    assert [(o.text, o.correct) for o in second.options] == [("True", True), ("False", False)]
    assert first.is_true_false and first.type.value == "single"


MOODLE_TF = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Blocks</text></name>
    <questiontext format="html"><text><![CDATA[<p>S3 is a <b>block</b> store.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>S3 is object storage.</text></generalfeedback>
    <answer fraction="0" format="moodle_auto_format"><text>true</text>
      <feedback><text>No: objects.</text></feedback></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text>
      <feedback><text>Yes.</text></feedback></answer>
  </question>
  <question type="truefalse"><name><text>Broken</text></name>
    <questiontext><text>No answers.</text></questiontext></question>
</quiz>
"""


def test_moodle_true_false_imports_with_the_option(tmp_path: Path) -> None:
    src = tmp_path / "tf.xml"
    src.write_text(MOODLE_TF, encoding="utf-8")
    args = ["content", "import", str(src), "--format", "moodle-xml", "--exam", "MLA-C01", "--task", "1.1"]
    skipped = CliRunner().invoke(cli, [*args, "--into", str(tmp_path / "skip")])
    assert skipped.exit_code == 1  # nothing to import: both skipped, with the reason
    assert (
        "skipped: question 1 (Blocks): a true/false question: import it with --true-false as-single" in skipped.output
    )
    result = CliRunner().invoke(cli, [*args, "--into", str(tmp_path / "tf"), "--true-false", "as-single"])
    assert result.exit_code == 0, result.output
    assert (
        "not imported: question 2 (Broken): a true/false question needs the answers 'true' and 'false'" in result.output
    )
    pack, errors = check_pack(tmp_path / "tf")
    assert errors == [] and pack is not None
    (q,) = pack.questions
    assert q.stem == "S3 is a **block** store."
    # The general feedback joins the key's rationale, as for every other type.
    assert [(o.text, o.correct, o.rationale) for o in q.options] == [
        ("True", False, "No: objects."),
        ("False", True, "Yes.\n\nS3 is object storage."),
    ]
    assert CliRunner().invoke(cli, ["content", "lint", str(tmp_path / "tf")]).exit_code == 0


def test_only_true_and_false_make_a_two_option_question() -> None:
    data = {
        "id": "two-options",
        "revision": 1,
        "type": "single",
        "exams": [{"exam": "MLA-C01", "task": "1.1"}],
        "difficulty": 1,
        "stem": "Pick one.",
        "options": [{"text": "Yes", "correct": True}, {"text": "No"}],
    }
    with pytest.raises(ValueError, match="exactly 4 options"):
        Question.model_validate(data)
