"""The linter's figures on packs built to show each flaw, and the CLI's JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.content.lint import lint_pack
from tests.conftest import MINI_QUESTION


def _add(pack: Path, name: str, text: str) -> None:
    (pack / "questions" / f"{name}.yaml").write_text(text.replace("mini-single", name))


def test_figures_for_mini_pack(mini_pack: Path) -> None:
    report = lint_pack(mini_pack)
    data = report.to_json()
    assert data["errors"] == []
    assert data["questions"] == {"total": 1, "by_type": {"case_study": 0, "single": 1}, "by_difficulty": {"1": 1}}
    assert data["flashcards"] == 0
    assert data["exams"]["MLA-C01"]["tasks"]["1.1"] == {"questions": 1, "flashcards": 0, "lessons": 0}
    assert data["exams"]["MLA-C01"]["tasks"]["2.1"]["questions"] == 0
    quality = data["quality"]
    # "Amazon S3" (correct) is shorter than "AWS Lambda" etc., so the key is not the longest.
    assert quality["longest_option_correct_share"] == 0.0
    assert quality["key_position_counts"]["single"] == {"A": 1}
    assert quality["missing_rationales"] == 0 and quality["missing_references"] == 0
    assert quality["near_duplicate_pairs"] == []


def test_longest_key_missing_rationale_reference_and_duplicates(mini_pack: Path) -> None:
    long_key = MINI_QUESTION.replace("  - text: Amazon S3\n", "  - text: Amazon Simple Storage Service (S3)\n")
    no_rationale = MINI_QUESTION.replace("    rationale: Compute, not storage.\n", "")
    no_reference = MINI_QUESTION.split("references:")[0]
    _add(mini_pack, "long-key", long_key.replace("A team stores training data", "A lab keeps raw images"))
    _add(
        mini_pack,
        "no-rationale",
        no_rationale.replace("A team stores training data", "An insurer archives claim scans"),
    )
    _add(mini_pack, "no-reference", no_reference)  # same stem as mini-single: a near-duplicate
    data = lint_pack(mini_pack).to_json()
    quality = data["quality"]
    assert quality["longest_option_correct_share"] == 0.25
    assert quality["missing_rationales"] == 1
    assert quality["missing_references"] == 1
    pairs = {(p["a"], p["b"]) for p in quality["near_duplicate_pairs"]}
    assert ("mini-single", "no-reference") in pairs or ("no-reference", "mini-single") in pairs
    messages = " ".join(w["message"] for w in data["warnings"])
    assert "without a rationale" in messages and "no reference" in messages and "near-duplicate" in messages


def test_discontinued_key_is_flagged(mini_pack: Path) -> None:
    text = MINI_QUESTION.replace("  - text: Amazon S3\n", "  - text: Amazon Forecast\n")
    _add(mini_pack, "old-service", text.replace("A team stores training data", "A shop predicts demand"))
    data = lint_pack(mini_pack).to_json()
    assert any("discontinued service (amazon forecast)" in w["message"] for w in data["warnings"])


def test_cli_json_and_exit_codes(mini_pack: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["content", "lint", str(mini_pack), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert set(data) >= {"errors", "warnings", "questions", "flashcards", "exams", "quality"}
    assert set(data["quality"]) >= {
        "longest_option_correct_share",
        "key_position_counts",
        "missing_rationales",
        "missing_references",
        "near_duplicate_pairs",
    }
    # warnings (tasks without questions) fail only with --strict
    assert runner.invoke(cli, ["content", "lint", str(mini_pack), "--strict"]).exit_code == 1
    (mini_pack / "questions" / "bad.yaml").write_text("id: [unclosed\n")
    bad = runner.invoke(cli, ["content", "lint", str(mini_pack), "--json"])
    assert bad.exit_code == 1
    errors = json.loads(bad.output)["errors"]
    assert errors and errors[0]["file"] == "questions/bad.yaml" and errors[0]["line"] >= 1
    text = runner.invoke(cli, ["content", "lint", str(mini_pack)])
    assert text.exit_code == 1 and "error: questions/bad.yaml:" in text.output and "nothing of this pack" in text.output


def test_bundled_pack_lints_without_errors() -> None:
    result = CliRunner().invoke(cli, ["content", "lint", "--json"])
    assert result.exit_code == 0, result.output[:2000]
    data = json.loads(result.output)
    assert data["errors"] == []
    assert data["quality"]["missing_rationales"] == 0
    assert data["quality"]["missing_references"] == 0
