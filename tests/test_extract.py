"""Facts extracted from the article, checked against a reading of the article itself.

Each expected row below was read off the article text by hand (sentence quoted in the comment),
not copied from the extractor's output.
"""

from pathlib import Path

import pytest

from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.entities import find_mentions
from gaoxin.facts.rules import FactRules
from gaoxin.facts.tables import extract_tables
from gaoxin.text.structure import parse

# (quote, occurrence): value, unit_raw, value_normalized, unit_normalized, qualifier, period, kind,
# domain, year
EXPECTED = {
    # 2018年,衡阳高新区实现地区生产总值同比增长8.6%
    ("8.6%", 0): ("8.6", "%", "8.6", "percent", "", "result", "growth_rate", "general", 2018),
    # 财政收入同比增长15.42%,税占比达81.86%
    ("15.42%", 0): ("15.42", "%", "15.42", "percent", "", "result", "growth_rate", "fiscal", 2018),
    ("81.86%", 0): ("81.86", "%", "81.86", "percent", "", "result", "share", "fiscal", 2018),
    # 新增市场主体达3600余家,同比增长30%以上
    ("3600余家", 0): (
        "3600",
        "家",
        "3600",
        "count",
        "more_than",
        "result",
        "count",
        "industrial",
        2018,
    ),
    ("30%以上", 0): (
        "30",
        "%",
        "30",
        "percent",
        "at_least",
        "result",
        "growth_rate",
        "industrial",
        2018,
    ),
    # 全年新增发明专利申请263项,专利授权180项
    ("263项", 0): ("263", "项", "263", "count", "", "result", "count", "innovation", 2018),
    ("180项", 0): ("180", "项", "180", "count", "", "result", "count", "innovation", 2018),
    # 科技创新能力居湖南省21家国家和省级高新区第3位
    ("第3位", 0): ("3", "位", "3", "rank", "", "result", "rank", "innovation", 2018),
    # 举办创业沙龙和培训近百场
    ("近百场", 0): ("100", "场", "100", "count", "nearly", "result", "count", "innovation", 2018),
    # 累计修建道路12公里,敷设管网5000米 … 新增绿化面积12万平方米,城市绿化率达41%
    ("12公里", 0): ("12", "公里", "12000", "m", "", "result", "level", "infrastructure", 2018),
    ("12万平方米", 0): (
        "12",
        "万平方米",
        "120000",
        "m2",
        "",
        "result",
        "level",
        "infrastructure",
        2018,
    ),
    ("41%", 0): ("41", "%", "41", "percent", "", "result", "share", "infrastructure", 2018),
    # 在建安置房面积150万平方米 … 累计增加小学学位4800个
    ("150万平方米", 0): ("150", "万平方米", "1500000", "m2", "", "result", "level", "social", 2018),
    ("4800个", 0): ("4800", "个", "4800", "count", "", "result", "count", "social", 2018),
    # 投资总规模418.9亿元,计划年度投资60亿元,完成投资69.3亿元,占目标任务的115.5%
    # (the 60亿元 plan is 2018's own target, not a result)
    ("418.9亿元", 0): (
        "418.9",
        "亿元",
        "41890000000",
        "yuan",
        "",
        "result",
        "level",
        "investment",
        2018,
    ),
    ("60亿元", 0): ("60", "亿元", "6000000000", "yuan", "", "target", "target", "investment", 2018),
    ("69.3亿元", 0): (
        "69.3",
        "亿元",
        "6930000000",
        "yuan",
        "",
        "result",
        "level",
        "investment",
        2018,
    ),
    # 公共资源交易中心交易额突破500亿元
    ("突破500亿元", 0): (
        "500",
        "亿元",
        "50000000000",
        "yuan",
        "more_than",
        "result",
        "level",
        "investment",
        2018,
    ),
    # 2019 targets: 地区生产总值增长12%以上,一般公共预算收入增长20%以上,固定资产投资增长20%以上
    ("12%以上", 0): (
        "12",
        "%",
        "12",
        "percent",
        "at_least",
        "target",
        "growth_rate",
        "general",
        2019,
    ),
    ("20%以上", 0): (
        "20",
        "%",
        "20",
        "percent",
        "at_least",
        "target",
        "growth_rate",
        "fiscal",
        2019,
    ),
    ("20%以上", 1): (
        "20",
        "%",
        "20",
        "percent",
        "at_least",
        "target",
        "growth_rate",
        "investment",
        2019,
    ),
    ("5000家以上", 0): (
        "5000",
        "家",
        "5000",
        "count",
        "at_least",
        "target",
        "count",
        "industrial",
        2019,
    ),
    # 力争在2019年引进10亿元以上的项目超过10个以上 … 引进资金总额突破200亿元 … 融资30亿元以上
    ("超过10个以上", 0): (
        "10",
        "个",
        "10",
        "count",
        "more_than+at_least",
        "target",
        "count",
        "investment",
        2019,
    ),
    ("突破200亿元", 0): (
        "200",
        "亿元",
        "20000000000",
        "yuan",
        "more_than",
        "target",
        "level",
        "investment",
        2019,
    ),
    ("30亿元以上", 0): (
        "30",
        "亿元",
        "3000000000",
        "yuan",
        "at_least",
        "target",
        "level",
        "investment",
        2019,
    ),
    # 在全省国家级高新区综合排名进入前三名
    ("前三名", 0): ("3", "名", "3", "rank", "top", "target", "rank", "innovation", 2019),
    # 在国家高新区创新能力评价指标体系综合排名进入第一方阵: a tier (a group), not first place
    ("第一方阵", 0): ("1", "方阵", "1", "tier", "", "target", "tier", "innovation", 2019),
    # 打造千亿级新能源汽车产业: an aim with no year
    ("千亿级", 0): (
        "1000",
        "亿级",
        "100000000000",
        "yuan",
        "",
        "multi_year",
        "target",
        "industrial",
        None,
    ),
    # 从1992年开园至今已有26年历史
    ("26年", 0): ("26", "年", "26", "year", "", "multi_year", "duration", "general", None),
}

