"""Article text is untrusted: a doctored article's <script> and onerror= never run in an export."""

import io
import json

import nbformat
import pytest

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.report import build
from tests.fixtures import buildsite

pytestmark = pytest.mark.slow

# The notebook reads the doctored data through the normal API and shows the sentence verbatim.
NOTEBOOK_CODE = """\
import os
from pathlib import Path
from gaoxin.analysis import narrative as nv
from gaoxin.data import load_facts
data = Path(os.environ["GAOXIN_DOCTORED_DATA"])
facts = load_facts(directory=data / "processed", article=data / "raw" / "article.txt")
row = facts[facts.quote == "8.6%"].iloc[0]
nv.say(f"GDP grew {nv.escape(row.quote)}: " + nv.escape(row.sentence))
nv.quote_block(row.sentence, "doctored fixture")
"""


@pytest.fixture()
def doctored(tmp_path, monkeypatch):
    data, outputs = buildsite.doctored_data(tmp_path)
    facts = json.dumps(outputs["processed/facts.csv"], ensure_ascii=False)
    assert "onerror=alert(7)" in facts, "the payload reached the facts table"
    monkeypatch.setenv("GAOXIN_DOCTORED_DATA", str(data))
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 转义 Doctored article\n\n<script>alert('md')</script>"),
        nbformat.v4.new_code_cell(NOTEBOOK_CODE),
    ]
    nbformat.write(nb, notebooks / "01_doctored.ipynb")
    return tmp_path, data


def test_doctored_article_text_is_escaped_in_every_export(doctored):
    root, data = doctored
    log = io.StringIO()
    result = build.build(
        notebooks_dir=root / "notebooks",
        exports_dir=root / "exports",
        cache_dir=root / "cache",
        data_dir=data,
        jobs=1,
        out=log,
    )
    assert result.ok, log.getvalue()
    assert ANNOTATIONS_DIR.is_dir()
    for folder in ("html", "walkthrough"):
        page = (root / "exports" / folder / "01_doctored.html").read_text(encoding="utf-8")
        lowered = page.lower()
        assert "<script" not in lowered, folder
        assert "onerror=" not in lowered.replace("onerror=alert(7)&gt;", ""), folder
        assert "&lt;script&gt;alert(&#x27;doctored&#x27;)&lt;/script&gt;" in page or (
            "&lt;script&gt;alert('doctored')&lt;/script&gt;" in page
        ), f"{folder}: the article text is shown, escaped"
