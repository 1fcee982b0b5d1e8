"""Site-wide files: the data folder (tables, workbook, headline numbers) and the site's pages.

Each page is one function returning its HTML; ``site_files`` collects them. A new page is a new
function plus one line in ``site_files``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from gaoxin.report.cache import tool_versions
from gaoxin.report.errors import BuildError
from gaoxin.report.render import render_page
from gaoxin.source import load_source

WORKBOOK_NAME = "gaoxin_tables.xlsx"
HEADLINE_NAME = "headline.json"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2019-01-01T00:00:00Z"
FIXED_WORKBOOK_TIME = dt.datetime(2019, 1, 1)
SHEET_NAME_MAX = 31  # Excel's limit
FIGURE_FORMATS = ("png", "svg", "csv")
PERIOD_WORDS = {"result": "实绩 result", "target": "目标 target"}
# Kinds that name or date something rather than measure it (vocabulary of gaoxin.data's schema).
NOT_MEASURED = ("date", "label")


# ------------------------------------------------------------------------------ data files


def _deterministic_zip(raw: bytes) -> bytes:
    """Rewrite an .xlsx with fixed entry times and fixed document dates."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<3>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def workbook_bytes(tables: dict[str, Path]) -> bytes:
    """One Excel workbook with a sheet per CSV table, byte-stable across runs."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        writer.book.properties.created = FIXED_WORKBOOK_TIME
        writer.book.properties.modified = FIXED_WORKBOOK_TIME
        writer.book.properties.creator = "gaoxin"
        if not tables:
            pd.DataFrame({"note": ["no processed tables yet"]}).to_excel(
                writer, sheet_name="README", index=False
            )
        for stem, path in tables.items():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.to_excel(writer, sheet_name=stem[:SHEET_NAME_MAX], index=False)
        for sheet in writer.book.worksheets:
            _text_only(sheet)
    return _deterministic_zip(buffer.getvalue())


def _text_only(sheet: Any) -> None:
    """Every cell is text: openpyxl makes a formula of any string starting with '=', and article
    text must never be evaluated (the cell keeps its exact characters)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


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


def _report_section(report: dict[str, Any]) -> list[str]:
    stem = report["stem"]
    links = [
        (f"html/{stem}.html", "报告 Report (HTML)"),
        (f"walkthrough/{stem}.html", "代码 Walkthrough (HTML)"),
        (f"pdf/{stem}.pdf", "PDF (A4)"),
        (f"student/{stem}.ipynb", "练习 Student notebook"),
    ]
    anchors = "".join(f'<a href="{_esc(h)}">{_esc(t)}</a>' for h, t in links)
    parts = [
        f'<section class="gx-report" id="{_esc(stem)}"><h2>{_esc(report["title"])}</h2>'
        f'<p>{_esc(report["summary"])}</p><p class="gx-links">{anchors}</p>'
    ]
    if report["figures"]:
        parts.append('<ul class="gx-figures">')
        for fig in report["figures"]:
            base = f"figures/{stem}/{fig['name']}"
            files = " · ".join(
                f'<a href="{_esc(base)}.{ext}">{ext.upper()}</a>' for ext in FIGURE_FORMATS
            )
            parts.append(f"<li>{_esc(fig['name'])}: {_esc(fig['alt'])} — {files}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def index_page(reports: list[dict[str, Any]], headline: dict[str, Any], key: str) -> str:
    """The landing page: headline numbers, every report in every format, the data."""
    parts = [
        "<h1>衡阳高新区 2019 工作会报告 — 数据分析 Reports</h1>",
        "<p>Analysis notebooks on the 2019 work-conference report of the Hengyang National "
        f"High-tech Zone ({_esc(load_source().byline)}). "
        "Every report comes in four formats, built from one "
        "execution of its notebook.</p>",
    ]
    parts += _headline_section(headline)
    parts.append("<h2>报告 Reports</h2>")
    for report in reports:
        parts += _report_section(report)
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions().items() if v != "absent")
    parts += [
        '<h2>数据 Data</h2><p><a href="data/index.html">data/</a> holds the processed CSV tables '
        f'and <a href="data/{WORKBOOK_NAME}">{WORKBOOK_NAME}</a> (one sheet per table).</p>',
        f'<footer class="gx-footer"><p>Source hash {_esc(key)}</p>'
        f"<p>Tools: {_esc(versions)}</p></footer>",
    ]
    return render_page("衡阳高新区 2019 — reports", "\n".join(parts), "gx-index")


def data_page(names: list[str]) -> str:
    """data/index.html: the folder's files, so the index's data/ link needs no server listing."""
    listing = "".join(f'<li><a href="{_esc(n)}">{_esc(n)}</a></li>' for n in names)
    body = f'<p><a href="../index.html">← Index</a></p><h1>Data</h1><ul>{listing}</ul>'
    return render_page("Data", body, "gx-data", lang="en")


def data_files(data_dir: Path) -> dict[str, bytes]:
    """data/: the processed tables, the data package, the workbook and the headline numbers.

    They depend on the data alone, so the build caches them apart from the pages."""
    processed = data_dir / "processed"
    tables = {p.stem: p for p in sorted(processed.glob("*.csv"))} if processed.is_dir() else {}
    files = {f"data/{p.name}": p.read_bytes() for p in tables.values()}
    package = data_dir / "datapackage.json"
    if package.is_file():
        files["data/datapackage.json"] = package.read_bytes()
    files[f"data/{WORKBOOK_NAME}"] = workbook_bytes(tables)
    headline = load_headline(data_dir)
    files[f"data/{HEADLINE_NAME}"] = (
        json.dumps(headline, ensure_ascii=False, indent=1) + "\n"
    ).encode()
    return files


def page_files(data: dict[str, bytes], reports: list[dict[str, Any]], key: str) -> dict[str, bytes]:
    """The site's pages, given its data files: index.html and data/index.html."""
    headline = json.loads(data[f"data/{HEADLINE_NAME}"])
    names = sorted(Path(rel).name for rel in data if rel.startswith("data/"))
    return {
        "data/index.html": data_page(names).encode(),
        "index.html": index_page(reports, headline, key).encode(),
    }


def site_files(data_dir: Path, reports: list[dict[str, Any]], key: str) -> dict[str, bytes]:
    """Every site-wide file of exports/: data/ and the pages, by path relative to exports/."""
    data = data_files(data_dir)
    return {**data, **page_files(data, reports, key)}
