"""Load the processed tables as typed DataFrames, validated against the schema on every load.

Any problem — a missing, truncated, wrongly encoded, incomplete or hand-edited file — raises one
`DataError` that names the file, the row and the column, and says how to regenerate the data. A
table must also be the very file extraction wrote (size, sha256 and row count recorded in
data/datapackage.json). The in-process cache is keyed on the bytes of the table, the article and
that record, so a changed file is never served stale.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from gaoxin.config import ARTICLE_PATH, PROCESSED_DIR, REGENERATE_HINT
from gaoxin.data.manifest import manifest_path, mismatch, recorded_stats
from gaoxin.data.schema import TABLES, Field
from gaoxin.text.numbers import NumberParseError, parse_quantity, to_halfwidth
from gaoxin.text.reader import ArticleError, decode_raw
from gaoxin.text.reader import read_raw as read_raw_text  # noqa: F401  (re-exported)
from gaoxin.text.structure import without_breaks

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "bool"}
# Tables whose rows point into the raw text, and the column that must equal raw[start:end].
PROVENANCE_COLUMNS = {"facts": "quote", "exclusions": "text"}
# Tables whose ids are a prefix + the start offset (so a copied row under a new id is caught).
OFFSET_ID_PREFIXES = {"facts": "F", "exclusions": "X", "entity_mentions": "M"}
ARTICLE_HINT = "Restore the article with `git checkout -- data/raw/article.txt`"


GENERATED_HINT = f"The file is generated: {REGENERATE_HINT}"


class DataError(ValueError):
    """A processed data file that does not match its schema or the raw article."""

    def __init__(
        self,
        path: Path,
        problem: str,
        row: int | None = None,
        column: str | None = None,
        hint: str = GENERATED_HINT,
    ):
        where = path.name
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}. {hint}.")
        self.path, self.row, self.column, self.problem = path, row, column, problem


def read_rows(
    path: Path,
    fields: tuple[Field, ...],
    hint: str = GENERATED_HINT,
    data: bytes | None = None,
    allow_empty: bool = False,
) -> list[list[str]]:
    """The data rows of a CSV file whose header must be the schema's; strict about its shape."""
    try:
        data = _read_bytes(path) if data is None else data
        return _split_rows(path, fields, data, allow_empty)
    except DataError as e:
        raise DataError(path, e.problem, e.row, e.column, hint) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "file is missing") from None


