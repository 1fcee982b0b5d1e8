"""Curated annotations (data/annotations/facts.csv): English metric names and, where a rule cannot
know, a domain. Every row is checked against the article text on every run.

A missing, truncated or malformed file stops extraction with the file and row named: a half-read
file would otherwise let truncated names reach the data.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from gaoxin.vocabulary import DOMAINS

if TYPE_CHECKING:
    from gaoxin.facts.rules import Fact

ANNOTATION_COLUMNS = ("context", "quote", "metric_en", "domain")
REQUIRED_COLUMNS = ("context", "quote", "metric_en")
FIX_HINT = "fix the row (or restore the file from git: `git checkout -- {path}`)"


class AnnotationError(ValueError):
    """A curated annotation file or row that is missing, malformed or does not match the article."""

    def __init__(self, path: Path, problem: str, line: int | None = None, column: str = ""):
        where = path.name + (f", row {line}" if line is not None else "")
        where += f", column '{column}'" if column else ""
        hint = FIX_HINT.format(path=_shown(path))
        super().__init__(f"{where}: {problem}; {hint}")
        self.path, self.line, self.column = path, line, column


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the data folder's parent when possible."""
    parts = path.parts
    return "/".join(parts[parts.index("data") :]) if "data" in parts else str(path)


def read_annotations(path: Path) -> list[dict]:
    """Rows of an annotation file (with `_line`, the file's line number); strict about its shape."""
    if not path.is_file():
        raise AnnotationError(
            path,
            "file is missing (an article without curated names needs a "
            "header-only file: context,quote,metric_en,domain)",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise AnnotationError(path, f"not valid UTF-8 (byte {e.start})", line) from None
    if not text:
        raise AnnotationError(path, "file is empty (the header row is missing)", 1)
    if not text.endswith("\n"):
        raise AnnotationError(
            path, "file is truncated (no line end after the last row)", text.count("\n") + 1
        )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if tuple(rows[0]) != ANNOTATION_COLUMNS:
        raise AnnotationError(path, f"header must be {','.join(ANNOTATION_COLUMNS)}", 1)
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(ANNOTATION_COLUMNS):
            raise AnnotationError(
                path, f"has {len(cells)} cells, expected {len(ANNOTATION_COLUMNS)}", line
            )
        row = dict(zip(ANNOTATION_COLUMNS, cells, strict=True))
        for column in REQUIRED_COLUMNS:
            if not row[column].strip():
                raise AnnotationError(path, "required value is empty", line, column)
        if row["domain"] and row["domain"] not in DOMAINS:
            raise AnnotationError(
                path, f"domain {row['domain']!r} is not one of {DOMAINS}", line, "domain"
            )
        out.append(dict(row, _line=line))
    return out


def locate_annotation(raw: str, row: dict, path: Path) -> int:
    """Offset of the annotated quote: its context must occur exactly once, the quote inside it."""
    context, quote = row["context"], row["quote"]
    hits = [m.start() for m in re.finditer(re.escape(context), raw)]
    if len(hits) != 1:
        raise AnnotationError(
            path,
            f"context {context!r} occurs {len(hits)} times in the article (must be exactly once)",
            row["_line"],
            "context",
        )
    inner = context.find(quote)
    if inner == -1:
        raise AnnotationError(
            path, f"quote {quote!r} is not inside its context", row["_line"], "quote"
        )
    return hits[0] + inner


def apply_annotations(facts: list[Fact], raw: str, path: Path) -> None:
    """Give each annotated fact its curated English name (and domain, when the row has one)."""
    by_start = {f.start: f for f in facts}
    seen: dict[int, int] = {}
    for row in read_annotations(path):
        start = locate_annotation(raw, row, path)
        fact = by_start.get(start)
        if fact is None or fact.quote != row["quote"]:
            raise AnnotationError(
                path,
                f"no extracted fact {row['quote']!r} at offset {start} (context "
                f"{row['context']!r}); fix the row or the extraction rule",
                row["_line"],
                "quote",
            )
        if start in seen:
            raise AnnotationError(
                path, f"annotates the same fact as row {seen[start]}", row["_line"], "context"
            )
        seen[start] = row["_line"]
        fact.metric_en = row["metric_en"]
        if row["domain"]:
            fact.domain = row["domain"]
