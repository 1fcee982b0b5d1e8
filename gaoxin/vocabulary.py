"""Closed vocabularies and word lists of the genre: a leaf module that imports nothing from gaoxin.

The schema (gaoxin.data.schema) takes its enums from here, and the extraction rules their words, so
loading data never imports the extractor.
"""

from __future__ import annotations

import re

# Five-year plans ("十四五"): always a span of years.
FIVE_YEAR_PLANS = ("十二五", "十三五", "十四五", "十五五")
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
    "tier",
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
    "一成不变": "idiom 'unchanging'",
    "零部件": "word 'parts and components'",
    "零配件": "word 'spare parts'",
    "零件": "word 'parts'",
    "过去一年": "time phrase 'the past year' (the reporting year), not a duration",
    "每万": "'per ten thousand': the denominator of a rate, not a quantity",
    "一组": "vague quantity 'a set of'",
}
# The Chinese edition's words for each reason above (same keys; tests/test_tables.py checks).
NON_QUANTITY_WORDS_ZH = {
    "一流": "习语“一流”，不是计数",
    "双一流": "“双一流”高校建设计划的名称",
    "进一步": "副词“进一步”",
    "统一": "动词“统一”",
    "唯一一个": "习语“唯一一个”",
    "唯一": "形容词“唯一”",
    "一般": "形容词“一般”（一般公共预算收入）",
    "一定": "形容词“一定”",
    "一大批": "约数“一大批”",
    "一批": "约数“一批”",
    "一起": "副词“一起”",
    "一直": "副词“一直”",
    "一些": "约数“一些”",
    "一系列": "约数“一系列”",
    "一站式": "习语“一站式”",
    "一门式": "习语“一门式”（单一窗口服务）",
    "一网式": "习语“一网式”（网上单一窗口服务）",
    "新一代": "形容词“新一代”",
    "另一个": "代词“另一个”",
    "两者": "代词“两者”",
    "第一个百年": "固定政治用语“第一个百年（奋斗目标）”",
    "的一年": "修辞“……的一年”（指报告年度，不是计数）",
    "新的一年": "修辞“新的一年”",
    "万一": "连词“万一”",
    "零售": "词语“零售”（社会消费品零售总额）",
    "千万": "副词“千万”",
    "一成不变": "习语“一成不变”",
    "零部件": "词语“零部件”",
    "零配件": "词语“零配件”",
    "零件": "词语“零件”",
    "过去一年": "时间短语“过去一年”（报告年度），不是时长",
    "每万": "“每万”：比率的分母，不是数据项",
    "一组": "约数“一组”",
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
    "去年",
    "今年",
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
# Words that end in a trimmed tail («约», «达») but are whole words of the subject (签约: signed).
TAIL_WORDS_KEPT = ("签约", "合约", "预约", "节约", "制约", "到达", "抵达", "送达", "下达")
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
# Words that make an ordinal a tier, not a place: 第一方阵 is the first tier, a group of units
# (the readings register's first_tier); the genre also writes 第二梯队. An ordinal followed by one
# of them is read as one quantity, the word its unit, of kind tier.
TIER_WORDS = ("方阵", "梯队")
# A move in a ranking: 上升两位 is two places, not two people.
RANK_MOVES = ("上升", "下降", "提升", "前移", "后移", "跃升", "攀升", "前进", "后退")
CLAUSE_DELIMITERS = ",，;；:：。！？!?"
GROWTH_WORDS = ("增长", "增加", "提高", "提升", "下降", "减少", "增速")
PLAN_WORDS = ("计划",)
MULTI_YEAR_WORDS = ("至今", "以来", "历史", "年均", *FIVE_YEAR_PLANS)
# 期 names a phase (孵化器二期, 一期工程), as 版 names a version.
LABEL_CLASSIFIERS = ("版", "代", "届", "强", "批", "期")
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
# Sentence words that mark the plan year's goals (the plan year is the year they name).
TARGET_WORDS = ("目标", "预期", "力争")


# How a target is read against the previous year's figure (data/annotations/target_pairs.csv).
# Code → (English label, Chinese label); the one home of these labels.
RELATIONS = {
    "same_measure": ("same measure", "同一指标"),
    "different_measure": ("different measure", "口径不同"),
    "no_counterpart": ("no earlier figure", "无对应实绩"),
    "size_threshold": ("size threshold", "规模门槛"),
    "plan_scope": ("plan scope", "计划规模"),
}
# Relations whose target has no result to be read against (the result side stays empty).
RELATIONS_WITHOUT_RESULT = ("no_counterpart", "size_threshold", "plan_scope")


def relation_label(code: str) -> str:
    """Bilingual reader-facing label of a relation code: 'same measure 同一指标'."""
    en, zh = RELATIONS[code]
    return f"{en} {zh}"


# --- traditional script -------------------------------------------------------------------------
# Reports of the genre are also published in traditional characters. Every word list above gains
# its traditional spelling, character by character (one to one, so no offset ever moves). The
# table covers the characters of these word lists and the genre's common words, not all of Chinese.
SIMPLIFIED_CHARS = (
    "长计划标预争确实现达产业项资税财学园区发创专术设环总额较进经济数据显与为个点开会议际国场当过来"
    "后规级万亿减历签约负债体费银儿医疗养奖赛龙众网车绿桥获举办启动届强时继续户团镇轴广间验挥积极让"
    "类该统门两变阵队务营构质优馆图线电气页传订单销贸运输农态护卫险权证审许员职岗训练层阶兴厂厅楼亩顷"
)
TRADITIONAL_CHARS = (
    "長計劃標預爭確實現達產業項資稅財學園區發創專術設環總額較進經濟數據顯與為個點開會議際國場當過來"
    "後規級萬億減歷簽約負債體費銀兒醫療養獎賽龍眾網車綠橋獲舉辦啟動屆強時繼續戶團鎮軸廣間驗揮積極讓"
    "類該統門兩變陣隊務營構質優館圖線電氣頁傳訂單銷貿運輸農態護衛險權證審許員職崗訓練層階興廠廳樓畝頃"
)
TO_TRADITIONAL = str.maketrans(SIMPLIFIED_CHARS, TRADITIONAL_CHARS)


def both_scripts(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words, then their traditional spellings (simplified text matches as before)."""
    extra = (w.translate(TO_TRADITIONAL) for w in words)
    return tuple(dict.fromkeys([*words, *extra]))


def _both_keys(mapping: dict) -> dict:
    return {k2: v for k, v in mapping.items() for k2 in both_scripts((k,))}


NON_QUANTITY_WORDS = _both_keys(NON_QUANTITY_WORDS)
NON_QUANTITY_WORDS_ZH = _both_keys(NON_QUANTITY_WORDS_ZH)
ENTITY_SUFFIXES = {kind: both_scripts(words) for kind, words in ENTITY_SUFFIXES.items()}
LIST_HEAD_NOUNS = _both_keys(LIST_HEAD_NOUNS)
NAME_LEAD_VERBS = both_scripts(NAME_LEAD_VERBS)
NOT_IN_NAMES = both_scripts(NOT_IN_NAMES)
VAGUE_PREFIXES = both_scripts(VAGUE_PREFIXES)
ZONE_SELF_REFERENCES = both_scripts(ZONE_SELF_REFERENCES)
LEAD_VERBS = both_scripts(LEAD_VERBS)
SUBJECT_LEAD_TRIM = both_scripts(SUBJECT_LEAD_TRIM)
SUBJECT_TAIL_TRIM = both_scripts(SUBJECT_TAIL_TRIM)
TAIL_WORDS_KEPT = both_scripts(TAIL_WORDS_KEPT)
FOLLOW_STOP_WORDS = both_scripts(FOLLOW_STOP_WORDS)
CLAUSE_VERBS = both_scripts(CLAUSE_VERBS)
RANK_VERBS = both_scripts(RANK_VERBS)
TIER_WORDS = both_scripts(TIER_WORDS)
RANK_MOVES = both_scripts(RANK_MOVES)
GROWTH_WORDS = both_scripts(GROWTH_WORDS)
PLAN_WORDS = both_scripts(PLAN_WORDS)
MULTI_YEAR_WORDS = both_scripts(MULTI_YEAR_WORDS)
LABEL_CLASSIFIERS = both_scripts(LABEL_CLASSIFIERS)
TARGET_WORDS = both_scripts(TARGET_WORDS)
DOMAIN_KEYWORDS = tuple((domain, both_scripts(words)) for domain, words in DOMAIN_KEYWORDS)
ZONE_NAME_RE = re.compile("高新[区區]")

# Why a numeral is not a quantity: the fixed reasons (data/processed/exclusions.csv, reason),
# and their Chinese for the Chinese edition (`reason_zh`).
REASON_MARKUP = "inside markup (an HTML tag or script), not article text"
REASON_LIST_MARKER = "list marker (一是, 一、, （一）), not a quantity"
REASON_HEADER_UNIT = "unit written in a table header (（亿元）, 单位), not a quantity"
REASON_TIME = "part of a time expression (一季度), not a quantity"
REASON_CODE = "part of a code written with Latin letters (5G, A1), not a quantity"
NOT_A_QUANTITY = "not a quantity: "  # + word — reason (NON_QUANTITY_WORDS)
PROPER_NAME = "part of the proper name "  # + name
REASONS_ZH = {
    REASON_MARKUP: "位于网页标记（标签或脚本）内，不是正文",
    REASON_LIST_MARKER: "序号（一是、一、（一）），不是数据项",
    REASON_HEADER_UNIT: "表头中的单位（（亿元）、单位），不是数据项",
    REASON_TIME: "时间表达的一部分（一季度），不是数据项",
    REASON_CODE: "拉丁字母代码的一部分（5G、A1），不是数据项",
}


def reason_zh(reason: str) -> str:
    """An exclusion reason in Chinese: '不是数据项：一流——习语“一流”，不是数据项',
    '专有名称“七星科技”的一部分'. A reason of another form raises KeyError."""
    if reason in REASONS_ZH:
        return REASONS_ZH[reason]
    if reason.startswith(PROPER_NAME):
        return f"专有名称“{reason.removeprefix(PROPER_NAME)}”的一部分"
    if reason.startswith(NOT_A_QUANTITY):
        word = reason.removeprefix(NOT_A_QUANTITY).split(" — ", 1)[0]
        return f"不是数据项：{word}——{NON_QUANTITY_WORDS_ZH[word]}"
    raise KeyError(f"no Chinese for the exclusion reason {reason!r}")
