"""Measurements on built PDFs: chart text size on the page, empty page space, repeated quotes.

Runnable by hand on an export tree: `python -m tests.printcheck exports`.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MIN_PRINTED_PT = 8.0
# Rounding of the printed width (PDF units) and of the PNG's dpi record.
SIZE_TOLERANCE_PT = 0.02
MAX_EMPTY_SHARE = 0.5
LONG_QUOTE_CHARS = 30  # article sentences this long (no spaces) are "long quotes"
MIN_FONT_KEY = "gaoxin:min-font-pt"


@dataclass(frozen=True)
class PdfPage:
    """What the measurements read of one PDF page (pdfplumber's objects, parsed once)."""

    height: float
    chars: tuple[dict[str, Any], ...]
    images: tuple[dict[str, Any], ...]
    rects: tuple[dict[str, Any], ...]


def pdf_pages(pdf: Path) -> tuple[PdfPage, ...]:
    """The PDF's pages, parsed once per file content: parsing is most of each measurement's
    time (about 2 s for a report), and several tests measure the same PDFs."""
    stat = pdf.stat()
    return _parsed(pdf.resolve(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _parsed(pdf: Path, size: int, mtime_ns: int) -> tuple[PdfPage, ...]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return tuple(
            PdfPage(page.height, tuple(page.chars), tuple(page.images), tuple(page.rects))
            for page in document.pages
        )


@dataclass(frozen=True)
class PrintedChart:
    page: int
    width_in: float  # printed width
    drawn_in: float  # the figure's own width (PNG pixels / dpi)
    min_font_pt: float  # the figure's smallest text at its drawn size

    @property
    def printed_pt(self) -> float:
        return self.min_font_pt * self.width_in / self.drawn_in


def figure_fonts(figures: Path) -> dict[tuple[int, int], tuple[float, float]]:
    """{(width px, height px): (smallest font pt, dpi)} of the figure PNGs in a folder; when two
    figures share a pixel size, the smaller font is kept (the measure stays conservative)."""
    from PIL import Image

    found: dict[tuple[int, int], tuple[float, float]] = {}
    for png in sorted(figures.glob("*.png")):
        with Image.open(png) as image:
            font = float(image.info.get(MIN_FONT_KEY, "nan"))
            dpi = float(image.info.get("dpi", (float("nan"),))[0])
            size = image.size
        if size not in found or font < found[size][0]:
            found[size] = (font, dpi)
    return found


def printed_charts(pdf: Path, figures: Path) -> list[PrintedChart]:
    """Every raster chart on the PDF's pages with its printed and drawn width."""
    fonts = figure_fonts(figures)
    charts = []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        for image in page.images:
            size = tuple(int(v) for v in image["srcsize"])
            font, dpi = fonts.get(size, (float("nan"), float("nan")))
            charts.append(
                PrintedChart(number, (image["x1"] - image["x0"]) / 72, size[0] / dpi, font)
            )
    return charts


def empty_shares(pdf: Path) -> list[float]:
    """For each page, the share of its text block below the last text or image."""
    shares = []
    tops, bottoms = [], []
    pages = pdf_pages(pdf)
    for page in pages:
        # The running footer (page number) sits in the bottom margin: leave it out.
        body = [c for c in page.chars if c["bottom"] < page.height - 15 * 72 / 25.4]
        boxes = body + list(page.images) + list(page.rects)
        tops.append(min((b["top"] for b in boxes), default=page.height))
        bottoms.append(max((b["bottom"] for b in boxes), default=0.0))
    top = min(tops)
    limit = pages[-1].height - 20 * 72 / 25.4  # the bottom margin of print.css
    for bottom in bottoms:
        shares.append(max(0.0, (limit - bottom) / (limit - top)))
    return shares


# The reader pages' closing source and build line (gaoxin.report.render._footer), each edition.
FOOTER_START = re.compile(r"(Source: |资料来源：)")


def lonely_footer(pdf: Path) -> bool:
    """Whether the PDF's last page holds only the closing source and build line."""
    page = pdf_pages(pdf)[-1]
    body = [c for c in page.chars if c["bottom"] < page.height - 15 * 72 / 25.4]
    text = "".join(c["text"] for c in sorted(body, key=lambda c: (c["top"], c["x0"])))
    return not page.images and bool(FOOTER_START.match(text.strip()))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def article_sentences(sentences_csv: Path) -> list[str]:
    """The article's long sentences (the quotes that must not print twice)."""
    with sentences_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows if len(_squeeze(r["text"])) >= LONG_QUOTE_CHARS]


def repeated_quotes(text: str, sentences: list[str]) -> dict[str, int]:
    """{sentence: times} for each long sentence printed in full more than once in the text."""
    flat = _squeeze(text)
    counts = {s: flat.count(_squeeze(s)) for s in sentences}
    return {s: n for s, n in counts.items() if n > 1}


def main(argv: list[str]) -> int:
    from gaoxin import config
    from tests.readercheck import pdf_text

    exports = Path(argv[0] if argv else "exports")
    sentences = article_sentences(config.PROCESSED_DIR / "sentences.csv")
    for pdf in sorted((exports / "pdf").glob("*.pdf")):
        charts = printed_charts(pdf, exports / "figures" / pdf.stem)
        smallest = min((c.printed_pt for c in charts), default=float("nan"))
        shares = empty_shares(pdf)[:-1]
        worst = max(shares, default=0.0)
        repeats = repeated_quotes(pdf_text(pdf), sentences)
        alone = "; the footer alone on the last page" if lonely_footer(pdf) else ""
        print(
            f"{pdf.name}: {len(charts)} charts, smallest chart text {smallest:.2f} pt; "
            f"emptiest page (not the last) {worst:.0%} empty; "
            f"{len(repeats)} long quotes printed more than once{alone}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
