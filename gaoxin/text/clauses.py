"""Clauses and enumerations of Chinese report prose, with offsets into the raw text.

`clauses` splits at sentence and clause ends (。！？；; and line ends), `phrases` also at commas
and colons. `list_items` reads an enumeration such as 新引进A、B、C等项目40个 into its items
(A, B, C), each with raw offsets. The rules are the genre's, not one article's:
- items are separated by 、, and the last two may be joined by a conjunction (和, 及, 以及, 与);
- the list ends at 等, or where a count follows the last item (…C6家子公司, …C十大中心);
- the first item starts after the last lead-in word of the phrase (a verb or preposition that
  introduces a list: 引进, 推进, 围绕, 随着, 以 …) that leaves a name of at least two characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLAUSE_ENDS = "。！？；;\n"
PHRASE_ENDS = CLAUSE_ENDS + "，,：:"
ITEM_SEPARATOR = "、"
CONJUNCTIONS = ("以及", "和", "及", "与")
LIST_END = "等"
# Words of the genre that introduce an enumeration (longest first, so 开工建设 beats 建设).
LEAD_INS = tuple(
    sorted(
        (
            "引进",
            "开工",
            "建设",
            "竣工",
            "推进",
            "围绕",
            "打造",
            "实施",
            "包括",
            "支持",
            "依托",
            "签约",
            "随着",
            "启动",
            "涵盖",
            "瞄准",
            "新建",
            "落户",
            "争取",
            "以",
            "如",
            "有",
            "的",
        ),
        key=len,
        reverse=True,
    )
)
MIN_NAME_CHARS = 2
# A count right after the last item closes the list: 6家, 20多个, 十大, 10余项.
_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千万"
_COUNT_AFTER = re.compile(rf"[{_NUMERAL}]+[多余]?[大家个项所座条批位名]")


@dataclass(frozen=True)
class Span:
    """A piece of the raw text: raw[start:end] == text."""

    start: int
    end: int
    text: str


def split(text: str, start: int = 0, ends: str = PHRASE_ENDS) -> list[Span]:
    """Pieces of `text` between any of the `ends` characters; offsets are `start` + index."""
    pattern = re.compile(f"[^{re.escape(ends)}]+")
    return [
        Span(start + m.start(), start + m.end(), m.group())
        for m in pattern.finditer(text)
        if m.group().strip()
    ]


def clauses(text: str, start: int = 0) -> list[Span]:
    """Clauses: split at 。！？；; and line ends."""
    return split(text, start, CLAUSE_ENDS)


def phrases(text: str, start: int = 0) -> list[Span]:
    """Phrases: clauses split further at commas and colons."""
    return split(text, start, PHRASE_ENDS)


def span_at(spans: list[Span], offset: int) -> Span:
    """The span that contains a raw offset."""
    for span in spans:
        if span.start <= offset < span.end:
            return span
    raise LookupError(f"no span contains offset {offset}")


def _first_item_start(head: str) -> int:
    """Index where the first item begins: after the last lead-in that leaves a name."""
    best = 0
    for word in LEAD_INS:
        for m in re.finditer(re.escape(word), head):
            if len(head) - m.end() >= MIN_NAME_CHARS and m.end() > best:
                best = m.end()
    return best


def _last_item_end(tail: str) -> int:
    """Index where the last item ends: at 等, or where a count follows it."""
    cut = tail.find(LIST_END)
    ends = [cut] if cut >= MIN_NAME_CHARS else []
    count = _COUNT_AFTER.search(tail, MIN_NAME_CHARS)
    if count:
        ends.append(count.start())
    return min(ends) if ends else len(tail)


def list_items(span: Span) -> list[Span]:
    """Items of the enumeration in a phrase (empty when the phrase holds no 、-list)."""
    text = span.text
    first = text.find(ITEM_SEPARATOR)
    if first < 0:
        return []
    # The list ends at the first 等 after its first separator; a later list is another one.
    end = text.find(LIST_END, first)
    text = text if end < 0 else text[:end]
    pieces = text.split(ITEM_SEPARATOR)
    bounds, pos = [], 0
    for piece in pieces:
        bounds.append([pos, pos + len(piece)])
        pos += len(piece) + len(ITEM_SEPARATOR)
    bounds[0][0] += _first_item_start(pieces[0])
    last = pieces[-1]
    bounds[-1][1] = bounds[-1][0] + _last_item_end(last)
    # A conjunction inside the last item joins the last two names (…B和C).
    last_text = text[bounds[-1][0] : bounds[-1][1]]
    for word in CONJUNCTIONS:
        i = last_text.find(word)
        if i >= MIN_NAME_CHARS and len(last_text) - i - len(word) >= MIN_NAME_CHARS:
            a = bounds[-1][0]
            bounds[-1:] = [[a, a + i], [a + i + len(word), bounds[-1][1]]]
            break
    for word in CONJUNCTIONS:  # a conjunction left dangling at the very end belongs to no name
        if text[: bounds[-1][1]].endswith(word):
            bounds[-1][1] -= len(word)
            break
    return [Span(span.start + a, span.start + b, text[a:b]) for a, b in bounds]
