"""A worker's side of the build's snapshot: before a cache entry is kept, the inputs it was made
from (data, the gaoxin package, the notebook as the build read it) must still hash to its key.

An entry made while the inputs changed under it would be filed under the old key with content
of the new inputs; a later build would then call that stale content up to date. Such entries
are removed and the notebook fails with a message saying why.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from gaoxin.report.cache import environment_hash, execution_hash, notebook_key


def changed(task: dict[str, Any]) -> bool:
    """True when the inputs no longer hash to the task's keys (tasks without a snapshot: never)."""
    if "data_dir" not in task or "source" not in task:
        return False
    data_dir, path = Path(task["data_dir"]), Path(task["path"])
    content = task["source"].encode("utf-8")
    exec_key = notebook_key(execution_hash(data_dir), path, content)
    key = notebook_key(environment_hash(data_dir) + task.get("salt", ""), path, content)
    return exec_key != Path(task["exec_entry"]).name or key != task["key"]


def discard(task: dict[str, Any], result: dict[str, Any], started: float) -> dict[str, Any]:
    """Remove the entries this task wrote and fail it, naming the notebook."""
    for entry in (task["exec_entry"], task["entry"]):
        shutil.rmtree(entry, ignore_errors=True)
    result.update(
        ok=False,
        seconds=time.perf_counter() - started,
        message=(
            f"{task['path']}: the data or the gaoxin package changed while it was being built; "
            "its results were discarded: wait for the other command or edit, then build again"
        ),
        failed=None,
    )
    return result
