"""Nomogram.from_cox: a fitted lifelines Cox model drawn as Harrell's rms draws it.

Expected values are computed here from the fitter's own coefficients and lifelines' own
baseline table (read as a step function, as rms reads it), never from the code under test.
The comparison with R's rms itself is tests/reference_r/test_r_nomogram.py.
"""

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter

from nec.nomogram import Nomogram, r_pretty

TRUE_BETA = {"x": 0.3, "group_B": 0.5, "group_C": 1.2}
TIMES = (12, 36, 60)


def simulate(n, seed, beta_x=TRUE_BETA["x"]):
    """x uniform on 0–10, a 3-level group (A reference), exponential survival in months
    with hazard 0.005·exp(beta_x·x + 0.5[B] + 1.2[C]), uniform censoring and administrative
    censoring at 120 months."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    group = rng.choice(["A", "B", "C"], size=n, p=[0.4, 0.35, 0.25])
    b, c = (group == "B").astype(int), (group == "C").astype(int)
    lp = beta_x * x + TRUE_BETA["group_B"] * b + TRUE_BETA["group_C"] * c
    event_time = rng.exponential(1 / (0.005 * np.exp(lp)))
    censor_time = np.minimum(rng.uniform(0, 200, n), 120)
    return pd.DataFrame({
        "months": np.minimum(event_time, censor_time),
        "died": (event_time <= censor_time).astype(int),
        "x": x, "group_B": b, "group_C": c,
    })


@cache
def synthetic(beta_x=TRUE_BETA["x"], axis_range="observed"):
    data = simulate(400, seed=20240611, beta_x=beta_x)
    fitter = CoxPHFitter().fit(data, duration_col="months", event_col="died")
    nomo = Nomogram.from_cox(fitter, data, groups={"group": ("group_B", "group_C")},
                             reference_labels={"group": "A"}, times=TIMES,
                             axis_range=axis_range)
    return data, fitter, nomo


def lifelines_step_survival(fitter, row, t):
    """S(t | row) from lifelines' own baseline table, read as a step function."""
    cumhaz = fitter.baseline_cumulative_hazard_.iloc[:, 0]
    h0 = float(cumhaz[cumhaz.index <= t].iloc[-1]) if (cumhaz.index <= t).any() else 0.0
    return math.exp(-h0 * float(fitter.predict_partial_hazard(row).iloc[0]))


def level_of(row):
    return "group_C" if row["group_C"] else "group_B" if row["group_B"] else "A"


@cache
def gbsg2():
    from lifelines.datasets import load_gbsg2

    raw = load_gbsg2()
    data = pd.DataFrame({
        "months": raw["time"] / (365.25 / 12),
        "cens": raw["cens"],
        "tsize": raw["tsize"],
        "pnodes": raw["pnodes"],
        "horTh_yes": (raw["horTh"] == "yes").astype(int),
    })
    fitter = CoxPHFitter().fit(data, duration_col="months", event_col="cens")
    nomo = Nomogram.from_cox(fitter, data, groups={"horTh": {"yes": "horTh_yes"}},
                             reference_labels={"horTh": "no"}, axis_range="observed",
                             baseline_ties="breslow",
                             labels={"tsize": "Tumour size (mm)",
                                     "pnodes": "Positive lymph nodes",
                                     "horTh": "Hormone therapy"})
    return data, fitter, nomo


