"""Every rendered reader page states a registered figure one way: the same count of quantities
and of goals everywhere, and the same scorecard sentence on the front page and in notebook 06."""

import html
import re
from pathlib import Path

import pytest

from gaoxin.analysis import verdicts as vd
from gaoxin.data import load_facts
from gaoxin.data.readings import is_quantity
from gaoxin.labels import plan_year
from tests.fixtures import buildsite

pytestmark = pytest.mark.slow

# How the pages speak of a registered figure: '77 quantities', 'of its 77 quantities',
# '13 goals'. A phrase like 'hold 7, 6 and 5 quantities' (per paragraph) is not the total.
QUANTITIES_RE = re.compile(r"(?:its|the article's|of|all|article gives) (\d+) quantities")
GOALS_RE = re.compile(r"(?:[Oo]f (?:the )?|[Tt]he |set )(\d{1,3}) goals\b")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    exports = buildsite.real_site(tmp_path_factory).exports
    found = {}
    for path in [*exports.glob("*.html"), *(exports / "html").glob("*.html")]:
        if path.name == "teacher.html":
            continue
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        found[str(path.relative_to(exports))] = re.sub(r"\s+", " ", html.unescape(text))
    return found


def test_every_page_counts_the_same_quantities(pages):
    registered = int(is_quantity(load_facts()).sum())
    seen = {(name, int(n)) for name, text in pages.items() for n in QUANTITIES_RE.findall(text)}
    assert seen, "the pages speak of the article's quantities"
    assert {n for _, n in seen} == {registered}, sorted(seen)


def test_every_page_counts_the_same_goals(pages):
    registered = len(vd.verdict_table())
    seen = {(name, int(n)) for name, text in pages.items() for n in GOALS_RE.findall(text)}
    assert {n for _, n in seen} == {registered}, sorted(seen)


def test_the_scorecard_sentence_is_one_sentence_in_both_places(pages):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt().renderInline(vd.summary(vd.verdict_table(), plan_year(load_facts())))
    sentence = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", rendered))).strip()
    first = sentence.split(" (")[0]
    assert first in pages["index.html"]
    assert first in pages[str(Path("html") / "06_promises.html")]
    for row in vd.verdict_table().itertuples():
        if row.verdict in (vd.MET, vd.MISSED):
            assert row.margin in pages["index.html"], row.target_metric
