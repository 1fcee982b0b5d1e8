"""One notebook, in a worker process: execute it once in a kernel, export every format into a
fresh cache entry (reader HTML, walkthrough HTML, PDF, student notebook, figures, meta.json)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gaoxin.config import KERNEL_NAME
from gaoxin.report.render import render_html, render_pdf
from gaoxin.report.transform import (
    clean_executed,
    extract_figures,
    images_without_alt,
    student_notebook,
    title_and_summary,
)

SOURCE_DATE_EPOCH = "0"
KERNEL_STARTUP_TIMEOUT = 120


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        PYTHONHASHSEED="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        TZ="UTC",
    )
    return env


def build_notebook(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook and write every export of it into a fresh cache entry."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    stem, path = task["stem"], Path(task["path"])
    started = time.perf_counter()
    if task.get("announce", True):
        sys.stdout.write(f"[{stem}] start\n")
        sys.stdout.flush()
    result: dict[str, Any] = {"stem": stem, "ok": False}
    source_nb = nbformat.read(path, as_version=4)
    nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    current = {"index": None}

    def on_cell_execute(cell: Any, cell_index: int, **_: Any) -> None:
        current["index"] = cell_index

    # IPC sockets in a private temporary folder: no TCP ports, no files in the working tree.
    sockets = tempfile.mkdtemp(prefix="gaoxin-kernel-")
    manager = KernelManager(
        kernel_name=task.get("kernel", KERNEL_NAME), transport="ipc", ip=f"{sockets}/kernel"
    )
    client = NotebookClient(
        nb,
        km=manager,
        timeout=task["timeout"],
        startup_timeout=KERNEL_STARTUP_TIMEOUT,
        kernel_name=task.get("kernel", KERNEL_NAME),
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
        on_cell_execute=on_cell_execute,
    )
    try:
        client.execute(env=_kernel_env())
        executed = time.perf_counter()
    except Exception as exc:
        index = current["index"]
        failed = Path(task["failed_dir"]) / f"{stem}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(failed))
        if isinstance(exc, CellExecutionError):
            what = f"{exc.ename}: {exc.evalue}"
        else:
            lines = str(exc).strip().splitlines()
            what = f"{type(exc).__name__}: {lines[-1] if lines else ''}"
        snippet = ""
        if index is not None and index < len(nb.cells):
            first = nb.cells[index].source.strip().splitlines()
            snippet = f" [{first[0][:80]}]" if first else ""
        where = f"cell {index}" if index is not None else "kernel start"
        result.update(
            seconds=time.perf_counter() - started,
            message=f"{path}: {where}{snippet} failed: {what}",
            failed=str(failed),
        )
        return result
    finally:
        # nbclient leaves a kernel it did not create running: stop it here.
        if client.kc is not None:
            client.kc.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)

    try:
        clean_executed(nb)
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
            "images_without_alt": images_without_alt(nb),
            "files": sorted(files),
        }
        entry = Path(task["entry"])
        staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
        for rel, data in files.items():
            target = staging / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / "executed.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(staging, entry)
    except Exception as exc:  # export problems are reported like cell failures
        result.update(
            seconds=time.perf_counter() - started,
            message=f"{path}: export failed: {type(exc).__name__}: {exc}",
            failed=None,
        )
        return result
    stale_failure = Path(task["failed_dir"]) / f"{stem}.ipynb"
    stale_failure.unlink(missing_ok=True)
    finished = time.perf_counter()
    result.update(
        ok=True, seconds=finished - started, execute=executed - started, export=finished - executed
    )
    return result
