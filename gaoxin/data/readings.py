"""The readings register: each interpretive choice, stated once (data/annotations/readings.csv).

A reading holds the article's wording, the facts or later-report figures it applies to, the reading
chosen, the other readings considered and the reason. Every row is verified on load: the wording
must occur in data/raw/article.txt and every id must be a fact_id of data/processed/facts.csv or a
figure_id of data/followup/figures.csv; a problem is one line naming the file, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.data.loaders import (
    DataError,
    check_cell,
    load_facts,
    read_raw_text,
    read_rows,
    typed_frame,
)
from gaoxin.data.schema import Field

READINGS_PATH = ANNOTATIONS_DIR / "readings.csv"
READINGS_HINT = (
    "The file is curated by hand: fix that row (wording as written in data/raw/article.txt, "
    "ids from data/processed/facts.csv or data/followup/figures.csv)"
)
FIELDS = (
    Field("reading_id", "string", "Stable id of the reading (lower case, digits, _)", unique=True),
    Field("wording", "string", "The article's words the reading is about, as written"),
    Field("applies_to", "string", "Fact ids or later-report figure ids, ';'-separated"),
    Field("reading", "string", "The reading chosen, in English"),
    Field("alternatives", "string", "Other readings considered, ';'-separated"),
    Field("reason", "string", "Why this reading, in English"),
)
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SEPARATOR = ";"


def load_readings(
    path: Path = READINGS_PATH,
    facts: pd.DataFrame | None = None,
    raw: str | None = None,
    figure_ids: set[str] | None = None,
) -> pd.DataFrame:
    """Every reading, verified, indexed by reading_id."""
    path = Path(path)
    facts = load_facts() if facts is None else facts
    raw = read_raw_text() if raw is None else raw
    figure_ids = _figure_ids() if figure_ids is None else figure_ids
    known = set(facts.fact_id) | figure_ids
    rows = read_rows(path, FIELDS, READINGS_HINT)
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(FIELDS, cells, strict=True):
            check_cell(path, f, value, line, READINGS_HINT)
        reading_id, wording, applies_to, *_ = cells
        if not ID_RE.match(reading_id):
            raise _error(path, f"{reading_id!r} is not a lower-case id", line, "reading_id")
        if reading_id in seen:
            raise _error(
                path, f"{reading_id!r} is already row {seen[reading_id]}", line, "reading_id"
            )
        seen[reading_id] = line
        if wording not in raw:
            raise _error(path, f"{wording!r} does not occur in the article", line, "wording")
        for item in applies_to.split(SEPARATOR):
            if item.strip() not in known:
                raise _error(
                    path, f"{item.strip()!r} is no fact_id or figure_id", line, "applies_to"
                )
    return typed_frame(rows, FIELDS).set_index("reading_id")


def applied(readings: pd.DataFrame, prefix: str) -> dict[str, pd.Series]:
    """Fact or figure id → the reading (a row) among those whose id starts with `prefix`."""
    out: dict[str, pd.Series] = {}
    for reading_id, row in readings[readings.index.str.startswith(prefix)].iterrows():
        for item in str(row.applies_to).split(SEPARATOR):
            if item.strip() in out:
                raise LookupError(f"{item.strip()} has two {prefix} readings in readings.csv")
            out[item.strip()] = row.rename(reading_id)
    return out


def _figure_ids() -> set[str]:
    from gaoxin.data.followup import load_followup_figures  # it imports this package's loaders

    return set(load_followup_figures().figure_id)


def _error(path: Path, problem: str, line: int, column: str) -> DataError:
    return DataError(path, problem, line, column, READINGS_HINT)
