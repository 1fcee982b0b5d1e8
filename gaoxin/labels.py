"""The one map from internal codes to reader words, and the article's years and sections (data).

Every code of every code column of the data (schema enums, qualifier parts) has its words here;
`label(code, column)` reads a column's own map, `label(code)` the merged one, where a code
shared by two columns reads the same in both (rank is 排名 Rank as a kind and as a unit), except
count: the merged map keeps the unit's words, label("count", "kind") gives the kind's.

Notebooks never type a year, a section title or a positional id: they ask this module, which reads
them from the loaded tables. Labels are bilingual (中文 English) where that helps the reader;
both languages come from the one glossary, data/annotations/glossary.csv (gaoxin.data.glossary).
"""

from __future__ import annotations

import pandas as pd

from gaoxin.data import glossary, readings
from gaoxin.data.followup_schema import TARGET_RELATIONS
from gaoxin.vocabulary import RELATIONS, relation_label

DOMAINS = {
    "industrial": glossary.label("产业"),
    "innovation": glossary.label("创新"),
    "infrastructure": glossary.label("基础设施"),
    "investment": glossary.label("投资"),
    "fiscal": glossary.label("财政"),
    "social": glossary.label("民生"),
    "general": glossary.label("综合"),
}
PERIODS = {
    "result": glossary.label("实绩"),
    "target": glossary.label("目标"),
    "multi_year": glossary.label("多年"),
    "none": glossary.label("无时期"),
}
KINDS = {
    "growth_rate": glossary.label("增速"),
    "level": glossary.label("总量"),
    "share": glossary.label("占比"),
    "count": glossary.label("个数"),
    "rank": glossary.label("排名"),
    "date": glossary.label("日期"),
    "duration": glossary.label("时长"),
    "label": glossary.label("名称中的数字"),
    "target": glossary.label("目标"),
    "tier": glossary.label("方阵"),
}
ENTITY_TYPES = {
    "organisation": glossary.label("机构"),
    "park": glossary.label("园区"),
    "centre": glossary.label("中心"),
    "place": glossary.label("地名"),
    "programme": glossary.label("计划与口号"),
}
ROLES = {
    "title": glossary.label("标题"),
    "byline": glossary.label("署名"),
    "heading": glossary.label("小标题"),
    "body": glossary.label("正文"),
    "caption": glossary.label("图片说明"),
}
# Qualifier codes in words: what the stated number is to the true one.
QUALIFIERS = {
    "more_than": glossary.gloss("多于"),
    "at_least": glossary.gloss("以上"),
    "nearly": glossary.gloss("近"),
    "top": glossary.gloss("前"),
    "about": glossary.gloss("约"),
    "before": glossary.gloss("之前"),
    "less_than": glossary.gloss("不到"),
    "at_most": glossary.gloss("以下"),
    "within": glossary.gloss("以内"),
    "by_end": glossary.gloss("底前"),
    "end_of": glossary.gloss("月底"),
    "ordinal": glossary.gloss("第"),
}
# Short signs for tables and chart labels (a floor is ≥, an open excess is >).
QUALIFIER_SIGNS = {
    "more_than": ">",
    "at_least": "≥",
    "nearly": "<",
    "top": "top",
    "about": "≈",
    "before": "before",
}
UNITS = {
    "yuan": f"元 {glossary.english('元')}",
    "usd": glossary.gloss("美元", short=True),
    "mu": glossary.gloss("亩"),
    "m2": glossary.gloss("平方米", short=True),
    "m": glossary.gloss("米", short=True),
    "percent": "%",
    "percentage_point": glossary.gloss("百分点"),
    "count": glossary.gloss("个"),
    "rank": glossary.label("排名"),  # a place in a ranking, not the measure word 位
    "tier": glossary.label("方阵"),
    "year": glossary.gloss("年"),
    "month": glossary.gloss("月"),
    "day": glossary.gloss("天"),
    "times": glossary.gloss("倍"),
}
# What accounts for a run of numerals in the article (coverage accounting).
ACCOUNTING = {
    "quantity": glossary.label("数据项"),
    "excluded": glossary.label("非数据项", "(excluded)"),
    "unaccounted": glossary.label("未解释"),
}
# Target-period figures that are not goals (gaoxin.data.readings.target_roles).
TARGET_ROLES = {
    "plan_scope": glossary.label("计划规模"),
    "size_threshold": glossary.label("规模门槛"),
}
# How a target is read against a figure: the pairs' relations (words from gaoxin.vocabulary, which
# the schema documents them with) and the follow-up's own relations.
RELATION_WORDS = {
    **{code: relation_label(code) for code in RELATIONS},
    "different_threshold": glossary.gloss("门槛不同"),
    "growth_of_base": glossary.gloss("基数增长"),
    "no_outcome": glossary.gloss("无后续数字"),
}
assert set(TARGET_RELATIONS) <= set(RELATION_WORDS), set(TARGET_RELATIONS) - set(RELATION_WORDS)
YES_NO = {"yes": glossary.gloss("是"), "no": glossary.gloss("否")}
LABELS: dict[str, str] = {
    **RELATION_WORDS,
    **QUALIFIERS,
    **YES_NO,
    **TARGET_ROLES,
    **DOMAINS,
    **PERIODS,
    **KINDS,
    **ENTITY_TYPES,
    **ROLES,
    **{code: words for code, words in UNITS.items() if code not in KINDS},
    "count": UNITS["count"],
    **ACCOUNTING,
}
NO_VALUE = "—"


