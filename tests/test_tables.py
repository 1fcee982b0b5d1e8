"""The report table presenter: no index, no NaN/<NA>/e+, separators, words for codes, fits A4."""

import re

import pandas as pd
import pytest

from gaoxin.analysis.tables import (
    Col,
    TableTooWide,
    cell_text,
    chinese_metric,
    to_html,
    to_text,
)


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "metric": ["capital attracted", "new entities", "rank"],
            "value": [17_500_000_000.0, 3600.0, float("nan")],  # 175亿, 3600 yuan
            "count": pd.array([1200, None, 3], dtype="Int64"),
            "qualifier": ["", "at_least", "more_than+at_least"],
            "period": ["result", "target", "none"],
            "quote": ["175亿元", "3600户以上", pd.NA],
        }
    )


COLUMNS = {
    "metric": "指标 Metric",
    "value": Col("数值 Value (万元)", "number", digits=1, scale=1e4),
    "count": Col("数量 Count", "integer"),
    "qualifier": Col("限定 Qualifier", "qualifier"),
    "period": Col("时期 Period", "code"),
    "quote": Col("原文 As written", "quote"),
}


def test_html_has_no_index_nan_na_or_scientific_notation(frame):
    page = to_html(frame, COLUMNS)
    for bad in ("NaN", "nan", "<NA>", "e+", "None"):
        assert bad not in page
    assert len(re.findall(r"<th[ >]", page)) == len(COLUMNS)  # no index column, no corner
    assert re.search(r"<th[^>]*>\s*</th>", page) is None
    assert page.count("<tr>") == 1 + len(frame)


def test_numbers_have_separators_and_codes_become_words(frame):
    page = to_html(frame, COLUMNS)
    assert "1,750,000" in page and "0.4" in page and "1,200" in page
    assert "or more 以上" in page
    assert "more than 多于 and or more 以上" in page
    assert "实绩 Result" in page and "目标 Target" in page
    assert "«175亿元»" in page
    assert "—" in page  # missing values are a dash


def test_numbers_right_aligned_text_left(frame):
    page = to_html(frame, COLUMNS)
    heads = re.findall(r'<th scope="col" style="text-align: (\w+)">([^<]+)</th>', page)
    assert dict((h, a) for a, h in heads) == {
        "指标 Metric": "left",
        "数值 Value (万元)": "right",
        "数量 Count": "right",
        "限定 Qualifier": "left",
        "时期 Period": "left",
        "原文 As written": "left",
    }


def test_cell_text_formats():
    assert cell_text(1234.5, Col("x", "number")) == "1,234.5"
    assert cell_text(2.0, Col("x", "number")) == "2"
    assert cell_text(41.5, Col("x", "percent")) == "41.5%"
    assert cell_text(1.75e10, Col("x", "number", digits=0, scale=1e8)) == "175"
    assert cell_text(True, Col("x")) == "yes 是"
    assert cell_text(float("nan"), Col("x", "percent")) == "—"


def test_quantity_text_in_reader_form():
    from gaoxin.analysis.tables import quantity_text

    assert quantity_text(30.0, "percent", "at_least") == "≥ 30%"
    assert quantity_text(3600.0, "count", "more_than") == "> 3,600"
    assert quantity_text(3600.0, "count", "more_than+at_least") == "> 3,600"
    assert quantity_text(2018.0, "year") == "2018"
    assert quantity_text(1.75e10, "yuan") == "17.5 bn yuan (175亿元)"
    assert quantity_text(140000.0, "m2", "") == "140,000 m²"
    assert quantity_text(3.0, "rank", "top") == "top 3"
    assert quantity_text(3.0, "rank") == "No. 3"
    assert quantity_text(float("nan"), "percent") == "—"


def test_article_text_is_escaped():
    page = to_html(pd.DataFrame({"q": ["<b>1</b>"]}), {"q": "Quote"})
    assert "<b>" not in page and "&lt;b&gt;" in page


def test_text_fallback_has_no_index():
    text = to_text(pd.DataFrame({"a": [1.0, float("nan")]}, index=[7, 8]), {"a": "A"})
    assert text.split() == ["A", "1", "—"]


def test_a_table_too_wide_for_a4_is_refused_or_linked_to_its_csv():
    wide = pd.DataFrame({f"column_{i}": ["a long English phrase here"] for i in range(12)})
    columns = {c: f"Header {c}" for c in wide.columns}
    with pytest.raises(TableTooWide):
        to_html(wide, columns)
    with pytest.raises(ValueError, match="CSV"):
        to_html(wide, columns, wide=True)
    page = to_html(wide, columns, wide=True, csv="../data/facts.csv")
    assert 'href="../data/facts.csv"' in page


