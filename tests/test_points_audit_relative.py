"""nec.points_audit on tables that print less than an rms nomogram: the GRADE points of
Angeli et al. 2020 (data/grade_angeli2020_points.csv), and small tables worked by hand.

Every expected number is computed here by hand from the printed numbers, never by the code
under test:

- GRADE (Figure 5 legend): the lowest levels are No 28 (weight loss), No 28 (slow gait),
  Hematological 0 (site), Local 28 (extension), No 28 (supportive care only), so the lowest
  total is 28 + 28 + 0 + 28 + 28 = 112; the highest levels are 37, 60, 100 (Other), 81
  (Metastatic), 55, so the highest total is 37 + 60 + 100 + 81 + 55 = 333. Both are printed.
- The contrasts: weight loss 37 − 28 = 9, slow gait 60 − 28 = 32, extension 60 − 28 = 32 and
  81 − 28 = 53, supportive care 55 − 28 = 27; each off by at most 2 × 0.5 = 1 point.
- Slow gait against weight loss: 32 / 9 = 3.5556; rounding allows (32 − 1) / (9 + 1) = 3.1 to
  (32 + 1) / (9 − 1) = 4.125.
- A hazard ratio sets the scale to an interval: 30 points (± 1) and HR 2.00 (± 0.005) give
  29 / ln 2.005 = 41.688 to 31 / ln 1.995 = 44.885 points per unit of linear predictor;
  10 points and HR 1.27 give 9 / ln 1.275 = 37.044 to 11 / ln 1.265 = 46.794 (they overlap);
  10 points and HR 2.00 give 9 / ln 2.005 = 12.938 to 11 / ln 1.995 = 15.927 (no overlap
  with the first).
"""

import math

import pytest

from nec.data import records
from nec.points_audit import (
    audit_points_table,
    grade_audit,
    relative_effect,
    veteran_hazard_ratios,
)
from nec.published import published_hazard_ratios, records_of_luo2024

HEADER = "row_id,kind,axis,level,value,source\n"
TWO_BINARY = (HEADER + "a,points,x,no,0,t\nb,points,x,yes,30,t\n"
              "c,points,y,no,0,t\nd,points,y,yes,10,t\n")

#: Every number of the Figure 5 legend, as printed (predictor, level, points).
GRADE_LEGEND = [
    ("weight_loss", "Yes", 37), ("weight_loss", "No", 28),
    ("slow_gait_speed", "Yes", 60), ("slow_gait_speed", "No", 28),
    ("cancer_site", "Hematological", 0), ("cancer_site", "Breast", 28),
    ("cancer_site", "Skin", 46), ("cancer_site", "Liver", 51), ("cancer_site", "CR", 55),
    ("cancer_site", "GU", 62), ("cancer_site", "Dig", 70), ("cancer_site", "Lung", 71),
    ("cancer_site", "Prostate", 74), ("cancer_site", "Other", 100),
    ("cancer_extension", "Local", 28), ("cancer_extension", "Locally-Advanced", 60),
    ("cancer_extension", "Metastatic", 81),
    ("supportive_care_only", "Yes", 55), ("supportive_care_only", "No", 28),
]


# --- the transcription ---------------------------------------------------------------------
def test_every_printed_number_of_the_legend_is_transcribed_once_with_its_source():
    rows = records("grade_angeli2020_points")
    points = [(r["axis"], r["level"], r["value"]) for r in rows if r["kind"] == "points"]
    assert sorted(points) == sorted(GRADE_LEGEND)
    totals = {r["level"]: r["value"] for r in rows if r["kind"] == "total_range"}
    assert totals == {"lowest": 112, "highest": 333}
    assert len(rows) == len(GRADE_LEGEND) + 2
    assert all(r["source"].startswith("Angeli et al. 2020") and "Figure 5" in r["source"]
               for r in rows)


def test_the_printed_range_of_totals_round_trips_from_the_points():
    audit = grade_audit()
    totals = {t["which"]: t for t in audit.totals}
    assert totals["lowest"]["from_axes"] == 28 + 28 + 0 + 28 + 28 == 112
    assert totals["highest"]["from_axes"] == 37 + 60 + 100 + 81 + 55 == 333
    assert all(t["consistent"] and t["printed"] == t["from_axes"] for t in audit.totals)
    assert audit.inconsistencies == ()


