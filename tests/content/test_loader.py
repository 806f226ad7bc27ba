"""The loader accepts the bundled pack and rejects each kind of invalid file, naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.content import PackError, bundled_pack_path, check_pack, load_pack
from certprep.content.schema import QuestionType
from tests.conftest import MINI_QUESTION


def test_bundled_pack_loads_with_its_three_blueprints() -> None:
    pack = load_pack(bundled_pack_path())
    c02, mla, mls = pack.blueprints["MLA-C02"], pack.blueprints["MLA-C01"], pack.blueprints["MLS-C01"]
    assert [d.weight for d in c02.domains] == [28, 24, 24, 24]
    assert [d.weight for d in mla.domains] == [28, 26, 22, 24]
    assert [d.weight for d in mls.domains] == [20, 24, 36, 20]
    assert len(c02.task_ids) == 12 and len(mla.task_ids) == 12 and len(mls.task_ids) == 15
    assert len(c02.skills) == 107 and sum(s.new for s in c02.skills.values()) == 45
    assert (c02.questions_total, c02.questions_scored, c02.passing_score) == (65, 50, 720)
    assert c02.unconfirmed == ("duration_minutes",)
    assert (mla.questions_total, mla.questions_scored, mla.duration_minutes, mla.passing_score) == (65, 50, 130, 720)
    assert (mls.questions_total, mls.questions_scored, mls.duration_minutes, mls.passing_score) == (65, 50, 180, 750)
    assert set(c02.question_types) == {"single", "multiple"}
    assert set(mla.question_types) == {"single", "multiple", "ordering", "matching", "case_study"}
    assert set(mls.question_types) == {"single", "multiple"}
    assert c02.status == "current" and pack.default_exam == "MLA-C02"
    assert pack.exam_codes == ("MLA-C02", "MLA-C01", "MLS-C01")
    assert mla.status == "retired" and str(mla.retired_on) == "2026-09-28"
    assert mla.availability == "English retired 2026-09-28; ja / ko / zh-CN until MLA-C02 is generally available"
    assert mls.status == "retired" and str(mls.retired_on) == "2026-03-31" and mls.availability == "Retired 2026-03-31"
    assert mla.domains[2].tasks[2].title.startswith("Use automated orchestration tools")
    assert c02.domains[2].tasks[2].title.startswith("Implement automated orchestration and continuous integration")
    assert "model monitor" in c02.closed_services.never and "model monitor" in mla.closed_services.with_notice
    kinds = {q.type for q in pack.questions}
    assert kinds == set(QuestionType)
    assert pack.case_studies and all(q.case_id for q in pack.questions if q.id.startswith("cs-"))


def test_mini_pack_loads(mini_pack: Path) -> None:
    pack = load_pack(mini_pack)
    assert [q.id for q in pack.questions] == ["mini-single"]
    assert pack.question("mini-single").correct_indexes == (0,)


def _with(mini_pack: Path, rel: str, content: str) -> Path:
    path = mini_pack / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return mini_pack


BROKEN_YAML = MINI_QUESTION.replace("difficulty: 1", "difficulty: [1")
TWO_KEYS = MINI_QUESTION.replace("  - text: Amazon EBS\n", "  - text: Amazon EBS\n    correct: true\n")
NO_STEM = MINI_QUESTION.replace("stem: |\n  A team stores training data. Which service stores objects durably?\n", "")
BAD_TASK = MINI_QUESTION.replace('task: "1.1"', 'task: "1.9"')
BAD_EXAM = MINI_QUESTION.replace("exam: MLA-C01", "exam: XYZ-C01")
MULTI_NO_SELECT = MINI_QUESTION.replace("type: single", "type: multiple").replace(
    "  - text: AWS Lambda\n",
    "  - text: Amazon EFS\n    correct: true\n    rationale: File storage.\n  - text: AWS Lambda\n",
)
ORDERING_ON_MLS = """\
id: mini-order
revision: 1
type: ordering
exams:
  - {exam: MLS-C01, task: "1.1"}
