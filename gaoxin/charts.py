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

FIGSIZE = (7.5, 4.2)
SCREEN_DPI = 100
EXPORT_DPI = 150
SVG_HASHSALT = "gaoxin"

# Metadata that would make output vary between runs or machines is dropped.
PNG_METADATA: dict[str, Any] = {"Software": None}
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}

SOURCE = f"{load_source().byline}, 衡阳高新区 2019 work-conference report"

LABELS: dict[str, str] = {
    # domains
    "industrial": "产业 Industry",
    "innovation": "创新 Innovation",
    "infrastructure": "基础设施 Infrastructure",
    "investment": "投资 Investment",
    "fiscal": "财政 Fiscal",
    "social": "民生 Social",
    "general": "综合 General",
    # periods
    "result": "实绩 Result",
    "target": "目标 Target",
    "multi_year": "多年 Multi-year",
    "none": "无时期 No period",
    # kinds of figure
    "growth_rate": "增速 Growth rate",
    "level": "总量 Level",
    "share": "占比 Share",
    "count": "数量 Count",
    "rank": "排名 Rank",
    "date": "日期 Date",
    "duration": "时长 Duration",
    "label": "称号 Label",
}

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def label(key: object) -> str:
    """Bilingual reader label for an internal name (falls back to the key itself)."""
    text = str(key)
    return LABELS.get(text, text)


def register_cjk_font() -> Path:
    """Register the CJK font with matplotlib (idempotent) and return its path."""
    path = cjk_font_path()
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return path


def set_style() -> None:
    """Apply the house style: fonts with CJK fallback, palette, sizes, deterministic output."""
    import seaborn as sns

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
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    # seaborn resets font.family, so the font list goes through set_theme itself.
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font=FONT_FAMILIES, rc=rc)
    mpl.rcParams.update(rc)


NOTE_GAP_INCHES = 0.08  # space between the lowest label and the source note


def source_note(fig: plt.Figure, section: str) -> None:
    """Add the source footer naming the article section, below everything already drawn.

    Call it last, after layout: the note goes under the lowest tick label or axis label, and
    the saved image (``bbox_inches="tight"``) grows to include it, so nothing overlaps."""
    lowest = fig.get_tightbbox(fig.canvas.get_renderer()).y0  # inches from the figure bottom
    y = (lowest - NOTE_GAP_INCHES) / fig.get_figheight()
    fig.text(
        0.01,
        y,
        f"Source: {SOURCE} — section «{section}»",
        ha="left",
        va="top",
        fontsize=7,
        color="#555555",
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
