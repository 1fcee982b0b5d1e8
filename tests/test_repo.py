"""The README's promises match the repository: commands, file tree, CI entry point, layout."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from gaoxin.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
# Folders whose children the README tree lists (one level); other folders are shown bare.
EXPANDED = {".ci", "data", "exports", "gaoxin", "notebooks"}
ALLOWED_TOP = {
    ".ci",
    ".gitattributes",
    ".gitignore",
    ".pre-commit-config.yaml",
    "LICENSE",
    "Makefile",
    "README.md",
    "data",
    "exports",
    "gaoxin",
    "notebooks",
    "pyproject.toml",
    "requirements.lock",
    "requirements.txt",
    "tests",
}


def project_files() -> list[str]:
    """Tracked files plus new files git would track (ignored build output excluded)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted({f for f in out if (PROJECT_ROOT / f).exists()})


def expected_tree(files: list[str]) -> str:
    top: dict[str, set[str]] = {}
    for f in files:
        parts = f.split("/")
        if len(parts) == 1:
            top.setdefault(parts[0], set())
        else:
            children = top.setdefault(parts[0] + "/", set())
            if parts[0] in EXPANDED:
                children.add(parts[1] + ("/" if len(parts) > 2 else ""))
    lines = []
    for name in sorted(top):
        lines.append(name)
        lines.extend(f"  {child}" for child in sorted(top[name]))
    return "\n".join(lines)


def test_readme_tree_matches_the_repository():
    block = re.search(r"<!-- tree:start -->\n```\n(.*?)\n```\n<!-- tree:end -->", README, re.S)
    assert block, "README lost its tree markers"
    expected = expected_tree(project_files())
    assert block.group(1) == expected, f"update the README tree to:\n{expected}"


def test_nothing_unexpected_at_the_top_level():
    top = {f.split("/")[0] for f in project_files()}
    assert top <= ALLOWED_TOP, top - ALLOWED_TOP


def test_readme_commands_are_makefile_targets():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    commands = set(re.findall(r"`?make ([a-z][a-z-]*)\b(?!/)", README))
    assert {"report", "test", "lab"} <= commands
    assert commands <= targets, commands - targets


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The whole suite once, with the README's command unchanged, its wall time printed.
    assert len(re.findall(r"^timed \"[^\"]+\" make test$", ci, re.M)) == 1
    assert "apt-get install" in ci and "chromium" in ci and "poppler-utils" in ci
    # Other Pythons: the fast tier and one real build, in fresh clones.
    assert "3.10" in ci and "3.13" in ci and "git clone" in ci
    assert re.search(r'make -C "\$clone" PYTHON="\$python" test PYTEST_ARGS="-m unit"', ci)
    assert re.search(r'make -C "\$clone" PYTHON="\$python" report', ci)
    # The lock is one environment: the two Pythons' `pip freeze` are compared, a difference fails.
    assert re.search(r'"\$clone/\.venv/bin/python" -m pip freeze --exclude-editable >', ci)
    assert re.search(r"if ! diff -u .*\n(.*\n){1,3}\s*exit 1", ci), "no failing freeze comparison"


def test_requirements_pin_exact_versions():
    """One exact pin per direct dependency, the same for every Python (no environment markers)."""
    lines = [
        line.strip()
        for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pin = r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s;]*"
    assert lines and all(re.fullmatch(pin, line) for line in lines), lines
    names = [_name(line) for line in lines]
    assert len(set(names)) == len(names), "a package pinned twice"
    for package in ("jupyterlab", "pandas", "matplotlib", "seaborn", "nbconvert"):
        assert package in names, package


def test_lock_is_one_environment_for_every_python():
    """requirements.lock pins one version of each package and none by Python version, so 3.10
    and 3.13 install the same set (markers remain only for other platforms and PyPy)."""
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9][^\s=]*)==(\S+)(?: ; (.+?))? \\$", lock, re.M)
    assert len(pins) > 100, "the lock holds the whole environment"
    names = [name.lower() for name, _, _ in pins]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"more than one version of {twice}"
    by_python = [f"{n}=={v} ; {m}" for n, v, m in pins if re.search(r"python_(full_)?version", m)]
    assert not by_python, by_python
    allowed = ("sys_platform", "os_name", "platform_python_implementation", "implementation_name")
    assert all(any(word in m for word in allowed) for _, _, m in pins if m), pins
    # The pins the brief names: pandas 2.3.3 (its last 3.10 release) and IPython 8 everywhere.
    versions = {n.lower(): v for n, v, _ in pins}
    assert versions["pandas"] == "2.3.3" and versions["ipython"].startswith("8.")


# The folder beside the checkout that holds the seed article; built from parts so that this
# guard does not itself mention it.
OUTSIDE_FOLDER = "/".join(("..", "shared"))


