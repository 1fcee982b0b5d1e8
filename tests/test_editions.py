"""Two editions from one execution (issue 18): each sentence, title, caption, chart and caveat in
both languages, the same numbers in both, and a build that refuses anything else.

Unit tests work on small notebooks made here; the build tests build one bilingual notebook
against the fixture data (tests/fixtures/buildsite.py) and check both editions' files, their
`lang` and their links to each other; a Chinese sentence that states another number than its
English twin fails the build, naming the notebook and the cell.
"""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from gaoxin.config import (
    EN,
    FIGURE_MIMETYPE,
    FINDING_MIMETYPE,
    LANG_KEY,
    NOTEBOOKS_DIR,
    ZH,
    ZH_MARKDOWN_MIMETYPE,
)
from gaoxin.report import build
from gaoxin.report.editions import _differ, disagreements, edition, numbers
from tests.fixtures.buildsite import fixture_data


def _zh(source: str):
    cell = new_markdown_cell(source)
    cell.metadata[LANG_KEY] = ZH
    return cell


def _say(en: str, zh: str | None):
    data = {"text/markdown": en}
    if zh is not None:
        data[ZH_MARKDOWN_MIMETYPE] = zh
    cell = new_code_cell("nv.say(...)")
    cell.outputs = [new_output("display_data", data=data)]
    return cell


def _nb(cells, bilingual=True):
    nb = new_notebook(cells=cells)
    if bilingual:
        nb.metadata["gaoxin"] = {"editions": [EN, ZH]}
    return nb


def test_numbers_are_compared_as_stated_in_either_language():
    assert numbers("grew 8.5% to 1,200 firms") == numbers("增长8.5%，达到1200家")
    # An English amount in bn or m yuan stands beside the 亿元 form the Chinese uses.
    assert numbers("4.19 bn yuan (41.89亿元)", english=True) == numbers("41.89亿元")
    assert numbers("8.5%") != numbers("8.6%")
    # An amount in billions or millions agrees with its 亿元 or 万元 in the Chinese, not another.
    assert _differ("projects of 1 billion yuan or more", "10亿元以上的项目") is None
    assert _differ("projects of 100 million yuan or more", "1亿元以上的项目") is None
    assert _differ("a grant of 1.5 m yuan", "补助150万元") is None
    assert _differ("0.96 bn yuan (9.63亿元)", "9.63亿元") is None
    assert _differ("0.96 bn yuan", "9.8亿元") is not None
    assert "only in Chinese: 2" in _differ("projects of 1 billion yuan or more", "2亿元以上的项目")


def test_a_chinese_number_grouped_by_wan_agrees_with_the_whole_english_number():
    # 1.2万米 is 12,000 m and 120万平方米 is 1,200,000 m²; the digits before 万 need no twin.
    assert _differ("roads of 12,000 m", "道路1.2万米") is None
    assert _differ("1,200,000 m² («120万平方米»)", "120万平方米（“120万平方米”）") is None
    assert _differ("1,300,000 m²", "120万平方米") is not None
    assert "only in Chinese: 120" in _differ("1,300,000 m²", "120万平方米")


def test_a_complete_bilingual_notebook_has_no_disagreement():
    nb = _nb(
        [
            new_markdown_cell("# 05 · Targets"),
            _zh("# 05 · 目标"),
            _say("GDP grew 8.5%.", "地区生产总值增长8.5%。"),
        ]
    )
    assert disagreements(nb, "05") == []


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([new_markdown_cell("Only English here.")], "English only"),
        ([_zh("只有中文。")], "without the English"),
        ([_say("GDP grew.", None)], "English only"),
        ([_say("GDP grew 8.5%.", "地区生产总值增长8.6%。")], "only in Chinese: 8.6"),
        ([new_markdown_cell("# 05 · Target"), _zh("# 06 · 目标")], "only in Chinese: 6"),
    ],
    ids=["markdown-en-only", "markdown-zh-only", "output-en-only", "output-number", "heading"],
)
def test_a_sentence_in_one_language_or_a_different_number_is_reported(cells, expected):
    problems = disagreements(_nb(cells), "05")
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith("05: cell 0") or problems[0].startswith("05: cell 1")


