"""Checks of derived figures against the article's own rounding.

A number printed as 14万 or 10.3% only pins the true value to within half a unit of its last
printed digit; a derived claim is consistent with the article when it rounds back to what the
article printed.
"""

from __future__ import annotations

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


# 余 and 多 after a round number mean "a little more, short of the next round step":
# 3600余 lies in [3600, 3700). Other excess qualifiers (超, 突破, 以上) leave the top open.
ROUND_EXCESS = ("余", "多")
OPEN = float("inf")


def round_step(number_text: str) -> int:
    """The next round step of a number as written: '3600' → 100, '1200' → 100, '35' → 1."""
    digits = str(number_text).split(".")[0]
    return 10 ** (len(digits) - len(digits.rstrip("0"))) if digits.isdigit() else 1


def true_range(row) -> tuple[float, float]:
    """Range of the true value a qualified figure allows, in its normalised unit.

    Exact figures give (v, v); 以上/超/突破 give (v, inf); 余/多 give (v, v + one round step);
    近 (nearly) gives (-inf, v). Rounding of the printed digits is a separate matter."""
    v = float(row["value_normalized"])
    codes = set(str(row["qualifier"] or "").split("+")) - {""}
    if not codes or codes <= {"about", "before", "top"}:
        return v, v
    if codes == {"nearly"}:
        return -OPEN, v
    if str(row["qualifier_raw"]) in ROUND_EXCESS:
        return v, v + round_step(row["number_text"]) * float(row["multiplier"])
    return v, OPEN
