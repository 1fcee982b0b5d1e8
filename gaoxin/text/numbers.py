"""Parse quantities as written in Chinese news text, with exact decimal arithmetic.

Accepts Arabic digits (half- and full-width, thousands separators, decimals), Chinese numerals
(simplified and traditional: 三, 十二, 两百, 一千零五, 兩萬, 3.5万 …), multiplier units
(万, 亿, 千亿 …), qualifiers (余, 近, 多, 超, 以上, 突破, 以内, 年内, 月底前 …), ranges (3至5个,
10%-15%, 3亿到5亿元), and the genre's other forms: 个百分点 (percentage points), 成 (六成 = 60%),
倍, 翻一番 (×2), fractions (三分之一), areas in 亩/公顷/平方公里, 万人次, 工作日.
Offsets are never shifted: full-width characters map one to one onto their ASCII forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from gaoxin.vocabulary import TIER_WORDS  # a leaf module: it imports nothing from gaoxin

# Full-width digits, point, comma and percent sign map one-to-one onto ASCII, so offsets survive.
_WIDTH = str.maketrans("０１２３４５６７８９．，％－～", "0123456789.,%-~")

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)

ARABIC_RE = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
CN_RE = f"[{CN_NUMERAL_CHARS}]+"
ANY_NUMERAL_RE = re.compile(f"[0-9０-９{CN_NUMERAL_CHARS}]")

# Measure units as written, longest first, mapped to (base unit, factor to the base unit).
MEASURE_UNITS: dict[str, tuple[str, Decimal]] = {
    "平方公里": ("m2", Decimal(10**6)),
    "平方千米": ("m2", Decimal(10**6)),
    "公顷": ("m2", Decimal(10**4)),
    "公頃": ("m2", Decimal(10**4)),
    # 1 亩 = 10000/15 m² has no exact decimal, so 亩 stays a unit of its own.
    "亩": ("mu", Decimal(1)),
    "畝": ("mu", Decimal(1)),
    "平方米": ("m2", Decimal(1)),
    "公里": ("m", Decimal(1000)),
    "千米": ("m", Decimal(1000)),
    "米": ("m", Decimal(1)),
    "美元": ("usd", Decimal(1)),  # 实际利用外资…亿美元
    "元": ("yuan", Decimal(1)),
    "%": ("percent", Decimal(1)),
    "个百分点": ("percentage_point", Decimal(1)),
    "個百分點": ("percentage_point", Decimal(1)),
    "百分点": ("percentage_point", Decimal(1)),
    "百分點": ("percentage_point", Decimal(1)),
    "成": ("percent", Decimal(10)),  # 六成 = 60%
    "周年": ("year", Decimal(1)),
    "年": ("year", Decimal(1)),
    "个月": ("month", Decimal(1)),
    "個月": ("month", Decimal(1)),
    "个工作日": ("day", Decimal(1)),
    "個工作日": ("day", Decimal(1)),
    "工作日": ("day", Decimal(1)),
    "月": ("month", Decimal(1)),
    "天": ("day", Decimal(1)),
    "日": ("day", Decimal(1)),
    "倍": ("times", Decimal(1)),
}
# Classifiers (量词) that make a number a count of things.
COUNT_CLASSIFIERS = (
    "人次",
    "条",
    "條",
    "棟",
    "戶",
    "種",
    "類",
    "屆",
    "級",
    "台",
    "辆",
    "輛",
    "个",
    "個",
    "項",
    "場",
    "家",
    "项",
    "所",
    "场",
    "名",
    "位",
    "座",
    "条",
    "栋",
    "套",
    "户",
    "人",
    "批",
    "届",
    "版",
    "代",
    "次",
    "大",
    "强",
    "级",
    "种",
    "件",
    "期",
    "类",
)
MULTIPLIERS: dict[str, Decimal] = {
    "千亿": Decimal(10**11),
    "百亿": Decimal(10**10),
    "十亿": Decimal(10**9),
    "亿": Decimal(10**8),
    "億": Decimal(10**8),
    "千万": Decimal(10**7),
    "百万": Decimal(10**6),
    "十万": Decimal(10**5),
    "万": Decimal(10**4),
    "萬": Decimal(10**4),
    "千億": Decimal(10**11),
    "百億": Decimal(10**10),
    "十億": Decimal(10**9),
    "千萬": Decimal(10**7),
    "百萬": Decimal(10**6),
    "十萬": Decimal(10**5),
}
# Qualifiers: (as written, english code). Prefixes sit before the number, suffixes after its unit
# (余 and 多 sit between the number and its unit: 3600余家, 20多个).
PREFIX_QUALIFIERS = {
    "超过": "more_than",
    "超過": "more_than",
    "突破": "more_than",
    "超": "more_than",
    "逾": "more_than",
    "近": "nearly",
    "约": "about",
    "約": "about",
    "前": "top",
    "第": "ordinal",
    "不到": "less_than",
    "不足": "less_than",
}
# Characters before 约 that make it the end of a word (签约 'sign', 节约 'save'), not 'about'.
WORDS_ENDING_YUE = "签簽合节節预預制契公条條集"
INFIX_QUALIFIERS = {"余": "more_than", "餘": "more_than", "多": "more_than"}
SUFFIX_QUALIFIERS = {
    "以上": "at_least",
    "以下": "at_most",
    "左右": "about",
    "之前": "before",
    "以前": "before",
    "以内": "at_most",
    "内": "within",  # 三年内, 1个工作日内
    "內": "within",
    "底前": "by_end",  # 6月底前: a deadline
    "底": "end_of",
}
# 成 is a unit only where it is not the start of a word (成为, 成立, 成功, 成果 …).
UNIT_PATTERNS = {"成": "成(?![为為立功果本长長效交员員熟型就品绩績])"}
# An ordinal followed by a tier word (第一方阵, 第二梯队) names a tier, a group of units, not a
# place: the word is its unit, and "tier" its base unit (and the fact's kind).
TIER = "tier"
# Units that only the special forms below produce: (base unit, factor to the base unit).
SPECIAL_UNITS = {"分之": ("percent", Decimal(100)), "番": ("times", Decimal(1))}
FRACTION_PLACES = Decimal("0.000001")  # 三分之一 → 0.333333 (a fraction rarely ends)
RANGE_SEPARATORS = "至到~—–-"
# No quantity in the genre comes near 10^18 (亿亿); longer digit runs are codes, and larger values
# would overflow the tables' numeric types.
MAX_QUANTITY = Decimal(10) ** 18


class NumberParseError(ValueError):
    """A string that looks numeric but cannot be read as a number."""


def to_halfwidth(text: str) -> str:
    """Map full-width digits and signs onto ASCII; length is unchanged."""
    return text.translate(_WIDTH)


def parse_arabic(text: str) -> Decimal:
    """'1,200' → 1200, '16.4' → 16.4, '８.６' → 8.6 (exact)."""
    s = to_halfwidth(text)
    if not re.fullmatch(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?", s):
        raise NumberParseError(f"not an Arabic number: {text!r}")
    return Decimal(s.replace(",", ""))


def _parse_below_10000(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None:  # two digits in a row: only valid as 零 padding
                if DIGITS[ch] != 0 and digit != 0:
                    raise NumberParseError(f"digits without a unit in {text!r}")
            digit = DIGITS[ch] if DIGITS[ch] != 0 or digit is None else digit
        elif ch in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            raise NumberParseError(f"unexpected {ch!r} in {text!r}")
    return total + (digit or 0)


def parse_chinese(text: str) -> Decimal:
    """Chinese numerals to an exact integer: '十二' → 12, '两百' → 200, '一万零五' → 10005."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        raise NumberParseError(f"not a Chinese numeral: {text!r}")
    # A bare run of digit characters reads digit by digit only as a year-like code (二〇一九);
    # shorter runs such as 三四 ('three or four') are approximations, not numbers.
    if len(text) > 1 and all(ch in DIGITS for ch in text):
        if len(text) < 4 and "〇" not in text and "零" not in text:
            raise NumberParseError(f"adjacent digits without a unit in {text!r}")
        return Decimal("".join(str(DIGITS[ch]) for ch in text))
    total = 0
    rest = text
    for unit_chars, factor in ((("亿", "億"), 10**8), (("万", "萬"), 10**4)):
        for uc in unit_chars:
            if uc in rest:
                head, _, rest = rest.partition(uc)
                total += (_parse_below_10000(head) if head else 1) * factor
                break
    if rest:
        total += _parse_below_10000(rest)
    return Decimal(total)


