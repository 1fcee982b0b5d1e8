"""Chart patterns that repeat across notebooks, drawn in the house encoding."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd

from gaoxin.charts.style import (
    ENCODING,
    FLOOR_LABEL,
    GREY,
    GREY_LIGHT,
    INK,
    MIN_FONT_PT,
    MUTED,
    PALETTE,
)

__all__ = [
    "FLOOR_ARROW_FRACTION",
    "LABEL_GAP_FRACTION",
    "LIGHT_BACKGROUND",
    "MARKER_SIZE",
    "SEGMENT_LABEL_SHARE",
    "dot_compare",
    "encoding_legend",
    "hbars",
    "mark",
    "mark_starts",
    "range_bar",
    "stacked_hbars",
    "text_colour_on",
]

MARKER_SIZE = 64
FLOOR_ARROW_FRACTION = 0.06  # arrow length as a share of the x range
LABEL_GAP_FRACTION = 0.015  # space between a marker and its value label


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


def dot_compare(
    ax, names, results, targets, xlim, result_floor=False, target_floor=True, value_fmt=None
) -> None:
    """Result-against-target dot plot, one row per name (first on top).

    `results` and `targets` hold one value per row (NaN when absent); the floors are one
    boolean for all rows or one per row. The result's value is written left of its dot, the
    target's right of it (after the floor arrow); put any note about a row into its name."""
    names, results, targets = list(names), list(results), list(targets)
    n = len(names)
    rf = list(result_floor) if hasattr(result_floor, "__len__") else [result_floor] * n
    tf = list(target_floor) if hasattr(target_floor, "__len__") else [target_floor] * n
    value_fmt = value_fmt or (lambda v: f"{v:g}")
    ax.set_xlim(*xlim)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), names)
    ax.grid(axis="y", visible=False)
    span = xlim[1] - xlim[0]
    for y in range(n):
        if pd.notna(results[y]) and pd.notna(targets[y]):
            ax.plot([results[y], targets[y]], [y, y], color=GREY_LIGHT, lw=3, zorder=1)
        for kind, value, floor in (("result", results[y], rf[y]), ("target", targets[y], tf[y])):
            if pd.isna(value):
                continue
            mark(ax, value, y, kind, floor=bool(floor))
            text = ("≥ " if floor else "") + value_fmt(value)
            if kind == "result":
                x, ha = value - LABEL_GAP_FRACTION * span, "right"
            else:
                x = value + (LABEL_GAP_FRACTION + (FLOOR_ARROW_FRACTION if floor else 0)) * span
                ha = "left"
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


def mark_starts(ax, starts: dict[str, float], headroom: float = 1.25) -> None:
    """Dashed lines where groups of bars begin (sections of the article), labelled at the top."""
    top = ax.get_ylim()[1] * headroom
    ax.set_ylim(0, top)
    for name, x in starts.items():
        ax.axvline(x - 0.5, color=GREY, lw=0.8, ls="--")
        ax.text(x - 0.3, top * 0.97, name, va="top", fontsize=MIN_FONT_PT, color=MUTED)
