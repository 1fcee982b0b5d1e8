"""House chart style: fonts, palette, the one encoding of results, plans, targets and floors,
and figure sizes at the text width of the reader pages (so text is never scaled below 8 pt)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

from gaoxin import labels
from gaoxin.config import cjk_font_path

__all__ = [
    "BAR_HEIGHT_IN",
    "CHART_FRAME_IN",
    "CJK_FAMILY",
    "COLUMN_WIDTH_IN",
    "ENCODING",
    "EXPORT_DPI",
    "FIGSIZE",
    "FLOOR_LABEL",
    "FONT_FAMILIES",
    "GREY",
    "GREY_LIGHT",
    "INK",
    "MIN_FONT_PT",
    "MUTED",
    "PALETTE",
    "RELATION_COLOURS",
    "SCREEN_DPI",
    "STRICT",
    "SVG_HASHSALT",
    "WIDTH_TOLERANCE",
    "bar_figsize",
    "figsize",
    "label",
    "register_cjk_font",
    "set_style",
]

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
# the A4 PDF text width is 210 − 2 × 14 mm = 182 mm (7.17 in), room for 7.0 in and the small
# overshoot of a tight bounding box, and print.css prints each PNG at EXPORT_DPI, its drawn
# size; the HTML column is 47.5rem (760 px), wider than 7.0 in at 96 px/in. Text is then at
# least MIN_FONT_PT as shown (tests/test_print.py measures it on the PDF pages).
COLUMN_WIDTH_IN = 7.0
MIN_FONT_PT = 8.0
FIGSIZE = (COLUMN_WIDTH_IN, 3.6)
BAR_HEIGHT_IN = 0.34  # per bar in horizontal bar charts
CHART_FRAME_IN = 1.1  # title, axis label and source note around the bars
SCREEN_DPI = 100
EXPORT_DPI = 150
SVG_HASHSALT = "gaoxin"
WIDTH_TOLERANCE = 1.02  # tight bounding boxes may overshoot by a hair

# One encoding for the same idea in every chart: a result is a filled circle, a plan a hollow
# square, a target a hollow diamond; an "or more" floor adds an open arrow towards larger values.
ENCODING: dict[str, dict[str, Any]] = {
    "result": {
        "color": PALETTE[0],
        "marker": "o",
        "filled": True,
        "label": labels.PERIODS["result"],
    },
    "plan": {"color": PALETTE[2], "marker": "s", "filled": False, "label": labels.PLAN},
    "target": {
        "color": PALETTE[5],
        "marker": "D",
        "filled": False,
        "label": labels.PERIODS["target"],
    },
}
# Every floor: 以上 includes the number, 突破/超过/余/多 exceed it (the readings register).
FLOOR_LABEL = f"→ floor ({labels.QUALIFIERS['at_least']}, {labels.QUALIFIERS['more_than']})"
# How a target relates to the previous year's figure (data/annotations/target_pairs.csv).
RELATION_COLOURS = {
    "same_measure": PALETTE[0],
    "different_measure": PALETTE[1],
    "no_counterpart": GREY_LIGHT,
    "size_threshold": GREY,
    "plan_scope": PALETTE[2],  # the colour of the plan (STYLES["plan"])
}


def label(key: object) -> str:
    """Bilingual reader label for an internal name (see gaoxin.labels)."""
    return labels.label(key)


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


def figsize(height: float = FIGSIZE[1]) -> tuple[float, float]:
    """Figure size at the text width, with the given height in inches."""
    return (COLUMN_WIDTH_IN, height)


def bar_figsize(n_bars: int) -> tuple[float, float]:
    """Figure size for a horizontal bar or dot chart of n rows."""
    return figsize(CHART_FRAME_IN + BAR_HEIGHT_IN * max(n_bars, 1))
