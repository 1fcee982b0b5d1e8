"""The course kit: key notebooks and the exercise table agree, student editions carry no answer,
the self-check is specific and knows no answer, the bundle leaks nothing, the teacher's kit has
what a lesson needs; (build tier) the keys' answers hold, otter-grader gives a filled notebook
full marks and a blank one zero, and the bundle runs in a fresh venv without the project."""

import copy
import html
import importlib.util
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from gaoxin.config import ARTICLE_PATH, DATA_DIR
from gaoxin.report import course, teacher
from tests.fixtures import venvs

EXERCISES = course.load_exercises()
ANSWERS = course.load_answers()
KEYS = {p.stem: nbformat.read(p, as_version=4) for p in course.key_notebooks()}
LEVEL_RANK = {"apply": 0, "interpret": 1, "judge": 2}
HEADER = re.compile(
    r"^> \*\*Exercise (\d\d\.\d+) — .+?\*\* \((\w+) · about (\d+) min · (\d+) points?\)"
)
# Skills the issue asks the course to practise, and an idiom that shows each in an answer.
SKILLS = {
    "selecting and filtering": r"\[\(?facts\[",
    "groupby": r"\.groupby\(",
    "crosstab": r"pd\.crosstab\(",
    "merge": r"\.merge\(",
    "tidy reshaping": r"\.melt\(",
    "string methods on Chinese text": r"\.str\.contains\(\"[\u4e00-\u9fff]",
}


