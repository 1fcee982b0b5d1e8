"""Two editions from one execution: English and Chinese (zh-CN), and the checks that they agree.

A notebook declares its editions in its metadata, ``{"gaoxin": {"editions": ["en", "zh-CN"]}}``
(none declared: English only). In a bilingual notebook every narrative Markdown cell is followed
by its Chinese twin, a cell with metadata ``{"lang": "zh-CN"}``; every sentence rendered by code
carries its Chinese in the same output (``config.ZH_MARKDOWN_MIMETYPE``, from ``nv.say(en,
zh=...)``, ``claims.finding(en, zh=...)`` and the quote helpers), and every chart bundle carries
its Chinese image (``charts.publish(..., zh=...)``). `edition(nb, lang)` keeps one language;
`disagreements(nb)` lists what exists in one language only and every pair whose two texts state
different numbers. The build refuses to export a bilingual notebook with any disagreement.

Not twinned, by design: cells tagged walkthrough or solution and the exercises section (the
walkthroughs stay English), tables (their headers are bilingual labels from
the glossary, the same in both editions), and code.
"""

from __future__ import annotations

import copy
import html
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from gaoxin.config import (
    EN,
    FIGURE_MIMETYPE,
    FINDING_MIMETYPE,
    LANG_KEY,
    SOLUTION_TAG,
    WALKTHROUGH_TAG,
    ZH,
    ZH_HTML_MIMETYPE,
    ZH_MARKDOWN_MIMETYPE,
)

# Headings that open the exercises, in either language (the reader edition drops the section).
EXERCISES_HEADING = re.compile(r"^##\s+(Exercises|练习)\b", re.IGNORECASE)
SECTION_HEADING = re.compile(r"^#{1,2}\s")
NOT_TWINNED_TAGS = frozenset({SOLUTION_TAG, WALKTHROUGH_TAG})
# A number as prose states it: digits, thousands separators, decimals.
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# English writes yuan in billions or millions where Chinese writes 亿元 or 万元 ("4.19 bn yuan
# (41.89亿元)", "projects of 1 billion yuan or more" = 10亿元以上的项目): such an amount agrees with
# the Chinese when its value in 亿 or 万 is stated there.
ENGLISH_SCALE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(bn|m|billion|million) yuan")
IN_YI_OR_WAN = {"bn": (10,), "billion": (10,), "m": (Decimal("0.01"), 100)}
IN_YI_OR_WAN["million"] = IN_YI_OR_WAN["m"]
# Chinese groups large numbers by 万 and 亿 ("120万平方米", "1.2万米") where English writes them
# whole (1,200,000 m²): such a number agrees with the English when its whole value is stated there.
CHINESE_SCALE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([万亿])")
CHINESE_FACTOR = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
# «**41%**的»: CommonMark will not close a bold run that ends in punctuation when a letter (a CJK
# character: no space between them in Chinese) follows, nor open one that starts with punctuation
# after a letter. An empty HTML comment there is punctuation to the parser and nothing to the reader
# (nbconvert's renderer mangles inline tags such as <strong>, so the run stays Markdown).
STRONG = re.compile(r"(?<![\\*])\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*(?!\*)")
SEAM = "<!-- -->"


def _punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _letter(ch: str) -> bool:
    return bool(ch) and not ch.isspace() and not _punctuation(ch)


def strong_for_chinese(markdown: str) -> str:
    """Bold runs that render between Chinese characters, with their text whole («**41%**的»)."""

    def seams(m: re.Match[str]) -> str:
        inner = m.group(1)
        before = markdown[m.start() - 1] if m.start() else ""
        after = markdown[m.end()] if m.end() < len(markdown) else ""
        lead = SEAM if _punctuation(inner[0]) and _letter(before) else ""
        tail = SEAM if _punctuation(inner[-1]) and _letter(after) else ""
        return f"{lead}{m.group(0)}{tail}"

    return STRONG.sub(seams, markdown)


def editions(nb: Any) -> tuple[str, ...]:
    """The editions a notebook declares (English alone when it declares none)."""
    meta = nb.get("metadata", {}).get("gaoxin", {}) or {}
    declared = tuple(meta.get("editions") or (EN,))
    unknown = set(declared) - {EN, ZH}
    if unknown or EN not in declared:
        raise ValueError(
            f"notebook metadata gaoxin.editions is {list(declared)}: use ['en'] or ['en', 'zh-CN']"
        )
    return declared


def is_bilingual(nb: Any) -> bool:
    return ZH in editions(nb)


