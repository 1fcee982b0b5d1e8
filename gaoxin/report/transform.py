"""Notebook transforms: title and summary, cleaned execution, student copy, figures, alt checks."""

from __future__ import annotations

import base64
import re
from typing import Any

from gaoxin.config import FIGURE_MIMETYPE, SOLUTION_TAG
from gaoxin.report.errors import BuildError

FIGURE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


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


def student_notebook(source_nb: Any) -> Any:
    """Copy of the source notebook without solution cells, outputs or execution counts."""
    import copy

    nb = copy.deepcopy(source_nb)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec", "language_info")}
    return nb


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
