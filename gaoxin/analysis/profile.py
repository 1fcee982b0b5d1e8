"""What the article-profile notebook shares: any article's tables from its own data folder, the
structure per section, targets paired with results by subject and unit, and numeral accounting.

Everything here works from the tables alone (no constant of any one article). Article text that
reaches a chart goes through `chart_text`, so a `$` in it is never read as mathtext.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gaoxin.data import load_table, read_raw_text
from gaoxin.data.check import numeral_runs
from gaoxin.data.readings import is_quantity
from gaoxin.data.schema import TABLES

# A shorter shared subject (one or two characters) says too little to pair two figures.
MIN_SUBJECT_CHARS = 3
FACT, EXCLUDED, UNACCOUNTED = "fact", "excluded", "unaccounted"


@dataclass
class ArticleData:
    """One article's raw text, its Data Package descriptor and every table, validated."""

    article: Path
    data_dir: Path
    raw: str
    about: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def quantities(self) -> pd.DataFrame:
        facts = self.tables["facts"]
        return facts[is_quantity(facts)]

    @property
    def report_year(self) -> int | None:
        """The year the article reports on (read from its text at extraction)."""
        return self.about.get("report_year") or _latest(self.tables["facts"], "result")

    @property
    def plan_year(self) -> int | None:
        """The year the article plans for (read from its text at extraction)."""
        return self.about.get("plan_year") or _latest(self.tables["facts"], "target")

    def first_line(self, role: str) -> str:
        """The text of the first paragraph with a role (title, byline), or ''."""
        rows = self.tables["paragraphs"]
        rows = rows[rows.role == role]
        return str(rows.text.iloc[0]) if len(rows) else ""

    @property
    def source(self) -> str:
        """The article as a source line: its title and byline, as written in the text."""
        sources = self.about.get("sources") or [{}]
        return str(sources[0].get("title") or self.about.get("title") or self.article.name)


def _latest(facts: pd.DataFrame, period: str) -> int | None:
    years = facts.loc[facts.period == period, "year"].dropna()
    return int(years.max()) if len(years) else None


def load_article_data(article: Path, data_dir: Path) -> ArticleData:
    """Read an article and the folder `python -m gaoxin extract --article` wrote for it."""
    article, data_dir = Path(article), Path(data_dir)
    about = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tables = {
        name: load_table(name, directory=data_dir / "processed", article=article) for name in TABLES
    }
    return ArticleData(article, data_dir, read_raw_text(article), about, tables)


def chart_text(text: object) -> str:
    """Article text safe for a matplotlib label: `$` escaped, so no mathtext is parsed."""
    return str(text).replace("$", r"\$")


def structure(data: ArticleData) -> pd.DataFrame:
    """One row per section: its title, characters, body paragraphs, sentences and quantities."""
    sections, paragraphs = data.sections, data.paragraphs
    body = paragraphs[paragraphs.role == "body"]
    count = {
        "paragraphs": body.groupby("section_id").size(),
        "sentences": data.sentences.groupby("section_id").size(),
        "quantities": data.quantities.groupby("section_id").size(),
    }
    out = sections.assign(characters=sections.end - sections.start)
    for name, per_section in count.items():
        out[name] = out.section_id.map(per_section).fillna(0).astype(int)
    return out


