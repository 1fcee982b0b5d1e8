"""The one glossary (gaoxin/glossary.csv): verified on load, the source of every label.

A reader-facing bilingual label in the package's code→words maps or in the analysis notebooks'
table headers, axis labels and titles must use a glossary term with the glossary's English.
"""

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

import gaoxin
from gaoxin import labels
from gaoxin.config import NOTEBOOKS_DIR
from gaoxin.data import DataError
from gaoxin.data import glossary as g

# Notebooks whose labels are checked (the others join as they take their words from the glossary).
CHECKED_NOTEBOOKS = ("01_industry", "02_innovation", "03_infrastructure")
# Calls whose string arguments are labels a reader sees.
LABEL_CALLS = {
    "Col",
    "set_xlabel",
    "set_ylabel",
    "set_title",
    "set_yticks",
    "set_xticks",
    "text",
    "pairs",
    "present",
    "label",
}


@pytest.fixture()
def glossary_file(tmp_path):
    path = tmp_path / "glossary.csv"
    shutil.copy(g.GLOSSARY_PATH, path)
    return path


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_glossary_loads_one_row_per_term():
    table = g.load_glossary()
    assert table.index.is_unique and len(table) > 100
    assert g.label("产业") == "产业 Industry"
    assert g.gloss("以上") == "or more 以上"
    assert g.gloss("平方米", short=True) == "m² 平方米"
    with pytest.raises(g.GlossaryError, match=r"no term '火星'.*add a row"):
        g.english("火星")


def test_the_mistranslations_the_editor_found_are_fixed():
    # 全国一流园区 is a first-class industrial park nationwide, not a "national park".
    assert "national park" not in g.english("全国一流园区")
    assert "first-class" in g.english("全国一流园区") and "industrial park" in g.english("园区")
    # The source is a news report about the conference, not the conference's own report.
    assert g.english("新闻报道") == "news report"
    assert g.english("工作会报告") != g.english("新闻报道")
    # 第一方阵 is a tier, and 第一 alone is not a glossary term that could stand for it.
    assert g.english("第一方阵") == "the first tier"
    with pytest.raises(g.GlossaryError):
        g.english("第一")
    # 大 in 三大/十大 counts items in a name; it is no unit.
    assert "unit" not in g.english("大") and g.english("十大") == "ten major"
    # 500强: a top-500 list, not necessarily Fortune's.
    assert "fortune" not in g.english("500强").lower()


def test_metric_names_keep_the_scope_and_the_verb_of_the_chinese():
    from gaoxin.data import load_facts
    from gaoxin.data.followup import load_followup_figures

    facts = load_facts()
    figures = load_followup_figures()
    names = list(facts.metric_en) + list(figures.metric_en)
    # 以上 is "or more": no name says "over" or "above" a number.
    assert not [m for m in names if re.search(r"\b(over|above) \d", m)]
    # 规模以上工业增加值: the scope (firms above designated size) stays in the name.
    (target,) = _after(facts, "规模以上工业增加值增长").metric_en
    assert g.english("规模以上") in target
    # 列入国家、省科技计划项目数和获得扶持资金额…第一位: provincial plans and the funds count.
    (rank,) = facts.loc[facts.quote == "第一位"].metric_en
    assert "provincial" in rank and "funds" in rank
    # 总引资额 comes with 签约, 引进资金总额 with 引进; 引资 = 引进资金, so the verb differs.
    (signed,) = _after(facts, "总引资额").metric_en
    (goal,) = _after(facts, "引进资金总额").metric_en
    (later,) = figures.loc[figures.subject_zh == "总引资额"].metric_en
    # The literal words (引资: capital attracted); the list it stands in (签约) is in the note,
    # since whose capital it is, is a reading (introduced_vs_signed), not a translation.
    assert "attracted" in signed and "signed" not in signed and "introduce" in goal
    assert "签约" in g.load_glossary().loc["总引资额", "note"]
    assert g.english("总引资额") == signed == later and g.english("引进资金总额") == goal


def _after(facts, words):
    """The facts whose quote follows the words in their sentence."""
    return facts[[words + q in s for q, s in zip(facts.quote, facts.sentence)]]


def test_labels_take_both_languages_from_the_glossary():
    maps = [
        labels.DOMAINS,
        labels.PERIODS,
        labels.KINDS,
        labels.ENTITY_TYPES,
        labels.ROLES,
        labels.QUALIFIERS,
        labels.UNITS,
        labels.ACCOUNTING,
    ]
    checked = 0
    for words in maps:
        for text in words.values():
            assert g.label_problem(text) is None, g.label_problem(text)
            checked += g.split_label(text) is not None
    assert checked >= 40
    assert labels.label("park") == "园区 Industrial park"
    assert labels.UNITS["count"] == "count 个" and labels.KINDS["count"] == "个数 Count"


def test_label_problem_catches_unknown_terms_and_other_english():
    assert g.label_problem("原文 As written") is None
    assert g.label_problem("排名 Rank (1 = best)") is None  # an aside in brackets is allowed
    assert g.label_problem("目标 Target, as written") is None
    assert "not in glossary.csv" in g.label_problem("火星 Mars")
    assert "gives 全国一流园区 as" in g.label_problem("全国一流园区 National park")
    assert "gives 500强 as" in g.label_problem("Fortune 500 500强")
    assert g.label_problem("a sentence that mentions 累计 in passing") is None  # not a label
    assert g.label_problem("no Chinese here") is None


