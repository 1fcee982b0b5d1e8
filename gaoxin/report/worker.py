"""One notebook, in a worker process: execute it once in a kernel, export every format into a
fresh cache entry (reader HTML, walkthrough HTML, PDF, figures, meta.json). And the site's files
that no notebook goes into, made by a worker left free while the last notebooks run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import time
from typing import Any

from gaoxin.config import EN, ZH, ZH_DIR
from gaoxin.report import fonts, limits, reap, snapshot
from gaoxin.report.cache import (
    cached_entry,
    changed_inputs,
    input_digests,
    read_entry,
    write_entry,
)
from gaoxin.report.editions import disagreements, edition, is_bilingual
from gaoxin.report.errors import BuildError
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
from gaoxin.report.task import NotebookTask, SiteTask
from gaoxin.report.transform import (
    clean_executed,
    extract_figures,
    images_without_alt,
    title_and_summary,
)

EXECUTED = "executed.ipynb"
# When set (by `gaoxin bench`), each notebook's seconds per stage go to this file as a JSON line.
STAGES_LOG_ENV = "GAOXIN_BENCH_STAGES"


def _execute(
    task: NotebookTask,
    source_nb: Any,
    result: dict[str, Any],
    stages: dict[str, float] | None = None,
) -> Any:
    """The executed notebook, or None when execution failed (result says where and why)."""
    import nbformat

    run_dir = task.run_dir
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
        execute(nb, task.path, task.timeout, on_kernel, timings=stages)
        limits.check_outputs(nb, task.path)
    except ExecutionFailed as exc:
        failed = task.failed_dir / f"{task.stem}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(exc.executed, str(failed))
        result.update(message=str(exc), failed=str(failed))
        return None
    clean_executed(nb)
    return nb


class _Stages:
    """Seconds per export stage; the font subsets made inside a stage are counted apart."""

    def __init__(self, stages: dict[str, float]):
        self.stages = stages
        self.last = time.perf_counter()
        self.fonts = fonts.SUBSET_SECONDS[0]

    def done(self, name: str) -> None:
        now, subsets = time.perf_counter(), fonts.SUBSET_SECONDS[0]
        font = subsets - self.fonts
        self.stages[name] = self.stages.get(name, 0.0) + now - self.last - font
        if font:
            self.stages["font subsets"] = self.stages.get("font subsets", 0.0) + font
        self.last, self.fonts = now, subsets


def export_files(
    nb: Any,
    source_nb: Any,
    stem: str,
    title: str,
    key: str,
    source: str | None = None,
    stages: dict[str, float] | None = None,
) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """The one list of a notebook's exports, from its execution: figures, reader HTML,
    walkthrough HTML and PDF, in English and, for a bilingual notebook, in Chinese (paths relative
    to exports/), and the figures'
    listing. The build and the article profile both export through it."""

    clock = _Stages({} if stages is None else stages)
    bilingual = is_bilingual(source_nb)
    if bilingual:
        problems = disagreements(nb, stem)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise BuildError(f"the editions disagree: {problems[0]}{more}")
    figures, listing = extract_figures(edition(nb, EN), stem)
    files: dict[str, bytes] = dict(figures)
    clock.done("figures")
    reader = render_html(nb, stem, title, key, "reader", source=source, twin=bilingual)
    files[f"html/{stem}.html"] = reader.encode("utf-8")
    clock.done("reader html")
    walkthrough = render_html(nb, stem, title, key, "walkthrough", source=source)
    files[f"walkthrough/{stem}.html"] = walkthrough.encode("utf-8")
    clock.done("walkthrough html")
    files[f"pdf/{stem}.pdf"] = render_pdf(reader)
    clock.done("pdf")
    if bilingual:
        zh_title, _ = title_and_summary(edition(source_nb, ZH), stem)
        zh_figures, _ = extract_figures(edition(nb, ZH), stem)
        files.update({f"{ZH_DIR}/{rel}": data for rel, data in zh_figures.items()})
        clock.done("figures")
        zh_reader = render_html(nb, stem, zh_title, key, "reader", source=source, lang=ZH)
        files[f"{ZH_DIR}/html/{stem}.html"] = zh_reader.encode("utf-8")
        clock.done("reader html")
        files[f"{ZH_DIR}/pdf/{stem}.pdf"] = render_pdf(zh_reader)
        clock.done("pdf")
    return files, listing


def _export(task: NotebookTask, source_nb: Any, nb: Any, stages: dict[str, float]) -> None:
    """Every format from one executed notebook, written as a verified cache entry."""
    stem = task.stem
    title, summary = title_and_summary(edition(source_nb, EN), stem)
    files, listing = export_files(nb, source_nb, stem, title, task.key, stages=stages)
    clock = _Stages(stages)
    meta = {
        "stem": stem,
        "title": title,
        "summary": summary,
        "figures": listing,
        "findings": collect_findings(edition(nb, EN), stem),
        "images_without_alt": images_without_alt(nb),
        "files": sorted(files),
    }
    if is_bilingual(source_nb):
        zh_nb = edition(nb, ZH)
        meta["zh"] = {
            "title": title_and_summary(edition(source_nb, ZH), stem)[0],
            "summary": title_and_summary(edition(source_nb, ZH), stem)[1],
            "figures": extract_figures(zh_nb, stem)[1],
            "findings": collect_findings(zh_nb, stem),
        }
    assert task.entry is not None
    write_entry(task.entry, {f"files/{rel}": data for rel, data in files.items()}, meta)
    clock.done("findings, cache entry")


def build_notebook(task: NotebookTask) -> dict[str, Any]:
    """Execute one notebook (or reuse its verified execution) and export every format of it.

    Once a signal has stopped this process, it starts nothing more: every call raises."""
    check_stop()
    if not isinstance(task, NotebookTask):
        raise TypeError(f"a notebook task is a NotebookTask, not {type(task).__name__}")
    result = _build_notebook(task)
    check_stop()
    return result


def _build_notebook(task: NotebookTask) -> dict[str, Any]:
    import nbformat

    if task.in_worker:
        # Ctrl-C reaches every process of the terminal's group; SIGTERM comes from the build.
        signal.signal(signal.SIGINT, raise_interrupted)
        signal.signal(signal.SIGTERM, raise_interrupted)
        # A build killed with SIGKILL cannot stop its workers; they watch it and stop.
        reap.watch_build(task.build_pid, task.build_temp)
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    use_disk_cache(task.font_cache, task.font_base)
    stem, path = task.stem, task.path
    started = time.perf_counter()
    if task.announce:
        sys.stdout.write(f"[{stem}] start\n")
        sys.stdout.flush()
    result: dict[str, Any] = {
        "stem": stem,
        "ok": False,
        "reused_execution": False,
        "exec_entry": str(task.exec_entry),
    }
    # The notebook as the build read it (its snapshot), not whatever the file holds by now.
    if task.source is not None:
        source_nb = nbformat.reads(task.source, as_version=4)
    else:
        source_nb = nbformat.read(path, as_version=4)
    assert task.exec_entry is not None
    exec_entry = task.exec_entry
    stages: dict[str, float] = {}
    if read_entry(exec_entry) is not None:
        nb = nbformat.reads((exec_entry / EXECUTED).read_text(encoding="utf-8"), as_version=4)
        result["reused_execution"] = True
    else:
        nb = _execute(task, source_nb, result, stages)
        if nb is None:
            result["seconds"] = time.perf_counter() - started
            return result
        text = nbformat.writes(nb)
        # The seconds it took travel with the execution: a later build (or a test session that
        # starts from this cache) reads them without running the notebook again.
        seconds = round(time.perf_counter() - started, 2)
        write_entry(exec_entry, {EXECUTED: text.encode()}, {"stem": stem, "seconds": seconds})
        if changed := snapshot.changed(task):
            return snapshot.discard(task, result, started, changed)
        # Export what a later reuse would read, so both paths give the same bytes.
        nb = nbformat.reads(text, as_version=4)
    executed = time.perf_counter()
    try:
        with limits.time_limit(task.timeout, f"{path}: exporting"):
            _export(task, source_nb, nb, stages)
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
    stale_failure = task.failed_dir / f"{stem}.ipynb"
    stale_failure.unlink(missing_ok=True)
    finished = time.perf_counter()
    result.update(
        ok=True, seconds=finished - started, execute=executed - started, export=finished - executed
    )
    _log_stages(stem, stages)
    return result


def _log_stages(stem: str, stages: dict[str, float]) -> None:
    log = os.environ.get(STAGES_LOG_ENV)
    if log:
        # A worker may outlive the benchmark's run that asked for the log: never fail on it.
        with contextlib.suppress(OSError), open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"stem": stem, "stages": stages}) + "\n")


def prepare_site(task: SiteTask) -> None:
    """Make data/ and the fixed pages into their cache entries ahead of the build's site step,
    which reads them from there or makes what is missing. A failure is left to that step to
    report (it makes them again); an input changed meanwhile drops what was made."""
    # heavy: pandas, openpyxl and WeasyPrint (already loaded in a worker that exported a report)
    from gaoxin.report import site

    check_stop()
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    use_disk_cache(task.font_cache, task.font_base)
    entries = (
        (task.data_entry, task.data_key, site.data_files),
        (task.fixed_entry, task.fixed_key, site.fixed_pages),
    )
    for entry, key, make in entries:
        try:
            cached_entry(entry, lambda make=make: make(task.data_dir), {"key": key})
        except Exception:  # the site step makes it again, and says what is wrong
            return
        if task.inputs is not None and changed_inputs(task.inputs, input_digests(task.data_dir)):
            shutil.rmtree(entry, ignore_errors=True)
            return
