"""The table checks of the processed data: provenance of every row, coverage of the article's
numerals, the article against its recorded checksum (`python -m gaoxin check` runs them)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gaoxin.config import ARTICLE_PATH, PROJECT_ROOT, SOURCE_PATH
from gaoxin.data.loaders import load_table
from gaoxin.source import load_source
from gaoxin.text.numbers import CN_NUMERAL_CHARS
from gaoxin.text.structure import Sentence

NUMERAL_RUN_RE = re.compile(rf"[0-9０-９]+(?:[.．,，][0-9０-９]+)*|[{CN_NUMERAL_CHARS}]+")


def numeral_runs(raw: str):
    """Every run of digits or Chinese numeral characters: what coverage must account for."""
    for m in NUMERAL_RUN_RE.finditer(raw):
        yield m.start(), m.end(), m.group(0)


def _rebuilds(row, raw: str) -> bool:
    try:
        Sentence.from_row(row, raw)
    except ValueError:
        return False
    return True


def provenance(raw: str) -> dict[str, tuple[int, int]]:
    """Per table: (rows whose offsets reproduce their text, rows)."""
    out = {}
    facts = load_table("facts")
    out["facts"] = (
        sum(raw[s:e] == q for s, e, q in zip(facts.start, facts.end, facts.quote)),
        len(facts),
    )
    excl = load_table("exclusions")
    out["exclusions"] = (
        sum(raw[s:e] == t for s, e, t in zip(excl.start, excl.end, excl.text)),
        len(excl),
    )
    sents = load_table("sentences")
    out["sentences"] = (sum(_rebuilds(row, raw) for _, row in sents.iterrows()), len(sents))
    paras = load_table("paragraphs")
    ok = 0
    for spans, text in zip(paras.raw_spans, paras.text):
        pieces = [raw[int(a) : int(b)] for a, b in (s.split("-") for s in spans.split(";"))]
        ok += "".join(pieces) == text
    out["paragraphs"] = (ok, len(paras))
    ents = load_table("entities").set_index("entity_id")["name"]
    ments = load_table("entity_mentions")
    out["entity_mentions"] = (
        sum(raw[s:e] == ents[i] for s, e, i in zip(ments.start, ments.end, ments.entity_id)),
        len(ments),
    )
    return out


def coverage(raw: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Numeral runs in the article, and those not covered by a fact or an exclusion."""
    covered = set()
    for name in ("facts", "exclusions"):
        t = load_table(name)
        for s, e in zip(t.start, t.end):
            covered.update(range(s, e))
    runs = list(numeral_runs(raw))
    missing = [r for r in runs if not all(i in covered for i in range(r[0], r[1]))]
    return runs, missing


def article_problem(path: Path = ARTICLE_PATH, source_path: Path = SOURCE_PATH) -> str | None:
    """One line when the article is not the text its metadata's checksum records."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return f"{_shown(path)}: cannot be read ({e.strerror}); restore it from git"
    try:
        source = load_source(source_path)
    except (OSError, ValueError, KeyError) as e:
        return (
            f"{_shown(source_path)}: cannot be read ({type(e).__name__}: {e}); restore it from git"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest == source.sha256:
        return None
    return (
        f"{_shown(path)}: differs from the sha256 recorded in {_shown(source_path)} "
        f"({len(data)} bytes, sha256 {digest[:12]}…; recorded {source.sha256[:12]}…); restore "
        f"it with `git checkout -- {_shown(path)}`, or, if the new text is intended, record its "
        "sha256 and bytes in source.json and run `make data`"
    )


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
