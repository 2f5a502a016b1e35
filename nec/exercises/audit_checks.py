"""Checkers for the section on auditing a published nomogram (a section of the nomogram
chapter): one exercise audits the Veterans' Administration table that rms printed
(``data/veteran_nomogram.csv``; not a published table), the other the points Angeli et al.
2020 print for the GRADE (``data/grade_angeli2020_points.csv``; a published table)."""

from __future__ import annotations

import functools
import math

from nec.exercises._core import _near, _number, exercise

#: The three parts of the answer, in the order the exercise asks for them.
AUDIT_PARTS = ("smallcell_hr", "karno_coefficient", "baseline_90d")

#: What a reader's answer may be off by, beyond the recovered value: the last printed digit
#: asked for (hazard ratio to two decimals, coefficient to four, survival to three); the
#: spread of single-tick estimates of S₀(90) (0.8802 to 0.8824) lies within the third.
HR_TOLERANCE = 0.006
COEFFICIENT_TOLERANCE = 0.00006
BASELINE_TOLERANCE = 0.0025


@functools.lru_cache(maxsize=1)
def _veteran():
    """The recovered model and the printed Cox table (read once: a checker runs often)."""
    from nec.points_audit import veteran_audit, veteran_printed_cox

    audit = veteran_audit(hazard_ratios=False)
    printed = {r["level"]: r for r in veteran_printed_cox()}
    return audit, printed


def _parts(answer):
    if not isinstance(answer, dict):
        return None
    keys = {str(k).strip().lower().replace(" ", "_").replace("-", "_"): v
            for k, v in answer.items()}
    if set(keys) != set(AUDIT_PARTS):
        return None
    return {k: _number(keys[k]) for k in AUDIT_PARTS}


def _smallcell(value, model, printed) -> tuple[bool, str]:
    points = model.categorical["celltype"]["smallcell"]
    beta = points / model.scale
    hr = math.exp(beta)
    bound = model.contrast_bound(points)
    shown = printed["smallcell"]
    if value is None:
        return False, "smallcell_hr: give the hazard ratio as a number"
    if _near(value, hr, HR_TOLERANCE):
        return True, (f"small-cell HR exp({points:g} / {model.scale:.10g}) = {hr:.2f}; R printed "
                      f"{shown['hr']:.2f} (coefficient {shown['coef']:.4f}), inside what "
                      f"rounding allows ({math.exp(beta - bound):.2f} to "
                      f"{math.exp(beta + bound):.2f})")
    if _near(value, beta, 0.006):
        return False, ("smallcell_hr: that is the coefficient (log hazard ratio); "
                       "exponentiate it")
    if _near(value, shown["hr"], 0.004):
        return False, (f"smallcell_hr: {shown['hr']:.2f} is the ratio R printed; the question "
                       "asks what the 26 points imply, exp(points / scale), so the two can be "
                       "compared")
    return False, ("smallcell_hr: not the right value; HR = exp(points of small-cell minus "
                   "points of squamous, over the points per unit of linear predictor)")


def _karno(value, model, printed) -> tuple[bool, str]:
    piece = model.continuous["karno"].pieces[0]
    shown = printed["per point"]
    if value is None:
        return False, "karno_coefficient: give the coefficient per Karnofsky point as a number"
    if _near(value, piece.coefficient, COEFFICIENT_TOLERANCE):
        return True, (f"Karnofsky coefficient ({piece.points_high:g} − {piece.points_low:g}) / "
                      f"({piece.x_high:g} − {piece.x_low:g}) / {model.scale:.10g} = "
                      f"{piece.coefficient:.4f} per point; R printed {shown['coef']:.4f}, "
                      f"within the bound of ±{piece.bound:.4f}")
    # The axis runs backwards (100 points at a score of 10, 0 at 100): a right magnitude with
    # the wrong sign is the usual slip, told apart from a wrong magnitude (to one digit, 10 %).
    backwards = ("the Karnofsky axis runs the other way: a higher score earns fewer points "
                 "(100 at a score of 10, 0 at 100), so a higher score lowers the hazard and "
                 "the coefficient is negative")
    if value * piece.coefficient < 0 and _near(-value, piece.coefficient,
                                               max(COEFFICIENT_TOLERANCE,
                                                   0.1 * abs(piece.coefficient))):
        return False, f"karno_coefficient: the sign is wrong; {backwards}"
    if _near(value, piece.points_per_unit, 0.01):
        return False, ("karno_coefficient: that is the slope in points per Karnofsky point; "
                       "divide by the points per unit of linear predictor")
    if _near(value, -piece.points_per_unit, 0.01):
        return False, ("karno_coefficient: that is the slope in points per Karnofsky point, "
                       f"with the wrong sign; {backwards}; then divide by the points per unit "
                       "of linear predictor")
    whole_scale = (piece.points_high - piece.points_low) / 100 / model.scale
    if _near(value, whole_scale, COEFFICIENT_TOLERANCE):
        return False, ("karno_coefficient: the printed axis runs from 10 to 100, not 0 to 100: "
                       "divide the points by 90 Karnofsky points")
    return False, ("karno_coefficient: not the right value; the coefficient per point is the "
                   "slope of the axis (points per Karnofsky point) over the scale, and "
                   "the axis falls: 100 points at a score of 10, 0 at 100")


