"""Bad input to the statistics (nec.published, nec.nomogram, nec.validation): every call
in the tables raises ValueError with the sentence fragment beside it — never a numpy,
pandas or lifelines exception, never a silent answer. Property tests cover the rules
that have a shape (event coding, totals beyond the axis, survivals above the best).
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter
from refusals import assert_refused, over_rows

from nec import validation
from nec.nomogram import Nomogram, luo2024
from nec.validation import (
    calibrate,
    harrell_c,
    risk_c_index,
    smoothed_calibration,
    validate_c_index,
)

COV = ["x"]


@cache
def cohort(n=60, seed=6):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    t = rng.exponential(1 / np.exp(0.7 * x))
    c = rng.uniform(0, 3, size=n)
    return pd.DataFrame({"x": x, "time": np.minimum(t, c), "event": (t <= c).astype(int)})


def data(**changes):
    d = cohort().copy()
    for col, values in changes.items():
        d[col] = values
    return d


@cache
def built():
    d = cohort()
    return Nomogram.from_cox(CoxPHFitter().fit(d, "time", "event"), d, times=(0.5, 1.0),
                             time_unit="years")


def nan_first(col):
    v = cohort()[col].to_numpy(float).copy()
    v[0] = np.nan
    return v


V = dict(duration_col="time", event_col="event", covariates=COV, resamples=10)
C = dict(duration_col="time", event_col="event", covariates=COV, time=0.5, resamples=10)
S = dict(duration_col="time", event_col="event", covariates=COV, time=0.5)
N = 60

BAD = [
    # --- the published Luo 2024 nomogram ----------------------------------------------------
    ("luo2024 survival above the 0-point patient",
     lambda: luo2024().points_for_survival(0.99, 1), "is not on this nomogram"),
    ("luo2024 total beyond 212", lambda: luo2024().survival(300), "between 0 and 212.0"),
    ("luo2024 negative total", lambda: luo2024().survival(-5), "between 0 and 212.0"),
    ("luo2024 total as text", lambda: luo2024().survival("100"), "Total points must be a number"),
    ("luo2024 unexpected keyword",
     lambda: luo2024().points(size_cm=4, resection="yes", treatment="neither", age=60),
     "has no predictor 'age'; its predictors are 'size_cm', 'resection', 'treatment'"),
    ("luo2024 missing keyword", lambda: luo2024().points(size_cm=4, resection="yes"),
     "Missing value(s) for 'treatment'"),
    ("luo2024 size 12 cm", lambda: luo2024().points(size_cm=12, resection="yes",
                                                    treatment="neither"),
     "outside the nomogram's size axis"),
    ("luo2024 unknown level", lambda: luo2024().points(size_cm=4, resection="partly",
                                                       treatment="neither"),
     "Unknown primary tumour resection 'partly'"),
    ("luo2024 year 2", lambda: luo2024().survival(50, years=(2,)), "survival axes at [1, 3, 5]"),
    ("luo2024 year as text", lambda: luo2024().survival_axis("one"), "survival axes at"),
    ("luo2024 extrapolate not a flag", lambda: luo2024().survival(50, extrapolate="yes"),
     "extrapolate must be True or False"),
    ("luo2024 survival 1", lambda: luo2024().points_for_survival(1, 1),
     "Survival probability must be above 0 below 1"),
    # --- a nomogram built from a Cox fit ---------------------------------------------------
    ("from_cox of a non-model", lambda: Nomogram.from_cox("model", cohort()),
     "fitted lifelines CoxPHFitter"),
    ("from_cox unfitted", lambda: Nomogram.from_cox(CoxPHFitter(), cohort()),
     "fit the model first"),
    ("from_cox with a numpy array",
     lambda: Nomogram.from_cox(CoxPHFitter().fit(cohort(), "time", "event"),
                               cohort().to_numpy()), "data must be the DataFrame"),
    ("from_cox unknown axis range",
     lambda: Nomogram.from_cox(CoxPHFitter().fit(cohort(), "time", "event"), cohort(),
                               axis_range="wide"), "axis_range must be one of"),
    ("from_cox time beyond follow-up",
     lambda: Nomogram.from_cox(CoxPHFitter().fit(cohort(), "time", "event"), cohort(),
                               times=(50,)), "cannot say what happens after it"),
    ("nomogram unknown predictor", lambda: built().points(x=0.1, age=3),
     "has no predictor 'age'; its predictors are 'x'"),
    ("nomogram missing predictor", lambda: built().points(), "Missing value(s) for 'x'"),
    ("nomogram total beyond axis", lambda: built().survival(built().max_total_points + 5),
     "Total points must be between 0 and"),
    ("nomogram unreachable survival", lambda: built().points_for_survival(0.999999, 0.5),
     "is not on this nomogram"),
    # --- validate_c_index ------------------------------------------------------------------
    ("events coded 1/2", lambda: validate_c_index(data(event=cohort()["event"] + 1), **V),
     "subtract 1"),
    ("events coded 0.5", lambda: validate_c_index(data(event=cohort()["event"] * 0.5), **V),
     "must be coded 0 (censored) or 1 (died)"),
    ("negative duration", lambda: validate_c_index(data(time=cohort()["time"] - 1), **V),
     "has negative times"),
    ("NaN duration", lambda: validate_c_index(data(time=nan_first("time")), **V),
     "has 1 missing value(s)"),
    ("NaN covariate", lambda: validate_c_index(data(x=nan_first("x")), **V),
     "The covariate 'x' has 1 missing value(s)"),
    ("numpy array", lambda: validate_c_index(cohort().to_numpy(), **V),
     "needs the data as a pandas DataFrame with named columns, not a ndarray"),
    ("string path", lambda: validate_c_index("cohort.csv", **V), "not a file name"),
    ("non-integer seed", lambda: validate_c_index(cohort(), seed=1.5, **V),
     "The seed must be a whole number"),
    ("seed as text", lambda: validate_c_index(cohort(), seed="2024", **V),
     "The seed must be a whole number"),
    ("all censored", lambda: validate_c_index(data(event=0), **V), "There are no deaths"),
    ("collinear", lambda: validate_c_index(data(x2=cohort()["x"] * 2 + 1),
                                           **{**V, "covariates": ["x", "x2"]}),
     "are collinear"),
    ("constant covariate", lambda: validate_c_index(data(k=1.0),
                                                    **{**V, "covariates": ["x", "k"]}),
     "take a single value"),
    ("an ID column", lambda: validate_c_index(data(patient_id=np.arange(N)), **V),
     "['patient_id'] that are neither the outcome nor a covariate"),
    ("covariates missing", lambda: validate_c_index(cohort(), duration_col="time",
                                                    event_col="event"),
     "Name the model's covariates"),
    ("unknown covariate", lambda: validate_c_index(cohort(), **{**V, "covariates": ["age"]}),
     "The covariate(s) ['age'] are not columns"),
    ("text covariate", lambda: validate_c_index(data(x=["a"] * N), **V),
     "code it as numbers"),
    ("outcome as covariate", lambda: validate_c_index(cohort(),
                                                      **{**V, "covariates": ["x", "time"]}),
     "is the outcome"),
    ("bad formula", lambda: validate_c_index(cohort(), **{**V, "covariates": "x + + ("}),
     "cannot be read"),
    ("formula naming a missing column",
     lambda: validate_c_index(cohort(), **{**V, "covariates": "x + age"}), "['age']"),
    ("unfitted CoxPHFitter", lambda: validate_c_index(cohort(),
                                                      **{**V, "covariates": CoxPHFitter()}),
     "has not been fitted"),
    ("unknown duration column", lambda: validate_c_index(cohort(),
                                                         **{**V, "duration_col": "months"}),
     "The duration column 'months' is not in the data"),
    ("too few resamples", lambda: validate_c_index(cohort(), **{**V, "resamples": 5}),
     "resamples must be between 10 and 100000"),
    ("fractional resamples", lambda: validate_c_index(cohort(), **{**V, "resamples": 20.5}),
     "whole number"),
    ("unknown engine", lambda: validate_c_index(cohort(), engine="turbo", **V),
     "The engine must be one of fast, lifelines"),
    ("other_columns typo", lambda: validate_c_index(cohort(), other_columns="drop", **V),
     "other_columns must be one of"),
    ("separated data", lambda: validate_c_index(
        pd.DataFrame({"x": [1.0] * 6 + [0.0] * 6, "time": np.arange(1.0, 13),
                      "event": [1] * 6 + [0] * 6}), **V), "cannot be fitted on these data"),
    # --- calibrate -------------------------------------------------------------------------
    ("calibration time beyond follow-up", lambda: calibrate(cohort(), **{**C, "time": 1000}),
     "Follow-up in these data ends at"),
    ("calibration time 0", lambda: calibrate(cohort(), **{**C, "time": 0}),
     "The calibration time must be above 0"),
    ("fractional groups", lambda: calibrate(cohort(), groups=2.5, **C),
     "The number of risk groups must be a whole number"),
    ("one group", lambda: calibrate(cohort(), groups=1, **C),
     "The number of risk groups must be between 2 and 10"),
    ("groups and m", lambda: calibrate(cohort(), groups=3, m=20, **C), "not both"),
    ("fractional m", lambda: calibrate(cohort(), m=20.5, **C), "must be a whole number"),
    ("three patients", lambda: calibrate(cohort().iloc[:3], **C),
     "3 patients cannot make 3 risk groups"),
    ("four deaths", lambda: calibrate(data(event=[1] * 4 + [0] * (N - 4)), **C),
     "Only 4 deaths"),
    ("calibrate events coded 1/2", lambda: calibrate(data(event=cohort()["event"] + 1), **C),
     "subtract 1"),
    ("calibrate an ID column", lambda: calibrate(data(patient_id=np.arange(N)), **C),
     "neither the outcome nor a covariate"),
    ("calibrate all censored", lambda: calibrate(data(event=0), **C), "There are no deaths"),
    ("calibrate string path", lambda: calibrate("cohort.csv", **C), "not a file name"),
    # --- smoothed calibration and the C of a risk score --------------------------------------
    ("smoothed time beyond follow-up",
     lambda: smoothed_calibration(cohort(), **{**S, "time": 1000}), "Follow-up in these data"),
    ("smoothed 2 knots", lambda: smoothed_calibration(cohort(), knots=2, **S),
     "spline knots must be between 3 and 7"),
    ("smoothed before the first death",
     lambda: smoothed_calibration(cohort(), **{**S, "time": 1e-9}), "No patient died by"),
    ("risk_c_index lengths", lambda: risk_c_index([1, 2, 3], [1, 1], [0.1, 0.2, 0.3]),
     "same length"),
    ("risk_c_index events 2", lambda: risk_c_index([1, 2, 3], [1, 2, 1], [0.1, 0.2, 0.3]),
     "coded 0 (censored) or 1 (died)"),
    ("risk_c_index text", lambda: risk_c_index([1, 2, 3], [1, 1, 1], ["a", "b", "c"]),
     "Risks must be numbers"),
    ("harrell_c renamed", lambda: harrell_c([1, 2], [1, 1], [0.1, 0.2]),
     "renamed risk_c_index(durations, events, risk)"),
    # --- Kaplan–Meier, Breslow predictions and the spline helpers, as rms reads them --------
    ("km_at events 1/2", lambda: validation.km_at([1, 2], [1, 2], 1),
     "The event column must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("km_at a path", lambda: validation.km_at("cohort.csv", [1, 0], 1),
     "must be a column of numbers (one per patient), not 'cohort.csv'"),
    ("km_at negative time", lambda: validation.km_at([1, 2], [1, 0], -3),
     "The time must be at least 0 (got -3)"),
    ("km_with_se NaN time", lambda: validation.km_with_se([1, 2], [1, 0], float("nan")),
     "The time is missing (not a number)"),
    ("km_with_se negative duration", lambda: validation.km_with_se([1, -2], [1, 0], 1),
     "The follow-up time cannot be negative: row 1 is -2"),
    ("km_with_se lengths", lambda: validation.km_with_se([1, 2, 3], [1, 0], 1),
     "There are 3 follow-up times but 2 event codes"),
    ("km_at after follow-up", lambda: validation.km_at([1, 2, 3, 4], [1, 1, 0, 0], 6),
     "The time 6 is after the last follow-up time in these data (4); the Kaplan–Meier "
     "estimate is not defined there."),
    ("km_with_se after follow-up", lambda: validation.km_with_se([3, 5, 24], [1, 0, 0], 1000),
     "The time 1000 is after the last follow-up time in these data (24)"),
    ("km_at text time", lambda: validation.km_at([1, 2], [1, 0], "12 months"),
     "The time must be a number of at least 0, not '12 months'"),
    ("breslow coefficient count", lambda: validation.breslow_survival(
        np.zeros((3, 1)), [1, 2, 3], [1, 0, 1], [0.1, 0.2], np.zeros((1, 1)), 2),
     "Give one coefficient per covariate (1), not 2"),
    ("breslow new patients' columns", lambda: validation.breslow_survival(
        np.zeros((3, 1)), [1, 2, 3], [1, 0, 1], [0.1], np.zeros((1, 2)), 2),
     "The new patients' covariates must be a table with 1 columns"),
    ("breslow training rows", lambda: validation.breslow_survival(
        np.zeros((4, 1)), [1, 2, 3], [1, 0, 1], [0.1], np.zeros((1, 1)), 2),
     "The training covariates must be a table with 3 rows"),
    ("breslow NaN covariate", lambda: validation.breslow_survival(
        np.array([[0.0], [np.nan], [1.0]]), [1, 2, 3], [1, 0, 1], [0.1], np.zeros((1, 1)), 2),
     "The training covariates must be finite numbers"),
    ("breslow events 0.5", lambda: validation.breslow_survival(
        np.zeros((3, 1)), [1, 2, 3], [1, 0.5, 1], [0.1], np.zeros((1, 1)), 2),
     "The training event column must be coded 0 = censored, 1 = died"),
    ("breslow unknown ties", lambda: validation.breslow_survival(
        np.zeros((3, 1)), [1, 2, 3], [1, 0, 1], [0.1], np.zeros((1, 1)), 2, ties="exact"),
     "Unknown ties method 'exact': choose 'efron' or 'breslow'"),
    ("rms_cuts fractional m", lambda: validation.rms_cuts([0.2, 0.4], 1.5),
     "The number of patients per group (m) must be a whole number of at least 1, not 1.5"),
    ("rms_cuts survival in percent", lambda: validation.rms_cuts([20, 40], 1),
     "The predicted survivals must be probabilities between 0 and 1"),
    ("rms_cuts of text", lambda: validation.rms_cuts("0.2", 1),
     "The predicted survivals must be numbers"),
    ("rcs_knots fractional", lambda: validation.rcs_knots(range(20), 2.5),
     "The number of knots must be a whole number between 3 and 7, not 2.5"),
    ("rcs_knots of text", lambda: validation.rcs_knots("abc"),
     "The values must be numbers (an array or a column), not 'abc'"),
    ("rcs_knots infinite value", lambda: validation.rcs_knots([*range(10), float("inf")]),
     "The values must be finite numbers"),
    ("rcs_knots five values", lambda: validation.rcs_knots([1, 2, 3, 4, 5]),
     "A spline needs at least 6 patients"),
    ("rcs_basis decreasing knots", lambda: validation.rcs_basis([1, 2], [3, 2, 1]),
     "The knots must be at least three increasing numbers"),
    ("rcs_basis NaN value", lambda: validation.rcs_basis([1, float("nan")], [1, 2, 3]),
     "The values must be finite numbers"),
]


@over_rows(BAD)
def test_bad_input_is_refused_with_a_sentence(call, fragment):
    assert_refused(call, fragment)


NOT_FOR_READERS = {
    "nec.validation.CIndexValidation": "a result record validate_c_index returns, never built "
                                       "by a reader",
    "nec.validation.Calibration": "a result record calibrate returns, never built by a reader",
    "nec.validation.SmoothedCalibration": "a result record smoothed_calibration returns, never "
                                          "built by a reader",
}


# --- rules with a shape ------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 0.5, -1.0, 3.0]), min_size=N, max_size=N))
def test_any_event_code_but_0_and_1_is_refused(codes):
    d = data(event=codes)
    bad = set(codes) - {0.0, 1.0}
    if not bad:
        return
    with pytest.raises(ValueError, match=r"must be coded 0 \(censored\) or 1 \(died\)"):
        validate_c_index(d, **V)


@settings(max_examples=60, deadline=None)
@given(st.floats(212.001, 1e6) | st.floats(-1e6, -0.001))
def test_any_total_off_the_published_axis_is_refused(total):
    model = luo2024()
    with pytest.raises(ValueError, match="between 0 and 212.0"):
        model.survival(total)
    assert all(0 <= s <= 1 for s in model.survival(total, extrapolate=True).values())


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([1, 3, 5]), st.floats(0.0, 1.0, exclude_min=True, exclude_max=True))
def test_a_survival_is_on_the_axis_exactly_when_a_total_gives_it(year, s):
    model = luo2024()
    best, worst = model.survival(0, (year,))[year], model.survival(212, (year,))[year]
    if worst <= s <= best:
        total = model.points_for_survival(s, year)
        assert 0 <= total <= 212
    elif s > best + 1e-9 or s < worst - 1e-9:
        with pytest.raises(ValueError, match="is not on this nomogram"):
            model.points_for_survival(s, year)
