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
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

KERNEL_TOKEN = "GAOXIN_KERNEL_TOKEN"
BUILD_TOKEN = "GAOXIN_BUILD_TOKEN"
KERNEL_SCRATCH = "gaoxin-kernel-"  # gaoxin.report.execute.SCRATCH_PREFIX
_WATCHING: list[int] = []


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


def watch_build(build_pid: int, folders: Iterable[str] = (), poll_seconds: float = 0.5) -> None:
    """In a worker: once the build process is gone (even by SIGKILL, which it cannot handle),
    kill everything the build started (this worker last) and remove the kernels' private
    folders and the build's own temporary folders. The fork server does not notice its
    client's death, so nobody else would."""
    folders = list(folders)
    token = os.environ.get(BUILD_TOKEN)
    if not token or _WATCHING:
        return
    _WATCHING.append(build_pid)

    def watch() -> None:
        while _alive(build_pid):
            time.sleep(poll_seconds)
        pids = marked(BUILD_TOKEN, token)
        for pid in [*pids, os.getpid()]:
            for scratch in Path(tempfile.gettempdir()).glob(f"{KERNEL_SCRATCH}{pid}-*"):
                shutil.rmtree(scratch, ignore_errors=True)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="watch the build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
