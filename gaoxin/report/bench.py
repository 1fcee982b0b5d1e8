"""Benchmark the report build against naive per-format ``jupyter nbconvert --execute`` runs.

``python -m gaoxin bench`` measures, on copies in a temporary folder (the repository, its
``.cache/`` and ``exports/`` are never touched):

1. cold build (empty cache, empty exports), with the seconds of each notebook per stage (kernel
   start, cells, figures, reader and walkthrough HTML, CJK font subsets, PDF, the rest),
2. no-op rebuild,
3. rebuild after changing the bytes of one notebook copy,
4. the naive baseline: for every notebook, one ``nbconvert --execute`` per format — reader HTML
   (``--no-input``), walkthrough HTML (with code), and PDF. ``--to webpdf`` needs a browser
   download and ``--to pdf`` needs TeX, neither available here, so the naive PDF step is
   ``nbconvert --execute --to html --no-input`` followed by the ``weasyprint`` command line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gaoxin import config
from gaoxin.report import build as gbuild
from gaoxin.report.worker import STAGES_LOG_ENV


def _timed_build(**kwargs: object) -> tuple[float, gbuild.BuildResult]:
    log = io.StringIO()
    started = time.perf_counter()
    result = gbuild.build(out=log, **kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    if not result.ok:
        sys.stdout.write(log.getvalue())
        raise SystemExit("bench: the build failed; fix it first")
    return seconds, result


def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise SystemExit(f"bench: naive step failed: {' '.join(cmd)}\n{tail}")


def naive_baseline(
    notebooks: list[Path], workdir: Path
) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per naive step summed over notebooks (each step executes the notebook again),
    and per notebook the seconds of its single naive run (execute + reader HTML)."""
    out = workdir / "naive"
    out.mkdir(parents=True, exist_ok=True)
    nbconvert = [sys.executable, "-m", "nbconvert", "--execute", "--to", "html"]
    totals = {"reader html": 0.0, "walkthrough html": 0.0, "pdf (html + weasyprint)": 0.0}
    single: dict[str, float] = {}
    for nb in notebooks:
        stem = nb.stem
        started = time.perf_counter()
        _run([*nbconvert, "--no-input", "--output-dir", str(out / "html"), str(nb)], nb.parent)
        single[stem] = time.perf_counter() - started
        totals["reader html"] += single[stem]

        started = time.perf_counter()
        _run([*nbconvert, "--output-dir", str(out / "walkthrough"), str(nb)], nb.parent)
        totals["walkthrough html"] += time.perf_counter() - started

        started = time.perf_counter()
        _run([*nbconvert, "--no-input", "--output-dir", str(out / "pdfsrc"), str(nb)], nb.parent)
        page = out / "pdfsrc" / f"{stem}.html"
        (out / "pdf").mkdir(exist_ok=True)
        _run(
            [sys.executable, "-m", "weasyprint", str(page), str(out / "pdf" / f"{stem}.pdf")],
            nb.parent,
        )
        totals["pdf (html + weasyprint)"] += time.perf_counter() - started
    return totals, single


def read_stages(log: Path) -> dict[str, dict[str, float]]:
    """stem -> stage -> seconds, from the lines the build's workers wrote."""
    out: dict[str, dict[str, float]] = {}
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            out[record["stem"]] = record["stages"]
    return out


def stage_table(stages: dict[str, dict[str, float]]) -> list[str]:
    """Lines of a table: one row per notebook, one column per stage, totals last."""
    columns: list[str] = []
    for per in stages.values():
        columns += [c for c in per if c not in columns]
    if not columns:
        return []
    width = max(len(s) for s in [*stages, "total"])
    widths = [max(7, len(c)) for c in columns]
    head = " ".join(f"{c:>{w}}" for c, w in zip(columns, widths))
    lines = [f"    {'':<{width}} {head} {'sum':>7}"]
    rows = [*sorted(stages.items()), ("total", _sum_stages(stages.values(), columns))]
    for stem, per in rows:
        cells = " ".join(f"{per.get(c, 0.0):{w}.2f}" for c, w in zip(columns, widths))
        lines.append(f"    {stem:<{width}} {cells} {sum(per.values()):7.2f}")
    return lines


