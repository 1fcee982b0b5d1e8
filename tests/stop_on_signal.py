"""pytest hooks: the first SIGINT or SIGTERM ends the whole test run, with one line.

Without them a signal that arrives while a test runs a build in this process is taken by the
build's own handler and becomes that test's failure, and the run carries on. Here the run stops
at once: every process the tests started (marked by a session token in their environment, see
gaoxin.report.reap) is killed, the kernels' private folders of this process are removed, and
pytest exits with 128 + the signal's number.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from gaoxin.report.reap import kill_marked, new_token

SESSION_TOKEN = "GAOXIN_TEST_SESSION"
KERNEL_SCRATCH = "gaoxin-kernel-"  # gaoxin.report.execute.SCRATCH_PREFIX, without importing it


def _stop(signum: int, _frame: Any = None) -> None:
    name = signal.Signals(signum).name
    sys.stderr.write(f"\npytest: stopped by {name}; test processes killed, no more tests run\n")
    sys.stderr.flush()
    kill_marked(SESSION_TOKEN, os.environ.get(SESSION_TOKEN))
    for scratch in Path(tempfile.gettempdir()).glob(f"{KERNEL_SCRATCH}{os.getpid()}-*"):
        shutil.rmtree(scratch, ignore_errors=True)
    os._exit(128 + signum)


def pytest_sessionstart(session: Any) -> None:
    os.environ[SESSION_TOKEN] = new_token()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)


def pytest_runtest_logreport(report: Any) -> None:
    """A signal the code under test took for itself (a build's handler) still ends the run."""
    execute = sys.modules.get("gaoxin.report.execute")
    stopped = getattr(execute, "_STOP", {}).get("signum") if execute else None
    if stopped is not None:
        _stop(stopped)
