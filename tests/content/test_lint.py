"""The linter's figures on packs built to show each flaw, and the CLI's JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def _keyed(name: str, key: str, exams: str, rationale: str = "Object storage with high durability.") -> str:
    text = MINI_QUESTION.replace("  - text: Amazon S3\n", f"  - text: {key}\n")
    text = text.replace("    rationale: Object storage with high durability.\n", f"    rationale: {rationale}\n")
    text = text.replace('  - {exam: MLA-C01, task: "1.1"}\n', exams)
    return text.replace("A team stores training data", f"A team named {name} keeps records")


def _warnings_of(data: dict[str, Any], item: str) -> list[str]:
    """The warnings about the key of ``item`` (near-duplicate stems left out: the fixtures share one)."""
    return [
        w["message"]
        for w in data["warnings"]
        if w["message"].startswith(f"{item}:") and "near-duplicate" not in w["message"]
    ]


def test_currency_is_decided_by_each_exams_own_guide(mini_pack: Path) -> None:
    c01 = '  - {exam: MLA-C01, task: "4.1"}\n'
    c02 = '  - {exam: MLA-C02, task: "4.1"}\n'
    both = c01 + c02
    notice = "It detects drift; closed to new customers since 2026-07-30, replaced by open-source monitoring."
    _add(mini_pack, "mm-c01-notice", _keyed("alpha", "SageMaker Model Monitor", c01, notice))
    _add(mini_pack, "mm-c01-silent", _keyed("beta", "SageMaker Model Monitor", c01))
    _add(mini_pack, "mm-c02", _keyed("gamma", "SageMaker Model Monitor", c02, notice))
    _add(mini_pack, "mm-both", _keyed("delta", "SageMaker Model Monitor", both, notice))
    _add(mini_pack, "ei-c01", _keyed("epsilon", "Amazon Elastic Inference", c01, notice))
    _add(mini_pack, "forecast-c01", _keyed("zeta", "Amazon Forecast", c01, notice))
    data = lint_pack(mini_pack).to_json()
    assert _warnings_of(data, "mm-c01-notice") == []  # named by the MLA-C01 guide, with its notice
    assert any("rationale must say it is closed" in m for m in _warnings_of(data, "mm-c01-silent"))
    assert any("MLA-C02 never keys" in m for m in _warnings_of(data, "mm-c02"))
    assert [m for m in _warnings_of(data, "mm-both") if "never keys" in m] != []  # the stricter exam decides
    assert any("shut down for everyone" in m for m in _warnings_of(data, "ei-c01"))
    assert any("MLA-C01 never keys" in m for m in _warnings_of(data, "forecast-c01"))


def test_cli_json_and_exit_codes(mini_pack: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["content", "lint", str(mini_pack), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert set(data) >= {"errors", "warnings", "questions", "flashcards", "exams", "quality"}
    assert set(data["quality"]) >= {
        "longest_option_correct_share",
        "key_length_rank_counts",
        "absolute_terms",
        "stem_key_overlap",
        "select_three_share",
        "forms",
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