# --- the rms scaling, by hand ------------------------------------------------------------
def test_points_match_a_hand_computation_from_the_coefficients():
    data, fitter, nomo = synthetic()
    b = fitter.params_
    x_lo, x_hi = data["x"].min(), data["x"].max()
    x_span = b["x"] * (x_hi - x_lo)  # b["x"] > 0 in this simulation
    group_lp = {"A": 0.0, "group_B": b["group_B"], "group_C": b["group_C"]}
    group_min = min(group_lp.values())
    group_span = max(group_lp.values()) - group_min
    assert x_span > group_span  # so x is the axis with 100 points
    scale = 100 / x_span
    assert nomo.points_per_lp == pytest.approx(scale, rel=1e-12)
    for x, level in [(5.0, "group_C"), (x_lo, "A"), (x_hi, "group_B"), (2.5, "A")]:
        expected_x = b["x"] * (x - x_lo) * scale
        expected_group = (group_lp[level] - group_min) * scale
        p = nomo.points(x=x, group=level)
        assert p["x"] == pytest.approx(expected_x, abs=1e-9)
        assert p["group"] == pytest.approx(expected_group, abs=1e-9)
        assert p.total == pytest.approx(expected_x + expected_group, abs=1e-9)
    assert nomo.points(x=x_hi, group="A")["x"] == pytest.approx(100, abs=1e-9)
    assert nomo.max_total_points == pytest.approx(100 + group_span * scale, abs=1e-9)


def test_a_categorical_predictor_with_the_widest_range_gets_100_points():
    data, fitter, nomo = synthetic(beta_x=0.03)  # x now spans about 0.3 of linear predictor
    b = fitter.params_
    lps = [0.0, b["group_B"], b["group_C"]]
    x_span = abs(b["x"]) * (data["x"].max() - data["x"].min())
    assert max(lps) - min(lps) > x_span
    scale = 100 / (max(lps) - min(lps))
    assert nomo.points_per_lp == pytest.approx(scale, rel=1e-12)
    top = ["A", "group_B", "group_C"][int(np.argmax(lps))]
    bottom = ["A", "group_B", "group_C"][int(np.argmin(lps))]
    assert nomo.points(x=5, group=top)["group"] == pytest.approx(100, abs=1e-9)
    assert nomo.points(x=5, group=bottom)["group"] == 0


# --- survival: lifelines' centring --------------------------------------------------------
def test_lifelines_centres_at_the_covariate_means_of_the_fitting_data():
    # What the nomogram relies on, checked against lifelines alone:
    # S(t | x) = exp(−H₀(t) · exp((x − mean)·β)), H₀ = baseline_cumulative_hazard_
    # interpolated linearly in t, mean = the fitting data's column means.
    data, fitter, nomo = synthetic()
    cols = list(fitter.params_.index)
    mean = data[cols].mean()
    cumhaz = fitter.baseline_cumulative_hazard_.iloc[:, 0]
    for i in range(5):
        row = data.iloc[[i]]
        for t in (12, 17.3, 60):
            h0 = np.interp(t, cumhaz.index.to_numpy(), cumhaz.to_numpy())
            by_hand = math.exp(-h0 * math.exp(((row[cols].iloc[0] - mean) * fitter.params_).sum()))
            lifelines = fitter.predict_survival_function(row, times=[t]).iloc[0, 0]
            assert by_hand == pytest.approx(lifelines, abs=1e-10)
    assert nomo.lp_centre == pytest.approx((mean * fitter.params_).sum(), abs=1e-12)


@pytest.mark.parametrize("t", [12, 36, 60, 17.3, 99.5])
def test_survival_from_the_nomogram_is_lifelines_baseline_read_as_a_step(t):
    # Continuous simulated times: no tied deaths, so Efron's and lifelines' baseline agree.
    data, fitter, nomo = synthetic()
    assert not data.loc[data["died"] == 1, "months"].duplicated().any()
    for i in range(0, 400, 23):
        row = data.iloc[[i]]
        total = nomo.points(x=row["x"].iloc[0], group=level_of(row.iloc[0])).total
        expected = lifelines_step_survival(fitter, row, t)
        assert nomo.survival(total, times=[t])[t] == pytest.approx(expected, abs=1e-8)


def test_between_deaths_the_step_differs_from_lifelines_interpolation():
    # lifelines' predict_survival_function(times=...) interpolates between event times; the
    # estimator (and rms) stays flat there. Half-way between two deaths they differ.
    data, fitter, nomo = synthetic()
    deaths = np.sort(data.loc[data["died"] == 1, "months"].to_numpy())
    gaps = np.diff(deaths)
    j = int(np.argmax(gaps[deaths[:-1] < 60]))
    mid = float((deaths[j] + deaths[j + 1]) / 2)
    row = data.iloc[[0]]
    total = nomo.points(x=row["x"].iloc[0], group=level_of(row.iloc[0])).total
    step = nomo.survival(total, times=[mid])[mid]
    at_death = nomo.survival(total, times=[float(deaths[j])])[float(deaths[j])]
    interpolated = fitter.predict_survival_function(row, times=[mid]).iloc[0, 0]
    assert step == pytest.approx(at_death, abs=1e-12)
    assert abs(step - interpolated) > 1e-4


