"""A phone-sized picture of the KPIs and the top channels, for WeChat groups (Pillow, system CJK fonts).

The card is 1080 px wide (a phone screen at 3×) and as tall as its content.
Text is drawn with a Chinese font found on the system (:func:`find_cjk_font`,
fallback order in docs/decisions.md); without one the card is not drawn and
the caller says, in Chinese, which font to install — never a crash, never
boxes instead of characters. The same figures and font give the same bytes.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

WIDTH = 1080
MARGIN = 48
BLUE, DARK, GREY, LIGHT, LINE = "#1F4E78", "#222222", "#6B6B6B", "#F2F6FA", "#D9E2EC"
GREEN, RED, ORANGE = "#1E7B34", "#C00000", "#C55A11"
GRADE_COLORS = {"A": "#1E7B34", "B": "#2E75B6", "C": "#C55A11", "D": "#8C8C8C"}

# Fonts looked for, in this order: (regular file, bold file or None). Noto Sans CJK and Source Han Sans
# are the same design (Linux packages); WenQuanYi is the older Linux fallback; then Windows and macOS.
FONT_FILES: tuple[tuple[str, str | None], ...] = (
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"),
    ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"),
    ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"),
    ("SourceHanSansSC-Regular.otf", "SourceHanSansSC-Bold.otf"),
    ("SourceHanSans-Regular.ttc", "SourceHanSans-Bold.ttc"),
    ("SourceHanSansCN-Regular.otf", "SourceHanSansCN-Bold.otf"),
    ("wqy-microhei.ttc", None),
    ("wqy-zenhei.ttc", None),
    ("msyh.ttc", "msyhbd.ttc"),
    ("PingFang.ttc", None),
    ("Hiragino Sans GB.ttc", None),
    ("STHeiti Medium.ttc", None),
    ("simhei.ttf", None),
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
INSTALL_HINT = ("请安装中文字体后重试：Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk（或 fonts-wqy-microhei），"
                "CentOS/RHEL 运行 sudo yum install google-noto-sans-cjk-ttc-fonts；"
                "也可以用环境变量 QUDAO_FONT 指定一个中文字体文件（.ttf/.otf/.ttc）")


@dataclass(frozen=True)
class CJKFont:
    regular: str
    bold: str | None = None  # None: bold is drawn with a thin outline


def _face_index(path: str) -> int:
    """In a collection (.ttc) the Simplified Chinese face (SC/CN/GB), else the first."""
    if not path.lower().endswith(".ttc"):
        return 0
    from PIL import ImageFont

    for index in range(12):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            break
        if any(tag in family for tag in (" SC", " CN", " GB", "Hei", "YaHei", "PingFang")):
            return index
    return 0


def _walk(dirs: Sequence[str | Path]) -> dict[str, str]:
    """File name (lower case) → path for every font file under ``dirs`` (first found wins)."""
    found: dict[str, str] = {}
    for folder in dirs:
        root = Path(os.path.expanduser(str(folder)))
        if not root.is_dir():
            continue
        for current, subdirs, files in os.walk(root):
            subdirs.sort()
            for name in sorted(files):
                found.setdefault(name.lower(), os.path.join(current, name))
    return found


def usable_font(path: str) -> bool:
    """A regular, non-empty file FreeType opens as a font. A FIFO or a device named like a font (opening it
    would block or never end), a text file named .ttf, a broken link: not usable."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
        return False
    from PIL import ImageFont

    try:
        ImageFont.truetype(path, 12, index=_face_index(path))
    except (OSError, ValueError, MemoryError):
        return False
    return True


