"""Curated judgements kept as data (data/annotations/), validated against the facts on every load.

`load_target_pairs()` reads target_pairs.csv: each target of the plan year beside the figure of the
report year it can be read against. Any row that names a missing or wrong fact fails with the file,
row and column named.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.data.loaders import DataError, check_cell, load_facts, read_rows, typed_frame
from gaoxin.data.schema import ANNOTATION_TABLES
from gaoxin.facts.vocabulary import RELATIONS_WITHOUT_RESULT, relation_label

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
        target, result, relation, _ = cells
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


def _latest_year(facts: pd.DataFrame, period: str) -> int | None:
    years = facts.loc[facts.period == period, "year"].dropna()
    return int(years.max()) if len(years) else None


def _is(fact: pd.Series, period: str, year: int | None) -> bool:
    return fact.period == period and not pd.isna(fact.year) and int(fact.year) == year


def _year(year) -> str:
    return "no year" if pd.isna(year) else str(int(year))


def _one_fact(path: Path, facts: pd.DataFrame, metric: str, line: int, column: str) -> pd.Series:
    hits = facts[facts.metric_en == metric]
    if len(hits) != 1:
        raise _error(
            path,
            f"{metric!r} matches {len(hits)} facts by metric_en (must be exactly one)",
            line,
            column,
        )
    return hits.iloc[0]


def _error(path: Path, problem: str, line: int, column: str) -> DataError:
    return DataError(path, problem, line, column, CURATED_HINT)
