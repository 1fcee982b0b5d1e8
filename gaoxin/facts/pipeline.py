"""Run extraction end to end: raw article → data/processed/*.csv + data/datapackage.json."""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

from gaoxin.config import ARTICLE_PATH, DATA_DIR, DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.data.schema import TABLES, curated_tables, datapackage_json, file_stats
from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.tables import DEFAULT_ANNOTATIONS, extract_tables, render_csv
from gaoxin.text.reader import ArticleError
from gaoxin.text.structure import load_article


def rendered_outputs(
    article_path: Path = ARTICLE_PATH, annotations_path: Path | None = None
) -> dict[str, str]:
    """File name → exact text of every generated data file (nothing written).

    datapackage.json records each table's size, sha256 and row count, so a loader can tell a
    truncated, edited or stale table from the one extraction wrote."""
    annotations_path = annotations_path or DEFAULT_ANNOTATIONS
    tables = extract_tables(load_article(article_path), annotations_path)
    out, stats = {}, {}
    for name, (_, fields) in TABLES.items():
        text = render_csv(tables[name], [f.name for f in fields])
        out[f"processed/{name}.csv"] = text
        stats[name] = file_stats(text.encode("utf-8"), len(tables[name]))
    # The curated tables belong to the package only when they are this project's own files.
    own = annotations_path == DEFAULT_ANNOTATIONS
    if own:
        for name, (path, _, _) in curated_tables().items():
            stats[name] = _curated_stats(DATA_DIR / path)
    out["datapackage.json"] = datapackage_json(stats, annotations=own)
    return out


def _curated_stats(path: Path) -> dict | None:
    if not path.is_file():
        return None
    data = path.read_bytes()
    rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline="")))
    return file_stats(data, max(rows - 1, 0))


def write_outputs(outputs: dict[str, str], data_dir: Path | None = None) -> list[str]:
    """Write files whose bytes changed (atomically); return the names written."""
    data_dir = data_dir or DATAPACKAGE_PATH.parent
    written = []
    for name, text in outputs.items():
        path = data_dir / name
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(name)
    return written


def extract(verbose: bool = True) -> list[str]:
    """`python -m gaoxin extract`: a bad input stops it with one line and exit status 1."""
    t0 = time.perf_counter()
    try:
        outputs = rendered_outputs()
    except (AnnotationError, ArticleError) as e:
        print(f"extract: {e}", file=sys.stderr)
        raise SystemExit(1) from None
    elapsed = time.perf_counter() - t0
    written = write_outputs(outputs)
    if verbose:
        rows = {n: t.count("\n") - 1 for n, t in outputs.items() if n.endswith(".csv")}
        summary = ", ".join(f"{Path(n).stem} {r}" for n, r in rows.items())
        state = f"wrote {len(written)} file(s)" if written else "unchanged"
        print(f"extract: {summary} rows in {elapsed * 1000:.0f} ms — {PROCESSED_DIR.name}/ {state}")
    return written
