"""Fault injection on the data: a bad table, annotation file or article fails in one line saying
what is wrong, where (file, row, column) and what to do; a changed file is never served stale."""

import json

import pytest

from gaoxin import check as check_command
from gaoxin.config import ANNOTATIONS_DIR, ARTICLE_PATH
from gaoxin.data import DataError, check, load_table
from gaoxin.data.schema import file_stats
from gaoxin.facts import pipeline
from gaoxin.facts.annotations import AnnotationError
from gaoxin.facts.tables import extract_tables


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _one_line(err) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


def test_cut_at_a_line_end(copy_dir):
    path = copy_dir / "facts.csv"
    path.write_text("".join(_lines(path)[:60]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_table("facts", directory=copy_dir)
    message = _one_line(err)
    assert message.startswith("facts.csv: has 59 rows but extraction wrote 122")
    assert "cut short" in message and "make data" in message


def test_rows_deleted_in_the_middle(copy_dir):
    path = copy_dir / "exclusions.csv"
    lines = _lines(path)
    path.write_text("".join(lines[:10] + lines[13:]), encoding="utf-8")
    with pytest.raises(DataError, match=r"exclusions\.csv: has 38 rows but extraction wrote 41"):
        load_table("exclusions", directory=copy_dir)


def test_duplicated_row_under_a_new_id(copy_dir):
    path = copy_dir / "facts.csv"
    lines = _lines(path)
    copy = lines[5].replace(lines[5].split(",")[0], "F99999", 1)
    path.write_text("".join([*lines, copy]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_table("facts", directory=copy_dir)
    message = _one_line(err)
    assert "facts.csv, row 124, column 'fact_id': id 'F99999' does not match its start" in message


def test_duplicated_row_with_a_consistent_id_is_still_caught(copy_dir):
    # A copy of the last entity under a fresh id (entity ids are not offsets): the row count tells.
    path = copy_dir / "entities.csv"
    lines = _lines(path)
    last = lines[-1]
    path.write_text("".join([*lines, "E99999" + last[last.index(",") :]]), encoding="utf-8")
    with pytest.raises(DataError, match=r"entities\.csv: has 132 rows .* rows were added"):
        load_table("entities", directory=copy_dir)


def test_wrong_period(copy_dir):
    path = copy_dir / "facts.csv"
    text = path.read_text(encoding="utf-8")
    assert ",result,2018,growth_rate," in text
    path.write_text(text.replace(",result,2018,growth_rate,", ",target,2018,growth_rate,", 1))
    with pytest.raises(DataError) as err:
        load_table("facts", directory=copy_dir)
    message = _one_line(err)
    assert message.startswith("facts.csv: content differs from the sha256 recorded")
    assert "edited by hand" in message and "make data" in message


def test_missing_or_broken_datapackage(copy_dir):
    descriptor = copy_dir.parent / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource.pop("hash", None)
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json: records no size, checksum"):
        load_table("facts", directory=copy_dir)
    descriptor.unlink()
    with pytest.raises(DataError, match=r"datapackage\.json: file is missing.*make data"):
        load_table("facts", directory=copy_dir)


def test_a_changed_file_is_never_served_stale(copy_dir):
    before = load_table("facts", directory=copy_dir)
    path = copy_dir / "facts.csv"
    text = path.read_text(encoding="utf-8")
    # A bad edit after a good load: the next load fails instead of returning the cached frame.
    path.write_text(text.replace(",result,2018,growth_rate,", ",target,2018,growth_rate,", 1))
    with pytest.raises(DataError, match="content differs"):
        load_table("facts", directory=copy_dir)
    # A consistent regeneration (file and record change together) is served fresh, not stale.
    lines = _lines(path)
    kept = lines[:-1]
    path.write_text("".join(kept), encoding="utf-8")
    descriptor = copy_dir.parent / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    facts.update(file_stats(path.read_bytes(), len(kept) - 1))
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    after = load_table("facts", directory=copy_dir)
    assert len(after) == len(before) - 1


def test_a_changed_article_fails_the_loaders_and_check(tmp_path, copy_dir, monkeypatch):
    article = tmp_path / "article.txt"
    raw = ARTICLE_PATH.read_text(encoding="utf-8")
    article.write_text("按:" + raw, encoding="utf-8")  # two characters added at the start
    with pytest.raises(DataError, match=r"facts\.csv, row 2, column 'quote'.*≠ raw text"):
        load_table("facts", directory=copy_dir, article=article)
    problem = check.article_problem(article)
    assert problem.startswith(f"{article}: differs from the sha256 recorded in data/raw/source")
    assert "git checkout" in problem and "\n" not in problem
    assert check.article_problem() is None
    monkeypatch.setattr(check, "ARTICLE_PATH", article)
    monkeypatch.setattr(check.article_problem, "__defaults__", (article, check.SOURCE_PATH))
    assert check_command.main([]) == 1


def _annotations(tmp_path, text):
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_annotations_file_fails_extraction(article, tmp_path):
    with pytest.raises(AnnotationError) as err:
        extract_tables(article, tmp_path / "facts.csv")
    message = _one_line(err)
    assert message.startswith("facts.csv: file is missing")


def test_truncated_annotations_file_fails_extraction(article, tmp_path):
    text = (ANNOTATIONS_DIR / "facts.csv").read_text(encoding="utf-8")
    path = _annotations(tmp_path, text[: len(text) // 2])
    rows = text[: len(text) // 2].count("\n") + 1
    with pytest.raises(AnnotationError) as err:
        extract_tables(article, path)
    assert f"facts.csv, row {rows}: file is truncated" in _one_line(err)


def test_malformed_annotation_rows(article, tmp_path):
    header = "context,quote,metric_en,domain\n"
    cases = {
        header + "增长8.6%,8.6%\n": r"row 2: has 2 cells, expected 4",
        header + "增长8.6%,8.6%,,\n": r"row 2, column 'metric_en': required value is empty",
        "context,quote,metric\n": r"row 1: header must be",
        "": r"row 1: file is empty",
        header
        + "增长8.6%,8.6%,GDP growth,\n增长8.6%,8.6%,GDP again,\n": r"row 3.*same fact as row 2",
    }
    for text, expected in cases.items():
        with pytest.raises(AnnotationError, match=expected):
            extract_tables(article, _annotations(tmp_path, text))


def test_extract_command_stops_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "DEFAULT_ANNOTATIONS", tmp_path / "facts.csv")
    with pytest.raises(SystemExit) as stop:
        pipeline.extract()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("extract: facts.csv: file is missing")


def test_annotations_cut_at_a_line_end_are_reported(tmp_path, monkeypatch, capsys):
    lines = _lines(ANNOTATIONS_DIR / "facts.csv")
    cut = tmp_path / "facts.csv"
    cut.write_text("".join(lines[:-3]), encoding="utf-8")
    monkeypatch.setattr(pipeline, "DEFAULT_ANNOTATIONS", cut)
    monkeypatch.setattr(pipeline, "write_outputs", lambda outputs, data_dir=None: [])
    pipeline.extract()
    err = capsys.readouterr().err
    assert err.startswith("extract: warning: 3 fact(s) have no curated English name")
    assert err.count("\n") == 1
