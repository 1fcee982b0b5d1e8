"""House chart style: CJK without warnings, open-licence font, alt text, byte determinism."""

from __future__ import annotations

import base64
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from gaoxin import charts


def _figure() -> tuple[plt.Figure, pd.DataFrame]:
    data = pd.DataFrame({"domain": ["industrial", "innovation"], "value": [12.5, -3.0]})
    fig, ax = plt.subplots()
    ax.bar([charts.label(d) for d in data["domain"]], data["value"], color=charts.PALETTE[:2])
    ax.set_title("衡阳高新区 2019 年目标 — 产业与创新")
    ax.set_ylabel("增速 Growth rate (%)")
    charts.source_note(fig, "一、2018年工作回顾")
    return fig, data


def test_chinese_title_renders_without_warnings():
    charts.set_style()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, data = _figure()
        bundle, meta = charts.render(fig, "fig_test", "A bar chart.", data)
        plt.close(fig)
    assert bundle["image/png"]
    assert meta == {"image/png": {"alt": "A bar chart."}}


def test_registered_font_is_open_licence_noto():
    path = charts.register_cjk_font()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert "simhei" not in path.name.lower()
    font = TTFont(path, lazy=True)
    names = {rec.nameID: rec.toUnicode() for rec in font["name"].names}
    assert "Noto Sans CJK SC" in names[1]
    assert "SIL Open Font License" in names[13]
    families = {f.name for f in matplotlib.font_manager.fontManager.ttflist}
    assert charts.CJK_FAMILY in families
    charts.set_style()
    assert "SimHei" not in matplotlib.rcParams["font.family"]
    assert matplotlib.rcParams["font.family"][:2] == ["DejaVu Sans", "Noto Sans CJK SC"]


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_show_rejects_empty_alt(alt):
    charts.set_style()
    fig, data = _figure()
    with pytest.raises(ValueError, match="alt text"):
        charts.show(fig, "fig_test", alt, data)
    assert not plt.get_fignums(), "the figure is closed even when show() refuses it"


def test_show_rejects_bad_name_and_data():
    charts.set_style()
    fig, data = _figure()
    with pytest.raises(ValueError):
        charts.render(fig, "../evil", "alt", data)
    with pytest.raises(TypeError):
        charts.render(fig, "fig_ok", "alt", [1, 2])
    plt.close(fig)


def test_png_and_svg_are_byte_deterministic():
    charts.set_style()
    outputs = []
    for _ in range(2):
        fig, data = _figure()
        bundle, _ = charts.render(fig, "fig_test", "alt text", data)
        plt.close(fig)
        outputs.append(bundle)
    first, second = outputs
    assert first["image/png"] == second["image/png"]
    payload1, payload2 = first[charts.FIGURE_MIMETYPE], second[charts.FIGURE_MIMETYPE]
    assert payload1["svg"] == payload2["svg"]
    assert payload1["csv"] == payload2["csv"] == "domain,value\nindustrial,12.5\ninnovation,-3.0\n"
    png = base64.b64decode(first["image/png"])
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    assert "<dc:date>" not in payload1["svg"] and "matplotlib.org" not in payload1["svg"]


def test_label_falls_back_to_key():
    assert charts.label("industrial") == "产业 Industry"
    from gaoxin import labels

    assert all(charts.label(key) == text for key, text in labels.LABELS.items())
    words = [labels.DOMAINS, labels.PERIODS, labels.KINDS, labels.ENTITY_TYPES, labels.ROLES]
    assert all(" " in text for m in words for text in m.values()), "bilingual: 中文 English"
    assert charts.label("unknown_key") == "unknown_key"


def test_source_note_sits_below_every_label():
    charts.set_style()
    fig, ax = plt.subplots()
    ax.bar(["新增发明专利申请\nnew applications", "专利授权\ngrants"], [263, 180])
    ax.set_xlabel("项 Patents (count)")
    fig.tight_layout()
    charts.source_note(fig, "奔跑的2018 演绎激情与速度")
    renderer = fig.canvas.get_renderer()
    note = fig.texts[-1].get_window_extent(renderer)
    others = [t.get_window_extent(renderer) for t in [*ax.get_xticklabels(), ax.xaxis.label]]
    assert all(note.y1 <= box.y0 for box in others)
    plt.close(fig)


# --- report-grade layout: text width and minimum text size (issue 8, item 3) ---------------


def test_default_figure_is_drawn_at_the_text_width_with_readable_text():
    charts.set_style(strict=True)
    try:
        fig, data = _figure()
        assert fig.get_figwidth() == charts.COLUMN_WIDTH_IN
        assert charts.layout_problems(fig) == []
        charts.render(fig, "fig_ok", "A bar chart.", data)
        plt.close(fig)
    finally:
        charts.set_style()


