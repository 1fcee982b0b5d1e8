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


_GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
# Attributes kept per tag besides the global ones; _allowed_attribute checks their values.
_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style"},
    "tr": {"style"},
    "thead": {"style"},
    "table": {"style"},
    "ol": {"start"},
}
_STYLE_PROPERTIES = frozenset({"text-align", "vertical-align"})
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')


def _spaced_style(match: re.Match[str]) -> str:
    """nh3 writes kept declarations as `text-align:right`; pages and their CSS use the form
    pandas writes, `text-align: right;`."""
    declarations = [d.split(":", 1) for d in match.group(1).split(";") if ":" in d]
    return 'style="' + " ".join(f"{k.strip()}: {v.strip()};" for k, v in declarations) + '"'


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _GLOBAL_ATTRIBUTES:
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
    return name in _ATTRIBUTES.get(tag, ())


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    return value if _allowed_attribute(tag, name, value) else None


def sanitize_html(fragment: Any) -> str:
    """Allow-list sanitizer (nh3): no scripts, no event handlers, no styles but text and vertical
    alignment, no external sources. Tags outside the list are dropped, their text kept."""
    import nh3

    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    text = _DROP_WITH_CONTENT.sub("", text)
    cleaned = nh3.clean(
        text,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes={"data"},
        filter_style_properties=set(_STYLE_PROPERTIES),
    )
    return _STYLE_ATTRIBUTE.sub(_spaced_style, _IMG_WITHOUT_SRC.sub("", cleaned))
