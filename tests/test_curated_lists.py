"""The readings register (annotations/readings.csv) and the notebooks' word lists (vocab.csv).

Both are verified against the article and the facts on every load; errors are one line naming file,
row and column."""

import json
import shutil

import pytest

from gaoxin.config import ANNOTATIONS_DIR, NOTEBOOKS_DIR
from gaoxin.data import DataError, load_facts, load_vocab, read_raw_text, readings_table
from gaoxin.data import glossary as g
from gaoxin.data.readings import applied

# Tables that used to live in notebooks 01–03 and now live in curated data.
MOVED = {
    "01_industry": ("STAGES = {\n", "FIRMS = {\n"),
    "02_innovation": (
        "PEER_GROUP = {  # our",
        "READING = {  # our",
        "PLATFORMS = [",
        "PLAN_MARKS = {\n",
    ),
    "03_infrastructure": ('    "primary school": (',),
}


@pytest.fixture()
def annotations(tmp_path):
    for name in ("readings.csv", "vocab.csv"):
        shutil.copy(ANNOTATIONS_DIR / name, tmp_path / name)
    return tmp_path


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_peer_groups_are_read_off_the_article():
    facts = load_facts().set_index("fact_id")
    peer = applied(readings_table(), "peer_group")
    # 居湖南省21家国家和省级高新区第3位: the 2018 rank is among national and provincial zones.
    rank = facts[facts.metric_en == "provincial innovation-capacity rank"].index[0]
    assert facts.loc[rank, "quote"] == "第3位"
    assert peer[rank].wording == "国家和省级" and "provincial" in peer[rank].reading
    # 在全省国家级高新区综合排名进入前三名: the target counts national-level zones only.
    target = facts[facts.quote == "前三名"].index[0]
    assert peer[target].wording == "全省国家级" and peer[target].reading.endswith("only")
    # 进入第一方阵: a tier.
    tier = facts[facts.metric_en == "target tier in the national innovation evaluation"].index[0]
    assert "a tier, not a position" in peer[tier].reading
    for fid, row in peer.items():
        assert row.wording in facts.loc[fid, "sentence"]


def test_the_notebook_readings_name_facts_whose_words_they_quote():
    raw = read_raw_text()
    ids = set(load_facts().fact_id)
    table = readings_table()
    moved = table[table.index.str.startswith(("peer_group", "award", "cumulative", "pipe"))]
    assert len(moved) == 11
    for _, row in moved.iterrows():
        assert row.wording in raw
        assert set(row.applies_to.split(";")) <= ids  # these rows name facts only
        assert row.alternatives and row.reason


def test_vocab_lists_hold_the_notebooks_words():
    stages = load_vocab("stages")
    # 新引进…项目40个；新开工…；新竣工…；…完成年度投资: four counts, one list each.
    assert list(stages.wording) == ["新引进", "新开工", "新竣工", "完成年度投资"]
    assert g.label(stages.wording[0]) == "新引进 Introduced"
    assert len(load_vocab("firms")) == 10 and load_vocab("firms").note.notna().all()
    assert load_vocab("platforms").wording.tolist()[-1] == "创新创业中心"
    levels = load_vocab("school_levels")
    assert levels.metric_en.tolist()[0] == "new primary schools;new primary-school places"
    with pytest.raises(KeyError, match="unknown word list 'colours'"):
        load_vocab("colours")


@pytest.mark.parametrize(
    ("old", "new", "column", "problem"),
    [
        ("stages,新开工,started,", "stages,新开工,begun,", "en", "not the glossary's English"),
        ("firms,中兴,ZTE,", "firms,阿里巴巴,ZTE,", "wording", "'阿里巴巴' does not occur"),
        ("projects newly started,", "projects started,", "metric_en", "matches 0 facts"),
        ("firms,中兴,", "brands,中兴,", "list_id", "'brands' is not one of"),
        (",,'leading role' in information services,", ",,,", "note", "needs a note"),
        (",发挥信息服务龙头作用\nfirms,皖湘", ",\nfirms,皖湘", "note_zh", "in Chinese too"),
    ],
)
def test_bad_vocab_rows_name_file_row_and_column(annotations, old, new, column, problem):
    path = annotations / "vocab.csv"
    _replace(path, old, new)
    with pytest.raises(DataError) as err:
        load_vocab(path=path)
    message = str(err.value)
    assert message.startswith("vocab.csv, row ") and f"column '{column}'" in message
    assert problem in message and "\n" not in message


@pytest.mark.parametrize("stem", sorted(MOVED))
def test_notebooks_hold_no_reading_or_vocabulary_table(stem):
    nb = json.loads((NOTEBOOKS_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for table in MOVED[stem]:
        assert table not in code, f"{stem} still types its own table {table.strip()!r}"
    assert "load_vocab(" in code or "readings_table(" in code
