"""The schema of every processed table, in one place; data/datapackage.json is generated from it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from gaoxin.source import load_later_sources, load_source
from gaoxin.vocabulary import DOMAINS, KINDS, PERIODS, RELATIONS


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # frictionless types: string, integer, number, boolean
    description: str
    enum: tuple[str, ...] = ()
    required: bool = True
    unit: str = ""
    unique: bool = False


OFFSET = "Character offset into data/raw/article.txt (Python str index, end exclusive)"

TABLES: dict[str, tuple[str, tuple[Field, ...]]] = {
    "sections": (
        "The article's sections: the lead, then one per subheading.",
        (
            Field("section_id", "string", "Stable section id (s0 = lead)", unique=True),
            Field("title", "string", "Subheading as written (the lead has a bilingual label)"),
            Field("start", "integer", OFFSET + ": first character", unit="characters"),
            Field("end", "integer", OFFSET + ": end of the section", unit="characters"),
            Field(
                "heading_paragraph_id", "string", "Paragraph holding the subheading", required=False
            ),
        ),
    ),
    "paragraphs": (
        "Paragraphs with their role; paragraphs the page layout cut in two are joined.",
        (
            Field("paragraph_id", "string", "Stable paragraph id in reading order", unique=True),
            Field("section_id", "string", "Section the paragraph belongs to"),
            Field(
                "role",
                "string",
                "title, byline, section heading, body text or image caption",
                enum=("title", "byline", "heading", "body", "caption"),
            ),
            Field("start", "integer", OFFSET + ": first character", unit="characters"),
            Field("end", "integer", OFFSET + ": last character + 1", unit="characters"),
            Field("raw_spans", "string", "start-end pieces in the raw text, ';'-separated"),
            Field("joined", "boolean", "True when the layout had cut this paragraph in two"),
            Field("text", "string", "Paragraph text, pieces joined without the layout break"),
        ),
    ),
    "sentences": (
        "Sentences of body paragraphs (split after 。！？ and any closing quote).",
        (
            Field("sentence_id", "string", "Stable sentence id in reading order", unique=True),
            Field("paragraph_id", "string", "Paragraph of the sentence"),
            Field("section_id", "string", "Section of the sentence"),
            Field("start", "integer", OFFSET + ": first character", unit="characters"),
            Field("end", "integer", OFFSET + ": last character + 1", unit="characters"),
            Field("text", "string", "Sentence text (layout breaks removed)"),
        ),
    ),
    "facts": (
        "One row per quantity in the article, with its provenance: raw[start:end] == quote.",
        (
            Field("fact_id", "string", "Stable id: F + start offset", unique=True),
            Field("section_id", "string", "Section of the quantity"),
            Field("paragraph_id", "string", "Paragraph of the quantity"),
            Field(
                "sentence_id",
                "string",
                "Sentence of the quantity (empty in headings and captions)",
                required=False,
            ),
            Field("start", "integer", OFFSET + ": first character of the quote", unit="characters"),
            Field(
                "end", "integer", OFFSET + ": last character of the quote + 1", unit="characters"
            ),
            Field("quote", "string", "The quantity exactly as written (qualifier, number, unit)"),
            Field("number_text", "string", "The number as written (Arabic or Chinese numerals)"),
            Field(
                "value", "number", "The number as written, parsed exactly (before multiplier units)"
            ),
            Field(
                "value_high", "number", "Upper end when the article gives a range", required=False
            ),
            Field(
                "multiplier", "number", "Multiplier unit as a factor (万 = 10000, 亿 = 100000000)"
            ),
            Field(
                "unit_raw",
                "string",
                "Unit as written, with its multiplier (亿元, 万平方米, %, 个)",
                required=False,
            ),
            Field(
                "qualifier",
                "string",
                "Qualifier code, two joined by + when both are written "
                "(超过…以上 = more_than+at_least): more_than (余/多/超/逾/突破), nearly (近), "
                "at_least (以上), at_most (以下/以内), "
                "less_than (不到/不足), about (约/左右), top (前: rank within the top N), "
                "ordinal (第), before (之前/以前), within (年内), by_end (月底前), end_of (年底)",
                required=False,
            ),
            Field("qualifier_raw", "string", "Qualifier as written", required=False),
            Field(
                "value_normalized",
                "number",
                "value × multiplier in unit_normalized",
                unit="the row's unit_normalized",
            ),
            Field(
                "value_high_normalized", "number", "value_high in unit_normalized", required=False
            ),
            Field(
                "unit_normalized",
                "string",
                "Base unit of value_normalized (rank: a place; tier: the ordinal of a tier "
                "such as 第一方阵, a group of units, not a place)",
                enum=(
                    "yuan",
                    "usd",
                    "m2",
                    "m",
                    "mu",
                    "percent",
                    "percentage_point",
                    "count",
                    "rank",
                    "tier",
                    "year",
                    "month",
                    "day",
                    "times",
                ),
            ),
            Field(
                "period",
                "string",
                "What time it speaks of: result (an actual figure of `year`), target (a goal or "
                "plan for `year`), multi_year (a span or a long-run aim), none (dates, labels)",
                enum=PERIODS,
            ),
            Field("year", "integer", "Year of a result or target", required=False, unit="year"),
            Field("kind", "string", "What sort of number it is", enum=KINDS),
            Field("domain", "string", "Topic of the quantity", enum=DOMAINS),
            Field(
                "subject_zh", "string", "What it measures, as the article words it", required=False
            ),
            Field("metric_en", "string", "Short English metric name"),
            Field(
                "cumulative",
                "boolean",
                "The article calls it cumulative (累计): its start is not stated",
            ),
            Field("sentence", "string", "The whole sentence, for citation", required=False),
        ),
    ),
    "exclusions": (
        "Numeral characters that are not quantities, each with the reason (coverage accounting).",
        (
            Field("exclusion_id", "string", "Stable id: X + start offset", unique=True),
            Field("sentence_id", "string", "Sentence of the numeral", required=False),
            Field("start", "integer", OFFSET + ": first character", unit="characters"),
            Field("end", "integer", OFFSET + ": last character + 1", unit="characters"),
            Field("text", "string", "The numeral as written"),
            Field("reason", "string", "Why it is not a quantity"),
        ),
    ),
    "entities": (
        "Named enterprises, parks, centres and platforms, places and programmes.",
        (
            Field("entity_id", "string", "Stable id: E + first mention offset", unique=True),
            Field("name", "string", "Name as written"),
            Field(
                "entity_type",
                "string",
                "What it names",
                enum=("organisation", "park", "centre", "place", "programme"),
            ),
            Field(
                "mentions",
                "integer",
                "Number of mentions in the body text (headings and captions left out)",
                unit="count",
            ),
        ),
    ),
    "entity_mentions": (
        "Every mention of an entity, with offsets.",
        (
            Field("mention_id", "string", "Stable id: M + start offset", unique=True),
            Field("entity_id", "string", "The entity mentioned"),
            Field("start", "integer", OFFSET + ": first character", unit="characters"),
            Field("end", "integer", OFFSET + ": last character + 1", unit="characters"),
            Field("sentence_id", "string", "Sentence of the mention", required=False),
        ),
    ),
}


# Curated tables, written by hand in data/annotations/ and validated by code on every use.
ANNOTATION_TABLES: dict[str, tuple[str, str, tuple[Field, ...]]] = {
    "fact_annotations": (
        "annotations/facts.csv",
        "Curated English metric names (and a domain where a rule cannot know) for facts, each "
        "row located by a context that occurs exactly once in the article.",
        (
            Field("context", "string", "Words around the quote, occurring exactly once"),
            Field("quote", "string", "The fact's quote as written, inside the context"),
            Field("metric_en", "string", "Short English metric name given to the fact"),
            Field(
                "domain", "string", "Domain that overrides the rule's", enum=DOMAINS, required=False
            ),
        ),
    ),
    "target_pairs": (
        "annotations/target_pairs.csv",
        "Analytical judgement: each target of the plan year beside the figure of the report "
        "year it can be read against, by the facts' metric_en names.",
        (
            Field(
                "target_metric",
                "string",
                "metric_en of a target fact of the plan year",
                unique=True,
            ),
            Field(
                "result_metric",
                "string",
                "metric_en of a result fact of the report year; empty when the relation has none",
                required=False,
            ),
            Field(
                "relation",
                "string",
                "How the two are related: "
                + "; ".join(f"{code} = {en} {zh}" for code, (en, zh) in RELATIONS.items()),
                enum=tuple(RELATIONS),
            ),
            Field("note", "string", "Why, in one English sentence"),
            Field("note_zh", "string", "The note in Chinese, for the Chinese edition"),
        ),
    ),
    "readings": (
        "annotations/readings.csv",
        "The readings register: every interpretive choice that more than one sentence depends "
        "on, with the wording, the reading taken, the others considered and why. Every report "
        "and page takes its readings from here.",
        (
            Field("reading_id", "string", "Stable id of the reading", unique=True),
            Field(
                "wording",
                "string",
                "The Chinese wording read (parts separated by ';', gaps inside a part by '…'); "
                "empty for a definition",
                required=False,
            ),
            Field(
                "applies_to",
                "string",
                "fact_ids and follow-up figure_ids (';'-separated), '*' for every quantity whose "
                "qualifier is written with the wording, or kind:<kind> entries",
            ),
            Field("reading", "string", "The reading taken (a code)"),
            Field("alternatives", "string", "Other readings considered (';'-separated codes)"),
            Field(
                "open",
                "string",
                "yes when the texts leave the choice open, so verdicts are given on every "
                "reading; no when the alternatives are rejected for the reason given",
                enum=("yes", "no"),
            ),
            Field(
                "reading_words",
                "string",
                "Each code in plain English: code=words, '|'-separated",
            ),
            Field(
                "reading_words_zh",
                "string",
                "Each code in Chinese, for the Chinese edition: code=words, '|'-separated",
            ),
            Field("reason", "string", "Why this reading, in English"),
            Field(
                "reason_zh",
                "string",
                "Why, in Chinese, for the readings the Chinese edition states (may be empty)",
                required=False,
            ),
        ),
    ),
}


def curated_tables() -> dict[str, tuple[str, str, tuple[Field, ...]]]:
    """Every curated table: the annotations, then the follow-up report's tables."""
    # Imported here because followup_schema builds its fields with this module's Field.
    from gaoxin.data.followup_schema import FOLLOWUP_TABLES

    return {**ANNOTATION_TABLES, **FOLLOWUP_TABLES}


