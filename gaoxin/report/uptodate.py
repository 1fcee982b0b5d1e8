"""``python -m gaoxin report``: extract, check and build in one process, skipped when up to date.

After a complete, successful run a fingerprint is recorded: the content of every input (article,
annotations, package, notebooks, requirements) and of the processed data, and the size and
modification time of every exported file. When the next run finds the same fingerprint, nothing
can have changed and it exits without importing pandas or starting a kernel.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gaoxin import config
from gaoxin.report.publish import MANAGED

STAMP_NAME = "report-fingerprint.txt"
# Files whose content decides what extract, check and build produce.
HASHED_FILES = ("requirements.txt", "pyproject.toml")
HASHED_TREES = ("data", "gaoxin", "notebooks")
# The environment: reinstalling dependencies touches these (see the Makefile's env target).
ENV_MARKERS = (".venv/.installed-stamp", ".venv/pyvenv.cfg")


def _files(root: Path) -> Iterable[Path]:
    if not root.is_dir():
        return []
    return (
        p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts
    )


def fingerprint(root: Path = config.PROJECT_ROOT, exports: Path = config.EXPORTS_DIR) -> str:
    """Content of the inputs and data, sizes and times of the exports (which are large)."""
    h = hashlib.sha256()
    hashed = [root / name for name in HASHED_FILES]
    for tree in HASHED_TREES:
        hashed += _files(root / tree)
    for path in sorted(hashed):
        if path.is_file():
            h.update(f"{path.relative_to(root).as_posix()}\0".encode())
            h.update(path.read_bytes())
    stats = [root / marker for marker in ENV_MARKERS]
    for name in MANAGED:
        target = exports / name
        stats += [target] if target.is_file() else sorted(_files(target))
    for path in stats:
        if path.exists():
            st = path.stat()
            h.update(f"{path.as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        else:
            h.update(f"{path.as_posix()}\0missing\0".encode())
    h.update(sys.prefix.encode())
    return h.hexdigest()


def _stamp_path(cache_dir: Path | None) -> Path:
    from gaoxin.report.build import CACHE_DIR

    return (cache_dir or CACHE_DIR) / STAMP_NAME


def run_report(build_kwargs: dict[str, Any]) -> int:
    """extract, check, build; or nothing when the recorded fingerprint still holds."""
    default = all(build_kwargs.get(k) is None for k in ("notebooks_dir", "exports_dir", "only"))
    default = default and build_kwargs.get("data_dir") is None
    stamp = _stamp_path(build_kwargs.get("cache_dir"))
    exports = build_kwargs.get("exports_dir") or config.EXPORTS_DIR
    if default and stamp.is_file() and stamp.read_text().strip() == fingerprint(exports=exports):
        print("report: up to date (no input, data or export changed since the last build)")
        return 0

    from gaoxin.facts.check import main as check_main
    from gaoxin.facts.pipeline import extract
    from gaoxin.report.build import build

    extract()
    if check_main([]) != 0:
        return 1
    if not build(**build_kwargs).ok:
        return 1
    if default:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint(exports=exports) + "\n")
    return 0
