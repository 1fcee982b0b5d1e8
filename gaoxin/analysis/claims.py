"""Claims bound to the data: checks that stop the build, and key findings for the front page.

A sentence in a report that compares, ranks or describes the tables is either rendered from the
data (`narrative.say`) or guarded by `check(condition, claim)` in a code cell tagged `check`
(`CHECK_TAG`). A failing check raises `ClaimError` naming the claim, so the build stops and says
which notebook and which sentence no longer holds. Checks print nothing: readers never see them.
"""

from __future__ import annotations

from urllib.parse import quote

from gaoxin.config import CHECK_TAG, FINDING_MIMETYPE, WALKTHROUGH_TAG, ZH_MARKDOWN_MIMETYPE

__all__ = [
    "CHECK_TAG",
    "WALKTHROUGH_TAG",
    "ClaimError",
    "check",
    "check_equal",
    "finding",
    "heading_anchor",
]
# Characters nbconvert leaves unescaped in heading ids (nbconvert.filters.strings).
_ID_SAFE = "?/:@!$&'()*+,;="


class ClaimError(AssertionError):
    """A sentence of a report that the data no longer supports."""


def check(condition: object, claim: str) -> None:
    """Raise ClaimError naming `claim` unless `condition` is true."""
    if not bool(condition):
        raise ClaimError(f"claim no longer holds: {claim}")


def check_equal(actual: object, expected: object, claim: str) -> None:
    """Raise ClaimError naming `claim` and both values unless they are equal."""
    if actual != expected:
        raise ClaimError(
            f"claim no longer holds: {claim} (found {actual!r}, expected {expected!r})"
        )


def heading_anchor(heading: str) -> str:
    """The id nbconvert gives a Markdown heading (spaces → '-', URL-quoted), without the '#'."""
    text = heading.lstrip("#").strip()
    return quote(text.replace(" ", "-"), safe=_ID_SAFE)


def finding(
    text_md: str,
    figure: str | None = None,
    heading: str | None = None,
    about: str = "zone",
    zh: str | None = None,
    heading_zh: str | None = None,
) -> None:
    """Show a key finding (one sentence, Markdown) and hand it to the site's front page.

    `heading` is the Markdown heading the finding sits under, as written (its id is derived
    the way nbconvert derives it); `figure` is the name given to `charts.show`; `about` is
    "zone" for what the article says of the zone, "text" for how the article is written (the
    front page puts those last). `zh` is the finding in Chinese and `heading_zh` the Chinese
    heading it sits under in the Chinese edition."""
    from IPython.display import display

    if not text_md.strip():
        raise ValueError("a finding needs its sentence")
    if about not in ("zone", "text"):
        raise ValueError(f"a finding is about the zone or the text, not {about!r}")
    if zh is not None and not zh.strip():
        raise ValueError("the Chinese twin of a finding is empty")
    if (heading is None) != (heading_zh is None) and zh is not None:
        raise ValueError("a finding under a heading names the heading in both languages")
    anchor = None if heading is None else heading_anchor(heading)
    payload = {"text": text_md, "figure": figure, "anchor": anchor, "about": about}
    bundle = {"text/markdown": f"**Key finding.** {text_md}", FINDING_MIMETYPE: payload}
    if zh is not None:
        payload["text_zh"] = zh
        payload["anchor_zh"] = None if heading_zh is None else heading_anchor(heading_zh)
        bundle[ZH_MARKDOWN_MIMETYPE] = f"**要点**：{zh}"
    display(bundle, raw=True)
