"""Run notebook tasks in worker processes, and stop everything at once on SIGINT or SIGTERM.

On a signal: queued tasks are cancelled, running workers get SIGTERM (each kills its kernel and
removes its temporary folder), kernels a worker could not stop are killed from the run folder's
records, and ``BuildInterrupted`` carries a one-line summary to the command line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from gaoxin.report import reap
from gaoxin.report.execute import (
    SCRATCH_PREFIX,
    Interrupted,
    check_stop,
    ignore_signal,
    raise_interrupted,
    reset_stop,
    wait_gone,
)
from gaoxin.report.task import NotebookTask, SiteTask
from gaoxin.report.worker import build_notebook, prepare_site

# Workers fork from a server that has already imported the heavy libraries, once.
PRELOAD = ["gaoxin.report.worker", "nbformat", "nbclient", "nbconvert", "weasyprint"]
WORKER_GRACE_SECONDS = 3.0
KERNEL_GRACE_SECONDS = 2.0
POLL_SECONDS = 0.05
SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


class BuildInterrupted(Exception):
    """The build was stopped by a signal; exports are unchanged."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.exit_code = SIGNAL_EXIT.get(signal.Signals(signum), 1)


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted in this (main) thread for the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _kernels_left(run_dir: Path) -> list[int]:
    pids = []
    for marker in run_dir.glob("*.kernel"):
        with contextlib.suppress(OSError, ValueError):
            pids.append(int(marker.read_text().strip()))
    return pids


def run_tasks(
    tasks: list[NotebookTask],
    jobs: int,
    run_dir: Path,
    emit: Callable[[str], None],
    site: SiteTask | None = None,
) -> list[dict[str, Any]]:
    """Results of build_notebook for every task (in completion order). `site`: queued after the
    notebooks (prepare_site), so a worker left free while the last ones run makes the site's
    files that need no notebook; with one worker or one notebook the build's site step does."""
    results: list[dict[str, Any]] = []

    def report(res: dict[str, Any]) -> None:
        if res["ok"]:
            detail = f"execute {res['execute']:.1f} s, export {res['export']:.1f} s"
            emit(f"[{res['stem']}] done in {res['seconds']:.1f} s ({detail})")
        else:
            emit(f"[{res['stem']}] FAILED after {res['seconds']:.1f} s")
        results.append(res)

    tasks = [replace(task, run_dir=run_dir, build_pid=os.getpid()) for task in tasks]
    pool = None
    reset_stop()
    # Workers, kernels and whatever their cells start inherit this mark; a stop kills them all.
    token, previous_token = reap.new_token(), os.environ.get(reap.BUILD_TOKEN)
    os.environ[reap.BUILD_TOKEN] = token
    try:
        with signals_interrupt():
            if jobs <= 1 or len(tasks) <= 1:
                for task in tasks:
                    report(build_notebook(task))
                    check_stop()
                return results
            pool = _start_pool(min(jobs, len(tasks)))
            # The fork server's socket folder: removed if the build is killed.
            temp = (_multiprocessing_temp(),)
            futures = [
                pool.submit(build_notebook, replace(task, build_temp=temp, in_worker=True))
                for task in tasks
            ]
            ahead = [pool.submit(prepare_site, site)] if site is not None else []
            from concurrent.futures import as_completed

            for future in as_completed([*futures, *ahead]):
                check_stop()
                if future in ahead:
                    future.exception()  # best effort: the site step makes whatever is missing
                    continue
                report(future.result())
            pool.shutdown()
            return results
    except Interrupted as stop:
        started = _stop(pool, run_dir, token)
        done = {r["stem"] for r in results}
        pending = len(tasks) - len(done)
        raise BuildInterrupted(
            f"build interrupted by {stop}: {pending} notebook(s) stopped or never started "
            f"({started} running), kernels shut down, temporary files removed; "
            "exports/ unchanged",
            stop.signum,
        ) from None
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        if previous_token is None:
            os.environ.pop(reap.BUILD_TOKEN, None)
        else:
            os.environ[reap.BUILD_TOKEN] = previous_token


def _multiprocessing_temp() -> str:
    from multiprocessing import util

    return util.get_temp_dir()


def _start_pool(workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _helpers() -> list[int]:
    """multiprocessing's resource tracker: it outlives the pool by design and cleans up after
    it (killing it makes the next one report every semaphore as unknown)."""
    from multiprocessing import resource_tracker

    pid = getattr(getattr(resource_tracker, "_resource_tracker", None), "_pid", None)
    return [pid] if pid else []


def _stop(pool: Any, run_dir: Path, token: str | None = None) -> int:
    """Cancel queued work, stop the workers and their kernels; the number of workers stopped."""
    # A second signal while stopping must not cut the clean-up short.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in saved:
        signal.signal(s, ignore_signal)
    try:
        processes = []
        if pool is not None:
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                with contextlib.suppress(Exception):
                    process.terminate()
            # Each worker kills its kernel and removes its record; wait for that, briefly.
            deadline = time.monotonic() + WORKER_GRACE_SECONDS
            while _kernels_left(run_dir) and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
            for process in processes:
                with contextlib.suppress(Exception):
                    process.kill()
                    process.join(WORKER_GRACE_SECONDS)
        wait_gone(_kernels_left(run_dir), KERNEL_GRACE_SECONDS)
        # Anything else of this build's (a worker the pool had not listed yet, the fork server,
        # a cell's child outside its kernel's group) goes too.
        reap.kill_marked(reap.BUILD_TOKEN, token, spare=_helpers())
        # A worker killed before its own clean-up leaves its kernel's private folder behind.
        for process in processes:
            for leftover in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}{process.pid}-*"):
                shutil.rmtree(leftover, ignore_errors=True)
        return len(processes)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
