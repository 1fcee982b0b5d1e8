"""The worker's task is typed: a NotebookTask, or a dict with exactly its keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaoxin.report.worker import NotebookTask


def test_a_dict_task_becomes_a_typed_one_with_paths():
    task = NotebookTask.of(
        {
            "stem": "01_a",
            "path": "/p/01_a.ipynb",
            "timeout": 120,
            "failed_dir": "/c/failed",
            "run_dir": "/c/run/1",
            "exec_entry": "/c/build/exec/01_a/k",
            "font_cache": None,
            "in_worker": True,
        }
    )
    assert task.path == Path("/p/01_a.ipynb") and task.exec_entry == Path("/c/build/exec/01_a/k")
    assert task.font_cache is None and task.entry is None
    assert task.in_worker and task.announce and task.timeout == 120
    assert NotebookTask.of(task) is task


def test_an_unknown_or_missing_key_is_an_error():
    base = {"stem": "01_a", "path": "x", "timeout": 1, "failed_dir": "f", "run_dir": "r"}
    with pytest.raises(TypeError, match=r"unknown notebook task keys: \['deadline'\]"):
        NotebookTask.of({**base, "deadline": 3})
    del base["run_dir"]
    with pytest.raises(TypeError, match="run_dir"):
        NotebookTask.of(base)