def _schema(fields: tuple[Field, ...]) -> dict:
    schema_fields = []
    for f in fields:
        d = {"name": f.name, "type": f.type, "description": f.description}
        if f.unit:
            d["unit"] = f.unit
        constraints = {}
        if f.required:
            constraints["required"] = True
        if f.unique:
            constraints["unique"] = True
        if f.enum:
            constraints["enum"] = list(f.enum)
        if constraints:
            d["constraints"] = constraints
        schema_fields.append(d)
    schema = {"fields": schema_fields}
    primary = next((f.name for f in fields if f.unique), None)
    if primary:
        schema["primaryKey"] = primary
    return schema


def file_stats(data: bytes, rows: int) -> dict:
    """What a loader checks a file against: size, checksum and number of data rows.

    `bytes` and `hash` are the Frictionless resource properties; `rows` is this project's own."""
    return {
        "bytes": len(data),
        "hash": f"{HASH_PREFIX}{hashlib.sha256(data).hexdigest()}",
        "rows": rows,
    }


HASH_PREFIX = "sha256:"


# Licences (README, Licensing): derived data is CC BY 4.0; tables that reproduce the article's own
# words (its text, quotes, titles, names as written) also carry the article's terms for those words.
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International (derived data; attribute the article)",
}
ARTICLE_TERMS = {
    "name": "other-at",
    "title": "Words quoted from the article remain © its authors and publisher; quoted for "
    "research and teaching (see README, Licensing)",
}
QUOTING_TABLES = frozenset(
    {"sections", "paragraphs", "sentences", "facts", "exclusions", "entities"}
    | {"fact_annotations", "target_pairs", "readings"}
    | {"followup_figures", "followup_target_outcomes", "followup_result_pairs"}
)


