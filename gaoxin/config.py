"""Project paths and constants, built from the package location so they work from any folder."""

import importlib.util
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
ANNOTATIONS_DIR = DATA_DIR / "annotations"
DATAPACKAGE_PATH = DATA_DIR / "datapackage.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
EXPORTS_DIR = PROJECT_ROOT / "exports"

ARTICLE_PATH = RAW_DIR / "article.txt"
SOURCE_PATH = RAW_DIR / "source.json"

REGENERATE_HINT = "run `make data` (or `python -m gaoxin extract`) to regenerate it"

# Output of gaoxin.charts.show(): a figure bundle (PNG, SVG, CSV, alt) the report build unpacks.
FIGURE_MIMETYPE = "application/vnd.gaoxin.figure+json"
# Output of gaoxin.analysis.claims.finding(): a key finding the site's front page collects,
# {"text": markdown sentence, "figure": figure name or null, "anchor": heading id or null}.
FINDING_MIMETYPE = "application/vnd.gaoxin.finding+json"

# Cell tags the notebooks set and the report build reads. Reader pages and PDFs drop all three;
# student notebooks drop solutions; the walkthrough shows everything.
SOLUTION_TAG = "solution"
CHECK_TAG = "check"  # a claim guarded by gaoxin.analysis.claims.check: prints nothing
WALKTHROUGH_TAG = "walkthrough"  # output too wide for the reader page (kept with a CSV link)
READER_HIDDEN_TAGS = frozenset({SOLUTION_TAG, CHECK_TAG, WALKTHROUGH_TAG})

# Noto Sans CJK SC (SIL OFL) as shipped inside the mplfonts package; only this file is used.
CJK_FONT_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")


def cjk_font_path() -> Path:
    """Path of the bundled CJK font, found without importing mplfonts (it imports matplotlib)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the mplfonts package (Noto Sans CJK SC) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*CJK_FONT_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"Noto Sans CJK SC not found at {path}; reinstall `mplfonts`")
    return path
