"""Reader editions for readers: narrative, charts, tables and caveats; no exercise, hint, code,
API name, error demonstration, data dictionary or repository path (issue 16, item 5).

The rendered pages are the evidence: every reader HTML page and the text of every PDF of the
project's own build is scanned (tests/readercheck.py); the walkthroughs keep what was moved."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from gaoxin.report.transform import QUOTED_ABOVE, reader_notebook
from tests.fixtures import buildsite
from tests.readercheck import html_problems, pdf_problems, text_problems

# --------------------------------------------------------------------------------------------
# The reader transform, on a notebook made here


def _code(outputs, tags=()):
    cell = nbformat.v4.new_code_cell("x = 1", outputs=outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _markdown(text, tags=()):
    cell = nbformat.v4.new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _shown(markdown):
    return nbformat.v4.new_output("display_data", data={"text/markdown": markdown})


SENTENCE = "数据显示,2018年,衡阳高新区实现地区生产总值同比增长8.6%;财政收入同比增长15.42%。"


def _notebook():
    return nbformat.v4.new_notebook(
        cells=[
            _markdown(
                "# 00 · Title\n\nWhat this covers.\nBy the end you can:\n"
                "- **G1** trace a number;\n- **G2** judge a summary.\n\nMore narrative."
            ),
            _markdown("## A question\n\nThe `period` column and the `facts` table."),
            _code([_shown(f"> {SENTENCE.replace('8.6%', '**8.6%**')}\n>\n> — section «A»")]),
            _code([nbformat.v4.new_output("stream", name="stderr", text="warning\n")]),
            _code([nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])]),
            _markdown("Read with `load_facts()` from `data/processed/facts.csv`.", ["walkthrough"]),
            _code([_shown(f"> {SENTENCE.replace('15.42%', '**15.42%**')}\n>\n> — section «A»")]),
            _code([_shown("claim checked")], ["check"]),
            _markdown("## Caveats\n\n- One source."),
            _markdown("## Exercises\n\nPut your number in `answer`; `hint('00.1')` helps."),
            _markdown("**Exercise 1.** *G1 · apply.* Find a fact."),
            _code([_shown("solution")], ["solution"]),
        ]
    )


def test_reader_notebook_keeps_narrative_and_drops_student_and_code_material():
    source = _notebook()
    reader = reader_notebook(source)
    texts = [c.source for c in reader.cells]
    assert texts[0].startswith("# 00 · Title") and "What this covers." in texts[0]
    assert "G1" not in texts[0] and "By the end" not in texts[0], "goals go to the students"
    assert "More narrative." in texts[0]
    assert "The period column and the facts table." in texts[1], "code marks become words"
    assert not any("Exercise" in t or "hint" in t for t in texts), "no exercise section"
    assert not any("load_facts" in t for t in texts), "walkthrough cells are left out"
    outputs = [o for c in reader.cells if c.cell_type == "code" for o in c.outputs]
    assert all(o.output_type != "error" and o.get("name") != "stderr" for o in outputs)
    assert "claim checked" not in str(outputs) and "solution" not in str(outputs)
    assert any(c.source.startswith("## Caveats") for c in reader.cells)
    # The source notebook (and so the walkthrough and student copy) is untouched.
    assert len(source.cells) == 12 and "G1" in source.cells[0].source


def test_a_long_quote_prints_in_full_once_and_then_as_its_clause():
    reader = reader_notebook(_notebook())
    quotes = [
        o.data["text/markdown"]
        for c in reader.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("data", {}).get("text/markdown", "").startswith("> ")
    ]
    assert len(quotes) == 2
    assert SENTENCE.replace("8.6%", "**8.6%**") in quotes[0], "the first quote is whole"
    assert SENTENCE not in quotes[1].replace("**", "")
    assert quotes[1].startswith("> …财政收入同比增长**15.42%**…"), quotes[1]
    assert quotes[1].endswith(f"({QUOTED_ABOVE})")


# --------------------------------------------------------------------------------------------
# The check itself can fail


def test_the_scan_finds_each_kind_of_forbidden_item():
    page = (
        "<html><head><style>p{}</style></head><body><nav>练习 Student notebook</nav><main>"
        "<h2>Exercises</h2><p>Exercise 1. Use hint(&quot;01.2&quot;).</p>"
        "<p>Loaded by load_target_pairs() from data/annotations/target_pairs.csv.</p>"
        "<p>See gaoxin.data and nv.cite; run python -m gaoxin check.</p>"
        "<p>Traceback (most recent call last):</p><p>LookupError: 0 facts match</p>"
        "<p>value_normalized is raw[start:end] == quote.</p>"
        "<div class='input_area'><pre>x = 1</pre></div><p><code>facts</code></p>"
        "</main></body></html>"
    )
    found = "\n".join(html_problems(page))
    for what in (
        "student heading: 'Exercises'",
        "exercise:",
        "hint:",
        "function call:",
        "loader:",
        "repository path: 'data/'",
        "API name: 'gaoxin.d'",
        "API name: 'nv.c'",
        "command: 'python -m'",
        "traceback:",
        "error message: 'LookupError'",
        "identifier: 'value_normalized'",
        "code expression:",
        "code markup: a <pre> block",
        "code markup: <div class=input_area>",
        "code markup: <code>",
    ):
        assert what in found, f"{what} not found in:\n{found}"
    assert "Student notebook" not in found, "the navigation bar is not content"


def test_the_scan_passes_narrative_in_both_languages():
    page = (
        "<html><body><h1>05 · Results against targets 目标与实绩</h1>"
        "<p>The capital goal «突破200亿元» needs more than 14.3% more than 2018 (derived).</p>"
        "<p>The growth they imply is g = target ÷ result − 1; see notebook 06.</p>"
        "<blockquote><p>衡阳高新区实现地区生产总值同比增长8.6%(同口径)。</p></blockquote>"
        "<table><tr><th>指标 Metric</th><td>new market entities (count)</td></tr></table>"
        "</body></html>"
    )
    assert html_problems(page) == []
    assert text_problems("Key finding. 5 of 30 body paragraphs hold 49% of 77 quantities.") == []


# --------------------------------------------------------------------------------------------
# The project's own reader editions


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return buildsite.real_site(tmp_path_factory)


@pytest.mark.slow
def test_reader_pages_carry_no_exercise_hint_code_api_name_or_path(real):
    pages = sorted((real.exports / "html").glob("*.html"))
    assert len(pages) >= 7
    found = {
        p.name: problems
        for p in pages
        if (problems := html_problems(p.read_text(encoding="utf-8")))
    }
    assert not found, "\n".join(f"{k}: {v[:5]}" for k, v in found.items())


@pytest.mark.slow
def test_reader_pdfs_carry_no_exercise_hint_code_api_name_or_path(real):
    buildsite.need_tool(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    pdfs = sorted((real.exports / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 7
    found = {p.name: problems for p in pdfs if (problems := pdf_problems(p))}
    assert not found, "\n".join(f"{k}: {v[:5]}" for k, v in found.items())


@pytest.mark.slow
def test_walkthroughs_keep_the_code_and_the_moved_sentences(real):
    """The exercises live in the course (gaoxin/report/course), so neither edition has them."""
    for page in sorted((real.exports / "walkthrough").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "Exercise 1." not in text, f"{page.name}: exercises belong to the course"
        assert "<pre" in text, f"{page.name}: the walkthrough shows code"
    walkthrough = (real.exports / "walkthrough" / "00_article.html").read_text(encoding="utf-8")
    assert "data/raw/article.txt" in walkthrough and "python -m gaoxin check" in walkthrough
