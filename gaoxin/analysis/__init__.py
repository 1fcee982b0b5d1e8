"""What the notebooks share. One paragraph per module; notebooks 00–05 follow this API.

`labels` — reader words and the article's coordinates, from the data. `label(code)` turns any
internal code (domain, period, kind, entity type, paragraph role, unit, coverage accounting) into
bilingual words; `qualifier_words(code)` / `qualifier_sign(code)` say what a qualifier does
("or more 以上", ≥). `report_year(facts)` and `plan_year(facts)` replace literal years;
`period_label(period, year)` gives "2018年实绩 2018 result" (period "plan" = a target for the
reported year); `section_titles(sections)`, `main_section(facts, period, year)` and
`densest_paragraph(facts, period, year)` replace positional ids such as "s3" or "p08".

`claims` — sentences bound to the data. `check(condition, claim)` and `check_equal(actual,
expected, claim)` raise `ClaimError` naming the claim; put them in code cells tagged `check`
(`CHECK_TAG`), right after the prose they guard; they print nothing. The build stops on a failing
cell and names the notebook, the cell and the claim. `finding(text_md, figure=None, heading=None)`
shows one key sentence and emits it (MIME `config.FINDING_MIMETYPE`) for the front page;
`heading` is the Markdown heading it sits under, as written, and `figure` the name given to
`charts.publish`. One or two findings per notebook.

`tables` — the one table presenter. `present(df, {column: "中文 English (unit)" | Col(header,
fmt, digits, scale)}, caption=None)` shows a table without index, with separators, "—" for
missing values, codes (fmt="code") and qualifiers (fmt="qualifier") in words, and quotes as
written (fmt="quote"). It raises `TableTooWide` when a table would not fit the A4 page: reshape
it, or pass `wide=True, csv=<link>` and tag the cell `walkthrough` (`claims.WALKTHROUGH_TAG`).
`pairs([(key, value), …])` shows a record as a two-column table; `quantity_text(value, unit,
qualifier)` writes a normalised value for readers ("≥ 30%", "> 3,600", "17.5 bn yuan (175亿元)").

`narrative` — prose from data: `say(md)`, `quote_block`, `quote_fact(row)` (sentence with the
quote in bold), `cite(row)`, `number(x, digits)`, `yuan(x)`, `escape(text)`.

`derive` — derived figures against the article's wording: `rounding_interval(row)`,
`rounds_to(x, row)`, `printed_decimals(text)`, and `true_range(row)`, the range a qualified
figure allows (以上/突破 → open top, 余/多 → up to the next round step, 近 → open bottom).

Charts are `gaoxin.charts` (style, draw, figure): `set_style(strict=True)`, `figsize(height)`,
`bar_figsize(n)`; `hbars`, `stacked_hbars`, `dot_compare(ax, names, results, targets)` (a
result may be a (low, high) range), `mark`, `value_label` (a value beside its mark, never on
it), `fit_texts`, `range_bar`, `encoding_legend`, `mark_starts`; `ENCODING` (result = filled
circle, plan = hollow square, target = hollow diamond, a floor adds an open arrow),
`RELATION_COLOURS`, `PALETTE`, `GREY`, `GREY_LIGHT`, `MUTED`; finish with
`publish(fig, name, takeaway, alt, data, section)`. Clause and list parsing is
`gaoxin.text.clauses`: `clauses`, `phrases`, `span_at`, `list_items`.
"""
