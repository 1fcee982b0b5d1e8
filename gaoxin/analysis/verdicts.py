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

from gaoxin.analysis.derive import (
    Bounds,
    fact_bounds,
    needed_growth,
    point,
    round_step,
    written_bounds,
)

# The bounds of written figures live in derive, the one reading of every qualifier.
__all__ = ["Bounds", "fact_bounds", "needed_growth", "point", "round_step", "written_bounds"]

MET, MISSED, NOT_COMPARABLE, NOT_REPORTED = "met", "missed", "not_comparable", "not_reported"
DEPENDS = "depends_on_reading"
# The scorecard's classes, in the order it shows them. A target is met or missed when every
# value the bounds allow gives that answer under every reading the register leaves open;
# DEPENDS when the open readings give different answers.
VERDICTS = (MET, MISSED, DEPENDS, NOT_COMPARABLE, NOT_REPORTED)
# The verdict in English words, for prose; VERDICT_LABELS are the bilingual labels of tables.
VERDICT_WORDS = {
    MET: "met",
    MISSED: "missed",
    DEPENDS: "depends on reading",
    NOT_COMPARABLE: "not comparable",
    NOT_REPORTED: "not reported",
}
VERDICT_LABELS = {
    MET: "met 达成",
    MISSED: "missed 未达成",
    DEPENDS: "depends on reading 取决于解读",
    NOT_COMPARABLE: "not comparable 无法比较",
    NOT_REPORTED: "not reported 未报告",
}
# Notebook 06 has one section per verdict under these headings; the front page links to them.
NOTEBOOK = "06_promises"
HEADINGS = {
    MET: "Which targets were met? 已达成",
    MISSED: "Which targets were missed? 未达成",
    DEPENDS: "Which verdicts depend on a reading? 取决于解读",
    NOT_COMPARABLE: "Which targets cannot be scored? 无法比较",
    NOT_REPORTED: "Which targets have no outcome? 未报告",
}
# Readings (data/annotations/readings.csv) that verdicts consult by id.
STACKED_FLOOR = "stacked_floor"
# Counts of things are whole numbers: 'more than 10' is reached at 11.
WHOLE_NUMBER_KINDS = ("count",)
UNIT_WORDS = {"percent": "points", "count": "", "yuan": "亿元", "rank": "places"}
YUAN_PER_YI = 1e8  # 亿


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


def goal_of(value: float, qualifier: str = "", kind: str = "", stacked: str = "at_least") -> Goal:
    """What meeting a target written with `qualifier` means; `stacked` reads 超过…以上."""
    codes = set(filter(None, str(qualifier).split("+")))
    if codes == {"more_than", "at_least"}:
        codes = {stacked}
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
    outcome: Bounds | None = None


def judge(goal: Goal, outcome: Bounds) -> Verdict:
    """Met if every possible outcome meets the goal, missed if none does, else not comparable."""
    margin = goal.margin(outcome)
    if margin.above(0, goal.strict):
        return Verdict(MET, margin, "every value the figures allow meets the target", outcome)
    if margin.below(0, not goal.strict):
        return Verdict(
            MISSED, margin, "every value the figures allow falls short of the target", outcome
        )
    return Verdict(NOT_COMPARABLE, margin, "the outcome's bounds straddle the target", outcome)


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


def _outcome(relation: str, figure: pd.Series, threshold, base: pd.Series | None) -> Bounds:
    written = written_bounds(float(figure.value_normalized), str(figure.qualifier))
    if relation == "different_threshold":
        return count_above(written, float(figure.threshold_normalized), float(threshold))
    if relation == "growth_of_base":
        return grow(fact_bounds(base), written)
    return written


def _options(pair, target: pd.Series, readings: dict) -> list[dict[str, str]]:
    """Every combination of the open readings that bear on a pairing (the taken one first)."""
    from itertools import product

    bearing = []
    if pair.reading_id and pair.reading_id in readings:
        bearing.append(readings[pair.reading_id])
    stacked = readings.get(STACKED_FLOOR)
    if stacked is not None and stacked.covers(target.fact_id):
        bearing.append(stacked)
    choices = product(*(r.allowed for r in bearing))
    return [{r.reading_id: code for r, code in zip(bearing, combo)} for combo in choices]


