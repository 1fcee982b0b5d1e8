"""The exported Data Package: the tables side by side in exports/data/, with a copy of the
descriptor whose paths point at them (Frictionless resolves paths relative to the descriptor)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DESCRIPTOR_NAME = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One exported table: its file name in exports/data/, bytes, and descriptor resource."""

    name: str
    file: str
    data: bytes
    resource: dict = field(default_factory=dict)  # {} when the data folder has no descriptor


def exported_file(resource: dict) -> str:
    """processed/facts.csv → facts.csv, annotations/facts.csv → fact_annotations.csv: by name,
    so tables from different folders cannot collide once they sit side by side."""
    return f"{resource['name']}{Path(resource['path']).suffix}"


def export_tables(data_dir: Path) -> tuple[list[Table], bytes | None]:
    """The tables present under data_dir in descriptor order, and the rewritten descriptor.

    Resources whose file is absent are left out of the copy, so what is exported validates.
    Without a descriptor every processed/*.csv is exported (in name order) and none is written."""
    descriptor_path = data_dir / DESCRIPTOR_NAME
    if not descriptor_path.is_file():
        processed = data_dir / "processed"
        paths = sorted(processed.glob("*.csv")) if processed.is_dir() else []
        return [Table(p.stem, p.name, p.read_bytes()) for p in paths], None
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    tables, resources = [], []
    for resource in descriptor.get("resources", []):
        source = data_dir / resource["path"]
        if not source.is_file():
            continue
        copied = {**resource, "path": exported_file(resource)}
        resources.append(copied)
        tables.append(Table(resource["name"], copied["path"], source.read_bytes(), copied))
    exported = {**descriptor, "resources": resources}
    text = json.dumps(exported, ensure_ascii=False, indent=2) + "\n"
    return tables, text.encode()
