"""Read the raw article and recover its structure, every piece with offsets into the raw text.

The text is as a news page exported it: blocks separated by blank lines, image captions stranded
between runs of blank lines, and some paragraphs cut in two by the page layout. Nothing here edits
the raw text; joined paragraphs keep the list of raw spans they were made from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from gaoxin.config import ARTICLE_PATH
from gaoxin.text.grid import is_table_row
from gaoxin.text.reader import read_raw

SENTENCE_END = "。！？!?"
CLOSING_MARKS = "”’」』）)"
# A block that ends in one of these finishes its paragraph; anything else runs on.
PARAGRAPH_END = SENTENCE_END + CLOSING_MARKS + "…"
HEADING_MAX_CHARS = 30
CAPTION_MAX_CHARS = 40
# Image placeholders leave at least this many blank lines before a caption.
CAPTION_MIN_BLANK_LINES = 2
# A line opening with a bullet is a list item, never a heading.
BULLETS = "—●•·▪■◆★-"
# 'label：value' with a number after the colon (指标：地区生产总值 增速：7.5%) is a line of figures.
LABELLED_FIGURE_RE = re.compile(r"[:：].*[0-9０-９]")
BYLINE_RE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[ \u3000]+[\u4e00-\u9fff]{2,4})+")
# A line and its end (LF, CRLF or a lone CR; none at the end of the text).
LINE_RE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
# What surrounds text on a line without being text: whitespace, a BOM, zero-width spaces.
BLANKS = " \t\f\v\u3000\u00a0\ufeff\u200b\u2028\u2029"
LAYOUT_BREAK_RE = re.compile(rf"[{BLANKS}]*(?:\r\n|\r|\n)[{BLANKS}\r\n]*")
SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{CLOSING_MARKS}]*|$)")


def without_breaks(text: str) -> str:
    """Text with layout breaks (line ends and the blanks around them) removed."""
    return LAYOUT_BREAK_RE.sub("", text)


@dataclass(frozen=True)
class Block:
    """One non-empty line of the raw text."""

    start: int
    end: int
    text: str
    blank_before: int


@dataclass
class Paragraph:
    paragraph_id: str
    role: str  # title | byline | heading | body | caption
    spans: list[tuple[int, int]]
    text: str
    section_id: str = ""

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def offsets(self) -> list[int]:
        """Raw offset of each character of `text` (the spans laid end to end)."""
        return [a + i for a, b in self.spans for i in range(b - a)]


@dataclass
class Sentence:
    """A sentence of a body paragraph; `text` has the layout breaks removed.

    `offsets[i]` is the raw offset of `text[i]`: the one home of the arithmetic that maps between
    the clean sentence text and the raw article."""

    sentence_id: str
    paragraph_id: str
    section_id: str
    start: int
    end: int
    text: str
    offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def raw_offset(self, i: int) -> int:
        """Raw offset of character i of the sentence text."""
        return self.offsets[i]

    def text_index(self, raw_offset: int) -> int:
        """Index in the sentence text of the character at (or first after) a raw offset."""
        return bisect_left(self.offsets, raw_offset)

    def raw_span(self, i: int, j: int) -> tuple[int, int]:
        """Raw (start, end) of the sentence text's slice [i:j]."""
        return self.offsets[i], self.offsets[j - 1] + 1

    @classmethod
    def from_row(cls, row, raw: str) -> Sentence:
        """Rebuild a sentence from a row of the sentences table (ids, start, end, text).

        Raises ValueError when the row's text is not the raw text between its offsets with only
        layout breaks (line ends and the blanks around them) left out."""
        start, end, text = int(row["start"]), int(row["end"]), str(row["text"])
        offsets, pos = [], start
        for ch in text:
            while pos < end and raw[pos] != ch and raw[pos].isspace():
                pos += 1
            if pos >= end or raw[pos] != ch:
                raise ValueError(f"sentence text does not match the raw text at offset {pos}")
            offsets.append(pos)
            pos += 1
        if not offsets or offsets[0] != start or offsets[-1] + 1 != end:
            raise ValueError(f"sentence text does not span its offsets {start}-{end}")
        ids = (str(row["sentence_id"]), str(row["paragraph_id"]), str(row["section_id"]))
        return cls(*ids, start, end, text, tuple(offsets))


@dataclass
class Section:
    section_id: str
    title: str
    start: int
    end: int
    heading_paragraph_id: str = ""


