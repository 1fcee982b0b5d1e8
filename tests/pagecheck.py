"""Headless Chromium (the conftest `browser` fixture) and axe-core for the page tests."""

from __future__ import annotations

import shutil
from typing import Any

from tests.fixtures import buildsite

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium():
    """Launch Chromium for a fixture: skips without Chromium or Playwright, but fails on CI."""
    buildsite.need_tool(shutil.which(CHROMIUM) and CHROMIUM, f"Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        buildsite.need_tool(None, "the playwright Python package")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Syntax-highlighted code: one <span> per token, thousands on a walkthrough page, each of which
# axe's colour-contrast rule measures (four fifths of axe's time on such a page).
CODE_TOKENS = ".highlight span[class]"
CONTRAST = "color-contrast"


def axe_violations(page: Any, code_contrast: bool = True) -> list[dict[str, Any]]:
    """axe-core's violations on the loaded page (every rule axe runs by default).

    code_contrast=False leaves the code blocks out of the colour-contrast rule only (every other
    rule still sees them); for a page whose token colours another page had checked."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # pragma: no cover
        buildsite.need_tool(None, "the axe-playwright-python package")
    axe = Axe()
    # resultTypes: axe details the nodes of violations only (one node for each other result).
    only = {"resultTypes": ["violations"]}
    if code_contrast:
        return axe.run(page, options=only).response["violations"]
    others = {**only, "rules": {CONTRAST: {"enabled": False}}}
    contrast = {**only, "runOnly": {"type": "rule", "values": [CONTRAST]}}
    return [
        *axe.run(page, options=others).response["violations"],
        *axe.run(page, context={"exclude": [[".highlight"]]}, options=contrast).response[
            "violations"
        ],
    ]


def code_token_classes(page: Any) -> set[str]:
    """The classes of the code tokens on the loaded page (each class is one token colour)."""
    return set(
        page.evaluate(f"[...document.querySelectorAll({CODE_TOKENS!r})].map(e => e.className)")
    )


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule: id, impact, node count and the first node's selector."""
    lines = []
    for v in violations:
        nodes = v["nodes"]
        first = nodes[0]["target"] if nodes else ""
        lines.append(f"{v['id']} ({v['impact']}, {len(nodes)} nodes, e.g. {first}): {v['help']}")
    return "\n".join(lines)
