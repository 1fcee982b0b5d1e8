"""JupyterLab with Chinese drawn in the bundled Noto Sans CJK SC, on machines with no CJK font.

``python -m gaoxin.lab [jupyter lab options]`` (what ``make lab`` runs) writes a project-local
Jupyter config folder whose ``custom/custom.css`` gives Lab's text, code and tables an
``@font-face`` for the font file copied beside it, then starts ``jupyter lab --custom-css`` with
that folder as $JUPYTER_CONFIG_DIR. Lab serves the font itself: nothing is fetched from outside.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def main(argv: list[str] | None = None) -> int:
    config_dir = prepare()
    args = [sys.executable, "-m", "jupyterlab", "--custom-css", *(argv or sys.argv[1:])]
    print(f"gaoxin.lab: Jupyter config in {config_dir} (Chinese font via custom/custom.css)")
    return subprocess.call(args, env=lab_environment(config_dir))


if __name__ == "__main__":
    sys.exit(main())
