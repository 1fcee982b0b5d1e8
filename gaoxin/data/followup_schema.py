"""Schema of the follow-up report's curated tables (data/followup/), in the form of schema.py.

`gaoxin.data.schema.curated_tables()` adds them to the Data Package beside the annotations.
"""

from __future__ import annotations

from gaoxin.data.schema import Field
from gaoxin.vocabulary import DOMAINS, KINDS, PERIODS

# A phrase identifies a figure; anything longer starts to copy the report's sentences.
MAX_PHRASE_CHARS = 20
UNITS = ("percent", "count", "yuan")

# How a 2019 target relates to the follow-up's figure (target_outcomes.relation).
SAME_MEASURE = "same_measure"
DIFFERENT_MEASURE = "different_measure"
DIFFERENT_THRESHOLD = "different_threshold"
NO_OUTCOME = "no_outcome"
SIZE_THRESHOLD = "size_threshold"
GROWTH_OF_BASE = "growth_of_base"
PLAN_SCOPE = "plan_scope"
TARGET_RELATIONS = (
    SAME_MEASURE,
    DIFFERENT_MEASURE,
    DIFFERENT_THRESHOLD,
    GROWTH_OF_BASE,
    NO_OUTCOME,
    SIZE_THRESHOLD,
    PLAN_SCOPE,
)
RESULT_RELATIONS = (SAME_MEASURE, DIFFERENT_MEASURE)
# Relations whose row has no outcome figure.
WITHOUT_OUTCOME = (NO_OUTCOME, SIZE_THRESHOLD, PLAN_SCOPE)

_VALUE = "value_normalized of the paired row, repeated so that code can check the pairing"

# name → (path under data/, description, fields); the Data Package lists them like the others.
FOLLOWUP_TABLES: dict[str, tuple[str, str, tuple[Field, ...]]] = {
    "followup_figures": (
        "followup/figures.csv",
        "Figures for 2019 from the zone's later report (see source_id); its text is not stored, "
        "only the characters that identify each figure, quoted for identification (the later "
        "report's words remain © its authors).",
        (
            Field("figure_id", "string", "Stable id of the figure", unique=True),
            Field("source_id", "string", "Id of the report in data/raw/source.json later_sources"),
            Field("phrase", "string", "The few characters that identify the figure, as written"),
            Field(
                "quote", "string", "The quantity inside the phrase, as the numeral parser cuts it"
            ),
            Field("value", "number", "The number as written, parsed exactly (before multipliers)"),
            Field("unit_raw", "string", "Unit as written, with its multiplier", required=False),
            Field("qualifier", "string", "Qualifier code, as in facts", required=False),
            Field("value_normalized", "number", "value in unit_normalized", unit="unit_normalized"),
            Field("unit_normalized", "string", "Base unit of value_normalized", enum=UNITS),
            Field(
                "threshold_quote",
                "string",
                "Size threshold inside the phrase (10亿元以上), when the figure counts projects",
                required=False,
            ),
            Field(
                "threshold_normalized",
                "number",
                "The threshold in yuan",
                required=False,
                unit="yuan",
            ),
            Field("period", "string", "What time it speaks of (as in facts)", enum=PERIODS),
            Field("year", "integer", "Year of the result", unit="year"),
            Field("kind", "string", "What sort of number it is (as in facts)", enum=KINDS),
            Field("domain", "string", "Topic of the quantity (as in facts)", enum=DOMAINS),
            Field("subject_zh", "string", "What it measures, as the report words it"),
            Field("metric_en", "string", "Short English metric name"),
            Field("note", "string", "What a reader needs to know to read it", required=False),
        ),
    ),
    "followup_target_outcomes": (
        "followup/target_outcomes.csv",
        "Each 2019 target of the article paired with the follow-up's figure for it, if any.",
        (
            Field("target_metric", "string", "The target's metric_en in facts", unique=True),
            Field("target_quote", "string", "The target as written in the article"),
            Field("target_value", "number", _VALUE, unit="the target's unit_normalized"),
            Field(
                "relation",
                "string",
                "same_measure, different_measure, different_threshold (projects counted above "
                "another size), growth_of_base (the outcome is the growth of the count given "
                "for the year before, base_metric), no_outcome (no figure reported), "
                "size_threshold (not a goal: the size that defines another target), plan_scope "
                "(not a goal: the size of a plan's list)",
                enum=TARGET_RELATIONS,
            ),
            Field(
                "target_threshold_metric",
                "string",
                "The size_threshold row that defines this target's projects",
                required=False,
            ),
            Field("figure_id", "string", "The outcome in followup_figures", required=False),
            Field("outcome_quote", "string", "The outcome as written", required=False),
            Field("outcome_value", "number", _VALUE, required=False, unit="unit_normalized"),
            Field(
                "reading_id",
                "string",
                "The reading in data/annotations/readings.csv that the pairing depends on",
                required=False,
            ),
            Field(
                "holds_under",
                "string",
                "The code of that reading under which the pairing holds; under any other, the "
                "outcome measures something else",
                required=False,
            ),
            Field(
                "base_metric",
                "string",
                "For growth_of_base: metric_en of the result of the year before that grows",
                required=False,
            ),
            Field("note", "string", "Why this relation"),
        ),
    ),
    "followup_result_pairs": (
        "followup/result_pairs.csv",
        "Each 2018 result of the article that the follow-up reports again for 2019.",
        (
            Field("result_metric", "string", "The 2018 result's metric_en in facts", unique=True),
            Field("result_quote", "string", "The 2018 result as written in the article"),
            Field("result_value", "number", _VALUE, unit="the result's unit_normalized"),
            Field("relation", "string", "same_measure or different_measure", enum=RESULT_RELATIONS),
            Field("figure_id", "string", "The 2019 figure in followup_figures", unique=True),
            Field("outcome_quote", "string", "The 2019 figure as written"),
            Field("outcome_value", "number", _VALUE, unit="unit_normalized"),
            Field("note", "string", "Why this relation"),
        ),
    ),
}
