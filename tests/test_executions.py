"""Each project notebook executes at most once per test session.

Every execution of the session is logged (tests/conftest.py): the build logs the notebook's
path, a test that runs nbclient itself logs a hash of the cells it ran. This test runs after
every other test of the session and counts, per project notebook, the executions of it (a run
of the same cells, or of the same cells after one injected cell, counts too).

Under pytest-xdist no worker sees the whole session, so no worker runs this test: the
controller makes the same count with `session_counts` once every worker has finished
(tests/conftest.py), and fails the run when a notebook ran more than once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from gaoxin import config
from gaoxin.report.build import discover
from gaoxin.report.execute import EXECUTION_LOG_ENV
from tests.conftest import NBCLIENT_PREFIX, cells_hash

MAX_EXECUTIONS = 1


def executions_per_notebook(lines: list[str], notebooks: list[Path]) -> Counter:
    """How many logged executions ran each notebook."""
    by_hash = {}
    for path in notebooks:
        cells = nbformat.read(path, as_version=4).cells
        by_hash[cells_hash(cells)] = path.stem
    by_path = {str(p.resolve()): p.stem for p in notebooks}
    counts: Counter = Counter({p.stem: 0 for p in notebooks})
    for line in lines:
        if line.startswith(NBCLIENT_PREFIX):
            # The cells run, and the same without the first (a cell a test injected).
            hashes = line[len(NBCLIENT_PREFIX) :].split()
            stem = next((by_hash[h] for h in hashes if h in by_hash), None)
        else:
            stem = by_path.get(line)
        if stem is not None:
            counts[stem] += 1
    return counts


def test_the_counter_sees_build_and_nbclient_runs():
    notebooks = discover(config.NOTEBOOKS_DIR)
    first, second = notebooks[0], notebooks[1]
    injected = nbformat.read(first, as_version=4)
    injected.cells.insert(0, nbformat.v4.new_code_cell("import warnings"))  # as tests once did
    cells = nbformat.read(second, as_version=4).cells
    lines = [
        str(first.resolve()),
        f"{NBCLIENT_PREFIX}{cells_hash(injected.cells)} {cells_hash(injected.cells[1:])}",
        f"{NBCLIENT_PREFIX}{cells_hash(cells)} {cells_hash(cells[1:])}",
        "/elsewhere/" + first.name,  # a copy elsewhere is another notebook
        f"{NBCLIENT_PREFIX}{'0' * 64} {cells_hash(cells[2:])}",  # fewer cells: not a run of it
    ]
    counts = executions_per_notebook(lines, notebooks)
    assert counts[first.stem] == 2 and counts[second.stem] == 1
    assert sum(counts.values()) == 3


def session_counts(log: Path) -> tuple[dict[str, int], str | None]:
    """Executions per project notebook in the session's log, and what is wrong (None: nothing)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    counts = dict(sorted(executions_per_notebook(lines, discover(config.NOTEBOOKS_DIR)).items()))
    over = {stem: n for stem, n in counts.items() if n > MAX_EXECUTIONS}
    if not over:
        return counts, None
    return counts, (
        f"executed more than {MAX_EXECUTIONS}x in one session: {over}; read executed "
        "notebooks from the `strict_build` fixture (tests/conftest.py) instead"
    )


def test_session_counts_names_a_notebook_run_twice(tmp_path):
    first = discover(config.NOTEBOOKS_DIR)[0]
    log = tmp_path / "executions.log"
    log.write_text(f"{first.resolve()}\n", encoding="utf-8")
    counts, problem = session_counts(log)
    assert counts[first.stem] == 1 and problem is None
    log.write_text(f"{first.resolve()}\n" * 2, encoding="utf-8")
    counts, problem = session_counts(log)
    assert counts[first.stem] == 2 and problem and first.stem in problem


def test_a_parallel_run_fails_when_a_notebook_ran_twice(tmp_path):
    """Under pytest-xdist the controller counts; a log holding two runs of one notebook fails
    the run, and says so, even though every test passed."""
    first = discover(config.NOTEBOOKS_DIR)[0]
    log = tmp_path / "executions.log"
    log.write_text(f"{first.resolve()}\n" * 2, encoding="utf-8")
    test = "tests/test_executions.py::test_the_counter_sees_build_and_nbclient_runs"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "1", "-p", "no:cacheprovider", test],
        cwd=config.PROJECT_ROOT,
        env={**os.environ, EXECUTION_LOG_ENV: str(log)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert f"FAILED: executed more than 1x in one session: {{'{first.stem}': 2}}" in done.stdout


@pytest.mark.counts_executions
def test_no_project_notebook_executes_more_than_once_per_session():
    log = os.environ.get(EXECUTION_LOG_ENV)
    if not log:
        pytest.skip(f"{EXECUTION_LOG_ENV} is not set (tests/conftest.py sets it)")
    counts, problem = session_counts(Path(log))
    print("executions per project notebook this session:", counts)
    assert problem is None, problem
