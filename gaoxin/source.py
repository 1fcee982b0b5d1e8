"""The article's metadata (title, authors, date, outlet, checksum), read once from source.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gaoxin.config import SOURCE_PATH


@dataclass(frozen=True)
class Source:
    title: str
    title_en: str
    authors: tuple[str, ...]
    published: str
    outlet: str | None
    sha256: str
    language: str

    @property
    def byline(self) -> str:
        """Authors joined the Chinese way: 戈清平、王韦夫."""
        return "、".join(self.authors)

    @property
    def credit(self) -> str:
        """One-line credit for chart notes and page footers."""
        return f"{self.byline}《{self.title}》"


@cache
def load_source(path: Path = SOURCE_PATH) -> Source:
    meta = json.loads(path.read_text(encoding="utf-8"))
    return Source(
        title=meta["title"],
        title_en=meta["title_en"],
        authors=tuple(meta["authors"]),
        published=meta["published"],
        outlet=meta.get("outlet"),
        sha256=meta["sha256"],
        language=meta["language"],
    )
