"""One channel, one identity, across every workbook (issue 14, issue 22 rule 5; docs/decisions.md → Channel names).

The registers name the channels (their identities, through ``channels.aliases``); a channel name wherever
it is written — a register's header block or its 渠道名称 column, the agreements ledger, the 渠道拓展
sheet, the feedback's 来源渠道, targets, payments, a command-line option — is resolved in this order:

1. exactly, after folding width, spaces and case (``settings.canonical_channel``, which also applies
   the aliases of qudao.toml);
2. by a unique short name: once legal suffixes (有限公司, 分公司, 服务 …) are removed, the names are equal,
   or one contains the other and **what remains is only place names and legal forms** (「雪域物业」 is
   「拉萨雪域物业」; 「拉萨雪域物业二部」 and 「中国银行日喀则分行」 are other partners) — reported as an info
   finding naming both;
3. otherwise: ambiguous (several channels fit) or unmatched — a warning naming the name and the
   nearest channel, never silent.

The registers' own spellings are unified the same way (:func:`unify`): a partner that writes its legal name
in one copy's header and its short name in another is one channel, under the spelling it used first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable

# Longest first: 物业服务有限公司 → 物业; 分公司 before 公司.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "总公司", "公司", "集团", "股份", "服务",
                  "有限")
EXACT, ALIAS, SHORT, AMBIGUOUS, NONE = "exact", "alias", "short", "ambiguous", "none"
MIN_SHORT = 4  # a short name must keep at least 4 characters to match by containment (「雪域」 matches nothing)
# What may stand beside a short name in a longer spelling of the same partner: places (provinces, the cities
# the team works in, any name ending in 省/市/区/县/州 …) and legal forms. Anything else (二部, 分行, 工会, 二手房)
# makes another partner.
PLACES = ("中国", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
          "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
          "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "拉萨", "日喀则", "林芝", "山南", "昌都", "那曲", "阿里",
          "成都", "绵阳", "德阳", "乐山", "雅安", "西宁", "川渝", "藏区")
_AFFIXES = tuple(sorted(set(PLACES) | set(LEGAL_SUFFIXES), key=len, reverse=True))
_PLACE_FORM = re.compile("(" + "|".join(sorted(PLACES, key=len, reverse=True))
                         + ")(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|地区)")
_PLACE_UNIT = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:特别行政区|自治区|自治州|自治县|地区|新区|省|市|区|县|州|盟|旗)")


def affix_only(text: str) -> bool:
    """``text`` is nothing but place names and legal forms (「拉萨」, 「西藏拉萨市」, 「有限公司」; not 「二部」)."""
    while text:
        for token in _AFFIXES:
            if text.startswith(token):
                text = text[len(token):]
                break
        else:
            m = _PLACE_UNIT.match(text)
            if m is None:
                return False
            text = text[m.end():]
    return True


def same_partner(core: str, other: str) -> bool:
    """Two names without legal suffixes (:func:`core_name`) that name one partner: equal, or the shorter (at least
    :data:`MIN_SHORT` characters) inside the longer with only places and legal forms around it."""
    if core == other:
        return True
    short, long_ = (core, other) if len(core) < len(other) else (other, core)
    if len(short) < MIN_SHORT:
        return False
    at = long_.find(short)
    while at >= 0:
        if affix_only(long_[:at]) and affix_only(long_[at + len(short):]):
            return True
        at = long_.find(short, at + 1)
    return False


def core_name(name: str) -> str:
    """A name without spaces, brackets and trailing legal suffixes: 「拉萨雪域物业服务有限公司」 → 「拉萨雪域物业」."""
    from qudao.normalize import name_key

    text = _PLACE_FORM.sub(r"\1", name_key(name).replace(" ", ""))  # 拉萨市 = 拉萨, 西藏自治区 = 西藏
    for left, right in (("(", ")"), ("[", "]")):
        if text.endswith(right) and left in text:
            text = text[:text.rindex(left)]
    changed = True
    while changed and text:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


@dataclass(frozen=True)
class Resolution:
    name: str  # as written
    channel: str | None  # the register channel it is, when it resolved
    how: str  # exact, alias, short, ambiguous, none
    candidates: tuple[str, ...] = ()  # ambiguous: every channel that fits; none: the nearest one

    @property
    def resolved(self) -> bool:
        return self.channel is not None


class Directory:
    """The channels the registers name, and the resolution of any other spelling against them."""

    def __init__(self, channels: Iterable[str], settings):
        self.settings = settings
        self.channels = sorted(set(channels))
        self._by_core: dict[str, list[str]] = {}
        for channel in self.channels:
            self._by_core.setdefault(core_name(channel), []).append(channel)
        self._compact = {c.replace(" ", ""): c for c in self.channels}
        self._cache: dict[str, Resolution] = {}

    def resolve(self, name: str) -> Resolution:
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> Resolution:
        from qudao.normalize import name_key

        canonical = self.settings.canonical_channel(name)
        if canonical in self.channels:
            return Resolution(name, canonical, ALIAS if canonical != name_key(name) else EXACT)
        compact = self._compact.get(canonical.replace(" ", ""))
        if compact is not None:
            return Resolution(name, compact, EXACT)
        core = core_name(canonical)
        fits = list(self._by_core.get(core, ()))
        if not fits and len(core) >= MIN_SHORT:
            fits = [c for c in self.channels if same_partner(core, core_name(c))]
        if len(fits) == 1:
            return Resolution(name, fits[0], SHORT)
        if fits:
            return Resolution(name, None, AMBIGUOUS, tuple(sorted(fits)))
        nearest = difflib.get_close_matches(core, list(self._by_core), n=1, cutoff=0.0)
        return Resolution(name, None, NONE, tuple(self._by_core[nearest[0]][:1]) if nearest else ())


def unify(spellings: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, tuple[str, ...]]]]:
    """The registers' own spellings of their channels made one name per partner (rule 5).

    ``spellings``: each spelling (already through ``canonical_channel``) → its rank (smaller = seen first).
    Spellings whose names without legal suffixes are equal are one channel; so are spellings related by
    :func:`same_partner` when every spelling so related is related to every other (a short name between two
    partners of different cities is not merged: it is returned as ambiguous, with the channels it may be).
    Each channel takes the spelling seen first. Returns (spelling → the channel's name, for the spellings that
    change; [(ambiguous spelling, candidates)])."""
    names = sorted(spellings, key=lambda n: (spellings[n], n))
    groups: dict[str, list[str]] = {}  # core → spellings, first seen first
    for name in names:
        groups.setdefault(core_name(name), []).append(name)
    cores = sorted(groups, key=lambda c: (spellings[groups[c][0]], c))
    related = {c: {o for o in cores if o != c and same_partner(c, o)} for c in cores}
    parent = {c: c for c in cores}
    seen: set[str] = set()
    ambiguous: list[tuple[str, tuple[str, ...]]] = []
    for core in cores:  # connected components of the relation; merged only when every pair is related
        if core in seen or not related[core]:
            continue
        component, todo = {core}, [core]
        while todo:
            for other in related[todo.pop()]:
                if other not in component:
                    component.add(other)
                    todo.append(other)
        seen |= component
        if all(related[a] >= component - {a} for a in component):
            first = min(component, key=lambda c: (spellings[groups[c][0]], c))
            for c in component:
                parent[c] = first
        else:
            for c in sorted(component, key=lambda c: (spellings[groups[c][0]], c)):
                if len(related[c]) > 1:
                    ambiguous.append((groups[c][0], tuple(sorted(groups[o][0] for o in related[c]))))
    out: dict[str, str] = {}
    for core, members in groups.items():
        target = groups[parent[core]][0]
        for name in members:
            if name != target:
                out[name] = target
    return out, ambiguous