LABELS = ["第五届", "70周年", "3.0版", "4.0版", "第4代", "5个", "100", "500强", "三强"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_fact_matches_the_article(facts_by_quote, key):
    row = facts_by_quote[key]
    value, unit_raw, norm, unit_norm, qualifier, period, kind, domain, year = EXPECTED[key]
    got = (
        row["value"],
        row["unit_raw"],
        row["value_normalized"],
        row["unit_normalized"],
        row["qualifier"],
        row["period"],
        row["kind"],
        row["domain"],
        int(row["year"]) if row["year"] else None,
    )
    assert got == (value, unit_raw, norm, unit_norm, qualifier, period, kind, domain, year)


def test_cumulative_flag_follows_leiji(facts_by_quote):
    assert facts_by_quote[("12公里", 0)]["cumulative"] is True
    assert facts_by_quote[("300亿元", 0)]["cumulative"] is True
    assert facts_by_quote[("5000米", 0)]["cumulative"] is False  # 敷设: a verb of its own
    # 累计增加小学学位4800个,幼儿学位540个: the second clause shares the first one's verb
    assert facts_by_quote[("540个", 0)]["cumulative"] is True


@pytest.mark.parametrize("quote", LABELS)
def test_labels_in_names_are_not_measurements(facts_by_quote, quote):
    row = facts_by_quote[(quote, 0)]
    assert (row["kind"], row["period"]) == ("label", "none")


def test_years_are_dates(tables):
    years = [f for f in tables["facts"] if f["quote"] in ("2018年", "2019年", "1992年")]
    assert years and all(f["kind"] == "date" for f in years)


def test_subjects_as_written(facts_by_quote):
    assert facts_by_quote[("8.6%", 0)]["subject_zh"] == "地区生产总值"
    assert facts_by_quote[("3600余家", 0)]["subject_zh"] == "新增市场主体"
    assert facts_by_quote[("30%以上", 0)]["subject_zh"] == "新增市场主体"
    assert facts_by_quote[("47个", 0)]["subject_zh"] == "居民小区"
    assert facts_by_quote[("40个", 0)]["subject_zh"] == "新引进项目"
    # A subject is whole: «签约» keeps its 约 (only «约», about, is trimmed), and a name after a
    # label runs to the verb that ends it («…项目建设»), not to a fixed length.
    assert facts_by_quote[("43天", 0)]["subject_zh"].endswith("正式签约")
    assert facts_by_quote[("第五届", 0)]["subject_zh"] == "第五届湖南省创新创业大赛衡阳分赛"
    assert facts_by_quote[("第一批", 0)]["subject_zh"] == "第一批37个市级重点工程项目"


@pytest.mark.parametrize("word", ["一流", "进一步", "零售", "一般", "唯一一个", "两者", "一大批"])
def test_non_quantities_are_excluded_with_a_reason(tables, word):
    rows = [x for x in tables["exclusions"] if x["text"] == word]
    assert rows and all(word in x["reason"] for x in rows)
    fact_spans = {(f["start"], f["end"]) for f in tables["facts"]}
    assert not any((x["start"], x["end"]) in fact_spans for x in rows)


def test_every_fact_has_an_english_metric(tables):
    assert all(f["metric_en"] for f in tables["facts"])


def test_rules_work_on_another_report_of_the_genre(tmp_path):
    """A made-up next-year report of another zone: same rules, no annotations needed."""
    raw = (
        "\n长沙高新区2021年工作会召开\n\n张三 李四\n\n"
        "数据显示,2020年,长沙高新区实现地区生产总值同比增长7.5%;新增市场主体达1,200余家。"
        "园区累计修建道路８公里。\n\n"
        "2021年的主要预期目标是:固定资产投资增长10%以上,引进资金总额突破１５０亿元,"
        "新建3至5所学校,确保进一步提升排名进入前五名。\n"
    )
    article = parse(raw)
    facts, exclusions = FactRules(article, find_mentions(article)).run()
    got = {
        f.quote: (f.value_normalized, f.unit_normalized, f.period, f.year, f.kind) for f in facts
    }
    assert got["7.5%"] == ("7.5", "percent", "result", "2020", "growth_rate")
    assert got["1,200余家"] == ("1200", "count", "result", "2020", "count")
    assert got["８公里"] == ("8000", "m", "result", "2020", "level")
    assert got["10%以上"] == ("10", "percent", "target", "2021", "growth_rate")
    assert got["突破１５０亿元"] == ("15000000000", "yuan", "target", "2021", "level")
    assert got["3至5所"][2:] == ("target", "2021", "count")
    assert got["前五名"][2:] == ("target", "2021", "rank")
    assert any(x.text == "进一步" for x in exclusions)


def test_an_ordinal_with_a_tier_word_is_a_tier_and_a_place_stays_a_rank():
    """A made-up report: 第二梯队 is a tier (the tier word is its unit), 第3位 a place."""
    raw = (
        "\n云溪高新区2021年工作会召开\n\n张三 李四\n\n"
        "数据显示,2020年,园区科技创新能力排名第3位。\n\n"
        "2021年的主要预期目标是:综合排名进入第二梯队。\n"
    )
    article = parse(raw)
    facts, _ = FactRules(article, find_mentions(article)).run()
    got = {f.quote: f for f in facts}
    tier, place = got["第二梯队"], got["第3位"]
    assert raw[tier.start : tier.end] == "第二梯队"
    assert (tier.kind, tier.unit_raw, tier.unit_normalized, tier.value) == (
        "tier",
        "梯队",
        "tier",
        "2",
    )
    assert (tier.period, tier.year, tier.qualifier) == ("target", "2021", "")
    assert tier.subject_zh == "综合排名"
    assert (place.kind, place.unit_normalized, place.value) == ("rank", "rank", "3")
    assert (place.period, place.year) == ("result", "2020")
    assert not any(f.quote == "第二" for f in facts), "the ordinal is not read apart from its tier"


def test_annotation_rows_are_verified_against_the_text(article, tmp_path):
    bad = tmp_path / "facts.csv"
    bad.write_text("context,quote,metric_en,domain\n增长8.6%,8.7%,GDP growth,\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="not inside its context"):
        extract_tables(article, bad)
    bad.write_text("context,quote,metric_en,domain\n增长,8.6%,GDP growth,\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="occurs"):
        extract_tables(article, bad)
    bad.write_text(
        "context,quote,metric_en,domain\n增长8.6%,8.6%,GDP growth,nonsense\n", encoding="utf-8"
    )
    with pytest.raises(AnnotationError, match="domain"):
        extract_tables(article, bad)


def test_extraction_is_fast(article):
    import time

    t0 = time.perf_counter()
    extract_tables(article)
    assert time.perf_counter() - t0 < 1.0


def test_annotations_file_is_in_the_data_folder():
    from gaoxin.config import ANNOTATIONS_DIR

    assert (ANNOTATIONS_DIR / "facts.csv").is_file()
    assert Path(ANNOTATIONS_DIR).parent.name == "data"


@pytest.mark.parametrize(
    ("name", "entity_type"),
    [
        ("泰豪", "organisation"),  # 支持镭目科技、泰豪、风顺车桥等企业
        ("风顺车桥", "organisation"),  # not a bridge: the list head says 企业
        ("华夏幸福", "organisation"),  # 签约华夏幸福、杉杉集团、碧桂园、富力等500强企业
        ("中南大学", "organisation"),
        ("湾田科技园", "park"),
        ("七星科技", "park"),  # …七星科技…等十大科技园建设
        ("临水路", "place"),
        ("蒸潭桥", "place"),
        ("文化体育中心", "centre"),  # …文化体育中心十大中心建设
        ("一区两园四城", "programme"),
    ],
)
def test_entities_and_their_types(tables, name, entity_type):
    rows = [e for e in tables["entities"] if e["name"] == name]
    assert [e["entity_type"] for e in rows] == [entity_type]


def test_nested_names_are_counted_once(tables):
    counts = {e["name"]: e["mentions"] for e in tables["entities"]}
    # 创新创业中心 three times; 创业中心 four more times on its own
    assert (counts["创新创业中心"], counts["创业中心"]) == (3, 4)


def test_a_clause_can_hold_two_lists():
    from gaoxin.facts.entities import lists_in as _lists

    lists = _lists("甲科技、乙车桥等企业参加丙赛、丁杯等比赛")
    assert [[item for _, item in items] for items, _ in lists] == [
        ["甲科技", "乙车桥"],
        ["企业参加丙赛", "丁杯"],
    ]
    assert [head for _, head in lists] == ["企业参加丙赛", "比赛"]
