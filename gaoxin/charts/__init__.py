"""House chart style and the one way notebooks publish a figure (`from gaoxin import charts`).

- `style`: fonts with CJK fallback, palette and greys, the one encoding of results, plans,
  targets and "or more" floors (`ENCODING`, `RELATION_COLOURS`), sizes at the text width
  (`figsize`, `bar_figsize`), `set_style(strict=True)`.
- `draw`: repeated patterns (`hbars`, `stacked_hbars`, `dot_compare`, `mark`, `value_label`,
  `fit_texts`, `range_bar`, `encoding_legend`, `mark_starts`); value labels sit beside their
  marks and inside the axes, never on a mark or on each other.
- `figure`: `publish(fig, name, takeaway, alt, data, section)` = `title` + `source_note` +
  `show`; `render` and `layout_problems` for tests.
"""

from gaoxin.charts.draw import *  # noqa: F403
from gaoxin.charts.figure import *  # noqa: F403
from gaoxin.charts.style import *  # noqa: F403
from gaoxin.config import FIGURE_MIMETYPE  # noqa: F401