def _judge_under(pair, target, figure, threshold, base, readings, option) -> Verdict:
    bearing = readings.get(pair.reading_id)
    if pair.relation == "no_outcome":
        return Verdict(NOT_REPORTED, None, "the later report gives no figure for it")
    if pair.relation == "different_measure":
        return Verdict(NOT_COMPARABLE, None, "the outcome measures something else")
    if bearing is not None:
        code = option.get(bearing.reading_id, bearing.reading)
        if code != pair.holds_under:
            # The pairing holds under one reading; under another the outcome counts
            # something else.
            return Verdict(NOT_COMPARABLE, None, f"read so that {bearing.says(code)}")
    goal = goal_of(
        float(target.value_normalized),
        str(target.qualifier),
        str(target.kind),
        stacked=option.get(STACKED_FLOOR, "at_least"),
    )
    return judge(goal, _outcome(pair.relation, figure, threshold, base))


def _hull(margins: list[Bounds | None]) -> Bounds | None:
    known = [m for m in margins if m is not None]
    if not known:
        return None
    low = min(known, key=lambda m: (m.low, not m.low_open))
    high = max(known, key=lambda m: (m.high, not m.high_open))
    return Bounds(low.low, high.high, low.low_open, high.high_open)


def _reading_text(options, outcomes, readings, unit: str) -> str:
    """'met (+60亿元) if …; not comparable if …': what each open reading gives."""
    groups: dict[str, list[int]] = {}
    for i, v in enumerate(outcomes):
        groups.setdefault(v.verdict, []).append(i)
    parts = []
    for code, members in groups.items():
        margin = _hull([outcomes[i].margin for i in members])
        shown = "" if margin is None else f" ({margin_text(margin, unit)})"
        parts.append(f"{VERDICT_WORDS[code]}{shown} {_shared_readings(options, members, readings)}")
    return ", ".join(parts)


def _reading_text_zh(options, outcomes, readings, unit: str, measure: str = "") -> str:
    """`_reading_text` in Chinese: '若签约即算引进，达成（+60亿元）；若…，无法比较'."""
    groups: dict[str, list[int]] = {}
    for i, v in enumerate(outcomes):
        groups.setdefault(v.verdict, []).append(i)
    parts = []
    for code, members in groups.items():
        margin = _hull([outcomes[i].margin for i in members])
        shown = "" if margin is None else f"（{margin_text_zh(margin, unit, measure)}）"
        fixed = [
            readings[rid].says_zh(options[members[0]][rid])
            for rid in options[0]
            if len({options[i][rid] for i in members}) == 1
        ]
        parts.append(f"若{'且'.join(fixed)}，{VERDICT_WORDS_ZH[code]}{shown}")
    return "；".join(parts)


def _shared_readings(options, members: list[int], readings) -> str:
    """'if …' naming the readings that every option in `members` takes alike."""
    fixed = [
        readings[rid].says(options[members[0]][rid])
        for rid in options[0]
        if len({options[i][rid] for i in members}) == 1
    ]
    return "if " + " and ".join(fixed)


