"""The project's Jupyter kernel: one per checkout, and never a mix of two checkouts.

``python -m gaoxin.kernel [NOTEBOOK ...]`` names the kernel in notebooks: it sets
``metadata.kernelspec`` to gaoxin.config.KERNELSPEC ("gaoxin", shown as "Python (gaoxin)") and
leaves everything else in the file untouched (default: every notebook of the project).

``python -m gaoxin.kernel --install`` (what ``make env`` runs) writes the kernel spec into this
environment only (``<sys.prefix>/share/jupyter/kernels/gaoxin``), never for the user, so two
checkouts cannot take each other's kernel. The spec names its Python and its start-up script
relative to its own folder (``{resource_dir}``), so a copied or moved checkout (``cp -a``) starts
its own ``.venv`` and imports its own package. The start-up script puts the checkout that holds
the spec first on ``sys.path`` and checks that the package it imports and the project whose data
it reads (the notebook's folder, or $GAOXIN_ROOT) are that same checkout; otherwise the kernel
stops with one line saying what to do.

``python -m gaoxin.kernel --jupyter-path`` prints the folder that outside Jupyter clients (nbmake,
a system JupyterLab) need on ``JUPYTER_PATH`` to find this checkout's kernel.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gaoxin import config
from gaoxin.config import KERNEL_DISPLAY_NAME, KERNEL_NAME, KERNELSPEC

LAUNCHER = "launch.py"
# The start-up script written beside kernel.json. It must not import gaoxin before it has put the
# spec's own checkout first on sys.path: the environment's editable install may point elsewhere
# (a copy made with `cp -a` keeps the original's path in .venv).
LAUNCHER_SOURCE = '''"""Start the gaoxin kernel of the checkout holding this file.

`python -m gaoxin.kernel --install` wrote it into <checkout>/.venv/share/jupyter/kernels/gaoxin/.
"""

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # this folder; IPython puts the notebook's folder on sys.path itself
checkout = Path(__file__).resolve().parents[5]
if (checkout / "gaoxin" / "__init__.py").is_file():
    sys.path.insert(0, str(checkout))
from gaoxin.kernel import start  # noqa: E402

sys.exit(start(checkout, sys.argv[1:]))
'''


def kernel_dir(prefix: str | os.PathLike[str] | None = None) -> Path:
    """Where --install writes the spec: <prefix>/share/jupyter/kernels/gaoxin."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def jupyter_path(prefix: str | os.PathLike[str] | None = None) -> Path:
    """The folder to put on JUPYTER_PATH so that any Jupyter client finds this kernel."""
    return kernel_dir(prefix).parents[1]


def kernel_spec(resource_dir: Path, python: str) -> dict:
    """kernel.json: the environment's Python and the launcher, relative to the spec's folder."""
    try:
        relative = os.path.relpath(python, resource_dir)
        command = "{resource_dir}" + "/" + Path(relative).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        command = python
    return {
        "argv": [command, "{resource_dir}/" + LAUNCHER, "-f", "{connection_file}"],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install(prefix: str | os.PathLike[str] | None = None) -> Path:
    """Write kernel.json and the launcher into this environment; return the spec folder."""
    folder = kernel_dir(prefix)
    folder.mkdir(parents=True, exist_ok=True)
    spec = kernel_spec(folder, sys.executable)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    (folder / LAUNCHER).write_text(LAUNCHER_SOURCE, encoding="utf-8")
    return folder


def mismatch(checkout: Path) -> str | None:
    """None when the imported gaoxin, the project whose data it reads and the checkout holding
    the kernel agree; otherwise one line saying what is mixed and what to do."""
    import gaoxin

    package = Path(gaoxin.__file__).resolve().parents[1]
    from_checkout = config.is_project(package)
    if config.is_project(checkout) and package != checkout.resolve():
        return (
            f"the kernel of {checkout} imports gaoxin from {package}: run `make env` in {checkout}"
        )
    if from_checkout and config.PROJECT_FOUND and config.PROJECT_ROOT.resolve() != package:
        return (
            f"this kernel runs the code of {package} but the notebook's project is "
            f"{config.PROJECT_ROOT}: open it with that project's own kernel (`make env` there, "
            f"then `make lab`, or JUPYTER_PATH={jupyter_path(config.PROJECT_ROOT / '.venv')})"
        )
    return None


def start(checkout: Path, argv: list[str]) -> int:
    """The launcher's body: check, then run ipykernel as ``python -m ipykernel_launcher`` would."""
    problem = mismatch(checkout)
    if problem:
        print(f"gaoxin kernel: {problem}", file=sys.stderr)
        return 1
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=argv)
    return 0


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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gaoxin.kernel",
        description="Name the project's kernel in notebooks, or install it into this "
        "environment (one kernel per checkout).",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        metavar="NOTEBOOK",
        help="notebooks whose metadata should name the gaoxin kernel (default: all of the "
        "project's notebooks)",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--install",
        action="store_true",
        help="write the kernel spec into this environment (sys.prefix), as `make env` does",
    )
    what.add_argument(
        "--jupyter-path",
        action="store_true",
        help="print the folder that outside Jupyter clients need on JUPYTER_PATH",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if (args.install or args.jupyter_path) and args.notebooks:
        parser.error("--install and --jupyter-path take no notebooks")
    if args.install:
        print(f"kernel {KERNEL_NAME!r} installed in {install()}")
        return 0
    if args.jupyter_path:
        print(jupyter_path())
        return 0
    paths = args.notebooks
    if not paths:
        if not config.PROJECT_FOUND:
            print(config.not_found_message(), file=sys.stderr)
            return 2
        paths = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    for path in paths:
        try:
            changed = name_kernel(path)
        except (OSError, ValueError) as exc:
            print(f"{path}: cannot set the kernel ({exc}); pass a notebook file", file=sys.stderr)
            return 1
        print(f"{path}: {'kernel set' if changed else 'already names it'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
