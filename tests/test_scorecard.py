"""The front page's scorecard: counts from the verdicts, every target once, links into 06."""

import re

import nbformat

from gaoxin import config
from gaoxin.analysis.claims import heading_anchor
from gaoxin.data import load_facts, load_target_pairs
from gaoxin.data.readings import load_readings
from gaoxin.labels import plan_year
from gaoxin.report.scorecard import scorecard_section

REPORTS = [{"stem": "05_targets"}, {"stem": "06_promises"}]
ITEM = re.compile(
    r'<li class="gx-score gx-score-(\w+)"><a href="html/06_promises\.html#([^"]+)">'
    r'<span class="gx-score-n">(\d+)</span>'
)


def _items() -> list[tuple[str, str, int]]:
    html = scorecard_section(REPORTS, config.DATA_DIR)
    return [(v, anchor, int(n)) for v, anchor, n in ITEM.findall(html)]


def test_every_goal_is_counted_once_in_five_classes():
    items = _items()
    assert [v for v, _, _ in items] == [
        "met",
        "missed",
        "depends_on_reading",
        "not_comparable",
        "not_reported",
    ]
    facts = load_facts()
    pairs = load_target_pairs()
    # Counted independently: the plan year's targets, less the size thresholds inside others and
    # the counts the readings register reads as plan scope.
    thresholds = int((pairs.relation == "size_threshold").sum())
    scope = len(load_readings()["plan_scope"].applies_to)
    targets = int(((facts.period == "target") & (facts.year == plan_year(facts))).sum())
    targets -= thresholds + scope
    assert sum(n for _, _, n in items) == targets


def test_each_count_links_to_a_heading_of_notebook_06():
    nb = nbformat.read(config.NOTEBOOKS_DIR / "06_promises.ipynb", as_version=4)
    headings = {
        heading_anchor(line.lstrip("#").strip())
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    }
    for _, anchor, _ in _items():
        assert anchor in headings


def test_no_scorecard_without_notebook_06_or_for_other_data(tmp_path):
    assert scorecard_section([{"stem": "05_targets"}], config.DATA_DIR) == ""
    assert scorecard_section(REPORTS, tmp_path) == ""
