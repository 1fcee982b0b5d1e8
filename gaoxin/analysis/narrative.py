"""Narrative helpers: prose rendered from the data, with article text always HTML-escaped."""

from __future__ import annotations

import html

from IPython.display import Markdown, display


def escape(text: str) -> str:
    """Escape article text for Markdown/HTML output (no tag or attribute can survive)."""
    return html.escape(str(text), quote=True)


def say(markdown: str) -> None:
    """Display a Markdown paragraph built by code (numbers come from the data, not the keyboard)."""
    display(Markdown(markdown))


def quote_block(text: str, location: str) -> None:
    """Display an article quote verbatim (escaped) with its source location."""
    body = escape(text).replace("\n", " ")
    display(Markdown(f"> {body}\n>\n> — {escape(location)}"))


def _section_titles() -> dict[str, str]:
    from gaoxin.data import load_sections

    sections = load_sections()
    return dict(zip(sections.section_id, sections.title))


def location(row) -> str:
    """Where a fact (or any row with section/paragraph ids and offsets) sits in the article."""
    title = _section_titles().get(str(row["section_id"]), str(row["section_id"]))
    where = f"paragraph {row['paragraph_id']}, characters {row['start']}–{row['end']}"
    return f"section «{title}», {where}"


def cite(row) -> str:
    """Short inline citation of a fact: the quote as written and its location."""
    return f"«{escape(row['quote'])}» ({escape(location(row))})"


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
    display(Markdown(f"> {body}\n>\n> — {escape(location(row))}"))


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
