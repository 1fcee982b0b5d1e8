"""Notebook transforms: title and summary, cleaned execution, reader edition, student copy,
figures, alt checks."""

from __future__ import annotations

import base64
import html
import re
from typing import Any

from gaoxin.config import FIGURE_MIMETYPE, READER_HIDDEN_TAGS
from gaoxin.report.editions import nested_quotes_zh, strong_for_chinese
from gaoxin.report.errors import BuildError

FIGURE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

# The notebooks' own conventions (README "Adding a notebook"; gaoxin.report.teacher reads the
# same ones): learning goals are lines "- **G1** …" in the opening cell, introduced by a line
# ending in ":"; the exercises are the section under "## Exercises", up to the next "## ".
EXERCISES_HEADING = re.compile(r"^##\s+(Exercises|练习)\b", re.IGNORECASE)
SECTION_HEADING = re.compile(r"^#{1,2}\s")
GOAL_LINE = re.compile(r"^-\s+\*\*G\d+\*\*\s")
# An inline code span (one or more backticks, the same number closing it).
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")
# A quote of the article this long (characters, spaces left out) is printed in full only once
# per reader edition; a later quote of the same text shows only the clause around its number.
LONG_QUOTE_CHARS = 30
CLAUSE_ENDS = "，,；;：:。！？!?"
QUOTED_ABOVE = "the whole sentence is quoted above"
QUOTED_ABOVE_ZH = "全句已见上文"


def _inline_text(tokens: Any) -> str:
    """The words of inline Markdown: emphasis, code and links keep their text; images and HTML
    are dropped."""
    words = []
    for token in tokens or ():
        if token.type in ("text", "code_inline"):
            words.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return " ".join("".join(words).split())


