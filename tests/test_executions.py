"""Each project notebook executes at most once per test session.

Every execution of the session is logged (tests/conftest.py): the build logs the notebook's
path, a test that runs nbclient itself logs a hash of the cells it ran. This test runs after
every other test of the session and counts, per project notebook, the executions of it (a run
of the same cells, or of the same cells after one injected cell, counts too).
"""

from __future__ import annotations

import os
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


@pytest.mark.counts_executions
def test_no_project_notebook_executes_more_than_once_per_session():
    log = os.environ.get(EXECUTION_LOG_ENV)
    if not log:
        pytest.skip(f"{EXECUTION_LOG_ENV} is not set (tests/conftest.py sets it)")
    lines = Path(log).read_text(encoding="utf-8").splitlines()
    counts = executions_per_notebook(lines, discover(config.NOTEBOOKS_DIR))
    print("executions per project notebook this session:", dict(sorted(counts.items())))
    over = {stem: n for stem, n in counts.items() if n > MAX_EXECUTIONS}
    assert not over, (
        f"executed more than {MAX_EXECUTIONS}x in one session: {over}; read executed "
        "notebooks from the `strict_build` fixture (tests/conftest.py) instead"
    )
