"""A planted contradiction stops the build, and the message names the notebook and the claim.

The fixture is a copy of the project's data in which one value is changed: GDP growth is filed
under `industrial` instead of `general`. Notebook 00's caveats say it is filed under `general`,
guarded by a `check` cell. The build of 00's setup cell and that check cell, verbatim, against
the copy must fail on that claim. The control is the session's strict build (tests/conftest.py):
the whole of 00, the same check cell included, passes against the unchanged data. So neither a
second execution of 00 nor a control build is needed.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from gaoxin import config
from gaoxin.data.schema import file_stats
from gaoxin.report import build

NOTEBOOK = "00_article"
METRIC, COLUMN, PLANTED = "GDP growth", "domain", "industrial"
CLAIM = "GDP and retail-sales growth are filed under general, not industrial"
# Points the loaders of the notebook's kernel at the copied data (test only: the build itself
# has no way yet to hand a data folder to the kernel).
REDIRECT = """from pathlib import Path
import gaoxin.data.loaders as _loaders
_article = _loaders.load_table.__defaults__[1]
_loaders.load_table.__defaults__ = (Path({processed!r}), _article)
"""


def _plant(data: Path) -> None:
    path = data / "processed" / "facts.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    (hit,) = [r for r in rows[1:] if r[header.index("metric_en")] == METRIC]
    assert hit[header.index(COLUMN)] != PLANTED
    hit[header.index(COLUMN)] = PLANTED
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data_bytes = out.getvalue().encode("utf-8")
    path.write_bytes(data_bytes)
    # The copy stays internally consistent (as if extracted so): its manifest records the new file.
    package_path = data / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == "facts"]
    resource.update(file_stats(data_bytes, len(rows) - 1))
    package_path.write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _claim_cell(nb) -> int:
    """Index of the notebook's check cell that states the claim."""
    (index,) = [
        i
        for i, c in enumerate(nb.cells)
        if "check" in c.metadata.get("tags", []) and CLAIM in c.source
    ]
    return index


def _build(root: Path) -> build.BuildResult:
    data = root / "data"
    shutil.copytree(config.DATA_DIR, data)
    _plant(data)
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{NOTEBOOK}.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    claim = nb.cells[_claim_cell(nb)]
    assert "set_style(" in setup.source, "the first code cell of a notebook is its setup cell"
    redirect = nbformat.v4.new_code_cell(REDIRECT.format(processed=str(data / "processed")))
    nb.cells = [redirect, setup, claim]
    nbformat.write(nb, notebooks / f"{NOTEBOOK}.ipynb")
    return build.build(
        notebooks_dir=notebooks,
        exports_dir=root / "exports",
        cache_dir=root / "cache",
        data_dir=data,
        jobs=1,
        out=io.StringIO(),
    )


@pytest.mark.build
def test_a_planted_contradiction_fails_the_build_naming_notebook_and_claim(
    tmp_path, executed_notebooks
):
    # Control: in the strict build of the real data, 00 ran this check cell and it passed.
    real, _ = executed_notebooks[NOTEBOOK]
    source = nbformat.read(config.NOTEBOOKS_DIR / f"{NOTEBOOK}.ipynb", as_version=4)
    checked = real.cells[_claim_cell(source)]
    assert checked.source == source.cells[_claim_cell(source)].source
    assert checked.execution_count is not None and checked.outputs == []

    result = _build(tmp_path / "planted")
    assert not result.ok
    (failure,) = result.failures
    assert failure.stem == NOTEBOOK
    assert f"{NOTEBOOK}.ipynb" in failure.message
    assert "ClaimError" in failure.message and CLAIM in failure.message