def _plain_markdown(text: str, blocks: bool = True) -> str:
    """Markdown as plain text (markdown-it-py, CommonMark): one line per paragraph, and one line
    starting "- " per list item, so a list stays a list. blocks=False reads one line of inline
    Markdown (a heading's text), where "1. " is not a list."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    if not blocks:
        return _inline_text(md.parseInline(text)[0].children)
    lines, depth = [], 0
    for token in md.parse(text):
        depth += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        if token.type == "inline":
            line = _inline_text(token.children)
            if line:
                lines.append(f"- {line}" if depth else line)
    return "\n".join(lines)


def title_and_summary(nb: Any, stem: str) -> tuple[str, str]:
    """Title (first heading) and summary (first paragraph, with a list that follows it without a
    blank line) of the first markdown cell, as plain text; list items are lines starting "- "."""
    title, summary = stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraph: list[str] = []
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                if title == stem:
                    title = _plain_markdown(stripped.lstrip("#"), blocks=False) or stem
                if paragraph:
                    break
                continue
            if not stripped:
                if paragraph:
                    break
                continue
            paragraph.append(stripped.lstrip(">").strip())
        summary = _plain_markdown("\n".join(paragraph))
        break
    return title, summary


def clean_executed(nb: Any) -> None:
    """Drop run-specific metadata so the executed notebook is byte-stable."""
    for key in ("widgets", "papermill"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _without_goals(markdown: str) -> str:
    """The opening cell without its list of learning goals and the line that introduces it."""
    lines = markdown.splitlines()
    goals = [i for i, line in enumerate(lines) if GOAL_LINE.match(line.strip())]
    if not goals:
        return markdown
    drop = set(goals)
    intro = goals[0] - 1
    if intro >= 0 and lines[intro].rstrip().endswith((":", "：")):
        drop.add(intro)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return "\n".join(kept).rstrip() + "\n"


def plain_code_spans(markdown: str) -> str:
    """Markdown with each inline code span turned into plain text (its characters escaped, so
    `value_normalized` stays one word and nothing in it becomes markup)."""
    return CODE_SPAN.sub(lambda m: MARKDOWN_SPECIALS.sub(r"\\\1", m.group(2).strip()), markdown)


def reader_notebook(nb: Any, lang: str = "en") -> Any:
    """The reader edition of an executed notebook: narrative, charts, tables and caveats only.

    Dropped: cells tagged solution, check or walkthrough; the exercise section; the learning
    goals of the opening cell; error and stderr outputs. Inline code marks become plain text
    (a table's word such as `label` reads as a word); code, API names and paths themselves
    belong in cells tagged `walkthrough`, which tests/test_reader_edition.py enforces."""
    import copy

    nb = copy.deepcopy(nb)
    cells, in_exercises = [], False
    for cell in nb.cells:
        first = cell.source.lstrip().split("\n", 1)[0] if cell.cell_type == "markdown" else ""
        if SECTION_HEADING.match(first):
            in_exercises = bool(EXERCISES_HEADING.match(first))
        if in_exercises or _tags(cell) & READER_HIDDEN_TAGS:
            continue
        if cell.cell_type == "markdown":
            cell.source = plain_code_spans(cell.source)
        elif cell.cell_type == "code":
            cell.outputs = [_reader_output(o) for o in cell.get("outputs", []) if _kept(o)]
        cells.append(cell)
    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = _without_goals(cell.source)
            break
    _shorten_repeated_quotes(cells, QUOTED_ABOVE_ZH if lang == "zh-CN" else QUOTED_ABOVE)
    if lang == "zh-CN":
        _chinese_bold(cells)
    nb.cells = cells
    return nb


def _chinese_bold(cells: list[Any]) -> None:
    """Bold that renders in the Chinese edition's Markdown (editions.strong_for_chinese)."""

    def typeset(markdown: str) -> str:
        lines = markdown.split("\n")
        return strong_for_chinese("\n".join(nested_quotes_zh(line) for line in lines))

    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = typeset(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if "text/markdown" in data:
                data["text/markdown"] = typeset(data["text/markdown"])


def _quote_plain(body: str) -> str:
    return "".join(html.unescape(body.replace("**", "")).split())


def _clause(body: str) -> str:
    """The clause of a quoted sentence that holds its bold quote, with ellipses where cut."""
    text = html.unescape(body)
    start = text.find("**")
    end = text.find("**", start + 2) + 2 if start >= 0 else -1
    if start < 0 or end < 2:
        return html.escape(text[: LONG_QUOTE_CHARS // 2], quote=True) + "…"
    left, bold, right = text[:start], text[start:end], text[end:]
    cut_left = max(left.rfind(ch) for ch in CLAUSE_ENDS)
    cut_right = min((right.find(ch) for ch in CLAUSE_ENDS if ch in right), default=-1)
    left = "…" + left[cut_left + 1 :] if cut_left >= 0 else left
    right = right[:cut_right] + "…" if cut_right >= 0 else right
    inner = html.escape(bold[2:-2], quote=True)
    return f"{html.escape(left, quote=True)}**{inner}**{html.escape(right, quote=True)}"


def _shorten_repeated_quotes(cells: list[Any], quoted_above: str = QUOTED_ABOVE) -> None:
    """A long article quote (nv.quote_fact / nv.quote_block: "> body" + "> — location") that
    repeats one shown earlier in the edition keeps only the clause around its bold number."""
    shown: list[str] = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            markdown = output.get("data", {}).get("text/markdown")
            if not markdown or not markdown.startswith("> "):
                continue
            lines = markdown.split("\n")
            plain = _quote_plain(lines[0][2:])
            if len(plain) < LONG_QUOTE_CHARS:
                continue
            if any(plain in earlier for earlier in shown):
                lines[0] = "> " + _clause(lines[0][2:])
                opening, closing = ("（", "）") if quoted_above == QUOTED_ABOVE_ZH else (" (", ")")
                lines[-1] = f"{lines[-1]}{opening}{quoted_above}{closing}"
                output["data"]["text/markdown"] = "\n".join(lines)
            else:
                shown.append(plain)


def _kept(output: Any) -> bool:
    if output.get("output_type") == "error":
        return False
    return not (output.get("output_type") == "stream" and output.get("name") == "stderr")


def _reader_output(output: Any) -> Any:
    markdown = output.get("data", {}).get("text/markdown")
    if markdown is not None:
        output["data"]["text/markdown"] = plain_code_spans(markdown)
    return output


def extract_figures(nb: Any, stem: str) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """Files figures/<stem>/<name>.png|.svg|.csv from the figure bundles of an executed notebook."""
    files: dict[str, bytes] = {}
    listing: list[dict[str, str]] = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(FIGURE_MIMETYPE)
            if not payload:
                continue
            name = payload["name"]
            if not FIGURE_NAME_RE.match(name):
                raise BuildError(f"{stem}: cell {index}: invalid figure name {name!r}")
            base = f"figures/{stem}/{name}"
            if f"{base}.png" in files:
                raise BuildError(f"{stem}: cell {index}: figure name {name!r} used twice")
            files[f"{base}.png"] = base64.b64decode(output["data"]["image/png"])
            files[f"{base}.svg"] = payload["svg"].encode("utf-8")
            files[f"{base}.csv"] = payload["csv"].encode("utf-8")
            listing.append({"name": name, "alt": payload["alt"]})
    return files, listing


def images_without_alt(nb: Any) -> list[int]:
    """Indexes of cells that display an image with no alt text (the build warns about them)."""
    missing = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("image/png", "image/jpeg"):
                if mime in data and not output.get("metadata", {}).get(mime, {}).get("alt"):
                    missing.append(index)
    return missing
