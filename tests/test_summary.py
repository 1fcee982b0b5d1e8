"""Each notebook's opening as the front page shows it: plain text from Markdown (markdown-it-py),
with its goal list kept a list; the student notebook offered as a download."""

import re

import nbformat

from gaoxin.config import NOTEBOOKS_DIR
from gaoxin.report import site
from gaoxin.report.transform import _plain_markdown, title_and_summary

OPENING = """# 07 · **Example** 例子

This notebook reads [the data](data/x.csv) with `pandas`.
By the end you can:
- **G1** read a *table*;
- **G2** draw ![a chart](x.png) a chart <b>well</b>.

More text after a blank line.
"""


def test_markdown_becomes_text_with_lists_kept():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(OPENING)])
    title, summary = title_and_summary(nb, "07_example")
    assert title == "07 · Example 例子"
    assert summary.splitlines() == [
        "This notebook reads the data with pandas. By the end you can:",
        "- G1 read a table;",
        "- G2 draw a chart well.",
    ]


def test_a_numbered_heading_is_not_a_list():
    assert _plain_markdown(" 1. Intro *one*", blocks=False) == "1. Intro one"


def test_every_notebook_goal_list_is_a_list_on_the_front_page():
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        _, summary = title_and_summary(nbformat.read(path, as_version=4), path.stem)
        html = site.summary_html(summary)
        items = re.findall(r"<li>(G\d) ", html)
        assert html.count("<ul>") == 1 and len(items) >= 3, (path.name, html)
        assert items == [f"G{i}" for i in range(1, len(items) + 1)], path.name
        assert " - " not in html and "**" not in html, path.name


def test_summary_html_escapes():
    html = site.summary_html("a <b>\n- <script>x</script>")
    assert html == "<p>a &lt;b&gt;</p><ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul>"


def test_the_course_is_a_download_in_the_learning_section_only():
    report = {
        "stem": "01_x",
        "title": "T",
        "summary": "S. By the end you can:\n- G1 do a thing",
        "figures": [],
    }
    section = "".join(site._report_section(report))
    assert '<a href="html/01_x.html">' in section
    assert "student/" not in section and "walkthrough/" not in section and "G1" not in section
    learning = "".join(site._learning_section([report]))
    assert f'<a href="{site.COURSE_ZIP}" download>' in learning
    assert '<a href="walkthrough/01_x.html">' in learning
    assert "<li>G1 do a thing</li>" in learning


def test_no_notebook_opening_puts_its_goals_beside_the_report():
    """The reader's side of the front page shows what each report is about, in either
    edition; the goals (the lead and its list) go to the learning section only."""
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        zh = nbformat.v4.new_notebook(
            cells=[c for c in nb.cells if c.get("metadata", {}).get("lang") == "zh-CN"]
        )
        for edition in (nb, zh):
            about, goals = site.split_summary(title_and_summary(edition, path.stem)[1])
            assert about and "G1" not in about and not about.endswith(site.GOALS_LEAD), path.name
            assert goals.startswith(site.GOALS_LEAD) and "- G1 " in goals, path.name


def test_the_front_pages_hold_no_teaching_material_and_link_the_learning_page(strict_build):
    """Goals, walkthroughs and the course live on learn.html (and zh/learn.html); the reader
    front pages only link there."""
    from gaoxin.config import ZH_DIR

    for folder, lead in (("", "By the end"), (f"{ZH_DIR}/", "学完本节")):
        front = (strict_build.exports / f"{folder}index.html").read_text(encoding="utf-8")
        learn = (strict_build.exports / f"{folder}{site.LEARN_PAGE}").read_text(encoding="utf-8")
        for material in (lead, "<li>G1 ", "walkthrough/", site.COURSE_ZIP):
            assert material not in front, (folder, material)
        assert f'href="{site.LEARN_PAGE}"' in front
        assert lead in learn and "<li>G1 " in learn and "walkthrough/" in learn
