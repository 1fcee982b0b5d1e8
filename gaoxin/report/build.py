"""Build every report from the notebooks: execute each once, export every format, cache by hash.

``python -m gaoxin build [--only NN] [--jobs N] [--timeout S]`` writes into ``exports/`` (see
exports/README.md): reader HTML, walkthrough HTML, PDF, figures, data and
index.html. Each notebook is executed once per change (content hash of the notebook, the data,
the gaoxin package and the key tool versions); all formats come from that one execution, which is
cached on its own, so a change to the report code re-exports without executing. Output is
self-contained (fonts and images inline, no scripts, no external URLs), deterministic, and
published whole (see gaoxin.report.publish) only when every notebook succeeded.

Heavy libraries (nbclient, nbconvert, WeasyPrint, fontTools) are imported lazily, in the modules
that need them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from gaoxin import config
from gaoxin.report.cache import (
    cached_entry,
    changed_inputs,
    entry_files,
    environment_hash,
    execution_hash,
    file_hash,
    input_digests,
    notebook_key,
    package_files,
    prune,
    read_entry,
    site_key,
)
from gaoxin.report.errors import BuildError
from gaoxin.report.fonts import input_characters, use_disk_cache
from gaoxin.report.lock import build_lock
from gaoxin.report.progress import SITE_STEPS, BuildProgress
from gaoxin.report.publish import PublishError, publish
from gaoxin.report.task import NotebookTask, SiteTask

CACHE_DIR = config.PROJECT_ROOT / ".cache"
NOTEBOOK_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_\-]+\.ipynb$")
NOTEBOOK_PATTERN = "NN_topic.ipynb (two digits, an underscore, letters, digits, _ or -)"
# A cell that runs longer than this stops the build; notebooks here take seconds per cell.
DEFAULT_TIMEOUT = 300  # seconds per cell, and for each notebook's export (both editions)

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


def discover(notebooks_dir: Path, only: str | None = None) -> list[Path]:
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    if only is not None:
        notebooks = [p for p in notebooks if p.name.startswith(f"{int(only):02d}_")]
    return notebooks


def misnamed(notebooks_dir: Path) -> list[Path]:
    """Notebooks the build skips because their names do not fit the pattern."""
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if not NOTEBOOK_RE.match(p.name))


def _check_notebook(path: Path, content: bytes | None = None) -> None:
    """Fail with the file and the place when a notebook is not readable JSON of a notebook."""
    content = path.read_bytes() if content is None else content
    if not content.strip():
        raise BuildError(f"{path}: empty file, not a notebook; restore it from git or delete it")
    try:
        data = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not UTF-8 (byte {exc.start}); restore it from git") from None
    except json.JSONDecodeError as exc:
        raise BuildError(
            f"{path}: not valid notebook JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); fix it or restore it from git"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise BuildError(f"{path}: JSON without a list of cells; not a notebook")


def check_source() -> None:
    """Every page's footer cites the source: a broken source.json stops the build here."""
    from gaoxin.source import load_source

    try:
        load_source()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        raise BuildError(
            f"{config.SOURCE_PATH}: cannot read the article's metadata ({problem}); "
            "restore it from git"
        ) from None


def _remove_staging(cache_dir: Path) -> None:
    """Half-written cache entries ('.name-*') of a build that was killed."""
    build_root = cache_dir / "build"
    if build_root.is_dir():
        for staging in build_root.glob("*/*/.*"):
            shutil.rmtree(staging, ignore_errors=True)
        for staging in build_root.glob("*/.*"):
            shutil.rmtree(staging, ignore_errors=True)


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
    take_lock: bool = True,
) -> BuildResult:
    """Build (or reuse from cache) every notebook's exports and publish them into exports_dir.

    take_lock=False is for a caller that already holds the build lock (report)."""
    notebooks_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    cache_dir = Path(cache_dir or CACHE_DIR).resolve()
    stream = out or sys.stdout
    # A bar on a terminal (lines print above it), plain lines anywhere else.
    progress = BuildProgress(stream)

    if not notebooks_dir.is_dir():
        raise BuildError(f"notebooks folder {notebooks_dir} does not exist")
    check_source()
    with build_lock(cache_dir) if take_lock else contextlib.nullcontext(), progress:
        return _build(
            notebooks_dir,
            Path(exports_dir or config.EXPORTS_DIR).resolve(),
            cache_dir,
            Path(data_dir or config.DATA_DIR).resolve(),
            only,
            max(1, jobs or os.cpu_count() or 1),
            timeout,
            progress.line,
            stream is sys.stdout and not progress.bar,  # workers' start lines would break a bar
            environment_salt,
            progress,
        )


