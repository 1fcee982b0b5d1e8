"""A real, non-editable install: the `gaoxin` command finds the project from the working directory
(or --root / $GAOXIN_ROOT) and says in one line when there is none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig

import pytest

from gaoxin import config
from tests.fixtures import venvs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with `pip install .` of a clean copy of the project; dependencies come from
    this environment through a .pth line (no downloads besides the build backend)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    shutil.copytree(
        config.PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".cache", "exports", "*.egg-info", ".git", "build"),
    )
    env_dir = base / "venv"
    python = venvs.create(env_dir)
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    (base / "venv").joinpath(purelib).joinpath("_gaoxin_test_deps.pth").write_text(deps + "\n")
    out = venvs.install(python, "--no-deps", ".", cwd=source, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not (source / "build").exists(), "pip install . left build/ behind"
    command = python.parent / "gaoxin"
    return source, command, python


def _run(command, cwd, *args, env=None):
    clean = {k: v for k, v in os.environ.items() if k != config.ROOT_ENV}
    return subprocess.run(
        [str(command), *args], capture_output=True, text=True, cwd=cwd, env={**clean, **(env or {})}
    )


def test_installed_copy_is_not_the_checkout(installed, tmp_path):
    _, _, python = installed
    out = subprocess.run(
        [python, "-c", "import gaoxin; print(gaoxin.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "site-packages" in out.stdout and str(config.PROJECT_ROOT) not in out.stdout


def test_check_runs_inside_the_project(installed):
    source, command, _ = installed
    out = _run(command, source / "notebooks", "check")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "check: OK" in out.stdout


def test_outside_a_project_one_line_and_failure(installed, tmp_path):
    _, command, _ = installed
    out = _run(command, tmp_path, "check")
    assert out.returncode != 0
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "no project found" in lines[0] and "--root" in lines[0]


def test_root_option_and_environment_variable(installed, tmp_path):
    source, command, _ = installed
    assert _run(command, tmp_path, "--root", str(source), "check").returncode == 0
    assert _run(command, tmp_path, "check", env={config.ROOT_ENV: str(source)}).returncode == 0
    wrong = _run(command, source, "--root", str(tmp_path), "check")
    assert wrong.returncode != 0 and len(wrong.stderr.strip().splitlines()) == 1


IMPORT_AUDIT = """
import importlib, json, os, pkgutil, sys
root = os.path.realpath(sys.argv[1])
own = [os.path.join(root, "gaoxin") + os.sep, os.path.join(root, ".venv") + os.sep]
opened = []

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(root + os.sep) and not any(path.startswith(p) for p in own):
            opened.append(path)

import gaoxin
sys.addaudithook(hook)
names = [m.name for m in pkgutil.walk_packages(gaoxin.__path__, "gaoxin.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": len(names), "opened": sorted(set(opened))}))
"""


@pytest.mark.slow
def test_no_module_reads_a_project_file_at_import_time():
    """Importing every module of gaoxin, inside the project, opens no file of the project (data,
    notebooks, exports): reading happens when a function asks for it."""
    import json
    import sys

    out = subprocess.run(
        [sys.executable, "-c", IMPORT_AUDIT, str(config.PROJECT_ROOT)],
        capture_output=True,
        text=True,
        cwd=config.PROJECT_ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["modules"] > 40
    assert result["opened"] == [], result["opened"]


# `pip install .` with its declared dependencies, in a fresh venv, used outside any project.


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh venv with `pip install .` resolving the declared (core) dependencies."""
    base = tmp_path_factory.mktemp("fresh")
    source = base / "source"
    shutil.copytree(
        config.PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".cache", "exports", "*.egg-info", ".git", "build"),
    )
    bin_dir = venvs.create(base / "venv").parent
    out = venvs.install(bin_dir / "python", ".", cwd=source)
    assert out.returncode == 0, out.stderr[-3000:]
    return bin_dir


def test_fresh_install_extracts_an_article_in_any_folder(fresh, tmp_path):
    article = config.PROJECT_ROOT / "tests" / "corpus" / "a_yunxi_2020.txt"
    out = _run(fresh / "gaoxin", tmp_path, "extract", "--article", str(article), "--out", "out")
    assert out.returncode == 0, out.stderr[-2000:]
    facts = (tmp_path / "out" / "processed" / "facts.csv").read_text(encoding="utf-8")
    assert len(facts.splitlines()) > 10
    import json

    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert "facts" in {r["name"] for r in package["resources"]}


def test_fresh_install_build_names_the_extra_to_install(fresh, tmp_path):
    out = _run(fresh / "gaoxin", tmp_path, "build")
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'gaoxin[notebooks,pdf]'" in lines[0], out.stderr


def test_fresh_install_imports_every_core_module_outside_a_project(fresh, tmp_path):
    code = "import gaoxin.charts, gaoxin.data, gaoxin.analysis.narrative; print('ok')"
    out = subprocess.run(
        [fresh / "python", "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_version_matches_the_package_metadata(fresh, tmp_path):
    meta = subprocess.run(
        [
            fresh / "python",
            "-c",
            "from importlib.metadata import version; print(version('gaoxin'))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    out = _run(fresh / "gaoxin", tmp_path, "--version")
    assert out.returncode == 0 and out.stdout.strip() == f"gaoxin {meta.stdout.strip()}"