def test_charts_and_findings_need_their_chinese():
    figure = new_code_cell("charts.publish(...)")
    payload = {"name": "fig1", "alt": "Bars: 3 of 10.", "svg": "", "csv": "", "takeaway": "3"}
    figure.outputs = [new_output("display_data", data={FIGURE_MIMETYPE: payload})]
    found = new_code_cell("claims.finding(...)")
    found.outputs = [
        new_output("display_data", data={FINDING_MIMETYPE: {"text": "x", "anchor": None}})
    ]
    problems = disagreements(_nb([figure, found]), "05")
    assert any("no Chinese image" in p for p in problems), problems
    assert any("finding without its Chinese" in p for p in problems), problems
    payload["zh"] = {"alt": "柱状图：10个中有4个。", "takeaway": "3", "png": "", "svg": ""}
    figure.outputs = [new_output("display_data", data={FIGURE_MIMETYPE: payload})]
    problems = disagreements(_nb([figure]), "05")
    assert problems and "alt text" in problems[0] and "4" in problems[0], problems


def test_a_table_caption_needs_its_chinese_and_the_chinese_edition_shows_it():
    from gaoxin.config import ZH_HTML_MIMETYPE

    table = new_code_cell("present(...)")
    en_html = "<table><caption>Targets</caption></table>"
    table.outputs = [new_output("display_data", data={"text/html": en_html})]
    assert "caption in English only" in disagreements(_nb([table]), "05")[0]
    zh_html = "<table><caption>目标</caption></table>"
    data = {"text/html": en_html, ZH_HTML_MIMETYPE: zh_html}
    table.outputs = [new_output("display_data", data=data)]
    nb = _nb([table])
    assert disagreements(nb, "05") == []
    assert edition(nb, ZH).cells[0].outputs[0]["data"] == {"text/html": zh_html}
    assert edition(nb, EN).cells[0].outputs[0]["data"] == {"text/html": en_html}


def test_walkthrough_cells_and_exercises_stay_english_only():
    walk = new_markdown_cell("The pairs are in `target_pairs.csv`.")
    walk.metadata["tags"] = ["walkthrough"]
    nb = _nb([walk, new_markdown_cell("## Exercises"), new_markdown_cell("1. Compute 2 + 2.")])
    assert disagreements(nb, "05") == []


def test_an_english_only_notebook_is_not_checked():
    assert disagreements(_nb([new_markdown_cell("Only English.")], bilingual=False)) == []


def test_each_edition_keeps_one_language():
    nb = _nb([new_markdown_cell("# Title"), _zh("# 标题"), _say("It grew.", "增长了。")])
    en, zh = edition(nb, EN), edition(nb, ZH)
    assert [c.source for c in en.cells if c.cell_type == "markdown"] == ["# Title"]
    assert [c.source for c in zh.cells if c.cell_type == "markdown"] == ["# 标题"]
    assert en.cells[-1].outputs[0]["data"] == {"text/markdown": "It grew."}
    assert zh.cells[-1].outputs[0]["data"] == {"text/markdown": "增长了。"}


# ------------------------------------------------------------------------------ the notebooks

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
# Calls that show reader prose or a chart; in a bilingual notebook each passes its Chinese.
NEEDS_ZH = {"say": "zh", "finding": "zh", "publish": "zh"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_bilingual_notebooks_pair_every_cell_and_call(path):
    """The source-level half of the agreement (the executed half runs in every build):
    Markdown twins, and a Chinese argument on every prose and chart call."""
    import ast

    nb = nbformat.read(path, as_version=4)
    if ZH not in nb.metadata.get("gaoxin", {}).get("editions", []):
        pytest.skip(f"{path.stem} declares no Chinese edition yet")
    problems = [p for p in disagreements(nb, path.stem) if "outputs" not in p]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or {"solution", "walkthrough"} & set(
            cell.metadata.get("tags", [])
        ):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            given = {k.arg for k in node.keywords}
            if name in NEEDS_ZH and NEEDS_ZH[name] not in given:
                problems.append(f"cell {i}: {name}(...) without zh=")
            if name == "present" and "caption" in given and "caption_zh" not in given:
                problems.append(f"cell {i}: present(..., caption=) without caption_zh=")
    assert not problems, f"{path.stem}: {problems}"


# ------------------------------------------------------------------------------ one build

BILINGUAL = [
    new_markdown_cell("# 01 · Domains (fixture)\n\nHow many facts each domain holds."),
    _zh("# 01 · 各领域（测试）\n\n各领域各有多少条事实。"),
    new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "\n"
        "from gaoxin import charts\n"
        "from gaoxin.analysis import claims\n"
        "from gaoxin.analysis import narrative as nv\n"
        "\n"
        "charts.set_style()\n"
        'data = pd.DataFrame({"domain": ["industrial", "innovation"], "facts": [12, 7]})'
    ),
    new_markdown_cell("## Which domain holds most?"),
    _zh("## 哪个领域最多？"),
    new_code_cell(
        "fig, ax = plt.subplots(figsize=charts.figsize(2))\n"
        "ax.barh([charts.label(d) for d in data.domain], data.facts)\n"
        'ax.set_xlabel("Facts")\n'
        "top = data.facts.max()\n"
        "charts.publish(\n"
        '    fig, "fig1_domains", f"Industry holds {top} facts", f"Bars: industry {top}.",\n'
        '    data, "一、2018年回顾",\n'
        "    zh=charts.zh(\n"
        '        f"产业有{top}条事实", f"条形图：产业{top}条。", {"Facts": "事实（条）"}\n'
        "    ),\n"
        ")"
    ),
    new_code_cell(
        'nv.say(f"Industry holds **{top}** facts.", zh=f"产业有**{top}**条事实。")\n'
        "claims.finding(\n"
        '    f"Industry holds {top} facts.", figure="fig1_domains",\n'
        '    heading="## Which domain holds most?", zh=f"产业有{top}条事实。",\n'
        '    heading_zh="## 哪个领域最多？",\n'
        ")"
    ),
]


