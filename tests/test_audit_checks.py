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


# --- the GRADE exercise ----------------------------------------------------------------------
# By hand from the Figure 5 legend of Angeli et al. 2020, for the exercise's patient (weight
# loss, no slow gait, lung, metastatic, not supportive care alone): 37 + 28 + 71 + 81 + 28 =
# 245 points; counting her two 'No' levels as 0: 189; only the points above each reference
# (every 28 lost): 245 − 112 = 133. Supportive care alone 55 − 28 = 27 points over its
# reference, weight loss 37 − 28 = 9, so 27 / 9 = 3.0 (rounding: 26 / 10 = 2.6 to 28 / 8 =
# 3.5). Slips: 55 / 37 = 1.49 (the 'Yes' points, not the differences), 9 / 27 = 0.33
# (inverted). Neither the total nor the ratio is printed on the page (reader review 6).
GRADE_RIGHT = {"total": 245, "supportive_vs_weight_loss": 3.0}


def test_the_grade_exercise_is_registered_in_the_nomogram_chapter():
    assert EXERCISES["audit-grade"].chapter == "nomogram"


def test_the_hand_worked_grade_answer_is_right_with_its_reasons():
    feedback = check("audit-grade", GRADE_RIGHT)
    assert feedback.correct, feedback.message
    assert feedback.message == (
        "total 37 + 28 + 71 + 81 + 28 = 245 points, the 28 points of each reference level "
        "included: the legend's risk axis is read at the total as printed; supportive care "
        "alone earns 55 − 28 = 27 points over its reference, weight loss 37 − 28 = 9: its log "
        "hazard ratio is 27 / 9 = 3.0 times as large, if every axis uses one points scale "
        "(rounding allows 2.6 to 3.5); the hazard ratios themselves need a scale, which the "
        "legend does not print.")


@pytest.mark.parametrize("ratio", [3.0, "3", 2.95, 3.05])
def test_the_ratio_is_accepted_to_one_decimal(ratio):
    # Biostatistics review 4, finding 6: rounding leaves the ratio anywhere in 2.6–3.5, so the
    # exercise asks one decimal.
    assert check("audit-grade", {**GRADE_RIGHT, "supportive_vs_weight_loss": ratio}).correct


@pytest.mark.parametrize("ratio", [2.9, 3.1, 3.5])
def test_a_ratio_off_by_a_tenth_or_more_is_not(ratio):
    assert not check("audit-grade", {**GRADE_RIGHT, "supportive_vs_weight_loss": ratio}).correct


@pytest.mark.parametrize("part, value, fragment", [
    ("total", 189, "total: 189 counts her 'No' levels (no slow gait speed, not supportive care "
                   "only) as 0"),
    ("total", 133, "total: 133 counts only the points above each reference level; the score's "
                   "totals include the 112 points"),
    ("total", 217, "total: not the right value; add the points of the level the patient has"),
    ("supportive_vs_weight_loss", 1.49, "supportive_vs_weight_loss: 55 / 37 compares the points "
                                        "of the two 'Yes' levels"),
    ("supportive_vs_weight_loss", 0.33, "supportive_vs_weight_loss: that is weight loss against "
                                        "supportive care alone"),
    ("supportive_vs_weight_loss", 3.6, "supportive_vs_weight_loss: not the right value; divide "
                                       "the points that supportive care alone earns"),
])
def test_each_grade_slip_is_named_and_the_right_parts_are_said(part, value, fragment):
    feedback = check("audit-grade", {**GRADE_RIGHT, part: value})
    assert not feedback.correct
    assert feedback.message.startswith(fragment), feedback.message
    assert " Right: " in feedback.message


@pytest.mark.parametrize("answer, fragment", [
    (None, "Answer with a dict with the keys 'total' and 'supportive_vs_weight_loss'"),
    ([245, 3.0], "Answer with a dict"),
    ({"total": 245}, "Answer with a dict"),
    ({**GRADE_RIGHT, "total": "high"}, "total: give the total as a number"),
    ({**GRADE_RIGHT, "supportive_vs_weight_loss": True},
     "supportive_vs_weight_loss: give the ratio as a number"),
])
def test_a_malformed_grade_answer_is_told_what_to_give(answer, fragment):
    feedback = check("audit-grade", answer)
    assert not feedback.correct and fragment in feedback.message, feedback.message


def test_keys_may_be_written_with_spaces_or_capitals():
    assert check("audit-grade", {"Total": 245, "supportive-vs weight_loss": 3.0}).correct
