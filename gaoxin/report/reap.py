"""Find and kill every process a build started, however far it wandered.

Each kernel, and each build, marks its environment with a token of its own; every process
started under it inherits the token, including a cell's child that left the kernel's process
group or session (``setsid``) or was reparented after a double fork. Killing by token is the
cgroup-style sweep: whatever carries it and is not this process goes. Linux /proc only;
elsewhere nothing is found.
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from collections.abc import Iterable
from pathlib import Path

KERNEL_TOKEN = "GAOXIN_KERNEL_TOKEN"
BUILD_TOKEN = "GAOXIN_BUILD_TOKEN"


def new_token() -> str:
    return uuid.uuid4().hex


def marked(name: str, token: str, spare: Iterable[int] = ()) -> list[int]:
    """Pids of the processes whose environment has name=token (this process and spare
    excepted)."""
    needle = f"{name}={token}".encode()
    skip = {os.getpid(), *spare}
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError):
            if int(entry.name) in skip:
                continue
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def kill_marked(name: str, token: str | None, spare: Iterable[int] = ()) -> list[int]:
    """SIGKILL every process marked with name=token but spare; the pids killed."""
    if not token:
        return []
    pids = marked(name, token, spare)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return pids
