"""Checkers for the chapter on first-line platinum regimens."""

from __future__ import annotations

import math

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)

# --- Chapter: first-line platinum regimens ------------------------------------------------


@exercise(
    "firstline-wilson",
    "first_line",
    "Patta 2011 saw 5 responses among 8 patients. Give the lower end of the 95 % Wilson "
    "interval for the response rate (in %, one decimal).",
)
def _firstline_wilson(answer):
    from nec.evidence import wilson_interval

    value = _number(answer)
    if value is None:
        return False, ("Give the lower bound as a number in % (one decimal), from the 95 % "
                       "Wilson interval of 5 responders out of 8.")
    lo, hi = (100 * x for x in wilson_interval(5, 8))
    p = 5 / 8
    wald = 100 * (p - 1.959964 * math.sqrt(p * (1 - p) / 8))
    if _near(value, lo, 0.051):
        return True, (f"{lo:.1f} % (interval {lo:.1f}–{hi:.1f} %). With 8 patients the "
                      "interval spans more than half the scale: this series cannot say much "
                      "on its own.")
    if _near(value, wald, 0.051):
        return False, ("That is the Wald interval, which is unreliable with 8 patients; use "
                       "Wilson's (nec.evidence.wilson_interval).")
    if _near(value, 100 * p, 0.051):
        return False, ("62.5 % is the point estimate, 5/8; the question asks for the lower end "
                       "of the 95 % Wilson interval around it.")
    if _near(value, lo / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    if _near(value, p, 0.001):
        return False, ("That is the point estimate as a proportion (5/8 = 0.625); give the "
                       "lower end of the Wilson interval, in per cent.")
    if _near(value, hi, 0.051):
        return False, "That is the upper end; give the lower."
    return False, ("Not the right bound: compute the 95 % Wilson interval for 5 responders "
                   "out of 8 (nec.evidence.wilson_interval(5, 8)) and give its lower end.")


CAP_CASE = dict(age=50, weight_kg=80, creatinine=0.6, sex="male")


@exercise(
    "firstline-carboplatin-cap",
    "first_line",
    "A 50-year-old man weighing 80 kg has a serum creatinine of 0.6 mg/dL. Estimate his "
    "GFR by Cockcroft–Gault (actual weight) and give the carboplatin dose for AUC 5 in mg.",
)
def _firstline_carboplatin_cap(answer):
    from nec.dosing import carboplatin_dose, creatinine_clearance

    value = _number(answer)
    if value is None:
        return False, "Give the dose in mg as a number."
    crcl = creatinine_clearance(**CAP_CASE).ml_min
    dose = carboplatin_dose(auc=5, gfr_ml_min=crcl)
    if _near(value, dose.dose_mg, 1):
        floored = creatinine_clearance(**CAP_CASE, creatinine_floor_mg_dl=0.7).ml_min
        return True, (f"{dose.dose_mg:.0f} mg. The clearance, {crcl:.0f} mL/min, is above "
                      "the 125 mL/min cap that the NCCN templates report as the FDA's advice, so "
                      "the dose stops at AUC × 150. "
                      "It also comes from a creatinine below 0.7 mg/dL: with that floor the "
                      f"estimate is {floored:.0f} mL/min, still above the cap.")
    if _near(value, 5 * (crcl + 25), 2):
        return False, (f"That uses the full clearance ({crcl:.0f} mL/min). The GFR put into "
                       "the Calvert formula is capped at 125 mL/min (a cap added to the "
                       "formula, not part of it), so the dose can never exceed AUC × 150 mg.")
    if _near(value, 5 * crcl, 2):
        # Both steps missed: no + 25 and no cap (5 × 166.7 = 833 mg).
        return False, (f"That is AUC × the full clearance ({crcl:.0f} mL/min), which misses two "
                       "steps: Calvert adds 25 mL/min (non-renal clearance), and the GFR is "
                       "capped at 125 mL/min, so dose = AUC × (min(GFR, 125) + 25).")
    if _near(value, 5 * min(crcl, 125), 2):
        return False, "Calvert adds 25 mL/min (non-renal clearance): dose = AUC × (GFR + 25)."
    return False, ("Not the right dose. Work it in two steps: Cockcroft–Gault "
                   "(140 − age) × weight / (72 × creatinine), then AUC × (min(GFR, 125) + 25).")


# Not the chapter's illustrative patient, whose three clearances the chapter tabulates: a woman
# with obesity, so the answer must be computed (and the 0.85 factor remembered).
OBESE_CASE = dict(age=58, weight_kg=98, creatinine=0.9, sex="female", height_cm=162)


@exercise(
    "firstline-crcl-weight",
    "first_line",
    "A woman of 58 years, 162 cm and 98 kg, creatinine 0.9 mg/dL. Give her Cockcroft–Gault "
    "clearance with the adjusted body weight (mL/min, one decimal).",
)
def _firstline_crcl_weight(answer):
    from nec.dosing import creatinine_clearance

    value = _number(answer)
    if value is None:
        return False, "Give the clearance in mL/min as a number."
    by = {w: creatinine_clearance(**OBESE_CASE, weight=w).ml_min
          for w in ("actual", "ideal", "adjusted")}
    if _near(value, by["adjusted"], 0.15):
        ratio = (by["actual"] + 25) / (by["ideal"] + 25)
        return True, (f"{by['adjusted']:.1f} mL/min, against {by['actual']:.1f} with actual "
                      f"and {by['ideal']:.1f} with ideal weight: at AUC 5 the carboplatin dose "
                      f"with actual weight is {ratio - 1:.0%} higher than with ideal weight.")
    if _near(value, by["actual"], 0.15):
        return False, "That uses the actual weight (98 kg); the question asks for the adjusted."
    if _near(value, by["ideal"], 0.15):
        return False, ("That uses the ideal weight; the adjusted weight adds 0.4 × (actual − "
                       "ideal) to it.")
    if _near(value, by["adjusted"] / 0.85, 0.15):
        return False, "Right weight, but for a woman Cockcroft–Gault is multiplied by 0.85."
    return False, ("Not the right clearance. Ideal weight (Devine, women) = 45.5 + 2.3 × "
                   "(inches over 60); adjusted = ideal + 0.4 × (actual − ideal); then "
                   "Cockcroft–Gault.")


@exercise(
    "firstline-etoposide-cycle",
    "first_line",
    "In the EC regimen, how much etoposide (mg, whole number) does one cycle contain for a "
    "patient of 170 cm and 70 kg (Mosteller BSA)?",
)
def _firstline_etoposide_cycle(answer):
    from nec.dosing import bsa, regimen_sheet

    value = _number(answer)
    if value is None:
        return False, "Give the total in mg as a number."
    sheet = regimen_sheet("ec", height_cm=170, weight_kg=70, gfr_ml_min=90)
    row = next(r for r in sheet.rows if r["drug"] == "etoposide")
    if _near(value, row["total_per_cycle_mg"], 1.5):
        return True, (f"{row['total_per_cycle_mg']:.0f} mg: {row['dose_per_day_mg']:.0f} mg on "
                      "each of days 1, 2 and 3.")
    if _near(value, row["dose_per_day_mg"], 1.5):
        return False, "That is one day's dose; etoposide is given on days 1 to 3."
    if _near(value, 300, 0.5):
        return False, "100 mg/m² is per square metre of body surface: multiply by the BSA."
    dubois = 100 * bsa(height_cm=170, weight_kg=70, method="dubois") * 3
    if _near(value, dubois, 1.5):
        return False, "That uses the DuBois formula; the question asks for Mosteller."
    return False, "Not the right total: 100 mg/m² × BSA × 3 days."


@exercise(
    "firstline-pooled-retrospective",
    "first_line",
    "Pool the response rates of the NEC-only first-line platinum–etoposide arms that come from "
    "retrospective series (nec.evidence.select and pooled_response). Give the pooled response "
    "in % (one decimal).",
)
def _firstline_pooled_retrospective(answer):
    # The chapter prints the randomised arms' pool, so the exercise asks for the retrospective
    # arms' (not printed) and compares the two. The pools are computed on
    # the standard library (nec._pooling_core, tested against nec.pooling.pooled_response and
    # metafor), so that the checker runs in the browser too.
    from nec import _pooling_core as pool
    from nec.evidence import PLATINUM_ETOPOSIDE

    value = _number(answer)
    if value is None:
        return False, "Give the pooled response as a number in %."
    arms = pool.select_arms(pool.evidence_records(), family=PLATINUM_ETOPOSIDE, nec_only=True,
                            line="first")

    def pooled(rows):
        return pool.pool_dl(pool.responder_counts(rows)[0])

    retrospective = pooled(pool.select_arms(arms, design="retrospective"))
    randomised = pooled(pool.select_arms(arms, design="randomised"))
    everything = pooled(arms)
    if _near(value, 100 * retrospective.proportion, 0.051):
        return True, (f"{100 * retrospective.proportion:.1f} % from {retrospective.k} "
                      f"retrospective arms ({retrospective.n_patients} patients), against "
                      f"{100 * randomised.proportion:.1f} % from the {randomised.k} randomised "
                      f"arms and {100 * everything.proportion:.1f} % from all {everything.k}.")
    if any(_near(value, pooled_.proportion, 0.00051)
           for pooled_ in (retrospective, randomised, everything)):
        return False, "That is a proportion; give it in per cent."
    if _near(value, 100 * everything.proportion, 0.051):
        return False, ("That pools every design; keep only the retrospective series "
                       "(design='retrospective').")
    if _near(value, 100 * randomised.proportion, 0.051):
        return False, ("That is the randomised arms' pool, printed in the chapter; the question "
                       "asks for the retrospective series.")
    return False, ("Not the pooled value. Select family=PLATINUM_ETOPOSIDE, nec_only=True, "
                   "line='first' and design='retrospective', then pooled_response().")


