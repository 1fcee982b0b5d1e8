"""The one way notebooks publish a figure.

Draw with matplotlib, then `publish(fig, name, takeaway, alt, data, section)`: the takeaway
becomes the title, the source note names the article section, and `show` renders PNG and SVG in
memory (byte deterministic), displays the figure once and attaches a MIME bundle that the build
reads to write ``figures/NN_topic/<name>.png|.svg|.csv`` without re-running the notebook.

The Chinese edition's image is the same figure drawn again in Chinese (issue 18):
`publish(..., zh=zh(takeaway, alt, labels))` renders the English image, then swaps every text of
the figure for its Chinese twin (`labels` maps each English axis label, tick label, legend entry
or annotation to Chinese), sets the Chinese title and source note, and renders again into the
bundle's "zh" entry. A text left in English (a word of three or more lower-case Latin letters)
stops the notebook, naming the text: every label exists in both languages.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker

from gaoxin.charts.style import (
    COLUMN_WIDTH_IN,
    EXPORT_DPI,
    MIN_FONT_PT,
    MUTED,
    STRICT,
    SVG_HASHSALT,
    WIDTH_TOLERANCE,
)
from gaoxin.config import FIGURE_MIMETYPE
from gaoxin.data import load_sections
from gaoxin.data.glossary import split_label
from gaoxin.source import load_source

__all__ = [
    "MIN_FONT_KEY",
    "NOTE_CHARS_PER_LINE",
    "NOTE_GAP_INCHES",
    "PNG_METADATA",
    "SVG_METADATA",
    "TITLE_CHARS_PER_LINE",
    "WHOLE_ARTICLE",
    "layout_problems",
    "min_font_pt",
    "publish",
    "render",
    "sections_of",
    "show",
    "source_note",
    "title",
    "wrap",
    "wrap_zh",
    "zh",
]

# Metadata that would make output vary between runs or machines is dropped.
PNG_METADATA: dict[str, Any] = {"Software": None}
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}


def project_source() -> str:
    """The project article's source line for chart notes (read when a chart needs it, never at
    import: the package imports outside a project too)."""
    return f"{load_source().byline}, news report on the 衡阳高新区 work conference"


_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


TITLE_CHARS_PER_LINE = 84  # Latin characters of an 11 pt title across the text width
NOTE_CHARS_PER_LINE = 112  # the same for the 8 pt source note


def _display_width(text: str) -> float:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def wrap(text: str, width: float = TITLE_CHARS_PER_LINE) -> str:
    """Break text into lines of at most `width` (a CJK character counts twice) at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and _display_width(candidate) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return "\n".join([*lines, line])


# A Chinese line may not start with these (closing punctuation), nor end with the opening ones.
_NO_LINE_START = "，。、；：？！）」』》”’%"
_NO_LINE_END = "（「『《“‘"


def wrap_zh(text: str, width: float = TITLE_CHARS_PER_LINE) -> str:
    """Break Chinese text into lines of at most `width` (a CJK character counts twice): between
    any two characters, never inside a run of Latin letters or digits, never before closing or
    after opening punctuation; a name in 「」 or 《》 stays on one line when it fits on one."""
    tokens = []
    for token in re.findall(r"「[^」]*」|《[^》]*》|[A-Za-z0-9.,%–\-]+|\s+|.", text):
        short = token[0] not in "「《" or _display_width(token) <= width
        tokens += [token] if short else re.findall(r"[A-Za-z0-9.,%–\-]+|\s+|.", token)
    lines, line = [], ""
    for token in tokens:
        if line and _display_width(line + token) > width:
            if len(line) > 1 and (token[0] in _NO_LINE_START or line[-1] in _NO_LINE_END):
                token, line = line[-1] + token, line[:-1]
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return "\n".join([*lines, line])


def title(fig: plt.Figure, text: str) -> None:
    """The chart's takeaway as its title: left-aligned over the whole figure, wrapped to fit."""
    fig._gaoxin_takeaway = text
    fig.suptitle(wrap(text), x=0.01, ha="left", fontsize=mpl.rcParams["axes.titlesize"])


NOTE_GAP_INCHES = 0.08  # space between the lowest label and the source note
NOTE_GID = "gaoxin-source-note"
# Other notes a notebook adds (e.g. the follow-up report's) carry their Chinese as `gaoxin_zh`.


def sections_of(section_ids) -> str:
    """The subheadings of the sections a chart's figures come from, in article order, joined by
    " / ": a chart's source note names every section it draws on, and no other."""
    sections = load_sections()
    wanted = set(section_ids)
    unknown = wanted - set(sections.section_id)
    if unknown or not wanted:
        raise ValueError(
            f"sections_of: no section {sorted(unknown) or 'given'}; ids come from facts.csv"
        )
    return " / ".join(t for i, t in zip(sections.section_id, sections.title) if i in wanted)


