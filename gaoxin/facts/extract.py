"""Turn the article into facts, exclusions and entities, each with offsets into the raw text.

Rules only: every numeral run in the text is found by `gaoxin.numbers`, then either becomes a fact
(value, unit, qualifier, period, kind, domain, subject) or an exclusion with a reason. The rules are
about the genre (Chinese annual work reports of development zones), not about this one article; the
curated table in data/annotations/ only adds English metric names and, where a rule cannot know,
a domain, and each of its rows is verified against the text on every run.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from gaoxin.config import ANNOTATIONS_DIR
from gaoxin.text.numbers import (
    CN_NUMERAL_CHARS,
    Quantity,
    decimal_to_str,
    find_quantities,
)
from gaoxin.text.structure import Article, Sentence

PERIODS = ("result", "target", "multi_year", "none")
KINDS = (
    "growth_rate",
    "level",
    "share",
    "count",
    "rank",
    "date",
    "duration",
    "target",
    "label",
)
DOMAINS = (
    "industrial",
    "innovation",
    "infrastructure",
    "investment",
    "fiscal",
    "social",
    "general",
)

# Words whose numeral characters are not quantities (idioms, adverbs, fixed political terms).
NON_QUANTITY_WORDS = {
    "一流": "idiom 'first-class', not a count",
    "双一流": "name of the 'Double First-Class' university programme",
    "进一步": "adverb 'further'",
    "统一": "verb 'unify'",
    "唯一一个": "idiom 'the only one'",
    "唯一": "adjective 'only'",
    "一般": "adjective 'general' (一般公共预算收入 = general public budget revenue)",
    "一定": "adjective 'certain'",
    "一大批": "vague quantity 'a large batch'",
    "一批": "vague quantity 'a batch of'",
    "一起": "adverb 'together'",
    "一直": "adverb 'always'",
    "一些": "vague quantity 'some'",
    "一系列": "vague quantity 'a series of'",
    "一站式": "idiom 'one-stop'",
    "一门式": "idiom 'one-door' (single-window service)",
    "一网式": "idiom 'one-network' (online single-window service)",
    "新一代": "adjective 'new-generation'",
    "另一个": "pronoun 'another'",
    "两者": "pronoun 'the two'",
    "第一个百年": "fixed political term 'first centenary (goal)'",
    "的一年": "rhetorical 'a year of …' (refers to the reporting year, not a count)",
    "新的一年": "rhetorical 'the new year'",
    "万一": "conjunction 'in case'",
    "零售": "word 'retail' (社会消费品零售总额 = retail sales of consumer goods)",
    "千万": "adverb 'by all means'",
}
# Name suffixes: an enumerated item ending in one of these is a proper name (entity).
ENTITY_SUFFIXES = {
    "organisation": (
        "集团",
        "公司",
        "银行",
        "基金",
        "汽车",
        "科技",
        "控股",
        "大学",
    ),
    "park": (
        "园区",
        "产业园",
        "科技园",
        "小镇",
        "新城",
        "城",
        "谷",
        "新区",
        "产业轴",
        "基地",
        "广场",
    ),
    "centre": ("中心", "平台", "孵化器", "众创空间", "实验室", "工作站", "研究中心"),
    "place": ("路", "大道", "桥", "公园", "区", "省", "市"),
}
# Category nouns that head a list of names ("…等知名企业") without being a name suffix themselves.
LIST_HEAD_NOUNS = {"企业": "organisation", "园区": "park", "平台": "centre"}
# Verbs that can open the first item of a list; stripped from a name.
NAME_LEAD_VERBS = (
    "进一步完善",
    "做大做强",
    "充分发挥",
    "积极引进",
    "已有",
    "成为",
    "实施",
    "建设",
    "完善",
    "发挥",
    "依托",
    "借助",
    "支持",
    "引进",
)
# A candidate containing one of these is a phrase, not a name.
NOT_IN_NAMES = ("的", "为", "好", "让")
VAGUE_PREFIXES = ("多", "众多", "各类", "一批")
ZONE_SELF_REFERENCES = ("园区", "该区", "全区", "本区", "高新区")
# Verbs that open a clause before an enumerated list: kept in the subject, the list dropped.
LEAD_VERBS = (
    "新开工建设",
    "新开工",
    "新引进",
    "新竣工",
    "引进",
    "签约",
    "在建的",
    "在建",
    "新建了",
    "新建",
    "加快推进",
    "继续推进",
    "推进",
    "打造",
    "支持",
)
# Words trimmed off the start of a subject (context, not the thing measured).
SUBJECT_LEAD_TRIM = (
    "数据显示",
    "其中",
    "此外",
    "同时",
    "全年",
    "累计",
    "实现",
    "确保",
    "力争",
    "达到",
    "已有",
    "共",
    "了",
    "的",
)
# Predicate words trimmed off the end of a subject (the verb before the number).
SUBJECT_TAIL_TRIM = (
    "同比增长",
    "同比增加",
    "增长",
    "增加",
    "达到",
    "达",
    "为",
    "是",
    "继续",
    "只用了",
    "用了",
    "已有",
    "超过",
    "的",
    "约",
)
# Verbs that end a noun phrase following a count ("47个居民小区进行提质改造").
FOLLOW_STOP_WORDS = (
    "进行",
    "落户",
    "完成",
    "全面",
    "开工",
    "实现",
    "获得",
    "建设",
    "继续",
    "保持",
    "正在",
    "都",
    "第",
)
# Verbs that open a clause of a results list; a clause without one shares the previous verb.
CLAUSE_VERBS = (
    "新增",
    "增加",
    "新建",
    "修建",
    "敷设",
    "建设",
    "完成",
    "实现",
    "引进",
    "签约",
    "投入",
    "举办",
    "开展",
    "启动",
    "打造",
    "累计",
    "同比",
    "增长",
)
RANK_VERBS = ("位列", "名列", "进入", "居")
CLAUSE_DELIMITERS = ",，;；:：。！？!?"
GROWTH_WORDS = ("增长", "增加", "提高", "提升", "下降", "减少", "增速")
PLAN_WORDS = ("计划",)
MULTI_YEAR_WORDS = ("至今", "以来", "历史")
LABEL_CLASSIFIERS = ("版", "代", "届", "强", "批")
DOMAIN_KEYWORDS = (
    ("fiscal", ("财政", "税", "预算")),
    ("social", ("学位", "小学", "幼儿", "安置房", "小区", "医疗", "养老", "教育")),
    ("innovation", ("专利", "创新", "科技", "孵化", "众创", "研发", "奖", "大赛", "创业", "沙龙")),
    ("infrastructure", ("道路", "管网", "停车", "绿化", "路", "桥")),
    (
        "investment",
        ("投资", "引资", "融资", "招商", "签约", "资金", "负债", "上市公司", "项目", "引进"),
    ),
    (
        "industrial",
        (
            "产值",
            "工业",
            "产业",
            "企业",
            "市场主体",
            "生产总值",
            "消费品",
            "银行",
            "市场占有",
            "子公司",
        ),
    ),
)
YEAR_RE = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})(?![0-9])")
NUMERAL_RUN_RE = re.compile(rf"[0-9０-９]+(?:[.．,，][0-9０-９]+)*|[{CN_NUMERAL_CHARS}]+")


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


@dataclass
class Exclusion:
    exclusion_id: str
    sentence_id: str
    start: int
    end: int
    text: str
    reason: str


@dataclass
class Mention:
    entity_type: str
    name: str
    start: int
    end: int


# --- small text helpers ---------------------------------------------------------------------


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the clause (between delimiters) around text[start:end]."""
    left = max((text.rfind(d, 0, start) for d in CLAUSE_DELIMITERS), default=-1) + 1
    rights = [i for d in CLAUSE_DELIMITERS if (i := text.find(d, end)) != -1]
    return left, min(rights) if rights else len(text)


