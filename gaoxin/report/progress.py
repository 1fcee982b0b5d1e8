"""What the build shows while it runs: a progress bar on a terminal, plain lines elsewhere.

On a terminal (the output stream is a TTY and ``TERM`` is not ``dumb``) a rich progress bar
counts the build's steps: one per notebook (executed or reused, with every format exported from
it: reader and walkthrough HTML, PDF, figures), then the site's pages and data,
then the publish. The build's lines (a notebook done, a warning, an error) print above the bar.
Anywhere else (a log, a pipe, ``--quiet``) there is no bar, only those lines. rich is imported
only when a bar is drawn.
"""

from __future__ import annotations

import os
from typing import Any, TextIO

# The steps after the notebooks: the site-wide pages and data, then the publish.
SITE_STEPS = ("site pages and data", "publishing")


def wants_bar(stream: Any) -> bool:
    """True when stream is a terminal that can redraw a line."""
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed stream
        return False


class BuildProgress:
    """Lines always; a bar too when bar is true (by default: when the stream is a terminal)."""

    def __init__(self, stream: TextIO, bar: bool | None = None):
        self.stream = stream
        self.bar = wants_bar(stream) if bar is None else bar
        self._progress: Any = None
        self._task: Any = None

    def line(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def start(self, notebooks: int, cached: int) -> None:
        """Show the bar: notebooks to build plus the site steps, cached ones already done."""
        if not self.bar or self._progress is not None:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=self.stream, force_terminal=True, highlight=False)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            redirect_stderr=False,  # errors and warnings stay on stderr
        )
        self._progress.start()
        todo = notebooks - cached
        self._task = self._progress.add_task(
            f"notebooks: {todo} to execute and export" if todo else "notebooks: all cached",
            total=notebooks + len(SITE_STEPS),
            completed=cached,
        )

    def advance(self, description: str | None = None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=description)

    def describe(self, description: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=description)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
