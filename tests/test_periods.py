"""Issue 17: periods from the text's own time words, numbers wherever they sit.

Small articles written for these tests (not corpus articles): each names one failure class of the
genre and the reading a person gives it."""

from __future__ import annotations

import pytest

from gaoxin.facts.rules import FactRules
from gaoxin.text.grid import numeric_cells
from gaoxin.text.structure import parse
from gaoxin.text.timex import dateline, find_time_expressions


def facts_of(raw: str) -> dict[str, object]:
    """Quote → fact (the first fact with that quote)."""
    article = parse(raw)
    facts, _ = FactRules(article, []).run()
    out = {}
    for f in facts:
        out.setdefault(f.quote, f)
    return out


def excluded(raw: str) -> list[str]:
    _, exclusions = FactRules(parse(raw), []).run()
    return [x.text for x in exclusions]


MIDYEAR = (
    "甲乙高新区召开2023年上半年经济运行分析会\n\n记者 张三\n\n"
    "7月20日,甲乙高新区召开上半年经济运行分析会。\n\n"
    "上半年,园区实现营业收入300亿元,同比增长8%,比去年同期提高1个百分点。"
    "二季度,园区新引进项目12个。\n\n"
    "下半年,园区将力争全年营业收入增长10%以上。\n"
)


@pytest.mark.parametrize(
    ("text", "form", "interval"),
    [
        ("2022年", "year", ("2022-01", "2022-12")),
        ("2023年上半年", "part", ("2023-01", "2023-06")),
        ("1—6月", "part", ("2024-01", "2024-06")),
        ("三季度", "part", ("2024-07", "2024-09")),
        ("前三季度", "part", ("2024-01", "2024-09")),
        ("2023—2025年", "range", ("2023-01", "2025-12")),
        ("到2025年", "horizon", ("", "2025-12")),
        ("十四五", "plan", ("2021-01", "2025-12")),
        ("去年", "word", ("2023-01", "2023-12")),
        ("近五年来", "span", ("2019-01", "2023-12")),
    ],
)
def test_each_time_expression_is_an_interval(text, form, interval):
    (e,) = find_time_expressions(text, 2024)
    assert (e.form, e.text, e.interval(2024)) == (form, text, interval)


def test_a_comparison_base_is_found_as_such_and_not_as_last_year():
    forms = [e.form for e in find_time_expressions("比去年同期提高", 2023)]
    assert forms == ["base"]


def test_the_annual_plan_a_share_is_taken_of_is_a_base_not_a_period():
    # 占全年目标任务的52%: 全年 names the plan (the denominator); 力争全年 names the period.
    forms = [e.form for e in find_time_expressions("占全年目标任务的52%,完成全年计划的55%", 2023)]
    assert forms == ["base", "base"]
    assert [e.form for e in find_time_expressions("力争全年引进项目40个", 2023)] == ["part"]
    assert [e.form for e in find_time_expressions("紧盯全年目标:增长10%", 2023)] == ["part"]
    raw = MIDYEAR.replace("同比增长8%,", "同比增长8%,佔全年目標任務的52%;完成投資40億元,")
    f = facts_of(raw)
    for quote in ("52%", "40億元"):  # the share, and the clause after it: this half's results
        assert (f[quote].period, f[quote].year) == ("result", "2023"), quote
        assert (f[quote].period_start, f[quote].period_end) == ("2023-01", "2023-06"), quote


def test_the_dateline_gives_the_reference_month():
    assert dateline("——2023年2月10日在工作会议上") == (2023, 2)
    assert dateline("7月20日,园区召开…") == (None, 7)
    assert dateline("园区召开会议") is None


def test_a_midyear_report_speaks_of_this_year_and_its_second_half_is_a_target():
    f = facts_of(MIDYEAR)
    assert (f["300亿元"].period, f["300亿元"].year) == ("result", "2023")
    assert (f["300亿元"].period_start, f["300亿元"].period_end) == ("2023-01", "2023-06")
    assert f["300亿元"].period_source == "上半年 (sentence)"
    # 去年同期 names the base of the change, not the period of the figure.
    assert (f["1个百分点"].period, f["1个百分点"].year) == ("result", "2023")
    assert (f["12个"].period_start, f["12个"].period_end) == ("2023-04", "2023-06")
    assert (f["10%以上"].period, f["10%以上"].year) == ("target", "2023")
    assert f["10%以上"].period_source.startswith("全年")


def test_a_partial_year_report_defaults_to_its_part_of_the_year():
    raw = MIDYEAR.replace("上半年,园区实现营业收入300亿元", "园区实现营业收入300亿元")
    raw = raw.replace(
        "召开上半年经济运行分析会。", "召开经济运行分析会。"
    )  # only the title names it
    f = facts_of(raw)["300亿元"]
    assert (f.period, f.year, f.period_start, f.period_end) == (
        "result",
        "2023",
        "2023-01",
        "2023-06",
    )
    assert f.period_source.startswith("default: partial-year report")


def test_plan_horizons_and_spans_of_years_are_multi_year_with_their_interval():
    raw = (
        "丙丁高新区2023年工作报告\n\n——2023年2月10日在丙丁高新区工作会议上\n\n"
        "2022年,全区营业收入完成400亿元。2023—2025年,全区将累计完成投资600亿元;"
        "到2025年,营业收入突破800亿元。\n"
    )
    f = facts_of(raw)
    assert (f["400亿元"].period, f["400亿元"].year) == ("result", "2022")
    assert (f["600亿元"].period, f["600亿元"].period_start, f["600亿元"].period_end) == (
        "multi_year",
        "2023-01",
        "2025-12",
    )
    assert (f["突破800亿元"].period, f["突破800亿元"].period_end) == ("multi_year", "2025-12")


