"""The worker's task is typed: a NotebookTask dataclass, never a dict of strings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gaoxin.report.task import NotebookTask
from gaoxin.report.worker import build_notebook


def test_a_task_is_a_frozen_dataclass_with_typed_paths():
    task = NotebookTask(
        stem="01_a",
        path=Path("/p/01_a.ipynb"),
        timeout=120,
        failed_dir=Path("/c/failed"),
        run_dir=Path("/c/run/1"),
    )
    assert task.font_cache is None and task.entry is None
    assert task.announce and not task.in_worker and task.build_temp == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        task.stem = "02_b"  # type: ignore[misc]
    assert dataclasses.replace(task, in_worker=True).in_worker


def test_a_missing_field_is_an_error():
    with pytest.raises(TypeError, match="run_dir"):
        NotebookTask(stem="01_a", path=Path("x"), timeout=1, failed_dir=Path("f"))  # type: ignore[call-arg]


def test_the_worker_refuses_a_dict():
    with pytest.raises(TypeError, match="NotebookTask, not dict"):
        build_notebook({"stem": "01_a"})  # type: ignore[arg-type]
