"""Clause segmentation and list splitting, on small genre sentences checked by hand."""

import pytest

from gaoxin.text.clauses import Span, clauses, list_items, phrases, span_at


def items(text: str, start: int = 0) -> list[str]:
    found = []
    for phrase in phrases(text, start):
        found += [i.text for i in list_items(phrase)]
    return found


def test_clauses_split_at_sentence_and_clause_ends_with_offsets():
    text = "甲区建成道路3条；乙区新增企业5家。\n丙区完成投资"
    got = clauses(text, start=100)
    assert [c.text for c in got] == ["甲区建成道路3条", "乙区新增企业5家", "丙区完成投资"]
    assert all(text[c.start - 100 : c.end - 100] == c.text for c in got)


def test_phrases_also_split_at_commas_and_colons():
    assert [p.text for p in phrases("一是招商，二是建设,三是服务：全面推进")] == [
        "一是招商",
        "二是建设",
        "三是服务",
        "全面推进",
    ]


def test_span_at_finds_the_span_of_an_offset_and_fails_outside():
    spans = clauses("甲乙。丙丁")
    assert span_at(spans, 3).text == "丙丁"
    with pytest.raises(LookupError):
        span_at(spans, 2)  # the 。 itself belongs to no clause


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lead-in verb, list closed by 等
        ("新引进东方电气公司、南方材料集团等项目8个", ["东方电气公司", "南方材料集团"]),
        # longest lead-in wins (开工建设), 等 closes the list
        (
            "新开工建设光谷产业园、滨江科技园、智慧谷等项目5个",
            ["光谷产业园", "滨江科技园", "智慧谷"],
        ),
        # a count right after the last item closes it; 和 joins the last two
        ("加快推进东湖公园、西山公园和南湖公园三大公园建设", ["东湖公园", "西山公园", "南湖公园"]),
        # a count with a classifier, no 等
        ("城投公司、置业公司、物业公司3家子公司运营良好", ["城投公司", "置业公司", "物业公司"]),
        # preposition lead-in and 以及
        ("随着科创中心、会展中心以及物流园等项目的建成", ["科创中心", "会展中心", "物流园"]),
        # no 、: not a list
        ("新引进项目12个", []),
    ],
)
def test_list_items(text, expected):
    assert items(text) == expected


def test_list_items_keep_raw_offsets():
    raw = "前文。今年新引进东方电气公司、南方材料集团等项目8个，成效明显。"
    start = raw.index("今年")
    phrase = next(p for p in phrases(raw) if "、" in p.text)
    got = list_items(phrase)
    assert [raw[i.start : i.end] for i in got] == ["东方电气公司", "南方材料集团"]
    assert got[0].start == raw.index("东方") and start < got[0].start


def test_a_second_list_after_etc_is_not_merged():
    text = "甲科技、乙科技等众多企业参加丙大赛、丁大赛"
    assert [i.text for i in list_items(Span(0, len(text), text))] == ["甲科技", "乙科技"]
