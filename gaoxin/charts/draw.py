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
    "LABEL_GAP_PT",
    "LIGHT_BACKGROUND",
    "MARKER_SIZE",
    "MIN_RANGE_LENGTH",
    "RANGE_WIDTH_PT",
    "SEGMENT_LABEL_SHARE",
    "dot_compare",
    "encoding_legend",
    "fit_texts",
    "hbars",
    "mark",
    "mark_starts",
    "range_bar",
    "stacked_hbars",
    "text_colour_on",
    "value_label",
]

MARKER_SIZE = 64
FLOOR_ARROW_FRACTION = 0.06  # arrow length as a share of the x range


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


def mark(
    ax,
    x: float,
    y: float,
    kind: str,
    floor: bool = False,
    size: float = MARKER_SIZE,
    filled: bool | None = None,
):
    """Draw one value in the house encoding: result, plan or target; `floor` adds an open arrow;
    `filled=False` draws the kind's mark hollow (an earlier year beside a later one)."""
    enc = ENCODING[kind]
    face = enc["color"] if (enc["filled"] if filled is None else filled) else "white"
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


LABEL_GAP_PT = 4.0  # space between a mark's edge (or its floor arrow) and its value label
RANGE_WIDTH_PT = 5.0  # thickness of a range bar


def _mark_radius_pt(size: float = MARKER_SIZE) -> float:
    return size**0.5 / 2


def value_label(
    ax, x: float, y: float, text: str, kind: str, side: str = "right", floor=False, **kw
):
    """Write a mark's value beside it, never on it: `side` "right" starts the text past the
    marker (and past its floor arrow), "left" ends it before the marker; returns the text.
    Keywords (a colour, a font size) go to the text."""
    reach = x
    if floor and side == "right":
        lo, hi = ax.get_xlim()
        reach = x + FLOOR_ARROW_FRACTION * (hi - lo)
    gap = LABEL_GAP_PT + (0 if reach != x else _mark_radius_pt())
    style = {"fontsize": MIN_FONT_PT + 0.5, "color": ENCODING[kind]["color"]} | kw
    label = ax.annotate(
        text,
        (reach, y),
        xytext=(gap if side == "right" else -gap, 0),
        textcoords="offset points",
        ha="left" if side == "right" else "right",
        va="center",
        annotation_clip=False,
        **style,
    )
    # The axes make room for their labels (fit_texts), not the layout around them.
    label.set_in_layout(False)
    return label


def _bounds(value) -> tuple[float, float]:
    """(low, high) of a value given as a number or as a (low, high) range."""
    if isinstance(value, (tuple, list)):
        return float(value[0]), float(value[1])
    return float(value), float(value)


def _auto_xlim(values: list[tuple[float, float]], floors: bool) -> tuple[float, float]:
    """Limits around the values (a dot plot needs no zero axis), with room for floor arrows."""
    lows = [lo for lo, _ in values]
    highs = [hi for _, hi in values]
    lo, hi = min(lows), max(highs)
    span = (hi - lo) or abs(hi) or 1.0
    # The labels get their room from fit_texts; a floor arrow needs a share of the axis.
    left, right = lo - 0.03 * span, hi + ((FLOOR_ARROW_FRACTION + 0.03) if floors else 0.03) * span
    return left, right


def fit_texts(ax, texts, rounds: int = 4) -> None:
    """Widen the x limits until every text lies inside the axes (labels stay off the tick
    labels and inside the figure's width)."""
    fig = ax.figure
    for _ in range(rounds):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        left = min(t.get_window_extent(renderer).x0 for t in texts)
        right = max(t.get_window_extent(renderer).x1 for t in texts)
        inset = LABEL_GAP_PT / 2 * fig.dpi / 72  # keep labels off the spines
        over_left = max(0.0, box.x0 + inset - left)
        over_right = max(0.0, right - box.x1 + inset)
        if over_left < 0.5 and over_right < 0.5:
            return
        lo, hi = ax.get_xlim()
        per_px = (hi - lo) / box.width
        # Widening by w pixels' worth shrinks everything, so overshoot a little.
        ax.set_xlim(lo - 1.15 * over_left * per_px, hi + 1.15 * over_right * per_px)


def _floor_sign(floor) -> str:
    """A floor given as a sign, True ("≥") or nothing."""
    if isinstance(floor, str):
        return floor
    return "≥" if floor and pd.notna(floor) else ""


