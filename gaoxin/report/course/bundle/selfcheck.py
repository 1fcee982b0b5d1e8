"""Self-check for the course notebooks: formative, never a mark, and it knows no answer.

It checks what can be checked without knowing the answer: the type (one number, a table, a
chart), the unit (percent or fraction, 亿元 or yuan), the rounding asked for, and a wide
plausible range. A "plausible" verdict means only that: the same words are printed for every
value that passes, right or wrong. Your teacher marks the exact answers.

Use it from a notebook in this folder: ``from selfcheck import check, hint, setup_chinese_font``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXERCISES = HERE / "exercises.csv"
FONT = HERE / "fonts" / "NotoSansCJKsc-Regular.otf"

PLAUSIBLE = (
    "plausible: {what}. This check cannot tell a right answer from a wrong one of the same "
    "kind and size; compare your reasoning with the question, then your teacher marks it."
)
UNIT_WORDS = {
    "count": "a count (a whole number)",
    "percent": "a percentage (15.5 means 15.5%)",
    "fraction": "a fraction (0.155 means 15.5%)",
    "yuan_100m": "an amount in 亿元 (hundreds of millions of yuan)",
    "m2": "an area in square metres",
    "ratio": "a ratio (a plain number)",
    "points": "a difference in percentage points",
}


def _load() -> dict[str, dict[str, str]]:
    with open(EXERCISES, encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def hint(exercise_id: str) -> None:
    """Print the hint of an exercise."""
    row = _load().get(exercise_id)
    print(row["hint"] if row else f"there is no exercise {exercise_id!r} in exercises.csv")


def _scalar(answer: object) -> object:
    """A numpy scalar or 0-d array as the Python value it holds (np.float64(3.0) → 3.0,
    np.array(2.0) → 2.0, np.True_ → True); anything else as it is. The autograder
    reads an answer the same way."""
    if getattr(answer, "ndim", None) == 0 and hasattr(answer, "item"):
        return answer.item()  # type: ignore[attr-defined]
    return answer


def _number_feedback(row: dict[str, str], answer: object) -> str:
    unit = row["unit"]
    decimals = int(row["decimals"] or 0)
    answer = _scalar(answer)
    if type(answer).__name__ in ("Series", "DataFrame", "list", "tuple", "ndarray", "dict"):
        size = getattr(answer, "shape", None) or (len(answer),)  # type: ignore[arg-type]
        said = (
            f"not yet: this is a {type(answer).__name__} of shape {tuple(size)}, and the question "
            "asks for one number. Pick the one value you need (.loc, .iloc, .item()) or reduce "
            "the table to one number (len, .sum(), .mean())."
        )
        isna = getattr(answer, "isna", None)
        if isna is not None and bool(isna().to_numpy().any()):
            said += (
                " It also holds NaN: a string method such as .str.contains gives NaN for an "
                "empty cell unless you pass na=False, and .sum() or .mean() then skip those rows."
            )
        return said
    # One number is a Python int or float (numpy scalars were turned into one above); a bool,
    # a string or anything else is not, whatever it converts to.
    if type(answer) not in (int, float):
        kind = type(answer).__name__
        extra = " Numbers are written without quotes." if isinstance(answer, str) else ""
        if isinstance(answer, bool):
            extra = " True and False are not counts: count them with .sum()."
        return f"not yet: the answer is a {kind}, and the question asks for a number.{extra}"
    value = float(answer)
    if math.isnan(value):
        return "not yet: the answer is NaN (not a number): did a filter keep no rows?"
    low, high = float(row["low"]), float(row["high"])
    if unit == "percent" and abs(value) < max(low, 1) and low <= value * 100 <= high:
        return "not yet: this looks like a fraction; the question asks for a percentage (×100)."
    if unit == "fraction" and abs(value) > 1:
        return "not yet: this looks like a percentage; the question asks for a fraction (÷100)."
    if unit == "yuan_100m" and abs(value) >= 1e6:
        return "not yet: this looks like yuan; the question asks for 亿元 (divide by 1e8)."
    whole = unit in ("count", "ratio") and decimals == 0
    if value and (round(value, decimals) == 0 or (whole and abs(value) < 1)):
        # Before any advice on rounding: rounding such a value would hide the slip.
        return (
            f"not yet: {value:g} looks like a fraction, and the question asks for "
            f"{UNIT_WORDS.get(unit, unit)}. Did you take a share or a mean where a count or a "
            "sum was meant, or divide the wrong way round (b ÷ a instead of a ÷ b)?"
        )
    if round(value, decimals) != value:
        places = "a whole number" if decimals == 0 else f"{decimals} decimal place(s)"
        return f"not yet: round to {places}, as the question asks (round(x, {decimals}))."
    if not low <= value <= high:
        zero = " A share or a fraction rounded to a whole number gives 0." if value == 0 else ""
        return (
            f"not yet: {value:g} is outside what is possible for this question "
            f"({low:g} to {high:g}); check the unit and the rows your filter keeps.{zero}"
        )
    return PLAUSIBLE.format(what=UNIT_WORDS.get(unit, unit) + ", in range, rounded as asked")


def _table_feedback(row: dict[str, str], answer: object) -> str:
    if type(answer).__name__ not in ("DataFrame", "Series"):
        return f"not yet: the answer is a {type(answer).__name__}; the question asks for a table."
    columns = [c for c in row["columns"].split(";") if c]
    have = [str(c) for c in getattr(answer, "columns", [getattr(answer, "name", None)])]
    missing = [c for c in columns if c not in have]
    if missing:
        return f"not yet: the table needs the column(s) {', '.join(missing)}; it has {have}."
    rows = len(answer)  # type: ignore[arg-type]
    low, high = float(row["low"]), float(row["high"])
    if low == high and rows != low:
        return (
            f"not yet: the question asks for {low:g} rows (one per pair: count them in the table "
            f"you started from), and this table has {rows}. A merge on a key that is not unique "
            "repeats rows; an inner merge drops rows whose key has no match."
        )
    if not low <= rows <= high:
        return f"not yet: {rows} rows is outside what is possible here ({low:g} to {high:g})."
    return PLAUSIBLE.format(what=f"a table with the columns asked for and {rows} rows")


def _chart_feedback(row: dict[str, str], answer: object) -> str:
    if not hasattr(answer, "get_title"):
        return (
            "not yet: put the chart's axes in the answer (fig, ax = plt.subplots(); … ; "
            f"answer = ax); this is a {type(answer).__name__}."
        )
    drawn = len(answer.patches) + len(answer.lines) + len(answer.collections)  # type: ignore[attr-defined]
    if not drawn:
        return "not yet: the axes are empty; draw on the ax you return (ax.bar, df.plot(ax=ax))."
    missing = [
        name
        for name, text in (
            # A title may sit left, centre or right (a style's axes.titlelocation decides).
            ("a title", "".join(answer.get_title(loc) for loc in ("left", "center", "right"))),  # type: ignore[attr-defined]
            ("an x-axis label", answer.get_xlabel()),  # type: ignore[attr-defined]
            ("a y-axis label", answer.get_ylabel()),  # type: ignore[attr-defined]
        )
        if not text.strip()
    ]
    if missing:
        return f"not yet: the chart needs {', '.join(missing)} (a reader must know what it shows)."
    problem = _chart_shape_problem(row, answer)
    if problem:
        return f"not yet: {problem}"
    return PLAUSIBLE.format(
        what="a chart with marks, a title and both axis labels"
        + (", drawn as the question asks" if row.get("expects") or row["unit"] else "")
    )


def _bars(ax: object) -> tuple[bool, list[tuple[float, float]]]:
    """Whether the bars are horizontal, and (position, length) per bar in position order."""
    patches = [p for p in ax.patches if type(p).__name__ == "Rectangle"]  # type: ignore[attr-defined]
    xs = {round(p.get_x(), 6) for p in patches}
    ys = {round(p.get_y(), 6) for p in patches}
    horizontal = len(xs) == 1 and len(ys) > 1
    bars = [
        (p.get_y() + p.get_height() / 2, p.get_width())
        if horizontal
        else (p.get_x() + p.get_width() / 2, p.get_height())
        for p in patches
    ]
    return horizontal, sorted(bars)


def _category_labels(ax: object, horizontal: bool, positions: list[float]) -> list[str]:
    """The tick label nearest each bar position, as a reader sees them."""
    ax.figure.canvas.draw()  # type: ignore[attr-defined]
    axis = ax.yaxis if horizontal else ax.xaxis  # type: ignore[attr-defined]
    ticks = list(axis.get_ticklocs())
    texts = [t.get_text() for t in axis.get_ticklabels()]
    if not ticks or len(ticks) != len(texts):
        return []
    found = []
    for pos in positions:
        nearest = min(range(len(ticks)), key=lambda i: abs(ticks[i] - pos))
        if not found or found[-1] != texts[nearest]:
            found.append(texts[nearest])
    return found


def _chart_shape_problem(row: dict[str, str], ax: object) -> str:
    """What the question asks of the chart's shape and unit that it lacks (or "")."""
    horizontal, bars = _bars(ax)
    value_label = ax.get_xlabel() if horizontal else ax.get_ylabel()  # type: ignore[attr-defined]
    lengths = [length for _, length in bars]
    rules = [r for r in row.get("expects", "").split(";") if r]
    for rule in rules:
        name, _, arg = rule.partition("=")
        if name == "bars" and len(bars) != int(arg):
            return (
                f"the question asks for {arg} bars and the chart has {len(bars)}; check which "
                "rows you kept."
            )
        if name == "order":
            wanted = arg.split(",")
            have = _category_labels(ax, horizontal, [pos for pos, _ in bars])
            if have != wanted:
                return (
                    f"the bars should be labelled {', '.join(wanted)}, in that order; the chart "
                    f"shows {', '.join(have) or 'no labels'} (sort_index() puts labels in order)."
                )
        if name == "sorted" and lengths not in (sorted(lengths), sorted(lengths, reverse=True)):
            return "the bars should be sorted by length (sort_values() before drawing)."
        if name == "stacked" and len({round(pos, 6) for pos, _ in bars}) == len(bars):
            return "the bars should be stacked, one segment per column (stacked=True)."
        if name == "zero_line":
            lines = ax.lines  # type: ignore[attr-defined]
            get = (lambda ln: ln.get_xdata()) if horizontal else (lambda ln: ln.get_ydata())
            if not any(len(get(ln)) and all(float(v) == 0 for v in get(ln)) for ln in lines):
                zero = "ax.axvline(0)" if horizontal else "ax.axhline(0)"
                return f"draw a line at zero ({zero}) so misses and hits read at a glance."
    unit = row["unit"]
    if unit == "yuan_100m":
        if any(abs(v) >= 1e6 for v in lengths):
            return "the bars look like yuan; the question asks for 亿元 (divide by 1e8)."
        if "亿" not in value_label:
            return "name the unit (亿元) in the label of the value axis."
    if unit == "percent" and "%" not in value_label:
        return "say the unit (%) in the label of the value axis."
    return ""