def test_every_column_needs_a_header_and_must_exist():
    with pytest.raises(ValueError):
        Col(" ")
    with pytest.raises(KeyError):
        to_html(pd.DataFrame({"a": [1]}), {"b": "B"})


def test_the_chinese_table_shows_chinese_cells():
    # The GDP target of the article, 「地区生产总值增长12%以上」, as a verdict row would show it.
    frame = pd.DataFrame(
        {
            "metric": ["GDP growth"],
            "quote": ["12%以上"],
            "qualifier": ["at_least"],
            "verdict": ["missed 未达成"],
            "margin": ["−3.5 points"],
            "margin_zh": ["−3.5个百分点"],
            "amount": [2e10],
        }
    )
    columns = {
        "metric": "指标 Measure",
        "quote": Col("原文 As written", "quote"),
        "qualifier": Col("限定 Qualifier", "qualifier"),
        "verdict": "结论 Verdict",
        "margin": "差距 Margin",
        "amount": Col("金额 Amount", "yuan"),
    }
    zh = to_html(frame, columns, chinese=True)
    en = to_html(frame, columns)
    # The metric's Chinese name comes from the facts table's subject (地区生产总值) and kind.
    assert "地区生产总值增速" in zh and "GDP growth" in en
    assert "“12%以上”" in zh and "«12%以上»" in en
    assert "以上" in zh and "or more" not in zh
    assert ">未达成<" in zh and "missed" not in zh
    assert "−3.5个百分点" in zh and "points" not in zh
    assert "200亿元" in zh and "bn yuan" not in zh
    assert chinese_metric("财政收入", "growth_rate") == "财政收入增速"
    assert chinese_metric("新增市场主体增长", "growth_rate") == "新增市场主体增长"
    assert chinese_metric("在建安置房面积", "level") == "在建安置房面积"


def test_a_chinese_header_is_the_chinese_half_with_its_year_and_unit():
    from gaoxin.analysis.tables import chinese_columns, chinese_header

    assert chinese_header("原文 As written") == "原文"
    assert chinese_header("2018 实绩 Result") == "2018年实绩"
    assert chinese_header("算式 Formula (亿元)") == "算式（亿元）"
    assert chinese_header("排名 Rank (1 = best)") == "排名"
    assert chinese_header("Metric") == "Metric"  # no Chinese: the column needs header_zh
    frame = pd.DataFrame({"a": [1], "b": [2]})
    cols = chinese_columns(
        frame, {"a": "下限 Floor (亿元)", "b": Col("Metric", header_zh="指标名称")}
    )
    assert [c.header for c in cols.values()] == ["下限（亿元）", "指标名称"]
    zh = to_html(frame, cols, chinese=True)
    assert "<th" in zh and "Metric" not in zh and "Floor" not in zh


def test_pairs_take_their_chinese_rows(monkeypatch):
    from gaoxin.analysis import tables

    shown = {}
    monkeypatch.setattr(tables, "present", lambda frame, columns: shown.update(frame=frame))
    tables.pairs([("长度 Length", "6,263 characters")], zh=[("长度 Length", "6263字")])
    frame = shown["frame"]
    assert frame.value_zh.tolist() == ["6263字"] and frame.value.tolist() == ["6,263 characters"]
    with pytest.raises(ValueError):
        tables.pairs([("a", "b")], zh=[])


def test_every_exclusion_reason_has_its_chinese():
    from gaoxin import vocabulary
    from gaoxin.vocabulary import NON_QUANTITY_WORDS, NON_QUANTITY_WORDS_ZH

    assert set(NON_QUANTITY_WORDS) == set(NON_QUANTITY_WORDS_ZH)
    for word, reason in NON_QUANTITY_WORDS.items():
        zh = vocabulary.reason_zh(f"{vocabulary.NOT_A_QUANTITY}{word} — {reason}")
        assert zh.startswith(f"不是数据项：{word}——") and not re.search("[A-Za-z]{3,}", zh)
    for reason in vocabulary.REASONS_ZH:
        assert not re.search("[A-Za-z]{3,}", vocabulary.reason_zh(reason))
    assert vocabulary.reason_zh(f"{vocabulary.PROPER_NAME}七星科技") == "专有名称“七星科技”的一部分"
    with pytest.raises(KeyError):
        vocabulary.reason_zh("a reason nobody wrote")
