"""Reader-facing prose holds no hand-typed figure: numbers are rendered from the data (issue 8).

Markdown cells, and the literal parts of prose rendered by code (nv.say, finding, chart titles),
in English and in Chinese (the zh= twins, the Chinese Markdown cells, charts.zh), may hold
digits only inside quotes of the article («…», in Chinese “…” or 「…」), code or formulas (`…`,
$…$), and in names of notebooks (00–05) or of numbered steps and exercises.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from gaoxin.config import NOTEBOOKS_DIR, SOLUTION_TAG

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
# Variables holding a chart's title (its takeaway) before it is published.
PROSE_VARIABLES = {"takeaway"}
# Keyword arguments that name things (a figure, a heading) rather than state them.
NAME_ARGUMENTS = {"figure", "heading", "name"}
# Prose-rendering calls whose string literals a reader sees.
# `zh` is charts.zh(takeaway, alt, labels): a chart's Chinese title, alt text and labels.
PROSE_CALLS = {"say", "finding", "set_title", "suptitle", "title", "quote_block", "zh"}

_ALLOWED = re.compile(
    r"«[^»]*»"  # a quote of the article
    r"|“[^”]*”|「[^」]*」"  # the same in the Chinese edition
    r"|`[^`]*`"  # code, column names, formulas
    r"|\$[^$]*\$"  # math
    r"|\b0\d\b"  # notebook numbers 00–09
    r"|\b(?:Exercise|Step|Figure|Table|notebooks?)\s+\d+"
    r"|\b[Rr]eports?\s+0\d(?:\s*[–-]\s*0\d)?"  # the reports 00–06, never a year
    r"|(?:笔记本|练习)\s*\d+(?:\s*[–-]\s*\d+)?"  # the same names in Chinese
    r"|报告\s*`?0\d`?(?:\s*[–-]\s*0\d)?"
    r"|[A-Za-z]\d+\b"  # identifiers such as fig1 or F00046
    r"|\d+(?=\s*[\u00b7·])"  # numbered titles "00 ·"
)
_DIGIT = re.compile(r"[0-9０-９]")


def hand_typed_figures(text: str) -> list[str]:
    """Digit runs left after removing quotes, code, formulas and allowed names."""
    rest = _ALLOWED.sub(" ", text)
    return re.findall(r"[0-9０-９][0-9０-９.,%]*", rest) if _DIGIT.search(rest) else []


def _strings(node: ast.AST) -> list[str]:
    """String constants a reader sees: f-string format specs (`:.0%`) are not text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.FormattedValue):
        return _strings(node.value)
    return [s for child in ast.iter_child_nodes(node) for s in _strings(child)]


def _literal_parts(code: str) -> list[str]:
    """String literals passed to prose-rendering calls (the fixed parts of f-strings)."""
    parts = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in PROSE_VARIABLES for t in node.targets
        ):
            parts += _strings(node.value)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in PROSE_CALLS:
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg not in NAME_ARGUMENTS)]
        for arg in args:
            parts += _strings(arg)
    return parts


def test_the_detector_finds_typed_figures_and_spares_quotes_and_code():
    assert hand_typed_figures("GDP grew 8.5% in 2018") == ["8.5%", "2018"]
    assert hand_typed_figures("the article says «增长8.5%» in `facts.csv`") == []
    assert hand_typed_figures("# 05 · Targets; see notebooks 01–04 and Exercise 2") == []
    assert hand_typed_figures("the share is $a / b × 100$") == []
    assert _literal_parts('nv.say(f"{n} targets for 2019")') == [" targets for 2019"]
    assert _literal_parts('nv.say(f"{x:.0%} of all", heading="## 2 x")') == [" of all"]
    assert _literal_parts('takeaway = f"{n} of 19"') == [" of 19"]
    # The Chinese twins are prose too, and a Chinese quote of the article may hold its digits.
    assert _literal_parts('nv.say(f"{n} goals", zh=f"{n}个目标，2019年")') == [
        " goals",
        "个目标，2019年",
    ]
    assert _literal_parts('charts.zh(f"{n}个", "共19个", {"a": "2018年"})') == [
        "个",
        "共19个",
        "a",
        "2018年",
    ]
    assert hand_typed_figures("原文写作“增长8.5%”") == []
    assert hand_typed_figures("增长8.5%") == ["8.5%"]
    assert hand_typed_figures("笔记本06把目标与后续报告对照") == []
    assert hand_typed_figures("笔记本01–06都读取这里的表格") == []
    assert hand_typed_figures("报告06把目标与后续报告对照；Report 06 and reports 01–06") == []
    assert hand_typed_figures("后续报告2019年增长8.5%") == ["2019", "8.5%"]


def _cases():
    for path in NOTEBOOKS:
        yield pytest.param(path, id=path.stem)


@pytest.mark.parametrize("path", list(_cases()))
def test_reader_prose_has_no_hand_typed_figures(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        texts = [cell.source] if cell.cell_type == "markdown" else _literal_parts(cell.source)
        for text in texts:
            found += [(i, figure, text[:60]) for figure in hand_typed_figures(text)]
    assert not found, f"{path.stem}: figures typed by hand (cell, figure, text): {found}"