def _inside_quotes(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the “…” quotation that contains position `pos`, if any."""
    open_at = text.rfind("“", 0, pos)
    if open_at == -1 or text.rfind("”", 0, pos) > open_at:
        return None
    close_at = text.find("”", pos)
    return (open_at, close_at + 1) if close_at != -1 else None


def _trim(subject: str, zone_names: tuple[str, ...]) -> str:
    changed = True
    while changed and subject:
        changed = False
        for word in (*zone_names, *SUBJECT_LEAD_TRIM):
            if subject.startswith(word) and len(subject) > len(word):
                subject, changed = subject[len(word) :], True
        for word in SUBJECT_TAIL_TRIM:
            if subject.endswith(word):
                subject, changed = subject[: -len(word)], True
        year = re.match(r"(?:[0-9]{4}年)+", subject)
        if year:
            subject, changed = subject[year.end() :], True
    return subject


def _drop_enumeration(phrase: str) -> str:
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


# --- the extractor --------------------------------------------------------------------------


class Extractor:
    def __init__(self, article: Article, annotations_path: Path | None = None):
        self.article = article
        self.raw = article.raw
        self.years = sorted({int(y) for y in YEAR_RE.findall(self.raw) if int(y) <= 2100})
        # An annual work report looks back on one year and sets targets for the next.
        self.target_year = self._target_year()
        self.result_year = self.target_year - 1
        self.zone_names = self._zone_names()
        self.mentions = list(self._entity_mentions())
        self.annotations_path = annotations_path or ANNOTATIONS_DIR / "facts.csv"

    def _target_year(self) -> int:
        for s in self.article.sentences:
            if any(w in s.text for w in ("目标", "预期", "力争")):
                ys = [int(y) for y in YEAR_RE.findall(s.text)]
                if ys:
                    return max(ys)
        return max(self.years)

    def _zone_names(self) -> tuple[str, ...]:
        """Names the article uses for its own zone: the '…高新区' of the title, longest first."""
        names = set()
        for m in re.finditer("高新区", self.article.title.text):
            for k in (2, 3, 4):
                names.add(self.article.title.text[max(0, m.start() - k) : m.end()])
        return tuple(sorted(names | set(ZONE_SELF_REFERENCES), key=len, reverse=True))

    # Entities -----------------------------------------------------------------------------

    def _entity_mentions(self):
        """Proper names found as items of 、-lists or as quoted programme names."""
        seen: set[tuple[int, int]] = set()
        for s in self.article.sentences:
            text = s.text
            for m in re.finditer(r"“([^”]{2,20})”", text):
                yield from self._mention("programme", m.group(1), s, m.start(1), seen)
            for clause in re.finditer(rf"[^{CLAUSE_DELIMITERS}]+", text):
                for items, head in _lists(clause.group(0)):
                    # The noun after the list ("…等十大科技园") says what all its items are.
                    list_type = self._head_type(head) if head else None
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
                        kind = list_type or self._entity_type(name)
                        if kind and _looks_like_a_name(name):
                            yield from self._mention(kind, name, s, at, seen)

    def _head_type(self, tail: str) -> str | None:
        """Entity type of the noun that heads a list ('十大科技园建设' → park), if any."""
        tail = re.sub(rf"^[{CN_NUMERAL_CHARS}0-9]+[大个家]?", "", tail)
        # The head noun ends where the clause goes on with a verb, a preposition or a number.
        head = re.split(HEAD_NOUN_END, tail)[0]
        return self._entity_type(head) or next(
            (kind for noun, kind in LIST_HEAD_NOUNS.items() if head.endswith(noun)), None
        )

    def _entity_type(self, name: str) -> str | None:
        name = name.strip("“”")
        for kind, suffixes in ENTITY_SUFFIXES.items():
            if name.endswith(suffixes):
                return kind
        return None

    def _mention(self, kind, name, sentence: Sentence, offset_in_sentence, seen):
        start = self._raw_offset(sentence, offset_in_sentence)
        end = self._raw_offset(sentence, offset_in_sentence + len(name) - 1) + 1
        if (start, end) in seen or self.raw[start:end] != name:
            return
        seen.add((start, end))
        yield Mention(kind, name, start, end)

    def _raw_offset(self, sentence: Sentence, i: int) -> int:
        """Raw offset of character i of a sentence's clean text (layout breaks skipped)."""
        pos, seen = sentence.start, 0
        while seen < i:
            pos += 1
            if self.raw[pos] != "\n":
                seen += 1
        while self.raw[pos] == "\n":
            pos += 1
        return pos

    # Facts --------------------------------------------------------------------------------

    def candidates(self):
        """(sentence, quantity with raw offsets) for every numeral run in body sentences."""
        for para in self.article.paragraphs:
            if para.role not in ("title", "body", "heading", "caption"):
                continue
            for a, b in para.spans:
                for q in find_quantities(self.raw[a:b]):
                    start = a + q.start
                    yield start, a + q.end, q

    def run(self):
        facts, exclusions = [], []
        for start, end, q in self.candidates():
            sentence = self._sentence_for(start)
            excluded = self._exclusion_reason(start, end, q)
            if excluded:
                (x_start, x_end), reason = excluded
                if any(x.start == x_start for x in exclusions):
                    continue
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
        self._inherit_subjects(facts)
        self._carry_cumulative(facts)
        self._apply_annotations(facts)
        return facts, exclusions

    def _sentence_for(self, offset: int) -> Sentence | None:
        try:
            return self.article.sentence_at(offset)
        except KeyError:
            return None

    def _exclusion_reason(self, start, end, q: Quantity) -> tuple[tuple[int, int], str] | None:
        for word, reason in sorted(NON_QUANTITY_WORDS.items(), key=lambda kv: -len(kv[0])):
            for m in re.finditer(re.escape(word), self.raw[max(0, start - 8) : end + 8]):
                w_start = max(0, start - 8) + m.start()
                w_end = w_start + len(word)
                numeral_start = (
                    start + len(q.qualifier_raw) if q.quote.startswith(q.qualifier_raw) else start
                )
                ordinal = self.raw[w_start - 1 : w_start] == "第"
                if w_start <= numeral_start < w_end and not ordinal:
                    return (w_start, w_end), f"not a quantity: {word} — {reason}"
        for mention in self.mentions:
            if mention.entity_type == "programme":
                continue  # numerals in programme names are labels (facts), not exclusions
            if mention.start <= start and end <= mention.end and not q.unit_raw:
                return (start, end), f"part of the proper name {mention.name}"
            if mention.start <= start < mention.end and q.unit_raw in ("", "大"):
                return (start, end), f"part of the proper name {mention.name}"
        return None

    def _period_year(self, start: int) -> int | None:
        """The year a number speaks of: the nearest year named before it in its section."""
        section = next(s for s in self.article.sections if s.start <= start < s.end)
        window = self.raw[section.start : start]
        years = [int(y) for y in YEAR_RE.findall(window) if int(y) in self.years]
        years = [y for y in years if y in (self.result_year, self.target_year)]
        return years[-1] if years else None

    def _fact(self, start, end, q: Quantity, sentence: Sentence | None) -> Fact:
        text = sentence.text if sentence else self.raw[start:end]
        s_start = self._clean_index(sentence, start) if sentence else 0
        s_end = s_start + len(q.quote.replace("\n", ""))
        c_left, c_right = _clause_bounds(text, s_start, s_end)
        before = text[c_left:s_start]
        after = text[s_end:c_right]
        kind = self._kind(q, text, s_start, before, after)
        period, year = self._period(kind, start, sentence, before, after)
        subject = self._subject(kind, q, text, s_start, before, after)
        return Fact(
            fact_id=f"F{start:05d}",
            section_id=sentence.section_id
            if sentence
            else self.article.paragraph_at(start).section_id,
            paragraph_id=self.article.paragraph_at(start).paragraph_id,
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
            qualifier="+".join(c for c in q.qualifier.split("+") if c and c != "ordinal"),
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
        )

    def _clean_index(self, sentence: Sentence, raw_offset: int) -> int:
        return raw_offset - sentence.start - self.raw.count("\n", sentence.start, raw_offset)

    def _kind(self, q: Quantity, text, s_start, before, after) -> str:
        unit = q.unit_raw
        quoted = _inside_quotes(text, s_start)
        if quoted and quoted[1] - quoted[0] <= 16:
            return "label"
        if s_start > 0 and text[s_start - 1] == "”":
            return "label"
        if unit.endswith(LABEL_CLASSIFIERS) or unit == "周年":
            return "label"
        if q.qualifier_raw.startswith(("第", "前")) or after.startswith(("方阵", "梯队")):
            return "rank"
        if q.unit_normalized == "year" and YEAR_RE.fullmatch(format(q.value, "f")):
            return "date"
        if not unit and YEAR_RE.fullmatch(q.number_text):
            return "date"
        if q.unit_normalized == "month" and before.endswith("年"):
            return "date"
        if unit == "月" and re.search(r"[0-9]{4}年$", text[:s_start]):
            return "date"
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
        if q.unit_normalized in ("yuan", "m2", "m"):
            return "level"
        return "count"

    def _period(self, kind, start, sentence, before, after) -> tuple[str, int | None]:
        if kind in ("date", "label"):
            return "none", None
        year = self._period_year(start)
        # A span (至今, 以来, 历史) in the clause, or a duration in a sentence that names one.
        span_in = (before + after) if kind != "duration" else (sentence.text if sentence else "")
        if any(w in span_in for w in MULTI_YEAR_WORDS):
            return "multi_year", None
        if kind == "target":
            if any(w in before for w in PLAN_WORDS):
                # A plan figure (计划年度投资…) is the goal of the year it sits in, not a result.
                return "target", year or self.result_year
            # An aim with no year of its own (打造千亿级…) is a long-run target.
            return ("target", year) if year == self.target_year else ("multi_year", None)
        if year == self.target_year:
            return "target", year
        return "result", year or self.result_year

    def _unit_normalized(self, kind: str, q: Quantity) -> str:
        if kind == "date":
            return "year" if q.unit_normalized in ("year", "count") else q.unit_normalized
        if kind == "rank":
            return "rank"
        if q.unit_raw.endswith("级") and q.multiplier >= Decimal(10**4):
            return "yuan"  # 千亿级/百亿级 name a scale of output value in yuan
        return q.unit_normalized

    def _subject(self, kind, q, text, s_start, before, after) -> str:
        """What the number measures, as the article words it (trimmed of context and verbs)."""
        if kind == "date":
            return ""
        if kind == "label":
            quoted = _inside_quotes(text, s_start)
            if quoted:
                return text[quoted[0] : quoted[1]]
            m = re.match(r"[^,，、;；。:：“”(（]{1,12}", after)
            return q.quote + (m.group(0) if m else "")
        # A count or a scale followed by its noun ("47个居民小区", "千亿级新能源汽车产业").
        if kind in ("count", "target") and after and after[0] not in "的,，、":
            noun = re.split("|".join(FOLLOW_STOP_WORDS) + r"|[0-9]", after)[0]
            noun = noun.split("、")[0]
            if 1 <= len(noun) <= 12:
                return _trim(noun, ())
        if kind == "rank":
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
            return _trim(re.split(r"[超达0-9,，]", after[1:])[0], ())
        if previous:
            rest = before[previous[-1].end :]
            # "10亿元以上的项目超过10个": the count is of projects *above that size*.
            before = before[previous[-1].start :] if rest.startswith("的") else rest
        return _trim(_drop_enumeration(before), self.zone_names)

    def _inherit_subjects(self, facts: list[Fact]) -> None:
        """An empty subject ('…达3600余家,同比增长30%以上') continues the previous clause."""
        measures = [f for f in facts if f.kind not in ("date", "label")]
        for prev, fact in pairwise(measures):
            if fact.subject_zh or not fact.sentence:
                continue
            text = fact.sentence
            i = self._clean_index(self.article.sentence_at(fact.start), fact.start)
            left, _ = _clause_bounds(text, i, i)
            prev_left, _ = _clause_bounds(text, max(left - 1, 0), max(left - 1, 0))
            prev_clause = text[prev_left : max(left - 1, 0)]
            if prev.sentence_id == fact.sentence_id and prev.quote in prev_clause:
                fact.subject_zh = prev.subject_zh
                fact.domain = prev.domain if fact.domain == "general" else fact.domain
            else:
                fact.subject_zh = _trim(_drop_enumeration(prev_clause), self.zone_names)

    def _carry_cumulative(self, facts: list[Fact]) -> None:
        """累计 also covers a following clause that has no verb of its own
        ('累计增加小学学位4800个,幼儿学位540个'), but not one with its own verb ('敷设管网…')."""
        measures = [f for f in facts if f.kind not in ("date", "label")]
        for prev, fact in pairwise(measures):
            if fact.cumulative or not prev.cumulative or prev.sentence_id != fact.sentence_id:
                continue
            text = fact.sentence
            i = self._clean_index(self.article.sentence_at(fact.start), fact.start)
            left, _ = _clause_bounds(text, i, i)
            clause = text[left:i]
            adjacent = prev.quote in text[_clause_bounds(text, left - 2, left - 2)[0] : left]
            if adjacent and clause and not clause.startswith(CLAUSE_VERBS):
                fact.cumulative = True

    def _domain(self, subject: str, kind: str) -> str:
        if kind in ("date", "label"):
            return "general"
        for domain, words in DOMAIN_KEYWORDS:
            if any(w in subject for w in words):
                return domain
        return "general"

    # Annotations --------------------------------------------------------------------------

    def _apply_annotations(self, facts: list[Fact]) -> None:
        rows = read_annotations(self.annotations_path)
        by_start = {f.start: f for f in facts}
        for row in rows:
            start = locate_annotation(self.raw, row, self.annotations_path)
            fact = by_start.get(start)
            if fact is None or fact.quote != row["quote"]:
                raise AnnotationError(
                    f"{self.annotations_path.name}: row {row['_line']}: no extracted fact "
                    f"{row['quote']!r} at offset {start} (context {row['context']!r}); "
                    "fix the row or the extraction rule"
                )
            fact.metric_en = row["metric_en"]
            if row.get("domain"):
                if row["domain"] not in DOMAINS:
                    raise AnnotationError(
                        f"{self.annotations_path.name}: row {row['_line']}: domain "
                        f"{row['domain']!r} is not one of {DOMAINS}"
                    )
                fact.domain = row["domain"]


HEAD_NOUN_END = r"在|的|对|为|与|都|达|[0-9]|进行|实现|积极|继续|完成|纷纷|落户|建设|发展|提供"
# What can stand before the first name of a list in its clause ("积极引进中南大学、…").
FIRST_ITEM_OPENERS = "|".join(LEAD_VERBS) + r"|随着|依托|与|对|在|的|建设"
LIST_END_RE = re.compile(rf"等|[{CN_NUMERAL_CHARS}0-9]+大")


def _lists(clause: str) -> list[tuple[list[tuple[int, str]], str | None]]:
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


class AnnotationError(ValueError):
    """A curated annotation row that does not match the article."""


ANNOTATION_COLUMNS = ("context", "quote", "metric_en", "domain")


def read_annotations(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != ANNOTATION_COLUMNS:
            raise AnnotationError(f"{path.name}: header must be {','.join(ANNOTATION_COLUMNS)}")
        return [dict(row, _line=i) for i, row in enumerate(reader, start=2)]


def locate_annotation(raw: str, row: dict, path: Path) -> int:
    """Offset of the annotated quote: its context must occur exactly once, the quote inside it."""
    context, quote = row["context"], row["quote"]
    hits = [m.start() for m in re.finditer(re.escape(context), raw)]
    if len(hits) != 1:
        raise AnnotationError(
            f"{path.name}: row {row['_line']}: context {context!r} occurs {len(hits)} times "
            "in the article (must be exactly once)"
        )
    inner = context.find(quote)
    if inner == -1:
        raise AnnotationError(
            f"{path.name}: row {row['_line']}: quote {quote!r} is not inside its context"
        )
    return hits[0] + inner


def numeral_runs(raw: str):
    """Every run of digits or Chinese numeral characters: what coverage must account for."""
    for m in NUMERAL_RUN_RE.finditer(raw):
        yield m.start(), m.end(), m.group(0)


# --- tables ---------------------------------------------------------------------------------

AUTO_METRICS = {"date": "calendar {unit}", "label": "number in a name"}
UNNAMED_PREFIX = "(unnamed) "


def extract_tables(article: Article, annotations_path: Path | None = None) -> dict[str, list[dict]]:
    """All processed tables as lists of row dicts (column order = the schema's)."""
    extractor = Extractor(article, annotations_path)
    facts, exclusions = extractor.run()
    for f in facts:
        if not f.metric_en and f.kind in AUTO_METRICS:
            f.metric_en = AUTO_METRICS[f.kind].format(unit=f.unit_normalized)
        elif not f.metric_en:
            # No curated English name yet (e.g. a new article): a rule-made placeholder that
            # `python -m gaoxin check` reports until data/annotations/facts.csv names it.
            f.metric_en = f"{UNNAMED_PREFIX}{f.kind.replace('_', ' ')}: {f.subject_zh}"

    def sentence_id_at(offset: int) -> str:
        try:
            return article.sentence_at(offset).sentence_id
        except KeyError:
            return ""

    entities: dict[str, dict] = {}
    mentions = []
    for m in sorted(extractor.mentions, key=lambda m: m.start):
        key = m.name  # one entity per name; its first mention decides the type
        if key not in entities:
            entities[key] = {
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
            ent["mentions"] += 1
            mentions.append(
                {
                    "mention_id": f"M{hit.start():05d}",
                    "entity_id": ent["entity_id"],
                    "start": hit.start(),
                    "end": hit.end(),
                    "sentence_id": sentence_id_at(hit.start()),
                }
            )
    mentions.sort(key=lambda r: r["start"])

    return {
        "sections": [
            {
                "section_id": s.section_id,
                "title": s.title,
                "start": s.start,
                "end": s.end,
                "heading_paragraph_id": s.heading_paragraph_id,
            }
            for s in article.sections
        ],
        "paragraphs": [
            {
                "paragraph_id": p.paragraph_id,
                "section_id": p.section_id,
                "role": p.role,
                "start": p.start,
                "end": p.end,
                "raw_spans": ";".join(f"{a}-{b}" for a, b in p.spans),
                "joined": len(p.spans) > 1,
                "text": p.text,
            }
            for p in article.paragraphs
        ],
        "sentences": [
            {
                "sentence_id": s.sentence_id,
                "paragraph_id": s.paragraph_id,
                "section_id": s.section_id,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for s in article.sentences
        ],
        "facts": [{k: v for k, v in vars(f).items()} for f in sorted(facts, key=lambda f: f.start)],
        "exclusions": [vars(x) for x in sorted(exclusions, key=lambda x: x.start)],
        "entities": sorted(entities.values(), key=lambda e: e["entity_id"]),
        "entity_mentions": mentions,
    }


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def render_csv(rows: list[dict], columns: list[str]) -> str:
    """CSV text with a fixed column order and '\\n' line ends (byte-stable across platforms)."""
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()