def test_strict_style_refuses_a_wide_figure_and_small_text():
    charts.set_style(strict=True)
    try:
        fig, ax = plt.subplots(figsize=(9, 3))
        ax.plot([0, 1], [0, 1])
        ax.text(0.5, 0.5, "tiny", fontsize=6)
        problems = charts.layout_problems(fig)
        assert any("wide" in p for p in problems) and any("'tiny'" in p for p in problems)
        with pytest.raises(ValueError, match="text width"):
            charts.render(fig, "fig_bad", "A line.", pd.DataFrame({"x": [0, 1]}))
        plt.close(fig)
    finally:
        charts.set_style()


def test_titles_use_one_regular_weight_for_both_scripts():
    charts.set_style()
    assert matplotlib.rcParams["axes.titleweight"] == "normal"
    assert matplotlib.rcParams["figure.titleweight"] == "normal"


def test_helpers_draw_the_house_encoding():
    charts.set_style(strict=True)
    try:
        fig, ax = plt.subplots(figsize=charts.bar_figsize(2))
        charts.dot_compare(
            ax, ["GDP 地区生产总值", "Retail 零售"], [8.0, float("nan")], [10.0, 12.0], xlim=(0, 16)
        )
        labels = [t.get_text() for t in ax.texts if t.get_text()]
        assert labels == ["8", "≥ 10", "≥ 12"]
        charts.encoding_legend(ax)
        # one filled result circle, two hollow target diamonds
        faces = [c.get_facecolor()[0][:3] for c in ax.collections]
        assert len(faces) == 3
        assert sum(tuple(f) == (1.0, 1.0, 1.0) for f in faces) == 2
        # floors carry an arrow each
        arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        assert len(arrows) == 2
        assert charts.layout_problems(fig) == []
        plt.close(fig)
        fig, ax = plt.subplots(figsize=charts.bar_figsize(3))
        charts.hbars(ax, ["a", "b", "c"], [3, 1200, 7], highlight={"b"})
        assert [t.get_text() for t in ax.texts] == ["3", "1,200", "7"]
        assert charts.layout_problems(fig) == []
        plt.close(fig)
    finally:
        charts.set_style()


def test_figure_data_keeps_labels_but_not_row_numbers():
    from gaoxin.charts.figure import _csv_text

    numbers = pd.DataFrame({"x": [1, 2]}, index=[3, 0])
    labelled = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="name"))
    assert _csv_text(numbers) == "x\n1\n2\n"
    assert _csv_text(labelled) == "name,x\na,1\nb,2\n"


# --- print that reads (issue 16, item 6): labels never overlap, ranges read as bars ----------


def _boxes(fig, artists):
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in artists]


def _overlapping(boxes) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


def _value_texts(ax):
    return [t for t in ax.texts if t.get_text().strip()]


def _marker_boxes(ax):
    """Display boxes of the scatter markers (a collection's own extent is not kept)."""
    from matplotlib.transforms import Bbox

    ax.figure.draw_without_rendering()
    radius = charts.MARKER_SIZE**0.5 / 2 * ax.figure.dpi / 72
    centres = [ax.transData.transform(xy) for c in ax.collections for xy in c.get_offsets()]
    return [Bbox([[x - radius, y - radius], [x + radius, y + radius]]) for x, y in centres]


@pytest.mark.parametrize(
    ("result", "target", "xlim"),
    [
        ((4594, 4721), 5000, None),  # a rounded count just short of its floor (06)
        ((3600, 3700), 5000, None),  # "3600余" against a floor of 5,000 (05)
        ((4594, 4721), 5000, (0, 6750)),  # a zero-based axis the caller asked for
        ((12.5, 14.0), 12.0, None),  # a range above its floor: labels swap sides
        (8.5, 12.0, None),
    ],
)
def test_dot_compare_labels_never_overlap_and_a_range_reads_as_a_bar(result, target, xlim):
    charts.set_style(strict=True)
    try:
        fig, axes = plt.subplots(2, 1, figsize=charts.figsize(2.4))
        charts.dot_compare(axes[0], ["GDP 地区生产总值 (%)"], [8.5], [12.0])
        charts.dot_compare(
            axes[1],
            ["新增市场主体 (count)"],
            [result],
            [target],
            xlim=xlim,
            value_fmt="{:,.0f}".format,
        )
        ax = axes[1]
        texts = _value_texts(ax)
        boxes = _boxes(fig, texts) + _marker_boxes(ax)
        assert len(texts) == 2 and len(boxes) >= 3
        # No two labels overlap, and no label covers a marker.
        assert _overlapping(boxes) == [], [t.get_text() for t in texts]
        # Every label is inside its axes (off the tick labels and inside the figure).
        frame = ax.get_window_extent(fig.canvas.get_renderer())
        assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 for b in boxes[:2])
        if isinstance(result, tuple):
            assert texts[0 if result[0] < target else 1].get_text() == (
                f"{result[0]:,.0f}–{result[1]:,.0f}"
            )
            # The range bar is at least three times as long as it is thick.
            bar = next(line for line in ax.lines if line.get_linewidth() == charts.RANGE_WIDTH_PT)
            length_pt = _boxes(fig, [bar])[0].width * 72 / fig.dpi
            assert length_pt >= 3 * charts.RANGE_WIDTH_PT, length_pt
        assert charts.layout_problems(fig) == []
        plt.close(fig)
    finally:
        charts.set_style()


