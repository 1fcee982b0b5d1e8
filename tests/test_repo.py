"""The README's promises match the repository: commands, file tree, CI entry point, layout."""

import re
import subprocess

from gaoxin.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
# Folders whose children the README tree lists (one level); other folders are shown bare.
EXPANDED = {".ci", "data", "exports", "gaoxin", "notebooks"}
ALLOWED_TOP = {
    ".ci",
    ".gitattributes",
    ".gitignore",
    "LICENSE",
    "Makefile",
    "README.md",
    "data",
    "exports",
    "gaoxin",
    "notebooks",
    "pyproject.toml",
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
    targets = set(re.findall(r"^([a-z]+):", makefile, re.M))
    commands = set(re.findall(r"`?make ([a-z]+)", README))
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


def test_requirements_pin_exact_versions():
    lines = [
        line.strip()
        for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # An exact pin, optionally for some Python versions only (an environment marker).
    pin = r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s;]*(; python_version [<>=]+ \"3\.[0-9]+\")?"
    assert lines and all(re.fullmatch(pin, line) for line in lines), lines
    for package in ("jupyterlab", "pandas", "matplotlib", "seaborn", "nbconvert"):
        assert any(line.startswith(package + "==") for line in lines), package


def test_every_python_version_gets_one_pin_per_package():
    """Packages pinned per Python version cover 3.10–3.13 exactly once each."""
    from packaging.markers import Marker

    by_version: dict[str, list[str]] = {}
    for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        if ";" not in line or line.startswith("#"):
            continue
        requirement, marker = line.split(";", 1)
        for minor in ("3.10", "3.11", "3.12", "3.13"):
            if Marker(marker.strip()).evaluate({"python_version": minor}):
                by_version.setdefault(minor, []).append(requirement.split("==")[0])
    assert by_version, "no per-version pins"
    counts = {v: sorted(names) for v, names in by_version.items()}
    assert len({tuple(n) for n in counts.values()}) == 1 and len(counts) == 4, counts
    assert all(len(set(n)) == len(n) for n in counts.values()), counts


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
