"""Name the project's kernel in notebooks: ``python -m gaoxin.kernel notebooks/*.ipynb``.

Sets ``metadata.kernelspec`` to gaoxin.config.KERNELSPEC ("gaoxin", shown as "Python (gaoxin)"),
the kernel ``make env`` installs into .venv, and leaves everything else in the file untouched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gaoxin.config import KERNELSPEC, NOTEBOOKS_DIR


def name_kernel(path: Path) -> bool:
    """Write KERNELSPEC into one notebook; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    if nb.get("metadata", {}).get("kernelspec") == KERNELSPEC:
        return False
    nb.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    # nbformat's own layout (one-space indent, sorted keys, UTF-8, final newline).
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    for path in paths or sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        print(f"{path}: {'kernel set' if name_kernel(path) else 'already names it'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
