"""Site pages: the article as a page (every quantity marked and anchored, escaped, CSS-only)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gaoxin import config
from gaoxin.data import load_exclusions, load_facts, read_raw_text
from gaoxin.report import article_page as ap
from gaoxin.report import facts_page as fpage
from tests import pagecheck
from tests.fixtures import buildsite


class _Marks(HTMLParser):
    """Collects, per marked element id, its class and the text of its link (the highlight)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, dict[str, str]] = {}
        self.ids: list[str] = []
        self.tags: set[str] = set()
        self._stack: list[tuple[str, str | None]] = []
        self._link_of: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if "id" in a:
            self.ids.append(a["id"])
        mark = None
        classes = (a.get("class") or "").split()
        if tag == "span" and "id" in a and ({"gx-q", "gx-x"} & set(classes)):
            mark = a["id"]
            self.marks[mark] = {"class": a["class"], "text": "", "href": ""}
        if tag == "a" and self._stack and self._stack[-1][1]:
            self._link_of = self._stack[-1][1]
            self.marks[self._link_of]["href"] = a.get("href", "")
            self.marks[self._link_of]["describedby"] = a.get("aria-describedby", "")
        self._stack.append((tag, mark))

    def handle_endtag(self, tag):
        while self._stack:
            t, _ = self._stack.pop()
            if t == tag:
                break
        if tag == "a":
            self._link_of = None

    def handle_data(self, data):
        if self._link_of:
            self.marks[self._link_of]["text"] += data


def _parse(page: str) -> _Marks:
    parser = _Marks()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return ap.article_page(config.DATA_DIR).decode("utf-8")


def test_every_fact_and_exclusion_is_an_anchor_whose_highlight_is_its_quote(page):
    facts, exclusions = load_facts(), load_exclusions()
    raw = read_raw_text()
    marks = _parse(page).marks
    assert len(marks) == len(facts) + len(exclusions)
    for row in facts.itertuples():
        mark = marks[row.fact_id]
        assert mark["text"] == row.quote == raw[row.start : row.end], row.fact_id
        assert mark["href"] == f"#{row.fact_id}"
        assert mark["describedby"] == f"{row.fact_id}-row"
    for row in exclusions.itertuples():
        assert marks[row.exclusion_id]["text"] == row.text
        assert "gx-x" in marks[row.exclusion_id]["class"].split()


def test_highlight_colour_follows_the_role(page):
    """Results (running totals too) and goals are coloured; a plan, plan scope and size
    thresholds are not goals, so they share the "other" colour (labels.roles)."""
    from gaoxin.labels import roles

    marks = _parse(page).marks
    expected = {"result": "gx-q-result", "cumulative": "gx-q-result", "target": "gx-q-target"}
    facts = load_facts()
    for row, role in zip(facts.itertuples(), roles(facts), strict=True):
        classes = marks[row.fact_id]["class"].split()
        assert expected.get(role, "gx-q-other") in classes, row.fact_id
    # 三大 in the lead is a target-year figure but plan scope: not coloured as a goal.
    assert "gx-q-other" in marks[facts.loc[facts.quote == "三大", "fact_id"].iloc[0]]["class"]
    # The real article has all three kinds of highlight.
    used = {c for m in marks.values() for c in m["class"].split()}
    assert {"gx-q-result", "gx-q-target", "gx-q-other", "gx-x"} <= used


def test_ids_are_unique_and_the_page_has_no_script_or_outside_reference(page):
    parsed = _parse(page)
    assert len(parsed.ids) == len(set(parsed.ids))
    assert "script" not in parsed.tags
    lowered = page.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    assert "@font-face" in page, "the CJK subset is embedded"


def test_row_shows_metric_value_unit_period_and_qualifier_in_words(page):
    rows = load_facts().set_index("fact_id")
    # A target floor: 以上 must read "or more"; the value is the one in the table, not retyped.
    floor = rows[(rows.qualifier == "at_least") & (rows.period == "target")].iloc[0]
    start = page.index(f'id="{floor.name}-row"')
    row = page[start : page.index("</span></span>", start)]
    assert floor.metric_en in row
    assert "or more" in row and floor.qualifier_raw in row
    assert f"{floor.year} 目标 target" in row
    assert ap.plain_number(floor.value) in row


def test_a_tier_is_shown_as_a_tier_not_a_place(page):
    raw = read_raw_text()
    facts = load_facts()
    # 第一方阵 in the 2019 targets: the article's only ordinal followed by 方阵 ("tier").
    tiers = [f for f in facts.itertuples() if f.kind == "tier"]
    assert len(tiers) == 1 and raw[tiers[0].start : tiers[0].end] == "第一方阵"
    start = page.index(f'id="{tiers[0].fact_id}-row"')
    row = page[start : page.index("</span></span>", start)]
    assert "第一方阵: a tier" in row and "not a place" in row


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (41890000000.0, "41,890,000,000"),
        (2018.0, "2018"),
        (8.6, "8.6"),
        (0.15, "0.15"),
        (1e-05, "0.00001"),
    ],
)
def test_plain_number_never_uses_an_exponent(value, text):
    assert ap.plain_number(value) == text


