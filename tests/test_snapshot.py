"""A build publishes one consistent snapshot (issue 22): inputs that change mid-build stop it
instead of mixing, the next report never calls stale content up to date, extraction waits its
turn, article profiles have homes of their own, and integrity checks read content, not stat."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gaoxin import cli, config
from gaoxin.report import build, publish, uptodate
from gaoxin.report.lock import build_lock
from gaoxin.report.profile import article_slug
from tests.test_faults import _copy_project, _notebook

pytestmark = pytest.mark.slow

# A name the article's curated annotations give one fact, and one no file of the project holds.
CURATED = "years since the zone opened"
EDITED = "ZEBRA years"

WAIT_FOR_GO = (
    "import pathlib, time\n"
    "from gaoxin.data import load_facts\n"
    "pathlib.Path('../started').write_text('1')\n"
    "for _ in range(1200):\n"
    "    if pathlib.Path('../go').exists():\n"
    "        break\n"
    "    time.sleep(0.1)\n"
    "print(sorted(set(load_facts()['metric_en'].dropna())))"
)


def _gaoxin(*args: object, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gaoxin", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != config.ROOT_ENV},
        **kw,
    )


def _grep(folder: Path, text: str) -> list[str]:
    needle = text.encode()
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def _wait(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)


def test_data_changed_mid_build_is_never_published_nor_called_up_to_date(tmp_path, strict_build):
    """The issue's repro on a copied project whose one notebook waits for a signal file."""
    copy = _copy_project(tmp_path, seed=strict_build)
    for old in (copy / "notebooks").glob("*.ipynb"):
        old.unlink()
    _notebook(copy / "notebooks", "01_names.ipynb", WAIT_FOR_GO)
    annotations = copy / "data" / "annotations" / "facts.csv"
    assert CURATED in annotations.read_text(encoding="utf-8")
    original = {p: p.read_bytes() for p in (copy / "data").rglob("*") if p.is_file()}

    first = subprocess.Popen(
        [sys.executable, "-m", "gaoxin", "report", "--jobs", "1"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait(copy / "started", first)
    # Mid-build: a curated name is edited and a second report is started.
    annotations.write_text(
        annotations.read_text(encoding="utf-8").replace(CURATED, EDITED), encoding="utf-8"
    )
    second = _gaoxin("report", "--jobs", "1", cwd=copy)
    assert second.returncode == 1
    assert "another build is running" in second.stderr, second.stderr
    assert EDITED not in (copy / "data/processed/facts.csv").read_text(encoding="utf-8"), (
        "the second report waits for the lock before it extracts"
    )
    refused = _gaoxin("extract", cwd=copy)
    assert refused.returncode == 1 and "another build is running" in refused.stderr
    # A writer that ignores the lock: what the old second report did to data/processed.
    subprocess.run(
        [sys.executable, "-c", "from gaoxin.facts.pipeline import extract; extract()"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != config.ROOT_ENV},
    )
    assert EDITED in (copy / "data/processed/facts.csv").read_text(encoding="utf-8")
    (copy / "go").touch()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 1, out + err
    assert "changed while" in out + err, out + err
    assert not _grep(copy / "exports", EDITED), "nothing of the edit was published"

    # `git checkout -- data`, then the next report.
    for path, blob in original.items():
        path.write_bytes(blob)
    third = _gaoxin("report", "--jobs", "1", cwd=copy)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "up to date" not in third.stdout
    assert "1 executed" in third.stdout, "the notebook ran again: nothing stale was cached"
    assert not _grep(copy / "exports", EDITED), "every export matches the data on disk"
    assert _grep(copy / "exports" / "html", CURATED) == ["01_names.html"]
    fourth = _gaoxin("report", "--jobs", "1", cwd=copy)
    assert "report: up to date" in fourth.stdout, fourth.stdout + fourth.stderr


def test_a_cell_that_changes_the_data_stops_the_build_and_caches_nothing(tmp_path):
    """Without a second process: the notebook itself rewrites a data file while it runs."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "value.txt").write_text("old", encoding="utf-8")
    nbs = tmp_path / "nbs"
    _notebook(
        nbs,
        "01_edit.ipynb",
        f"from pathlib import Path\np = Path({str(data / 'value.txt')!r})\n"
        "print('read', p.read_text())\np.write_text('new')",
    )
    kwargs = dict(
        notebooks_dir=nbs,
        exports_dir=tmp_path / "exports",
        cache_dir=tmp_path / "cache",
        data_dir=data,
        jobs=1,
        timeout=60,
    )
    log = io.StringIO()
    result = build.build(out=log, **kwargs)
    assert not result.ok
    assert (
        f"{data / 'value.txt'} changed while it was being built; its results were discarded"
        in log.getvalue()
    ), log.getvalue()
    assert "01_edit.ipynb" in log.getvalue()
    assert not (tmp_path / "exports").exists()
    assert not list((tmp_path / "cache" / "build" / "exec").rglob("executed.ipynb"))
    assert not list((tmp_path / "cache" / "build" / "nb").rglob("meta.json"))


def test_a_change_after_execution_stops_before_publishing(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "value.txt").write_text("old", encoding="utf-8")
    nbs = tmp_path / "nbs"
    _notebook(nbs, "01_x.ipynb", "print(1)")
    from gaoxin.report import pool

    real = pool.run_tasks

    def run_then_edit(*args, **kw):
        results = real(*args, **kw)
        (data / "value.txt").write_text("new", encoding="utf-8")  # after every worker checked
        return results

    monkeypatch.setattr(pool, "run_tasks", run_then_edit)
    with pytest.raises(build.BuildError, match=r"value\.txt changed while the build was running"):
        build.build(
            notebooks_dir=nbs,
            exports_dir=tmp_path / "exports",
            cache_dir=tmp_path / "cache",
            data_dir=data,
            jobs=1,
            out=io.StringIO(),
        )
    assert not (tmp_path / "exports").exists()


def test_extract_refuses_to_write_while_the_lock_is_held(tmp_path):
    """The lock is taken before data/processed is written."""
    copy = _copy_project(tmp_path)
    facts = copy / "data/processed/facts.csv"
    facts.write_bytes(facts.read_bytes() + b"\n")  # stale: extract would rewrite it
    before = facts.read_bytes()
    with build_lock(copy / ".cache"):
        done = _gaoxin("extract", cwd=copy)
    assert done.returncode == 1 and "another build is running" in done.stderr, done.stderr
    assert facts.read_bytes() == before
    assert _gaoxin("extract", cwd=copy).returncode == 0
    assert facts.read_bytes() != before


# ---------------------------------------------------------------- item 3: article profiles


def test_all_chinese_names_get_two_profiles(tmp_path):
    text = (config.ARTICLE_PATH).read_bytes()
    a, b = tmp_path / "文章.txt", tmp_path / "报告.txt"
    a.write_bytes(text)
    b.write_bytes(text)
    assert article_slug(a) != article_slug(b)
    assert article_slug(a).startswith("article-") and len(article_slug(a)) == len("article-") + 8
    english = tmp_path / "Zone Report 2019.txt"
    english.write_bytes(text)
    assert article_slug(english).startswith("zone-report-2019-")
    same_name = tmp_path / "other" / "文章.txt"
    same_name.parent.mkdir()
    same_name.write_bytes(text + "另一段。".encode())
    assert article_slug(same_name) != article_slug(a), "the content decides too"
    html = tmp_path / "html.txt"
    html.write_bytes(text)
    assert article_slug(html).split("-")[0] == "html" and article_slug(html) not in publish.MANAGED


def test_profile_build_takes_the_lock(tmp_path):
    cache = tmp_path / "cache"
    with build_lock(cache):
        done = _gaoxin(
            "build",
            "--article",
            config.ARTICLE_PATH,
            "--exports",
            tmp_path / "e",
            "--cache",
            cache,
            cwd=config.PROJECT_ROOT,
        )
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "another build is running" in line
    assert not (tmp_path / "e").exists()


def test_a_killed_profiles_staging_is_never_published(tmp_path):
    exports = tmp_path / "exports"
    (exports / "html").mkdir(parents=True)
    (exports / "html" / "a.html").write_text("old")
    for leftover in (".article-1a2b3c4d-staging-9-dead", ".x-ready-8-dead", ".y-old-7-dead"):
        (exports / leftover / "html").mkdir(parents=True)
        (exports / leftover / "html" / "half.html").write_text("partial")
    (exports / "zone-1a2b3c4d" / "html").mkdir(parents=True)  # a finished profile stays
    (exports / "zone-1a2b3c4d" / "html" / "article_profile.html").write_text("profile")
    new = tmp_path / "a.html"
    new.write_text("new")
    publish.publish({"html/a.html": (new, None)}, exports, remove_stale=True)
    files = sorted(p.relative_to(exports).as_posix() for p in exports.rglob("*") if p.is_file())
    assert files == ["html/a.html", "zone-1a2b3c4d/html/article_profile.html"]


# ---------------------------------------------------------------- item 7: integrity


def _fake_project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "proj"
    for tree in ("data", "notebooks", "gaoxin"):
        (root / tree).mkdir(parents=True)
        (root / tree / "a.txt").write_text("x", encoding="utf-8")
    exports = root / "exports"
    (exports / "html").mkdir(parents=True)
    (exports / "html" / "01.html").write_text("page one", encoding="utf-8")
    return root, exports


def test_an_export_altered_in_place_with_size_and_time_kept_is_not_up_to_date(tmp_path):
    root, exports = _fake_project(tmp_path)
    stamp = tmp_path / "stamp.json"
    uptodate.record(stamp, uptodate.input_fingerprint(root), exports)
    assert uptodate.up_to_date(stamp, exports, root)
    page = exports / "html" / "01.html"
    st = page.stat()
    page.write_text("page 0ne", encoding="utf-8")  # same size
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))  # same time
    assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns
    assert not uptodate.up_to_date(stamp, exports, root)
    page.write_text("page one", encoding="utf-8")
    assert uptodate.up_to_date(stamp, exports, root)
    (exports / "html" / "02.html").write_text("extra", encoding="utf-8")
    assert not uptodate.up_to_date(stamp, exports, root), "an extra export is a change too"


def test_extract_out_refuses_a_folder_it_did_not_fill(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert cli.main(["extract", "--article", str(config.ARTICLE_PATH), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"python -m gaoxin extract: {out}: holds files this command did not write (notes.txt); "
        "give an empty or new folder for --out, or add --force to write into it anyway"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    args = ["extract", "--article", str(config.ARTICLE_PATH), "--out", str(out)]
    assert cli.main([*args, "--force"]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    fresh = tmp_path / "fresh"
    assert cli.main(["extract", "--article", str(config.ARTICLE_PATH), "--out", str(fresh)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", "--article", str(config.ARTICLE_PATH), "--out", str(fresh)]) == 0
    assert capsys.readouterr().err == "", "a folder extract filled itself may be refreshed"


@pytest.mark.parametrize("command", ["extract", "report"])
def test_broken_source_metadata_names_the_file(tmp_path, command):
    copy = _copy_project(tmp_path)
    source = copy / "data/raw/source.json"
    source.write_text('{"title": ', encoding="utf-8")
    done = _gaoxin(command, cwd=copy)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert f"{source}: cannot read the article's metadata" in line, line


def test_empty_notebook_names_the_file(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    (nbs / "01_empty.ipynb").write_bytes(b"")
    with pytest.raises(build.BuildError, match=r"01_empty\.ipynb: empty file, not a notebook"):
        build.build(notebooks_dir=nbs, exports_dir=tmp_path / "e", cache_dir=tmp_path / "c", jobs=1)


def test_make_clean_removes_everything_the_build_makes(tmp_path):
    shutil.copy(config.PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    exports = tmp_path / "exports"
    (exports / "html").mkdir(parents=True)
    (exports / "README.md").write_text("kept")
    (exports / "teacher" / "key").mkdir(parents=True)
    for made in ("teacher.html", "teacher.pdf", "index.html", "article.html", "facts.html"):
        (exports / made).write_text("x")
    for leftover in (".article-1a2b-staging-1-x", ".gaoxin-staging-2-y", ".html-old-3-z"):
        (exports / leftover).mkdir()
    profile = exports / "zone-1a2b3c4d" / "html"
    profile.mkdir(parents=True)
    (profile / "article_profile.html").write_text("x")
    (exports / "mine").mkdir()  # not the build's: kept
    (tmp_path / ".cache").mkdir()
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert sorted(p.name for p in exports.iterdir()) == ["README.md", "mine"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "exports"]