def parse_number(text: str) -> Decimal:
    """An Arabic or Chinese number, or an Arabic number with a Chinese multiplier ('3.5万')."""
    s = to_halfwidth(text)
    m = re.fullmatch(r"([0-9][0-9,]*(?:\.[0-9]+)?)([十百千万萬亿億]*)", s)
    if m:
        value = parse_arabic(m.group(1))
        return value * multiplier_of(m.group(2)) if m.group(2) else value
    return parse_chinese(s)


def multiplier_of(text: str) -> Decimal:
    """'万' → 10⁴, '亿' → 10⁸, '千亿' → 10¹¹; '' → 1."""
    if not text:
        return Decimal(1)
    if text in MULTIPLIERS:
        return MULTIPLIERS[text]
    factor = Decimal(1)
    for ch in text:
        if ch in LARGE_UNITS:
            factor *= LARGE_UNITS[ch]
        elif ch in SMALL_UNITS:
            factor *= SMALL_UNITS[ch]
        else:
            raise NumberParseError(f"not a multiplier: {text!r}")
    return factor


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text, with offsets into that text (end exclusive)."""

    start: int
    end: int
    quote: str
    number_text: str
    value: Decimal
    value_high: Decimal | None
    multiplier: Decimal
    unit_raw: str
    unit_normalized: str
    qualifier: str
    qualifier_raw: str

    @property
    def value_normalized(self) -> Decimal:
        return normalize(self.value, self.multiplier, self.unit_raw)

    @property
    def value_high_normalized(self) -> Decimal | None:
        if self.value_high is None:
            return None
        return normalize(self.value_high, self.multiplier, self.unit_raw)


@lru_cache(maxsize=1024)
def base_unit(unit_raw: str) -> tuple[str, Decimal]:
    """Base unit and factor for a unit as written (without multiplier): '平方米' → ('m2', 1)."""
    if unit_raw in SPECIAL_UNITS:
        return SPECIAL_UNITS[unit_raw]
    if unit_raw in TIER_WORDS:
        return TIER, Decimal(1)
    for written, (base, factor) in MEASURE_UNITS.items():
        if unit_raw.endswith(written):
            return base, factor
    if unit_raw.startswith(COUNT_CLASSIFIERS) or unit_raw in COUNT_CLASSIFIERS:
        return "count", Decimal(1)
    return "count" if not unit_raw else "unknown", Decimal(1)


def normalize(value: Decimal, multiplier: Decimal, unit_raw: str) -> Decimal:
    """Value in base units: 16.4 × 亿 元 → 1640000000 yuan (exact, no float)."""
    _, factor = base_unit(unit_raw)
    result = value * multiplier * factor
    # Drop trailing zeros of the exponent form but keep an integral value integral.
    return (
        result.quantize(Decimal(1)) if result == result.to_integral_value() else result.normalize()
    )


def decimal_to_str(value: Decimal | None) -> str:
    """Plain decimal text without exponent: Decimal('1.64E+9') → '1640000000'."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