def verdict_table(
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
    readings: dict | None = None,
) -> pd.DataFrame:
    """One row per goal of the plan year (size thresholds and plan-scope counts left out) with
    its outcome, its verdict class, and the verdict and margin on the register's readings."""
    from gaoxin.data import load_facts
    from gaoxin.data.followup import load_followup_figures, load_target_outcomes
    from gaoxin.data.readings import load_readings

    facts = load_facts() if facts is None else facts
    figures = load_followup_figures() if figures is None else figures
    pairs = load_target_outcomes() if pairs is None else pairs
    readings = load_readings(facts=facts, figures=figures) if readings is None else readings
    targets = facts[facts.period == "target"].set_index("metric_en")
    results = facts[facts.period == "result"].set_index("metric_en")
    by_figure = figures.set_index("figure_id")
    sizes = pairs.set_index("target_metric").target_value
    rows = []
    for p in pairs.itertuples():
        if p.relation in NOT_GOALS:
            continue
        t = targets.loc[p.target_metric]
        figure = by_figure.loc[p.figure_id] if p.figure_id else None
        threshold = sizes.get(p.target_threshold_metric) if p.target_threshold_metric else None
        base = results.loc[p.base_metric] if p.base_metric else None
        options = _options(p, t, readings)
        outcomes = [
            _judge_under(p, t, figure, threshold, base, readings, option) for option in options
        ]
        taken = outcomes[0]
        unit = str(t.unit_normalized)
        measure = t.unit_raw if isinstance(t.unit_raw, str) else ""
        codes = {v.verdict for v in outcomes}
        verdict = taken.verdict if len(codes) == 1 else DEPENDS
        margin, margin_reading, margin_reading_zh = taken.margin, "", ""
        if verdict == DEPENDS or margin is None:
            margin, margin_reading = _scored_margin(options, outcomes, readings)
            margin_reading_zh = _scored_margin_zh(options, outcomes, readings)
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
                "reading_id": p.reading_id or "",
                "figure_id": p.figure_id or "",
                "outcome_phrase": "" if figure is None else figure.phrase,
                "outcome_quote": "" if figure is None else figure.quote,
                "unit": unit,
                "measure_zh": measure if unit == "count" else "",
                "target_value": float(t.value_normalized),
                "outcome_value": math.nan if figure is None else float(figure.value_normalized),
                "outcome_low": math.nan if taken.outcome is None else taken.outcome.low,
                "outcome_high": math.nan if taken.outcome is None else taken.outcome.high,
                "verdict": verdict,
                "verdict_taken": taken.verdict,
                "margin_low": math.nan if margin is None else margin.low,
                "margin_high": math.nan if margin is None else margin.high,
                "margin": margin_text(margin, unit),
                "margin_zh": margin_text_zh(margin, unit, measure),
                "by_reading": _reading_text(options, outcomes, readings, unit)
                if verdict == DEPENDS
                else "",
                "by_reading_zh": _reading_text_zh(options, outcomes, readings, unit, measure)
                if verdict == DEPENDS
                else "",
                "margin_reading": margin_reading,
                "margin_reading_zh": margin_reading_zh,
                "reason": taken.reason,
                "note": p.note,
            }
        )
    return pd.DataFrame(rows)


def _scored_margin(options, outcomes, readings) -> tuple[Bounds | None, str]:
    """When the register's own reading gives no margin: the margin over the readings that give
    one, and 'if …' naming the readings those share."""
    scored = [i for i, v in enumerate(outcomes) if v.margin is not None]
    if not scored:
        return None, ""
    return _hull([outcomes[i].margin for i in scored]), _shared_readings(options, scored, readings)


def _scored_margin_zh(options, outcomes, readings) -> str:
    """The Chinese of `_scored_margin`'s 'if …': '若签约即算引进'."""
    scored = [i for i, v in enumerate(outcomes) if v.margin is not None]
    if not scored:
        return ""
    fixed = [
        readings[rid].says_zh(options[scored[0]][rid])
        for rid in options[0]
        if len({options[i][rid] for i in scored}) == 1
    ]
    return "若" + "且".join(fixed)


# Pairings that are not goals: a size that defines another target, the size of a plan's list.
NOT_GOALS = ("size_threshold", "plan_scope")


