"""The audit exercise's checker (nec.exercises.audit_checks), on answers worked by hand from
the Veterans' Administration table (data/veteran_nomogram.csv; scale 35.77692):

- small-cell HR = exp(26 / 35.77692) = exp(0.72673) = 2.07 (R printed 2.04);
- Karnofsky coefficient = (0 − 100) / (100 − 10) / 35.77692 = −0.0311 per point;
- S₀(90 days) = 0.881 (any single tick: 0.6 at 50 points gives exp(−exp(log(−log 0.6) −
  50 / 35.77692)) = exp(−exp(−2.06927)) = 0.8814).

Common slips, each with the sentence that must name it: the HR R printed (2.04), the
coefficient not exponentiated (0.73), the Karnofsky sign (+0.0311), the slope in points
(−1.111), the axis read as 0–100 (−100 / 100 / 35.77692 = −0.0280), a percent (88.1), the top
printed tick (0.8)."""

import pytest

from nec.exercises import EXERCISES, check

RIGHT = {"smallcell_hr": 2.07, "karno_coefficient": -0.0311, "baseline_90d": 0.881}


def test_the_exercise_is_registered_in_the_nomogram_chapter():
    assert EXERCISES["audit-veteran"].chapter == "nomogram"


def test_the_hand_worked_answer_is_right_and_compared_with_what_r_printed():
    feedback = check("audit-veteran", RIGHT)
    assert feedback.correct, feedback.message
    assert "R printed 2.04" in feedback.message and "2.01 to 2.13" in feedback.message
    assert "R printed -0.0311" in feedback.message


@pytest.mark.parametrize("baseline", [0.8814, 0.8802, 0.8824])  # single-tick estimates
def test_any_single_tick_estimate_of_the_baseline_is_accepted(baseline):
    assert check("audit-veteran", {**RIGHT, "baseline_90d": baseline}).correct


def test_keys_are_read_spacing_and_case_blind():
    assert check("audit-veteran", {"Smallcell HR": 2.07, "karno-coefficient": -0.0311,
                                   "BASELINE_90D": 0.881}).correct


SLIPS = [
    ("smallcell_hr", 2.04, "2.04 is the ratio R printed"),
    ("smallcell_hr", 0.73, "that is the coefficient (log hazard ratio); exponentiate it"),
    ("smallcell_hr", 3.18, "smallcell_hr: not the right value"),
    ("karno_coefficient", 0.0311, "the sign is wrong"),
    # Right to one digit, wrong sign: the axis that runs backwards is named.
    ("karno_coefficient", 0.03, "the Karnofsky axis runs the other way"),
    ("karno_coefficient", 1.111, "with the wrong sign; the Karnofsky axis runs the other way"),
    ("karno_coefficient", 0.5, "the axis falls: 100 points at a score of 10"),
    ("karno_coefficient", -1.111, "that is the slope in points per Karnofsky point"),
    ("karno_coefficient", -0.0280, "the printed axis runs from 10 to 100, not 0 to 100"),
    ("baseline_90d", 88.1, "give the survival as a proportion (0.88), not a percent"),
    ("baseline_90d", 0.8, "0.8 is the survival printed at 20 points"),
    ("baseline_90d", 0.741, "baseline_90d: not the right value"),  # the 180-day baseline
]


@pytest.mark.parametrize("part, value, fragment", SLIPS)
def test_each_slip_is_named_and_the_right_parts_are_said_to_be_right(part, value, fragment):
    feedback = check("audit-veteran", {**RIGHT, part: value})
    assert not feedback.correct
    assert fragment in feedback.message, feedback.message
    assert "Right:" in feedback.message  # the two other parts
