"""Shared fixtures: the real article, its parse, the extracted tables, and the session's one
strict build of the project's notebooks (each notebook executes at most once per session).

Test tiers (markers registered in pyproject.toml): `build` (builds reports or executes
notebooks; `slow` is its older name), `browser` (needs headless Chromium), and `unit`,
given here to every other test, so `pytest -m unit` runs the fast tier alone.
"""

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from gaoxin import data
from gaoxin.config import DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.facts.tables import extract_tables
from gaoxin.report.execute import EXECUTION_LOG_ENV, KERNEL_NAME
from gaoxin.text.structure import load_article
from tests.fixtures import buildsite
from tests.stop_on_signal import (  # noqa: F401 - hooks: the first SIGINT/SIGTERM ends the run
    pytest_runtest_logreport,
    pytest_sessionstart,
)

# Marks the test that counts executions: it runs after every other test of the session.
COUNTS_EXECUTIONS = "counts_executions"
NBCLIENT_PREFIX = "nbclient:"


def pytest_configure(config):
    """Every notebook execution of the session (build workers, CLI subprocesses and direct
    nbclient runs alike) is logged to one file, so a test can count them."""
    if EXECUTION_LOG_ENV not in os.environ:
        handle, log = tempfile.mkstemp(prefix="gaoxin-executions-", suffix=".log")
        os.close(handle)
        os.environ[EXECUTION_LOG_ENV] = log
        config._gaoxin_execution_log = log
    _log_direct_nbclient_runs()


def pytest_unconfigure(config):
    log = getattr(config, "_gaoxin_execution_log", None)
    if log:
        with contextlib.suppress(OSError):
            os.unlink(log)
        os.environ.pop(EXECUTION_LOG_ENV, None)


def _log_direct_nbclient_runs() -> None:
    """Tests that run nbclient themselves (not through the build) log a hash of the cell
    sources; processes forked from this one inherit the wrapper."""
    from nbclient import NotebookClient

    if getattr(NotebookClient.async_execute, "_gaoxin_logged", False):
        return
    original = NotebookClient.async_execute

    async def async_execute(self, *args, **kwargs):
        log = os.environ.get(EXECUTION_LOG_ENV)
        # The build's own executions (its kernel) log their notebook's path themselves.
        if log and self.kernel_name != KERNEL_NAME:
            with open(log, "a", encoding="utf-8") as f:
                # Also without the first cell: a test may inject one before the notebook's own.
                whole, rest = cells_hash(self.nb.cells), cells_hash(self.nb.cells[1:])
                f.write(f"{NBCLIENT_PREFIX}{whole} {rest}\n")
        return await original(self, *args, **kwargs)

    async_execute._gaoxin_logged = True
    NotebookClient.async_execute = async_execute


def cells_hash(cells) -> str:
    """Hash of the sources of a notebook's cells."""
    h = hashlib.sha256()
    for cell in cells:
        h.update(cell.source.encode("utf-8") + b"\0")
    return h.hexdigest()


# Fixtures that run the session's strict build of the project's notebooks.
BUILD_FIXTURES = frozenset({"strict_build", "executed_notebooks"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        # A test that reads the session's strict build is in the build tier, marked or not.
        builds = BUILD_FIXTURES & set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("slow") or builds:
            item.add_marker(pytest.mark.build)
        if not (item.get_closest_marker("build") or item.get_closest_marker("browser")):
            item.add_marker(pytest.mark.unit)
    # The execution count is only complete once every other test has run.
    items.sort(key=lambda item: item.get_closest_marker(COUNTS_EXECUTIONS) is not None)
    if hasattr(config, "workerinput"):
        # A pytest-xdist worker never sees the whole session: the controller counts instead
        # (pytest_sessionfinish below).
        counting = [item for item in items if item.get_closest_marker(COUNTS_EXECUTIONS)]
        if counting:
            config.hook.pytest_deselected(items=counting)
            items[:] = items[: len(items) - len(counting)]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """Under pytest-xdist, once every worker has finished: count each project notebook's
    executions in the session's log, as test_executions.py does in a run without workers, and
    fail the run when one ran more than once."""
    config = session.config
    log = os.environ.get(EXECUTION_LOG_ENV)
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return
    if not log or exitstatus == pytest.ExitCode.INTERRUPTED:
        return
    from tests.test_executions import session_counts

    counts, problem = session_counts(Path(log))
    config._gaoxin_execution_count = (counts, problem)
    if problem and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    found = getattr(config, "_gaoxin_execution_count", None)
    if found is None:
        return
    counts, problem = found
    terminalreporter.section("execution count (pytest-xdist: counted once every worker ended)")
    terminalreporter.write_line(f"executions per project notebook this session: {counts}")
    if problem:
        terminalreporter.write_line(f"FAILED: {problem}", red=True, bold=True)


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory):
    """The session's one strict build of the project's notebooks with the project's data:
    every test that needs executed project notebooks or their exports reads them from it."""
    return buildsite.real_site(tmp_path_factory)


@pytest.fixture(scope="session")
def executed_notebooks(strict_build):
    """stem -> (executed notebook, seconds its execution took), from the strict build's cache."""
    return buildsite.executed_notebooks(strict_build)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright's sync API runs one at a time)."""
    from tests.pagecheck import chromium

    yield from chromium()


@pytest.fixture(scope="session")
def article():
    return load_article()


@pytest.fixture(scope="session")
def tables(article):
    return extract_tables(article)


@pytest.fixture(scope="session")
def facts_by_quote(tables):
    """Facts keyed by (quote, occurrence index) in reading order."""
    out, seen = {}, {}
    for row in tables["facts"]:
        n = seen.get(row["quote"], 0)
        seen[row["quote"]] = n + 1
        out[(row["quote"], n)] = row
    return out


@pytest.fixture()
def short_tmp():
    """A private TMPDIR for a command under test, with a short path: a kernel's sockets live
    in it, and a Unix socket's path holds at most 107 bytes (pytest-xdist's tmp_path of a long
    test name, plus a kernel's scratch folder, is longer)."""
    folder = Path(tempfile.mkdtemp(prefix="gx-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def copy_dir(tmp_path):
    """A copy of data/processed (with its descriptor) to damage; the loader cache is cleared."""
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, target)
    shutil.copy(DATAPACKAGE_PATH, tmp_path / DATAPACKAGE_PATH.name)
    data.clear_cache()
    yield target
    data.clear_cache()
