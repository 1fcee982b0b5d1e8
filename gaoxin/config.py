"""Project paths and constants, built from the package location so they work from any folder."""

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
