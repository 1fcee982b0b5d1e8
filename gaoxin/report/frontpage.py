"""The front page's lead: a lede, key findings from the reports, and 2019-target cards.

Everything is rendered from data: the lede from the facts (and the curated target pairs), the
findings from the outputs `gaoxin.analysis.claims.finding()` leaves in the executed notebooks
(MIME type `gaoxin.config.FINDING_MIMETYPE`), each card from a target pair. Numbers are quoted as
the article writes them, with their qualifier, tier or rank put in words beside them.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from gaoxin.analysis.verdicts import NOTEBOOK
from gaoxin.config import FINDING_MIMETYPE
from gaoxin.report.article_page import (
    ARTICLE_PAGE,
    QUALIFIER_WORDS,
    UNIT_WORDS,
    is_tier,
    plain_number,
)
from gaoxin.report.scorecard import SCORECARD_FIGURE, project_verdicts, scorecard_section

CSS_PATH = Path(__file__).resolve().parent / "templates" / "site" / "front.css"
FIGURE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
# Relations whose two figures do not measure the same thing: their cards carry a warning.
MISMATCHED = ("different_measure",)
# Card order: pairs that compare first, then mismatches, then targets with nothing to compare.
RELATION_ORDER = (
    "same_measure",
    "different_measure",
    "no_counterpart",
    "plan_scope",
    "size_threshold",
)
# Target-year figures that are not goals: listed apart from the goals.
NOT_GOALS = ("plan_scope", "size_threshold")


# The front page shows at most this many findings (the reports show all of theirs).
MAX_FINDINGS = 10


class FindingError(ValueError):
    """A finding output that the front page cannot use."""


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _blank(value: Any) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or str(value) in ("", "<NA>")
    )


# --------------------------------------------------------------------------------------------
# Findings


def collect_findings(nb: Any, stem: str) -> list[dict[str, Any]]:
    """Key findings of an executed notebook, in order: {"stem", "text", "figure", "anchor"}."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(FINDING_MIMETYPE)
            if payload is None:
                continue
            where = f"{stem}: cell {index}"
            if not isinstance(payload, dict) or not str(payload.get("text", "")).strip():
                raise FindingError(f"{where}: a finding needs its sentence")
            figure, anchor = payload.get("figure"), payload.get("anchor")
            if figure is not None and not FIGURE_NAME_RE.match(str(figure)):
                raise FindingError(f"{where}: invalid figure name {figure!r}")
            if anchor is not None and (not str(anchor) or any(c in str(anchor) for c in '"<> ')):
                raise FindingError(f"{where}: invalid heading anchor {anchor!r}")
            about = payload.get("about", "zone")
            if about not in ("zone", ABOUT_TEXT):
                raise FindingError(
                    f"{where}: a finding is about the zone or the text, not {about!r}"
                )
            found.append(
                {
                    "stem": stem,
                    "text": payload["text"],
                    "figure": figure,
                    "anchor": anchor,
                    "about": about,
                }
            )
    return found


def _markdown(text: str) -> str:
    """One sentence of Markdown as inline HTML, through the project's sanitizer."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from gaoxin.report.sanitize import sanitize_html

    rendered = sanitize_html(markdown2html_mistune(text)).strip()
    # A single paragraph: keep its content, the card supplies the block.
    match = re.fullmatch(r"<p>(.*)</p>", rendered, re.DOTALL)
    return match.group(1) if match else rendered


# Findings about the zone come first, in the order a reader of the zone's news asks about it:
# were the promises kept, what was promised, then the year's work; findings about the article's
# text (its structure, its numerals) come last.
READER_ORDER = (
    "06_promises",
    "05_targets",
    "04_investment",
    "01_industry",
    "02_innovation",
    "03_infrastructure",
)
ABOUT_TEXT = "text"


def _reader_rank(report: dict[str, Any], finding: dict[str, Any], k: int) -> tuple[int, int, int]:
    about_text = finding.get("about") == ABOUT_TEXT
    stem = report.get("stem", "")
    order = READER_ORDER.index(stem) if stem in READER_ORDER else len(READER_ORDER)
    return (int(about_text), k, order)


def select_findings(reports: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(report index, finding index) pairs for the front page, up to MAX_FINDINGS: findings
    about the zone before findings about the text; among them every report's first finding,
    then every report's second, and so on, reports in READER_ORDER (unknown ones after, in
    their own order)."""
    every = [
        (i, k) for i, report in enumerate(reports) for k, _ in enumerate(report.get("findings", []))
    ]

    def rank(ik: tuple[int, int]) -> tuple:
        i, k = ik
        finding = reports[i]["findings"][k]
        return (*_reader_rank(reports[i], finding if isinstance(finding, dict) else {}, k), i)

    return sorted(every, key=rank)[:MAX_FINDINGS]