def _baseline(value, model) -> tuple[bool, str]:
    s0 = model.baseline_survival()[90]
    bound = model.baseline_survival_bounds()[90]
    if value is None:
        return False, "baseline_90d: give the survival as a number between 0 and 1"
    if 1 < value <= 100 and _near(value / 100, s0, BASELINE_TOLERANCE):
        return False, "baseline_90d: give the survival as a proportion (0.88), not a percent"
    if _near(value, s0, BASELINE_TOLERANCE):
        return True, (f"S₀(90 days) of the 0-point patient = {s0:.3f} (rounding allows "
                      f"±{bound:.4f}); it is the survival at a Karnofsky score of 100 with "
                      "squamous cells, not a population average")
    if _near(value, 0.8, 0.001):
        return False, ("baseline_90d: 0.8 is the survival printed at 20 points; the 0-point "
                       "patient sits further left: log(−log S₀) = log(−log 0.8) − 20 / scale")
    return False, ("baseline_90d: not the right value; from any tick (T, S) of the 90-day axis, "
                   "log(−log S₀) = log(−log S) − T / scale, then S₀ = exp(−exp(that))")


def _feedback(verdicts) -> tuple[bool, str]:
    """One answer's parts marked together: the slips first, then what was right."""
    right = [m for ok, m in verdicts if ok]
    wrong = [m for ok, m in verdicts if not ok]
    if not wrong:
        return True, "; ".join(right) + "."
    text = "; ".join(wrong) + "."
    if right:
        text += f" Right: {'; '.join(right)}."
    return False, text


@exercise(
    "audit-veteran",
    "nomogram",
    "From the Veterans' Administration points table alone, recover the small-cell hazard "
    "ratio (against squamous), the Cox coefficient per Karnofsky point and the 90-day "
    "survival of the 0-point patient, as {'smallcell_hr': ..., 'karno_coefficient': ..., "
    "'baseline_90d': ...}, and compare the hazard ratio and the coefficient with what R "
    "printed (R printed no baseline survival).",
)
def _audit_veteran(answer):
    parts = _parts(answer)
    if parts is None:
        return False, ("Answer with a dict with the keys 'smallcell_hr', 'karno_coefficient' "
                       "and 'baseline_90d', each value a number: the hazard ratio, the "
                       "coefficient per Karnofsky point and the survival as a proportion.")
    audit, printed = _veteran()
    model = audit.model
    verdicts = [_smallcell(parts["smallcell_hr"], model, printed),
                _karno(parts["karno_coefficient"], model, printed),
                _baseline(parts["baseline_90d"], model)]
    return _feedback(verdicts)


#: The parts of the GRADE answer, in the order the exercise asks for them.
GRADE_PARTS = ("total", "supportive_vs_weight_loss")
#: The exercise's patient: not on the page, so the total must be added up (reader review 6).
GRADE_PATIENT = {"weight_loss": "Yes", "slow_gait_speed": "No", "cancer_site": "Lung",
                 "cancer_extension": "Metastatic", "supportive_care_only": "No"}
#: Totals are sums of whole points: an answer within half a point is that total.
TOTAL_TOLERANCE = 0.5
#: The ratio is asked to one decimal. Rounding of the points leaves it anywhere from 2.6 to
#: 3.5 (biostatistics review 4), so a second decimal would be spurious: 27 / 9 = 3.0 ± 0.06.
RATIO_TOLERANCE = 0.06


@functools.lru_cache(maxsize=1)
def _grade():
    """The GRADE audit, each level's printed points and the ratio the exercise asks about."""
    from nec.points_audit import grade_audit, relative_effect

    audit = grade_audit()
    points = {}
    for o in audit.offsets:
        points[(o["predictor"], o["level"])] = o["points"]
    for c in audit.contrasts:
        points.setdefault((c["predictor"], c["reference"]), 0.0)
    for c in audit.contrasts:
        points[(c["predictor"], c["level"])] = points[(c["predictor"], c["reference"])] \
            + c["points"]
    ratio = relative_effect(audit, ("supportive_care_only", "Yes"), ("weight_loss", "Yes"))
    return audit, points, ratio


