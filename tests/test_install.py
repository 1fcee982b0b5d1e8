"""A real, non-editable install: the `gaoxin` command finds the project from the working directory
(or --root / $GAOXIN_ROOT) and says in one line when there is none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
import venv

import pytest

from gaoxin import config

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
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    (base / "venv").joinpath(purelib).joinpath("_gaoxin_test_deps.pth").write_text(deps + "\n")
    out = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            ".",
        ],
        capture_output=True,
        text=True,
        cwd=source,
        timeout=600,
    )
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
