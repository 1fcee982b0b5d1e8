"""The Chinese edition's front page (exports/zh/index.html), from the same data as the English.

The lede's verdict sentence is `verdicts.summary_zh` over the same verdict table as the English
`summary`; the scorecard counts the same rows; the findings are the `zh` twins the notebooks'
`claims.finding(..., zh=...)` left beside the English; the cards are the same target pairs, with
the relation in the vocabulary's Chinese. A report without a Chinese edition yet is listed with a
link to its English page, marked as English.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from gaoxin.analysis.tables import chinese_metric
from gaoxin.config import EN, ZH
from gaoxin.report.frontpage import (
    NOT_GOALS,
    RELATION_ORDER,
    _markdown,
    _records,
    _years,
    lede_figures,
    load_inputs,
    page_css,
    select_findings,
)
from gaoxin.report.render import render_page
from gaoxin.report.scorecard import SCORECARD_FIGURE, project_verdicts
from gaoxin.report.workbook import WORKBOOK_NAME

INDEX = "index.html"


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _zh_reports(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each report's Chinese metadata, stem kept (reports without a Chinese edition left out)."""
    return [{**r["zh"], "stem": r["stem"]} for r in reports if r.get("zh")]


def _findings(reports: list[dict[str, Any]], shown: set) -> str:
    zh = _zh_reports(reports)
    items = []
    for i, k in select_findings(zh):
        report, finding = zh[i], zh[i]["findings"][k]
        if (report["stem"], finding["figure"]) in shown:
            continue
        anchor = f"#{finding['anchor']}" if finding.get("anchor") else ""
        items.append(
            f'<li class="gx-finding"><p>{_markdown(finding["text"])}</p>'
            f'<p class="gx-finding-link"><a href="html/{_esc(report["stem"])}.html{_esc(anchor)}">'
            f"{_esc(report['title'])} →</a></p></li>"
        )
    if not items:
        return ""
    return (
        '<section class="gx-findings" aria-labelledby="findings-h">'
        '<h2 id="findings-h">主要发现</h2>'
        f'<ol class="gx-finding-list">{"".join(items)}</ol></section>'
    )


def _scorecard(reports: list[dict[str, Any]], verdicts: Any, year: int) -> str:
    from gaoxin.analysis.claims import heading_anchor
    from gaoxin.analysis.verdicts import HEADINGS_ZH, NOTEBOOK, VERDICT_WORDS_ZH, scorecard
    from gaoxin.source import load_later_sources

    card = scorecard(verdicts)
    report = next((r for r in reports if r["stem"] == NOTEBOOK), {})
    bilingual = bool(report.get("zh"))
    subjects = dict(zip(verdicts.target_metric, verdicts.subject_zh))
    later = next(iter(load_later_sources().values()))
    items = []
    for row in card.itertuples():
        if bilingual:
            href = f"html/{NOTEBOOK}.html#{heading_anchor(HEADINGS_ZH[row.verdict])}"
        else:
            href = f"../{row.href}"
        names = "、".join(subjects[m] for m in row.targets.split("; ")) if row.targets else ""
        items.append(
            f'<li class="gx-score gx-score-{_esc(row.verdict)}"><a href="{_esc(href)}">'
            f'<span class="gx-score-n">{int(row.count)}</span>'
            f'<span class="gx-score-label">{_esc(VERDICT_WORDS_ZH[row.verdict])}</span></a>'
            + (f'<span class="gx-score-names">{_esc(names)}</span>' if names else "")
            + "</li>"
        )
    chart = ""
    figures = {f["name"]: f["alt"] for f in (report.get("zh") or {}).get("figures", [])}
    if SCORECARD_FIGURE in figures:
        chart = (
            f'<figure class="gx-score-chart"><img src="figures/{NOTEBOOK}/{SCORECARD_FIGURE}.png"'
            f' alt="{_esc(figures[SCORECARD_FIGURE])}"></figure>'
        )
    return (
        '<section class="gx-scorecard" aria-labelledby="scorecard-h">'
        f'<h2 id="scorecard-h">{year}年的承诺兑现了吗？</h2>'
        f"<p>报道为{year}年设定的{len(verdicts)}项目标（不含规模门槛和计划规模），对照一篇关于该区"
        f"{year}年成绩的后续报道《{_esc(later.title)}》（{_esc(later.published)}；作者和原载媒体不详）："
        "这不是独立核查。点击数字可查看对应目标。</p>"
        f'<ul class="gx-score-list">{"".join(items)}</ul>{chart}</section>'
    )


