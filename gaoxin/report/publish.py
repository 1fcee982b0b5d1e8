"""Publish a build into exports/ whole: exports/ changes all at once or not at all.

The complete new tree is made beside exports/ (``.exports-staging-*``: unchanged files are hard
links to the current ones, the others are copied from the verified cache and checked against
their hashes), renamed to ``.exports-ready-*`` once complete, then swapped with exports/ in one
step (``renameat2(RENAME_EXCHANGE)``; where that is missing, two renames). Staging sits next to
exports/, so every rename stays on one filesystem, wherever exports/ is. A run killed at any
point leaves exports/ either old or new; the next run (see ``recover``) removes the leftovers or,
if exports/ itself is missing, finishes the swap.

When exports/ is itself a mount point it cannot be swapped. The new tree is then staged inside
it, renamed ``.gaoxin-ready-*`` with the list of its top-level names once complete, and each
managed name is moved in two renames (the old one aside into the ready folder's ``.old/``, the
new one into place). The state of every name can be read back from the folders alone, so a run
killed between any two renames is finished by the next run (``recover`` rolls forward): exports/
ends whole and new, never a mix of old and new folders.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

# Everything under these names in exports/ is owned by the build (README.md is not).
MANAGED = (
    "html",
    "walkthrough",
    "pdf",
    "student",
    "figures",
    "data",
    "index.html",
    "article.html",
    "facts.html",
    "learn.html",
    "teacher.html",
    "zh",
    "teacher.pdf",
    "teacher",
)
STAGING, READY, OLD = "staging", "ready", "old"
# Per-folder publish on a mount point: a complete staged tree, and the list of its names.
MOUNT_STAGING, MOUNT_READY, NAMES_FILE, ASIDE = (
    ".gaoxin-staging-",
    ".gaoxin-ready-",
    ".names",
    ".old",
)
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


class PublishError(RuntimeError):
    """Publishing could not complete; exports/ is unchanged."""


def _sibling(exports_dir: Path, state: str) -> Path:
    return exports_dir.parent / f".{exports_dir.name}-{state}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def leftovers(exports_dir: Path) -> list[Path]:
    """Staging, ready and old trees of earlier publishes (killed or failed)."""
    if not exports_dir.parent.is_dir():
        return []
    prefixes = tuple(f".{exports_dir.name}-{state}-" for state in (STAGING, READY, OLD))
    inside = [p for p in exports_dir.iterdir() if _leftover(p.name)] if exports_dir.is_dir() else []
    return sorted(p for p in exports_dir.parent.iterdir() if p.name.startswith(prefixes)) + inside


def recover(exports_dir: Path, emit: Callable[[str], None] = lambda line: None) -> None:
    """Bring exports/ back to one complete tree after a publish that was stopped."""
    if exports_dir.is_dir():
        for ready in sorted(exports_dir.glob(f"{MOUNT_READY}*")):
            _move_in(ready, exports_dir)
            emit(f"publish: finished an interrupted publish ({ready.name} -> {exports_dir.name})")
    found = leftovers(exports_dir)
    if not exports_dir.exists():
        ready = [p for p in found if f"-{READY}-" in p.name] or [
            p for p in found if f"-{OLD}-" in p.name
        ]
        if ready:
            os.rename(ready[0], exports_dir)
            emit(
                f"publish: finished an interrupted publish ({ready[0].name} -> {exports_dir.name})"
            )
            found.remove(ready[0])
    for path in found:
        _remove(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _swap(new: Path, target: Path) -> Path:
    """Put new at target; return where the old target now is (to be removed)."""
    if not target.exists():
        os.rename(new, target)
        return new
    if _exchange(new, target):
        return new
    old = _sibling(target, OLD)
    os.rename(target, old)
    os.rename(new, target)
    return old


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _place(src: Path, digest: str | None, dst: Path, current: Path | None) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if current is not None:
        with contextlib.suppress(OSError):
            os.link(current, dst)
            return
    data = src.read_bytes()
    if digest is not None and hashlib.sha256(data).hexdigest() != digest:
        raise PublishError(f"{src} changed after it was verified; run the build again")
    dst.write_bytes(data)


def _tree(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and not _leftover(p.relative_to(root).parts[0])
    }


def _leftover(name: str) -> bool:
    """A stopped publish's staging, ready or old folder inside exports/: of the per-folder
    publish, or of an article profile's publish into exports/<slug>/. Never published."""
    return name.startswith((MOUNT_STAGING, MOUNT_READY)) or (
        name.startswith(".") and any(f"-{state}-" in name for state in (STAGING, READY, OLD))
    )


