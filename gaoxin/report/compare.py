"""Compare two export trees (or two data folders) byte for byte, ignoring only the build stamp.

``python -m gaoxin.report.compare OLD_DIR NEW_DIR`` lists every file that is missing, added or
different, and exits 1 if there is any. The stamp is the build key in each report's footer
("Version 0123456789ab."), the source hash and tool versions in the index footer. Those are masked
in HTML before comparing. A PDF carries its report's footer in compressed form, so two PDFs that
differ are accepted only when re-rendering the new reader page with the old stamp reproduces the
old PDF exactly, and the new page with its own stamp reproduces the new PDF; otherwise it says
whether page count, fonts and text (poppler) still agree.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

# A report's footer stamp: "Version 0123456789ab." in English, "版本0123456789ab。" in Chinese.
REPORT_STAMP = re.compile(rb"(Version |" + "版本".encode() + rb")([0-9a-f]{12})")
STAMPS = (
    (REPORT_STAMP, rb"\1<stamp>"),
    (re.compile(rb"Source hash [0-9a-f]{64}"), b"Source hash <stamp>"),
    (re.compile(rb"<p>Tools: [^<]*</p>"), b"<p>Tools: <stamp></p>"),
)
MAX_DIFF_LINES = 6


def mask(data: bytes) -> bytes:
    for pattern, replacement in STAMPS:
        data = pattern.sub(replacement, data)
    return data


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _pdf_same_but_stamp(rel: str, old: dict[str, bytes], new: dict[str, bytes]) -> str | None:
    """None when the PDFs differ only by the stamp, else the reason they differ."""
    from gaoxin.report.render import render_pdf

    page = f"html/{Path(rel).stem}.html"
    if page not in old or page not in new:
        return "no reader page to check the PDF against"
    old_stamp, new_stamp = REPORT_STAMP.search(old[page]), REPORT_STAMP.search(new[page])
    if not old_stamp or not new_stamp:
        return "reader page has no build stamp"
    restamped = new[page].replace(new_stamp.group(0), old_stamp.group(0))
    if restamped != old[page]:
        return "its reader page differs beyond the stamp"
    if render_pdf(new[page].decode("utf-8")) != new[rel]:
        return "the new PDF is not what its page renders to"
    if render_pdf(restamped.decode("utf-8")) != old[rel]:
        same = _pdf_summary(old[rel]) == _pdf_summary(render_pdf(restamped.decode("utf-8")))
        return "the new page with the old stamp renders to other bytes" + (
            "; same pages, fonts and text, so the renderer or its system libraries changed"
            if same
            else ""
        )
    return None


def _pdf_summary(data: bytes) -> tuple[str, ...]:
    """Page count, font names and text of a PDF (poppler), to tell renderer drift from content."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = []
        for cmd in (["pdfinfo"], ["pdffonts"], ["pdftotext", "-layout"]):
            args = [*cmd, handle.name] + (["-"] if cmd[0] == "pdftotext" else [])
            text = subprocess.run(args, capture_output=True, text=True, check=False).stdout
            lines = [line for line in text.splitlines() if not line.startswith("File size")]
            out.append(mask("\n".join(lines).encode()).decode())
    return tuple(out)


def _text_diff(a: bytes, b: bytes) -> list[str]:
    lines = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(),
        b.decode("utf-8", "replace").splitlines(),
        lineterm="",
        n=0,
    )
    out = [line[:160] for line in lines if not line.startswith(("---", "+++", "@@"))]
    return out[:MAX_DIFF_LINES] + ([f"… {len(out) - MAX_DIFF_LINES} more"] if len(out) > 6 else [])


def compare(old_root: Path, new_root: Path) -> list[str]:
    """Lines describing every difference (empty when the trees match but for the stamp)."""
    old, new = _tree(old_root), _tree(new_root)
    problems = [f"only in {old_root}: {rel}" for rel in sorted(old.keys() - new.keys())]
    problems += [f"only in {new_root}: {rel}" for rel in sorted(new.keys() - old.keys())]
    for rel in sorted(old.keys() & new.keys()):
        a, b = old[rel], new[rel]
        if a == b or mask(a) == mask(b):
            continue
        if rel.endswith(".pdf"):
            reason = _pdf_same_but_stamp(rel, old, new)
            if reason is None:
                continue
            problems.append(f"differs: {rel} ({reason})")
            continue
        problems.append(f"differs: {rel}")
        if rel.endswith((".html", ".ipynb", ".csv", ".json", ".txt", ".svg", ".md")):
            problems += [f"    {line}" for line in _text_diff(mask(a), mask(b))]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gaoxin.report.compare", description=__doc__.split("\n")[0]
    )
    parser.add_argument("old", type=Path, help="the earlier tree (e.g. exports/ of a baseline)")
    parser.add_argument("new", type=Path, help="the tree to compare with it")
    args = parser.parse_args(argv)
    for root in (args.old, args.new):
        if not root.is_dir():
            parser.error(f"{root} is not a folder")
    problems = compare(args.old, args.new)
    for line in problems:
        print(line)
    files = sum(1 for p in args.new.rglob("*") if p.is_file())
    changed = sum(1 for line in problems if not line.startswith(" "))
    print(f"compare: {files} files in {args.new}, {changed} differ beyond the build stamp")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
