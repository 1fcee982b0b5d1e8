"""Issue 22 item 6: extraction cost grows in step with the article, and a long article says how
far the reading has come.

A generated article of the genre (the same few sentences with changing figures, a heading every
twenty paragraphs) is read at two sizes; four times the text may cost at most about four times the
CPU (a quadratic step made it sixteen: 0.5 MB took 14.8 s and 2 MB 169 s before)."""

from __future__ import annotations

import io
import time
from pathlib import Path

from gaoxin.facts.pipeline import LONG_INPUT_CHARS, progress_line
from gaoxin.facts.tables import extract_tables
from gaoxin.text.structure import parse

HEAD = "长岭高新区2020年工作会议召开\n\n记者 李明\n\n1月10日,长岭高新区召开2020年工作会议。\n\n"
# CPU for 4× the text ÷ CPU for 1×: linear is 4, quadratic 16; the margin absorbs a shared machine.
MAX_GROWTH = 7.0


def generated(chars: int) -> str:
    parts, n, i = [HEAD], len(HEAD), 0
    while n < chars:
        i += 1
        part = (f"第{i}部分\n\n" if i % 20 == 0 else "") + (
            f"去年,园区实现技工贸总收入{1000 + i % 900}.5亿元,同比增长9.{i % 10}%;"
            f"新增企业{i % 500 + 1}家,签约项目{i % 90 + 1}个。"
            f"今年,园区力争营业收入增长10%以上,新建道路{i % 40 + 1}公里。\n\n"
        )
        parts.append(part)
        n += len(part)
    return "".join(parts)


def cpu_seconds(raw: str, progress=None) -> tuple[float, int]:
    article = parse(raw)
    start = time.process_time()
    facts = extract_tables(article, None, progress)["facts"]
    return time.process_time() - start, len(facts)


def test_four_times_the_text_costs_about_four_times_the_time():
    small = generated(LONG_INPUT_CHARS // 4)
    large = generated(LONG_INPUT_CHARS)
    cpu_seconds(generated(5_000))  # warm: imports and compiled patterns
    t_small, n_small = cpu_seconds(small)
    stream = io.StringIO()
    t_large, n_large = cpu_seconds(large, progress_line(Path("big.txt"), parse(large), stream))
    assert n_large > 3.5 * n_small  # the facts grow with the text
    assert t_large / t_small < MAX_GROWTH, (t_small, t_large)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("extract: big.txt: ") and lines[0].endswith("characters, reading…")
    assert [line.rsplit(" ", 2)[-2] for line in lines[1:]] == [f"{p}%" for p in range(10, 100, 10)]


def test_a_short_article_prints_no_progress():
    assert progress_line(Path("short.txt"), parse(generated(5_000))) is None


CORPUS = Path(__file__).parent / "corpus"
# Linear is 4; the quadratic steps gave 8.6 at these sizes.
CORPUS_MAX_GROWTH = 6.0


def repeated_tables(chars: int) -> str:
    """The corpus's indicator-table articles one after another until the text is `chars` long:
    unit headers, table cells and exclusions grow with the text, as in a long statistical file
    (the generated text above has none of them)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*_table.txt"))]
    parts, n, i = [], 0, 0
    while n < chars:
        parts.append(texts[i % len(texts)] + "\n\n")
        n += len(parts[-1])
        i += 1
    return "".join(parts)


def test_tables_and_exclusions_grow_linearly():
    # Before: every exclusion was checked against all earlier ones and every number against
    # every unit header of every table.
    cpu_seconds(repeated_tables(5_000))
    t_small, n_small = cpu_seconds(repeated_tables(40_000))
    t_large, n_large = cpu_seconds(repeated_tables(160_000))
    assert n_large > 3.5 * n_small
    assert t_large / t_small < CORPUS_MAX_GROWTH, (t_small, t_large)