@dataclass
class Article:
    raw: str
    title: Paragraph
    byline: Paragraph | None
    sections: list[Section]
    paragraphs: list[Paragraph]
    sentences: list[Sentence] = field(default_factory=list)

    def body_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.role == "body"]

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence covering a raw offset (a binary search: sentences are in text order)."""
        key = (id(self.sentences), len(self.sentences))
        if getattr(self, "_sentence_key", None) != key:
            self._sentence_starts = [s.start for s in self.sentences]
            self._sentence_key = key
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        raise KeyError(f"no sentence covers offset {offset}")

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph one of whose raw spans covers an offset (a binary search)."""
        key = (id(self.paragraphs), len(self.paragraphs))
        if getattr(self, "_span_key", None) != key:
            spans = sorted((a, b, i) for i, p in enumerate(self.paragraphs) for a, b in p.spans)
            self._spans = spans
            self._span_starts = [a for a, _, _ in spans]
            self._span_key = key
        i = bisect_right(self._span_starts, offset) - 1
        if i >= 0:
            a, b, k = self._spans[i]
            if a <= offset < b:
                return self.paragraphs[k]
        raise KeyError(f"no paragraph covers offset {offset}")


def blocks(raw: str) -> list[Block]:
    """Non-empty lines with their offsets and the number of blank lines before each.

    Lines end at LF, CRLF or a lone CR; a byte-order mark and zero-width spaces count as blanks.
    Nothing is removed from the raw text: offsets still index it."""
    out, blank = [], 0
    for m in LINE_RE.finditer(raw):
        line = m.group(1)
        stripped = line.strip(BLANKS)
        if stripped:
            start = m.start() + len(line) - len(line.lstrip(BLANKS))
            out.append(Block(start, start + len(stripped), stripped, blank))
            blank = 0
        else:
            blank += 1
        if not m.group(2):
            break
    return out


def _is_heading(block: Block) -> bool:
    text = block.text
    if (text[0] in BULLETS and text[:2] != "——") or LABELLED_FIGURE_RE.search(text):
        return False
    if is_table_row(text):
        return False
    return (
        len(text) <= HEADING_MAX_CHARS
        and text[-1] not in PARAGRAPH_END
        and not any(p in text for p in ",，;；。")
    )


def _is_caption(block: Block) -> bool:
    return (
        block.blank_before >= CAPTION_MIN_BLANK_LINES
        and len(block.text) <= CAPTION_MAX_CHARS
        and block.text[-1] not in PARAGRAPH_END
    )


def classify(raw_blocks: list[Block]) -> list[tuple[str, Block]]:
    """Give each block a role: title, byline, heading, caption or body."""
    roles = []
    for i, b in enumerate(raw_blocks):
        if i == 0:
            role = "title"
        elif i == 1 and BYLINE_RE.fullmatch(b.text):
            role = "byline"
        elif _is_caption(b):
            role = "caption"
        elif _is_heading(b):
            role = "heading"
        else:
            role = "body"
        roles.append((role, b))
    return roles


def parse(raw: str) -> Article:
    """Structure of the article: paragraphs (layout breaks joined), sections and sentences."""
    paragraphs: list[Paragraph] = []
    pending: Paragraph | None = None  # a body paragraph the layout cut before its end
    for role, b in classify(blocks(raw)):
        if pending is not None and b.blank_before == 0 and role in ("heading", "caption"):
            role = "body"  # a line break inside a sentence (even inside a number), not a block
        row = is_table_row(b.text)  # a table row stands alone: never joined, never cut
        if role == "body" and pending is not None and not row:
            pending.spans.append((b.start, b.end))
            pending.text += b.text
        else:
            paragraphs.append(
                Paragraph(f"p{len(paragraphs) + 1:02d}", role, [(b.start, b.end)], b.text)
            )
        last = paragraphs[-1]
        # Captions sit between the two halves of a cut paragraph, so they do not end it.
        if role == "body":
            pending = last if last.text[-1] not in PARAGRAPH_END and not row else None
        elif role != "caption":
            pending = None

    title = paragraphs[0]
    byline = next((p for p in paragraphs if p.role == "byline"), None)
    sections = [Section("s0", "导语 Lead", paragraphs[0].start, len(raw))]
    for p in paragraphs:
        if p.role == "heading":
            sections[-1].end = p.start
            sections.append(Section(f"s{len(sections)}", p.text, p.start, len(raw), p.paragraph_id))
        p.section_id = sections[-1].section_id

    article = Article(raw, title, byline, sections, paragraphs)
    article.sentences = list(_sentences(article))
    return article


def _sentences(article: Article):
    n = 0
    for p in article.paragraphs:
        if p.role != "body":
            continue
        offsets = p.offsets  # positions in the joined text → raw offsets
        for m in SENTENCE_RE.finditer(p.text):
            if not m.group(0).strip():
                continue
            n += 1
            own = tuple(offsets[m.start() : m.end()])
            yield Sentence(
                f"t{n:03d}", p.paragraph_id, p.section_id, own[0], own[-1] + 1, m.group(0), own
            )


def load_article(path=ARTICLE_PATH) -> Article:
    return parse(read_raw(path))