# Code columns of the data → their codes' words (a code can mean different things in two columns).
COLUMNS: dict[str, dict[str, str]] = {
    "role": ROLES,
    "unit_normalized": UNITS,
    "period": PERIODS,
    "kind": KINDS,
    "domain": DOMAINS,
    "entity_type": ENTITY_TYPES,
    "relation": RELATION_WORDS,
    "qualifier": QUALIFIERS,
    "open": YES_NO,
}


def label(code: object, column: str | None = None) -> str:
    """Bilingual reader label for an internal code, from its column's map when the column is
    given (falls back to the code itself)."""
    words = LABELS if column is None else COLUMNS[column]
    return words.get(str(code), str(code))


def qualifier_words(code: object) -> str:
    """A qualifier code in words; combined codes (a+b) are joined with 'and'; '' for none."""
    if code is None or pd.isna(code) or not str(code):
        return ""
    return " and ".join(QUALIFIERS.get(part, part) for part in str(code).split("+"))


def qualifier_sign(code: object) -> str:
    """Short sign for a qualifier (≥, >, <, ≈); a combined code takes its strictest sign."""
    if code is None or pd.isna(code) or not str(code):
        return ""
    parts = str(code).split("+")
    return ">" if "more_than" in parts else QUALIFIER_SIGNS.get(parts[0], parts[0])


def years(facts: pd.DataFrame, period: str) -> list[int]:
    """Years the facts of a period speak of, in order."""
    return sorted(int(y) for y in facts.loc[facts.period == period, "year"].dropna().unique())


def report_year(facts: pd.DataFrame) -> int:
    """The year the article reports on: the latest year with results."""
    return years(facts, "result")[-1]


def plan_year(facts: pd.DataFrame) -> int:
    """The year the article plans for: the latest year with targets."""
    return years(facts, "target")[-1]


PLAN = glossary.label("计划")  # a target for the reported year itself: the yardstick of a result
LABELS["plan"] = PLAN


def period_label(period: str, year: object = None) -> str:
    """'2018年实绩 2018 result', '2019年目标 2019 target', '2018年计划 2018 plan', or the label."""
    if period in ("result", "target", "plan") and year is not None and not pd.isna(year):
        zh, en = (PLAN if period == "plan" else PERIODS[period]).split(" ", 1)
        return f"{int(year)}年{zh} {int(year)} {en.lower()}"
    return label(period)


def roles(facts: pd.DataFrame, target_roles: dict[str, str] | None = None) -> pd.Series:
    """Each fact's role for a reader, one rule for every page and notebook that sorts figures:
    its period, with a result marked 累计 read as a running total to its year ("cumulative"), a
    target of the report year read as that year's plan ("plan"), and the targets that are not
    goals (plan scope, size thresholds) by the readings register (readings.target_roles)."""
    target_roles = readings.target_roles() if target_roles is None else target_roles
    year = report_year(facts)
    role = facts.period.mask((facts.period == "target") & (facts.year == year), "plan")
    role = role.mask((facts.period == "result") & facts.cumulative.astype(bool), "cumulative")
    special = facts.fact_id.map(target_roles)
    return special.where(special.notna(), role).rename("role")


def role_label(role: str, year: object = None, by_section: bool = False) -> str:
    """A role from roles() in words: '2019年目标 2019 target', '2018年累计 cumulative to 2018',
    '计划规模 Plan scope', …; `by_section` marks a year the sentence does not give, taken from
    its section (readings register, year_by_section)."""
    if role == "cumulative" and year is not None and not pd.isna(year):
        zh, en = glossary.label("累计").split(" ", 1)
        return f"{int(year)}年{zh} {en.lower()} to {int(year)}"
    words = label(role) if role in TARGET_ROLES else period_label(role, year)
    if not by_section:
        return words
    zh, en = glossary.split_label(words)
    return f"{zh}（年份据所在部分） {en} (year from its section)"


def section_titles(sections: pd.DataFrame) -> dict[str, str]:
    """Section id → subheading as written."""
    return dict(zip(sections.section_id, sections.title))


def _of_period(facts: pd.DataFrame, period: str, year: int | None) -> pd.DataFrame:
    rows = facts[facts.period == period]
    if year is not None:
        rows = rows[rows.year == year]
    if rows.empty:
        raise LookupError(f"no facts with period {period!r} and year {year!r}")
    return rows


def main_section(facts: pd.DataFrame, period: str, year: int | None = None) -> str:
    """Id of the section holding most facts of a period (and year): where results or plans sit."""
    return str(_of_period(facts, period, year).section_id.value_counts().idxmax())


def densest_paragraph(facts: pd.DataFrame, period: str, year: int | None = None) -> str:
    """Id of the paragraph with most facts of a period (and year); the first one on ties."""
    counts = _of_period(facts, period, year).groupby("paragraph_id", sort=False).size()
    return str(counts[counts == counts.max()].index[0])
