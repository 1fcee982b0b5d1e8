"""What a quantity measures (its subject, as the article words it), and the clause around it."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from gaoxin.text.numbers import Quantity, find_quantities
from gaoxin.vocabulary import (
    CLAUSE_DELIMITERS,
    FOLLOW_STOP_WORDS,
    LABEL_CLASSIFIERS,
    LEAD_VERBS,
    RANK_VERBS,
    SUBJECT_LEAD_TRIM,
    SUBJECT_TAIL_TRIM,
    TAIL_WORDS_KEPT,
)

if TYPE_CHECKING:
    from gaoxin.facts.rules import Fact
    from gaoxin.text.structure import Article


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the clause (between delimiters) around text[start:end].

    A comma between digits (1,250亿元) groups thousands and ends no clause."""
    delimiters = _delimiters(text)
    i = bisect_left(delimiters, start)  # delimiters[:i] lie before start
    j = bisect_left(delimiters, end)  # delimiters[j:] lie at or after end
    left = delimiters[i - 1] + 1 if i else 0
    right = delimiters[j] if j < len(delimiters) else len(text)
    return left, right


@lru_cache(maxsize=1024)
def _delimiters(text: str) -> tuple[int, ...]:
    """Offsets of the clause delimiters in a sentence (read once for all its numbers)."""
    return tuple(m.start() for m in CLAUSE_END_RE.finditer(text))


QUOTE_PAIRS = (("“", "”"), ("「", "」"))
CLAUSE_END_RE = re.compile(
    rf"(?<![0-9０-９])[{CLAUSE_DELIMITERS}]|[{CLAUSE_DELIMITERS}](?![0-9０-９])"
)


def inside_quotes(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the “…” (or 「…」) quotation that contains position `pos`, if any."""
    for opening, closing in QUOTE_PAIRS:
        open_at = text.rfind(opening, 0, pos)
        if open_at == -1 or text.rfind(closing, 0, pos) > open_at:
            continue
        close_at = text.find(closing, pos)
        if close_at != -1:
            return open_at, close_at + 1
    return None


LEADING_YEARS_RE = re.compile(r"(?:[0-9]{4}年)+")


def trim(subject: str, zone_names: tuple[str, ...]) -> str:
    """Drop context words and the zone's own name from the start, predicate verbs from the end."""
    changed = True
    leads = (*zone_names, *SUBJECT_LEAD_TRIM)
    while changed and subject:
        changed = False
        # One test against all the words first: most subjects start and end with none of them.
        if subject.startswith(leads):
            for word in leads:
                if subject.startswith(word) and len(subject) > len(word):
                    subject, changed = subject[len(word) :], True
        if subject.endswith(SUBJECT_TAIL_TRIM):
            for word in SUBJECT_TAIL_TRIM:
                # «约» (about) is trimmed, the end of «签约» (signed) is not
                if subject.endswith(word) and not subject.endswith(TAIL_WORDS_KEPT):
                    subject, changed = subject[: -len(word)], True
        year = LEADING_YEARS_RE.match(subject)
        if year:
            subject, changed = subject[year.end() :], True
    return subject


def drop_enumeration(phrase: str) -> str:
    """'新引进杉杉奥莱小镇、超威集团…等项目' → '新引进项目' (the named list is not the subject)."""
    if "等" not in phrase:
        return phrase
    head, _, tail = phrase.rpartition("等")
    if "、" not in head and len(head) > 12:
        return phrase
    verb = next((v for v in LEAD_VERBS if head.startswith(v)), "")
    if not verb:
        # A verb may sit after a context phrase: keep everything before the verb.
        for v in LEAD_VERBS:
            i = head.find(v)
            if i != -1:
                return head[: i + len(v)] + tail
    return verb + tail


def subject_of(kind: str, q: Quantity, text, s_start, before, after, zone_names) -> str:
    """What the number measures, as the article words it (trimmed of context and verbs)."""
    if kind == "date":
        return ""
    if kind == "label":
        quoted = inside_quotes(text, s_start)
        if quoted:
            return text[quoted[0] : quoted[1]]
        # The name that follows, up to its clause's end or a verb that ends it («…项目建设»).
        m = re.match(r"[^,，、;；。:：“”「」(（]{1,16}", after)
        name = re.split("|".join(FOLLOW_STOP_WORDS), m.group(0))[0] if m else ""
        return q.quote + name
    # A count or a scale followed by its noun ("47个居民小区", "千亿级新能源汽车产业").
    if kind in ("count", "target") and after and after[0] not in "的,，、":
        noun = re.split("|".join(FOLLOW_STOP_WORDS) + r"|[0-9]", after)[0]
        noun = noun.split("、")[0]
        if 1 <= len(noun) <= 12:
            return trim(noun, ())
    if kind in ("rank", "tier"):
        for v in RANK_VERBS:
            if v in before:
                before = before[: before.index(v)]
                break
    # Otherwise the subject is what the clause says between the previous quantity and this one.
    previous = [
        p
        for p in find_quantities(before)
        if p.unit_raw and not p.unit_raw.endswith(LABEL_CLASSIFIERS)
    ]
    if kind == "level" and after.startswith("的"):
        # A size threshold ("10亿元以上的项目") qualifies the noun that follows it.
        return trim(re.split(r"[超达0-9,，]", after[1:])[0], ())
    if previous:
        rest = before[previous[-1].end :]
        # "10亿元以上的项目超过10个": the count is of projects *above that size*.
        before = before[previous[-1].start :] if rest.startswith("的") else rest
    return trim(drop_enumeration(before), zone_names)


def inherit_subjects(facts: list[Fact], article: Article, zone_names: tuple[str, ...]) -> None:
    """An empty subject ('…达3600余家,同比增长30%以上') continues the previous clause."""
    measures = [f for f in facts if f.kind not in ("date", "label")]
    for prev, fact in pairwise(measures):
        if fact.subject_zh or not fact.sentence_id:
            continue
        text = fact.sentence
        i = article.sentence_at(fact.start).text_index(fact.start)
        left, _ = clause_bounds(text, i, i)
        prev_left, _ = clause_bounds(text, max(left - 1, 0), max(left - 1, 0))
        prev_clause = text[prev_left : max(left - 1, 0)]
        if prev.sentence_id == fact.sentence_id and prev.quote in prev_clause:
            fact.subject_zh = prev.subject_zh
            fact.domain = prev.domain if fact.domain == "general" else fact.domain
        else:
            fact.subject_zh = trim(drop_enumeration(prev_clause), zone_names)