difficulty: 1
stem: Put these in order.
steps:
  - {text: one, rationale: first}
  - {text: two, rationale: second}
  - {text: three, rationale: third}
"""
UNKNOWN_FIELD = MINI_QUESTION.replace("difficulty: 1", "difficulty: 1\nlevel: hard")
BAD_CARDS = "cards:\n  - id: fc-x\n    revision: 1\n    exams: [{exam: MLA-C01, task: '1.1'}]\n    front: Q?\n"
LESSON_MISSING = (
    "---\nid: lesson-x\nrevision: 1\ntitle: X\nexams: [{exam: MLA-C01, task: '1.1'}]\n---\n## You will learn\n"
)
UNCLOSED = "---\nid: lesson-y\nrevision: 1\n"


@pytest.mark.parametrize(
    ("rel", "content", "line", "message"),
    [
        ("questions/broken.yaml", BROKEN_YAML, 7, "invalid YAML"),
        ("questions/two.yaml", TWO_KEYS.replace("mini-single", "mini-two"), 1, "exactly 1 correct option"),
        ("questions/nostem.yaml", NO_STEM.replace("mini-single", "mini-nostem"), 1, "stem: Field required"),
        ("questions/badtask.yaml", BAD_TASK.replace("mini-single", "mini-badtask"), 1, "has no task statement 1.9"),
        ("questions/badexam.yaml", BAD_EXAM.replace("mini-single", "mini-badexam"), 1, "unknown exam XYZ-C01"),
        ("questions/multi.yaml", MULTI_NO_SELECT.replace("mini-single", "mini-multi"), 1, 'must say "Select TWO."'),
        ("questions/order.yaml", ORDERING_ON_MLS, 1, "MLS-C01 has no ordering questions"),
        ("questions/extra.yaml", UNKNOWN_FIELD.replace("mini-single", "mini-extra"), 7, "level: Extra inputs"),
        ("questions/dup.yaml", MINI_QUESTION, 1, "id 'mini-single' is already used"),
        ("flashcards/bad.yaml", BAD_CARDS, 2, "cards.0.back: Field required"),
        ("lessons/x.md", LESSON_MISSING, 7, 'needs a "## Main content" section'),
        ("lessons/y.md", UNCLOSED, 1, "not closed"),
    ],
)
def test_invalid_file_is_named_with_line(mini_pack: Path, rel: str, content: str, line: int, message: str) -> None:
    root = _with(mini_pack, rel, content)
    pack, errors = check_pack(root)
    assert pack is None
    matching = [e for e in errors if message in e.message]
    assert matching, f"expected {message!r} in {[str(e) for e in errors]}"
    assert any(rel in (e.file, *e.message.split()) or e.message.count(rel) for e in matching)
    assert any(e.line == line for e in matching), [str(e) for e in matching]


def test_pack_with_errors_loads_nothing(mini_pack: Path) -> None:
    _with(mini_pack, "questions/two.yaml", TWO_KEYS.replace("mini-single", "mini-two"))
    with pytest.raises(PackError) as info:
        load_pack(mini_pack)
    assert "questions/two.yaml" in str(info.value)


def test_blueprint_weights_must_add_up(mini_pack: Path) -> None:
    path = mini_pack / "blueprints" / "MLA-C01.yaml"
    path.write_text(path.read_text().replace("weight: 28", "weight: 27"))
    _, errors = check_pack(mini_pack)
    assert any(e.file == "blueprints/MLA-C01.yaml" and "add up to 100" in e.message for e in errors)


def test_yaml_floats_stay_text(mini_pack: Path) -> None:
    _with(mini_pack, "questions/float.yaml", MINI_QUESTION.replace('"1.1"', "1.1").replace("mini-single", "mini-f"))
    pack = load_pack(mini_pack)
    assert pack.question("mini-f").exams[0].task == "1.1"


def test_missing_pack_yaml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    pack, errors = check_pack(tmp_path / "empty")
    assert pack is None and any("pack.yaml" in e.message for e in errors)