def _sum_stages(rows: object, columns: list[str]) -> dict[str, float]:
    return {c: sum(r.get(c, 0.0) for r in rows) for c in columns}  # type: ignore[attr-defined]


def _touch(notebook: Path) -> None:
    """Change the bytes of a notebook copy without changing what it computes."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb.setdefault("metadata", {})["gaoxin_bench_touch"] = time.time_ns()
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark (options parsed by gaoxin.cli)."""
    source_dir = Path(args.notebooks or config.NOTEBOOKS_DIR).resolve()
    data_dir = Path(args.data or config.DATA_DIR).resolve()
    originals = gbuild.discover(source_dir)
    if not originals:
        print(f"bench: no NN_topic.ipynb notebooks in {source_dir}", file=sys.stderr)
        return 1

    work = Path(tempfile.mkdtemp(prefix="gaoxin-bench-"))
    try:
        # Copies keep the kernel's working folder equivalent (notebooks use package paths).
        nb_dir = work / "notebooks"
        nb_dir.mkdir()
        for nb in originals:
            shutil.copy2(nb, nb_dir / nb.name)
        notebooks = gbuild.discover(nb_dir)
        common = {
            "notebooks_dir": nb_dir,
            "exports_dir": work / "exports",
            "cache_dir": work / "cache",
            "data_dir": data_dir,
            "jobs": args.jobs,
        }
        print(f"bench: {len(notebooks)} notebooks from {source_dir}, working in {work}")
        stages_log = work / "stages.jsonl"
        previous = os.environ.get(STAGES_LOG_ENV)
        os.environ[STAGES_LOG_ENV] = str(stages_log)
        try:
            cold, res = _timed_build(**common)
        finally:
            if previous is None:
                os.environ.pop(STAGES_LOG_ENV, None)
            else:
                os.environ[STAGES_LOG_ENV] = previous
        print(f"  cold build          {cold:7.2f} s  ({len(res.executed)} executed)")
        print(f"  cold build, seconds per notebook and stage ({args.jobs or 'all'} jobs):")
        for line in stage_table(read_stages(stages_log)):
            print(line)
        noop, res = _timed_build(**common)
        print(f"  no-op rebuild       {noop:7.2f} s  ({len(res.executed)} executed)")
        _touch(notebooks[0])
        touched, res = _timed_build(**common)
        print(
            f"  one notebook edit   {touched:7.2f} s  ({len(res.executed)} executed: "
            f"{', '.join(res.executed)})"
        )
        restyled, res = _timed_build(**common, environment_salt="bench-restyle")
        print(
            f"  report code change  {restyled:7.2f} s  ({len(res.executed)} executed, "
            f"{len(res.exported)} re-exported from cached executions)"
        )
        if args.skip_naive:
            return 0
        for nb in originals:  # undo the touch before the baseline
            shutil.copy2(nb, nb_dir / nb.name)
        steps, single = naive_baseline(notebooks, work)
        naive = sum(steps.values())
        print("  naive nbconvert baseline (one execution per notebook and format):")
        for name, seconds in steps.items():
            print(f"    {name:<26}{seconds:7.2f} s")
        print(f"    {'total':<26}{naive:7.2f} s")
        edited = notebooks[0].stem
        print(f"  ratio cold / naive                 {cold / naive:5.2f}  (target <= 0.20)")
        print(f"  no-op build                        {noop:5.2f} s")
        print(
            f"  ratio one-edit / {edited} single naive run ({single[edited]:.2f} s) "
            f"{touched / single[edited]:5.2f}  (target <= 1.2)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
