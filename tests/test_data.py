"""Loading, validation errors, provenance, coverage and drift of the committed data."""

import pandas as pd
import pytest

from gaoxin import data
from gaoxin.check import freshness
from gaoxin.check import main as check_main
from gaoxin.config import ARTICLE_PATH, DATAPACKAGE_PATH, RAW_DIR
from gaoxin.data import DataError, load_table
from gaoxin.data.check import coverage, provenance
from gaoxin.data.schema import TABLES


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_tables_load_typed():
    facts = data.load_facts()
    assert facts["value_normalized"].dtype == "float64"
    assert str(facts["start"].dtype) == "Int64"
    assert facts["cumulative"].dtype == bool
    assert facts["fact_id"].is_unique
    assert list(facts["start"]) == sorted(facts["start"])
    for name in TABLES:
        assert len(load_table(name)) > 0


def test_fact_lookup_is_exact():
    facts = data.load_facts()
    assert data.fact(facts, metric_en="patents granted")["quote"] == "180项"
    with pytest.raises(LookupError, match="0 facts"):
        data.fact(facts, metric_en="no such metric")


def test_missing_file(copy_dir):
    (copy_dir / "facts.csv").unlink()
    with pytest.raises(DataError, match=r"facts\.csv: file is missing.*make data"):
        load_table("facts", directory=copy_dir)


def test_truncated_file(copy_dir):
    path = copy_dir / "facts.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match=r"facts\.csv, row \d+") as err:
        load_table("facts", directory=copy_dir)
    assert "make data" in str(err.value)


def test_wrong_encoding(copy_dir):
    path = copy_dir / "sentences.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(DataError, match=r"sentences\.csv, row 2: not valid UTF-8"):
        load_table("sentences", directory=copy_dir)


def test_hand_edited_value_is_caught(copy_dir):
    # 418.9亿元 typed over as 418.0 in the value column
    _edit(copy_dir / "facts.csv", ",418.9,,", ",418.0,,")
    with pytest.raises(DataError, match=r"facts\.csv, row \d+, column 'value'"):
        load_table("facts", directory=copy_dir)


def test_hand_edited_quote_breaks_provenance(copy_dir):
    _edit(copy_dir / "facts.csv", ",263项,", ",264项,")
    with pytest.raises(DataError, match=r"column 'quote'.*raw text '263项'"):
        load_table("facts", directory=copy_dir)


def test_enum_violation(copy_dir):
    _edit(copy_dir / "facts.csv", ",growth_rate,", ",growth,")
    with pytest.raises(DataError, match=r"column 'kind': 'growth' is not one of"):
        load_table("facts", directory=copy_dir)


def test_wrong_header(copy_dir):
    _edit(copy_dir / "entities.csv", "entity_type", "type")
    with pytest.raises(DataError, match=r"entities\.csv, row 1: header does not match"):
        load_table("entities", directory=copy_dir)


def test_provenance_is_complete():
    raw = data.read_raw_text()
    for name, (good, total) in provenance(raw).items():
        assert good == total > 0, name


def test_coverage_is_complete():
    runs, missing = coverage(data.read_raw_text())
    assert len(runs) > 150
    assert missing == []


def test_committed_data_matches_a_fresh_extraction():
    assert freshness() == []


def test_check_command_passes(capsys):
    assert check_main([]) == 0
    out = capsys.readouterr().out
    assert "coverage   numeral runs" in out and "100.0%" in out


def test_raw_article_is_described_by_its_metadata():
    import hashlib
    import json

    meta = json.loads((RAW_DIR / "source.json").read_text(encoding="utf-8"))
    assert hashlib.sha256(ARTICLE_PATH.read_bytes()).hexdigest() == meta["sha256"]
    assert meta["authors"] == ["戈清平", "王韦夫"]


def test_datapackage_describes_every_table_and_column():
    import json

    package = json.loads(DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        header = pd.read_csv(DATAPACKAGE_PATH.parent / resource["path"], nrows=0).columns
        assert list(header) == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_an_entitys_mentions_count_the_body_only():
    """Captions and headings are left out of every count: an entity's `mentions` is its mentions
    inside body paragraphs, while entity_mentions still lists every occurrence."""
    entities = data.load_entities().set_index("entity_id")
    mentions = data.load_entity_mentions()
    body = data.load_paragraphs().query("role == 'body'")
    in_body = [
        ((body.start <= s) & (e <= body.end)).any() for s, e in zip(mentions.start, mentions.end)
    ]
    assert not all(in_body), "some mention sits in a caption or heading (泰豪 under a photo)"
    counted = mentions[in_body].groupby("entity_id").size()
    assert entities.mentions.eq(counted.reindex(entities.index, fill_value=0)).all()
    assert (mentions.sentence_id.fillna("") != "").tolist() == in_body
