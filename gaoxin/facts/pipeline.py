"""Run extraction end to end: raw article → data/processed/*.csv + data/datapackage.json."""

from __future__ import annotations

import csv
import io
import re
import sys
import time
from pathlib import Path

from gaoxin.config import ARTICLE_PATH, DATA_DIR, DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.data.schema import TABLES, curated_tables, datapackage_json, file_stats
from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.rules import FactRules
from gaoxin.facts.tables import DEFAULT_ANNOTATIONS, UNNAMED_PREFIX, extract_tables, render_csv
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
    # The curated tables belong to the package only when they are this project's own files.
    own = annotations_path == DEFAULT_ANNOTATIONS
    curated = {n: _curated_stats(DATA_DIR / p) for n, (p, _, _) in curated_tables().items()}
    return _render(tables, curated if own else None)


def article_outputs(article_path: Path, annotations_path: Path | None = None) -> dict[str, str]:
    """Like rendered_outputs, for any article of the genre: rules alone unless an annotations
    file is given, and the Data Package described from the article's own text."""
    article = load_article(article_path)
    tables = extract_tables(article, annotations_path, progress_line(Path(article_path), article))
    rules = FactRules(article, [])
    byline = article.byline.text if article.byline else ""
    source = f"{article.title.text} ({byline})" if byline else article.title.text
    about = {
        "name": _slug(Path(article_path).stem),
        "title": article.title.text,
        "description": f"Quantities, structure and entities extracted by rule from "
        f"{Path(article_path).name}; every row carries character offsets into that file.",
        "sources": [{"title": source}],
        "report_year": rules.result_year,
        "plan_year": rules.target_year,
    }
    return _render(tables, None, about)


# A text this long (characters) takes seconds to read: extraction says how far it has come.
LONG_INPUT_CHARS = 200_000
PROGRESS_STEP = 10  # percent


def progress_line(path: Path, article, stream=None):
    """For a long text, a callback that writes 'extract: NAME: 30% read' to stderr every
    PROGRESS_STEP percent; None for a short one (no output)."""
    if len(article.raw) < LONG_INPUT_CHARS:
        return None
    stream = stream or sys.stderr
    print(f"extract: {path.name}: {len(article.raw):,} characters, reading…", file=stream)
    shown = [0]

    def report(offset: int, length: int) -> None:
        percent = offset * 100 // max(length, 1) // PROGRESS_STEP * PROGRESS_STEP
        if percent > shown[0]:
            shown[0] = percent
            print(f"extract: {path.name}: {percent}% read", file=stream, flush=True)

    return report


def extract_article(
    article_path: Path, out_dir: Path, annotations_path: Path | None = None
) -> list[str]:
    """Extract any article into out_dir/processed/*.csv + out_dir/datapackage.json; the tables
    load with gaoxin.data.load_table(name, directory=out_dir / "processed", article=path)."""
    return write_outputs(article_outputs(article_path, annotations_path), Path(out_dir))


def _render(tables: dict, curated: dict | None, about: dict | None = None) -> dict[str, str]:
    out, stats = {}, {}
    for name, (_, fields) in TABLES.items():
        text = render_csv(tables[name], [f.name for f in fields])
        out[f"processed/{name}.csv"] = text
        stats[name] = file_stats(text.encode("utf-8"), len(tables[name]))
    stats |= curated or {}
    out["datapackage.json"] = datapackage_json(stats, annotations=curated is not None, about=about)
    return out


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "article"


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
    tables = {
        Path(n).stem: list(csv.DictReader(io.StringIO(t, newline="")))
        for n, t in outputs.items()
        if n.endswith(".csv")
    }
    if verbose:
        summary = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
        state = f"wrote {len(written)} file(s)" if written else "unchanged"
        print(f"extract: {summary} rows in {elapsed * 1000:.0f} ms — {PROCESSED_DIR.name}/ {state}")
    unnamed = [f["quote"] for f in tables["facts"] if f["metric_en"].startswith(UNNAMED_PREFIX)]
    if unnamed:
        # Rows lost from the annotations file (e.g. cut at a line end) show up here.
        print(
            f"extract: warning: {len(unnamed)} fact(s) have no curated English name "
            f"(first: {unnamed[0]!r}); add rows to data/annotations/facts.csv or restore it "
            "with git; `python -m gaoxin check` lists them",
            file=sys.stderr,
        )
    return written
