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
    published_zh: str | None = None  # the Chinese edition's `published`

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
        published_zh=meta.get("published_zh"),
    )


@dataclass(frozen=True)
class LaterSource:
    """A later report cited for outcomes; only figures from it are stored, never its text."""

    id: str
    title: str
    title_en: str
    published: str
    authors: tuple[str, ...]
    outlet: str | None
    seen_as: str
    url: str
    seen_as_zh: str | None = None  # the Chinese edition's `seen_as`

    @property
    def credit(self) -> str:
        """One-line credit naming what is known and what is not."""
        who = "、".join(self.authors) or "author unknown"
        outlet = self.outlet or "original outlet unknown"
        return f"《{self.title}》 ({self.published}; {who}; {outlet}; seen as a {self.seen_as})"


@cache
def load_later_sources(path: Path = SOURCE_PATH) -> dict[str, LaterSource]:
    """Later reports by id, from source.json's `later_sources`."""
    meta = json.loads(path.read_text(encoding="utf-8"))
    fields = LaterSource.__dataclass_fields__
    return {
        s["id"]: LaterSource(
            **{k: tuple(v) if k == "authors" else v for k, v in s.items() if k in fields}
        )
        for s in meta.get("later_sources", [])
    }
