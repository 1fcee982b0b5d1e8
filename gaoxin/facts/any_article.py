"""`python -m gaoxin extract --article PATH --out DIR [--annotations CSV]`: any article of the
genre into DIR/processed/*.csv + DIR/datapackage.json. Bad input ends in one line, no traceback."""

from __future__ import annotations

import sys
from pathlib import Path

from gaoxin import config
from gaoxin.facts.annotations import AnnotationError
from gaoxin.text.reader import ArticleError

PROG = "extract"


def _refuse_project_data(out: Path) -> str | None:
    """Why `out` must not be written (the project's own data folder), or None."""
    if config.PROJECT_FOUND and out.resolve() == config.DATA_DIR.resolve():
        return (
            f"{out} is the project's own data folder (data/); give another --out folder, "
            "or run `python -m gaoxin extract` without --article for the project's article"
        )
    return None


def extract_any(article: Path, out: Path, annotations: Path | None = None) -> int:
    """Extract one article; exit status 0, or 1 with a one-line error on stderr."""
    from gaoxin.facts.pipeline import extract_article

    problem = _refuse_project_data(Path(out))
    if problem is None and annotations is not None and not Path(annotations).is_file():
        problem = f"{annotations}: annotations file not found; check the path"
    if problem is None and Path(out).exists() and not Path(out).is_dir():
        problem = f"{out}: exists and is not a folder; give a folder for --out"
    if problem is not None:
        print(f"{PROG}: {problem}", file=sys.stderr)
        return 1
    try:
        written = extract_article(Path(article), Path(out), annotations)
    except (ArticleError, AnnotationError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: {e.filename or out}: cannot write ({e.strerror})", file=sys.stderr)
        return 1
    state = f"wrote {len(written)} file(s)" if written else "unchanged"
    print(f"{PROG}: {article} → {out}/processed and {out}/datapackage.json ({state})")
    return 0
