"""Named entities: enterprises, parks, centres, places and programmes, with every mention.

A name is an item of a 、-list whose suffix (or the list's head noun) says what it names, or a short
quoted programme name; every later occurrence of a found name counts as a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaoxin.text.numbers import CN_NUMERAL_CHARS
from gaoxin.text.structure import Article, Sentence
from gaoxin.vocabulary import (
    CLAUSE_DELIMITERS,
    ENTITY_SUFFIXES,
    LEAD_VERBS,
    LIST_HEAD_NOUNS,
    NAME_LEAD_VERBS,
    NOT_IN_NAMES,
    VAGUE_PREFIXES,
    YEAR_RE,
)

HEAD_NOUN_END = r"在|的|对|为|与|都|达|[0-9]|进行|实现|积极|继续|完成|纷纷|落户|建设|发展|提供"
# What can stand before the first name of a list in its clause ("积极引进中南大学、…").
FIRST_ITEM_OPENERS = "|".join(LEAD_VERBS) + r"|随着|依托|与|对|在|的|建设"
LIST_END_RE = re.compile(rf"等|[{CN_NUMERAL_CHARS}0-9]+大")
QUOTED_NAME_RE = re.compile(r"[“「]([^”」]{2,20})[”」]")


@dataclass
class Mention:
    entity_type: str
    name: str
    start: int
    end: int


def find_mentions(article: Article) -> list[Mention]:
    """Proper names found as items of 、-lists or as quoted programme names."""
    seen: set[tuple[int, int]] = set()
    found: list[Mention] = []

    def add(kind: str, name: str, sentence: Sentence, at: int) -> None:
        start, end = sentence.raw_span(at, at + len(name))
        if (start, end) in seen or article.raw[start:end] != name:
            return
        seen.add((start, end))
        found.append(Mention(kind, name, start, end))

    for s in article.sentences:
        text = s.text
        for m in QUOTED_NAME_RE.finditer(text):
            add("programme", m.group(1), s, m.start(1))
        for clause in re.finditer(rf"[^{CLAUSE_DELIMITERS}]+", text):
            for items, head in lists_in(clause.group(0)):
                # The noun after the list ("…等十大科技园") says what all its items are.
                list_type = _head_type(head) if head else None
                for k, (offset, item) in enumerate(items):
                    name = item
                    if k == 0:
                        name = re.split(FIRST_ITEM_OPENERS, name)[-1]
                    if k == len(items) - 1 and head is None:
                        name = re.split(r"以及|和|合作|共同|落户", name)[0]
                    for verb in NAME_LEAD_VERBS:
                        if name.startswith(verb) and len(name) > len(verb) + 1:
                            name = name[len(verb) :]
                    at = clause.start() + offset + (item.find(name) if name else 0)
                    kind = list_type or entity_type(name)
                    if kind and _looks_like_a_name(name):
                        add(kind, name, s, at)
    return found


def _head_type(tail: str) -> str | None:
    """Entity type of the noun that heads a list ('十大科技园建设' → park), if any."""
    tail = re.sub(rf"^[{CN_NUMERAL_CHARS}0-9]+[大个家]?", "", tail)
    # The head noun ends where the clause goes on with a verb, a preposition or a number.
    head = re.split(HEAD_NOUN_END, tail)[0]
    return entity_type(head) or next(
        (kind for noun, kind in LIST_HEAD_NOUNS.items() if head.endswith(noun)), None
    )


def entity_type(name: str) -> str | None:
    """What a name's suffix says it names (organisation, park, centre, place), if anything."""
    name = name.strip("“”「」")
    for kind, suffixes in ENTITY_SUFFIXES.items():
        if name.endswith(suffixes):
            return kind
    return None


def lists_in(clause: str) -> list[tuple[list[tuple[int, str]], str | None]]:
    """The 、-lists of a clause: [(offset, item)] and the head noun after 等 (None if open).

    One clause can hold two lists ("A、B等企业参加C、D等比赛"): 等 closes a list, and what follows
    its head noun opens the next one."""
    lists: list[tuple[list[tuple[int, str]], str | None]] = []
    current: list[tuple[int, str]] = []
    pos = 0
    for item in clause.split("、"):
        end = LIST_END_RE.search(item)
        if end and current:
            # "…高新·文创谷以及电商中心等": the last item may join two names.
            last = item[: end.start()]
            for part in re.split(r"(以及|和)", last):
                if part and part not in ("以及", "和"):
                    current.append((pos + last.find(part), part))
            lists.append((current, item[end.end() :]))
            current = [(pos + end.end(), item[end.end() :])]
        else:
            current.append((pos, item))
        pos += len(item) + 1
    if len(current) > 1:
        lists.append((current, None))
    return [(items, head) for items, head in lists if len(items) >= 2]


def _looks_like_a_name(name: str) -> bool:
    return (
        2 <= len(name) <= 16
        and not any(w in name for w in NOT_IN_NAMES)
        and not name.startswith(VAGUE_PREFIXES)
        and not YEAR_RE.search(name)
    )


def entity_rows(article: Article, mentions: list[Mention]) -> tuple[list[dict], list[dict]]:
    """Rows of the entities and entity_mentions tables: one entity per name, every occurrence."""
    entities: dict[str, dict] = {}
    rows = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.name not in entities:  # one entity per name; its first mention decides the type
            entities[m.name] = {
                "entity_id": f"E{m.start:05d}",
                "name": m.name,
                "entity_type": m.entity_type,
                "mentions": 0,
            }
    # Count every occurrence of each name, not only those the list rules saw.
    # Longest names first, so 创业中心 inside 创新创业中心 is not counted twice.
    taken: set[int] = set()
    for name, ent in sorted(entities.items(), key=lambda kv: -len(kv[0])):
        for hit in re.finditer(re.escape(name), article.raw):
            span = range(hit.start(), hit.end())
            if any(i in taken for i in span):
                continue
            taken.update(span)
            sentence_id = _sentence_id_at(article, hit.start())
            # Headings and captions hold no sentence and are left out of every count; their
            # mentions stay listed in entity_mentions, with no sentence
            ent["mentions"] += bool(sentence_id)
            rows.append(
                {
                    "mention_id": f"M{hit.start():05d}",
                    "entity_id": ent["entity_id"],
                    "start": hit.start(),
                    "end": hit.end(),
                    "sentence_id": sentence_id,
                }
            )
    rows.sort(key=lambda r: r["start"])
    return sorted(entities.values(), key=lambda e: e["entity_id"]), rows


def _sentence_id_at(article: Article, offset: int) -> str:
    try:
        return article.sentence_at(offset).sentence_id
    except KeyError:
        return ""