def _cards(inputs: dict[str, Any]) -> str:
    from gaoxin.analysis.narrative import escape
    from gaoxin.vocabulary import RELATIONS

    pairs = inputs.get("pairs")
    if pairs is None:
        return ""
    facts = {f["fact_id"]: f for f in _records(inputs["facts"])}
    report_year = _years(inputs["facts"], "result")
    records = sorted(
        _records(pairs),
        key=lambda p: (
            RELATION_ORDER.index(p["relation"])
            if p["relation"] in RELATION_ORDER
            else len(RELATION_ORDER)
        ),
    )

    def link(fact: dict[str, Any]) -> str:
        shown = escape(fact["quote"])
        return f'<a class="gx-card-quote" href="article.html#{_esc(fact["fact_id"])}">{shown}</a>'

    cards, alone, not_goals = [], [], []
    for p in records:
        target = facts[p["target_fact_id"]]
        relation = RELATIONS[p["relation"]][1]
        note = _esc(p["note_zh"]) if isinstance(p.get("note_zh"), str) else ""
        if p.get("result_fact_id"):
            result = facts[p["result_fact_id"]]
            flag = "⚠ " if p["relation"] == "different_measure" else ""
            cards.append(
                f'<li class="gx-card gx-card-{_esc(p["relation"])}">'
                f'<p class="gx-card-metric">{_esc(target.get("subject_zh") or "")}</p>'
                f'<p class="gx-card-fig"><span class="gx-k">{target["year"]}年目标</span>'
                f"{link(target)}</p>"
                f'<p class="gx-card-fig"><span class="gx-k">{result["year"]}年实绩</span>'
                f'{link(result)}<span class="gx-card-of">·{_esc(result.get("subject_zh") or "")}'
                "</span></p>"
                f'<p class="gx-card-rel"><strong>{flag}{_esc(relation)}</strong>'
                f"{'：' + note if note else ''}</p></li>"
            )
        else:
            subject = f"<strong>{_esc(target.get('subject_zh') or '')}</strong>"
            said = f"——<em>{_esc(relation)}</em>" + (f"。{note}" if note else "")
            # A count or a size before its noun (三大区域, 10亿元以上项目); a target after what it
            # measures (规模以上工业增加值15%以上).
            if p["relation"] in NOT_GOALS:
                not_goals.append(f"<li>{link(target)}{subject}{said}</li>")
            else:
                alone.append(f"<li>{subject}{link(target)}{said}</li>")
    rest = (
        f'<h3 id="cards-alone-h">没有{report_year}年数据可比的目标</h3>'
        f'<ul class="gx-card-alone">{"".join(alone)}</ul>'
        if alone
        else ""
    ) + (
        '<h3 id="cards-not-goals-h">不是目标：计划规模，以及其他目标中的项目规模门槛</h3>'
        f'<ul class="gx-card-alone">{"".join(not_goals)}</ul>'
        if not_goals
        else ""
    )
    return (
        '<section class="gx-cards" aria-labelledby="cards-h">'
        f'<h2 id="cards-h">目标与{report_year}年实绩</h2>'
        f'<p class="gx-cards-note">每项目标照原文写法，旁边是可以对照的{report_year}年数据；'
        "⚠表示两者口径不同，并注明原因。每个数字都是原文的写法，点击可在原文中查看。</p>"
        f'<ul class="gx-card-list">{"".join(cards)}</ul>{rest}</section>'
    )


