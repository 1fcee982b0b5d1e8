"""Execute a notebook in a fresh kernel of this checkout, with a per-cell timeout that holds.

The kernel is this interpreter (``sys.executable``) started from a kernel spec written for the
run, so neither an installed ``python3`` spec nor another environment can stand in for it; it
imports ``gaoxin`` from this checkout (``PYTHONPATH``). Its sockets and connection file live in
a private temporary folder that is always removed. Whatever happens (an error, a timeout, a dead
kernel, SIGINT/SIGTERM), the kernel's whole process group is killed before this returns.

Execution is strict, the bar jupyter-book's ``-W`` sets: every warning is an error in the kernel,
and a cell that writes to stderr or shows an image without alt text fails the notebook. Each
failure names the notebook and the cell.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gaoxin import config
from gaoxin.report import reap

SOURCE_DATE_EPOCH = "0"
KERNEL_STARTUP_TIMEOUT = 120
SCRATCH_PREFIX = "gaoxin-kernel-"
KERNEL_NAME = "gaoxin-build"
# nbclient checks that the kernel is alive once a second; a dead kernel is noticed within that.
PROBE_TIMEOUT = 60
REAP_SECONDS = 5
JOIN_POLL_SECONDS = 0.1
# After the kernel is killed, nbclient notices within its one-second liveness check.
KILLED_KERNEL_SECONDS = 2.0
# Run silently in each kernel before the first cell: from then on every warning is an exception.
STRICT_SETUP = "import warnings\nwarnings.simplefilter('error')"
# When set, each execution appends a line (the notebook's path) to this file: the test suite
# counts how often each project notebook runs in one session.
EXECUTION_LOG_ENV = "GAOXIN_EXECUTION_LOG"
IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
EMPTY_ALT_RE = re.compile(r"!\[\s*\]\(")


class ExecutionFailed(Exception):
    """A cell failed, timed out, or the kernel died: the message names notebook, cell, reason."""

    def __init__(self, message: str, executed: Any = None):
        super().__init__(message)
        self.executed = executed


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: stop now. A KeyboardInterrupt, so that neither `except
    Exception` nor asyncio's callback handler (which logs other BaseExceptions) swallows it."""

    def __init__(self, signum: int):
        super().__init__(int(signum))  # args stay picklable across worker processes
        self.signum = int(signum)

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


_STOP: dict[str, int | None] = {"signum": None}


def raise_interrupted(signum: int, _frame: Any) -> None:
    """Signal handler: remember the stop (libraries may swallow the exception), then raise."""
    _STOP["signum"] = signum
    # A second signal (Ctrl-C twice, or SIGTERM from the build after Ctrl-C) must not cut the
    # clean-up short; the caller restores the handlers it had.
    signal.signal(signal.SIGINT, ignore_signal)
    signal.signal(signal.SIGTERM, ignore_signal)
    raise Interrupted(signum)


def ignore_signal(_signum: int, _frame: Any) -> None:
    """Handler that does nothing. Unlike SIG_IGN it cannot meet a signal already on its way
    (CPython then raises 'Signal N ignored due to race condition' in whatever thread runs)."""


def check_stop() -> None:
    """Raise Interrupted if a signal asked this process to stop, even if it was swallowed."""
    if _STOP["signum"] is not None:
        raise Interrupted(_STOP["signum"])


def reset_stop() -> None:
    _STOP["signum"] = None


