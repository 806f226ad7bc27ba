"""The one figure of a domain (analytics.figures): mastery, its interval, the answers behind it."""

from __future__ import annotations

import pytest

from certprep.analytics import estimate_mastery
from certprep.analytics.figures import domain_figures, mastery_percent, mastery_text

from .conftest import MLA, MLS, NOW, obs


def test_wording_and_rounding() -> None:
    assert mastery_text(0.3199, 12) == "mastery 31%, from 12 answers"
    assert mastery_text(0.7, 1) == "mastery 70%, from 1 answer"
    assert mastery_text(0.6, 0) == "mastery 60%, no answers yet"
    assert mastery_percent(0.69999) == 69 and mastery_percent(0.7) == 70


def test_domain_figures_are_the_mastery_estimates() -> None:
    history = [obs(f"q{i}", "1.1", i % 3 == 0) for i in range(9)] + [obs("r", "2.1", True)]
    mastery = estimate_mastery(history, MLA, now=NOW)
    figures = domain_figures(mastery, MLA)
    assert [f.id for f in figures] == [d.id for d in MLA.domains]
    one = figures[0]
    assert (one.mean, one.low, one.high, one.answers) == (
        mastery.domains["1"].mean,
        mastery.domains["1"].low,
        mastery.domains["1"].high,
        9,
    )
    assert one.text == f"mastery {mastery_percent(mastery.domains['1'].mean)}%, from 9 answers"
    assert one.to_dict()["text"] == one.text and one.to_dict()["percent"] == one.percent
    assert figures[2].answers == 0 and figures[2].text.endswith("no answers yet")
    with pytest.raises(ValueError, match="MLA-C01"):
        domain_figures(mastery, MLS)
