"""One channel, one identity, across every workbook (issue 14; docs/decisions.md → Channel names).

The registers name the channels (their identities, through ``channels.aliases``); every other
workbook that names a channel — the agreements ledger, the 渠道拓展 sheet, the feedback's 来源渠道,
targets — is resolved against them in this order:

1. exactly, after folding width, spaces and case (``settings.canonical_channel``, which also applies
   the aliases of qudao.toml);
2. by a unique short name: once legal suffixes (有限公司, 分公司, 服务 …) are removed, one name contains
   the other — reported as an info finding naming both;
3. otherwise: ambiguous (several channels fit) or unmatched — a warning naming the name and the
   nearest channel, never silent.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

# Longest first: 物业服务有限公司 → 物业; 分公司 before 公司.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "总公司", "公司", "集团", "股份", "服务",
                  "有限")
EXACT, ALIAS, SHORT, AMBIGUOUS, NONE = "exact", "alias", "short", "ambiguous", "none"
MIN_SHORT = 4  # a short name must keep at least 4 characters to match by containment (「雪域」 matches nothing)


def core_name(name: str) -> str:
    """A name without spaces, brackets and trailing legal suffixes: 「拉萨雪域物业服务有限公司」 → 「拉萨雪域物业」."""
    from qudao.normalize import name_key

    text = name_key(name).replace(" ", "")
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
            fits = [c for c in self.channels if core in core_name(c)
                    or (len(core_name(c)) >= MIN_SHORT and core_name(c) in core)]
        if len(fits) == 1:
            return Resolution(name, fits[0], SHORT)
        if fits:
            return Resolution(name, None, AMBIGUOUS, tuple(sorted(fits)))
        nearest = difflib.get_close_matches(core, list(self._by_core), n=1, cutoff=0.0)
        return Resolution(name, None, NONE, tuple(self._by_core[nearest[0]][:1]) if nearest else ())