def kernel_env() -> dict[str, str]:
    """Environment of the kernel: deterministic output, this checkout's package first."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    path = [str(config.PROJECT_ROOT)] + [
        p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    env.update(
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        PYTHONHASHSEED="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        TZ="UTC",
        PYTHONPATH=os.pathsep.join(path),
    )
    return env


def check_checkout(notebooks_dir: Path) -> str | None:
    """None when a kernel started here would run this environment and import this checkout's
    gaoxin; otherwise what is wrong and what to do."""
    venv = config.PROJECT_ROOT / ".venv"
    if venv.is_dir() and Path(sys.prefix).resolve() != venv.resolve():
        return (
            f"this build runs Python from {sys.prefix}, but this checkout "
            f"({config.PROJECT_ROOT}) has its own environment {venv}: "
            f"run {venv / 'bin' / 'python'} -m gaoxin (or `make report`)"
        )
    probe = "import gaoxin, sys; print(gaoxin.__file__); print(sys.prefix)"
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=notebooks_dir,
            env=kernel_env(),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot start {sys.executable} for the kernel ({exc}): run `make env`"
    lines = done.stdout.split("\n")
    expected = config.PROJECT_ROOT / "gaoxin" / "__init__.py"
    if done.returncode != 0 or not lines[0] or Path(lines[0]).resolve() != expected.resolve():
        found = lines[0] if done.returncode == 0 else done.stderr.strip().splitlines()[-1:]
        return (
            f"the kernel would import gaoxin from {found}, not from this checkout "
            f"({expected}): run `make env` in {config.PROJECT_ROOT}"
        )
    return None


def _write_kernel_spec(folder: Path) -> None:
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "gaoxin build (this checkout)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (folder / "kernels" / KERNEL_NAME).mkdir(parents=True)
    (folder / "kernels" / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec))


def _kill_group(pid: int | None) -> None:
    if pid:
        # jupyter_client starts each kernel in a session (process group) of its own.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def _describe(exc: BaseException, timeout: int) -> str:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellTimeoutError):
        return f"timed out after {timeout} s (the per-cell limit; raise it with --timeout)"
    if isinstance(exc, DeadKernelError):
        return "the kernel died (crash, os._exit or out of memory)"
    if isinstance(exc, CellExecutionError):
        return f"{exc.ename}: {exc.evalue}"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"


def execute(
    nb: Any,
    path: Path,
    timeout: int,
    on_kernel: Callable[[int | None], None] = lambda pid: None,
    timings: dict[str, float] | None = None,
) -> Any:
    """Run every cell of nb (in place) and return it; raise ExecutionFailed naming the cell.

    timings, when given, receives the seconds of "kernel start" and of "cells"."""
    started = time.perf_counter()
    ready: dict[str, float] = {}
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    current: dict[str, Any] = {"index": None, "pid": None}

    def on_cell_execute(cell: Any, cell_index: int, **_: Any) -> None:
        current["index"] = cell_index

    async def on_kernel_start(**_: Any) -> None:
        # Kept now: nbclient's own clean-up may forget the process before the finally below.
        current["pid"] = _kernel_pid(manager)
        on_kernel(current["pid"])
        assert client.kc is not None
        msg_id = client.kc.execute(STRICT_SETUP, silent=True, store_history=False)
        reply = await client.async_wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            raise RuntimeError("the kernel did not accept the warnings-as-errors setting")
        ready["at"] = time.perf_counter()

    # Every process the kernel starts inherits this token, so none survives the run (reap).
    token = reap.new_token()
    # Sockets, connection file and kernel spec in a private folder: nothing in the working tree
    # or in Jupyter's runtime folder, and all of it removed below.
    # Named after this process, so a build that had to kill it can still find and remove it.
    private = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    _write_kernel_spec(private)
    manager = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(private / "kernels")]),
        transport="ipc",
        ip=str(private / "kernel"),
        connection_file=str(private / "connection.json"),
    )
    client = NotebookClient(
        nb,
        km=manager,
        timeout=timeout,
        startup_timeout=KERNEL_STARTUP_TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
        on_cell_execute=on_cell_execute,
        on_notebook_start=on_kernel_start,
    )
    outcome: dict[str, BaseException | None] = {"error": None}
    _log_execution(path)

    def run() -> None:
        try:
            # The kernel's own log lines would break the build's one-line messages.
            # asyncio.run cancels nbclient's leftover polling tasks when the run ends.
            asyncio.run(
                client.async_execute(
                    env={**kernel_env(), reap.KERNEL_TOKEN: token},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc

    # nbclient runs in a thread of its own: in the main thread it would take SIGINT and SIGTERM
    # for itself (stop the kernel, carry on). Here the signals reach this thread's handler.
    runner = threading.Thread(target=run, name=f"execute {path.name}", daemon=True)
    try:
        runner.start()
        while runner.is_alive():
            runner.join(JOIN_POLL_SECONDS)
        if outcome["error"] is not None:
            raise outcome["error"]
        if timings is not None:
            kernel_ready = ready.get("at", started)
            timings["kernel start"] = kernel_ready - started
            timings["cells"] = time.perf_counter() - kernel_ready
        problem = strict_problem(nb)
        if problem is not None:
            index, reason = problem
            raise ExecutionFailed(f"{path}: cell {index}{_snippet(nb, index)} {reason}", nb)
    except Interrupted:
        _kill_group(current["pid"])
        runner.join(KILLED_KERNEL_SECONDS)
        raise
    except ExecutionFailed:
        raise
    except Exception as exc:
        index = current["index"]
        where = f"cell {index}" if index is not None else "kernel start"
        message = f"{path}: {where}{_snippet(nb, index)} failed: {_describe(exc, timeout)}"
        raise ExecutionFailed(message, nb) from None
    finally:
        pid = _kernel_pid(manager) or current["pid"]
        _kill_group(current["pid"])
        _kill_group(pid)
        if client.kc is not None and not runner.is_alive():
            client.kc.stop_channels()
        _reap(manager)
        reap.kill_marked(reap.KERNEL_TOKEN, token)  # a cell's children, even outside the group
        shutil.rmtree(private, ignore_errors=True)
        on_kernel(None)  # last: the build waits for this record to go before it moves on
    return nb


def _snippet(nb: Any, index: int | None) -> str:
    """The first line of a cell, to name it in a message."""
    if index is None or not 0 <= index < len(nb.cells):
        return ""
    first = nb.cells[index].source.strip().splitlines()
    return f" [{first[0][:80]}]" if first else ""


def strict_problem(nb: Any) -> tuple[int, str] | None:
    """The first cell of an executed notebook that wrote to stderr or showed an image without
    alt text, and what it did; None when there is none."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and EMPTY_ALT_RE.search(cell.source):
            return index, "has an image without alt text: write it inside ![...]"
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = "".join(output.get("text", "")).strip().splitlines() or [""]
                return index, (
                    f"wrote to stderr: {lines[-1][:200]!r}; fix the cause (a build is strict)"
                )
            for mime in output.get("data", {}):
                if mime not in IMAGE_MIMETYPES:
                    continue
                alt = output.get("metadata", {}).get(mime, {}).get("alt", "")
                if not str(alt).strip():
                    return index, (
                        f"shows an image ({mime}) without alt text; publish charts with "
                        "gaoxin.charts.publish/show and their alt text"
                    )
    return None


def _log_execution(path: Path) -> None:
    log = os.environ.get(EXECUTION_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{path.resolve()}\n")


def _reap(manager: Any) -> None:
    """Collect the killed kernel's exit status, so it does not linger as a zombie."""
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    if process is not None:
        # Already reaped, or unkillable: nothing more can be done here.
        with contextlib.suppress(Exception):
            process.wait(timeout=REAP_SECONDS)


def _kernel_pid(manager: Any) -> int | None:
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


def wait_gone(pids: list[int], seconds: float) -> None:
    """Kill the process groups of kernels a stopped worker may have left, within seconds."""
    deadline = time.monotonic() + seconds
    for pid in pids:
        _kill_group(pid)
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
