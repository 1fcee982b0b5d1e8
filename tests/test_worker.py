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


def test_prepare_site_makes_what_the_site_step_reads_and_drops_it_when_an_input_changed(
    tmp_path,
):
    """A free worker makes data/ and the fixed pages into the entries the build's site step
    reads; when an input changed meanwhile, the entries go and the site step makes them again."""
    from gaoxin.report import site
    from gaoxin.report.cache import entry_files, input_digests, read_entry
    from gaoxin.report.task import SiteTask
    from gaoxin.report.worker import prepare_site
    from tests.fixtures.buildsite import fixture_data

    data = fixture_data(tmp_path)
    cache = tmp_path / "cache"
    task = SiteTask(
        data,
        cache / "data" / "d1",
        "dkey",
        cache / "fixed" / "f1",
        "fkey",
        inputs=input_digests(data),
    )
    prepare_site(task)
    assert read_entry(task.data_entry) == {"key": "dkey"}
    assert read_entry(task.fixed_entry) == {"key": "fkey"}
    made = {rel: path.read_bytes() for rel, (path, _) in entry_files(task.data_entry).items()}
    assert made == site.data_files(data) and "data/facts.csv" in made

    article = str(data / "raw" / "article.txt")
    stale = {**task.inputs, article: "0" * 64}  # the article changed after the build hashed it
    moved = dataclasses.replace(
        task, data_entry=cache / "data" / "d2", fixed_entry=cache / "fixed" / "f2", inputs=stale
    )
    prepare_site(moved)
    assert not moved.data_entry.exists() and not moved.fixed_entry.exists()
