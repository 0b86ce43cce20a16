"""Charts for the HTML report as inline SVG: no script, no network, printable, the same on every run.

Every text that came from an input (a channel's name, a week label) is escaped
here, so a chart is safe to put into the page as it is. Numbers are written
with at most one decimal, so the same figures always give the same bytes.
"""

from __future__ import annotations

import math
from html import escape
from typing import Sequence

FONT = 'font-family="Microsoft YaHei,PingFang SC,Noto Sans CJK SC,sans-serif"'
BLUE, LIGHT, ORANGE, GREY = "#2E75B6", "#9DC3E6", "#C55A11", "#595959"
SERIES = ((LIGHT, "登记"), (BLUE, "到访"), (ORANGE, "成交"))


def _n(x: float) -> str:
    """A coordinate: one decimal at most, no trailing zeros."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: object, size: int = 12, anchor: str = "start", color: str = GREY,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{color}"{weight}>'
            f"{escape(str(text))}</text>")


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" {FONT}>'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _label(text: str, limit: int) -> str:
    """A category label cut to ``limit`` display columns (CJK count double), with … when cut."""
    from qudao.text import display_width

    if display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def count_step(largest: float) -> int:
    """Gridline step for counts: 1, 2 or 5 × 10ⁿ, about five lines (never a fraction)."""
    raw = max(float(largest), 1.0) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return max(1, int(next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)))


def _title(title: str, width: int, size: int = 14) -> tuple[list[str], int]:
    """The chart's title, on two lines when it is wider than the chart (at 「（」 or in the middle); returns
    the texts and the height they take."""
    from qudao.text import display_width

    lines = [title]
    if display_width(title) * size / 2 > width:
        cut = title.find("（")
        if cut <= 0:
            cut = len(title) // 2
        lines = [title[:cut], title[cut:]]
    out = [_text(0, 18 + k * (size + 4), line, size, bold=True, color="#1F4E78") for k, line in enumerate(lines)]
    return out, (len(lines) - 1) * (size + 4)


# Every chart is drawn 360 units wide with text of 12 units or more, and the page shows it at least 340 px
# wide (at most 560): on a 390 px phone no chart text is under ~12 px, on a desktop it grows a little.
WIDTH = 360


def funnel(stages: Sequence[tuple[str, float]], title: str = "转化漏斗") -> str:
    """Horizontal bars top-down (登记 → 客户 → 到访 → 成交), each with its value and its share of the
    stage above."""
    width, left, right, row = WIDTH, 48, 104, 30
    body, extra = _title(title, width)
    top_y = 34 + extra
    height = top_y + row * len(stages) + 6
    top = max((v for _l, v in stages), default=0) or 1
    previous = None
    for i, (label, value) in enumerate(stages):
        y = top_y + i * row
        w = (width - left - right) * value / top
        body.append(_text(left - 6, y + 16, label, 13, "end", "#222"))
        body.append(f'<rect x="{left}" y="{y}" width="{_n(max(w, 1))}" height="{row - 8}" fill="{BLUE}"/>')
        share = f"（{value / previous:.0%}）" if previous else ""
        body.append(_text(left + w + 4, y + 16, f"{value:,.0f}{share}", 12, color="#222"))
        previous = value or None
    return _svg(width, height, title, body)


def channel_bars(rows: Sequence[tuple[str, Sequence[float]]], title: str = "渠道排名：登记、到访、成交",
                 limit: int = 15) -> str:
    """Grouped horizontal bars per channel, in ranking order (the first at the top), for the first
    ``limit`` channels; values are (登记, 到访, 成交). Each channel's name is written whole above its bars
    (a phone has no room for a column of names beside them)."""
    rows = list(rows)[:limit]
    width, right, label_h, bar, group = WIDTH, 34, 16, 8, 50
    body, extra = _title(title, width)
    legend_y = 38 + extra
    height = legend_y + 10 + group * len(rows) + 24
    top = max((max(v) for _n_, v in rows if v), default=0) or 1
    step = count_step(top)
    scale_top = step * math.ceil(top / step)
    plot_w = width - right - 8
    for k, (color, name) in enumerate(SERIES):
        x = k * 64
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{color}"/>')
        body.append(_text(x + 16, legend_y, name, 12))
    y0 = legend_y + 10
    bottom = y0 + group * len(rows)
    for tick in range(0, scale_top + 1, step):
        x = 4 + plot_w * tick / scale_top
        body.append(f'<line x1="{_n(x)}" y1="{y0}" x2="{_n(x)}" y2="{bottom}" stroke="#E0E0E0"/>')
        body.append(_text(x, bottom + 16, f"{tick:,}", 12, "middle"))
    for i, (name, values) in enumerate(rows):
        y = y0 + i * group
        body.append(_text(0, y + label_h - 2, f"{i + 1}. {_label(name, 56)}", 12, "start", "#222"))
        for k, value in enumerate(values[:3]):
            w = plot_w * value / scale_top
            by = y + label_h + 2 + k * (bar + 2)
            body.append(f'<rect x="4" y="{_n(by)}" width="{_n(max(w, 0.5))}" height="{bar}" '
                        f'fill="{SERIES[k][0]}"/>')
        deals = values[2] if len(values) > 2 else 0
        if deals:
            w = plot_w * max(values[:3]) / scale_top
            body.append(_text(4 + w + 4, y + label_h + 2 + 2 * (bar + 2) + 8, f"成交 {deals:,.0f}", 12, color=ORANGE))
    return _svg(width, height, title, body)


def trend(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float]]],
          title: str = "每周趋势") -> str:
    """Lines per series over the weeks, with dots and the last value labelled; weeks are written as people
    say them (第48周)."""
    from qudao.weeks import display

    width, left, right, plot_h = WIDTH, 34, 66, 170
    body, extra = _title(title, width)
    top_pad = 50 + extra
    height = top_pad + plot_h + 38
    n = len(labels)
    top = max((max(values) for _name, _c, values in series if values), default=0) or 1
    step = count_step(top)
    scale_top = step * math.ceil(top / step)
    plot_w = width - left - right
    for k, (name, color, _values) in enumerate(series):
        x = k * 64
        body.append(f'<rect x="{x}" y="{30 + extra}" width="12" height="3" fill="{color}"/>')
        body.append(_text(x + 16, 36 + extra, name, 12))
    base = top_pad + plot_h
    for tick in range(0, scale_top + 1, step):
        y = base - plot_h * tick / scale_top
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="#E0E0E0"/>')
        body.append(_text(left - 5, y + 4, f"{tick:,}", 12, "end"))

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    every = max(1, math.ceil(n / 5))  # at most ~5 week labels under the axis (each ~40 units wide)
    shown = [i for i in range(n) if i % every == 0]
    if n - 1 not in shown:
        if shown and x_of(n - 1) - x_of(shown[-1]) < 44:
            shown.pop()
        shown.append(n - 1)
    for i in shown:
        body.append(_text(x_of(i), base + 24, display(labels[i], short=True), 12, "middle"))
    ends = []
    for name, color, values in series:
        points = " ".join(f"{_n(x_of(i))},{_n(base - plot_h * v / scale_top)}" for i, v in enumerate(values))
        if n > 1:
            body.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, v in enumerate(values):
            body.append(f'<circle cx="{_n(x_of(i))}" cy="{_n(base - plot_h * v / scale_top)}" r="3" fill="{color}"/>')
        if values:
            ends.append([base - plot_h * values[-1] / scale_top + 4, f"{name} {values[-1]:,.0f}", color])
    ends.sort(key=lambda e: e[0])
    for k in range(1, len(ends)):  # the last values' labels must not overlap
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + 17)
    if ends and ends[-1][0] > base + 5:  # … nor reach down to the week labels under the axis
        shift = ends[-1][0] - (base + 5)
        for end in ends:
            end[0] -= shift
    for y, text, color in ends:
        body.append(_text(x_of(n - 1) + 7, y, text, 12, color=color))
    return _svg(width, height, title, body)
