"""The number parser on small hand-checked texts, plus property-based round trips."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.text.numbers import (
    NumberParseError,
    decimal_to_str,
    find_quantities,
    parse_arabic,
    parse_chinese,
    parse_number,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("两", 2),
        ("兩", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两百", 200),
        ("百", 100),
        ("三千五百", 3500),
        ("一千零五", 1005),
        ("一万零五", 10005),
        ("十万", 100_000),
        ("兩萬", 20_000),
        ("一亿二千万", 120_000_000),
        ("三億", 300_000_000),
        ("二〇一九", 2019),
        ("零", 0),
    ],
)
def test_chinese_numerals(text, expected):
    assert parse_chinese(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "一流x", "abc", "三四"])
def test_chinese_numerals_reject_non_numbers(text):
    with pytest.raises(NumberParseError):
        parse_chinese(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200", "1200"),
        ("16.4", "16.4"),
        ("８.６", "8.6"),
        ("１，２００", "1200"),
        ("0.05", "0.05"),
    ],
)
def test_arabic_numbers(text, expected):
    assert parse_arabic(text) == Decimal(expected)


def test_thousands_separator_must_group_by_three():
    with pytest.raises(NumberParseError):
        parse_arabic("12,00")


def test_no_float_surprise_on_multiplier_units():
    # A float pipeline turns 16.4亿 into 1639999999.9999998.
    q = parse_quantity("16.4亿元")
    assert q.value_normalized == Decimal(1_640_000_000)
    assert decimal_to_str(q.value_normalized) == "1640000000"
    assert parse_number("3.5万") == Decimal(35000)


@pytest.mark.parametrize(
    ("text", "value", "high", "unit_raw", "base", "normalized", "qualifier"),
    [
        ("3600余家", "3600", None, "家", "count", "3600", "more_than"),
        ("20多个", "20", None, "个", "count", "20", "more_than"),
        ("近20家", "20", None, "家", "count", "20", "nearly"),
        ("近百场", "100", None, "场", "count", "100", "nearly"),
        ("超100家", "100", None, "家", "count", "100", "more_than"),
        ("突破500亿元", "500", None, "亿元", "yuan", "50000000000", "more_than"),
        ("30%以上", "30", None, "%", "percent", "30", "at_least"),
        ("８.６％", "8.6", None, "%", "percent", "8.6", ""),
        ("120万平方米", "120", None, "万平方米", "m2", "1200000", ""),
        ("12公里", "12", None, "公里", "m", "12000", ""),
        ("5000米", "5000", None, "米", "m", "5000", ""),
        ("千亿级", "1000", None, "亿级", "count", "100000000000", ""),
        ("3至5个", "3", "5", "个", "count", "3", ""),
        ("10-15%", "10", "15", "%", "percent", "10", ""),
        ("1,200万元", "1200", None, "万元", "yuan", "12000000", ""),
        ("三大", "3", None, "大", "count", "3", ""),
        ("两万元", "2", None, "万元", "yuan", "20000", ""),
        ("兩億元", "2", None, "億元", "yuan", "200000000", ""),
        ("超过10个以上", "10", None, "个", "count", "10", "more_than+at_least"),
        ("9月之前", "9", None, "月", "month", "9", "before"),
    ],
)
def test_quantities(text, value, high, unit_raw, base, normalized, qualifier):
    q = parse_quantity(text)
    assert q.value == Decimal(value)
    assert q.value_high == (Decimal(high) if high else None)
    assert q.unit_raw == unit_raw
    assert q.unit_normalized == base
    assert decimal_to_str(q.value_normalized) == normalized
    assert q.qualifier == qualifier
    assert q.quote == text


def test_range_upper_end_is_normalized_too():
    q = parse_quantity("3至5万平方米")
    assert q.value_high_normalized == Decimal(50000)


def test_find_quantities_keeps_offsets_with_fullwidth_text():
    text = "增长８.６％,新增市场主体达3600余家。"
    found = find_quantities(text)
    assert [text[q.start : q.end] for q in found] == ["８.６％", "3600余家"]


# --- property-based round trips --------------------------------------------------------------

DIGIT_CHARS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Independent test-side writer of Chinese numerals (standard reading, 零 for gaps)."""
    if n == 0:
        return "零"

    def below_10000(m: int) -> str:
        out, zero = "", False
        for factor, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, m = divmod(m, factor)
            if d:
                if zero and out:
                    out += "零"
                out += DIGIT_CHARS[d] + unit
                zero = False
            else:
                zero = True
        return out

    parts = []
    for factor, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk, n = divmod(n, factor)
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(below_10000(chunk) + unit)
        elif parts and n:
            parts.append("零")
    text = "".join(parts)
    while "零零" in text:
        text = text.replace("零零", "零")
    return text.rstrip("零") or "零"


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(n):
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separator_round_trip(n):
    assert parse_arabic(f"{n:,}") == n


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip_is_exact(d):
    text = format(d, "f")
    assert parse_arabic(text) == d
    full = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_arabic(full) == d


@given(
    st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 10**4), ("亿", 10**8), ("千亿", 10**11)]),
)
def test_multiplier_units_are_exact(d, mult):
    word, factor = mult
    q = parse_quantity(f"{format(d, 'f')}{word}元")
    assert q.value_normalized == d * factor


