"""Outputs for sharing: the phone-sized PNG card of ``summarize --png`` and ``rollup``.

The card is drawn from the same JSON data the other outputs are made from
(:mod:`qudao.report.card`). Without a Chinese font it is skipped with a
warning in Chinese — the rest of the run goes on.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable

from qudao.analysis.summary import Summary


def write_summary_png(summary: Summary, target: Path, force: bool = False) -> tuple[Path | None, str | None]:
    """``summarize --png FILE``: (the file written, None) or (None, why not)."""
    from qudao.report.card import summary_card, write_card

    return write_card(summary_card(summary.to_json(), summary.title), target, force=force)


def week_extras(folder: Path, label: str, summary: Summary, data: dict[str, Any], reports: list,
                end: _dt.date, say: Callable[[str], None]) -> list[Path]:
    """What ``rollup`` writes into the week folder besides the summary: ``汇总-<week>.png``."""
    from qudao.report.card import week_card, write_card

    written: list[Path] = []
    png, warning = write_card(week_card(data), folder / f"汇总-{label}.png", force=True)
    if png is not None:
        written.append(png)
    else:
        say(f"警告：{warning}")
    return written
