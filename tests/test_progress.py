"""The build's progress: a bar on a terminal (a real pty), plain lines in a pipe, nothing with
--quiet but problems."""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gaoxin.config import PROJECT_ROOT
from gaoxin.report.progress import BuildProgress, wants_bar
from tests.fixtures import buildsite

BAR = "━"  # rich's bar glyph
ESCAPE = "\x1b["


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_only_when_not_a_terminal():
    stream = io.StringIO()
    progress = BuildProgress(stream)
    assert not progress.bar
    with progress:
        progress.start(3, 1)
        progress.line("[01_a] done in 1.0 s")
        progress.advance()
        progress.describe("publishing")
    assert stream.getvalue() == "[01_a] done in 1.0 s\n"


def test_bar_on_a_terminal_counts_notebooks_and_site_steps(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "100")
    stream = FakeTerminal()
    progress = BuildProgress(stream)
    assert progress.bar
    with progress:
        progress.start(3, 1)  # 3 notebooks, 1 cached, + 2 site steps: 1/5
        progress.line("[02_b] done in 1.0 s")
        progress.advance()
        progress.advance("publishing")
    text = stream.getvalue()
    assert BAR in text and ESCAPE in text, text
    assert "[02_b] done in 1.0 s" in text
    assert "3/5" in text and "publishing" in text, text


def test_no_bar_on_a_dumb_terminal_or_when_refused(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_bar(FakeTerminal())
    monkeypatch.setenv("TERM", "xterm")
    assert wants_bar(FakeTerminal())
    stream = FakeTerminal()
    with BuildProgress(stream, bar=False) as progress:
        progress.start(2, 0)
        progress.advance()
        progress.line("x")
    assert stream.getvalue() == "x\n"


# ----------------------------------------------------------------- the command, on a real pty


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return buildsite.shared_site(tmp_path_factory)


def _build_command(site, work: Path, *extra: str) -> list[str]:
    """A build of the fixture site whose second notebook is re-exported (its execution cached)."""
    cache = work / "cache"
    shutil.copytree(site.cache, cache)
    shutil.rmtree(cache / "build" / "nb" / "02_escaping")
    return [
        sys.executable,
        "-m",
        "gaoxin",
        "build",
        "--notebooks",
        str(site.notebooks),
        "--exports",
        str(work / "exports"),
        "--cache",
        str(cache),
        "--data",
        str(site.data),
        "--jobs",
        "1",
        *extra,
    ]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env.update(TERM="xterm", COLUMNS="100", LINES="40")
    return env


def _run_on_pty(command: list[str], timeout: float = 240) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; what it printed there."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        cwd=PROJECT_ROOT,
        env=_env(),
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.build
def test_build_on_a_terminal_shows_a_bar(site, tmp_path):
    code, text = _run_on_pty(_build_command(site, tmp_path))
    assert code == 0, text
    assert BAR in text and ESCAPE in text, text
    # Two notebooks and the two site steps; the finished notebook's line prints above the bar.
    assert "4/4" in text, text
    assert re.search(r"\[02_escaping\] done in", text) and "build ok" in text, text
    # Workers' own start lines would break the bar: not printed on a terminal.
    assert "[02_escaping] start" not in text, text


@pytest.mark.build
def test_build_in_a_pipe_prints_plain_lines(site, tmp_path):
    done = subprocess.run(
        _build_command(site, tmp_path),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=_env(),
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert BAR not in done.stdout and ESCAPE not in done.stdout, done.stdout
    assert "[02_escaping] start" in done.stdout and "[02_escaping] done in" in done.stdout
    assert "build ok" in done.stdout


@pytest.mark.build
def test_quiet_build_on_a_terminal_prints_nothing(site, tmp_path):
    code, text = _run_on_pty(_build_command(site, tmp_path, "--quiet"))
    assert code == 0, text
    assert text.strip() == "", text
