"""Score extracted facts against a hand-checked expected table (the test corpus of the genre).

recall: share of expected quantities found with the right value and unit; period accuracy: share
with, in addition, the right period and year. An expected row names a fact by its quote as written
and the occurrence of that quote in reading order.
"""

from __future__ import annotations

import csv
import sys
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


# The corpus score per layout -------------------------------------------------------------------

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "corpus"
SPLIT_FILE = "split.csv"
# Dates and numbers in names (label) are rows by design, never quantities claimed in error.
NOT_STRAY_KINDS = ("date", "label")


@dataclass
class LayoutScore:
    """Counts over the articles of one layout (required rows only for recall and accuracies)."""

    articles: int = 0
    required: int = 0
    found: int = 0
    right_period: int = 0
    qualified: int = 0
    right_qualifier: int = 0
    dated: int = 0
    right_interval: int = 0
    rows: int = 0
    stray: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: LayoutScore) -> None:
        for name in vars(self):
            if name == "misses":
                self.misses += other.misses
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _share(a: int, b: int) -> float | None:
        return a / b if b else None

    def figures(self) -> dict[str, float | None]:
        return {
            "recall": self._share(self.found, self.required),
            "period": self._share(self.right_period, self.required),
            "qualifier": self._share(self.right_qualifier, self.qualified),
            "interval": self._share(self.right_interval, self.dated),
            "stray": self._share(self.stray, self.rows),
        }


