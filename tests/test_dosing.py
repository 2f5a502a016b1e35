"""Dose formulas against worked examples from their references, properties, bad input.

Expected values are worked by hand from the published formulas (clinical_facts.md §4),
not produced by the code under test.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.dosing import (
    bsa,
    carboplatin_dose,
    creatinine_clearance,
    creatinine_mg_dl,
    ideal_body_weight,
    regimen_sheet,
    regimens,
)

# --- Body-surface area -----------------------------------------------------------------


def test_mosteller_worked_example():
    # sqrt(180 * 80 / 3600) = sqrt(4) = 2
    assert bsa(height_cm=180, weight_kg=80) == pytest.approx(2.0)
    assert bsa(height_cm=170, weight_kg=70, method="mosteller") == pytest.approx(
        math.sqrt(170 * 70 / 3600))


@pytest.mark.parametrize("h, w", [(180, 80), (160, 55), (175, 115)])
def test_dubois_formula(h, w):
    assert bsa(height_cm=h, weight_kg=w, method="DuBois") == pytest.approx(
        0.007184 * h**0.725 * w**0.425)


def test_dubois_metric_form_agrees():
    # 0.20247 x height(m)^0.725 x weight^0.425 is the same formula in metres.
    assert bsa(height_cm=175, weight_kg=70, method="dubois") == pytest.approx(
        0.20247 * 1.75**0.725 * 70**0.425, rel=1e-4)


# --- Ideal and adjusted weight -----------------------------------------------------------


def test_devine_ideal_body_weight():
    # 180 cm = 70.87 in: 50 + 2.3 x 10.87 = 74.99 kg
    assert ideal_body_weight(height_cm=180, sex="male") == pytest.approx(74.99, abs=0.01)
    # 165 cm = 64.96 in: 45.5 + 2.3 x 4.96 = 56.91 kg
    assert ideal_body_weight(height_cm=165, sex="female") == pytest.approx(56.91, abs=0.01)
    # exactly 5 ft: the base weight
    assert ideal_body_weight(height_cm=152.4, sex="male") == pytest.approx(50.0)


# --- Cockcroft–Gault -----------------------------------------------------------------------


def test_cockcroft_gault_worked_example_man():
    # (140 - 60) x 72 / (72 x 1.0) = 80 mL/min
    r = creatinine_clearance(age=60, weight_kg=72, creatinine=1.0, sex="male")
    assert r.ml_min == pytest.approx(80.0)
    assert (r.weight_basis, r.weight_used_kg) == ("actual", 72)
    assert float(r) == pytest.approx(80.0)


def test_cockcroft_gault_woman_is_085_times():
    r = creatinine_clearance(age=60, weight_kg=72, creatinine=1.0, sex="female")
    assert r.ml_min == pytest.approx(68.0)


def test_cockcroft_gault_in_umol_per_litre():
    # 88.4 umol/L is 1 mg/dL
    r = creatinine_clearance(age=60, weight_kg=72, creatinine=88.4, sex="male", unit="umol/L")
    assert r.ml_min == pytest.approx(80.0)
    # the published umol/L form: (140 - age) x weight x 1.23 / SCr
    r = creatinine_clearance(age=70, weight_kg=65, creatinine=110, sex="male", unit="µmol/L")
    assert r.ml_min == pytest.approx((140 - 70) * 65 * 1.23 / 110, rel=0.005)


def test_ideal_and_adjusted_weight_enter_the_formula():
    ibw = 50 + 2.3 * (175 / 2.54 - 60)
    ideal = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male",
                                 weight="ideal", height_cm=175)
    assert ideal.weight_used_kg == pytest.approx(ibw)
    assert ideal.ml_min == pytest.approx((140 - 66) * ibw / 72)
    adj = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male",
                               weight="adjusted", height_cm=175)
    assert adj.weight_used_kg == pytest.approx(ibw + 0.4 * (115 - ibw))


def test_obesity_note_when_actual_weight_is_used():
    r = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male", height_cm=175)
    assert any("BMI 37.6" in n for n in r.notes)


def test_creatinine_floor_is_applied_and_noted():
    r = creatinine_clearance(age=80, weight_kg=50, creatinine=0.4, sex="female",
                             creatinine_floor_mg_dl=0.7)
    assert r.creatinine_mg_dl == 0.7
    assert r.ml_min == pytest.approx((140 - 80) * 50 / (72 * 0.7) * 0.85)
    assert any("rounded up to the chosen floor of 0.7" in n for n in r.notes)
    assert "measured 0.40, raised to the floor of 0.7" in r.summary()


# Worked example of issue 11 (clinical_facts.md §4.2: actual/ideal < 1 -> actual weight):
# 60-year-old man, 180 cm, 45 kg, creatinine 0.8 mg/dL. Ideal (Devine) 74.99 kg > 45 kg, so
# every choice uses 45 kg: (140 - 60) x 45 / (72 x 0.8) = 3600 / 57.6 = 62.5 mL/min. The old
# code gave 104.2 (ideal) and 87.5 (adjusted), i.e. 646 and 562 mg carboplatin at AUC 5
# instead of 5 x (62.5 + 25) = 437.5 mg.
THIN = dict(age=60, weight_kg=45, creatinine=0.8, sex="male", height_cm=180)


@pytest.mark.parametrize("weight", ["actual", "ideal", "adjusted"])
def test_weight_below_ideal_uses_the_actual_weight_for_every_choice(weight):
    r = creatinine_clearance(**THIN, weight=weight)
    assert r.ml_min == pytest.approx(62.5)
    assert (r.weight_basis, r.weight_used_kg, r.weight_requested) == ("actual", 45, weight)
    assert carboplatin_dose(auc=5, gfr_ml_min=r.ml_min).dose_mg == pytest.approx(437.5)
    if weight != "actual":
        assert any("below the ideal weight" in n and f"instead of the {weight}" in n
                   for n in r.notes), r.notes
        assert f"the {weight} weight was asked for" in r.summary()


def test_adjusted_weight_says_what_it_did():
    # ideal 69.9 kg (175 cm man: 50 + 2.3 x (68.90 - 60) = 70.46); adjusted 70.46 +
    # 0.4 x (115 - 70.46) = 88.28 kg
    r = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male",
                             weight="adjusted", height_cm=175)
    assert r.weight_used_kg == pytest.approx(88.28, abs=0.01)
    assert any(n.startswith("Adjusted body weight 88.3 kg = ideal 70.5 + 0.4") for n in r.notes)


def test_ideal_weight_says_what_it_did():
    r = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male",
                             weight="ideal", height_cm=175)
    assert any("Ideal body weight (Devine) 70.5 kg was used" in n for n in r.notes)


@pytest.mark.parametrize("floor", [0.7, 0.8])
def test_creatinine_floor_choices(floor):
    # 80-year-old woman, 50 kg, creatinine 0.5: (140 - 80) x 50 / (72 x floor) x 0.85
    r = creatinine_clearance(age=80, weight_kg=50, creatinine=0.5, sex="female",
                             creatinine_floor_mg_dl=floor)
    assert r.ml_min == pytest.approx(60 * 50 / (72 * floor) * 0.85)
    assert (r.creatinine_mg_dl, r.creatinine_measured_mg_dl) == (floor, 0.5)


def test_floor_leaves_a_higher_creatinine_alone():
    r = creatinine_clearance(age=60, weight_kg=72, creatinine=1.0, sex="male",
                             creatinine_floor_mg_dl=0.8)
    assert r.ml_min == pytest.approx(80.0) and r.notes == ()


def test_estimate_above_125_from_a_low_creatinine_is_flagged():
    # (140 - 60) x 70 / (72 x 0.2) = 388.9 mL/min: the issue-14 example
    r = creatinine_clearance(age=60, weight_kg=70, creatinine=0.2, sex="male")
    assert r.ml_min == pytest.approx(388.9, abs=0.05)
    # 80 x 70 / (72 x 0.7) = 111.1 with the floor, shown beside the estimate
    assert any("below 0.70 mg/dL (62 µmol/L)" in n and "111.1 mL/min instead of 388.9" in n
               for n in r.notes), r.notes
    # with the floor the flag goes: 80 x 70 / (72 x 0.7) = 111.1
    floored = creatinine_clearance(age=60, weight_kg=70, creatinine=0.2, sex="male",
                                   creatinine_floor_mg_dl=0.7)
    assert floored.ml_min == pytest.approx(111.1, abs=0.05)
    assert not any("instead of" in n for n in floored.notes)


def test_high_estimate_from_a_normal_creatinine_is_not_flagged():
    # 40-year-old, 100 kg, creatinine 1.0: 100 x 100 / 72 = 138.9 > 125, creatinine normal
    r = creatinine_clearance(age=40, weight_kg=100, creatinine=1.0, sex="male")
    assert r.ml_min > 125 and r.notes == ()


# --- Carboplatin ----------------------------------------------------------------------------


def test_calvert_worked_example():
    # AUC 5, GFR 90: 5 x (90 + 25) = 575 mg
    r = carboplatin_dose(auc=5, gfr_ml_min=90)
    assert r.dose_mg == pytest.approx(575.0) and not r.capped and r.warning is None


def test_cap_is_said_to_be_the_fdas_and_a_measured_gfr_is_named():
    r = carboplatin_dose(auc=5, gfr_ml_min=140, gfr_kind="measured")
    assert "measured GFR of 140.0 mL/min was capped at 125" in r.warning
    assert "FDA" in r.warning and "not part of Calvert's formula" in r.warning
    estimate = carboplatin_dose(auc=5, gfr_ml_min=100, gfr_kind="cockcroft-gault")
    assert estimate.warning is None
    assert "Cockcroft–Gault estimates creatinine clearance" in estimate.notes[0]
    assert "measured by ⁵¹Cr-EDTA" in estimate.notes[0]


@pytest.mark.parametrize("auc, maximum", [(6, 900), (5, 750), (4, 600)])
def test_fda_cap_table(auc, maximum):
    # NCCN template: maximum dose = AUC x (125 + 25)
    at_cap = carboplatin_dose(auc=auc, gfr_ml_min=125)
    above = carboplatin_dose(auc=auc, gfr_ml_min=160)
    assert at_cap.dose_mg == pytest.approx(maximum) and not at_cap.capped
    assert above.dose_mg == pytest.approx(maximum) and above.capped
    assert "capped at 125" in above.warning and f"{maximum} mg" in above.warning


@given(st.floats(1, 8), st.floats(0.5, 250), st.floats(0.5, 250))
def test_dose_rises_with_gfr_until_the_cap_and_never_exceeds_auc_x_150(auc, g1, g2):
    lo, hi = sorted((g1, g2))
    d_lo = carboplatin_dose(auc=auc, gfr_ml_min=lo).dose_mg
    d_hi = carboplatin_dose(auc=auc, gfr_ml_min=hi).dose_mg
    assert d_lo <= d_hi <= auc * 150 + 1e-9
    if hi <= 125:
        assert d_hi - d_lo == pytest.approx(auc * (hi - lo))


@given(st.floats(40, 200), st.floats(40, 200))
def test_carboplatin_dose_rises_with_weight_until_the_cap(w1, w2):
    lo, hi = sorted((w1, w2))

    def dose(w):
        crcl = creatinine_clearance(age=60, weight_kg=w, creatinine=1.0, sex="male")
        return carboplatin_dose(auc=5, gfr_ml_min=crcl.ml_min).dose_mg

    assert dose(lo) <= dose(hi) <= 750 + 1e-9


@given(st.floats(100, 250), st.floats(100, 250), st.floats(25, 350))
def test_bsa_rises_with_height(h1, h2, w):
    lo, hi = sorted((h1, h2))
    for method in ("mosteller", "dubois"):
        assert bsa(height_cm=lo, weight_kg=w, method=method) <= bsa(
            height_cm=hi, weight_kg=w, method=method)


# --- Regimen sheets ----------------------------------------------------------------------------


def test_regimen_table_has_the_five_regimens_with_sources():
    table = regimens()
    assert set(table["regimen_id"]) == {"ep", "ep_split", "ec", "ip", "folfiri"}
    assert table["source"].str.len().min() > 10


def test_ep_sheet_at_bsa_2():
    sheet = regimen_sheet("ep", height_cm=180, weight_kg=80)  # BSA exactly 2.0
    rows = {r["drug"]: r for r in sheet.rows}
    assert rows["cisplatin"]["dose_per_day_mg"] == pytest.approx(160)
    assert rows["etoposide"]["dose_per_day_mg"] == pytest.approx(200)
    assert rows["etoposide"]["total_per_cycle_mg"] == pytest.approx(600)
    assert sheet.cycle_days == 21


def test_ep_split_gives_75_mg_per_m2_cisplatin_per_cycle():
    sheet = regimen_sheet("ep_split", height_cm=180, weight_kg=80)
    cis = next(r for r in sheet.rows if r["drug"] == "cisplatin")
    assert cis["dose_per_day_mg"] == pytest.approx(50)
    assert cis["total_per_cycle_mg"] == pytest.approx(150)


def test_ec_sheet_uses_cockcroft_gault_and_reports_the_cap():
    sheet = regimen_sheet("ec", height_cm=180, weight_kg=80, age=40, creatinine=0.7,
                          sex="male")
    # CrCl = 100 x 80 / (72 x 0.7) = 158.7 -> capped at 125 -> 5 x 150 = 750 mg
    assert sheet.crcl.ml_min == pytest.approx(100 * 80 / (72 * 0.7))
    assert sheet.carboplatin.capped and sheet.carboplatin.dose_mg == pytest.approx(750)
    assert any("capped" in w for w in sheet.warnings)


def test_ec_sheet_with_measured_gfr():
    sheet = regimen_sheet("ec", height_cm=180, weight_kg=80, gfr_ml_min=90)
    assert sheet.carboplatin.dose_mg == pytest.approx(575) and sheet.crcl is None


def test_ip_sheet_days_and_cycle():
    sheet = regimen_sheet("ip", height_cm=180, weight_kg=80)
    iri = next(r for r in sheet.rows if r["drug"] == "irinotecan")
    assert iri["days"] == "1, 8, 15" and iri["total_per_cycle_mg"] == pytest.approx(360)
    assert sheet.cycle_days == 28


def test_folfiri_infusion_is_a_46_hour_total():
    sheet = regimen_sheet("folfiri", height_cm=180, weight_kg=80)
    inf = next(r for r in sheet.rows if r["drug"] == "fluorouracil (infusion)")
    assert inf["dose_per_day_mg"] == pytest.approx(4800) and "46 h" in inf["route"]


def test_ep_split_note_states_the_cisplatin_difference():
    note = regimens().loc["ep_split_cisplatin", "notes"]
    assert "same" not in note and "75 mg/m2" in note and "80 mg/m2" in note


def test_folfiri_rows_carry_the_fact_sheets_secondary_tag():
    table = regimens()
    assert set(table.loc[table["regimen_id"] == "folfiri", "evidence_tag"]) == {"S"}


# --- Organ-function checks on the sheets ------------------------------------------------------

# 78-year-old woman, 160 cm, 60 kg, creatinine 2.5 mg/dL:
# (140 - 78) x 60 / (72 x 2.5) x 0.85 = 17.57 mL/min
FRAIL = dict(height_cm=160, weight_kg=60, age=78, creatinine=2.5, sex="female")


def test_ep_at_reduced_clearance_warns_for_cisplatin_and_etoposide_with_sources():
    sheet = regimen_sheet("ep", **FRAIL)
    assert sheet.renal_ml_min == pytest.approx(62 * 60 / 180 * 0.85)
    cis = [w for w in sheet.warnings if w.startswith("Cisplatin at a clearance of 17.6 mL/min")]
    assert len(cis) == 1 and "below 60 mL/min" in cis[0] and "carboplatin" in cis[0]
    assert "PMID 29294142" in cis[0] and "read in a secondary source" in cis[0]
    eto = [w for w in sheet.warnings if w.startswith("Etoposide at a clearance")]
    # 17.6 mL/min lies in 15-50: the 25 % reduction; BSA sqrt(160 x 60 / 3600) = 1.633 m2,
    # etoposide 163.3 mg a day, 75 % = 122.5 mg
    assert len(eto) == 1 and "25 % at 15–50 mL/min" in eto[0] and "122 mg" in eto[0]
    # the doses themselves are never changed by a warning
    rows = {r["drug"]: r for r in sheet.rows}
    assert rows["etoposide"]["dose_per_day_mg"] == pytest.approx(100 * math.sqrt(160 * 60 / 3600))


def test_etoposide_below_15_ml_min_is_the_contraindication_warning():
    sheet = regimen_sheet("ec", height_cm=160, weight_kg=50, age=85, creatinine=4.0,
                          sex="female")
    # (140 - 85) x 50 / (72 x 4) x 0.85 = 8.1 mL/min
    assert any(w.startswith("Etoposide at a clearance of 8.1 mL/min") and "below 15" in w
               for w in sheet.warnings)
    assert not any("Cisplatin at" in w for w in sheet.warnings)  # EC has no cisplatin


def test_normal_clearance_gives_no_renal_warning():
    sheet = regimen_sheet("ep", height_cm=180, weight_kg=80, age=50, creatinine=0.9,
                          sex="male")
    assert not any("clearance of" in w for w in sheet.warnings)


def test_etoposide_at_exactly_50_ml_min_is_in_the_label_band():
    sheet = regimen_sheet("ep", height_cm=180, weight_kg=80, gfr_ml_min=50)
    assert any(w.startswith("Etoposide at a clearance of 50.0 mL/min (measured GFR)")
               for w in sheet.warnings)


def test_missing_renal_function_is_said_for_cisplatin_sheets():
    sheet = regimen_sheet("ep", height_cm=180, weight_kg=80)
    assert any(w.startswith("Renal function was not given") and "cisplatin and etoposide" in w
               for w in sheet.warnings)


def test_irinotecan_and_fluorouracil_sheets_carry_ugt1a1_and_dpd():
    ip = regimen_sheet("ip", height_cm=180, weight_kg=80, gfr_ml_min=90)
    assert any("UGT1A1*28" in w and "§5.3" in w and "bilirubin" in w for w in ip.warnings)
    assert not any("DPD" in w for w in ip.warnings)
    folfiri = regimen_sheet("folfiri", height_cm=180, weight_kg=80)
    assert any("UGT1A1*28" in w for w in folfiri.warnings)
    dpd = [w for w in folfiri.warnings if "DPD" in w]
    assert len(dpd) == 1 and "EMA" in dpd[0] and "30 April 2020" in dpd[0]


def test_every_rule_names_its_source():
    from nec.dosing import ORGAN_FUNCTION_RULES

    # A source a reader can look up (a paper, a label, a regulator's notice), never the
    # project's own file names, which a reader cannot resolve.
    for rule in ORGAN_FUNCTION_RULES.values():
        assert any(s in rule.source for s in ("PMID", "prescribing information", "EMA")), \
            rule.key
        assert "clinical_facts" not in rule.source and "seed 00" not in rule.source, rule.key


def test_measured_gfr_capped_on_a_sheet_is_named():
    sheet = regimen_sheet("ec", height_cm=180, weight_kg=80, gfr_ml_min=140)
    assert any(w.startswith("The measured GFR of 140.0 mL/min was capped") for w in sheet.warnings)


@pytest.mark.parametrize(
    "change, words",
    [({"creatinine": 88}, "µmol/L"), ({"age": 17}, "Age"), ({"sex": "x"}, "sex"),
     ({"creatinine": 1.0, "unit": "mmol/L"}, "unit"), ({"weight": "lean"}, "weight basis"),
     ({"creatinine_floor_mg_dl": 7}, "floor"), ({"gfr_ml_min": 0}, "Measured GFR")],
)
def test_sheet_checks_inputs_it_does_not_use(change, words):
    # EP doses by BSA only, but a wrong creatinine, age or sex must still be refused.
    with pytest.raises(ValueError, match=words):
        regimen_sheet("ep", height_cm=180, weight_kg=80, **change)


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: bsa(height_cm=175, weight_kg=-70), ["Weight", "-70"]),
        (lambda: bsa(height_cm=175, weight_kg=0), ["Weight", "0"]),
        (lambda: bsa(height_cm=1.75, weight_kg=70), ["Height", "centimetres"]),
        (lambda: bsa(height_cm=175, weight_kg=70, method="haycock"), ["BSA method"]),
        (lambda: creatinine_mg_dl(0, "mg/dL"), ["greater than 0", "not a measurement"]),
        (lambda: creatinine_mg_dl(-1, "umol/L"), ["greater than 0"]),
        (lambda: creatinine_mg_dl(88, "mg/dL"), ["µmol/L"]),
        (lambda: creatinine_mg_dl(0.9, "umol/L"), ["mg/dL"]),
        (lambda: creatinine_mg_dl(1.0, "mmol/L"), ["unit", "'mmol/L'"]),
        (lambda: creatinine_clearance(age=60, weight_kg=70, creatinine=1, sex="x"),
         ["sex", "'x'"]),
        (lambda: creatinine_clearance(age=15, weight_kg=70, creatinine=1, sex="m"),
         ["Age", "adults"]),
        (lambda: creatinine_clearance(age=60, weight_kg=70, creatinine=1, sex="m",
                                      weight="ideal"), ["height"]),
        (lambda: carboplatin_dose(auc=0.5, gfr_ml_min=90), ["AUC", "between 1 and 8"]),
        (lambda: carboplatin_dose(auc=9, gfr_ml_min=90), ["AUC"]),
        (lambda: carboplatin_dose(auc=5, gfr_ml_min=0), ["GFR"]),
        (lambda: regimen_sheet("xelox", height_cm=175, weight_kg=70), ["regimen", "'ec'"]),
        (lambda: regimen_sheet("ec", height_cm=175, weight_kg=70), ["renal function"]),
    ],
)
def test_bad_input_is_refused_with_a_clear_sentence(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for w in words:
        assert w in str(err.value), (w, str(err.value))


# --- Review 1 of the first-line chapter (reviews/firstline-1.md), findings 1-5 -----------------
# Every expected value is worked by hand from Cockcroft–Gault, (140 - age) x weight /
# (72 x creatinine mg/dL) (x 0.85 for women), and Calvert with the FDA cap, AUC x (min(GFR,
# 125) + 25) (clinical_facts.md §4.2-4.3).


@pytest.mark.parametrize(
    "age, weight_kg, creatinine, estimate",
    [
        # the explorer's default man (66 y, 115 kg): 74 x 115 / (72 x 0.47) = 8510 / 33.84
        (66, 115, 0.47, 251.48),
        # 8510 / (72 x 0.48) = 8510 / 34.56
        (66, 115, 0.48, 246.24),
        # the chapter's low-creatinine example: 80 x 70 / (72 x 0.3) = 5600 / 21.6
        (60, 70, 0.3, 259.26),
    ],
)
def test_an_estimate_above_250_is_capped_not_refused(age, weight_kg, creatinine, estimate):
    # Finding 1: the 250 mL/min ceiling is for a typed GFR; an estimate is capped at 125,
    # so AUC 5 gives 5 x 150 = 750 mg.
    sheet = regimen_sheet("ec", height_cm=175, weight_kg=weight_kg, age=age,
                          creatinine=creatinine, sex="male")
    assert sheet.renal_ml_min == pytest.approx(estimate, abs=0.01)
    carbo = {r["drug"]: r for r in sheet.rows}["carboplatin"]
    assert carbo["dose_per_day_mg"] == pytest.approx(750.0)
    assert any(w.startswith(f"The Cockcroft–Gault estimate of {estimate:.1f} mL/min was "
                            "capped at 125") for w in sheet.warnings), sheet.warnings
    assert any("below 0.70 mg/dL" in w for w in sheet.warnings)
    assert carboplatin_dose(auc=5, gfr_ml_min=estimate,
                            gfr_kind="cockcroft-gault").dose_mg == pytest.approx(750.0)


def test_a_typed_gfr_above_250_is_still_refused():
    with pytest.raises(ValueError, match="beyond any adult kidney"):
        carboplatin_dose(auc=5, gfr_ml_min=260, gfr_kind="measured")
    with pytest.raises(ValueError, match="beyond any adult kidney"):
        regimen_sheet("ec", height_cm=175, weight_kg=70, gfr_ml_min=260)


def test_any_creatinine_below_07_is_noted_with_the_floored_estimate():
    # Finding 2: 80-year-old woman, 155 cm, 45 kg, creatinine 0.4 mg/dL:
    # 60 x 45 / (72 x 0.4) x 0.85 = 79.69 mL/min (below 125, so the old code said nothing);
    # with the 0.7 floor 60 x 45 / (72 x 0.7) x 0.85 = 45.54 mL/min.
    r = creatinine_clearance(age=80, weight_kg=45, creatinine=0.4, sex="female",
                             height_cm=155)
    assert r.ml_min == pytest.approx(79.69, abs=0.01)
    low = [n for n in r.notes if "below 0.70 mg/dL" in n]
    assert len(low) == 1 and "0.40 mg/dL (35 µmol/L)" in low[0]
    assert "45.5 mL/min instead of 79.7 mL/min" in low[0]
    # AUC 5: 5 x (79.69 + 25) = 523.4 mg unfloored vs 5 x (45.54 + 25) = 352.7 mg floored
    assert carboplatin_dose(auc=5, gfr_ml_min=r.ml_min).dose_mg == pytest.approx(523.4, abs=0.1)


def test_floor_note_shows_both_units_when_given_in_umol_per_litre():
    # 40 umol/L = 0.4525 mg/dL, raised to 0.7 mg/dL = 61.9 umol/L
    r = creatinine_clearance(age=80, weight_kg=50, creatinine=40, unit="umol/L",
                             sex="female", creatinine_floor_mg_dl=0.7)
    assert any("Measured creatinine 0.45 mg/dL (40 µmol/L) was rounded up to the chosen floor "
               "of 0.70 mg/dL (62 µmol/L)" in n for n in r.notes), r.notes


@pytest.mark.parametrize("height_cm", [100, 110, 150])
def test_devine_is_not_extrapolated_below_5_ft(height_cm):
    # Finding 3: Devine adds 2.3 kg per inch over 60 in; at 100 cm it would give
    # 45.5 + 2.3 x (39.37 - 60) = -1.9 kg.
    with pytest.raises(ValueError, match="5 ft"):
        ideal_body_weight(height_cm=height_cm, sex="female")
    # Cockcroft-Gault falls back to the actual weight and says so:
    # 80 x 30 / 72 x 0.85 = 28.33 mL/min
    for weight in ("ideal", "adjusted"):
        r = creatinine_clearance(age=60, weight_kg=30, creatinine=1.0, sex="female",
                                 height_cm=height_cm, weight=weight)
        assert r.ml_min == pytest.approx(28.33, abs=0.01)
        assert (r.weight_basis, r.weight_used_kg) == ("actual", 30)
        assert any("below 5 ft" in n and f"instead of the {weight}" in n for n in r.notes)


def test_devine_at_exactly_5_ft_is_the_base_weight():
    assert ideal_body_weight(height_cm=152.4, sex="female") == pytest.approx(45.5)


@pytest.mark.parametrize(
    "call, shown",
    [
        # Finding 4: one decimal, so the number never contradicts the threshold beside it
        (lambda: regimen_sheet("ep", height_cm=180, weight_kg=80, gfr_ml_min=59.9).warnings,
         "Cisplatin at a clearance of 59.9 mL/min"),
        (lambda: regimen_sheet("ec", height_cm=180, weight_kg=80, gfr_ml_min=14.9).warnings,
         "Etoposide at a clearance of 14.9 mL/min"),
        (lambda: (carboplatin_dose(auc=5, gfr_ml_min=125.1, gfr_kind="measured").warning,),
         "The measured GFR of 125.1 mL/min was capped at 125"),
    ],
)
def test_warnings_print_one_decimal(call, shown):
    assert any(w.startswith(shown) for w in call()), call()


def test_bmi_25_note_does_not_call_it_obesity():
    # Finding 5: 180 cm, 81 kg: BMI 81 / 1.8^2 = 25.0; ideal 74.99 kg, ratio 1.08
    r = creatinine_clearance(age=60, weight_kg=81, creatinine=1.0, sex="male", height_cm=180)
    bmi = [n for n in r.notes if n.startswith("BMI 25.0")]
    assert len(bmi) == 1 and "actual/ideal weight 1.08" in bmi[0]
    assert "obesity" not in bmi[0]


def test_ideal_weight_above_125_ratio_names_clincalcs_adjusted_rule():
    # 175 cm man, 115 kg: ideal 70.46 kg, ratio 115 / 70.46 = 1.63 > 1.25 -> adjusted
    r = creatinine_clearance(age=66, weight_kg=115, creatinine=1.0, sex="male",
                             weight="ideal", height_cm=175)
    assert any("Actual/ideal weight 1.63" in n and "would use the adjusted weight" in n
               for n in r.notes), r.notes
    # 180 cm, 81 kg: ratio 1.08, BMI 25.0 -> clincalc uses the ideal weight
    r = creatinine_clearance(age=60, weight_kg=81, creatinine=1.0, sex="male",
                             weight="adjusted", height_cm=180)
    assert any("would use the ideal weight" in n for n in r.notes), r.notes
    r = creatinine_clearance(age=60, weight_kg=81, creatinine=1.0, sex="male",
                             weight="ideal", height_cm=180)
    assert not any("would use" in n for n in r.notes)


def test_the_explorer_shows_a_capped_sheet_for_an_estimate_above_250():
    # Finding 1 in the explorer: its default man at creatinine 0.47 mg/dL gives
    # 74 x 115 / (72 x 0.47) = 251.5 mL/min; the sheet must show 5 x 150 = 750 mg.
    from nec.widgets import DosingExplorer

    ex = DosingExplorer(creatinine=0.47)
    assert ex.error is None
    assert ex.sheet.carboplatin.dose_mg == pytest.approx(750.0)
    assert "251.5 mL/min was capped at 125" in ex.output.value


def test_short_obese_patient_fallback_prints_the_bmi():
    # Review 2, finding 4: below 5 ft the ideal/adjusted weight falls back to the actual
    # weight; the obesity the user asked to correct for must still be named.
    # Woman 60 y, 145 cm, 90 kg, creatinine 0.8 mg/dL, by hand:
    #   CrCl = (140 - 60) x 90 / (72 x 0.8) x 0.85 = 7200 / 57.6 x 0.85 = 106.25 mL/min
    #   BMI  = 90 / 1.45^2 = 42.81 kg/m^2;  carboplatin AUC 5 = 5 x (106.25 + 25) = 656 mg
    for weight in ("ideal", "adjusted"):
        r = creatinine_clearance(age=60, weight_kg=90, creatinine=0.8, sex="female",
                                 height_cm=145, weight=weight)
        assert r.ml_min == pytest.approx(106.25, abs=0.01)
        assert r.weight_basis == "actual"
        obesity = [n for n in r.notes if "BMI 42.8 kg/m²" in n]
        assert len(obesity) == 1
        assert "measured GFR" in obesity[0] and "correction for marked obesity" in obesity[0]
    sheet = regimen_sheet("ec", height_cm=145, weight_kg=90, age=60, creatinine=0.8,
                          sex="female", weight="adjusted")
    assert sheet.carboplatin.dose_mg == pytest.approx(656.25, abs=0.01)
    assert any("BMI 42.8 kg/m²" in w and "measured GFR" in w for w in sheet.warnings)


def test_short_lean_patient_fallback_has_no_obesity_note():
    # 145 cm, 45 kg: BMI 45 / 2.1025 = 21.4, below the NCCN template's 25.
    r = creatinine_clearance(age=60, weight_kg=45, creatinine=0.8, sex="female",
                             height_cm=145, weight="adjusted")
    assert not any("BMI" in n for n in r.notes)


@pytest.mark.parametrize(("gfr", "printed", "absent"), [
    # Review 2, finding 13: one decimal printed 59.99 as "60.0" beside "below 60".
    (59.99, "clearance of 59.99 mL/min", "60.0 mL/min"),
    (59.96, "clearance of 59.96 mL/min", "60.0 mL/min"),
    (45.0, "clearance of 45.0 mL/min", "45.00"),   # far from every threshold: one decimal
])
def test_cisplatin_check_prints_the_side_of_60_it_is_on(gfr, printed, absent):
    sheet = regimen_sheet("ep", height_cm=170, weight_kg=70, gfr_ml_min=gfr)
    cis = [w for w in sheet.warnings if w.startswith("Cisplatin at a clearance")]
    assert len(cis) == 1 and printed in cis[0] and absent not in cis[0]


def test_etoposide_contraindication_prints_the_side_of_15_it_is_on():
    sheet = regimen_sheet("ep", height_cm=170, weight_kg=70, gfr_ml_min=14.99)
    severe = [w for w in sheet.warnings if "contraindicates etoposide below 15" in w]
    assert len(severe) == 1 and "clearance of 14.99 mL/min" in severe[0]


def test_cap_message_prints_a_gfr_just_above_125_as_above_it():
    # 125.04 was printed "125.0 mL/min was capped at 125"; dose 5 x 150 = 750 mg.
    dose = carboplatin_dose(auc=5, gfr_ml_min=125.04)
    assert dose.capped and dose.dose_mg == pytest.approx(750.0)
    assert "125.04 mL/min was capped at 125 mL/min" in dose.warning


def test_clearance_summary_prints_the_side_of_60_it_is_on():
    # (140 - 68) x 60 / (72 x 1.0) = 60.0 exactly; weight 59.99 kg gives 59.99 mL/min.
    r = creatinine_clearance(age=68, weight_kg=59.99, creatinine=1.0, sex="male")
    assert r.ml_min == pytest.approx(59.99)
    assert r.summary().startswith("Creatinine clearance 59.99 mL/min")
    exact = creatinine_clearance(age=68, weight_kg=60, creatinine=1.0, sex="male")
    assert exact.summary().startswith("Creatinine clearance 60.0 mL/min")


@given(st.floats(140, 210), st.floats(40, 150))
def test_a_cycle_total_is_the_sum_of_the_daily_doses_as_printed(height_cm, weight_kg):
    # Reader review 6: 3 × 236 mg printed beside "709 mg per cycle" (236.4 × 3). The total is
    # what is given: the whole-mg daily dose the sheet prints, times its days.
    sheet = regimen_sheet("ep", height_cm=height_cm, weight_kg=weight_kg)
    for r in sheet.rows:
        days = len(r["days"].split(","))
        assert r["total_per_cycle_mg"] == days * int(f"{r['dose_per_day_mg']:.0f}")
        assert f"{r['dose_per_day_mg']:.0f} mg on day(s)" in sheet.summary()


def test_the_reviewers_etoposide_example_adds_up():
    # Etoposide 100 mg/m² on days 1–3 at a BSA whose daily dose is 236.4 mg: 3 × 236 = 708.
    from nec.dosing import bsa

    height, weight = 170, 85
    area = bsa(height_cm=height, weight_kg=weight)
    sheet = regimen_sheet("ep", height_cm=height, weight_kg=weight)
    eto = {r["drug"]: r for r in sheet.rows}["etoposide"]
    assert eto["dose_per_day_mg"] == pytest.approx(100 * area)
    assert eto["total_per_cycle_mg"] == 3 * int(f"{100 * area:.0f}")


def test_a_half_milligram_dose_is_totalled_as_it_is_printed():
    # Confirmation review 7: a measured GFR of 60.3 gives carboplatin 426.5 mg, printed "426"
    # (half to even); the cycle total must be 426 too, and the Calvert line's arithmetic hold.
    sheet = regimen_sheet("ec", height_cm=170, weight_kg=70, gfr_ml_min=60.3)
    carbo = {r["drug"]: r for r in sheet.rows}["carboplatin"]
    assert f"{carbo['dose_per_day_mg']:.0f}" == "426" and carbo["total_per_cycle_mg"] == 426
    assert "426 mg per cycle" in sheet.summary()
    assert any("AUC 5 × (60.3 + 25) = 426 mg" in line for line in sheet.facts())
