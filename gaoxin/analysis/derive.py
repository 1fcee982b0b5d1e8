"""Checks of derived figures against the article's own rounding.

A number printed as 14万 or 10.3% only pins the true value to within half a unit of its last
printed digit; a derived claim is consistent with the article when it rounds back to what the
article printed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def printed_decimals(number_text: str) -> int:
    """Decimal places the article printed: '10.3' → 1, '418.9' → 1, '14' → 0."""
    text = str(number_text).translate(str.maketrans("．", "."))
    return len(text.split(".", 1)[1]) if "." in text else 0


def rounding_interval(row) -> tuple[float, float]:
    """Range of true values (in the fact's base unit) that print as the fact's number.

    '14万平方米' → (135000, 145000) m²; '10.3%' → (10.25, 10.35) percent."""
    half = Decimal("0.5").scaleb(-printed_decimals(row["number_text"]))
    to_base = Decimal(str(row["value_normalized"])) / Decimal(str(row["value"]))
    centre = Decimal(str(row["value_normalized"]))
    return float(centre - half * to_base), float(centre + half * to_base)


def rounds_to(x: float, row) -> bool:
    """Does x, rounded half-up to the article's printed precision, equal the fact's value?"""
    step = Decimal(1).scaleb(-printed_decimals(row["number_text"]))
    written = Decimal(str(row["value"])).quantize(step)
    return Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP) == written


# Readings of qualified figures, as data/annotations/readings.csv states them (a test holds the
# two together): 余 and 多 after a number mean more than it and short of the next step of its
# last non-zero digit, both ends excluded (rounding_step: open_step); 近 means just under the
# number (nearly: below); 以上 includes the number, 突破/超/超过 exclude it.
ROUNDING_STEP_READING = "open_step"
NEARLY_READING = "below"
ROUND_EXCESS = ("余", "餘", "多")
OPEN = float("inf")
# Codes that place a figure without bounding it (about, a deadline, a ranking band).
UNBOUNDED_CODES = {"about", "before", "top", "ordinal", "within", "by_end", "end_of"}


@dataclass(frozen=True)
class Bounds:
    """An interval of possible values; an open end excludes its endpoint."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def __sub__(self, other: Bounds) -> Bounds:
        return Bounds(
            self.low - other.high,
            self.high - other.low,
            self.low_open or other.high_open,
            self.high_open or other.low_open,
        )

    def shift(self, delta: float) -> Bounds:
        return Bounds(self.low + delta, self.high + delta, self.low_open, self.high_open)

    def above(self, edge: float, strict: bool) -> bool:
        """Every value is ≥ edge (> edge when strict)."""
        return self.low > edge or (self.low == edge and not (strict and not self.low_open))

    def below(self, edge: float, strict: bool) -> bool:
        """Every value is < edge (≤ edge when not strict)."""
        return self.high < edge or (self.high == edge and (not strict or self.high_open))


def point(value: float) -> Bounds:
    return Bounds(value, value)


def round_step(number_text: str) -> int:
    """One unit of the last non-zero digit of a number as written: '3600' → 100, '20' → 10."""
    digits = str(number_text).split(".")[0]
    return 10 ** (len(digits) - len(digits.rstrip("0"))) if digits.isdigit() else 1


def written_bounds(
    value: float,
    qualifier: str = "",
    qualifier_raw: str = "",
    number_text: str = "",
    multiplier: float = 1,
) -> Bounds:
    """What a figure as written says about the true value: the one reading of every qualifier."""
    codes = set(filter(None, str(qualifier if qualifier == qualifier else "").split("+")))
    if not codes:
        return point(value)
    if "at_least" in codes:  # 超过10个以上 reads as the looser 'at least 10' (stacked_floor)
        return Bounds(value, math.inf)
    if codes == {"more_than"}:
        if any(q in str(qualifier_raw) for q in ROUND_EXCESS):
            step = round_step(number_text) * float(multiplier)
            return Bounds(value, value + step, True, True)
        return Bounds(value, math.inf, True)
    if codes == {"nearly"} or codes == {"less_than"}:
        return Bounds(-math.inf, value, high_open=True)
    if codes == {"at_most"}:
        return Bounds(-math.inf, value)
    raise ValueError(f"no bounds for the qualifier {qualifier!r}")


def fact_bounds(row) -> Bounds:
    """The bounds of a fact (or any row with value_normalized, qualifier, qualifier_raw,
    number_text and multiplier): every derived figure starts from these."""
    raw = row["qualifier_raw"]
    codes = set(filter(None, str(row["qualifier"] or "").split("+"))) - {"nan"}
    if codes and codes <= UNBOUNDED_CODES:
        return point(float(row["value_normalized"]))
    return written_bounds(
        float(row["value_normalized"]),
        row["qualifier"],
        "" if raw != raw or raw is None else str(raw),
        str(row["number_text"]),
        float(row.get("multiplier", 1) or 1),
    )


def true_range(row) -> tuple[float, float]:
    """(low, high) of fact_bounds(row): exact figures give (v, v), floors (v, inf), 余/多
    (v, v + one step), 近 (-inf, v). Rounding of the printed digits is a separate matter."""
    b = fact_bounds(row)
    return b.low, b.high


def needed_growth(base: Bounds, edge: float) -> Bounds:
    """The growth (in percent) that takes a base within `base` to `edge`."""
    return Bounds(
        100 * (edge / base.high - 1),
        100 * (edge / base.low - 1),
        base.high_open,
        base.low_open,
    )
