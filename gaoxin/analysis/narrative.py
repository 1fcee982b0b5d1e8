"""Narrative helpers: prose rendered from the data, with article text always HTML-escaped.

Every sentence exists in English and in Chinese (issue 18): `say(en, zh=...)` shows the English
and carries the Chinese in the same output (MIME `config.ZH_MARKDOWN_MIMETYPE`); the report build
keeps one of them per edition. Both are f-strings over the same variables. Chinese helpers follow
the conventions of Chinese statistical reporting: `number_zh` (no thousands separators below
万), `wan_zh` (万/亿 for large counts and measures), `yuan_zh` (亿元/万元), `location_zh` and
`cite_zh`.
"""

from __future__ import annotations

import html
import re

from IPython.display import Markdown, display

from gaoxin.config import ZH_MARKDOWN_MIMETYPE


def escape(text: str) -> str:
    """Escape article text for Markdown/HTML output (no tag or attribute can survive)."""
    return html.escape(str(text), quote=True)


def show_markdown(markdown: str, zh: str | None = None) -> None:
    """Display Markdown; with `zh`, its Chinese twin rides in the same output."""
    if zh is None:
        display(Markdown(markdown))
        return
    if not str(zh).strip():
        raise ValueError("the Chinese twin of a sentence is empty")
    display({"text/markdown": markdown, ZH_MARKDOWN_MIMETYPE: zh}, raw=True)


def say(markdown: str, zh: str | None = None) -> None:
    """Display a Markdown paragraph built by code (numbers come from the data, not the keyboard),
    with its Chinese twin `zh` (the same numbers, from the same variables)."""
    show_markdown(markdown, zh)


class Bilingual(str):
    """A string in English that carries its Chinese twin as `.zh` (a location, a label)."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Bilingual:
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj


def quote_block(text: str, location: str, zh_location: str | None = None) -> None:
    """Display an article quote verbatim (escaped) with its source location (the Chinese
    edition's from `zh_location`, or from a location made by `location()`)."""
    body = escape(text).replace("\n", " ")
    zh_location = zh_location or getattr(location, "zh", None)
    show_markdown(
        f"> {body}\n>\n> — {escape(location)}",
        None if zh_location is None else f"> {body}\n>\n> ——{escape(zh_location)}",
    )


def _section_titles() -> dict[str, str]:
    from gaoxin.data import load_sections

    sections = load_sections()
    return dict(zip(sections.section_id, sections.title))


def location(row) -> Bilingual:
    """Where a fact (or any row with section/paragraph ids and offsets) sits in the article;
    its `.zh` is the same in Chinese."""
    title = _section_titles().get(str(row["section_id"]), str(row["section_id"]))
    where = f"paragraph {row['paragraph_id']}, characters {row['start']}–{row['end']}"
    return Bilingual(f"section «{title}», {where}", location_zh(row))


# An English gloss after a Chinese title ("导语 Lead"), which the Chinese edition leaves out.
_ENGLISH_TAIL = re.compile(r"\s+[A-Za-z][A-Za-z ,.'()-]*$")


def location_zh(row) -> str:
    """Where a fact sits in the article, in Chinese: 「部分」，段落，第a–b字."""
    title = _section_titles().get(str(row["section_id"]), str(row["section_id"]))
    # The lead has no subheading; its title is a label ("导语 Lead"): the Chinese edition's is
    # Chinese only.
    title = _ENGLISH_TAIL.sub("", title) or title
    return f"「{title}」部分，段落{row['paragraph_id']}，第{row['start']}–{row['end']}字"


def cite(row) -> str:
    """Short inline citation of a fact: the quote as written and its location."""
    return f"«{escape(row['quote'])}» ({escape(location(row))})"


def cite_zh(row) -> str:
    """The same citation in Chinese: “原文”（位置）."""
    return f"“{escape(row['quote'])}”（{escape(location_zh(row))}）"


def _quote_index(row) -> int:
    """Index of the fact's quote inside its sentence text (the right one when it repeats)."""
    from gaoxin.data import load_sentences, read_raw_text
    from gaoxin.text.structure import Sentence

    sentences = load_sentences().set_index("sentence_id", drop=False)
    if not row["sentence_id"] or row["sentence_id"] not in sentences.index:
        return str(row["sentence"]).find(str(row["quote"]))
    sentence = Sentence.from_row(sentences.loc[row["sentence_id"]], read_raw_text())
    return sentence.text_index(int(row["start"]))


def quote_fact(row) -> None:
    """Show the sentence a fact comes from, verbatim, with the fact's quote in bold."""
    text, quote = str(row["sentence"]), str(row["quote"])
    i = _quote_index(row)
    if text[i : i + len(quote)] == quote:
        body = f"{escape(text[:i])}**{escape(quote)}**{escape(text[i + len(quote) :])}"
    else:
        body = escape(text)
    # The offsets are the bold figure's, not the whole sentence's: the citation says so.
    show_markdown(
        f"> {body}\n>\n> — {escape(location(row))} (the figure in bold)",
        f"> {body}\n>\n> ——{escape(location_zh(row))}（加粗的数字）",
    )


def number(value, digits: int = 1) -> str:
    """Format a number for prose: thousands separators, at most `digits` decimals, no '.0'."""
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan(value) -> str:
    """Yuan amounts in the units Chinese reports use: '41.89 bn yuan (418.9亿元)'."""
    v = float(value)
    if abs(v) >= 1e8:
        return f"{number(v / 1e9, 2)} bn yuan ({number(v / 1e8, 2)}亿元)"
    if abs(v) >= 1e4:
        return f"{number(v / 1e6, 2)} m yuan ({number(v / 1e4, 2)}万元)"
    return f"{number(v, 0)} yuan"


def number_zh(value, digits: int = 1) -> str:
    """A number for Chinese prose: at most `digits` decimals, no '.0', and no thousands
    separators (Chinese reports group by 万 and 亿, see `yuan_zh`)."""
    return number(value, digits).replace(",", "")


def wan_zh(value, unit: str = "") -> str:
    """A large count or measure as Chinese reports write it, grouped by 万 and 亿:
    '120万平方米', '1.2万米', '4800个' (below 万 the number stays whole)."""
    v = float(value)
    if abs(v) >= 1e8:
        return f"{number_zh(v / 1e8, 2)}亿{unit}"
    if abs(v) >= 1e4:
        return f"{number_zh(v / 1e4, 2)}万{unit}"
    return f"{number_zh(v, 0)}{unit}"


def yuan_zh(value) -> str:
    """Yuan amounts as Chinese reports write them: '418.9亿元', '150万元', '500元'."""
    return wan_zh(value, "元")
