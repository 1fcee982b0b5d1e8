"""Every notebook runs cleanly in a fresh kernel (warnings are errors) and has the agreed shape."""

import json
import time
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest

from gaoxin.charts import FIGURE_MIMETYPE
from gaoxin.config import KERNEL_NAME, NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = [
    "00_article",
    "01_industry",
    "02_innovation",
    "03_infrastructure",
    "04_investment",
    "05_targets",
]
# Injected before the notebook's own cells at test time only: any warning (a missing glyph, a
# pandas deprecation) becomes an exception and fails the notebook.
STRICT_CELL = "import warnings\nwarnings.simplefilter('error')"
MIN_FIGURES = {"00_article": 2}
DEFAULT_MIN_FIGURES = 4
CLOSING_HEADINGS = ["## Takeaways", "## Caveats", "## Exercises"]
CLEAN_HINT = "run `nbstripout notebooks/*.ipynb`; `make env` makes git strip them on every commit"


def _execute(path_str: str, cwd: str) -> tuple[str, float]:
    from nbclient import NotebookClient

    nb = nbformat.read(path_str, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_CELL))
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name=KERNEL_NAME, resources={"metadata": {"path": cwd}}
    ).execute()
    elapsed = time.perf_counter() - start
    nb.cells.pop(0)
    return nbformat.writes(nb), elapsed


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Execute all notebooks once, in parallel, from a working directory that is not notebooks/."""
    cwd = str(tmp_path_factory.mktemp("elsewhere"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {p.stem: pool.submit(_execute, str(p), cwd) for p in NOTEBOOKS}
        results = {}
        for stem, fut in futures.items():
            text, elapsed = fut.result()
            results[stem] = (nbformat.reads(text, as_version=4), elapsed)
    for stem, (_, elapsed) in results.items():
        print(f"{stem}: executed in {elapsed:.1f} s")
    return results


def test_the_six_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"committed with outputs: {CLEAN_HINT}"
            assert cell["execution_count"] is None, f"committed with execution counts: {CLEAN_HINT}"
        source = "".join(cell["source"])
        assert "../data" not in source and "sys.path" not in source
    assert set(raw["metadata"]) <= {"kernelspec", "language_info"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opens_and_closes_as_agreed(path):
    nb = nbformat.read(path, as_version=4)
    first, setup = nb.cells[0], nb.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert len(first.source.split()) > 25, "the opening says what the notebook covers"
    assert setup.cell_type == "code" and "set_style()" in setup.source
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    positions = [
        next(i for i, h in enumerate(headings) if h.startswith(c)) for c in CLOSING_HEADINGS
    ]
    assert positions == sorted(positions), "takeaways, caveats, exercises close the notebook"
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 2, "two or three exercises with solution cells"
    assert all(c.cell_type == "code" for c in solutions)


@pytest.mark.slow
@pytest.mark.parametrize("stem", EXPECTED)
def test_runs_cleanly_with_alt_text_on_every_figure(executed, stem):
    nb, elapsed = executed[stem]
    figures = 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {i} raised"
            assert out.get("name") != "stderr", f"cell {i} wrote to stderr: {out.get('text')}"
            data = out.get("data", {})
            if "image/png" in data:
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert alt.strip(), f"cell {i}: image without alt text"
            if FIGURE_MIMETYPE in data:
                figures += 1
    assert figures >= MIN_FIGURES.get(stem, DEFAULT_MIN_FIGURES)
    assert elapsed < 60