# --- what the audit finds in the GRADE -----------------------------------------------------
def test_four_reference_levels_carrying_28_points_are_an_offset_of_112():
    audit = grade_audit()
    assert audit.relative and audit.baseline == ()
    assert {(o["predictor"], o["level"], o["points"]) for o in audit.offsets} == {
        ("weight_loss", "No", 28), ("slow_gait_speed", "No", 28),
        ("cancer_extension", "Local", 28), ("supportive_care_only", "No", 28)}
    offset_remark = next(r for r in audit.remarks if "no patient can avoid" in r)
    assert "includes 112 points" in offset_remark and "start at 112, not 0" in offset_remark
    assert "totals from 112" in audit.summary


def test_each_contrast_is_the_difference_from_the_lowest_level_in_points():
    contrasts = {(c["predictor"], c["level"]): c for c in grade_audit().contrasts}
    expected = {("weight_loss", "Yes"): 9, ("slow_gait_speed", "Yes"): 32,
                ("cancer_extension", "Locally-Advanced"): 32,
                ("cancer_extension", "Metastatic"): 53, ("supportive_care_only", "Yes"): 27,
                ("cancer_site", "Breast"): 28, ("cancer_site", "Other"): 100}
    for key, points in expected.items():
        assert contrasts[key]["points"] == points and contrasts[key]["points_bound"] == 1
    assert contrasts[("weight_loss", "Yes")]["reference"] == "No"
    assert contrasts[("cancer_site", "Lung")]["reference"] == "Hematological"


def test_without_a_scale_no_coefficient_is_claimed():
    audit = grade_audit()
    assert all(r["coefficient"] is None and r["hazard_ratio"] is None
               for r in audit.coefficients)
    assert audit.model.scale is None
    assert audit.summary.startswith("No survival axis and no scale are printed")


def test_slow_gait_against_weight_loss_with_its_rounding_interval():
    r = relative_effect(grade_audit(), ("slow_gait_speed", "Yes"), ("weight_loss", "Yes"))
    assert r["ratio"] == pytest.approx(32 / 9)
    assert r["low"] == pytest.approx(3.1) and r["high"] == pytest.approx(4.125)


# --- printed hazard ratios with no scale ---------------------------------------------------
def test_two_hazard_ratios_that_share_a_scale_set_it():
    audit = audit_points_table(TWO_BINARY, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 2.00},
        {"predictor": "y", "level": "yes", "reference": "no", "hr": 1.27}])
    assert audit.inconsistencies == ()
    assert audit.model.scale_low == pytest.approx(29 / math.log(2.005))
    assert audit.model.scale_high == pytest.approx(31 / math.log(1.995))
    assert audit.model.scale_low <= audit.model.scale <= audit.model.scale_high
    assert "set by 2 printed hazard ratios" in audit.summary


def test_two_hazard_ratios_that_no_scale_reconciles_are_named_with_their_intervals():
    audit = audit_points_table(TWO_BINARY, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 2.00},
        {"predictor": "y", "level": "yes", "reference": "no", "hr": 2.00}])
    (sentence,) = audit.inconsistencies
    assert ("The printed hazard ratios of 2 for x yes vs no (30 points) and 2 for y yes vs no "
            "(10 points) cannot both describe these points") in sentence
    assert f"{29 / math.log(2.005):.1f} to {31 / math.log(1.995):.1f}" in sentence  # 41.7 to 44.9
    assert f"{9 / math.log(2.005):.1f} to {11 / math.log(1.995):.1f}" in sentence  # 12.9 to 15.9


def test_one_hazard_ratio_sets_the_scale_and_says_it_checks_nothing():
    audit = audit_points_table(TWO_BINARY, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 2.00}])
    assert audit.model.scale == pytest.approx(30 / math.log(2.0))
    coefs = {r["predictor"]: r for r in audit.coefficients}
    assert coefs["y"]["hazard_ratio"] == pytest.approx(2 ** (10 / 30))  # 1.26
    assert any("with only one, nothing can be checked" in r for r in audit.remarks)


def test_a_hazard_ratio_pointing_the_other_way_is_a_contradiction():
    audit = audit_points_table(TWO_BINARY, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 0.5}])
    (sentence,) = audit.inconsistencies
    assert "prints a hazard ratio of 0.5 for x yes vs no, but the points (30 points)" in sentence


