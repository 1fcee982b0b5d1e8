"""Publish a build into exports/: stage next to it, then move files into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Everything under these names in exports/ is owned by the build (README.md is not).
MANAGED = ("html", "walkthrough", "pdf", "student", "figures", "data", "index.html")


def read_tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def publish(files: dict[str, Path], exports_dir: Path, remove_stale: bool) -> int:
    """Stage the files next to exports/, then move each into place with os.replace."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{exports_dir.name}-staging-", dir=exports_dir.parent))
    changed = 0
    try:
        staged: dict[str, Path] = {}
        for rel, src in sorted(files.items()):
            dst = staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            staged[rel] = dst
        for rel, src in staged.items():
            target = exports_dir / rel
            if target.is_file() and target.stat().st_size == src.stat().st_size:
                if target.read_bytes() == src.read_bytes():
                    continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, target)
            changed += 1
        if remove_stale:
            for name in MANAGED:
                root = exports_dir / name
                candidates = (
                    [root]
                    if root.is_file()
                    else ([p for p in root.rglob("*") if p.is_file()] if root.is_dir() else [])
                )
                for path in candidates:
                    if path.relative_to(exports_dir).as_posix() not in files:
                        path.unlink()
                        changed += 1
                if root.is_dir():
                    for sub in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
                        if sub.is_dir() and not any(sub.iterdir()):
                            sub.rmdir()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed
