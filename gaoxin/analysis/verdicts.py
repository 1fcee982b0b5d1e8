"""Verdicts on the 2019 targets: met, missed, not comparable or not reported, with the margin.

Qualifiers are bounds and stay bounds to the end. A target written 12%以上 is reached at 12;
突破200亿元 must be passed; a bare count (37个) is reached at that count; 前三名 is a rank of
at most 3. A result written 3600余 lies in (3600, 3700), 30%以上 in [30, ∞), 近20 below 20.
A verdict is given only when every value the bounds allow gives the same answer, and the margin
(outcome minus the target's edge, positive on the met side) is an interval, exact when both
figures are exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

MET, MISSED, NOT_COMPARABLE, NOT_REPORTED = "met", "missed", "not_comparable", "not_reported"
VERDICTS = (MET, MISSED, NOT_COMPARABLE, NOT_REPORTED)
VERDICT_LABELS = {
    MET: "met 达成",
    MISSED: "missed 未达成",
    NOT_COMPARABLE: "not comparable 无法比较",
    NOT_REPORTED: "not reported 未报告",
}
# Notebook 06 has one section per verdict under these headings; the front page links to them.
NOTEBOOK = "06_promises"
HEADINGS = {
    MET: "Which targets were met? 已达成",
    MISSED: "Which targets were missed? 未达成",
    NOT_COMPARABLE: "Which targets cannot be scored? 无法比较",
    NOT_REPORTED: "Which targets have no outcome? 未报告",
}
# 余 and 多 bound a number from above too: 3600余 is below the next round step (3700).
ROUNDING_QUALIFIERS = ("余", "多")
# Counts of things are whole numbers: 'more than 10' is reached at 11.
WHOLE_NUMBER_KINDS = ("count",)
UNIT_WORDS = {"percent": "points", "count": "", "yuan": "亿元", "rank": "places"}
YUAN_PER_YI = 1e8  # 亿


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
    """One unit of the last non-zero digit: '3600' → 100, '20' → 10, '7' → 1."""
    digits = str(number_text).split(".")[0]
    return 10 ** (len(digits) - len(digits.rstrip("0")))


def written_bounds(
    value: float, qualifier: str = "", qualifier_raw: str = "", number_text: str = ""
):
    """What a figure as written says about the true value (results, not goals)."""
    codes = set(filter(None, str(qualifier).split("+")))
    if not codes:
        return point(value)
    if "at_least" in codes:  # 超过10个以上 reads as the looser 'at least 10'
        return Bounds(value, math.inf)
    if codes == {"more_than"}:
        if any(q in str(qualifier_raw) for q in ROUNDING_QUALIFIERS):
            return Bounds(value, value + round_step(number_text), True, True)
        return Bounds(value, math.inf, True)
    if codes == {"nearly"} or codes == {"less_than"}:
        return Bounds(-math.inf, value, high_open=True)
    if codes == {"at_most"}:
        return Bounds(-math.inf, value)
    raise ValueError(f"no bounds for the qualifier {qualifier!r}")


@dataclass(frozen=True)
class Goal:
    """What meeting a target means: reach `edge` (a floor) or stay within it (a rank ceiling)."""

    edge: float
    strict: bool  # 突破/超 must pass the edge; 以上 and bare numbers reach it
    ceiling: bool = False

    def margin(self, outcome: Bounds) -> Bounds:
        """Outcome minus the edge, turned so that positive is on the met side."""
        if not self.ceiling:
            return outcome.shift(-self.edge)
        return point(self.edge) - outcome


def goal_of(value: float, qualifier: str = "", kind: str = "") -> Goal:
    codes = set(filter(None, str(qualifier).split("+")))
    if codes == {"top"} or (kind == "rank" and not codes):
        return Goal(value, strict=False, ceiling=True)
    if codes == {"more_than"} and kind in WHOLE_NUMBER_KINDS:
        return Goal(value + 1, strict=False)  # more than 10 projects: 11 or more
    if codes <= {"at_least", "more_than"}:
        return Goal(value, strict=codes == {"more_than"})
    raise ValueError(f"no goal for the qualifier {qualifier!r}")


@dataclass(frozen=True)
class Verdict:
    verdict: str
    margin: Bounds | None
    reason: str


def judge(goal: Goal, outcome: Bounds) -> Verdict:
    """Met if every possible outcome meets the goal, missed if none does, else not comparable."""
    margin = goal.margin(outcome)
    if margin.above(0, goal.strict):
        return Verdict(MET, margin, "every value the figures allow meets the target")
    if margin.below(0, not goal.strict):
        return Verdict(MISSED, margin, "every value the figures allow falls short of the target")
    return Verdict(NOT_COMPARABLE, margin, "the outcome's bounds straddle the target")


def count_above(count: Bounds, counted_size: float, wanted_size: float) -> Bounds:
    """Projects above `wanted_size`, knowing how many are above `counted_size`.

    A higher threshold counts fewer projects, so the count is a lower bound for a lower
    threshold and an upper bound for a higher one."""
    if counted_size >= wanted_size:
        return Bounds(count.low, math.inf, count.low_open)
    return Bounds(0, count.high, high_open=count.high_open)


def grow(base: Bounds, rate_percent: Bounds) -> Bounds:
    """base × (1 + rate/100) for positive bases and rates above −100%."""
    return Bounds(
        base.low * (1 + rate_percent.low / 100),
        base.high * (1 + rate_percent.high / 100),
        base.low_open or rate_percent.low_open,
        base.high_open or rate_percent.high_open,
    )


def _number(value: float, unit: str) -> str:
    if unit == "yuan":
        value /= YUAN_PER_YI
    digits = 0 if unit == "count" else 2
    text = f"{abs(value):,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{text}"


def margin_text(margin: Bounds | None, unit: str) -> str:
    """'+0.5 points', '−3', '≥ −14', '+60亿元', '−4 to −3'; '—' without a margin."""
    if margin is None:
        return "—"
    words = UNIT_WORDS.get(unit, unit)
    tail = f" {words}" if words and unit != "yuan" else words
    if margin.exact:
        return _number(margin.low, unit) + tail
    if math.isinf(margin.high):
        return f"{'>' if margin.low_open else '≥'} {_number(margin.low, unit)}{tail}"
    if math.isinf(margin.low):
        return f"{'<' if margin.high_open else '≤'} {_number(margin.high, unit)}{tail}"
    return f"{_number(margin.low, unit)} to {_number(margin.high, unit)}{tail}"


def _outcome(relation: str, figure: pd.Series, threshold: float | None) -> Bounds:
    written = written_bounds(float(figure.value_normalized), str(figure.qualifier))
    if relation == "different_threshold":
        return count_above(written, float(figure.threshold_normalized), float(threshold))
    return written


def verdict_table(
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per 2019 target (size thresholds excluded) with its outcome, verdict and margin."""
    from gaoxin.data import load_facts
    from gaoxin.data.followup import load_followup_figures, load_target_outcomes

    facts = load_facts() if facts is None else facts
    figures = load_followup_figures() if figures is None else figures
    pairs = load_target_outcomes() if pairs is None else pairs
    targets = facts[facts.period == "target"].set_index("metric_en")
    by_figure = figures.set_index("figure_id")
    sizes = pairs.set_index("target_metric").target_value
    rows = []
    for p in pairs.itertuples():
        if p.relation == "size_threshold":
            continue
        t = targets.loc[p.target_metric]
        figure = by_figure.loc[p.figure_id] if p.figure_id else None
        if p.relation == "no_outcome":
            v = Verdict(NOT_REPORTED, None, "the follow-up reports no figure for it")
        elif p.relation == "different_measure":
            v = Verdict(NOT_COMPARABLE, None, "the outcome measures something else")
        else:
            threshold = sizes.get(p.target_threshold_metric) if p.target_threshold_metric else None
            goal = goal_of(float(t.value_normalized), str(t.qualifier), str(t.kind))
            v = judge(goal, _outcome(p.relation, figure, threshold))
        rows.append(
            {
                "target_metric": p.target_metric,
                "fact_id": t.fact_id,
                "subject_zh": t.subject_zh,
                "domain": t.domain,
                "kind": t.kind,
                "target_quote": t.quote,
                "target_qualifier": t.qualifier,
                "relation": p.relation,
                "figure_id": p.figure_id or "",
                "outcome_phrase": "" if figure is None else figure.phrase,
                "outcome_quote": "" if figure is None else figure.quote,
                "unit": t.unit_normalized,
                "target_value": float(t.value_normalized),
                "outcome_value": math.nan if figure is None else float(figure.value_normalized),
                "verdict": v.verdict,
                "margin_low": math.nan if v.margin is None else v.margin.low,
                "margin_high": math.nan if v.margin is None else v.margin.high,
                "margin": margin_text(v.margin, str(t.unit_normalized)),
                "reason": v.reason,
                "note": p.note,
            }
        )
    return pd.DataFrame(rows)


