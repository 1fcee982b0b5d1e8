"""Self-checking exercises: the exercise file, verdicts, student notebooks run with blanks."""

import inspect
import re
import time
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest

from gaoxin.analysis import exercises as ex
from gaoxin.config import KERNEL_NAME, NOTEBOOKS_DIR, SOLUTION_TAG
from gaoxin.report.teacher import exercise_cells, goals
from gaoxin.report.transform import student_notebook

NOTEBOOKS = {p.name[:2]: p for p in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))}
GOALS_PER_NOTEBOOK = range(3, 6)
STRICT_CELL = "import warnings\nwarnings.simplefilter('error')"
CHECK_CALL = re.compile(r'^check_answer\("(\d\d\.\d+)", answer\)$')
SOLUTION_CALL = re.compile(r'record_solution\("(\d\d\.\d+)", ')
# Appended to one student notebook: answers a student might type that are wrong or not numbers.
WRONG_ANSWERS = ("-12345", '"a dozen"', "[1, 2]", "float('nan')")
WRONG_STEM = "05"


def _read(stem: str):
    return nbformat.read(NOTEBOOKS[stem], as_version=4)


@pytest.fixture(scope="module")
def catalogue():
    return ex.load_exercises()


# ------------------------------------------------------------------------------ the exercise file


def test_exercise_file_validates_against_the_notebooks(catalogue):
    by_notebook = {}
    for e in catalogue.values():
        by_notebook.setdefault(e.notebook, []).append(e)
    assert set(by_notebook) == set(NOTEBOOKS), "every notebook has exercises in the file"
    for stem, rows in by_notebook.items():
        nb = _read(stem)
        stated = goals(nb)
        assert len(stated) in GOALS_PER_NOTEBOOK, f"{stem}: three to five goals"
        assert list(stated) == [f"G{i}" for i in range(1, len(stated) + 1)]
        numbers = [n for n, _, _ in exercise_cells(nb)]
        assert numbers == list(range(1, len(numbers) + 1)), f"{stem}: Exercise 1., 2. … in order"
        assert sorted(e.id for e in rows) == [f"{stem}.{n}" for n in numbers]
        for n, text, solutions in exercise_cells(nb):
            e = catalogue[f"{stem}.{n}"]
            assert e.goal in stated, f"{e.id}: goal {e.goal} is not in the opening"
            assert f"*{e.goal} · {e.level}.*" in text, f"{e.id}: names its goal and level"
            assert solutions, f"{e.id}: has a solution"
        levels = {e.level for e in rows}
        assert {"apply", "judge"} <= levels, f"{stem}: from applying to judging"
        judged = [e for e in rows if e.level == "judge"]
        assert any(
            "Rubric" in c.source
            for n, _, sols in exercise_cells(nb)
            if f"{stem}.{n}" in {e.id for e in judged}
            for c in sols
            if c.cell_type == "markdown"
        ), f"{stem}: a written judgement with a model answer and rubric"
        assert any(e.kind == "number" for e in rows), f"{stem}: one self-checked exercise"


@pytest.mark.parametrize("stem", sorted(NOTEBOOKS))
def test_number_exercises_have_answer_check_and_recording_solution(catalogue, stem):
    nb = _read(stem)
    code = [c for c in nb.cells if c.cell_type == "code"]
    checks = {m.group(1) for c in code if (m := CHECK_CALL.match(c.source.strip()))}
    answers = [c for c in code if c.source.startswith("answer = None")]
    recorded = {
        m
        for c in code
        if SOLUTION_TAG in c.metadata.get("tags", [])
        for m in SOLUTION_CALL.findall(c.source)
    }
    wanted = {e.id for e in catalogue.values() if e.notebook == stem and e.kind == "number"}
    assert checks == recorded == wanted and len(answers) == len(wanted)
    assert all(re.fullmatch(r"[0-9a-f]{64}", catalogue[i].answer_hash) for i in wanted)


def test_the_loader_rejects_duplicates_and_bad_levels(tmp_path):
    header = ",".join(ex.FIELDS) + "\n"
    (tmp_path / "ok.csv").write_text(header + "05.1,G1,apply,number,0,ab,a hint,10\n")
    assert ex.load_exercises(tmp_path / "ok.csv")["05.1"].decimals == 0
    for bad in ("05.1,G1,apply,number,0,ab,h,10\n" * 2, "05.1,G1,recall,open,,,h,10\n"):
        path = tmp_path / "bad.csv"
        path.write_text(header + bad, encoding="utf-8")
        with pytest.raises(ex.ExerciseError):
            ex.load_exercises(path)


# ------------------------------------------------------------------------------ verdicts