def dot_compare(
    ax,
    names,
    results,
    targets,
    xlim=None,
    result_floor=False,
    target_floor=True,
    value_fmt=None,
    result_labels=None,
    target_labels=None,
) -> None:
    """Result-against-target dot plot, one row per name (first on top).

    `results` and `targets` hold one value per row (NaN when absent); a result known only as
    a range is a (low, high) pair and is drawn as a bar (`range_bar`). The floors are one
    value for all rows or one per row: a bound's sign ("≥" for 以上, ">" for 突破, from
    `labels.qualifier_sign`), or True for "≥", or False/"" for none. Each row's value labels
    sit outside its marks, the lower value's on its left and the higher's on its right (after
    a floor arrow), so they
    never cover a mark or each other; `result_labels`/`target_labels` replace the formatted
    values. Without `xlim` the axis spans the values; an `xlim` that would draw a range as a
    dot is replaced the same way, so every range reads as a bar. The axis then widens until
    every label is inside it. Put any note about a row into its name."""
    names, results, targets = list(names), list(results), list(targets)
    n = len(names)
    rf = list(result_floor) if hasattr(result_floor, "__len__") else [result_floor] * n
    tf = list(target_floor) if hasattr(target_floor, "__len__") else [target_floor] * n
    value_fmt = value_fmt or (lambda v: f"{v:g}")

    def present(value) -> bool:
        return isinstance(value, (tuple, list)) or pd.notna(value)

    shown = [_bounds(v) for v in results + targets if present(v)]
    ax.set_xlim(*(xlim if xlim is not None else _auto_xlim(shown, any(rf) or any(tf))))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), names)
    ax.grid(axis="y", visible=False)
    texts = []
    for y in range(n):
        row = {"result": results[y], "target": targets[y]}
        signs = {"result": _floor_sign(rf[y]), "target": _floor_sign(tf[y])}
        floors = {k: bool(v) for k, v in signs.items()}
        given = {"result": result_labels, "target": target_labels}
        kinds = [k for k in ("result", "target") if present(row[k])]
        if len(kinds) == 2:
            (r_lo, r_hi), (t_lo, _) = _bounds(row["result"]), _bounds(row["target"])
            ends = (r_hi, t_lo) if r_hi <= t_lo else (r_lo, t_lo)
            ax.plot(ends, [y, y], color=GREY_LIGHT, lw=3, zorder=1)
        # The lower value is labelled on its left, the higher on its right.
        order = sorted(kinds, key=lambda k: _bounds(row[k])[0])
        for i, kind in enumerate(order):
            lo, hi = _bounds(row[kind])
            if lo == hi:
                mark(ax, lo, y, kind, floor=floors[kind])
                text = (f"{signs[kind]} " if signs[kind] else "") + value_fmt(lo)
            else:
                range_bar(ax, y, lo, hi, kind)
                text = f"{value_fmt(lo)}–{value_fmt(hi)}"
            if given[kind] is not None:
                text = list(given[kind])[y]
            side = "left" if i == 0 and len(order) > 1 else "right"
            x = lo if side == "left" else hi
            texts.append(value_label(ax, x, y, text, kind, side, floor=floors[kind] and lo == hi))
    if texts:
        fit_texts(ax, texts)
    if xlim is not None and _short_range(ax, results):
        # The axis asked for draws a range as a dot: span the values instead.
        ax.set_xlim(*_auto_xlim(shown, any(rf) or any(tf)))
        fit_texts(ax, texts)


MIN_RANGE_LENGTH = 3.0  # a range bar at least this many times as long as it is thick


def _short_range(ax, values) -> bool:
    """Whether a (low, high) range in `values` would be drawn shorter than MIN_RANGE_LENGTH
    times its thickness, so that it reads as a dot."""
    fig = ax.figure
    fig.draw_without_rendering()
    width_pt = ax.get_window_extent(fig.canvas.get_renderer()).width * 72 / fig.dpi
    lo, hi = ax.get_xlim()
    return any(
        (v[1] - v[0]) / (hi - lo) * width_pt < MIN_RANGE_LENGTH * RANGE_WIDTH_PT
        for v in values
        if isinstance(v, (tuple, list))
    )


def range_bar(ax, y: float, low: float, high: float, kind: str = "result", label=None) -> None:
    """A value known only as a range (a rounded or qualified figure): a bar from low to high,
    closed by a tick at each end so that even a short range reads as an interval."""
    colour = ENCODING[kind]["color"]
    ax.plot(
        [low, high],
        [y, y],
        color=colour,
        lw=RANGE_WIDTH_PT,
        alpha=0.45,
        solid_capstyle="butt",
        zorder=2,
    )
    ax.plot(
        [low, high],
        [y, y],
        ls="",
        marker="|",
        markersize=RANGE_WIDTH_PT + 4,
        markeredgewidth=1.4,
        color=colour,
        zorder=2,
    )
    if label:
        ax.annotate(
            label,
            (high, y),
            xytext=(LABEL_GAP_PT, 0),
            textcoords="offset points",
            va="center",
            fontsize=MIN_FONT_PT,
            color=MUTED,
        )


LIGHT_BACKGROUND = 0.6  # relative luminance above which labels are dark, not white


def text_colour_on(background: str) -> str:
    """INK on light fills, white on dark ones, so labels inside bars stay legible."""
    r, g, b = mpl.colors.to_rgb(background)
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > LIGHT_BACKGROUND else "white"


SEGMENT_LABEL_SHARE = 0.05  # segments narrower than this share of the longest bar go unlabelled


LEGEND_COLUMNS = 3  # legend entries per row above a chart's axes


def stacked_hbars(ax, counts: pd.DataFrame, colours: dict[str, str], legend_loc=None):
    """Rows of `counts` as horizontal stacked bars (first row on top), one colour per column.

    Each segment wide enough is labelled with its count. The legend sits above the axes, off
    the bars (a `legend_loc` puts it inside the axes instead)."""
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
    if legend_loc is not None:
        ax.legend(loc=legend_loc)
        return
    # As in encoding_legend: anchored right above the axes, it grows leftwards.
    ax.legend(
        loc="lower right",
        bbox_to_anchor=(1, 1.02),
        ncols=min(LEGEND_COLUMNS, len(counts.columns)),
    )


def mark_starts(ax, starts: dict[str, float], headroom: float = 1.25) -> None:
    """Dashed lines where groups of bars begin (sections of the article), labelled at the top."""
    top = ax.get_ylim()[1] * headroom
    ax.set_ylim(0, top)
    for name, x in starts.items():
        ax.axvline(x - 0.5, color=GREY, lw=0.8, ls="--")
        ax.text(x - 0.3, top * 0.97, name, va="top", fontsize=MIN_FONT_PT, color=MUTED)
