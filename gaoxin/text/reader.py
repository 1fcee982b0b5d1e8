"""The one reader of the raw article: the text exactly as stored (UTF-8, line ends untouched).

A file that is missing, empty, binary or not UTF-8 gets an `ArticleError`: one line naming the file,
the problem and what to do. Every offset in the data is an index into the string returned here.
"""

from __future__ import annotations

import re
from pathlib import Path

from gaoxin.config import ARTICLE_PATH

# A NUL or other C0 control (besides tab, line feed, carriage return, form feed) marks binary data.
CONTROL_CHARS = {chr(c) for c in range(32)} - set("\t\n\r\f")
CONTROL_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(CONTROL_CHARS)) + "]")
UTF8_HINT = "save it as UTF-8 text (e.g. `iconv -f GB18030 -t UTF-8`)"


class ArticleError(ValueError):
    """An article file that cannot be read as text."""


def read_raw(path: Path = ARTICLE_PATH) -> str:
    """The article exactly as stored; every offset in the data is an index into this string."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: file not found; check the path") from None
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror}); check the path") from None
    return decode_raw(data, path)


def decode_raw(data: bytes, path: Path) -> str:
    """Decode an article's bytes, or fail with the file, the place and what to do."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ArticleError(
            f"{path}, line {line}: not UTF-8 text (byte {e.start} is 0x{data[e.start]:02x}); "
            + UTF8_HINT
        ) from None
    found = CONTROL_RE.search(text)  # one scan in C, not a Python loop over every character
    bad = found.start() if found else None
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        raise ArticleError(
            f"{path}, line {line}: control character U+{ord(text[bad]):04X} at offset {bad}: "
            "this looks like a binary file, not an article; give the article's text file"
        )
    if not text.strip():
        raise ArticleError(f"{path}: the file is empty; give the article's text file")
    return text