def cell_lang(cell: Any) -> str:
    return cell.get("metadata", {}).get(LANG_KEY, EN)


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _first_line(cell: Any) -> str:
    return cell.source.lstrip().split("\n", 1)[0] if cell.cell_type == "markdown" else ""


def _output_in(output: Any, lang: str) -> Any:
    """One output in one language: the Chinese replaces the English where it exists."""
    data = output.get("data")
    if not data:
        return output
    zh = data.pop(ZH_MARKDOWN_MIMETYPE, None)
    if lang == ZH and zh is not None:
        data["text/markdown"] = zh
    table = data.pop(ZH_HTML_MIMETYPE, None)
    if lang == ZH and table is not None:
        data["text/html"] = table
    figure = data.get(FIGURE_MIMETYPE)
    if isinstance(figure, dict) and "zh" in figure:
        twin = figure.pop("zh")
        if lang == ZH:
            data["image/png"] = twin["png"]
            figure.update(svg=twin["svg"], alt=twin["alt"])
            data["text/plain"] = f"<Figure {figure['name']}: {twin['alt']}>"
            output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = twin["alt"]
    finding = data.get(FINDING_MIMETYPE)
    if isinstance(finding, dict):
        text_zh, anchor_zh = finding.pop("text_zh", None), finding.pop("anchor_zh", None)
        if lang == ZH and text_zh is not None:
            finding.update(text=text_zh, anchor=anchor_zh)
    return output


def edition(nb: Any, lang: str) -> Any:
    """A copy of an executed (or source) notebook in one language. English: the Chinese cells
    and outputs are dropped. Chinese: each English cell with a Chinese twin gives way to it, and
    each output shows its Chinese."""
    if lang not in (EN, ZH):
        raise ValueError(f"unknown edition {lang!r}: use {EN!r} or {ZH!r}")
    nb = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            if cell_lang(cell) != lang and cell_lang(cell) == ZH:
                continue
            if lang == ZH and cell_lang(cell) == EN and _has_twin(nb.cells, index):
                continue
        elif cell.cell_type == "code":
            cell.outputs = [_output_in(o, lang) for o in cell.get("outputs", [])]
        cells.append(cell)
    nb.cells = cells
    nb.metadata.setdefault("gaoxin", {})["lang"] = lang
    return nb


def _has_twin(cells: list[Any], index: int) -> bool:
    nxt = cells[index + 1] if index + 1 < len(cells) else None
    return nxt is not None and nxt.cell_type == "markdown" and cell_lang(nxt) == ZH


# ------------------------------------------------------------------------------ agreement


def numbers(text: str, english: bool = False) -> set[Decimal]:
    """The numbers a sentence states (Arabic digits; separators dropped; HTML entities such as
    &#x27; read as the characters they are)."""
    text = html.unescape(text)
    if english:
        text = ENGLISH_SCALE.sub(" ", text)
    found = set()
    for match in NUMBER.findall(text):
        try:
            found.add(Decimal(match.replace(",", "")).normalize())
        except InvalidOperation:
            continue
    return found


def scaled_amounts(text: str) -> list[list[tuple[Decimal, Decimal]]]:
    """For each English amount in billions or millions of yuan, its values in 亿 and 万, each
    with the half-step of the English rounding (0.96 bn is 9.55 to 9.65亿)."""
    found = []
    for value, word in ENGLISH_SCALE.findall(html.unescape(text)):
        amount = Decimal(value.replace(",", ""))
        half = Decimal(5) * Decimal(10) ** (amount.as_tuple().exponent - 1)
        found.append([(amount * k, half * k) for k in IN_YI_OR_WAN[word]])
    return found


def chinese_scaled(text: str) -> dict[Decimal, Decimal]:
    """The Chinese numbers grouped by 万 or 亿, each with its whole value (120万 → 1200000)."""
    return {
        Decimal(value.replace(",", "")).normalize(): (
            Decimal(value.replace(",", "")) * CHINESE_FACTOR[unit]
        ).normalize()
        for value, unit in CHINESE_SCALE.findall(html.unescape(text))
    }


def _matches(candidates: list[tuple[Decimal, Decimal]], stated: set[Decimal]) -> set[Decimal]:
    return {n for n in stated for c, tol in candidates if abs(n - c) <= tol}


