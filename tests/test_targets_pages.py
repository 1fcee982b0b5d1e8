"""The reader pages of reports 05 and 06, as a cold reader sees them in both editions: the
Chinese scorecard table names each goal, Chinese prose quotes in “”, and neither edition talks
about how the project's code runs."""

import html
import re

import pytest

from gaoxin.analysis import verdicts as vd
from gaoxin.analysis.tables import chinese_metric
from gaoxin.data import load_facts
from gaoxin.labels import plan_year

STEMS = ("05_targets", "06_promises")
# Build and developer talk a reader has no use for (cold reads of the reader pages).
BUILD_TALK = {
    "en": ("by code", "numeral parser", "re-run", "recomputed", "validated by"),
    "zh": ("代码", "解析器", "重新计算"),
}


def _text(raw: str) -> str:
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.fixture(scope="module")
def pages(strict_build) -> dict[tuple[str, str], str]:
    exports = strict_build.exports
    return {
        (lang, stem): (exports / sub / "html" / f"{stem}.html").read_text(encoding="utf-8")
        for lang, sub in (("en", "."), ("zh", "zh"))
        for stem in STEMS
    }


def _table_first_column(raw: str, caption: str) -> list[str]:
    tables = re.findall(r"<table[^>]*>.*?</table>", raw, flags=re.S)
    (table,) = [t for t in tables if f"<caption>{html.escape(caption)}</caption>" in t]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [
        html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", r)[0]))
        for r in rows
    ]


def test_the_chinese_scorecard_table_names_each_goal(pages):
    verdicts = vd.verdict_table()
    caption = f"{plan_year(load_facts())}年目标与结果"
    names = _table_first_column(pages["zh", "06_promises"], caption)
    expected = {chinese_metric(s, k) for s, k in zip(verdicts.subject_zh, verdicts.kind)}
    assert len(names) == len(verdicts)
    assert set(names) == expected, names
    # A measure word (家, 个) or a dash is no name; two goals never read alike.
    assert all(len(n) > 1 for n in names), names


def test_chinese_prose_quotes_in_chinese_marks(pages):
    for stem in STEMS:
        text = _text(pages["zh", stem])
        assert "«" not in text and "»" not in text, stem


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_build_talk_on_the_reader_pages(pages, lang):
    for stem in STEMS:
        text = _text(pages[lang, stem])
        found = [w for w in BUILD_TALK[lang] if w in text]
        assert not found, (stem, found)


def test_the_tax_finding_claims_no_more_than_its_body(pages):
    text = _text(pages["en", "06_promises"])
    assert "cannot measure the same thing" not in text
    assert "cannot both be the same measure on an unchanged base" in text
    zh = _text(pages["zh", "06_promises"])
    assert "不可能既是同一口径、又基于不变的基数" in zh