def test_a_heading_governs_the_list_items_under_it():
    raw = (
        "戊己高新区2024年工作报告\n\n——2024年1月26日在戊己高新区工作会议上\n\n"
        "一、2023年工作回顾\n\n全区营业收入达到200亿元。\n\n"
        "二、2024年工作安排\n\n一是抓招商。新引进项目50个。\n二是抓创新。新增高新技术企业70家。\n"
    )
    f = facts_of(raw)
    assert (f["200亿元"].period, f["200亿元"].year) == ("result", "2023")
    assert f["200亿元"].period_source == "2023年 (heading)"
    assert (f["50个"].period, f["50个"].year) == ("target", "2024")
    assert (f["70家"].period, f["70家"].year) == ("target", "2024")
    assert "一" not in f and "二" not in f
    assert excluded(raw).count("一") == 2  # the heading's 一、 and the item's 一是


def test_numbers_and_units_apart_are_one_quantity():
    raw = (
        "庚辛高新区2022年工作会议召开\n\n记者 李四\n\n"
        "去年,园区营业收入 312 億元,增長 ８％ 以上,新增企业 2 家,占比 1.5 個百分點;"
        "产值达到 428.6\n亿元。\n"
    )
    f = facts_of(raw)
    assert (f["312 億元"].value_normalized, f["312 億元"].unit_normalized) == (
        "31200000000",
        "yuan",
    )
    assert (f["８％ 以上"].qualifier, f["2 家"].value_normalized) == ("at_least", "2")
    assert f["1.5 個百分點"].unit_normalized == "percentage_point"
    assert f["428.6\n亿元"].value_normalized == "42860000000"


def test_parts_of_words_and_list_markers_are_not_quantities():
    raw = (
        "壬癸高新区2022年工作会议召开\n\n记者 王五\n\n"
        "去年,园区签约30亿元,汽车零部件产值50亿元,每万人拥有专利20件,新建5G基站100个。"
        "一季度,园区新增企业3家。\n"
    )
    f = facts_of(raw)
    assert f["30亿元"].qualifier == ""  # 签约 is 'sign', not 约 'about'
    assert not any(q in f for q in ("零", "万人", "5", "一", "约30亿元"))
    assert {"零部件", "每万", "5", "一"} <= set(excluded(raw))


def test_ranks_are_ranks():
    raw = (
        "子丑高新区2022年工作会议召开\n\n记者 赵六\n\n"
        "去年,园区综合排名上升两位,稳居全省第一方阵,位列全省前三。\n"
    )
    f = facts_of(raw)
    assert (f["两位"].kind, f["两位"].unit_normalized, f["两位"].value_normalized) == (
        "rank",
        "rank",
        "2",
    )
    # 第一方阵: the first tier, a group of zones, read whole and not as place 1.
    assert (f["第一方阵"].kind, f["第一方阵"].unit_raw) == ("tier", "方阵")
    assert "第一" not in f and f["前三"].kind == "rank" and f["前三"].qualifier == "top"


TABLE = (
    "寅卯产业园2023年主要经济指标\n\n寅卯产业园统计局　2024年1月18日\n\n"
    "项目\t2023年\t比上年增长（%）\n"
    "营业收入（亿元）\t1,124.5\t8.4\n"
    "固定资产投资（亿元）\t142.6\t−3.2\n"
    "新增市场主体（户）\t4,312\t6.8\n\n"
    "2024年预期目标：营业收入增长 9% 左右。\n"
)


def test_a_table_gives_each_cell_the_unit_and_period_of_its_headers():
    cells = numeric_cells(TABLE)
    first = cells[TABLE.index("1,124.5")]
    assert (first.unit, first.unit_header, first.period_header) == (
        "亿元",
        "营业收入（亿元）",
        "2023年",
    )
    f = facts_of(TABLE)
    revenue = f["1,124.5"]
    assert (revenue.value_normalized, revenue.unit_normalized) == ("112450000000", "yuan")
    assert (revenue.period, revenue.year, revenue.period_source) == (
        "result",
        "2023",
        "2023年 (table header)",
    )
    assert revenue.unit_source == "table header: 营业收入（亿元）"
    assert (f["−3.2"].value_normalized, f["−3.2"].unit_normalized) == ("-3.2", "percent")
    assert (f["4,312"].unit_normalized, f["6.8"].unit_normalized) == ("count", "percent")
    assert (f["9% 左右"].period, f["9% 左右"].year, f["9% 左右"].qualifier) == (
        "target",
        "2024",
        "about",
    )
    assert "亿元" not in f  # the header's unit is no quantity


def test_the_fast_scan_finds_what_the_pattern_finds():
    """find_time_expressions tries the pattern only where an expression can start; on every
    corpus article and a text made of every form it finds exactly what finditer finds."""
    from pathlib import Path

    from gaoxin.text.numbers import to_halfwidth
    from gaoxin.text.timex import TIMEX_RE, _timex_matches

    forms = "去年同期上年同期2021—2023年到2025年底2022年度上半年截至6月底5月末下半年一季度第四季度"
    forms += (
        "1—6月前三季度全年过去一年過去一年前年去年今年明年本年度新的一年十四五近五年来三年内9年间"
    )
    texts = [forms] + [
        p.read_text(encoding="utf-8") for p in (Path(__file__).parent / "corpus").glob("*.txt")
    ]
    for text in texts:
        half = to_halfwidth(text)
        expected = [(m.span(), m.lastgroup) for m in TIMEX_RE.finditer(half)]
        assert [(m.span(), m.lastgroup) for m in _timex_matches(half)] == expected
    assert len(list(_timex_matches(to_halfwidth(forms)))) >= 25
