"""Structure recovered from the raw text, checked against what the article shows."""

import pytest

from gaoxin.text.structure import parse


def test_title_byline_and_headings(article):
    assert article.title.text == "敲定目标！今年衡阳高新区要建成全国一流园区"
    assert article.byline.text == "戈清平 王韦夫"
    headings = [p.text for p in article.paragraphs if p.role == "heading"]
    assert headings == [
        "奔跑的2018 演绎激情与速度",
        "产业建设和科技创新 诠释园区新高度",
        "2019再出发: 剑指全国一流高新区",
    ]
    assert [s.section_id for s in article.sections] == ["s0", "s1", "s2", "s3"]


def test_captions_are_kept_apart_from_body(article):
    captions = [p.text for p in article.paragraphs if p.role == "caption"]
    assert captions == [
        "船山公园",
        "2018年衡阳高新区重点项目集中开工投产仪式",
        "乐福地医药包材生产线",
        "华为创新实验室",
        "泰豪军民技术典型应用产品——消防通信指挥车",
    ]
    body = "".join(p.text for p in article.body_paragraphs())
    assert "华为创新实验室" not in body


def test_layout_breaks_are_joined_with_offsets_into_raw(article):
    joined = [p for p in article.paragraphs if len(p.spans) > 1]
    assert len(joined) == 2
    first, second = joined
    assert "泛亚绿洲、中国铁塔" in first.text
    assert "国家级众创空间的步伐" in second.text
    for p in joined:
        assert "".join(article.raw[a:b] for a, b in p.spans) == p.text
        assert "\n" in article.raw[p.start : p.end]


def test_sentences_point_into_raw(article):
    for s in article.sentences:
        assert article.raw[s.start : s.end].replace("\n", "") == s.text
    crossing = [s for s in article.sentences if "\n" in article.raw[s.start : s.end]]
    assert [s.text[:6] for s in crossing] == ["此外,超威动", "发展壮大双创"]


def test_parse_on_a_small_text_of_the_same_shape():
    raw = (
        "\n标题一行\n\n张三 李四\n\n第一段,没有结束\n\n\n\n图片说明\n\n"
        "接着写完。第二句！\n\n小标题 副题\n\n新的段落。\n"
    )
    a = parse(raw)
    roles = [(p.role, p.text) for p in a.paragraphs]
    assert roles == [
        ("title", "标题一行"),
        ("byline", "张三 李四"),
        ("body", "第一段,没有结束接着写完。第二句！"),
        ("caption", "图片说明"),
        ("heading", "小标题 副题"),
        ("body", "新的段落。"),
    ]
    assert [s.text for s in a.sentences] == ["第一段,没有结束接着写完。", "第二句！", "新的段落。"]


def test_sentence_maps_between_its_text_and_raw_offsets():
    from gaoxin.text.structure import Sentence

    # A paragraph the layout cut in two: the sentence runs across the line break.
    raw = "标题\n\n甲 乙\n\n数据显示,园区实现产值\n100亿元,增长8%。\n"
    article = parse(raw)
    (sentence,) = article.sentences
    assert sentence.text == "数据显示,园区实现产值100亿元,增长8%。"
    i = sentence.text.index("100")
    assert sentence.raw_offset(i) == raw.index("100")
    assert sentence.text_index(raw.index("100")) == i
    assert sentence.raw_span(i, i + 5) == (raw.index("100"), raw.index("100") + 5)
    row = {k: getattr(sentence, k) for k in ("sentence_id", "paragraph_id", "section_id")}
    row |= {"start": sentence.start, "end": sentence.end, "text": sentence.text}
    assert Sentence.from_row(row, raw).offsets == sentence.offsets
    with pytest.raises(ValueError, match="does not match"):
        Sentence.from_row(dict(row, text=sentence.text.replace("产值", "产量")), raw)