def _learning(reports: list[dict[str, Any]], course: bool = True) -> str:
    """Apart from the reports: each notebook's goals and its walkthrough (English), and the
    course for students (English); nothing here links to the teacher's kit."""
    from gaoxin.report.site import COURSE_ZIP, split_summary, summary_html  # site imports us

    items = []
    for report in reports:
        zh = report.get("zh") or {}
        goals = split_summary(zh.get("summary", ""))[1]
        items.append(
            f"<h3>{_esc(zh.get('title') or report['title'])}</h3>{summary_html(goals)}"
            f'<p class="gx-links"><a href="../walkthrough/{_esc(report["stem"])}.html">'
            "代码讲解（英文）</a></p>"
        )
    return (
        '<section class="gx-learning" aria-labelledby="learning-h">'
        '<h2 id="learning-h">代码讲解与练习课程</h2>'
        "<p>每份报告同时也是一个笔记本，代码讲解展示它的代码（英文）。"
        + (
            f'学生可下载<a href="../{COURSE_ZIP}" download>练习课程（英文，zip文件）</a>：'
            "七个用pandas和matplotlib处理导出表格的笔记本，附练习和自查，不需要本项目即可运行。"
            if course
            else ""
        )
        + "</p>"
        + "".join(items)
        + "</section>"
    )


