"""The Excel workbook of exports/data/: a sheet explaining the tables, then one sheet per table.

Cells are typed from the Data Package schema (integer, number, boolean; empty cells stay empty),
text is always written as a text cell (never a formula), and the bytes are the same on every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from typing import Any

from gaoxin.report.package import Table

# The workbook's name in exports/data/.
WORKBOOK_NAME = "gaoxin_tables.xlsx"

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2019-01-01T00:00:00Z"
FIXED_WORKBOOK_TIME = dt.datetime(2019, 1, 1)
SHEET_NAME_MAX = 31  # Excel's limit
ABOUT_SHEET = "about"
# Column widths in Excel character units: wide enough for short codes, capped for long text.
MIN_WIDTH, MAX_WIDTH, WIDTH_PADDING = 6, 60, 2
# Frictionless' default boolean spellings.
TRUE_VALUES = frozenset(("true", "True", "TRUE", "1"))
FALSE_VALUES = frozenset(("false", "False", "FALSE", "0"))
ABOUT_COLUMNS = ("sheet", "column", "type", "unit", "required", "allowed values", "description")


class CellError(ValueError):
    """A table value that does not have its schema type."""


def typed(value: str, kind: str) -> Any:
    """A CSV value as the schema's type: int, float, bool, None for empty, str otherwise."""
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise CellError(f"{value!r} is not a boolean")
    return value


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _put(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # openpyxl turns "=…" into a formula and "#N/A" into an error; text stays text.
        cell.data_type = "s"


def _fill(sheet: Any, header: list[str], rows: list[list[Any]], top: int = 1) -> None:
    """Write a header at row `top` and the rows under it, then freeze the header, add a filter
    over the table and size its columns."""
    from openpyxl.utils import get_column_letter

    widths = [display_width(h) for h in header]
    for c, name in enumerate(header, start=1):
        _put(sheet, top, c, name)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            _put(sheet, r, c, value)
            if value is not None:
                widths[c - 1] = max(widths[c - 1], display_width(str(value)))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width + WIDTH_PADDING)
        )
    sheet.freeze_panes = f"A{top + 1}"
    last_column = get_column_letter(max(1, len(header)))
    sheet.auto_filter.ref = f"A{top}:{last_column}{top + len(rows)}"


def _table_rows(table: Table) -> tuple[list[str], list[list[Any]]]:
    reader = csv.reader(io.StringIO(table.data.decode("utf-8")))
    header = next(reader, [])
    kinds = {
        f["name"]: f.get("type", "string")
        for f in table.resource.get("schema", {}).get("fields", [])
    }
    columns = [kinds.get(name, "string") for name in header]
    rows = []
    for line, values in enumerate(reader, start=2):
        try:
            rows.append([typed(v, k) for v, k in zip(values, columns)])
        except (ValueError, CellError) as exc:
            raise CellError(f"{table.file} line {line}: {exc}") from None
    return header, rows


def _about_rows(tables: list[Table]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for table in tables:
        sheet = table.name[:SHEET_NAME_MAX]
        rows.append([sheet, None, "table", None, None, None, table.resource.get("description")])
        for f in table.resource.get("schema", {}).get("fields", []):
            constraints = f.get("constraints", {})
            allowed = ", ".join(constraints.get("enum", [])) or None
            required = "yes" if constraints.get("required") else "no"
            about = f.get("description")
            rows.append([sheet, f["name"], f["type"], f.get("unit"), required, allowed, about])
    return rows


def _about_intro(descriptor: dict | None) -> list[str]:
    if not descriptor:
        return ["Tables of data/processed (no Data Package descriptor was found)."]
    licences = "; ".join(f"{x.get('name')}: {x.get('title', '')}" for x in descriptor["licenses"])
    sources = "; ".join(s.get("title", "") for s in descriptor.get("sources", []))
    return [
        descriptor.get("title", ""),
        descriptor.get("description", ""),
        f"Source: {sources}",
        f"Licences: {licences} (each table's own licences are in datapackage.json)",
        "One sheet per table, in Data Package order; the rows below describe every column.",
    ]


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


def workbook_bytes(tables: list[Table], descriptor: dict | None = None) -> bytes:
    """The workbook: an 'about' sheet, then a typed sheet per table; byte-stable across runs."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = FIXED_WORKBOOK_TIME
    book.properties.modified = FIXED_WORKBOOK_TIME
    book.properties.creator = "gaoxin"
    about = book.active
    about.title = ABOUT_SHEET
    intro = _about_intro(descriptor)
    for r, line in enumerate(intro, start=1):
        _put(about, r, 1, line)
    # The column table starts one blank row below the introduction.
    _fill(about, list(ABOUT_COLUMNS), _about_rows(tables), top=len(intro) + 2)
    for table in tables:
        header, rows = _table_rows(table)
        _fill(book.create_sheet(table.name[:SHEET_NAME_MAX]), header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue())
