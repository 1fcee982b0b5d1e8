"""exports/teacher.html and teacher.pdf: the teacher's kit for the course (gaoxin.report.course).

Read from the course key notebooks (goals, sections, each exercise's prompt, model answer and
teacher's note), the course's exercise table (level, points, minutes, hint) and
answers (expected values and what each was checked against), the project's glossary
(gaoxin/glossary.csv) and readings register (data/annotations/readings.csv). No student page
links here: a teacher opens exports/teacher.html directly.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Any

from gaoxin.report import course
from gaoxin.report.render import render_page
from gaoxin.report.sanitize import sanitize_html

TEACHER_PAGE = "teacher.html"
TEACHER_PDF = "teacher.pdf"
GOAL_LINE = re.compile(r"^- \*\*(G\d+)\*\* (.+?)[;.]?$")
# The qualifiers a reader of Chinese reports has to get right, in the order the kit teaches them.
QUALIFIERS = ("余", "多", "以上", "近", "突破", "超过", "同口径")
LESSON_MINUTES = 90
OPENING_MINUTES, CLOSING_MINUTES = 10, 10
LEVEL_WORDS = {"apply": "应用 apply", "interpret": "解读 interpret", "judge": "判断 judge"}
CSS = (
    ".gx-teacher .meta{color:#555}"
    ".gx-teacher pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}"
    ".gx-teacher section.exercise{border-top:1px solid #ddd;margin-top:1em}"
    ".gx-teacher table{border-collapse:collapse}"
    ".gx-teacher td,.gx-teacher th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;"
    "text-align:left}"
)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return sanitize_html(markdown2html_mistune(text))


def _inline(text: str) -> str:
    return _markdown(text).strip().removeprefix("<p>").removesuffix("</p>")


def goals(nb: Any) -> dict[str, str]:
    """{"G1": "read a CSV file …"} from the notebook's opening cell."""
    found = {}
    for line in nb.cells[0].source.splitlines():
        m = GOAL_LINE.match(line.strip())
        if m:
            found[m.group(1)] = m.group(2)
    return found


def key_exercises(nb: Any) -> list[dict[str, Any]]:
    """Each exercise of a key notebook: id, section, prompt, answer code, teacher's note."""
    found: list[dict[str, Any]] = []
    section = ""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            section = cell.source.splitlines()[0][3:].strip()
        if cell.cell_type == "code" and course.ANSWER_TAG in cell.metadata.get("tags", []):
            prompt = nb.cells[i - 1].source if i else ""
            note = next(
                (
                    c.source
                    for c in nb.cells[i + 1 : i + 4]
                    if course.KEY_TAG in c.metadata.get("tags", [])
                ),
                "",
            )
            found.append(
                {
                    "id": cell.metadata["course"]["id"],
                    "section": section,
                    "prompt": prompt,
                    "code": cell.source,
                    "note": note.removeprefix("**Key.** "),
                }
            )
    return found


def worked_examples(nb: Any) -> dict[str, list[str]]:
    """{section heading: the first line of each worked-example code cell in it}: the code cells
    that are neither an answer, a check nor a teacher's note (the same cells students have)."""
    found: dict[str, list[str]] = {}
    section = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            section = cell.source.splitlines()[0][3:].strip()
            found.setdefault(section, [])
        tags = set(cell.metadata.get("tags", []))
        if (
            section
            and cell.cell_type == "code"
            and not tags & {course.ANSWER_TAG, course.KEY_TAG}
            and not cell.source.startswith("check(")
        ):
            first = next(line for line in cell.source.splitlines() if line.strip())
            found[section].append(first)
    return found


def _slips(answer: dict[str, str]) -> list[str]:
    return [
        f"{value} — {why}"
        for value, _, why in (s.partition("=") for s in answer["slips"].split("|") if s)
    ]


