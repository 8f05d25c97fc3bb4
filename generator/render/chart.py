"""The mentions-over-time chart of a dossier: an SVG drawn from counts, with no article text in it.

Only numbers and period labels we format ourselves go into the SVG, and it is shown through an
``<img>``, where a browser runs no script; so nothing untrusted can reach it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from generator.render.escape import attr
from generator.render.graphic import SVG_LABELLED, svg_text

WIDTH, HEIGHT, PAD, AXIS = 640, 120, 6, 18
MAX_MONTHS = 36  # past three years of months, bars get thinner than a pixel or two: count by year


def month_of(date: str | None) -> str | None:
    """``YYYY-MM`` of an ISO date, or None when it has none."""
    return date[:7] if date and len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit() else None


def periods(dates: Iterable[str]) -> list[tuple[str, int]]:
    """Counts per month (``YYYY-MM``), every month from the first to the last, or per year when long."""
    return periods_of(Counter(m for m in map(month_of, dates) if m))


def periods_of(months: Counter[str]) -> list[tuple[str, int]]:
    """:func:`periods` from counts per month."""
    if not months:
        return []
    first, last = min(months), max(months)
    y0, m0, y1, m1 = int(first[:4]), int(first[5:7]), int(last[:4]), int(last[5:7])
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    if span > MAX_MONTHS:
        years = Counter[str]()
        for k, v in months.items():
            years[k[:4]] += v
        return [(str(y), years.get(str(y), 0)) for y in range(y0, y1 + 1)]
    out = []
    y, m = y0, m0
    for _ in range(span):
        key = f"{y:04d}-{m:02d}"
        out.append((key, months.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def describe(series: list[tuple[str, int]]) -> str:
    """What the chart of ``series`` shows, in one sentence: its text alternative."""
    if not series:
        return "No dated briefings."
    unit = "year" if len(series[0][0]) == 4 else "month"
    total = sum(v for _, v in series)
    top = max(v for _, v in series)
    peaks = [label for label, v in series if v == top]
    if len(peaks) > 3:
        peak = f"{peaks[0]} and {len(peaks) - 1} other {unit}s"
    else:
        peak = " and ".join(filter(None, (", ".join(peaks[:-1]), peaks[-1])))
    span = series[0][0] if len(series) == 1 else f"{series[0][0]} to {series[-1][0]}"
    return f"Bar chart of briefings per {unit}, {span}: {total} in all, most ({top}) in {peak}."


def mentions_svg(series: list[tuple[str, int]], title: str = "Briefings per period") -> str:
    """A bar chart of ``series``, titled ``title`` and described by :func:`describe`; same input, same bytes."""
    top = max((v for _, v in series), default=0) or 1
    n = max(1, len(series))
    plot_h = HEIGHT - AXIS - PAD
    step = (WIDTH - 2 * PAD) / n
    bar = min(40.0, max(1.0, step * 0.8))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" {SVG_LABELLED}>',
        svg_text(title, describe(series)),
        f'<line x1="{PAD}" y1="{PAD + plot_h}" x2="{WIDTH - PAD}" y2="{PAD + plot_h}" stroke="#9e9e9e"/>',
    ]
    for i, (label, v) in enumerate(series):
        h = plot_h * v / top
        x = PAD + i * step + (step - bar) / 2
        parts.append(f'<rect x="{x:.2f}" y="{PAD + plot_h - h:.2f}" width="{bar:.2f}" height="{h:.2f}" '
                     f'fill="#3f51b5"><title>{attr(label)}: {v}</title></rect>')
    font = 'font-family="sans-serif" font-size="11" fill="#616161"'
    if series:
        parts.append(f'<text x="{PAD}" y="{HEIGHT - 4}" {font}>{attr(series[0][0])}</text>')
        if len(series) > 1:
            parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" text-anchor="end" {font}>'
                         f'{attr(series[-1][0])}</text>')
    parts.append(f'<text x="{WIDTH - PAD}" y="{PAD + 10}" text-anchor="end" {font}>max {top}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
