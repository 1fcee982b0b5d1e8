"""House chart style and the one way notebooks publish a figure.

Notebooks call :func:`set_style` once, draw with matplotlib/seaborn, add :func:`source_note`,
then publish with :func:`show`. ``show`` renders the figure to PNG and SVG in memory (byte
deterministic), displays it once, and attaches a custom MIME bundle that the build reads to
write ``figures/NN_topic/<name>.png|.svg|.csv`` without re-running the notebook.
"""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from gaoxin.analysis import labels
from gaoxin.config import FIGURE_MIMETYPE, cjk_font_path
from gaoxin.source import load_source

# Noto Sans CJK SC (SIL Open Font Licence), shipped inside the mplfonts wheel.
CJK_FAMILY = "Noto Sans CJK SC"
FONT_FAMILIES = ["DejaVu Sans", CJK_FAMILY]

# Okabe–Ito colour-blind-safe palette (black moved last: it is for text and reference lines).
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
INK = "#1d1d1f"
MUTED = "#555555"  # notes and secondary labels
GREY = "#8c8c8c"  # context marks, connectors, reference lines
GREY_LIGHT = "#d9d9d9"  # background bars, "no figure" placeholders

# Figures are drawn at the text width of the reader pages, so they are never scaled down:
# the A4 PDF text width is 210 − 2 × 16 mm = 178 mm (7.0 in); the HTML column is 47.5rem
# (760 px), wider than 7.0 in at 96 px/in. Text is then at least MIN_FONT_PT as shown.
COLUMN_WIDTH_IN = 7.0
MIN_FONT_PT = 8.0
FIGSIZE = (COLUMN_WIDTH_IN, 3.6)
BAR_HEIGHT_IN = 0.34  # per bar in horizontal bar charts
CHART_FRAME_IN = 1.1  # title, axis label and source note around the bars
SCREEN_DPI = 100
EXPORT_DPI = 150
SVG_HASHSALT = "gaoxin"
WIDTH_TOLERANCE = 1.02  # tight bounding boxes may overshoot by a hair

# Metadata that would make output vary between runs or machines is dropped.
PNG_METADATA: dict[str, Any] = {"Software": None}
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}

SOURCE = f"{load_source().byline}, 衡阳高新区 work-conference report"

# One encoding for the same idea in every chart: a result is a filled circle, a plan a hollow
# square, a target a hollow diamond; an "or more" floor adds an open arrow towards larger values.
ENCODING: dict[str, dict[str, Any]] = {
    "result": {"color": PALETTE[0], "marker": "o", "filled": True, "label": "实绩 Result"},
    "plan": {"color": PALETTE[2], "marker": "s", "filled": False, "label": "计划 Plan"},
    "target": {"color": PALETTE[5], "marker": "D", "filled": False, "label": "目标 Target"},
}
FLOOR_LABEL = "→ or more 以上 (floor)"
# How a target relates to the previous year's figure (data/annotations/target_pairs.csv).
RELATION_COLOURS = {
    "same_measure": PALETTE[0],
    "different_measure": PALETTE[1],
    "no_counterpart": GREY_LIGHT,
    "size_threshold": GREY,
}
MARKER_SIZE = 64
FLOOR_ARROW_FRACTION = 0.06  # arrow length as a share of the x range
LABEL_GAP_FRACTION = 0.015  # space between a marker and its value label


def label(key: object) -> str:
    """Bilingual reader label for an internal name (see gaoxin.analysis.labels)."""
    return labels.label(key)


_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def register_cjk_font() -> Path:
    """Register the CJK font with matplotlib (idempotent) and return its path."""
    path = cjk_font_path()
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return path


# When true (set_style(strict=True)), show() refuses figures wider than the text width or with
# text under MIN_FONT_PT. Notebooks opt in as they are brought to report grade.
STRICT = {"layout": False}


def set_style(strict: bool = False) -> None:
    """Apply the house style: fonts with CJK fallback, palette, sizes, deterministic output.

    With `strict`, every figure shown must fit the text width with text of MIN_FONT_PT or more."""
    import seaborn as sns

    STRICT["layout"] = strict

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    register_cjk_font()
    rc = {
        "font.family": FONT_FAMILIES,
        "font.sans-serif": [*FONT_FAMILIES, "sans-serif"],
        "axes.unicode_minus": True,
        "figure.figsize": FIGSIZE,
        "figure.dpi": SCREEN_DPI,
        "savefig.dpi": EXPORT_DPI,
        "savefig.bbox": "tight",
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        # One regular weight for titles: the CJK font has no bold, so Latin is not bolded either.
        "axes.titleweight": "normal",
        "figure.titleweight": "normal",
        "axes.titlesize": 11,
        "figure.titlesize": 11,
        "axes.titlelocation": "left",
        "font.size": 9,
        "axes.labelsize": 9,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.title_fontsize": 8.5,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    # seaborn resets font.family, so the font list goes through set_theme itself.
    # Strict figures lay themselves out inside their size (long tick labels included).
    rc["figure.constrained_layout.use"] = strict
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font=FONT_FAMILIES, rc=rc)
    mpl.rcParams.update(rc)


