"""Rates as the statistics API shows them: exact fractions rounded half up, so a hand-computed value and
the API's agree to the last decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def ratio(part: int, whole: int, *, places: int = 3) -> Decimal | None:
    """part / whole (e.g. a save percentage of 0.915); None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def percentage(part: int, whole: int, *, places: int = 1) -> Decimal | None:
    """100 x part / whole (e.g. a power-play percentage of 33.3); None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
