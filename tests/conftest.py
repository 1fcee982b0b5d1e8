"""Shared fixtures: the real article, its parse, and the extracted tables (built once)."""

import shutil

import pytest

from gaoxin import data
from gaoxin.config import DATAPACKAGE_PATH, PROCESSED_DIR
from gaoxin.facts.tables import extract_tables
from gaoxin.text.structure import load_article
from tests.stop_on_signal import (  # noqa: F401 - hooks: the first SIGINT/SIGTERM ends the run
    pytest_runtest_logreport,
    pytest_sessionstart,
)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright's sync API runs one at a time)."""
    from tests.pagecheck import chromium

    yield from chromium()


@pytest.fixture(scope="session")
def article():
    return load_article()


@pytest.fixture(scope="session")
def tables(article):
    return extract_tables(article)


@pytest.fixture(scope="session")
def facts_by_quote(tables):
    """Facts keyed by (quote, occurrence index) in reading order."""
    out, seen = {}, {}
    for row in tables["facts"]:
        n = seen.get(row["quote"], 0)
        seen[row["quote"]] = n + 1
        out[(row["quote"], n)] = row
    return out


@pytest.fixture()
def copy_dir(tmp_path):
    """A copy of data/processed (with its descriptor) to damage; the loader cache is cleared."""
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, target)
    shutil.copy(DATAPACKAGE_PATH, tmp_path / DATAPACKAGE_PATH.name)
    data.clear_cache()
    yield target
    data.clear_cache()
