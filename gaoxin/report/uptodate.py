"""``python -m gaoxin report``: extract, check and build in one process, skipped when up to date.

The whole run holds the build lock, so no other command writes data/processed or exports/ in
the middle of it. After a complete, successful run a stamp is recorded: a hash of the content of
every input (article, annotations, package, notebooks, requirements) and of the processed data,
as read before the build, and the size and SHA-256 of every exported file as published. The
next run is skipped only when the inputs hash the same and every export still has its recorded
size and content (a file altered in place with its size and time kept is caught); then it exits
without importing pandas or starting a kernel. A run whose inputs changed under it records
nothing, so its result is never called up to date.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gaoxin import config
from gaoxin.report.publish import MANAGED

STAMP_NAME = "report-fingerprint.json"
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


def input_fingerprint(root: Path = config.PROJECT_ROOT) -> str:
    """Hash of the content of every input and of the processed data, and of the environment."""
    h = hashlib.sha256()
    hashed = [root / name for name in HASHED_FILES]
    for tree in HASHED_TREES:
        hashed += _files(root / tree)
    for path in sorted(hashed):
        if path.is_file():
            h.update(f"{path.relative_to(root).as_posix()}\0".encode())
            h.update(path.read_bytes())
    for marker in ENV_MARKERS:
        path = root / marker
        h.update(f"{marker}\0{path.read_bytes() if path.is_file() else b'missing'!r}\0".encode())
    h.update(sys.prefix.encode())
    return h.hexdigest()


def export_manifest(exports: Path = config.EXPORTS_DIR) -> dict[str, list[Any]]:
    """Every file the build manages in exports/: relative path -> [size, SHA-256]."""
    manifest: dict[str, list[Any]] = {}
    for name in MANAGED:
        target = exports / name
        for path in [target] if target.is_file() else sorted(_files(target)):
            data = path.read_bytes()
            manifest[path.relative_to(exports).as_posix()] = [
                len(data),
                hashlib.sha256(data).hexdigest(),
            ]
    return manifest


def fingerprint(root: Path = config.PROJECT_ROOT, exports: Path = config.EXPORTS_DIR) -> str:
    """One hash of the inputs and of the content of every export."""
    manifest = json.dumps(export_manifest(exports), sort_keys=True)
    return hashlib.sha256(f"{input_fingerprint(root)}\0{manifest}".encode()).hexdigest()


def _exports_intact(recorded: dict[str, list[Any]], exports: Path) -> bool:
    """True when exports/ holds exactly the recorded files, each with its size and content."""
    current = set()
    for name in MANAGED:
        target = exports / name
        for path in [target] if target.is_file() else _files(target):
            current.add(path.relative_to(exports).as_posix())
    if current != set(recorded):
        return False
    for rel, (size, digest) in recorded.items():
        path = exports / rel
        try:
            if path.stat().st_size != size:
                return False
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def _stamp_path(cache_dir: Path | None) -> Path:
    return (cache_dir or config.PROJECT_ROOT / ".cache") / STAMP_NAME


def up_to_date(stamp: Path, exports: Path, root: Path = config.PROJECT_ROOT) -> bool:
    """True when the stamp's inputs and exports both still hold."""
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        inputs, files = recorded["inputs"], recorded["exports"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return inputs == input_fingerprint(root) and _exports_intact(files, exports)


def record(stamp: Path, inputs: str, exports: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"inputs": inputs, "exports": export_manifest(exports)}, indent=0)
    tmp = stamp.with_name(f".{stamp.name}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(stamp)


def run_report(build_kwargs: dict[str, Any]) -> int:
    """extract, check, build; or nothing when the recorded stamp still holds."""
    default = all(build_kwargs.get(k) is None for k in ("notebooks_dir", "exports_dir", "only"))
    default = default and build_kwargs.get("data_dir") is None
    stamp = _stamp_path(build_kwargs.get("cache_dir"))
    exports = build_kwargs.get("exports_dir") or config.EXPORTS_DIR
    if default and up_to_date(stamp, exports):
        print("report: up to date (no input, data or export changed since the last build)")
        return 0

    from gaoxin.check import main as check_main
    from gaoxin.facts.pipeline import extract
    from gaoxin.report.build import CACHE_DIR, build, check_source
    from gaoxin.report.lock import build_lock

    check_source()
    with build_lock(Path(build_kwargs.get("cache_dir") or CACHE_DIR).resolve()):
        stamp.unlink(missing_ok=True)  # whatever happens now, the old stamp no longer speaks
        extract()
        if check_main([]) != 0:
            return 1
        inputs = input_fingerprint()
        if not build(**build_kwargs, take_lock=False).ok:
            return 1
        if input_fingerprint() != inputs:
            print(
                "report: the inputs changed during the build; nothing is recorded as up to "
                "date: run `make report` again",
                file=sys.stderr,
            )
            return 1
        if default:
            record(stamp, inputs, exports)
    return 0
