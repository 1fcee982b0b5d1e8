"""The one report-grade table presenter every notebook uses.

`present(df, columns)` shows a table as a reader should see it: no index, a bilingual header
per column (with its unit), numbers with thousands separators, codes and qualifiers in words,
quotes of the article as written («…»), and "—" for a missing value (never NaN, <NA> or 1e+03).
It writes plain HTML (no <style>, which the report sanitizer drops) with inline alignment, and
refuses a table that would not fit the A4 text width: reshape it, or show it in the walkthrough
only (cell tag `claims.WALKTHROUGH_TAG`) with `csv=` linking to the full table.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from numbers import Number

import pandas as pd

from gaoxin.analysis import labels
from gaoxin.analysis.narrative import number, yuan
from gaoxin.data import glossary

FORMATS = ("auto", "text", "number", "integer", "percent", "yuan", "code", "qualifier", "quote")
# Width budget of the reader page, in ems of table text: the HTML column is 47.5rem at a table
# font of 0.85rem (≈ 56 em); the A4 PDF text width is 178 mm at 7.5 pt (≈ 67 em).
TABLE_WIDTH_EM = 55.0
CELL_PADDING_EM = 1.2
WRAP_EM = 8.0  # a long text column is expected to wrap at about this width
LATIN_EM = 0.55  # average width of a Latin character or digit, in em
BOOLEAN_WORDS = {True: glossary.gloss("是"), False: glossary.gloss("否")}


class TableTooWide(ValueError):
    """A table that would break letter by letter on the A4 page."""


@dataclass(frozen=True)
class Col:
    """How one column is shown: its bilingual header (with unit) and its format."""

    header: str
    fmt: str = "auto"
    digits: int = 1
    scale: float = 1.0  # the value is divided by this (e.g. 1e8 for 亿元)

    def __post_init__(self) -> None:
        if not self.header.strip():
            raise ValueError("every column needs a header (an empty header fails accessibility)")
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown format {self.fmt!r}; use one of {FORMATS}")


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object, col: Col) -> str:
    """One value as the reader sees it (plain text, not yet escaped)."""
    if _missing(value):
        return labels.NO_VALUE
    if isinstance(value, bool):
        return BOOLEAN_WORDS[value]
    fmt = col.fmt
    if fmt == "auto":
        fmt = "number" if isinstance(value, Number) else "text"
    if fmt in ("number", "integer", "percent", "yuan"):
        x = float(value) / col.scale
        if fmt == "yuan":
            return yuan(x)
        digits = 0 if fmt == "integer" else col.digits
        return number(x, digits) + ("%" if fmt == "percent" else "")
    if fmt == "code":
        return labels.label(value)
    if fmt == "qualifier":
        return labels.qualifier_words(value) or labels.NO_VALUE
    if fmt == "quote":
        return f"«{value}»"
    return str(value)


UNIT_SUFFIX = {
    "percent": "%",
    "percentage_point": " pp",
    "m2": " m²",
    "m": " m",
    "times": "×",
    "day": " days",
    "month": " months",
}


def quantity_text(value: object, unit: str, qualifier: object = "", digits: int = 2) -> str:
    """A normalised value in reader form: '≥ 30%', '> 3,600', '2018', '17.5 bn yuan (175亿元)'."""
    if _missing(value):
        return labels.NO_VALUE
    x = float(value)
    if unit == "yuan":
        text = yuan(x)
    elif unit == "year":
        text = f"{x:g}"  # calendar years and spans of years take no separator
    elif unit == "rank":
        if qualifier == "top":
            return f"top {x:g}"  # 前N: within the first N places, not place N
        text = f"No. {x:g}"
    elif unit == "tier":
        return f"tier {x:g}"  # 第一方阵: the first tier, a group of zones, not place 1
    else:
        text = number(x, digits) + UNIT_SUFFIX.get(unit, "")
    sign = labels.qualifier_sign(qualifier)
    return f"{sign} {text}" if sign else text


def _numeric(col: Col, series: pd.Series) -> bool:
    if col.fmt in ("number", "integer", "percent", "yuan"):
        return True
    if col.fmt != "auto":
        return False
    present = [v for v in series if not _missing(v)]
    return bool(present) and all(isinstance(v, Number) and not isinstance(v, bool) for v in present)


def _em(text: str) -> float:
    return sum(1.0 if ord(ch) >= 0x2E80 else LATIN_EM for ch in text)


def _unbreakable_em(text: str) -> float:
    """Widest piece a browser cannot break: a Latin word (CJK may break between characters)."""
    words = [w for w in text.replace("/", " ").split() if w]
    latin = [sum(LATIN_EM for ch in w if ord(ch) < 0x2E80) for w in words]
    return max([*latin, 1.0])


def width_em(header: list[str], rows: list[list[str]]) -> float:
    """Estimated laid-out width of a table, in em of table text."""
    total = 0.0
    for j, head in enumerate(header):
        cells = [head] + [r[j] for r in rows]
        natural = max(_em(c) for c in cells)
        shortest = max(_unbreakable_em(c) for c in cells)
        total += max(shortest, min(natural, WRAP_EM)) + CELL_PADDING_EM
    return total


def _columns(data: pd.DataFrame, columns: dict[str, str | Col]) -> dict[str, Col]:
    missing = [name for name in columns if name not in data.columns]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    return {k: v if isinstance(v, Col) else Col(v) for k, v in columns.items()}


def to_html(
    data: pd.DataFrame,
    columns: dict[str, str | Col],
    caption: str | None = None,
    csv: str | None = None,
    wide: bool = False,
) -> str:
    """The table as report HTML; raises TableTooWide unless `wide` (walkthrough-only tables)."""
    cols = _columns(data, columns)
    header = [c.header for c in cols.values()]
    rows = [[cell_text(v, c) for v, c in zip(r, cols.values())] for r in data[list(cols)].values]
    width = width_em(header, rows)
    if width > TABLE_WIDTH_EM and not wide:
        raise TableTooWide(
            f"table of {len(cols)} columns is about {width:.0f} em wide, more than the "
            f"{TABLE_WIDTH_EM:.0f} em of the A4 text width: drop or merge columns, transpose or "
            "split it, or pass wide=True with csv= and tag the cell for the walkthrough only"
        )
    if wide and not csv:
        raise ValueError("a table too wide for the reader page must link to its CSV (csv=...)")
    align = ["right" if _numeric(c, data[k]) else "left" for k, c in cols.items()]
    out = ['<table class="gx-table">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    out += [
        f'<th scope="col" style="text-align: {a}">{html.escape(h)}</th>'
        for h, a in zip(header, align)
    ]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = (f'<td style="text-align: {a}">{html.escape(t)}</td>' for t, a in zip(row, align))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if csv:
        link = html.escape(csv)
        out.append(f'<p class="gx-table-source">Full table: <a href="{link}">{link}</a></p>')
    return "".join(out)


def to_text(data: pd.DataFrame, columns: dict[str, str | Col]) -> str:
    """Plain-text rendering (for consoles and the text/plain fallback)."""
    cols = _columns(data, columns)
    shown = pd.DataFrame(
        [[cell_text(v, c) for v, c in zip(r, cols.values())] for r in data[list(cols)].values],
        columns=[c.header for c in cols.values()],
    )
    return shown.to_string(index=False)


def chinese_columns(data: pd.DataFrame, columns: dict[str, str | Col]) -> dict[str, Col]:
    """The same columns with the Chinese half of each bilingual header ('原文 As written' →
    '原文'; a header with no Chinese stays as it is)."""
    from dataclasses import replace

    from gaoxin.data.glossary import split_label

    out = {}
    for key, col in _columns(data, columns).items():
        parts = split_label(col.header)
        out[key] = replace(col, header=parts[0]) if parts else col
    return out


def present(
    data: pd.DataFrame,
    columns: dict[str, str | Col],
    caption: str | None = None,
    csv: str | None = None,
    wide: bool = False,
    caption_zh: str | None = None,
) -> None:
    """Display a report-grade table (see the module docstring). The Chinese edition's table
    (config.ZH_HTML_MIMETYPE) has the Chinese half of each header and `caption_zh`."""
    from IPython.display import display

    from gaoxin.config import ZH_HTML_MIMETYPE

    bundle = {
        "text/html": to_html(data, columns, caption=caption, csv=csv, wide=wide),
        "text/plain": to_text(data, columns),
    }
    if caption is None or caption_zh is not None:
        bundle[ZH_HTML_MIMETYPE] = to_html(
            data, chinese_columns(data, columns), caption=caption_zh, csv=csv, wide=wide
        )
    display(bundle, raw=True)


def pairs(
    rows: list[tuple[str, object]], key: str = "项目 Item", value: str = "内容 Value"
) -> None:
    """Display a two-column key → value table (a record, transposed to fit the page)."""
    frame = pd.DataFrame(rows, columns=["key", "value"])
    present(frame, {"key": Col(key, "text"), "value": Col(value, "text")})
