"""Load the processed tables as typed, validated pandas DataFrames (never imports the extractor)."""

from gaoxin.data.curated import load_target_pairs, load_vocab
from gaoxin.data.loaders import (
    DataError,
    clear_cache,
    fact,
    load_entities,
    load_entity_mentions,
    load_exclusions,
    load_facts,
    load_paragraphs,
    load_sections,
    load_sentences,
    load_table,
    read_raw_text,
)
from gaoxin.data.readings import load_readings, readings_table

__all__ = [
    "DataError",
    "clear_cache",
    "fact",
    "load_entities",
    "load_entity_mentions",
    "load_exclusions",
    "load_facts",
    "load_paragraphs",
    "load_readings",
    "load_sections",
    "load_sentences",
    "load_table",
    "load_target_pairs",
    "load_vocab",
    "read_raw_text",
    "readings_table",
]