def test_a_printed_scale_checks_each_hazard_ratio_directly():
    text = TWO_BINARY + "e,scale,points_per_lp_unit,,43.28,t\n"  # 30 / ln 2 = 43.28
    agree = audit_points_table(text, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 2.00}])
    assert agree.inconsistencies == () and agree.model.scale_source == "printed"
    assert agree.coefficients[0]["coefficient"] == pytest.approx(30 / 43.28)
    wrong = audit_points_table(text, hazard_ratios=[
        {"predictor": "x", "level": "yes", "reference": "no", "hr": 3.00}])
    (sentence,) = wrong.inconsistencies
    # 30 / 43.28 = 0.6932, e^0.6932 = 2.00; rounding: e^(29/43.28) = 1.95 to e^(31/43.28) = 2.05
    assert "hazard ratio of 3 for x yes vs no, but the axis points give 2.00 (rounding allows " \
           "1.95 to 2.05)" in sentence


def test_the_rms_printed_veteran_points_and_r_printed_ratios_share_r_s_scale():
    # Generality: the points alone (scale and survival rows dropped) and the four ratios R
    # printed must agree, on an interval that holds the scale rms printed, 35.77692.
    rows = [r for r in records("veteran_nomogram") if r["kind"] == "points"]
    audit = audit_points_table(rows, hazard_ratios=veteran_hazard_ratios())
    assert audit.inconsistencies == ()
    assert audit.model.scale_low <= 35.77692 <= audit.model.scale_high


def _luo_ratios(analysis):
    out = []
    for r in published_hazard_ratios(analysis).to_dict("records"):
        if r["variable"] in ("size_cm", "resection", "treatment"):
            per_cm = r["variable"] == "size_cm"
            out.append({"predictor": r["variable"], "hr": r["hr"],
                        "level": None if per_cm else r["level"],
                        "reference": None if per_cm else r["reference"]})
    return out


def test_luo_points_share_a_scale_with_table_3_and_not_with_table_2():
    rows = [r for r in records_of_luo2024() if r["kind"] == "points"]
    multi = audit_points_table(rows, hazard_ratios=_luo_ratios("multivariable"))
    assert multi.inconsistencies == ()
    assert multi.model.scale_low <= 29.528 <= multi.model.scale_high  # the printed scale
    uni = audit_points_table(rows, hazard_ratios=_luo_ratios("univariable"))
    # resection: 51 points (± 1) and HR 2.94 need 50 / ln 2.945 = 46.3 to 52 / ln 2.935 =
    # 48.3; size: 100/9 points per cm (± 1/9) and HR 1.293 need 11 / ln 1.298 = 42.2 to
    # 11.22 / ln 1.288 = 44.3: no common scale.
    assert any("1.293 for size_cm per unit (11.11 points per unit)" in s
               and "2.94 for resection no vs yes (51 points)" in s
               and "42.2 to 44.3" in s and "46.3 to 48.3" in s for s in uni.inconsistencies)


# --- a lowest level with points on a table that has a survival axis --------------------------
def test_an_offset_reference_gives_the_difference_as_the_coefficient():
    text = (HEADER + "a,points,sex,female,10,t\nb,points,sex,male,30,t\n"
            "c,total_points,survival_1y,0.9,10,t\nd,scale,points_per_lp_unit,,50,t\n")
    audit = audit_points_table(text)
    (coef,) = audit.coefficients
    assert coef["points"] == 20 and coef["coefficient"] == pytest.approx(20 / 50)
    assert audit.model.coefficient("sex", "male") == pytest.approx(0.4)
    assert any("lies 10 points below the lowest-risk real patient" in r for r in audit.remarks)


def test_a_printed_total_the_points_cannot_reach_is_an_inconsistency():
    rows = [dict(r, value=340.0) if r["row_id"] == "grade_total_highest" else r
            for r in records("grade_angeli2020_points")]
    (sentence,) = audit_points_table(rows).inconsistencies
    assert sentence == ("The paper prints a highest total of 340, but the predictors' highest "
                        "points add up to 333, 7 apart, more than the 3 that rounding allows: "
                        "a level's points or the printed range is off.")


def test_the_grade_table_typed_as_text_reads_back_the_same():
    from nec.points_audit import points_csv_text

    rows = records("grade_angeli2020_points")
    again = audit_points_table(points_csv_text(rows))
    assert again.contrasts == grade_audit().contrasts and again.totals == grade_audit().totals


def test_the_grade_audit_and_its_checker_import_neither_pandas_nor_numpy():
    # The exercise's checker runs in the reader's browser, where neither exists.
    import subprocess
    import sys

    code = ("import sys; from nec.points_audit import grade_audit, relative_effect; "
            "a = grade_audit(); relative_effect(a, ('slow_gait_speed', 'Yes'), "
            "('weight_loss', 'Yes')); from nec.exercises import check; "
            "check('audit-grade', {'total': 245, 'supportive_vs_weight_loss': 3.0}); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