def test_nothing_reads_the_shared_folder():
    for f in project_files():
        if f.startswith((".ci/", "tests/")) or f == "README.md":
            continue
        path = PROJECT_ROOT / f
        if path.suffix in (".py", ".ipynb", ".toml", ".json", ".md", ".txt", ""):
            assert OUTSIDE_FOLDER not in path.read_text(encoding="utf-8", errors="ignore"), f


# Notebooks stay clean: what `make env` sets up in git strips outputs from every commit, and a
# commit fails (never slips outputs in) in a checkout whose .venv is missing.

EXECUTED = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 3,
            "id": "cell-one",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": "SECRET-OUTPUT\n"}],
            "source": "print(1)",
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python (gaoxin)", "language": "python", "name": "gaoxin"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _git(repo, *args, check=True):
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture
def repo(tmp_path):
    """A git repository with the project's Makefile, .gitattributes and pre-commit config, whose
    .venv/bin holds this environment's python, ruff and pre-commit; `make git-setup` run in it
    (the step of `make env` that sets up git)."""
    import shutil
    import sys

    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("Makefile", ".gitattributes", ".pre-commit-config.yaml", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, repo / name)
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    here = Path(sys.executable).parent
    for name, target in (("python", sys.executable), ("ruff", here / "ruff")):
        wrapper = bin_dir / name
        wrapper.write_text(f'#!/bin/sh\nexec "{target}" "$@"\n')
        wrapper.chmod(0o755)
    (bin_dir / "pre-commit").symlink_to(here / "pre-commit")
    (repo / ".gitignore").write_text(".venv/\nvenv-gone/\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "setup")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "GIT_"))}
    done = subprocess.run(
        ["make", "git-setup"], cwd=repo, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def test_a_commit_of_an_executed_notebook_keeps_no_outputs(repo):
    (repo / "nb.ipynb").write_text(json.dumps(EXECUTED, indent=1) + "\n", encoding="utf-8")
    _git(repo, "add", "nb.ipynb")
    done = _git(repo, "commit", "-q", "-m", "executed notebook", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    committed = json.loads(_git(repo, "show", "HEAD:nb.ipynb").stdout)
    cell = committed["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["id"] == "cell-one", "the cell id was kept"
    assert "SECRET-OUTPUT" not in _git(repo, "show", "HEAD:nb.ipynb").stdout


def test_without_venv_the_commit_fails_instead(repo):
    notebook = repo / "nb.ipynb"
    notebook.write_text(json.dumps(EXECUTED, indent=1) + "\n", encoding="utf-8")
    _git(repo, "add", "nb.ipynb")
    _git(repo, "commit", "-q", "-m", "notebook")
    head = _git(repo, "rev-parse", "HEAD").stdout
    notebook.write_text(notebook.read_text().replace("SECRET", "MORE-SECRET"), encoding="utf-8")
    (repo / ".venv").rename(repo / "venv-gone")
    added = _git(repo, "add", "nb.ipynb", check=False)
    assert added.returncode != 0, "git add kept the outputs"
    assert "run make env" in added.stderr
    committed = _git(repo, "commit", "-q", "-a", "-m", "x", check=False)
    assert committed.returncode != 0, "the commit went through"
    assert _git(repo, "rev-parse", "HEAD").stdout == head, "a commit was made"
    assert "SECRET" not in _git(repo, "show", ":nb.ipynb").stdout


def test_readme_by_hand_setup_matches_make_env():
    row = next(line for line in README.splitlines() if line.startswith("| `env` |"))
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for piece in ("nbstripout --keep-id", "filter.nbstripout.required true", "pre-commit install"):
        assert piece in row and piece in makefile, piece
    assert "--install" not in row.replace("gaoxin.kernel --install", ""), (
        "nbstripout --install rewrites .gitattributes and drops cell ids"
    )
    assert "ipykernel install" not in row and "--user" not in makefile


def _make_question(folder, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(
        ["make", "-q", "env", *args], cwd=folder, capture_output=True, text=True, env=env
    ).returncode


def test_venv_is_remade_for_another_folder_or_python(tmp_path):
    """`make env` is up to date only for the folder and the Python .venv was made for: a copied
    checkout or another PYTHON=... makes it again (make -q: 0 up to date, 1 would run)."""
    import shutil
    import sys

    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, folder / name)
    python = sys.executable
    identity = subprocess.run(
        [python, "-c", "import sys; print(sys.executable, sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    venv_dir = folder / ".venv"
    venv_dir.mkdir()
    (venv_dir / ".env-id").write_text(f"{folder} {identity}\n")
    (venv_dir / ".installed-stamp").touch()
    assert _make_question(folder, f"PYTHON={python}") == 0, "a fresh .venv was not up to date"
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(folder), str(copy)], check=True)
    assert _make_question(copy, f"PYTHON={python}") == 1, "a copied .venv was kept"
    other = shutil.which("python3") or "python3"
    if (
        subprocess.run(
            [other, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True
        ).stdout.strip()
        != python
    ):
        assert _make_question(folder, f"PYTHON={other}") == 1, "another PYTHON kept .venv"


def _entry_points() -> list[str]:
    """Every module run as `python -m gaoxin...`: those with a __main__ guard."""
    found = []
    for path in sorted((PROJECT_ROOT / "gaoxin").rglob("*.py")):
        if '__name__ == "__main__"' in path.read_text(encoding="utf-8"):
            module = path.relative_to(PROJECT_ROOT).with_suffix("").as_posix().replace("/", ".")
            found.append(module.removesuffix(".__main__"))
    return found


def test_every_entry_point_has_help():
    import sys

    modules = _entry_points()
    assert {"gaoxin", "gaoxin.kernel", "gaoxin.lab"} <= set(modules)
    for module in modules:
        out = subprocess.run(
            [sys.executable, "-m", module, "--help"],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=120,
        )
        assert out.returncode == 0, f"{module} --help: {out.stderr[-500:]}"
        assert out.stdout.startswith("usage:") and "Traceback" not in out.stderr, module


def _gaoxin(*args):
    import sys

    return subprocess.run(
        [sys.executable, "-m", "gaoxin", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )


def test_version_verbose_and_quiet():
    import gaoxin

    version = _gaoxin("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"gaoxin {gaoxin.__version__}"
    quiet = _gaoxin("check", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "", quiet.stdout
    loud = _gaoxin("-v", "check")
    assert loud.returncode == 0 and "check: OK" in loud.stdout
    first = loud.stderr.splitlines()[0]
    assert str(PROJECT_ROOT / "gaoxin") in first and f"project {PROJECT_ROOT}" in first
    both = _gaoxin("check", "-v", "--quiet")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_lock_file_pins_the_direct_requirements_with_hashes():
    """requirements.lock (make lock) holds every pin of requirements.txt, for the same Pythons,
    and a hash for every package; a pin changed without `make lock` fails here."""
    from packaging.markers import Marker

    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9][^\s=]*)==(\S+)(?: ; (.+?))? \\\n((?:\s+--hash=\S+(?: \\)?\n)+)", lock, re.M
    )
    pins = {(name.lower(), version, marker) for name, version, marker, _ in entries}
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9].*==", lock, re.M)), "a pin without hash"
    assert len(entries) > 100, "the lock holds the whole environment"
    for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement, _, marker = line.partition(";")
        name, version = _name(requirement), requirement.split("==")[1].strip()
        for minor in ("3.10", "3.11", "3.12", "3.13"):
            wanted = not marker or Marker(marker.strip()).evaluate({"python_version": minor})
            env = {"python_version": minor, "python_full_version": minor + ".0"}
            locked = {
                v
                for n, v, m in pins
                if n == name and (not m or Marker(m).evaluate({**env, "sys_platform": "linux"}))
            }
            if wanted:
                assert locked == {version}, f"{name} on {minor}: lock {locked}, pinned {version}"


def test_make_without_python_asks_no_python(tmp_path):
    """With PYTHON not given, make keeps the Python .venv was made with and runs no Python to
    find out (a pyenv shim alone cost 0.1 s of every no-op `make report`); once that Python is
    gone, it asks python3 again, and .venv is made again."""
    import shutil
    import sys

    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, folder / name)
    shims = tmp_path / "bin"
    shims.mkdir()
    asked = tmp_path / "asked"
    (shims / "python3").write_text(f'#!/bin/sh\ntouch "{asked}"\nexec "{sys.executable}" "$@"\n')
    (shims / "python3").chmod(0o755)
    venv_dir = folder / ".venv"
    venv_dir.mkdir()
    (venv_dir / ".installed-stamp").touch()
    version = sys.version.split()[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "PYTHON"}
    env["PATH"] = f"{shims}:{env['PATH']}"

    def question() -> int:
        done = subprocess.run(["make", "-q", "env"], cwd=folder, env=env, capture_output=True)
        return done.returncode

    (venv_dir / ".env-id").write_text(f"{folder} {sys.executable} {version}\n")
    assert question() == 0 and not asked.exists(), "make ran python3 or remade a kept .venv"
    (venv_dir / ".env-id").write_text(f"{folder} {tmp_path / 'gone' / 'python3'} {version}\n")
    assert question() == 1 and asked.exists(), "a .venv whose Python is gone was kept"


@pytest.mark.parametrize(("jobs", "expected"), [(None, "-n auto"), ("0", "-n 0")])
def test_make_test_runs_one_process_per_core_unless_told(jobs, expected):
    """The README: `make test` runs a test process per core; TEST_JOBS=0 runs one process."""
    args = ["make", "-n", "test"] + ([f"TEST_JOBS={jobs}"] if jobs else [])
    done = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    (pytest_line,) = [line for line in done.stdout.splitlines() if "-m pytest" in line]
    assert f"{expected} --dist loadfile" in pytest_line, pytest_line
