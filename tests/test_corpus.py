"""Articles of the genre written in the project (tests/corpus/), each with a hand-checked expected
table: the rules must find ≥ 95% of measured quantities with the right value and unit, and give
≥ 90% the right period and year, on texts they were not written for.

a–d were written while the rules were extended for the genre; e (heldout) was written afterwards,
with its expected table read by hand before the first run: it then scored recall 95%, period 95%
(the one miss, 1.2亿美元, added the 美元 unit). f–o (issue 17) were written and annotated before
the time-expression rules were read; `split.csv` gives each article's layout and half. Rules are
written against the development half; the test half is scored per layout
(`python -m gaoxin.facts.evaluate --half test`). p and q (development) carry the mid-year
phenomena that g (test) had exposed, in new words; r–t (test) were annotated and committed before
their first run (tests/corpus/README.md).
"""

import json
from pathlib import Path

import pytest

from gaoxin.facts.evaluate import (
    corpus_split,
    read_corpus_expected,
    score,
    score_article,
    score_corpus,
)
from gaoxin.facts.tables import extract_tables
from gaoxin.text.structure import load_article

CORPUS = Path(__file__).resolve().parent / "corpus"
ARTICLES = sorted(CORPUS.glob("*.txt"))
MIN_RECALL = 0.95
MIN_PERIOD_ACCURACY = 0.90
MAX_STRAY = 0.03
LAYOUTS = {
    "annual_conference",
    "midyear_analysis",
    "numbers_digest",
    "interview",
    "indicator_table",
    "government_report",
}


def test_the_corpus_has_four_articles_of_different_kinds():
    assert len(ARTICLES) >= 4
    texts = [p.read_bytes() for p in ARTICLES]
    assert any("０" in t.decode("utf-8") and "區" in t.decode("utf-8") for t in texts)
    assert any(t.startswith(b"\xef\xbb\xbf") and b"\r\n" in t and b"<script>" in t for t in texts)


def test_the_corpus_covers_six_layouts_in_both_halves_and_both_scripts():
    split = corpus_split()
    assert len(split) >= 10 and {e["article"] for e in split} == {p.stem for p in ARTICLES}
    assert {e["layout"] for e in split} == LAYOUTS
    for half in ("development", "test"):
        assert {e["layout"] for e in split if e["half"] == half} == LAYOUTS, half
        assert {e["script"] for e in split if e["half"] == half} == {"simplified", "traditional"}


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_scores(path):
    article = load_article(path)
    facts = extract_tables(article, None)["facts"]
    result = score_article(
        article.raw, facts, read_corpus_expected(path.with_suffix(".expected.csv"))
    )
    recall, period = result.found / result.required, result.right_period / result.required
    print(f"{path.stem}: recall {recall:.0%}, period {period:.0%}")
    assert recall >= MIN_RECALL, result.misses
    for f in facts:
        assert article.raw[f["start"] : f["end"]] == f["quote"]


@pytest.mark.parametrize("half", ["development", "test"])
def test_each_layout_meets_the_bars(half):
    for layout, s in score_corpus(half).items():
        fig = s.figures()
        assert fig["recall"] >= MIN_RECALL, (layout, s.misses)
        assert fig["stray"] <= MAX_STRAY, (layout, s.misses)
        assert fig["period"] >= MIN_PERIOD_ACCURACY, (layout, s.misses)


def test_the_corpus_score_counts_strays_qualifiers_and_intervals():
    raw = "去年增长8%,签约3个。"
    row = {"kind": "growth_rate", "qualifier": "", "period": "result", "year": "2020"}
    facts = [
        {**row, "start": 4, "end": 6, "value_normalized": "8", "unit_normalized": "percent"},
        {
            **row,
            "start": 9,
            "end": 11,
            "value_normalized": "3",
            "unit_normalized": "count",
            "kind": "count",
            "qualifier": "about",
        },
        {
            **row,
            "start": 0,
            "end": 1,
            "value_normalized": "1",
            "unit_normalized": "count",
            "kind": "count",
        },
    ]
    expected = [
        {
            "quote": "8%",
            "occurrence": "0",
            "value_normalized": "8",
            "unit_normalized": "percent",
            "period": "result",
            "year": "2020",
            "qualifier": "",
            "period_start": "2020-01",
            "period_end": "2020-12",
            "required": "1",
        },
        {
            "quote": "3个",
            "occurrence": "0",
            "value_normalized": "3",
            "unit_normalized": "count",
            "period": "target",
            "year": "2021",
            "qualifier": "",
            "period_start": "",
            "period_end": "",
            "required": "1",
        },
    ]
    result = score_article(raw, facts, expected)
    assert (result.required, result.found, result.right_period) == (2, 2, 1)
    assert (result.qualified, result.right_qualifier) == (2, 1)
    assert (result.dated, result.right_interval) == (1, 0)  # the facts carry no interval
    assert (result.rows, result.stray) == (3, 1)


def test_the_score_counts_misses():
    facts = [
        {
            "start": 0,
            "quote": "8%",
            "value_normalized": "8",
            "unit_normalized": "percent",
            "period": "result",
            "year": "2020",
        },
    ]
    expected = [
        {
            "quote": "8%",
            "occurrence": "0",
            "value_normalized": "8",
            "unit_normalized": "percent",
            "period": "target",
            "year": "2021",
        },
        {
            "quote": "9%",
            "occurrence": "0",
            "value_normalized": "9",
            "unit_normalized": "percent",
            "period": "result",
            "year": "2020",
        },
    ]
    result = score(facts, expected)
    assert (result.found, result.right_period, len(result.misses)) == (1, 0, 2)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_any_article_extracts_to_a_folder_that_loads(path, tmp_path):
    from gaoxin.data import clear_cache, load_facts, load_table
    from gaoxin.facts.pipeline import extract_article

    written = extract_article(path, tmp_path)
    assert "processed/facts.csv" in written and "datapackage.json" in written
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    title = load_article(path).title.text
    assert package["title"] == title and package["plan_year"] - package["report_year"] == 1
    assert not any(r["path"].startswith("annotations/") for r in package["resources"])
    clear_cache()
    facts = load_facts(directory=tmp_path / "processed", article=path)
    assert len(facts) == len(extract_tables(load_article(path), None)["facts"])
    load_table("sentences", directory=tmp_path / "processed", article=path)
