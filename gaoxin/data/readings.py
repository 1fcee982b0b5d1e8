"""The readings register (data/annotations/readings.csv): each interpretive choice, made once.

A reading says how a wording is read (引进 vs 签约, 余 bounds, 以上 floors, 第一方阵 as a tier,
which counts are plan scope, what a quantity is), with the alternatives considered. Verdicts,
notebooks and site pages take their readings from here; every row is checked against the texts
on load: the wording occurs in the article or the later report, every id exists, every fact
named has the wording in its sentence, and every code has its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gaoxin.config import ANNOTATIONS_DIR, ARTICLE_PATH
from gaoxin.data.curated import load_target_pairs
from gaoxin.data.loaders import DataError, check_cell, load_facts, read_raw_text, read_rows
from gaoxin.data.schema import ANNOTATION_TABLES
from gaoxin.vocabulary import KINDS

READINGS_PATH = ANNOTATIONS_DIR / "readings.csv"
HINT = (
    "data/annotations/readings.csv is curated by hand: fix that row (ids must be fact_ids of "
    "data/processed/facts.csv or figure_ids of data/followup/figures.csv)"
)
EVERY = "*"
KIND_PREFIX = "kind:"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Reading:
    reading_id: str
    wording: tuple[str, ...]
    applies_to: tuple[str, ...]
    reading: str
    alternatives: tuple[str, ...]
    open: bool
    words: dict[str, str]
    reason: str
    words_zh: dict[str, str] | None = None
    reason_zh: str = ""

    @property
    def allowed(self) -> tuple[str, ...]:
        """The readings a verdict must hold under: the one taken, and the others when open."""
        return (self.reading, *self.alternatives) if self.open else (self.reading,)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(a[len(KIND_PREFIX) :] for a in self.applies_to if a.startswith(KIND_PREFIX))

    def says(self, code: str | None = None) -> str:
        """The words for a reading code (the one taken by default)."""
        return self.words[code or self.reading]

    def says_zh(self, code: str | None = None) -> str:
        """The Chinese words for a reading code (the Chinese edition's `says`)."""
        return (self.words_zh or {})[code or self.reading]

    def covers(self, ident: str) -> bool:
        return ident in self.applies_to


def _pieces(part: str) -> list[str]:
    return [p for p in part.split("…") if p]


def _error(problem: str, line: int, column: str, path: Path) -> DataError:
    return DataError(path, problem, line, column, HINT)


def load_readings(
    path: Path = READINGS_PATH,
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    article: Path = ARTICLE_PATH,
) -> dict[str, Reading]:
    """Every reading by id, each row checked against the article, the facts and the figures."""
    # Deferred: gaoxin.data.followup imports this module to check its pairings' readings.
    from gaoxin.data.followup import load_followup_figures

    _, _, fields = ANNOTATION_TABLES["readings"]
    rows = read_rows(path, fields, HINT)
    facts = load_facts() if facts is None else facts
    figures = load_followup_figures() if figures is None else figures
    raw = read_raw_text(article)
    phrases = "\n".join(figures.phrase)
    sentences = dict(zip(facts.fact_id, facts.sentence))
    written = [str(q) for q in facts.qualifier_raw.dropna()]
    out: dict[str, Reading] = {}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(fields, cells, strict=True):
            check_cell(path, f, value, line, HINT)
        row = dict(zip((f.name for f in fields), cells, strict=True))
        rid = row["reading_id"]
        if not CODE_RE.match(rid):
            raise _error(f"{rid!r} is not a lower_snake_case id", line, "reading_id", path)
        if rid in out:
            raise _error(f"{rid!r} is listed twice", line, "reading_id", path)
        wording = tuple(p for p in row["wording"].split(";") if p)
        for part in wording:
            for piece in _pieces(part):
                if piece not in raw and piece not in phrases:
                    raise _error(
                        f"{piece!r} occurs in neither the article nor the later report's phrases",
                        line,
                        "wording",
                        path,
                    )
        applies = tuple(a for a in row["applies_to"].split(";") if a)
        _check_applies(applies, wording, sentences, written, set(figures.figure_id), line, path)
        alternatives = tuple(a for a in row["alternatives"].split(";") if a)
        codes = (row["reading"], *alternatives)
        for code in codes:
            if not CODE_RE.match(code):
                raise _error(f"{code!r} is not a lower_snake_case code", line, "reading", path)
        if len(set(codes)) != len(codes):
            raise _error(
                "a reading is listed among its own alternatives", line, "alternatives", path
            )
        words = _words(row["reading_words"], line, path)
        if set(words) != set(codes):
            raise _error(
                f"words are given for {sorted(words)}, the codes are {sorted(codes)}",
                line,
                "reading_words",
                path,
            )
        words_zh = _words(row["reading_words_zh"], line, path, "reading_words_zh")
        if set(words_zh) != set(codes):
            raise _error(
                f"Chinese words are given for {sorted(words_zh)}, the codes are {sorted(codes)}",
                line,
                "reading_words_zh",
                path,
            )
        out[rid] = Reading(
            rid,
            wording,
            applies,
            row["reading"],
            alternatives,
            row["open"] == "yes",
            words,
            row["reason"],
            words_zh,
            row.get("reason_zh") or "",
        )
    return out


def _words(cell: str, line: int, path: Path, column: str = "reading_words") -> dict[str, str]:
    words = {}
    for item in cell.split("|"):
        code, sep, text = item.partition("=")
        if not sep or not text.strip():
            raise _error(f"{item!r} is not code=words", line, column, path)
        words[code.strip()] = text.strip()
    return words


def _check_applies(applies, wording, sentences, written, figure_ids, line, path) -> None:
    if not applies:
        raise _error("names nothing", line, "applies_to", path)
    if not wording and not all(a.startswith(KIND_PREFIX) for a in applies):
        raise _error("only a definition by kind may have no wording", line, "wording", path)
    for ident in applies:
        if ident == EVERY:
            for part in wording:
                if not any(all(p in q for p in _pieces(part)) for q in written):
                    raise _error(
                        f"no quantity is qualified with {part!r}", line, "applies_to", path
                    )
        elif ident.startswith(KIND_PREFIX):
            if ident[len(KIND_PREFIX) :] not in KINDS:
                raise _error(f"{ident!r} is not a kind of fact", line, "applies_to", path)
        elif ident in sentences:
            if not any(all(p in sentences[ident] for p in _pieces(part)) for part in wording):
                raise _error(
                    f"the sentence of {ident} holds none of the wording", line, "applies_to", path
                )
        elif ident not in figure_ids:
            raise _error(
                f"{ident!r} is neither a fact_id nor a figure_id", line, "applies_to", path
            )


def readings_table(readings: dict[str, Reading] | None = None) -> pd.DataFrame:
    """The register as a table indexed by reading_id, each code in words: wording (parts joined
    by ';'), applies_to, reading (the words of the reading taken), alternatives (their words,
    ';'-joined), open, reason; reading_zh is the Chinese words of the reading taken."""
    readings = load_readings() if readings is None else readings
    frame = pd.DataFrame(
        [
            {
                "reading_id": r.reading_id,
                "wording": ";".join(r.wording),
                "applies_to": ";".join(r.applies_to),
                "reading": r.says(),
                "reading_zh": r.says_zh() if r.words_zh else pd.NA,
                "alternatives": "; ".join(r.says(a) for a in r.alternatives),
                "open": r.open,
                "reason": r.reason,
            }
            for r in readings.values()
        ]
    )
    return frame.set_index("reading_id")


def applied(table: pd.DataFrame, prefix: str) -> dict[str, pd.Series]:
    """Fact or figure id → the reading (a row of readings_table()) among those whose id starts
    with `prefix`; an id with two such readings is an error."""
    out: dict[str, pd.Series] = {}
    for reading_id, row in table[table.index.str.startswith(prefix)].iterrows():
        for item in str(row.applies_to).split(";"):
            if item in out:
                raise LookupError(f"{item} has two {prefix} readings in readings.csv")
            out[item] = row.rename(reading_id)
    return out


QUANTITY = "quantity"


def quantity_kinds(path: Path = READINGS_PATH) -> tuple[str, ...]:
    """The kinds of fact that are quantities, by the register's definition (reading 'quantity').

    Read on its own, without the text checks, so that any article's data can use it."""
    _, _, fields = ANNOTATION_TABLES["readings"]
    names = [f.name for f in fields]
    for line, cells in enumerate(read_rows(path, fields, HINT), start=2):
        row = dict(zip(names, cells, strict=True))
        if row["reading_id"] == QUANTITY:
            kinds = [a[len(KIND_PREFIX) :] for a in row["applies_to"].split(";") if a]
            unknown = sorted(set(kinds) - set(KINDS))
            if unknown:
                raise _error(f"{unknown} are not kinds of fact", line, "applies_to", path)
            return tuple(kinds)
    raise DataError(path, f"no row defines {QUANTITY!r}", hint=HINT)


def is_quantity(facts: pd.DataFrame, path: Path = READINGS_PATH) -> pd.Series:
    """Which rows of a facts table are quantities (not dates, not numbers inside names)."""
    return facts.kind.isin(quantity_kinds(path))


# A sentence's own time words (readings register, year_by_section): a result whose sentence has
# none is dated by the part of the article it stands in.
TIME_WORDS = re.compile(
    r"\d{4}年|[今去明前当上]年|同期|季度|[上下]半年|全年|年度|\d+月|[一二三四五六七八九十]+月"
)


def dated_by_section(facts: pd.DataFrame) -> pd.Series:
    """Results whose sentence gives no time of its own: their year is their section's."""
    return (facts.period == "result") & ~facts.sentence.astype(str).str.contains(TIME_WORDS)


PLAN_SCOPE = "plan_scope"
SIZE_THRESHOLD = "size_threshold"


def target_roles(readings: dict[str, Reading] | None = None, pairs=None) -> dict[str, str]:
    """Target-period facts that are not goals, fact id → role code: the counts that size a plan
    (the register's plan_scope) and the project sizes inside other targets (target pairs'
    size_threshold). Every page and notebook that lists or counts targets asks this."""
    readings = load_readings() if readings is None else readings
    pairs = load_target_pairs() if pairs is None else pairs
    roles = {fid: PLAN_SCOPE for fid in readings[PLAN_SCOPE].applies_to}
    for fid in pairs.loc[pairs.relation == SIZE_THRESHOLD, "target_fact_id"]:
        roles[str(fid)] = SIZE_THRESHOLD
    return roles
