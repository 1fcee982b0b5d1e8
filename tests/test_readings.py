"""The readings register: each interpretive choice made once, checked against the texts, and the
verdict rule that follows from it, tested as a property."""

import json
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.analysis import derive
from gaoxin.analysis import verdicts as vd
from gaoxin.config import ANNOTATIONS_DIR, NOTEBOOKS_DIR
from gaoxin.data import DataError, load_facts
from gaoxin.data.followup import load_followup_figures, load_target_outcomes
from gaoxin.data.readings import READINGS_PATH, is_quantity, load_readings, quantity_kinds
from gaoxin.text import numbers
from gaoxin.vocabulary import TIER_WORDS

REQUIRED = {
    "introduced_vs_signed",
    "rounding_step",
    "nearly",
    "floor_yishang",
    "floor_tupo",
    "floor_chaoguo",
    "stacked_floor",
    "first_tier",
    "like_for_like",
    "plan_scope",
    "quantity",
}


@pytest.fixture(scope="module")
def readings():
    return load_readings()


def test_the_register_covers_the_readings_the_reports_depend_on(readings):
    assert set(readings) >= REQUIRED
    for r in readings.values():
        assert r.reason and r.says() and all(r.says(a) for a in r.alternatives)


# --------------------------------------------------------------------------------------------
# Every row is checked against the texts


def _tampered(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "readings.csv"
    text = READINGS_PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("first_tier,第一方阵,", "first_tier,第二方阵,", "occurs in neither the article"),
        ("F03935,tier,", "F99999,tier,", "neither a fact_id nor a figure_id"),
        ("F03935,tier,", "F03948,tier,", "holds none of the wording"),
        ("tier,rank_1,no,", "tier,tier,no,", "among its own alternatives"),
        ("|rank_1=first place", "", "words are given for"),
        ("kind:count;", "kind:counts;", "not a kind of fact"),
        ("nearly,近,*,", "nearly,约莫,*,", "occurs in neither"),
        ("plan_scope,三大;第一批;十大,", "plan_scope,,", "only a definition by kind"),
    ],
)
def test_a_wrong_row_is_a_one_line_error_naming_file_row_and_column(tmp_path, old, new, message):
    with pytest.raises(DataError, match=message) as caught:
        load_readings(_tampered(tmp_path, old, new))
    text = str(caught.value)
    assert "readings.csv, row " in text and "column '" in text and "\n" not in text


def test_a_pairing_names_only_a_reading_that_covers_its_target(tmp_path):
    folder = tmp_path / "followup"
    shutil.copytree(ANNOTATIONS_DIR.parent / "followup", folder)
    path = folder / "target_outcomes.csv"
    text = path.read_text(encoding="utf-8")
    # The GDP goal does not depend on how 签约 is read: naming that reading is an error.
    old = ",gdp_growth,8.5%,8.5,,,,"
    assert text.count(old) == 1
    path.write_text(
        text.replace(old, ",gdp_growth,8.5%,8.5,introduced_vs_signed,same_count,,"), "utf-8"
    )
    with pytest.raises(DataError, match="does not name the target"):
        load_target_outcomes(folder)


# --------------------------------------------------------------------------------------------
# The code reads as the register says


def test_floors_and_bounds_in_code_are_the_registers(readings):
    # The extractor's qualifier codes are the register's readings of the same words.
    codes = {**numbers.PREFIX_QUALIFIERS, **numbers.INFIX_QUALIFIERS, **numbers.SUFFIX_QUALIFIERS}
    assert codes["以上"] == readings["floor_yishang"].reading == "at_least"
    assert codes["突破"] == readings["floor_tupo"].reading == "more_than"
    assert codes["超过"] == readings["floor_chaoguo"].reading == "more_than"
    assert readings["rounding_step"].reading == derive.ROUNDING_STEP_READING
    assert readings["nearly"].reading == derive.NEARLY_READING
    assert readings["stacked_floor"].reading == "at_least"
    # open_step: 3600余 excludes both 3600 and 3700; below: 近20 excludes 20.
    b = derive.written_bounds(3600, "more_than", "余", "3600")
    assert (b.low, b.high, b.low_open, b.high_open) == (3600, 3700, True, True)
    assert derive.written_bounds(20, "nearly").high_open


def test_tiers_are_the_registers(readings):
    facts = load_facts()
    raw = (ANNOTATIONS_DIR.parent / "raw" / "article.txt").read_text(encoding="utf-8")
    tiers = facts[facts.kind == "tier"]
    assert set(tiers.fact_id) == set(readings["first_tier"].applies_to)
    # The fact holds the whole tier as written (第一方阵), not the ordinal alone.
    assert set(tiers.quote) == set(readings["first_tier"].wording)
    assert all(raw[f.start : f.end] == f.quote for f in tiers.itertuples())
    assert all(
        f.quote.endswith(TIER_WORDS) and f.unit_raw in TIER_WORDS for f in tiers.itertuples()
    )
    # No rank is followed by a tier word: every ordinal that names a tier is a tier.
    ranks = facts[facts.kind == "rank"]
    assert not any(raw.startswith(TIER_WORDS, f.end) for f in ranks.itertuples())