def _fontconfig() -> str | None:
    """A Chinese sans font file from fontconfig (``fc-list :lang=zh``), when the known names are absent."""
    fc = shutil.which("fc-list")
    if fc is None:
        return None
    try:
        out = subprocess.run([fc, ":lang=zh", "file", "family", "style"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    candidates = []
    for line in out.splitlines():
        path, _sep, rest = line.partition(":")
        if not path.lower().endswith((".ttf", ".otf", ".ttc")):
            continue
        serif = "serif" in rest.lower() and "sans" not in rest.lower()
        bold = "bold" in rest.lower()
        candidates.append((serif, bold, path))
    return sorted(candidates)[0][2] if candidates else None


def find_cjk_font(dirs: Sequence[str | Path] | None = None, fontconfig: bool = True) -> CJKFont | None:
    """The Chinese font for the card: the file ``QUDAO_FONT`` names, then the files of :data:`FONT_FILES`
    in :data:`FONT_DIRS`, then whatever fontconfig lists for Chinese; None when there is none.
    ``dirs`` (or ``QUDAO_FONT_DIRS``, folders separated by ``os.pathsep``) replaces the folders and
    leaves fontconfig out."""
    explicit = os.environ.get("QUDAO_FONT")
    if explicit and usable_font(explicit):
        return CJKFont(explicit)
    if dirs is None and os.environ.get("QUDAO_FONT_DIRS") is not None:
        dirs = [d for d in os.environ["QUDAO_FONT_DIRS"].split(os.pathsep) if d]
        fontconfig = False
    files = _walk(FONT_DIRS if dirs is None else dirs)
    for regular, bold in FONT_FILES:
        path = files.get(regular.lower())
        if path and usable_font(path):
            bold_path = files.get(bold.lower()) if bold else None
            return CJKFont(path, bold_path if bold_path and usable_font(bold_path) else None)
    if fontconfig:
        path = _fontconfig()
        if path and usable_font(path):
            return CJKFont(path)
    return None


def font_warning(font: CJKFont | None) -> str | None:
    """Said when ``QUDAO_FONT`` names something that is not a usable font (the card then uses another)."""
    explicit = os.environ.get("QUDAO_FONT")
    if not explicit or (font is not None and font.regular == explicit):
        return None
    instead = f"改用 {font.regular}" if font is not None else "也没有找到其他中文字体"
    return f"环境变量 QUDAO_FONT 指向的 {explicit} 不是可用的字体文件（.ttf/.otf/.ttc），{instead}"


# --------------------------------------------------------------------------- content


@dataclass
class Tile:
    label: str
    value: str
    note: str = ""
    note_color: str = GREY


@dataclass
class ChannelLine:
    name: str
    detail: str
    amount: str  # the ranking's measure, as shown on the right
    grade: str
    share: float  # 0–1: the bar under the name, of the same measure
    unit: str = "万元"  # under the measure


@dataclass
class Card:
    title: str
    subtitle: str
    tiles: list[Tile]
    ranking_title: str
    channels: list[ChannelLine]
    footer: str
    lines: list[str] = field(default_factory=list)  # short lines under the tiles (conversion, conflicts)


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _change(change: Any, rising_is_bad: bool = False) -> tuple[str, str]:
    if change is None:
        return "", GREY
    if not change:
        return "与上周持平", GREY
    good = (change > 0) != rising_is_bad
    return f"较上周 {'+' if change > 0 else '−'}{_num(abs(change))}", GREEN if good else RED


def _channel_lines(rows: Sequence[dict[str, Any]], n: int, measure: str, unit: str, label: str,
                   grades: bool = True) -> list[ChannelLine]:
    """The first ``n`` channels in their ranking order, each with the ranking's one ``measure`` on the right
    and as the bar (so the longest bar is the first channel's), the other figures on the detail line."""
    rows = list(rows)[:n]
    top = max((float(r.get(measure) or 0) for r in rows), default=0) or 1
    out = []
    for r in rows:
        value = float(r.get(measure) or 0)
        shown = f"{value:.1f}" if measure == "score" else _num(int(value)) if value == int(value) else _num(value)
        detail = [f"登记 {r['registrations']}", f"到访 {r['visits']}", f"成交 {r['deals']}"]
        detail.append(f"成交额 {r['deal_amount_wan']:,.2f} 万元")
        out.append(ChannelLine(r["channel"], " · ".join(detail), shown, r.get("grade", "") if grades else "",
                               value / top if top else 0.0, unit))
    return out


def summary_card(data: dict[str, Any], title: str = "渠道汇总分析表", top: int = 5, period: str | None = None) -> Card:
    """The summary's card, from its JSON data (``Summary.to_json()``). ``period``: the statistics period with
    real dates (``Summary.period_text``: an open end is the first or last event seen); without it the dates
    of the JSON, an open end said as such."""
    t = data["totals"]
    p = data["period"]
    if period is None:
        period = (f"{p['from']} 至 {p['to']}" if p["from"] and p["to"] else f"截至 {p['to']}" if p["to"]
                  else f"{p['from']} 起" if p["from"] else f"截至 {data['as_of']}")
    tiles = [Tile("登记数", _num(t.get("registrations", 0))), Tile("客户数（去重）", _num(t.get("customers", 0))),
             Tile("到访", _num(t.get("visits", 0))), Tile("成交", _num(t.get("deals", 0))),
             Tile("成交金额（万元）", _num(float(t.get("deal_amount_wan", 0)))),
             Tile("撞单", _num(t.get("conflicts", 0)), note_color=RED if t.get("conflicts") else GREY)]
    lines = [_rates(t)]
    return Card(title, f"统计期间 {period} · 依据日期 {data['as_of']}", tiles, f"渠道排名 · 前 {top} 名（按评分）",
                _channel_lines(data.get("by_channel", []), top, "score", "评分", "评分"),
                "由 qudao 生成 · 详细数据见汇总表", lines)


def week_card(data: dict[str, Any], title: str = "渠道周报", top: int = 5) -> Card:
    """The weekly rollup's card: the week's KPIs with the change from last week, cumulative figures under them.

    Two kinds of conflicts, each said for what it is: the tile counts the week's own registrations that lost
    to an earlier one (本周撞单); the line under the tiles counts the conflicts new since last week's report,
    split into those registered this week and those that came with late copies or corrections (迟报/更正) —
    so 「本周撞单 0」 beside 「新增撞单 3 起」 reads as what it is."""
    from qudao.weeks import display

    week, wow = data["week"], data["week_over_week"]
    wt, cum = week["totals"], data["totals"]
    tiles = []
    for key, label in (("registrations", "本周登记"), ("customers", "本周客户"), ("visits", "本周到访"),
                       ("deals", "本周成交"), ("deal_amount_wan", "本周成交额（万元）"),
                       ("conflicts", "本周登记撞单")):
        value = wt.get(key, 0)
        note, color = _change(wow["week_totals"].get(key, {}).get("change"), rising_is_bad=key == "conflicts")
        tiles.append(Tile(label, _num(float(value) if key.endswith("_wan") else value), note, color))
    new = [c for c in data.get("conflicts", []) if c.get("new")]
    this_week = sum(1 for c in new if week["start"] <= (c.get("loser_date") or "") <= week["end"])
    lines = [f"累计：登记 {_num(cum.get('registrations', 0))} · 到访 {_num(cum.get('visits', 0))} · 成交 "
             f"{_num(cum.get('deals', 0))} · 成交金额 {_num(float(cum.get('deal_amount_wan', 0)))} 万元"]
    if wow.get("previous_week"):
        lines.append(f"比上周报告新增撞单 {len(new)} 起：本周登记 {this_week} 起，"
                     f"迟报/更正（此前各周的登记）{len(new) - this_week} 起")
    rows = [r for r in week.get("by_channel", []) if r.get("registrations") or r.get("deals") or r.get("visits")]
    if any(r.get("deals") for r in rows):
        measure, unit, how = "deals", "套", "按本周成交套数"
        rows.sort(key=lambda r: (-r.get("deals", 0), -r.get("registrations", 0), r["channel"]))
    else:
        measure, unit, how = "registrations", "人", "按本周登记数"
        rows.sort(key=lambda r: (-r.get("registrations", 0), r["channel"]))
    return Card(f"{title} · {display(week['label'])}", f"{week['start']} 至 {week['end']} · 依据日期 {data['as_of']}",
                tiles, f"本周渠道 · 前 {top} 名（{how}）", _channel_lines(rows, top, measure, unit, how, grades=False),
                "由 qudao rollup 生成 · 详细数据见周汇总表", lines)


def _rates(t: dict[str, Any]) -> str:
    customers, visits = t.get("customers", 0), t.get("visits", 0)
    visit_rate = visits / customers if customers else 0
    deal_rate = t.get("deals", 0) / visits if visits else 0
    return f"到访率 {visit_rate:.1%} · 到访成交率 {deal_rate:.1%} · 佣金 {_num(float(t.get('commission_wan', 0)))} 万元"


# --------------------------------------------------------------------------- drawing


class _Fonts:
    def __init__(self, font: CJKFont):
        from PIL import ImageFont

        self.font = font
        self._cache: dict[tuple[int, bool], Any] = {}
        self._truetype = ImageFont.truetype
        self._index = {font.regular: _face_index(font.regular)}
        if font.bold:
            self._index[font.bold] = _face_index(font.bold)

    def get(self, size: int, bold: bool = False):
        key = (size, bold)
        if key not in self._cache:
            path = self.font.bold if bold and self.font.bold else self.font.regular
            self._cache[key] = self._truetype(path, size, index=self._index[path])
        return self._cache[key]

    def fake_bold(self, bold: bool) -> int:
        return 1 if bold and not self.font.bold else 0


def _fit(draw, text: str, font, width: float) -> str:
    """``text`` cut with … to ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def render(card: Card, font: CJKFont) -> bytes:
    """The card as PNG bytes."""
    from PIL import Image, ImageDraw

    fonts = _Fonts(font)
    tile_h, gap, row_h = 192, 24, 124
    rows = (len(card.tiles) + 2) // 3
    height = (220 + 36 + rows * (tile_h + gap) + 44 * len(card.lines) + 30 + 70
              + max(len(card.channels), 1) * row_h + 110)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)

    def text(xy, value, size, color=DARK, bold=False, anchor="la"):
        draw.text(xy, value, font=fonts.get(size, bold), fill=color, anchor=anchor,
                  stroke_width=fonts.fake_bold(bold), stroke_fill=color)

    draw.rectangle((0, 0, WIDTH, 220), fill=BLUE)
    text((MARGIN, 52), _fit(draw, card.title, fonts.get(60, True), WIDTH - 2 * MARGIN), 60, "white", True)
    text((MARGIN, 146), _fit(draw, card.subtitle, fonts.get(30), WIDTH - 2 * MARGIN), 30, "#DDEBF7")
    y = 220 + 36
    tile_w = (WIDTH - 2 * MARGIN - 2 * gap) // 3
    for i, tile in enumerate(card.tiles):
        x = MARGIN + (i % 3) * (tile_w + gap)
        top = y + (i // 3) * (tile_h + gap)
        draw.rectangle((x, top, x + tile_w, top + tile_h), fill=LIGHT)
        draw.rectangle((x, top, x + 8, top + tile_h), fill=BLUE)
        text((x + 28, top + 22), _fit(draw, tile.label, fonts.get(28), tile_w - 40), 28, GREY)
        text((x + 28, top + 62), _fit(draw, tile.value, fonts.get(58, True), tile_w - 40), 58, DARK, True)
        if tile.note:
            text((x + 28, top + 146), _fit(draw, tile.note, fonts.get(26), tile_w - 40), 26, tile.note_color)
    y += rows * (tile_h + gap)
    for line in card.lines:
        text((MARGIN, y + 6), _fit(draw, line, fonts.get(28), WIDTH - 2 * MARGIN), 28, GREY)
        y += 44
    y += 30
    text((MARGIN, y), card.ranking_title, 38, BLUE, True)
    y += 70
    draw.line((MARGIN, y - 14, WIDTH - MARGIN, y - 14), fill=LINE, width=2)
    if not card.channels:
        text((MARGIN, y + 30), "本期没有渠道数据", 30, GREY)
    for rank, ch in enumerate(card.channels, start=1):
        top = y + (rank - 1) * row_h
        cx, cy = MARGIN + 30, top + 44
        draw.ellipse((cx - 30, cy - 30, cx + 30, cy + 30), fill=BLUE if rank <= 3 else "#8EA9C1")
        text((cx, cy), str(rank), 32, "white", True, anchor="mm")
        name_x = MARGIN + 84
        amount_w = draw.textlength(ch.amount, font=fonts.get(40, True))
        right = WIDTH - MARGIN - (70 if any(c.grade for c in card.channels) else 0)
        text((right, top + 10), ch.amount, 40, DARK, True, anchor="ra")
        text((right, top + 60), ch.unit, 24, GREY, anchor="ra")
        name_w = right - max(amount_w, 120) - 24 - name_x
        text((name_x, top + 10), _fit(draw, ch.name, fonts.get(36, True), name_w), 36, DARK, True)
        text((name_x, top + 58), _fit(draw, ch.detail, fonts.get(26), name_w), 26, GREY)
        bar_y = top + 96
        draw.rectangle((name_x, bar_y, right, bar_y + 8), fill="#E7EEF5")
        draw.rectangle((name_x, bar_y, name_x + max(4, int((right - name_x) * ch.share)), bar_y + 8), fill="#9DC3E6")
        if ch.grade:
            gx = WIDTH - MARGIN - 24
            color = GRADE_COLORS.get(ch.grade, GREY)
            draw.rounded_rectangle((gx - 24, top + 12, gx + 24, top + 60), radius=10, fill=color)
            text((gx, top + 36), ch.grade, 30, "white", True, anchor="mm")
    y += max(len(card.channels), 1) * row_h + 20
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=LINE, width=2)
    text((MARGIN, y + 26), card.footer, 24, "#8C8C8C")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def write_card(card: Card, target: str | Path, force: bool = False,
               font_dirs: Sequence[str | Path] | None = None) -> tuple[Path | None, str | None]:
    """Draw and write the card atomically: (path, None), or (None, the Chinese warning) without a font."""
    from qudao.write.atomic import write_bytes

    font = find_cjk_font(font_dirs, fontconfig=font_dirs is None)
    if font is None:
        return None, "；".join(filter(None, [font_warning(None),
                                            f"没有找到中文字体，未生成图片 {Path(target).name}。{INSTALL_HINT}。"]))
    return write_bytes(target, render(card, font), force=force), font_warning(font)