# The section of a chart drawn from every section: its note names the whole article, no section.
WHOLE_ARTICLE = "全文 whole article"


def _whole(section: str) -> bool:
    return str(section).split(" ", 1)[0] == WHOLE_ARTICLE.split(" ", 1)[0]


def source_note(fig: plt.Figure, section: str, source: str | None = None) -> None:
    """Add the source footer naming the article section, below everything already drawn.

    Call it last, after layout: the note goes under the lowest tick label or axis label, and
    the saved image (``bbox_inches="tight"``) grows to include it, so nothing overlaps.
    `source` names another article than the project's (the article profile)."""
    fig.draw_without_rendering()  # run the layout engine first, so positions are final
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0  # inches from the figure bottom
    y = (lowest - NOTE_GAP_INCHES) / fig.get_figheight()
    note = fig.text(
        0.01,
        y,
        wrap(
            f"Source: {source or project_source()} — "
            + ("whole article" if _whole(section) else f"section «{section}»"),
            NOTE_CHARS_PER_LINE,
        ),
        ha="left",
        va="top",
        fontsize=MIN_FONT_PT,
        color=MUTED,
    )
    # The Chinese image rewrites the note from these (see publish's zh).
    note.set_gid(NOTE_GID)
    note.gaoxin_note = (section, source)


# PNG text key with the smallest font size (pt) drawn in the figure: the print test multiplies it
# by the printed width over the drawn width to get the chart's smallest text on the PDF page.
MIN_FONT_KEY = "gaoxin:min-font-pt"


def min_font_pt(fig: plt.Figure) -> float:
    """The smallest font size (pt, at the figure's drawn size) of any visible text."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(mpl.text.Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return float(min(sizes)) if sizes else float("inf")


def _png_bytes(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    metadata = {**PNG_METADATA, MIN_FONT_KEY: f"{min_font_pt(fig):g}"}
    fig.savefig(buf, format="png", dpi=EXPORT_DPI, bbox_inches="tight", metadata=metadata)
    return buf.getvalue()


def _svg_text(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return buf.getvalue().decode("utf-8")


def _csv_text(data: pd.DataFrame) -> str:
    # A named index, or one of labels, is data; bare row numbers (even reordered) are not.
    named = any(name is not None for name in data.index.names)
    keep_index = named or not pd.api.types.is_integer_dtype(data.index)
    return data.to_csv(index=keep_index, lineterminator="\n")


def layout_problems(fig: plt.Figure) -> list[str]:
    """What would make the figure hard to read in the reports: too wide, or text too small."""
    problems = []
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    width = fig.get_tightbbox(renderer).width
    if width > COLUMN_WIDTH_IN * WIDTH_TOLERANCE:
        problems.append(
            f"drawn {width:.2f} in wide, more than the {COLUMN_WIDTH_IN} in text width "
            "(it would be scaled down): use charts.figsize() and keep legends inside"
        )
    for text in fig.findobj(mpl.text.Text):
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < MIN_FONT_PT:
            problems.append(
                f"text {text.get_text()[:30]!r} is {text.get_fontsize():g} pt "
                f"(< {MIN_FONT_PT:g} pt)"
            )
    return problems


def render(
    fig: plt.Figure, name: str, alt: str, data: pd.DataFrame
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Render a figure to the display bundle and its metadata (no display, no close)."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"figure name must match {_NAME_RE.pattern!r}, got {name!r}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"figure {name!r}: alt text is required and must not be empty")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"figure {name!r}: data must be the pandas DataFrame that is plotted")
    problems = layout_problems(fig) if STRICT["layout"] else []
    if problems:
        raise ValueError(f"figure {name!r}: " + "; ".join(problems))
    alt = " ".join(alt.split())
    png = _png_bytes(fig)
    payload = {"name": name, "alt": alt, "svg": _svg_text(fig), "csv": _csv_text(data)}
    bundle = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": f"<Figure {name}: {alt}>",
        FIGURE_MIMETYPE: payload,
    }
    metadata = {"image/png": {"alt": alt}}
    return bundle, metadata


def show(
    fig: plt.Figure,
    name: str,
    alt: str,
    data: pd.DataFrame,
    zh: dict[str, Any] | None = None,
) -> None:
    """Publish a chart: display it once (PNG + alt + figure bundle), then close it; with `zh`
    (from `charts.zh`), the bundle carries the Chinese image of the same figure too."""
    from IPython.display import display

    try:
        bundle, metadata = render(fig, name, alt, data)
        if zh is not None:
            _add_chinese(fig, name, data, bundle, zh)
    except Exception:
        plt.close(fig)
        raise
    display(bundle, metadata=metadata, raw=True)
    plt.close(fig)


def zh(takeaway: str, alt: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The Chinese twin of a chart: its title (takeaway), alt text, and the Chinese of each
    English text drawn in it (axis and tick labels, legend entries, annotations)."""
    if not str(takeaway).strip() or not str(alt).strip():
        raise ValueError("a chart's Chinese twin needs its title and its alt text")
    return {"takeaway": takeaway, "alt": alt, "labels": dict(labels or {})}