def test_find_quantities_in_traditional_and_fullwidth_text():
    text = "全年投資兩億元,新增企業１，２００余家,增速10-15%,建設3至5個園區。"
    found = {q.quote: q for q in find_quantities(text)}
    assert found["兩億元"].value_normalized == Decimal(200_000_000)
    assert found["１，２００余家"].value_normalized == Decimal(1200)
    assert found["１，２００余家"].qualifier == "more_than"
    assert (found["10-15%"].value, found["10-15%"].value_high) == (Decimal(10), Decimal(15))
    assert (found["3至5個"].value_high, found["3至5個"].unit_normalized) == (Decimal(5), "count")


@pytest.mark.parametrize(
    ("text", "value", "high", "unit_raw", "base", "normalized", "qualifier"),
    [
        # The genre's forms (issue 10), each read by hand.
        ("3个百分点", "3", None, "个百分点", "percentage_point", "3", ""),
        ("0.5個百分點", "0.5", None, "個百分點", "percentage_point", "0.5", ""),
        ("六成", "6", None, "成", "percent", "60", ""),
        ("8成以上", "8", None, "成", "percent", "80", "at_least"),
        ("2倍", "2", None, "倍", "times", "2", ""),
        ("翻一番", "2", None, "番", "times", "2", ""),
        ("翻两番", "4", None, "番", "times", "4", ""),
        ("四分之一", "0.25", None, "分之", "percent", "25", ""),
        ("近三分之一", "0.333333", None, "分之", "percent", "33.3333", "nearly"),
        ("3至5個", "3", "5", "個", "count", "3", ""),
        ("３到５家", "3", "5", "家", "count", "3", ""),
        ("10%-15%", "10", "15", "%", "percent", "10", ""),
        ("3亿至5亿元", "3", "5", "亿元", "yuan", "300000000", ""),
        ("2～3年", "2", "3", "年", "year", "2", ""),
        ("2,000畝", "2000", None, "畝", "mu", "2000", ""),
        ("800亩", "800", None, "亩", "mu", "800", ""),
        ("120公顷", "120", None, "公顷", "m2", "1200000", ""),
        ("15平方公里", "15", None, "平方公里", "m2", "15000000", ""),
        ("50万人次", "50", None, "万人次", "count", "500000", ""),
        ("1个工作日以内", "1", None, "个工作日", "day", "1", "at_most"),
        ("三年内", "3", None, "年", "year", "3", "within"),
        ("6个月", "6", None, "个月", "month", "6", ""),
        ("6月底前", "6", None, "月", "month", "6", "by_end"),
        ("5千萬元", "5", None, "千萬元", "yuan", "50000000", ""),
        ("1.2亿美元", "1.2", None, "亿美元", "usd", "120000000", ""),
        # Traditional spellings of the qualifiers.
        ("超過1,150億元", "1150", None, "億元", "yuan", "115000000000", "more_than"),
        ("約38億元", "38", None, "億元", "yuan", "3800000000", "about"),
        # An ordinal and a tier word: a tier, a group of units (第一方阵 the first tier).
        ("第一方阵", "1", None, "方阵", "tier", "1", "ordinal"),
        ("第二梯队", "2", None, "梯队", "tier", "2", "ordinal"),
        ("第一方陣", "1", None, "方陣", "tier", "1", "ordinal"),
        ("第3位", "3", None, "位", "count", "3", "ordinal"),
    ],
)
def test_genre_quantities(text, value, high, unit_raw, base, normalized, qualifier):
    q = parse_quantity(text)
    assert str(q.value) == value
    assert (str(q.value_high) if q.value_high is not None else None) == high
    assert (q.unit_raw, q.unit_normalized, q.qualifier) == (unit_raw, base, qualifier)
    assert decimal_to_str(q.value_normalized) == normalized


@pytest.mark.parametrize("text", ["成为", "建成投产", "取得成果", "一成不变"])
def test_cheng_is_a_unit_only_after_a_numeral_and_not_in_words(text):
    quotes = [q.quote for q in find_quantities(text)]
    assert "成为" not in "".join(quotes) and "成果" not in "".join(quotes)
    if text != "一成不变":  # 一成 is caught by the extractor's non-quantity words
        assert quotes == []


def test_a_range_never_mixes_units():
    # 3个至5万元 is not a range: the low end names another unit.
    assert all(q.value_high is None for q in find_quantities("3个至5万元"))


def test_only_an_ordinal_takes_a_tier_word():
    """第一方阵 is one quantity; without 第 the tier word is no unit, and a classifier after the
    tier word is not read into it (第一梯队人才: talents of the first tier, not people)."""
    assert [q.quote for q in find_quantities("进入第一方阵。")] == ["第一方阵"]
    assert [(q.quote, q.unit_raw) for q in find_quantities("一方阵")] == [("一", "")]
    assert [(q.quote, q.unit_raw) for q in find_quantities("第一梯队人才")] == [
        ("第一梯队", "梯队")
    ]
    with pytest.raises(NumberParseError):
        parse_quantity("一方阵")