def _build(
    notebooks_dir: Path,
    exports_dir: Path,
    cache_dir: Path,
    data_dir: Path,
    only: str | None,
    jobs: int,
    timeout: int,
    emit: Callable[[str], None],
    announce: bool,
    environment_salt: str,
    progress: BuildProgress | None = None,
) -> BuildResult:
    started = time.perf_counter()
    _remove_staging(cache_dir)
    for path in misnamed(notebooks_dir):
        emit(f"warning: {path} is not built: its name does not fit {NOTEBOOK_PATTERN}")
    all_notebooks = discover(notebooks_dir)
    if not all_notebooks:
        raise BuildError(f"no notebooks named NN_topic.ipynb in {notebooks_dir}")
    selected = discover(notebooks_dir, only) if only is not None else all_notebooks
    if not selected:
        raise BuildError(f"no notebook numbered {only!r} in {notebooks_dir}")

    # The snapshot: every input is hashed once, here; notebooks are read once and every stage
    # works from those bytes. Before anything is kept or published the inputs are hashed again
    # (workers: snapshot.changed; here: _verify): a change in between stops the build with the
    # file named, so it never mixes two states and never files new content under an old key.
    sources = {path: path.read_bytes() for path in all_notebooks}
    inputs = input_digests(data_dir)  # package and data: what every notebook depends on
    snapshot = {**inputs, **{str(p): hashlib.sha256(b).hexdigest() for p, b in sources.items()}}
    # A salt stands in for a change to the report code (bench): new export keys, same executions.
    env_hash = environment_hash(data_dir) + environment_salt
    exec_hash = execution_hash(data_dir)
    entries_root = cache_dir / "build" / "nb"
    exec_root = cache_dir / "build" / "exec"
    font_cache = cache_dir / "build" / "fonts"
    use_disk_cache(font_cache)
    result = BuildResult()
    keys: dict[str, str] = {}
    metas: dict[str, dict[str, Any]] = {}
    tasks = []
    for path in all_notebooks:
        stem = path.stem
        keys[stem] = notebook_key(env_hash, path, sources[path])
        meta = read_entry(entries_root / stem / keys[stem])
        if meta is not None:
            metas[stem] = meta
        if path not in selected:
            continue
        if meta is not None:
            result.cached.append(stem)
            emit(f"[{stem}] up to date (cached)")
            continue
        _check_notebook(path, sources[path])
        tasks.append(
            NotebookTask(
                stem=stem,
                path=path,
                source=sources[path].decode("utf-8"),
                data_dir=data_dir,
                inputs=inputs,
                key=keys[stem],
                entry=entries_root / stem / keys[stem],
                exec_entry=exec_root / stem / notebook_key(exec_hash, path, sources[path]),
                failed_dir=cache_dir / "failed",
                font_cache=font_cache,
                timeout=timeout,
                announce=announce,
                run_dir=cache_dir / "run" / str(os.getpid()),
            )
        )

    @cache
    def font_base() -> str:  # worked out only when something is made (0.1 s; never in a no-op)
        return _font_base(sources, data_dir)

    if tasks:
        tasks = [replace(t, font_base=font_base()) for t in tasks]
    if any(t.exec_entry is None or read_entry(t.exec_entry) is None for t in tasks):
        from gaoxin.report.execute import check_checkout

        problem = check_checkout(notebooks_dir)
        if problem:
            raise BuildError(problem)

    from gaoxin.report.pool import run_tasks

    progress = progress or BuildProgress(sys.stdout, bar=False)
    progress.start(len(selected), len(result.cached))

    def finished(line: str) -> None:  # run_tasks emits one line per finished notebook
        emit(line)
        progress.advance()

    # The site's files that need no notebook (data/, the fixed pages) have keys of their own:
    # a worker left free while the last notebooks run makes them (pool.run_tasks).
    data_key = site_key(exec_hash + file_hash(Path(__file__).with_name("site.py")), {})
    fixed_key = site_key(f"{env_hash}:fixed", {})
    site_root = cache_dir / "build"
    data_entry, fixed_entry = (
        site_root / "data" / data_key[:32],
        site_root / "fixed" / fixed_key[:32],
    )
    site_ahead = None
    every = all(p.stem in metas or p in selected for p in all_notebooks)
    if tasks and every and (read_entry(data_entry) is None or read_entry(fixed_entry) is None):
        site_ahead = SiteTask(
            data_dir, data_entry, data_key, fixed_entry, fixed_key, font_cache, font_base(), inputs
        )
    run_dir = cache_dir / "run" / str(os.getpid())
    for res in run_tasks(tasks, jobs, run_dir, finished, site_ahead):
        stem = res["stem"]
        if res["ok"]:
            (result.exported if res["reused_execution"] else result.executed).append(stem)
            metas[stem] = read_entry(entries_root / stem / keys[stem]) or {}
            prune(entries_root / stem, keys[stem])
            prune(exec_root / stem, Path(res["exec_entry"]).name)
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

    _verify(snapshot, data_dir, all_notebooks, exports_dir)
    files: dict[str, tuple[Path, str | None]] = {}
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

    progress.describe(SITE_STEPS[0])
    if complete:
        pages_key = site_key(env_hash, keys)
        site_files, site_entries = _site(
            data_dir,
            reports,
            (data_entry, fixed_entry, site_root / "site" / pages_key[:32]),
            (data_key, fixed_key, pages_key),
            lambda: use_disk_cache(font_cache, font_base()),
        )
        files.update(site_files)
        try:
            _verify(snapshot, data_dir, all_notebooks, exports_dir)
        except BuildError:
            for entry in site_entries:  # may hold data read after the change
                shutil.rmtree(entry, ignore_errors=True)
            raise
    else:
        emit("index.html and data/ not updated: some notebooks have no current build (run all)")

    progress.advance(SITE_STEPS[1])
    try:
        result.published = publish(files, exports_dir, remove_stale=only is None, emit=emit)
    except (OSError, PublishError) as exc:
        raise BuildError(f"publishing into {exports_dir} failed ({exc}); it is unchanged") from None
    result.seconds = time.perf_counter() - started
    progress.advance("build ok")
    emit(
        f"build ok: {len(result.executed)} executed, {len(result.exported)} re-exported, "
        f"{len(result.cached)} cached, "
        f"{result.published} files updated in {exports_dir} ({result.seconds:.1f} s)"
    )
    return result


