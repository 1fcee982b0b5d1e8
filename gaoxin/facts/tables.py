"""The processed tables as rows (column order = the schema's), and their CSV serialisation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.facts.annotations import apply_annotations
from gaoxin.facts.entities import entity_rows, find_mentions
from gaoxin.facts.rules import FactRules
from gaoxin.text.structure import Article

AUTO_METRICS = {"date": "calendar {unit}", "label": "number in a name"}
UNNAMED_PREFIX = "(unnamed) "
DEFAULT_ANNOTATIONS = ANNOTATIONS_DIR / "facts.csv"


def extract_tables(
    article: Article,
    annotations_path: Path | None = DEFAULT_ANNOTATIONS,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, list[dict]]:
    """All processed tables as lists of row dicts (column order = the schema's).

    `annotations_path=None` extracts by the rules alone (no curated names); `progress` is told
    how far the rules have read (raw offset, length)."""
    mentions = find_mentions(article)
    facts, exclusions = FactRules(article, mentions).run(progress)
    if annotations_path is not None:
        apply_annotations(facts, article.raw, annotations_path)
    for f in facts:
        if not f.metric_en and f.kind in AUTO_METRICS:
            f.metric_en = AUTO_METRICS[f.kind].format(unit=f.unit_normalized)
        elif not f.metric_en:
            # No curated English name yet (e.g. a new article): a rule-made placeholder that
            # `python -m gaoxin check` reports until data/annotations/facts.csv names it.
            f.metric_en = f"{UNNAMED_PREFIX}{f.kind.replace('_', ' ')}: {f.subject_zh}"
    entities, entity_mentions = entity_rows(article, mentions)

    return {
        "sections": [
            {
                "section_id": s.section_id,
                "title": s.title,
                "start": s.start,
                "end": s.end,
                "heading_paragraph_id": s.heading_paragraph_id,
            }
            for s in article.sections
        ],
        "paragraphs": [
            {
                "paragraph_id": p.paragraph_id,
                "section_id": p.section_id,
                "role": p.role,
                "start": p.start,
                "end": p.end,
                "raw_spans": ";".join(f"{a}-{b}" for a, b in p.spans),
                "joined": len(p.spans) > 1,
                "text": p.text,
            }
            for p in article.paragraphs
        ],
        "sentences": [
            {
                "sentence_id": s.sentence_id,
                "paragraph_id": s.paragraph_id,
                "section_id": s.section_id,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for s in article.sentences
        ],
        "facts": [dict(vars(f)) for f in sorted(facts, key=lambda f: f.start)],
        "exclusions": [vars(x) for x in sorted(exclusions, key=lambda x: x.start)],
        "entities": entities,
        "entity_mentions": entity_mentions,
    }


def _cell(value) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def render_csv(rows: list[dict], columns: list[str]) -> str:
    """CSV text with a fixed column order and '\\n' line ends (byte-stable across platforms).

    A cell is quoted when it holds a comma, a quote or any line end, a lone CR included (the csv
    module leaves a CR bare when the line end is LF, and a reader then splits the row there)."""
    lines = [",".join(_quoted(c) for c in columns)]
    commas = len(columns) - 1
    for row in rows:
        cells = [v if v.__class__ is str else _cell(v) for v in map(row.get, columns)]
        line = ",".join(cells)
        # Most rows need no quoting at all: one look at the joined row instead of one per cell.
        if line.count(",") != commas or '"' in line or "\n" in line or "\r" in line:
            line = ",".join(
                [
                    '"' + c.replace('"', '""') + '"'
                    if "," in c or '"' in c or "\n" in c or "\r" in c
                    else c
                    for c in cells
                ]
            )
        lines.append(line)
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # Four substring tests: much cheaper than a regular expression on millions of cells.
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text
