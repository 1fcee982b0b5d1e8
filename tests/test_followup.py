"""The follow-up report's figures, their pairings, and the verdicts on the 2019 targets.

Expected values are read off issue 9's list of the follow-up's figures and the article's
targets by hand, not from the code's output.
"""

import math
import shutil

import pytest

from gaoxin.analysis import verdicts as vd
from gaoxin.config import PROCESSED_DIR
from gaoxin.data import DataError
from gaoxin.data.followup import (
    FOLLOWUP_DIR,
    load_followup_figures,
    load_result_pairs,
    load_target_outcomes,
)
from gaoxin.data.followup_schema import MAX_PHRASE_CHARS
from gaoxin.source import load_later_sources

# Issue 9's figures: phrase → (value in base units, unit, size threshold in yuan or None).
ISSUE_FIGURES = {
    "地区生产总值增长8.5%": (8.5, "percent", None),
    "财政收入同口径增长3.46%": (3.46, "percent", None),
    "地方税收收入同比增长48.79%": (48.79, "percent", None),
    "新增市场主体增长27.6%": (27.6, "percent", None),
    "引进500强企业5个": (5, "count", None),
    "签约重大项目27个": (27, "count", None),
    "总引资额260亿元": (26_000_000_000, "yuan", None),
    "投资额10亿元以上项目7个": (7, "count", 1_000_000_000),
    "5亿元以上项目16个": (16, "count", 500_000_000),
    "全国169家高新区": (169, "count", None),
}