def _finding_item(report: dict[str, Any], finding: dict[str, Any]) -> str:
    stem = report["stem"]
    target = f"html/{stem}.html" + (f"#{finding['anchor']}" if finding["anchor"] else "")
    return (
        f'<li class="gx-finding"><p>{_markdown(finding["text"])}</p>'
        f'<p class="gx-finding-link"><a href="{_esc(target)}">'
        f"{_esc(report['title'])} →</a></p></li>"
    )


def findings_section(reports: list[dict[str, Any]], shown: set | frozenset = frozenset()) -> str:
    """Key findings with a link to the section that shows each; findings whose (report, figure)
    is in `shown` are already on the page and left out."""
    for report in reports:
        figures = {f["name"] for f in report.get("figures", [])}
        for finding in report.get("findings", []):
            if finding["figure"] and finding["figure"] not in figures:
                raise FindingError(
                    f"{report['stem']}: finding names figure {finding['figure']!r}, "
                    "not in its report"
                )
    items = [
        _finding_item(reports[i], reports[i]["findings"][k])
        for i, k in select_findings(reports)
        if (reports[i]["stem"], reports[i]["findings"][k]["figure"]) not in shown
    ]
    if not items:
        return ""
    return (
        '<section class="gx-findings" aria-labelledby="findings-h">'
        '<h2 id="findings-h">发现 Key findings</h2>'
        f'<ol class="gx-finding-list">{"".join(items)}</ol></section>'
    )


# --------------------------------------------------------------------------------------------
# Quantities in words


YUAN_SCALES = ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


def yuan_words(value: Any) -> str:
    """An amount of yuan in billions or millions: 41890000000 → '41.89 bn yuan'."""
    exact = Decimal(repr(float(value)))
    for size, word in YUAN_SCALES:
        if abs(exact) >= size:
            return f"{plain_number(exact / size)} {word} yuan"
    return f"{plain_number(exact)} yuan"


def quantity_words(fact: dict[str, Any]) -> str:
    """A fact read out in English: its qualifier, tier or rank as what it is."""
    if is_tier(fact):
        return f"a tier (the group written {fact['quote']}), not a single place"
    number = plain_number(fact["value"])
    unit = str(fact["unit_normalized"])
    if unit == "yuan":
        amount = yuan_words(fact["value_normalized"])
    elif unit == "percent":
        amount = f"{number}%"
    elif unit == "rank":
        amount = f"place {number}"
    else:
        word = UNIT_WORDS.get(unit, unit)
        amount = number if word == "count" else f"{number} {word}"
    codes = [] if _blank(fact.get("qualifier")) else str(fact["qualifier"]).split("+")
    if "top" in codes:
        return f"within the top {number} (a ranking band)"
    if "at_least" in codes:
        amount = f"{amount} or more"
    for code in codes:
        if code not in ("at_least", "top"):
            amount = f"{QUALIFIER_WORDS.get(code, code)} {amount}"
    return amount


def _fact_link(fact: dict[str, Any]) -> str:
    return (
        f'<a class="gx-card-quote" href="{ARTICLE_PAGE}#{_esc(fact["fact_id"])}">'
        f"{_esc(fact['quote'])}</a>"
    )


# --------------------------------------------------------------------------------------------
# Lede and cards (need the data)


def load_inputs(data_dir: Path) -> dict[str, Any] | None:
    """Facts, raw text and target pairs for a data folder; None without the article and facts."""
    article = data_dir / "raw" / "article.txt"
    if not article.is_file() or not (data_dir / "processed" / "facts.csv").is_file():
        return None
    import gaoxin.data as gd

    facts = gd.load_table("facts", directory=data_dir / "processed", article=article)
    inputs: dict[str, Any] = {"raw": gd.read_raw_text(article), "facts": facts, "pairs": None}
    pairs_path = data_dir / "annotations" / "target_pairs.csv"
    if hasattr(gd, "load_target_pairs") and pairs_path.is_file():
        inputs["pairs"] = gd.load_target_pairs(pairs_path, facts=facts)
    return inputs