def _resource(
    name: str, path: str, description: str, fields: tuple[Field, ...], stats: dict | None
) -> dict:
    licences = [DATA_LICENCE, ARTICLE_TERMS] if name in QUOTING_TABLES else [DATA_LICENCE]
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        **(stats or {}),
        "description": description,
        "licenses": licences,
        "schema": _schema(fields),
    }


def datapackage(
    stats: dict[str, dict] | None = None, annotations: bool = True, about: dict | None = None
) -> dict:
    """The Frictionless Data Package descriptor for data/processed (and data/annotations).

    `stats` maps a resource name to its file_stats(); `annotations=False` leaves the curated
    tables out; `about` (name, title, description, sources, report_year, plan_year) describes an
    article other than data/raw/article.txt."""
    stats = stats or {}
    resources = []
    for name, (description, fields) in TABLES.items():
        path = f"processed/{name}.csv"
        resources.append(_resource(name, path, description, fields, stats.get(name)))
    for name, (path, description, fields) in curated_tables().items() if annotations else ():
        resources.append(_resource(name, path, description, fields, stats.get(name)))
    if about is not None:
        return {"profile": "tabular-data-package", **about, "resources": resources}
    source = load_source()  # the project's own article only: --article needs no project
    return {
        "profile": "tabular-data-package",
        "name": "hengyang-high-tech-zone-2019",
        "title": "衡阳高新区 2018 results and 2019 targets, from a 2019 news report",
        "description": "Quantities, structure and entities extracted by rule from "
        "data/raw/article.txt; every row carries character offsets into that file.",
        "licenses": [DATA_LICENCE],
        "sources": [{"title": f"{source.title} ({', '.join(source.authors)})"}]
        + [{"title": s.credit, "path": s.url} for s in load_later_sources().values()],
        "resources": resources,
    }


def datapackage_json(
    stats: dict[str, dict] | None = None, annotations: bool = True, about: dict | None = None
) -> str:
    return json.dumps(datapackage(stats, annotations, about), ensure_ascii=False, indent=2) + "\n"
