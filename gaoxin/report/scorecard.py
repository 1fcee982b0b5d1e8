"""The front page's scorecard: how many of the plan year's targets the zone's next report shows
met, missed, not comparable or not reported, each count linked to the section that lists them.

Rendered from gaoxin.analysis.verdicts (the same verdicts notebook 06 shows); left out when the
data folder is not the project's own or notebook 06 is not among the built reports."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from gaoxin import config


def scorecard_section(reports: list[dict[str, Any]], data_dir: Path) -> str:
    """The scorecard as an HTML section, or "" when there is nothing to score against."""
    from gaoxin.analysis.verdicts import NOTEBOOK

    if Path(data_dir).resolve() != config.DATA_DIR.resolve():
        return ""
    if NOTEBOOK not in {report["stem"] for report in reports}:
        return ""
    from gaoxin.analysis.labels import plan_year
    from gaoxin.analysis.verdicts import scorecard
    from gaoxin.data import load_facts
    from gaoxin.source import load_later_sources

    card = scorecard()
    year = plan_year(load_facts())
    later = next(iter(load_later_sources().values()))
    esc = html.escape
    items = "".join(
        f'<li class="gx-score gx-score-{esc(row.verdict)}"><a href="{esc(row.href)}">'
        f'<span class="gx-score-n">{int(row.count)}</span> '
        f'<span class="gx-score-label">{esc(row.label)}</span></a></li>'
        for row in card.itertuples()
    )
    return (
        '<section class="gx-scorecard" aria-labelledby="scorecard-h">'
        f'<h2 id="scorecard-h">承诺与兑现 Did the zone keep its {year} promises?</h2>'
        f"<p>The {int(card['count'].sum())} targets the article sets for {year} (size "
        f"thresholds aside), against the zone's next report, 《{esc(later.title)}》 "
        f"({esc(later.published)}; {esc(later.seen_as)}). Each count links to its targets.</p>"
        f'<ul class="gx-score-list">{items}</ul></section>'
    )
