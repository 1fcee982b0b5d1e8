"""JupyterLab as `make lab` sets it up draws Chinese in the bundled CJK font (headless Chromium).

The machine has no CJK system font, so without the custom stylesheet Chromium would report only
DejaVu Sans for the Chinese heading (boxes on screen).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from gaoxin import lab

pytestmark = pytest.mark.slow

TOKEN = "gaoxin-lab-test"
STARTUP_SECONDS = 90
HEADING = "衡阳高新区 标题 Heading"
CODE = "label = '高新技术企业'"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer at {url} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {HEADING}"), nbformat.v4.new_code_cell(CODE)]
    )
    nbformat.write(nb, str(notebooks / "zh.ipynb"))
    config_dir = lab.prepare(root / "config")
    port = _free_port()
    env = lab.lab_environment(config_dir)
    env.update(JUPYTER_RUNTIME_DIR=str(root / "runtime"), JUPYTER_DATA_DIR=str(root / "data"))
    env.pop("JUPYTER_PATH", None)
    args = [sys.executable, "-m", "jupyterlab", "--custom-css", "--no-browser"]
    args += [f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}"]
    args += [f"--notebook-dir={notebooks}", "--ServerApp.ip=127.0.0.1"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (root / "lab.log").open("w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/api/status?token={TOKEN}", proc)
        yield f"{base}/lab/tree/zh.ipynb?token={TOKEN}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _fonts_for(page, selector: str) -> dict[str, int]:
    """Family → glyph count that Chromium used to draw the element (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"{selector} not found"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


@pytest.mark.browser
def test_lab_draws_chinese_with_the_bundled_font(lab_url, browser):
    # The session's one Chromium (conftest): Playwright's sync API allows one at a time.
    page = browser.new_page()
    try:
        outside: list[str] = []
        page.on(
            "request",
            lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None,
        )
        page.goto(lab_url)
        heading = ".jp-RenderedMarkdown h1"
        page.wait_for_selector(heading, timeout=STARTUP_SECONDS * 1000)
        page.wait_for_selector(".jp-CodeCell .cm-content .cm-line", timeout=30_000)
        # The face loads when the first Chinese character needs it; wait until it has.
        family = f"1em '{lab.CJK_FAMILY}'"
        page.evaluate("f => document.fonts.load(f, '高').then(() => true)", family)
        page.wait_for_function("f => document.fonts.check(f, '高')", arg=family)
        assert HEADING.split()[0] in page.inner_text(heading)
        # The code's Chinese sits in a syntax-highlighting span: mark the element whose own
        # text node holds it, since CDP reports fonts for an element's own text.
        page.evaluate(
            """() => {
              const walker = document.createTreeWalker(
                document.querySelector('.jp-CodeCell .cm-content'), NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                if (/[\\u4e00-\\u9fff]/.test(walker.currentNode.data)) {
                  walker.currentNode.parentElement.setAttribute('data-gx-zh', '');
                  return;
                }
              }
            }"""
        )
        for selector in (heading, ".jp-CodeCell [data-gx-zh]"):
            fonts = _fonts_for(page, selector)
            cjk = {k: v for k, v in fonts.items() if "CJK" in k}
            assert cjk and all(v > 0 for v in cjk.values()), f"{selector}: {fonts}"
        assert not outside, f"requests leaving the machine: {outside}"
    finally:
        page.close()


def test_stylesheet_points_at_the_copied_font(tmp_path):
    config_dir = lab.prepare(tmp_path / "config")
    css = (config_dir / "custom" / "custom.css").read_text(encoding="utf-8")
    font = config_dir / "custom" / "NotoSansCJKsc-Regular.otf"
    assert font.stat().st_size > 1_000_000
    assert f'url("{font.name}")' in css and "--jp-content-font-family" in css


def _kernels_started(base: str) -> None:
    request = urllib.request.Request(
        f"{base}/api/kernels?token={TOKEN}",
        data=json.dumps({"name": "gaoxin"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 201


def _command_line(process) -> str:
    """A process's command line; "" once it has exited (a short-lived child may be a zombie)."""
    import psutil

    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_lab_and_its_kernels(tmp_path, signum):
    """`python -m gaoxin.lab` (what `make lab` runs) stopped by SIGTERM or Ctrl-C leaves neither
    the server nor a kernel running."""
    import psutil

    port = _free_port()
    env = dict(os.environ)
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_DATA_DIR=str(tmp_path / "d"))
    args = [sys.executable, "-m", "gaoxin.lab", "--no-browser", f"--port={port}"]
    args += ["--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}"]
    args += [f"--notebook-dir={tmp_path}", "--ServerApp.ip=127.0.0.1"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    family: list[psutil.Process] = []
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/api/status?token={TOKEN}", proc)
        _kernels_started(base)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            family = psutil.Process(proc.pid).children(recursive=True)
            if any("launch.py" in _command_line(p) for p in family):
                break
            time.sleep(0.5)
        else:
            pytest.fail("the kernel did not start")
        assert len(family) >= 2, "the server and a kernel run below gaoxin.lab"
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == 128 + signum
        _, alive = psutil.wait_procs(family, timeout=10)
        alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"left running: {[' '.join(p.cmdline()[:4]) for p in alive]}"
    finally:
        for p in [*family, psutil.Process(proc.pid)] if proc.poll() is None else family:
            with contextlib.suppress(psutil.Error):
                p.kill()
        log.close()
