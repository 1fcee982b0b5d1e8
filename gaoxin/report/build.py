"""Build every report from the notebooks: execute each once, export every format, cache by hash.

``python -m gaoxin build [--only NN] [--jobs N]`` writes into ``exports/`` (see exports/README.md):
reader HTML, walkthrough HTML, PDF, student notebooks, figures, data and index.html. Each notebook
is executed once per change (content hash of the notebook, the data, the gaoxin package and the
key tool versions); all formats come from that one execution. Output is self-contained (fonts
and images inline, no scripts, no external URLs), deterministic, and published file by file with
``os.replace`` only when every notebook succeeded.

Heavy libraries (nbclient, nbconvert, WeasyPrint, fontTools) are imported lazily so that a no-op
rebuild stays well under a second.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from gaoxin import config
from gaoxin.config import FIGURE_MIMETYPE
from gaoxin.source import load_source

# Bump when the layout or content of the exports changes in a way the hashes cannot see.
BUILD_FORMAT = "gaoxin-build-3"
SOURCE_DATE_EPOCH = "0"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2019-01-01T00:00:00Z"

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "gaoxin"
CACHE_DIR = config.PROJECT_ROOT / ".cache"

SOLUTION_TAG = "solution"
NOTEBOOK_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_\-]+\.ipynb$")
FONT_FAMILY = "Gaoxin Noto Sans CJK SC"
FONT_PLACEHOLDER = "/*@GAOXIN_FONT_FACE@*/"
# An empty inline icon, so browsers do not ask a server for /favicon.ico.
NO_FAVICON = '<link rel="icon" href="data:,">'
WORKBOOK_NAME = "gaoxin_tables.xlsx"
HEADLINE_NAME = "headline.json"

# Everything under these names in exports/ is owned by the build (README.md is not).
MANAGED = ("html", "walkthrough", "pdf", "student", "figures", "data", "index.html")

VERSIONED_PACKAGES = (
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "matplotlib",
    "seaborn",
    "pandas",
    "numpy",
    "weasyprint",
    "pydyf",
    "fonttools",
    "brotli",
    "mplfonts",
    "openpyxl",
    "bleach",
    "mistune",
    "pygments",
)

DEFAULT_TIMEOUT = 600

SCREEN_CSS = f"""
:root {{ --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #0072B2; }}
html {{ -webkit-text-size-adjust: 100%; }}
body {{
  margin: 0 auto; max-width: 50rem; padding: 1.5rem 1.25rem 3rem; color: var(--ink);
  font: 16px/1.65 "{FONT_FAMILY}", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
}}
h1, h2, h3, h4 {{ line-height: 1.3; margin: 1.6em 0 0.5em; }}
h1 {{ font-size: 1.7rem; }} h2 {{ font-size: 1.35rem; }} h3 {{ font-size: 1.1rem; }}
a {{ color: var(--accent); }}
a.anchor-link {{ display: none; }}
blockquote {{ margin: 1em 0; padding: 0.2em 1em; border-left: 4px solid var(--rule);
  color: #333; background: #f7f7f9; }}
img {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; margin: 0.8em 0; font-size: 0.85rem; }}
th, td {{ border-bottom: 1px solid var(--rule); padding: 0.25em 0.6em; text-align: right;
  vertical-align: top; }}
th {{ background: #f2f2f5; }}
pre, code {{ font-family: "{FONT_FAMILY}", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.85em; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
.output_html, .output_subarea {{ overflow-x: auto; }}
.output_stderr {{ background: #fff5f5; }}
.input_area {{ background: #f7f7f9; border: 1px solid var(--rule); border-radius: 4px;
  padding: 0.1em 0.8em; margin: 0.8em 0 0.3em; }}
.input_area pre {{ margin: 0.5em 0; }}
.prompt {{ color: var(--muted); font-size: 0.75rem; font-family: "DejaVu Sans Mono", monospace; }}
.gx-nav, .gx-footer {{ font-size: 0.85rem; color: var(--muted); }}
.gx-nav {{ border-bottom: 1px solid var(--rule); padding-bottom: 0.5rem; }}
.gx-nav a {{ margin-right: 0.9em; }}
.gx-footer {{ border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 0.5rem; }}
.gx-report {{ margin: 1.2em 0; padding: 0.8em 1em; border: 1px solid var(--rule);
  border-radius: 6px; }}
.gx-report h2 {{ margin-top: 0.2em; }}
.gx-links a {{ margin-right: 0.9em; }}
.gx-figures {{ font-size: 0.85rem; }}
.gx-headline {{ display: flex; flex-wrap: wrap; gap: 0.8em; padding: 0; list-style: none; }}
.gx-headline li {{ flex: 1 1 10rem; padding: 0.6em 0.8em; background: #f2f6fa;
  border-radius: 6px; }}
.gx-headline strong {{ display: block; font-size: 1.4rem; }}
@media print {{ .gx-nav {{ display: none; }} }}
"""

PRINT_CSS = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }
}
html { font-size: 10.5pt; }
body { max-width: none; padding: 0; }
.gx-nav { display: none; }
img { max-width: 100%; page-break-inside: avoid; }
table { font-size: 7.5pt; page-break-inside: auto; max-width: 100%; table-layout: auto; }
th, td { overflow-wrap: anywhere; word-break: break-word; padding: 2pt 3pt; }
tr { page-break-inside: avoid; }
h1, h2, h3 { page-break-after: avoid; }
pre { white-space: pre-wrap; }
"""


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Failure:
    stem: str
    message: str
    failed_notebook: Path | None = None


@dataclass
class BuildResult:
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    published: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


class BuildError(RuntimeError):
    """A problem with the inputs of the build (no notebooks, bad names, duplicate figures)."""


# --------------------------------------------------------------------------------------------
# Hashing


def _sha256_files(h: Any, root: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of Python and the packages whose behaviour shapes the exports."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def environment_hash(data_dir: Path) -> str:
    """Hash of everything a notebook's output may depend on besides the notebook itself."""
    h = hashlib.sha256(BUILD_FORMAT.encode())
    package_files = [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    _sha256_files(h, PACKAGE_DIR, package_files)
    if data_dir.is_dir():
        _sha256_files(h, data_dir, [p for p in data_dir.rglob("*") if p.is_file()])
    h.update(json.dumps(tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


def notebook_key(env_hash: str, notebook: Path) -> str:
    h = hashlib.sha256(env_hash.encode())
    h.update(notebook.name.encode())
    h.update(notebook.read_bytes())
    return h.hexdigest()[:32]


# --------------------------------------------------------------------------------------------
# Sanitizing untrusted HTML (markdown cells, text/html and text/markdown outputs)

_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript)\b[^>]*>.*?</\1\s*>"
    r"|<(script|style|iframe|object|embed|template|noscript)\b[^>]*/?>",
    re.IGNORECASE | re.DOTALL,
)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)

_ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_SAFE_IMG_PREFIXES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title", "lang", "dir"):
        return True
    if tag == "a" and name == "href":
        # In-page anchors and relative links only: reports make no external requests.
        return value.startswith("#") or (
            ":" not in value.split("/", 1)[0] and not value.startswith("//")
        )
    if tag == "img":
        if name == "src":
            return value.startswith(_SAFE_IMG_PREFIXES)
        return name in ("alt", "width", "height")
    if tag in ("td", "th"):
        return name in ("colspan", "rowspan", "style")
    if tag in ("tr", "thead", "table"):
        return name == "style"
    if tag == "ol":
        return name == "start"
    return False


def sanitize_html(fragment: Any) -> str:
    """Allow-list sanitizer: no scripts, no event handlers, no styles, no external sources."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    text = _DROP_WITH_CONTENT.sub("", text)
    cleaned = bleach.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=["data"],
        strip=False,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=["text-align", "vertical-align"]),
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned)


# --------------------------------------------------------------------------------------------
# Fonts


@lru_cache(maxsize=1)
def _cjk_font_bytes() -> bytes:
    try:
        return config.cjk_font_path().read_bytes()
    except FileNotFoundError as exc:
        raise BuildError(str(exc)) from None


def _subset_options(flavor: str | None) -> Any:
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.hinting = False
    # Horizontal Simplified Chinese needs no OpenType layout; skipping GSUB/GPOS halves the time.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]  # keep the copyright and SIL OFL licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    return options


def _subset(font_bytes: bytes, codepoints: Iterable[int], flavor: str | None) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False, lazy=True)
    subsetter = subset.Subsetter(_subset_options(flavor))
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out, reorderTables=False)
    return out.getvalue()


@lru_cache(maxsize=32)
def font_subset_woff2(chars: frozenset[str]) -> bytes:
    """WOFF2 subset of Noto Sans CJK SC with exactly the given characters (if the font has them)."""
    # Spaces next to CJK text are shaped in the same run as it, so the subset needs them too
    # (without them the PDF renderer draws .notdef boxes where those spaces are).
    points = {ord(c) for c in chars} | {0x20, 0xA0}
    return _subset(_cjk_font_bytes(), points, "woff2")


def page_characters(page: str) -> frozenset[str]:
    """Non-ASCII characters of a page: the ones the system Latin fonts may lack."""
    return frozenset(c for c in page if ord(c) > 0x7F and not c.isspace())


def unicode_range(chars: Iterable[str]) -> str:
    """CSS unicode-range covering exactly the given characters (consecutive runs merged)."""
    points = sorted({ord(c) for c in chars})
    runs: list[list[int]] = []
    for cp in points:
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def embed_font(page: str) -> str:
    """Replace the template's placeholder by an @font-face with the page's own font subset.

    The family comes first in every font stack, limited by unicode-range to the page's
    non-ASCII characters: Chromium drew boxes for Chinese when a system font came first."""
    chars = page_characters(page)
    if not chars:
        return page.replace(FONT_PLACEHOLDER, "")
    data = base64.b64encode(font_subset_woff2(chars)).decode("ascii")
    rule = (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400; '
        f"unicode-range: {unicode_range(chars)}; "
        f'src: url("data:font/woff2;base64,{data}") format("woff2"); }}'
    )
    return page.replace(FONT_PLACEHOLDER, rule, 1)


# --------------------------------------------------------------------------------------------
# Notebook text helpers


def _plain_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]{1,3}", "", text)
    return " ".join(text.split())


def title_and_summary(nb: Any, stem: str) -> tuple[str, str]:
    """Title (first heading) and one-line summary (first paragraph) of the first markdown cell."""
    title, summary = stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraph: list[str] = []
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                if title == stem:
                    title = _plain_markdown(stripped.lstrip("#")) or stem
                if paragraph:
                    break
                continue
            if not stripped:
                if paragraph:
                    break
                continue
            paragraph.append(stripped.lstrip(">").strip())
        summary = _plain_markdown(" ".join(paragraph))
        break
    return title, summary


def _clean_executed(nb: Any) -> None:
    """Drop run-specific metadata so the executed notebook is byte-stable."""
    for key in ("widgets", "papermill"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)


def student_notebook(source_nb: Any) -> Any:
    """Copy of the source notebook without solution cells, outputs or execution counts."""
    import copy

    nb = copy.deepcopy(source_nb)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec", "language_info")}
    return nb


def extract_figures(nb: Any, stem: str) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """Files figures/<stem>/<name>.png|.svg|.csv from the figure bundles of an executed notebook."""
    files: dict[str, bytes] = {}
    listing: list[dict[str, str]] = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(FIGURE_MIMETYPE)
            if not payload:
                continue
            name = payload["name"]
            if not re.match(r"^[a-z0-9][a-z0-9_\-]*$", name):
                raise BuildError(f"{stem}: cell {index}: invalid figure name {name!r}")
            base = f"figures/{stem}/{name}"
            if f"{base}.png" in files:
                raise BuildError(f"{stem}: cell {index}: figure name {name!r} used twice")
            files[f"{base}.png"] = base64.b64decode(output["data"]["image/png"])
            files[f"{base}.svg"] = payload["svg"].encode("utf-8")
            files[f"{base}.csv"] = payload["csv"].encode("utf-8")
            listing.append({"name": name, "alt": payload["alt"]})
    return files, listing


def images_without_alt(nb: Any) -> list[int]:
    """Indexes of cells that display an image with no alt text (the build warns about them)."""
    missing = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("image/png", "image/jpeg"):
                if mime in data and not output.get("metadata", {}).get(mime, {}).get("alt"):
                    missing.append(index)
    return missing


# --------------------------------------------------------------------------------------------
# HTML and PDF


def _nav(stem: str, variant: str) -> str:
    links = [("../index.html", "← 目录 Index")]
    if variant != "reader":
        links.append((f"../html/{stem}.html", "报告 Report"))
    if variant != "walkthrough":
        links.append((f"../walkthrough/{stem}.html", "代码 Walkthrough"))
    links += [(f"../pdf/{stem}.pdf", "PDF"), (f"../student/{stem}.ipynb", "练习 Student notebook")]
    items = "".join(f'<a href="{html.escape(h)}">{html.escape(t)}</a>' for h, t in links)
    return f'<nav class="gx-nav">{items}</nav>'


def _footer(key: str) -> str:
    return (
        f'<footer class="gx-footer">Source: {html.escape(load_source().byline)}, '
        f"衡阳高新区 2019 work-conference report. Build {html.escape(key[:12])}.</footer>"
    )


@lru_cache(maxsize=2)
def _exporter(reader: bool) -> Any:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_input = reader
    c.HTMLExporter.exclude_input_prompt = reader
    c.HTMLExporter.exclude_output_prompt = reader
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {SOLUTION_TAG} if reader else set()
    exporter = HTMLExporter(config=c)
    exporter.register_filter("clean_html", sanitize_html)
    return exporter


def render_html(nb: Any, stem: str, title: str, key: str, variant: str) -> str:
    """Reader ("reader") or walkthrough ("walkthrough") HTML page, font embedded."""
    resources = {
        "metadata": {"name": stem},
        "gaoxin": {
            "title": title,
            "css": SCREEN_CSS,
            "variant": variant,
            "nav": _nav(stem, variant),
            "footer": _footer(key),
        },
    }
    body, _ = _exporter(variant == "reader").from_notebook_node(nb, resources=resources)
    return embed_font(body)


def render_pdf(page: str) -> bytes:
    """A4 PDF with page numbers from a self-contained page (its @font-face gives the CJK font)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(string=PRINT_CSS, font_config=fonts)
    return HTML(string=page, base_url=None).write_pdf(stylesheets=[stylesheet], font_config=fonts)


# --------------------------------------------------------------------------------------------
# One notebook (runs in a worker process)


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        PYTHONHASHSEED="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        TZ="UTC",
    )
    return env


def build_notebook(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook and write every export of it into a fresh cache entry."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    stem, path = task["stem"], Path(task["path"])
    started = time.perf_counter()
    if task.get("announce", True):
        sys.stdout.write(f"[{stem}] start\n")
        sys.stdout.flush()
    result: dict[str, Any] = {"stem": stem, "ok": False}
    source_nb = nbformat.read(path, as_version=4)
    nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    current = {"index": None}

    def on_cell_execute(cell: Any, cell_index: int, **_: Any) -> None:
        current["index"] = cell_index

    # IPC sockets in a private temporary folder: no TCP ports, no files in the working tree.
    sockets = tempfile.mkdtemp(prefix="gaoxin-kernel-")
    manager = KernelManager(
        kernel_name=task.get("kernel", "python3"), transport="ipc", ip=f"{sockets}/kernel"
    )
    client = NotebookClient(
        nb,
        km=manager,
        timeout=task["timeout"],
        startup_timeout=120,
        kernel_name=task.get("kernel", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
        on_cell_execute=on_cell_execute,
    )
    try:
        client.execute(env=_kernel_env())
        executed = time.perf_counter()
    except Exception as exc:
        index = current["index"]
        failed = Path(task["failed_dir"]) / f"{stem}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(failed))
        if isinstance(exc, CellExecutionError):
            what = f"{exc.ename}: {exc.evalue}"
        else:
            lines = str(exc).strip().splitlines()
            what = f"{type(exc).__name__}: {lines[-1] if lines else ''}"
        snippet = ""
        if index is not None and index < len(nb.cells):
            first = nb.cells[index].source.strip().splitlines()
            snippet = f" [{first[0][:80]}]" if first else ""
        where = f"cell {index}" if index is not None else "kernel start"
        result.update(
            seconds=time.perf_counter() - started,
            message=f"{path}: {where}{snippet} failed: {what}",
            failed=str(failed),
        )
        return result
    finally:
        # nbclient leaves a kernel it did not create running: stop it here.
        if client.kc is not None:
            client.kc.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)

    try:
        _clean_executed(nb)
        title, summary = title_and_summary(source_nb, stem)
        key = task["key"]
        figures, listing = extract_figures(nb, stem)
        files: dict[str, bytes] = dict(figures)
        reader = render_html(nb, stem, title, key, "reader")
        files[f"html/{stem}.html"] = reader.encode("utf-8")
        walkthrough = render_html(nb, stem, title, key, "walkthrough")
        files[f"walkthrough/{stem}.html"] = walkthrough.encode("utf-8")
        files[f"pdf/{stem}.pdf"] = render_pdf(reader)
        files[f"student/{stem}.ipynb"] = nbformat.writes(student_notebook(source_nb)).encode()
        meta = {
            "stem": stem,
            "title": title,
            "summary": summary,
            "figures": listing,
            "images_without_alt": images_without_alt(nb),
            "files": sorted(files),
        }
        entry = Path(task["entry"])
        staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
        for rel, data in files.items():
            target = staging / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / "executed.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(staging, entry)
    except Exception as exc:  # export problems are reported like cell failures
        result.update(
            seconds=time.perf_counter() - started,
            message=f"{path}: export failed: {type(exc).__name__}: {exc}",
            failed=None,
        )
        return result
    stale_failure = Path(task["failed_dir"]) / f"{stem}.ipynb"
    stale_failure.unlink(missing_ok=True)
    finished = time.perf_counter()
    result.update(
        ok=True, seconds=finished - started, execute=executed - started, export=finished - executed
    )
    return result


# --------------------------------------------------------------------------------------------
# Site-wide files: data/, index.html


def _deterministic_zip(raw: bytes) -> bytes:
    """Rewrite an .xlsx with fixed entry times and fixed document dates."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<3>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def workbook_bytes(tables: dict[str, Path]) -> bytes:
    """One Excel workbook with a sheet per CSV table, byte-stable across runs."""
    import pandas as pd

    fixed = dt.datetime(2019, 1, 1)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        writer.book.properties.created = fixed
        writer.book.properties.modified = fixed
        writer.book.properties.creator = "gaoxin"
        if not tables:
            pd.DataFrame({"note": ["no processed tables yet"]}).to_excel(
                writer, sheet_name="README", index=False
            )
        for stem, path in tables.items():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.to_excel(writer, sheet_name=stem[:31], index=False)
    return _deterministic_zip(buffer.getvalue())


PERIOD_WORDS = {"result": "实绩 result", "target": "目标 target"}


def _headline_paragraph(rows: list[dict[str, str]], period: str) -> list[dict[str, str]]:
    """Measured facts of the paragraph that states the most of them for one period."""
    measured = [
        r for r in rows if r.get("period") == period and r.get("kind") not in ("date", "label")
    ]
    by_paragraph: dict[str, list[dict[str, str]]] = {}
    for r in measured:
        by_paragraph.setdefault(r.get("paragraph_id", ""), []).append(r)
    if not by_paragraph:
        return []
    # The densest paragraph; ties go to the earlier one.
    return max(by_paragraph.values(), key=len)


def headline_numbers(facts_csv: Path) -> dict[str, Any]:
    """The article's headline figures for the landing page: the paragraph that reports the most
    results and the one that sets the most targets. Tolerant of missing files and columns."""
    if not facts_csv.is_file():
        return {}
    try:
        with facts_csv.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    if not rows:
        return {}
    items: list[dict[str, str]] = []
    if {"period", "quote", "metric_en"} <= rows[0].keys():
        for period, words in PERIOD_WORDS.items():
            for r in _headline_paragraph(rows, period):
                year = f"{r['year']} " if r.get("year") else ""
                items.append(
                    {
                        "label": f"{year}{words}: {r['metric_en']}",
                        "value": r["quote"],
                        "fact_id": r.get("fact_id", ""),
                    }
                )
    if not items:
        items = [{"label": "事实 Facts extracted", "value": str(len(rows))}]
    return {"source": facts_csv.name, "facts": len(rows), "items": items}


def _index_page(reports: list[dict[str, Any]], headline: dict[str, Any], key: str) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        NO_FAVICON,
        "<title>衡阳高新区 2019 — reports</title>",
        f"<style>{FONT_PLACEHOLDER}</style><style>{SCREEN_CSS}</style></head>",
        '<body class="gx-index"><main>',
        "<h1>衡阳高新区 2019 工作会报告 — 数据分析 Reports</h1>",
        "<p>Analysis notebooks on the 2019 work-conference report of the Hengyang National "
        f"High-tech Zone ({html.escape(load_source().byline)}). "
        "Every report comes in four formats, built from one "
        "execution of its notebook.</p>",
    ]
    if headline.get("items"):
        parts.append('<h2>要点 Headline numbers</h2><ul class="gx-headline">')
        for item in headline["items"]:
            parts.append(
                f"<li><strong>{esc(str(item['value']))}</strong>{esc(str(item['label']))}</li>"
            )
        parts.append(
            f'</ul><p class="gx-figures">Quoted as written (以上 = "or more", 余 = "more than"); '
            f'from <a href="data/{esc(HEADLINE_NAME)}">{esc(HEADLINE_NAME)}</a>, selected by rule '
            f"from {esc(headline['source'])} ({headline.get('facts', '?')} facts).</p>"
        )
    parts.append("<h2>报告 Reports</h2>")
    for report in reports:
        stem = report["stem"]
        links = [
            (f"html/{stem}.html", "报告 Report (HTML)"),
            (f"walkthrough/{stem}.html", "代码 Walkthrough (HTML)"),
            (f"pdf/{stem}.pdf", "PDF (A4)"),
            (f"student/{stem}.ipynb", "练习 Student notebook"),
        ]
        anchors = "".join(f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in links)
        parts.append(
            f'<section class="gx-report" id="{esc(stem)}"><h2>{esc(report["title"])}</h2>'
            f'<p>{esc(report["summary"])}</p><p class="gx-links">{anchors}</p>'
        )
        if report["figures"]:
            parts.append('<ul class="gx-figures">')
            for fig in report["figures"]:
                base = f"figures/{stem}/{fig['name']}"
                files = " · ".join(
                    f'<a href="{esc(base)}.{ext}">{ext.upper()}</a>'
                    for ext in ("png", "svg", "csv")
                )
                parts.append(f"<li>{esc(fig['name'])}: {esc(fig['alt'])} — {files}</li>")
            parts.append("</ul>")
        parts.append("</section>")
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions().items() if v != "absent")
    parts += [
        '<h2>数据 Data</h2><p><a href="data/">data/</a> holds the processed CSV tables and '
        f'<a href="data/{WORKBOOK_NAME}">{WORKBOOK_NAME}</a> (one sheet per table).</p>',
        f'<footer class="gx-footer"><p>Source hash {esc(key)}</p>'
        f"<p>Tools: {esc(versions)}</p></footer>",
        "</main></body></html>",
    ]
    return embed_font("\n".join(parts) + "\n")


def site_files(data_dir: Path, reports: list[dict[str, Any]], key: str) -> dict[str, bytes]:
    processed = data_dir / "processed"
    tables = {p.stem: p for p in sorted(processed.glob("*.csv"))} if processed.is_dir() else {}
    files = {f"data/{p.name}": p.read_bytes() for p in tables.values()}
    package = data_dir / "datapackage.json"
    if package.is_file():
        files["data/datapackage.json"] = package.read_bytes()
    files[f"data/{WORKBOOK_NAME}"] = workbook_bytes(tables)
    headline = headline_numbers(processed / "facts.csv")
    files[f"data/{HEADLINE_NAME}"] = (
        json.dumps(headline, ensure_ascii=False, indent=1) + "\n"
    ).encode()
    page = _index_page(reports, headline, key)
    # The data/ link in the index points at a folder; give it an index page of its own.
    listing = "".join(
        f'<li><a href="{html.escape(Path(rel).name)}">{html.escape(Path(rel).name)}</a></li>'
        for rel in sorted(files)
        if rel.startswith("data/")
    )
    files["data/index.html"] = embed_font(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{NO_FAVICON}<title>Data</title>"
        f"<style>{FONT_PLACEHOLDER}</style><style>{SCREEN_CSS}</style></head><body><main>"
        f'<p><a href="../index.html">← Index</a></p><h1>Data</h1><ul>{listing}</ul>'
        "</main></body></html>\n"
    ).encode()
    files["index.html"] = page.replace('href="data/"', 'href="data/index.html"').encode()
    return files


# --------------------------------------------------------------------------------------------
# Publishing


def _read_tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def publish(files: dict[str, Path], exports_dir: Path, remove_stale: bool) -> int:
    """Stage the files next to exports/, then move each into place with os.replace."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{exports_dir.name}-staging-", dir=exports_dir.parent))
    changed = 0
    try:
        staged: dict[str, Path] = {}
        for rel, src in sorted(files.items()):
            dst = staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            staged[rel] = dst
        for rel, src in staged.items():
            target = exports_dir / rel
            if target.is_file() and target.stat().st_size == src.stat().st_size:
                if target.read_bytes() == src.read_bytes():
                    continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, target)
            changed += 1
        if remove_stale:
            for name in MANAGED:
                root = exports_dir / name
                candidates = (
                    [root]
                    if root.is_file()
                    else ([p for p in root.rglob("*") if p.is_file()] if root.is_dir() else [])
                )
                for path in candidates:
                    if path.relative_to(exports_dir).as_posix() not in files:
                        path.unlink()
                        changed += 1
                if root.is_dir():
                    for sub in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
                        if sub.is_dir() and not any(sub.iterdir()):
                            sub.rmdir()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed


# --------------------------------------------------------------------------------------------
# Orchestration


def discover(notebooks_dir: Path, only: str | None = None) -> list[Path]:
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    if only is not None:
        notebooks = [p for p in notebooks if p.name.startswith(f"{int(only):02d}_")]
    return notebooks


def _run_tasks(
    tasks: list[dict[str, Any]], jobs: int, emit: Callable[[str], None]
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []

    def report(res: dict[str, Any]) -> None:
        if res["ok"]:
            detail = f"execute {res['execute']:.1f} s, export {res['export']:.1f} s"
            emit(f"[{res['stem']}] done in {res['seconds']:.1f} s ({detail})")
        else:
            emit(f"[{res['stem']}] FAILED after {res['seconds']:.1f} s")
        results.append(res)

    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            report(build_notebook(task))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = [pool.submit(build_notebook, task) for task in tasks]
        for future in as_completed(futures):
            report(future.result())
    return results


def build(
    notebooks_dir: Path | None = None,
    exports_dir: Path | None = None,
    cache_dir: Path | None = None,
    data_dir: Path | None = None,
    only: str | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    out: TextIO | None = None,
) -> BuildResult:
    """Build (or reuse from cache) every notebook's exports and publish them into exports_dir."""
    started = time.perf_counter()
    notebooks_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    exports_dir = Path(exports_dir or config.EXPORTS_DIR).resolve()
    cache_dir = Path(cache_dir or CACHE_DIR).resolve()
    data_dir = Path(data_dir or config.DATA_DIR).resolve()
    jobs = max(1, jobs or os.cpu_count() or 1)
    stream = out or sys.stdout

    def emit(line: str) -> None:
        stream.write(line + "\n")
        stream.flush()

    all_notebooks = discover(notebooks_dir)
    if not all_notebooks:
        raise BuildError(f"no notebooks named NN_topic.ipynb in {notebooks_dir}")
    selected = discover(notebooks_dir, only) if only is not None else all_notebooks
    if not selected:
        raise BuildError(f"no notebook numbered {only!r} in {notebooks_dir}")

    env_hash = environment_hash(data_dir)
    entries_root = cache_dir / "build" / "nb"
    failed_dir = cache_dir / "failed"
    result = BuildResult()
    keys: dict[str, str] = {}
    tasks = []
    for path in all_notebooks:
        stem = path.stem
        keys[stem] = notebook_key(env_hash, path)
        entry = entries_root / stem / keys[stem]
        if path not in selected:
            continue
        if (entry / "meta.json").is_file():
            result.cached.append(stem)
            emit(f"[{stem}] up to date (cached)")
            continue
        entry.parent.mkdir(parents=True, exist_ok=True)
        tasks.append(
            {
                "stem": stem,
                "path": str(path),
                "key": keys[stem],
                "entry": str(entry),
                "failed_dir": str(failed_dir),
                "timeout": timeout,
                "announce": stream is sys.stdout,
            }
        )

    for res in _run_tasks(tasks, jobs, emit):
        if res["ok"]:
            result.executed.append(res["stem"])
            entry = entries_root / res["stem"] / keys[res["stem"]]
            for old in entry.parent.iterdir():
                if old != entry and not old.name.startswith("."):
                    shutil.rmtree(old, ignore_errors=True)
        else:
            failed = Path(res["failed"]) if res.get("failed") else None
            result.failures.append(Failure(res["stem"], res["message"], failed))
    result.executed.sort()

    if result.failures:
        for failure in sorted(result.failures, key=lambda f: f.stem):
            emit(f"ERROR {failure.message}")
            if failure.failed_notebook:
                emit(f"      executed notebook kept for inspection: {failure.failed_notebook}")
        emit(f"build failed; {exports_dir} left unchanged")
        result.seconds = time.perf_counter() - started
        return result

    files: dict[str, Path] = {}
    reports: list[dict[str, Any]] = []
    complete = True
    for path in all_notebooks:
        entry = entries_root / path.stem / keys[path.stem]
        if not (entry / "meta.json").is_file():
            complete = False
            continue
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        reports.append(meta)
        if meta["images_without_alt"]:
            cells = meta["images_without_alt"]
            emit(f"[{path.stem}] warning: image without alt text in cells {cells}")
        if path in selected:
            files.update(_read_tree(entry / "files"))

    if complete:
        site_key = hashlib.sha256(
            (env_hash + "".join(f"{s}:{k}" for s, k in sorted(keys.items()))).encode()
        ).hexdigest()
        site_entry = cache_dir / "build" / "site" / site_key[:32]
        if not (site_entry / "done").is_file():
            tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_entry.parent.parent))
            for rel, data in site_files(data_dir, reports, site_key).items():
                (tmp / "files" / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / "files" / rel).write_bytes(data)
            (tmp / "done").write_text("ok\n")
            site_entry.parent.mkdir(parents=True, exist_ok=True)
            for old in site_entry.parent.iterdir():
                shutil.rmtree(old, ignore_errors=True)
            os.replace(tmp, site_entry)
        files.update(_read_tree(site_entry / "files"))
    else:
        emit("index.html and data/ not updated: some notebooks have no current build (run all)")

    result.published = publish(files, exports_dir, remove_stale=only is None)
    result.seconds = time.perf_counter() - started
    emit(
        f"build ok: {len(result.executed)} executed, {len(result.cached)} cached, "
        f"{result.published} files updated in {exports_dir} ({result.seconds:.1f} s)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gaoxin build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--only", metavar="NN", help="build only the notebook numbered NN")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    parser.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--exports", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only is not None and not args.only.isdigit():
        parser.error("--only takes a notebook number such as 01")
    try:
        result = build(
            notebooks_dir=args.notebooks,
            exports_dir=args.exports,
            cache_dir=args.cache,
            data_dir=args.data,
            only=args.only,
            jobs=args.jobs,
            timeout=args.timeout,
        )
    except BuildError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