_UNIT_ALTERNATION = "|".join(
    UNIT_PATTERNS.get(u, re.escape(u))
    for u in sorted([*MEASURE_UNITS, *COUNT_CLASSIFIERS], key=len, reverse=True)
)
_MULT_ALTERNATION = "|".join(re.escape(m) for m in sorted(MULTIPLIERS, key=len, reverse=True))
_PREFIX_ALTERNATION = "|".join(
    re.escape(q) for q in sorted(PREFIX_QUALIFIERS, key=len, reverse=True)
)
_ORDINAL = "第"
_NON_ORDINAL_ALTERNATION = "|".join(
    re.escape(q) for q in sorted(PREFIX_QUALIFIERS, key=len, reverse=True) if q != _ORDINAL
)
_TIER_ALTERNATION = "|".join(re.escape(w) for w in sorted(TIER_WORDS, key=len, reverse=True))
_SUFFIX_ALTERNATION = "|".join(
    re.escape(q) for q in sorted(SUFFIX_QUALIFIERS, key=len, reverse=True)
)
_NUM = f"(?:{ARABIC_RE}|{CN_RE})"

# A blank as apps and tables set it between a number and its unit or qualifier (５００ 億元,
# 8% 左右): one space, taken only when a unit, multiplier or qualifier follows it.
_GAP = "[ \u3000\u00a0]?"