def test_survival_defaults_to_the_nomogram_times_and_takes_a_points_object():
    data, fitter, nomo = synthetic()
    row = data.iloc[[7]]
    p = nomo.points(x=row["x"].iloc[0], group=level_of(row.iloc[0]))
    s = nomo.survival(p)
    assert list(s) == [12.0, 36.0, 60.0]
    expected = [lifelines_step_survival(fitter, row, t) for t in TIMES]
    assert list(s.values()) == pytest.approx(expected, abs=1e-8)


def test_points_for_survival_inverts_survival():
    _, _, nomo = synthetic()
    for t in TIMES:
        for total in np.linspace(0, nomo.max_total_points, 13):
            s = nomo.survival(total, times=[t])[t]
            if 1e-12 < s < 1 - 1e-12:
                assert nomo.points_for_survival(s, t) == pytest.approx(total, abs=1e-6)
    mid = nomo.survival(nomo.max_total_points / 2, times=[36])[36]
    assert nomo.survival(nomo.points_for_survival(mid, 36), times=[36])[36] == pytest.approx(mid)


def test_points_for_an_unreachable_survival_is_refused():
    _, _, nomo = synthetic()
    best = nomo.survival(0, times=[12])[12]
    with pytest.raises(ValueError, match="not on this nomogram"):
        nomo.points_for_survival(min(best + (1 - best) / 2, 0.999999), 12)


# --- properties ---------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(a=st.floats(0, 1), b=st.floats(0, 1), t=st.sampled_from([*TIMES, 5.5, 100.0]))
def test_survival_never_rises_as_points_rise(a, b, t):
    _, _, nomo = synthetic()
    lo, hi = sorted((a * nomo.max_total_points, b * nomo.max_total_points))
    assert nomo.survival(hi, times=[t])[t] <= nomo.survival(lo, times=[t])[t]


@settings(max_examples=150, deadline=None)
@given(u=st.floats(0, 1), v=st.floats(0, 1), level=st.sampled_from(["A", "group_B", "group_C"]))
def test_a_lower_risk_value_never_gets_more_points(u, v, level):
    data, fitter, nomo = synthetic()
    assert fitter.params_["x"] > 0
    lo, hi = data["x"].min(), data["x"].max()
    x1, x2 = sorted((lo + u * (hi - lo), lo + v * (hi - lo)))
    assert nomo.points(x=x1, group=level)["x"] <= nomo.points(x=x2, group=level)["x"]
    # levels: a larger coefficient never gets fewer points
    beta = {"A": 0.0, "group_B": fitter.params_["group_B"], "group_C": fitter.params_["group_C"]}
    for other in beta:
        if beta[other] >= beta[level]:
            assert nomo.points(x=x1, group=other)["group"] >= nomo.points(x=x1, group=level)[
                "group"]


# --- the fit the nomogram draws -----------------------------------------------------------
def test_coefficients_are_recovered_at_large_n():
    data = simulate(5000, seed=7)
    fitter = CoxPHFitter().fit(data, duration_col="months", event_col="died")
    se = fitter.standard_errors_
    for name, beta in TRUE_BETA.items():
        assert abs(fitter.params_[name] - beta) < min(4 * se[name], 0.1), name


