"""Bad input to the survival statistics (nec.survival_stats, nec.decision_curve,
nec.immortal_time, nec.linearity, nec.cohort): every call in the table raises ValueError
with the sentence fragment beside it — never a numpy, pandas or lifelines exception, never a
silent answer. Property tests cover the rules with a shape: any negative or missing
follow-up time anywhere is refused naming its row; any event code but 0 and 1 is refused;
a time after the end of follow-up is refused while the curve is above 0 there.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from refusals import assert_refused, over_rows

from nec import cohort, decision_curve, immortal_time, linearity, survival_stats

MONTHS = [2.0, 3.0, 5.0, 8.0, 13.0, 21.0]
DIED = [1, 0, 1, 1, 0, 1]
GROUPS = ["a", "b", "a", "b", "a", "b"]


@cache
def simulated():
    return immortal_time.simulate(n=100, seed=1)


@cache
def luo():
    return cohort.synthetic_luo2024().data


@cache
def spline_data(n=120, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, n)
    t = rng.exponential(30 / np.exp(0.2 * x))
    c = rng.uniform(5, 60, n)
    return pd.DataFrame({"x": x, "months": np.minimum(t, c), "died": (t <= c).astype(int)})


@cache
def spline_fit():
    return linearity.nonlinearity_test(spline_data(), predictor="x", duration_col="months",
                                       event_col="died", n_knots=3)


def spline(**change):
    kw = dict(data=spline_data(), predictor="x", duration_col="months", event_col="died",
              n_knots=3)
    kw.update(change)
    return lambda: linearity.nonlinearity_test(**kw)


def sim(**columns):
    return simulated().assign(**columns)


def net(**change):
    kw = dict(predicted_risk=[0.2, 0.6, 0.4], durations=[5, 20, 9], events=[1, 0, 1], time=6,
              thresholds=[0.3])
    kw.update(change)
    return lambda: decision_curve.net_benefit(**kw)


def chapter_zph_input():
    x = cohort.design_matrix(luo())
    return x.drop(columns=["months", "died"]), x["months"], x["died"]


@cache
def zph():
    from lifelines import CoxPHFitter

    covariates, months, died = chapter_zph_input()
    fit = CoxPHFitter().fit(cohort.design_matrix(luo()), "months", "died")
    return survival_stats.cox_zph(covariates, months, died, fit)


KM = survival_stats.kaplan_meier(MONTHS, DIED)  # last follow-up (21) is a death: S = 0 there
KM_CENSORED_END = survival_stats.kaplan_meier([2, 5, 9], [1, 0, 0])

BAD = [
    # --- Kaplan–Meier, median follow-up, log-rank -----------------------------------------
    ("km negative time", lambda: survival_stats.kaplan_meier([3, -2, 5], [1, 0, 1]),
     "The follow-up time cannot be negative: row 1 is -2 months"),
    ("km NaN time", lambda: survival_stats.kaplan_meier([3, np.nan, 5], [1, 0, 1]),
     "The follow-up time is missing for row 1"),
    ("km infinite time", lambda: survival_stats.kaplan_meier([3, np.inf], [1, 0]),
     "must be a finite number of months; row 1 is infinite"),
    ("km events 1/2", lambda: survival_stats.kaplan_meier([3, 4], [1, 2]),
     "The death indicator must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("km events 0.5", lambda: survival_stats.kaplan_meier([3, 4], [0.5, 1]),
     "must be coded 0 = censored, 1 = died; got 0.5 and 1"),
    ("km event missing", lambda: survival_stats.kaplan_meier([3, 4], [1, None]),
     "The death indicator is missing for row 1"),
    ("km event as text", lambda: survival_stats.kaplan_meier([3, 4], ["died", "alive"]),
     "The death indicator must be numbers; rows 0 and 1 are not"),
    ("km a path", lambda: survival_stats.kaplan_meier("cohort.csv", [1]),
     "must be a column of numbers (one per patient), not 'cohort.csv'"),
    ("km a table", lambda: survival_stats.kaplan_meier(np.ones((3, 2)), [1, 0, 1]),
     "must be one column (one value per patient), not a table of shape (3, 2)"),
    ("km lengths", lambda: survival_stats.kaplan_meier([1, 2, 3], [1, 0]),
     "There are 3 follow-up times but 2 event codes"),
    ("km no patients", lambda: survival_stats.kaplan_meier([], []), "There are 0 patients"),
    ("km unknown keyword", lambda: survival_stats.kaplan_meier(MONTHS, DIED, unit="days"),
     "kaplan_meier() does not take unit: it takes months and died"),
    ("km at text", lambda: KM.at("12"), "The time must be a number of at least 0 months"),
    ("km at negative", lambda: KM.at(-1), "The time must be at least 0 months (got -1 months)"),
    ("km at beyond follow-up", lambda: KM_CENSORED_END.at(24),
     "The time 24 months is after the last follow-up (9 months)"),
    ("median_ci level as percent", lambda: KM.median_ci(95),
     "The confidence level must be between 0.5 and 1"),
    ("median_ci unknown keyword", lambda: KM.median_ci(alpha=0.05),
     "median_ci() does not take alpha: it takes level and conf_type"),
    ("median_ci unknown type", lambda: KM.median_ci(conf_type="plain"),
     "Unknown confidence interval type 'plain'"),
    ("follow-up everyone died", lambda: survival_stats.median_follow_up([1, 2], [1, 1]),
     "Every patient died: no one was censored"),
    ("follow-up negative", lambda: survival_stats.median_follow_up([1, -2], [0, 1]),
     "The follow-up time cannot be negative: row 1 is -2 months"),
    ("logrank a single group", lambda: survival_stats.logrank(MONTHS, DIED, ["a"] * 6),
     "A log-rank test compares groups: the data hold only one group"),
    ("logrank groups=2.5", lambda: survival_stats.logrank(MONTHS, DIED, 2.5),
     "The groups must be one label per patient (a list or a column), not 2.5"),
    ("logrank group missing", lambda: survival_stats.logrank(MONTHS, DIED, [*GROUPS[:5], None]),
     "A patient has no group"),
    ("logrank no deaths", lambda: survival_stats.logrank(MONTHS, [0] * 6, GROUPS),
     "There are no deaths: the log-rank test has nothing to compare"),
    ("logrank events 1/2", lambda: survival_stats.logrank(MONTHS, [d + 1 for d in DIED],
                                                          GROUPS),
     "must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("logrank order a number", lambda: survival_stats.logrank(MONTHS, DIED, GROUPS, order=3),
     "The order must list the groups"),
    ("logrank order missing a group",
     lambda: survival_stats.logrank(MONTHS, DIED, GROUPS, order=["a"]),
     "The group 'b' is not in the order given (a)"),
    ("logrank no information", lambda: survival_stats.logrank([1, 2], [0, 1], ["a", "b"]),
     "the test has no information"),
    ("trend two groups", lambda: survival_stats.logrank_trend(MONTHS, DIED, GROUPS, order="ab"),
     "A trend test needs at least three ordered groups"),
    ("trend without order",
     lambda: survival_stats.logrank_trend(MONTHS, DIED, list("aabbcc"), order=None),
     "A trend test needs the groups' order"),
    ("trend scores as text", lambda: survival_stats.logrank_trend(
        MONTHS, DIED, list("aabbcc"), order="abc", scores=["low", "mid", "high"]),
     "The scores must be numbers, one per group"),
    ("trend missing keyword", lambda: survival_stats.logrank_trend(MONTHS, DIED, GROUPS),
     "logrank_trend() needs order"),
    # --- the proportional-hazards test -----------------------------------------------------
    ("zph covariates with NaN", lambda: survival_stats.cox_zph(
        np.array([[1.0], [np.nan], [2.0]]), [1, 2, 3], [1, 1, 0], [0.1]),
     "The covariates and coefficients must be finite numbers"),
    ("zph covariates a path", lambda: survival_stats.cox_zph("x.csv", [1, 2, 3], [1, 1, 0],
                                                             [0.1]),
     "The covariates and coefficients must be numbers"),
    ("zph unknown transform", lambda: survival_stats.cox_zph(
        *chapter_zph_input(), [0.1, 0.1, 0.1, 0.1], transform="weird"),
     "Unknown time transform 'weird'"),
    ("zph a coefficient short", lambda: survival_stats.cox_zph(*chapter_zph_input(), [0.1]),
     "one coefficient per covariate (4)"),
    ("zph events 1/2", lambda: survival_stats.cox_zph(
        chapter_zph_input()[0], luo()["months"], luo()["died"] + 1, [0.1] * 4),
     "must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("zph residuals unknown term", lambda: zph().residuals("age"), "There is no term 'age'"),
    ("zph residuals by number", lambda: zph().residuals(3), "There is no term 3"),
    # --- decision curves ------------------------------------------------------------------
    ("dc km events 1/2", lambda: decision_curve.kaplan_meier([1, 2], [1, 2], 1),
     "The event column must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("dc km time text", lambda: decision_curve.kaplan_meier([1, 2], [1, 0], "1"),
     "The time must be a number of at least 0"),
    ("dc km negative time", lambda: decision_curve.kaplan_meier([1, 2], [1, 0], -1),
     "The time must be at least 0 (got -1)"),
    ("dc km a path", lambda: decision_curve.kaplan_meier("a.csv", [1, 0], 1),
     "must be a column of numbers (one per patient), not 'a.csv'"),
    ("net benefit beyond follow-up", net(time=100),
     "The decision time (100) is after the end of follow-up in these data (20)"),
    ("net benefit, nobody died", net(events=[0, 0, 0]),
     "No patient in these data died at all, so every action is a false positive: net benefit "
     "is 0 for acting on no one"),
    ("net benefit, no death by the decision time", net(durations=[8, 20, 9], time=6),
     "No patient in these data died by the decision time (6), so every action is a false "
     "positive"),
    ("decision-curve KM after follow-up",
     lambda: decision_curve.kaplan_meier([2, 5, 9], [1, 0, 0], 12),
     "The time 12 is after the last follow-up time in these data (9); the Kaplan–Meier "
     "estimate is not defined there."),
    ("net benefit unknown keyword", net(threshold=[0.3]),
     "net_benefit() does not take threshold"),
    ("net benefit NaN duration", net(durations=[5, np.nan, 9]),
     "The follow-up time is missing for row 1"),
    ("net benefit events 0.5", net(events=[1, 0.5, 0]),
     "must be coded 0 = censored, 1 = died; got 0, 0.5 and 1"),
    ("net benefit thresholds as text", net(thresholds="0.3"),
     "Thresholds must be numbers (a list or a column), not '0.3'"),
    ("net benefit risk in percent", net(predicted_risk=[20, 60, 40]),
     "Predicted risks are probabilities and must be between 0 and 1"),
    ("net benefit risk length", net(predicted_risk=[0.2, 0.6]), "one value per patient"),
    ("net benefit threshold 1", net(thresholds=[1]), "exchange rate"),
    # --- immortal time --------------------------------------------------------------------
    ("simulate fractional seed", lambda: immortal_time.simulate(seed=1.5),
     "The seed must be a whole number of at least 0, not 1.5"),
    ("simulate seed as text", lambda: immortal_time.simulate(seed="2024"),
     "The seed must be a whole number of at least 0, not '2024'"),
    ("simulate fractional n", lambda: immortal_time.simulate(n=50.5),
     "The number of patients must be a whole number between 20 and 1e+06, not 50.5"),
    ("simulate 5 patients", lambda: immortal_time.simulate(n=5),
     "Fewer patients give no stable estimate"),
    ("simulate unknown keyword", lambda: immortal_time.simulate(size=100),
     "simulate() does not take size"),
    ("simulate median 0", lambda: immortal_time.simulate(median_months=0),
     "The median survival must be greater than 0 months"),
    ("naive numpy array", lambda: immortal_time.naive_hazard_ratio(simulated().to_numpy()),
     "must be a pandas DataFrame (a table with named columns), not a numpy ndarray"),
    ("naive a path", lambda: immortal_time.naive_hazard_ratio("cohort.csv"),
     "To use a file, load it first"),
    ("naive a column missing",
     lambda: immortal_time.naive_hazard_ratio(simulated().drop(columns="combination")),
     "has no column(s) combination"),
    ("naive no deaths", lambda: immortal_time.naive_hazard_ratio(sim(died=0)),
     "The cohort has no deaths (every patient censored)"),
    ("naive events 1/2", lambda: immortal_time.naive_hazard_ratio(sim(died=simulated().died + 1)),
     "The event column (died) must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("naive negative months",
     lambda: immortal_time.naive_hazard_ratio(sim(months=simulated().months - 100)),
     "The follow-up time (months) cannot be negative"),
    ("naive combination coded 2", lambda: immortal_time.naive_hazard_ratio(sim(combination=2)),
     "The combination column must be coded 1 = received the second agent, 0 = did not"),
    ("episodes second agent after the end", lambda: immortal_time.episodes(sim(
        second_agent_months=np.where(simulated().combination == 1, 1000.0, np.nan))),
     "so the second agent must start at a time of 0 months or more and before the end"),
    ("time-varying empty cohort",
     lambda: immortal_time.time_varying_hazard_ratio(simulated().iloc[:0]),
     "has 0 row(s); at least 2 rows needed"),
    ("landmark as text", lambda: immortal_time.landmark_cohort(simulated(), "6"),
     "The landmark must be a number"),
    ("landmark beyond every death", lambda: immortal_time.landmark_hazard_ratio(simulated(), 500),
     "choose an earlier landmark"),
    ("compare unknown keyword", lambda: immortal_time.compare(simulated(), landmark=6),
     "compare() does not take landmark: it takes data and landmark_months"),
    # --- the spline check of linearity -----------------------------------------------------
    ("spline numpy array", spline(data=spline_data().to_numpy()),
     "The data must be a pandas DataFrame (a table with named columns), not a numpy ndarray"),
    ("spline a path", spline(data="cohort.csv"), "To use a file, load it first"),
    ("spline events 1/2", spline(data=spline_data().assign(died=spline_data().died + 1)),
     "The event column (died) must be coded 0 = censored, 1 = died; got 1 and 2"),
    ("spline negative months", spline(data=spline_data().assign(months=-1.0)),
     "The follow-up time (months) cannot be negative"),
    ("spline no deaths", spline(data=spline_data().assign(died=0)),
     "The data has no deaths (every patient censored)"),
    ("spline text predictor", spline(data=spline_data().assign(x="big")),
     "Column 'x' must be numbers"),
    ("spline column missing", spline(predictor="size_cm"), "Column 'size_cm' is not in the data"),
    ("spline predictor not a name", spline(predictor=3),
     "The predictor must be named as a column name (text), not 3"),
    ("spline covariates None", spline(covariates=None),
     "The covariates must be a list of column names, not None"),
    ("spline unknown keyword", spline(knot=3), "nonlinearity_test() does not take knot"),
    ("spline knots as text", spline(knots="abc"), "Knots must be at least three increasing"),
    ("spline fractional knots", spline(n_knots=3.5),
     "The number of knots must be a whole number between 3 and 5, not 3.5"),
    ("rcs_knots of text", lambda: linearity.rcs_knots("abc", 3),
     "The predictor must be numbers (e.g. sizes in cm), not 'abc'"),
    ("rcs_knots too few values", lambda: linearity.rcs_knots([1, 1, 2, 2, 3, 3], 4),
     "needs at least 6 distinct values"),
    ("rcs_basis NaN", lambda: linearity.rcs_basis([1, np.nan], (1, 2, 3)),
     "The predictor has missing or infinite values"),
    ("rcs_basis decreasing knots", lambda: linearity.rcs_basis([1, 2], (3, 2, 1)),
     "Knots must be at least three increasing numbers"),
    ("log relative hazard reference text", lambda: spline_fit().log_relative_hazard([2, 4], "5"),
     "The reference value must be a number"),
    ("log relative hazard NaN", lambda: spline_fit().log_relative_hazard([2, np.nan], 5),
     "The values has missing or infinite values"),
    # --- the synthetic cohort -------------------------------------------------------------
    ("cohort fractional seed", lambda: cohort.synthetic_luo2024(seed=1.5),
     "The seed must be a whole number of at least 0, not 1.5"),
    ("cohort n as text", lambda: cohort.synthetic_luo2024(n="45"),
     "The number of patients must be a whole number between 20 and 1e+06, not '45'"),
    ("cohort 10 patients", lambda: cohort.synthetic_luo2024(n=10),
     "Fewer than 20 cannot hold Table 1's groups"),
    ("cohort unknown keyword", lambda: cohort.synthetic_luo2024(patients=45),
     "synthetic_luo2024() does not take patients"),
    ("design matrix of an array", lambda: cohort.design_matrix(luo().to_numpy()),
     "The cohort must be a pandas DataFrame (a table with named columns), not a numpy"),
    ("design matrix of a path", lambda: cohort.design_matrix("luo.csv"),
     "To use a file, load it first"),
    ("design matrix column missing",
     lambda: cohort.design_matrix(luo().drop(columns="size_cm")), "has no column(s) size_cm"),
    ("design matrix unknown level", lambda: cohort.design_matrix(luo().assign(resection="maybe")),
     "The resection column holds 'maybe': the levels are 'yes', 'no'"),
    ("design matrix negative size", lambda: cohort.design_matrix(luo().assign(size_cm=-1.0)),
     "Tumour size must be greater than 0 cm"),
    ("design matrix events 1/2", lambda: cohort.design_matrix(luo().assign(died=luo().died + 1)),
     "must be coded 0 = censored, 1 = died; got 1 and 2"),
]


@over_rows(BAD)
def test_bad_input_is_refused_with_a_sentence(call, fragment):
    assert_refused(call, fragment)


def test_good_input_still_gives_the_hand_computed_answers():
    # A guard that the checks refuse only bad input: S(t) by hand, (1 − 1/6)(1 − 1/4).
    assert KM.at(5) == pytest.approx(5 / 6 * 3 / 4)
    assert KM.at(100) == 0.0  # the last follow-up is a death: S is known to be 0 after it
    assert decision_curve.kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1], 2.5) == pytest.approx(0.5)


# --- rules with a shape ------------------------------------------------------------------
CALLS_ON_SURVIVAL_COLUMNS = {
    "kaplan_meier": lambda t, e: survival_stats.kaplan_meier(t, e),
    "logrank": lambda t, e: survival_stats.logrank(t, e, ["a", "b"] * (len(t) // 2)
                                                   + ["a"] * (len(t) % 2)),
    "decision_curve.kaplan_meier": lambda t, e: decision_curve.kaplan_meier(t, e, 1.0),
    "median_follow_up": lambda t, e: survival_stats.median_follow_up(t, e),
}

times = st.lists(st.floats(0, 120, allow_nan=False), min_size=2, max_size=25)


@settings(max_examples=40, deadline=None)
@given(times, st.data(), st.sampled_from(sorted(CALLS_ON_SURVIVAL_COLUMNS)))
def test_any_negative_time_is_refused_naming_its_row(months, data, call):
    row = data.draw(st.integers(0, len(months) - 1))
    months = list(months)
    months[row] = -data.draw(st.floats(0.01, 1e4))
    died = [1] * len(months)
    with pytest.raises(ValueError, match=rf"cannot be negative: row {row} is"):
        CALLS_ON_SURVIVAL_COLUMNS[call](months, died)


@settings(max_examples=40, deadline=None)
@given(times, st.data(), st.sampled_from(sorted(CALLS_ON_SURVIVAL_COLUMNS)))
def test_any_missing_time_is_refused_naming_its_row(months, data, call):
    row = data.draw(st.integers(0, len(months) - 1))
    months = list(months)
    months[row] = float("nan")
    with pytest.raises(ValueError, match=rf"is missing for row {row}:"):
        CALLS_ON_SURVIVAL_COLUMNS[call](months, [1] * len(months))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 0.5, -1, 3]), min_size=2, max_size=25),
       st.sampled_from(sorted(CALLS_ON_SURVIVAL_COLUMNS)))
def test_any_event_code_but_0_and_1_is_refused(codes, call):
    if set(codes) <= {0, 1}:
        return
    months = [float(i + 1) for i in range(len(codes))]
    with pytest.raises(ValueError, match="must be coded 0 = censored, 1 = died; got"):
        CALLS_ON_SURVIVAL_COLUMNS[call](months, codes)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.1, 60), min_size=2, max_size=20), st.floats(1e-3, 1e3))
def test_a_time_after_a_censored_end_of_follow_up_is_refused(months, after):
    died = [1] * (len(months) - 1) + [0]
    months = sorted(months)
    months[-1] += 1.0  # the censored patient is the last one followed
    km = survival_stats.kaplan_meier(months, died)
    with pytest.raises(ValueError, match="is after the last follow-up"):
        km.at(months[-1] + after)
    assert 0 < km.at(months[-1]) <= 1


NOT_FOR_READERS = {
    "nec.survival_stats.KaplanMeier": "a result record kaplan_meier returns; readers "
                                      "never construct it",
    "nec.survival_stats.FollowUp": "a result record median_follow_up returns, never built by "
                                   "a reader",
    "nec.survival_stats.LogRank": "a result record logrank returns, never built by a reader",
    "nec.survival_stats.TrendTest": "a result record logrank_trend returns, never built by a "
                                    "reader",
    "nec.survival_stats.ProportionalHazardsTest": "a result record cox_zph returns, never "
                                                  "built by a reader",
    "nec.decision_curve.DecisionCurve": "a result record net_benefit returns, never built by "
                                        "a reader",
    "nec.immortal_time.HazardRatio": "a result record the three analyses return, never built "
                                     "by a reader",
    "nec.linearity.NonlinearityTest": "a result record nonlinearity_test returns, never built "
                                      "by a reader",
    "nec.cohort.SyntheticCohort": "a result record synthetic_luo2024 returns, never built by "
                                  "a reader",
    "nec.survival_curves.ApproximationError": "a result record approximation_error returns, "
                                              "never built by a reader",
    "nec.pooling.ResponderCounts": "a result record responders returns, never built by a "
                                   "reader",
    "nec.pooling.PooledResponse": "a result record pooled_response returns, never built by a "
                                  "reader",
}
