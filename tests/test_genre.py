"""Any article of the genre: `extract --article … --out …` and `build --article …` (issue 10).

One profile build of the hostile corpus article (markup, a BOM, CRLF/CR line ends, a number
broken by a line break) is shared by the module; the rest runs the command in process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gaoxin import cli, config
from gaoxin.data import DataError, clear_cache, load_table
from gaoxin.data.schema import TABLES
from gaoxin.facts.tables import extract_tables
from gaoxin.report.build import discover
from gaoxin.report.profile import STEM, TEMPLATE, article_slug
from gaoxin.report.publish import MANAGED
from gaoxin.text.structure import load_article
from tests.fixtures import buildsite
from tests.pagecheck import CHROMIUM, CHROMIUM_ARGS

CORPUS = Path(__file__).resolve().parent / "corpus"
ARTICLES = sorted(CORPUS.glob("*.txt"))
HOSTILE = CORPUS / "d_beihu_2023_hostile.txt"
# Kinds that are not quantities in the profile (dates, numbers inside names).
NON_QUANTITY_KINDS = ("date", "label")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gaoxin", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.PROJECT_ROOT,
        timeout=300,
    )


# ---------------------------------------------------------------------------------- extract


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_extract_command_writes_tables_that_load(path, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["extract", "--article", str(path), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["title"] == load_article(path).title.text
    clear_cache()
    loaded = {name: load_table(name, directory=out / "processed", article=path) for name in TABLES}
    for name, (_, fields) in TABLES.items():
        assert list(loaded[name].columns) == [f.name for f in fields]
    assert len(loaded["facts"]) == len(extract_tables(load_article(path), None)["facts"]) > 0
    raw = path.read_bytes().decode("utf-8")
    assert all(raw[s:e] == q for s, e, q in loaded["facts"][["start", "end", "quote"]].values)


def test_an_empty_table_loads_as_empty_but_a_cut_one_still_fails(tmp_path):
    """The hostile article has no entities: extraction records 0 rows, and that file loads.
    A table cut to its header, where extraction wrote rows, is still an error."""
    out = tmp_path / "out"
    assert cli.main(["extract", "--article", str(HOSTILE), "--out", str(out)]) == 0
    clear_cache()
    assert load_table("entities", directory=out / "processed", article=HOSTILE).empty
    facts = out / "processed" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"facts\.csv, row 2: file has a header but no rows"):
        load_table("facts", directory=out / "processed", article=HOSTILE)


def test_extract_with_annotations_names_a_fact(tmp_path):
    notes = tmp_path / "facts.csv"
    notes.write_text(
        'context,quote,metric_en,domain\n"新增就业岗位8,000个以上","8,000个以上",new jobs,social\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["extract", "--article", str(HOSTILE), "--out", str(out)]
    code = cli.main([*args, "--annotations", str(notes)])
    assert code == 0
    clear_cache()
    facts = load_table("facts", directory=out / "processed", article=HOSTILE)
    row = facts[facts.quote == "8,000个以上"].iloc[0]
    assert (row.metric_en, row.domain) == ("new jobs", "social")


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    gb = folder / "gb18030.txt"
    gb.write_bytes("衡阳高新区2019年工作会议".encode("gb18030"))
    binary = folder / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02PNG" * 10)
    return {
        "not UTF-8": (gb, "not UTF-8 text"),
        "binary": (binary, "control character U+0000"),
        "missing": (folder / "nowhere.txt", "file not found"),
    }


@pytest.mark.parametrize("kind", ["not UTF-8", "binary", "missing"])
def test_bad_article_ends_in_one_line_naming_the_file(kind, tmp_path, capsys):
    path, problem = _bad_inputs(tmp_path)[kind]
    out = tmp_path / "out"
    assert cli.main(["extract", "--article", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and problem in err
    assert not out.exists()


def test_bad_article_from_the_real_command_has_no_traceback(tmp_path):
    path, _ = _bad_inputs(tmp_path)["binary"]
    for command, option, folder in (("extract", "--out", "out"), ("build", "--exports", "x")):
        done = run_cli(command, "--article", path, option, tmp_path / folder)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert str(path) in done.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "out").exists()


def test_missing_annotations_file_is_one_line(tmp_path, capsys):
    args = ["extract", "--article", str(HOSTILE), "--out", str(tmp_path / "out")]
    assert cli.main([*args, "--annotations", str(tmp_path / "none.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "none.csv" in err and "not found" in err


def test_extract_refuses_to_write_over_the_projects_data(capsys):
    before = {p: p.stat().st_mtime_ns for p in config.DATA_DIR.rglob("*") if p.is_file()}
    assert cli.main(["extract", "--article", str(HOSTILE), "--out", str(config.DATA_DIR)]) == 1
    assert "project's own data folder" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in config.DATA_DIR.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--article", "x.txt"],  # no --out
        ["extract", "--out", "somewhere"],  # no --article
        ["extract", "--annotations", "a.csv"],
        ["extract", "--article", "x.txt", "--out", "o", "--bogus"],
        ["build", "--article", "x.txt", "--only", "01"],
        ["build", "--article"],
        ["build", "--article", "x.txt", "--frobnicate"],
    ],
)
def test_wrong_options_are_rejected(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_help_lists_the_article_options():
    extract = run_cli("extract", "--help")
    build = run_cli("build", "--help")
    assert extract.returncode == build.returncode == 0
    for option in ("--article PATH", "--out DIR", "--annotations CSV"):
        assert option in extract.stdout
    assert "--article PATH" in build.stdout and "exports/<slug>/" in build.stdout


@pytest.mark.parametrize(
    "name, words",
    [
        ("d_beihu_2023_hostile.txt", "d-beihu-2023-hostile"),
        ("Zone Report (final).TXT", "zone-report-final"),
        ("北湖高新区.txt", "article"),
        ("html.txt", "html"),  # with its hash, never a folder the main build manages
        ("../../etc/passwd", "passwd"),
        ("..txt", "article"),
    ],
)
def test_slug_uses_safe_characters_only(name, words):
    """Readable words of the name, then a short hash of name and content (issue 22)."""
    slug = article_slug(Path(name))
    assert re.fullmatch(rf"{re.escape(words)}-[0-9a-f]{{8}}", slug), slug
    assert slug not in MANAGED


def test_the_profile_notebook_is_clean_and_not_a_numbered_report():
    import nbformat

    nb = nbformat.read(TEMPLATE, as_version=4)
    assert not discover(TEMPLATE.parent) and not list(config.NOTEBOOKS_DIR.glob(f"*{STEM}*"))
    for cell in nb.cells:
        assert cell.cell_type != "code" or (not cell.outputs and cell.execution_count is None)
    text = TEMPLATE.read_text(encoding="utf-8")
    # No path, title or year of the project's article is written into the profile.
    assert "衡阳" not in text and "2018" not in text and "2019" not in text
    assert "load_source" not in text


# ------------------------------------------------------------------------- build --article


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """One profile build of the hostile article, into a temporary exports folder."""
    root = tmp_path_factory.mktemp("profile")
    exports, cache = root / "exports", root / "cache"
    done = run_cli(
        "build", "--article", HOSTILE, "--exports", exports, "--cache", cache, "--timeout", 240
    )
    assert done.returncode == 0, done.stderr
    return exports / article_slug(HOSTILE)


@pytest.mark.slow
def test_profile_has_every_format(profile):
    expected = [
        f"html/{STEM}.html",
        f"walkthrough/{STEM}.html",
        f"pdf/{STEM}.pdf",
        "index.html",
        "data/datapackage.json",
        "data/processed/facts.csv",
        f"data/{article_slug(HOSTILE)}.txt",
    ]
    for rel in expected:
        assert (profile / rel).is_file(), rel
    figures = sorted((profile / "figures" / STEM).iterdir())
    stems = {p.stem for p in figures}
    assert stems and all(
        {f"{s}.png", f"{s}.svg", f"{s}.csv"} <= {p.name for p in figures} for s in stems
    )
    # The article ships byte for byte, so the data's offsets hold in the export too.
    assert (profile / "data" / f"{article_slug(HOSTILE)}.txt").read_bytes() == HOSTILE.read_bytes()


@pytest.mark.slow
def test_profile_data_loads_from_the_export(profile):
    clear_cache()
    article = profile / "data" / f"{article_slug(HOSTILE)}.txt"
    facts = load_table("facts", directory=profile / "data" / "processed", article=article)
    assert "8,000个以上" in set(facts.quote)


@pytest.mark.slow
def test_profile_pages_are_sanitized_and_self_contained(profile):
    for rel in (f"html/{STEM}.html", f"walkthrough/{STEM}.html", "index.html"):
        page = (profile / rel).read_text(encoding="utf-8")
        assert "<script" not in page.lower(), rel
        assert not re.search(r"<img[^>]*onerror", page, re.IGNORECASE), rel
        assert not re.search(r"(src|href)=\"(https?:)?//", page), rel
        assert "data:font/woff;base64," in page, rel  # the CJK subset is embedded
        # The title's markup is shown as text, escaped.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, rel


@pytest.mark.slow
def test_profile_claims_are_the_data(profile):
    """The reader page's counts are those of the exported tables, counted here independently."""
    import csv

    with (profile / "data" / "processed" / "facts.csv").open(encoding="utf-8", newline="") as f:
        facts = list(csv.DictReader(f))
    quantities = [f for f in facts if f["kind"] not in NON_QUANTITY_KINDS]
    results = [q for q in quantities if q["period"] == "result" and q["year"] == "2022"]
    targets = [q for q in quantities if q["period"] == "target" and q["year"] == "2023"]
    # Hand-checked against the article: 2022年 … 678.5亿元, 11.2%, 420家; 今年 … 150亿元, 8,000个.
    assert {"6\r\n78.5亿元", "11.2%", "420家"} <= {q["quote"] for q in results}
    assert {q["quote"] for q in targets} == {"150亿元", "8,000个以上"}
    page = (profile / "html" / f"{STEM}.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert (
        f"The article gives {len(quantities)} quantities: {len(results)} results for 2022, "
        f"{len(targets)} targets for 2023"
    ) in text


