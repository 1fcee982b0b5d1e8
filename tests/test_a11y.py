"""axe-core on every HTML page of the exports (fixture build and the project's real build).

On CI (CI=true) a missing Chromium, Playwright or axe fails the test instead of skipping it.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import pagecheck
from tests.fixtures import buildsite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Violations that come from notebook content, not from the site's templates, each with the
# work that removes it. Only report pages (html/, walkthrough/) may have them; remove an entry
# as soon as that work lands (test_known_exceptions_are_still_needed says when).
FROM_NOTEBOOKS = {
    # pandas' index corner <th></th>: the table presenter (issue 8, item 2) drops the index.
    "empty-table-header": ("html/", "walkthrough/"),
}


class _Checked:
    """Code token classes whose contrast a browser has checked, shared by both browsers."""

    def __init__(self) -> None:
        self.classes: set[str] = set()
        self.lock = threading.Lock()

    def covers(self, tokens: set[str]) -> bool:
        with self.lock:
            return tokens <= self.classes

    def add(self, tokens: set[str]) -> None:
        with self.lock:
            self.classes |= tokens


def _axe_pages(exports, pages, browser, checked: _Checked) -> dict[str, list[dict]]:
    """Violations per page, keyed by the page's path inside exports/.

    Code token colours come from one stylesheet, so a token class is contrast-checked on the
    first page that has it; a page whose every token class was checked before (by either
    browser) gets every rule but has its code left out of the contrast rule (a walkthrough
    takes 4.5 s instead of 9)."""
    out = {}
    for path in pages:
        tab = browser.new_page()
        try:
            tab.goto(path.as_uri(), wait_until="load")
            tokens = pagecheck.code_token_classes(tab)
            out[path.relative_to(exports).as_posix()] = pagecheck.axe_violations(
                tab, code_contrast=not checked.covers(tokens)
            )
            checked.add(tokens)  # only once checked: the other browser may be asking now
        finally:
            tab.close()
    return out


def _axe_in_a_second_browser(exports, pages, checked: _Checked) -> dict[str, list[dict]]:
    """_axe_pages in a Chromium of this thread's own (Playwright: one instance per thread)."""
    chromium = pagecheck.chromium()
    try:
        return _axe_pages(exports, pages, next(chromium), checked)
    finally:
        chromium.close()


def _axe_every_page(exports, browser) -> dict[str, list[dict]]:
    """Every page, shared between the session's browser and a second one in a thread: axe is
    bound by the page's renderer, and two renderers use both cores (the project's pages:
    87 s -> 61-66 s here). The first browser starts with a page of code, which checks the
    code's contrast; the second leaves its pages of code to the end, by which time that check
    is done."""
    pages = sorted(exports.rglob("*.html"))
    with_code = [p for p in pages if p.parent.name == "walkthrough"]
    first = [*with_code[:1], *[p for p in pages[::2] if p not in with_code[:1]]]
    second = [p for p in pages if p not in first]
    second.sort(key=lambda p: p in with_code)  # stable: pages of code last
    checked = _Checked()
    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(_axe_in_a_second_browser, exports, second, checked)
        out = _axe_pages(exports, first, browser, checked)
        out.update(other.result())
    return dict(sorted(out.items()))


@pytest.fixture(scope="module")
def fixture_results(tmp_path_factory, browser):
    """The fixture notebooks (escaping cases, a chart, a table)."""
    return _axe_every_page(buildsite.shared_site(tmp_path_factory).exports, browser)


@pytest.fixture(scope="module")
def project_results(tmp_path_factory, browser):
    """The project's own reports, index, article and facts pages."""
    return _axe_every_page(buildsite.real_site(tmp_path_factory).exports, browser)


@pytest.fixture(params=["fixture_results", "project_results"])
def results(request):
    return request.getfixturevalue(request.param)


def _excused(page: str, rule: str) -> bool:
    return page.startswith(FROM_NOTEBOOKS.get(rule, ()))


def test_every_page_is_checked(results):
    assert "index.html" in results
    assert any(p.startswith("html/") for p in results)
    assert any(p.startswith("walkthrough/") for p in results)


def test_no_axe_violations(results):
    problems = {
        page: [v for v in violations if not _excused(page, v["id"])]
        for page, violations in results.items()
    }
    problems = {page: vs for page, vs in problems.items() if vs}
    assert not problems, "\n".join(f"{p}:\n{pagecheck.describe(vs)}" for p, vs in problems.items())


def test_the_project_site_has_its_own_pages(project_results):
    for page in ("index.html", "article.html", "facts.html", "data/index.html"):
        assert page in project_results, page


def test_known_exceptions_are_still_needed(project_results, fixture_results):
    """Fails once notebook content no longer triggers an excused rule: then drop the entry."""
    pages = [*project_results.values(), *fixture_results.values()]
    seen = {v["id"] for violations in pages for v in violations}
    stale = sorted(set(FROM_NOTEBOOKS) - seen)
    assert not stale, f"no page triggers {stale} any more: remove it from FROM_NOTEBOOKS"
