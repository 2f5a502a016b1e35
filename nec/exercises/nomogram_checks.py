"""Checkers for the chapter on nomograms."""

from __future__ import annotations

import functools
import math

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)

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


@exercise(
    "nomogram-hr-from-points",
    "nomogram",
    "Table 4 gives 'no resection' 51 points at 29.528 points per unit of linear predictor. "
    "What hazard ratio does that imply (two decimals)?",
)
def _nomogram_hr_from_points(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the hazard ratio as a number."
    expected = math.exp(51 / 29.528)
    if _near(value, expected, 0.006):
        return True, (f"exp(51 / 29.528) = {expected:.2f}; the paper prints 5.666, whose "
                      "log × 29.528 = 51.2 rounds to the 51 points printed.")
    if _near(value, 51 / 29.528, 0.006):
        return False, "That is the coefficient (log hazard ratio); exponentiate it."
    if _near(value, math.exp(51 * 0.034), 0.01):
        return False, ("Close, but the printed 0.034 is rounded; divide by 29.528 instead "
                       "for two correct decimals.")
    return False, "Not the right value: HR = exp(points / points per unit of linear predictor)."


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
    v = gbsg2_validation()
    if _near(value, v.corrected, 0.0015):
        return True, (f"{v.corrected:.3f} (apparent {v.apparent:.3f}, optimism "
                      f"{v.optimism:.3f}): with 686 patients the optimism is small.")
    if _near(value, v.apparent, 0.0015):
        return False, "That is the apparent C; subtract the bootstrap optimism."
    return False, ("Not the corrected C: use nec.validation.validate_c_index with "
                   "covariates=['tsize', 'pnodes', 'horTh_yes'], resamples=50, seed=2024.")
