"""What extraction recorded about each table (data/datapackage.json: bytes, sha256, rows), and the
check that a table on disk is still that file: not cut short, not missing rows, not edited."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gaoxin.data.schema import HASH_PREFIX

MANIFEST_NAME = "datapackage.json"


def manifest_path(directory: Path) -> Path:
    """The Data Package descriptor that describes the tables in `directory` (its parent's)."""
    return Path(directory).parent / MANIFEST_NAME


def recorded_stats(path: Path, name: str) -> tuple[dict | None, str | None]:
    """(the resource's recorded bytes/hash/rows, None) or (None, the problem in one phrase)."""
    if not path.is_file():
        return None, "file is missing (it records each table's size, checksum and row count)"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in descriptor["resources"]}
    except (ValueError, KeyError, TypeError) as e:
        return None, f"is not a valid Data Package descriptor ({type(e).__name__})"
    resource = resources.get(name)
    if resource is None or not all(k in resource for k in ("bytes", "hash", "rows")):
        return None, f"records no size, checksum and row count for the table {name!r}"
    return {k: resource[k] for k in ("bytes", "hash", "rows")}, None


def mismatch(data: bytes, rows: int, recorded: dict) -> str | None:
    """How a table differs from what extraction recorded, in one phrase (None if it does not)."""
    if rows < recorded["rows"]:
        return (
            f"has {rows} rows but extraction wrote {recorded['rows']} "
            f"(datapackage.json): rows were deleted or the file was cut short"
        )
    if rows > recorded["rows"]:
        return (
            f"has {rows} rows but extraction wrote {recorded['rows']} "
            f"(datapackage.json): rows were added"
        )
    digest = HASH_PREFIX + hashlib.sha256(data).hexdigest()
    if len(data) != recorded["bytes"] or digest != recorded["hash"]:
        return (
            "content differs from the sha256 recorded in datapackage.json when it was written: "
            "a cell was edited by hand, or the file and datapackage.json come from different runs"
        )
    return None
