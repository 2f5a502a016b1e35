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


@exercise(
    "audit-veteran",
    "nomogram",
    "From the Veterans' Administration points table alone, recover the small-cell hazard "
    "ratio (against squamous), the Cox coefficient per Karnofsky point and the 90-day "
    "survival of the 0-point patient, as {'smallcell_hr': ..., 'karno_coefficient': ..., "
    "'baseline_90d': ...}, and compare each with what R printed.",
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
    right = [m for ok, m in verdicts if ok]
    wrong = [m for ok, m in verdicts if not ok]
    if not wrong:
        return True, "; ".join(right) + "."
    text = "; ".join(wrong) + "."
    if right:
        text += f" Right: {'; '.join(right)}."
    return False, text


#: The parts of the GRADE answer, in the order the exercise asks for them.
GRADE_PARTS = ("lowest_total", "highest_total", "gait_vs_weight_loss")
#: Totals are sums of whole points: an answer within half a point is that total.
TOTAL_TOLERANCE = 0.5
#: The ratio is asked to one decimal (the points' rounding leaves it anywhere from 3.1 to
#: 4.125, so a second decimal would be spurious): half the last digit, 3.5 to 3.6 for 32 / 9.
RATIO_TOLERANCE = 0.05


@functools.lru_cache(maxsize=1)
def _grade():
    """The GRADE audit and the two contrasts the exercise asks about (read once)."""
    from nec.points_audit import grade_audit, relative_effect

    audit = grade_audit()
    ratio = relative_effect(audit, ("slow_gait_speed", "Yes"), ("weight_loss", "Yes"))
    return audit, ratio


def _grade_parts(answer):
    if not isinstance(answer, dict):
        return None
    keys = {str(k).strip().lower().replace(" ", "_").replace("-", "_"): v
            for k, v in answer.items()}
    if set(keys) != set(GRADE_PARTS):
        return None
    return {k: _number(keys[k]) for k in GRADE_PARTS}


def _grade_lowest(value, audit) -> tuple[bool, str]:
    lows = {o["predictor"]: o["points"] for o in audit.offsets}
    total = next(t for t in audit.totals if t["which"] == "lowest")
    if value is None:
        return False, "lowest_total: give the total as a number of points"
    if _near(value, total["from_axes"], TOTAL_TOLERANCE):
        return True, (f"lowest total 28 + 28 + 0 + 28 + 28 = {total['from_axes']:g}, as the "
                      f"legend prints ({total['printed']:g}): the lowest levels of "
                      f"{_WORDS.get(len(lows), len(lows))} predictors carry 28 points each, "
                      f"so every total includes {total['from_axes']:g} points that no patient "
                      "avoids")
    if _near(value, 0, TOTAL_TOLERANCE):
        return False, ("lowest_total: 0 is the lowest total of an rms nomogram, where each "
                       "predictor's lowest level earns 0; here four lowest levels (no weight "
                       "loss, no slow gait, local extension, not supportive care only) earn 28 "
                       "points each")
    return False, ("lowest_total: not the right value; add each predictor's lowest points "
                   "(weight loss, slow gait speed, site, extension, supportive care only)")


def _grade_highest(value, audit) -> tuple[bool, str]:
    total = next(t for t in audit.totals if t["which"] == "highest")
    if value is None:
        return False, "highest_total: give the total as a number of points"
    if _near(value, total["from_axes"], TOTAL_TOLERANCE):
        return True, (f"highest total 37 + 60 + 100 + 81 + 55 = {total['from_axes']:g}, as "
                      f"printed ({total['printed']:g}): the legend's range round-trips")
    return False, ("highest_total: not the right value; add each predictor's highest points "
                   "(for site, Other; for extension, Metastatic)")


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _short(x: float) -> str:
    """A bound as worked by hand: 3.1, 4.125 (not 3.10, 4.12 rounded half to even)."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _grade_ratio(value, ratio) -> tuple[bool, str]:
    if value is None:
        return False, "gait_vs_weight_loss: give the ratio as a number"
    if _near(value, ratio["ratio"], RATIO_TOLERANCE):
        return True, (f"slow gait speed earns 60 − 28 = 32 points over its reference, weight "
                      f"loss 37 − 28 = 9: its log hazard ratio is 32 / 9 = {ratio['ratio']:.2f} "
                      f"times as large (rounding allows {_short(ratio['low'])} to "
                      f"{_short(ratio['high'])}); the hazard ratios themselves need a scale, which "
                      "the legend does not print")
    if _near(value, 60 / 37, RATIO_TOLERANCE):
        return False, ("gait_vs_weight_loss: 60 / 37 compares the points of the two 'Yes' "
                       "levels, but a log hazard ratio is set by the difference from the "
                       "reference level, and both references carry 28 points")
    if _near(value, 1 / ratio["ratio"], RATIO_TOLERANCE):
        return False, ("gait_vs_weight_loss: that is weight loss against slow gait speed; "
                       "the question asks for slow gait speed over weight loss")
    return False, ("gait_vs_weight_loss: not the right value; divide slow gait speed's points "
                   "above its reference by weight loss's points above its reference")


@exercise(
    "audit-grade",
    "nomogram",
    "From the points Angeli et al. 2020 print for the GRADE, give the lowest and the highest "
    "total a patient can have and how many times the log hazard ratio of slow gait speed is "
    "that of unintentional weight loss, as {'lowest_total': ..., 'highest_total': ..., "
    "'gait_vs_weight_loss': ...}.",
)
def _audit_grade(answer):
    parts = _grade_parts(answer)
    if parts is None:
        return False, ("Answer with a dict with the keys 'lowest_total', 'highest_total' and "
                       "'gait_vs_weight_loss', each value a number: two totals in points and "
                       "a ratio.")
    audit, ratio = _grade()
    verdicts = [_grade_lowest(parts["lowest_total"], audit),
                _grade_highest(parts["highest_total"], audit),
                _grade_ratio(parts["gait_vs_weight_loss"], ratio)]
    right = [m for ok, m in verdicts if ok]
    wrong = [m for ok, m in verdicts if not ok]
    if not wrong:
        return True, "; ".join(right) + "."
    text = "; ".join(wrong) + "."
    if right:
        text += f" Right: {'; '.join(right)}."
    return False, text