def test_a_quantity_is_the_registers_measurement(readings):
    facts = load_facts()
    assert set(quantity_kinds()) == set(readings["quantity"].kinds)
    mask = is_quantity(facts)
    # Counted by hand from the definition: every fact that is neither a date nor a name's number.
    assert mask.sum() == (~facts.kind.isin(["date", "label"])).sum()


# --------------------------------------------------------------------------------------------
# The verdict rule, as a property

values = st.integers(min_value=0, max_value=60)
floors = st.sampled_from(["at_least", "more_than", "more_than+at_least"])


@st.composite
def outcomes(draw):
    low = draw(values)
    width = draw(st.integers(min_value=0, max_value=15))
    return derive.Bounds(
        low, low + width, draw(st.booleans()) and width > 0, draw(st.booleans()) and width > 0
    )


def _meets(goal: vd.Goal, x: float) -> bool:
    return x > goal.edge if goal.strict else x >= goal.edge


def _inside(b: derive.Bounds, x: float) -> bool:
    return (b.low < x or (b.low == x and not b.low_open)) and (
        x < b.high or (x == b.high and not b.high_open)
    )


@settings(max_examples=300, deadline=None)
@given(target=values, qualifier=floors, kind=st.sampled_from(["count", "level"]), b=outcomes())
def test_a_verdict_follows_when_every_allowed_value_agrees(target, qualifier, kind, b):
    for stacked in ("at_least", "more_than"):
        goal = vd.goal_of(target, qualifier, kind, stacked=stacked)
        # Whole and half values inside the bounds stand for every value they allow.
        grid = [x / 2 for x in range(2 * int(b.low) - 2, 2 * int(b.high) + 3)]
        answers = {_meets(goal, x) for x in grid if _inside(b, x)}
        verdict = vd.judge(goal, b).verdict
        if answers == {True}:
            assert verdict == vd.MET
        elif answers == {False}:
            assert verdict == vd.MISSED
        else:
            assert verdict == vd.NOT_COMPARABLE, "not comparable only when values disagree"


def _register_with(readings, reading_id, taken, alternatives, is_open):
    from dataclasses import replace

    changed = dict(readings)
    changed[reading_id] = replace(
        readings[reading_id], reading=taken, alternatives=alternatives, open=is_open
    )
    return changed


def test_no_verdict_is_not_comparable_when_every_reading_agrees(readings):
    table = vd.verdict_table(readings=readings)
    # Settle every open reading each way: a goal the table calls not comparable is not
    # comparable on each of them, and one that depends on a reading differs between them.
    settled = {}
    for taken in readings["introduced_vs_signed"].allowed:
        others = tuple(a for a in readings["introduced_vs_signed"].allowed if a != taken)
        one = _register_with(readings, "introduced_vs_signed", taken, others, False)
        one = _register_with(one, "stacked_floor", "at_least", ("more_than",), False)
        settled[taken] = vd.verdict_table(readings=one).set_index("target_metric").verdict
    for row in table.itertuples():
        answers = {s[row.target_metric] for s in settled.values()}
        if row.verdict == vd.DEPENDS:
            assert len(answers) > 1
        else:
            assert answers == {row.verdict}


def test_one_reading_for_the_capital_and_the_project_counts(readings):
    # The example: read one way for both, the capital goal is met and the large-project
    # goal missed; read the other way, neither is scored. Never one read each way.
    table = vd.verdict_table(readings=readings).set_index("target_metric")
    rows = table.loc[["capital to introduce", "projects of 1 billion yuan or more to introduce"]]
    assert set(rows.reading_id) == {"introduced_vs_signed"}
    signing = readings["introduced_vs_signed"]
    assert signing.open and signing.reading == "distinct_counts"
    assert set(rows.verdict_taken) == {vd.NOT_COMPARABLE}
    same = _register_with(readings, "introduced_vs_signed", "same_count", (), False)
    flipped = vd.verdict_table(readings=same).set_index("target_metric")
    assert list(flipped.loc[rows.index, "verdict"]) == [vd.MET, vd.MISSED]


