"""`gaoxin bench` reports the cold build per notebook and per stage."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from gaoxin.report import bench, build
from gaoxin.report.worker import STAGES_LOG_ENV
from tests.fixtures import buildsite

STAGES = [
    "kernel start",
    "cells",
    "figures",
    "reader html",
    "walkthrough html",
    "pdf",
    "findings, cache entry",
]


def test_stage_table_has_a_row_per_notebook_a_column_per_stage_and_totals(tmp_path):
    log = tmp_path / "stages.jsonl"
    log.write_text(
        json.dumps({"stem": "02_b", "stages": {"cells": 2.0, "pdf": 1.5}})
        + "\n"
        + json.dumps({"stem": "01_a", "stages": {"cells": 1.0, "font subsets": 0.25}})
        + "\n",
        encoding="utf-8",
    )
    lines = bench.stage_table(bench.read_stages(log))
    assert lines[0].split() == ["cells", "pdf", "font", "subsets", "sum"]
    assert [line.split() for line in lines[1:]] == [
        ["01_a", "1.00", "0.00", "0.25", "1.25"],
        ["02_b", "2.00", "1.50", "0.00", "3.50"],
        ["total", "3.00", "1.50", "0.25", "4.75"],
    ]
    assert bench.stage_table({}) == []


@pytest.mark.build
def test_a_build_logs_each_notebooks_seconds_per_stage(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(buildsite.NOTEBOOKS / "01_overview.ipynb", notebooks)
    log = tmp_path / "stages.jsonl"
    monkeypatch.setenv(STAGES_LOG_ENV, str(log))
    out = io.StringIO()
    result = build.build(
        notebooks_dir=notebooks,
        exports_dir=tmp_path / "exports",
        cache_dir=tmp_path / "cache",
        data_dir=buildsite.fixture_data(tmp_path),
        jobs=1,
        out=out,
    )
    assert result.ok, out.getvalue()
    stages = bench.read_stages(log)["01_overview"]
    assert set(STAGES) <= set(stages) <= {*STAGES, "font subsets"}
    assert all(seconds >= 0 for seconds in stages.values())
    assert stages["kernel start"] > 0 and stages["cells"] > 0 and stages["pdf"] > 0
