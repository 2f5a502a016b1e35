"""Every exercise checker on a table of typed answers (tests/checker_answers.py): right ones
are marked correct, wrong ones are judged and explained, bad ones are asked for again in the
right form. Runs under CPython (unit stage) and under Pyodide in Node (run.sh's Pyodide stage),
where no numpy, pandas or lifelines exists: every checker runs on the standard library."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from checker_answers import ANSWERS, typed_answers  # noqa: E402

from nec.exercises import EXERCISES  # noqa: E402
from nec.exercises.typed import check_typed  # noqa: E402

#: How a checker asks for an answer in the right form (never how it judges one).
FORM_REQUESTS = ("Give ", "Answer with ", "The answer needs every part")


def test_every_exercise_has_right_wrong_and_bad_answers():
    assert set(ANSWERS) == set(EXERCISES)
    for exercise, kinds in ANSWERS.items():
        assert set(kinds) == {"right", "wrong", "bad"}, exercise
        assert all(kinds[k] for k in kinds), exercise


@pytest.mark.parametrize("exercise, kind, typed", typed_answers())
def test_each_typed_answer_is_marked_as_its_kind(exercise, kind, typed):
    feedback = check_typed(exercise, typed)
    assert feedback.correct is (kind == "right"), (exercise, typed, feedback.message)
    asks_for_form = feedback.message.startswith(FORM_REQUESTS)
    assert asks_for_form is (kind == "bad"), (exercise, typed, feedback.message)
