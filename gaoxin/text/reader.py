"""The one reader of the raw article: the text exactly as stored (UTF-8, line ends untouched)."""

from __future__ import annotations

from pathlib import Path

from gaoxin.config import ARTICLE_PATH


def read_raw(path: Path = ARTICLE_PATH) -> str:
    """The article exactly as stored; every offset in the data is an index into this string."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()