@pytest.fixture()
def curated(tmp_path):
    target = tmp_path / "followup"
    shutil.copytree(FOLLOWUP_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the committed tables ---------------------------------------------------------------


def test_every_figure_of_the_issue_is_stored_as_parsed():
    figures = load_followup_figures().set_index("phrase")
    assert set(figures.index) == set(ISSUE_FIGURES)
    for phrase, (value, unit, size) in ISSUE_FIGURES.items():
        row = figures.loc[phrase]
        assert row.value_normalized == value, phrase
        assert row.unit_normalized == unit, phrase
        assert (row.period, row.year) == ("result", 2019)
        if size is None:
            assert math.isnan(row.threshold_normalized)
        else:
            assert row.threshold_normalized == size
    assert figures.index.str.len().max() <= MAX_PHRASE_CHARS


def test_the_source_is_cited_with_what_is_unknown():
    figures = load_followup_figures()
    sources = load_later_sources()
    assert set(figures.source_id) == set(sources)
    source = sources[figures.source_id.iloc[0]]
    assert source.title == "衡阳高新区开启新征程，新发展理念引领高质量发展"
    assert source.published == "2020-01-16"
    assert source.seen_as == "republished copy"
    assert source.url == "http://jizzhutyou.com/n/116796.html"
    assert source.outlet is None and source.authors == ()
    assert "author unknown" in source.credit and "outlet unknown" in source.credit


def test_every_2019_target_is_paired_once():
    pairs = load_target_outcomes()
    assert len(pairs) == 19  # the article's 2019 targets, counted in notebook 05
    assert pairs.target_metric.is_unique
    assert (pairs.relation == "size_threshold").sum() == 2


def test_result_pairs_load():
    pairs = load_result_pairs().set_index("result_metric")
    assert pairs.loc["GDP growth", "outcome_quote"] == "8.5%"
    assert pairs.loc["tax revenue growth", "relation"] == "different_measure"


# --- validation fails with file, row and column -----------------------------------------


def test_mismatched_figure_id_is_named(curated):
    _edit(curated / "target_outcomes.csv", ",gdp_growth,", ",gdp_grwth,")
    with pytest.raises(
        DataError,
        match=r"target_outcomes\.csv, row 5, column 'figure_id': 'gdp_grwth' matches 0 rows",
    ):
        load_target_outcomes(curated)


def test_mismatched_outcome_value_is_named(curated):
    _edit(curated / "target_outcomes.csv", ",8.5%,8.5,", ",8.5%,8.4,")
    with pytest.raises(
        DataError, match=r"target_outcomes\.csv, row 5, column 'outcome_value': 8\.4 ≠"
    ):
        load_target_outcomes(curated)


def test_mismatched_target_value_is_named(curated):
    _edit(
        curated / "target_outcomes.csv",
        "GDP growth target,12%以上,12,",
        "GDP growth target,12%以上,13,",
    )
    with pytest.raises(DataError, match=r"row 5, column 'target_value'"):
        load_target_outcomes(curated)


def test_unknown_target_is_named(curated):
    _edit(curated / "target_outcomes.csv", "GDP growth target,", "GDP growth goal,")
    with pytest.raises(DataError, match=r"row 5, column 'target_metric'.*0 rows"):
        load_target_outcomes(curated)


def test_a_target_left_out_is_named(curated):
    path = curated / "target_outcomes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "financing" not in line), encoding="utf-8")
    with pytest.raises(DataError, match=r"not paired: \['financing to raise'\]"):
        load_target_outcomes(curated)


def test_a_size_that_contradicts_the_relation_is_named(curated):
    _edit(curated / "target_outcomes.csv", ",30,different_threshold,", ",30,same_measure,")
    with pytest.raises(DataError, match=r"row 17, column 'relation': sizes differ"):
        load_target_outcomes(curated)


def test_no_outcome_row_with_a_figure_is_named(curated):
    _edit(
        curated / "target_outcomes.csv",
        ",20,no_outcome,,,,,,,,No fixed",
        ",20,no_outcome,,gdp_growth,,,,,,No fixed",
    )
    with pytest.raises(DataError, match=r"row 7, column 'figure_id': a no_outcome row must not"):
        load_target_outcomes(curated)


def test_hand_edited_figure_value_is_named(curated):
    _edit(curated / "figures.csv", ",8.5%,8.5,", ",8.5%,8.6,")
    with pytest.raises(
        DataError, match=r"figures\.csv, row 2, column 'value': '8\.6' ≠ 8\.5 read from"
    ):
        load_followup_figures(curated)


def test_quote_the_parser_does_not_cut_is_named(curated):
    _edit(curated / "figures.csv", ",总引资额260亿元,260亿元,", ",总引资额260亿元,260亿,")
    with pytest.raises(DataError, match=r"row 8, column 'quote': the parser finds"):
        load_followup_figures(curated)


def test_stored_sentences_are_refused(curated):
    _edit(
        curated / "figures.csv",
        ",全国169家高新区,",
        ",确保在全国169家高新区里排位不断前移争先升位,",
    )
    with pytest.raises(DataError, match=r"row 11, column 'phrase': phrase has \d+ characters"):
        load_followup_figures(curated)


def test_unknown_source_is_named(curated):
    _edit(curated / "figures.csv", "gdp_growth,zone-report-2020-01-16,", "gdp_growth,zone-report,")
    with pytest.raises(DataError, match=r"row 2, column 'source_id'"):
        load_followup_figures(curated)


def test_mismatched_result_value_is_named(curated):
    _edit(
        curated / "result_pairs.csv",
        "major projects signed,35个,35,",
        "major projects signed,35个,36,",
    )
    with pytest.raises(DataError, match=r"result_pairs\.csv, row 7, column 'result_value': 36 ≠"):
        load_result_pairs(curated)


def test_errors_are_data_errors_that_say_the_file_is_curated(curated):
    (curated / "figures.csv").unlink()
    with pytest.raises(DataError, match=r"figures\.csv: file is missing.*curated by hand"):
        load_followup_figures(curated)
    assert PROCESSED_DIR.exists()


# --- verdict logic, on cases checked by hand --------------------------------------------


def _verdict(target, qualifier, outcome, kind="growth_rate"):
    return vd.judge(vd.goal_of(target, qualifier, kind), outcome)


def test_a_floor_met_by_half_a_point():
    v = _verdict(8, "at_least", vd.point(8.5))
    assert v.verdict == vd.MET
    assert vd.margin_text(v.margin, "percent") == "+0.5 points"


def test_a_floor_missed():
    v = _verdict(12, "at_least", vd.point(8.5))
    assert (v.verdict, v.margin.low, v.margin.high) == (vd.MISSED, -3.5, -3.5)


def test_reaching_an_at_least_floor_meets_it_but_passing_is_needed_for_tupo():
    assert _verdict(12, "at_least", vd.point(12)).verdict == vd.MET
    v = _verdict(200e8, "more_than", vd.point(200e8))
    assert v.verdict == vd.MISSED
    assert vd.margin_text(v.margin, "yuan") == "±0亿元"
    assert vd.margin_text(_verdict(200e8, "more_than", vd.point(260e8)).margin, "yuan") == "+60亿元"


def test_outcome_floors_decide_only_when_clear():
    at_least_30 = vd.written_bounds(30, "at_least")
    met = _verdict(20, "at_least", at_least_30)
    assert met.verdict == vd.MET and vd.margin_text(met.margin, "percent") == "≥ +10 points"
    assert _verdict(40, "at_least", at_least_30).verdict == vd.NOT_COMPARABLE


def test_yu_bounds_a_count_on_both_sides():
    b = vd.written_bounds(3600, "more_than", "余", "3600")
    assert (b.low, b.high, b.low_open, b.high_open) == (3600, 3700, True, True)
    over = vd.written_bounds(100, "more_than", "超", "100")
    assert math.isinf(over.high)
    with pytest.raises(ValueError, match="about"):
        vd.written_bounds(5, "about")  # 'about' places a figure without bounding it


def test_growth_from_a_yu_base_misses_a_5000_floor():
    implied = vd.grow(vd.written_bounds(3600, "more_than", "余", "3600"), vd.point(27.6))
    assert implied.low == pytest.approx(4593.6) and implied.high == pytest.approx(4721.2)
    assert vd.judge(vd.goal_of(5000, "at_least", "count"), implied).verdict == vd.MISSED


def test_counts_above_another_size_are_bounds():
    low = vd.count_above(vd.point(16), counted_size=5e8, wanted_size=1e8)
    assert (low.low, low.high) == (16, math.inf)
    high = vd.count_above(vd.point(16), counted_size=5e8, wanted_size=10e8)
    assert (high.low, high.high) == (0, 16)
    v = _verdict(30, "at_least", low, "count")
    assert v.verdict == vd.NOT_COMPARABLE and vd.margin_text(v.margin, "count") == "≥ −14"
    assert _verdict(10, "at_least", low, "count").verdict == vd.MET


def test_rank_targets_are_ceilings():
    assert _verdict(3, "top", vd.point(2), "rank").verdict == vd.MET
    missed = _verdict(3, "top", vd.point(4), "rank")
    assert missed.verdict == vd.MISSED and vd.margin_text(missed.margin, "rank") == "−1 places"


def test_more_than_a_count_is_reached_at_the_next_whole_number():
    assert _verdict(10, "more_than", vd.point(11), "count").verdict == vd.MET
    missed = _verdict(10, "more_than", vd.point(7), "count")
    assert vd.margin_text(missed.margin, "count") == "−4"
    implied = vd.Bounds(4593.6, 4721.2, True, True)
    assert vd.margin_text(vd.goal_of(5000, "at_least", "count").margin(implied), "count") == (
        "−406 to −279"
    )


def test_more_than_and_at_least_together_read_as_at_least():
    assert _verdict(10, "more_than+at_least", vd.point(10), "count").verdict == vd.MET
    assert vd.margin_text(_verdict(10, "more_than+at_least", vd.point(7)).margin, "count") == "−3"


def test_the_scorecard_of_the_2019_targets():
    # Read by hand from the article's targets and the later report's figures:
    # missed on every reading: GDP 12%以上 → 8.5% (−3.5 points); new market entities 5000家以上
    # → 3600余家 grown 27.6%, i.e. between 4593.6 and 4721.2, short at both ends.
    # depends on whether 签约 counts as 引进 (the register reads them as two counts, and keeps
    # the other reading open): if they are one count, capital 突破200亿元 → 260亿元 is met
    # (+60亿元) and projects of 10亿元以上 超过10个以上 → 7个 missed (−3, or −4 if 'more than 10').
    # not comparable on every reading: budget revenue vs fiscal revenue; projects above 1亿元 vs
    # above 5亿元 (at least 16 against 30). Plan scope (三大, 第一批37个, 十大 ×2) and the two size
    # thresholds are not goals; the other 7 goals have no figure.
    table = vd.verdict_table().set_index("target_metric")
    assert table.loc["capital to introduce", "margin"] == "+60亿元"
    assert table.loc["GDP growth target", "margin"] == "−3.5 points"
    assert table.loc["projects of 1 billion yuan or more to introduce", "verdict"] == vd.DEPENDS
    assert table.loc["projects of 1 billion yuan or more to introduce", "margin"] == "−4 to −3"
    assert table.loc["capital to introduce", "verdict_taken"] == vd.NOT_COMPARABLE
    big = table.loc["projects of 1 billion yuan or more to introduce"]
    assert "(−4 to −3)" in big.by_reading
    assert table.loc["projects of 100 million yuan or more to introduce", "margin"] == "≥ −14"
    entities = table.loc["new market entities target"]
    assert entities.verdict == vd.MISSED
    assert (round(entities.outcome_low, 1), round(entities.outcome_high, 1)) == (4593.6, 4721.2)
    card = vd.scorecard(table.reset_index()).set_index("verdict")["count"]
    assert card.to_dict() == {
        "met": 0,
        "missed": 2,
        "depends_on_reading": 2,
        "not_comparable": 2,
        "not_reported": 7,
    }
    assert list(vd.scorecard(table.reset_index()).verdict) == list(vd.VERDICTS)
    assert set(vd.plan_scope().target_quote) == {"三大", "37个", "十大"}


def test_notebook_06_has_the_sections_the_front_page_links_to():
    import nbformat

    from gaoxin.config import NOTEBOOKS_DIR

    nb = nbformat.read(NOTEBOOKS_DIR / f"{vd.NOTEBOOK}.ipynb", as_version=4)
    headings = {
        line[3:].strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    }
    assert set(vd.HEADINGS.values()) <= headings
    card = vd.scorecard()
    assert set(card.heading) == set(vd.HEADINGS.values())
    assert card.href.str.startswith(f"html/{vd.NOTEBOOK}.html#Which-").all()
