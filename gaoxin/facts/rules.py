"""The fact rules of the genre: which numeral runs are quantities, and each one's kind, period,
year, unit and domain (its subject comes from gaoxin.facts.subjects).

Every numeral run in the text is found by `gaoxin.text.numbers`, then either becomes a fact or an
exclusion with a reason. The rules are about the genre (Chinese annual work reports of development
zones), not about one article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from itertools import pairwise

from gaoxin.facts.entities import Mention
from gaoxin.facts.subjects import clause_bounds, inherit_subjects, inside_quotes, subject_of
from gaoxin.text.grid import NumericCell, numeric_cells, unit_spans
from gaoxin.text.numbers import (
    TIER,
    NumberParseError,
    Quantity,
    decimal_to_str,
    find_quantities,
    parse_quantity,
    to_halfwidth,
)
from gaoxin.text.structure import Article, Sentence, without_breaks
from gaoxin.text.timex import TimeExpression, dateline, find_time_expressions
from gaoxin.vocabulary import (
    CLAUSE_VERBS,
    DOMAIN_KEYWORDS,
    GROWTH_WORDS,
    LABEL_CLASSIFIERS,
    MULTI_YEAR_WORDS,
    NON_QUANTITY_WORDS,
    NOT_A_QUANTITY,
    PLAN_WORDS,
    PROPER_NAME,
    RANK_MOVES,
    REASON_CODE,
    REASON_HEADER_UNIT,
    REASON_LIST_MARKER,
    REASON_MARKUP,
    REASON_TIME,
    TARGET_WORDS,
    YEAR_RE,
    ZONE_NAME_RE,
    ZONE_SELF_REFERENCES,
)


@dataclass
class Fact:
    fact_id: str
    section_id: str
    paragraph_id: str
    sentence_id: str
    start: int
    end: int
    quote: str
    number_text: str
    value: str
    value_high: str
    multiplier: str
    unit_raw: str
    qualifier: str
    qualifier_raw: str
    value_normalized: str
    value_high_normalized: str
    unit_normalized: str
    period: str
    year: str
    kind: str
    domain: str
    subject_zh: str
    metric_en: str
    cumulative: bool
    sentence: str
    # Not columns of data/processed/facts.csv (the seed's tables keep their schema): the interval
    # the period names (YYYY-MM, '' = open), the time expression that decided it and where it
    # sits (clause, sentence, paragraph, heading, section, or a document default), and where
    # the unit came from (text, table header).
    period_start: str = ""
    period_end: str = ""
    period_source: str = ""
    unit_source: str = "text"


@dataclass
class Governor:
    """The time expression that decides a quantity's period, and where it was found."""

    expression: TimeExpression | None
    scope: str  # clause | sentence | paragraph | heading | section | default
    relative: int | str | None = None  # years after the report year, or SPAN
    fixed: tuple[str, int | None] | None = None  # (period, year) decided by a part of a year
    interval: tuple[str, str] = ("", "")


@dataclass
class Exclusion:
    exclusion_id: str
    sentence_id: str
    start: int
    end: int
    text: str
    reason: str