def _split_rows(
    path: Path, fields: tuple[Field, ...], data: bytes, allow_empty: bool = False
) -> list[list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DataError(path, f"not valid UTF-8 (byte {e.start})", row=line) from None
    if not text.endswith("\n"):
        raise DataError(path, "file is truncated (no final line end)", row=text.count("\n") + 1)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise DataError(path, "file is empty")
    header = rows[0]
    expected = [f.name for f in fields]
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        raise DataError(
            path,
            f"header does not match the schema (missing {missing}, unexpected {extra})",
            row=1,
        )
    if len(rows) < 2 and not allow_empty:
        raise DataError(path, "file has a header but no rows", row=2)
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(expected):
            raise DataError(path, f"has {len(row)} cells, expected {len(expected)}", row=i)
    return rows[1:]


def check_cell(path: Path, f: Field, value: str, line: int, hint: str = GENERATED_HINT) -> None:
    """Raise DataError naming file, line and column when value breaks its schema field."""
    problem = _cell_problem(f, value)
    if problem:
        raise DataError(path, problem, line, f.name, hint)


def _cell_problem(f: Field, value: str) -> str | None:
    if value == "":
        return "required value is empty" if f.required else None
    if f.type == "integer" and not value.lstrip("-").isdigit():
        return f"{value!r} is not an integer"
    if f.type == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            return f"{value!r} is not a number"
    if f.type == "boolean" and value not in ("true", "false"):
        return f"{value!r} is not true/false"
    if f.enum and value not in f.enum:
        return f"{value!r} is not one of {list(f.enum)}"
    return None


TABLE_MINUS = "−-－"


def _check_fact_value(path: Path, row: dict, line: int) -> None:
    """A fact's numbers must be what its quote says (catches hand edits of value columns)."""
    quote = without_breaks(row["quote"])  # a number the layout broke over two lines
    if row["number_text"] not in quote:
        raise DataError(
            path, f"number_text {row['number_text']!r} is not in the quote", line, "number_text"
        )
    # A number in a table: its unit sits in a header and a minus sign may lead it.
    sign = -1 if quote[:1] in TABLE_MINUS else 1
    text = quote[1:] if sign < 0 else quote
    if row["unit_raw"] and row["unit_raw"] not in to_halfwidth(text).replace(" ", ""):
        text += row["unit_raw"]
    try:
        q = parse_quantity(text)
    except NumberParseError:
        raise DataError(path, f"quote {row['quote']!r} does not parse", line, "quote") from None
    if sign < 0:
        q = replace(q, value=-q.value)
    if Decimal(row["value"]) != q.value:
        raise DataError(
            path, f"value {row['value']} ≠ {q.value} read from the quote", line, "value"
        )
    if Decimal(row["value_normalized"]) != q.value_normalized:
        raise DataError(
            path,
            f"value_normalized {row['value_normalized']} ≠ {q.value_normalized} from the quote",
            line,
            "value_normalized",
        )


def validate_rows(name: str, rows: list[list[str]], path: Path, raw: str) -> None:
    """Check every row of table `name` against its schema fields; DataError on the first fault."""
    _, fields = TABLES[name]
    names = [f.name for f in fields]
    seen: dict[str, set] = {f.name: set() for f in fields if f.unique}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(fields, cells, strict=True):
            check_cell(path, f, value, line)
            if f.unique:
                if value in seen[f.name]:
                    raise DataError(path, f"duplicate id {value!r}", line, f.name)
                seen[f.name].add(value)
        row = dict(zip(names, cells, strict=True))
        prefix = OFFSET_ID_PREFIXES.get(name)
        if prefix and cells[0] != f"{prefix}{int(row['start']):05d}":
            raise DataError(
                path,
                f"id {cells[0]!r} does not match its start offset {row['start']} "
                f"(ids are {prefix} + the start offset: a copied or edited row)",
                line,
                names[0],
            )
        if "start" in row and "end" in row:
            start, end = int(row["start"]), int(row["end"])
            if not 0 <= start < end <= len(raw):
                raise DataError(path, f"offsets {start}-{end} outside the article", line, "start")
            column = PROVENANCE_COLUMNS.get(name)
            if column and raw[start:end] != row[column]:
                raise DataError(
                    path,
                    f"{column} {row[column]!r} ≠ raw text {raw[start:end]!r} at {start}-{end}",
                    line,
                    column,
                )
        if name == "facts":
            _check_fact_value(path, row, line)


def _load(name: str, path: Path, data: bytes, raw: str, recorded: dict) -> pd.DataFrame:
    _, fields = TABLES[name]
    # A short article may have no entities or exclusions: extraction then records 0 rows.
    rows = read_rows(path, fields, data=data, allow_empty=recorded["rows"] == 0)
    validate_rows(name, rows, path, raw)
    # Row by row the file is sound; it must also be the whole file extraction wrote.
    problem = mismatch(data, len(rows), recorded)
    if problem:
        raise DataError(path, problem)
    return typed_frame(rows, fields)


def typed_frame(rows: list[list[str]], fields: tuple[Field, ...]) -> pd.DataFrame:
    """Rows of validated cells as a DataFrame with the schema's dtypes."""
    frame = pd.DataFrame(rows, columns=[f.name for f in fields])
    for f in fields:
        col = frame[f.name]
        if f.type == "boolean":
            frame[f.name] = col.eq("true")
        elif f.type in ("integer", "number"):
            frame[f.name] = pd.to_numeric(col.replace("", None)).astype(PANDAS_DTYPES[f.type])
        else:
            frame[f.name] = col.astype("string")
    return frame


# (table name, file path) → (content key, frame): one entry per file, replaced when it changes.
_CACHE: dict[tuple[str, str], tuple[tuple[str, ...], pd.DataFrame]] = {}


def load_table(
    name: str, directory: Path = PROCESSED_DIR, article: Path = ARTICLE_PATH
) -> pd.DataFrame:
    """One processed table, validated and typed (a fresh copy each call)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    path = Path(directory) / f"{name}.csv"
    data = _read_bytes(path)
    article = Path(article)
    try:
        article_bytes = article.read_bytes()
    except FileNotFoundError:
        raise DataError(article, "file is missing", hint=ARTICLE_HINT) from None
    descriptor = manifest_path(Path(directory))
    recorded, problem = recorded_stats(descriptor, name)
    if problem:
        raise DataError(descriptor, problem)
    key = (_digest(data), _digest(article_bytes), repr(sorted(recorded.items())))
    cached = _CACHE.get((name, str(path)))
    if cached is None or cached[0] != key:
        try:
            raw = decode_raw(article_bytes, article)
        except ArticleError as e:
            raise DataError(article, str(e).split(": ", 1)[-1], hint=ARTICLE_HINT) from None
        cached = (key, _load(name, path, data, raw, recorded))
        _CACHE[(name, str(path))] = cached
    return cached[1].copy()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_facts(**kw) -> pd.DataFrame:
    """Every quantity in the article with provenance, units, period, kind and domain."""
    return load_table("facts", **kw)


def load_sentences(**kw) -> pd.DataFrame:
    """Sentences of body paragraphs, with offsets into the article (see load_table)."""
    return load_table("sentences", **kw)


def load_paragraphs(**kw) -> pd.DataFrame:
    """Paragraphs with their role (title, byline, heading, body, caption) and offsets."""
    return load_table("paragraphs", **kw)


def load_sections(**kw) -> pd.DataFrame:
    """The article's sections: the lead, then one per subheading, with offsets."""
    return load_table("sections", **kw)


def load_exclusions(**kw) -> pd.DataFrame:
    """Numeral characters that are not quantities, each with the reason."""
    return load_table("exclusions", **kw)


def load_entities(**kw) -> pd.DataFrame:
    """Named enterprises, parks, centres, places and programmes, with mention counts."""
    return load_table("entities", **kw)


def load_entity_mentions(**kw) -> pd.DataFrame:
    """Every mention of an entity, with offsets into the article."""
    return load_table("entity_mentions", **kw)


def fact(facts: pd.DataFrame, **criteria) -> pd.Series:
    """The one fact matching every column=value criterion; fails loudly on zero or several."""
    mask = pd.Series(True, index=facts.index)
    for column, value in criteria.items():
        mask &= facts[column] == value
    hits = facts[mask]
    if len(hits) != 1:
        raise LookupError(f"{len(hits)} facts match {criteria}; expected exactly one")
    return hits.iloc[0]


def clear_cache() -> None:
    """Forget the loaded tables, so the next load reads and validates the files again."""
    _CACHE.clear()
