"""Fault injection: hanging cells, dying kernels, interrupts, broken publishes, two builds at
once, a copied project, bad notebooks, formulas in text, an ASCII console."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import openpyxl
import pytest

from gaoxin import config
from gaoxin.report import build, execute, publish
from gaoxin.report.lock import build_lock
from gaoxin.report.package import Table
from gaoxin.report.workbook import workbook_bytes
from tests.fixtures import buildsite

pytestmark = pytest.mark.slow

# Kernel start-up on this shared 2-core machine can take several seconds under load.
STARTUP_ALLOWANCE = 25
STOP_WITHIN = 5


def _notebook(folder: Path, name: str, *code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in code]
    path = folder / name
    nbformat.write(nb, path)
    return path


def _cli(*args: object, cwd: Path = config.PROJECT_ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gaoxin", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        **kw,
    )


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def _run_execute(path: Path, timeout: int) -> tuple[str, float, list[int]]:
    pids: list[int] = []
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    with pytest.raises(execute.ExecutionFailed) as failure:
        execute.execute(nb, path, timeout, on_kernel=lambda pid: pid and pids.append(pid))
    return str(failure.value), time.monotonic() - started, pids


def test_hanging_cell_stops_at_the_timeout(tmp_path):
    path = _notebook(tmp_path, "01_hang.ipynb", "x = 1", "while True:\n    pass")
    message, seconds, pids = _run_execute(path, timeout=5)
    assert "cell 2" in message and "timed out after 5 s" in message, message
    assert "01_hang.ipynb" in message
    assert 5 <= seconds < 5 + STARTUP_ALLOWANCE, seconds
    assert pids and all(_gone(pid) for pid in pids), "the kernel is stopped"


def test_dying_kernel_is_detected_at_once(tmp_path):
    path = _notebook(tmp_path, "01_die.ipynb", "import os\nos._exit(1)", "print('never')")
    message, seconds, pids = _run_execute(path, timeout=60)
    assert "cell 1" in message and "kernel died" in message, message
    assert seconds < STARTUP_ALLOWANCE, "not the 60 s timeout"
    assert all(_gone(pid) for pid in pids)


def test_build_names_notebook_cell_and_reason(tmp_path):
    """A cell sleeping past the limit is stopped like a busy one; the message says where."""
    nbs = tmp_path / "nbs"
    _notebook(nbs, "01_hang.ipynb", "import time\ntime.sleep(30)")
    log = io.StringIO()
    result = build.build(
        notebooks_dir=nbs,
        exports_dir=tmp_path / "exports",
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "nodata",
        timeout=2,
        jobs=1,
        out=log,
    )
    assert not result.ok
    assert "01_hang.ipynb: cell 1 [import time] failed: timed out after 2 s" in log.getvalue()
    assert not (tmp_path / "exports").exists()


def _kernel_markers(cache: Path) -> list[int]:
    return [int(p.read_text()) for p in cache.glob("run/*/*.kernel") if p.read_text().strip()]


@pytest.mark.parametrize("how", ["SIGINT to the group", "SIGTERM to the build"])
def test_interrupt_stops_within_seconds(tmp_path, short_tmp, how):
    nbs = tmp_path / "nbs"
    for n in (1, 2, 3):
        _notebook(nbs, f"0{n}_wait.ipynb", "import time\ntime.sleep(120)")
    cache = tmp_path / "cache"
    private_tmp = short_tmp  # the build's temporary folders go here, to be checked
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gaoxin",
            "build",
            "--jobs",
            "2",
            "--notebooks",
            str(nbs),
            "--exports",
            str(tmp_path / "exports"),
            "--cache",
            str(cache),
        ],
        cwd=config.PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(private_tmp)},
    )
    deadline = time.monotonic() + STARTUP_ALLOWANCE * 2
    while len(_kernel_markers(cache)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    kernels = _kernel_markers(cache)
    assert len(kernels) == 2, "two kernels running"
    time.sleep(0.5)
    sent = time.monotonic()
    if how.startswith("SIGINT"):
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    stopped = time.monotonic() - sent
    assert stopped < STOP_WITHIN, f"stopped after {stopped:.1f} s"
    assert proc.returncode == (130 if how.startswith("SIGINT") else 143), (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "build interrupted by SIG" in lines[0], err
    assert "Traceback" not in out + err
    assert all(_gone(pid) for pid in kernels), "no kernel left running"
    assert not list(cache.glob("run/*")), "run records removed"
    assert not list(private_tmp.iterdir()), "kernel folders and connection files removed"
    assert not (tmp_path / "exports").exists()
    assert "03_wait" not in out, "queued notebooks never start"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _published(tmp_path: Path) -> tuple[Path, dict[str, tuple[Path, None]]]:
    exports = tmp_path / "exports"
    (exports / "html").mkdir(parents=True)
    (exports / "README.md").write_text("readme")
    (exports / "html" / "a.html").write_text("old a")
    (exports / "index.html").write_text("old index")
    new = tmp_path / "new"
    new.mkdir()
    files = {}
    for rel in ("html/a.html", "html/b.html", "index.html", "pdf/a.pdf"):
        (new / rel.replace("/", "_")).write_text(f"new {rel}")
        files[rel] = (new / rel.replace("/", "_"), None)
    return exports, files


def test_publish_interrupted_halfway_leaves_exports_unchanged(tmp_path, monkeypatch):
    exports, files = _published(tmp_path)
    before = _files(exports)
    placed = []
    real_place = publish._place

    def failing_place(*args):
        if len(placed) == 2:
            raise OSError("disk full (injected)")
        placed.append(args)
        real_place(*args)

    monkeypatch.setattr(publish, "_place", failing_place)
    with pytest.raises(OSError, match="injected"):
        publish.publish(files, exports, remove_stale=True)
    assert _files(exports) == before, "all or nothing"
    assert publish.leftovers(exports) == [], "staging removed"


def test_publish_after_a_kill_cleans_up_and_swaps_whole(tmp_path):
    exports, files = _published(tmp_path)
    # What a build killed while staging or just before swapping leaves behind.
    (tmp_path / ".exports-staging-999-dead").mkdir()
    (tmp_path / ".exports-staging-999-dead" / "x.html").write_text("partial")
    (tmp_path / ".exports-ready-998-dead").mkdir()
    changed = publish.publish(files, exports, remove_stale=True)
    assert changed == 4  # a.html changed; b.html, pdf added; index changed
    assert _files(exports) == {
        "README.md": b"readme",
        "html/a.html": b"new html/a.html",
        "html/b.html": b"new html/b.html",
        "index.html": b"new index.html",
        "pdf/a.pdf": b"new pdf/a.pdf",
    }
    assert publish.leftovers(exports) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports", "new"]


def test_a_kill_between_renames_is_completed_next_time(tmp_path):
    exports, _ = _published(tmp_path)
    ready = tmp_path / ".exports-ready-997-dead"
    exports.rename(ready)  # killed after moving the old tree away, before the new one came in
    publish.recover(exports)
    assert (exports / "README.md").read_text() == "readme" and not ready.exists()


def test_make_clean_removes_publish_leftovers(tmp_path):
    shutil.copy(config.PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    for name in (".exports-staging-1-a", ".exports-ready-2-b", ".exports-old-3-c"):
        (tmp_path / name).mkdir()
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile"]


def test_second_build_is_refused_while_one_runs(tmp_path):
    nbs = tmp_path / "nbs"
    _notebook(nbs, "01_x.ipynb", "1")
    cache = tmp_path / "cache"
    with build_lock(cache):
        with pytest.raises(
            build.BuildError, match=rf"another build is running \(pid {os.getpid()}\)"
        ):
            build.build(notebooks_dir=nbs, exports_dir=tmp_path / "e", cache_dir=cache)
        done = _cli("build", "--notebooks", nbs, "--exports", tmp_path / "e", "--cache", cache)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"python -m gaoxin build: error: another build is running (pid {os.getpid()}); "
        f"wait for it to finish (lock file {cache / 'build.lock'})"
    )


# What a copy of the project may take from the session's strict build: the site's files that no
# notebook goes into, keyed by the package and the data (the copy's are the same bytes), and the
# font subsets. Its own notebooks still execute and its pages are still made.
SITE_PARTS = ("data", "fixed", "fonts")


def _copy_project(tmp_path: Path, seed: buildsite.Site | None = None) -> Path:
    """A copy of the checkout's files; `seed`: a build whose SITE_PARTS its cache starts from."""
    copy = tmp_path / "copy"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for rel in listed:
        if (config.PROJECT_ROOT / rel).is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(config.PROJECT_ROOT / rel, copy / rel)
    if seed is not None:
        buildsite.seed_cache(copy / ".cache", seed.cache, SITE_PARTS)
    return copy


