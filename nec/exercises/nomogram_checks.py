"""Checkers for the chapter on nomograms."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)
from nec.exercises._data_files import gbsg2_numbers

# --- Chapter: nomograms -------------------------------------------------------------------------

@exercise(
    "nomogram-points",
    "nomogram",
    "With the reconstructed Luo 2024 nomogram, how many total points does a patient with a "
    "7 cm tumour, no resection and neither chemotherapy nor targeted therapy score?",
)
def _nomogram_points(answer):
    from nec.nomogram import luo2024

    value = _number(answer)
    if value is None:
        return False, "Give the total points as a number."
    model = luo2024()
    p = model.points(size_cm=7, resection="no", treatment="neither")
    if _near(value, p.total, 0.6):  # the printed table rounds the size points (67)
        return True, (f"{p.total:.1f} points: size {p.size:.1f} + resection {p.resection:g} + "
                      f"treatment {p.treatment:g}.")
    if _near(value, p.total - p.resection, 0.6):
        return False, "The resection line is missing: 'no' adds its points."
    if _near(value, 7 * model.size_points_per_cm + p.resection + p.treatment, 0.6):
        return False, "The size axis starts at 1 cm with 0 points: use (size − 1) × 100 / 9."
    return False, "Not the right total: add the points of the three predictors."


#: Table 4 of Luo 2024: the treatment levels' points, and the printed scale.
NEITHER_POINTS, EITHER_POINTS, POINTS_PER_LP = 61, 25, 29.528
#: Table 3 of Luo 2024: hazard ratios against chemotherapy combined with targeted therapy.
PRINTED_HR_NEITHER, PRINTED_HR_EITHER = 7.804, 2.361


@exercise(
    "nomogram-hr-from-points",
    "nomogram",
    "Table 4 gives 'neither' 61 points and 'chemotherapy or targeted' 25 points, at 29.528 "
    "points per unit of linear predictor. What hazard ratio do the points imply for "
    "neither against chemotherapy or targeted, other predictors equal (two decimals)?",
)
def _nomogram_hr_from_points(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the hazard ratio as a number."
    gap = NEITHER_POINTS - EITHER_POINTS
    expected = math.exp(gap / POINTS_PER_LP)
    from_table_3 = PRINTED_HR_NEITHER / PRINTED_HR_EITHER
    if _near(value, expected, 0.006):
        return True, (f"exp((61 − 25) / 29.528) = {expected:.2f}: a hazard ratio between two "
                      "levels comes from the gap in their points. Table 3's two ratios give "
                      f"7.804 / 2.361 = {from_table_3:.2f}, the same up to the rounding of "
                      "whole points.")
    if _near(value, from_table_3, 0.006):
        return False, (f"{from_table_3:.2f} divides Table 3's printed ratios, which is the "
                       "right idea; the question asks what the points give: "
                       "exp(point gap / 29.528).")
    if _near(value, gap / POINTS_PER_LP, 0.006):
        return False, "That is the log hazard ratio; exponentiate it."
    if _near(value, math.exp(NEITHER_POINTS / POINTS_PER_LP), 0.006):
        return False, ("That is neither against the reference, chemotherapy combined with "
                       "targeted therapy; the question compares neither with chemotherapy "
                       "or targeted: use the gap between their points.")
    if _near(value, math.exp(NEITHER_POINTS / POINTS_PER_LP)
             - math.exp(EITHER_POINTS / POINTS_PER_LP), 0.01):
        return False, ("Hazard ratios divide, they do not subtract: the ratio of the two "
                       "hazards is exp(61 / 29.528) / exp(25 / 29.528).")
    if _near(value, 1 / expected, 0.006):
        return False, "That is the inverse: the question asks neither against the other."
    return False, ("Not the right value: HR = exp(point gap / points per unit of linear "
                   "predictor).")


#: Published multivariable hazard ratio per cm (Luo 2024, Results text).
SIZE_HR_PER_CM = 1.457


@exercise(
    "nomogram-size-hazard",
    "nomogram",
    "The published model gives tumour size one hazard ratio per cm, 1.457, whatever the "
    "size. Under that assumption, how many times higher is the hazard of a 10 cm tumour "
    "than of a 1 cm tumour, other predictors equal (one decimal)?",
)
def _nomogram_size_hazard(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the ratio of the two hazards as a number."
    expected = SIZE_HR_PER_CM ** 9
    if _near(value, expected, 0.15):
        return True, (f"1.457^9 = {expected:.1f}: the same as exp(100 points / 29.528). A "
                      "constant per-cm ratio compounds over 9 cm to a ~30-fold hazard, an "
                      "assumption the paper did not check (a spline would).")
    if _near(value, SIZE_HR_PER_CM * 9, 0.15):
        return False, ("Hazard ratios multiply, they do not add: 9 extra centimetres give "
                       "1.457 × 1.457 × … nine times, 1.457^9.")
    if _near(value, SIZE_HR_PER_CM ** 10, 0.2):
        return False, "From 1 to 10 cm is 9 cm, not 10: raise 1.457 to the 9th power."
    if _near(value, SIZE_HR_PER_CM ** 9 - 1, 0.15):
        return False, "That is the relative increase; the question asks for the ratio itself."
    return False, "Not the right ratio: each centimetre multiplies the hazard by 1.457."


#: The decision-curve exercise: 40 patients, nobody censored before one year.
NB_CASE = dict(n=40, flagged=10, flagged_died=8, died=18, threshold=0.2)


def _nb_parts(answer):
    if isinstance(answer, dict):
        keys = {str(k).replace(" ", "_").lower(): v for k, v in answer.items()}
        if set(keys) == {"model", "treat_all"}:
            return _number(keys["model"]), _number(keys["treat_all"])
    return None


@exercise(
    "nomogram-net-benefit",
    "nomogram",
    "Forty patients are followed for one year (no one is censored before then); 18 die. A "
    "model flags the 10 whose predicted 1-year risk of death is at least 0.2, and 8 of them "
    "die. At the threshold 0.2, give the net benefit of acting on the model and of acting "
    "on everyone, as {'model': ..., 'treat_all': ...} (three decimals).",
)
def _nomogram_net_benefit(answer):
    parts = _nb_parts(answer)
    if parts is None:
        return False, ("Answer with a dict with the keys 'model' and 'treat_all', e.g. "
                       "{'model': 0.1, 'treat_all': 0.05}.")
    c = NB_CASE
    n, p = c["n"], c["threshold"]
    odds = p / (1 - p)
    want_model = c["flagged_died"] / n - (c["flagged"] - c["flagged_died"]) / n * odds
    want_all = c["died"] / n - (n - c["died"]) / n * odds
    model, treat_all = parts
    messages, ok = [], True
    if _near(model, want_model, 0.0015):
        messages.append(f"Model: right, 8/40 − 2/40 × 0.25 = {want_model:.4f}.")
    else:
        ok = False
        if _near(model, c["flagged_died"] / n - (c["flagged"] - c["flagged_died"]) / n, 0.0015):
            messages.append("Model: the false positives are weighted by the odds of the "
                            "threshold, p/(1 − p) = 0.25, not by 1.")
        elif _near(model, c["flagged_died"] / c["flagged"]
                   - (c["flagged"] - c["flagged_died"]) / c["flagged"] * odds, 0.0015):
            messages.append("Model: divide by all 40 patients, not by the 10 flagged: net "
                            "benefit is per patient in the population.")
        elif _near(model, c["flagged_died"] / n - (c["flagged"] - c["flagged_died"]) / n * p,
                   0.0005):
            messages.append("Model: the weight is p/(1 − p) = 0.25, not p = 0.2.")
        else:
            messages.append("Model: not right; true positives per patient minus false "
                            "positives per patient × p/(1 − p).")
    if _near(treat_all, want_all, 0.0015):
        messages.append(f"Treat all: right, 18/40 − 22/40 × 0.25 = {want_all:.4f}.")
    else:
        ok = False
        if _near(treat_all, c["died"] / n - (n - c["died"]) / n, 0.0015):
            messages.append("Treat all: weight the 22 survivors by p/(1 − p) = 0.25, not by 1.")
        elif _near(treat_all, 0.0, 0.0015):
            messages.append("Treat all: 0 is the net benefit of treating no one.")
        else:
            messages.append("Treat all: not right; everyone is acted on, so TP = 18 and FP = 22 "
                            "out of 40.")
    if ok:
        messages.append("At this low threshold acting on everyone beats the model: a model "
                        "that flags too few patients can do less good than no model at all.")
    return ok, " ".join(messages)


@dataclass(frozen=True)
class _Gbsg2Numbers:
    n: int
    events: int
    apparent: float
    optimism: float
    corrected: float


GBSG2_SPEC = dict(covariates=("tsize", "pnodes", "horTh_yes"), resamples=50, seed=2024)


@functools.lru_cache(maxsize=1)
def gbsg2_validation():
    """The optimism-corrected C of the exercise's GBSG2 model (cached: it takes seconds)."""
    from lifelines.datasets import load_gbsg2

    from nec.validation import validate_c_index

    data = load_gbsg2()
    frame = data.assign(horTh_yes=(data["horTh"] == "yes").astype(int),
                        months=data["time"] / 30.4375, event=data["cens"])
    covariates = list(GBSG2_SPEC["covariates"])
    return validate_c_index(frame[covariates + ["months", "event"]], duration_col="months",
                            event_col="event", covariates=covariates,
                            resamples=GBSG2_SPEC["resamples"], seed=GBSG2_SPEC["seed"])