def plan_scope(pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The target-period counts that size a plan rather than set a goal (the register's reading)."""
    from gaoxin.data.followup import load_target_outcomes

    pairs = load_target_outcomes() if pairs is None else pairs
    return pairs[pairs.relation == "plan_scope"].reset_index(drop=True)


def scorecard(verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many of the plan year's goals are met, missed, depend on a reading, cannot be scored
    or are not reported (in that order).

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


def goal_name(metric: str) -> str:
    """A goal's metric name for prose: 'GDP growth target' → 'GDP growth'."""
    return metric.removesuffix(" target")


def outcome_text(row) -> str:
    """The outcome as the later report writes it, or the range it implies (growth of a base)."""
    from gaoxin.analysis.narrative import escape, number

    if row.relation == "growth_of_base":
        return (
            f"{number(row.outcome_low, 0)}–{number(row.outcome_high, 0)} implied by "
            f"«{escape(row.outcome_quote)}» growth"
        )
    return f"«{escape(row.outcome_quote)}»"


def verdict_line(row) -> str:
    """'GDP growth (地区生产总值): «8.5%» against «12%以上», −3.5 points' (Markdown)."""
    from gaoxin.analysis.narrative import escape

    text = (
        f"{escape(goal_name(row.target_metric))} ({escape(row.subject_zh)}): "
        f"{outcome_text(row)} against «{escape(row.target_quote)}»"
    )
    if row.verdict == DEPENDS:
        return f"{text}: {escape(row.by_reading)}"
    if row.margin == "—":
        return text
    reading = f" {escape(row.margin_reading)}" if row.margin_reading else ""
    return f"{text}, {row.margin}{reading}"


def summary(verdicts: pd.DataFrame, year: int) -> str:
    """The scorecard in one Markdown sentence, naming every goal met or missed with its margin
    and every verdict that depends on a reading. The front page and notebook 06 both use it."""
    card = scorecard(verdicts).set_index("verdict")["count"]

    def named(code: str) -> str:
        rows = verdicts[verdicts.verdict == code]
        return "; ".join(verdict_line(r) for r in rows.itertuples())

    text = (
        f"Of the {len(verdicts)} goals the article sets for {year}, a report on the zone's {year} "
        f"results a year later shows **{card[MET]} met** and **{card[MISSED]} missed**"
    )
    for code in (MET, MISSED):
        if card[code]:
            text += f" ({VERDICT_WORDS[code]}: {named(code)})"
    text += "."
    if card[DEPENDS]:
        text += f" {card[DEPENDS]} depend on how a wording is read: {named(DEPENDS)}."
    text += (
        f" {card[NOT_COMPARABLE]} cannot be scored, because the figure measures something else "
        f"or straddles the target, and {card[NOT_REPORTED]} get no figure at all."
    )
    return text


def value_text(value: float, unit: str, qualifier: str = "") -> str:
    """A value for tables and prose, with its unit and qualifier sign: '≥12%', '260亿元', '27'."""
    from gaoxin.analysis.narrative import number
    from gaoxin.labels import qualifier_sign

    sign = qualifier_sign(qualifier)
    sign = "" if sign in ("top", "before") else sign
    if unit == "percent":
        return f"{sign}{number(value, 2)}%"
    if unit == "yuan":
        return f"{sign}{number(value / YUAN_PER_YI, 2)}亿元"
    if unit == "rank":
        return f"top {number(value, 0)}" if qualifier == "top" else f"No. {number(value, 0)}"
    if unit == "tier":
        return f"tier {number(value, 0)}"  # 第一方阵: a group of zones, not place 1
    return f"{sign}{number(value, 2)}"


FOLLOWUP_NOTE = "Outcomes: 《{title}》, {published} ({seen_as})"
FOLLOWUP_NOTE_ZH = "结果来源：《{title}》，{published}（所见为转载稿）"


def followup_note(fig, section: str) -> None:
    """Source footer naming the article's section, then a line naming the follow-up report."""
    # heavy: gaoxin.charts loads matplotlib, which only the notebooks' figures need.
    from gaoxin.charts import MIN_FONT_PT, MUTED, NOTE_GAP_INCHES, source_note
    from gaoxin.source import load_later_sources

    source_note(fig, section)
    (later,) = load_later_sources().values()
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0
    note = fig.text(
        0.01,
        (lowest - NOTE_GAP_INCHES / 2) / fig.get_figheight(),
        FOLLOWUP_NOTE.format(published=later.published, title=later.title, seen_as=later.seen_as),
        ha="left",
        va="top",
        fontsize=MIN_FONT_PT,
        color=MUTED,
    )
    # The Chinese image's note (gaoxin.charts.show with zh=).
    note.gaoxin_zh = FOLLOWUP_NOTE_ZH.format(published=later.published, title=later.title)


# ------------------------------------------------------------------------------ 中文 (issue 18)
# The Chinese edition's renderings of the same verdicts: the same rows, bounds and counts, in
# the words of Chinese statistical reporting (个百分点, 亿元, 以上).
VERDICT_WORDS_ZH = {
    MET: "达成",
    MISSED: "未达成",
    DEPENDS: "取决于解读",
    NOT_COMPARABLE: "无法比较",
    NOT_REPORTED: "未报告",
}
# Notebook 06's Chinese headings, one section per verdict (the Chinese front page links to them).
HEADINGS_ZH = {
    MET: "哪些目标已达成？",
    MISSED: "哪些目标未达成？",
    DEPENDS: "哪些判断取决于解读？",
    NOT_COMPARABLE: "哪些目标无法比较？",
    NOT_REPORTED: "哪些目标没有结果？",
}
UNIT_WORDS_ZH = {"percent": "个百分点", "count": "个", "yuan": "亿元", "rank": "位"}


def _number_zh(value: float, unit: str) -> str:
    return _number(value, unit).replace(",", "")


def margin_text_zh(margin: Bounds | None, unit: str, measure: str = "") -> str:
    """The margin in Chinese: '+0.5个百分点', '≥−14个', '+60亿元', '−4至−3个'; '—' without one.
    A count takes the target's own measure word when given (家 for 5000家以上)."""
    if margin is None:
        return "—"
    tail = measure if unit == "count" and measure else UNIT_WORDS_ZH.get(unit, "")
    if margin.exact:
        return _number_zh(margin.low, unit) + tail
    if math.isinf(margin.high):
        return f"{'>' if margin.low_open else '≥'}{_number_zh(margin.low, unit)}{tail}"
    if math.isinf(margin.low):
        return f"{'<' if margin.high_open else '≤'}{_number_zh(margin.high, unit)}{tail}"
    return f"{_number_zh(margin.low, unit)}至{_number_zh(margin.high, unit)}{tail}"


def outcome_text_zh(row) -> str:
    """The outcome in Chinese: the later report's words, or the range a growth rate implies."""
    from gaoxin.analysis.narrative import escape, number_zh

    if row.relation == "growth_of_base":
        measure = getattr(row, "measure_zh", "")
        return (
            f"{number_zh(row.outcome_low, 0)}–{number_zh(row.outcome_high, 0)}{measure}"
            f"（由增速“{escape(row.outcome_quote)}”推算）"
        )
    return f"“{escape(row.outcome_quote)}”"


def verdict_line_zh(row) -> str:
    """'地区生产总值：“8.5%”，目标“12%以上”，−3.5个百分点' (Markdown)."""
    from gaoxin.analysis.narrative import escape

    text = f"{escape(row.subject_zh)}：{outcome_text_zh(row)}，目标“{escape(row.target_quote)}”"
    if row.verdict == DEPENDS:
        return f"{text}：{row.by_reading_zh}"
    margin = row.margin_zh
    if margin == "—":
        return text
    reading = f"（{row.margin_reading_zh}）" if row.margin_reading_zh else ""
    return f"{text}，差额{margin}{reading}"


def summary_zh(verdicts: pd.DataFrame, year: int) -> str:
    """`summary` in Chinese, from the same rows and counts."""
    card = scorecard(verdicts).set_index("verdict")["count"]

    def named(code: str) -> str:
        rows = verdicts[verdicts.verdict == code]
        return "；".join(verdict_line_zh(r) for r in rows.itertuples())

    text = (
        f"报道为{year}年设定的{len(verdicts)}项目标中，据一年后关于该区{year}年成绩的报道，"
        f"**{card[MET]}项达成**，**{card[MISSED]}项未达成**"
    )
    for code in (MET, MISSED):
        if card[code]:
            text += f"（{VERDICT_WORDS_ZH[code]}：{named(code)}）"
    text += "。"
    if card[DEPENDS]:
        text += f"{card[DEPENDS]}项的结论取决于对措辞的解读：{named(DEPENDS)}。"
    text += (
        f"{card[NOT_COMPARABLE]}项无法比较（后续数据口径不同，或推算范围横跨目标值），"
        f"{card[NOT_REPORTED]}项没有任何后续数据。"
    )
    return text
