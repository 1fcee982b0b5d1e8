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
