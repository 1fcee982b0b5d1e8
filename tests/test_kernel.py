"""The project's own kernel: every notebook names it, and Jupyter clients resolve it to this
environment even when another environment's `python3` kernel would shadow the usual name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

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
