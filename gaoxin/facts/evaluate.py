"""Score extracted facts against a hand-checked expected table (the test corpus of the genre).

recall: share of expected quantities found with the right value and unit; period accuracy: share
with, in addition, the right period and year. An expected row names a fact by its quote as written
and the occurrence of that quote in reading order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

EXPECTED_COLUMNS = ("quote", "occurrence", "value_normalized", "unit_normalized", "period", "year")


@dataclass
class Score:
    expected: int
    found: int
    right_period: int
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def period_accuracy(self) -> float:
        return self.right_period / self.expected if self.expected else 1.0


def read_expected(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != EXPECTED_COLUMNS:
            raise ValueError(f"{path.name}: header must be {','.join(EXPECTED_COLUMNS)}")
        return list(reader)


def score(facts: list[dict], expected: list[dict]) -> Score:
    """How many expected rows the facts (rows of the facts table) reproduce."""
    by_quote: dict[str, list[dict]] = {}
    for f in sorted(facts, key=lambda f: int(f["start"])):
        by_quote.setdefault(f["quote"], []).append(f)
    result = Score(len(expected), 0, 0)
    for row in expected:
        hits = by_quote.get(row["quote"], [])
        n = int(row["occurrence"])
        fact = hits[n] if n < len(hits) else None
        got = (fact["value_normalized"], fact["unit_normalized"]) if fact else None
        if got != (row["value_normalized"], row["unit_normalized"]):
            result.misses.append(
                f"{row['quote']!r}: expected {row['value_normalized']} "
                f"{row['unit_normalized']}, got {got}"
            )
            continue
        result.found += 1
        period = (fact["period"], str(fact["year"] or ""))
        if period == (row["period"], row["year"]):
            result.right_period += 1
        else:
            result.misses.append(
                f"{row['quote']!r}: expected {row['period']} {row['year']}, got {period}"
            )
    return result
