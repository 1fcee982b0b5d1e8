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

from gaoxin.config import FINDING_MIMETYPE
from gaoxin.report.article_page import (
    ARTICLE_PAGE,
    QUALIFIER_WORDS,
    UNIT_WORDS,
    plain_number,
    tier_word,
)
from gaoxin.report.scorecard import scorecard_section

CSS_PATH = Path(__file__).resolve().parent / "templates" / "site" / "front.css"
FIGURE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
# Relations whose two figures do not measure the same thing: their cards carry a warning.
MISMATCHED = ("different_measure",)
# Card order: pairs that compare first, then mismatches, then targets with nothing to compare.
RELATION_ORDER = ("same_measure", "different_measure", "no_counterpart", "size_threshold")


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
            found.append(
                {"stem": stem, "text": payload["text"], "figure": figure, "anchor": anchor}
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


def select_findings(reports: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(report index, finding index) pairs for the front page, in report order: every report's
    first finding, then every report's second, and so on, up to MAX_FINDINGS."""
    chosen: list[tuple[int, int]] = []
    counts = [len(r.get("findings", [])) for r in reports]
    rank = 0
    while len(chosen) < MAX_FINDINGS and rank < max(counts, default=0):
        for i, count in enumerate(counts):
            if rank < count and len(chosen) < MAX_FINDINGS:
                chosen.append((i, rank))
        rank += 1
    return sorted(chosen)


def _finding_item(report: dict[str, Any], finding: dict[str, Any]) -> str:
    stem = report["stem"]
    alts = {f["name"]: f["alt"] for f in report.get("figures", [])}
    target = f"html/{stem}.html" + (f"#{finding['anchor']}" if finding["anchor"] else "")
    thumb = ""
    if finding["figure"]:
        thumb = (
            f'<img class="gx-thumb" src="figures/{_esc(stem)}/{_esc(finding["figure"])}.png" '
            f'alt="{_esc(alts[finding["figure"]])}">'
        )
    return (
        f'<li class="gx-finding">{thumb}<p>{_markdown(finding["text"])}</p>'
        f'<p class="gx-finding-link"><a href="{_esc(target)}">'
        f"{_esc(report['title'])} →</a></p></li>"
    )


def findings_section(reports: list[dict[str, Any]]) -> str:
    """Key findings with a link to the section that shows each, and its chart as a thumbnail."""
    for report in reports:
        figures = {f["name"] for f in report.get("figures", [])}
        for finding in report.get("findings", []):
            if finding["figure"] and finding["figure"] not in figures:
                raise FindingError(
                    f"{report['stem']}: finding names figure {finding['figure']!r}, "
                    "not in its report"
                )
    items = [
        _finding_item(reports[i], reports[i]["findings"][k]) for i, k in select_findings(reports)
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


def quantity_words(fact: dict[str, Any], raw: str) -> str:
    """A fact read out in English: its qualifier, tier or rank as what it is."""
    tier = tier_word(fact, raw)
    if tier:
        return f"a tier (the group written {fact['quote']}{tier}), not a single place"
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


def _fact_link(fact: dict[str, Any], raw: str) -> str:
    shown = fact["quote"] + tier_word(fact, raw)
    return (
        f'<a class="gx-card-quote" href="{ARTICLE_PAGE}#{_esc(fact["fact_id"])}">{_esc(shown)}</a>'
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


def lede(inputs: dict[str, Any]) -> str:
    """What the article claims (its headline) and what the numbers show (counts from the data)."""
    from gaoxin.source import load_source

    source = load_source()
    facts = inputs["facts"]
    report_year, plan_year = _years(facts, "result"), _years(facts, "target")
    results = facts[(facts.period == "result") & (facts.year == report_year)]
    targets = facts[(facts.period == "target") & (facts.year == plan_year)]
    # 以上 (at_least) and 突破/超过 (more_than) both make a target a floor.
    floors = targets[targets.qualifier.fillna("").str.contains("at_least|more_than")]
    parts = [
        f'<p class="gx-lede-claim"><span lang="zh-Hans">{_esc(source.title)}</span> '
        f'<span lang="en">— “{_esc(source.title_en)}”, says the headline of the report by '
        f"{_esc(source.byline)}.</span></p>",
        f'<p lang="en">The article gives <strong>{len(results)}</strong> figures for '
        f"{report_year} and sets <strong>{len(targets)}</strong> targets for {plan_year}; "
        f"{len(floors)} of those targets are floors (以上 “or more”, 突破 “break through”).",
    ]
    pairs = inputs.get("pairs")
    if pairs is not None:
        counts = pairs.relation.value_counts()
        same = int(counts.get("same_measure", 0))
        different = int(counts.get("different_measure", 0))
        alone = int(counts.get("no_counterpart", 0))
        thresholds = int(counts.get("size_threshold", 0))
        parts[-1] += (
            f" {'Only ' if 2 * same < len(pairs) else ''}<strong>{same}</strong> of the "
            f"{len(pairs)} can be read against a "
            f"{report_year} figure of the same measure; {different} sit beside a {report_year} "
            f"figure measured differently, {alone} have no {report_year} figure at all, and "
            f"{thresholds} only set a size threshold for another target."
        )
    parts[-1] += "</p>"
    return '<section class="gx-lede" aria-label="导语 Lede">' + "".join(parts) + "</section>"


def _figure_line(label: str, fact: dict[str, Any], raw: str, extra: str = "") -> str:
    return (
        f'<p class="gx-card-fig"><span class="gx-k">{_esc(label)}</span> {_fact_link(fact, raw)} '
        f'<span class="gx-card-words">{_esc(quantity_words(fact, raw))}</span>{extra}</p>'
    )


def _card(pair: dict[str, Any], facts: dict[str, dict[str, Any]], raw: str) -> str:
    target, result = facts[pair["target_fact_id"]], facts[pair["result_fact_id"]]
    relation = str(pair["relation"])
    flag = "⚠ " if relation in MISMATCHED else ""
    note = f": {_esc(pair['note'])}" if pair.get("note") else ""
    of = f'<span class="gx-card-of"> · {_esc(result["metric_en"])}</span>'
    return (
        f'<li class="gx-card gx-card-{_esc(relation)}">'
        f'<p class="gx-card-metric">{_esc(target["metric_en"])} '
        f'<span lang="zh-Hans">{_esc(target.get("subject_zh") or "")}</span></p>'
        + _figure_line(f"{target['year']} 目标 target", target, raw)
        + _figure_line(f"{result['year']} 实绩 result", result, raw, of)
        + f'<p class="gx-card-rel"><strong>{flag}{_esc(pair["relation_label"])}</strong>{note}</p>'
        "</li>"
    )


def _alone(pair: dict[str, Any], facts: dict[str, dict[str, Any]], raw: str) -> str:
    target = facts[pair["target_fact_id"]]
    note = f" {_esc(pair['note'])}" if pair.get("note") else ""
    return (
        f"<li><strong>{_esc(target['metric_en'])}</strong> {_fact_link(target, raw)} "
        f'<span class="gx-card-words">({_esc(quantity_words(target, raw))})</span> — '
        f"<em>{_esc(pair['relation_label'])}</em>.{note}</li>"
    )


def cards_section(inputs: dict[str, Any]) -> str:
    """A card per target with an earlier figure (mismatched measures flagged), then a short list
    of the targets with nothing to compare against."""
    pairs = inputs.get("pairs")
    if pairs is None:
        return ""
    facts = {f["fact_id"]: f for f in _records(inputs["facts"])}
    raw = inputs["raw"]
    report_year = _years(inputs["facts"], "result")
    records = _records(pairs)
    records.sort(
        key=lambda p: (
            RELATION_ORDER.index(p["relation"])
            if p["relation"] in RELATION_ORDER
            else len(RELATION_ORDER)
        )
    )
    cards = [_card(p, facts, raw) for p in records if p.get("result_fact_id")]
    alone = [_alone(p, facts, raw) for p in records if not p.get("result_fact_id")]
    rest = (
        f'<h3 id="cards-alone-h">No {report_year} figure to compare with</h3>'
        f'<ul class="gx-card-alone">{"".join(alone)}</ul>'
        if alone
        else ""
    )
    return (
        '<section class="gx-cards" aria-labelledby="cards-h">'
        f'<h2 id="cards-h">目标与实绩 Targets beside {report_year}</h2>'
        '<p class="gx-cards-note" lang="en">Each target as the article writes it, beside the '
        f"{report_year} figure it can be read against. ⚠ marks pairs that measure different "
        "things; the pairing is curated in data/annotations/target_pairs.csv. Click a figure to "
        "see it in the article.</p>"
        f'<ul class="gx-card-list">{"".join(cards)}</ul>{rest}</section>'
    )


def page_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def front_sections(
    reports: list[dict[str, Any]], data_dir: Path, with_article: bool = False
) -> str:
    """Lede, scorecard, findings and cards, in that order (parts without data are left out)."""
    inputs = load_inputs(data_dir)
    parts = []
    if inputs is not None:
        parts.append(lede(inputs))
    parts.append(scorecard_section(reports, data_dir))
    if with_article:
        parts.append(
            f'<p class="gx-article-link"><a href="{ARTICLE_PAGE}">原文 Read the article with '
            'every number marked →</a> · <a href="facts.html">事实表 Every quantity in a table '
            "→</a></p>"
        )
    parts.append(findings_section(reports))
    if inputs is not None:
        parts.append(cards_section(inputs))
    return "\n".join(p for p in parts if p)
