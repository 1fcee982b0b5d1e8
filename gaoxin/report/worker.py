"""One notebook, in a worker process: execute it once in a kernel, export every format into a
fresh cache entry (reader HTML, walkthrough HTML, PDF, student notebook, figures, meta.json)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from gaoxin.report import limits, reap, snapshot
from gaoxin.report.cache import read_entry, write_entry
from gaoxin.report.execute import (
    SOURCE_DATE_EPOCH,
    ExecutionFailed,
    check_stop,
    execute,
    raise_interrupted,
)
from gaoxin.report.fonts import use_disk_cache
from gaoxin.report.frontpage import collect_findings
from gaoxin.report.render import render_html, render_pdf
from gaoxin.report.transform import (
    clean_executed,
    extract_figures,
    images_without_alt,
    student_notebook,
    title_and_summary,
)

EXECUTED = "executed.ipynb"


def _execute(task: dict[str, Any], source_nb: Any, result: dict[str, Any]) -> Any:
    """The executed notebook, or None when execution failed (result says where and why)."""
    import nbformat

    run_dir = Path(task["run_dir"])
    marker = run_dir / f"worker-{os.getpid()}.kernel"

    def on_kernel(pid: int | None) -> None:
        # The build's main process kills kernels listed here if this worker cannot.
        if pid is None:
            marker.unlink(missing_ok=True)
        else:
            run_dir.mkdir(parents=True, exist_ok=True)
            marker.write_text(str(pid))

    nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    try:
        execute(nb, Path(task["path"]), task["timeout"], on_kernel)
        limits.check_outputs(nb, Path(task["path"]))
    except ExecutionFailed as exc:
        failed = Path(task["failed_dir"]) / f"{task['stem']}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(exc.executed, str(failed))
        result.update(message=str(exc), failed=str(failed))
        return None
    clean_executed(nb)
    return nb


def _export(task: dict[str, Any], source_nb: Any, nb: Any) -> None:
    """Every format from one executed notebook, written as a verified cache entry."""
    import nbformat

    stem = task["stem"]
    title, summary = title_and_summary(source_nb, stem)
    key = task["key"]
    figures, listing = extract_figures(nb, stem)
    files: dict[str, bytes] = dict(figures)
    reader = render_html(nb, stem, title, key, "reader")
    files[f"html/{stem}.html"] = reader.encode("utf-8")
    walkthrough = render_html(nb, stem, title, key, "walkthrough")
    files[f"walkthrough/{stem}.html"] = walkthrough.encode("utf-8")
    files[f"pdf/{stem}.pdf"] = render_pdf(reader)
    files[f"student/{stem}.ipynb"] = nbformat.writes(student_notebook(source_nb)).encode()
    meta = {
        "stem": stem,
        "title": title,
        "summary": summary,
        "figures": listing,
        "findings": collect_findings(nb, stem),
        "images_without_alt": images_without_alt(nb),
        "files": sorted(files),
    }
    write_entry(Path(task["entry"]), {f"files/{rel}": data for rel, data in files.items()}, meta)


def build_notebook(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook (or reuse its verified execution) and export every format of it.

    Once a signal has stopped this process, it starts nothing more: every call raises."""
    check_stop()
    result = _build_notebook(task)
    check_stop()
    return result


def _build_notebook(task: dict[str, Any]) -> dict[str, Any]:
    import nbformat

    if task.get("in_worker"):
        # Ctrl-C reaches every process of the terminal's group; SIGTERM comes from the build.
        signal.signal(signal.SIGINT, raise_interrupted)
        signal.signal(signal.SIGTERM, raise_interrupted)
        # A build killed with SIGKILL cannot stop its workers; they watch it and stop.
        reap.watch_build(task["build_pid"], task.get("build_temp", []))
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    use_disk_cache(Path(task["font_cache"]))
    stem, path = task["stem"], Path(task["path"])
    started = time.perf_counter()
    if task.get("announce", True):
        sys.stdout.write(f"[{stem}] start\n")
        sys.stdout.flush()
    result: dict[str, Any] = {
        "stem": stem,
        "ok": False,
        "reused_execution": False,
        "exec_entry": task["exec_entry"],
    }
    # The notebook as the build read it (its snapshot), not whatever the file holds by now.
    if "source" in task:
        source_nb = nbformat.reads(task["source"], as_version=4)
    else:
        source_nb = nbformat.read(path, as_version=4)
    exec_entry = Path(task["exec_entry"])
    if read_entry(exec_entry) is not None:
        nb = nbformat.reads((exec_entry / EXECUTED).read_text(encoding="utf-8"), as_version=4)
        result["reused_execution"] = True
    else:
        nb = _execute(task, source_nb, result)
        if nb is None:
            result["seconds"] = time.perf_counter() - started
            return result
        text = nbformat.writes(nb)
        write_entry(exec_entry, {EXECUTED: text.encode()}, {"stem": stem})
        if changed := snapshot.changed(task):
            return snapshot.discard(task, result, started, changed)
        # Export what a later reuse would read, so both paths give the same bytes.
        nb = nbformat.reads(text, as_version=4)
    executed = time.perf_counter()
    try:
        with limits.time_limit(task["timeout"], f"{path}: exporting"):
            _export(task, source_nb, nb)
    except Exception as exc:  # export problems are reported like cell failures
        if isinstance(exc, limits.LimitExceeded):
            result.update(seconds=time.perf_counter() - started, message=str(exc), failed=None)
            return result
        result.update(
            seconds=time.perf_counter() - started,
            message=f"{path}: export failed: {type(exc).__name__}: {exc}",
            failed=None,
        )
        return result
    if changed := snapshot.changed(task):
        return snapshot.discard(task, result, started, changed)
    stale_failure = Path(task["failed_dir"]) / f"{stem}.ipynb"
    stale_failure.unlink(missing_ok=True)
    finished = time.perf_counter()
    result.update(
        ok=True, seconds=finished - started, execute=executed - started, export=finished - executed
    )
    return result
