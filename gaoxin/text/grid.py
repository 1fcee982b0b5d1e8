"""Tables written as text: rows whose cells are split by tabs, bars or runs of blanks.

An indicator table states a number's unit in a header: its column's (同比增长（%）), a unit column
(单位), or its row's (营业收入（亿元）); and its period in the header row (2022年完成). Each numeric
cell is returned with the unit and the header text that govern it, offsets into the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaoxin.text.numbers import ARABIC_RE, NumberParseError, parse_quantity

CELL_SEPARATOR_RE = re.compile(r"\t|[|｜]| {2,}|\u3000{2,}")
LINE_RE = re.compile(r"[^\r\n]+")
NUMERIC_CELL_RE = re.compile(rf"(?P<sign>[−\-－+]?)(?P<number>{ARABIC_RE})")
UNIT_IN_PARENS_RE = re.compile(r"[（(]([^（）()]{1,6})[）)]")
UNIT_COLUMN_NAMES = ("单位", "單位", "计量单位", "計量單位")


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NumericCell:
    """A number in a table: where its sign and number sit, its unit and the header over it."""

    start: int  # first character of the number (after any sign)
    sign_start: int  # the minus sign's offset, or start
    negative: bool
    unit: str  # unit as written in a header ('' when no header gives one)
    unit_header: str  # the header text that gave the unit
    period_header: str  # the header text that names its period (column first, then row)
    period_header_start: int  # raw offset of period_header (-1: none)


def cells(line: str, offset: int) -> list[Cell]:
    out, pos = [], 0
    for m in [*CELL_SEPARATOR_RE.finditer(line), None]:
        end = m.start() if m else len(line)
        text = line[pos:end]
        stripped = text.strip(" \u3000")
        if stripped:
            lead = len(text) - len(text.lstrip(" \u3000"))
            out.append(Cell(offset + pos + lead, offset + pos + lead + len(stripped), stripped))
        pos = m.end() if m else len(line)
    return out


def is_table_row(text: str) -> bool:
    """A line of at least two cells, one of them holding a digit."""
    return bool(CELL_SEPARATOR_RE.search(text.strip(" \u3000"))) and len(cells(text, 0)) >= 2


def unit_of(text: str) -> str:
    """The unit a header names in brackets (（亿元）, (%)), or ''."""
    for m in UNIT_IN_PARENS_RE.finditer(text):
        if written_unit(m.group(1)):
            return m.group(1)
    return ""


def written_unit(text: str) -> bool:
    try:
        q = parse_quantity("1" + text)
    except NumberParseError:
        return False
    return q.unit_raw == text and q.unit_normalized != "unknown" and not q.qualifier


def numeric_cells(raw: str) -> dict[int, NumericCell]:
    """Start offset of each number in a table → its cell, unit and headers."""
    out: dict[int, NumericCell] = {}
    table: list[list[Cell]] = []
    for m in [*LINE_RE.finditer(raw), None]:
        if m is not None and is_table_row(m.group(0)):
            table.append(cells(m.group(0), m.start()))
            continue
        if table:
            out |= _table_cells(table)
        table = []
    return out


def _table_cells(rows: list[list[Cell]]) -> dict[int, NumericCell]:
    header = None
    if not any(NUMERIC_CELL_RE.fullmatch(c.text) for c in rows[0]):
        header = rows[0]
    out = {}
    unit_col = next((j for j, c in enumerate(header or []) if c.text in UNIT_COLUMN_NAMES), None)
    for row in rows[1:] if header else rows:
        for j, cell in enumerate(row):
            m = NUMERIC_CELL_RE.fullmatch(cell.text)
            if not m or j == 0:
                continue
            col = header[j] if header and j < len(header) else None
            unit, source = "", ""
            if col and unit_of(col.text):
                unit, source = unit_of(col.text), col.text
            elif unit_col is not None and unit_col < len(row) and written_unit(row[unit_col].text):
                unit, source = row[unit_col].text, header[unit_col].text
            elif unit_of(row[0].text):
                unit, source = unit_of(row[0].text), row[0].text
            period = col if col and re.search(r"[0-9]{4}", col.text) else None
            if period is None and header:
                period = next((c for c in header if re.search(r"[0-9]{4}", c.text)), None)
            start = cell.start + len(m.group("sign"))
            out[start] = NumericCell(
                start=start,
                sign_start=cell.start,
                negative=m.group("sign") in ("−", "-", "－"),
                unit=unit,
                unit_header=source,
                period_header=period.text if period else "",
                period_header_start=period.start if period else -1,
            )
    return out


def unit_spans(raw: str) -> list[tuple[int, int]]:
    """Spans of units written as headers: a unit column's cells (亿元) and bracketed units in a
    table's cells (营业收入（亿元）); these name the unit of other cells and are no quantities."""
    out = []
    for m in LINE_RE.finditer(raw):
        if not is_table_row(m.group(0)):
            continue
        for cell in cells(m.group(0), m.start()):
            if written_unit(cell.text):
                out.append((cell.start, cell.end))
            for u in UNIT_IN_PARENS_RE.finditer(cell.text):
                out.append((cell.start + u.start(1), cell.start + u.end(1)))
    return out