def _managed(rel: str) -> bool:
    return rel.split("/", 1)[0] in MANAGED


def publish(
    files: dict[str, tuple[Path, str | None]],
    exports_dir: Path,
    remove_stale: bool,
    emit: Callable[[str], None] = lambda line: None,
) -> int:
    """Make exports/ hold exactly `files` in its managed folders (plus, without remove_stale,
    the managed files it already had); return how many files changed."""
    recover(exports_dir, emit)
    current = _tree(exports_dir)
    wanted: dict[str, tuple[Path, str | None]] = {
        rel: (path, None) for rel, path in current.items() if not _managed(rel) or not remove_stale
    }
    wanted.update(files)
    unchanged = {
        rel
        for rel, (src, _) in wanted.items()
        if rel in current and (src == current[rel] or _same(src, current[rel]))
    }
    removed = sorted(set(current) - set(wanted))
    changed = len(wanted) - len(unchanged) + len(removed)
    if changed == 0:
        return 0
    _notice_removed_reports(removed, wanted, emit)
    if exports_dir.exists() and os.path.ismount(exports_dir):
        _publish_per_folder(wanted, unchanged, current, exports_dir)
        return changed
    staging = _sibling(exports_dir, STAGING)
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        for rel, (src, digest) in sorted(wanted.items()):
            _place(src, digest, staging / rel, current.get(rel) if rel in unchanged else None)
        ready = staging.with_name(staging.name.replace(f"-{STAGING}-", f"-{READY}-"))
        os.rename(staging, ready)
        staging = ready
        staging = _swap(ready, exports_dir)  # from here on, staging names the old tree
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed


def _same(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _notice_removed_reports(
    removed: list[str], wanted: dict[str, tuple[Path, str | None]], emit: Callable[[str], None]
) -> None:
    stems = sorted({Path(rel).stem for rel in removed if rel.startswith("html/")})
    for stem in stems:
        if f"html/{stem}.html" not in wanted:
            emit(
                f"removed the reports of {stem}: its notebook is no longer in the notebooks folder"
            )


def _publish_per_folder(
    wanted: dict[str, tuple[Path, str | None]],
    unchanged: set[str],
    current: dict[str, Path],
    exports_dir: Path,
) -> None:
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging = exports_dir / f"{MOUNT_STAGING}{tag}"
    try:
        for rel, (src, digest) in sorted(wanted.items()):
            if _managed(rel):
                _place(src, digest, staging / rel, current.get(rel) if rel in unchanged else None)
        staging.mkdir(exist_ok=True)
        names = sorted(p.name for p in staging.iterdir())
        (staging / NAMES_FILE).write_text("\n".join(names) + "\n", encoding="utf-8")
        ready = exports_dir / f"{MOUNT_READY}{tag}"
        os.rename(staging, ready)  # complete: from here on, a stopped run is rolled forward
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _move_in(ready, exports_dir)


def _move_in(ready: Path, exports_dir: Path) -> None:
    """Move a complete ready tree's names into exports/, one managed name after the other.
    Idempotent: each step is read back from the folders, so it resumes wherever it stopped."""
    names = set((ready / NAMES_FILE).read_text(encoding="utf-8").split())
    aside = ready / ASIDE
    aside.mkdir(exist_ok=True)
    for name in MANAGED:
        new, target, old = ready / name, exports_dir / name, aside / name
        if name in names and not new.exists():
            continue  # moved in by an earlier run
        if (target.exists() or target.is_symlink()) and not old.exists():
            os.rename(target, old)
        if name in names:
            os.rename(new, target)
    shutil.rmtree(ready, ignore_errors=True)
