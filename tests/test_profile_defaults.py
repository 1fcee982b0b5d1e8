"""Issue 17 item 4: the article profile lists first the quantities whose period or unit was decided
by a default rather than by a word in the text."""

from __future__ import annotations

from gaoxin.analysis.profile import load_article_data, period_sources
from gaoxin.facts.pipeline import extract_article

ARTICLE = (
    "丑寅高新区2022年工作会议召开\n\n记者 孙七\n\n"
    "园区新增企业120家。\n\n"
    "去年,园区营业收入达到300亿元,进入全省前三。\n\n"
    "指标\t2021年\n专利授权\t56\n"
)


def test_rows_decided_by_a_default_come_first_with_their_reason(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    extract_article(path, tmp_path / "out")
    table = period_sources(load_article_data(path, tmp_path / "out"))
    assert list(table.quote) == ["120家", "56", "300亿元", "前三"]
    first, bare, revenue, rank = (table.iloc[i] for i in range(4))
    # No time word before 120家: the annual report's default (the year before 2022) decides.
    assert first.period_default and first.period_source.startswith("default: annual report")
    assert (first.period, first.year) == ("result", 2021)
    # A table cell with no unit in any header: counted, and flagged; its period from the header.
    assert bare.unit_default and not bare.period_default
    assert bare.period_source == "2021年 (table header)"
    assert not revenue.period_default and not revenue.unit_default
    assert revenue.unit_source == "text" and revenue.period_source == "去年 (sentence)"
    assert not rank.unit_default  # a rank's unit is its rank word (前三)
