"""One map from internal codes to reader words, and the article's years and sections from the data.

Notebooks never type a year, a section title or a positional id: they ask this module, which reads
them from the loaded tables. Labels are bilingual (中文 English) where that helps the reader.
"""

from __future__ import annotations

import pandas as pd

DOMAINS = {
    "industrial": "产业 Industry",
    "innovation": "创新 Innovation",
    "infrastructure": "基础设施 Infrastructure",
    "investment": "投资 Investment",
    "fiscal": "财政 Fiscal",
    "social": "民生 Social",
    "general": "综合 General",
}
PERIODS = {
    "result": "实绩 Result",
    "target": "目标 Target",
    "multi_year": "多年 Multi-year",
    "none": "无时期 No period",
}
KINDS = {
    "growth_rate": "增速 Growth rate",
    "level": "总量 Level",
    "share": "占比 Share",
    "count": "数量 Count",
    "rank": "排名 Rank",
    "date": "日期 Date",
    "duration": "时长 Duration",
    "label": "名称中的数字 Number in a name",
    "target": "目标 Target",
}
ENTITY_TYPES = {
    "organisation": "机构 Organisation",
    "park": "园区 Park",
    "centre": "中心 Centre",
    "place": "地名 Place",
    "programme": "计划口号 Programme",
}
ROLES = {
    "title": "标题 Title",
    "byline": "署名 Byline",
    "heading": "小标题 Heading",
    "body": "正文 Body",
    "caption": "图片说明 Caption",
}
# Qualifier codes in words: what the stated number is to the true one.
QUALIFIERS = {
    "more_than": "more than 多于",
    "at_least": "or more 以上",
    "nearly": "nearly 近",
    "top": "within the top 前",
    "about": "about 约",
    "before": "before 前",
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
    "yuan": "元 yuan",
    "m2": "m² 平方米",
    "m": "m 米",
    "percent": "%",
    "percentage_point": "percentage points 百分点",
    "count": "count 个",
    "rank": "rank 位",
    "year": "years 年",
    "month": "months 月",
    "day": "days 天",
    "times": "times 倍",
}
# What accounts for a run of numerals in the article (coverage accounting).
ACCOUNTING = {
    "quantity": "数量 Quantity",
    "excluded": "非数量 Not a quantity (excluded)",
    "unaccounted": "未解释 Unaccounted",
}
LABELS: dict[str, str] = {
    **DOMAINS,
    **PERIODS,
    **KINDS,
    **ENTITY_TYPES,
    **ROLES,
    **UNITS,
    **ACCOUNTING,
}
NO_VALUE = "—"


def label(code: object) -> str:
    """Bilingual reader label for an internal code (falls back to the code itself)."""
    return LABELS.get(str(code), str(code))


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


PLAN = "计划 Plan"  # a target for the reported year itself: the yardstick of a result


def period_label(period: str, year: object = None) -> str:
    """'2018年实绩 2018 result', '2019年目标 2019 target', '2018年计划 2018 plan', or the label."""
    if period in ("result", "target", "plan") and year is not None and not pd.isna(year):
        zh, en = (PLAN if period == "plan" else PERIODS[period]).split(" ", 1)
        return f"{int(year)}年{zh} {int(year)} {en.lower()}"
    return label(period)


def section_titles(sections: pd.DataFrame) -> dict[str, str]:
    """Section id → subheading as written."""
    return dict(zip(sections.section_id, sections.title))


def main_section(facts: pd.DataFrame, period: str, year: int | None = None) -> str:
    """Id of the section holding most facts of a period (and year): where results or plans sit."""
    rows = facts[facts.period == period]
    if year is not None:
        rows = rows[rows.year == year]
    if rows.empty:
        raise LookupError(f"no facts with period {period!r} and year {year!r}")
    return str(rows.section_id.value_counts().idxmax())


def densest_paragraph(facts: pd.DataFrame, period: str, year: int | None = None) -> str:
    """Id of the paragraph with most facts of a period (and year); the first one on ties."""
    rows = facts[facts.period == period]
    if year is not None:
        rows = rows[rows.year == year]
    if rows.empty:
        raise LookupError(f"no facts with period {period!r} and year {year!r}")
    counts = rows.groupby("paragraph_id", sort=False).size()
    return str(counts[counts == counts.max()].index[0])
