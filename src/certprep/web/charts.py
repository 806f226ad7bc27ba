"""Server-rendered SVG charts for the progress page: no script, no inline style.

The Content-Security-Policy allows no ``style`` attribute, so colours come from the stylesheet's
classes (``bar-track``, ``bar-fill``, ``meets``, ``below``: they follow the light and dark themes)
and from ``currentColor`` (the text colour of the theme); geometry and opacity are SVG
presentation attributes, which the policy does not touch. Every chart is ``role="img"`` with a
``<title>`` and a ``<desc>`` (its accessible name and description), every mark has its own
``<title>`` (a tooltip), and the pages put a table with the same figures beside each chart.
Passing and failing points differ in shape as well as colour (a circle and a square).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from markupsafe import Markup

__all__ = ["ChartPoint", "distribution_chart", "interval_bar", "line_chart"]

FONT = "11"


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def interval_bar(mean: float, low: float, high: float, *, label: str, floor: float | None = None) -> Markup:
    """A 0..1 bar filled to ``mean`` with the credible interval ``low``..``high`` drawn over it as a
    whisker, and ``floor`` (e.g. the checklist's 70%) as a dashed mark."""
    parts = [
        Markup(
            '<svg class="bar interval-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            'aria-label="{}" focusable="false" data-mean="{}" data-low="{}" data-high="{}">'
        ).format(label, f"{mean:.4f}", f"{low:.4f}", f"{high:.4f}"),
        Markup('<rect class="bar-track" x="0" y="0" width="100" height="10"></rect>'),
        Markup('<rect class="bar-fill" x="0" y="0" width="{}" height="10"></rect>').format(_n(100 * mean)),
    ]
    x1, x2 = _n(100 * low), _n(100 * high)
    stroke = 'stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke"'
    parts.append(Markup(f'<line x1="{x1}" x2="{x2}" y1="5" y2="5" {stroke}></line>'))
    parts.append(Markup(f'<line x1="{x1}" x2="{x1}" y1="2" y2="8" {stroke}></line>'))
    parts.append(Markup(f'<line x1="{x2}" x2="{x2}" y1="2" y2="8" {stroke}></line>'))
    if floor is not None:
        parts.append(Markup('<line class="bar-cut" x1="{0}" x2="{0}" y1="0" y2="10"></line>').format(_n(100 * floor)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


@dataclass(frozen=True)
class ChartPoint:
    """One point of a line chart: a time, a value in 0..100, the point's tooltip and its kind."""

    at: datetime
    value: float
    label: str
    kind: Literal["pass", "fail", "plain"] = "plain"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> Markup:
    return Markup(
        '<svg class="chart" id="{0}" width="{1}" height="{2}" viewBox="0 0 {1} {2}" role="img" '
        'aria-labelledby="{0}-title {0}-desc" focusable="false">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>'
    ).format(chart_id, width, height, title, desc)


def _text(x: float, y: float, text: str, anchor: str = "start") -> Markup:
    return Markup('<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="currentColor">{}</text>').format(
        _n(x), _n(y), FONT, anchor, text
    )


def line_chart(
    points: Sequence[ChartPoint],
    *,
    chart_id: str,
    title: str,
    desc: str,
    cut: float | None = None,
    cut_label: str = "",
    width: int = 640,
    height: int = 220,
) -> Markup:
    """Values (0..100, percent) over time: a line through the points, a dashed line at ``cut``.

    The x axis is time; points that share one instant (or a single point) are spread evenly so that
    each stays visible. The y axis runs 0-100 with a grid line every 25.
    """
    left, right, top, bottom = 36, 14, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    parts = [_open(chart_id, width, height, title, desc)]
    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        parts.append(
            Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" stroke-opacity="0.18"></line>').format(
                left, width - right, _n(y), _n(y)
            )
        )
        parts.append(_text(left - 4, y + 4, f"{tick}%", "end"))
    if cut is not None:
        y = y_of(cut)
        parts.append(
            Markup(
                '<line class="chart-cut" x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" '
                'stroke-dasharray="5 4"></line>'
            ).format(left, width - right, _n(y), _n(y))
        )
        if cut_label:
            parts.append(_text(width - right, y - 4, cut_label, "end"))
    ordered = sorted(points, key=lambda p: p.at)
    if ordered:
        start, end = ordered[0].at, ordered[-1].at
        span = (end - start).total_seconds()
        distinct = len({p.at for p in ordered}) == len(ordered)
        xs: list[float]
        if span > 0 and distinct:
            xs = [left + plot_w * (p.at - start).total_seconds() / span for p in ordered]
        elif len(ordered) == 1:
            xs = [left + plot_w / 2]
        else:
            xs = [left + plot_w * i / (len(ordered) - 1) for i in range(len(ordered))]
        labels = {0: ordered[0].at, len(ordered) - 1: ordered[-1].at}
        for index, at in labels.items():
            anchor = "middle" if len(ordered) == 1 else ("start" if index == 0 else "end")
            parts.append(_text(xs[index], height - 8, at.strftime("%d %b %Y"), anchor))
        if len(ordered) > 1:
            line = " ".join(f"{_n(x)},{_n(y_of(p.value))}" for x, p in zip(xs, ordered, strict=True))
            parts.append(
                Markup(
                    '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5" '
                    'stroke-opacity="0.7"></polyline>'
                ).format(line)
            )
        for x, p in zip(xs, ordered, strict=True):
            y = y_of(p.value)
            if p.kind == "fail":
                mark = Markup('<rect class="bar-fill below point" x="{}" y="{}" width="9" height="9"').format(
                    _n(x - 4.5), _n(y - 4.5)
                )
            else:
                css = "bar-fill meets point" if p.kind == "pass" else "bar-fill point"
                mark = Markup('<circle class="{}" cx="{}" cy="{}" r="5"').format(css, _n(x), _n(y))
            parts.append(
                mark
                + Markup(' data-value="{}" data-kind="{}"><title>{}</title>').format(f"{p.value:.1f}", p.kind, p.label)
                + Markup("</rect>" if p.kind == "fail" else "</circle>")
            )
    else:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, "no finished attempts yet", "middle"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def distribution_chart(
    distribution: Sequence[float], *, pass_raw: int, chart_id: str, title: str, desc: str, width: int = 640
) -> Markup:
    """P(raw score = x) as bars, x = 0..len-1; bars at or above ``pass_raw`` (a pass) in the passing
    colour, the others in the failing one, with a dashed line at the pass mark."""
    height, left, right, top, bottom = 150, 36, 14, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(distribution), 1)
    step = plot_w / count
    peak = max(distribution, default=0.0) or 1.0
    parts = [_open(chart_id, width, height, title, desc)]
    parts.append(
        Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" stroke-opacity="0.4"></line>').format(
            left, width - right, top + plot_h, top + plot_h
        )
    )
    for x, p in enumerate(distribution):
        h = plot_h * p / peak
        css = "bar-fill meets" if x >= pass_raw else "bar-fill below"
        parts.append(
            Markup(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}" data-raw="{}"><title>{} right: {}</title></rect>'
            ).format(
                css,
                _n(left + x * step + 0.5),
                _n(top + plot_h - h),
                _n(max(step - 1, 0.5)),
                _n(h),
                x,
                x,
                f"{100 * p:.1f}%",
            )
        )
    cut_x = left + pass_raw * step
    parts.append(
        Markup(
            '<line class="chart-cut" x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="currentColor" '
            'stroke-dasharray="5 4"></line>'
        ).format(_n(cut_x), top, top + plot_h)
    )
    parts.append(_text(cut_x + 3, top + 9, f"pass: {pass_raw} or more right"))
    for x in range(0, count, 10):
        parts.append(_text(left + (x + 0.5) * step, height - 8, str(x), "middle"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