def _records(frame: Any) -> list[dict[str, Any]]:
    return [
        {k: (None if _blank(v) else v) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]


def _years(facts: Any, period: str) -> int | None:
    years = facts.loc[facts.period == period, "year"].dropna()
    return int(years.max()) if len(years) else None


def _name(metric: str) -> str:
    return metric.removesuffix(" target").removesuffix(" (count)")


def _quoted(facts: Any, metrics: list[str]) -> str:
    """'GDP growth «8.6%», fiscal revenue growth «15.42%» and …' for facts by metric_en."""
    by_metric = facts.drop_duplicates("metric_en").set_index("metric_en")
    items = [
        f"{_esc(_name(m))} «{_esc(by_metric.loc[m, 'quote'])}»"
        for m in metrics
        if m in by_metric.index
    ]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# The lede names at most this many goals as examples.
LEDE_GOALS = 3


def lede_figures(inputs: dict[str, Any]) -> dict[str, Any] | None:
    """What the lede's first two sentences name, for both editions: the report year's headline
    results that goals are read against (ranks aside), the number of goals and of plan-scope
    counts, and up to LEDE_GOALS growth goals as examples. None without the target pairs."""
    facts, pairs = inputs["facts"], inputs.get("pairs")
    if pairs is None:
        return None
    report_year, plan_year = _years(facts, "result"), _years(facts, "target")
    targets = facts[(facts.period == "target") & (facts.year == plan_year)]
    scope = set(inputs.get("plan_scope", ()))
    metric = dict(zip(facts.fact_id, facts.metric_en))
    kinds = dict(zip(facts.fact_id, facts.kind))
    target_metrics = pairs.target_fact_id.map(metric)
    compared = pairs[
        pairs.result_fact_id.notna()
        & ~target_metrics.isin(scope)
        & pairs.result_fact_id.map(kinds).ne("rank")
    ]
    result_metrics = [metric[i] for i in compared.result_fact_id]
    rates = [
        m for i, m in zip(compared.result_fact_id, result_metrics) if kinds[i] == "growth_rate"
    ]
    others = [m for m in result_metrics if m not in rates]
    not_goals = set(target_metrics[pairs.relation == "size_threshold"]) | scope
    goals = [m for m in targets.metric_en if m not in not_goals]
    rate_goals = [
        m for m in goals if targets.loc[targets.metric_en == m, "kind"].eq("growth_rate").any()
    ]
    return {
        "report_year": report_year,
        "plan_year": plan_year,
        "delivered": rates + others,
        "goals": len(goals),
        "scope": len(scope),
        "examples": rate_goals[:LEDE_GOALS],
    }


def lede(inputs: dict[str, Any], outcome_sentence: str = "") -> str:
    """Three sentences: what the report year delivered (the results the targets are read
    against), what the plan year promised, and what the zone's next report shows (when the
    project's own follow-up is there to say it)."""
    from gaoxin.source import load_source

    source = load_source()
    facts = inputs["facts"]
    claim = (
        f'<p class="gx-lede-claim"><span lang="zh-CN">{_esc(source.title)}</span> '
        f'<span lang="en">— “{_esc(source.title_en)}”, says the headline of the report by '
        f"{_esc(source.byline)}.</span></p>"
    )
    sentences = []
    figures = lede_figures(inputs)
    if figures is not None:
        sentences.append(
            f"In {figures['report_year']}, by the article's account, the zone delivered "
            f"{_quoted(facts, figures['delivered'])}."
        )
        scope_text = (
            f", beside {figures['scope']} counts that size its plans rather than set goals"
            if figures["scope"]
            else ""
        )
        sentences.append(
            f"For {figures['plan_year']} it set <strong>{figures['goals']}</strong> goals"
            f"{scope_text}, among them {_quoted(facts, figures['examples'])}."
        )
    else:
        report_year, plan_year = _years(facts, "result"), _years(facts, "target")
        targets = facts[(facts.period == "target") & (facts.year == plan_year)]
        sentences.append(
            f"The article gives <strong>{int((facts.period == 'result').sum())}</strong> figures "
            f"for {report_year} and sets <strong>{len(targets)}</strong> targets for {plan_year}."
        )
    if outcome_sentence:
        sentences.append(outcome_sentence)
    body = "".join(f'<p lang="en" class="gx-lede-text">{s}</p>' for s in sentences)
    return f'<section class="gx-lede" aria-label="导语 Lede">{claim}{body}</section>'


def _figure_line(label: str, fact: dict[str, Any], extra: str = "") -> str:
    return (
        f'<p class="gx-card-fig"><span class="gx-k">{_esc(label)}</span> {_fact_link(fact)} '
        f'<span class="gx-card-words">{_esc(quantity_words(fact))}</span>{extra}</p>'
    )


def _card(pair: dict[str, Any], facts: dict[str, dict[str, Any]]) -> str:
    target, result = facts[pair["target_fact_id"]], facts[pair["result_fact_id"]]
    relation = str(pair["relation"])
    flag = "⚠ " if relation in MISMATCHED else ""
    note = f": {_esc(pair['note'])}" if pair.get("note") else ""
    of = f'<span class="gx-card-of"> · {_esc(result["metric_en"])}</span>'
    return (
        f'<li class="gx-card gx-card-{_esc(relation)}">'
        f'<p class="gx-card-metric">{_esc(target["metric_en"])} '
        f'<span lang="zh-CN">{_esc(target.get("subject_zh") or "")}</span></p>'
        + _figure_line(f"{target['year']} 目标 target", target)
        + _figure_line(f"{result['year']} 实绩 result", result, of)
        + f'<p class="gx-card-rel"><strong>{flag}{_esc(pair["relation_label"])}</strong>{note}</p>'
        "</li>"
    )


def _alone(pair: dict[str, Any], facts: dict[str, dict[str, Any]]) -> str:
    target = facts[pair["target_fact_id"]]
    note = f" {_esc(pair['note'])}" if pair.get("note") else ""
    return (
        f"<li><strong>{_esc(target['metric_en'])}</strong> {_fact_link(target)} "
        f'<span class="gx-card-words">({_esc(quantity_words(target))})</span> — '
        f"<em>{_esc(pair['relation_label'])}</em>.{note}</li>"
    )


def cards_section(inputs: dict[str, Any]) -> str:
    """A card per target with an earlier figure (mismatched measures flagged), then a short list
    of the targets with nothing to compare against."""
    pairs = inputs.get("pairs")
    if pairs is None:
        return ""
    facts = {f["fact_id"]: f for f in _records(inputs["facts"])}
    report_year = _years(inputs["facts"], "result")
    records = _records(pairs)
    records.sort(
        key=lambda p: (
            RELATION_ORDER.index(p["relation"])
            if p["relation"] in RELATION_ORDER
            else len(RELATION_ORDER)
        )
    )
    cards = [_card(p, facts) for p in records if p.get("result_fact_id")]
    alone = [
        _alone(p, facts)
        for p in records
        if not p.get("result_fact_id") and p["relation"] not in NOT_GOALS
    ]
    not_goals = [_alone(p, facts) for p in records if p["relation"] in NOT_GOALS]
    rest = (
        f'<h3 id="cards-alone-h">No {report_year} figure to compare with</h3>'
        f'<ul class="gx-card-alone">{"".join(alone)}</ul>'
        if alone
        else ""
    ) + (
        '<h3 id="cards-not-goals-h">Not goals: the size of a plan, and project sizes inside '
        f'other targets</h3><ul class="gx-card-alone">{"".join(not_goals)}</ul>'
        if not_goals
        else ""
    )
    return (
        '<section class="gx-cards" aria-labelledby="cards-h">'
        f'<h2 id="cards-h">目标与实绩 Targets beside {report_year}</h2>'
        '<p class="gx-cards-note" lang="en">Each target as the article writes it, beside the '
        f"{report_year} figure it can be read against. ⚠ marks pairs that measure different "
        "things, with the reason. Every figure is the article's own words: click one to see it "
        "in the article.</p>"
        f'<ul class="gx-card-list">{"".join(cards)}</ul>{rest}</section>'
    )


def page_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def front_sections(
    reports: list[dict[str, Any]], data_dir: Path, with_article: bool = False
) -> str:
    """Lede, scorecard, findings and cards, in that order (parts without data are left out)."""
    from gaoxin.analysis.verdicts import plan_scope, summary

    inputs = load_inputs(data_dir)
    verdicts = project_verdicts(reports, data_dir)
    parts = []
    if inputs is not None:
        outcome = ""
        if verdicts is not None:
            inputs["plan_scope"] = list(plan_scope().target_metric)
            outcome = _markdown(summary(verdicts, _years(inputs["facts"], "target")))
        parts.append(lede(inputs, outcome))
    if verdicts is not None:
        parts.append(scorecard_section(reports, data_dir, verdicts))
    if with_article:
        parts.append(
            f'<p class="gx-article-link"><a href="{ARTICLE_PAGE}">原文 Read the article with '
            'every number marked →</a> · <a href="facts.html">事实表 Every number in a table '
            "→</a></p>"
        )
    # The scorecard's own finding is the lede's third sentence: not repeated among the findings.
    shown = {(NOTEBOOK, SCORECARD_FIGURE)} if verdicts is not None else set()
    parts.append(findings_section(reports, shown))
    if inputs is not None:
        parts.append(cards_section(inputs))
    return "\n".join(p for p in parts if p)
