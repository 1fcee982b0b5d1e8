"""`python -m gaoxin check`: provenance, coverage and freshness of the processed data."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

from gaoxin.config import ARTICLE_PATH, DATAPACKAGE_PATH, PROCESSED_DIR, PROJECT_ROOT, SOURCE_PATH
from gaoxin.data import DataError, clear_cache, load_table, load_target_pairs, read_raw_text
from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.tables import UNNAMED_PREFIX
from gaoxin.source import load_source
from gaoxin.text.numbers import CN_NUMERAL_CHARS
from gaoxin.text.reader import ArticleError
from gaoxin.text.structure import Sentence

NUMERAL_RUN_RE = re.compile(rf"[0-9０-９]+(?:[.．,，][0-9０-９]+)*|[{CN_NUMERAL_CHARS}]+")


def numeral_runs(raw: str):
    """Every run of digits or Chinese numeral characters: what coverage must account for."""
    for m in NUMERAL_RUN_RE.finditer(raw):
        yield m.start(), m.end(), m.group(0)


def _rebuilds(row, raw: str) -> bool:
    try:
        Sentence.from_row(row, raw)
    except ValueError:
        return False
    return True


def provenance(raw: str) -> dict[str, tuple[int, int]]:
    """Per table: (rows whose offsets reproduce their text, rows)."""
    out = {}
    facts = load_table("facts")
    out["facts"] = (
        sum(raw[s:e] == q for s, e, q in zip(facts.start, facts.end, facts.quote)),
        len(facts),
    )
    excl = load_table("exclusions")
    out["exclusions"] = (
        sum(raw[s:e] == t for s, e, t in zip(excl.start, excl.end, excl.text)),
        len(excl),
    )
    sents = load_table("sentences")
    out["sentences"] = (sum(_rebuilds(row, raw) for _, row in sents.iterrows()), len(sents))
    paras = load_table("paragraphs")
    ok = 0
    for spans, text in zip(paras.raw_spans, paras.text):
        pieces = [raw[int(a) : int(b)] for a, b in (s.split("-") for s in spans.split(";"))]
        ok += "".join(pieces) == text
    out["paragraphs"] = (ok, len(paras))
    ents = load_table("entities").set_index("entity_id")["name"]
    ments = load_table("entity_mentions")
    out["entity_mentions"] = (
        sum(raw[s:e] == ents[i] for s, e, i in zip(ments.start, ments.end, ments.entity_id)),
        len(ments),
    )
    return out


def coverage(raw: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Numeral runs in the article, and those not covered by a fact or an exclusion."""
    covered = set()
    for name in ("facts", "exclusions"):
        t = load_table(name)
        for s, e in zip(t.start, t.end):
            covered.update(range(s, e))
    runs = list(numeral_runs(raw))
    missing = [r for r in runs if not all(i in covered for i in range(r[0], r[1]))]
    return runs, missing


def freshness() -> list[str]:
    """Generated files whose bytes differ from a fresh extraction (hand edits or stale data)."""
    from gaoxin.facts.pipeline import rendered_outputs

    stale = []
    for name, text in rendered_outputs().items():
        path = DATAPACKAGE_PATH.parent / name
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            stale.append(name)
    return stale


def article_problem(path: Path = ARTICLE_PATH, source_path: Path = SOURCE_PATH) -> str | None:
    """One line when the article is not the text its metadata's checksum records."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return f"{_shown(path)}: cannot be read ({e.strerror}); restore it from git"
    try:
        source = load_source(source_path)
    except (OSError, ValueError, KeyError) as e:
        return (
            f"{_shown(source_path)}: cannot be read ({type(e).__name__}: {e}); restore it from git"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest == source.sha256:
        return None
    return (
        f"{_shown(path)}: differs from the sha256 recorded in {_shown(source_path)} "
        f"({len(data)} bytes, sha256 {digest[:12]}…; recorded {source.sha256[:12]}…); restore "
        f"it with `git checkout -- {_shown(path)}`, or, if the new text is intended, record its "
        "sha256 and bytes in source.json and run `make data`"
    )


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


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
