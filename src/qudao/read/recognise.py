"""Which kind a workbook is, and where each of its tables sits.

The ``_qudao`` sheet decides when present; otherwise every kind's tables
compete and the best-scoring header row decides (docs/decisions.md →
Reading). ``--kind`` forces a kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from qudao.errors import Unreadable
from qudao.normalize import BadValue, header_key, parse_int, to_text
from qudao.read.grid import fill_merged
from qudao.read.source import Source
from qudao.schema import KIND_IDS, Kind, Table, all_kinds, get_kind

HEADER_SCAN_ROWS = 60
META_SHEET = "_qudao"
HELP_SHEET = "填写说明"
GENERIC_KEYS = frozenset({"序号", "备注"})


@dataclass
class Match:
    kind: str
    table: Table
    sheet: str
    header_row: int  # 0-based index into grid rows
    score: float
    required: int  # required columns among the matched ones


def _index(tables: list[tuple[str, Table]]) -> dict[str, list[tuple[str, Table, str]]]:
    """header key → [(kind id, table, canonical header)]."""
    out: dict[str, list[tuple[str, Table, str]]] = {}
    for kind_id, table in tables:
        for key, canon in table.key_map().items():
            out.setdefault(key, []).append((kind_id, table, canon))
    return out


_INDEXES: dict[str | None, dict[str, list[tuple[str, Table, str]]]] = {}


def _index_for(kind: Kind | None) -> dict[str, list[tuple[str, Table, str]]]:
    """Every kind's recognisable tables (kind None), or all tables of one known kind."""
    key = kind.id if kind else None
    if key not in _INDEXES:
        if kind is None:
            _INDEXES[key] = _index([(k.id, t) for k in all_kinds() for t in k.tables if t.recognise])
        else:
            _INDEXES[key] = _index([(kind.id, t) for t in kind.tables])
    return _INDEXES[key]


def score_rows(rows: list[list], kind: Kind | None) -> list[Match]:
    """Best header row per (kind, table) in the first rows of a grid."""
    index = _index_for(kind)
    best: dict[tuple[str, str], Match] = {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits: dict[tuple[str, str], tuple[Table, set[str]]] = {}
        for value in row:
            if not isinstance(value, str) or not value.strip():
                continue
            key = header_key(value)
            if key in GENERIC_KEYS:
                continue
            for kind_id, table, canon in index.get(key, ()):
                hits.setdefault((kind_id, table.sheet), (table, set()))[1].add(canon)
        for tkey, (table, canons) in hits.items():
            required = sum(1 for c in table.columns if c.required and c.header in canons)
            if len(canons) < 2 or (required == 0 and len(canons) < 3):
                continue
            score = len(canons) + 2 * required
            current = best.get(tkey)
            if current is None or score > current.score:
                best[tkey] = Match(tkey[0], table, "", r, score, required)
    return list(best.values())


def _meta(source: Source) -> tuple[str | None, int | None]:
    """kind and version from the hidden ``_qudao`` sheet, when present and sane."""
    if META_SHEET not in source.sheet_names:
        return None, None
    try:
        grid = source.grid(META_SHEET)
    except Unreadable:
        return None, None
    kind = version = None
    for row in grid.rows[:20]:
        if len(row) < 2:
            continue
        key = header_key(row[0])
        if key == "kind":
            kind = to_text(row[1]) or None
        elif key == "version":
            try:
                version = parse_int(row[1])
            except BadValue:
                version = None
    return kind, version


def candidate_sheets(source: Source) -> list[str]:
    return [s for s in source.sheet_names if not s.startswith("_") and s != HELP_SHEET]


def recognise(source: Source, forced: str | None = None
              ) -> tuple[Kind | None, int | None, dict[str, list[tuple[str, int]]]]:
    """(kind, version, {schema sheet: [(sheet name, header row index), …]}).

    With ``forced`` (``--kind``) or a ``_qudao`` sheet the kind is known and
    only its tables are looked for; otherwise every kind competes and the
    best-scoring header row decides. Each table gets its best sheet first;
    further visible sheets holding the same table with every required
    column (a register kept one sheet per month) follow in workbook order.
    """
    meta_kind, version = _meta(source)
    kind_id = forced or (meta_kind if meta_kind in KIND_IDS else None)
    sheets = candidate_sheets(source)
    kind = get_kind(kind_id) if kind_id is not None else None
    matches: list[Match] = []
    for name in sheets:
        grid = source.head(name, HEADER_SCAN_ROWS)  # the whole sheet loads only if it holds a table
        fill_merged(grid)  # a header cell merged down over two rows counts on both
        for m in score_rows(grid.rows, kind):
            m.sheet = name
            if name == m.table.sheet:
                m.score += 3
            matches.append(m)
    if kind is None:
        if not matches:
            return None, None, {}
        totals: dict[str, float] = {}
        for m in matches:
            totals[m.kind] = max(totals.get(m.kind, 0), m.score)
        kind = get_kind(max(sorted(totals), key=lambda k: totals[k]))
        version = None
    placed: dict[str, list[tuple[str, int]]] = {}
    used: set[str] = set()
    for table in kind.tables:
        options = [m for m in matches if m.kind == kind.id and m.table.sheet == table.sheet and m.sheet not in used]
        options.sort(key=lambda m: (-m.score, sheets.index(m.sheet)))
        if options:
            placed[table.sheet] = [(options[0].sheet, options[0].header_row)]
            used.add(options[0].sheet)
    full = {t.sheet: sum(1 for c in t.columns if c.required) for t in kind.tables}
    for m in sorted(matches, key=lambda m: sheets.index(m.sheet)):
        if (m.kind == kind.id and m.sheet not in used and m.table.sheet in placed and m.required == full[m.table.sheet]
                and source.sheet_states.get(m.sheet, "visible") == "visible"):
            placed[m.table.sheet].append((m.sheet, m.header_row))
            used.add(m.sheet)
    return kind, version if meta_kind == kind.id else None, placed