QUANTITY_RE = re.compile(
    rf"(?:(?:(?P<ordinal>{_ORDINAL})|(?P<prefix>{_NON_ORDINAL_ALTERNATION})){_GAP})?"
    rf"(?P<number>{ARABIC_RE}|{CN_RE})"
    # Only an ordinal takes a tier word (第一方阵; 一方阵 has no unit), and the word is its whole
    # unit: no range, multiplier or classifier is read after it (第一梯队人才: 人 is not a unit).
    rf"(?(ordinal)(?P<tier>{_TIER_ALTERNATION})?)"
    r"(?(tier)|"
    rf"(?:(?P<lowtail>(?:{_MULT_ALTERNATION})?(?:{_UNIT_ALTERNATION})?)"
    rf"[{RANGE_SEPARATORS}](?P<high>{_NUM}))?"
    rf"(?:{_GAP}(?P<mult>{_MULT_ALTERNATION}))?"
    rf"(?P<infix>[余餘多])?"
    rf"(?:{_GAP}(?P<unit>{_UNIT_ALTERNATION}))?"
    r")"
    rf"(?:{_GAP}(?P<suffix>{_SUFFIX_ALTERNATION}))?"
)


def _split_chinese_multiplier(number: str, mult: str) -> tuple[str, str]:
    """A Chinese numeral swallows its own 万/亿 ('千亿' → number 千, multiplier 亿)."""
    if mult or number[:1].isdigit() or to_halfwidth(number[:1]).isdigit():
        return number, mult
    tail = ""
    while len(number) > 1 and number[-1] in LARGE_UNITS:
        tail = number[-1] + tail
        number = number[:-1]
    return number, tail


def quantity_from_match(m: re.Match[str], source: str) -> Quantity | None:
    """Build a Quantity from a QUANTITY_RE match on `to_halfwidth(source)`, or None."""
    before = source[m.start() - 1 : m.start()] if m.start() else ""
    prefix = m.group("ordinal") or m.group("prefix") or ""
    if prefix in ("约", "約") and before and before in WORDS_ENDING_YUE:
        return None  # 签约, 合约, 节约: the 约 ends a word and is no "about"
    tier = m.group("tier") or ""
    number, mult = _split_chinese_multiplier(m.group("number"), m.group("mult") or "")
    try:
        value = parse_number(number)
        high = parse_number(m.group("high")) if m.group("high") else None
        factor = multiplier_of(mult)
    except NumberParseError:
        return None
    unit = tier or m.group("unit") or ""
    if max(value, high or 0) * factor * base_unit(unit)[1] >= MAX_QUANTITY:
        return None  # a digit run this long is a code or noise, not a quantity
    lowtail = m.group("lowtail") or ""
    # '3亿至5亿元', '10%-15%': the low end may repeat the unit, but never name another one.
    if lowtail and lowtail not in (mult, mult + unit, unit):
        return None
    qualifier_raw = "".join(q for q in (prefix, m.group("infix"), m.group("suffix")) if q)
    codes = [
        PREFIX_QUALIFIERS.get(prefix),
        INFIX_QUALIFIERS.get(m.group("infix") or ""),
        SUFFIX_QUALIFIERS.get(m.group("suffix") or ""),
    ]
    codes = list(dict.fromkeys(c for c in codes if c))
    base, _ = base_unit(unit)
    if "%" in unit:
        base = "percent"
    return Quantity(
        start=m.start(),
        end=m.end(),
        quote=source[m.start() : m.end()],
        number_text=source[
            m.start("number") : m.end("high") if m.group("high") else m.end("number")
        ],
        value=value,
        value_high=high,
        multiplier=factor,
        unit_raw=(mult + unit),
        unit_normalized=base,
        qualifier="+".join(codes),
        qualifier_raw=qualifier_raw,
    )