NOTE_GAP_INCHES = 0.08  # space between the lowest label and the source note


def source_note(fig: plt.Figure, section: str, source: str | None = None) -> None:
    """Add the source footer naming the article section, below everything already drawn.

    Call it last, after layout: the note goes under the lowest tick label or axis label, and
    the saved image (``bbox_inches="tight"``) grows to include it, so nothing overlaps.
    `source` names another article than the project's (the article profile)."""
    fig.draw_without_rendering()  # run the layout engine first, so positions are final
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0  # inches from the figure bottom
    y = (lowest - NOTE_GAP_INCHES) / fig.get_figheight()
    fig.text(
        0.01,
        y,
        wrap(f"Source: {source or SOURCE} — section «{section}»", NOTE_CHARS_PER_LINE),
        ha="left",
        va="top",
        fontsize=MIN_FONT_PT,
        color=MUTED,
    )


def _png_bytes(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=EXPORT_DPI, bbox_inches="tight", metadata=PNG_METADATA)
    return buf.getvalue()


def _svg_text(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return buf.getvalue().decode("utf-8")


def _csv_text(data: pd.DataFrame) -> str:
    keep_index = not isinstance(data.index, pd.RangeIndex)
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


def show(fig: plt.Figure, name: str, alt: str, data: pd.DataFrame) -> None:
    """Publish a chart: display it once (PNG + alt + figure bundle), then close it."""
    from IPython.display import display

    try:
        bundle, metadata = render(fig, name, alt, data)
    except Exception:
        plt.close(fig)
        raise
    display(bundle, metadata=metadata, raw=True)
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# Sizes and the repeated chart patterns, so notebook chart cells stay short.


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


def title(fig: plt.Figure, text: str) -> None:
    """The chart's takeaway as its title: left-aligned over the whole figure, wrapped to fit."""
    fig.suptitle(wrap(text), x=0.01, ha="left", fontsize=mpl.rcParams["axes.titlesize"])


def figsize(height: float = FIGSIZE[1]) -> tuple[float, float]:
    """Figure size at the text width, with the given height in inches."""
    return (COLUMN_WIDTH_IN, height)


def bar_figsize(n_bars: int) -> tuple[float, float]:
    """Figure size for a horizontal bar or dot chart of n rows."""
    return figsize(CHART_FRAME_IN + BAR_HEIGHT_IN * max(n_bars, 1))


def hbars(ax, names, values, colour=PALETTE[0], fmt=None, highlight=None) -> None:
    """Horizontal bars in the given order (first on top), each labelled with its value.

    `highlight` names the bars drawn in `colour`; the others are grey (all coloured if None)."""
    names, values = list(names), list(values)
    fmt = fmt or (lambda v: f"{v:,.0f}")
    colours = [colour if highlight is None or n in highlight else GREY_LIGHT for n in names]
    ax.barh(range(len(names)), values, color=colours)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    pad = 0.01 * max([abs(v) for v in values] + [1])
    for y, v in enumerate(values):
        ax.text(v + pad, y, fmt(v), va="center", ha="left", fontsize=MIN_FONT_PT + 0.5, color=INK)
    ax.set_xlim(0, max([*values, 0]) * 1.12 or 1)
    ax.grid(axis="y", visible=False)


def mark(ax, x: float, y: float, kind: str, floor: bool = False, size: float = MARKER_SIZE):
    """Draw one value in the house encoding: result, plan or target; `floor` adds an open arrow."""
    enc = ENCODING[kind]
    face = enc["color"] if enc["filled"] else "white"
    ax.scatter(
        [x],
        [y],
        s=size,
        marker=enc["marker"],
        facecolor=face,
        edgecolor=enc["color"],
        linewidth=1.6,
        zorder=3,
    )
    if floor:
        lo, hi = ax.get_xlim()
        length = FLOOR_ARROW_FRACTION * (hi - lo)
        ax.annotate(
            "",
            xy=(x + length, y),
            xytext=(x, y),
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": enc["color"],
                "lw": 1.4,
                "shrinkA": 5,
                "shrinkB": 0,
                "fill": False,
            },
        )


