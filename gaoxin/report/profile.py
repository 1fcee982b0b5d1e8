"""`python -m gaoxin build --article PATH`: the standard article profile of any article of the
genre, in exports/<slug>/ with the layout and safety of the main reports.

The article is copied into a private work folder beside its extracted data (data/<slug>.txt,
data/processed/*.csv, data/datapackage.json); the profile notebook (templates/
article_profile.ipynb) gets a parameters cell pointing at ../data, is executed once by the
worker's kernel runner, and every format comes from that one execution: reader HTML,
walkthrough HTML, PDF, figures, the data and
an index page. Pages are sanitized, self-contained and carry the CJK font subset; the
article's text only ever reaches them escaped. Files are published whole into exports/<slug>/.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from gaoxin import config
from gaoxin.report import limits
from gaoxin.report.cache import environment_hash
from gaoxin.report.execute import Interrupted, reset_stop
from gaoxin.report.fonts import use_disk_cache
from gaoxin.report.lock import build_lock
from gaoxin.report.pool import BuildInterrupted, signals_interrupt
from gaoxin.report.publish import MANAGED, publish
from gaoxin.report.task import NotebookTask

TEMPLATE = Path(__file__).resolve().parent / "templates" / "article_profile.ipynb"
STEM = "article_profile"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
DEFAULT_SLUG = "article"
SLUG_HASH_CHARS = 8
PROG = "build"


def article_slug(path: Path) -> str:
    """exports/<slug>/ for an article file: the readable words of its name ([a-z0-9-], else
    "article") and a short hash of its name and content, so two articles never share a folder
    (文章.txt and 报告.txt included) and a slug is never a folder the main build manages."""
    path = Path(path)
    words = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40].strip("-")
    h = hashlib.sha256(path.name.encode("utf-8") + b"\0")
    with contextlib.suppress(OSError):
        h.update(path.read_bytes())
    slug = f"{words or DEFAULT_SLUG}-{h.hexdigest()[:SLUG_HASH_CHARS]}"
    return f"article-{slug}" if slug in MANAGED else slug


def parameters_cell(article_name: str) -> Any:
    """The cell the build puts after the notebook's parameters: paths relative to the notebook,
    so the executed notebook reads ../data beside it."""
    import nbformat

    source = (
        "from pathlib import Path\n\n"
        f"ARTICLE = Path({('../data/' + article_name)!r})\n"
        'DATA_DIR = Path("../data")'
    )
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "cell-parameters"
    cell.metadata["tags"] = [INJECTED_TAG]
    return cell


def with_parameters(nb: Any, article_name: str) -> Any:
    """The notebook with the injected parameters cell right after its parameters cell."""
    where = next(
        (i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.metadata.get("tags", [])), None
    )
    if where is None:
        raise ValueError(f"{TEMPLATE.name}: no cell tagged {PARAMETERS_TAG!r}")
    nb.cells.insert(where + 1, parameters_cell(article_name))
    return nb


def _index_page(title: str, source: str, figures: list[dict[str, str]]) -> str:
    from gaoxin.report.render import render_page

    links = [
        (f"html/{STEM}.html", "报告 Report (reader HTML)"),
        (f"walkthrough/{STEM}.html", "代码 Walkthrough (HTML with code)"),
        (f"pdf/{STEM}.pdf", "PDF (A4)"),
        ("data/datapackage.json", "数据 Data Package (CSV tables + descriptor)"),
    ]
    links += [(f"figures/{STEM}/{f['name']}.png", f"图 Figure: {f['name']}") for f in figures]
    items = "".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in links)
    body = f"<h1>{html.escape(title)}</h1><p>Source: {html.escape(source)}</p><ul>{items}</ul>"
    return render_page(f"{title} · {source}", body, "gx-index")


def _export(nb: Any, source_nb: Any, key: str, source: str) -> dict[str, bytes]:
    """Every format of the executed profile, as files relative to exports/<slug>/."""
    from gaoxin.report.transform import title_and_summary
    from gaoxin.report.worker import export_files

    title, _ = title_and_summary(source_nb, STEM)
    files, listing = export_files(nb, source_nb, STEM, title, key, source=source)
    files["index.html"] = _index_page(title, source, listing).encode("utf-8")
    return files


def _source_line(data_dir: Path) -> str:
    import json

    about = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    return str((about.get("sources") or [{}])[0].get("title") or about.get("title", ""))


def _prepare(article: Path, work: Path, slug: str) -> Path:
    """Copy the article into work/data and extract it there; the data folder."""
    from gaoxin.facts.pipeline import extract_article
    from gaoxin.text.reader import read_raw

    read_raw(article)  # a clear one-line error for a missing, binary or non-UTF-8 file
    data_dir = work / "data"
    data_dir.mkdir(parents=True)
    copy = data_dir / f"{slug}.txt"
    copy.write_bytes(Path(article).read_bytes())
    extract_article(copy, data_dir)
    return data_dir


def build_profile(
    article: Path,
    exports_dir: Path | None = None,
    cache_dir: Path | None = None,
    timeout: int = 600,
    out: TextIO | None = None,
) -> int:
    """Build exports/<slug>/ for one article; exit status 0, or 1 with one line on stderr."""
    stream = out or sys.stdout
    article = Path(article)
    slug = article_slug(article)
    target = Path(exports_dir or config.EXPORTS_DIR).resolve() / slug
    cache_dir = Path(cache_dir or config.PROJECT_ROOT / ".cache").resolve()
    # One build at a time: a profile publishes inside exports/, which the main build swaps whole.
    with build_lock(cache_dir):
        reset_stop()
        try:
            with signals_interrupt():
                return _build_profile(article, slug, target, cache_dir, timeout, stream)
        except Interrupted as stop:
            raise BuildInterrupted(
                f"build --article interrupted by {stop}: kernel shut down, temporary files "
                f"removed; {target} unchanged",
                stop.signum,
            ) from None


def _build_profile(
    article: Path, slug: str, target: Path, cache_dir: Path, timeout: int, stream: TextIO
) -> int:
    import nbformat

    from gaoxin.facts.annotations import AnnotationError
    from gaoxin.report.errors import BuildError
    from gaoxin.report.worker import SOURCE_DATE_EPOCH, _execute
    from gaoxin.text.reader import ArticleError

    use_disk_cache(cache_dir / "build" / "fonts")
    work = Path(tempfile.mkdtemp(prefix=f"gaoxin-profile-{slug}-"))
    try:
        try:
            data_dir = _prepare(article, work, slug)
        except (ArticleError, AnnotationError) as e:
            print(f"{PROG}: {e}", file=sys.stderr)
            return 1
        source_nb = with_parameters(nbformat.read(TEMPLATE, as_version=4), f"{slug}.txt")
        notebook = work / "notebook" / f"{STEM}.ipynb"
        notebook.parent.mkdir()
        nbformat.write(source_nb, notebook)
        key = hashlib.sha256(
            (environment_hash(data_dir) + TEMPLATE.read_text(encoding="utf-8")).encode()
        ).hexdigest()
        task = NotebookTask(
            stem=STEM,
            path=notebook,
            timeout=timeout,
            failed_dir=cache_dir / "failed" / "profile",
            run_dir=work / "run",  # where the worker notes its kernel's pid
        )
        stream.write(f"[{slug}] executing the article profile of {article}\n")
        stream.flush()
        os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
        result: dict[str, Any] = {}
        nb = _execute(task, source_nb, result)
        if nb is None:
            print(f"{PROG}: ERROR {result['message']}", file=sys.stderr)
            return 1
        nb = nbformat.reads(nbformat.writes(nb), as_version=4)
        try:
            with limits.time_limit(timeout, f"{article}: exporting the article profile"):
                files = _export(nb, source_nb, key, _source_line(data_dir))
        except (BuildError, limits.LimitExceeded) as e:
            print(f"{PROG}: ERROR {e}", file=sys.stderr)
            return 1
        for path in sorted(data_dir.rglob("*")):
            if path.is_file():
                files[f"data/{path.relative_to(data_dir).as_posix()}"] = path.read_bytes()
        staged = work / "out"
        paths = {}
        for rel, blob in files.items():
            path = staged / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob)
            paths[rel] = (path, None)  # no recorded digest: publish compares the bytes
        changed = publish(paths, target, remove_stale=True)
        stream.write(f"[{slug}] article profile ok: {changed} files updated in {target}\n")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
