"""Every notebook runs cleanly in a fresh kernel (warnings are errors) and has the agreed shape.

The executions come from the session's strict build (tests/conftest.py): no notebook runs twice.
"""

import json
import re

import nbformat
import pytest

from gaoxin.analysis.claims import CHECK_TAG, heading_anchor
from gaoxin.charts import FIGURE_MIMETYPE
from gaoxin.config import FINDING_MIMETYPE, NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = [
    "00_article",
    "01_industry",
    "02_innovation",
    "03_infrastructure",
    "04_investment",
    "05_targets",
    "06_promises",
]
MIN_FIGURES = {"00_article": 2}
DEFAULT_MIN_FIGURES = 4
CLOSING_HEADINGS = ["## Takeaways", "## Caveats", "## Exercises"]
CLEAN_HINT = (
    "the staged notebook keeps outputs: run `make env` (it sets up the git filter that strips "
    "them), then `git add --renormalize notebooks/`"
)


@pytest.fixture(scope="session")
def executed(executed_notebooks):
    """Every notebook as the session's one strict build executed it (warnings were errors)."""
    return executed_notebooks


def test_the_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


def _staged_text(path) -> str:
    """What git would commit for path (the index, after the clean filter); the working file
    only outside a git checkout or for a notebook not yet added."""
    import subprocess

    relative = path.relative_to(NOTEBOOKS_DIR.parent).as_posix()
    done = subprocess.run(
        ["git", "show", f":{relative}"], cwd=NOTEBOOKS_DIR.parent, capture_output=True, check=False
    )
    return done.stdout.decode("utf-8") if done.returncode == 0 else path.read_text("utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean(path):
    raw = json.loads(_staged_text(path))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"committed with outputs: {CLEAN_HINT}"
            assert cell["execution_count"] is None, f"committed with execution counts: {CLEAN_HINT}"
        source = "".join(cell["source"])
        assert "../data" not in source and "sys.path" not in source
    # "gaoxin" declares the notebook's editions (English, Chinese: gaoxin.report.editions).
    assert set(raw["metadata"]) <= {"kernelspec", "language_info", "gaoxin"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opens_and_closes_as_agreed(path):
    nb = nbformat.read(path, as_version=4)
    # The setup cell is the first code cell (the opening may have its Chinese twin after it).
    first, setup = nb.cells[0], next(c for c in nb.cells if c.cell_type == "code")
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert len(first.source.split()) > 25, "the opening says what the notebook covers"
    assert setup.cell_type == "code" and "set_style(" in setup.source
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
    assert any(c.cell_type == "code" for c in solutions), "model answers may be markdown"


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


# Notebooks brought to report grade (issue 8): checks, findings and presenter tables.
REPORT_GRADE = [
    "00_article",
    "01_industry",
    "02_innovation",
    "03_infrastructure",
    "04_investment",
    "05_targets",
]
FINDINGS_PER_NOTEBOOK = (1, 2)


@pytest.mark.parametrize("stem", REPORT_GRADE)
def test_report_grade_notebooks_use_the_shared_infrastructure(stem):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "set_style(strict=True)" in next(c for c in nb.cells if c.cell_type == "code").source
    assert "display(df" not in code and ".style" not in code, "tables go through the presenter"
    assert "figsize=(" not in code, "figure sizes come from charts.figsize / bar_figsize"
    assert not re.search(r"\b20\d\d\b", code), "years come from labels.report_year / plan_year"
    assert not re.search(r"[\"'][ps]\d+[\"']", code), "no positional paragraph or section ids"
    checks = [c for c in nb.cells if CHECK_TAG in c.metadata.get("tags", [])]
    assert checks and all("claims.check" in c.source for c in checks)


@pytest.mark.slow
@pytest.mark.parametrize("stem", REPORT_GRADE)
def test_checks_print_nothing_and_findings_point_at_real_headings_and_figures(executed, stem):
    nb, _ = executed[stem]
    anchors = {
        heading_anchor(line)
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    }
    figures, findings = set(), []
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if CHECK_TAG in cell.metadata.get("tags", []):
            assert outputs == [], f"a check cell printed something: {cell.source[:60]}"
        for out in outputs:
            data = out.get("data", {})
            if FIGURE_MIMETYPE in data:
                figures.add(data[FIGURE_MIMETYPE]["name"])
            if FINDING_MIMETYPE in data:
                findings.append(data[FINDING_MIMETYPE])
    low, high = FINDINGS_PER_NOTEBOOK
    assert low <= len(findings) <= high
    for f in findings:
        assert f["text"].strip() and f["anchor"] in anchors and f["figure"] in figures


@pytest.mark.slow
@pytest.mark.parametrize("stem", EXPECTED)
def test_every_exercise_solution_passes_its_own_check(executed, stem):
    from gaoxin.analysis.exercises import CORRECT, recorded_solutions, verdict

    nb, _ = executed[stem]
    recorded = recorded_solutions(nb)
    assert recorded, "the walkthrough records at least one self-checked solution"
    assert all(verdict(i, p["value"]) == CORRECT for i, p in recorded.items())
    checks = [c for c in nb.cells if c.source.startswith("check_answer(")]
    printed = ["".join(o.get("text", "") for o in c.outputs) for c in checks]
    assert printed and all(p == CORRECT + "\n" for p in printed)