def _label_strings(tree):
    """Strings a reader sees as labels: arguments of label calls, values of dicts they take,
    and top-level constants and dicts (code→words maps; WHOLE_ARTICLE = "全文 whole article")."""

    def strings(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]  # f"面积 Area ({unit})": the label is the leading text
            if isinstance(first, ast.Constant):
                yield first.value.rstrip(" (")
        elif isinstance(node, ast.Dict):
            for v in node.values:
                yield from strings(v)
        elif isinstance(node, ast.List | ast.Tuple):
            for v in node.elts:
                yield from strings(v)
        elif isinstance(node, ast.Call) and _name(node.func) == "Col":
            yield from strings(node.args[0]) if node.args else ()

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in LABEL_CALLS:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                yield from strings(arg)
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Dict | ast.Constant
        ):
            yield from strings(node.value)


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _notebook_tree(stem):
    nb = json.loads((NOTEBOOKS_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return ast.parse("\n".join(cells))


@pytest.mark.parametrize("stem", CHECKED_NOTEBOOKS)
def test_notebook_labels_agree_with_the_glossary(stem):
    found = [t for t in _label_strings(_notebook_tree(stem)) if g.split_label(t)]
    assert len(found) >= 10, "the scan finds the notebook's bilingual labels"
    problems = [p for p in map(g.label_problem, found) if p]
    assert not problems, f"{stem}: " + "; ".join(problems)


def test_package_maps_agree_with_the_glossary():
    found = []
    for path in sorted(Path(gaoxin.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(path.name, t) for t in _label_strings(tree) if g.split_label(t)]
    assert len(found) >= 20
    problems = [f"{name}: {p}" for name, t in found if (p := g.label_problem(t))]
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize(
    ("old", "new", "column", "problem"),
    [
        ("产业,industry,", "产业,产业,", "en", "holds Chinese characters"),
        ("产业,industry,", "industry,industry,", "term_zh", "is not a Chinese term"),
        ("产业,industry,", "创新,industry,", "term_zh", "'创新' is already in row"),
        ("产业,industry,", "产业,,", "en", "required value is empty"),
    ],
)
def test_bad_rows_name_file_row_and_column(glossary_file, old, new, column, problem):
    _replace(glossary_file, old, new)
    with pytest.raises(DataError) as err:
        g.load_glossary(glossary_file)
    message = str(err.value)
    assert message.startswith("glossary.csv, row ") and f"column '{column}'" in message
    assert problem in message and "curated by hand" in message and "\n" not in message


def test_a_row_with_too_many_cells(glossary_file):
    _replace(glossary_file, "产业,industry,,", "产业,industry,,x,y")
    with pytest.raises(DataError, match=r"glossary\.csv, row \d+: has 5 cells, expected 4"):
        g.load_glossary(glossary_file)


def test_the_title_is_translated_with_the_glossary():
    from gaoxin.source import load_source

    source = load_source()
    assert "全国一流园区" in source.title
    assert g.english("全国一流园区") in source.title_en
    readme = (NOTEBOOKS_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert " ".join(g.english("全国一流园区").split()) in " ".join(readme.split())
    assert "national park" not in readme and "national park" not in source.title_en


def test_da_is_shown_as_a_count_in_a_name_not_a_unit():
    from gaoxin.data import load_facts
    from gaoxin.report import article_page

    facts = load_facts()
    for quote in ("三大", "十大"):  # 抓好三大…, 十大中心: counts inside names
        row = facts[facts.quote == quote].iloc[0].to_dict()
        assert row["unit_raw"] == "大"  # the facts table keeps the character as written
        tooltip = article_page.fact_row(row)
        assert "a count in a name" in tooltip
        assert "单位 Unit</span> 大" not in tooltip and " 大 (" not in tooltip


def test_relation_labels_agree_with_the_glossary():
    from gaoxin.vocabulary import RELATIONS, relation_label

    for code in RELATIONS:
        assert g.label_problem(relation_label(code)) is None, relation_label(code)
        assert g.split_label(relation_label(code)) is not None


def test_the_scan_catches_a_planted_mislabel():
    code = (
        'present(df, {"a": Col("全国一流园区 National park", "text")})\n'
        'ax.set_xlabel("500强 Fortune 500")\n'
        'WHOLE = "火星 Mars"\n'
    )
    found = {t for t in _label_strings(ast.parse(code)) if g.split_label(t)}
    problems = [g.label_problem(t) for t in found]
    assert len(found) == 3 and all(problems), problems


GLOSS_RE = re.compile(r"«([\u3400-\u9fff0-9]+)»,? \(\*?([A-Za-z][^()\u3400-\u9fff*]*)\*?\)")


@pytest.mark.parametrize("stem", CHECKED_NOTEBOOKS)
def test_prose_glosses_agree_with_the_glossary(stem):
    """«主战场» (main battlefield): a gloss in prose uses the glossary's English."""
    nb = json.loads((NOTEBOOKS_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    glosses = GLOSS_RE.findall(text)
    assert glosses, "the scan finds the notebook's glosses"
    problems = [p for term, en in glosses if (p := g.label_problem(f"{term} {en}"))]
    assert not problems, f"{stem}: " + "; ".join(problems)
