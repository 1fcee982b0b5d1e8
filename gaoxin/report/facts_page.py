"""exports/facts.html: the facts table for readers, each fact id linking to its place in the text.

One row per quantity, in reading order: the id (a link to ``article.html#<fact_id>``), the quote as
written, what it measures, its value and qualifier in words, its period and kind. Rows carry the
fact id too (``facts.html#F00597``), so other pages can point at a row.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from gaoxin.data.readings import quantity_kinds
from gaoxin.report.article_page import (
    ARTICLE_PAGE,
    has_inputs,
    kind_words,
    load_inputs,
    period_words,
    qualifier_words,
    tier_word,
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


def _value(fact: dict[str, Any], raw: str) -> str:
    """The value in words; a tier (第一方阵) has no value to read, it is a group, not a place."""
    tier = tier_word(fact, raw)
    return f"a tier ({fact['quote']}{tier}), not a place" if tier else value_words(fact)


def _row(fact: dict[str, Any], raw: str) -> str:
    fid = _esc(fact["fact_id"])
    metric = _esc(fact["metric_en"])
    if fact.get("subject_zh"):
        metric += f' <span lang="zh-Hans">{_esc(fact["subject_zh"])}</span>'
    cells = [
        f'<th scope="row"><a href="{ARTICLE_PAGE}#{fid}">{fid}</a></th>',
        f'<td lang="zh-Hans">{_esc(fact["quote"] + tier_word(fact, raw))}</td>',
        f"<td>{metric}</td>",
        f"<td>{_esc(_value(fact, raw))}</td>",
        f"<td>{_esc(qualifier_words(fact.get('qualifier'), fact.get('qualifier_raw')))}</td>",
        f"<td>{_esc(period_words(fact))}</td>",
        f"<td>{_esc(kind_words(fact, tier_word(fact, raw)))}</td>",
    ]
    return f'<tr id="row-{fid}">{"".join(cells)}</tr>'


def facts_body(facts: list[dict[str, Any]], raw: str) -> str:
    kinds = quantity_kinds()
    n_quantities = sum(f["kind"] in kinds for f in facts)
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in COLUMNS)
    rows = "".join(_row(f, raw) for f in facts)
    return (
        '<nav class="gx-nav" aria-label="站点 Site"><a href="index.html">← 目录 Index</a>'
        f'<a href="{ARTICLE_PAGE}">原文 The article</a><a href="data/facts.csv">facts.csv</a></nav>'
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
    facts, raw = inputs["facts"], inputs["raw"]
    css = ".gx-facts td, .gx-facts th { text-align: left; }"
    page = render_page("事实表 Facts", facts_body(facts, raw), "gx-facts-page", extra_css=(css,))
    return page.encode("utf-8")
