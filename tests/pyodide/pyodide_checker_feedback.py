"""Under Pyodide (Node): every checker gives every typed answer CPython's exact feedback.

Not collected by the unit stage (the name does not start with ``test_``): run.sh's Pyodide
stage passes it to pytest explicitly, after tests/pyodide/checker_feedback.py has written
CPython's feedback to _build/pyodide-checker-feedback.json (NEC_CHECKER_FEEDBACK overrides
the path).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from checker_answers import typed_answers  # noqa: E402

from nec.exercises.typed import check_typed_html  # noqa: E402

FEEDBACK = Path(os.environ.get("NEC_CHECKER_FEEDBACK",
                               ROOT / "_build" / "pyodide-checker-feedback.json"))


@pytest.fixture(scope="module")
def cpython():
    assert FEEDBACK.is_file(), (f"{FEEDBACK} is missing: run `python "
                                f"tests/pyodide/checker_feedback.py {FEEDBACK}` under CPython "
                                "first")
    return json.loads(FEEDBACK.read_text(encoding="utf-8"))


def test_cpython_answered_the_same_table(cpython):
    assert {e for e, _, _ in typed_answers()} == set(cpython["feedback"])
    assert sum(map(len, cpython["feedback"].values())) == len(set(
        (e, t) for e, _, t in typed_answers()))


@pytest.mark.parametrize("exercise, kind, typed", typed_answers())
def test_each_answer_gets_cpythons_feedback(cpython, exercise, kind, typed):
    assert check_typed_html(exercise, typed) == cpython["feedback"][exercise][typed]
