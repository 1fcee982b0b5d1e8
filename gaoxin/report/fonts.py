"""The CJK font: a per-page subset of Noto Sans CJK SC, embedded as a WOFF2 @font-face."""

from __future__ import annotations

import base64
import hashlib
import io
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from gaoxin import config
from gaoxin.report.errors import BuildError

FONT_FAMILY = "Gaoxin Noto Sans CJK SC"
FONT_PLACEHOLDER = "/*@GAOXIN_FONT_FACE@*/"
# Bump when _subset_options changes: cached subsets made with other options are then unused.
SUBSET_FORMAT = "subset-1"
SUBSET_FILE = "subset.woff2"


@lru_cache(maxsize=1)
def _cjk_font_bytes() -> bytes:
    try:
        return config.cjk_font_path().read_bytes()
    except FileNotFoundError as exc:
        raise BuildError(str(exc)) from None


def _subset_options(flavor: str | None) -> Any:
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.hinting = False
    # Horizontal Simplified Chinese needs no OpenType layout; skipping GSUB/GPOS halves the time.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]  # keep the copyright and SIL OFL licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    return options


def _subset(font_bytes: bytes, codepoints: Iterable[int], flavor: str | None) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False, lazy=True)
    subsetter = subset.Subsetter(_subset_options(flavor))
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out, reorderTables=False)
    return out.getvalue()


def use_disk_cache(folder: Path | None) -> None:
    """Keep subsets in folder (a verified cache entry each): a page whose characters did not
    change reuses its subset instead of spending about a second making it again."""
    global _DISK_CACHE
    _DISK_CACHE = folder


_DISK_CACHE: Path | None = None
# Seconds this process has spent making subsets (the benchmark reports them per notebook).
SUBSET_SECONDS = [0.0]


def _disk_key(points: set[int]) -> str:
    from importlib.metadata import version

    path = config.cjk_font_path()
    stat = path.stat()
    text = f"{SUBSET_FORMAT}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{version('fonttools')}|"
    return hashlib.sha256((text + ",".join(map(str, sorted(points)))).encode()).hexdigest()[:32]


@lru_cache(maxsize=32)
def font_subset_woff2(chars: frozenset[str]) -> bytes:
    """WOFF2 subset of Noto Sans CJK SC with exactly the given characters (if the font has them)."""
    from gaoxin.report.cache import read_entry, write_entry

    # Spaces next to CJK text are shaped in the same run as it, so the subset needs them too
    # (without them the PDF renderer draws .notdef boxes where those spaces are).
    points = {ord(c) for c in chars} | {0x20, 0xA0}
    entry = _DISK_CACHE / _disk_key(points) if _DISK_CACHE is not None else None
    if entry is not None and read_entry(entry) is not None:
        return (entry / SUBSET_FILE).read_bytes()
    started = time.perf_counter()
    data = _subset(_cjk_font_bytes(), points, "woff2")
    SUBSET_SECONDS[0] += time.perf_counter() - started
    if entry is not None:
        write_entry(entry, {SUBSET_FILE: data}, {"codepoints": len(points)})
    return data


def page_characters(page: str) -> frozenset[str]:
    """Non-ASCII characters of a page: the ones the system Latin fonts may lack."""
    # set() first: a page is megabytes of mostly base64 images, with a few hundred distinct chars.
    return frozenset(c for c in set(page) if ord(c) > 0x7F and not c.isspace())


def unicode_range(chars: Iterable[str]) -> str:
    """CSS unicode-range covering exactly the given characters (consecutive runs merged)."""
    points = sorted({ord(c) for c in chars})
    runs: list[list[int]] = []
    for cp in points:
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def embed_font(page: str) -> str:
    """Replace the template's placeholder by an @font-face with the page's own font subset.

    The family comes first in every font stack, limited by unicode-range to the page's
    non-ASCII characters: Chromium drew boxes for Chinese when a system font came first."""
    chars = page_characters(page)
    if not chars:
        return page.replace(FONT_PLACEHOLDER, "")
    data = base64.b64encode(font_subset_woff2(chars)).decode("ascii")
    rule = (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400; '
        f"unicode-range: {unicode_range(chars)}; "
        f'src: url("data:font/woff2;base64,{data}") format("woff2"); }}'
    )
    return page.replace(FONT_PLACEHOLDER, rule, 1)
