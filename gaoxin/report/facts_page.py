"""exports/facts.html: the facts table for readers, each fact id linking to its place in the text.

One row per quantity, in reading order: the id (a link to ``article.html#<fact_id>``), the quote as
written, what it measures, its value and qualifier in words, its period and kind. Rows carry the
fact id too (``facts.html#F00597``), so other pages can point at a row.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from gaoxin.data.readings import quantity_kinds
from gaoxin.report.article_page import (
    ARTICLE_PAGE,
    NAME_COUNT_WORDS,
    has_inputs,
    is_scale,
    is_tier,
    kind_words,
    load_inputs,
    period_words,
    qualifier_words,
    value_words,
)
from gaoxin.report.render import render_page

FACTS_PAGE = "facts.html"
COLUMNS = (
    "编号 Id",
    "原文 As written",
    "指标 Metric",
    "数值 Value",
    "限定 Qualifier",
    "时期 Period",
    "类型 Kind",
)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _value(fact: dict[str, Any]) -> str:
    """The value in words; a tier (第一方阵) has no value to read, it is a group, not a place."""
    return f"a tier ({fact['quote']}), not a place" if is_tier(fact) else value_words(fact)


def _row(fact: dict[str, Any]) -> str:
    fid = _esc(fact["fact_id"])
    metric = _esc(fact["metric_en"])
    if fact.get("subject_zh"):
        metric += f' <span lang="zh-CN">{_esc(fact["subject_zh"])}</span>'
    cells = [
        f'<th scope="row"><a href="{ARTICLE_PAGE}#{fid}">{fid}</a></th>',
        f'<td lang="zh-CN">{_esc(fact["quote"])}</td>',
        f"<td>{metric}</td>",
        f"<td>{_esc(_value(fact))}</td>",
        f"<td>{_esc(qualifier_words(fact.get('qualifier'), fact.get('qualifier_raw')))}</td>",
        f"<td>{_esc(period_words(fact))}</td>",
        f"<td>{_esc(kind_words(fact))}</td>",
    ]
    return f'<tr id="row-{fid}">{"".join(cells)}</tr>'


def facts_body(facts: list[dict[str, Any]]) -> str:
    kinds = quantity_kinds()
    n_quantities = sum(f["kind"] in kinds for f in facts)
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in COLUMNS)
    rows = "".join(_row(f) for f in facts)
    return (
        '<nav class="gx-nav" aria-label="站点 Site"><a href="index.html">← 目录 Index</a>'
        f'<a href="{ARTICLE_PAGE}">原文 The article</a>'
        '<a href="data/facts.csv">下载事实表 Download the facts table (CSV)</a>'
        '<a href="zh/facts.html" lang="zh-CN" hreflang="zh-CN">中文版</a></nav>'
        "<h1>事实表 Every number in the article</h1>"
        f'<p lang="en">{len(facts)} numbers in reading order: {n_quantities} quantities, and '
        f"{len(facts) - n_quantities} dates and numbers that are part of a name. "
        "Each id links to the number highlighted in the article.</p>"
        '<div class="gx-scroll" tabindex="0" role="region" aria-label="事实表 Facts table">'
        f'<table class="gx-facts"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</div>"
    )


def facts_page(data_dir: Path) -> bytes | None:
    """exports/facts.html for a data folder, or None without the article and its tables."""
    if not has_inputs(data_dir):
        return None
    inputs = load_inputs(data_dir)
    facts = inputs["facts"]
    css = ".gx-facts td, .gx-facts th { text-align: left; }"
    page = render_page("事实表 Facts", facts_body(facts), "gx-facts-page", extra_css=(css,))
    return page.encode("utf-8")


# ------------------------------------------------------------------------------ 中文版
COLUMNS_ZH = ("编号", "原文", "指标", "数值", "限定词", "时期", "类型")
ZH_UNITS = {
    "yuan": "元",
    "m2": "平方米",
    "m": "米",
    "percent": "%",
    "percentage_point": "个百分点",
    "count": "个",
    "rank": "位",
    "tier": "方阵",
    "year": "年",
    "month": "个月",
    "day": "天",
    "times": "倍",
}
# A number written in digits (3.0 in 3.0版 keeps its point); Chinese numerals are read as digits.
_DIGITS = re.compile(r"[0-9]+(\.[0-9]+)?")
ZH_PERIODS = {"result": "实绩", "target": "目标", "multi_year": "多年", "none": "无（非度量）"}


def _chinese(label: str) -> str:
    from gaoxin.data.glossary import split_label

    parts = split_label(label)
    return parts[0] if parts else label


def value_zh(fact: dict[str, Any]) -> str:
    """The value as Chinese reports write it: 亿元/万元 for yuan, 万 grouping for large measures,
    and a count or rank with the article's own measure word (3600家, 前三名 → 3名)."""
    if is_tier(fact):
        return f"方阵（{fact['quote']}），不是名次"
    from gaoxin.analysis.narrative import number_zh, wan_zh, yuan_zh

    unit = str(fact["unit_normalized"])
    value = float(fact["value_normalized"])
    written = "" if fact.get("unit_raw") in (None, "") else str(fact["unit_raw"])
    if is_scale(fact):
        # 千亿级 names an order of magnitude, not a value it equals.
        words = yuan_zh(value) if unit == "yuan" else wan_zh(value, ZH_UNITS.get(unit, unit))
        return f"{words}量级（{fact['quote']}），不是确数"
    if unit == "yuan":
        return yuan_zh(value)
    if str(fact.get("kind")) == "date":
        # A date names a point in time (9月 is September), not a span (9个月): as written.
        return f"{number_zh(value, 2)}{written}"
    if written in NAME_COUNT_WORDS:
        return f"{number_zh(value, 2)}（{fact['quote']}：名称中的数目）"
    if written and float(fact["value"]) == value:
        # As the article writes it, with its own measure word (3600家, 前三名 → 3名, 3.0版);
        # digits as written, Chinese numerals as digits.
        text = str(fact.get("number_text") or "")
        digits = text if _DIGITS.fullmatch(text) else number_zh(value, 2)
        return wan_zh(value, written) if abs(value) >= 1e4 else f"{digits}{written}"
    zh_unit = ZH_UNITS.get(unit, unit)
    if unit in ("percent", "percentage_point", "times", "count"):
        return f"{number_zh(value, 2)}{zh_unit if unit != 'count' else ''}"
    return wan_zh(value, zh_unit) if abs(value) >= 1e4 else f"{number_zh(value, 2)}{zh_unit}"


