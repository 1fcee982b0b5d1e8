"""Bounds on what one notebook may cost the build besides its cells' run time: the size of each
cell's output, and the wall-clock time of exporting it (HTML, PDF).

A cell that prints without bound would otherwise turn into a PDF of hundreds of pages and an
export that runs for many minutes; it fails instead, naming the notebook and the cell.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gaoxin.report.execute import ExecutionFailed

# The project's notebooks print at most a few dozen lines and ~15 KB of text per cell, and
# ~300 KB of output in all (charts included); these limits leave room far beyond that.
MAX_CELL_TEXT_LINES = 1_000
MAX_CELL_OUTPUT_BYTES = 5_000_000


class LimitExceeded(Exception):
    """A stage ran past its limit; the message names the notebook and the stage."""


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def cell_output_size(cell: Any) -> tuple[int, int]:
    """(lines of text, bytes of JSON) of a code cell's outputs."""
    lines = 0
    streams: dict[str, str] = {}  # a stream arrives in chunks that may cut a line in two
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            name = output.get("name", "stdout")
            streams[name] = streams.get(name, "") + _text(output.get("text", ""))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                lines += len(_text(value).splitlines())
        if output.get("output_type") == "error":
            lines += len(output.get("traceback", []))
    lines += sum(len(text.splitlines()) for text in streams.values())
    return lines, len(json.dumps(cell.get("outputs", []), ensure_ascii=False).encode())


def check_outputs(nb: Any, path: Path) -> None:
    """Raise ExecutionFailed naming the first cell whose output is over a limit."""
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        lines, size = cell_output_size(cell)
        if lines > MAX_CELL_TEXT_LINES or size > MAX_CELL_OUTPUT_BYTES:
            first = cell.source.strip().splitlines()
            snippet = f" [{first[0][:80]}]" if first else ""
            raise ExecutionFailed(
                f"{path}: cell {index}{snippet} failed: its output ({lines:,} lines of text, "
                f"{size:,} bytes) is over the build's limit of {MAX_CELL_TEXT_LINES:,} lines or "
                f"{MAX_CELL_OUTPUT_BYTES:,} bytes per cell: print a summary, or write the data "
                "to a file",
                nb,
            )


# When the limit's exception is lost (see time_limit), it is raised again this often.
RETRY_SECONDS = 0.5


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise LimitExceeded in the block after seconds (SIGALRM; in the main thread only).

    A signal handler's exception is lost when it fires inside a garbage-collector callback, a
    __del__ or a weakref callback (Python prints it as unraisable and goes on): the handler
    then fires again every RETRY_SECONDS until one reaches the block, and a block that ends
    after the limit raises it on the way out."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return
    message = f"{what} took longer than {seconds:g} s (the limit; raise it with --timeout)"
    expired: list[bool] = []

    def expire(_signum: int, _frame: Any) -> None:
        expired.append(True)
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise LimitExceeded(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired:
        raise LimitExceeded(message)