def test_overlap_check_can_fail():
    """The same measure sees labels drawn on top of each other (the old 06 chart)."""
    charts.set_style()
    fig, ax = plt.subplots(figsize=charts.figsize(1.5))
    ax.set_xlim(0, 6750)
    a = ax.text(4657, 0.3, "4,594–4,721", ha="center")
    b = ax.text(5000, 0.3, "≥5,000", ha="center")
    assert _overlapping(_boxes(fig, [a, b])) == [(0, 1)]
    plt.close(fig)


def test_value_label_starts_past_the_marker_and_its_floor_arrow():
    charts.set_style()
    fig, ax = plt.subplots(figsize=charts.figsize(1.5))
    ax.set_xlim(0, 100)
    charts.mark(ax, 20, 0, "result", floor=True)
    label = charts.value_label(ax, 20, 0, "20多个  e.g. 创新中心", "result", floor=True)
    arrow = next(t for t in ax.texts if getattr(t, "arrow_patch", None) is not None)
    text, tip = _boxes(fig, [label, arrow.arrow_patch])
    (marker,) = _marker_boxes(ax)
    assert text.x0 > marker.x1 and text.x0 > tip.x1
    plt.close(fig)


def test_stacked_bars_keep_their_legend_off_the_bars():
    charts.set_style(strict=True)
    try:
        counts = pd.DataFrame(
            {"2018年实绩 2018 result": [1, 38, 17, 0], "多年 Multi-year": [0, 1, 1, 0]},
            index=["导语 Lead", "奔跑的2018", "产业建设", "2019再出发"],
        )
        fig, ax = plt.subplots(figsize=charts.bar_figsize(5))
        charts.stacked_hbars(ax, counts, dict(zip(counts.columns, charts.PALETTE)))
        legend, frame = _boxes(fig, [ax.get_legend(), ax])
        assert legend.y0 >= frame.y1  # above the axes, so above every bar
        assert charts.layout_problems(fig) == []
        plt.close(fig)
    finally:
        charts.set_style()


def test_a_floor_is_labelled_with_its_own_sign():
    """突破200 is «> 200» (strict), 以上 «≥»: the label takes the sign it is given."""
    import matplotlib.pyplot as plt

    from gaoxin import charts

    fig, ax = plt.subplots()
    charts.dot_compare(ax, ["a", "b"], [150, 150], [200, 200], target_floor=[">", True])
    texts = {t.get_text() for t in ax.texts}
    plt.close(fig)
    assert "> 200" in texts and "≥ 200" in texts, texts


def test_a_chart_of_the_whole_article_names_no_section():
    import matplotlib.pyplot as plt

    from gaoxin import charts
    from gaoxin.charts.figure import source_note_zh

    fig, _ax = plt.subplots()
    charts.source_note(fig, charts.WHOLE_ARTICLE)
    note = " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)
    assert "whole article" in note and "section «" not in note, note
    assert source_note_zh(charts.WHOLE_ARTICLE).endswith("（全文）")
    assert "「" not in source_note_zh(charts.WHOLE_ARTICLE)


def test_every_relation_has_its_own_colour():
    """A legend of relations (05 fig1, 00 fig2) tells each one apart."""
    from gaoxin.charts import RELATION_COLOURS

    assert len(set(RELATION_COLOURS.values())) == len(RELATION_COLOURS), RELATION_COLOURS


def test_a_chinese_note_keeps_a_section_name_on_one_line():
    from gaoxin.charts.figure import wrap_zh

    name = "「2019再出发: 剑指全国一流高新区」"
    lines = wrap_zh(f"资料来源：戈清平、王韦夫，衡阳高新区工作会议新闻报道——{name}部分", 60)
    assert any(name in line for line in lines.splitlines()), lines
