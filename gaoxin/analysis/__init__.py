"""What the notebooks share. One paragraph per module; notebooks 00–05 follow this API.

`labels` — reader words and the article's coordinates, from the data. `label(code)` turns any
internal code (domain, period, kind, entity type, paragraph role, unit) into bilingual words;
`qualifier_words(code)` / `qualifier_sign(code)` say what a qualifier does ("or more 以上", ≥).
`report_year(facts)` and `plan_year(facts)` replace literal years; `period_label(period, year)`
gives "2018年实绩 2018 result"; `section_titles(sections)`, `main_section(facts, period, year)` and
`densest_paragraph(facts, period, year)` replace positional ids such as "s3" or "p08".

`claims` — sentences bound to the data. `check(condition, claim)` and `check_equal(actual,
expected, claim)` raise `ClaimError` naming the claim; put them in code cells tagged `check`
(`CHECK_TAG`), right after the prose they guard (the build stops on a failing cell and names the
notebook and the cell). `finding(text_md, figure=None, heading=None)` shows one key sentence and
emits it (MIME `config.FINDING_MIMETYPE`) for the front page; `heading` is the Markdown heading it
sits under, `figure` the name given to `charts.show`. One or two findings per notebook.

`tables` — the one table presenter. `present(df, {column: "中文 English (unit)" | Col(header,
fmt, digits, scale)}, caption=None)` shows a table without index, with separators, "—" for
missing values, codes (fmt="code") and qualifiers (fmt="qualifier") in words and quotes as
written (fmt="quote"). It raises `TableTooWide` when a table would not fit the A4 page: reshape
it, or pass `wide=True, csv=<link>` and tag the cell `walkthrough` (`claims.WALKTHROUGH_TAG`).
`pairs([(key, value), …])` shows a record as a two-column table.

`narrative` — prose from data: `say(md)`, `quote_block`, `quote_fact(row)` (sentence with the
quote in bold), `cite(row)`, `number(x, digits)`, `yuan(x)`, `escape(text)`.

`derive` — derived figures against the article's rounding: `rounding_interval(row)`,
`rounds_to(x, row)`, `printed_decimals(text)`.

House chart style is `gaoxin.charts` (not here): `set_style(strict=True)`, `figsize(height)`,
`bar_figsize(n)`, `hbars`, `dot_compare`, `mark`, `range_bar`, `encoding_legend`, the colours
`PALETTE`, `ENCODING` (result = filled circle, plan = hollow square, target = hollow diamond, a
floor adds an open arrow), `GREY`, `GREY_LIGHT`, `MUTED`, then `source_note` and `show`.
Clause and list parsing is `gaoxin.text.clauses`: `clauses`, `phrases`, `span_at`, `list_items`.
"""
