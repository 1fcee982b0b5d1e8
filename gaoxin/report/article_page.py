"""The article as a page: each quantity highlighted, its row shown on focus, its id an anchor.

``exports/article.html`` is rendered from ``data/raw/article.txt`` through the validated loaders
(paragraphs, sections, facts, exclusions), so a highlight always covers exactly ``raw[start:end]``.
Results, targets and other quantities get one colour and one underline style each; numerals that
are not quantities (the exclusions table) are boxed. Hovering or focusing a quantity, or arriving
at ``article.html#F00597``, shows its row; that needs CSS only, the page has no script.
Every piece of article text is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from gaoxin.report.render import render_page
from gaoxin.vocabulary import reason_zh

ARTICLE_PAGE = "article.html"
CSS_PATH = Path(__file__).resolve().parent / "templates" / "site" / "article.css"

# Highlight class per period; every other period (multi_year, none) is "other".
PERIOD_CLASS = {"result": "gx-q-result", "target": "gx-q-target"}
OTHER_CLASS = "gx-q-other"

PERIOD_WORDS = {
    "result": "实绩 result",
    "target": "目标 target",
    "multi_year": "多年 multi-year",
    "none": "无 none (not a measurement)",
}
QUALIFIER_WORDS = {
    "more_than": "more than",
    "nearly": "nearly",
    "at_least": "or more",
    "top": "within the top",
    "about": "about",
    "before": "before",
}
KIND_WORDS = {
    "growth_rate": "growth rate 增速",
    "level": "level 总量",
    "share": "share 占比",
    "count": "count 个数",
    "rank": "rank 名次",
    "date": "date 日期",
    "duration": "duration 时长",
    "target": "target 目标",
    "label": "number in a name 名称中的数字",
    "tier": "tier 方阵",
}
# The kind of an ordinal that names a tier (第一方阵: the first tier, a group, not a place).
TIER = "tier"
UNIT_WORDS = {
    "yuan": "yuan",
    "m2": "m²",
    "m": "m",
    "percent": "%",
    "percentage_point": "percentage points",
    "count": "count",
    "rank": "rank",
    "year": "year",
    "month": "month",
    "day": "day",
    "times": "times",
    "tier": "tier",
}
# Words the facts table keeps after a number that make it a count in a name, not a unit:
# 三大 "the three major …", 十大 "the ten major …" (see 大 in gaoxin/glossary.csv).
NAME_COUNT_WORDS = ("大",)
# The suffix of a unit that names an order of magnitude (千亿级 "of the 100-bn class").
SCALE_SUFFIX = "级"
# Thousands separators only from here up: years (2018) and small counts read better without.
GROUPING_FROM = Decimal(10000)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _blank(value: Any) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or str(value) in ("", "<NA>")
    )


def plain_number(value: Any) -> str:
    """A number as plain decimal digits: no exponent, no trailing zeros, separators from 10,000."""
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(str(value))
    exact = exact.normalize()
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    text = format(exact, "f")
    if abs(exact) >= GROUPING_FROM:
        whole, _, fraction = text.partition(".")
        text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return text


def qualifier_words(code: Any, raw: Any) -> str:
    if _blank(code):
        return "—"
    words = " + ".join(QUALIFIER_WORDS.get(part, part) for part in str(code).split("+"))
    return f"{raw} — {words}" if not _blank(raw) else words


def period_words(row: dict[str, Any]) -> str:
    words = PERIOD_WORDS.get(str(row["period"]), str(row["period"]))
    if row.get("target_role"):
        words = str(row["target_role"])
    if str(row.get("cumulative")).lower() == "true" and not _blank(row.get("year")):
        # 累计: a running total up to that year; the article gives no start, so no single year.
        return f"累计 cumulative to {row['year']}"
    if row.get("by_section") and not _blank(row.get("year")):
        # The sentence gives no time of its own (readings register, year_by_section).
        return f"{row['year']} {words} (year from its section; no date in the sentence)"
    return f"{row['year']} {words}" if not _blank(row.get("year")) else words


def value_words(row: dict[str, Any]) -> str:
    """The number as written, its range end, and its value in the base unit when they differ."""
    text = plain_number(row["value"])
    if not _blank(row.get("value_high")):
        text += f"–{plain_number(row['value_high'])}"
    unit_raw = "" if _blank(row.get("unit_raw")) else str(row["unit_raw"])
    if unit_raw in NAME_COUNT_WORDS:
        text = f"{row['quote']}: {text}, a count in a name"
    elif unit_raw:
        text += f" {unit_raw}"
    if is_scale(row):
        # 千亿级: an order of magnitude the aim belongs to, not a value it equals.
        return f"{row['quote']}: {scale_words(row)}"
    # A multiplier (万, 亿) or a unit of another size (公里 → m) changes the number.
    converted = Decimal(str(row["value_normalized"])) != Decimal(str(row["value"]))
    if Decimal(str(row["multiplier"])) != 1 or converted:
        base = plain_number(row["value_normalized"])
        if not _blank(row.get("value_high_normalized")):
            base += f"–{plain_number(row['value_high_normalized'])}"
        text += f" = {base} {UNIT_WORDS.get(str(row['unit_normalized']), row['unit_normalized'])}"
    return text


def is_scale(row: dict[str, Any]) -> bool:
    """Whether a fact names an order of magnitude (千亿级, 百亿级: its unit ends in 级), a scale
    the article aims at, not a point value."""
    unit_raw = "" if _blank(row.get("unit_raw")) else str(row["unit_raw"])
    return unit_raw.endswith(SCALE_SUFFIX)


def scale_words(row: dict[str, Any]) -> str:
    """An order of magnitude in words: 'of the order of 100 bn yuan' (no '=': not a value)."""
    base = Decimal(str(row["value_normalized"]))
    unit = UNIT_WORDS.get(str(row["unit_normalized"]), str(row["unit_normalized"]))
    for size, word in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "million")):
        if abs(base) >= size:
            return f"of the order of {plain_number(base / size)} {word} {unit}"
    return f"of the order of {plain_number(base)} {unit}"


def fact_class(row: dict[str, Any]) -> str:
    """Highlight class by role: results (running totals too) and goals are coloured; plans,
    plan scope, size thresholds, dates and names are "other"."""
    role = str(row.get("role") or row["period"])
    return PERIOD_CLASS.get("result" if role == "cumulative" else role, OTHER_CLASS)


def _row_line(key: str, value: str) -> str:
    return f'<span class="gx-row-l"><span class="gx-k">{_esc(key)}</span> {_esc(value)}</span>'


def is_tier(fact: dict[str, Any]) -> bool:
    """Whether a fact names a tier (第一方阵: its quote holds the tier word), not a place."""
    return str(fact["kind"]) == TIER


def kind_words(row: dict[str, Any]) -> str:
    """The kind of a fact in words (a tier is a kind of its own: readings' first_tier)."""
    return KIND_WORDS.get(str(row["kind"]), str(row["kind"]))


def fact_row(row: dict[str, Any]) -> str:
    """The fact's table row as a hidden tooltip (shown by CSS; read by screen readers)."""
    fid = str(row["fact_id"])
    metric = str(row["metric_en"])
    if not _blank(row.get("subject_zh")):
        metric += f" · {row['subject_zh']}"
    base = UNIT_WORDS.get(str(row["unit_normalized"]), str(row["unit_normalized"]))
    written = "" if _blank(row.get("unit_raw")) else str(row["unit_raw"])
    written = "" if written in NAME_COUNT_WORDS else written  # 三大: 大 is not a unit
    unit = f"{written} ({base})" if written and written != base else written or base
    lines = [
        _row_line("指标 Metric", metric),
        _row_line("数值 Value", value_words(row)),
        _row_line("单位 Unit", unit),
    ]
    if is_tier(row):
        lines[1:3] = [
            _row_line("数值 Value", f"{row['quote']}: a tier (a group of zones), not a place"),
            _row_line("单位 Unit", f"tier {row['unit_raw']}"),
        ]
    lines += [
        _row_line("时期 Period", period_words(row)),
        _row_line(
            "限定 Qualifier", qualifier_words(row.get("qualifier"), row.get("qualifier_raw"))
        ),
        _row_line("类型 Kind", kind_words(row)),
    ]
    return (
        f'<span class="gx-row" id="{_esc(fid)}-row" role="tooltip">'
        f'<span class="gx-row-h">{_esc(fid)}</span>{"".join(lines)}</span>'
    )


def exclusion_row(row: dict[str, Any], zh: bool = False) -> str:
    """The tooltip of an excluded numeral: its reason (in Chinese for the Chinese edition)."""
    xid, reason = str(row["exclusion_id"]), str(row["reason"])
    head, label = ("不计", "原因") if zh else ("不计 not counted", "原因 Reason")
    return (
        f'<span class="gx-row" id="{_esc(xid)}-row" role="tooltip">'
        f'<span class="gx-row-h">{_esc(xid)} · {head}</span>'
        f"{_row_line(label, reason_zh(reason) if zh else reason)}</span>"
    )


def fact_row_zh(row: dict[str, Any]) -> str:
    """The Chinese edition's tooltip of a fact: the facts table's Chinese row."""
    # facts_page imports this module at its top: importing it here breaks the cycle.
    from gaoxin.report import facts_page as fp

    fid = str(row["fact_id"])
    lines = [
        _row_line("指标", str(row.get("subject_zh") or "—")),
        _row_line("数值", fp.value_zh(row)),
        _row_line("时期", fp.period_zh(row)),
        _row_line("限定词", fp.qualifier_zh(row)),
        _row_line("类型", fp.kind_zh(row)),
    ]
    return (
        f'<span class="gx-row" id="{_esc(fid)}-row" role="tooltip">'
        f'<span class="gx-row-h">{_esc(fid)}</span>{"".join(lines)}</span>'
    )


def _mark(kind: str, mark_id: str, css: str, text: str, row: str) -> str:
    return (
        f'<span class="{kind} {css}" id="{_esc(mark_id)}">'
        f'<a class="gx-qt" href="#{_esc(mark_id)}" aria-describedby="{_esc(mark_id)}-row">'
        f"{_esc(text)}</a>{row}</span>"
    )


def _records(frame: Any) -> list[dict[str, Any]]:
    return [
        {k: (None if _blank(v) else v) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]


def paragraph_html(raw: str, spans: list[tuple[int, int]], marks: list[dict[str, Any]]) -> str:
    """A paragraph's raw pieces joined, with each mark (start, end, html) wrapped in place."""
    out: list[str] = []
    for a, b in spans:
        pos = a
        for m in marks:
            if a <= m["start"] and m["end"] <= b:
                out.append(_esc(raw[pos : m["start"]]))
                out.append(m["html"])
                pos = m["end"]
        out.append(_esc(raw[pos:b]))
    return "".join(out)


def _spans(raw_spans: str) -> list[tuple[int, int]]:
    pieces = []
    for piece in str(raw_spans).split(";"):
        a, b = piece.split("-")
        pieces.append((int(a), int(b)))
    return pieces


TABLES = ("sections", "paragraphs", "facts", "exclusions")


def has_inputs(data_dir: Path) -> bool:
    """The folder holds the raw article and every table the page needs (invalid ones still fail)."""
    processed = data_dir / "processed"
    return (data_dir / "raw" / "article.txt").is_file() and all(
        (processed / f"{name}.csv").is_file() for name in TABLES
    )


def load_inputs(data_dir: Path) -> dict[str, Any]:
    """The raw text and the tables the page needs, validated by gaoxin.data; each fact carries
    its role (gaoxin.labels.roles, the rule every notebook uses)."""
    from gaoxin.data import load_table, read_raw_text

    article = data_dir / "raw" / "article.txt"
    kw = {"directory": data_dir / "processed", "article": article}
    tables = {name: load_table(name, **kw) for name in TABLES}
    inputs: dict[str, Any] = {name: _records(table) for name, table in tables.items()}
    inputs["raw"] = read_raw_text(article)
    from gaoxin.data.readings import dated_by_section

    roles = fact_roles(tables["facts"], data_dir)
    by_section = list(dated_by_section(tables["facts"])) if len(tables["facts"]) else []
    for fact, role, dated in zip(inputs["facts"], roles, by_section, strict=True):
        fact["role"] = role
        fact["by_section"] = bool(dated)
        fact["target_role"] = ROLE_WORDS[role]() if role in ROLE_WORDS else None
    return inputs


def fact_roles(facts, data_dir: Path) -> list[str]:
    """Each fact's role by labels.roles. The targets that are not goals come from the project's
    readings register, so other articles' data (no register) get only period, plan and 累计."""
    from gaoxin import config
    from gaoxin.labels import roles

    if facts.empty:
        return []
    project = Path(data_dir).resolve() == config.DATA_DIR.resolve()
    has_results = (facts.period == "result").any()
    if not has_results:
        return list(facts.period)
    return list(roles(facts, None if project else {}))


def _role_words(code: str):
    def words() -> str:
        from gaoxin.labels import label

        return label(code).lower()

    return words


# Roles whose words replace the period's (the rest read as their period).
ROLE_WORDS = {code: _role_words(code) for code in ("plan", "plan_scope", "size_threshold")}


def _legend_zh(facts: list[dict[str, Any]], exclusions: list[dict[str, Any]]) -> str:
    """The legend of the Chinese edition's article page (the same counts)."""
    periods = Counter(fact_class(f) for f in facts)
    running = sum(f.get("role") == "cumulative" for f in facts)
    years = {
        cls: sorted({str(f["year"]) for f in facts if fact_class(f) == cls and f.get("year")})
        for cls in PERIOD_CLASS.values()
    }

    def item(css: str, label: str, count: int | str) -> str:
        return (
            f'<li><span class="gx-swatch {css}" aria-hidden="true">12</span>{label}：{count}</li>'
        )

    n_results = periods["gx-q-result"]
    results = f"{n_results - running}个实绩，{running}个累计数" if running else f"{n_results}个"
    return (
        '<section class="gx-legend" aria-labelledby="legend-h">'
        '<h2 id="legend-h">读法</h2>'
        f"<p>报道全文照录。文中{len(facts)}个事实（数据项、日期和名称中的数字）和"
        f"{len(exclusions)}个不计的数字均已标出；将鼠标移到数字上，或用Tab键"
        "移到数字处，可看到事实表对它的记录（指标、数值、时期、限定词）。"
        '完整的表格见<a href="facts.html">事实表</a>页，也可'
        '<a href="../data/facts.csv">下载事实表</a>（CSV格式）。</p>'
        '<ul class="gx-legend-list">'
        + item("gx-q-result", f"实绩（{'、'.join(years['gx-q-result'])}年）", results)
        + item(
            "gx-q-target", f"目标（{'、'.join(years['gx-q-target'])}年）", periods["gx-q-target"]
        )
        + item(
            OTHER_CLASS,
            "其他（计划、计划规模、规模门槛、日期、名称、多年数据）",
            periods[OTHER_CLASS],
        )
        + item("gx-x", "不计（不是数据项的数字）", len(exclusions))
        + "</ul></section>"
    )


def _legend(facts: list[dict[str, Any]], exclusions: list[dict[str, Any]]) -> str:
    periods = Counter(fact_class(f) for f in facts)
    years = {
        cls: sorted({str(f["year"]) for f in facts if fact_class(f) == cls and f.get("year")})
        for cls in PERIOD_CLASS.values()
    }

    def item(css: str, label: str, count: int | str) -> str:
        return (
            f'<li><span class="gx-swatch {css}" aria-hidden="true">12</span> {label}: {count}</li>'
        )

    running = sum(f.get("role") == "cumulative" for f in facts)
    n_results = periods["gx-q-result"]
    results = (
        f"{n_results - running} results and {running} running totals (累计)"
        if running
        else str(n_results)
    )
    targets = f"目标 targets ({', '.join(years['gx-q-target'])})"
    return (
        '<section class="gx-legend" aria-labelledby="legend-h" lang="en">'
        '<h2 id="legend-h">读法 How to read this page</h2>'
        f"<p>The full article as published. Its {len(facts)} facts (quantities, dates and "
        f"numbers in names) and {len(exclusions)} numerals that are not quantities are marked; "
        "hover over one, or move to it with the Tab key, to see what the facts table records "
        "for it (metric, value, period, qualifier). The whole table is on the "
        '<a href="facts.html">facts page</a>, and you can '
        '<a href="data/facts.csv">download the facts table</a> (CSV).</p>'
        '<ul class="gx-legend-list">'
        + item("gx-q-result", _esc(f"实绩 results ({', '.join(years['gx-q-result'])})"), results)
        + item("gx-q-target", _esc(targets), periods["gx-q-target"])
        + item(
            OTHER_CLASS,
            "其他 other (plans, plan scope, size thresholds, dates, names, multi-year figures)",
            periods[OTHER_CLASS],
        )
        + item("gx-x", "不计 numerals that are not quantities", len(exclusions))
        + "</ul></section>"
    )


def _page_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def article_body(inputs: dict[str, Any], lang: str = "en") -> str:
    """The page's body (navigation, the marked article, credits) from load_inputs()' tables;
    lang "zh-CN": the Chinese edition's (exports/zh/article.html), its chrome in Chinese."""
    raw = inputs["raw"]
    marks = [
        {
            "start": int(f["start"]),
            "end": int(f["end"]),
            "html": _mark(
                "gx-q",
                f["fact_id"],
                fact_class(f),
                raw[f["start"] : f["end"]],
                fact_row_zh(f) if lang == "zh-CN" else fact_row(f),
            ),
        }
        for f in inputs["facts"]
    ] + [
        {
            "start": int(x["start"]),
            "end": int(x["end"]),
            "html": _mark(
                "gx-x",
                x["exclusion_id"],
                "",
                raw[x["start"] : x["end"]],
                exclusion_row(x, zh=lang == "zh-CN"),
            ),
        }
        for x in inputs["exclusions"]
    ]
    marks.sort(key=lambda m: m["start"])
    by_paragraph: dict[str, list[dict[str, Any]]] = {}
    sections = {s["section_id"]: s for s in inputs["sections"]}
    head: list[str] = []
    body: list[str] = []
    contents: list[str] = []
    for p in inputs["paragraphs"]:
        spans = _spans(p["raw_spans"])
        mine = [m for m in marks if any(a <= m["start"] and m["end"] <= b for a, b in spans)]
        by_paragraph[p["paragraph_id"]] = mine
        text = paragraph_html(raw, spans, mine)
        pid, role = _esc(p["paragraph_id"]), p["role"]
        if role == "title":
            head.append(f'<h1 id="{pid}">{text}</h1>')
        elif role == "byline":
            head.append(f'<p class="gx-byline" id="{pid}">{text}</p>')
        elif role == "heading":
            sid = _esc(p["section_id"])
            body.append(f'<h2 id="{sid}">{text}</h2>')
            contents.append(
                f'<li><a href="#{sid}">{_esc(sections[p["section_id"]]["title"])}</a></li>'
            )
        elif role == "caption":
            photo = "图：" if lang == "zh-CN" else '<span lang="en">图 Photo:</span> '
            body.append(f'<p class="gx-caption" id="{pid}">{photo}{text}</p>')
        else:
            body.append(f'<p id="{pid}">{text}</p>')
    placed = sum(len(v) for v in by_paragraph.values())
    if placed != len(marks):
        raise ValueError(f"{len(marks) - placed} quantities lie outside every paragraph")
    from gaoxin.source import load_source

    n_joined = sum(1 for p in inputs["paragraphs"] if p["joined"])
    joined = (
        f"layout breaks removed inside {n_joined} paragraph{'s' if n_joined != 1 else ''}"
        if n_joined
        else "no paragraph needed repair"
    )

    source = load_source()
    nav = (
        '<nav class="gx-nav" aria-label="站点 Site"><a href="index.html">← 目录 Index</a>'
        '<a href="facts.html">事实表 Facts table</a>'
        '<a href="data/facts.csv">下载事实表 Download the facts table (CSV)</a>'
        '<a href="data/exclusions.csv">下载排除表 Download the excluded numerals (CSV)</a>'
        '<a href="zh/article.html" lang="zh-CN" hreflang="zh-CN">中文版</a></nav>'
    )
    toc = (
        '<nav class="gx-toc" aria-label="小标题 Sections"><ul>' + "".join(contents) + "</ul></nav>"
    )
    if lang == "zh-CN":
        return _article_zh(inputs, head, contents, body, n_joined)
    parts = [
        nav,
        '<p class="gx-kicker"><span lang="en">原文 The article, every number marked</span></p>',
        '<article class="gx-article">',
        "<header>"
        + "".join(head)
        + f'<p class="gx-title-en" lang="en">{_esc(source.title_en)}</p></header>',
        _legend(inputs["facts"], inputs["exclusions"]),
        toc,
        "\n".join(body),
        "</article>",
        f'<footer class="gx-footer" lang="en">Text: {_esc(source.credit)}, reproduced as received '
        f"({joined}). Each highlight is a row of the facts table "
        '(<a href="facts.html">every number in one table</a>).</footer>',
    ]
    return "\n".join(parts) + "\n"


def _article_zh(
    inputs: dict[str, Any], head: list[str], contents: list[str], body: list[str], n_joined: int
) -> str:
    from gaoxin.source import load_source

    source = load_source()
    nav = (
        '<nav class="gx-nav" aria-label="站点"><a href="index.html">← 目录</a>'
        '<a href="facts.html">事实表</a><a href="../data/facts.csv">下载事实表（CSV）</a>'
        '<a href="../data/exclusions.csv">下载排除表（CSV）</a>'
        f'<a href="../{ARTICLE_PAGE}" lang="en" hreflang="en">English edition</a></nav>'
    )
    toc = '<nav class="gx-toc" aria-label="小标题"><ul>' + "".join(contents) + "</ul></nav>"
    joined = f"排版造成的断行已在{n_joined}个段落中去除" if n_joined else "没有段落需要修复"
    parts = [
        nav,
        '<p class="gx-kicker">原文：每个数字均已标出</p>',
        '<article class="gx-article">',
        "<header>" + "".join(head) + "</header>",
        _legend_zh(inputs["facts"], inputs["exclusions"]),
        toc,
        "\n".join(body),
        "</article>",
        f'<footer class="gx-footer">原文：{_esc(source.credit)}，照收到的文本照录（{joined}）。'
        '每个标出的数字都是事实表中的一行（<a href="facts.html">所有数字一览</a>）。</footer>',
    ]
    return "\n".join(parts) + "\n"


def article_page_zh(data_dir: Path) -> bytes | None:
    """exports/zh/article.html: the Chinese edition of the article page."""
    if not has_inputs(data_dir):
        return None
    from gaoxin.source import load_source

    title = f"原文 — {load_source().title}"
    body = article_body(load_inputs(data_dir), lang="zh-CN")
    return render_page(
        title, body, "gx-article-page", lang="zh-CN", extra_css=(_page_css(),)
    ).encode("utf-8")


def article_page(data_dir: Path) -> bytes | None:
    """exports/article.html for a data folder, or None without the article and its tables."""
    if not has_inputs(data_dir):
        return None
    from gaoxin.source import load_source

    title = f"原文 The article — {load_source().title}"
    body = article_body(load_inputs(data_dir))
    return render_page(
        title, body, "gx-article-page", lang="zh-CN", extra_css=(_page_css(),)
    ).encode("utf-8")