@pytest.mark.slow
def test_profile_pdf_embeds_the_cjk_subset(profile):
    pdffonts = shutil.which("pdffonts")
    buildsite.need_tool(pdffonts, "poppler (pdffonts)")
    done = subprocess.run(
        [pdffonts, str(profile / "pdf" / f"{STEM}.pdf")], capture_output=True, text=True
    )
    cjk = [line for line in done.stdout.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5:-3] == ["yes", "yes"] for line in cjk)


@pytest.mark.slow
def test_profile_builds_no_student_notebook(profile):
    assert not (profile / "student").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_profile_pages_run_no_script_and_stay_offline(profile):
    buildsite.need_tool(shutil.which(CHROMIUM) and CHROMIUM, f"Chromium ({CHROMIUM})")
    from concurrent.futures import ThreadPoolExecutor

    # In a thread of its own: Playwright's sync API refuses a thread where an event loop runs
    # (an earlier test in the session may leave one running in the main thread).
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(_visit_pages, profile).result()
    for rel, (events, outside, scripts) in seen.items():
        assert not events, f"{rel}: dialogs or console messages: {events}"
        assert not outside, f"{rel}: requests leaving the page: {outside}"
        assert scripts == 0, f"{rel}: {scripts} script element(s)"


def _visit_pages(profile: Path) -> dict[str, tuple[list[str], list[str], int]]:
    """Each page in headless Chromium: its dialogs and console messages, outside requests and
    script elements."""
    from playwright.sync_api import sync_playwright

    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for rel in ("index.html", f"html/{STEM}.html", f"walkthrough/{STEM}.html"):
                page = browser.new_page()
                events: list[str] = []
                requests: list[str] = []
                page.on("dialog", lambda d, ev=events: (ev.append(d.message), d.dismiss()))
                page.on("console", lambda m, ev=events: ev.append(f"console {m.text}"))
                page.on("pageerror", lambda e, ev=events: ev.append(f"error {e}"))
                page.on("request", lambda r, rq=requests: rq.append(r.url))
                page.goto((profile / rel).as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                page.wait_for_timeout(300)
                outside = [u for u in requests if not u.startswith(("file:", "data:"))]
                seen[rel] = (events, outside, page.evaluate("document.scripts.length"))
                page.close()
        finally:
            browser.close()
    return seen


# ------------------------------------------------------------------ the profile's helpers


def _fact(fact_id, period, year, subject, unit, value, quote):
    return {
        "fact_id": fact_id,
        "period": period,
        "year": year,
        "subject_zh": subject,
        "unit_normalized": unit,
        "value_normalized": value,
        "qualifier": "",
        "quote": quote,
    }


def test_targets_pair_with_results_by_subject_and_unit():
    import pandas as pd

    from gaoxin.analysis.profile import target_result_pairs

    facts = pd.DataFrame(
        [
            _fact("F1", "result", 2019, "技工贸总收入", "yuan", 1.25e11, "1,250亿元"),
            _fact("F2", "result", 2019, "技工贸总收入", "percent", 9.5, "9.5%"),
            _fact("F3", "result", 2019, "高新技术企业", "count", 312, "312家"),
            _fact("F4", "result", 2018, "固定资产投资", "yuan", 8e9, "80亿元"),
            _fact("F5", "target", 2020, "技工贸总收入", "percent", 10, "10%以上"),
            _fact("F6", "target", 2020, "新增高新技术企业", "count", 50, "50家"),
            _fact("F7", "target", 2020, "固定资产投资", "yuan", 1e10, "突破100亿元"),
            _fact("F8", "target", 2020, "项目", "count", 3, "3个"),
        ]
    )
    pairs = target_result_pairs(facts, 2019, 2020)
    # 10% pairs with the 9.5% growth (same unit), not the 1,250亿元 level; 50家 with 312家 (one
    # subject inside the other); 100亿元 has only a 2018 result; 项目 is too short to pair.
    assert list(zip(pairs.target_id, pairs.result_id)) == [("F5", "F2"), ("F6", "F3")]


def test_article_text_in_a_chart_is_never_mathtext():
    from matplotlib import pyplot as plt

    from gaoxin.analysis.profile import chart_text

    fig = plt.figure()
    text = fig.suptitle(chart_text("revenue $x^$ bn $5$"))
    fig.canvas.draw()  # a broken "$x^$" would raise here if it were parsed as mathtext
    assert text.get_text().replace("\\$", "$") == "revenue $x^$ bn $5$"
    plt.close(fig)