def test_verdicts_on_a_known_value(monkeypatch):
    known = ex.Exercise("99.1", "G1", "apply", "number", 1, ex.answer_hash("99.1", 12.3, 1), "h", 5)
    monkeypatch.setattr(ex, "_exercises", lambda: {"99.1": known})
    assert ex.verdict("99.1", 12.3) == ex.CORRECT
    assert ex.verdict("99.1", 12.34) == ex.CORRECT, "rounds to the stated decimals"
    assert ex.verdict("99.1", 12.4) == ex.CORRECT, "one step off in the last decimal"
    assert ex.verdict("99.1", 12.6).startswith("not yet")
    assert ex.verdict("99.1", None) == ex.NOT_ANSWERED
    for odd in ("twelve", [12.3], True, float("inf")):
        assert ex.verdict("99.1", odd) == ex.NOT_YET.format(id="99.1")


def test_wrong_answers_get_not_yet_and_hints_stay_hidden(catalogue, capsys):
    for e in catalogue.values():
        if e.kind == "number":
            ex.check_answer(e.id, -12345)
            assert capsys.readouterr().out == f"not yet — hint available: hint('{e.id}')\n"
            assert e.hint not in ex.NOT_YET.format(id=e.id)
            ex.hint(e.id)
            assert capsys.readouterr().out.strip() == e.hint


# ------------------------------------------------------------------------------ student notebooks


def _run_student(stem: str, cwd: str) -> tuple[str, float]:
    from nbclient import NotebookClient

    nb = student_notebook(_read(stem))
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_CELL))
    if stem == WRONG_STEM:
        ids = [m.group(1) for c in nb.cells if (m := CHECK_CALL.match(c.source.strip()))]
        nb.cells += [
            nbformat.v4.new_code_cell(f"answer = {a}\ncheck_answer({ids[0]!r}, answer)")
            for a in WRONG_ANSWERS
        ]
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name=KERNEL_NAME, resources={"metadata": {"path": cwd}}
    ).execute()
    return nbformat.writes(nb), time.perf_counter() - start


@pytest.fixture(scope="module")
def students(tmp_path_factory):
    """Every student notebook, from the build's transform, run once with blank answers."""
    cwd = str(tmp_path_factory.mktemp("student"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {stem: pool.submit(_run_student, stem, cwd) for stem in NOTEBOOKS}
        runs = {stem: f.result() for stem, f in futures.items()}
    for stem, (_, elapsed) in runs.items():
        print(f"student {stem}: executed in {elapsed:.1f} s")
    return {stem: nbformat.reads(text, as_version=4) for stem, (text, _) in runs.items()}


def _printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(NOTEBOOKS))
def test_student_notebook_runs_with_blank_answers(students, catalogue, stem):
    nb = students[stem]
    assert not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in nb.cells)
    assert all(o.output_type != "error" for c in nb.cells for o in c.get("outputs", []))
    verdicts = [
        (m.group(1), _printed(c)) for c in nb.cells if (m := CHECK_CALL.match(c.source.strip()))
    ]
    wanted = sorted(e.id for e in catalogue.values() if e.notebook == stem and e.kind == "number")
    assert sorted(i for i, _ in verdicts) == wanted
    assert all(out == ex.NOT_ANSWERED + "\n" for _, out in verdicts)
    if stem == WRONG_STEM:
        tried = nb.cells[-len(WRONG_ANSWERS) :]
        assert [_printed(c) for c in tried] == [
            ex.NOT_YET.format(id=wanted[0]) + "\n" for _ in WRONG_ANSWERS
        ]


# ------------------------------------------------------------------------------ teacher's page


@pytest.fixture(scope="module")
def teacher_html():
    from gaoxin.config import DATA_DIR
    from gaoxin.report.teacher import teacher_page

    return teacher_page(DATA_DIR).decode()


def test_teacher_page_has_goals_exercises_rubrics_and_times(teacher_html, catalogue):
    for e in catalogue.values():
        assert f'id="ex-{e.id}"' in teacher_html
        assert f"about {e.minutes} min" in teacher_html
    for stem in NOTEBOOKS:
        for goal in goals(_read(stem)):
            assert f"<b>{goal}</b>" in teacher_html
    assert teacher_html.count("Rubric") >= len(NOTEBOOKS)
    assert teacher_html.count("record_solution(") == sum(
        e.kind == "number" for e in catalogue.values()
    )


def test_teacher_page_is_offline_and_not_linked_from_student_material(teacher_html):
    from gaoxin.report import render, site

    lowered = teacher_html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    assert "@font-face" in teacher_html, "the CJK subset is embedded"
    for function in (site.index_page, site.data_page, render._nav, render._footer):
        assert "teacher" not in inspect.getsource(function)
    for stem in NOTEBOOKS:
        assert "teacher" not in nbformat.writes(student_notebook(_read(stem)))


def test_no_exercise_file_no_teacher_page(tmp_path):
    from gaoxin.report.teacher import teacher_page

    assert teacher_page(tmp_path / "data") is None
