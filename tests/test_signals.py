"""Signals end everything (issue 22, item 5): the build, `build --article` and the test run stop
on the first SIGINT or SIGTERM with one line, and leave no worker, kernel, kernel child or
temporary folder behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from gaoxin import config
from gaoxin.report import execute
from tests.test_faults import STARTUP_ALLOWANCE, STOP_WITHIN, _gone, _notebook

pytestmark = pytest.mark.slow

SETSID_CHILD = (
    "import subprocess, pathlib\n"
    "child = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
    "pathlib.Path({pidfile!r}).write_text(str(child.pid))"
)


def _marked(tmp: Path) -> list[int]:
    """Processes that still run with TMPDIR=tmp: anything the command under test started."""
    needle = f"TMPDIR={tmp}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and not _gone(
                int(entry.name)
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _settled(tmp: Path, seconds: float = 3) -> list[int]:
    deadline = time.monotonic() + seconds
    while _marked(tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _marked(tmp)


def _start(args: list[object], tmp: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gaoxin", *map(str, args)],
        cwd=config.PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )


def _wait_for(pattern: str, folder: Path, proc: subprocess.Popen) -> list[Path]:
    deadline = time.monotonic() + STARTUP_ALLOWANCE * 3
    while not list(folder.glob(pattern)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"nothing matched {pattern}"
        time.sleep(0.1)
    return list(folder.glob(pattern))


def _send(proc: subprocess.Popen, how: str) -> None:
    signum = signal.SIGINT if how.startswith("SIGINT") else signal.SIGTERM
    if how.endswith("group"):
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)


def _exit_code(how: str) -> int:
    return 130 if how.startswith("SIGINT") else 143


def test_a_cells_setsid_child_does_not_outlive_its_kernel(tmp_path):
    pidfile = tmp_path / "child.pid"
    path = _notebook(tmp_path, "01_child.ipynb", SETSID_CHILD.format(pidfile=str(pidfile)))
    nb = nbformat.read(path, as_version=4)
    execute.execute(nb, path, 60)
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 3
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the child left the kernel's session but not the build"


@pytest.mark.parametrize("how", ["SIGTERM to the group", "SIGINT to the group"])
def test_build_leaves_no_worker_kernel_or_kernel_child(tmp_path, short_tmp, how):
    nbs = tmp_path / "nbs"
    pidfile = tmp_path / "child.pid"
    _notebook(
        nbs,
        "01_child.ipynb",
        SETSID_CHILD.format(pidfile=str(pidfile)),
        "import time\ntime.sleep(120)",
    )
    for n in (2, 3):
        _notebook(nbs, f"0{n}_wait.ipynb", "import time\ntime.sleep(120)")
    private = short_tmp
    cache = tmp_path / "cache"
    proc = _start(
        ["build", "--jobs", "2", "--notebooks", nbs, "--exports", tmp_path / "e", "--cache", cache],
        private,
    )
    _wait_for("run/*/*.kernel", cache, proc)
    deadline = time.monotonic() + STARTUP_ALLOWANCE * 2
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(pidfile.read_text())
    time.sleep(0.5)
    sent = time.monotonic()
    _send(proc, how)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < STOP_WITHIN + 3
    assert proc.returncode == _exit_code(how), (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "build interrupted by SIG" in lines[0], err
    assert _settled(private) == [], "no worker, fork server, kernel or kernel child is left"
    assert _gone(child)
    assert not list(private.iterdir()), "temporary folders removed"
    assert not (tmp_path / "e").exists()


@pytest.mark.parametrize("how", ["SIGTERM to the command", "SIGINT to the group"])
def test_build_article_stops_on_the_first_signal(tmp_path, short_tmp, how):
    private = short_tmp
    article = tmp_path / "zone.txt"
    shutil.copy(config.ARTICLE_PATH, article)
    proc = _start(
        [
            "build",
            "--article",
            article,
            "--exports",
            tmp_path / "e",
            "--cache",
            tmp_path / "c",
        ],
        private,
    )
    (marker,) = _wait_for("gaoxin-profile-*/run/*.kernel", private, proc)
    kernel = int(marker.read_text())
    time.sleep(0.3)
    sent = time.monotonic()
    _send(proc, how)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < STOP_WITHIN
    assert proc.returncode == _exit_code(how), (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert "build --article interrupted by SIG" in line and "temporary files removed" in line
    assert "Traceback" not in out + err
    assert _gone(kernel)
    assert _settled(private) == []
    assert not list(private.iterdir()), "work and kernel folders removed"
    assert not list((tmp_path / "e").glob("*")) if (tmp_path / "e").exists() else True


PROBE_TESTS = """
import os, pathlib, signal, subprocess, time

from gaoxin.report.execute import Interrupted
from gaoxin.report.pool import signals_interrupt

HERE = pathlib.Path(__file__).parent


def test_a_build_in_this_process_takes_the_signal():
    child = subprocess.Popen(["sleep", "300"], start_new_session=True)
    (HERE / "child.pid").write_text(str(child.pid))
    try:
        with signals_interrupt():  # what an in-process build does while it runs
            (HERE / "started").write_text("1")
            time.sleep(60)
    except Interrupted:
        pass  # the build turns it into a failure of its own and returns


def test_second():
    (HERE / "second-ran").write_text("1")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_test_run_stops_on_the_first_signal(tmp_path, signum):
    """`make test` runs pytest with the project's conftest: one signal ends the whole run."""
    suite = tmp_path / "suite"
    (suite / "tests").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "stop_on_signal.py", "pagecheck.py"):
        shutil.copy(config.PROJECT_ROOT / "tests" / name, suite / "tests" / name)
    # The conftest reads the session build's helpers from tests/fixtures.
    shutil.copytree(
        config.PROJECT_ROOT / "tests" / "fixtures",
        suite / "tests" / "fixtures",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (suite / "tests" / "test_probe.py").write_text(PROBE_TESTS, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_probe.py"],
        cwd=suite,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not (suite / "tests" / "started").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    child = int((suite / "tests" / "child.pid").read_text())
    sent = time.monotonic()
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < STOP_WITHIN
    assert proc.returncode == 128 + signum, (out, err)
    assert err.strip().splitlines()[-1] == (
        f"pytest: stopped by {signal.Signals(signum).name}; test processes killed, "
        "no more tests run"
    ), err
    assert not (suite / "tests" / "second-ran").exists(), "no test ran after the signal"
    deadline = time.monotonic() + 3
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the test's child process was killed"


def test_a_build_killed_with_sigkill_leaves_no_worker_or_kernel(tmp_path, short_tmp):
    """SIGKILL cannot be handled: the workers learn of it from their parent's death."""
    nbs = tmp_path / "nbs"
    for n in (1, 2):
        _notebook(nbs, f"0{n}_wait.ipynb", "import time\ntime.sleep(120)")
    private = short_tmp
    cache = tmp_path / "cache"
    proc = _start(
        ["build", "--jobs", "2", "--notebooks", nbs, "--exports", tmp_path / "e", "--cache", cache],
        private,
    )
    deadline = time.monotonic() + STARTUP_ALLOWANCE * 2
    while len(list(cache.glob("run/*/*.kernel"))) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.1)
    time.sleep(0.5)
    proc.kill()
    proc.wait(timeout=30)
    left = _settled(private, seconds=10)
    names = [Path(f"/proc/{pid}/cmdline").read_bytes()[:120] for pid in left]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers and kernels stopped within seconds: {names}"
    assert not list(private.iterdir()), "the kernels' private folders are removed"
