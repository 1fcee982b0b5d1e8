"""JupyterLab with Chinese drawn in the bundled Noto Sans CJK SC, on machines with no CJK font.

``python -m gaoxin.lab [jupyter lab options]`` (what ``make lab`` runs) writes a project-local
Jupyter config folder whose ``custom/custom.css`` gives Lab's text, code and tables an
``@font-face`` for the font file copied beside it, then starts ``jupyter lab --custom-css`` with
that folder as $JUPYTER_CONFIG_DIR. Lab serves the font itself: nothing is fetched from outside.
Every other option goes to ``jupyter lab`` (``make lab LAB_ARGS="--port=8899 --no-browser"``).

The server runs in a session of its own: Ctrl-C, SIGTERM or SIGHUP to this command (or to
``make lab``, which passes SIGTERM on) stops it at once, with its kernels, and leaves no process
behind; a server still running after STOP_SECONDS is killed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from gaoxin.config import PROJECT_ROOT, cjk_font_path

LAB_CONFIG_DIR = PROJECT_ROOT / ".venv" / "jupyter"
CJK_FAMILY = "Noto Sans CJK SC (gaoxin)"
# CJK radicals to Yi, compatibility ideographs and full-width forms: the face is used (and loaded)
# only for these characters, so it can come first in every stack and Latin keeps Lab's fonts.
# (Listed after DejaVu Sans Mono it was not used: Chromium drew boxes in code cells.)
CJK_RANGES = "U+2E80-A4CF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
# Lab's default stacks (JupyterLab 4 theme variables), after the CJK family.
UI_FONTS = "system-ui, -apple-system, blinkmacsystemfont, 'Segoe UI', helvetica, arial"
CODE_FONTS = "menlo, consolas, 'DejaVu Sans Mono'"
STOP_SECONDS = 15.0
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
USAGE = """usage: python -m gaoxin.lab [jupyter lab options]

Start JupyterLab on this checkout's environment with Chinese drawn in the bundled Noto Sans CJK
SC (`make lab`; options there go through LAB_ARGS="..."). Every option is passed to `jupyter
lab` (see `jupyter lab --help`). Ctrl-C or SIGTERM stops the server and its kernels."""


def custom_css(font_file: str) -> str:
    """The stylesheet: the font face, and Lab's font variables with the CJK family added."""
    family = f'"{CJK_FAMILY}"'
    return f"""/* Written by gaoxin.lab: Chinese in the bundled Noto Sans CJK SC (SIL OFL). */
@font-face {{
  font-family: {family};
  src: url("{font_file}") format("opentype");
  unicode-range: {CJK_RANGES};
  font-display: swap;
}}
:root, body {{
  --jp-ui-font-family: {family}, {UI_FONTS}, sans-serif !important;
  --jp-content-font-family: {family}, {UI_FONTS}, sans-serif !important;
  --jp-code-font-family-default: {family}, {CODE_FONTS}, monospace !important;
  --jp-code-font-family: {family}, {CODE_FONTS}, monospace !important;
}}
"""


def prepare(config_dir: Path = LAB_CONFIG_DIR) -> Path:
    """Write config_dir/custom/custom.css and the font beside it; return config_dir."""
    font = cjk_font_path()
    custom = config_dir / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    target = custom / font.name
    if not target.is_file() or target.stat().st_size != font.stat().st_size:
        shutil.copyfile(font, target)
    (custom / "custom.css").write_text(custom_css(font.name), encoding="utf-8")
    return config_dir


def lab_environment(config_dir: Path) -> dict[str, str]:
    """The environment Lab runs in: the prepared config folder."""
    return {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir)}


def _stop(proc: subprocess.Popen, signum: int) -> None:
    """Ask the server to shut down (it stops its kernels); SIGTERM skips Lab's y/n question."""
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    name = signal.Signals(signum).name
    print(f"gaoxin.lab: {name}: stopping JupyterLab and its kernels", file=sys.stderr)


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def run_lab(args: list[str], env: dict[str, str]) -> int:
    """Run Lab until it exits or a stop signal arrives; 128+signal after a signal."""
    # A session of its own: the terminal's Ctrl-C reaches only this process, which stops Lab
    # without its interactive "Shutdown this Jupyter server (y/[n])?" question.
    proc = subprocess.Popen(args, env=env, start_new_session=True)
    stopped: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        if not stopped:
            stopped.append(signum)
            _stop(proc, signum)
        else:  # a second signal: no more waiting
            _kill_group(proc)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        deadline = None
        while proc.poll() is None:
            if stopped and deadline is None:
                deadline = time.monotonic() + STOP_SECONDS
            if deadline is not None and time.monotonic() > deadline:
                _kill_group(proc)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)
    finally:
        if proc.poll() is None:
            _kill_group(proc)
            proc.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + stopped[0] if stopped else proc.returncode


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    config_dir = prepare()
    args = [sys.executable, "-m", "jupyterlab", "--custom-css", *argv]
    print(f"gaoxin.lab: Jupyter config in {config_dir} (Chinese font via custom/custom.css)")
    return run_lab(args, lab_environment(config_dir))


if __name__ == "__main__":
    sys.exit(main())