def _exercise_html(item: dict[str, Any], ex: course.Exercise, answer: dict[str, str]) -> str:
    cases = course.graded_cases(ex, answer["test"])
    if ex.kind == "chart":
        marking = (
            f"autograded, {ex.points} points (otter-grader): {cases[0][1]} for the marks, "
            f"{cases[1][1]} for a title and both axis labels"
        )
    elif cases:
        marking = f"autograded ({ex.points} point{'s' if ex.points != 1 else ''}, otter-grader)"
    else:
        marking = f"marked by hand with the rubric ({ex.points} points)"
    slips = "".join(f"<li>{_esc(s)}</li>" for s in _slips(answer))
    return (
        f'<section class="exercise" id="ex-{_esc(ex.id)}">'
        f"<h4>Exercise {_esc(ex.id)} — {_esc(ex.title)}</h4>"
        f'<p class="meta">{_esc(LEVEL_WORDS[ex.level])} · {ex.minutes} min · {_esc(marking)} · '
        f"skill: {_esc(ex.skill)}</p>"
        f"{_markdown(item['prompt'])}"
        f"<p><b>答案 Answer:</b> {_esc(answer['expected'])}</p>"
        f"<p>{_inline(item['note'])}</p>"
        f'<p class="meta">Checked against: {_esc(answer["basis"])}</p>'
        f"<pre><code>{_esc(item['code'])}</code></pre>"
        + (
            "<p>Common slips and the value they give (for the teacher; the self-check knows "
            f"no values):</p><ul>{slips}</ul>"
            if slips
            else ""
        )
        + f'<p class="meta">Hint given to students: {_esc(ex.hint)}</p></section>'
    )


def _plan_html(
    items: list[dict[str, Any]],
    exercises: dict[str, course.Exercise],
    examples: dict[str, list[str]] | None = None,
) -> str:
    """A 90-minute plan: opening, each section with its worked examples (the code cells the
    notebook has there) and its exercises, closing."""
    examples = examples or {}
    rows, sections = [], {}
    for item in items:
        sections.setdefault(item["section"], []).append(exercises[item["id"]])
    work = sum(ex.minutes for exs in sections.values() for ex in exs)
    explain = max(LESSON_MINUTES - OPENING_MINUTES - CLOSING_MINUTES - work, 0)
    per_section = explain // max(len(sections), 1)
    clock = 0
    rows.append((clock, OPENING_MINUTES, _esc("Open: goals, run the setup cell on every laptop")))
    clock += OPENING_MINUTES
    for name, exs in sections.items():
        minutes = per_section + sum(ex.minutes for ex in exs)
        ids = _esc(", ".join(ex.id for ex in exs))
        cells = examples.get(name, [])
        if cells:
            shown = ", ".join(f"<code>{_esc(line)}</code>" for line in cells[:3])
            more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
            what = (
                f"{_esc(name)}: run and explain the worked example{'s' if len(cells) > 1 else ''} "
                f"(the cell{'s' if len(cells) > 1 else ''} starting {shown}{more}), then {ids}"
            )
        else:
            what = (
                f"{_esc(name)}: this section has no code of its own; read its text and the prompt "
                f"aloud, recall the idiom from the sections before, then {ids}"
            )
        rows.append((clock, minutes, what))
        clock += minutes
    rows.append(
        (clock, LESSON_MINUTES - clock, _esc("Close: two answers compared aloud; what's next"))
    )
    body = "".join(
        f"<tr><td>{start}–{start + length} min</td><td>{what}</td></tr>"
        for start, length, what in rows
    )
    return f"<table><tr><th>when</th><th>what</th></tr>{body}</table>"


