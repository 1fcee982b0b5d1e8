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

import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gaoxin import config
from gaoxin.report.cache import environment_hash, notebook_key, site_key
from gaoxin.report.errors import BuildError
from gaoxin.report.publish import publish, read_tree
from gaoxin.report.worker import build_notebook

CACHE_DIR = config.PROJECT_ROOT / ".cache"
NOTEBOOK_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_\-]+\.ipynb$")
DEFAULT_TIMEOUT = 600

__all__ = ["BuildError", "BuildResult", "Failure", "build", "discover"]


@dataclass
class Failure:
    stem: str
    message: str
    failed_notebook: Path | None = None


@dataclass
class BuildResult:
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    published: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


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

    env_hash = environment_hash(data_dir)
    entries_root = cache_dir / "build" / "nb"
    failed_dir = cache_dir / "failed"
    result = BuildResult()
    keys: dict[str, str] = {}
    tasks = []
    for path in all_notebooks:
        stem = path.stem
        keys[stem] = notebook_key(env_hash, path)
        entry = entries_root / stem / keys[stem]
        if path not in selected:
            continue
        if (entry / "meta.json").is_file():
            result.cached.append(stem)
            emit(f"[{stem}] up to date (cached)")
            continue
        entry.parent.mkdir(parents=True, exist_ok=True)
        tasks.append(
            {
                "stem": stem,
                "path": str(path),
                "key": keys[stem],
                "entry": str(entry),
                "failed_dir": str(failed_dir),
                "timeout": timeout,
                "announce": stream is sys.stdout,
            }
        )

    for res in _run_tasks(tasks, jobs, emit):
        if res["ok"]:
            result.executed.append(res["stem"])
            entry = entries_root / res["stem"] / keys[res["stem"]]
            for old in entry.parent.iterdir():
                if old != entry and not old.name.startswith("."):
                    shutil.rmtree(old, ignore_errors=True)
        else:
            failed = Path(res["failed"]) if res.get("failed") else None
            result.failures.append(Failure(res["stem"], res["message"], failed))
    result.executed.sort()

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
        entry = entries_root / path.stem / keys[path.stem]
        if not (entry / "meta.json").is_file():
            complete = False
            continue
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        reports.append(meta)
        if meta["images_without_alt"]:
            cells = meta["images_without_alt"]
            emit(f"[{path.stem}] warning: image without alt text in cells {cells}")
        if path in selected:
            files.update(read_tree(entry / "files"))

    if complete:
        from gaoxin.report.site import site_files

        key = site_key(env_hash, keys)
        site_entry = cache_dir / "build" / "site" / key[:32]
        if not (site_entry / "done").is_file():
            tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_entry.parent.parent))
            for rel, data in site_files(data_dir, reports, key).items():
                (tmp / "files" / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / "files" / rel).write_bytes(data)
            (tmp / "done").write_text("ok\n")
            site_entry.parent.mkdir(parents=True, exist_ok=True)
            for old in site_entry.parent.iterdir():
                shutil.rmtree(old, ignore_errors=True)
            os.replace(tmp, site_entry)
        files.update(read_tree(site_entry / "files"))
    else:
        emit("index.html and data/ not updated: some notebooks have no current build (run all)")

    result.published = publish(files, exports_dir, remove_stale=only is None)
    result.seconds = time.perf_counter() - started
    emit(
        f"build ok: {len(result.executed)} executed, {len(result.cached)} cached, "
        f"{result.published} files updated in {exports_dir} ({result.seconds:.1f} s)"
    )
    return result
