"""Project paths and constants.

The project folder (the one holding data/raw/source.json and notebooks/) is, in this order: the
folder named by $GAOXIN_ROOT (the command's --root sets it), the nearest one at or above the
working directory, or the checkout this package is installed from (an editable install, so
notebooks and tests work from any folder). A non-editable install used outside a project finds
none: PROJECT_FOUND is then False and the command says so in one line.
"""

import importlib.util
import os
from pathlib import Path

ROOT_ENV = "GAOXIN_ROOT"
PROJECT_MARKERS = (Path("data", "raw", "source.json"), Path("notebooks"))


def is_project(folder: Path) -> bool:
    """True when folder holds data/raw/source.json and notebooks/."""
    return all((folder / marker).exists() for marker in PROJECT_MARKERS)


def find_project_root(start: Path | None = None) -> Path | None:
    """The project folder ($GAOXIN_ROOT, else walking up from start or the working directory,
    else this package's checkout), or None when there is none."""
    named = os.environ.get(ROOT_ENV)
    if named:
        folder = Path(named).expanduser().resolve()
        return folder if is_project(folder) else None
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    checkout = Path(__file__).resolve().parents[1]
    return checkout if is_project(checkout) else None


def not_found_message() -> str:
    """One line saying no project was found, and how to point at one."""
    named = os.environ.get(ROOT_ENV)
    where = f"{ROOT_ENV}={named}" if named else f"{Path.cwd()} or any folder above it"
    return (
        f"gaoxin: no project found at {where} (a project folder has data/raw/source.json and "
        f"notebooks/); cd into one, or pass --root DIR or set {ROOT_ENV}"
    )


_FOUND_ROOT = find_project_root()
PROJECT_FOUND = _FOUND_ROOT is not None
# Outside a project the paths point under the working directory, so that importing never fails.
PROJECT_ROOT = _FOUND_ROOT or Path.cwd().resolve()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
ANNOTATIONS_DIR = DATA_DIR / "annotations"
DATAPACKAGE_PATH = DATA_DIR / "datapackage.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
EXPORTS_DIR = PROJECT_ROOT / "exports"

ARTICLE_PATH = RAW_DIR / "article.txt"
SOURCE_PATH = RAW_DIR / "source.json"

REGENERATE_HINT = (
    "run `make data` (or `python -m gaoxin extract`) to regenerate it"
    if PROJECT_FOUND
    else not_found_message()
)

# Output of gaoxin.charts.show(): a figure bundle (PNG, SVG, CSV, alt) the report build unpacks.
FIGURE_MIMETYPE = "application/vnd.gaoxin.figure+json"
# Output of gaoxin.analysis.claims.finding(): a key finding the site's front page collects,
# {"text": markdown sentence, "figure": figure name or null, "anchor": heading id or null}.
FINDING_MIMETYPE = "application/vnd.gaoxin.finding+json"

# Cell tags the notebooks set and the report build reads. Reader pages and PDFs drop all three;
# the walkthrough shows everything.
SOLUTION_TAG = "solution"
CHECK_TAG = "check"  # a claim guarded by gaoxin.analysis.claims.check: prints nothing
WALKTHROUGH_TAG = "walkthrough"  # walkthrough only: code-facing sentences, too-wide output
READER_HIDDEN_TAGS = frozenset({SOLUTION_TAG, CHECK_TAG, WALKTHROUGH_TAG})

# The project's own Jupyter kernel (make env installs it into .venv): a name no other environment
# uses, so Lab, nbclient and nbmake start this environment's Python with no JUPYTER_PATH.
KERNEL_NAME = "gaoxin"
KERNEL_DISPLAY_NAME = "Python (gaoxin)"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": KERNEL_DISPLAY_NAME, "language": "python"}

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


# Editions (issue 18): every reader report in English and in Chinese from one execution.
# A notebook that declares both in its metadata ({"gaoxin": {"editions": ["en", "zh-CN"]}}) holds
# each narrative Markdown cell twice: the English cell, then its Chinese twin marked with cell
# metadata {"lang": "zh-CN"}. Code renders both languages in one output: nv.say(en, zh=...) and
# claims.finding(en, zh=...) put the Chinese beside the English under ZH_MARKDOWN_MIMETYPE;
# charts.publish(..., zh=...) puts the Chinese image in the figure bundle's "zh" entry.
# gaoxin.report.editions keeps one language per edition and checks that the two agree.
EN, ZH = "en", "zh-CN"
EDITIONS = (EN, ZH)
LANG_KEY = "lang"
ZH_MARKDOWN_MIMETYPE = "application/vnd.gaoxin.zh+markdown"
# A table's Chinese twin (tables.present): the Chinese half of each header, the Chinese caption.
ZH_HTML_MIMETYPE = "application/vnd.gaoxin.zh+html"
# Where the Chinese edition's files go, relative to exports/ (its pages link up to the shared
# walkthroughs, the course kit and data).
ZH_DIR = "zh"