WHERE = (
    "import gaoxin, gaoxin.config as c\n"
    "print('package at', gaoxin.__file__)\n"
    "print('data at', c.DATA_DIR)"
)


def test_copied_project_builds_with_its_own_code_and_data(tmp_path, strict_build):
    copy = _copy_project(tmp_path, seed=strict_build)
    _notebook(copy / "nbs", "01_where.ipynb", WHERE)
    done = _cli("build", "--notebooks", "nbs", "--exports", "out", cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (copy / "out" / "walkthrough" / "01_where.html").read_text(encoding="utf-8")
    assert f"package at {copy / 'gaoxin' / '__init__.py'}" in page
    assert f"data at {copy / 'data'}" in page
    assert str(config.PROJECT_ROOT / "gaoxin") not in page


def test_copied_project_with_the_wrong_environment_fails_clearly(tmp_path):
    copy = _copy_project(tmp_path)
    (copy / ".venv").mkdir()  # the copy has an environment of its own, not the one running
    _notebook(copy / "nbs", "01_where.ipynb", WHERE)
    done = _cli("build", "--notebooks", "nbs", "--exports", "out", cwd=copy)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert f"has its own environment {copy / '.venv'}" in line and "Traceback" not in line
    assert not (copy / "out").exists()


def test_formula_in_text_stays_text_in_the_workbook(tmp_path):
    csv_text = 'quote,note\n"=1+1",@SUM(A1)\n"=HYPERLINK(""http://x"")",+3\n'
    table = Table("facts", "facts.csv", csv_text.encode())
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([table])))
    cells = [c for row in book["facts"].iter_rows() for c in row]
    assert [c.value for c in cells] == [
        "quote",
        "note",
        "=1+1",
        "@SUM(A1)",
        '=HYPERLINK("http://x")',
        "+3",
    ]
    assert {c.data_type for c in cells} == {"s"}, "no cell is a formula"


