"""Raw cell values: what counts as blank. Typing a value is its column type's job (``schema.types``:
``col.datatype.reader(ctx)`` for a column's cells, ``.parse`` for one value, ``.option`` for the
command line)."""

from __future__ import annotations

from typing import Any


def blank(value: Any) -> bool:
    return value == "" or value is None or (value.__class__ is str and not value.strip()) or (
        value.__class__ is float and value != value)