def notebook_section(path: Path, exercises: dict[str, course.Exercise], answers: dict) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    items = key_exercises(nb)
    auto = sum(exercises[i["id"]].points for i in items if answers[i["id"]]["test"])
    hand = sum(exercises[i["id"]].points for i in items if not answers[i["id"]]["test"])
    goal_list = "".join(f"<li><b>{_esc(g)}</b> {_inline(t)}</li>" for g, t in goals(nb).items())
    body = "".join(_exercise_html(i, exercises[i["id"]], answers[i["id"]]) for i in items)
    plan = _plan_html(items, exercises, worked_examples(nb))
    return (
        f'<section id="nb-{_esc(path.stem)}"><h3>{_esc(title)}</h3>'
        f'<p class="meta">Notebook <code>{_esc(path.name)}</code> · {len(items)} exercises · '
        f"{auto} points autograded + {hand} marked by hand</p>"
        f"<h4>目标 Goals</h4><ul>{goal_list}</ul>"
        f"<h4>90-minute plan</h4>{plan}{body}</section>"
    )


def glossary_html(data_dir: Path) -> str:
    """The qualifiers, from the project's glossary and its readings register."""
    from gaoxin.data.glossary import load_glossary

    glossary = load_glossary()
    readings_path = data_dir / "annotations" / "readings.csv"
    readings = []
    if readings_path.is_file():
        with open(readings_path, encoding="utf-8", newline="") as f:
            readings = list(csv.DictReader(f))
    quotes = _article_quotes(data_dir)
    rows = []
    for term in QUALIFIERS:
        if term not in glossary.index:
            continue
        entry = glossary.loc[term]
        taken = [
            f"{_reading_words(r)} ({r['reading_id']})"
            for r in readings
            if term in r["wording"].split(";")
        ]
        example = next((q for q in quotes if term in q), "")
        rows.append(
            f'<tr><td lang="zh-Hans">{_esc(term)}</td><td>{_esc(entry["en"])}</td>'
            f'<td>{_esc(entry["note"])}</td><td lang="zh-Hans">{_esc(example)}</td>'
            f"<td>{_esc('; '.join(taken))}</td></tr>"
        )
    return (
        "<table><tr><th>term</th><th>English</th><th>how to read it</th><th>in the texts</th>"
        "<th>reading taken by the project (readings register)</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _reading_words(row: dict[str, str]) -> str:
    """The words of the reading the register takes (reading_words is "id=words|id=words")."""
    words = dict(part.partition("=")[::2] for part in row["reading_words"].split("|") if part)
    return words.get(row["reading"], row["reading"])


def _article_quotes(data_dir: Path) -> list[str]:
    """Quotes of the article's quantities, then phrases of the later report, for examples."""
    found = []
    for rel, column in (("processed/facts.csv", "quote"), ("followup/figures.csv", "phrase")):
        path = data_dir / rel
        if path.is_file():
            with open(path, encoding="utf-8", newline="") as f:
                found += [row[column] for row in csv.DictReader(f) if row.get(column)]
    return found


INTRO = """
<h1>教师用书 Teacher's kit: pandas and matplotlib on one Chinese news article</h1>
<p>Seven notebooks (00 → 06, harder each time) teach pandas and matplotlib on the tables made
from one news report about the Hengyang High-tech Zone. Students need only the bundle
<code>student/gaoxin-course.zip</code>: notebooks, CSV files, a font, a README and a three-line
requirements file. This page and <code>teacher/</code> (the key notebooks and the autograders)
are for teachers only; nothing in the student bundle links here.</p>
<h2>Prerequisites</h2>
<ul>
<li><b>Students</b>: Python basics (variables, lists, calling a function, an <code>if</code>),
opening and running cells in Jupyter. No pandas or matplotlib needed: 00 starts from
<code>pd.read_csv</code>. No Chinese needed: every Chinese term in a prompt is glossed; the
glossary below helps with the qualifiers.</li>
<li><b>Teachers</b>: comfortable with pandas selection, <code>groupby</code>, <code>merge</code>
and <code>melt</code>; read this page's notes on 以上, 余 and 同口径 before lesson 05.</li>
</ul>
<h2>Classroom set-up for 30 laptops</h2>
<ol>
<li>A week before: on one laptop, unzip <code>gaoxin-course.zip</code>, run
<code>python -m venv .venv</code> and <code>.venv/bin/pip install -r requirements.txt</code>
(Windows: <code>.venv\\Scripts\\pip</code>), start <code>jupyter lab</code> and run
<code>00_first_look.ipynb</code> to the end. This takes about five minutes with a good
connection.</li>
<li>For a room with a slow or no connection: once, <code>pip download -r requirements.txt -d
wheels</code> on a machine like the students' (same operating system and Python), copy the
<code>wheels</code> folder with the zip to a USB stick or the school share; each laptop then runs
<code>pip install --no-index --find-links wheels -r requirements.txt</code>.</li>
<li>On the day: students copy the zip, unzip it, create the environment (or use the one the IT
team prepared) and open the notebooks <em>from the unzipped folder</em> (they read
<code>data/</code> and <code>selfcheck.py</code> beside them). Fallbacks: VS Code with the
Jupyter extension, or Colab (upload the zip; the README gives the two commands).</li>
<li>Keep two spare laptops ready; the commonest failure is a notebook opened from the zip
without unzipping, which cannot find <code>data/</code>.</li>
</ol>
<h2>The self-check is formative; marks come from the autograder</h2>
<p>The <code>check(...)</code> cells in the student notebooks are <b>formative</b>: they check the
kind of answer (one number, not a Series; percent, not a fraction; rounded as asked; a table's
columns and, where the prompt fixes it, its row count; a chart's title, labels, number of bars,
order and unit) and name the common slips of kind (a mask holding NaN without
<code>na=False</code>, bars in yuan instead of 亿元, bars out of the order asked), but they know
no answer, so a wrong number of the right kind gets the same "plausible".
Nothing in the bundle lets an answer be recovered faster than by solving it (the project's
maintainers check each bundle with a leak check run in the project's repository; a teacher
needs nothing of it). For marks, use the otter-grader autograders in
<code>teacher/autograder/</code> (hidden tests with the exact answers). Grade in an environment
of its own, with <code>teacher/requirements.txt</code> installed into it: it pins the course's
pandas, matplotlib and jupyterlab (which brings the <code>python3</code> kernel otter runs
notebooks with) and otter-grader at the version the kit was tested with. From
<code>teacher/</code>: <code>python -m venv grading</code>, then <code>grading/bin/pip install -r
requirements.txt</code>, then for one handed-in notebook <code>grading/bin/otter run -a
autograder/00_first_look.zip -o results/ 00_first_look.ipynb</code>, which prints the score per
exercise and writes <code>results/results.json</code>. Do not run <code>pip install
otter-grader</code> alone: it pulls the newest pandas (3.x) and no Jupyter kernel, and
<code>otter run</code> then stops with <code>NoSuchKernel: python3</code>. Every test is hidden,
so the line "Public Tests: All test cases passed!" appears for every notebook, blank or not: read
the points. <code>teacher/README.md</code> repeats these steps. A number earns its points only as
the prompt asks: a number (not text, not a one-element Series), rounded exactly as asked.
A chart earns one point for its marks (the
bars' values, and their order where the prompt asks for one) and one for a title and both axis
labels, so an unlabelled but correct chart gets half its points.
Written exercises (level "judge") are marked by hand with the rubric given under each.</p>
<h2>Common mistakes and how to address them</h2>
<ul>
<li><b>Opening a notebook outside the unzipped folder</b> → <code>FileNotFoundError: data/…</code>:
open it from the folder (File → Open Folder in VS Code; the file browser in Jupyter).</li>
<li><b>A Series where a number is asked</b> (<code>facts[mask]["value"]</code>): show
<code>.item()</code> and <code>.iloc[0]</code>; the self-check names this slip.</li>
<li><b>Empty cells compared with <code>""</code></b>: pandas reads them as <code>NaN</code>; use
<code>.isna()</code>/<code>.notna()</code> (exercise 00.3).</li>
<li><b><code>and</code> instead of <code>&amp;</code>, or missing parentheses</b> around each
condition: "The truth value of a Series is ambiguous" — write
<code>(a == 1) &amp; (b == 2)</code>.</li>
<li><b><code>.str.contains</code> on a column with empty cells</b> fails to filter: add
<code>na=False</code>.</li>
<li><b>Percent against fraction, 亿元 against yuan</b>: say the unit aloud before dividing;
<code>value_normalized</code> is in base units (yuan), <code>value</code> as written.</li>
<li><b>Percentage points against percent change</b> (05.3, 06.3): a difference of two rates is in
points.</li>
<li><b>Reading 以上 as "more than"</b>: it includes the number (see the glossary).</li>
<li><b>Reading 签约 (signed) as 引进 (introduced)</b> (06.1, 06.4, 06.5): the targets say
introduced, the later report counts signed. The project's readings register
(<code>introduced_vs_signed</code>) keeps them as two counts and treats "signed counts as
introduced" as an alternative reading. The answers of 06.1, 06.2, 06.4 and 06.5 rest on that
alternative, and their prompts and keys say so; on the project's own reading only the GDP target
is judged. Ask students to name the reading in any sentence that uses these numbers.</li>
<li><b>A chart without a title or axis labels</b>, or drawn on a new figure instead of the
<code>ax</code> given: the self-check says which.</li>
</ul>
"""


def teacher_body(data_dir: Path, key_dir: Path = course.KEY_DIR) -> str:
    exercises = course.load_exercises()
    answers = course.load_answers()
    notebooks = course.key_notebooks(key_dir)
    rows = []
    for path in notebooks:
        mine = [e for e in exercises.values() if e.notebook == path.stem[:2]]
        auto = sum(e.points for e in mine if answers[e.id]["test"])
        hand = sum(e.points for e in mine if not answers[e.id]["test"])
        rows.append(f"<tr><td>{_esc(path.stem)}</td><td>{auto}</td><td>{hand}</td></tr>")
    points = "".join(rows)
    return (
        INTRO
        + "<h2>Points</h2><table><tr><th>notebook</th><th>autograded</th><th>by hand</th></tr>"
        + points
        + "</table>"
        + "<h2>Glossary of the qualifiers</h2>"
        + "<p>From the project's glossary (<code>gaoxin/glossary.csv</code>) and its readings "
        "register (<code>data/annotations/readings.csv</code>).</p>"
        + glossary_html(data_dir)
        + "<h2>Notebooks: plan, answers, expected outputs, rubrics</h2>"
        + "<p>The key notebooks in <code>teacher/key/</code> are the teaching walkthroughs: each "
        "code cell is introduced by a sentence naming the idiom and followed by one reading its "
        "output, and each exercise has its model answer. Run them from the unzipped bundle folder "
        "to see every expected output and chart.</p>"
        + "".join(notebook_section(p, exercises, answers) for p in notebooks)
    )


def teacher_page(data_dir: Path) -> bytes | None:
    """The page, or None when the data lacks the course's tables (fixture data)."""
    if not course.key_notebooks() or not course.has_course_data(data_dir):
        return None
    page = render_page(
        "Teacher's kit 教师用书", teacher_body(data_dir), "gx-teacher", lang="en", extra_css=(CSS,)
    )
    return page.encode()


def teacher_files(data_dir: Path) -> dict[str, bytes]:
    """teacher.html, teacher.pdf, the student bundle and teacher/ (key and autograders)."""
    from gaoxin.report.render import render_pdf

    page = teacher_page(data_dir)
    if page is None:
        return {}
    files = {TEACHER_PAGE: page, TEACHER_PDF: render_pdf(page.decode())}
    files.update(course.export_files(data_dir))
    return files
