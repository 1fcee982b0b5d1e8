"""Self-checking exercises: a student's answer is compared with a stored hash, never the answer.

`data/annotations/exercises.csv` holds one row per exercise (id "NN.k", goal "G1"…, level
apply / interpret / judge, kind number / open, decimals, answer hash, hint, minutes). For a
number exercise the walkthrough's solution cell computes the value and calls
`record_solution(id, value)`, which checks it against the stored hash; the student notebook keeps
an answer cell (`answer = None`) and a check cell (`check_answer(id, answer)`), which prints
exactly one of CORRECT, NOT_YET (pointing at `hint(id)`) or NOT_ANSWERED. Hashes are written by
`python -m gaoxin.analysis.exercises update`, which reruns the walkthroughs and records what
their solutions compute, so no expected value is ever typed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gaoxin.config import ANNOTATIONS_DIR, NOTEBOOKS_DIR

EXERCISES_PATH = ANNOTATIONS_DIR / "exercises.csv"
FIELDS = ("id", "goal", "level", "kind", "decimals", "answer_hash", "hint", "minutes")
LEVELS = ("apply", "interpret", "judge")
KINDS = ("number", "open")  # open: words or a table, marked by a teacher
# Output of record_solution(): {"id", "value", "hash"}; the update command collects it.
SOLUTION_MIMETYPE = "application/vnd.gaoxin.exercise+json"

CORRECT = "correct"
NOT_ANSWERED = "not answered"
NOT_YET = "not yet — hint available: hint('{id}')"
# An answer one step off in its last stated decimal still counts: rounding at a boundary.
TOLERANCE_STEPS = (0, -1, 1)


class ExerciseError(ValueError):
    """The exercise file is malformed, or a solution no longer matches its stored hash."""


@dataclass(frozen=True)
class Exercise:
    id: str
    goal: str
    level: str
    kind: str
    decimals: int | None
    answer_hash: str
    hint: str
    minutes: int

    @property
    def notebook(self) -> str:
        """The two-digit notebook number the id starts with ("05" for "05.2")."""
        return self.id.split(".")[0]


def _row(raw: dict[str, str], where: str) -> Exercise:
    if raw.get("level") not in LEVELS:
        raise ExerciseError(f"{where}: level must be one of {LEVELS}, not {raw.get('level')!r}")
    if raw.get("kind") not in KINDS:
        raise ExerciseError(f"{where}: kind must be one of {KINDS}, not {raw.get('kind')!r}")
    number = raw["kind"] == "number"
    if number != bool(raw["decimals"].strip()):
        raise ExerciseError(f"{where}: a number exercise, and only that, states its decimals")
    if not raw["minutes"].strip().isdigit() or not raw["hint"].strip():
        raise ExerciseError(f"{where}: every exercise needs a hint and a time in whole minutes")
    head, _, tail = raw["id"].partition(".")
    if not (len(head) == 2 and head.isdigit() and tail.isdigit()):
        raise ExerciseError(f"{where}: id {raw['id']!r} is not 'NN.k'")
    if not (raw["goal"].startswith("G") and raw["goal"][1:].isdigit()):
        raise ExerciseError(f"{where}: goal {raw['goal']!r} is not 'G1', 'G2' …")
    return Exercise(
        id=raw["id"],
        goal=raw["goal"],
        level=raw["level"],
        kind=raw["kind"],
        decimals=int(raw["decimals"]) if number else None,
        answer_hash=raw["answer_hash"].strip(),
        hint=raw["hint"].strip(),
        minutes=int(raw["minutes"]),
    )


def load_exercises(path: Path = EXERCISES_PATH) -> dict[str, Exercise]:
    """The exercise file, validated: known columns, unique ids, levels, kinds and decimals."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != FIELDS:
            raise ExerciseError(f"{path.name}: columns must be {FIELDS}")
        rows = [_row(raw, f"{path.name} line {n}") for n, raw in enumerate(reader, start=2)]
    exercises = {r.id: r for r in rows}
    if len(exercises) != len(rows):
        raise ExerciseError(f"{path.name}: exercise ids are not unique")
    return exercises


@lru_cache(maxsize=1)
def _exercises() -> dict[str, Exercise]:
    return load_exercises()