# --- bad inputs ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "values, words",
    [
        ({"x": 12.0, "group": "A"}, "not fitted there"),
        ({"x": -1.0, "group": "A"}, "outside the nomogram's axis"),
        ({"x": 5.0, "group": "D"}, "Unknown group 'D': choose one of 'A', 'group_B', 'group_C'"),
        ({"x": 5.0, "group": "A", "age": 60}, "no predictor 'age'"),
        ({"x": 5.0}, "Missing value(s) for 'group': The model needs every predictor"),
        ({"x": "five", "group": "A"}, "x must be a number"),
    ],
)
def test_bad_patient_values_are_refused_clearly(values, words):
    _, _, nomo = synthetic()
    with pytest.raises(ValueError) as err:
        nomo.points(**values)
    assert words in str(err.value)


def test_levels_are_matched_case_and_spacing_blind():
    _, _, nomo = synthetic()
    assert nomo.points(x=5, group="Group-C").total == nomo.points(x=5, group="group_C").total


def test_an_unfitted_model_is_refused():
    data, _, _ = synthetic()
    with pytest.raises(ValueError, match="fit the model first"):
        Nomogram.from_cox(CoxPHFitter(), data)


def test_something_other_than_a_cox_fitter_is_refused():
    data, _, _ = synthetic()
    with pytest.raises(ValueError, match="fitted lifelines CoxPHFitter"):
        Nomogram.from_cox(object(), data)


def test_a_group_naming_an_unknown_column_is_refused():
    data, fitter, _ = synthetic()
    with pytest.raises(ValueError, match="not a covariate of the model"):
        Nomogram.from_cox(fitter, data, groups={"group": ("group_B", "group_D")})
    with pytest.raises(ValueError, match="'stage' is not a predictor of the model"):
        Nomogram.from_cox(fitter, data, reference_labels={"stage": "I"})


def test_data_other_than_the_fitting_data_is_refused():
    data, fitter, _ = synthetic()
    with pytest.raises(ValueError, match="not look like the data the model was fitted on"):
        Nomogram.from_cox(fitter, data.iloc[:200], groups={"group": ("group_B", "group_C")})


def test_a_time_beyond_follow_up_is_refused():
    data, fitter, nomo = synthetic()
    with pytest.raises(ValueError, match="cannot say what happens after it"):
        Nomogram.from_cox(fitter, data, times=(12, 240))
    with pytest.raises(ValueError, match="cannot say what happens after it"):
        nomo.survival(10, times=[500])


def test_a_total_outside_the_nomogram_is_refused():
    _, _, nomo = synthetic()
    with pytest.raises(ValueError, match="Total points must be between 0 and"):
        nomo.survival(nomo.max_total_points + 1)
    with pytest.raises(ValueError, match="Total points must be between 0 and"):
        nomo.survival(-1)
    # asked for, the model is read beyond its axis
    beyond = nomo.survival(nomo.max_total_points + 10, extrapolate=True)
    assert all(beyond[t] < nomo.survival(nomo.max_total_points)[t] for t in TIMES)


def test_stratified_and_spline_models_are_refused():
    data, _, _ = synthetic()
    strat = data.assign(site=(data["x"] > 5).astype(int))
    fitted = CoxPHFitter().fit(strat, duration_col="months", event_col="died", strata=["site"])
    with pytest.raises(ValueError, match="stratified"):
        Nomogram.from_cox(fitted, strat)
    spline = CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=3).fit(
        data, duration_col="months", event_col="died")
    with pytest.raises(ValueError, match="Breslow baseline"):
        Nomogram.from_cox(spline, data)


# --- printing and drawing -----------------------------------------------------------------
def test_summary_returns_the_scale_and_the_survival_table(capsys):
    _, fitter, nomo = synthetic()
    out = nomo.summary()
    assert capsys.readouterr().out == ""  # returned, not printed (no stray None)
    assert out == str(nomo)
    assert f"Points per unit of linear predictor: {nomo.points_per_lp:.4f}" in out
    assert "n = 400" in out
    assert f"events = {int(fitter.event_observed.sum())}" in out
    assert "x has the widest range of linear predictor" in out
    for t in TIMES:
        assert f"{t}-month survival" in out
        for s in (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1):
            best = nomo.survival(0, times=[t])[t]
            worst = nomo.survival(nomo.max_total_points, times=[t])[t]
            if worst <= s <= best:
                assert f"{nomo.points_for_survival(s, t):12.1f}  {s:g}" in out


