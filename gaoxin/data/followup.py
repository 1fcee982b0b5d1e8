"""The follow-up report's figures, and how they pair with the article's targets and results.

The three tables in data/followup/ are curated by hand. The follow-up's text is not stored: each
figure keeps only the few characters that identify it (`phrase`). Every load checks the numbers
against the numeral parser, the ids and values against the facts table and the source metadata,
and fails with one `FollowupDataError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from gaoxin.config import DATA_DIR, PROCESSED_DIR
from gaoxin.data.loaders import PANDAS_DTYPES, DataError, load_facts
from gaoxin.data.schema import Field
from gaoxin.facts.extract import DOMAINS, KINDS, PERIODS
from gaoxin.source import load_later_sources
from gaoxin.text.numbers import find_quantities

FOLLOWUP_DIR = DATA_DIR / "followup"
# A phrase identifies a figure; anything longer starts to copy the report's sentences.
MAX_PHRASE_CHARS = 20
UNITS = ("percent", "count", "yuan")

# How a 2019 target relates to the follow-up's figure (target_outcomes.relation).
SAME_MEASURE = "same_measure"
DIFFERENT_MEASURE = "different_measure"
DIFFERENT_THRESHOLD = "different_threshold"
NO_OUTCOME = "no_outcome"
SIZE_THRESHOLD = "size_threshold"
TARGET_RELATIONS = (
    SAME_MEASURE,
    DIFFERENT_MEASURE,
    DIFFERENT_THRESHOLD,
    NO_OUTCOME,
    SIZE_THRESHOLD,
)
RESULT_RELATIONS = (SAME_MEASURE, DIFFERENT_MEASURE)
# Relations whose row has no outcome figure.
WITHOUT_OUTCOME = (NO_OUTCOME, SIZE_THRESHOLD)

_VALUE = "value_normalized of the paired row, repeated so that code can check the pairing"

# name → (path under data/, description, fields); the Data Package lists them like the others.
FOLLOWUP_TABLES: dict[str, tuple[str, str, tuple[Field, ...]]] = {
    "followup_figures": (
        "followup/figures.csv",
        "Figures for 2019 from the zone's later report (see source_id); its text is not stored, "
        "only the characters that identify each figure.",
        (
            Field("figure_id", "string", "Stable id of the figure", unique=True),
            Field("source_id", "string", "Id of the report in data/raw/source.json later_sources"),
            Field("phrase", "string", "The few characters that identify the figure, as written"),
            Field(
                "quote", "string", "The quantity inside the phrase, as the numeral parser cuts it"
            ),
            Field("value", "number", "The number as written, parsed exactly (before multipliers)"),
            Field("unit_raw", "string", "Unit as written, with its multiplier", required=False),
            Field("qualifier", "string", "Qualifier code, as in facts", required=False),
            Field("value_normalized", "number", "value in unit_normalized", unit="unit_normalized"),
            Field("unit_normalized", "string", "Base unit of value_normalized", enum=UNITS),
            Field(
                "threshold_quote",
                "string",
                "Size threshold inside the phrase (10亿元以上), when the figure counts projects",
                required=False,
            ),
            Field(
                "threshold_normalized",
                "number",
                "The threshold in yuan",
                required=False,
                unit="yuan",
            ),
            Field("period", "string", "What time it speaks of (as in facts)", enum=PERIODS),
            Field("year", "integer", "Year of the result", unit="year"),
            Field("kind", "string", "What sort of number it is (as in facts)", enum=KINDS),
            Field("domain", "string", "Topic of the quantity (as in facts)", enum=DOMAINS),
            Field("subject_zh", "string", "What it measures, as the report words it"),
            Field("metric_en", "string", "Short English metric name"),
            Field("note", "string", "What a reader needs to know to read it", required=False),
        ),
    ),
    "followup_target_outcomes": (
        "followup/target_outcomes.csv",
        "Each 2019 target of the article paired with the follow-up's figure for it, if any.",
        (
            Field("target_metric", "string", "The target's metric_en in facts", unique=True),
            Field("target_quote", "string", "The target as written in the article"),
            Field("target_value", "number", _VALUE, unit="the target's unit_normalized"),
            Field(
                "relation",
                "string",
                "same_measure, different_measure, different_threshold (projects counted above "
                "another size), no_outcome (no figure reported), size_threshold (not a goal: "
                "the size that defines another target)",
                enum=TARGET_RELATIONS,
            ),
            Field(
                "target_threshold_metric",
                "string",
                "The size_threshold row that defines this target's projects",
                required=False,
            ),
            Field("figure_id", "string", "The outcome in followup_figures", required=False),
            Field("outcome_quote", "string", "The outcome as written", required=False),
            Field("outcome_value", "number", _VALUE, required=False, unit="unit_normalized"),
            Field("note", "string", "Why this relation"),
        ),
    ),
    "followup_result_pairs": (
        "followup/result_pairs.csv",
        "Each 2018 result of the article that the follow-up reports again for 2019.",
        (
            Field("result_metric", "string", "The 2018 result's metric_en in facts", unique=True),
            Field("result_quote", "string", "The 2018 result as written in the article"),
            Field("result_value", "number", _VALUE, unit="the result's unit_normalized"),
            Field("relation", "string", "same_measure or different_measure", enum=RESULT_RELATIONS),
            Field("figure_id", "string", "The 2019 figure in followup_figures", unique=True),
            Field("outcome_quote", "string", "The 2019 figure as written"),
            Field("outcome_value", "number", _VALUE, unit="unit_normalized"),
            Field("note", "string", "Why this relation"),
        ),
    ),
}


class FollowupDataError(DataError):
    """A curated follow-up table that breaks its schema, the parser or a pairing."""

    def __init__(self, path: Path, problem: str, row: int | None = None, column: str | None = None):
        where = path.name
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        ValueError.__init__(
            self,
            f"{where}: {problem}. The file is curated by hand in data/followup/: fix that cell.",
        )
        self.path, self.row, self.column = path, row, column


def _read(name: str, directory: Path) -> list[dict[str, str]]:
    """Rows as dicts of strings, after file, header and cell checks."""
    relpath, _, fields = FOLLOWUP_TABLES[name]
    path = directory / Path(relpath).name
    if not path.exists():
        raise FollowupDataError(path, "file is missing")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise FollowupDataError(path, f"not valid UTF-8 (byte {e.start})") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = [f.name for f in fields]
    if not rows or rows[0] != expected:
        raise FollowupDataError(path, f"header is not {','.join(expected)}", row=1)
    out, seen = [], {f.name: set() for f in fields if f.unique}
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(expected):
            raise FollowupDataError(path, f"has {len(cells)} cells, expected {len(expected)}", line)
        for f, value in zip(fields, cells):
            _check_cell(path, f, value, line)
            if f.unique and value:
                if value in seen[f.name]:
                    raise FollowupDataError(path, f"duplicate {value!r}", line, f.name)
                seen[f.name].add(value)
        out.append(dict(zip(expected, cells)))
    if not out:
        raise FollowupDataError(path, "file has a header but no rows", row=2)
    return out


def _check_cell(path: Path, f: Field, value: str, line: int) -> None:
    if value == "":
        if f.required:
            raise FollowupDataError(path, "required value is empty", line, f.name)
        return
    if f.type == "integer" and not value.lstrip("-").isdigit():
        raise FollowupDataError(path, f"{value!r} is not an integer", line, f.name)
    if f.type == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            raise FollowupDataError(path, f"{value!r} is not a number", line, f.name) from None
    if f.enum and value not in f.enum:
        raise FollowupDataError(path, f"{value!r} is not one of {list(f.enum)}", line, f.name)


def _same_number(cell: str, value: object) -> bool:
    """Does a CSV cell hold exactly `value` (a Decimal, or a float from a typed table)?"""
    expected = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return Decimal(cell) == expected


def _typed(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    _, _, fields = FOLLOWUP_TABLES[name]
    frame = pd.DataFrame(rows, columns=[f.name for f in fields])
    for f in fields:
        col = frame[f.name]
        if f.type in ("integer", "number"):
            frame[f.name] = pd.to_numeric(col.replace("", None)).astype(PANDAS_DTYPES[f.type])
        else:
            frame[f.name] = col.astype("string")
    return frame


def _check_figure(path: Path, row: dict[str, str], line: int, sources: set[str]) -> None:
    """The parser, reading the phrase, must cut out the quote with exactly the stored numbers."""
    if row["source_id"] not in sources:
        raise FollowupDataError(
            path,
            f"source {row['source_id']!r} is not in source.json later_sources",
            line,
            "source_id",
        )
    phrase = row["phrase"]
    if len(phrase) > MAX_PHRASE_CHARS:
        raise FollowupDataError(
            path,
            f"phrase has {len(phrase)} characters (at most {MAX_PHRASE_CHARS})",
            line,
            "phrase",
        )
    found = {q.quote: q for q in find_quantities(phrase)}
    q = found.get(row["quote"])
    if q is None:
        raise FollowupDataError(
            path,
            f"the parser finds {sorted(found)} in the phrase, not {row['quote']!r}",
            line,
            "quote",
        )
    parsed = {
        "value": q.value,
        "unit_raw": q.unit_raw,
        "qualifier": q.qualifier,
        "value_normalized": q.value_normalized,
        "unit_normalized": q.unit_normalized,
    }
    for column, expected in parsed.items():
        ok = (
            _same_number(row[column], expected)
            if isinstance(expected, Decimal)
            else (row[column] == expected)
        )
        if not ok:
            raise FollowupDataError(
                path, f"{row[column]!r} ≠ {expected!s} read from {row['quote']!r}", line, column
            )
    threshold = found.get(row["threshold_quote"]) if row["threshold_quote"] else None
    if row["threshold_quote"] and threshold is None:
        raise FollowupDataError(
            path,
            f"the parser finds no {row['threshold_quote']!r} in the phrase",
            line,
            "threshold_quote",
        )
    if bool(row["threshold_quote"]) != bool(row["threshold_normalized"]):
        raise FollowupDataError(
            path,
            "threshold_quote and threshold_normalized go together",
            line,
            "threshold_normalized",
        )
    if threshold is not None and not _same_number(
        row["threshold_normalized"], threshold.value_normalized
    ):
        raise FollowupDataError(
            path,
            f"{row['threshold_normalized']} ≠ {threshold.value_normalized} read from "
            f"{row['threshold_quote']!r}",
            line,
            "threshold_normalized",
        )


def load_followup_figures(directory: Path = FOLLOWUP_DIR) -> pd.DataFrame:
    """The follow-up's figures, each checked against the numeral parser and the source list."""
    name = "followup_figures"
    path = directory / Path(FOLLOWUP_TABLES[name][0]).name
    rows = _read(name, directory)
    sources = set(load_later_sources())
    for line, row in enumerate(rows, start=2):
        _check_figure(path, row, line, sources)
    return _typed(name, rows)


def _paired(
    path: Path, line: int, row: dict, column: str, table: pd.DataFrame, key: str, label: str
):
    """The one row of `table` whose `key` equals this row's `column`."""
    hits = table[table[key] == row[column]]
    if len(hits) != 1:
        raise FollowupDataError(
            path, f"{row[column]!r} matches {len(hits)} rows of {label}", line, column
        )
    return hits.iloc[0]


def _agrees(path: Path, line: int, row: dict, prefix: str, other: pd.Series) -> None:
    """This row's copy of the quote and value equals the paired row's."""
    quote, value = row[f"{prefix}_quote"], row[f"{prefix}_value"]
    if quote != other["quote"]:
        raise FollowupDataError(
            path, f"{quote!r} ≠ quote {other['quote']!r}", line, f"{prefix}_quote"
        )
    if not _same_number(value, other["value_normalized"]):
        raise FollowupDataError(
            path,
            f"{value} ≠ value_normalized {other['value_normalized']:g}",
            line,
            f"{prefix}_value",
        )


def _inputs(directory: Path, processed: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_facts(directory=processed), load_followup_figures(directory)


def load_target_outcomes(
    directory: Path = FOLLOWUP_DIR, processed: Path = PROCESSED_DIR
) -> pd.DataFrame:
    """Every target for the follow-up's year, paired with its outcome figure (or none)."""
    name = "followup_target_outcomes"
    path = directory / Path(FOLLOWUP_TABLES[name][0]).name
    rows = _read(name, directory)
    facts, figures = _inputs(directory, processed)
    year = int(figures.year.max())
    targets = facts[(facts.period == "target") & (facts.year == year)]
    by_metric = {r["target_metric"]: r for r in rows}
    for line, row in enumerate(rows, start=2):
        target = _paired(path, line, row, "target_metric", targets, "metric_en", f"{year} targets")
        _agrees(path, line, row, "target", target)
        has_outcome = row["relation"] not in WITHOUT_OUTCOME
        for column in ("figure_id", "outcome_quote", "outcome_value"):
            if bool(row[column]) != has_outcome:
                need = "needs" if has_outcome else "must not have"
                raise FollowupDataError(
                    path, f"a {row['relation']} row {need} a value", line, column
                )
        outcome = None
        if has_outcome:
            outcome = _paired(
                path, line, row, "figure_id", figures, "figure_id", "followup_figures"
            )
            _agrees(path, line, row, "outcome", outcome)
        _check_thresholds(path, row, line, by_metric, outcome)
    missing = sorted(set(targets.metric_en) - set(by_metric))
    if missing:
        raise FollowupDataError(path, f"targets for {year} not paired: {missing}", len(rows) + 2)
    return _typed(name, rows)


def _check_thresholds(path: Path, row, line: int, by_metric: dict, outcome) -> None:
    """Projects counted above a size: the target's and the outcome's sizes fit the relation."""
    ref = row["target_threshold_metric"]
    if ref and by_metric.get(ref, {}).get("relation") != SIZE_THRESHOLD:
        raise FollowupDataError(
            path, f"{ref!r} is not a size_threshold row", line, "target_threshold_metric"
        )
    has_size = outcome is not None and pd.notna(outcome["threshold_normalized"])
    if row["relation"] == DIFFERENT_THRESHOLD and not (ref and has_size):
        raise FollowupDataError(
            path, "different_threshold needs a size on both sides", line, "target_threshold_metric"
        )
    if row["relation"] == SAME_MEASURE and bool(ref) != has_size:
        raise FollowupDataError(
            path, "a size threshold on one side only", line, "target_threshold_metric"
        )
    if ref and has_size:
        same = _same_number(by_metric[ref]["target_value"], outcome["threshold_normalized"])
        if same != (row["relation"] == SAME_MEASURE):
            problem = "sizes differ" if not same else "sizes are equal"
            raise FollowupDataError(
                path, f"{problem}, which contradicts {row['relation']}", line, "relation"
            )


def load_result_pairs(
    directory: Path = FOLLOWUP_DIR, processed: Path = PROCESSED_DIR
) -> pd.DataFrame:
    """The article's results for the year before, paired with the follow-up's figure for 2019."""
    name = "followup_result_pairs"
    path = directory / Path(FOLLOWUP_TABLES[name][0]).name
    rows = _read(name, directory)
    facts, figures = _inputs(directory, processed)
    year = int(figures.year.max()) - 1
    results = facts[(facts.period == "result") & (facts.year == year)]
    for line, row in enumerate(rows, start=2):
        result = _paired(path, line, row, "result_metric", results, "metric_en", f"{year} results")
        _agrees(path, line, row, "result", result)
        outcome = _paired(path, line, row, "figure_id", figures, "figure_id", "followup_figures")
        _agrees(path, line, row, "outcome", outcome)
    return _typed(name, rows)
