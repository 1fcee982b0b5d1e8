"""The front page's scorecard: how many of the plan year's goals the zone's next report shows
met, missed, dependent on a reading, not comparable or not reported, each count naming its
goals and linked to the section of notebook 06 that shows them, with 06's scorecard chart.

Rendered from gaoxin.analysis.verdicts (the same verdicts notebook 06 shows); left out when the
data folder is not the project's own or notebook 06 is not among the built reports."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from gaoxin import config

# The chart of notebook 06 that the scorecard shows large (the front page has no thumbnails).
SCORECARD_FIGURE = "fig1_scorecard"


def project_verdicts(reports: list[dict[str, Any]], data_dir: Path):
    """The verdict table, or None when the scorecard does not apply to this build."""
    from gaoxin.analysis.verdicts import NOTEBOOK, verdict_table

    if Path(data_dir).resolve() != config.DATA_DIR.resolve():
        return None
    if NOTEBOOK not in {report["stem"] for report in reports}:
        return None
    return verdict_table()


def scorecard_section(reports: list[dict[str, Any]], data_dir: Path, verdicts=None) -> str:
    """The scorecard as an HTML section, or "" when there is nothing to score against."""
    from gaoxin.analysis.verdicts import NOTEBOOK, goal_name, scorecard
    from gaoxin.data import load_facts
    from gaoxin.labels import plan_year
    from gaoxin.source import load_later_sources

    verdicts = project_verdicts(reports, data_dir) if verdicts is None else verdicts
    if verdicts is None:
        return ""
    card = scorecard(verdicts)
    year = plan_year(load_facts())
    later = next(iter(load_later_sources().values()))
    esc = html.escape
    items = "".join(
        f'<li class="gx-score gx-score-{esc(row.verdict)}"><a href="{esc(row.href)}">'
        f'<span class="gx-score-n">{int(row.count)}</span> '
        f'<span class="gx-score-label">{esc(row.label)}</span></a>'
        + (
            '<span class="gx-score-names">'
            + esc("; ".join(goal_name(m) for m in row.targets.split("; ")))
            + "</span>"
            if row.targets
            else ""
        )
        + "</li>"
        for row in card.itertuples()
    )
    report = next(r for r in reports if r["stem"] == NOTEBOOK)
    alts = {f["name"]: f["alt"] for f in report.get("figures", [])}
    chart = ""
    if SCORECARD_FIGURE in alts:
        chart = (
            f'<figure class="gx-score-chart"><img src="figures/{NOTEBOOK}/{SCORECARD_FIGURE}.png"'
            f' alt="{esc(alts[SCORECARD_FIGURE], quote=True)}"></figure>'
        )
    return (
        '<section class="gx-scorecard" aria-labelledby="scorecard-h">'
        f'<h2 id="scorecard-h">承诺与兑现 Did the zone keep its {year} promises?</h2>'
        f"<p>The {len(verdicts)} goals the article sets for {year} (size thresholds and counts "
        f"that size a plan aside), against a later report on the zone's {year} results, "
        f"《{esc(later.title)}》 ({esc(later.published)}; {esc(later.seen_as)}; author and outlet "
        "unknown): not an independent check. Each count links to its goals.</p>"
        f'<ul class="gx-score-list">{items}</ul>{chart}</section>'
    )
