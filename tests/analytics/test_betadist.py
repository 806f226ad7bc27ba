"""The Beta helpers against closed forms (no SciPy in the project)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.analytics.betadist import beta_binomial_pmf, beta_cdf, beta_from_moments, beta_ppf

# The range the analytics use (posterior pseudo-counts); below 0.5 a quantile can sit so close to
# 0 or 1 that x itself, not the algorithm, limits the precision.
params = st.floats(min_value=0.5, max_value=5000.0)
probabilities = st.floats(min_value=1e-4, max_value=1 - 1e-4)


@pytest.mark.parametrize(
    ("x", "a", "b", "expected"),
    [
        (0.3, 1.0, 1.0, 0.3),  # uniform
        (0.3, 2.0, 1.0, 0.09),  # x**a
        (0.3, 1.0, 3.0, 1 - 0.7**3),  # 1 - (1-x)**b
        (0.5, 2.0, 2.0, 0.5),  # symmetric
        (0.25, 2.0, 2.0, 3 * 0.25**2 - 2 * 0.25**3),
        (0.0, 2.0, 5.0, 0.0),
        (1.0, 2.0, 5.0, 1.0),
    ],
)
def test_cdf_closed_forms(x: float, a: float, b: float, expected: float) -> None:
    assert beta_cdf(x, a, b) == pytest.approx(expected, abs=1e-13)


@pytest.mark.parametrize(
    ("p", "a", "expected"),
    [(0.1, 2.0, math.sqrt(0.1)), (0.9, 3.0, 0.9 ** (1 / 3)), (1e-6, 0.25, 1e-24), (0.5, 0.05, 0.5**20)],
)
def test_ppf_closed_forms(p: float, a: float, expected: float) -> None:
    assert beta_ppf(p, a, 1.0) == pytest.approx(expected, rel=1e-9)


@given(params, params, probabilities)
def test_ppf_inverts_cdf(a: float, b: float, p: float) -> None:
    x = beta_ppf(p, a, b)
    assert 0.0 <= x <= 1.0
    # as close as floats allow: p lies between the CDF at the neighbouring floats
    below, above = beta_cdf(math.nextafter(x, 0.0), a, b), beta_cdf(math.nextafter(x, 1.0), a, b)
    assert below - 1e-9 <= p <= above + 1e-9


@given(params, params, st.floats(min_value=0.001, max_value=0.999))
def test_cdf_symmetry(a: float, b: float, x: float) -> None:
    assert beta_cdf(x, a, b) == pytest.approx(1.0 - beta_cdf(1.0 - x, b, a), abs=1e-10)


def test_cdf_matches_numerical_integration() -> None:
    a, b, x = 3.7, 11.2, 0.31
    steps = 20_000
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    h = x / steps
    total = 0.0
    for i in range(steps):  # midpoint rule
        t = (i + 0.5) * h
        total += math.exp(log_norm + (a - 1) * math.log(t) + (b - 1) * math.log1p(-t))
    assert beta_cdf(x, a, b) == pytest.approx(total * h, abs=1e-7)


def test_beta_binomial_uniform_and_sum() -> None:
    assert beta_binomial_pmf(4, 1.0, 1.0) == pytest.approx([0.2] * 5)
    assert beta_binomial_pmf(0, 2.0, 3.0) == [1.0]
    pmf = beta_binomial_pmf(6, 2.5, 0.7)
    assert math.fsum(pmf) == pytest.approx(1.0)
    # mean n a / (a + b)
    assert math.fsum(k * p for k, p in enumerate(pmf)) == pytest.approx(6 * 2.5 / 3.2)


def test_beta_binomial_with_huge_evidence_is_binomial() -> None:
    pmf = beta_binomial_pmf(3, 7e6, 3e6)
    assert pmf == pytest.approx([0.3**3, 3 * 0.7 * 0.3**2, 3 * 0.7**2 * 0.3, 0.7**3], abs=1e-6)


def test_beta_binomial_extreme_parameters_do_not_underflow() -> None:
    pmf = beta_binomial_pmf(50, 1e6, 0.01)
    assert math.fsum(pmf) == pytest.approx(1.0)
    assert pmf[-1] > 0.9


def test_beta_from_moments_round_trip() -> None:
    a, b = beta_from_moments(0.6, 0.6 * 0.4 / 11)
    assert (a, b) == pytest.approx((6.0, 4.0))


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        beta_cdf(0.5, 0.0, 1.0)
    with pytest.raises(ValueError, match="p must lie"):
        beta_ppf(1.5, 1.0, 1.0)
