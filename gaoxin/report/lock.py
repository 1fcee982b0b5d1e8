"""One build at a time per checkout: an exclusive lock on a file in the cache folder.

Extraction (which writes data/processed), the report command and the builds all take it, so no
two commands ever interleave their reads and writes. The lock is re-entrant within a process:
``report`` holds it across extract, check and build."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from gaoxin.report.errors import BuildError

LOCK_NAME = "build.lock"
# Locks this process holds: path -> depth (flock is per open file, so a nested open would block).
_HELD: dict[str, int] = {}


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the lock for the block, or fail at once naming the process that holds it.

    The kernel releases a flock when its holder dies, so a killed build never leaves it taken."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOCK_NAME
    key = str(path.resolve())
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "unknown"
            raise BuildError(
                f"another build is running (pid {pid}); wait for it to finish (lock file {path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD.pop(key, None)
    finally:
        handle.close()
