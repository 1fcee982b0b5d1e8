"""Site-wide files: the data folder (tables, workbook, headline numbers) and the site's pages.

Each page is one function returning its HTML; ``site_files`` collects them. A new page is a new
function plus one line in ``site_files``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from gaoxin.report.cache import tool_versions
from gaoxin.report.course import BUNDLE_ZIP
from gaoxin.report.errors import BuildError
from gaoxin.report.package import export_tables
from gaoxin.report.render import render_page
from gaoxin.report.workbook import WORKBOOK_NAME, workbook_bytes
from gaoxin.source import load_source

HEADLINE_NAME = "headline.json"
FIGURE_FORMATS = ("png", "svg", "csv")
PERIOD_WORDS = {"result": "实绩 result", "target": "目标 target"}
# Kinds that name or date something rather than measure it (vocabulary of gaoxin.data's schema).
NOT_MEASURED = ("date", "label")


# ------------------------------------------------------------------------------ data files


def _densest_paragraph(facts: Any, period: str) -> Any:
    """Measured facts of the paragraph that states the most of them for one period."""
    measured = facts[(facts["period"] == period) & ~facts["kind"].isin(NOT_MEASURED)]
    if measured.empty:
        return measured
    counts = measured.groupby("paragraph_id", sort=False).size()
    # The densest paragraph; ties go to the earlier one (first in table order).
    return measured[measured["paragraph_id"] == counts.idxmax()]


def headline_numbers(facts: Any, source_name: str = "facts.csv") -> dict[str, Any]:
    """The article's headline figures for the landing page: the paragraph that reports the most
    results and the one that sets the most targets, from the validated facts table."""
    if facts is None or facts.empty:
        return {}
    items: list[dict[str, str]] = []
    for period, words in PERIOD_WORDS.items():
        for _, r in _densest_paragraph(facts, period).iterrows():
            year = "" if r["year"] is None or str(r["year"]) == "<NA>" else f"{r['year']} "
            label = f"{year}{words}: {r['metric_en']}"
            items.append({"label": label, "value": str(r["quote"]), "fact_id": str(r["fact_id"])})
    if not items:
        items = [{"label": "事实 Facts extracted", "value": str(len(facts))}]
    return {"source": source_name, "facts": len(facts), "items": items}


def load_headline(data_dir: Path) -> dict[str, Any]:
    """Headline numbers of a data folder (none without a facts table); bad data stops the build."""
    from gaoxin.config import ARTICLE_PATH
    from gaoxin.data import DataError, load_facts

    processed = data_dir / "processed"
    if not (processed / "facts.csv").is_file():
        return {}
    article = data_dir / "raw" / "article.txt"
    article = article if article.is_file() else ARTICLE_PATH
    try:
        facts = load_facts(directory=processed, article=article)
    except DataError as exc:
        raise BuildError(f"{processed / 'facts.csv'}: {exc}") from None
    return headline_numbers(facts)


# ------------------------------------------------------------------------------ pages


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _headline_section(headline: dict[str, Any]) -> list[str]:
    if not headline.get("items"):
        return []
    parts = ['<h2>要点 Headline numbers</h2><ul class="gx-headline">']
    for item in headline["items"]:
        parts.append(f"<li><strong>{_esc(item['value'])}</strong>{_esc(item['label'])}</li>")
    parts.append(
        f'</ul><p class="gx-figures">Quoted as written (以上 = "or more", 余 = "more than"); '
        f'from <a href="data/{_esc(HEADLINE_NAME)}">{_esc(HEADLINE_NAME)}</a>, selected by rule '
        f"from {_esc(headline['source'])} ({headline.get('facts', '?')} facts).</p>"
    )
    return parts


def summary_html(summary: str) -> str:
    """A notebook's summary (plain text, gaoxin.report.transform) as HTML: a line starting "- "
    is a list item, any other line a paragraph."""
    parts: list[str] = []
    items: list[str] = []
    for line in [*summary.splitlines(), ""]:
        if line.startswith("- "):
            items.append(f"<li>{_esc(line[2:])}</li>")
            continue
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line:
            parts.append(f"<p>{_esc(line)}</p>")
    return "".join(parts)


# A notebook summary's learning goals start at this line (the first cell's list of goals), in
# either edition.
GOALS_LEAD = ("By the end you can", "学完本节")


def split_summary(summary: str) -> tuple[str, str]:
    """A notebook summary as (what the report is about, the learning goals for students). The
    lead may start a line or end the opening paragraph (Markdown joins a paragraph's lines)."""
    starts = [at for at in (summary.find(lead) for lead in GOALS_LEAD) if at >= 0]
    if not starts:
        return summary, ""
    return summary[: min(starts)].rstrip(), summary[min(starts) :]


def _report_section(report: dict[str, Any]) -> list[str]:
    """A report for readers: what it is about, its two reader formats, its charts."""
    stem = report["stem"]
    about, _ = split_summary(report["summary"])
    links = [(f"html/{stem}.html", "报告 Report (HTML)"), (f"pdf/{stem}.pdf", "PDF (A4)")]
    anchors = "".join(f'<a href="{_esc(h)}">{_esc(t)}</a>' for h, t in links)
    parts = [
        f'<section class="gx-report" id="{_esc(stem)}"><h2>{_esc(report["title"])}</h2>'
        f'{summary_html(about)}<p class="gx-links">{anchors}</p>'
    ]
    if report["figures"]:
        parts.append('<ul class="gx-figures">')
        for fig in report["figures"]:
            base = f"figures/{stem}/{fig['name']}"
            files = " · ".join(
                f'<a href="{_esc(base)}.{ext}">{ext.upper()}</a>' for ext in FIGURE_FORMATS
            )
            parts.append(f"<li>{_esc(fig['alt'])} — {files}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return parts


# The course for students: one zip of notebooks that run without this project.
COURSE_ZIP = BUNDLE_ZIP


def _learning_section(reports: list[dict[str, Any]], course: bool = True) -> list[str]:
    """Apart from the reports: each notebook's goals and its walkthrough with code, and the
    course for students. (The teacher's kit holds answers, so no page students see links to it.)"""
    parts = [
        '<section class="gx-learning" aria-labelledby="learning-h">'
        '<h2 id="learning-h">代码讲解与课程 Walkthroughs and the course</h2>'
        "<p>Each report is also a notebook, and its walkthrough shows the code."
        + (
            f' Students get <a href="{COURSE_ZIP}" download>the course (练习, a zip)</a>: seven '
            "notebooks in plain pandas and matplotlib over the exported tables, with exercises "
            "and self-checks, that run without this project."
            if course
            else ""
        )
        + "</p>"
    ]
    for report in reports:
        stem = report["stem"]
        _, goals = split_summary(report["summary"])
        anchor = f'<a href="walkthrough/{_esc(stem)}.html">代码 Walkthrough (HTML)</a>'
        parts.append(
            f'<h3>{_esc(report["title"])}</h3>{summary_html(goals)}<p class="gx-links">{anchor}</p>'
        )
    parts.append("</section>")
    return parts


def index_page(
    reports: list[dict[str, Any]],
    headline: dict[str, Any],
    key: str,
    front: str = "",
    course: bool = False,
) -> str:
    """The landing page: lede, findings and target cards (``front``, from gaoxin.report.frontpage)
    or else the headline numbers, every report for readers, the data, then apart the notebooks
    for students and analysts."""
    from gaoxin.report import frontpage

    parts = [
        '<nav class="gx-nav" aria-label="Site"><a href="zh/index.html" lang="zh-CN" '
        'hreflang="zh-CN">中文版</a></nav>',
        "<h1>衡阳高新区 2019 工作会新闻报道 — 数据分析 Reports</h1>",
        "<p>Analysis of a news report about the 2019 work conference of the Hengyang "
        f"National High-tech Zone ({_esc(load_source().byline)}). "
        "Every report is a web page and a print edition (PDF).</p>",
    ]
    if front:
        parts.append(front)
    if "gx-cards" not in front:
        parts += _headline_section(headline)
    parts.append("<h2>报告 Reports</h2>")
    for report in reports:
        parts += _report_section(report)
    parts += [
        '<h2>数据 Data</h2><p>Download the data behind the reports: <a href="data/index.html">'
        f'every table as CSV</a>, or <a href="data/{WORKBOOK_NAME}">one Excel workbook</a> '
        "(one sheet per table).</p>",
    ]
    parts.append(
        f'<p class="gx-learn-link"><a href="{LEARN_PAGE}">For students and analysts: the code '
        "walkthroughs and the course →</a></p>"
    )
    css = (frontpage.page_css(),) if front else ()
    return render_page("衡阳高新区 2019 — reports", "\n".join(parts), "gx-index", extra_css=css)


# Teaching material has its own page: the reader front page only links to it.
LEARN_PAGE = "learn.html"


def learn_page(reports: list[dict[str, Any]], course: bool = False) -> str:
    """learn.html: each report's goals and walkthrough, and the course, apart from the reports."""
    parts = [
        '<nav class="gx-nav" aria-label="Site"><a href="index.html">← Reports</a>'
        f'<a href="zh/{LEARN_PAGE}" lang="zh-CN" hreflang="zh-CN">中文版</a></nav>',
        "<h1>学习 Learning with the reports</h1>",
        *_learning_section(reports, course),
    ]
    return render_page("衡阳高新区 2019 — learning", "\n".join(parts), "gx-index")


def data_page(names: list[str], key: str = "") -> str:
    """data/index.html: the folder's files, so the index's data/ link needs no server listing,
    and the build's stamps for analysts (the inputs' hash, the tools' versions)."""
    listing = "".join(f'<li><a href="{_esc(n)}">{_esc(n)}</a></li>' for n in names)
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions().items() if v != "absent")
    stamps = (
        f'<footer class="gx-footer"><p>Source hash {_esc(key)}</p><p>Tools: {_esc(versions)}</p>'
        "</footer>"
        if key
        else ""
    )
    body = f'<p><a href="../index.html">← Index</a></p><h1>Data</h1><ul>{listing}</ul>{stamps}'
    return render_page("Data", body, "gx-data", lang="en")


def data_files(data_dir: Path) -> dict[str, bytes]:
    """data/: the processed tables, the data package, the workbook and the headline numbers.

    They depend on the data alone, so the build caches them apart from the pages."""
    tables, descriptor = export_tables(data_dir)
    files = {f"data/{t.file}": t.data for t in tables}
    if descriptor is not None:
        files["data/datapackage.json"] = descriptor
    files[f"data/{WORKBOOK_NAME}"] = workbook_bytes(
        tables, json.loads(descriptor) if descriptor else None
    )
    headline = load_headline(data_dir)
    files[f"data/{HEADLINE_NAME}"] = (
        json.dumps(headline, ensure_ascii=False, indent=1) + "\n"
    ).encode()
    return files


def fixed_pages(data_dir: Path) -> dict[str, bytes]:
    """The pages no notebook goes into, which depend on the data and the package alone: the
    article and facts pages of both editions (when the data has every table they need), the
    teacher's kit and the course. The build makes them while the last notebooks run."""
    from gaoxin.config import ZH_DIR
    from gaoxin.report import article_page, facts_page, teacher

    pages = {
        article_page.ARTICLE_PAGE: article_page.article_page(data_dir),
        facts_page.FACTS_PAGE: facts_page.facts_page(data_dir),
        f"{ZH_DIR}/{article_page.ARTICLE_PAGE}": article_page.article_page_zh(data_dir),
        f"{ZH_DIR}/{facts_page.FACTS_PAGE}": facts_page.facts_page_zh(data_dir),
    }
    files = {rel: page for rel, page in pages.items() if page is not None}
    files.update(teacher.teacher_files(data_dir))  # teacher.html/.pdf, teacher/, the bundle
    return files


def page_files(
    data_dir: Path,
    data: dict[str, bytes],
    reports: list[dict[str, Any]],
    key: str,
    fixed: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The site's pages, given its data files: the front and learning pages of both editions,
    data/index.html and the fixed pages (see fixed_pages). Given `fixed` (the build caches them
    apart), they are read from it and not returned."""
    from gaoxin.report import article_page, frontpage

    headline = json.loads(data[f"data/{HEADLINE_NAME}"])
    names = sorted(Path(rel).name for rel in data if rel.startswith("data/"))
    files = {"data/index.html": data_page(names, key).encode()}
    if fixed is None:
        fixed = fixed_pages(data_dir)
        files.update(fixed)
    article = article_page.ARTICLE_PAGE in fixed
    front = frontpage.front_sections(reports, data_dir, article)
    course = COURSE_ZIP in fixed  # the course is built for the project's own data only
    files["index.html"] = index_page(reports, headline, key, front, course).encode()
    files[LEARN_PAGE] = learn_page(reports, course).encode()
    files.update(zh_page_files(reports, data_dir, key, course))
    return files


def zh_page_files(
    reports: list[dict[str, Any]], data_dir: Path, key: str, course: bool = False
) -> dict[str, bytes]:
    """The Chinese edition's front and learning pages, under zh/."""
    from gaoxin.config import ZH_DIR
    from gaoxin.report import frontpage_zh

    pages = {
        frontpage_zh.INDEX: frontpage_zh.index_page_zh(reports, data_dir, key, course).encode(),
        LEARN_PAGE: frontpage_zh.learn_page_zh(reports, course).encode(),
    }
    return {f"{ZH_DIR}/{rel}": page for rel, page in pages.items()}


def site_files(data_dir: Path, reports: list[dict[str, Any]], key: str) -> dict[str, bytes]:
    """Every site-wide file of exports/: data/ and the pages, by path relative to exports/."""
    data = data_files(data_dir)
    return {**data, **page_files(data_dir, data, reports, key)}
