"""The build cache: keys (what an execution or an export depends on) and verified entries.

An entry is a folder written whole (staged, then renamed) with a manifest of the SHA-256 of
every file in it. Reading an entry checks every file against the manifest: a missing, changed
or truncated file makes the entry a miss, so it is rebuilt and never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

# Bump when the layout or content of the exports changes in a way the hashes cannot see.
BUILD_FORMAT = "gaoxin-build-5"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPORT_DIR = Path(__file__).resolve().parent
# The command line only: a notebook's kernel never imports these.
COMMAND_FILES = ("cli.py", "__main__.py")
MANIFEST = "manifest.json"

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
    "nh3",
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


def package_files(include_report: bool = True) -> list[Path]:
    return [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix != ".pyc"
        and (include_report or not _outside_kernel(p))
    ]


def _outside_kernel(path: Path) -> bool:
    return REPORT_DIR in path.parents or (path.parent == PACKAGE_DIR and path.name in COMMAND_FILES)


def environment_hash(data_dir: Path) -> str:
    """Hash of everything a notebook's output may depend on besides the notebook itself."""
    h = hashlib.sha256(BUILD_FORMAT.encode())
    _sha256_files(h, PACKAGE_DIR, package_files())
    if data_dir.is_dir():
        _sha256_files(h, data_dir, [p for p in data_dir.rglob("*") if p.is_file()])
    h.update(json.dumps(tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


def execution_hash(data_dir: Path) -> str:
    """Like environment_hash, without the report build's own code, templates and the command
    line: a notebook's kernel never imports them, so changing how reports look re-exports
    without re-executing."""
    h = hashlib.sha256(f"{BUILD_FORMAT}:execution".encode())
    _sha256_files(h, PACKAGE_DIR, package_files(include_report=False))
    if data_dir.is_dir():
        _sha256_files(h, data_dir, [p for p in data_dir.rglob("*") if p.is_file()])
    h.update(json.dumps(tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


def notebook_key(env_hash: str, notebook: Path, content: bytes | None = None) -> str:
    """Key of one notebook's build; content is the notebook as the build read it (its snapshot)."""
    h = hashlib.sha256(env_hash.encode())
    h.update(notebook.name.encode())
    h.update(notebook.read_bytes() if content is None else content)
    return h.hexdigest()[:32]


def input_digests(data_dir: Path, notebooks: Iterable[Path] = ()) -> dict[str, str]:
    """The build's snapshot: SHA-256 of every input (package and its templates, data, the
    notebooks), by a label that names the file. Compared again before anything is kept or
    published, so a change during the build is caught and named."""
    digests = {}
    for path in package_files():
        digests[f"gaoxin/{path.relative_to(PACKAGE_DIR).as_posix()}"] = file_hash(path)
    if data_dir.is_dir():
        for path in data_dir.rglob("*"):
            if path.is_file():
                digests[str(path)] = file_hash(path)
    for path in notebooks:
        digests[str(path)] = file_hash(path) if path.is_file() else "missing"
    return digests


def changed_inputs(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Labels of the inputs added, removed or changed between two snapshots."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def site_key(env_hash: str, keys: dict[str, str]) -> str:
    """Key of the site-wide files (index, data): the environment and every notebook's key."""
    text = env_hash + "".join(f"{s}:{k}" for s, k in sorted(keys.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_entry(entry: Path, files: dict[str, bytes], meta: dict[str, Any]) -> None:
    """Write an entry whole: files, meta.json and a manifest of their hashes, then rename."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
    try:
        blobs = dict(files)
        blobs["meta.json"] = json.dumps(meta, ensure_ascii=False, indent=1).encode()
        for rel, data in blobs.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest = {rel: _digest(data) for rel, data in sorted(blobs.items())}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(staging, entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_entry(entry: Path) -> dict[str, Any] | None:
    """meta.json of a complete, intact entry; None (a cache miss) when anything is off."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        for rel, digest in manifest.items():
            if _digest((entry / rel).read_bytes()) != digest:
                return None
        return json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return None


def entry_files(entry: Path, prefix: str = "files/") -> dict[str, tuple[Path, str]]:
    """Files of a verified entry under prefix: path relative to the prefix → (file, SHA-256)."""
    manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    return {
        rel[len(prefix) :]: (entry / rel, digest)
        for rel, digest in manifest.items()
        if rel.startswith(prefix)
    }


def prune(folder: Path, keep: str) -> None:
    """Remove every entry of a folder but the current one."""
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)


def cached_entry(entry: Path, make: Callable[[], dict[str, bytes]], meta: dict[str, Any]) -> None:
    """Make a verified cache entry of files unless an intact one exists; drop older siblings."""
    if read_entry(entry) is None:
        write_entry(entry, {f"files/{r}": d for r, d in make().items()}, meta)
        prune(entry.parent, entry.name)
