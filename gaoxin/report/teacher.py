"""exports/teacher.html: per notebook its goals, exercises, answers, rubrics and time estimates.

Read from the source notebooks (goals in the opening, exercises and their `solution` cells after
`## Exercises`) and from data/annotations/exercises.csv (goal, level, minutes, hint). Number
answers are shown as the solution code; their values are in the walkthrough, which each section
links to. No student page links here: a teacher opens exports/teacher.html directly.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from gaoxin.analysis.exercises import EXERCISES_PATH, Exercise, load_exercises
from gaoxin.config import SOLUTION_TAG
from gaoxin.report.render import render_page
from gaoxin.report.sanitize import sanitize_html

TEACHER_PAGE = "teacher.html"
EXERCISES_HEADING = "## Exercises"
GOAL_LINE = re.compile(r"^- \*\*(G\d+)\*\* (.+?)[;.]?$")
EXERCISE_START = re.compile(r"^\*\*Exercise (\d+)\.\*\*")
LEVEL_WORDS = {"apply": "应用 apply", "interpret": "解读 interpret", "judge": "判断 judge"}
CSS = (
    ".gx-teacher .meta{color:#555}"
    ".gx-teacher pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}"
    ".gx-teacher section.exercise{border-top:1px solid #ddd;margin-top:1em}"
)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return sanitize_html(markdown2html_mistune(text))


def _inline(text: str) -> str:
    """One line of markdown without its paragraph tags."""
    return _markdown(text).strip().removeprefix("<p>").removesuffix("</p>")


def goals(nb: Any) -> dict[str, str]:
    """{"G1": "compute …"} from the notebook's opening cell."""
    found = {}
    for line in nb.cells[0].source.splitlines():
        m = GOAL_LINE.match(line.strip())
        if m:
            found[m.group(1)] = m.group(2)
    return found


def exercise_cells(nb: Any) -> list[tuple[int, str, list[Any]]]:
    """[(number, exercise markdown, [solution cells])] from the notebook's exercise section."""
    start = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and c.source.startswith(EXERCISES_HEADING)
        ),
        None,
    )
    found: list[tuple[int, str, list[Any]]] = []
    for cell in nb.cells[start + 1 :] if start is not None else []:
        m = EXERCISE_START.match(cell.source) if cell.cell_type == "markdown" else None
        if m:
            found.append((int(m.group(1)), cell.source, []))
        elif found and SOLUTION_TAG in cell.metadata.get("tags", []):
            found[-1][2].append(cell)
    return found


def _exercise_section(stem: str, number: int, text: str, solutions: list[Any], ex: Exercise) -> str:
    answer = [
        _markdown(c.source)
        if c.cell_type == "markdown"
        else f"<pre><code>{_esc(c.source)}</code></pre>"
        for c in solutions
    ]
    checked = (
        "Self-checked in the student notebook: "
        f"<code>check_answer(&quot;{_esc(ex.id)}&quot;, answer)</code>, "
        f"to {_esc(ex.decimals)} decimal places; the value is printed under the solution in the "
        f'<a href="walkthrough/{_esc(stem)}.html">walkthrough</a>.'
        if ex.kind == "number"
        else "Marked by the teacher (words or a table)."
    )
    return (
        f'<section class="exercise" id="ex-{_esc(ex.id)}">'
        f'<h3>Exercise {number} <span class="meta">({_esc(ex.id)})</span></h3>'
        f'<p class="meta">{_esc(ex.goal)} · {_esc(LEVEL_WORDS[ex.level])} · '
        f"about {ex.minutes} min</p>"
        f"{_markdown(text)}<h4>答案 Answer</h4>{''.join(answer)}"
        f'<p class="meta">{checked}</p><p class="meta">Hint: {_esc(ex.hint)}</p></section>'
    )


def notebook_section(path: Path, exercises: dict[str, Exercise]) -> str:
    """One notebook's goals and exercises with answers, rubrics and the total time."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    stem, prefix = path.stem, path.stem[:2]
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    items = [(n, t, s, exercises.get(f"{prefix}.{n}")) for n, t, s in exercise_cells(nb)]
    minutes = sum(ex.minutes for *_, ex in items if ex)
    goal_list = "".join(
        f"<li><b>{_esc(g)}</b> {_inline(text)}</li>" for g, text in goals(nb).items()
    )
    body = "".join(_exercise_section(stem, n, t, s, ex) for n, t, s, ex in items if ex)
    return (
        f'<section id="nb-{_esc(stem)}"><h2>{_esc(title)}</h2>'
        f'<p class="meta">About {minutes} min for all exercises · '
        f'<a href="walkthrough/{_esc(stem)}.html">walkthrough</a></p>'
        f"<h3>目标 Goals</h3><ul>{goal_list}</ul>{body}</section>"
    )


def teacher_page(data_dir: Path) -> bytes | None:
    """The page, or None when the project has no exercise file (fixture data)."""
    path = data_dir / "annotations" / EXERCISES_PATH.name
    notebooks = data_dir.parent / "notebooks"
    if not path.is_file() or not notebooks.is_dir():
        return None
    exercises = load_exercises(path)
    wanted = {e.notebook for e in exercises.values()}
    sections = [
        notebook_section(p, exercises)
        for p in sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
        if p.name[:2] in wanted
    ]
    body = (
        "<h1>教师用书 Teacher's guide</h1>"
        "<p>Goals, exercises, answers, rubrics and time estimates for each notebook. "
        "Students' notebooks (<code>student/</code>) check number answers without revealing them; "
        "this page is not linked from them or from the index.</p>" + "".join(sections)
    )
    page = render_page("Teacher's guide 教师用书", body, "gx-teacher", lang="en", extra_css=(CSS,))
    return page.encode()
