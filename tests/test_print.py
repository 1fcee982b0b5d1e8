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
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from gaoxin.report.render import print_page

    fonts = FontConfiguration()
    document = HTML(string=print_page(page_html, extra_css)).render(font_config=fonts)
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


# --------------------------------------------------------------------------------------------
# Print that reads (issue 16, item 6): measured on the built PDFs (tests/printcheck.py)


def _figure_png(width_in: float, height_in: float, font_pt: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from gaoxin.charts import figure

    fig, ax = plt.subplots(figsize=(width_in, height_in))
    ax.set_title("A chart title", fontsize=font_pt)
    ax.tick_params(labelsize=font_pt)
    data = figure._png_bytes(fig)
    plt.close(fig)
    return data


def _pdf_with_image(tmp_path, png: bytes, style: str = "", before: str = ""):
    import base64

    from gaoxin.report.render import render_pdf

    src = "data:image/png;base64," + base64.b64encode(png).decode()
    page = _long_page(f"{before}<img alt='chart' src='{src}' style='{style}'>")
    figures = tmp_path / "figures"
    figures.mkdir(exist_ok=True)
    (figures / "chart.png").write_bytes(png)
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(render_pdf(page))
    return pdf, figures


def test_chart_text_is_measured_at_its_printed_size(tmp_path):
    """A chart at its drawn size keeps its 8 pt; the same chart squeezed to half is caught."""
    from tests.printcheck import MIN_PRINTED_PT, printed_charts

    png = _figure_png(7.0, 2.5, 8)
    pdf, figures = _pdf_with_image(tmp_path, png)
    (chart,) = printed_charts(pdf, figures)
    assert chart.min_font_pt == 8 and abs(chart.printed_pt - 8) < 0.05, chart
    pdf, figures = _pdf_with_image(tmp_path, png, style="width: 50%")
    (small,) = printed_charts(pdf, figures)
    assert small.printed_pt < MIN_PRINTED_PT - 3, small


def test_a_page_left_half_empty_before_a_figure_is_caught(tmp_path):
    from tests.printcheck import MAX_EMPTY_SHARE, empty_shares

    filler = "<p>" + "Filler text for the page. " * 40 + "</p>"
    png = _figure_png(7.0, 7.5, 8)
    pdf, _ = _pdf_with_image(tmp_path, png, before=filler * 2)
    shares = empty_shares(pdf)
    assert len(shares) == 2 and shares[0] > MAX_EMPTY_SHARE, shares


def test_repeated_quotes_are_found_across_line_breaks():
    from tests.printcheck import repeated_quotes

    sentence = "数据显示,2018年,衡阳高新区实现地区生产总值同比增长8.6%;财政收入同比增长15.42%。"
    once = f"page one\n{sentence[:20]}\n{sentence[20:]}\nand the clause …财政收入同比增长15.42%…"
    assert repeated_quotes(once, [sentence]) == {}
    assert repeated_quotes(once + "\n" + sentence, [sentence]) == {sentence: 2}


def test_real_pdfs_print_chart_text_at_8_pt_or_more(real):
    from tests.printcheck import MIN_PRINTED_PT, SIZE_TOLERANCE_PT, printed_charts

    small, count = [], 0
    for pdf in sorted((real.exports / "pdf").glob("*.pdf")):
        charts = printed_charts(pdf, real.exports / "figures" / pdf.stem)
        assert charts, f"{pdf.name}: no chart found"
        count += len(charts)
        small += [
            f"{pdf.name} p. {c.page}: {c.printed_pt:.2f} pt"
            for c in charts
            if not c.printed_pt >= MIN_PRINTED_PT - SIZE_TOLERANCE_PT  # NaN fails too
        ]
    assert count >= 7 and not small, small


def test_real_pdfs_have_no_page_more_than_half_empty(real):
    from tests.printcheck import MAX_EMPTY_SHARE, empty_shares

    empty = []
    for pdf in sorted((real.exports / "pdf").glob("*.pdf")):
        shares = empty_shares(pdf)[:-1]  # the last page ends where the report ends
        empty += [
            f"{pdf.name} p. {i}: {s:.0%} empty"
            for i, s in enumerate(shares, 1)
            if s > MAX_EMPTY_SHARE
        ]
    assert not empty, empty


def test_real_pdfs_print_each_long_quote_in_full_once(real):
    from gaoxin import config
    from tests.printcheck import article_sentences, repeated_quotes
    from tests.readercheck import pdf_text

    buildsite.need_tool(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    sentences = article_sentences(config.PROCESSED_DIR / "sentences.csv")
    assert len(sentences) > 20
    repeats = {}
    for pdf in sorted((real.exports / "pdf").glob("*.pdf")):
        found = repeated_quotes(pdf_text(pdf), sentences)
        if found:
            repeats[pdf.name] = [f"{n}× {s[:30]}…" for s, n in found.items()]
    assert not repeats, repeats


def _footer_page(lines: int, css: str = "") -> str:
    body = "".join(f"<p style='margin: 0'>Line {i} of the report.</p>" for i in range(lines))
    footer = '<footer class="gx-footer">Source: the article. Version 0123456789ab.</footer>'
    return _long_page(f"<main>{body}</main>{footer}<style>{css}</style>")


def test_the_footer_never_takes_the_last_page_alone(tmp_path):
    """With print.css the closing line goes along with the last lines; with its rule switched
    off, the same page leaves the footer alone on a page (so the check can fail)."""
    from gaoxin.report.render import render_pdf
    from tests.printcheck import lonely_footer

    off = ".gx-footer { break-before: auto !important; page-break-before: auto !important; }"
    pdf = tmp_path / "page.pdf"
    # Find the number of lines after which the footer falls to a page of its own.
    for lines in range(45, 75):
        pdf.write_bytes(render_pdf(_footer_page(lines, off)))
        if lonely_footer(pdf):
            break
    else:
        pytest.fail("no line count left the footer alone on a page")
    pdf.write_bytes(render_pdf(_footer_page(lines)))
    assert not lonely_footer(pdf)
    pdf.write_bytes(render_pdf(_footer_page(5)))
    assert not lonely_footer(pdf)


def test_real_pdfs_never_end_with_the_footer_alone(real):
    from tests.printcheck import lonely_footer

    alone = [pdf.name for pdf in sorted((real.exports / "pdf").glob("*.pdf")) if lonely_footer(pdf)]
    assert not alone, f"the last page holds only the source and build line: {alone}"
