"""The build is strict: a warning, a write to stderr or an image without alt text fails the
notebook, and the message names the notebook and the cell."""

from __future__ import annotations

import io

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from gaoxin.report import build
from gaoxin.report.execute import strict_problem
from tests.fixtures import buildsite

# A 1x1 PNG.
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
    "hgGAWjR9awAAAABJRU5ErkJggg=="
)
SHOW_PIXEL = (
    "import base64\nfrom IPython.display import Image, display\n"
    f"display(Image(data=base64.b64decode({PIXEL!r})))"
)
# Each fixture notebook: a clean first cell, then the offending cell (cell 2).
OFFENDERS = {
    "01_warns": (
        "import warnings\nwarnings.warn('a deprecated call')",
        "UserWarning: a deprecated call",
    ),
    "02_stderr": ("import sys\nprint('careful', file=sys.stderr)", "wrote to stderr: 'careful'"),
    "03_no_alt": (SHOW_PIXEL, "shows an image (image/png) without alt text"),
}


def _notebook(offending: str):
    return new_notebook(
        cells=[
            new_markdown_cell("# Strict (fixture)"),
            new_code_cell("x = 1"),
            new_code_cell(offending),
        ]
    )


def _executed(outputs: list) -> object:
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("show()")])
    nb.cells[1].outputs = outputs
    return nb


def test_strict_problem_finds_stderr_and_images_without_alt():
    png = {"data": {"image/png": PIXEL}, "metadata": {"image/png": {"alt": "A dot."}}}
    assert strict_problem(_executed([new_output("display_data", **png)])) is None
    assert strict_problem(_executed([new_output("stream", name="stdout", text="ok")])) is None
    index, reason = strict_problem(_executed([new_output("stream", name="stderr", text="bad\n")]))
    assert index == 1 and "stderr" in reason and "'bad'" in reason
    blank = {"data": {"image/png": PIXEL}, "metadata": {"image/png": {"alt": "  "}}}
    index, reason = strict_problem(_executed([new_output("display_data", **blank)]))
    assert index == 1 and "without alt text" in reason
    nb = _executed([])
    nb.cells.insert(0, new_markdown_cell("A chart: ![](figure.png)"))
    assert strict_problem(nb) == (0, "has an image without alt text: write it inside ![...]")
    nb.cells[0].source = "A chart: ![Bars per year](figure.png)"
    assert strict_problem(nb) is None


@pytest.mark.build
def test_warnings_stderr_and_missing_alt_text_fail_the_build_naming_notebook_and_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem, (offending, _) in OFFENDERS.items():
        nbformat.write(_notebook(offending), notebooks / f"{stem}.ipynb")
    log = io.StringIO()
    result = build.build(
        notebooks_dir=notebooks,
        exports_dir=tmp_path / "exports",
        cache_dir=tmp_path / "cache",
        data_dir=buildsite.fixture_data(tmp_path),
        jobs=2,
        out=log,
    )
    assert not result.ok and not (tmp_path / "exports").exists(), log.getvalue()
    messages = {f.stem: f.message for f in result.failures}
    assert sorted(messages) == sorted(OFFENDERS), log.getvalue()
    for stem, (_, reason) in OFFENDERS.items():
        assert messages[stem].startswith(f"{notebooks / stem}.ipynb: cell 2 ["), messages[stem]
        assert reason in messages[stem]
        assert f"ERROR {messages[stem]}" in log.getvalue()