def _number(value: Any) -> float | None:
    """The answer as a finite float, or None when it is not a number (str, list, bool, NaN…)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def answer_hash(exercise_id: str, value: float, decimals: int, step: int = 0) -> str:
    """SHA-256 of the id and the value rounded to `decimals` (shifted by `step` units)."""
    scaled = round(value * 10**decimals) + step
    return hashlib.sha256(f"{exercise_id}:{scaled}".encode()).hexdigest()


def verdict(exercise_id: str, answer: Any) -> str:
    """CORRECT, NOT_ANSWERED or NOT_YET for a student's answer; never raises for a bad answer."""
    exercise = _exercises().get(exercise_id)
    if exercise is None or exercise.kind != "number":
        raise ExerciseError(f"no self-checked exercise {exercise_id!r} in {EXERCISES_PATH.name}")
    if answer is None:
        return NOT_ANSWERED
    number = _number(answer)
    decimals = exercise.decimals or 0
    if number is not None and any(
        answer_hash(exercise_id, number, decimals, step) == exercise.answer_hash
        for step in TOLERANCE_STEPS
    ):
        return CORRECT
    return NOT_YET.format(id=exercise_id)


def check_answer(exercise_id: str, answer: Any) -> None:
    """Print the verdict on a student's answer (see `verdict`)."""
    print(verdict(exercise_id, answer))


def hint(exercise_id: str) -> None:
    """Print the exercise's hint (kept out of sight until asked for)."""
    exercise = _exercises().get(exercise_id)
    print(exercise.hint if exercise else f"no exercise {exercise_id!r}")


def record_solution(exercise_id: str, value: float) -> float:
    """Check a walkthrough solution against its stored hash and emit it for the update command."""
    from IPython.display import display

    exercise = _exercises()[exercise_id]
    decimals = exercise.decimals or 0
    computed = answer_hash(exercise_id, float(value), decimals)
    shown = f"answer {exercise_id} for the self-check: {float(value):.{decimals}f}"
    payload = {"id": exercise_id, "value": float(value), "hash": computed}
    display({SOLUTION_MIMETYPE: payload, "text/plain": shown}, raw=True)
    if computed != exercise.answer_hash:
        raise ExerciseError(
            f"exercise {exercise_id}: the solution's value does not match the stored hash; "
            "if the change is intended run `python -m gaoxin.analysis.exercises update`"
        )
    return value


def recorded_solutions(nb: Any) -> dict[str, dict[str, Any]]:
    """{id: {"id", "value", "hash"}} from an executed walkthrough's record_solution outputs."""
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(SOLUTION_MIMETYPE)
            if payload:
                found[payload["id"]] = payload
    return found


def write_hashes(hashes: dict[str, str], path: Path = EXERCISES_PATH) -> None:
    """Rewrite the answer_hash column for the given ids, keeping every other column."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["answer_hash"] = hashes.get(row["id"], row["answer_hash"])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _exercises.cache_clear()


def _run_tolerantly(path: Path) -> Any:
    """Execute a walkthrough, continuing past errors (a stale hash must not stop the rerun)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(nb, allow_errors=True, resources=resources).execute()
    return nb


def update(notebooks_dir: Path = NOTEBOOKS_DIR) -> dict[str, str]:
    """Rerun the walkthroughs with number exercises; store the hashes their solutions compute."""
    wanted = {e.notebook for e in _exercises().values() if e.kind == "number"}
    hashes = {}
    for path in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        if path.name[:2] in wanted:
            hashes.update(
                {i: p["hash"] for i, p in recorded_solutions(_run_tolerantly(path)).items()}
            )
    write_hashes(hashes)
    return hashes


USAGE = "usage: python -m gaoxin.analysis.exercises update"


def main(argv: list[str]) -> int:
    if argv in (["-h"], ["--help"]):
        print(f"{USAGE}\n\nRe-run the walkthroughs; rewrite the hashes in {EXERCISES_PATH.name}.")
        return 0
    if argv != ["update"]:
        print(f"{USAGE} (or --help)", file=sys.stderr)
        return 2
    print(json.dumps(sorted(update()), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
