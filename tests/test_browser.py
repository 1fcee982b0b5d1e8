"""Exports in headless Chromium: links, images, console, offline, CJK font actually used."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urljoin, urlparse

import pytest

from tests.fixtures import buildsite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@pytest.fixture(scope="session", params=["fixtures", "project"])
def site(request, tmp_path_factory):
    """Both the fixture notebooks (escaping cases) and the project's real reports."""
    if request.param == "project":
        return buildsite.real_site(tmp_path_factory)
    return buildsite.shared_site(tmp_path_factory)


def _reports(site) -> list[str]:
    return sorted(p.stem for p in (site.exports / "html").glob("*.html"))


@pytest.fixture(scope="session")
def server(site):
    """The exports served on localhost (file:// is also tested below)."""
    handler = functools.partial(_QuietHandler, directory=str(site.exports))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _is_local(url: str) -> bool:
    if url.startswith(LOCAL_SCHEMES):
        return True
    host = urlparse(url).hostname or ""
    return host in ("127.0.0.1", "localhost")


def _open(browser, url: str):
    """Load a page and record its requests and console errors."""
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requests, errors


def _pages(site) -> list[str]:
    return sorted(p.relative_to(site.exports).as_posix() for p in site.exports.rglob("*.html"))


def test_every_page_loads_offline_with_images_and_links(site, server, browser):
    pages = _pages(site)
    assert "index.html" in pages and len(pages) >= 5
    for rel in pages:
        page, requests, errors = _open(browser, urljoin(server, rel))
        try:
            outside = [u for u in requests if not _is_local(u)]
            assert not outside, f"{rel}: requests leaving the machine: {outside}"
            assert not errors, f"{rel}: console errors: {errors}"
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                ".map(i => i.alt || i.src.slice(0, 40))"
            )
            assert not broken, f"{rel}: images that did not load: {broken}"
            links = page.evaluate(
                "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
            )
            for link in links:
                target = link.split("#", 1)[0]
                if not target or target == page.url.split("#", 1)[0]:
                    continue
                assert _is_local(target), f"{rel}: external link {link}"
                response = page.request.get(target)
                assert response.ok, f"{rel}: broken link {link} ({response.status})"
        finally:
            page.close()


def test_pages_work_from_disk(site, browser):
    for rel in ("index.html", f"html/{_reports(site)[0]}.html"):
        page, requests, errors = _open(browser, (site.exports / rel).as_uri())
        try:
            assert all(_is_local(u) for u in requests), requests
            assert not errors, errors
            loaded = page.evaluate(
                "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
            )
            assert loaded
        finally:
            page.close()


def _platform_fonts(page, selector: str) -> list[str]:
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    # The document node alone (depth 0): querySelector searches below it all the same.
    root = session.send("DOM.getDocument", {"depth": 0})
    node = session.send(
        "DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": selector}
    )
    assert node["nodeId"], f"no node for {selector}"
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    session.detach()
    return [f["familyName"] for f in fonts]


def test_chinese_is_drawn_with_a_cjk_font(site, server, browser):
    targets = [("index.html", "h1")]
    for stem in _reports(site):
        targets += [(f"html/{stem}.html", "h1"), (f"walkthrough/{stem}.html", "h1")]
    for rel, selector in targets:
        page, _, _ = _open(browser, urljoin(server, rel))
        try:
            text = page.inner_text(selector)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{rel}: {text}"
            families = _platform_fonts(page, selector)
            assert any("CJK" in f or "Noto" in f for f in families), f"{rel}: {families}"
        finally:
            page.close()