def read_corpus_expected(path: Path) -> list[dict]:
    """An expected table with optional columns qualifier, period_start, period_end, required.

    In a table with `required`, `occurrence` counts the quote's occurrences in the raw text; in the
    older six-column tables it counts the facts with that quote, in reading order."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        names = tuple(reader.fieldnames or ())
        if names[: len(EXPECTED_COLUMNS)] != EXPECTED_COLUMNS:
            raise ValueError(f"{path.name}: header must start {','.join(EXPECTED_COLUMNS)}")
        return list(reader)


def _qualifier_codes(text: str) -> frozenset[str]:
    # 第 is an ordinal marker that the facts table does not keep as a qualifier.
    return frozenset(c for c in (text or "").split("+") if c and c != "ordinal")


def _locate(raw: str, facts: list[dict], row: dict) -> tuple[int, int] | None:
    quote, n = row["quote"], int(row["occurrence"])
    if "required" in row:
        i = -1
        for _ in range(n + 1):
            i = raw.find(quote, i + 1)
            if i == -1:
                return None
        return i, i + len(quote)
    hits = [f for f in sorted(facts, key=lambda f: int(f["start"])) if f["quote"] == quote]
    return (int(hits[n]["start"]), int(hits[n]["end"])) if n < len(hits) else None


def score_article(raw: str, facts: list[dict], expected: list[dict]) -> LayoutScore:
    """Score one article: a fact matches an expected row when their spans overlap and value and
    unit agree; a fact (not a date) that overlaps no expected row at all is a stray."""
    result = LayoutScore(articles=1)
    spans = []
    for row in expected:
        span = _locate(raw, facts, row)
        if span is None and "required" in row:
            raise ValueError(f"expected quote {row['quote']!r} not found in the text")
        if span is None:  # an older table names a fact by its quote: no such fact was written
            result.required += 1
            result.misses.append(f"{row['quote']!r}: not found")
            continue
        spans.append(span)
        if row.get("required", "1") != "1":
            continue
        result.required += 1
        a, b = span
        fact = next(
            (
                f
                for f in facts
                if int(f["start"]) < b
                and a < int(f["end"])
                and (f["value_normalized"], f["unit_normalized"])
                == (row["value_normalized"], row["unit_normalized"])
            ),
            None,
        )
        if fact is None:
            near = [f["quote"] for f in facts if int(f["start"]) < b and a < int(f["end"])]
            result.misses.append(f"{row['quote']!r}: not found (overlapping: {near})")
            continue
        result.found += 1
        got = (fact["period"], str(fact["year"] or ""))
        if got == (row["period"], row["year"]):
            result.right_period += 1
        else:
            result.misses.append(
                f"{row['quote']!r}: period {row['period']} {row['year']}, got {got}"
            )
        if "qualifier" in row:
            result.qualified += 1
            if _qualifier_codes(fact["qualifier"]) == _qualifier_codes(row["qualifier"]):
                result.right_qualifier += 1
            else:
                result.misses.append(
                    f"{row['quote']!r}: qualifier {row['qualifier']!r}, got {fact['qualifier']!r}"
                )
        if row.get("period_start") or row.get("period_end"):
            result.dated += 1
            interval = (fact.get("period_start"), fact.get("period_end"))
            if interval == (row.get("period_start") or None, row.get("period_end") or None):
                result.right_interval += 1
            else:
                result.misses.append(
                    f"{row['quote']!r}: interval {row.get('period_start')}–{row.get('period_end')}"
                    f", got {interval}"
                )
    for f in facts:
        if f["kind"] in NOT_STRAY_KINDS:
            continue
        result.rows += 1
        a, b = int(f["start"]), int(f["end"])
        if not any(s < b and a < e for s, e in spans):
            result.stray += 1
            result.misses.append(f"{raw[a:b]!r}: stray row ({f['kind']})")
    return result


def corpus_split(corpus: Path = CORPUS_DIR) -> list[dict]:
    with open(corpus / SPLIT_FILE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def score_corpus(
    half: str = "test", corpus: Path = CORPUS_DIR, by_article: bool = False
) -> dict[str, LayoutScore]:
    """Layout → score over the articles of one half of the corpus (test, development or all);
    with `by_article`, article → its own score (the key reads 'layout/article')."""
    from gaoxin.facts.tables import extract_tables
    from gaoxin.text.structure import load_article

    layouts: dict[str, LayoutScore] = {}
    for entry in corpus_split(corpus):
        if half != "all" and entry["half"] != half:
            continue
        path = corpus / f"{entry['article']}.txt"
        article = load_article(path)
        facts = extract_tables(article, None)["facts"]
        expected = read_corpus_expected(path.with_suffix(".expected.csv"))
        try:
            one = score_article(article.raw, facts, expected)
        except ValueError as e:
            raise ValueError(f"{path.with_suffix('.expected.csv')}: {e}") from None
        one.misses = [f"{entry['article']}: {m}" for m in one.misses]
        key = f"{entry['layout']}/{entry['article']}" if by_article else entry["layout"]
        layouts.setdefault(key, LayoutScore()).add(one)
    return layouts


def format_scores(layouts: dict[str, LayoutScore]) -> str:
    def pct(x: float | None) -> str:
        return "   —" if x is None else f"{x:4.0%}"

    width = max([20, *(len(name) for name in layouts)])
    lines = [f"{'layout':<{width}} {'n':>2} {'rows':>4}  recall period qualif interv  stray"]
    total = LayoutScore()
    for name, s in sorted(layouts.items()):
        total.add(s)
        fig = s.figures()
        lines.append(
            f"{name:<{width}} {s.articles:>2} {s.required:>4}  "
            + "  ".join(pct(fig[k]) + " " for k in ("recall", "period", "qualifier", "interval"))
            + pct(fig["stray"])
        )
    fig = total.figures()
    lines.append(
        f"{'all':<{width}} {total.articles:>2} {total.required:>4}  "
        + "  ".join(pct(fig[k]) + " " for k in ("recall", "period", "qualifier", "interval"))
        + pct(fig["stray"])
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m gaoxin.facts.evaluate",
        description="Score the rules on one half of tests/corpus/, per layout: recall, period "
        "accuracy, qualifier accuracy, period-interval accuracy and stray rows.",
    )
    parser.add_argument("--half", choices=("test", "development", "all"), default="test")
    parser.add_argument("--misses", action="store_true", help="list every miss and stray row")
    parser.add_argument("--by-article", action="store_true", help="one line per article")
    args = parser.parse_args(argv)
    try:
        layouts = score_corpus(args.half, by_article=args.by_article)
    except (OSError, ValueError) as e:
        print(f"evaluate: {e}", file=sys.stderr)
        return 1
    print(format_scores(layouts))
    if args.misses:
        for s in layouts.values():
            for m in s.misses:
                print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