MAX_YEAR = 2100
CALENDAR_MONTHS = range(1, 13)
# A year as written (2019年) or a word naming a year relative to the plan year (去年, 今年 …).
CONFERENCE_YEAR_RE = re.compile(r"(?<![0-9])(20[0-9]{2})年(?:度)?(?:[^,，。;；]{0,6})?工作[会會]")
MARKUP_RE = re.compile(
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|</?[a-zA-Z][^<>]*>", re.S | re.I
)
SPAN = "span"
# Each domain's keywords as one pattern (one search per domain instead of one per word).
DOMAIN_PATTERNS = tuple(
    (domain, re.compile("|".join(map(re.escape, words)))) for domain, words in DOMAIN_KEYWORDS
)
NON_QUANTITY_BY_LENGTH = sorted(NON_QUANTITY_WORDS.items(), key=lambda kv: -len(kv[0]))
MULTI_YEAR_RE = re.compile("|".join(map(re.escape, MULTI_YEAR_WORDS)))
CLAUSE_MARK_RE = re.compile("[,，;；:：]")
NON_QUANTITY_ANY = re.compile("|".join(re.escape(w) for w, _ in NON_QUANTITY_BY_LENGTH))
# A list marker: a Chinese numeral opening an item (一是…, 二、…, （三）…).
LIST_MARKER_NUMERAL = re.compile("[一二三四五六七八九十]+")
ITEM_OPENERS = "\n\r \u3000\t，,；;。：:！？!?●·•—-"
# Parts of a year that make a whole report a partial-year one (mid-year analysis).
PARTIAL_YEAR_FORMS = ("part", "point")


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted by start, those that overlap (a cell and the unit inside it) made one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _inside(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of `spans` (sorted by start, `starts` their starts;
    the spans do not overlap one another), by a binary search rather than a scan."""
    i = bisect_right(starts, start) - 1
    return i >= 0 and end <= spans[i][1]


class FactRules:
    """Apply the rules to one parsed article; `run()` gives its facts and exclusions."""

    def __init__(self, article: Article, mentions: list[Mention]):
        self.article = article
        self.raw = article.raw
        # Years are matched on half-width text (same offsets), so ２０２０年 counts too.
        self.half = to_halfwidth(self.raw)
        self.years = sorted({int(y) for y in YEAR_RE.findall(self.half) if int(y) <= MAX_YEAR})
        # An annual work report looks back on one year and sets targets for the next.
        self.target_year = self._target_year()
        self.result_year = self.target_year - 1 if self.target_year else None
        # The headline and byline decide no period: time words are read from the body only.
        self.body_start = next(
            (p.start for p in article.paragraphs if p.role not in ("title", "byline")), 0
        )
        self.zone_names = self._zone_names()
        self.mentions = mentions
        self.ref_month, self.default = self._reference()
        self.section_starts = [s.start for s in article.sections]
        self.mention_starts = sorted((m.start, i) for i, m in enumerate(mentions))
        self.longest_mention = max((m.end - m.start for m in mentions), default=0)
        # Markup pasted into a text (tags, scripts) is not the article's words.
        self.markup = [m.span() for m in MARKUP_RE.finditer(self.raw)]
        self.markup_starts = [a for a, _ in self.markup]

    # Layers read over the whole text, once, when the rules first need them (a caller that only
    # asks for the report's years does not pay for them).

    @cached_property
    def cells(self) -> dict[int, NumericCell]:
        """Numbers in a table written as text, with the unit and period their headers give."""
        return numeric_cells(self.raw)

    @cached_property
    def cell_at(self) -> dict[int, NumericCell]:
        return {c.sign_start: c for c in self.cells.values()}

    @cached_property
    def header_units(self) -> list[tuple[int, int]]:
        return _merged(unit_spans(self.raw))

    @cached_property
    def header_unit_starts(self) -> list[int]:
        return [a for a, _ in self.header_units]

    @cached_property
    def timexes(self) -> list[TimeExpression]:
        return find_time_expressions(self.raw, self.target_year)

    @cached_property
    def timex_starts(self) -> list[int]:
        return [e.start for e in self.timexes]

    def _target_year(self) -> int | None:
        """The plan year: the year of the work conference the body reports (2019年工作会), else
        the year the goal sentences name (目标, 预期, 力争), else the latest year named."""
        body = self.half[self.article.title.end :]
        conference = CONFERENCE_YEAR_RE.search(body)
        if conference:
            return int(conference.group(1))
        # A full dateline (——2023年2月10日在…会议上, a table's 2024年1月18日) is the report's date.
        for para in self.article.paragraphs[1:4]:
            date = dateline(para.text)
            if date and date[0]:
                return date[0]
        for s in self.article.sentences:
            if any(w in s.text for w in TARGET_WORDS):
                ys = [int(y) for y in YEAR_RE.findall(to_halfwidth(s.text)) if int(y) <= MAX_YEAR]
                if ys:
                    return max(ys)
        return max(self.years) if self.years else None

    def _zone_names(self) -> tuple[str, ...]:
        """Names the article uses for its own zone: the '…高新区' of the title, longest first."""
        names = set()
        for m in ZONE_NAME_RE.finditer(self.article.title.text):
            for k in (2, 3, 4):
                names.add(self.article.title.text[max(0, m.start() - k) : m.end()])
        return tuple(sorted(names | set(ZONE_SELF_REFERENCES), key=len, reverse=True))

    # Entities -----------------------------------------------------------------------------

    def candidates(self):
        """(start, end, quantity) for every numeral run outside the byline; a bare number in a
        table takes the unit its header gives, and its minus sign."""
        for start, end, q in self._numeral_runs():
            cell = self.cells.get(start)
            if cell is not None and not q.unit_raw and not q.qualifier_raw:
                q = self._in_cell(q, cell)
                start = cell.sign_start
            yield start, end, q

    def _in_cell(self, q: Quantity, cell: NumericCell) -> Quantity:
        try:
            headed = parse_quantity(q.number_text + cell.unit) if cell.unit else q
        except NumberParseError:
            headed = q
        sign = -1 if cell.negative else 1
        return replace(
            headed,
            start=q.start - (cell.start - cell.sign_start),
            end=q.end,
            quote=self.raw[cell.sign_start : cell.start] + q.quote,
            value=headed.value * sign,
        )

    def _numeral_runs(self):
        """(start, end, quantity) with raw offsets for every numeral run outside the byline.

        Quantities are read from each paragraph's joined text, so a number the layout broke over
        two lines is read whole; a paragraph cut around a caption is read piece by piece."""
        for para in self.article.paragraphs:
            if para.role not in ("title", "body", "heading", "caption"):
                continue
            offsets = para.offsets
            found = []
            for q in find_quantities(para.text):
                start, end = offsets[q.start], offsets[q.end - 1] + 1
                if without_breaks(self.raw[start:end]) != q.quote:
                    break  # something other than a line break sits inside: read by pieces
                found.append((start, end, q))
            else:
                yield from found
                continue
            for a, b in para.spans:
                for q in find_quantities(self.raw[a:b]):
                    yield a + q.start, a + q.end, q

    def run(self, progress: Callable[[int, int], None] | None = None):
        """Facts and exclusions; `progress(offset, length)` is told how far the reading is."""
        facts, exclusions = [], []
        excluded_at: set[int] = set()  # exclusion starts, so a repeat is dropped in O(1)
        for start, end, q in self.candidates():
            if progress is not None:
                progress(start, len(self.raw))
            sentence = self._sentence_for(start)
            excluded = self._exclusion_reason(start, end, q)
            if excluded:
                (x_start, x_end), reason = excluded
                if x_start in excluded_at:
                    continue
                excluded_at.add(x_start)
                exclusions.append(
                    Exclusion(
                        f"X{x_start:05d}",
                        sentence.sentence_id if sentence else "",
                        x_start,
                        x_end,
                        self.raw[x_start:x_end],
                        reason,
                    )
                )
                continue
            facts.append(self._fact(start, end, q, sentence))
        inherit_subjects(facts, self.article, self.zone_names)
        self._carry_cumulative(facts)
        return facts, exclusions

    def _sentence_for(self, offset: int) -> Sentence | None:
        try:
            return self.article.sentence_at(offset)
        except KeyError:
            return None

    def _exclusion_reason(self, start, end, q: Quantity) -> tuple[tuple[int, int], str] | None:
        if _inside(self.markup, self.markup_starts, start, start + 1):
            return (start, end), REASON_MARKUP
        left, right = self.raw[max(0, start - 1) : start], self.raw[end : end + 1]
        if not q.unit_raw and not q.qualifier_raw and LIST_MARKER_NUMERAL.fullmatch(q.quote):
            item_start = not left or left in ITEM_OPENERS
            if (item_start and right in ("是", "、")) or (left in "（(" and right in "）)"):
                return (start, end), REASON_LIST_MARKER
        if _inside(self.header_units, self.header_unit_starts, start, end):
            return (start, end), REASON_HEADER_UNIT
        if not q.unit_raw and self.raw[end : end + 2] == "季度":
            return (start, end), REASON_TIME
        if (left.isascii() and left.isalpha()) or (right.isascii() and right.isalpha()):
            return (
                start,
                end,
            ), REASON_CODE
        snippet = self.raw[max(0, start - 8) : end + 8]
        words = NON_QUANTITY_ANY.findall(snippet)  # one search first: most snippets hold none
        for word, reason in NON_QUANTITY_BY_LENGTH if words else ():
            if word not in snippet:
                continue
            for m in re.finditer(re.escape(word), snippet):
                w_start = max(0, start - 8) + m.start()
                w_end = w_start + len(word)
                numeral_start = (
                    start + len(q.qualifier_raw) if q.quote.startswith(q.qualifier_raw) else start
                )
                ordinal = self.raw[w_start - 1 : w_start] == "第"
                if w_start <= numeral_start < w_end and not ordinal:
                    return (w_start, w_end), f"{NOT_A_QUANTITY}{word} — {reason}"
        for mention in self._mentions_covering(start):
            if mention.entity_type == "programme":
                continue  # numerals in programme names are labels (facts), not exclusions
            if mention.start <= start and end <= mention.end and not q.unit_raw:
                return (start, end), f"{PROPER_NAME}{mention.name}"
            if mention.start <= start < mention.end and q.unit_raw in ("", "大"):
                return (start, end), f"{PROPER_NAME}{mention.name}"
        return None

    def _mentions_covering(self, offset: int) -> list[Mention]:
        """The mentions that cover an offset, in their original order (a binary search)."""
        lo = bisect_left(self.mention_starts, (offset - self.longest_mention, -1))
        hi = bisect_right(self.mention_starts, (offset, len(self.mentions)))
        hits = sorted(i for _, i in self.mention_starts[lo:hi])
        return [self.mentions[i] for i in hits if self.mentions[i].end > offset]

    def _reference(self) -> tuple[int, Governor]:
        """The month the report was written (its dateline, else the month after the part of the
        year the title or lead names, else January) and the document's default period: a
        partial-year report (上半年经济运行分析会) speaks of that part of the current year; an
        annual report of the year before its plan year."""
        lead = [p for p in self.article.paragraphs[:4] if p.role != "byline"]
        part = None
        for para in lead:
            found = [
                e
                for e in find_time_expressions(para.text, self.target_year)
                if e.form in PARTIAL_YEAR_FORMS and e.months[1] < 12
            ]
            if found:
                part = found[0]
                break
        month = None
        for para in lead[1:]:
            date = dateline(para.text)
            if date:
                month = date[1]
                break
        if part is not None:
            year = part.year or self.target_year
            interval = (f"{year}-{part.months[0]:02d}", f"{year}-{part.months[1]:02d}")
            scope = f"default: partial-year report ({part.text})"
            default = Governor(None, scope, fixed=("result", year), interval=interval)
            return month or min(part.months[1] + 1, 12), default
        year = self.result_year
        interval = (f"{year}-01", f"{year}-12") if year else ("", "")
        return month or 1, Governor(
            None, "default: annual report (the year before the plan year)", interval=interval
        )

    def _governor(self, start: int, sentence: Sentence | None) -> Governor:
        """The time expression that governs a number: the nearest one before it in its clause,
        sentence and paragraph (list item), then earlier in its section and the section's
        heading; none, and the document default decides.

        A comparison base (去年同期) never governs. A span (十四五, 三年内, 2023—2025年) holds
        only inside its own sentence. A number in the headline reads only the headline's own
        words; the headline decides nothing for the body."""
        cell = self.cell_at.get(start)
        if cell is not None and cell.period_header and self.target_year:
            head = [
                e
                for e in find_time_expressions(cell.period_header, self.target_year)
                if e.form in ("year", "part", "word")
            ]
            if head:
                e, begin = head[0], cell.period_header_start
                if e.form == "part":
                    g = self._part(e, [], begin, start, sentence)
                else:
                    g = self._found(e, begin, start, sentence, relative=e.year - self.target_year)
                g.scope = "table header"
                return g
        section = self.article.sections[bisect_right(self.section_starts, start) - 1]
        para = self.article.paragraph_at(start)
        begin = para.start if start < self.body_start else max(section.start, self.body_start)
        own_sentence = sentence.start if sentence else start
        # The expressions of the window [begin, start), nearest first: found once for the whole
        # text and walked back from the number (never copied), so a long section without
        # headings costs no more per number than a short one.
        lo = bisect_left(self.timex_starts, begin)
        hi = bisect_left(self.timex_starts, start)
        timexes = self.timexes
        found = (i for i in range(hi - 1, lo - 1, -1) if timexes[i].end <= start)
        begin = 0  # the expressions carry raw offsets
        for i in found:
            e = timexes[i]
            if e.form == "base":
                continue
            if e.form in ("span", "plan", "range"):
                if e.start >= own_sentence:
                    return self._found(e, begin, start, sentence, relative=SPAN)
                continue
            if e.form == "word":
                return self._found(e, begin, start, sentence, relative=e.relative)
            if e.form in PARTIAL_YEAR_FORMS:
                return self._part(e, (timexes[j] for j in found), begin, start, sentence)
            year = e.year
            if not self.target_year:
                continue
            if year in (self.result_year, self.target_year) or year > self.target_year:
                return self._found(e, begin, start, sentence, relative=year - self.target_year)
            if e.start >= own_sentence:
                # 较2016年翻了一番: a change over several years
                g = self._found(e, begin, start, sentence, relative=SPAN)
                g.interval = (f"{year}-01", f"{self.result_year}-12")
                return g
        return self.default

    def _part(self, e, earlier, begin, start, sentence) -> Governor:
        """`earlier`: the expressions before `e` in its window, nearest first.

        A part of a year (上半年, 1—6月, 全年, 截至6月底): its year is its own, else that of the
        nearest year before it, else the document's; it is a result when it ends before the
        report was written, a target when it does not."""
        year = None
        if e.form == "part" and e.year is not None and self._explicit_year(e):
            year = e.year
        for prior in earlier:  # nearest first
            if year is not None:
                break
            if prior.form in ("year", "word") or (
                prior.form == "part" and self._explicit_year(prior)
            ):
                year = prior.year
        if year is None:
            year = self.target_year if self.default.fixed else self.result_year
        g = self._found(e, begin, start, sentence)
        if year is None or self.target_year is None:
            return g
        g.interval = (f"{year}-{e.months[0]:02d}", f"{year}-{e.months[1]:02d}")
        if year > self.target_year:
            g.relative = year - self.target_year
        elif year < self.target_year or e.months[1] < self.ref_month:
            g.fixed = ("result", year)
        else:
            g.fixed = ("target", year)
        return g

    @staticmethod
    def _explicit_year(e: TimeExpression) -> bool:
        return bool(YEAR_RE.match(to_halfwidth(e.text)))

    def _found(self, e, begin, start, sentence, relative=None) -> Governor:
        at = begin + e.start
        para = self.article.paragraph_at(start)
        if sentence and at >= sentence.start:
            i = sentence.text_index(at)
            j = sentence.text_index(start)
            scope = "sentence" if CLAUSE_MARK_RE.search(sentence.text, i, j) else "clause"
        elif para.start <= at:
            scope = "paragraph"
        elif self.article.paragraph_at(at).role == "heading":
            scope = "heading"
        else:
            scope = "section"
        g = Governor(e, scope, relative=relative)
        if relative is not None and relative != SPAN and self.target_year and e.form != "horizon":
            y = self.target_year + relative
            g.interval = (f"{y}-01", f"{y}-12")
        else:
            g.interval = e.interval(self.target_year)
        return g

    def _fact(self, start, end, q: Quantity, sentence: Sentence | None) -> Fact:
        text = sentence.text if sentence else self.raw[start:end]
        s_start = sentence.text_index(start) if sentence else 0
        s_end = s_start + len(q.quote.replace("\n", ""))
        c_left, c_right = clause_bounds(text, s_start, s_end)
        before = text[c_left:s_start]
        after = text[s_end:c_right]
        kind = self._kind(q, text, s_start, before, after, self.raw[max(0, start - 4) : start])
        period, year = self._period(kind, q, start, sentence, before, after)
        gov = self.governor
        subject = subject_of(kind, q, text, s_start, before, after, self.zone_names)
        para = self.article.paragraph_at(start)
        return Fact(
            fact_id=f"F{start:05d}",
            section_id=sentence.section_id if sentence else para.section_id,
            paragraph_id=para.paragraph_id,
            sentence_id=sentence.sentence_id if sentence else "",
            start=start,
            end=end,
            quote=self.raw[start:end],
            number_text=q.number_text,
            value=format(q.value, "f"),
            value_high=format(q.value_high, "f") if q.value_high is not None else "",
            multiplier=decimal_to_str(q.multiplier),
            unit_raw=q.unit_raw,
            # 第 only marks an ordinal; 前 ("top N") stays: it makes a rank a bound.
            qualifier=(
                "+".join(c for c in q.qualifier.split("+") if c and c != "ordinal")
                if "ordinal" in q.qualifier
                else q.qualifier
            ),
            qualifier_raw=q.qualifier_raw,
            value_normalized=decimal_to_str(q.value_normalized),
            value_high_normalized=decimal_to_str(q.value_high_normalized),
            unit_normalized=self._unit_normalized(kind, q),
            period=period,
            year=str(year) if year else "",
            kind=kind,
            domain=self._domain(subject, kind) if subject else "general",
            subject_zh=subject,
            metric_en="",
            cumulative="累计" in before,
            sentence=text,
            period_start=gov.interval[0] if period != "none" else "",
            period_end=gov.interval[1] if period != "none" else "",
            period_source=(f"{gov.expression.text} ({gov.scope})" if gov.expression else gov.scope),
            unit_source=self._unit_source(start, q, kind),
        )

    def _unit_source(self, start: int, q: Quantity, kind: str) -> str:
        cell = self.cell_at.get(start)
        if cell is not None and cell.unit and q.unit_raw:
            return f"table header: {cell.unit_header}"
        if q.unit_raw or kind in ("rank", "date", "label"):
            return "text"
        return "none written (a bare number counts)"

    def _kind(self, q: Quantity, text, s_start, before, after, lead="") -> str:
        """`lead`: the raw text just before the quantity (a heading or dateline has no clause)."""
        unit = q.unit_raw
        lead = before or lead
        quoted = inside_quotes(text, s_start)
        if quoted and quoted[1] - quoted[0] <= 16:
            return "label"
        if s_start > 0 and text[s_start - 1] in "”」":
            return "label"
        if unit.endswith(LABEL_CLASSIFIERS) or unit == "周年":
            return "label"
        if q.unit_normalized == TIER:
            return TIER  # 第一方阵, 第二梯队: a group of units, not a place
        if q.qualifier_raw.startswith(("第", "前")):
            return "rank"
        if unit == "位" and before.endswith(RANK_MOVES):
            return "rank"  # 排名上升两位: two places
        if q.unit_normalized == "year" and YEAR_RE.fullmatch(format(q.value, "f")):
            return "date"
        if not unit and YEAR_RE.fullmatch(to_halfwidth(q.number_text)):
            return "date"
        if q.unit_normalized == "month" and before.endswith("年"):
            return "date"
        if unit == "月" and re.search(r"[0-9]{4}年$", to_halfwidth(text[:s_start])):
            return "date"
        if q.unit_raw == "日" and re.search(r"[0-9一二三四五六七八九十]月$", to_halfwidth(lead)):
            return "date"  # 1月10日
        if unit == "月" and q.value in CALENDAR_MONTHS:
            return "date"  # 6月 is June (a duration is 6个月); 6月底前 is a deadline
        if q.unit_normalized in ("year", "day", "month"):
            return "duration"
        if q.unit_normalized in ("percent", "percentage_point"):
            if any(w in before for w in GROWTH_WORDS):
                return "growth_rate"
            return "share"
        if any(w in before for w in PLAN_WORDS):
            return "target"
        if q.unit_raw.endswith("级"):
            return "target"
        if q.unit_normalized in ("yuan", "usd", "m2", "m", "mu"):
            return "level"
        if q.unit_normalized == "times":
            return "growth_rate" if any(w in before for w in GROWTH_WORDS) else "level"
        return "count"

    def _period(self, kind, q, start, sentence, before, after) -> tuple[str, int | None]:
        """The row's period and year; self.governor keeps what decided them."""
        self.governor = Governor(None, "")
        if kind in ("date", "label"):
            return "none", None
        if kind == "duration" and q.unit_normalized == "year" and q.value > 1:
            self.governor = Governor(None, "the quantity itself (a span of years)")
            return "multi_year", None  # 三年内, 已有26年: a span of years
        gov = self.governor = self._governor(start, sentence)
        relative = gov.relative
        if relative == SPAN:
            return "multi_year", None
        year = self.target_year + relative if self.target_year and relative is not None else None
        # A span (至今, 以来, 历史) in the clause, or a duration in a sentence that names one.
        span_in = (before + after) if kind != "duration" else (sentence.text if sentence else "")
        if MULTI_YEAR_RE.search(span_in):
            return "multi_year", None
        if gov.fixed is not None:
            return gov.fixed  # a part of a year: a result or a target of that year
        if kind == "target":
            if any(w in before for w in PLAN_WORDS):
                # A plan figure (计划年度投资…) is the goal of the year it sits in, not a result.
                return "target", year or self.result_year
            # An aim with no year of its own (打造千亿级…) is a long-run target.
            return ("target", year) if relative == 0 else ("multi_year", None)
        if relative == 0:
            return "target", year
        if relative is not None and relative > 0:
            return "multi_year", None  # a later year's aim (明年 …)
        return "result", year or self.result_year

    def _unit_normalized(self, kind: str, q: Quantity) -> str:
        if kind == "date":
            return "year" if q.unit_normalized in ("year", "count") else q.unit_normalized
        if kind in ("rank", TIER):
            return kind
        if q.unit_raw.endswith("级") and q.multiplier >= Decimal(10**4):
            return "yuan"  # 千亿级/百亿级 name a scale of output value in yuan
        return q.unit_normalized

    def _carry_cumulative(self, facts: list[Fact]) -> None:
        """累计 also covers a following clause that has no verb of its own
        ('累计增加小学学位4800个,幼儿学位540个'), but not one with its own verb ('敷设管网…')."""
        measures = [f for f in facts if f.kind not in ("date", "label")]
        for prev, fact in pairwise(measures):
            if fact.cumulative or not prev.cumulative or prev.sentence_id != fact.sentence_id:
                continue
            text = fact.sentence
            i = self.article.sentence_at(fact.start).text_index(fact.start)
            left, _ = clause_bounds(text, i, i)
            clause = text[left:i]
            adjacent = prev.quote in text[clause_bounds(text, left - 2, left - 2)[0] : left]
            if adjacent and clause and not clause.startswith(CLAUSE_VERBS):
                fact.cumulative = True

    def _domain(self, subject: str, kind: str) -> str:
        if kind in ("date", "label"):
            return "general"
        for domain, words in DOMAIN_PATTERNS:
            if words.search(subject):
                return domain
        return "general"
