"""Report build: formats, self-containment, alt text, determinism, caching, failures, escaping."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from gaoxin import cli, config
from gaoxin.report import build, fonts, sanitize
from gaoxin.report import site as sitefiles
from tests.fixtures import buildsite
from tests.test_notebooks import EXPECTED as EXPECTED_NOTEBOOKS

pytestmark = pytest.mark.slow

STEMS = ["01_overview", "02_escaping"]
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return buildsite.shared_site(tmp_path_factory)


class Tags(HTMLParser):
    """Collects start tags with attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(exports: Path) -> list[Path]:
    return sorted(exports.rglob("*.html"))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- real notebooks


@pytest.fixture(scope="session")
def real(tmp_path_factory):
    """The project's own notebooks built with the project's data."""
    if not build.discover(config.NOTEBOOKS_DIR):
        pytest.fail(f"no NN_topic.ipynb in {config.NOTEBOOKS_DIR}")
    return buildsite.real_site(tmp_path_factory)


def test_real_notebooks_export_every_format(real):
    stems = [nb.stem for nb in build.discover(config.NOTEBOOKS_DIR)]
    assert stems == EXPECTED_NOTEBOOKS
    for stem in stems:
        for rel in (
            f"html/{stem}.html",
            f"walkthrough/{stem}.html",
            f"pdf/{stem}.pdf",
        ):
            assert (real.exports / rel).is_file(), rel
        assert not (real.exports / f"student/{stem}.ipynb").exists()
        figures = list((real.exports / "figures" / stem).glob("*.png"))
        assert len(figures) >= (2 if stem.startswith("00") else 4), stem
        for png in figures:
            for ext in (".svg", ".csv"):
                assert png.with_suffix(ext).is_file(), png.with_suffix(ext)
    assert (real.exports / "index.html").is_file()
    assert list((real.exports / "data").glob("*.xlsx"))


def test_real_pdfs_embed_a_cjk_font_and_extract_chinese(real):
    buildsite.need_tool(shutil.which("pdffonts"), "pdffonts (poppler-utils)")
    pdfs = sorted((real.exports / "pdf").glob("*.pdf"))
    assert len(pdfs) == len(EXPECTED_NOTEBOOKS)
    for pdf in pdfs:
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
        cjk = [line for line in fonts.stdout.splitlines() if "CJK" in line]
        assert cjk and all(" yes " in line for line in cjk), f"{pdf.name}: {fonts.stdout}"
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "衡阳高新区" in text or "高新区" in text, pdf.name
        assert "\ufffd" not in text, f"{pdf.name}: replacement characters in the text"


def test_real_html_is_self_contained_with_alt_text(real):
    pages = html_pages(real.exports)
    assert len(pages) >= 13  # index + 6 reader + 6 walkthrough
    images = 0
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert tag not in ("script", "iframe", "object", "embed"), f"{page}: <{tag}>"
            for name in ("src", "href", "data", "action", "poster"):
                value = attrs.get(name) or ""
                assert not EXTERNAL.match(value), f"{page}: {tag} {name}={value}"
            if tag == "img":
                images += 1
                alt = (attrs.get("alt") or "").strip()
                assert alt and "No description" not in alt, f"{page}: image without alt text"
        for css in parsed.styles:
            for url in CSS_URL.findall(css):
                assert url.startswith("data:"), f"{page}: url({url[:40]})"
    assert images >= 2 * 22


# --------------------------------------------------------------------------- formats


