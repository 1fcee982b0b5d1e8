"""Cache keys: what a notebook's exports depend on (package, data, tool versions, notebook)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

# Bump when the layout or content of the exports changes in a way the hashes cannot see.
BUILD_FORMAT = "gaoxin-build-3"
PACKAGE_DIR = Path(__file__).resolve().parents[1]

VERSIONED_PACKAGES = (
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "matplotlib",
    "seaborn",
    "pandas",
    "numpy",
    "weasyprint",
    "pydyf",
    "fonttools",
    "brotli",
    "mplfonts",
    "openpyxl",
    "bleach",
    "mistune",
    "pygments",
)


def _sha256_files(h: Any, root: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of Python and the packages whose behaviour shapes the exports."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def package_files() -> list[Path]:
    return [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def environment_hash(data_dir: Path) -> str:
    """Hash of everything a notebook's output may depend on besides the notebook itself."""
    h = hashlib.sha256(BUILD_FORMAT.encode())
    _sha256_files(h, PACKAGE_DIR, package_files())
    if data_dir.is_dir():
        _sha256_files(h, data_dir, [p for p in data_dir.rglob("*") if p.is_file()])
    h.update(json.dumps(tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


def notebook_key(env_hash: str, notebook: Path) -> str:
    h = hashlib.sha256(env_hash.encode())
    h.update(notebook.name.encode())
    h.update(notebook.read_bytes())
    return h.hexdigest()[:32]


def site_key(env_hash: str, keys: dict[str, str]) -> str:
    """Key of the site-wide files (index, data): the environment and every notebook's key."""
    text = env_hash + "".join(f"{s}:{k}" for s, k in sorted(keys.items()))
    return hashlib.sha256(text.encode()).hexdigest()
