"""The follow-up report's figures, and how they pair with the article's targets and results.

The three tables in data/followup/ are curated by hand (schema: gaoxin.data.followup_schema). The
follow-up's text is not stored: each figure keeps only the few characters that identify it
(`phrase`). Every load checks the numbers against the numeral parser, the ids and values against
the facts table and the source metadata, and fails with one `DataError` naming the file, the row
and the column.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from gaoxin.config import DATA_DIR, PROCESSED_DIR
from gaoxin.data.followup_schema import (
    DIFFERENT_THRESHOLD,
    FOLLOWUP_TABLES,
    GROWTH_OF_BASE,
    MAX_PHRASE_CHARS,
    PLAN_SCOPE,
    SAME_MEASURE,
    SIZE_THRESHOLD,
    WITHOUT_OUTCOME,
)
from gaoxin.data.loaders import DataError, check_cell, load_facts, read_rows, typed_frame
from gaoxin.data.readings import load_readings
from gaoxin.source import load_later_sources
from gaoxin.text.numbers import find_quantities

FOLLOWUP_DIR = DATA_DIR / "followup"
FOLLOWUP_HINT = "The file is curated by hand in data/followup/: fix that cell"


def _error(path: Path, problem: str, row: int | None = None, column: str | None = None):
    """A DataError that says the file is curated, not generated."""
    return DataError(path, problem, row, column, FOLLOWUP_HINT)


def _read(name: str, directory: Path) -> list[dict[str, str]]:
    """Rows as dicts of strings, after file, header, cell and uniqueness checks."""
    relpath, _, fields = FOLLOWUP_TABLES[name]
    path = directory / Path(relpath).name
    rows = read_rows(path, fields, FOLLOWUP_HINT)
    seen: dict[str, set] = {f.name: set() for f in fields if f.unique}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(fields, cells, strict=True):
            check_cell(path, f, value, line, FOLLOWUP_HINT)
            if f.unique and value:
                if value in seen[f.name]:
                    raise _error(path, f"duplicate {value!r}", line, f.name)
                seen[f.name].add(value)
    return [dict(zip([f.name for f in fields], cells, strict=True)) for cells in rows]


def _typed(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    _, _, fields = FOLLOWUP_TABLES[name]
    return typed_frame([list(r.values()) for r in rows], fields)


def _same_number(cell: str, value: object) -> bool:
    """Does a CSV cell hold exactly `value` (a Decimal, or a float from a typed table)?"""
    expected = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return Decimal(cell) == expected


def _check_figure(path: Path, row: dict[str, str], line: int, sources: set[str]) -> None:
    """The parser, reading the phrase, must cut out the quote with exactly the stored numbers."""
    if row["source_id"] not in sources:
        raise _error(
            path,
            f"source {row['source_id']!r} is not in source.json later_sources",
            line,
            "source_id",
        )
    phrase = row["phrase"]
    if len(phrase) > MAX_PHRASE_CHARS:
        raise _error(
            path,
            f"phrase has {len(phrase)} characters (at most {MAX_PHRASE_CHARS})",
            line,
            "phrase",
        )
    found = {q.quote: q for q in find_quantities(phrase)}
    q = found.get(row["quote"])
    if q is None:
        raise _error(
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
            raise _error(
                path, f"{row[column]!r} ≠ {expected!s} read from {row['quote']!r}", line, column
            )
    threshold = found.get(row["threshold_quote"]) if row["threshold_quote"] else None
    if row["threshold_quote"] and threshold is None:
        raise _error(
            path,
            f"the parser finds no {row['threshold_quote']!r} in the phrase",
            line,
            "threshold_quote",
        )
    if bool(row["threshold_quote"]) != bool(row["threshold_normalized"]):
        raise _error(
            path,
            "threshold_quote and threshold_normalized go together",
            line,
            "threshold_normalized",
        )
    if threshold is not None and not _same_number(
        row["threshold_normalized"], threshold.value_normalized
    ):
        raise _error(
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
        raise _error(path, f"{row[column]!r} matches {len(hits)} rows of {label}", line, column)
    return hits.iloc[0]


def _agrees(path: Path, line: int, row: dict, prefix: str, other: pd.Series) -> None:
    """This row's copy of the quote and value equals the paired row's."""
    quote, value = row[f"{prefix}_quote"], row[f"{prefix}_value"]
    if quote != other["quote"]:
        raise _error(path, f"{quote!r} ≠ quote {other['quote']!r}", line, f"{prefix}_quote")
    if not _same_number(value, other["value_normalized"]):
        raise _error(
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
    readings = load_readings(facts=facts, figures=figures)
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
                raise _error(path, f"a {row['relation']} row {need} a value", line, column)
        outcome = None
        if has_outcome:
            outcome = _paired(
                path, line, row, "figure_id", figures, "figure_id", "followup_figures"
            )
            _agrees(path, line, row, "outcome", outcome)
        _check_thresholds(path, row, line, by_metric, outcome)
        _check_reading(path, row, line, target, readings)
        _check_base(path, row, line, facts, year, outcome)
    missing = sorted(set(targets.metric_en) - set(by_metric))
    if missing:
        raise _error(path, f"targets for {year} not paired: {missing}", len(rows) + 2)
    return _typed(name, rows)


def _check_thresholds(path: Path, row, line: int, by_metric: dict, outcome) -> None:
    """Projects counted above a size: the target's and the outcome's sizes fit the relation."""
    ref = row["target_threshold_metric"]
    if ref and by_metric.get(ref, {}).get("relation") != SIZE_THRESHOLD:
        raise _error(path, f"{ref!r} is not a size_threshold row", line, "target_threshold_metric")
    has_size = outcome is not None and pd.notna(outcome["threshold_normalized"])
    if row["relation"] == DIFFERENT_THRESHOLD and not (ref and has_size):
        raise _error(
            path, "different_threshold needs a size on both sides", line, "target_threshold_metric"
        )
    if row["relation"] == SAME_MEASURE and bool(ref) != has_size:
        raise _error(path, "a size threshold on one side only", line, "target_threshold_metric")
    if ref and has_size:
        same = _same_number(by_metric[ref]["target_value"], outcome["threshold_normalized"])
        # Equal sizes may still count different things (引进 vs 签约): only a different size
        # makes a different threshold.
        if same == (row["relation"] == DIFFERENT_THRESHOLD):
            problem = "sizes differ" if not same else "sizes are equal"
            raise _error(path, f"{problem}, which contradicts {row['relation']}", line, "relation")


def _check_reading(path: Path, row, line: int, target: pd.Series, readings: dict) -> None:
    """A pairing that names a reading is one the register says bears on that target."""
    rid, code = row["reading_id"], row["holds_under"]
    if row["relation"] == PLAN_SCOPE and rid != PLAN_SCOPE:
        raise _error(path, "a plan_scope row names the reading plan_scope", line, "reading_id")
    if bool(rid) != bool(code):
        raise _error(path, "reading_id and holds_under go together", line, "holds_under")
    if not rid:
        return
    if rid not in readings:
        raise _error(path, f"{rid!r} is not in data/annotations/readings.csv", line, "reading_id")
    if not readings[rid].covers(target.fact_id):
        raise _error(
            path,
            f"the reading {rid!r} does not name the target {target.fact_id}",
            line,
            "reading_id",
        )
    if code not in (readings[rid].reading, *readings[rid].alternatives):
        raise _error(path, f"{code!r} is not a reading of {rid!r}", line, "holds_under")
    if row["relation"] == PLAN_SCOPE and readings[rid].reading != PLAN_SCOPE:
        raise _error(path, f"the register does not read {rid!r} as plan scope", line, "relation")


def _check_base(path: Path, row, line: int, facts: pd.DataFrame, year: int, outcome) -> None:
    """growth_of_base names the result of the year before whose count the growth applies to."""
    base = row["base_metric"]
    if bool(base) != (row["relation"] == GROWTH_OF_BASE):
        raise _error(path, "base_metric goes with growth_of_base only", line, "base_metric")
    if not base:
        return
    results = facts[(facts.period == "result") & (facts.year == year - 1)]
    result = _paired(path, line, row, "base_metric", results, "metric_en", f"{year - 1} results")
    if outcome is not None and outcome["kind"] != "growth_rate":
        raise _error(path, "growth_of_base needs a growth rate as outcome", line, "figure_id")
    if result["unit_normalized"] != "count":
        raise _error(path, f"{base!r} is not a count", line, "base_metric")


def load_result_pairs(
    directory: Path = FOLLOWUP_DIR, processed: Path = PROCESSED_DIR
) -> pd.DataFrame:
    """The article's results for the year before the follow-up's, paired with its figure."""
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
