"""What a worker builds: one notebook task, typed (light to import: the build makes them without
loading the worker's exporters)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class NotebookTask:
    """One notebook for a worker: what to run, where its cache entries and failures go."""

    stem: str
    path: Path  # the notebook
    timeout: int  # seconds per cell
    failed_dir: Path  # a failed execution is kept here, as <stem>.ipynb
    run_dir: Path  # the worker notes its kernel's pid here (the build kills it if need be)
    key: str = ""  # the export key (shown in the footers)
    entry: Path | None = None  # cache entry of the exports
    exec_entry: Path | None = None  # cache entry of the execution
    font_cache: Path | None = None  # folder of cached font subsets
    font_base: str = ""  # the characters of the build's inputs (fonts.use_disk_cache)
    announce: bool = True  # print "[stem] start"
    in_worker: bool = False  # in a worker process: SIGINT and SIGTERM stop it
    source: str | None = None  # the notebook as the build read it (its snapshot)
    data_dir: Path | None = None  # the data folder whose inputs the snapshot hashed
    inputs: Any = None  # the snapshot's digests of the package and data files
    build_pid: int | None = None  # the build a worker watches (a SIGKILLed build stops it)
    build_temp: tuple[str, ...] = ()  # the build's temporary folders


@dataclass(frozen=True)
class SiteTask:
    """The site's files that no notebook goes into (data/ and the fixed pages), for a worker
    that is free while the last notebooks run; the build's site step reads them from the cache."""

    data_dir: Path
    data_entry: Path  # cache entry of data/ (site.data_files)
    data_key: str
    fixed_entry: Path  # cache entry of the fixed pages (site.fixed_pages)
    fixed_key: str
    font_cache: Path | None = None
    font_base: str = ""
    inputs: Any = None  # the snapshot's digests of the package and data files
