"""Build every report from the notebooks: execute each once, export every format, cache by hash.

``python -m gaoxin build [--only NN] [--jobs N]`` writes into ``exports/`` (see exports/README.md):
reader HTML, walkthrough HTML, PDF, student notebooks, figures, data and index.html. Each notebook
is executed once per change (content hash of the notebook, the data, the gaoxin package and the
key tool versions); all formats come from that one execution. Output is self-contained (fonts
and images inline, no scripts, no external URLs), deterministic, and published only when every
notebook succeeded.

Heavy libraries (nbclient, nbconvert, WeasyPrint, fontTools) are imported lazily, in the modules
that need them.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gaoxin import config
from gaoxin.report.cache import (
    entry_files,
    environment_hash,
    execution_hash,
    notebook_key,
    read_entry,
    site_key,
    write_entry,
)
from gaoxin.report.errors import BuildError
from gaoxin.report.fonts import use_disk_cache
from gaoxin.report.publish import publish
from gaoxin.report.worker import build_notebook

CACHE_DIR = config.PROJECT_ROOT / ".cache"
NOTEBOOK_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_\-]+\.ipynb$")
DEFAULT_TIMEOUT = 600
PRELOAD = [
    "gaoxin.report.worker",
    "nbformat",
    "nbclient",
    "nbconvert",
    "weasyprint",
    "fontTools.subset",
]

__all__ = ["BuildError", "BuildResult", "Failure", "build", "discover"]


@dataclass
class Failure:
    stem: str
    message: str
    failed_notebook: Path | None = None


@dataclass
class BuildResult:
    executed: list[str] = field(default_factory=list)
    exported: list[str] = field(default_factory=list)  # re-exported from a cached execution
    cached: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    published: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def _prune(folder: Path, keep: str) -> None:
    """Remove every entry of a folder but the current one (staging folders start with '.')."""
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != keep and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)


def discover(notebooks_dir: Path, only: str | None = None) -> list[Path]:
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    if only is not None:
        notebooks = [p for p in notebooks if p.name.startswith(f"{int(only):02d}_")]
    return notebooks


def _run_tasks(
    tasks: list[dict[str, Any]], jobs: int, emit: Callable[[str], None]
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []

    def report(res: dict[str, Any]) -> None:
        if res["ok"]:
            detail = f"execute {res['execute']:.1f} s, export {res['export']:.1f} s"
            emit(f"[{res['stem']}] done in {res['seconds']:.1f} s ({detail})")
        else:
            emit(f"[{res['stem']}] FAILED after {res['seconds']:.1f} s")
        results.append(res)

    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            report(build_notebook(task))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has already imported the heavy libraries, once.
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = [pool.submit(build_notebook, task) for task in tasks]
        for future in as_completed(futures):
            report(future.result())
    return results


def build(
    notebooks_dir: Path | None = None,
    exports_dir: Path | None = None,
    cache_dir: Path | None = None,
    data_dir: Path | None = None,
    only: str | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    out: TextIO | None = None,
    environment_salt: str = "",
) -> BuildResult:
    """Build (or reuse from cache) every notebook's exports and publish them into exports_dir."""
    started = time.perf_counter()
    notebooks_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    exports_dir = Path(exports_dir or config.EXPORTS_DIR).resolve()
    cache_dir = Path(cache_dir or CACHE_DIR).resolve()
    data_dir = Path(data_dir or config.DATA_DIR).resolve()
    jobs = max(1, jobs or os.cpu_count() or 1)
    stream = out or sys.stdout

    def emit(line: str) -> None:
        stream.write(line + "\n")
        stream.flush()

    all_notebooks = discover(notebooks_dir)
    if not all_notebooks:
        raise BuildError(f"no notebooks named NN_topic.ipynb in {notebooks_dir}")
    selected = discover(notebooks_dir, only) if only is not None else all_notebooks
    if not selected:
        raise BuildError(f"no notebook numbered {only!r} in {notebooks_dir}")

    # A salt stands in for a change to the report code (bench): new export keys, same executions.
    env_hash = environment_hash(data_dir) + environment_salt
    exec_hash = execution_hash(data_dir)
    entries_root = cache_dir / "build" / "nb"
    exec_root = cache_dir / "build" / "exec"
    failed_dir = cache_dir / "failed"
    font_cache = cache_dir / "build" / "fonts"
    use_disk_cache(font_cache)
    result = BuildResult()
    keys: dict[str, str] = {}
    metas: dict[str, dict[str, Any]] = {}
    tasks = []
    for path in all_notebooks:
        stem = path.stem
        keys[stem] = notebook_key(env_hash, path)
        entry = entries_root / stem / keys[stem]
        meta = read_entry(entry)
        if meta is not None:
            metas[stem] = meta
        if path not in selected:
            continue
        if meta is not None:
            result.cached.append(stem)
            emit(f"[{stem}] up to date (cached)")
            continue
        tasks.append(
            {
                "stem": stem,
                "path": str(path),
                "key": keys[stem],
                "entry": str(entry),
                "exec_entry": str(exec_root / stem / notebook_key(exec_hash, path)),
                "failed_dir": str(failed_dir),
                "font_cache": str(font_cache),
                "timeout": timeout,
                "announce": stream is sys.stdout,
            }
        )

    for res in _run_tasks(tasks, jobs, emit):
        stem = res["stem"]
        if res["ok"]:
            (result.exported if res["reused_execution"] else result.executed).append(stem)
            metas[stem] = read_entry(entries_root / stem / keys[stem]) or {}
            for root, keep in ((entries_root, keys[stem]), (exec_root, None)):
                _prune(
                    root / stem,
                    keep or Path(next(t["exec_entry"] for t in tasks if t["stem"] == stem)).name,
                )
        else:
            failed = Path(res["failed"]) if res.get("failed") else None
            result.failures.append(Failure(stem, res["message"], failed))
    result.executed.sort()
    result.exported.sort()

    if result.failures:
        for failure in sorted(result.failures, key=lambda f: f.stem):
            emit(f"ERROR {failure.message}")
            if failure.failed_notebook:
                emit(f"      executed notebook kept for inspection: {failure.failed_notebook}")
        emit(f"build failed; {exports_dir} left unchanged")
        result.seconds = time.perf_counter() - started
        return result

    files: dict[str, Path] = {}
    reports: list[dict[str, Any]] = []
    complete = True
    for path in all_notebooks:
        meta = metas.get(path.stem)
        if not meta:
            complete = False
            continue
        reports.append(meta)
        if meta["images_without_alt"]:
            cells = meta["images_without_alt"]
            emit(f"[{path.stem}] warning: image without alt text in cells {cells}")
        if path in selected:
            files.update(entry_files(entries_root / path.stem / keys[path.stem]))

    if complete:
        from gaoxin.report.site import site_files

        key = site_key(env_hash, keys)
        site_entry = cache_dir / "build" / "site" / key[:32]
        if read_entry(site_entry) is None:
            blobs = {
                f"files/{rel}": data for rel, data in site_files(data_dir, reports, key).items()
            }
            write_entry(site_entry, blobs, {"key": key})
            _prune(site_entry.parent, site_entry.name)
        files.update(entry_files(site_entry))
    else:
        emit("index.html and data/ not updated: some notebooks have no current build (run all)")

    result.published = publish(files, exports_dir, remove_stale=only is None)
    result.seconds = time.perf_counter() - started
    emit(
        f"build ok: {len(result.executed)} executed, {len(result.exported)} re-exported, "
        f"{len(result.cached)} cached, "
        f"{result.published} files updated in {exports_dir} ({result.seconds:.1f} s)"
    )
    return result