def test_the_target_pairs_read_signed_and_introduced_as_the_register_does(readings):
    """A 2019 target and a 2018 result that differ only in 引进 vs 签约 are one measure exactly
    when the register's reading says signed counts as introduced."""
    from gaoxin.data import load_target_pairs

    signing = readings["introduced_vs_signed"]
    pairs = load_target_pairs()
    both = pairs[
        pairs.target_fact_id.isin(signing.applies_to)
        & pairs.result_fact_id.isin(signing.applies_to)
    ]
    assert len(both) >= 2
    if signing.reading == "distinct_counts":
        assert set(both.relation) == {"different_measure"}
    else:
        assert "same_measure" in set(both.relation)


def test_plan_scope_counts_are_not_goals(readings):
    table = vd.verdict_table(readings=readings)
    scope = set(
        load_facts().set_index("fact_id").loc[list(readings["plan_scope"].applies_to)].metric_en
    )
    assert scope and not scope & set(table.target_metric)
    assert scope == set(vd.plan_scope().target_metric)


def test_needed_growth_uses_the_same_bounds_as_the_verdicts():
    facts = load_facts()
    base = vd.fact_bounds(facts[facts.metric_en == "new market entities"].iloc[0])
    need = derive.needed_growth(base, 5000)
    # By hand: 5000 / 3700 − 1 = 35.135…%, 5000 / 3600 − 1 = 38.888…%, both ends excluded.
    assert math.isclose(need.low, 100 * (5000 / 3700 - 1))
    assert math.isclose(need.high, 100 * (5000 / 3600 - 1))
    assert need.low_open and need.high_open


# --------------------------------------------------------------------------------------------
# No notebook holds its own reading, pairing or vocabulary table

# A wording: a string literal of Chinese only (bilingual labels such as "数值 Value" are labels).
WORDING_RE = re.compile(r"""["']([\u4e00-\u9fff、，·…]+)["']""")
TABLE_RE = re.compile(r"^([A-Z][A-Z0-9_]+)\s*=\s*[\[{(]", re.M)


def _code(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _balanced(source: str, start: int) -> str:
    """The bracketed literal that opens at source[start]."""
    depth = 0
    for i in range(start, len(source)):
        if source[i] in "[{(":
            depth += 1
        elif source[i] in "]})":
            depth -= 1
        if depth == 0:
            return source[start : i + 1]
    return source[start:]


def _tables_of_wordings(source: str) -> list[str]:
    found = []
    for match in TABLE_RE.finditer(source):
        body = _balanced(source, match.end() - 1)
        # A wording as a literal element, not as the argument of a lookup (gloss('计划')).
        if any(source_char != "(" for source_char in _preceding(body)):
            found.append(match.group(1))
    return found


def _preceding(body: str) -> list[str]:
    return [body[m.start() - 1] if m.start() else "" for m in WORDING_RE.finditer(body)]


def test_the_table_finder_finds_a_table_of_wordings():
    assert _tables_of_wordings('STAGES = {\n    "引进": "introduced",\n}\n') == ["STAGES"]
    assert _tables_of_wordings('LABELS = {\n    "value": "数值 Value",\n}\n') == []
    assert _tables_of_wordings("PHASE = {\n    True: gloss('计划'),\n}\n") == []
    assert _tables_of_wordings('MARKS = {r.w: r.en for r in rows}\nsay("«国家级»")\n') == []


@pytest.mark.parametrize(
    "path", sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_notebooks_define_no_table_of_chinese_wordings(path):
    """A constant table of Chinese wordings is a reading or a vocabulary: curated data."""
    found = [name for source in _code(path) for name in _tables_of_wordings(source)]
    assert not found, f"{path.name} defines {found}: move them to data/annotations/"


def test_the_verdict_summary_reads_the_same_in_notebook_and_front_page():
    table = vd.verdict_table()
    text = vd.summary(table, 2019)
    names = pd.Series(table.target_metric).map(vd.goal_name)
    # The sentence names every goal met or missed, with its margin, and every dependent one.
    for row, name in zip(table.itertuples(), names):
        if row.verdict in (vd.MET, vd.MISSED):
            assert name in text and row.margin in text
        if row.verdict == vd.DEPENDS:
            assert name in text and row.by_reading in text
    assert load_followup_figures() is not None


def test_the_facts_page_shows_plan_scope_and_thresholds_as_no_goal(readings):
    import re as _re

    from gaoxin import config
    from gaoxin.report.facts_page import facts_page

    page = facts_page(config.DATA_DIR).decode("utf-8")
    for fid in readings["plan_scope"].applies_to:
        row = _re.search(f'<tr id="row-{fid}">(.*?)</tr>', page).group(1)
        assert "计划规模 plan scope" in row and "目标 target" not in row
    tier = _re.search(f'<tr id="row-{readings["first_tier"].applies_to[0]}">(.*?)</tr>', page)
    assert "第一方阵" in tier.group(1) and "tier 方阵" in tier.group(1)