def _differ(en: str, zh: str) -> str | None:
    a, b = numbers(en, english=True), numbers(zh)
    scaled = scaled_amounts(en)
    # A scaled English amount agrees when its 亿/万 value is stated (in either text).
    unmatched = [c for c in scaled if not _matches(c, a | b)]
    a = a | {n for c in scaled for n in _matches(c, b)}
    # A Chinese number grouped by 万/亿 agrees when the English states its whole value.
    for grouped, whole in chinese_scaled(zh).items():
        if whole in a:
            b = (b - ({grouped} - a)) | {whole}
    if a == b and not unmatched:
        return None
    a |= {c[0][0].normalize() for c in unmatched}
    only_en = ", ".join(sorted(f"{n:f}" for n in a - b)) or "none"
    only_zh = ", ".join(sorted(f"{n:f}" for n in b - a)) or "none"
    return f"numbers only in English: {only_en}; only in Chinese: {only_zh}"


def _brief(text: str) -> str:
    line = " ".join(str(text).split())
    return line[:50] + ("…" if len(line) > 50 else "")


def disagreements(nb: Any, name: str = "notebook") -> list[str]:
    """What stops a bilingual notebook's editions from saying the same thing: a sentence,
    heading, caption, chart or finding in one language only, and a pair whose two texts state
    different numbers. Empty for an English-only notebook."""
    if not is_bilingual(nb):
        return []
    problems: list[str] = []
    cells = nb.cells
    in_exercises = False
    for index, cell in enumerate(cells):
        where = f"{name}: cell {index}"
        first = _first_line(cell)
        if SECTION_HEADING.match(first):
            in_exercises = bool(EXERCISES_HEADING.match(first))
        if in_exercises or _tags(cell) & NOT_TWINNED_TAGS:
            if cell.cell_type == "markdown" and cell_lang(cell) == ZH:
                problems.append(f"{where}: a Chinese cell where only English is kept")
            continue
        if cell.cell_type == "markdown":
            if cell_lang(cell) == ZH:
                prev = cells[index - 1] if index else None
                if prev is None or prev.cell_type != "markdown" or cell_lang(prev) != EN:
                    problems.append(f"{where}: Chinese cell without the English cell before it")
                else:
                    diff = _differ(prev.source, cell.source)
                    if diff:
                        problems.append(f"{where} [{_brief(cell.source)}]: {diff}")
            elif not _has_twin(cells, index):
                problems.append(
                    f"{where} [{_brief(cell.source)}]: English only; add its Chinese twin after "
                    f'it (a Markdown cell with metadata {{"{LANG_KEY}": "{ZH}"}})'
                )
            continue
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            problems += _output_problems(output, where)
    return problems


def _output_problems(output: Any, where: str) -> list[str]:
    data = output.get("data") or {}
    problems = []
    en = data.get("text/markdown")
    if en is not None:
        zh = data.get(ZH_MARKDOWN_MIMETYPE)
        if zh is None:
            problems.append(f"{where} [{_brief(en)}]: English only; pass its Chinese as zh=")
        else:
            diff = _differ(en, zh)
            if diff:
                problems.append(f"{where} [{_brief(zh)}]: {diff}")
    html_table = data.get("text/html")
    if html_table is not None and "<caption>" in html_table and ZH_HTML_MIMETYPE not in data:
        problems.append(f"{where}: a table caption in English only; pass caption_zh= to present")
    figure = data.get(FIGURE_MIMETYPE)
    if isinstance(figure, dict):
        twin = figure.get("zh")
        if not twin:
            problems.append(
                f"{where}: figure {figure.get('name')!r} has no Chinese image; pass "
                "zh=charts.zh(takeaway, alt, labels) to charts.publish"
            )
        else:
            for part, en_text, zh_text in (
                ("title", figure.get("takeaway", ""), twin.get("takeaway", "")),
                ("alt text", figure.get("alt", ""), twin.get("alt", "")),
            ):
                diff = _differ(en_text, zh_text)
                if diff:
                    problems.append(f"{where}: figure {figure.get('name')!r} {part}: {diff}")
    finding = data.get(FINDING_MIMETYPE)
    if isinstance(finding, dict) and not finding.get("text_zh"):
        problems.append(f"{where}: a key finding without its Chinese (finding(..., zh=...))")
    elif isinstance(finding, dict) and finding.get("anchor") and not finding.get("anchor_zh"):
        problems.append(f"{where}: a key finding without its Chinese heading (heading_zh=)")
    return problems


def nested_quotes_zh(line: str) -> str:
    """A quote inside a quote takes single marks, as Chinese writes it: “刷新了‘高新速度’”. A line
    whose double marks do not pair is left as it is."""
    depth, out = 0, []
    for ch in line:
        if ch == "“":
            out.append("‘" if depth else ch)
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth < 0:
                return line
            out.append("’" if depth else ch)
        else:
            out.append(ch)
    return "".join(out) if depth == 0 else line
