"""Render pages: report HTML (nbconvert with the gaoxin template), site pages, and A4 PDF."""

from __future__ import annotations

import html
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from gaoxin.config import EN, READER_HIDDEN_TAGS, ZH, ZH_DIR
from gaoxin.report.editions import edition
from gaoxin.report.fonts import embed_font
from gaoxin.report.sanitize import sanitize_html
from gaoxin.report.transform import reader_notebook
from gaoxin.source import load_source

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "gaoxin"
PAGE_TEMPLATE = "page.html.j2"


@cache
def stylesheet(name: str) -> str:
    """A stylesheet of the template folder: screen.css (every page) or print.css (PDF)."""
    return (TEMPLATES_DIR / TEMPLATE_NAME / name).read_text(encoding="utf-8")


def _nav(stem: str, variant: str, lang: str = EN, twin: bool = False) -> str:
    """The page's links; `twin`: the report exists in the other language too (linked both ways,
    the link text in the language it leads to, marked with its lang)."""
    if lang == ZH:
        links = [
            ("../index.html", "← 目录", ZH),
            (f"../pdf/{stem}.pdf", "PDF", ZH),
            (f"../../html/{stem}.html", "English edition", EN),
        ]
    elif variant == "reader":
        # A reader edition links only to reader material (the code is on the front page's
        # learning section).
        links = [("../index.html", "← Index", EN), (f"../pdf/{stem}.pdf", "PDF", EN)]
        if twin:
            links.append((f"../{ZH_DIR}/html/{stem}.html", "中文版", ZH))
    else:
        links = [
            ("../index.html", "← Index", EN),
            (f"../html/{stem}.html", "Report", EN),
            (f"../pdf/{stem}.pdf", "PDF", EN),
        ]

    def marked(lg: str) -> str:
        return "" if lg == lang else f' lang="{lg}" hreflang="{lg}"'

    items = "".join(
        f'<a href="{html.escape(h)}"{marked(lg)}>{html.escape(t)}</a>' for h, t, lg in links
    )
    return f'<nav class="gx-nav">{items}</nav>'


def _footer(key: str, source: str | None = None, lang: str = EN) -> str:
    if lang == ZH:
        source = source or f"{load_source().byline}，衡阳高新区2019年工作会议新闻报道"
        return (
            f'<footer class="gx-footer">资料来源：{html.escape(source)}。'
            f"版本{html.escape(key[:12])}。</footer>"
        )
    source = source or f"{load_source().byline}, news report on the 衡阳高新区 2019 work conference"
    return (
        f'<footer class="gx-footer">Source: {html.escape(source)}. '
        f"Version {html.escape(key[:12])}.</footer>"
    )


@lru_cache(maxsize=2)
def _exporter(reader: bool) -> Any:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_input = reader
    c.HTMLExporter.exclude_input_prompt = reader
    c.HTMLExporter.exclude_output_prompt = reader
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(READER_HIDDEN_TAGS) if reader else set()
    exporter = HTMLExporter(config=c)
    exporter.register_filter("clean_html", sanitize_html)
    return exporter


def render_html(
    nb: Any,
    stem: str,
    title: str,
    key: str,
    variant: str,
    source: str | None = None,
    lang: str = EN,
    twin: bool = False,
) -> str:
    """Reader ("reader") or walkthrough ("walkthrough") HTML page, font embedded; `source`
    names another article than the project's in the footer (plain text, escaped here). The
    reader page (and the PDF made from it) shows the reader edition: see reader_notebook. `lang`
    picks the edition (the walkthrough is English); `twin` links the other language's page."""
    if variant != "reader" and lang != EN:
        raise ValueError("walkthroughs are English only")
    nb = edition(nb, lang)
    if variant == "reader":
        nb = reader_notebook(nb, lang)
    resources = {
        "metadata": {"name": stem},
        "gaoxin": {
            "title": title,
            "lang": lang,
            "css": stylesheet("screen.css"),
            "variant": variant,
            "nav": _nav(stem, variant, lang, twin),
            "footer": _footer(key, source, lang),
        },
    }
    body, _ = _exporter(variant == "reader").from_notebook_node(nb, resources=resources)
    return embed_font(body)


@lru_cache(maxsize=1)
def _site_environment() -> Any:
    import jinja2

    loader = jinja2.FileSystemLoader(str(TEMPLATES_DIR / TEMPLATE_NAME))
    return jinja2.Environment(loader=loader, autoescape=False, keep_trailing_newline=True)


def render_page(
    title: str, body: str, body_class: str, lang: str = "en", extra_css: tuple[str, ...] = ()
) -> str:
    """A site page around a body of trusted, already escaped HTML; font embedded."""
    page = (
        _site_environment()
        .get_template(PAGE_TEMPLATE)
        .render(
            lang=lang,
            title=html.escape(title),
            css=stylesheet("screen.css"),
            extra_css=extra_css,
            body_class=body_class,
            body=body,
        )
    )
    return embed_font(page)


def print_page(page: str, extra_css: str = "") -> str:
    """The page with print.css as its last author stylesheet, so that it overrides screen.css
    (a stylesheet passed to WeasyPrint apart is a user sheet, which author rules win over)."""
    sheet = f"<style>\n{stylesheet('print.css')}\n{extra_css}\n</style>\n"
    head_end = page.find("</head>")
    if head_end < 0:
        return sheet + page
    return page[:head_end] + sheet + page[head_end:]


def render_pdf(page: str) -> bytes:
    """Tagged A4 PDF with page numbers from a self-contained page (its @font-face gives the CJK
    font); the tags carry headings, tables, lists and each image's alt text."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=print_page(page), base_url=None).write_pdf(font_config=fonts, pdf_tags=True)
