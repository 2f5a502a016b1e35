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
# By hand from the Figure 5 legend of Angeli et al. 2020: lowest total 28 + 28 + 0 + 28 + 28 =
# 112, highest 37 + 60 + 100 + 81 + 55 = 333 (both printed); slow gait 60 − 28 = 32 points over
# its reference, weight loss 37 − 28 = 9, so 32 / 9 = 3.56 (rounding: 31 / 10 = 3.1 to
# 33 / 8 = 4.125). Slips: 0 (an rms nomogram's lowest total), 60 / 37 = 1.62 (the 'Yes'
# points, not the differences), 9 / 32 = 0.28 (inverted).
GRADE_RIGHT = {"lowest_total": 112, "highest_total": 333, "gait_vs_weight_loss": 3.56}


def test_the_grade_exercise_is_registered_in_the_nomogram_chapter():
    assert EXERCISES["audit-grade"].chapter == "nomogram"


def test_the_hand_worked_grade_answer_is_right_with_its_reasons():
    feedback = check("audit-grade", GRADE_RIGHT)
    assert feedback.correct, feedback.message
    assert feedback.message == (
        "lowest total 28 + 28 + 0 + 28 + 28 = 112, as the legend prints (112): the lowest "
        "levels of four predictors carry 28 points each, so every total includes 112 points that "
        "no patient avoids; highest total 37 + 60 + 100 + 81 + 55 = 333, as printed (333): the "
        "legend's range round-trips; slow gait speed earns 60 − 28 = 32 points over its "
        "reference, weight loss 37 − 28 = 9: its log hazard ratio is 32 / 9 = 3.56 times as "
        "large (rounding allows 3.1 to 4.125); the hazard ratios themselves need a scale, "
        "which the legend does not print.")


@pytest.mark.parametrize("ratio", [3.55, 3.5556, "3.56", 3.6, 3.51])
def test_the_ratio_is_accepted_to_one_decimal(ratio):
    # Biostatistics review 4, finding 6: rounding leaves 32 / 9 anywhere in 3.1–4.125, so the
    # exercise asks one decimal and 3.6 is right.
    assert check("audit-grade", {**GRADE_RIGHT, "gait_vs_weight_loss": ratio}).correct


@pytest.mark.parametrize("ratio", [3.4, 3.7, 4.0])
def test_a_ratio_off_by_a_tenth_or_more_is_not(ratio):
    assert not check("audit-grade", {**GRADE_RIGHT, "gait_vs_weight_loss": ratio}).correct


@pytest.mark.parametrize("part, value, fragment", [
    ("lowest_total", 0, "lowest_total: 0 is the lowest total of an rms nomogram, where each "
                        "predictor's lowest level earns 0; here four lowest levels"),
    ("lowest_total", 84, "lowest_total: not the right value; add each predictor's lowest "
                         "points"),
    ("highest_total", 305, "highest_total: not the right value; add each predictor's highest "
                           "points (for site, Other; for extension, Metastatic)"),
    ("gait_vs_weight_loss", 1.62, "gait_vs_weight_loss: 60 / 37 compares the points of the two "
                                  "'Yes' levels"),
    ("gait_vs_weight_loss", 0.28, "gait_vs_weight_loss: that is weight loss against slow gait "
                                  "speed"),
    ("gait_vs_weight_loss", 3.7, "gait_vs_weight_loss: not the right value; divide slow gait "
                                 "speed's points above its reference"),
])
def test_each_grade_slip_is_named_and_the_right_parts_are_said(part, value, fragment):
    feedback = check("audit-grade", {**GRADE_RIGHT, part: value})
    assert not feedback.correct
    assert feedback.message.startswith(fragment), feedback.message
    assert " Right: " in feedback.message


@pytest.mark.parametrize("answer, fragment", [
    (None, "Answer with a dict with the keys 'lowest_total', 'highest_total' and "
           "'gait_vs_weight_loss'"),
    ([112, 333, 3.56], "Answer with a dict"),
    ({"lowest_total": 112, "highest_total": 333}, "Answer with a dict"),
    ({**GRADE_RIGHT, "lowest_total": "low"}, "lowest_total: give the total as a number"),
    ({**GRADE_RIGHT, "highest_total": None}, "highest_total: give the total as a number"),
    ({**GRADE_RIGHT, "gait_vs_weight_loss": True}, "gait_vs_weight_loss: give the ratio as a "
                                                   "number"),
])
def test_a_malformed_grade_answer_is_told_what_to_give(answer, fragment):
    feedback = check("audit-grade", answer)
    assert not feedback.correct and fragment in feedback.message, feedback.message


def test_keys_may_be_written_with_spaces_or_capitals():
    assert check("audit-grade", {"Lowest total": 112, "highest-total": 333,
                                 "GAIT_VS_WEIGHT_LOSS": 3.56}).correct
