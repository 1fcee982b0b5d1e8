"""The CJK font: a per-page subset of Noto Sans CJK SC, embedded as a WOFF @font-face."""

from __future__ import annotations

import base64
import hashlib
import io
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from gaoxin import config
from gaoxin.report.errors import BuildError

FONT_FAMILY = "Gaoxin Noto Sans CJK SC"
FONT_PLACEHOLDER = "/*@GAOXIN_FONT_FACE@*/"
# Bump when _subset_options changes: cached subsets made with other options are then unused.
SUBSET_FORMAT = "subset-3"
# WOFF (zlib), not WOFF2 (Brotli at its top quality): a page's subset is made in 0.8 s instead of
# 1.8 s, for a font about a tenth larger (77 KB against 70 KB for 460 characters).
FLAVOR = "woff"
SUBSET_FILE = {"page": "subset.woff", "base": "base.otf"}  # a cache entry's file, by kind
BASE_LOCK = "base.lock"  # in the disk cache: held while the base subset is made


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

    # recalcBBoxes=False: the font-wide extents (head, hhea) stay the whole font's, which every
    # subset lies within; measuring each kept glyph's outline again took a quarter of the time.
    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    subsetter = subset.Subsetter(_subset_options(flavor))
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out, reorderTables=False)
    return out.getvalue()


def use_disk_cache(folder: Path | None, base: str = "") -> None:
    """Keep subsets in folder (a verified cache entry each): a page whose characters did not
    change reuses its subset instead of spending about a second making it again.

    `base`: the characters of the build's inputs (see input_characters). A page whose characters
    are all among them is cut from one subset of the font to those characters, made once per
    build, instead of from the whole font: the same bytes in half the time (0.4 s against 0.8 s
    for a page of 460 characters), since the whole font holds 65,000 glyphs and the base about
    1,300."""
    global _DISK_CACHE, _BASE
    _DISK_CACHE = folder
    _BASE = frozenset(base)


_DISK_CACHE: Path | None = None
_BASE: frozenset[str] = frozenset()
# Characters nbconvert adds to every report page itself: the pilcrow of each heading's anchor.
RENDERER_CHARACTERS = "¶"
# Seconds this process has spent making subsets (the benchmark reports them per notebook).
SUBSET_SECONDS = [0.0]


def input_characters(texts: Iterable[bytes]) -> str:
    """The characters a build's pages can hold, from its inputs' bytes (notebooks, data, the
    package's code and templates), as one sorted string for use_disk_cache's `base`."""
    chars = set(RENDERER_CHARACTERS)
    for blob in texts:
        chars |= page_characters(blob.decode("utf-8", errors="ignore"))
    return "".join(sorted(chars))


def _disk_key(points: set[int], kind: str = "page") -> str:
    from importlib.metadata import version

    path = config.cjk_font_path()
    stat = path.stat()
    font = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    text = f"{SUBSET_FORMAT}|{kind}|{font}|{version('fonttools')}|"
    return hashlib.sha256((text + ",".join(map(str, sorted(points)))).encode()).hexdigest()[:32]


def _points(chars: Iterable[str]) -> set[int]:
    # Spaces next to CJK text are shaped in the same run as it, so a subset needs them too
    # (without them the PDF renderer draws .notdef boxes where those spaces are).
    return {ord(c) for c in chars} | {0x20, 0xA0}


def _cached_subset(points: set[int], kind: str, make: Callable[[], bytes]) -> bytes:
    """make(), or the bytes it gave before for these code points (from the disk cache)."""
    from gaoxin.report.cache import read_entry, write_entry

    entry = _DISK_CACHE / _disk_key(points, kind) if _DISK_CACHE is not None else None
    if entry is not None and read_entry(entry) is not None:
        return (entry / SUBSET_FILE[kind]).read_bytes()
    counted, started = SUBSET_SECONDS[0], time.perf_counter()
    data = make()
    SUBSET_SECONDS[0] = counted + time.perf_counter() - started  # a base made inside counts once
    if entry is not None:
        write_entry(entry, {SUBSET_FILE[kind]: data}, {"codepoints": len(points), "kind": kind})
    return data


@lru_cache(maxsize=1)
def _base_font(base: frozenset[str]) -> bytes:
    """The whole font cut to the base characters (an OpenType font, uncompressed). With a disk
    cache, one process makes it while the others (a build's workers start together) wait for
    it and read it: 1.8 s of CPU once per build, not once per process."""
    points = _points(base)

    def make() -> bytes:
        return _cached_subset(points, "base", lambda: _subset(_cjk_font_bytes(), points, None))

    if _DISK_CACHE is None:
        return make()
    import fcntl

    _DISK_CACHE.mkdir(parents=True, exist_ok=True)
    with open(_DISK_CACHE / BASE_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return make()


@lru_cache(maxsize=32)
def font_subset(chars: frozenset[str]) -> bytes:
    """WOFF subset of Noto Sans CJK SC with exactly the given characters (if the font has them)."""
    points = _points(chars)
    if _BASE and chars <= _BASE:
        # Cut from the base subset: the glyphs, their order and every table come out the same
        # as when cut from the whole font (test_build proves it byte for byte).
        return _cached_subset(points, "page", lambda: _subset(_base_font(_BASE), points, FLAVOR))
    return _cached_subset(points, "page", lambda: _subset(_cjk_font_bytes(), points, FLAVOR))


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
    data = base64.b64encode(font_subset(chars)).decode("ascii")
    rule = (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400; '
        f"unicode-range: {unicode_range(chars)}; "
        f'src: url("data:font/woff;base64,{data}") format("woff"); }}'
    )
    return page.replace(FONT_PLACEHOLDER, rule, 1)
