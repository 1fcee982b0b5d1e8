"""A worker's side of the build's snapshot: before a cache entry is kept, the inputs it was made
from (data and the gaoxin package; the notebook is the build's own copy) must still have the
content the build hashed when it computed the entry's key.

An entry made while the inputs changed under it would be filed under the old key with content
of the new inputs; a later build would then call that stale content up to date. Such entries
are removed and the notebook fails with a message saying why.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from gaoxin.report.cache import changed_inputs, input_digests


def changed(task: Any) -> list[str]:
    """The inputs (package and data files) that differ from the build's snapshot of them;
    empty when none does, or when the task (a task.NotebookTask) carries no snapshot."""
    if task.inputs is None or task.data_dir is None:
        return []
    return changed_inputs(task.inputs, input_digests(Path(task.data_dir)))


def discard(
    task: Any, result: dict[str, Any], started: float, changed: list[str]
) -> dict[str, Any]:
    """Remove the entries this task wrote and fail it, naming the notebook and the change."""
    more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
    for entry in (task.exec_entry, task.entry):
        shutil.rmtree(entry, ignore_errors=True)
    result.update(
        ok=False,
        seconds=time.perf_counter() - started,
        message=(
            f"{task.path}: {changed[0]}{more} changed while it was being built; its results "
            "were discarded: wait for the other command or edit, then build again"
        ),
        failed=None,
    )
    return result