# Forms that are not "number + unit": fractions (三分之一: denominator first) and doublings
# (翻一番 = ×2, 翻两番 = ×4), each with the usual qualifiers around it.
SPECIAL_RE = re.compile(
    rf"(?P<prefix>{_PREFIX_ALTERNATION})?"
    rf"(?:(?P<den>{_NUM})分之(?P<num>{_NUM})|翻了?(?P<fold>{_NUM})番)"
    rf"(?P<suffix>{_SUFFIX_ALTERNATION})?"
)


def special_from_match(m: re.Match[str], source: str) -> Quantity | None:
    """A fraction or a doubling from a SPECIAL_RE match on `to_halfwidth(source)`, or None."""
    try:
        if m.group("fold"):
            number_span = m.span("fold")
            value, unit = Decimal(2) ** int(parse_number(m.group("fold"))), "番"
        else:
            number_span = (m.start("den"), m.end("num"))
            value = parse_number(m.group("num")) / parse_number(m.group("den"))
            if value != value.quantize(FRACTION_PLACES):
                value = value.quantize(FRACTION_PLACES)
            unit = "分之"
    except (NumberParseError, ArithmeticError):
        return None
    if value >= MAX_QUANTITY:
        return None
    prefix, suffix = m.group("prefix") or "", m.group("suffix") or ""
    codes = [c for c in (PREFIX_QUALIFIERS.get(prefix), SUFFIX_QUALIFIERS.get(suffix)) if c]
    return Quantity(
        start=m.start(),
        end=m.end(),
        quote=source[m.start() : m.end()],
        number_text=source[number_span[0] : number_span[1]],
        value=value,
        value_high=None,
        multiplier=Decimal(1),
        unit_raw=unit,
        unit_normalized=SPECIAL_UNITS[unit][0],
        qualifier="+".join(dict.fromkeys(codes)),
        qualifier_raw=prefix + suffix,
    )


def parse_quantity(text: str) -> Quantity:
    """Parse one whole quantity expression such as '3600余家', '８.６％', '3至5个', '超100家'."""
    text = text.strip()
    half = to_halfwidth(text)
    m = QUANTITY_RE.fullmatch(half)
    q = quantity_from_match(m, text) if m else None
    if q is None and (m := SPECIAL_RE.fullmatch(half)):
        q = special_from_match(m, text)
    if q is None:
        raise NumberParseError(f"not a quantity: {text!r}")
    return q


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity-shaped match in `text`, left to right, offsets into `text`."""
    if not ANY_NUMERAL_RE.search(text):
        return []  # every form needs a numeral: a clause without one is read in one scan
    half = to_halfwidth(text)
    specials = [q for m in SPECIAL_RE.finditer(half) if (q := special_from_match(m, text))]
    found: list[Quantity] = []
    pos = 0
    # Plain quantities are read between the special forms, never inside one.
    for special in [*specials, None]:
        stop = special.start if special else len(half)
        while (m := QUANTITY_RE.search(half, pos, stop)) is not None:
            q = quantity_from_match(m, text) if m.end() > m.start() else None
            if q is None:
                pos = m.start() + 1  # e.g. 唯一一个: retry after the first numeral character
                continue
            found.append(q)
            pos = m.end()
        if special:
            found.append(special)
            pos = special.end
    return found