def test_value_words_give_the_number_as_written_and_in_base_units():
    facts = load_facts()
    row = facts[facts.multiplier == 100000000].iloc[0].to_dict()
    words = ap.value_words(row)
    assert words.startswith(f"{ap.plain_number(row['value'])} {row['unit_raw']} = ")
    assert words.endswith(f"{ap.plain_number(row['value_normalized'])} yuan")


@pytest.mark.slow
def test_a_doctored_article_is_shown_escaped(tmp_path):
    data, outputs = buildsite.doctored_data(tmp_path)
    article = data / "raw" / "article.txt"
    assert "onerror=alert(7)" in json.dumps(outputs["processed/paragraphs.csv"])
    page = ap.article_page(data).decode("utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;doctored&#x27;)&lt;/script&gt;" in page
    # The quantities after the payload are still highlighted at their own offsets.
    facts = load_facts(directory=data / "processed", article=article)
    marks = _parse(page).marks
    gdp = facts[facts.quote == "8.6%"].iloc[0]
    assert marks[gdp.fact_id]["text"] == "8.6%"


def test_no_article_no_page(tmp_path: Path):
    assert ap.article_page(tmp_path) is None
    assert fpage.facts_page(tmp_path) is None


def test_facts_table_links_every_fact_to_its_anchor_in_the_article(page):
    table = fpage.facts_page(config.DATA_DIR).decode("utf-8")
    links = re.findall(r'<th scope="row"><a href="article\.html#([^"]+)">\1</a></th>', table)
    facts = load_facts()
    assert links == list(facts.fact_id), "one row per fact, in reading order"
    anchors = set(_parse(page).marks)
    assert set(links) <= anchors, "every link lands on a highlighted quantity"
    assert "<script" not in table.lower()


def _facts_by_quote() -> dict[str, dict]:
    return {r["quote"]: r for r in load_facts().to_dict(orient="records")}


def test_an_ordinal_is_no_bound_in_the_chinese_table():
    raw = read_raw_text()
    facts = load_facts()
    # 第 before a number makes an ordinal (第3位, 第五届): recorded, but it bounds nothing.
    ordinals = facts[facts.qualifier_raw == "第"]
    assert len(ordinals) >= 3 and all(raw[f.start] == "第" for f in ordinals.itertuples())
    for row in ordinals.to_dict(orient="records"):
        assert fpage.qualifier_zh(row) == "—", row["quote"]
        assert ap.qualifier_words(row.get("qualifier"), row.get("qualifier_raw")) == "—"
    # A real bound still shows as written: 以上 in «5000家以上».
    bound = _facts_by_quote()["5000家以上"]
    assert fpage.qualifier_zh(bound) == "以上"


def test_chinese_values_keep_the_article_measure_word_and_group_by_wan():
    by_quote = _facts_by_quote()
    # 前三名 and 第七名 are places written with 名, not 位; 3600余家 counts firms (家).
    assert fpage.value_zh(by_quote["前三名"]) == "3名"
    assert fpage.value_zh(by_quote["第七名"]) == "7名"
    assert fpage.value_zh(by_quote["3600余家"]) == "3600家"
    # 120万平方米 as the article writes it, not 1200000平方米.
    assert fpage.value_zh(by_quote["120万平方米"]) == "120万平方米"
    table = fpage.facts_page_zh(config.DATA_DIR).decode("utf-8")
    assert "1200000" not in table


def test_an_order_of_magnitude_is_no_point_value():
    scale = _facts_by_quote()["千亿级"]
    assert ap.is_scale(scale)
    words = ap.value_words(scale)
    assert "=" not in words and words == "千亿级: of the order of 100 bn yuan"
    assert fpage.value_zh(scale).startswith("1000亿元量级")
    # A value in 亿元 is a value: it keeps its «=».
    plain = load_facts()
    row = plain[(plain.unit_raw == "亿元")].iloc[0].to_dict()
    assert not ap.is_scale(row) and " = " in ap.value_words(row)


def test_the_legend_counts_results_apart_from_running_totals(page):
    facts = load_facts()
    running = int(facts.cumulative.sum())
    coloured = sum(
        ap.fact_class(r) == "gx-q-result" for r in ap.load_inputs(config.DATA_DIR)["facts"]
    )
    assert running > 0
    assert f"{coloured - running} results and {running} running totals" in page
    zh = ap.article_page_zh(config.DATA_DIR).decode("utf-8")
    assert f"{coloured - running}个实绩，{running}个累计数" in zh


def test_the_chinese_article_page_has_chinese_tooltips():
    zh = ap.article_page_zh(config.DATA_DIR).decode("utf-8")
    rows = re.findall(
        r'<span class="gx-row" id="([^"]+)-row" role="tooltip">(.*?)</span></span>', zh
    )
    assert len(rows) == len(load_facts()) + len(load_exclusions())
    for mark_id, row in rows:
        text = re.sub(r"<[^>]+>", "", row).replace(mark_id, "")
        assert not re.search("[A-Za-z]{3,}", text), (mark_id, text)
    assert "facts.csv中的一行" not in zh


def test_the_legend_speaks_of_the_table_not_of_file_anchors(page):
    legend = page[page.index('<section class="gx-legend"') : page.index("</section>")]
    assert "#F" not in legend and "points at" not in legend
    assert 'href="data/facts.csv"' in legend


def test_a_chinese_citation_names_its_section_in_chinese_only():
    from gaoxin.analysis import narrative as nv
    from gaoxin.data import load_sections

    sections = load_sections().set_index("section_id").title
    facts = load_facts()
    lead = facts[facts.section_id == sections.index[0]].iloc[0]
    # The lead's title is a label («导语 Lead»); the Chinese edition says 导语 only.
    assert sections.iloc[0].split()[0] == "导语" and sections.iloc[0] != "导语"
    assert nv.location_zh(lead).startswith("「导语」部分")
    # A subheading with a space inside keeps all of its Chinese.
    other = facts[facts.section_id == sections.index[2]].iloc[0]
    assert f"「{sections.iloc[2]}」部分" in nv.location_zh(other)


# --------------------------------------------------------------------------------------------
# In the browser: highlights, rows on focus, hover and #fact-id, no script, axe-clean

ROW_STATE = """id => {
  const row = document.getElementById(id + '-row');
  const box = row.getBoundingClientRect();
  return {display: getComputedStyle(row).display, text: row.innerText,
          left: box.left, right: box.right, width: box.width,
          viewport: document.documentElement.clientWidth};
}"""


@pytest.fixture(scope="module")
def article_url(page, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("article") / ap.ARTICLE_PAGE
    path.write_text(page, encoding="utf-8")
    return path.as_uri()


def _open(browser, url: str, width: int = 900):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(url, wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")
    return tab, requests


@pytest.mark.browser
@pytest.mark.parametrize("width", [900, 420])
def test_focusing_each_quantity_shows_its_row_on_screen(browser, article_url, width):
    facts = load_facts()
    tab, requests = _open(browser, article_url, width)
    try:
        shown = tab.evaluate(
            "Array.from(document.querySelectorAll('.gx-row'))"
            ".filter(r => getComputedStyle(r).display !== 'none').length"
        )
        assert shown == 0, "rows are hidden until asked for"
        for row in facts.itertuples():
            highlight = tab.locator(f"#{row.fact_id} > a.gx-qt")
            assert highlight.inner_text() == row.quote, row.fact_id
            highlight.focus()
            state = tab.evaluate(ROW_STATE, row.fact_id)
            assert state["display"] == "block", row.fact_id
            assert row.metric_en in state["text"], row.fact_id
            assert state["width"] > 0 and state["left"] >= 0, (row.fact_id, state)
            assert state["right"] <= state["viewport"], (row.fact_id, state)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, "a row made the page scroll sideways"
        assert tab.evaluate("document.scripts.length") == 0
        assert all(u.startswith(("file:", "data:")) for u in requests), requests
    finally:
        tab.close()


@pytest.mark.browser
def test_hover_and_fragment_show_the_row(browser, article_url):
    fact = load_facts().query("period == 'result'").iloc[0]
    tab, _ = _open(browser, f"{article_url}#{fact.fact_id}")
    try:
        assert tab.evaluate(ROW_STATE, fact.fact_id)["display"] == "block", ":target shows it"
        other = load_facts().query("period == 'target'").iloc[0]
        assert tab.evaluate(ROW_STATE, other.fact_id)["display"] == "none"
        tab.hover(f"#{other.fact_id} > a.gx-qt")
        assert tab.evaluate(ROW_STATE, other.fact_id)["display"] == "block", "hover shows it"
    finally:
        tab.close()


@pytest.mark.browser
def test_article_page_passes_axe(browser, article_url):
    tab, _ = _open(browser, article_url)
    try:
        violations = pagecheck.axe_violations(tab)
        assert not violations, pagecheck.describe(violations)
    finally:
        tab.close()


def test_a_unit_of_another_size_shows_its_value_in_the_base_unit():
    """12公里 is 12 in kilometres: the page gives its metres too, as it does for 万 and 亿."""
    from gaoxin.data import load_facts
    from gaoxin.report.article_page import value_words

    facts = load_facts()
    row = facts[facts.unit_raw == "公里"].iloc[0].to_dict()
    assert value_words(row).endswith(f"= {row['value'] * 1000:,.0f} m"), value_words(row)