def qualifier_zh(fact: dict[str, Any]) -> str:
    """The qualifier as written (以上, 近, 突破), or — when the words before a number are no bound:
    第 makes an ordinal (第3位, 第五届), which the tables code as no qualifier."""
    code, raw = fact.get("qualifier"), fact.get("qualifier_raw")
    if code in (None, "") or str(code) == "<NA>" or raw in (None, ""):
        return "—"
    return str(raw)


def period_zh(fact: dict[str, Any]) -> str:
    words = ZH_PERIODS.get(str(fact["period"]), str(fact["period"]))
    if fact.get("target_role"):
        words = _chinese(str(fact["target_role"]))
    year = fact.get("year")
    if str(fact.get("cumulative")).lower() == "true" and year not in (None, ""):
        return f"截至{year}年累计"
    if fact.get("by_section") and year not in (None, "") and str(year) != "<NA>":
        return f"{year}年{words}（年份据所在部分，句中没有日期）"
    return f"{year}年{words}" if year not in (None, "") and str(year) != "<NA>" else words


def kind_zh(fact: dict[str, Any]) -> str:
    from gaoxin.labels import KINDS

    return _chinese(KINDS.get(str(fact["kind"]), str(fact["kind"])))


def _row_zh(fact: dict[str, Any]) -> str:
    fid = _esc(fact["fact_id"])
    cells = [
        f'<th scope="row"><a href="{ARTICLE_PAGE}#{fid}">{fid}</a></th>',
        f"<td>{_esc(fact['quote'])}</td>",
        f"<td>{_esc(fact.get('subject_zh') or '—')}</td>",
        f"<td>{_esc(value_zh(fact))}</td>",
        f"<td>{_esc(qualifier_zh(fact))}</td>",
        f"<td>{_esc(period_zh(fact))}</td>",
        f"<td>{_esc(kind_zh(fact))}</td>",
    ]
    return f'<tr id="row-{fid}">{"".join(cells)}</tr>'


def facts_body_zh(facts: list[dict[str, Any]]) -> str:
    kinds = quantity_kinds()
    n_quantities = sum(f["kind"] in kinds for f in facts)
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in COLUMNS_ZH)
    rows = "".join(_row_zh(f) for f in facts)
    return (
        '<nav class="gx-nav" aria-label="站点"><a href="index.html">← 目录</a>'
        f'<a href="{ARTICLE_PAGE}">原文</a><a href="../data/facts.csv">下载事实表（CSV）</a>'
        f'<a href="../{FACTS_PAGE}" lang="en" hreflang="en">English edition</a></nav>'
        "<h1>事实表：报道中的每个数字</h1>"
        f"<p>按原文顺序共{len(facts)}个数字：{n_quantities}个数据项，"
        f"{len(facts) - n_quantities}个日期或名称中的数字。点击编号可看到该数字在原文中的位置。</p>"
        '<div class="gx-scroll" tabindex="0" role="region" aria-label="事实表">'
        f'<table class="gx-facts"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</div>"
    )


def facts_page_zh(data_dir: Path) -> bytes | None:
    """exports/zh/facts.html: the facts table of the Chinese edition (the same rows)."""
    if not has_inputs(data_dir):
        return None
    inputs = load_inputs(data_dir)
    facts = inputs["facts"]
    css = ".gx-facts td, .gx-facts th { text-align: left; }"
    body = facts_body_zh(facts)
    page = render_page("事实表", body, "gx-facts-page", lang="zh-CN", extra_css=(css,))
    return page.encode("utf-8")
