"""Allow-list HTML sanitizer for untrusted text (markdown cells, text/html and markdown outputs)."""

from __future__ import annotations

import re
from typing import Any

_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript)\b[^>]*>.*?</\1\s*>"
    r"|<(script|style|iframe|object|embed|template|noscript)\b[^>]*/?>",
    re.IGNORECASE | re.DOTALL,
)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)

_ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_SAFE_IMG_PREFIXES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title", "lang", "dir"):
        return True
    if tag == "a" and name == "href":
        # In-page anchors and relative links only: reports make no external requests.
        return value.startswith("#") or (
            ":" not in value.split("/", 1)[0] and not value.startswith("//")
        )
    if tag == "img":
        if name == "src":
            return value.startswith(_SAFE_IMG_PREFIXES)
        return name in ("alt", "width", "height")
    if tag in ("td", "th"):
        return name in ("colspan", "rowspan", "style")
    if tag in ("tr", "thead", "table"):
        return name == "style"
    if tag == "ol":
        return name == "start"
    return False


def sanitize_html(fragment: Any) -> str:
    """Allow-list sanitizer: no scripts, no event handlers, no styles, no external sources."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    text = _DROP_WITH_CONTENT.sub("", text)
    cleaned = bleach.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=["data"],
        strip=False,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=["text-align", "vertical-align"]),
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned)
