"""`python -m gaoxin check`: provenance, coverage and freshness of the processed data."""

from __future__ import annotations

import argparse

from gaoxin.config import DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.data import DataError, clear_cache, load_table, load_target_pairs, read_raw_text
from gaoxin.data.check import article_problem, coverage, provenance
from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.pipeline import rendered_outputs
from gaoxin.facts.tables import UNNAMED_PREFIX
from gaoxin.text.reader import ArticleError


def freshness() -> list[str]:
    """Generated files whose bytes differ from a fresh extraction (hand edits or stale data)."""
    stale = []
    for name, text in rendered_outputs().items():
        path = DATAPACKAGE_PATH.parent / name
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m gaoxin check", description=__doc__).parse_args(argv)
    clear_cache()
    problem = article_problem()
    if problem:
        print(f"check: FAILED: {problem}")
        return 1
    raw = read_raw_text()
    try:
        prov = provenance(raw)
        pairs = load_target_pairs()
    except DataError as e:
        print(f"check: FAILED to load the data: {e}")
        return 1
    ok = True
    for name, (good, total) in prov.items():
        pct = 100.0 * good / total if total else 0.0
        ok &= good == total
        print(f"provenance {name:16s} {good:4d}/{total:<4d} {pct:6.1f}%")
    facts = load_table("facts")
    unnamed = facts[facts.metric_en.str.startswith(UNNAMED_PREFIX)]
    print(
        f"annotation facts with a curated English name {len(facts) - len(unnamed):4d}/{len(facts)}"
    )
    for quote in unnamed.quote:
        print(f"  no English metric name for {quote!r} — add a row to data/annotations/facts.csv")
    ok &= unnamed.empty
    runs, missing = coverage(raw)
    pct = 100.0 * (len(runs) - len(missing)) / len(runs)
    print(f"coverage   numeral runs     {len(runs) - len(missing):4d}/{len(runs):<4d} {pct:6.1f}%")
    for start, end, text in missing:
        print(f"  not accounted for: {text!r} at {start}-{end} — add a rule or an exclusion")
    ok &= not missing
    print(f"curated    target pairs     {len(pairs):4d} rows valid")
    try:
        stale = freshness()
    except (AnnotationError, ArticleError) as e:
        print(f"check: FAILED: {e}")
        return 1
    for name in stale:
        print(f"  stale: data/{name} differs from a fresh extraction — run `make data`")
    ok &= not stale
    print(
        f"check: {'OK' if ok else 'FAILED'} ({PROCESSED_DIR.relative_to(PROCESSED_DIR.parents[1])})"
    )
    return 0 if ok else 1