def test_the_plot_draws_every_axis():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, _, nomo = synthetic()
    ax = nomo.plot()
    texts = {t.get_text() for t in ax.texts}
    for label in ("Points", "Total Points", "x", "group", "A", "group_B", "group_C",
                  "12-month Survival", "36-month Survival", "60-month Survival"):
        assert label in texts
    plt.close(ax.figure)


# --- a real data set: GBSG2, shipped with lifelines ---------------------------------------
def test_gbsg2_nomogram_matches_lifelines_and_gives_nodes_100_points():
    data, fitter, nomo = gbsg2()
    b = fitter.params_
    spans = {"tsize": b["tsize"] * (data["tsize"].max() - data["tsize"].min()),
             "pnodes": b["pnodes"] * (data["pnodes"].max() - data["pnodes"].min()),
             "horTh": abs(b["horTh_yes"])}
    widest = max(spans, key=spans.get)
    assert widest == "pnodes"
    assert nomo.points_per_lp == pytest.approx(100 / spans[widest], rel=1e-12)
    lo, hi = data["pnodes"].min(), data["pnodes"].max()
    span_points = (nomo.points(tsize=20, pnodes=hi, horTh="no")["pnodes"]
                   - nomo.points(tsize=20, pnodes=lo, horTh="no")["pnodes"])
    assert span_points == pytest.approx(100, abs=1e-9)
    # hormone therapy lowers the hazard, so "no" carries the points
    assert b["horTh_yes"] < 0
    assert nomo.points(tsize=20, pnodes=3, horTh="yes")["horTh"] == 0
    for i in range(0, len(data), 37):
        row = data.iloc[[i]]
        p = nomo.points(tsize=row["tsize"].iloc[0], pnodes=row["pnodes"].iloc[0],
                        horTh="yes" if row["horTh_yes"].iloc[0] else "no")
        expected = [lifelines_step_survival(fitter, row, t) for t in (12, 36, 60)]
        assert list(nomo.survival(p).values()) == pytest.approx(expected, abs=1e-8)


def test_gbsg2_plot_labels_every_predictor_and_survival_axis():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, _, nomo = gbsg2()
    ax = nomo.plot()
    texts = {t.get_text() for t in ax.texts}
    assert {"Tumour size (mm)", "Positive lymph nodes", "Hormone therapy", "yes", "no",
            "12-month Survival", "60-month Survival"} <= texts
    plt.close(ax.figure)


# --- rms's default axes: pretty(range(x), 10) ---------------------------------------------
def test_pretty_axes_scale_points_over_the_round_range():
    data, fitter, nomo = synthetic(axis_range="pretty")
    b = fitter.params_
    ticks = r_pretty(data["x"].min(), data["x"].max(), 10)
    p = nomo.predictor("x")
    assert (p.low, p.high) == (ticks[0], ticks[-1]) and p.axis_values() == ticks
    assert (p.observed_low, p.observed_high) == (data["x"].min(), data["x"].max())
    assert nomo.points_per_lp == pytest.approx(100 / (b["x"] * (ticks[-1] - ticks[0])))
    assert nomo.points(x=ticks[-1], group="A")["x"] == pytest.approx(100)
    assert nomo.points(x=ticks[0], group="A")["x"] == pytest.approx(0, abs=1e-9)


def test_a_predictor_with_few_values_is_drawn_at_them():
    data, _, _ = synthetic()
    few = data.assign(x=np.round(data["x"] / 2.5) * 2.5)  # 0, 2.5, ..., 10: five values
    fitter = CoxPHFitter().fit(few, duration_col="months", event_col="died")
    nomo = Nomogram.from_cox(fitter, few, groups={"group": ("group_B", "group_C")})
    assert nomo.predictor("x").axis_values() == sorted(few["x"].unique())


def test_an_unknown_axis_range_is_refused():
    data, fitter, _ = synthetic()
    with pytest.raises(ValueError, match="axis_range must be one of 'pretty', 'observed'"):
        Nomogram.from_cox(fitter, data, axis_range="wide")
