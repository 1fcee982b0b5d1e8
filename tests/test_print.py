"""PDFs as readers get them: tagged, figures with alt text, nothing split, stranded or too wide."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from tests.fixtures import buildsite

pytestmark = pytest.mark.slow

BLOCKS_KEPT_WHOLE = ("blockquote", "tr", "img")
HEADINGS = ("h1", "h2", "h3", "h4")
# Layout rounding: a box may overhang the page's content edge by this much (CSS px).
TOLERANCE_PX = 0.5


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return buildsite.real_site(tmp_path_factory)


# --------------------------------------------------------------------------------------------
# Tags and alt text


def _pdf_strings(data: bytes, key: bytes) -> list[str]:
    """Every string value of /key in the PDF, including objects inside compressed streams."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    found = []
    pattern = re.compile(rb"/" + key + rb"\s*(\((?:\\.|[^\\)])*\)|<[0-9a-fA-F]*>)", re.DOTALL)
    for chunk in chunks:
        for m in pattern.finditer(chunk):
            token = m.group(1)
            if token.startswith(b"<"):
                raw = bytes.fromhex(token[1:-1].decode())
                text = (
                    raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
                )
            else:
                text = re.sub(rb"\\(.)", rb"\1", token[1:-1], flags=re.DOTALL).decode("latin-1")
            found.append(text)
    return found


class _Alts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")


def test_pdfs_are_tagged_and_carry_every_figure_alt_text(real):
    buildsite.need_tool(shutil.which("pdfinfo"), "pdfinfo (poppler-utils)")
    pdfs = sorted((real.exports / "pdf").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M), f"{pdf.name}: {info.stdout}"
        parser = _Alts()
        parser.feed((real.exports / "html" / f"{pdf.stem}.html").read_text(encoding="utf-8"))
        alts = _pdf_strings(pdf.read_bytes(), b"Alt")
        assert parser.alts, f"{pdf.stem}: the reader page has no figure"
        for alt in parser.alts:
            assert alt and alt in alts, f"{pdf.name}: no /Alt for figure {alt[:60]!r}"
        structure = subprocess.run(
            ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert "Figure" in structure and re.search(r"^\s*H1\b", structure, re.M), pdf.name


# --------------------------------------------------------------------------------------------
# Layout: read WeasyPrint's boxes for the same page and stylesheet as the PDF


def _walk(box, ancestors=()):
    yield box, ancestors
    element = getattr(box, "element", None)
    tag = element.tag if element is not None and isinstance(element.tag, str) else ""
    for child in getattr(box, "children", None) or []:
        yield from _walk(child, (*ancestors, (tag, element)))


def layout_problems(page_html: str, extra_css: str = "") -> list[str]:
    """Quotes, table rows or images split over pages; pages ending in a heading; wide tables."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from gaoxin.report.render import stylesheet

    fonts = FontConfiguration()
    css = CSS(string=stylesheet("print.css") + extra_css, font_config=fonts)
    document = HTML(string=page_html).render(stylesheets=[css], font_config=fonts)
    pages_of: dict[object, set[int]] = {}
    problems = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        left = box.margin_left + box.padding_left + box.border_left_width
        right = left + box.width
        last_text = None
        for child, ancestors in _walk(box):
            tags = [t for t, _ in ancestors]
            if "body" not in tags:
                continue  # page-number margin boxes
            element = getattr(child, "element", None)
            tag = element.tag if element is not None and isinstance(element.tag, str) else ""
            if tag in BLOCKS_KEPT_WHOLE and "thead" not in tags and child.element_tag == tag:
                pages_of.setdefault(element, set()).add(number)
            if type(child).__name__ == "TableBox":
                x0, x1 = child.position_x, child.position_x + child.margin_width()
                if x0 < left - TOLERANCE_PX or x1 > right + TOLERANCE_PX:
                    problems.append(f"page {number}: a table is wider than the page")
            # The last content on the page: text, or an image (a replaced box).
            is_text = type(child).__name__ == "TextBox" and child.text.strip()
            if is_text or "Replaced" in type(child).__name__:
                last_text = ancestors
        if last_text and number < len(document.pages):
            heading = [e for t, e in last_text if t in HEADINGS]
            if heading:
                text = "".join(heading[-1].itertext()).strip()
                problems.append(f"page {number} ends with the heading {text[:50]!r}")
    for element, pages in pages_of.items():
        if len(pages) > 1 and "".join(element.itertext()).strip():
            text = " ".join("".join(element.itertext()).split())[:50]
            problems.append(f"{element.tag} split over pages {sorted(pages)}: {text!r}")
    return problems


def test_real_reports_keep_headings_quotes_and_rows_together(real):
    problems = {}
    for page in sorted((real.exports / "html").glob("*.html")):
        found = layout_problems(page.read_text(encoding="utf-8"))
        if found:
            problems[page.stem] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def _long_page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def test_layout_check_sees_split_quotes_stranded_headings_and_wide_tables():
    """The check itself can fail: a page built to break badly is caught."""
    # A quotation longer than a page has to split, so the check must report it.
    quote = "<blockquote><p>" + "A quotation longer than one page. " * 600 + "</p></blockquote>"
    problems = layout_problems(_long_page(quote))
    assert any(p.startswith("blockquote split over pages [1, 2") for p in problems), problems
    # A heading right before a block too tall for the rest of the page: print.css moves the
    # heading along; with that rule switched off, the check reports the stranded heading.
    filler = "<p>" + "Filler text for the page. " * 40 + "</p>"
    tall = "<div style='height: 600px; break-inside: avoid'>chart</div>"
    stranded = _long_page(filler * 4 + "<h2>A heading</h2>" + tall)
    assert layout_problems(stranded) == []
    off = "h2 { break-after: auto !important; }"
    assert layout_problems(stranded, off) == ["page 1 ends with the heading 'A heading'"]
    # Forty cells that cannot be narrower than 40 px each do not fit an A4 text width.
    cell = "<td><span style='display: inline-block; width: 40px'>x</span></td>"
    wide = f"<table><tr>{cell * 40}</tr></table>"
    assert any("wider than the page" in p for p in layout_problems(_long_page(wide)))


def test_pdf_is_byte_identical_when_rendered_twice():
    from gaoxin.report.render import render_pdf

    page = _long_page("<h1>标题 Title</h1><p>衡阳高新区 2019.</p>")
    assert render_pdf(page) == render_pdf(page)
