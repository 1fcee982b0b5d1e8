"""The course kit: student notebooks and bundle, the teacher's key, the otter-grader autograders.

Sources (this folder):
- ``key/NN_topic.ipynb``: the teacher's key, which is also the teaching walkthrough. Plain pandas
  and matplotlib over the exported CSVs (``data/`` beside the notebook), no import of gaoxin.
  Each exercise is a prompt, an answer cell (tagged ``answer``; its ``course.stub`` metadata is
  what students get instead), a ``check(...)`` cell and a teacher's note (tagged ``key``).
- ``bundle/``: files shipped to students as they are: ``selfcheck.py`` (formative checks of
  type, unit, rounding and range: it knows no answer), ``exercises.csv`` (what the self-check
  reads: hints, units, ranges, slips; no answers), ``README.md`` and ``requirements.txt``.
- ``answers.csv``: the exact answers, the autograder's test for each, what in the article each
  was checked against, and the wrong values common slips give (they point at the answer, so
  they stay here, for the teacher). Never shipped to students.

Outputs (paths relative to exports/): ``student/gaoxin-course.zip`` (the bundle),
``teacher/autograder/NN_topic.zip`` (otter-grader, one per notebook; hidden tests hold the
exact answers), ``teacher/key/NN_topic.ipynb``, ``teacher/README.md`` (what the folder holds and
how to grade) and ``teacher/requirements.txt`` (what grading needs: the bundle's pins and
otter-grader). ``python -m gaoxin.report.course leakcheck ZIP`` (a maintainers' command, run in
this repository) shows that no answer can be recovered from a bundle.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import pprint
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COURSE_DIR = Path(__file__).resolve().parent
KEY_DIR = COURSE_DIR / "key"
BUNDLE_DIR = COURSE_DIR / "bundle"
ANSWERS_PATH = COURSE_DIR / "answers.csv"
EXERCISES_PATH = BUNDLE_DIR / "exercises.csv"
BUNDLE_NAME = "gaoxin-course"
BUNDLE_ZIP = f"student/{BUNDLE_NAME}.zip"
ANSWER_TAG, KEY_TAG = "answer", "key"
NOTEBOOK_RE = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
EXERCISE_FIELDS = (
    "id",
    "var",
    "title",
    "level",
    "kind",
    "unit",
    "decimals",
    "low",
    "high",
    "columns",
    "expects",
    "points",
    "minutes",
    "skill",
    "hint",
)
ANSWER_FIELDS = ("id", "expected", "test", "basis", "slips")
LEVELS = ("apply", "interpret", "judge")
KINDS = ("number", "table", "chart", "text")
# What the self-check verifies of a chart besides its title and labels: the number of bars, the
# category labels in order, bars sorted by length, stacked bars, a line at zero. Shape only: no
# rule names a bar's length.
EXPECTS_RULE = re.compile(r"bars=\d+|order=[^;=]+|sorted|stacked|zero_line")
# Zip entries get one fixed time, so two builds of the same sources give the same bytes.
ZIP_TIME = (2019, 1, 1, 0, 0, 0)
# The bundle's own help text (not the data or the notebooks' worked examples).
PUBLIC_TEXT = ("exercises.csv", "selfcheck.py", "README.md")
STUDENT_KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
FONT_LICENCE = "OFL.txt"


class CourseError(ValueError):
    """The course sources are inconsistent (an exercise without answer, a bad row …)."""


@dataclass(frozen=True)
class Exercise:
    id: str
    var: str
    title: str
    level: str
    kind: str
    unit: str
    decimals: int | None
    points: int
    minutes: int
    skill: str
    hint: str
    low: str
    high: str
    columns: str
    expects: str

    @property
    def notebook(self) -> str:
        return self.id.split(".")[0]


def _read_csv(path: Path, fields: tuple[str, ...]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != fields:
            raise CourseError(f"{path}: the columns must be {', '.join(fields)}")
        return list(reader)


def load_exercises(path: Path = EXERCISES_PATH) -> dict[str, Exercise]:
    """The public exercise table, validated: ids, variables, levels, kinds, hints, points."""
    found: dict[str, Exercise] = {}
    for n, row in enumerate(_read_csv(path, EXERCISE_FIELDS), start=2):
        where = f"{path.name} line {n}"
        if not re.fullmatch(r"\d\d\.\d+", row["id"]) or row["var"] != "ex_" + row["id"].replace(
            ".", "_"
        ):
            raise CourseError(f"{where}: id must be NN.k and var ex_NN_k")
        if row["level"] not in LEVELS or row["kind"] not in KINDS:
            raise CourseError(f"{where}: level must be one of {LEVELS}, kind one of {KINDS}")
        if not row["hint"].strip() or not row["points"].isdigit() or not row["minutes"].isdigit():
            raise CourseError(f"{where}: every exercise needs a hint, whole points and minutes")
        if row["kind"] == "chart" and int(row["points"]) < 2:
            raise CourseError(f"{where}: a chart earns a point for its marks and one for labels")
        if row["kind"] == "number" and not (row["decimals"].isdigit() and row["unit"]):
            raise CourseError(f"{where}: a number exercise states its unit and decimals")
        bad = [r for r in row["expects"].split(";") if r and not EXPECTS_RULE.fullmatch(r)]
        if bad or (row["expects"] and row["kind"] != "chart"):
            raise CourseError(f"{where}: expects holds chart rules only ({EXPECTS_RULE.pattern})")
        if row["id"] in found:
            raise CourseError(f"{where}: id {row['id']} is there twice")
        found[row["id"]] = Exercise(
            id=row["id"],
            var=row["var"],
            title=row["title"],
            level=row["level"],
            kind=row["kind"],
            unit=row["unit"],
            decimals=int(row["decimals"]) if row["decimals"] else None,
            points=int(row["points"]),
            minutes=int(row["minutes"]),
            skill=row["skill"],
            hint=row["hint"],
            low=row["low"],
            high=row["high"],
            columns=row["columns"],
            expects=row["expects"],
        )
    return found


def load_answers(path: Path = ANSWERS_PATH) -> dict[str, dict[str, str]]:
    """The teacher's answers: expected value (as shown), autograder test, basis in the article,
    common slips ("value=why|…")."""
    return {row["id"]: row for row in _read_csv(path, ANSWER_FIELDS)}


def key_notebooks(key_dir: Path = KEY_DIR) -> list[Path]:
    return sorted(p for p in key_dir.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def answer_cells(nb: Any) -> dict[str, Any]:
    """{exercise id: the answer cell} of a key notebook."""
    return {
        c.metadata["course"]["id"]: c
        for c in nb.cells
        if c.cell_type == "code" and ANSWER_TAG in _tags(c)
    }


def student_notebook(key_nb: Any) -> Any:
    """The student edition of a key notebook: answer cells become their stubs, the teacher's
    notes are dropped, and no output, execution count or project metadata is kept."""
    nb = copy.deepcopy(key_nb)
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if KEY_TAG in tags:
            continue
        if ANSWER_TAG in tags:
            cell.source = cell.metadata["course"]["stub"]
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    nb.metadata = {"kernelspec": dict(STUDENT_KERNEL), "language_info": {"name": "python"}}
    return nb


def filled_notebook(student_nb: Any, key_nb: Any) -> Any:
    """A student notebook with every stub replaced by the key's answer (as a student who solved
    everything would hand it in)."""
    answers = {
        cell.metadata["course"]["stub"]: cell.source for cell in answer_cells(key_nb).values()
    }
    nb = copy.deepcopy(student_nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source in answers:
            cell.source = answers[cell.source]
    return nb


def _zip(files: dict[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    return buffer.getvalue()


def _font_files() -> dict[str, bytes]:
    from gaoxin.config import cjk_font_path

    font = cjk_font_path()
    files = {f"fonts/{font.name}": font.read_bytes()}
    licence = next((p for p in font.parent.glob("*OFL*") if p.is_file()), None)
    files[f"fonts/{FONT_LICENCE}"] = (
        licence.read_bytes()
        if licence
        else b"Noto Sans CJK SC is licensed under the SIL Open Font License, Version 1.1.\n"
        b"https://openfontlicense.org\n"
    )
    return files


def data_files(data_dir: Path) -> dict[str, bytes]:
    """data/: the exported tables (the same files as exports/data/) and their data package."""
    from gaoxin.report.package import export_tables

    tables, descriptor = export_tables(data_dir)
    files = {f"data/{t.file}": t.data for t in tables}
    if descriptor is not None:
        files["data/datapackage.json"] = descriptor
    return files


# The tables the course notebooks read (relative to the project's data/ folder).
NEEDED_TABLES = (
    "processed/facts.csv",
    "annotations/target_pairs.csv",
    "followup/figures.csv",
    "followup/result_pairs.csv",
    "followup/target_outcomes.csv",
)


def has_course_data(data_dir: Path) -> bool:
    """Whether data_dir holds every table the course reads (fixture data often does not)."""
    return all((data_dir / rel).is_file() for rel in NEEDED_TABLES)


def _notebook_bytes(nb: Any) -> bytes:
    import nbformat

    return (nbformat.writes(nb) + "\n").encode()


def bundle_files(data_dir: Path, key_dir: Path = KEY_DIR) -> dict[str, bytes]:
    """Every file of the student bundle, by path inside the bundle folder."""
    import nbformat

    files = {p.name: p.read_bytes() for p in sorted(BUNDLE_DIR.iterdir()) if p.is_file()}
    files.update(_font_files())
    files.update(data_files(data_dir))
    for path in key_notebooks(key_dir):
        files[path.name] = _notebook_bytes(student_notebook(nbformat.read(path, as_version=4)))
    return files


def bundle_zip(data_dir: Path, key_dir: Path = KEY_DIR) -> bytes:
    """The student bundle as one zip whose entries sit in a folder gaoxin-course/."""
    return _zip(bundle_files(data_dir, key_dir), prefix=f"{BUNDLE_NAME}/")


# ------------------------------------------------------------------------------- the autograder


def chart_label_test(var: str) -> str:
    """The autograder's case for what every chart needs: a title (at the left, centre or right,
    as the self-check reads it) and both axis labels."""
    return (
        f"bool(''.join({var}.get_title(loc) for loc in ('left', 'center', 'right')).strip() "
        f"and {var}.get_xlabel().strip() and {var}.get_ylabel().strip())"
    )


def number_test(exercise: Exercise, expected: str) -> str:
    """The autograder's case for a number exercise, as the self-check reads an answer: a numpy
    scalar or 0-d array counts as the number it holds; the answer must then be a Python int or
    float (not a bool, a str or a one-element Series), rounded exactly as the prompt asks
    (``round(v, decimals) == v``) and equal to the expected value."""
    var = exercise.var
    return (
        f"(lambda v: type(v) in (int, float) and round(v, {exercise.decimals}) == v == {expected})"
        f"({var}.item() if getattr({var}, 'ndim', None) == 0 and hasattr({var}, 'item') "
        f"else {var})"
    )


def graded_cases(exercise: Exercise, test: str) -> list[tuple[str, int]]:
    """The autograder's cases of one exercise, each with its points: one case for a number or a
    table; for a chart, the marks (all points but one) and the title with both labels (one)."""
    if not test:
        return []
    if exercise.kind == "chart":
        return [(test, exercise.points - 1), (chart_label_test(exercise.var), 1)]
    return [(test, exercise.points)]


def _ok_test(exercise: Exercise, test: str) -> str:
    """One otter-grader test file (OK format): hidden, scored, the exact answer inside; one case
    per part that earns points (see graded_cases)."""
    cases = graded_cases(exercise, test)
    spec = {
        "name": f"q{exercise.id.replace('.', '_')}",
        "points": [points for _, points in cases],
        "suites": [
            {
                "cases": [
                    {"code": f">>> bool({code})\nTrue", "hidden": True, "locked": False}
                    for code, _ in cases
                ],
                "scored": True,
                "setup": "",
                "teardown": "",
                "type": "doctest",
            }
        ],
    }
    return f"OK_FORMAT = True\n\ntest = {pprint.pformat(spec, width=100, sort_dicts=False)}\n"


def autograder_files(stem: str, data_dir: Path) -> dict[str, bytes]:
    """An otter-grader autograder for one notebook (the layout `otter generate` writes), for
    `otter run -a NN_topic.zip submission.ipynb`: tests/ (hidden, with the exact answers),
    files/ (what the notebook reads), otter_config.json and requirements.txt."""
    exercises = load_exercises()
    answers = load_answers()
    files: dict[str, bytes] = {}
    for ex in exercises.values():
        if ex.notebook == stem[:2] and answers[ex.id]["test"]:
            files[f"tests/q{ex.id.replace('.', '_')}.py"] = _ok_test(
                ex, answers[ex.id]["test"]
            ).encode()
    for name in ("selfcheck.py", "exercises.csv"):
        files[f"files/{name}"] = (BUNDLE_DIR / name).read_bytes()
    # No font: grading needs no picture of the chart, and the font is 16 MB.
    files.update({f"files/{k}": v for k, v in data_files(data_dir).items()})
    config = {"lang": "python", "pdf": False, "print_summary": True, "zips": False}
    files["otter_config.json"] = (json.dumps(config, indent=1) + "\n").encode()
    files["requirements.txt"] = (BUNDLE_DIR / "requirements.txt").read_bytes()
    return files


def autograder_zip(stem: str, data_dir: Path) -> bytes:
    return _zip(autograder_files(stem, data_dir))


OTTER_PACKAGE = "otter-grader"


def otter_pin(lock: Path = COURSE_DIR.parents[2] / "requirements.lock") -> str:
    """otter-grader pinned at the version the course's tests run it with (requirements.lock)."""
    found = re.search(rf"^{OTTER_PACKAGE}==([^\s\\]+)", lock.read_text(encoding="utf-8"), re.M)
    if not found:
        raise CourseError(f"{lock}: no pin of {OTTER_PACKAGE}")
    return f"{OTTER_PACKAGE}=={found.group(1)}"