@pytest.fixture(scope="module")
def selfcheck():
    spec = importlib.util.spec_from_file_location("selfcheck", course.BUNDLE_DIR / "selfcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle():
    return course.bundle_zip(DATA_DIR)


def _answer_code(stem=None):
    return "\n".join(
        c.source
        for s, nb in KEYS.items()
        if stem in (None, s)
        for c in course.answer_cells(nb).values()
    )


# ------------------------------------------------------------------- sources agree with each other


def test_every_exercise_has_an_answer_cell_a_check_and_a_key_note():
    seen = []
    for stem, nb in KEYS.items():
        for i, cell in enumerate(nb.cells):
            if course.ANSWER_TAG not in cell.metadata.get("tags", []):
                continue
            ex = EXERCISES[cell.metadata["course"]["id"]]
            seen.append(ex.id)
            assert ex.notebook == stem[:2], f"{ex.id} sits in {stem}"
            header = HEADER.match(nb.cells[i - 1].source)
            assert header, f"{ex.id}: the cell before the answer is its prompt box"
            assert header.groups() == (ex.id, ex.level, str(ex.minutes), str(ex.points))
            assert f"{ex.var} = " in cell.metadata["course"]["stub"]
            assert f"{ex.var} = " in cell.source, f"{ex.id}: the answer sets {ex.var}"
            assert nb.cells[i + 1].source == f'check("{ex.id}", {ex.var})'
            note = nb.cells[i + 2]
            assert course.KEY_TAG in note.metadata.get("tags", []), f"{ex.id}: a key note"
            if ex.kind == "text":
                assert "Rubric" in note.source and not ANSWERS[ex.id]["test"]
            else:
                assert ANSWERS[ex.id]["test"], f"{ex.id}: an autograder test"
    assert sorted(seen) == sorted(EXERCISES) == sorted(ANSWERS)


def test_number_answers_fit_their_own_self_check_spec():
    for ex in EXERCISES.values():
        if ex.kind != "number":
            continue
        value = float(ANSWERS[ex.id]["expected"])
        assert round(value, ex.decimals) == value, f"{ex.id}: answer rounded as asked"
        assert float(ex.low) <= value <= float(ex.high), f"{ex.id}: answer inside its range"
        slips = [float(s.partition("=")[0]) for s in ANSWERS[ex.id]["slips"].split("|") if s]
        assert value not in slips, f"{ex.id}: a slip equals the answer"
        assert ANSWERS[ex.id]["test"] == course.number_test(ex, ANSWERS[ex.id]["expected"])


def _grades(ex_id, value):
    """Whether the autograder's case of a number exercise passes for this value."""
    ex = EXERCISES[ex_id]
    (code, _), *_ = course.graded_cases(ex, ANSWERS[ex_id]["test"])
    return bool(eval(code, {ex.var: value}))


def test_the_autograder_grades_the_kind_and_the_rounding_the_prompt_asks():
    import numpy as np
    import pandas as pd

    assert _grades("00.1", 77) and _grades("00.1", np.int64(77)) and _grades("00.1", 77.0)
    assert _grades("03.1", np.array(10000.0)), "a 0-d array is the number it holds"
    for wrong in ("77", 77.4, pd.Series([77]), [77], np.bool_(True), float("nan")):
        assert not _grades("00.1", wrong), repr(wrong)
    assert _grades("06.4", 30.0) and _grades("06.4", np.float64(30.0))
    assert not _grades("06.4", (2.6e10 / 2e10 - 1) * 100), "unrounded: 30.000000000000004"
    assert not _grades("04.1", 115.55) and not _grades("04.1", "115.5")


def test_the_autograder_and_the_self_check_agree_on_what_a_number_is(selfcheck):
    import numpy as np
    import pandas as pd

    for ex in EXERCISES.values():
        if ex.kind != "number":
            continue
        right = float(ANSWERS[ex.id]["expected"])
        forms = [right, np.float64(right), np.array(right), str(ANSWERS[ex.id]["expected"])]
        forms += [pd.Series([right]), right + 10.0 ** -(ex.decimals + 3), np.bool_(True), True]
        for value in forms:
            plausible = selfcheck.feedback(ex.id, value).startswith("plausible")
            assert plausible == _grades(ex.id, value), (ex.id, repr(value))


def test_the_autograder_reads_a_title_at_any_location():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ex = EXERCISES["00.4"]
    fig, ax = plt.subplots()
    ax.bar(["s0"], [1])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    assert not eval(course.chart_label_test(ex.var), {ex.var: ax})
    for loc in ("left", "right", "center"):
        ax.set_title("t", loc=loc)
        assert eval(course.chart_label_test(ex.var), {ex.var: ax}), loc
        ax.set_title("", loc=loc)
    plt.close(fig)


# The arithmetic slips the key quotes, each with the computation it names, on the article's
# numbers (60 and 69.3亿元; 175 and 260亿元; 12 and 8.6%; 8.5%; 200亿元; 21 zones, 3rd; 4800 places,
# 5 schools; 万 = 10000).
SLIP_COMPUTATIONS = {
    ("02.2", "20"): 21 - 1,
    ("02.2", "19"): 21 - 2,
    ("03.1", "0.0001"): 1 / 10000,
    ("03.3", "4800"): 4800,
    ("04.1", "86.6"): round(60 / 69.3 * 100, 1),
    ("04.1", "1.2"): round(69.3 / 60, 1),
    ("04.3", "-100"): round((260 / 1.75e10 - 1) * 100),
    ("04.3", "148.6"): round(260 / 175 * 100, 1),
    ("04.3", "85"): 260 - 175,
    ("04.3", "0.5"): round(260 / 175 - 1, 1),
    ("05.3", "39.5"): round((12 - 8.6) / 8.6 * 100, 1),
    ("05.3", "-3.4"): round(8.6 - 12, 1),
    ("06.3", "3.5"): round(12 - 8.5, 1),
    ("06.3", "-29.2"): round((8.5 / 12 - 1) * 100, 1),
    ("06.3", "0.1"): round(8.6 - 8.5, 1),
    ("06.4", "130"): round(260 / 200 * 100, 1),
    ("06.4", "60"): 260 - 200,
}


def test_every_slip_value_is_what_its_computation_gives():
    for (ex_id, value), computed in SLIP_COMPUTATIONS.items():
        slips = [s.partition("=")[0] for s in ANSWERS[ex_id]["slips"].split("|")]
        assert value in slips, (ex_id, value)
        assert float(value) == computed, (ex_id, value, computed)
    # A float's noise (115.50000000000001, 3.3999999999999986) depends on the exact operations:
    # the key quotes no such value, in its notes or its slips.
    noise = re.compile(r"\d\.\d{7,}")
    for stem, nb in KEYS.items():
        for cell in nb.cells:
            if course.KEY_TAG in cell.metadata.get("tags", []):
                assert not noise.search(cell.source), (stem, noise.search(cell.source).group())
    for ex_id, row in ANSWERS.items():
        assert not noise.search(row["slips"] + row["expected"]), ex_id


def test_each_expected_value_names_what_it_was_checked_against():
    article = ARTICLE_PATH.read_text(encoding="utf-8")
    for ex_id, row in ANSWERS.items():
        assert row["basis"].strip(), f"{ex_id}: no basis"
        for quote in re.findall("「(.+?)」", row["basis"]):
            assert quote in article, f"{ex_id}: 「{quote}」 is not in the article"


def test_each_notebook_names_its_skills_draws_a_chart_and_grows_in_difficulty():
    levels = []
    for stem, nb in KEYS.items():
        goals = teacher.goals(nb)
        assert 3 <= len(goals) <= 5 and sum("`" in g for g in goals.values()) >= 3, (
            f"{stem}: three to five goals, each naming its pandas/matplotlib idiom"
        )
        mine = [e for e in EXERCISES.values() if e.notebook == stem[:2]]
        assert any(e.kind == "chart" for e in mine), f"{stem}: the student draws a chart"
        assert all(e.hint and "in your head" not in e.hint for e in mine)
        levels.append(sum(LEVEL_RANK[e.level] for e in mine) / len(mine))
    assert levels[-1] > levels[0] and max(levels) == levels[-1], f"levels {levels}"
    for skill, idiom in SKILLS.items():
        assert re.search(idiom, _answer_code()), f"no exercise practises {skill}"


def test_key_cells_are_walkthrough_prose_around_every_code_cell():
    for stem, nb in KEYS.items():
        for i, cell in enumerate(nb.cells[1:], start=1):
            if cell.cell_type == "code" and not cell.source.startswith("check("):
                assert nb.cells[i - 1].cell_type == "markdown", (
                    f"{stem} cell {i}: a sentence before each code cell"
                )


# ------------------------------------------------------------------------- the student edition


def test_student_notebooks_hold_no_answer_and_need_no_project_package(bundle):
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        names = zf.namelist()
        notebooks = [n for n in names if n.endswith(".ipynb")]
        assert len(notebooks) == len(KEYS)
        for name in notebooks:
            nb = nbformat.reads(zf.read(name).decode(), as_version=4)
            stem = Path(name).stem
            text = "\n".join(c.source for c in nb.cells)
            assert "import gaoxin" not in text and "from gaoxin" not in text
            assert "../" not in text and 'DATA = Path("data")' in text
            assert "**Key.**" not in text and "Rubric" not in text
            for cell in course.answer_cells(KEYS[stem]).values():
                assert cell.source not in text, f"{name}: an answer cell is in the student copy"
            assert nb.metadata["kernelspec"]["name"] == "python3"
            assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    expected = {"README.md", "requirements.txt", "selfcheck.py", "exercises.csv"}
    assert {f"{course.BUNDLE_NAME}/{n}" for n in expected} <= set(names)
    assert f"{course.BUNDLE_NAME}/data/facts.csv" in names
    assert f"{course.BUNDLE_NAME}/fonts/NotoSansCJKsc-Regular.otf" in names
    assert course.bundle_zip(DATA_DIR) == bundle, "the bundle is byte-stable"


def test_bundle_requirements_pin_the_projects_versions():
    project = (course.COURSE_DIR.parents[2] / "requirements.txt").read_text()
    for line in (course.BUNDLE_DIR / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert line in project.splitlines(), f"{line} is not the project's pin"


# ------------------------------------------------------------------------------- the self-check


def test_self_check_names_the_common_slips(selfcheck):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    said = selfcheck.feedback
    assert said("00.1", ...).startswith("not answered")
    assert "Series of shape (3,)" in said("00.1", pd.Series([1, 2, 3]))
    assert "DataFrame of shape (0, 2)" in said("00.1", pd.DataFrame({"a": [], "b": []}))
    assert "without quotes" in said("00.1", "122")
    assert "NaN" in said("00.1", float("nan"))
    assert "round to a whole number" in said("00.1", 121.5)
    assert "outside" in said("00.1", -4)
    assert "fraction" in said("04.1", 1.2)
    assert "fraction" in said("06.4", 0.3) and "fraction" not in said("06.4", 3.0)
    assert "1 decimal" in said("04.1", 115.50000000000001)
    assert "check the unit" in said("04.3", 2.6e10)
    # A fraction, or a division the wrong way round, where a count, ratio or points are asked:
    # named before any advice on rounding, and rounding it to 0 is not plausible either.
    for ex_id, value in (("00.3", 22 / 122), ("03.1", 1 / 10000), ("03.3", 5 / 4800)):
        assert "looks like a fraction" in said(ex_id, value), ex_id
        assert "round(x" not in said(ex_id, value), ex_id
        assert not said(ex_id, round(value)).startswith("plausible"), ex_id
    assert "looks like a fraction" in said("06.3", (8.5 - 12) / 100)
    # numpy scalars and 0-d arrays are the numbers (or bools) they hold
    import numpy as np

    assert said("03.1", np.array(10000.0)).startswith("plausible")
    assert said("03.1", np.float64(10000.0)).startswith("plausible")
    assert said("06.1", np.bool_(True)) == said("06.1", True)
    assert said("06.1", True).startswith("not yet")
    assert "column(s) n" in said("01.2", pd.DataFrame({"domain": [], "period": []}))
    fig, ax = plt.subplots()
    assert "empty" in said("00.4", ax)
    ax.bar(["a"], [1])
    assert "a title" in said("00.4", ax)
    plt.close(fig)
    # A mask with NaN (str.contains without na=False) is named as such
    mask = pd.Series(["项目", None, "x"]).str.contains("项目")
    assert "na=False" in said("01.3", mask)
    # A table whose row count the prompt fixes (one row per pair)
    assert "7 rows" in said("04.2", pd.DataFrame({c: range(6) for c in WANTED_0402}))
    assert said("04.2", pd.DataFrame({c: range(7) for c in WANTED_0402})).startswith("plausible")
    # Bars in section order, as the prompt asks (value_counts alone sorts by count)
    fig, ax = plt.subplots()
    ax.bar(["s1", "s3", "s2", "s0"], [4, 3, 2, 1])
    _label(ax)
    assert "s0, s1, s2, s3, in that order" in said("00.4", ax)
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.bar(["s0", "s1", "s2", "s3"], [1, 4, 2, 3])
    _label(ax)
    assert said("00.4", ax).startswith("plausible")
    plt.close(fig)
    # 亿元, not yuan, and the unit named on the value axis
    fig, ax = plt.subplots()
    ax.bar(["planned", "completed"], [6e9, 7e9])
    _label(ax, y="investment (亿元)")
    assert "look like yuan" in said("04.4", ax)
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.bar(["planned", "completed"], [60, 70])
    _label(ax, y="investment")
    assert "亿元" in said("04.4", ax)
    plt.close(fig)
    # Sorted diverging bars with a zero line
    fig, ax = plt.subplots()
    ax.barh(["a", "b", "c"], [-1, 2, -3])
    _label(ax, x="margin (%)")
    assert "sorted" in said("06.5", ax)
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.barh(["a", "b", "c"], [-3, -1, 2])
    _label(ax, x="margin (%)")
    assert "line at zero" in said("06.5", ax)
    ax.axvline(0)
    assert said("06.5", ax).startswith("plausible")
    plt.close(fig)
    assert "marked by your teacher" in said("00.5", "one two three " * 6)
    assert "sentence or two" in said("00.5", "yes")
    # An answer written in Chinese is measured by its characters, not by spaces it has none of
    chinese = "报道中的数字大多是该区自己的说法，没有独立来源可以核对，所以概括时要说明来源。"
    assert "marked by your teacher" in said("00.5", chinese)
    assert "sentence or two" in said("00.5", "没有来源。")


WANTED_0402 = ("result_metric", "result_value", "value_normalized")


def _label(ax, x="x", y="y"):
    ax.set_title("t")
    ax.set_xlabel(x)
    ax.set_ylabel(y)


def test_self_check_gives_right_and_wrong_answers_the_same_words(selfcheck):
    for ex in EXERCISES.values():
        if ex.kind == "number":
            right = float(ANSWERS[ex.id]["expected"])
            step = 10.0 ** -(ex.decimals or 0)
            assert selfcheck.feedback(ex.id, right).startswith("plausible")
            wrong = round(right + 7 * step, ex.decimals)
            assert selfcheck.feedback(ex.id, right) == selfcheck.feedback(ex.id, wrong)


# ------------------------------------------------------------------------------- no answer leaks


def test_no_answer_can_be_recovered_from_the_bundle(bundle):
    assert course.leak_report(bundle) == []


def _with(bundle: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bundle)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != f"{course.BUNDLE_NAME}/{name}":
                dst.writestr(item, src.read(item))
        dst.writestr(f"{course.BUNDLE_NAME}/{name}", data)
    return out.getvalue()


def test_the_leak_check_catches_planted_leaks(bundle):
    answers = course.ANSWERS_PATH.read_bytes()
    assert any(
        "teacher's kit" in p for p in course.leak_report(_with(bundle, "answers.csv", answers))
    )
    hashed = b"00.1,3d0874d4b348d9c3d6c519ed599782b48c9a5f81ba3812b8c3ecb270868ea239\n"
    assert any("64-hex" in p for p in course.leak_report(_with(bundle, "hashes.csv", hashed)))
    # A hint that gives an answer away (03.3's 960 was once written in 03.4's hint).
    rows = (course.BUNDLE_DIR / "exercises.csv").read_text(encoding="utf-8")
    told = rows.replace("both values computed from facts", "960 and 540")
    assert told != rows
    found = course.leak_report(_with(bundle, "exercises.csv", told.encode()))
    assert "03.3: the answer 960 is written in the bundle" in found, found
    # A self-check whose range is the answer itself gives the answer away.
    tight = rows.replace(
        "00.1,ex_00_1,how many sentences?,apply,number,count,0,1,1000,",
        "00.1,ex_00_1,how many sentences?,apply,number,count,0,77,77,",
    )
    assert tight != rows
    found = course.leak_report(_with(bundle, "exercises.csv", tight.encode()))
    assert any(p.startswith("00.1: only") for p in found), found


def test_leakcheck_command(tmp_path, bundle):
    path = tmp_path / "b.zip"
    path.write_bytes(bundle)
    run = subprocess.run(
        [sys.executable, "-m", "gaoxin.report.course", "leakcheck", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "no answer recoverable" in run.stdout, run.stdout + run.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "gaoxin.report.course", "leakcheck", str(tmp_path / "no.zip")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


# ------------------------------------------------------------------------------ the teacher's kit


def test_teacher_page_has_what_a_lesson_needs():
    body = teacher.teacher_body(DATA_DIR)
    for words in (
        "Prerequisites",
        "30 laptops",
        "90-minute plan",
        "formative",
        "Common mistakes",
        "Points",
        "otter run",
    ):
        assert words in body, words
    glossary = body[body.index("Glossary of the qualifiers") :].split("</table>")[0]
    rows = {}
    for term in ("余", "多", "以上", "近", "突破", "超过", "同口径"):
        row = re.search(rf'<tr><td lang="zh-Hans">{term}</td>(.*?)</tr>', glossary)
        assert row, term
        english, meaning = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))[:2]
        rows[term] = (english, meaning)
    # Each qualifier has its own meaning: no row repeats another's English or its note
    assert len({e for e, _ in rows.values()} - {"more than"}) >= 5
    assert len({m for _, m in rows.values()}) == len(rows), rows
    assert "more than 20, fewer than 30" in rows["多"][1]
    for ex_id, row in ANSWERS.items():
        assert f"Exercise {ex_id}" in body
        assert html.escape(row["expected"], quote=True) in body, ex_id


def test_teacher_folder_says_how_to_grade_with_a_working_install():
    files = course.export_files(DATA_DIR)
    readme = files["teacher/README.md"].decode()
    requirements = files["teacher/requirements.txt"].decode().splitlines()
    lock = (course.COURSE_DIR.parents[2] / "requirements.lock").read_text()
    pin = course.otter_pin()
    assert re.search(rf"^{re.escape(pin)} ", lock, re.M) or re.search(
        rf"^{re.escape(pin)}\\s*\\\\?$", lock, re.M
    ), pin
    bundle_pins = [
        line
        for line in (course.BUNDLE_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert [r for r in requirements if not r.startswith("#")] == [*bundle_pins, pin]
    assert "pip install -r requirements.txt" in readme and "otter run -a autograder/" in readme
    assert "NoSuchKernel" in readme and "Public Tests" in readme
    for stem in KEYS:
        assert f"autograder/{stem}.zip" in readme and f"teacher/autograder/{stem}.zip" in files
    body = teacher.teacher_body(DATA_DIR)
    assert "requirements.txt</code>" in body and "NoSuchKernel" in body
    assert "python -m gaoxin" not in body, "a command that needs the project's package"


def test_student_text_speaks_for_itself(bundle):
    """No word of the bundle points at the project, its package or files the bundle lacks."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        texts = {
            n: zf.read(n).decode()
            for n in zf.namelist()
            if n.endswith((".ipynb", ".md", ".txt", ".py", "exercises.csv"))
        }
    for name, text in texts.items():
        if name.endswith(".ipynb"):
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        for words in (r"\bthe project\b", "project's", "register", r"fact\(facts"):
            assert not re.search(words, text), (name, words)


def test_hints_are_not_the_solution():
    """A hint names the method; it does not hold most of the answer's code."""
    from difflib import SequenceMatcher

    code = {}
    for nb in KEYS.values():
        code.update({i: re.sub(r"\s", "", c.source) for i, c in course.answer_cells(nb).items()})
    for ex in EXERCISES.values():
        if ex.kind == "text":
            continue
        hint, answer = re.sub(r"\s", "", ex.hint), code[ex.id]
        blocks = SequenceMatcher(None, answer, hint, autojunk=False).get_matching_blocks()
        covered = sum(b.size for b in blocks if b.size >= 8) / len(answer)
        assert covered < 0.6, (ex.id, round(covered, 2))


def test_06_merges_targets_with_outcomes_and_is_harder_than_05():
    """The last notebook practises what its goals claim: a merge of targets with outcomes,
    on more tables than 05's merges."""
    code_06, code_05 = _answer_code("06_promises_kept"), _answer_code("05_reshaping_targets")
    assert (
        "G1" in teacher.goals(KEYS["06_promises_kept"])
        and "merge" in teacher.goals(KEYS["06_promises_kept"])["G1"]
    )
    assert code_06.count(".merge(") >= 2 and "left_on=" in code_06 and "right_on=" in code_06
    assert "left_on=" not in code_05
    setup = KEYS["06_promises_kept"].cells[2].source
    assert "outcome_value" not in setup and "target_value" not in setup, (
        "06 reads the link columns only: the values come from merging facts and figures"
    )


def test_lesson_plans_cite_only_cells_the_notebooks_have(bundle):
    """Every cell a plan tells the teacher to demonstrate is in the student notebook."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        for stem, key in KEYS.items():
            student = nbformat.reads(
                zf.read(f"{course.BUNDLE_NAME}/{stem}.ipynb").decode(), as_version=4
            )
            sources = [c.source for c in student.cells if c.cell_type == "code"]
            plan = teacher._plan_html(
                teacher.key_exercises(key), EXERCISES, teacher.worked_examples(key)
            )
            cited = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", plan)]
            assert cited, stem
            for line in cited:
                assert any(src.startswith(line) for src in sources), (stem, line)
            assert "worked example" not in re.sub(r"run and explain the worked example", "", plan)


def test_teacher_points_equal_the_autograders():
    body = teacher.teacher_body(DATA_DIR)
    for stem in KEYS:
        with zipfile.ZipFile(io.BytesIO(course.autograder_zip(stem, DATA_DIR))) as zf:
            specs = {}
            for name in zf.namelist():
                if name.startswith("tests/"):
                    scope = {}
                    exec(zf.read(name).decode(), scope)
                    specs[scope["test"]["name"]] = scope["test"]
        for ex in EXERCISES.values():
            if ex.notebook != stem[:2]:
                continue
            spec = specs.get(f"q{ex.id.replace('.', '_')}")
            if ex.kind == "text":
                assert spec is None
                continue
            assert sum(spec["points"]) == ex.points, ex.id
            assert len(spec["points"]) == len(spec["suites"][0]["cases"])
            if ex.kind == "chart":
                assert spec["points"] == [ex.points - 1, 1], ex.id
                section = body[body.index(f'id="ex-{ex.id}"') :].split("</section>")[0]
                assert f"{ex.points - 1} for the marks, 1 for a title" in section, ex.id
        auto = sum(
            e.points for e in EXERCISES.values() if e.notebook == stem[:2] and e.kind != "text"
        )
        assert f"<tr><td>{stem}</td><td>{auto}</td>" in body, stem


def test_no_course_tables_no_teacher_kit(tmp_path):
    (tmp_path / "processed").mkdir()
    (tmp_path / "processed" / "facts.csv").write_text("fact_id\n", encoding="utf-8")
    assert teacher.teacher_files(tmp_path) == {}
    assert course.has_course_data(DATA_DIR)


# ------------------------------------------------------------------------ build tier: execution


def _graded_cases(stem: str) -> list[tuple[str, str]]:
    """(exercise id, case code) of every scored autograder case of one notebook."""
    return [
        (ex_id, code)
        for ex_id, row in ANSWERS.items()
        if ex_id[:2] == stem[:2]
        for code, _ in course.graded_cases(EXERCISES[ex_id], row["test"])
    ]


def _unzipped(bundle: bytes, where: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        zf.extractall(where)
    return where / course.BUNDLE_NAME


@pytest.mark.build
@pytest.mark.parametrize("stem", sorted(KEYS))
def test_otter_grades_filled_notebooks_full_and_a_blank_one_zero(tmp_path, stem):
    otter_run = pytest.importorskip("otter.run")
    autograder = tmp_path / f"{stem}.zip"
    autograder.write_bytes(course.autograder_zip(stem, DATA_DIR))
    key = KEYS[stem]
    blank = course.student_notebook(key)
    possible = sum(EXERCISES[i].points for i in course.answer_cells(key) if ANSWERS[i]["test"])
    filled = course.filled_notebook(blank, key)
    unlabelled = copy.deepcopy(filled)
    charts = [e for e in EXERCISES.values() if e.notebook == stem[:2] and e.kind == "chart"]
    for cell in unlabelled.cells:
        for ex in charts:
            if cell.cell_type == "code" and cell.source.rstrip().endswith(f"{ex.var} = ax"):
                cell.source += f'\n{ex.var}.set_title("")'
    # Every notebook's cases fail on its blank stubs (the blank-notebook run checks that), so
    # otter grades one blank notebook: enough to show a blank submission is graded 0.
    variants = [("filled", filled, possible)]
    if stem == "00_first_look":
        variants.append(("blank", blank, 0))
    if stem in ("00_first_look", "06_promises_kept"):
        variants.append(("unlabelled", unlabelled, possible - len(charts)))
    for name, nb, expected in variants:
        folder = tmp_path / name
        folder.mkdir()
        nbformat.write(nb, folder / f"{stem}.ipynb")
        results = otter_run.main(
            str(folder / f"{stem}.ipynb"),
            autograder=str(autograder),
            output_dir=str(folder),
            no_logo=True,
        )
        assert (results.total, results.possible) == (expected, possible), name


@pytest.mark.build
def test_blank_notebooks_print_no_answer_before_it_is_solved(tmp_path, bundle):
    """Run as a student first opens them (every stub blank), the notebooks show no answer of a
    number exercise in any cell's text or output (worked examples use other rows or made-up
    numbers), and no table of exactly the rows an exercise asks for."""
    root = _unzipped(bundle, tmp_path)
    for stem in KEYS:
        nb = nbformat.read(root / f"{stem}.ipynb", as_version=4)
        # Last, out of what the student sees: every scored case of the autograder, as otter
        # evaluates it; on blank stubs none may pass (otter then grades the notebook 0).
        cases = _graded_cases(stem)
        nb.cells.append(nbformat.v4.new_code_cell(GRADE_BLANK.format(cases=cases)))
        NotebookClient(
            nb,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(root)}},
        ).execute()
        grading = nb.cells.pop()
        graded = "".join(o.get("text", "") for o in grading.outputs)
        assert f"cases {len(cases)}, passed on blank stubs: []" in graded, (stem, grading.outputs)
        shown = []
        for cell in nb.cells:
            shown.append(cell.source)
            for out in cell.get("outputs", []):
                shown.append(out.get("text", ""))
                shown.append(out.get("data", {}).get("text/plain", ""))
        shown_text = "\n".join(shown)
        for ex in EXERCISES.values():
            expected = ANSWERS[ex.id]["expected"]
            if ex.notebook != stem[:2] or ex.kind != "number" or len(expected) < 3:
                continue
            found = re.search(rf"(?<![\d.]){re.escape(expected)}(?!\d)", shown_text)
            assert not found, (stem, ex.id, shown_text[max(found.start() - 80, 0) : found.end()])
        if stem == "06_promises_kept":
            assert "same_measure" not in re.sub(
                r"links\[\"relation\"\].unique\(\)",
                "",
                "".join(
                    o.get("data", {}).get("text/plain", "")
                    for c in nb.cells
                    for o in c.get("outputs", [])
                    if "unique" not in c.source
                ),
            ), "a worked cell shows the judged rows"


# Otter's doctest for a case: `bool(code)` must give True without an error.
GRADE_BLANK = """
_cases, _passed = {cases!r}, []
for _id, _code in _cases:
    try:
        if bool(eval(_code)):
            _passed.append(_id)
    except Exception:
        pass
print(f"cases {{len(_cases)}}, passed on blank stubs: {{_passed}}")
"""


CHART_BLIND = """
from selfcheck import _bars, feedback as _feedback
_before = _feedback("{id}", {var})
assert _before.startswith("plausible"), _before
_horizontal = _bars({var})[0]
for _p in {var}.patches:
    if _horizontal:
        _p.set_width(_p.get_width() * 1.37)
    else:
        _p.set_height(_p.get_height() * 1.37)
assert _feedback("{id}", {var}) == _before, "{id}"
"""


def _answer_tests(stem: str) -> str:
    """A cell asserting every test of answers.csv (whose values were checked against the
    article) for one notebook's exercises, and that the self-check reads a chart's shape, order
    and unit, never a bar's value (bars of other lengths get the same word)."""
    tests = [f"assert {code}, {ex_id!r}" for ex_id, code in _graded_cases(stem)]
    charts = [e.var for e in EXERCISES.values() if e.notebook == stem[:2] and e.kind == "chart"]
    tests += [CHART_BLIND.format(var=var, id=var[3:].replace("_", ".")) for var in charts]
    return "\n".join(tests)


@pytest.mark.build
def test_key_answers_pass_their_tests_in_a_fresh_venv_without_the_project(tmp_path, bundle):
    """Each notebook of the unzipped bundle, filled with the key's answers, runs in a new
    environment holding only the bundle's requirements; every answer test passes, every check
    cell says plausible (or leaves the exercise to the teacher), and nothing goes to stderr."""
    root = _unzipped(bundle, tmp_path / "unzipped")
    for stem, key in KEYS.items():
        filled = course.filled_notebook(course.student_notebook(key), key)
        filled.cells.append(nbformat.v4.new_code_cell(_answer_tests(stem)))
        nbformat.write(filled, root / f"{stem}.ipynb")
    venv = tmp_path / "venv"
    python = venvs.create(venv)
    install = venvs.install(python, "-r", str(root / "requirements.txt"))
    assert install.returncode == 0, install.stderr[-2000:]
    script = tmp_path / "run_all.py"
    script.write_text(RUN_ALL, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
    env["JUPYTER_PATH"] = str(venv / "share" / "jupyter")
    run = subprocess.run(
        [str(python), str(script), str(root)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.stdout.count("ran ") == len(KEYS), run.stdout


# Runs inside the fresh venv: every notebook of the bundle, with the venv's own kernel; a cell
# added first proves which Python runs it and that the project's package is not there.
RUN_ALL = """
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

root = Path(sys.argv[1])
probe = (
    "import importlib.util, sys\\n"
    f"assert sys.prefix == {sys.prefix!r}, sys.prefix\\n"
    "assert importlib.util.find_spec('gaoxin') is None, 'the project package is installed'"
)
for path in sorted(root.glob("[0-9][0-9]_*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(root)}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", (path.name, out.get("text"))
        if cell.source.startswith("check("):
            text = "".join(out.get("text", "") for out in cell.outputs)
            assert "plausible" in text or "marked by your teacher" in text, (path.name, text)
    print("ran", path.name)
"""
