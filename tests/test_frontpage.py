"""Front page: findings collected from executed notebooks, lede and target cards from the data."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from gaoxin import config
from gaoxin.config import FINDING_MIMETYPE
from gaoxin.data import load_facts, read_raw_text
from gaoxin.report import frontpage as fp
from tests import pagecheck


def _notebook(*payloads) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("finding(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": "x", FINDING_MIMETYPE: p})
        for p in payloads
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), cell]
    return nb


def _fact(**criteria) -> dict:
    facts = load_facts()
    mask = pd.Series(True, index=facts.index)
    for column, value in criteria.items():
        mask &= facts[column] == value
    hits = facts[mask]
    assert len(hits) == 1, criteria
    return {k: (None if pd.isna(v) else v) for k, v in hits.iloc[0].to_dict().items()}


def test_findings_are_collected_in_order_with_their_figure_and_anchor():
    nb = _notebook(
        {
            "text": "First **finding**.",
            "figure": "fig1_growth",
            "anchor": "Growth",
            "about": "zone",
        },
        {"text": "Second.", "figure": None, "anchor": None},
    )
    found = fp.collect_findings(nb, "01_industry")
    assert [f["text"] for f in found] == ["First **finding**.", "Second."]
    assert found[0] == {
        "stem": "01_industry",
        "text": "First **finding**.",
        "figure": "fig1_growth",
        "anchor": "Growth",
        "about": "zone",
    }
    assert found[1]["about"] == "zone", "a finding without 'about' is about the zone"


@pytest.mark.parametrize(
    "payload",
    [
        {"text": " ", "figure": None, "anchor": None},
        {"text": "x", "figure": "../../etc", "anchor": None},
        {"text": "x", "figure": None, "anchor": 'a" onmouseover="x'},
    ],
)
def test_bad_findings_stop_the_build(payload):
    with pytest.raises(fp.FindingError, match="01_x: cell 1"):
        fp.collect_findings(_notebook(payload), "01_x")


def test_findings_section_links_the_section_without_thumbnails():
    reports = [
        {
            "stem": "02_innovation",
            "title": "创新 Innovation",
            "figures": [{"name": "fig2_patents", "alt": "Bar chart of patents."}],
            "findings": [
                {
                    "stem": "02_innovation",
                    "text": "Patents: **263** applications <script>alert(1)</script>.",
                    "figure": "fig2_patents",
                    "anchor": "Patents",
                }
            ],
        }
    ]
    section = fp.findings_section(reports)
    assert 'href="html/02_innovation.html#Patents"' in section
    assert "<img" not in section, "no thumbnails: the scorecard chart is the page's one chart"
    assert "<strong>263</strong>" in section
    assert "<script" not in section.lower()
    reports[0]["findings"][0]["figure"] = "fig9_missing"
    with pytest.raises(fp.FindingError, match="fig9_missing"):
        fp.findings_section(reports)


def test_no_findings_no_section():
    assert fp.findings_section([{"stem": "01_a", "title": "A", "figures": []}]) == ""


def test_quantities_in_words_keep_floors_ranks_and_tiers_what_they_are():
    floor = _fact(quote="12%以上", metric_en="GDP growth target")
    assert fp.quantity_words(floor) == "12% or more"
    band = _fact(qualifier="top")
    assert band["quote"] == "前三名"
    assert fp.quantity_words(band) == "within the top 3 (a ranking band)"
    # 进入第一方阵 in the article: a tier, never "No. 1" (the fact holds the whole tier).
    tier = _fact(metric_en="target tier in the national innovation evaluation")
    assert tier["quote"] == "第一方阵"
    words = fp.quantity_words(tier)
    assert words.startswith("a tier") and "第一方阵" in words and "No. 1" not in words
    broke = _fact(quote="突破500亿元")
    assert fp.quantity_words(broke) == "more than 50 bn yuan"
    nearly = _fact(quote="近20家")
    assert fp.quantity_words(nearly) == "nearly 20"


def test_lede_counts_come_from_the_facts():
    facts = load_facts()
    inputs = {"raw": read_raw_text(), "facts": facts, "pairs": None}
    text = fp.lede(inputs)
    report_year = int(facts.loc[facts.period == "result", "year"].max())
    plan_year = int(facts.loc[facts.period == "target", "year"].max())
    results = ((facts.period == "result") & (facts.year == report_year)).sum()
    targets = ((facts.period == "target") & (facts.year == plan_year)).sum()
    assert f"<strong>{results}</strong> figures for {report_year}" in text
    assert f"<strong>{targets}</strong> targets for {plan_year}" in text
    assert "衡阳高新区" in text


def _pairs(rows) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["target_fact_id", "result_fact_id", "relation", "relation_label", "note"]
    )
    return frame.astype("string")


def test_cards_pair_targets_with_results_and_flag_mismatches():
    raw, facts = read_raw_text(), load_facts()
    gdp_target = _fact(metric_en="GDP growth target")["fact_id"]
    gdp = _fact(metric_en="GDP growth")["fact_id"]
    budget = _fact(metric_en="general public budget revenue growth target")["fact_id"]
    fiscal = _fact(metric_en="fiscal revenue growth")["fact_id"]
    tier = _fact(metric_en="target tier in the national innovation evaluation")["fact_id"]
    pairs = _pairs(
        [
            (tier, None, "no_counterpart", "no earlier figure 无对应实绩", ""),
            (budget, fiscal, "different_measure", "different measure 口径不同", "wider"),
            (gdp_target, gdp, "same_measure", "same measure 同一指标", ""),
        ]
    )
    section = fp.cards_section({"raw": raw, "facts": facts, "pairs": pairs})
    section, alone = section.split('<ul class="gx-card-alone">')
    cards = section.split('<li class="gx-card ')[1:]
    assert len(cards) == 2, "same measure first, then the mismatch; the tier has no card"
    assert f'href="article.html#{tier}">第一方阵</a>' in alone and "a tier" in alone
    assert f'href="article.html#{gdp_target}"' in cards[0] and f"#{gdp}" in cards[0]
    assert "⚠" not in cards[0]
    assert cards[1].startswith("gx-card-different_measure") and "⚠" in cards[1]
    lede = fp.lede({"raw": raw, "facts": facts, "pairs": pairs})
    assert "GDP growth «8.6%»" in lede and "fiscal revenue growth «15.42%»" in lede
    # Without thresholds or plan scope in the pairs given, every target of the plan year counts.
    n = int(((facts.period == "target") & (facts.year == facts.year.max())).sum())
    assert f"<strong>{n}</strong> goals" in lede


def test_front_sections_without_a_raw_article_keep_only_findings(tmp_path):
    assert fp.front_sections([], tmp_path) == ""
    assert "gx-lede" in fp.front_sections([], config.DATA_DIR)


# --------------------------------------------------------------------------------------------
# End to end: a notebook that emits a finding, built with the project's data

FINDING_NOTEBOOK = [
    ("markdown", "# 发现 Findings (fixture)\n\nOne chart and one key finding for the front page."),
    (
        "code",
        "import matplotlib.pyplot as plt\n"
        "from gaoxin import charts\n"
        "from gaoxin.analysis.claims import finding\n"
        "from gaoxin.data import load_facts\n"
        "charts.set_style()\n"
        "facts = load_facts()",
    ),
    ("markdown", "## 时期 Results and targets"),
    (
        "code",
        "counts = facts.period.value_counts().rename_axis('period').reset_index(name='facts')\n"
        "fig, ax = plt.subplots(figsize=charts.figsize(2.5))\n"
        "ax.barh(counts.period, counts.facts)\n"
        "charts.show(fig, 'fig1_periods', alt='Bars: facts per period.', data=counts)\n"
        "n = int((facts.period == 'target').sum())\n"
        "finding(f'The article sets **{n}** targets.', figure='fig1_periods',\n"
        "        heading='## 时期 Results and targets')",
    ),
]


@pytest.fixture(scope="module")
def finding_site(tmp_path_factory):
    import io

    from gaoxin.report import build

    root = tmp_path_factory.mktemp("findings")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
        for kind, src in FINDING_NOTEBOOK
    ]
    nbformat.write(nb, notebooks / "01_findings.ipynb")
    log = io.StringIO()
    result = build.build(
        notebooks_dir=notebooks,
        exports_dir=root / "exports",
        cache_dir=root / "cache",
        data_dir=config.DATA_DIR,
        jobs=1,
        out=log,
    )
    assert result.ok, log.getvalue()
    return root / "exports"


@pytest.mark.slow
def test_the_index_leads_with_lede_findings_and_cards(finding_site):
    index = (finding_site / "index.html").read_text(encoding="utf-8")
    targets = int((load_facts().period == "target").sum())
    body = index.index("<body")
    lede, findings, cards, reports = (
        index.index(s, body)
        for s in ('class="gx-lede"', 'class="gx-findings"', 'class="gx-cards"', "报告 Reports")
    )
    assert lede < findings < cards < reports, "lede, findings, cards, then navigation"
    assert f"The article sets <strong>{targets}</strong> targets." in index
    assert "gx-thumb" not in index, "findings carry no thumbnails (the scorecard chart is large)"
    link = re.search(r'href="(html/01_findings\.html#[^"]+)"', index)
    assert link, "the finding links its section"
    page, anchor = link.group(1).split("#")
    report = (finding_site / page).read_text(encoding="utf-8")
    assert f'id="{anchor}"' in report, "the section link points at the heading's id"
    assert (finding_site / "figures/01_findings/fig1_periods.png").is_file()
    assert (finding_site / "article.html").is_file()
    assert 'href="article.html"' in index


@pytest.mark.slow
@pytest.mark.browser
def test_index_with_findings_in_the_browser(finding_site, browser):
    tab = browser.new_page()
    try:
        tab.goto((finding_site / "index.html").as_uri(), wait_until="load")
        loaded = tab.evaluate(
            "Array.from(document.querySelectorAll('img'))"
            ".map(i => i.complete && i.naturalWidth > 0)"
        )
        assert all(loaded), "every image on the index loads"
        violations = pagecheck.axe_violations(tab)
        assert not violations, pagecheck.describe(violations)
        for rel in ("article.html",):
            tab.goto((finding_site / rel).as_uri(), wait_until="load")
            violations = pagecheck.axe_violations(tab)
            assert not violations, f"{rel}:\n{pagecheck.describe(violations)}"
    finally:
        tab.close()


def test_at_most_ten_findings_every_report_first_zone_before_text():
    stems = ["00_article", "01_industry", "02_innovation", "03_infrastructure"]
    stems += ["04_investment", "05_targets", "06_promises"]
    reports = [
        {
            "stem": stem,
            "findings": [{"about": "text" if stem == "00_article" else "zone"} for _ in range(2)],
        }
        for stem in stems
    ]
    chosen = fp.select_findings(reports)
    assert len(chosen) == fp.MAX_FINDINGS == 10
    firsts = [stems[i] for i, k in chosen if k == 0]
    assert firsts == list(fp.READER_ORDER), "every zone report's first finding, promises first"
    assert [stems[i] for i, k in chosen if k == 1] == list(fp.READER_ORDER[:4])
    assert all(stems[i] != "00_article" for i, _ in chosen), "text findings come last"
    assert fp.select_findings([{"findings": [1, 2]}]) == [(0, 0), (0, 1)]
    assert fp.select_findings([]) == []


def test_both_editions_lede_with_the_same_results_and_goals():
    """The Chinese lede names what the English one names: the report year's results and the
    goals, each with its quote as written (「增长8.6%」 → “8.6%”), from one selection."""
    import re

    from gaoxin.analysis.verdicts import plan_scope
    from gaoxin.data import load_target_pairs
    from gaoxin.report.frontpage_zh import _quoted_zh

    facts = load_facts()
    inputs = {
        "raw": read_raw_text(),
        "facts": facts,
        "pairs": load_target_pairs(facts=facts),
        "plan_scope": list(plan_scope().target_metric),
    }
    figures = fp.lede_figures(inputs)
    english = fp.lede(inputs)
    # The article's own 2018 GDP growth and 2019 GDP target lead both lists.
    assert "GDP growth «8.6%»" in english and "GDP growth «12%以上»" in english
    zh = _quoted_zh(facts, figures["delivered"]) + _quoted_zh(facts, figures["examples"])
    assert "地区生产总值增速“8.6%”" in zh and "地区生产总值增速“12%以上”" in zh
    en_quotes = re.findall(r"«([^»]+)»", english)
    zh_quotes = re.findall(r"“([^”]+)”", zh)
    assert en_quotes and en_quotes == zh_quotes
    assert f"<strong>{figures['goals']}</strong> goals" in english


def test_the_chinese_cards_give_each_pairs_reason_as_the_english_do():
    """A ⚠ card or an unpaired target tells the Chinese reader why, from the pair's note_zh."""
    import html

    from gaoxin.report import frontpage_zh

    inputs = fp.load_inputs(config.DATA_DIR)
    english, chinese = fp.cards_section(inputs), frontpage_zh._cards(inputs)
    notes = inputs["pairs"][["note", "note_zh"]].dropna()
    assert len(notes) > 5
    for note, note_zh in notes.itertuples(index=False):
        assert html.escape(note, quote=True) in english
        assert html.escape(note_zh, quote=True) in chinese, note_zh
