"""Places: is a customer's 常住城市 inside an agreement's 合作区域? (the 异常监控's region rule, issue 24).

A name is looked up in China's administrative divisions (:mod:`qudao.analysis.places_data`) after dropping
its suffix (拉萨市 = 拉萨, 西藏自治区 = 西藏, 甘孜藏族自治州 = 甘孜). A place is (province, prefecture, county),
any of the last two unknown. A city lies outside a region only when it is known and none of its readings fits
any place the region names; anything unknown or ambiguous (城关区 is in 拉萨 and in 兰州; 川西 names no division)
is never flagged: the rule stays silent rather than guess (docs/decisions.md → Evidence and 串货).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qudao.normalize import fold

Place = tuple[str, str | None, str | None]  # (province, prefecture, county)

_ETHNIC = re.compile(r"(?:(?:蒙古|维吾尔|哈萨克|柯尔克孜|朝鲜|土家|布依|哈尼|傈僳|景颇|纳西|普米|独龙|仡佬|仫佬|毛南|达斡尔|鄂温克"
                     r"|鄂伦春|锡伯|东乡|保安|裕固|塔吉克|门巴|珞巴|拉祜|布朗|阿昌|德昂|基诺|俄罗斯|乌孜别克|塔塔尔|撒拉"
                     r"|[藏羌彝苗侗回壮白傣黎满瑶土怒水畲佤京])族)+自治(?:州|县|区|旗)$")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "林区", "新区",
             "省", "市", "盟", "州", "区", "县", "旗")
SEPARATORS = re.compile(r"[、,，;；/\s]+|和|及|与")
#: what a 合作区域 says when it sets no limit
UNLIMITED = {"全国", "不限", "无", "全部", "所有", "全部区域", "不限区域", "中国", "境内", "全国范围"}


def place_key(name: str) -> str:
    """拉萨市 → 拉萨; 西藏自治区 → 西藏; 甘孜藏族自治州 → 甘孜; 堆龙德庆区 → 堆龙德庆 (never shorter than 2)."""
    text = re.sub(r"\s+", "", fold(name))
    stripped = _ETHNIC.sub("", text)
    if len(stripped) >= 2:
        text = stripped
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[Place]]:
    from qudao.analysis.places_data import DATA

    out: dict[str, set[Place]] = {}
    for line in DATA.strip().splitlines():
        province, prefecture, counties = line.split("|")
        p = place_key(province)
        out.setdefault(p, set()).add((p, None, None))
        c = place_key(prefecture) if prefecture != "-" else None
        if c is not None:
            out.setdefault(c, set()).add((p, c, None))
        for county in counties.split():
            x = place_key(county)
            out.setdefault(x, set()).add((p, c, x))
    return {k: frozenset(v) for k, v in out.items()}


def readings(name: str) -> frozenset[Place]:
    """Every division a name may mean (empty: unknown). A province's name means the province only; a name that
    joins a prefecture and one of its counties (拉萨城关区, 成都市武侯区) means that county."""
    text = re.sub(r"\s+", "", fold(name))
    found = _index().get(place_key(text), frozenset())
    top = {p for p in found if p[1] is None and p[2] is None}
    if top:
        return frozenset(top)
    if found:
        return found
    joined: set[Place] = set()
    for i in range(2, len(text) - 1):
        heads = _index().get(place_key(text[:i]), frozenset())
        tails = _index().get(place_key(text[i:]), frozenset()) if heads else frozenset()
        joined |= {t for t in tails for h in heads if t[2] is not None and _fits(h, t)}
    return frozenset(joined)


def _fits(a: Place, b: Place) -> bool:
    """Compatible: the same province, and no level where both are known and differ."""
    return a[0] == b[0] and all(x is None or y is None or x == y for x, y in zip(a[1:], b[1:]))


def region_places(region: str, custom: dict[str, list[str]] | None = None) -> frozenset[Place] | None:
    """The places a 合作区域 names; None when it sets no limit or names something unknown (the rule then
    stays silent for it). ``custom``: region names of qudao.toml (``anomaly.regions``)."""
    custom = {place_key(k): v for k, v in (custom or {}).items()}
    out: set[Place] = set()
    names = [n for n in SEPARATORS.split(fold(region or "")) if n]
    if not names:
        return None
    for name in names:
        if name in UNLIMITED or place_key(name) in UNLIMITED:
            return None
        if place_key(name) in custom:
            for item in custom[place_key(name)]:
                found = readings(item)
                if not found:
                    return None
                out |= found
            continue
        found = readings(name)
        if not found:
            return None
        out |= found
    return frozenset(out)


def outside(city: str, scope: frozenset[Place]) -> bool:
    """The city is known and lies outside every place of ``scope`` (False when unsure)."""
    found = readings(city)
    if not found:
        return False
    return not any(_fits(a, b) for a in found for b in scope)
