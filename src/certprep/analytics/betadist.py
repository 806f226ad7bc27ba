"""The few Beta and beta-binomial functions the analytics need, on the standard library alone.

``beta_cdf`` is the regularized incomplete beta function (continued fraction, modified Lentz);
``beta_ppf`` inverts it by safeguarded Newton steps; ``beta_binomial_pmf`` uses the ratio of
consecutive terms, so it needs no gamma function at all. Accuracy is about 1e-12, far beyond
what a readiness figure needs; tests/analytics/test_betadist.py checks closed forms.
"""

from __future__ import annotations

import math

__all__ = ["beta_binomial_pmf", "beta_cdf", "beta_from_moments", "beta_ppf"]

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 500


def _check(a: float, b: float) -> None:
    if not (a > 0 and b > 0) or math.isinf(a) or math.isinf(b):
        raise ValueError(f"Beta parameters must be positive and finite, got a={a!r}, b={b!r}")


def _log_front(x: float, a: float, b: float) -> float:
    """log of x**a (1-x)**b / B(a, b)."""
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b) (Numerical Recipes' betacf), by modified Lentz."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X <= x) for X ~ Beta(a, b)."""
    _check(a, b)
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(_log_front(x, a, b))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(x, a, b) / a
    return 1.0 - front * _continued_fraction(1.0 - x, b, a) / b


def _initial_guess(p: float, a: float, b: float) -> float:
    """Numerical Recipes' starting point for the inverse (invbetai)."""
    if a >= 1.0 and b >= 1.0:
        pp = p if p < 0.5 else 1.0 - p
        t = math.sqrt(-2.0 * math.log(pp))
        z = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
        if p < 0.5:
            z = -z
        al = (z * z - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0)) if a > 0.5 and b > 0.5 else 1.0
        w = z * math.sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        return a / (a + b * math.exp(min(2.0 * w, 700.0)))
    lna = math.log(a / (a + b))
    lnb = math.log(b / (a + b))
    t = math.exp(a * lna) / a
    u = math.exp(b * lnb) / b
    w = t + u
    if p < t / w:
        return float((a * w * p) ** (1.0 / a))
    return 1.0 - float((b * w * (1.0 - p)) ** (1.0 / b))


def beta_ppf(p: float, a: float, b: float) -> float:
    """The ``p`` quantile of Beta(a, b): the x with ``beta_cdf(x, a, b) == p``."""
    _check(a, b)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    x = min(max(_initial_guess(p, a, b), 1e-300), 1.0 - 1e-16)
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    for _ in range(2000):  # Newton converges in a few steps; bisection, the fallback, in at most ~1100
        f = beta_cdf(x, a, b) - p
        if f == 0.0:
            return x
        if f < 0.0:
            lo = x
        else:
            hi = x
        density = math.exp(log_norm + (a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x))
        step = f / density if density > 0.0 else math.inf
        candidate = x - step
        if not lo < candidate < hi:  # Newton left the bracket: bisect instead
            candidate = 0.5 * (lo + hi)
        if abs(candidate - x) <= 1e-14 * x or hi - lo <= 1e-15 * hi:
            return candidate
        x = candidate
    return x


def beta_from_moments(mean: float, variance: float) -> tuple[float, float]:
    """The Beta(a, b) with this mean and variance (clamped to a valid, proper Beta)."""
    mean = min(max(mean, 1e-9), 1.0 - 1e-9)
    ceiling = mean * (1.0 - mean)
    variance = min(max(variance, 1e-12), ceiling * (1.0 - 1e-9))
    strength = ceiling / variance - 1.0
    return mean * strength, (1.0 - mean) * strength


def beta_binomial_pmf(n: int, a: float, b: float) -> list[float]:
    """P(K = k) for k = 0..n, K ~ BetaBinomial(n, a, b): n trials sharing one p ~ Beta(a, b).

    Built from P(K=0) = prod (b+j)/(a+b+j) and the ratio P(k+1)/P(k) = (n-k)(k+a) / ((k+1)(n-k-1+b)),
    so large ``a`` or ``b`` (much evidence) cost nothing extra.
    """
    _check(a, b)
    if n < 0:
        raise ValueError("n must be non-negative")
    logs = [0.0]
    for j in range(n):
        logs[0] += math.log((b + j) / (a + b + j))
    for k in range(n):
        logs.append(logs[-1] + math.log((n - k) * (k + a) / ((k + 1) * (n - k - 1 + b))))
    top = max(logs)  # scale before exp, so that no term underflows to a zero total
    pmf = [math.exp(v - top) for v in logs]
    total = math.fsum(pmf)
    return [v / total for v in pmf]
