"""Checkers for the chapter on survival analysis on the synthetic cohort."""

from __future__ import annotations

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)

# --- Chapter: survival analysis on the synthetic cohort ----------------------------------------

def _synthetic_fit():
    from lifelines import CoxPHFitter

    from nec.cohort import design_matrix, synthetic_luo2024

    data = synthetic_luo2024().data
    return data, CoxPHFitter().fit(design_matrix(data), "months", "died")


@exercise(
    "survival-epv",
    "survival",
    "How many events per estimated coefficient does the multivariable Cox model on the "
    "synthetic cohort have?",
)
def _survival_epv(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the events per coefficient as a number."
    data, fit = _synthetic_fit()
    events, k = int(data["died"].sum()), len(fit.params_)
    if _near(value, events / k, 0.05):
        return True, (f"{events} events / {k} coefficients = {events / k:g}: below the usual "
                      "minimum of about 10, so the estimates are unstable and optimistic.")
    if _near(value, events / 3, 0.05):
        return False, ("That divides by 3 predictors; treatment has three levels and so two "
                       "coefficients: count coefficients.")
    if _near(value, len(data) / k, 0.05):
        return False, "That divides the patients, not the events: censored patients add little."
    return False, "Not the right ratio: deaths divided by the number of Cox coefficients."


@exercise(
    "survival-logrank",
    "survival",
    "Give the p value of the log-rank test comparing the three treatment groups of the "
    "synthetic cohort.",
)
def _survival_logrank(answer):
    from lifelines.statistics import logrank_test, multivariate_logrank_test

    value = _number(answer)
    if value is None:
        return False, "Give the p value as a number."
    data, _ = _synthetic_fit()
    expected = multivariate_logrank_test(data["months"], data["treatment"], data["died"]).p_value
    if _near(value, expected, max(0.00005, 0.01 * expected)):
        return True, (f"p = {expected:.4f} on 2 degrees of freedom: the three curves are not "
                      "all the same, which says nothing about which pairs differ.")
    both = data["treatment"] == "chemotherapy and targeted"
    neither = data["treatment"] == "neither"
    pair = logrank_test(data.loc[both, "months"], data.loc[neither, "months"],
                        data.loc[both, "died"], data.loc[neither, "died"]).p_value
    if _near(value, pair, max(0.00005, 0.01 * pair)):
        return False, ("That compares two of the groups; the question asks for one test of all "
                       "three (multivariate_logrank_test, 2 degrees of freedom).")
    return False, "Not the right p value: use multivariate_logrank_test with the treatment column."