# A word left in English in the Chinese image: three or more lower-case Latin letters.
_ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z]{3,}")


def house_labels_zh() -> dict[str, str]:
    """Chinese of the texts the house style draws itself (the encoding legend's floor entry)."""
    from gaoxin.charts.style import FLOOR_LABEL

    return {FLOOR_LABEL: "→ 下限（以上、多于）"}


def chinese_of(text: str, labels: dict[str, str]) -> str:
    """The Chinese of a chart text: from `labels`, else the Chinese half of a bilingual label
    ('实绩 Result' → '实绩', the glossary's term), else the text unchanged."""
    if text in labels:
        return labels[text]
    lines = text.split("\n")
    if len(lines) > 1:
        return "\n".join(chinese_of(line, labels) for line in lines)
    parts = split_label(text)
    return parts[0] if parts else text


class _Chinese(ticker.Formatter):
    """A tick formatter that writes what another one writes, in Chinese (see chinese_of)."""

    def __init__(self, inner: ticker.Formatter, labels: dict[str, str]):
        self.inner, self.labels = inner, labels

    def __call__(self, x: float, pos: int | None = None) -> str:
        return chinese_of(str(self.inner(x, pos)), self.labels)

    def format_ticks(self, values: Any) -> list[str]:
        return [chinese_of(str(t), self.labels) for t in self.inner.format_ticks(values)]

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    def get_offset(self) -> str:
        return self.inner.get_offset()

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)


def _relabel(fig: plt.Figure, labels: dict[str, str]) -> None:
    """Swap every text of the figure for its Chinese twin (see chinese_of)."""
    labels = {**house_labels_zh(), **labels}
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if not isinstance(formatter, _Chinese):
                axis.set_major_formatter(_Chinese(formatter, labels))
    for text in fig.findobj(mpl.text.Text):
        words = text.get_text()
        if words:
            text.set_text(chinese_of(words, labels))


def _left_in_english(fig: plt.Figure) -> list[str]:
    fig.draw_without_rendering()
    return sorted(
        {
            t.get_text()
            for t in fig.findobj(mpl.text.Text)
            if t.get_visible() and _ENGLISH_WORD.search(t.get_text())
        }
    )


def source_note_zh(section: str, source: str | None = None) -> str:
    """The source note of a Chinese image."""
    from gaoxin.source import load_source

    byline = source or f"{load_source().byline}，衡阳高新区工作会议新闻报道"
    if _whole(section):
        return f"资料来源：{byline}（全文）"
    return f"资料来源：{byline}——「{chinese_of(section, {})}」部分"


def _add_chinese(
    fig: plt.Figure, name: str, data: pd.DataFrame, bundle: dict[str, Any], zh: dict[str, Any]
) -> None:
    """Redraw the figure in Chinese and put that image in the bundle's "zh" entry."""
    _relabel(fig, zh["labels"])
    if fig._suptitle is not None and fig._suptitle.get_text():
        fig._suptitle.set_text(wrap_zh(zh["takeaway"]))
    for text in fig.texts:
        if text.get_gid() == NOTE_GID:
            section, source = text.gaoxin_note
            text.set_text(wrap_zh(source_note_zh(section, source), NOTE_CHARS_PER_LINE))
        elif getattr(text, "gaoxin_zh", None):
            text.set_text(wrap_zh(text.gaoxin_zh, NOTE_CHARS_PER_LINE))
    english = _left_in_english(fig)
    if english:
        raise ValueError(
            f"figure {name!r}: the Chinese image still reads {english}: give each its "
            "Chinese in charts.zh(labels={...})"
        )
    zh_bundle, _ = render(fig, name, zh["alt"], data)
    payload = bundle[FIGURE_MIMETYPE]
    payload["takeaway"] = fig._gaoxin_takeaway if hasattr(fig, "_gaoxin_takeaway") else ""
    payload["zh"] = {
        "takeaway": zh["takeaway"],
        "png": zh_bundle["image/png"],
        "svg": zh_bundle[FIGURE_MIMETYPE]["svg"],
        "alt": zh_bundle[FIGURE_MIMETYPE]["alt"],
    }


def publish(
    fig: plt.Figure,
    name: str,
    takeaway: str,
    alt: str,
    data: pd.DataFrame,
    section: str,
    zh: dict[str, Any] | None = None,
) -> None:
    """Finish a chart the house way: the takeaway as title, the source note, then show();
    with `zh` (from `charts.zh`), the Chinese image as well, drawn from the same figure."""
    title(fig, takeaway)
    source_note(fig, section)
    show(fig, name, alt, data, zh=zh)