def feedback(exercise_id: str, answer: object) -> str:
    """The self-check's words for an answer (see the module's docstring)."""
    row = _load().get(exercise_id)
    if row is None:
        return f"there is no exercise {exercise_id!r} in exercises.csv"
    if answer is None or answer is Ellipsis:
        return "not answered yet: replace the ... with your answer and run the cell again."
    kind = row["kind"]
    if kind == "number":
        return _number_feedback(row, answer)
    if kind == "table":
        return _table_feedback(row, answer)
    if kind == "chart":
        return _chart_feedback(row, answer)
    if not isinstance(answer, str) or _words(answer) < int(row["low"] or 1):
        return (
            "not yet: write your answer as a sentence or two in quotes "
            f"(at least {row['low']} words; in Chinese, about twice as many characters)."
        )
    return "written answers are marked by your teacher; the model answer is in the teacher's kit."


CJK_CHARS_PER_WORD = 2  # Chinese writes no spaces: about two characters make a word


def _words(text: str) -> int:
    """Words in an answer: space-separated words, plus its Chinese characters counted two to a
    word, so an answer written in Chinese is measured fairly."""
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin = "".join(" " if "\u4e00" <= ch <= "\u9fff" else ch for ch in text)
    return len(latin.split()) + cjk // CJK_CHARS_PER_WORD


def check(exercise_id: str, answer: object) -> None:
    """Print the self-check's feedback for an answer."""
    print(f"{exercise_id}: {feedback(exercise_id, answer)}")


def setup_chinese_font() -> None:
    """Draw Chinese in charts with the bundled Noto Sans CJK SC (SIL Open Font Licence)."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    if FONT.is_file():
        font_manager.fontManager.addfont(str(FONT))
        family = font_manager.FontProperties(fname=str(FONT)).get_name()
        plt.rcParams["font.family"] = ["DejaVu Sans", family]
    else:
        print(f"{FONT} is missing: Chinese in charts may show as boxes.")
