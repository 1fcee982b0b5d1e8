"""The one glossary: each Chinese term a reader sees, with its English (gaoxin/glossary.csv).

Labels, titles and glosses take both languages from here: `label("产业")` is "产业 Industry",
`gloss("以上")` is "or more 以上", `gloss("平方米", short=True)` is "m² 平方米". Every row is
verified on load; a problem is one line naming the file, the row and the column.

`label_problem(text)` checks a bilingual label written elsewhere ("原文 As written"): its Chinese
must be a glossary term and its English the glossary's (up to case, a plural, a trailing "(…)"
aside and a trailing "as written").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gaoxin.data.loaders import DataError, check_cell, read_rows, typed_frame
from gaoxin.data.schema import Field

# A leaf of the package, not of the project: labels work wherever the package is installed.
GLOSSARY_PATH = Path(__file__).resolve().parents[1] / "glossary.csv"
GLOSSARY_HINT = (
    "The file is curated by hand: fix that row (term_zh in Chinese characters, once each; "
    "en in English words only)"
)
FIELDS = (
    Field("term_zh", "string", "A Chinese term as a reader sees it", unique=True),
    Field("en", "string", "Its English, lower case unless a name (labels capitalise it)"),
    Field("short", "string", "Short English or sign for tight labels (m², ≥)", required=False),
    Field("note", "string", "Usage: what the term means here, for the editor", required=False),
)

HAN = "\u3400-\u9fff"
_HAN_RE = re.compile(f"[{HAN}]")
_TERM_RE = re.compile(f"^[{HAN}0-9]+$")
# A bilingual label: Chinese then English, or English then Chinese.
_TERM = f"[0-9]*[{HAN}][{HAN}0-9（）]*"  # a full-width aside belongs to the term
_ZH_FIRST = re.compile(f"^({_TERM}) +([^{HAN}]+)$")
_EN_FIRST = re.compile(f"^([^{HAN}]+?) +({_TERM})$")
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")  # a trailing "(m²)", "(1 = best)", "(our reading)"
_AS_WRITTEN = re.compile(r",?\s*as written$")


class GlossaryError(LookupError):
    """A term asked for that the glossary does not hold."""


def load_glossary(path: Path = GLOSSARY_PATH) -> pd.DataFrame:
    """The glossary, verified row by row, indexed by term_zh."""
    return _load(Path(path)).copy()


@lru_cache(maxsize=4)
def _load(path: Path) -> pd.DataFrame:
    rows = read_rows(path, FIELDS, GLOSSARY_HINT)
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows, start=2):
        for f, value in zip(FIELDS, cells, strict=True):
            check_cell(path, f, value, line, GLOSSARY_HINT)
            if value != value.strip():
                raise _error(path, f"{value!r} has spaces at an end", line, f.name)
        term, en, short, _ = cells
        if not _TERM_RE.match(term):
            raise _error(path, f"{term!r} is not a Chinese term", line, "term_zh")
        if term in seen:
            raise _error(path, f"{term!r} is already in row {seen[term]}", line, "term_zh")
        seen[term] = line
        for column, value in (("en", en), ("short", short)):
            if _HAN_RE.search(value):
                raise _error(path, f"{value!r} holds Chinese characters", line, column)
    return typed_frame(rows, FIELDS).set_index("term_zh")


def _error(path: Path, problem: str, line: int, column: str) -> DataError:
    return DataError(path, problem, line, column, GLOSSARY_HINT)


def english(term: str, short: bool = False) -> str:
    """The glossary's English for a term (its short form when asked and it has one)."""
    glossary = _load(GLOSSARY_PATH)
    if term not in glossary.index:
        raise GlossaryError(f"glossary.csv has no term {term!r}: add a row to gaoxin/glossary.csv")
    row = glossary.loc[term]
    return str(row.short) if short and not pd.isna(row.short) else str(row.en)


def label(term: str, aside: str = "") -> str:
    """Chinese first, English capitalised: '产业 Industry'; an aside follows: '… (excluded)'."""
    en = english(term)
    text = f"{term} {en[:1].upper()}{en[1:]}"
    return f"{text} {aside}" if aside else text


def gloss(term: str, short: bool = False) -> str:
    """English first, as a gloss of the Chinese: 'or more 以上', 'm² 平方米'."""
    return f"{english(term, short)} {term}"


def split_label(text: str) -> tuple[str, str] | None:
    """(Chinese, English) of a bilingual label, or None when the text is not one."""
    m = _ZH_FIRST.match(text.strip())
    if m:
        return m.group(1), m.group(2)
    m = _EN_FIRST.match(text.strip())
    if m and not m.group(1).endswith("?"):  # a question tagged in Chinese is a heading
        return m.group(2), m.group(1)
    return None


def _normal(en: str) -> str:
    en = en.strip().rstrip(":—-– ").strip()
    while _ASIDE.search(en) and not _ASIDE.fullmatch(en):
        en = _ASIDE.sub("", en)
    en = _AS_WRITTEN.sub("", en.lower()).strip().rstrip("?.,:")
    if en.endswith("ies"):  # quantities → quantity
        return en.removesuffix("ies") + "y"
    return en.removesuffix("s")


def label_problem(text: str, path: Path = GLOSSARY_PATH) -> str | None:
    """Why a bilingual label disagrees with the glossary; None when it agrees or is no label."""
    parts = split_label(text)
    if parts is None:
        return None
    term, en = parts
    glossary = _load(Path(path))
    if term not in glossary.index:
        return f"{text!r}: {term!r} is not in glossary.csv"
    row = glossary.loc[term]
    allowed = {_normal(str(row.en))} | (set() if pd.isna(row.short) else {_normal(str(row.short))})
    if _normal(en) not in allowed:
        return f"{text!r}: glossary.csv gives {term} as {row.en!r}"
    return None