def test_every_format_is_exported(site):
    exports = site.exports
    for stem in STEMS:
        for rel in (
            f"html/{stem}.html",
            f"walkthrough/{stem}.html",
            f"pdf/{stem}.pdf",
        ):
            assert (exports / rel).is_file(), rel
    for ext in ("png", "svg", "csv"):
        assert (exports / f"figures/01_overview/fig1_domains.{ext}").is_file()
    csv_text = (exports / "figures/01_overview/fig1_domains.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == "domain,facts"
    assert (exports / "figures/01_overview/fig1_domains.png").read_bytes()[:4] == b"\x89PNG"
    assert (exports / "data/facts.csv").read_bytes() == (
        site.data / "processed/facts.csv"
    ).read_bytes()
    assert (exports / "index.html").is_file()


def test_reader_hides_code_walkthrough_shows_it(site):
    reader = (site.exports / "html/01_overview.html").read_text(encoding="utf-8")
    walk = (site.exports / "walkthrough/01_overview.html").read_text(encoding="utf-8")
    assert "charts.set_style" not in reader
    assert "set_style" in walk
    assert "solution: total" not in reader, "solution cells are left out of the reader report"
    assert "solution: total" in walk


def test_workbook_has_a_sheet_per_table(site):
    import openpyxl

    workbook = openpyxl.load_workbook(site.exports / "data" / sitefiles.WORKBOOK_NAME)
    assert workbook.sheetnames == ["about", "facts", "entities"], "Data Package order"
    assert workbook["facts"]["A1"].value == "fact_id"


def test_index_lists_reports_with_summary_and_headline(site):
    page = (site.exports / "index.html").read_text(encoding="utf-8")
    assert "This fixture report checks the build" in page
    learn = (site.exports / sitefiles.LEARN_PAGE).read_text(encoding="utf-8")
    for stem in STEMS:
        for rel in (f"html/{stem}.html", f"pdf/{stem}.pdf"):
            assert f'href="{rel}"' in page
        # The walkthrough is for analysts and students: on the learning page, not the front page.
        assert f'href="walkthrough/{stem}.html"' in learn and "walkthrough/" not in page
    # The article's 2018 results paragraph opens with 地区生产总值同比增长8.6%.
    assert "Headline numbers" in page and "<strong>8.6%</strong>" in page
    headline = json.loads((site.exports / "data" / sitefiles.HEADLINE_NAME).read_text())
    assert headline["items"][0]["value"] == "8.6%"
    # The build's stamps are for analysts: on the data page, not on the readers' front page.
    assert "Source hash" not in page and "weasyprint 70" not in page
    data_page = (site.exports / "data" / "index.html").read_text(encoding="utf-8")
    assert "Source hash" in data_page and "weasyprint 70" in data_page


def test_headline_needs_no_facts_but_rejects_bad_ones(tmp_path):
    """No facts table: no headline. A malformed one stops the build with the file named."""
    assert sitefiles.load_headline(tmp_path) == {}
    (tmp_path / "processed").mkdir()
    odd = tmp_path / "processed" / "facts.csv"
    odd.write_text("something\nx\n", encoding="utf-8")
    bad = r"facts\.csv: .*(header does not match|datapackage\.json)"
    with pytest.raises(build.BuildError, match=bad):
        sitefiles.load_headline(tmp_path)


# --------------------------------------------------------------------------- PDF


def test_pdf_embeds_cjk_font_and_text_extracts(site):
    buildsite.need_tool(shutil.which("pdffonts"), "pdffonts (poppler-utils)")
    pdf = site.exports / "pdf/01_overview.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "CJK" in line]
    assert cjk, fonts.stdout
    assert all(" yes " in line for line in cjk), "the CJK font is embedded"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "总览" in text.stdout and "衡阳高新区" in text.stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "A4" in info.stdout
    assert "CreationDate" not in info.stdout and "ModDate" not in info.stdout


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained(site):
    pages = html_pages(site.exports)
    assert len(pages) >= 5
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert tag not in ("script", "iframe", "object", "embed"), f"{page}: <{tag}>"
            if tag == "link":
                assert (attrs.get("href") or "").startswith("data:"), f"{page}: {attrs}"
            for name in ("src", "href", "data", "action", "poster"):
                value = attrs.get(name) or ""
                assert not EXTERNAL.match(value), f"{page}: {tag} {name}={value}"
            for url in CSS_URL.findall(attrs.get("style") or ""):
                assert url.startswith("data:"), f"{page}: style url({url})"
        for css in parsed.styles:
            for url in CSS_URL.findall(css):
                assert url.startswith("data:"), f"{page}: url({url[:40]})"


def test_every_image_has_real_alt_text(site):
    count = 0
    for page in html_pages(site.exports):
        for tag, attrs in parse(page).tags:
            if tag == "img":
                count += 1
                alt = (attrs.get("alt") or "").strip()
                assert alt and "No description" not in alt, f"{page}: {attrs}"
    assert count >= 2  # the fixture chart in the reader and walkthrough pages
    reader = (site.exports / "html/01_overview.html").read_text(encoding="utf-8")
    assert 'alt="Bar chart: industry 12 facts, innovation 7, infrastructure 5."' in reader


def test_page_font_is_an_exact_subset(site):
    from fontTools.ttLib import TTFont

    page = (site.exports / "html/01_overview.html").read_text(encoding="utf-8")
    match = re.search(r'url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\)', page)
    assert match, "the page embeds its own WOFF font"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
    covered = {chr(cp) for cp in font.getBestCmap()}
    wanted = set(fonts.page_characters(page.replace(match.group(1), "")))
    assert "衡" in covered and "总" in covered
    # Beyond the page's own characters, only the spaces that CJK runs are shaped with.
    assert covered <= wanted | {" ", "\xa0"}, "no character beyond those of the page"
    assert len(covered) >= len(wanted) - 5  # (the font may lack a symbol or two)
    names = {rec.nameID: rec.toUnicode() for rec in font["name"].names}
    assert "Open Font License" in names.get(13, "")


# --------------------------------------------------------------------------- escaping


def test_untrusted_text_cannot_execute(site):
    for folder in ("html", "walkthrough"):
        page = site.exports / folder / "02_escaping.html"
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert tag not in ("script", "iframe", "object", "embed"), f"{page}: <{tag}>"
            for name, value in attrs.items():
                assert not name.lower().startswith("on"), f"{page}: {tag} {name}={value}"
                assert "javascript:" not in (value or "").lower(), f"{page}: {name}={value}"
        text = page.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text, "quoted article text is shown"
    reader = (site.exports / "html/02_escaping.html").read_text(encoding="utf-8")
    assert "alert(1)" not in reader and "alert(5)" not in reader and "alert(6)" not in reader
    assert "<b>bold</b>" in reader


def test_sanitizer_keeps_structure():
    cleaned = sanitize.sanitize_html(
        '<h2 id="x">T</h2><table><thead><tr style="text-align: right;"><th>a</th></tr></thead>'
        '<tbody><tr><td>1</td></tr></tbody></table><img src="x" onerror="alert(1)">'
        '<a href="https://example.com">ext</a><a href="#x">in</a><style>p{}</style>'
    )
    assert '<h2 id="x">' in cleaned and "<th>a</th>" in cleaned and "<td>1</td>" in cleaned
    assert 'style="text-align: right;"' in cleaned
    assert "<img" not in cleaned and "onerror" not in cleaned and "example.com" not in cleaned
    assert '<a href="#x">in</a>' in cleaned and "<style" not in cleaned


# --------------------------------------------------------------------------- student notebooks


def test_no_exercise_free_copy_of_a_notebook_is_built(site):
    """The course kit (student/gaoxin-course.zip) replaced the per-notebook student copies."""
    assert not list(site.exports.glob("student/*.ipynb"))


# --------------------------------------------------------------------------- determinism, cache


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    other = buildsite.build_site(tmp_path, "again")
    assert other.result.ok, other.log
    if other.env_hash != site.env_hash:
        pytest.skip("the gaoxin package changed between the two builds (someone is editing it)")
    first, second = tree_bytes(site.exports), tree_bytes(other.exports)
    assert sorted(first) == sorted(second)
    differing = [rel for rel in first if first[rel] != second[rel]]
    assert not differing, f"non-deterministic exports: {differing}"


def test_noop_rebuild_executes_nothing(site):
    before = tree_bytes(site.exports)
    log = io.StringIO()
    result = build.build(
        notebooks_dir=site.notebooks,
        exports_dir=site.exports,
        cache_dir=site.cache,
        data_dir=site.data,
        out=log,
    )
    assert result.ok
    assert result.executed == [], log.getvalue()
    assert sorted(result.cached) == STEMS
    assert result.published == 0
    assert tree_bytes(site.exports) == before


def test_editing_one_notebook_reexecutes_only_it(site, tmp_path):
    work = tmp_path / "edit"
    shutil.copytree(site.notebooks, work / "notebooks")
    shutil.copytree(site.cache, work / "cache")
    shutil.copytree(site.exports, work / "exports")
    target = work / "notebooks/02_escaping.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("An added closing note.", id="cell-99"))
    nbformat.write(nb, str(target))
    log = io.StringIO()
    result = build.build(
        notebooks_dir=work / "notebooks",
        exports_dir=work / "exports",
        cache_dir=work / "cache",
        data_dir=site.data,
        only="02",
        out=log,
    )
    assert result.ok, log.getvalue()
    assert result.executed == ["02_escaping"] and result.cached == []
    assert "An added closing note." in (work / "exports/html/02_escaping.html").read_text()
    # Then a full build reuses both cache entries and only refreshes the index.
    result = build.build(
        notebooks_dir=work / "notebooks",
        exports_dir=work / "exports",
        cache_dir=work / "cache",
        data_dir=site.data,
        out=log,
    )
    assert result.executed == [] and sorted(result.cached) == STEMS


# --------------------------------------------------------------------------- failure


def test_failing_cell_keeps_previous_exports(site, tmp_path, capsys):
    work = tmp_path / "fail"
    shutil.copytree(site.notebooks, work / "notebooks")
    shutil.copytree(site.cache, work / "cache")
    shutil.copytree(site.exports, work / "exports")
    shutil.copy(buildsite.FAILING / "03_broken.ipynb", work / "notebooks")
    before = tree_bytes(work / "exports")
    code = cli.main(
        [
            "build",
            "--notebooks",
            str(work / "notebooks"),
            "--exports",
            str(work / "exports"),
            "--cache",
            str(work / "cache"),
            "--data",
            str(site.data),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "03_broken.ipynb" in out and "cell 2" in out and "ZeroDivisionError" in out, out
    kept = work / "cache/failed/03_broken.ipynb"
    assert kept.is_file() and str(kept) in out
    failed_nb = nbformat.read(kept, as_version=4)
    assert failed_nb.cells[2].outputs[0]["ename"] == "ZeroDivisionError"
    assert tree_bytes(work / "exports") == before, "previous exports are untouched"
    leftovers = [p.name for p in work.iterdir() if p.name.startswith(".exports-staging")]
    assert not leftovers


def test_font_subset_carries_the_space_glyph():
    """Spaces beside Chinese are shaped with the CJK font; a subset without them draws boxes."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(io.BytesIO(fonts.font_subset(frozenset("中文")))).getBestCmap()
    assert {0x20, ord("中"), ord("文")} <= set(cmap)


def test_a_subset_cut_from_the_base_is_the_subset_cut_from_the_whole_font(monkeypatch):
    """The build cuts each page's subset from a base subset of its inputs' characters: the
    bytes must be those a cut from the whole font gives, or pages would change with the base."""
    monkeypatch.setattr(fonts, "_DISK_CACHE", None)
    sources: list[int] = []
    real_subset = fonts._subset

    def spy(font_bytes: bytes, codepoints: object, flavor: str | None) -> bytes:
        sources.append(len(font_bytes))
        return real_subset(font_bytes, codepoints, flavor)

    monkeypatch.setattr(fonts, "_subset", spy)
    page = fonts.page_characters("衡阳高新区2019年工作会议：“千亿园区”¶")
    monkeypatch.setattr(fonts, "_BASE", frozenset())
    whole = fonts.font_subset.__wrapped__(page)
    base = fonts.input_characters(
        ["衡阳高新区，2019年产业、创新。".encode(), "工作会议：“千亿园区”".encode()]
    )
    assert "¶" in base and not set(base) & set("0123456789 ")  # the renderer's own; no ASCII
    monkeypatch.setattr(fonts, "_BASE", frozenset(base))
    fonts._base_font.cache_clear()
    cut = fonts.font_subset.__wrapped__(page)
    whole_size, base_size, page_from_base = sources[0], sources[1], sources[2]
    assert base_size == whole_size and page_from_base < whole_size / 50  # cut from the base
    assert cut == whole
    assert fonts.font_subset.__wrapped__(frozenset("鬱")) == real_subset(
        fonts._cjk_font_bytes(), {ord("鬱"), 0x20, 0xA0}, fonts.FLAVOR
    ), "a character outside the base: cut from the whole font"
    fonts._base_font.cache_clear()


def _make_base(folder: str, base: str, start, spent) -> None:
    """In a process of its own: make the base subset once `start` lets every process go."""
    fonts.use_disk_cache(Path(folder), base)
    start.wait()
    fonts._base_font(frozenset(base))
    spent.put(fonts.SUBSET_SECONDS[0])


def test_one_process_makes_the_base_subset_while_the_others_wait_and_read_it(tmp_path):
    """A build's workers start together: the base subset (1.8 s) must be made once, not once
    per worker."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    base = fonts.input_characters(["衡阳高新区，2019年产业、创新。".encode()])
    start, spent = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_make_base, args=(str(tmp_path), base, start, spent))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    seconds = sorted(spent.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(30)
    assert seconds[0] < 0.2 < seconds[1], f"subset seconds per process: {seconds}"


def test_real_index_shows_the_articles_headline_figures(real):
    """The landing page pairs the 2019 targets with the 2018 results, quoted as written."""
    page = (real.exports / "index.html").read_text(encoding="utf-8")
    # 2018: 地区生产总值同比增长8.6%, 财政收入同比增长15.42% …; 2019: 地区生产总值增长12%以上 …
    cards = re.findall(r'<li class="gx-card .*?</li>', page)
    gdp = [c for c in cards if "GDP growth target" in c]
    assert len(gdp) == 1
    assert '">12%以上</a>' in gdp[0] and '">8.6%</a>' in gdp[0]
    for quote in ("15.42%", "5000家以上"):
        assert re.search(rf'class="gx-card-quote" href="article\.html#F\d+">{quote}</a>', page)


def _copy_site(site, work: Path) -> None:
    shutil.copytree(site.notebooks, work / "notebooks")
    shutil.copytree(site.cache, work / "cache")
    shutil.copytree(site.exports, work / "exports")


def _rebuild(site, work: Path, **kwargs) -> tuple[build.BuildResult, str]:
    log = io.StringIO()
    result = build.build(
        notebooks_dir=work / "notebooks",
        exports_dir=work / "exports",
        cache_dir=work / "cache",
        data_dir=site.data,
        out=log,
        **kwargs,
    )
    return result, log.getvalue()


def test_report_code_change_reexports_without_executing(site, tmp_path, monkeypatch):
    """A change to the report build alone (templates, CSS, renderer) changes the export key but
    not the execution key: every notebook is re-exported from its cached execution."""
    work = tmp_path / "restyle"
    _copy_site(site, work)
    real_hash = build.environment_hash
    monkeypatch.setattr(build, "environment_hash", lambda d: "restyled" + real_hash(d))
    result, log = _rebuild(site, work)
    assert result.ok, log
    assert result.executed == [] and result.exported == STEMS and result.cached == [], log


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_damaged_cache_entry_is_rebuilt_not_published(site, tmp_path, damage):
    buildsite.need_tool(shutil.which("pdfinfo"), "pdfinfo (poppler-utils)")
    work = tmp_path / damage
    _copy_site(site, work)
    (cached,) = (work / "cache/build/nb/01_overview").glob("*/files/pdf/01_overview.pdf")
    if damage == "truncate":
        cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 2])
    else:
        cached.unlink()
    result, log = _rebuild(site, work)
    assert result.ok, log
    assert "01_overview" not in result.cached and "02_escaping" in result.cached
    published = work / "exports/pdf/01_overview.pdf"
    assert published.read_bytes() == (site.exports / "pdf/01_overview.pdf").read_bytes()
    subprocess.run(["pdfinfo", str(published)], capture_output=True, check=True)
    assert cached.read_bytes() == published.read_bytes(), "the cache entry was rebuilt"


def test_removed_notebook_reports_are_removed_with_a_notice(site, tmp_path):
    work = tmp_path / "removed"
    _copy_site(site, work)
    (work / "notebooks/02_escaping.ipynb").unlink()
    shutil.copy(site.notebooks / "01_overview.ipynb", work / "notebooks/Overview copy.ipynb")
    result, log = _rebuild(site, work)
    assert result.ok, log
    assert "removed the reports of 02_escaping: its notebook is no longer in" in log
    assert "Overview copy.ipynb is not built: its name does not fit NN_topic.ipynb" in log
    assert not list((work / "exports").rglob("02_escaping*"))
    assert (work / "exports/html/01_overview.html").is_file()
    assert "02_escaping" not in (work / "exports/index.html").read_text(encoding="utf-8")
