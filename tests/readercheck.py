"""What a reader edition must not show: exercises, hints, code, API names, tracebacks, paths.

Used by tests/test_reader_edition.py on the rendered reader pages (HTML) and on the text of the
PDFs; runnable by hand on an export tree: `python -m tests.readercheck exports`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

# Headings that belong to the student material.
STUDENT_HEADING = re.compile(
    r"\b(exercises?|hints?|solutions?|model answers?|rubrics?|learning goals?)\b|练习|提示|答案",
    re.IGNORECASE,
)

# Text a reader page must never contain, each with what it is. ASCII-only character classes:
# Chinese characters count as word characters for `\w`, and Chinese prose is welcome.
FORBIDDEN_TEXT: list[tuple[str, re.Pattern[str]]] = [
    ("exercise", re.compile(r"\bExercise \d|\b练习\s*\d|\bModel answer\b|\bRubric\b")),
    ("hint", re.compile(r"\bhint\s*\(|\bHint\b|提示")),
    ("answer cell", re.compile(r"\banswer\s*=|\bcheck_answer\b")),
    ("API name", re.compile(r"\b(?:gaoxin|nv|charts|claims|labels|derive|pd|plt)\.[A-Za-z_]")),
    ("function call", re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\((?:[^()\s]*)\)")),
    ("loader", re.compile(r"\bload_[a-z_]+")),
    ("command", re.compile(r"\bpython3? -m\b|\bimport [a-z_]+|\bfrom [a-z_.]+ import\b")),
    ("traceback", re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")),
    ("error message", re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b|fails? loudly")),
    (
        "repository path",
        re.compile(
            r"(?<![A-Za-z0-9_/.])(?:data|notebooks|gaoxin|tests|exports|figures)/"
            r"|[A-Za-z0-9_]\.(?:py|ipynb|csv|json|xlsx)\b"
        ),
    ),
    ("identifier", re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*_[a-z0-9_]+(?![A-Za-z0-9])")),
    ("code expression", re.compile(r"[A-Za-z_\]]\[[A-Za-z0-9_]*:[A-Za-z0-9_]*\]|==|!=")),
]

# Markup that only code, its input or its error output produce.
CODE_CLASSES = {"input", "input_area", "highlight", "output_stderr", "output_error"}
SKIPPED = {"nav", "style", "script", "head", "title"}


class _Page(HTMLParser):
    """Visible text, headings and code markup of one page (the navigation bar left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self.markup: list[str] = []
        self._skip = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag in SKIPPED:
            self._skip += 1
        elif tag == "pre":
            self.markup.append("a <pre> block")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag in ("code", "kbd", "samp"):
            self.markup.append(f"<{tag}>")
        if classes & CODE_CLASSES:
            self.markup.append(f"<{tag} class={' '.join(sorted(classes & CODE_CLASSES))}>")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if tag in ("p", "li", "div", "tr", "td", "th", "br", "blockquote", "h1", "h2", "h3"):
            self.text.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def text_problems(text: str) -> list[str]:
    """Forbidden items in a page's visible text (HTML text or a PDF's extracted text)."""
    found = []
    for line in text.splitlines():
        line = " ".join(line.split())
        for what, pattern in FORBIDDEN_TEXT:
            for m in pattern.finditer(line):
                start = max(0, m.start() - 30)
                found.append(f"{what}: {m.group(0)!r} in …{line[start : m.end() + 30]}…")
    return found


def html_problems(page: str) -> list[str]:
    """Forbidden items on a rendered reader page: markup of code, student headings, text."""
    parser = _Page()
    parser.feed(page)
    found = [f"code markup: {m}" for m in parser.markup]
    found += [f"student heading: {h!r}" for h in parser.headings if STUDENT_HEADING.search(h)]
    return found + text_problems("".join(parser.text))


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (reading order, no layout)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_problems(pdf: Path) -> list[str]:
    """Forbidden items in a PDF's text. PDF text lines break anywhere, so this sees less than
    html_problems; it is the check that the PDF is made from the reader edition."""
    return text_problems(pdf_text(pdf))


def scan(exports: Path) -> dict[str, list[str]]:
    """{"html/00_article.html": [problems], "pdf/00_article.pdf": [...]} for an export tree."""
    report: dict[str, list[str]] = {}
    for page in sorted((exports / "html").glob("*.html")):
        report[f"html/{page.name}"] = html_problems(page.read_text(encoding="utf-8"))
    if shutil.which("pdftotext"):
        for pdf in sorted((exports / "pdf").glob("*.pdf")):
            report[f"pdf/{pdf.name}"] = pdf_problems(pdf)
    return report


def main(argv: list[str]) -> int:
    exports = Path(argv[0] if argv else "exports")
    total = 0
    for name, problems in scan(exports).items():
        total += len(problems)
        print(f"{name}: {len(problems)}")
        for p in problems if "-v" in argv else []:
            print(f"    {p}")
    print(f"total: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
