"""Money is exact: amounts and commission are computed in Decimal and rounded half-up (四舍五入) to
0.01 万元 only where they are shown (docs/decisions.md → Money).

Cells come in as floats (python-calamine) or text; :func:`dec` takes a float by its shortest decimal
form (``2.235`` is ``Decimal('2.235')``, never ``2.23499999…``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def dec(value: object) -> Decimal:
    """A number (a count, an amount: int, float, Decimal or its text) as an exact Decimal (None → 0). A float
    enters by its shortest form. Infinity and NaN are refused (ValueError), whatever their form: no cell
    holds one (the reader refuses them), so one here is a bug to surface, never a figure to show as
    ``Infinity`` or to count as 0."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, Decimal):
        result = value
    else:
        result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def shown(value: object, places: int = 2) -> Decimal:
    """Rounded half-up to ``places`` decimals: what every output shows."""
    return dec(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_json(value: object, places: int = 2) -> float:
    """The shown value as a JSON number (2.24, never 2.2399999)."""
    return float(shown(value, places))


def fmt(value: object, places: int = 2) -> str:
    """``1,234.56`` — rounded half-up first, so formatting never rounds again."""
    return f"{shown(value, places):,.{places}f}"


def commission(amount: object, rate_percent: object) -> Decimal:
    """amount × rate %, unrounded (totals are summed first, then rounded)."""
    return dec(amount) * dec(rate_percent) / HUNDRED
