"""The project's own kernel: every notebook names it, and Jupyter clients resolve it to this
environment even when another environment's `python3` kernel would shadow the usual name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from gaoxin import config, kernel

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
PROBE = textwrap.dedent(
    """
    import json, sys
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    ksm = KernelSpecManager()
    cell = nbformat.v4.new_code_cell("import sys; print(sys.prefix)")
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = json.loads(sys.argv[1])
    NotebookClient(nb, timeout=120).execute()  # kernel chosen from the notebook, as nbmake does
    print(json.dumps({
        "prefix": nb.cells[0].outputs[0]["text"].strip(),
        "searched": [str(d) for d in ksm.kernel_dirs],
    }))
    """
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_names_the_project_kernel(path):
    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("kernelspec")
    assert spec == config.KERNELSPEC, (
        f"{path.name} names kernel {spec}: run `python -m gaoxin.kernel {path}`"
    )


def test_name_kernel_sets_only_the_kernelspec(tmp_path):
    path = tmp_path / "nb.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 标题")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    assert kernel.name_kernel(path) is True
    again = nbformat.read(str(path), as_version=4)
    assert again.metadata.kernelspec == config.KERNELSPEC
    assert again.cells[0].source == "# 标题"
    assert kernel.name_kernel(path) is False, "a second run changes nothing"


@pytest.mark.slow
def test_clients_pick_this_environment_without_jupyter_path(tmp_path):
    """With no JUPYTER_PATH, a notebook naming `gaoxin` runs this environment's Python, even
    when a user-level `gaoxin` spec (another clone's `make env`) points elsewhere."""
    home = tmp_path / "home"
    decoy = home / ".local" / "share" / "jupyter" / "kernels" / config.KERNEL_NAME
    decoy.mkdir(parents=True)
    other = str(tmp_path / "other-env" / "bin" / "python")
    spec = {"argv": [other, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}
    spec.update(display_name="Other", language="python")
    (decoy / "kernel.json").write_text(json.dumps(spec))
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(config.KERNELSPEC)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert str(decoy.parent) in result["searched"], "the decoy is on the kernel search path"
    assert result["prefix"] == sys.prefix, "the gaoxin kernel runs this environment's Python"


# One kernel per checkout: a copy (cp -a) runs its own code and reads its own data.

CHECKOUT_PROBE = textwrap.dedent(
    """
    import json, sys
    import nbformat
    from nbclient import NotebookClient

    cell = nbformat.v4.new_code_cell(
        "import json, sys, gaoxin\\n"
        "from gaoxin import config\\n"
        "print(json.dumps([gaoxin.__file__, str(config.PROJECT_ROOT), sys.prefix]))"
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = json.loads(sys.argv[1])
    client = NotebookClient(nb, timeout=120, resources={"metadata": {"path": sys.argv[2]}})
    client.execute()
    print(nb.cells[0].outputs[0]["text"].strip())
    """
)


def _venv_python(env_dir):
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """A small checkout made the way `make env` makes one: the package, the project markers, a
    .venv where gaoxin is installed editable and the other packages come from this environment
    (.pth lines), and the kernel installed by `python -m gaoxin.kernel --install`."""
    import shutil
    import sysconfig
    import venv

    base = tmp_path_factory.mktemp("checkouts")
    root = base / "original"
    shutil.copytree(
        config.PROJECT_ROOT / "gaoxin",
        root / "gaoxin",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(config.PROJECT_ROOT / name, root / name)
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copy(config.SOURCE_PATH, root / "data" / "raw" / "source.json")
    (root / "notebooks").mkdir()
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(root / ".venv")
    python = _venv_python(root / ".venv")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # An editable install by path (what .venv keeps after `cp -a`: the original's folder), then
    # this environment's packages.
    deps = sysconfig.get_paths()["purelib"]
    Path(purelib, "_gaoxin_test_editable.pth").write_text(f"{root}\n{deps}\n")
    done = subprocess.run(
        [python, "-m", "gaoxin.kernel", "--install"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return root


def _clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "GAOXIN"))}
    env.update(HOME=str(home), PYTHONPATH="")
    return env


def _run_notebook(python, folder, home):
    return subprocess.run(
        [python, "-c", CHECKOUT_PROBE, json.dumps(config.KERNELSPEC), str(folder)],
        capture_output=True,
        text=True,
        env=_clean_env(home),
        cwd=folder,
        timeout=300,
    )


@pytest.mark.slow
def test_install_writes_no_user_kernel(original, tmp_path):
    python = _venv_python(original / ".venv")
    done = subprocess.run(
        [python, "-m", "gaoxin.kernel", "--install"],
        cwd=original,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert not any(tmp_path.rglob("kernel.json")), "a kernel spec was written for the user"
    spec = json.loads((original / ".venv/share/jupyter/kernels/gaoxin/kernel.json").read_text())
    assert all(str(original) not in arg for arg in spec["argv"]), "the spec names a fixed path"


@pytest.mark.slow
def test_a_copied_checkout_runs_its_own_code_and_data(original, tmp_path):
    """`cp -a` of a checkout, then the original removed: a notebook of the copy on the gaoxin
    kernel imports the copy's package, reads the copy's data and runs the copy's .venv."""
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(original), str(copy)], check=True)
    moved = tmp_path / "original-moved-away"
    original.rename(moved)  # the original is gone from where the copy's .venv points
    try:
        out = _run_notebook(_venv_python(copy / ".venv"), copy / "notebooks", tmp_path / "home")
    finally:
        moved.rename(original)
    assert out.returncode == 0, out.stderr[-3000:]
    package, project, prefix = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(package) == copy / "gaoxin" / "__init__.py"
    assert Path(project) == copy
    assert Path(prefix) == copy / ".venv"


@pytest.mark.slow
def test_a_kernel_never_mixes_two_checkouts(original, tmp_path):
    """The copy's kernel opened on a notebook of the original stops with one line naming both."""
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(original), str(copy)], check=True)
    out = _run_notebook(_venv_python(copy / ".venv"), original / "notebooks", tmp_path / "home")
    assert out.returncode != 0, "the kernel ran with one checkout's code and another's data"
    lines = [line for line in out.stderr.splitlines() if line.startswith("gaoxin kernel:")]
    assert len(lines) == 1, out.stderr[-3000:]
    assert f"runs the code of {copy}" in lines[0]
    assert f"the notebook's project is {original}" in lines[0]


def test_kernel_command_has_help():
    out = subprocess.run(
        [sys.executable, "-m", "gaoxin.kernel", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "--install" in out.stdout and "--jupyter-path" in out.stdout
    assert out.stderr == ""
