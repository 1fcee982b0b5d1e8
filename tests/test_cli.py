"""Command line: one parser with a subcommand each, strict options, the up-to-date fast path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gaoxin import cli, config
from gaoxin.report import compare, uptodate

COMMANDS = ("extract", "check", "build", "report", "bench")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gaoxin", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_build_help_lists_its_options():
    done = run_cli("build", "--help")
    assert done.returncode == 0
    for option in ("--only", "--jobs", "--timeout"):
        assert option in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_rejects_unknown_arguments(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--no-such-option"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--jobs", "-3"], "-3 must be 1 or more"),
        (["build", "--timeout", "-1"], "-1 must be 1 or more"),
        (["build", "--jobs", "x"], "'x' is not a whole number"),
        (["build", "--only", "one"], "notebook number such as 01"),
    ],
)
def test_bad_values_are_rejected(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_extract_with_unknown_argument_writes_nothing(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in config.PROCESSED_DIR.glob("*.csv")}
    done = run_cli("extract", "--bogus")
    assert done.returncode == 2 and "--bogus" in done.stderr
    after = {p.name: p.stat().st_mtime_ns for p in config.PROCESSED_DIR.glob("*.csv")}
    assert before == after


def test_help_imports_no_pandas():
    code = "import sys; from gaoxin import cli; cli.make_parser(); print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "proj"
    for tree in ("data", "notebooks"):
        (root / tree).mkdir(parents=True)
        (root / tree / "a.txt").write_text("x", encoding="utf-8")
    (root / "gaoxin").mkdir()
    (root / "gaoxin" / "m.py").write_text("x = 1\n", encoding="utf-8")
    exports = root / "exports"
    (exports / "html").mkdir(parents=True)
    (exports / "html" / "01.html").write_text("page", encoding="utf-8")
    return root, exports


def test_fingerprint_sees_inputs_and_exports_change(tmp_path):
    root, exports = _project(tmp_path)
    first = uptodate.fingerprint(root, exports)
    assert uptodate.fingerprint(root, exports) == first
    (root / "notebooks" / "a.txt").write_text("y", encoding="utf-8")
    second = uptodate.fingerprint(root, exports)
    assert second != first
    (exports / "html" / "01.html").unlink()
    assert uptodate.fingerprint(root, exports) != second


def test_up_to_date_report_imports_no_pandas(tmp_path):
    """The fast path decides from hashes and file times alone."""
    code = (
        "import sys; from gaoxin.report import uptodate; uptodate.fingerprint(); "
        "print('pandas' in sys.modules, 'nbclient' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


def test_compare_ignores_only_the_stamp(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for root, stamp in ((old, "0123456789ab"), (new, "ba9876543210")):
        (root / "html").mkdir(parents=True)
        (root / "html" / "a.html").write_text(f"<p>x</p><footer>Version {stamp}.</footer>")
        (root / "b.csv").write_text("a,b\n1,2\n")
    assert compare.compare(old, new) == []
    (new / "b.csv").write_text("a,b\n1,3\n")
    shutil.copy(new / "b.csv", new / "extra.csv")
    problems = compare.compare(old, new)
    assert "differs: b.csv" in problems and f"only in {new}: extra.csv" in problems
    assert "    -1,2" in problems and "    +1,3" in problems


def test_up_to_date_report_command_imports_no_build(tmp_path):
    """The whole `python -m gaoxin report` path when nothing changed (parsing, the checks before
    the command, the up-to-date check) imports neither the build, its worker pool, nor pandas."""
    code = (
        "import sys\n"
        "from gaoxin import cli\n"
        "from gaoxin.report import uptodate\n"
        "uptodate.up_to_date = lambda *a, **k: True\n"
        "code = cli.main(['report'])\n"
        "heavy = {'gaoxin.report.build', 'gaoxin.report.pool', 'pandas', 'nbclient'}\n"
        "print(code, sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=config.PROJECT_ROOT,
        check=True,
    )
    assert "report: up to date" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout


def test_command_line_timeout_default_is_the_builds():
    from gaoxin import cli
    from gaoxin.report import build

    assert cli.DEFAULT_TIMEOUT == build.DEFAULT_TIMEOUT
    args = cli.make_parser().parse_args(["build"])
    assert args.timeout == build.DEFAULT_TIMEOUT


def test_the_stamp_is_masked_in_either_edition():
    for page in ("<footer>Version 0123456789ab.</footer>", "<footer>版本0123456789ab。</footer>"):
        masked = compare.mask(page.encode())
        assert b"0123456789ab" not in masked and b"<stamp>" in masked