def target_result_pairs(facts: pd.DataFrame, report_year: int, plan_year: int) -> pd.DataFrame:
    """Each target of `plan_year` beside the result of `report_year` the article words alike.

    A pair shares its unit and a subject (subject_zh) of MIN_SUBJECT_CHARS or more, one
    containing the other; each target takes the first such result in reading order."""
    targets = facts[(facts.period == "target") & (facts.year == plan_year)]
    results = facts[(facts.period == "result") & (facts.year == report_year)]
    rows = []
    for _, target in targets.iterrows():
        subject = str(target.subject_zh or "")
        if len(subject) < MIN_SUBJECT_CHARS:
            continue
        for _, result in results.iterrows():
            other = str(result.subject_zh or "")
            if len(other) < MIN_SUBJECT_CHARS or result.unit_normalized != target.unit_normalized:
                continue
            if other in subject or subject in other:
                rows.append(
                    {
                        "subject_zh": other if len(other) <= len(subject) else subject,
                        "unit": target.unit_normalized,
                        "result_quote": result.quote,
                        "result_value": result.value_normalized,
                        "result_qualifier": result.qualifier,
                        "target_quote": target.quote,
                        "target_value": target.value_normalized,
                        "target_qualifier": target.qualifier,
                        "result_id": result.fact_id,
                        "target_id": target.fact_id,
                    }
                )
                break
    columns = [
        "subject_zh",
        "unit",
        "result_quote",
        "result_value",
        "result_qualifier",
        "target_quote",
        "target_value",
        "target_qualifier",
        "result_id",
        "target_id",
    ]
    return pd.DataFrame(rows, columns=columns)


def numeral_accounting(data: ArticleData) -> pd.DataFrame:
    """Every run of numerals in the raw text and what accounts for it: a fact, an exclusion,
    or nothing (unaccounted)."""
    spans = {
        FACT: list(zip(data.facts.start, data.facts.end)),
        EXCLUDED: list(zip(data.exclusions.start, data.exclusions.end)),
    }
    rows = []
    for start, end, text in numeral_runs(data.raw):
        what = next(
            (k for k, ss in spans.items() if any(s <= start and end <= e for s, e in ss)),
            UNACCOUNTED,
        )
        rows.append({"start": start, "end": end, "text": text, "accounted": what})
    return pd.DataFrame(rows, columns=["start", "end", "text", "accounted"])


def quote_in_sentence(row: pd.Series) -> str:
    """A fact's sentence as Markdown, escaped, with its quote in bold where the sentence has it."""
    from gaoxin.analysis.narrative import escape
    from gaoxin.text.structure import without_breaks

    text, quote = str(row.sentence or row.quote), without_breaks(str(row.quote))
    i = text.find(quote)
    if i < 0:
        return escape(text)
    return f"{escape(text[:i])}**{escape(quote)}**{escape(text[i + len(quote) :])}"


DEFAULT_PREFIX = "default"
BARE_UNIT_PREFIX = "none written"


def period_sources(data: ArticleData) -> pd.DataFrame:
    """Each quantity with what decided its period (a time expression and where it sits, or a
    document default) and its unit (the text, a table header, or none written); rows decided by a
    default come first, so an analyst confirms them in an annotations CSV.

    The rules are re-run on the article's text: these readings are not columns of the tables."""
    from gaoxin.facts.entities import find_mentions
    from gaoxin.facts.rules import FactRules
    from gaoxin.text.structure import parse

    article = parse(data.raw)
    facts, _ = FactRules(article, find_mentions(article)).run()
    by_id = {f.fact_id: f for f in facts}
    rows = []
    for _, q in data.quantities.iterrows():
        f = by_id.get(q.fact_id)
        period_source = f.period_source if f else ""
        unit_source = f.unit_source if f else ""
        rows.append(
            {
                "fact_id": q.fact_id,
                "quote": q.quote,
                "period": q.period,
                "year": q.year,
                "period_source": period_source,
                "unit_source": unit_source,
                "period_default": period_source.startswith(DEFAULT_PREFIX),
                "unit_default": unit_source.startswith(BARE_UNIT_PREFIX),
            }
        )
    columns = [
        "fact_id",
        "quote",
        "period",
        "year",
        "period_source",
        "unit_source",
        "period_default",
        "unit_default",
    ]
    out = pd.DataFrame(rows, columns=columns)
    flagged = out.period_default | out.unit_default
    return pd.concat([out[flagged], out[~flagged]], ignore_index=True)