def test_invalid_notebook_json_is_one_line_naming_the_file(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    (nbs / "01_broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    done = _cli("build", "--notebooks", nbs, "--exports", tmp_path / "e", "--cache", tmp_path / "c")
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert f"{nbs / '01_broken.ipynb'}: not valid notebook JSON (line 1" in line
    assert "Traceback" not in done.stdout + done.stderr


def test_missing_notebooks_folder_is_one_line(tmp_path):
    done = _cli("build", "--notebooks", tmp_path / "none")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"python -m gaoxin build: error: notebooks folder {tmp_path / 'none'} does not exist"
    )


def test_output_survives_an_ascii_console():
    """extract's summary line has an em dash; an ASCII console gets it escaped, not a crash."""
    done = _cli("extract", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "UnicodeEncodeError" not in done.stderr
    assert "\\u2014" in done.stdout, done.stdout


def test_manifest_records_every_cached_file(tmp_path):
    from gaoxin.report.cache import read_entry, write_entry

    entry = tmp_path / "entry"
    write_entry(entry, {"files/a.txt": b"abc"}, {"stem": "x"})
    manifest = json.loads((entry / "manifest.json").read_text())
    assert set(manifest) == {"files/a.txt", "meta.json"}
    assert read_entry(entry) == {"stem": "x"}
    (entry / "files/a.txt").write_bytes(b"abd")
    assert read_entry(entry) is None, "a changed file is a miss"


def test_broken_source_metadata_is_one_line_naming_the_file(tmp_path):
    copy = _copy_project(tmp_path)
    (copy / "data/raw/source.json").write_text('{"title": ', encoding="utf-8")
    _notebook(copy / "nbs", "01_x.ipynb", "1")
    done = _cli("build", "--notebooks", "nbs", "--exports", "out", cwd=copy)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert f"{copy / 'data/raw/source.json'}: cannot read the article's metadata" in line
    assert "restore it from git" in line and "Traceback" not in done.stdout


def test_exports_on_a_mount_point_are_swapped_folder_by_folder(tmp_path, monkeypatch):
    exports, files = _published(tmp_path)
    monkeypatch.setattr(publish.os.path, "ismount", lambda path: Path(path) == exports)
    publish.publish(files, exports, remove_stale=True)
    assert _files(exports) == {
        "README.md": b"readme",
        "html/a.html": b"new html/a.html",
        "html/b.html": b"new html/b.html",
        "index.html": b"new index.html",
        "pdf/a.pdf": b"new pdf/a.pdf",
    }
    assert sorted(p.name for p in exports.iterdir()) == ["README.md", "html", "index.html", "pdf"]


def _renames_in_a_mount_publish(tmp_path, monkeypatch) -> int:
    exports, files = _published(tmp_path / "count")
    monkeypatch.setattr(publish.os.path, "ismount", lambda path: Path(path) == exports)
    calls = []
    real_rename = os.rename
    monkeypatch.setattr(publish.os, "rename", lambda a, b: (calls.append(a), real_rename(a, b)))
    publish.publish(files, exports, remove_stale=True)
    monkeypatch.setattr(publish.os, "rename", real_rename)
    return len(calls)


def test_a_publish_stopped_at_any_rename_on_a_mount_point_is_finished_by_the_next_run(
    tmp_path, monkeypatch
):
    """exports/ as a mount point is published folder by folder; a kill between any two renames
    must never leave old and new folders mixed once the next run has recovered."""
    total = _renames_in_a_mount_publish(tmp_path, monkeypatch)
    assert total >= 4  # staging -> ready, then aside and into place for each name
    for stop_at in range(total):
        exports, files = _published(tmp_path / f"stop{stop_at}")
        monkeypatch.setattr(publish.os.path, "ismount", lambda path, e=exports: Path(path) == e)
        real_rename, done = os.rename, []

        def rename(a, b, stop_at=stop_at, done=done, real_rename=real_rename):
            if len(done) == stop_at:
                raise KeyboardInterrupt  # the kill
            done.append(a)
            real_rename(a, b)

        monkeypatch.setattr(publish.os, "rename", rename)
        with pytest.raises(KeyboardInterrupt):
            publish.publish(files, exports, remove_stale=True)
        monkeypatch.setattr(publish.os, "rename", real_rename)
        notes = []
        publish.recover(exports, notes.append)
        got = _files(exports)
        if stop_at == 0:  # stopped before the new tree was complete: the old one stands
            assert got == {
                "README.md": b"readme",
                "html/a.html": b"old a",
                "index.html": b"old index",
            }
        else:
            assert got == {
                "README.md": b"readme",
                "html/a.html": b"new html/a.html",
                "html/b.html": b"new html/b.html",
                "index.html": b"new index.html",
                "pdf/a.pdf": b"new pdf/a.pdf",
            }, f"stopped at rename {stop_at}"
            assert notes and "finished an interrupted publish" in notes[0]
        assert not publish.leftovers(exports), f"stopped at rename {stop_at}"
