"""Curated judgements kept as data (data/annotations/), validated against the facts on every load.

`load_target_pairs()` reads target_pairs.csv: each target of the plan year beside the figure of the
report year it can be read against. `load_vocab()` reads vocab.csv: the word lists the notebooks
follow (project stages, firms, platforms, plan marks, tier words, school levels), each word as
written in the article. Any row that names a missing or wrong fact fails with the file, row and
column named.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.data import glossary
from gaoxin.data.loaders import (
    DataError,
    check_cell,
    load_facts,
    read_raw_text,
    read_rows,
    typed_frame,
)
from gaoxin.data.schema import ANNOTATION_TABLES, Field
from gaoxin.vocabulary import RELATIONS_WITHOUT_RESULT, relation_label

TARGET_PAIRS_PATH = ANNOTATIONS_DIR / "target_pairs.csv"
CURATED_HINT = (
    "The file is curated by hand: fix that row (metric names must match a metric_en "
    "in data/processed/facts.csv exactly)"
)


def load_target_pairs(path: Path = TARGET_PAIRS_PATH, facts: pd.DataFrame | None = None):
    """Target ↔ result pairs with relation codes, bilingual relation labels and both fact ids."""
    _, _, fields = ANNOTATION_TABLES["target_pairs"]
    facts = load_facts() if facts is None else facts
    rows = read_rows(path, fields, CURATED_HINT)
    seen: dict[str, int] = {}
    target_ids, result_ids = [], []
    plan_year = _latest_year(facts, "target")
    report_year = _latest_year(facts, "result")
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(fields, cells, strict=True):
            check_cell(path, f, value, line, CURATED_HINT)
        target, result, relation = cells[:3]
        if target in seen:
            raise _error(
                path, f"{target!r} is already paired in row {seen[target]}", line, "target_metric"
            )
        seen[target] = line
        t = _one_fact(path, facts, target, line, "target_metric")
        if not _is(t, "target", plan_year):
            raise _error(
                path,
                f"{target!r} is a {t.period} fact of {_year(t.year)}; the target side must be a "
                f"target of {plan_year}",
                line,
                "target_metric",
            )
        target_ids.append(t.fact_id)
        if relation in RELATIONS_WITHOUT_RESULT:
            if result:
                raise _error(
                    path, f"must be empty when the relation is {relation}", line, "result_metric"
                )
            result_ids.append(pd.NA)
            continue
        if not result:
            raise _error(path, f"required when the relation is {relation}", line, "result_metric")
        r = _one_fact(path, facts, result, line, "result_metric")
        if not _is(r, "result", report_year):
            raise _error(
                path,
                f"{result!r} is a {r.period} fact of {_year(r.year)}; the result side must be a "
                f"result of {report_year}",
                line,
                "result_metric",
            )
        result_ids.append(r.fact_id)
    targets = facts[(facts.period == "target") & (facts.year == plan_year)]
    unpaired = [m for m in targets.metric_en if m not in seen]
    if unpaired:
        raise DataError(
            path,
            f"no row for the {plan_year} target(s) {unpaired} (every target is paired once)",
            hint=CURATED_HINT.replace("fix that row", "add a row"),
        )
    frame = typed_frame(rows, fields)
    frame["result_metric"] = frame.result_metric.replace("", pd.NA)
    frame.insert(3, "relation_label", frame.relation.map(relation_label).astype("string"))
    frame["target_fact_id"] = pd.array(target_ids, dtype="string")
    frame["result_fact_id"] = pd.array(result_ids, dtype="string")
    return frame


VOCAB_PATH = ANNOTATIONS_DIR / "vocab.csv"
VOCAB_HINT = (
    "The file is curated by hand: fix that row (wording as written in data/raw/article.txt; "
    "metric_en names as in data/processed/facts.csv, ';'-separated)"
)
VOCAB_FIELDS = (
    Field("list_id", "string", "The list the word belongs to"),
    Field("wording", "string", "The word as written in the article"),
    Field("en", "string", "Its English (the glossary's, for lists labelled from the glossary)"),
    Field(
        "metric_en",
        "string",
        "metric_en of the facts the word names, ';'-separated",
        required=False,
    ),
    Field("note", "string", "Our one-line summary or usage note", required=False),
    Field("note_zh", "string", "The same note in Chinese, for the Chinese edition", required=False),
)
# list_id → (number of facts each word names, English taken from the glossary, note required)
VOCAB_LISTS = {
    "stages": (1, True, False),
    "firms": (0, False, True),
    "platforms": (0, False, False),
    "plan_marks": (0, False, False),
    "school_levels": (2, False, False),
}


def load_vocab(
    list_id: str | None = None,
    path: Path = VOCAB_PATH,
    facts: pd.DataFrame | None = None,
    raw: str | None = None,
) -> pd.DataFrame:
    """The notebooks' word lists (one list when list_id is given), verified, in file order."""
    path = Path(path)
    facts = load_facts() if facts is None else facts
    raw = read_raw_text() if raw is None else raw
    rows = read_rows(path, VOCAB_FIELDS, VOCAB_HINT)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(VOCAB_FIELDS, cells, strict=True):
            check_cell(path, f, value, line, VOCAB_HINT)
        name, wording, en, metrics, note, note_zh = cells
        if name not in VOCAB_LISTS:
            raise _vocab_error(path, f"{name!r} is not one of {list(VOCAB_LISTS)}", line, "list_id")
        if (name, wording) in seen:
            raise _vocab_error(
                path, f"{wording!r} is already in row {seen[name, wording]}", line, "wording"
            )
        seen[name, wording] = line
        if wording not in raw:
            raise _vocab_error(path, f"{wording!r} does not occur in the article", line, "wording")
        n_metrics, from_glossary, needs_note = VOCAB_LISTS[name]
        if from_glossary and en != glossary.english(wording):
            raise _vocab_error(
                path, f"{en!r} is not the glossary's English for {wording}", line, "en"
            )
        if needs_note and not note:
            raise _vocab_error(path, f"a {name} row needs a note", line, "note")
        if bool(note) != bool(note_zh) and needs_note:
            raise _vocab_error(path, f"a {name} row needs its note in Chinese too", line, "note_zh")
        names = [m for m in metrics.split(";") if m] if metrics else []
        if len(names) != n_metrics:
            raise _vocab_error(
                path,
                f"a {name} row names {n_metrics} metric(s), not {len(names)}",
                line,
                "metric_en",
            )
        for metric in names:
            _one_fact(path, facts, metric, line, "metric_en", VOCAB_HINT)
    frame = typed_frame(rows, VOCAB_FIELDS)
    frame["metric_en"] = frame.metric_en.replace("", pd.NA)
    frame["note"] = frame.note.replace("", pd.NA)
    frame["note_zh"] = frame.note_zh.replace("", pd.NA)
    if list_id is not None:
        if list_id not in VOCAB_LISTS:
            raise KeyError(f"unknown word list {list_id!r}; lists: {', '.join(VOCAB_LISTS)}")
        frame = frame[frame.list_id == list_id].reset_index(drop=True)
    return frame


def _vocab_error(path: Path, problem: str, line: int, column: str) -> DataError:
    return DataError(path, problem, line, column, VOCAB_HINT)


def _latest_year(facts: pd.DataFrame, period: str) -> int | None:
    years = facts.loc[facts.period == period, "year"].dropna()
    return int(years.max()) if len(years) else None


def _is(fact: pd.Series, period: str, year: int | None) -> bool:
    return fact.period == period and not pd.isna(fact.year) and int(fact.year) == year


def _year(year) -> str:
    return "no year" if pd.isna(year) else str(int(year))


def _one_fact(
    path: Path, facts: pd.DataFrame, metric: str, line: int, column: str, hint: str = CURATED_HINT
) -> pd.Series:
    hits = facts[facts.metric_en == metric]
    if len(hits) != 1:
        raise DataError(
            path,
            f"{metric!r} matches {len(hits)} facts by metric_en (must be exactly one)",
            line,
            column,
            hint,
        )
    return hits.iloc[0]


def _error(path: Path, problem: str, line: int, column: str) -> DataError:
    return DataError(path, problem, line, column, CURATED_HINT)
