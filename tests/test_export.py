"""exports/data/: a Data Package that Frictionless validates, and a typed, explained workbook."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from gaoxin import config
from gaoxin.data import schema
from gaoxin.report import site as sitefiles
from gaoxin.report.package import Table, export_tables
from gaoxin.report.workbook import MAX_WIDTH, MIN_WIDTH, workbook_bytes
from tests.fixtures import buildsite

CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _need_frictionless() -> None:
    """frictionless is pinned in requirements.txt: missing is a skip locally, a failure in CI."""
    if importlib.util.find_spec("frictionless") is None:
        message = "frictionless is not installed (make env installs it)"
        if buildsite.IN_CI:
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def _frictionless_errors(descriptor: Path) -> list:
    from frictionless import validate

    report = validate(str(descriptor))
    return [] if report.valid else report.flatten(["type", "message"])


def _write_site_data(data_dir: Path, target: Path) -> Path:
    """exports/data as the build writes it, without executing any notebook."""
    for rel, data in sitefiles.data_files(data_dir).items():
        if rel.startswith("data/"):
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return target / "data"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    return _write_site_data(config.DATA_DIR, tmp_path_factory.mktemp("exports"))


def test_project_data_package_validates():
    _need_frictionless()
    assert _frictionless_errors(config.DATAPACKAGE_PATH) == []


def test_exported_data_package_validates(exported):
    _need_frictionless()
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert "/" not in resource["path"], "tables sit beside the exported descriptor"
        assert (exported / resource["path"]).is_file()
    assert _frictionless_errors(exported / "datapackage.json") == []


def test_exported_package_keeps_every_table_in_order(exported):
    source = json.loads(config.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    copy = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in copy["resources"]] == [r["name"] for r in source["resources"]]
    for original, copied in zip(source["resources"], copy["resources"]):
        assert (exported / copied["path"]).read_bytes() == (
            config.DATA_DIR / original["path"]
        ).read_bytes()


def test_partial_data_folder_exports_a_valid_package(tmp_path):
    """The build fixture has two of the tables: the copy describes exactly those two."""
    _need_frictionless()
    data = buildsite.fixture_data(tmp_path / "fixture")
    exported = _write_site_data(data, tmp_path / "out")
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == ["facts", "entities"]
    assert _frictionless_errors(exported / "datapackage.json") == []
    (exported / "facts.csv").write_bytes(b"fact_id\nF1\n")
    assert _frictionless_errors(exported / "datapackage.json"), "a broken copy must not validate"


def test_licences_per_resource():
    """Derived data is CC BY 4.0 (README); a table holding the article's words also names the
    article's own terms. Article words are found by looking, not taken from the schema's list."""
    descriptor = json.loads(config.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    assert [x["name"] for x in descriptor["licenses"]] == ["CC-BY-4.0"]
    article = config.ARTICLE_PATH.read_text(encoding="utf-8")
    quoting = set()
    for resource in descriptor["resources"]:
        names = [x["name"] for x in resource["licenses"]]
        assert "CC-BY-4.0" in names, resource["name"]
        text = (config.DATA_DIR / resource["path"]).read_text(encoding="utf-8")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        if any(m.group() in article for c in cells for m in CJK_RUN.finditer(c)):
            quoting.add(resource["name"])
            assert "other-at" in names, f"{resource['name']} quotes the article"
    assert {"paragraphs", "sentences", "facts"} <= quoting


# --------------------------------------------------------------------------------- workbook


@pytest.fixture(scope="module")
def book():
    import openpyxl

    tables, descriptor = export_tables(config.DATA_DIR)
    raw = workbook_bytes(tables, json.loads(descriptor))
    return openpyxl.load_workbook(io.BytesIO(raw)), raw, tables


def _csv_rows(table: Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.data.decode("utf-8"))))


def test_workbook_sheets_follow_the_data_package(book):
    workbook, _, _ = book
    descriptor = json.loads(config.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    assert workbook.sheetnames == ["about"] + [r["name"] for r in descriptor["resources"]]


def test_workbook_cells_are_typed_from_the_schema(book):
    workbook, _, tables = book
    types = {"integer": int, "number": (int, float), "boolean": bool, "string": str}
    for table in tables:
        sheet = workbook[table.name]
        header, *rows = _csv_rows(table)
        kinds = {f["name"]: f["type"] for f in table.resource["schema"]["fields"]}
        assert [c.value for c in sheet[1]] == header
        assert sheet.max_row == len(rows) + 1
        for r, row in enumerate(rows, start=2):
            for c, text in enumerate(row, start=1):
                value = sheet.cell(row=r, column=c).value
                if text == "":
                    assert value is None, (table.name, r, c)
                    continue
                kind = kinds[header[c - 1]]
                assert isinstance(value, types[kind]), (table.name, header[c - 1], value)
                if kind in ("integer", "number"):
                    assert value == float(text)
                elif kind == "boolean":
                    assert value is (text == "true")
                else:
                    assert value == text
    facts = workbook["facts"]
    header = [c.value for c in facts[1]]
    # The article's 地区生产总值同比增长8.6%: a number cell 8.6, and its text stays text.
    row = next(
        r
        for r in facts.iter_rows(min_row=2, values_only=True)
        if r[6] == "8.6%" and r[19] == "growth_rate"
    )
    assert row[header.index("value")] == 8.6
    assert row[header.index("number_text")] == "8.6"
    assert isinstance(row[header.index("cumulative")], bool)


def test_workbook_sheets_freeze_filter_and_size(book):
    from openpyxl.utils import get_column_letter

    workbook, _, _ = book
    for sheet in workbook.worksheets[1:]:
        assert sheet.freeze_panes == "A2", sheet.title
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        columns = range(1, sheet.max_column + 1)
        widths = [sheet.column_dimensions[get_column_letter(c)].width for c in columns]
        assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in widths), sheet.title
    facts = workbook["facts"]
    header = [c.value for c in facts[1]]
    width = {
        h: facts.column_dimensions[get_column_letter(i + 1)].width for i, h in enumerate(header)
    }
    assert width["sentence"] == MAX_WIDTH, "long text is capped"
    assert width["year"] < width["metric_en"] < width["sentence"]


def test_about_sheet_explains_every_table_and_column(book):
    workbook, _, _ = book
    about = workbook["about"]
    rows = list(about.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "sheet" and r[1] == "column")
    assert about.freeze_panes == f"A{top + 2}"
    described = {(r[0], r[1]): r for r in rows[top + 1 :]}
    tables = {**schema.TABLES, **{k: v[1:] for k, v in schema.ANNOTATION_TABLES.items()}}
    for name, (description, fields) in tables.items():
        assert described[(name, None)][6] == description
        for f in fields:
            row = described[(name, f.name)]
            assert row[2] == f.type and row[6] == f.description
            assert row[4] == ("yes" if f.required else "no")
            if f.enum:
                assert row[5] == ", ".join(f.enum)
    intro = " ".join(str(r[0]) for r in rows[:top] if r[0])
    assert "CC-BY-4.0" in intro and "戈清平" in intro


def test_workbook_bytes_are_stable(book):
    _, raw, tables = book
    descriptor = json.loads(export_tables(config.DATA_DIR)[1])
    assert workbook_bytes(tables, descriptor) == raw
    for info in zipfile.ZipFile(io.BytesIO(raw)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_text_that_looks_like_a_formula_stays_text():
    import openpyxl

    resource = {
        "schema": {"fields": [{"name": "a", "type": "string"}, {"name": "n", "type": "integer"}]}
    }
    risky = ["=1+2", "+SUM(A1)", "-3", "@cmd", "#N/A"]
    data = ("a,n\n" + "".join(f'"{t}",{i}\n' for i, t in enumerate(risky))).encode()
    raw = workbook_bytes([Table("doctored", "doctored.csv", data, resource)])
    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(raw))["doctored"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, len(risky) + 2)]
    assert [c.value for c in cells] == risky
    assert {c.data_type for c in cells} == {"s"}
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == [0, 1, 2, 3, 4]