@exercise(
    "nomogram-gbsg2",
    "nomogram",
    "On lifelines' GBSG2 data, fit a Cox model on tumour size, positive nodes and hormone "
    "therapy (time in months), build its nomogram, and validate it with 50 bootstrap "
    "resamples (seed 2024). Give the optimism-corrected C (three decimals).",
)
def _nomogram_gbsg2(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the corrected C-index as a number between 0 and 1."
    # The five numbers of gbsg2_validation() (51 Cox fits with lifelines), read from
    # data/gbsg2_validation.csv so that the checker runs in the browser too; the file is
    # tested to equal gbsg2_validation() (tests/test_checker_data.py).
    v = _Gbsg2Numbers(**{k: gbsg2_numbers()[k]
                         for k in ("n", "events", "apparent", "optimism", "corrected")})
    if _near(value, v.corrected, 0.0015):
        # Four decimals for the parts, so that apparent − optimism visibly gives the answer.
        return True, (f"{v.corrected:.3f} = apparent {v.apparent:.4f} − optimism "
                      f"{v.optimism:.4f}: with {v.n} patients and {v.events} events the "
                      "optimism is small.")
    if _near(value, v.apparent, 0.0015):
        return False, "That is the apparent C; subtract the bootstrap optimism."
    return False, ("Not the corrected C: use nec.validation.validate_c_index with "
                   "covariates=['tsize', 'pnodes', 'horTh_yes'], resamples=50, seed=2024.")
