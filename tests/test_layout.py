"""The flow runs one way: loading data never imports the extractor or the report build."""

import ast
import json
import subprocess
import sys

from gaoxin.config import PROJECT_ROOT

# The closed vocabularies are a leaf the schema shares with the rules; nothing else of facts loads.
ALLOWED_FROM_FACTS = {"gaoxin.facts", "gaoxin.facts.vocabulary"}

PROBE = """
import json, sys
import gaoxin.data
gaoxin.data.load_facts()
gaoxin.data.load_target_pairs()
print(json.dumps(sorted(m for m in sys.modules if m.startswith("gaoxin"))))
"""


def test_loading_data_imports_neither_extractor_nor_report():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    modules = set(json.loads(out.stdout))
    assert "gaoxin.data.loaders" in modules  # the probe really loaded data
    facts = {m for m in modules if m.startswith("gaoxin.facts")}
    assert facts <= ALLOWED_FROM_FACTS, facts - ALLOWED_FROM_FACTS
    assert not {m for m in modules if m.startswith("gaoxin.report")}


def test_vocabulary_is_a_leaf():
    for name in ("vocabulary.py", "__init__.py"):
        tree = ast.parse((PROJECT_ROOT / "gaoxin" / "facts" / name).read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        ]
        assert not [m for m in imported if m and m.startswith("gaoxin")], (name, imported)


def test_one_reader_of_the_raw_text():
    from gaoxin import data
    from gaoxin.text import reader, structure

    assert data.read_raw_text is reader.read_raw is structure.read_raw