def grading_requirements() -> str:
    """teacher/requirements.txt: the student bundle's pins (pandas, matplotlib and jupyterlab,
    which brings the python3 kernel that otter runs notebooks with) and otter-grader."""
    pins = [
        line
        for line in (BUNDLE_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return (
        "# What grading the course needs: the student bundle's pins and otter-grader.\n"
        "# python -m venv grading && grading/bin/pip install -r requirements.txt\n"
        + "\n".join([*pins, otter_pin()])
        + "\n"
    )


def teacher_readme(stems: list[str]) -> str:
    """teacher/README.md: what the folder holds and the exact commands to grade a notebook."""
    first = stems[0] if stems else "00_first_look"
    notebooks = "\n".join(
        f"| `autograder/{s}.zip` | the autograder of `{s}.ipynb` |" for s in stems
    )
    return f"""# Teacher's kit: key notebooks and autograders

This folder is for teachers only; the student bundle (`../student/{BUNDLE_NAME}.zip`) holds no
file of it. The teacher's guide is `../teacher.html` (or `../teacher.pdf`): lesson plans, answers,
common slips, rubrics.

| file | what it is |
|---|---|
| `key/NN_topic.ipynb` | the key notebooks: the teaching walkthrough with every model answer |
{notebooks}
| `requirements.txt` | what grading needs: the course's pinned packages and `{otter_pin()}` |

## Grading a handed-in notebook

Make an environment for grading once, from this folder, and install **this folder's**
`requirements.txt` into it:

```sh
python -m venv grading
grading/bin/pip install -r requirements.txt        # Windows: grading\\Scripts\\pip
```

Do not install `otter-grader` on its own: `pip install otter-grader` alone pulls the newest
pandas (3.x, which the notebooks were not written for) and no Jupyter kernel, and `otter run`
then stops with `NoSuchKernel: python3`. The requirements file pins the course's pandas,
matplotlib and jupyterlab (which brings the `python3` kernel) and `{otter_pin()}`.

Then, for one notebook (here a student's `{first}.ipynb`):

```sh
grading/bin/otter run -a autograder/{first}.zip -o results/ path/to/{first}.ipynb
```

`otter run` runs the notebook, prints the points per exercise and the total, and writes
`results/results.json`. A notebook handed in blank scores 0.

Every test in these autograders is **hidden** (they hold the exact answers), so there are no
public tests: the line "Public Tests: All test cases passed!" that otter prints for every
notebook, blank or not, says nothing about the answers. Read the points per exercise and the
total (`results.json`: `score` per question).

A number earns its points only as the prompt asks for it: a number (not text in quotes, not a
one-element Series), rounded exactly as asked, with the right value. A chart earns one point for
its marks and one for a title and both axis labels. Written exercises (level "judge") are marked
by hand with the rubric in `../teacher.html`.
"""


def export_files(data_dir: Path) -> dict[str, bytes]:
    """The course's files under exports/: the student bundle and the teacher's kit."""
    files = {BUNDLE_ZIP: bundle_zip(data_dir)}
    stems = [path.stem for path in key_notebooks()]
    for path in key_notebooks():
        files[f"teacher/key/{path.name}"] = path.read_bytes()
        files[f"teacher/autograder/{path.stem}.zip"] = autograder_zip(path.stem, data_dir)
    files["teacher/README.md"] = teacher_readme(stems).encode()
    files["teacher/requirements.txt"] = grading_requirements().encode()
    return files


# ------------------------------------------------------------------------------- the leak check


def _numbers_near(value: float, decimals: int, count: int) -> list[float]:
    step = 10.0**-decimals
    return [round(value + k * step, decimals) for k in range(-count, count + 1) if k]


def leak_report(bundle: bytes) -> list[str]:
    """Problems found in a student bundle that would let an answer be recovered faster than by
    solving it; an empty list means none. Uses the key (answers.csv), which the bundle lacks."""
    import importlib.util
    import tempfile

    problems: list[str] = []
    answers = load_answers()
    exercises = load_exercises()
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        names = zf.namelist()
        texts = {
            n: zf.read(n).decode("utf-8", "replace")
            for n in names
            if n.endswith((".ipynb", ".py", ".csv", ".md", ".txt", ".json"))
        }
        for name in names:
            if Path(name).name in {ANSWERS_PATH.name} or "/key/" in name or "autograder" in name:
                problems.append(f"{name}: a file of the teacher's kit is in the bundle")
        # The data package records each file's sha256: those hashes are of files in the bundle.
        own = {hashlib.sha256(zf.read(n)).hexdigest() for n in names}
        for name, text in texts.items():
            if set(re.findall(r"\b[0-9a-f]{64}\b", text)) - own:
                problems.append(f"{name}: holds a 64-hex string (a hash of an answer?)")
            if name.endswith(".ipynb"):
                nb = json.loads(text)
                for cell in nb["cells"]:
                    if "course" in cell.get("metadata", {}) or KEY_TAG in cell.get(
                        "metadata", {}
                    ).get("tags", []):
                        problems.append(f"{name}: keeps a cell of the key")
        for ex_id, row in answers.items():
            if row["test"] and row["test"] in "\n".join(texts.values()):
                problems.append(f"{ex_id}: the autograder's test is in the bundle")
            # Hints and help text must not state an answer (numbers of 3 or more characters).
            hints = "\n".join(t for n, t in texts.items() if n.endswith(PUBLIC_TEXT))
            if len(row["expected"]) >= 3 and re.search(
                rf"(?<![\d.]){re.escape(row['expected'])}(?![\d])", hints
            ):
                problems.append(f"{ex_id}: the answer {row['expected']} is written in the bundle")
        with tempfile.TemporaryDirectory() as tmp:
            zf.extractall(tmp)
            root = Path(tmp, BUNDLE_NAME)
            spec = importlib.util.spec_from_file_location("bundle_selfcheck", root / "selfcheck.py")
            module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
            spec.loader.exec_module(module)  # type: ignore[union-attr]
            for ex in exercises.values():
                if ex.kind != "number":
                    continue
                right = float(answers[ex.id]["expected"])
                said = module.feedback(ex.id, right)
                if not said.startswith("plausible"):
                    problems.append(f"{ex.id}: the self-check rejects the right answer: {said}")
                same = [
                    v
                    for v in _numbers_near(right, ex.decimals or 0, 60)
                    if module.feedback(ex.id, v) == said
                ]
                if len(same) < 20:
                    problems.append(
                        f"{ex.id}: only {len(same)} wrong values near the answer get the right "
                        "answer's verdict; the check narrows the answer down"
                    )
    return problems


USAGE = (
    "usage: python -m gaoxin.report.course leakcheck BUNDLE.zip\n"
    "       python -m gaoxin.report.course build OUT_DIR"
)


def main(argv: list[str]) -> int:
    if argv in (["-h"], ["--help"]):
        print(USAGE)
        print("\nleakcheck: show that no answer can be recovered from a student bundle.")
        print("build: write the student bundle and the teacher's kit into OUT_DIR.")
        return 0
    if len(argv) == 2 and argv[0] == "leakcheck":
        path = Path(argv[1])
        if not path.is_file():
            print(f"{path}: no such file; build it with `make report` first", file=sys.stderr)
            return 1
        problems = leak_report(path.read_bytes())
        for line in problems:
            print(line)
        checked = sum(1 for e in load_exercises().values() if e.kind == "number")
        print(
            f"{path}: {'no answer recoverable' if not problems else 'LEAKS'}; "
            f"{checked} number exercises checked against ±60 steps around their answer"
        )
        return 1 if problems else 0
    if len(argv) == 2 and argv[0] == "build":
        from gaoxin.config import DATA_DIR

        out = Path(argv[1])
        for rel, data in export_files(DATA_DIR).items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        print(f"{out}: course kit written")
        return 0
    print(USAGE, file=sys.stderr)
    return 2