def scorecard(verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many 2019 targets were met, missed, not comparable and not reported (in that order).

    Columns: verdict (code), label (bilingual), count, targets ('; '-joined metric names),
    heading (the section of notebook 06 that lists them) and href (that section in the reader
    HTML, relative to exports/)."""
    from gaoxin.analysis.claims import heading_anchor

    verdicts = verdict_table() if verdicts is None else verdicts
    rows = []
    for code in VERDICTS:
        hits = verdicts[verdicts.verdict == code]
        rows.append(
            {
                "verdict": code,
                "label": VERDICT_LABELS[code],
                "count": len(hits),
                "targets": "; ".join(hits.target_metric),
                "heading": HEADINGS[code],
                "href": f"html/{NOTEBOOK}.html#{heading_anchor(HEADINGS[code])}",
            }
        )
    return pd.DataFrame(rows)


def value_text(value: float, unit: str, qualifier: str = "") -> str:
    """A value for tables and prose, with its unit and qualifier sign: '≥12%', '260亿元', '27'."""
    from gaoxin.analysis.labels import qualifier_sign
    from gaoxin.analysis.narrative import number

    sign = qualifier_sign(qualifier)
    sign = "" if sign in ("top", "before") else sign
    if unit == "percent":
        return f"{sign}{number(value, 2)}%"
    if unit == "yuan":
        return f"{sign}{number(value / YUAN_PER_YI, 2)}亿元"
    if unit == "rank":
        return f"top {number(value, 0)}" if qualifier == "top" else f"No. {number(value, 0)}"
    return f"{sign}{number(value, 2)}"


FOLLOWUP_NOTE = "Outcomes: 《{title}》, {published} ({seen_as})"


def followup_note(fig, section: str) -> None:
    """Source footer naming the article's section, then a line naming the follow-up report."""
    from gaoxin.charts import MIN_FONT_PT, MUTED, NOTE_GAP_INCHES, source_note
    from gaoxin.source import load_later_sources

    source_note(fig, section)
    (later,) = load_later_sources().values()
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0
    fig.text(
        0.01,
        (lowest - NOTE_GAP_INCHES / 2) / fig.get_figheight(),
        FOLLOWUP_NOTE.format(published=later.published, title=later.title, seen_as=later.seen_as),
        ha="left",
        va="top",
        fontsize=MIN_FONT_PT,
        color=MUTED,
    )
