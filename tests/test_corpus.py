"""Articles of the genre written in the project (tests/corpus/), each with a hand-checked expected
table: the rules must find ≥ 95% of measured quantities with the right value and unit, and give
≥ 90% the right period and year, on texts they were not written for.

a–d were written while the rules were extended for the genre; e (heldout) was written afterwards,
with its expected table read by hand before the first run: it then scored recall 95%, period 95%
(the one miss, 1.2亿美元, added the 美元 unit)."""

import json
from pathlib import Path

import pytest

from gaoxin.facts.evaluate import read_expected, score
from gaoxin.facts.tables import extract_tables
from gaoxin.text.structure import load_article

CORPUS = Path(__file__).resolve().parent / "corpus"
ARTICLES = sorted(CORPUS.glob("*.txt"))
MIN_RECALL = 0.95
MIN_PERIOD_ACCURACY = 0.90


def test_the_corpus_has_four_articles_of_different_kinds():
    assert len(ARTICLES) >= 4
    texts = [p.read_bytes() for p in ARTICLES]
    assert any("０" in t.decode("utf-8") and "區" in t.decode("utf-8") for t in texts)
    assert any(t.startswith(b"\xef\xbb\xbf") and b"\r\n" in t and b"<script>" in t for t in texts)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_scores(path):
    tables = extract_tables(load_article(path), None)
    expected = read_expected(path.with_suffix(".expected.csv"))
    result = score(tables["facts"], expected)
    print(f"{path.stem}: recall {result.recall:.0%}, period {result.period_accuracy:.0%}")
    assert result.recall >= MIN_RECALL, result.misses
    assert result.period_accuracy >= MIN_PERIOD_ACCURACY, result.misses
    raw = path.read_bytes().decode("utf-8")
    for f in tables["facts"]:
        assert raw[f["start"] : f["end"]] == f["quote"]


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
