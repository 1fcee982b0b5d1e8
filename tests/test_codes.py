"""The schema names every code the data uses (and every qualifier code the extractor can emit)."""

from __future__ import annotations

import csv
import re

import pytest

from gaoxin import config, labels
from gaoxin.data import schema
from gaoxin.data.followup_schema import FOLLOWUP_TABLES
from gaoxin.text import numbers

TABLES = {
    **{name: (f"processed/{name}.csv", fields) for name, (_, fields) in schema.TABLES.items()},
    **{name: (path, fields) for name, (path, _, fields) in schema.ANNOTATION_TABLES.items()},
}
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)*\b")


def _column(rel: str, name: str) -> set[str]:
    with (config.DATA_DIR / rel).open(encoding="utf-8", newline="") as f:
        return {row[name] for row in csv.DictReader(f)} - {""}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_enum_value_in_the_data_is_allowed(table):
    rel, fields = TABLES[table]
    coded = [f for f in fields if f.enum]
    for field in coded:
        unknown = _column(rel, field.name) - set(field.enum)
        assert not unknown, f"{table}.{field.name}: codes missing from the schema: {unknown}"


def _qualifier_field():
    return next(f for f in schema.TABLES["facts"][1] if f.name == "qualifier")


def test_every_qualifier_code_is_named_by_the_schema():
    """Qualifiers combine ('more_than+at_least' for 超过…以上): each part must be a named code."""
    named = set(CODE.findall(_qualifier_field().description))
    used = {
        part for value in _column("processed/facts.csv", "qualifier") for part in value.split("+")
    }
    assert used, "the article has qualified quantities"
    assert used <= named, f"qualifier codes missing from the schema: {used - named}"
    assert any("+" in v for v in _column("processed/facts.csv", "qualifier")), "a combined code"
    assert "+" in _qualifier_field().description, "the schema says how codes combine"


def test_schema_names_every_qualifier_the_extractor_can_emit():
    named = set(CODE.findall(_qualifier_field().description))
    emitted = set(numbers.PREFIX_QUALIFIERS.values()) | set(numbers.INFIX_QUALIFIERS.values())
    emitted |= set(numbers.SUFFIX_QUALIFIERS.values())
    assert emitted <= named, (
        f"codes the extractor emits but the schema does not name: {emitted - named}"
    )


CODE_COLUMNS = [
    (table, field)
    for table, fields in sorted(
        {
            **{name: fields for name, (_, fields) in schema.TABLES.items()},
            **{name: fields for name, (_, _, fields) in schema.ANNOTATION_TABLES.items()},
            **{name: fields for name, (_, _, fields) in FOLLOWUP_TABLES.items()},
        }.items()
    )
    for field in fields
    if field.enum
]


@pytest.mark.parametrize("table,field", CODE_COLUMNS, ids=lambda x: getattr(x, "name", x))
def test_every_code_of_every_code_column_has_reader_words(table, field):
    assert field.name in labels.COLUMNS, f"{table}.{field.name}: no map of reader words"
    for code in field.enum:
        for words in (labels.label(code, field.name), labels.label(code)):
            assert words != code, f"{table}.{field.name}: no reader words for {code!r}"
            assert re.search("[\u4e00-\u9fff]", words) or code == "percent", (code, words)


def test_every_qualifier_code_has_reader_words():
    for code in set(CODE.findall(_qualifier_field().description)) & set(_named_qualifiers()):
        assert labels.label(code, "qualifier") != code
        assert labels.qualifier_words(code) != code


def _named_qualifiers():
    return (
        set(numbers.PREFIX_QUALIFIERS.values())
        | set(numbers.INFIX_QUALIFIERS.values())
        | set(numbers.SUFFIX_QUALIFIERS.values())
    )


def test_a_kind_is_not_labelled_with_a_measure_word():
    """label("rank") is the kind's words (排名 Rank), never the unit's measure word (位)."""
    assert labels.label("rank") == labels.label("rank", "kind")
    assert "位" not in labels.label("rank")
    assert labels.label("count", "kind") != labels.label("count", "unit_normalized")
