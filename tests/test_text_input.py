"""Any text of the genre is read without a traceback: BOM, CRLF/CR line ends, a number broken by a
line break; non-UTF-8 or binary files get one line naming the file and what to do."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.facts.tables import extract_tables
from gaoxin.text.reader import ArticleError, read_raw
from gaoxin.text.structure import parse

BODY = "数据显示,2020年园区实现工业总产值12.5亿元,同比增长8%。"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_and_bom(newline):
    raw = "\ufeff" + newline.join(["长沙高新区2021年工作会召开", "", "张三 李四", "", BODY, ""])
    article = parse(raw)
    assert [p.role for p in article.paragraphs] == ["title", "byline", "body"]
    assert article.title.text == "长沙高新区2021年工作会召开"  # the BOM is not part of the title
    facts = {f["quote"]: f for f in extract_tables(article, None)["facts"]}
    assert facts["12.5亿元"]["value_normalized"] == "1250000000"
    for f in facts.values():
        assert raw[f["start"] : f["end"]] == f["quote"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_number_broken_by_a_line_break(newline):
    broken = BODY.replace("12.5亿元", "1" + newline + "2.5亿元")
    raw = newline.join(["长沙高新区2021年工作会召开", "", "张三 李四", "", broken, ""])
    article = parse(raw)
    (sentence,) = article.sentences
    assert sentence.text == BODY
    (fact,) = [f for f in extract_tables(article, None)["facts"] if f["unit_raw"] == "亿元"]
    assert fact["quote"] == "1" + newline + "2.5亿元"
    assert raw[fact["start"] : fact["end"]] == fact["quote"]
    assert (fact["value_normalized"], fact["period"], fact["year"]) == (
        "1250000000",
        "result",
        "2020",
    )


def test_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(("标题\n\n" + BODY).encode("gb18030"))
    with pytest.raises(ArticleError) as err:
        read_raw(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line 1: not UTF-8 text") and "\n" not in message
    assert "UTF-8" in message.split(";")[-1]


def test_binary_and_empty_and_missing(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleError, match=r"image\.png.*(not UTF-8|binary)"):
        read_raw(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"empty\.txt: the file is empty"):
        read_raw(empty)
    with pytest.raises(ArticleError, match=r"missing\.txt: file not found"):
        read_raw(tmp_path / "missing.txt")


# Characters the genre's rules react to, plus line ends, blanks, markup and a BOM.
FUZZ_ALPHABET = (
    "0123456789０１２３一二三十百千万亿億萬年月日个個%％.,，。；:“”「」、等的增长長去今明"
    "高新区區\n\r \t\ufeff<>/成倍分之翻番至到~—-亩畝以上余餘第前内底"
    "公顷平方米元家项目计划目标力争=\u3000"
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.text(alphabet=FUZZ_ALPHABET, min_size=1, max_size=40), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_no_text_ends_in_a_traceback(tmp_path_factory, parts, newline):
    """Any text extracts, and what it writes loads through the validating loaders."""
    from gaoxin.data import DataError, clear_cache, load_table
    from gaoxin.data.schema import TABLES
    from gaoxin.facts.pipeline import extract_article

    raw = newline.join(parts)
    folder = tmp_path_factory.mktemp("fuzz")
    article = folder / "article.txt"
    article.write_bytes(raw.encode("utf-8"))
    try:
        read_raw(article)
    except ArticleError:
        return  # blank text: a one-line error, tested above
    extract_article(article, folder / "out")
    clear_cache()
    for name in TABLES:
        try:
            load_table(name, directory=folder / "out" / "processed", article=article)
        except DataError as e:
            assert "has a header but no rows" in str(e)  # e.g. no entities in a short text
