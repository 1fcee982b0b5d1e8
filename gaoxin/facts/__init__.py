"""Quantities → facts: vocabularies, the genre's rules, entities, curated annotations, rows."""
