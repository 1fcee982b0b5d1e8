"""Time expressions of the genre, each normalised to an interval of months.

An expression is found on half-width text (offsets unchanged) and read against a reference: the
report's own year (`ref_year`) and the month it was written in (`ref_month`, from the dateline).

Forms: years (2022年, 2022年度), spans of years (2023—2025年, 十四五, 三年内, 近五年来), horizons
(到2025年), parts of a year (上半年, 下半年, 一季度, 前三季度, 1—6月, 截至6月底, 全年), words for
a year relative to the report (去年, 今年, 明年, 过去一年), and comparison
bases (去年同期, and the 全年 of 占全年目标任务的52%), which name the base of a change or share and
never the period of a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaoxin.text.numbers import to_halfwidth

CN_DIGIT = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
CN_DIGIT |= {"八": 8, "九": 9, "十": 10}
FIVE_YEAR_PLAN_START = {"十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
# Words naming a year relative to the report year (the year of the conference or dateline).
RELATIVE_WORDS = {
    "过去的一年": -1,
    "過去的一年": -1,
    "过去一年": -1,
    "過去一年": -1,
    "前年": -2,
    "去年": -1,
    "上年": -1,
    "上一年": -1,
    "新的一年": 0,
    "今年": 0,
    "本年度": 0,
    "明年": 1,
    "下一年": 1,
}
BASE_WORDS = ("去年同期", "上年同期", "同期")
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_DASH = "—–\\-~至到"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_QUARTER = r"第?[一二三四1-4]季度"
_PART = rf"上半年|下半年|前三季度|{_QUARTER}|{_MONTH}[{_DASH}]{_MONTH}月|全年"
_CN_SMALL = "两兩二三四五六七八九十"

TIMEX_RE = re.compile(
    "|".join(
        [
            rf"(?P<base>{'|'.join(BASE_WORDS)})",
            rf"(?P<range>(?P<y1>{_YEAR})年?[{_DASH}](?P<y2>{_YEAR})年)",
            rf"(?P<horizon>(?:到|至)(?P<hy>{_YEAR})年(?:底|末)?)",
            rf"(?P<year>(?P<yy>{_YEAR})年度?(?P<ypart>{_PART})?)",
            rf"(?P<point>截至(?P<pm>{_MONTH})月(?:底|末)|(?P<pm2>{_MONTH})月末)",
            rf"(?P<part>{_PART})",
            "(?P<word>" + "|".join(sorted(RELATIVE_WORDS, key=len, reverse=True)) + ")",
            "(?P<plan>" + "|".join(FIVE_YEAR_PLAN_START) + ")",
            rf"(?P<span>(?P<near>近)?(?P<n>[{_CN_SMALL}]|[2-9])年(?P<how>[内內来來间間]))",
        ]
    )
)


# Every character a time expression can start with (on half-width text), from the forms above.
FIRST_CHARS = (
    set("0123456789到至截上下前第一二三四全近")
    | set(_CN_SMALL)
    | {w[0] for w in (*BASE_WORDS, *RELATIVE_WORDS, *FIVE_YEAR_PLAN_START)}
)
FIRST_CHAR_RE = re.compile("[" + "".join(sorted(FIRST_CHARS)) + "]")


def _timex_matches(half: str):
    """TIMEX_RE.finditer(half), trying the pattern only where an expression can start: one
    C-level scan for those characters instead of every alternative at every position."""
    pos = 0
    while (first := FIRST_CHAR_RE.search(half, pos)) is not None:
        m = TIMEX_RE.match(half, first.start())
        if m is not None:
            yield m
            pos = m.end()
        else:
            pos = first.start() + 1


@dataclass(frozen=True)
class TimeExpression:
    """One time expression: offsets into the text, its form, and what it names.

    `year` is an absolute year (None for a relative word until resolved); `relative` the years
    relative to the report year for a word such as 去年; `months` the first and last month of a
    part of a year; `years` the first and last year of a span."""

    start: int
    end: int
    text: str
    form: str  # year | part | point | range | horizon | word | plan | span | base
    year: int | None = None
    relative: int | None = None
    months: tuple[int, int] = (1, 12)
    years: tuple[int | None, int | None] | None = None
    past: bool | None = None  # a span 近五年来 (past) or 三年内 (to come)

    def interval(self, ref_year: int | None) -> tuple[str, str]:
        """(first, last) month as YYYY-MM; an open end is ''."""
        if self.years is not None:
            a, b = self.years
            return (f"{a}-01" if a else "", f"{b}-12" if b else "")
        year = self.year if self.year is not None else _add(ref_year, self.relative or 0)
        if year is None:
            return "", ""
        return f"{year}-{self.months[0]:02d}", f"{year}-{self.months[1]:02d}"


def _add(year: int | None, n: int) -> int | None:
    return None if year is None else year + n


def _part_months(text: str) -> tuple[int, int]:
    text = to_halfwidth(text)
    if text == "上半年":
        return 1, 6
    if text == "下半年":
        return 7, 12
    if text == "前三季度":
        return 1, 9
    if text.endswith("季度"):
        q = text.removeprefix("第")[0]
        n = int(q) if q.isdigit() else CN_DIGIT[q]
        return 3 * n - 2, 3 * n
    m = re.fullmatch(rf"({_MONTH})[{_DASH}]({_MONTH})月", text)
    if m:
        return int(m.group(1)), int(m.group(2))
    return 1, 12  # 全年


def find_time_expressions(text: str, ref_year: int | None = None) -> list[TimeExpression]:
    """Every time expression in `text`, left to right (offsets into `text`)."""
    half = to_halfwidth(text)
    out = []
    for m in _timex_matches(half):
        s, e, t = m.start(), m.end(), text[m.start() : m.end()]
        if m.group("base"):
            out.append(TimeExpression(s, e, t, "base"))
        elif m.group("range"):
            years = (int(m.group("y1")), int(m.group("y2")))
            out.append(TimeExpression(s, e, t, "range", year=years[1], years=years))
        elif m.group("horizon"):
            hy = int(m.group("hy"))
            out.append(TimeExpression(s, e, t, "horizon", year=hy, years=(None, hy)))
        elif m.group("year"):
            months = _part_months(m.group("ypart")) if m.group("ypart") else (1, 12)
            form = "part" if m.group("ypart") and months != (1, 12) else "year"
            out.append(TimeExpression(s, e, t, form, year=int(m.group("yy")), months=months))
        elif m.group("point"):
            month = int(m.group("pm") or m.group("pm2"))
            out.append(TimeExpression(s, e, t, "point", year=ref_year, months=(month, month)))
        elif m.group("part") and _plan_denominator(half, s, e):
            out.append(TimeExpression(s, e, t, "base"))
        elif m.group("part"):
            months = _part_months(m.group("part"))
            out.append(TimeExpression(s, e, t, "part", year=ref_year, months=months))
        elif m.group("word"):
            rel = RELATIVE_WORDS[m.group("word")]
            out.append(TimeExpression(s, e, t, "word", year=_add(ref_year, rel), relative=rel))
        elif m.group("plan"):
            first = FIVE_YEAR_PLAN_START[m.group("plan")]
            out.append(TimeExpression(s, e, t, "plan", years=(first, first + 4)))
        elif m.group("span"):
            n = m.group("n")
            count = int(n) if n.isdigit() else CN_DIGIT[n]
            past = m.group("how") in "来來"
            if ref_year is None or m.group("how") in "间間":
                years = (None, None)
            elif past:
                years = (ref_year - count, ref_year - 1)
            else:
                years = (ref_year, ref_year + count - 1)
            out.append(TimeExpression(s, e, t, "span", years=years, past=past))
    return out


# 占全年目标任务的52%, 完成全年计划的55%: 全年 names the annual plan a share is taken of (the
# denominator), not the period of the figure, which is the progress made so far.
SHARE_VERBS = ("占", "佔", "完成", "达到", "達到", "达", "達", "为", "為")
PLAN_NOUNS = ("目标", "目標", "任务", "任務", "计划", "計劃", "预期", "預期")


def _plan_denominator(half: str, start: int, end: int) -> bool:
    """Whether the 全年 at half[start:end] names the plan a share is taken of."""
    return (
        half[start:end] == "全年"
        and half[max(0, start - 2) : start].endswith(SHARE_VERBS)
        and half[end:].startswith(PLAN_NOUNS)
    )


DATELINE_RE = re.compile(rf"(?:(?P<y>{_YEAR})年)?(?P<m>{_MONTH})月(?P<d>[0-9]{{1,2}})日")


def dateline(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) of the first full or month-day date in a lead or dateline."""
    m = DATELINE_RE.search(to_halfwidth(text))
    if not m:
        return None
    return (int(m.group("y")) if m.group("y") else None), int(m.group("m"))
