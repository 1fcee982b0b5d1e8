"""Curated judgements as data: data/annotations/target_pairs.csv, validated against the facts."""

import shutil

import pandas as pd
import pytest

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.data import DataError, load_facts, load_target_pairs
from gaoxin.vocabulary import RELATIONS, relation_label

HEADER = "target_metric,result_metric,relation,note\n"


@pytest.fixture()
def pairs_file(tmp_path):
    path = tmp_path / "target_pairs.csv"
    shutil.copy(ANNOTATIONS_DIR / "target_pairs.csv", path)
    return path


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pairs_load_with_fact_ids_and_labels():
    pairs = load_target_pairs()
    facts = load_facts().set_index("fact_id")
    assert pairs.target_metric.is_unique
    assert set(pairs.relation) <= set(RELATIONS)
    # Read off the article: 地区生产总值增长12%以上 (2019) against 地区生产总值同比增长8.6% (2018).
    gdp = pairs[pairs.target_metric == "GDP growth target"].iloc[0]
    assert facts.loc[gdp.target_fact_id, "quote"] == "12%以上"
    assert facts.loc[gdp.result_fact_id, "quote"] == "8.6%"
    assert gdp.relation == "same_measure"
    assert gdp.relation_label == "same measure 同一指标"
    # 融资…: no 2018 financing figure, so the result side is empty.
    financing = pairs[pairs.target_metric == "financing to raise"].iloc[0]
    assert financing.relation_label == relation_label("no_counterpart")
    assert pd.isna(financing.result_metric) and pd.isna(financing.result_fact_id)


def test_every_target_of_the_plan_year_is_paired_once():
    facts = load_facts()
    targets = facts[(facts.period == "target") & (facts.year == facts.year.max())]
    assert sorted(load_target_pairs().target_metric) == sorted(targets.metric_en)


def test_unknown_metric_names_file_row_and_column(pairs_file):
    _replace(pairs_file, "GDP growth target,GDP growth,", "GDP growth target,GDP growht,")
    with pytest.raises(DataError) as err:
        load_target_pairs(pairs_file)
    message = str(err.value)
    assert "target_pairs.csv, row 5, column 'result_metric'" in message
    assert "'GDP growht' matches 0 facts" in message
    assert "curated by hand" in message and "\n" not in message


def test_result_side_must_be_a_result(pairs_file):
    # A target named on the result side: the period is wrong.
    _replace(pairs_file, "GDP growth target,GDP growth,", "GDP growth target,GDP growth target,")
    with pytest.raises(DataError, match=r"row 5, column 'result_metric'.*must be a result of 2018"):
        load_target_pairs(pairs_file)


def test_target_side_must_be_a_target(pairs_file):
    _replace(pairs_file, "GDP growth target,GDP growth,", "GDP growth,GDP growth,")
    with pytest.raises(
        DataError, match=r"row 5, column 'target_metric'.*must be a\s+target of 2019"
    ):
        load_target_pairs(pairs_file)


def test_relation_from_the_closed_list(pairs_file):
    _replace(pairs_file, "GDP growth,same_measure", "GDP growth,same")
    with pytest.raises(DataError, match=r"row 5, column 'relation': 'same' is not one of"):
        load_target_pairs(pairs_file)


def test_no_counterpart_has_no_result(pairs_file):
    _replace(pairs_file, "financing to raise,,", "financing to raise,GDP growth,")
    with pytest.raises(DataError, match=r"column 'result_metric': must be empty"):
        load_target_pairs(pairs_file)


def test_a_target_paired_twice_or_not_at_all(pairs_file):
    lines = pairs_file.read_text(encoding="utf-8").splitlines(keepends=True)
    pairs_file.write_text("".join([*lines, lines[4]]), encoding="utf-8")
    with pytest.raises(DataError, match=r"row 21, column 'target_metric'.*already paired in row 5"):
        load_target_pairs(pairs_file)
    pairs_file.write_text("".join(lines[:4] + lines[5:]), encoding="utf-8")
    with pytest.raises(DataError, match=r"no row for the 2019 target\(s\) \['GDP growth target'\]"):
        load_target_pairs(pairs_file)


def test_truncated_pairs_file(pairs_file):
    text = pairs_file.read_text(encoding="utf-8")  # cut between characters (the notes are Chinese)
    pairs_file.write_text(text[: len(text) - 20], encoding="utf-8")
    with pytest.raises(DataError, match=r"target_pairs\.csv, row 20: file is truncated"):
        load_target_pairs(pairs_file)