def _grade_parts(answer):
    if not isinstance(answer, dict):
        return None
    keys = {str(k).strip().lower().replace(" ", "_").replace("-", "_"): v
            for k, v in answer.items()}
    if set(keys) != set(GRADE_PARTS):
        return None
    return {k: _number(keys[k]) for k in GRADE_PARTS}


def _grade_total(value, points) -> tuple[bool, str]:
    shown = [points[(p, lv)] for p, lv in GRADE_PATIENT.items()]
    total = sum(shown)
    # Two ways to lose the reference levels' points: count the patient's 'No' levels as 0,
    # or count only each level's points above its reference (every offset lost).
    no_levels = sum(points[(p, lv)] for p, lv in GRADE_PATIENT.items() if lv == "No")
    references = {(p, lv): x for (p, lv), x in points.items()}
    all_offsets = sum(min(x for (q, _), x in references.items() if q == p)
                      for p in GRADE_PATIENT)
    if value is None:
        return False, "total: give the total as a number of points"
    if _near(value, total, TOTAL_TOLERANCE):
        return True, (f"total {' + '.join(f'{x:g}' for x in shown)} = {total:g} points, the "
                      "28 points of each reference level included: the legend's risk axis is "
                      "read at the total as printed")
    if _near(value, total - no_levels, TOTAL_TOLERANCE):
        return False, (f"total: {value:g} counts her 'No' levels (no slow gait speed, not "
                       "supportive care only) as 0, but on this score each carries 28 points, "
                       "and the risk axis is read at the total with them")
    if _near(value, total - all_offsets, TOTAL_TOLERANCE):
        return False, (f"total: {value:g} counts only the points above each reference level; "
                       f"the score's totals include the {all_offsets:g} points its reference "
                       "levels carry, and the risk axis is read at the total with them")
    return False, ("total: not the right value; add the points of the level the patient has "
                   "on each of the five predictors, reference levels included")


def _grade_ratio(value, ratio) -> tuple[bool, str]:
    if value is None:
        return False, "supportive_vs_weight_loss: give the ratio as a number"
    if _near(value, ratio["ratio"], RATIO_TOLERANCE):
        return True, (f"supportive care alone earns 55 − 28 = 27 points over its reference, "
                      f"weight loss 37 − 28 = 9: its log hazard ratio is 27 / 9 = "
                      f"{ratio['ratio']:.1f} times as large, if every axis uses one points "
                      f"scale (rounding allows {_short(ratio['low'])} to "
                      f"{_short(ratio['high'])}); the hazard ratios themselves need a scale, "
                      "which the legend does not print")
    if _near(value, 55 / 37, RATIO_TOLERANCE):
        return False, ("supportive_vs_weight_loss: 55 / 37 compares the points of the two "
                       "'Yes' levels, but a log hazard ratio is set by the difference from the "
                       "reference level, and both references carry 28 points")
    if _near(value, 1 / ratio["ratio"], 0.05):  # 9 / 27 = 0.33, or 0.3 at one decimal
        return False, ("supportive_vs_weight_loss: that is weight loss against supportive care "
                       "alone; the question asks for supportive care alone over weight loss")
    return False, ("supportive_vs_weight_loss: not the right value; divide the points that "
                   "supportive care alone earns above its reference by those weight loss "
                   "earns above its reference")


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _short(x: float) -> str:
    """A bound as worked by hand: 3.1, 4.125 (not 3.10, 4.12 rounded half to even)."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


@exercise(
    "audit-grade",
    "nomogram",
    "A patient on the GRADE of Angeli et al. 2020 has unintentional weight loss, no slow gait "
    "speed, lung cancer, metastatic extension and is not on supportive care alone. Give her "
    "total points, and how many times the log hazard ratio of exclusively supportive care is "
    "that of unintentional weight loss (one decimal), as {'total': ..., "
    "'supportive_vs_weight_loss': ...}.",
)
def _audit_grade(answer):
    parts = _grade_parts(answer)
    if parts is None:
        return False, ("Answer with a dict with the keys 'total' and "
                       "'supportive_vs_weight_loss', each value a number: a total in points "
                       "and a ratio.")
    _audit, points, ratio = _grade()
    verdicts = [_grade_total(parts["total"], points),
                _grade_ratio(parts["supportive_vs_weight_loss"], ratio)]
    return _feedback(verdicts)