def _report(report: dict[str, Any]) -> str:
    from gaoxin.report.site import FIGURE_FORMATS, split_summary, summary_html

    stem = report["stem"]
    zh = report.get("zh")
    if not zh:
        return (
            f'<section class="gx-report" id="{_esc(stem)}"><h2 lang="{EN}">{_esc(report["title"])}'
            f'</h2><p>这份报告暂时只有英文版：<a href="../html/{_esc(stem)}.html" lang="{EN}" '
            f'hreflang="{EN}">English report</a></p></section>'
        )
    links = [
        (f"html/{stem}.html", "报告（HTML）", ZH),
        (f"pdf/{stem}.pdf", "PDF（A4）", ZH),
        (f"../html/{stem}.html", "English edition", EN),
    ]
    anchors = "".join(
        f'<a href="{_esc(h)}"{"" if lg == ZH else f" lang={lg!r} hreflang={lg!r}"}'
        f"{' download' if h.endswith('.ipynb') else ''}>{_esc(t)}</a>"
        for h, t, lg in links
    )
    parts = [
        f'<section class="gx-report" id="{_esc(stem)}"><h2>{_esc(zh["title"])}</h2>'
        f'{summary_html(split_summary(zh["summary"])[0])}<p class="gx-links">{anchors}</p>'
    ]
    if zh["figures"]:
        parts.append('<ul class="gx-figures">')
        for fig in zh["figures"]:
            base = f"figures/{stem}/{fig['name']}"
            files = "·".join(
                f'<a href="{_esc(base)}.{ext}">{ext.upper()}</a>' for ext in FIGURE_FORMATS
            )
            parts.append(f"<li>{_esc(fig['alt'])}——{files}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _quoted_zh(facts, metrics: list[str]) -> str:
    """'地区生产总值增速“8.6%”、财政收入增速“15.42%”和…' for facts by metric_en: each metric
    in the article's own words for what it measures, with the figure as written."""
    by_metric = facts.drop_duplicates("metric_en").set_index("metric_en")
    items = [
        f"{_esc(chinese_metric(by_metric.loc[m, 'subject_zh'], by_metric.loc[m, 'kind']))}"
        f"“{_esc(by_metric.loc[m, 'quote'])}”"
        for m in metrics
        if m in by_metric.index
    ]
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


def index_page_zh(
    reports: list[dict[str, Any]], data_dir: Path, key: str, course: bool = False
) -> str:
    """exports/zh/index.html."""
    from gaoxin.analysis.verdicts import NOTEBOOK, plan_scope, summary_zh
    from gaoxin.source import load_source

    source = load_source()
    inputs = load_inputs(data_dir)
    verdicts = project_verdicts(reports, data_dir)
    parts = [
        f'<nav class="gx-nav" aria-label="站点"><a href="../{INDEX}" lang="{EN}" '
        f'hreflang="{EN}">English edition</a></nav>',
        "<h1>衡阳高新区2019年工作会议新闻报道：数据分析</h1>",
        f"<p>对衡阳国家高新区2019年工作会议一篇新闻报道（{_esc(source.byline)}）的数据分析。"
        "每份报告由同一次运行生成中英文两个版本，两版中的每个数字都来自同一批数据和同一套核对。</p>",
        f'<section class="gx-lede" aria-label="导语"><p class="gx-lede-claim">'
        f"{_esc(source.title)}</p>",
    ]
    if inputs is not None and verdicts is not None:
        inputs["plan_scope"] = list(plan_scope().target_metric)  # as on the English page
    figures = lede_figures(inputs) if inputs is not None else None
    if figures is not None:
        facts = inputs["facts"]
        scope_text = f"（另有{figures['scope']}个计划规模数，不是目标）" if figures["scope"] else ""
        parts.append(
            f'<p class="gx-lede-text">据报道，{figures["report_year"]}年该区的主要数据为：'
            f"{_quoted_zh(facts, figures['delivered'])}。</p>"
            f'<p class="gx-lede-text">{figures["plan_year"]}年，该区设定了'
            f"<strong>{figures['goals']}</strong>项目标{scope_text}，其中包括"
            f"{_quoted_zh(facts, figures['examples'])}。</p>"
        )
    shown: set = set()
    if inputs is not None and verdicts is not None:
        year = _years(inputs["facts"], "target")
        parts.append(f'<p class="gx-lede-text">{_markdown(summary_zh(verdicts, year))}</p>')
        parts.append("</section>")
        parts.append(_scorecard(reports, verdicts, year))
        shown = {(NOTEBOOK, SCORECARD_FIGURE)}
    else:
        parts.append("</section>")
    from gaoxin.report.article_page import has_inputs  # the article page's own condition

    if inputs is not None and has_inputs(data_dir):
        parts.append(
            '<p class="gx-article-link"><a href="article.html">阅读原文（每个数字均已标出）→</a>'
            '·<a href="facts.html">事实表：所有数字一览→</a></p>'
        )
    parts.append(_findings(reports, shown))
    if inputs is not None:
        parts.append(_cards(inputs))
    parts.append("<h2>报告</h2>")
    parts += [_report(r) for r in reports]
    parts.append(
        '<h2>数据</h2><p>下载报告背后的数据：<a href="../data/index.html">每张表的CSV文件</a>，'
        f'或<a href="../data/{WORKBOOK_NAME}">一个Excel工作簿</a>'
        "（每张表一个工作表，列名为英文）。</p>"
    )
    parts.append(
        '<p class="gx-learn-link"><a href="learn.html">学生和分析人员：代码讲解与练习课程→</a></p>'
    )
    return render_page(
        "衡阳高新区2019年：数据分析报告",
        "\n".join(p for p in parts if p),
        "gx-index",
        lang=ZH,
        extra_css=(page_css(),),
    )


def learn_page_zh(reports: list[dict[str, Any]], course: bool = False) -> str:
    """exports/zh/learn.html: the learning material, apart from the reader front page."""
    parts = [
        f'<nav class="gx-nav" aria-label="站点"><a href="{INDEX}">←报告</a>'
        f'<a href="../learn.html" lang="{EN}" hreflang="{EN}">English edition</a></nav>',
        "<h1>学习：用这些报告学数据分析</h1>",
        _learning(reports, course),
    ]
    return render_page("衡阳高新区2019年：学习", "\n".join(parts), "gx-index", lang=ZH)
