"""The one report-grade table presenter every notebook uses.

`present(df, columns)` shows a table as a reader should see it: no index, a bilingual header
per column (with its unit), numbers with thousands separators, codes and qualifiers in words,
quotes of the article as written («…»), and "—" for a missing value (never NaN, <NA> or 1e+03).
It writes plain HTML (no <style>, which the report sanitizer drops) with inline alignment, and
refuses a table that would not fit the A4 text width: reshape it, or show it in the walkthrough
only (cell tag `claims.WALKTHROUGH_TAG`) with `csv=` linking to the full table.
"""

from __future__ import annotations

import functools
import html
import math
import re
from dataclasses import dataclass
from numbers import Number

import pandas as pd

from gaoxin import labels
from gaoxin.analysis.narrative import number, yuan, yuan_zh
from gaoxin.data import glossary, load_facts
from gaoxin.data.followup import load_followup_figures

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
    header_zh: str | None = None  # the Chinese edition's header, when the header is no label

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


# ------------------------------------------------------------------------------ Chinese cells
# The Chinese edition's table shows the same rows in Chinese: the Chinese half of a bilingual
# label ("missed 未达成" → "未达成"), a column's `<name>_zh` twin where the frame has one
# (margin → margin_zh), a metric's Chinese name for its English one, quotes in “”, and amounts
# in 亿元/万元.
GROWTH_WORDS_ZH = ("增长", "增速", "增幅")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u2e80-\u9fff]")


def chinese_metric(subject_zh: str, kind: str) -> str:
    """A metric's Chinese name from the article's own words for what is measured: the subject,
    with 增速 after a growth rate's subject when the words do not already say growth."""
    subject = str(subject_zh).strip()
    if kind == "growth_rate" and not subject.endswith(GROWTH_WORDS_ZH):
        return subject + "增速"
    return subject


# Metric names of facts without a subject in the article's words (dates).
GENERIC_METRICS_ZH = {"calendar year": "年份", "calendar month": "月份"}


@functools.cache
def chinese_metrics() -> dict[str, str]:
    """English metric name → Chinese, for every fact and every follow-up figure."""
    names: dict[str, str] = dict(GENERIC_METRICS_ZH)
    for table in (load_facts(), load_followup_figures()):
        for en, zh, kind in zip(table.metric_en, table.subject_zh, table.kind):
            if isinstance(en, str) and isinstance(zh, str) and zh.strip():
                names.setdefault(en, chinese_metric(zh, kind))
    return names


def chinese_text(text: str) -> str:
    """A rendered cell in Chinese, when it is a label, a list of labels or a metric name."""
    if not _LATIN.search(text):
        return text
    parts = glossary.split_label(text)
    if parts:
        return parts[0]
    pieces = [glossary.split_label(p) for p in text.split(" and ")]
    if len(pieces) > 1 and all(pieces):
        return "、".join(p[0] for p in pieces)
    if not _CJK.search(text):
        return chinese_metrics().get(text, text)
    return text


def chinese_cell(value: object, col: Col) -> str:
    """One value as the Chinese edition shows it."""
    if not _missing(value) and col.fmt == "quote":
        return f"“{value}”"
    if not _missing(value) and col.fmt == "yuan":
        return yuan_zh(float(value) / col.scale)
    return chinese_text(cell_text(value, col))


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
    chinese: bool = False,
) -> str:
    """The table as report HTML; raises TableTooWide unless `wide` (walkthrough-only tables).
    With `chinese`, the cells are the Chinese edition's (`chinese_cell`), and a column whose
    frame has a `<name>_zh` twin shows the twin."""
    cols = _columns(data, columns)
    header = [c.header for c in cols.values()]
    if chinese:
        shown = [f"{k}_zh" if f"{k}_zh" in data.columns else k for k in cols]
        rows = [[chinese_cell(v, c) for v, c in zip(r, cols.values())] for r in data[shown].values]
    else:
        rows = [
            [cell_text(v, c) for v, c in zip(r, cols.values())] for r in data[list(cols)].values
        ]
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
        words = "完整表格：" if chinese else "Full table: "
        out.append(f'<p class="gx-table-source">{words}<a href="{link}">{link}</a></p>')
    return "".join(out)


def to_text(data: pd.DataFrame, columns: dict[str, str | Col]) -> str:
    """Plain-text rendering (for consoles and the text/plain fallback)."""
    cols = _columns(data, columns)
    shown = pd.DataFrame(
        [[cell_text(v, c) for v, c in zip(r, cols.values())] for r in data[list(cols)].values],
        columns=[c.header for c in cols.values()],
    )
    return shown.to_string(index=False)


_YEAR_FIRST = re.compile(r"^(\d{4}) (.+)$")  # '2018 实绩 Result'
_UNIT_ASIDE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")  # '算式 Formula (亿元)'


def chinese_header(header: str) -> str:
    """The Chinese half of a bilingual header: '原文 As written' → '原文'; a year before it
    joins with 年 ('2018 实绩 Result' → '2018年实绩'); a unit aside without Latin letters stays
    ('算式 Formula (亿元)' → '算式（亿元）'). A header with no Chinese stays as it is."""
    parts = glossary.split_label(header)
    if parts:
        return parts[0]
    year = _YEAR_FIRST.match(header)
    if year:
        rest = chinese_header(year.group(2))
        return f"{year.group(1)}年{rest}" if rest != year.group(2) else header
    aside = _UNIT_ASIDE.match(header)
    if aside:
        parts = glossary.split_label(aside.group(1))
        if parts and not _LATIN.search(aside.group(2)):
            return f"{parts[0]}（{aside.group(2)}）"
        if parts:
            return parts[0]
    return header


def chinese_columns(data: pd.DataFrame, columns: dict[str, str | Col]) -> dict[str, Col]:
    """The same columns with each header in Chinese: the column's `header_zh` when it has one,
    else `chinese_header` of its bilingual header."""
    from dataclasses import replace

    return {
        key: replace(col, header=col.header_zh or chinese_header(col.header))
        for key, col in _columns(data, columns).items()
    }


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
            data,
            chinese_columns(data, columns),
            caption=caption_zh,
            csv=csv,
            wide=wide,
            chinese=True,
        )
    display(bundle, raw=True)


def pairs(
    rows: list[tuple[str, object]],
    key: str = "项目 Item",
    value: str = "内容 Value",
    zh: list[tuple[str, object]] | None = None,
) -> None:
    """Display a two-column key → value table (a record, transposed to fit the page). `zh`
    gives the Chinese edition's (key, value) of each row, when the English is not a label."""
    frame = pd.DataFrame(rows, columns=["key", "value"])
    if zh is not None:
        if len(zh) != len(rows):
            raise ValueError(f"{len(zh)} Chinese rows for {len(rows)} rows")
        frame[["key_zh", "value_zh"]] = pd.DataFrame(zh, index=frame.index)
    present(frame, {"key": Col(key, "text"), "value": Col(value, "text")})
