"""Run extraction end to end: raw article → data/processed/*.csv + data/datapackage.json."""

from __future__ import annotations

import time
from pathlib import Path

from gaoxin.config import ANNOTATIONS_DIR, ARTICLE_PATH, DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.data.schema import TABLES, datapackage_json
from gaoxin.facts.tables import extract_tables, render_csv
from gaoxin.text.structure import load_article


def rendered_outputs(
    article_path: Path = ARTICLE_PATH, annotations_path: Path | None = None
) -> dict[str, str]:
    """File name → exact text of every generated data file (nothing written)."""
    tables = extract_tables(
        load_article(article_path), annotations_path or ANNOTATIONS_DIR / "facts.csv"
    )
    out = {}
    for name, (_, fields) in TABLES.items():
        out[f"processed/{name}.csv"] = render_csv(tables[name], [f.name for f in fields])
    out["datapackage.json"] = datapackage_json()
    return out


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
    t0 = time.perf_counter()
    outputs = rendered_outputs()
    elapsed = time.perf_counter() - t0
    written = write_outputs(outputs)
    if verbose:
        rows = {n: t.count("\n") - 1 for n, t in outputs.items() if n.endswith(".csv")}
        summary = ", ".join(f"{Path(n).stem} {r}" for n, r in rows.items())
        state = f"wrote {len(written)} file(s)" if written else "unchanged"
        print(f"extract: {summary} rows in {elapsed * 1000:.0f} ms — {PROCESSED_DIR.name}/ {state}")
    return written