def encoding_legend(ax, kinds=("result", "target"), floor: bool = True, **kw):
    """Legend of the house encoding (only the kinds this chart uses), just above the axes."""
    from matplotlib.lines import Line2D

    handles = []
    for kind in kinds:
        enc = ENCODING[kind]
        face = enc["color"] if enc["filled"] else "white"
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker=enc["marker"],
                markersize=7,
                markerfacecolor=face,
                markeredgecolor=enc["color"],
                markeredgewidth=1.6,
                label=enc["label"],
            )
        )
    if floor:
        handles.append(
            Line2D(
                [],
                [],
                color=GREY,
                lw=1.4,
                marker=">",
                markevery=[1],
                markerfacecolor="white",
                label=FLOOR_LABEL,
            )
        )
    # An axes legend (not a figure legend) is laid out with its axes and stays put when the
    # saved image is cropped; anchored right, it grows leftwards over the tick-label margin.
    options = {"loc": "lower right", "bbox_to_anchor": (1, 1.02), "ncols": len(handles)} | kw
    ax.legend(handles=handles, **options)


def dot_compare(ax, rows: pd.DataFrame, xlim: tuple[float, float], value_fmt=None) -> None:
    """Result-against-target dot plot, one row each (first on top).

    `rows` has columns `name`, `result`, `target` (NaN when absent) and booleans `result_floor`,
    `target_floor`. The result's value is written left of its dot, the target's right of it
    (after the floor arrow); put any note about a row into its `name` (a second line)."""
    value_fmt = value_fmt or (lambda v: f"{v:g}")
    ax.set_xlim(*xlim)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), list(rows["name"]))
    ax.grid(axis="y", visible=False)
    gap = LABEL_GAP_FRACTION * (xlim[1] - xlim[0])
    for y, r in enumerate(rows.itertuples(index=False)):
        if pd.notna(r.result) and pd.notna(r.target):
            ax.plot([r.result, r.target], [y, y], color=GREY_LIGHT, lw=3, zorder=1)
        for kind, value, floor in (
            ("result", r.result, r.result_floor),
            ("target", r.target, r.target_floor),
        ):
            if pd.isna(value):
                continue
            mark(ax, value, y, kind, floor=bool(floor))
            text = ("≥ " if floor else "") + value_fmt(value)
            if kind == "result":
                x, ha = value - gap, "right"
            else:
                x, ha = (
                    value + gap + (FLOOR_ARROW_FRACTION * (xlim[1] - xlim[0]) if floor else 0),
                    "left",
                )
            ax.text(
                x,
                y,
                text,
                ha=ha,
                va="center",
                fontsize=MIN_FONT_PT + 0.5,
                color=ENCODING[kind]["color"],
            )


def range_bar(ax, y: float, low: float, high: float, kind: str = "result", label=None) -> None:
    """A value known only as a range (a rounded or qualified figure): a bar from low to high."""
    colour = ENCODING[kind]["color"]
    ax.plot([low, high], [y, y], color=colour, lw=7, alpha=0.45, solid_capstyle="butt", zorder=2)
    if label:
        ax.text(high, y, f"  {label}", va="center", fontsize=MIN_FONT_PT, color=MUTED)


LIGHT_BACKGROUND = 0.6  # relative luminance above which labels are dark, not white


def text_colour_on(background: str) -> str:
    """INK on light fills, white on dark ones, so labels inside bars stay legible."""
    r, g, b = mpl.colors.to_rgb(background)
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > LIGHT_BACKGROUND else "white"


SEGMENT_LABEL_SHARE = 0.05  # segments narrower than this share of the longest bar go unlabelled


def stacked_hbars(ax, counts: pd.DataFrame, colours: dict[str, str], legend_loc="lower right"):
    """Rows of `counts` as horizontal stacked bars (first row on top), one colour per column.

    Each segment wide enough is labelled with its count; the legend sits inside the axes."""
    left = pd.Series(0.0, index=counts.index)
    room = SEGMENT_LABEL_SHARE * float(counts.sum(axis=1).max())
    for column in counts.columns:
        values = counts[column].astype(float)
        ax.barh(range(len(counts)), values, left=left, color=colours[column], label=column)
        for y, (x0, v) in enumerate(zip(left, values)):
            if v >= room:
                ax.text(
                    x0 + v / 2,
                    y,
                    f"{v:,.0f}",
                    ha="center",
                    va="center",
                    fontsize=MIN_FONT_PT,
                    color=text_colour_on(colours[column]),
                )
        left += values
    ax.set_yticks(range(len(counts)), list(counts.index))
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.legend(loc=legend_loc)