def _build_bilingual(root: Path, cells) -> tuple[build.BuildResult, str, Path]:
    notebooks = root / "notebooks"
    notebooks.mkdir(parents=True)
    nb = _nb(cells)
    nb.metadata["kernelspec"] = {"name": "gaoxin", "display_name": "Python (gaoxin)"}
    nbformat.write(nb, notebooks / "01_domains.ipynb")
    data = fixture_data(root)
    log = io.StringIO()
    result = build.build(
        notebooks_dir=notebooks,
        exports_dir=root / "exports",
        cache_dir=root / "cache",
        data_dir=data,
        jobs=1,
        out=log,
    )
    return result, log.getvalue(), root / "exports"


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory):
    result, log, exports = _build_bilingual(tmp_path_factory.mktemp("editions"), BILINGUAL)
    assert result.ok, log
    return exports


@pytest.mark.build
def test_one_build_gives_both_editions_linked_with_their_lang(bilingual_site):
    exports = bilingual_site
    en = (exports / "html" / "01_domains.html").read_text(encoding="utf-8")
    zh = (exports / "zh" / "html" / "01_domains.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and '<html lang="zh-CN">' in zh
    assert 'href="../zh/html/01_domains.html"' in en
    assert 'href="../../html/01_domains.html"' in zh
    assert "产业有<strong>12</strong>条事实" in zh and "Industry holds <strong>12</strong>" in en
    assert "产业有" not in en and "Industry holds" not in zh
    for name in ("01_domains.pdf",):
        assert (exports / "pdf" / name).is_file() and (exports / "zh" / "pdf" / name).is_file()
    en_png = exports / "figures" / "01_domains" / "fig1_domains.png"
    zh_png = exports / "zh" / "figures" / "01_domains" / "fig1_domains.png"
    assert en_png.read_bytes() != zh_png.read_bytes()
    assert re.search(r'alt="条形图：产业12条。"', zh), "the Chinese image has the Chinese alt"
    walkthrough = (exports / "walkthrough" / "01_domains.html").read_text(encoding="utf-8")
    assert "产业有<strong>" not in walkthrough, "the walkthrough shows the English output"


def pdf_lang(path: Path) -> str | None:
    """The /Lang of a PDF's catalog (what screen readers pronounce it in)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as f:
        lang = resolve1(PDFDocument(PDFParser(f)).catalog.get("Lang"))
    return lang.decode() if isinstance(lang, bytes) else lang


@pytest.mark.build
def test_each_pdf_declares_its_language_and_stays_tagged(bilingual_site):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    for path, lang in (
        (bilingual_site / "pdf" / "01_domains.pdf", "en"),
        (bilingual_site / "zh" / "pdf" / "01_domains.pdf", "zh-CN"),
    ):
        assert pdf_lang(path) == lang, path
        with path.open("rb") as f:
            assert "StructTreeRoot" in PDFDocument(PDFParser(f)).catalog, f"{path} is untagged"


@pytest.mark.build
def test_a_chinese_sentence_with_another_number_fails_the_build(tmp_path):
    cells = [*BILINGUAL]
    cells[-1] = new_code_cell(
        'nv.say(f"Industry holds **{top}** facts.", zh=f"产业有**{top + 1}**条事实。")'
    )
    result, log, exports = _build_bilingual(tmp_path, cells)
    assert not result.ok
    assert "01_domains" in log and "editions disagree" in log and "only in Chinese: 13" in log
    assert not (exports / "html").exists(), "nothing is published"
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)


def test_escaped_characters_are_not_numbers():
    assert numbers("the year&#x27;s count") == set()


# ------------------------------------------------------------------------------ site pages


def test_chinese_site_pages_declare_their_language_and_link_their_twins(strict_build):
    """Read from the session's strict build (rendering the four pages anew takes 11 s)."""
    from gaoxin.config import ZH_DIR
    from gaoxin.report import site

    zh = strict_build.exports / ZH_DIR
    pages = {f"{ZH_DIR}/{p.name}": p.read_text(encoding="utf-8") for p in zh.glob("*.html")}
    assert set(pages) == {"zh/index.html", "zh/article.html", "zh/facts.html", "zh/learn.html"}
    for rel, text in pages.items():
        assert '<html lang="zh-CN">' in text, rel
        twin = "../index.html" if rel == "zh/index.html" else f"../{rel.removeprefix('zh/')}"
        assert f'href="{twin}" lang="en" hreflang="en"' in text, rel
    for rel in ("article.html", "facts.html", site.LEARN_PAGE):
        text = (strict_build.exports / rel).read_text(encoding="utf-8")
        assert f'href="zh/{rel}" lang="zh-CN" hreflang="zh-CN"' in text, rel


def test_the_chinese_verdict_sentence_states_the_english_numbers():
    from gaoxin.analysis.verdicts import summary, summary_zh, verdict_table
    from gaoxin.data import load_facts
    from gaoxin.labels import plan_year

    verdicts, year = verdict_table(), plan_year(load_facts())
    assert _differ(summary(verdicts, year), summary_zh(verdicts, year)) is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_chinese_reader_edition_keeps_the_opening_paragraph(path):
    """The goals and the line that introduces them are left out; what the notebook covers stays."""
    from gaoxin.report.transform import reader_notebook

    nb = nbformat.read(path, as_version=4)
    if ZH not in nb.metadata.get("gaoxin", {}).get("editions", []):
        pytest.skip(f"{path.stem} declares no Chinese edition yet")
    opening = reader_notebook(edition(nb, ZH), ZH).cells[0].source
    lines = [line for line in opening.splitlines() if line.strip()]
    assert lines[0].startswith("# ") and len(lines) >= 2 and "报告" in opening, opening
    assert "**G1**" not in opening and "你能够" not in opening


# ------------------------------------------------------------------ English in the Chinese tables
# A Chinese reader table shows no English phrase: a run of 3+ Latin letters in a <td>/<th> of the
# Chinese edition is English unless it is an identifier (fact ids, hashes), a URL, a word the
# article itself writes in Latin letters (a name such as GDP), or the English title of a source
# (the metadata tables' "英文标题" row, which is that title by definition).
_TABLE_CELL = re.compile(r"<(td|th)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_ALLOWED = (
    re.compile(r"https?://\S+"),  # URLs
    re.compile(r"\b[0-9a-f]{32,}\b"),  # hashes
    re.compile(r"\b[A-Z]\d{3,}\b"),  # ids: F01234, X00019
)
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


def _latin_words_of_the_article() -> set[str]:
    from gaoxin.data import read_raw_text

    return set(re.findall(r"[A-Za-z]{3,}", read_raw_text()))


def _source_titles() -> set[str]:
    from gaoxin.source import load_later_sources, load_source

    return {load_source().title_en} | {s.title_en for s in load_later_sources().values()}


def english_cells(page: str, names: set[str], titles: set[str]) -> list[str]:
    """The table cells of a page that hold English (see above)."""
    import html as html_lib

    found = []
    for m in _TABLE_CELL.finditer(page):
        text = html_lib.unescape(_TAG.sub("", m.group(2))).strip()
        if text in titles:
            continue
        rest = text
        for allowed in _ALLOWED:
            rest = allowed.sub(" ", rest)
        if any(w not in names for w in _ENGLISH.findall(rest)):
            found.append(text)
    return found


def test_the_english_check_finds_english_and_passes_ids_urls_and_names():
    page = (
        "<table><tr><th>算式 Formula</th><td>nested, at least</td><td>嵌套，至少</td>"
        "<td>F01234</td><td>转载副本：http://example.com/n/1.html</td>"
        f"<td>{'ab12' * 10}</td><td>GDP增速</td><td>Some Title</td></tr></table>"
    )
    assert english_cells(page, {"GDP"}, {"Some Title"}) == ["算式 Formula", "nested, at least"]


def test_the_chinese_reader_tables_hold_no_english(strict_build):
    from gaoxin.config import ZH_DIR

    zh = strict_build.exports / ZH_DIR
    pages = [*sorted((zh / "html").glob("*.html")), zh / "index.html", zh / "facts.html"]
    names, titles = _latin_words_of_the_article(), _source_titles()
    found = {}
    for page in pages:
        cells = english_cells(page.read_text(encoding="utf-8"), names, titles)
        if cells:
            found[page.name] = cells
    assert len(pages) > 3 and all(p.exists() for p in pages)
    assert not found, f"English in the Chinese edition's tables: {found}"


def test_a_chinese_count_margin_takes_the_targets_own_measure_word():
    """A count's margin is in the word its target is written in (5000家以上 → 家), so one count
    is not 家 in the target and 个 in its margin; every count target's margin ends in its word."""
    from gaoxin.analysis.verdicts import verdict_table
    from gaoxin.data import load_facts

    facts = load_facts().set_index("fact_id")
    verdicts = verdict_table()
    counts = verdicts[(verdicts.unit == "count") & (verdicts.margin_zh != "—")]
    assert len(counts), "some count target has a margin"
    for row in counts.itertuples():
        word = facts.loc[row.fact_id, "unit_raw"]
        assert word in row.target_quote, (row.target_quote, word)
        assert row.margin_zh.endswith(word), (row.target_quote, row.margin_zh)


def test_bold_renders_between_chinese_characters():
    """Through the exporter's own Markdown filter: a bold run beside CJK punctuation renders whole,
    its punctuation inside (inline HTML tags would lose their text there)."""
    from gaoxin.report.editions import strong_for_chinese
    from gaoxin.report.render import _exporter

    to_html = _exporter(True).environment.filters["markdown2html"]
    for markdown, bold in (
        ("**41%**的绿化率", "41%"),
        ("是**“第一方阵”**是", "“第一方阵”"),
        ("有**12**条", "12"),
        ("- **“累计”的歧义**。", "“累计”的歧义"),
    ):
        shown = to_html({"cell": {}}, strong_for_chinese(markdown))
        assert f"<strong>{bold}</strong>" in shown and "**" not in shown, shown
    assert strong_for_chinese(r"\*\*不是\*\*与 a ** b") == r"\*\*不是\*\*与 a ** b"


@pytest.mark.build
def test_no_reader_page_shows_a_markdown_marker(strict_build):
    """A bold or italic run the Markdown renderer could not close shows its asterisks to the
    reader; no reader page, in either edition, does (article quotes hold no asterisk)."""
    from gaoxin.config import ZH_DIR

    exports = strict_build.exports
    pages = [*(exports / "html").glob("*.html"), *(exports / ZH_DIR / "html").glob("*.html")]
    pages += [exports / "index.html", exports / ZH_DIR / "index.html"]
    shown = {}
    for page in pages:
        if "<strong></strong>" in page.read_text(encoding="utf-8"):
            shown[page.name] = "an empty <strong>: its text fell out of the bold"
            continue
        text = re.sub(
            r"<(style|script|pre|code)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S
        )
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        if "**" in text:
            at = text.index("**")
            shown[page.name] = text[max(0, at - 30) : at + 30]
    assert len(pages) >= 16 and not shown, shown


def test_a_quote_inside_a_quote_takes_single_marks_in_chinese():
    from gaoxin.report.editions import nested_quotes_zh

    assert nested_quotes_zh("报道称之为“刷新了项目推进的“高新速度””。") == (
        "报道称之为“刷新了项目推进的‘高新速度’”。"
    )
    assert nested_quotes_zh("实施“产业项目建设年”行动") == "实施“产业项目建设年”行动"
    assert nested_quotes_zh("不成对的“引号") == "不成对的“引号"