def _font_base(sources: dict[Path, bytes], data_dir: Path) -> str:
    """The characters of every input (the notebooks as the build read them, the data, the
    package): each page's font subset is cut from a base subset of them (fonts.use_disk_cache)."""
    files = [*package_files(), *(p for p in data_dir.rglob("*") if p.is_file())]
    return input_characters([*sources.values(), *(p.read_bytes() for p in files)])


def _verify(
    snapshot: dict[str, str], data_dir: Path, notebooks: list[Path], exports_dir: Path
) -> None:
    """Stop, naming the files, when an input changed since the build hashed it."""
    changed = changed_inputs(snapshot, input_digests(data_dir, notebooks))
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise BuildError(
            f"{changed[0]}{more} changed while the build was running; nothing was published "
            f"({exports_dir} is unchanged): wait for the other command or edit, then build again"
        )


def _site(
    data_dir: Path,
    reports: list[dict[str, Any]],
    entries: tuple[Path, Path, Path],
    keys: tuple[str, str, str],
    fonts_ready: Callable[[], None],
) -> tuple[dict[str, tuple[Path, str]], list[Path]]:
    """Site-wide files in three cache entries (data, fixed, pages), each with the key of what it
    depends on: data/ by the data alone, so an edited notebook reuses the workbook; the fixed
    pages (site.fixed_pages) by the data and the package, since no notebook goes into them (a
    worker may have made both while the last notebooks ran); the front pages by the site key.
    fonts_ready() runs before any page is made."""
    # heavy: pandas, openpyxl and WeasyPrint, which a build with nothing to make never loads
    from gaoxin.report import site

    (data_entry, fixed_entry, pages_entry), (data_key, fixed_key, pages_key) = entries, keys
    cached_entry(data_entry, lambda: site.data_files(data_dir), {"key": data_key})

    def fixed() -> dict[str, bytes]:
        fonts_ready()
        return site.fixed_pages(data_dir)

    cached_entry(fixed_entry, fixed, {"key": fixed_key})

    def read(entry: Path) -> dict[str, bytes]:
        return {rel: path.read_bytes() for rel, (path, _) in entry_files(entry).items()}

    def pages() -> dict[str, bytes]:
        fonts_ready()
        return site.page_files(data_dir, read(data_entry), reports, pages_key, read(fixed_entry))

    cached_entry(pages_entry, pages, {"key": pages_key})
    made = [data_entry, fixed_entry, pages_entry]
    return {rel: where for entry in made for rel, where in entry_files(entry).items()}, made
