"""nec._survival_core (the checkers' standard-library statistics) against nec.survival_stats
(itself checked against R in tests/reference_r), lifelines, scipy and hand-worked examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nec import _survival_core as core
from nec import survival_stats
from nec.exercises._data_files import cohort_rows, immortal_rows

ORDER = ("chemotherapy and targeted", "chemotherapy or targeted", "neither")


def columns(rows, *names):
    return [[r[n] for r in rows] for n in names]


# Small survival data sets with ties in time and between deaths and censorings.
times = st.lists(st.integers(1, 12), min_size=4, max_size=40)


@st.composite
def survival_data(draw, groups=3):
    t = draw(times)
    e = draw(st.lists(st.integers(0, 1), min_size=len(t), max_size=len(t)))
    g = draw(st.lists(st.sampled_from("abc"[:groups]), min_size=len(t), max_size=len(t)))
    return [float(x) for x in t], e, g


@settings(max_examples=80, deadline=None)
@given(survival_data())
def test_kaplan_meier_and_its_medians_equal_survival_stats_and_lifelines(data):
    from lifelines import KaplanMeierFitter

    t, e, _ = data
    curve, km = core.kaplan_meier(t, e), survival_stats.kaplan_meier(t, e)
    assert curve.times == km.times_months and curve.at_risk == km.at_risk
    assert curve.deaths == km.deaths
    assert curve.survival == pytest.approx(km.survival, abs=1e-15)
    r_median, want = core.median_r(curve), km.median_months
    assert r_median == want or (math.isnan(r_median) and math.isnan(want))
    assert core.median_lifelines(curve) == KaplanMeierFitter().fit(t, e).median_survival_time_


@settings(max_examples=80, deadline=None)
@given(survival_data())
def test_median_follow_up_equals_survival_stats(data):
    t, e, _ = data
    if all(e):
        with pytest.raises(ValueError, match="Every patient died"):
            core.median_follow_up(t, e)
        return
    got, want = core.median_follow_up(t, e), survival_stats.median_follow_up(t, e)
    assert got.median_observed_months == want.median_observed_months
    assert got.median_months == want.median_months or (
        math.isnan(got.median_months) and math.isnan(want.median_months))


@settings(max_examples=80, deadline=None)
@given(survival_data())
def test_logrank_and_trend_equal_survival_stats(data):
    t, e, g = data
    try:
        want = survival_stats.logrank(t, e, g)
    except ValueError as err:
        with pytest.raises(ValueError, match=str(err)[:30]):
            core.logrank(t, e, g)
        return
    got = core.logrank(t, e, g)
    assert (got.groups, got.observed, got.df) == (want.groups, want.observed, want.df)
    assert got.expected == pytest.approx(want.expected, rel=1e-12)
    assert got.chi2 == pytest.approx(want.chi2, rel=1e-9, abs=1e-12)
    assert got.p == pytest.approx(want.p, rel=1e-9, abs=1e-15)
    if len(got.groups) == 3:
        try:
            want_trend = survival_stats.logrank_trend(t, e, g, order="abc")
        except ValueError:
            with pytest.raises(ValueError):
                core.logrank_trend(t, e, g, order="abc")
            return
        trend = core.logrank_trend(t, e, g, order="abc")
        assert trend.statistic == pytest.approx(want_trend.statistic, rel=1e-12, abs=1e-12)
        assert trend.chi2 == pytest.approx(want_trend.chi2, rel=1e-9)
        assert trend.p == pytest.approx(want_trend.p, rel=1e-9, abs=1e-15)


def test_the_chapters_tests_on_the_cohort_equal_survival_stats():
    rows = cohort_rows()
    t, e, g = columns(rows, "months", "died", "treatment")
    want, got = survival_stats.logrank(t, e, g), core.logrank(t, e, g)
    assert got.chi2 == pytest.approx(want.chi2, rel=1e-12) and round(got.chi2, 2) == 16.99
    want_trend = survival_stats.logrank_trend(t, e, g, order=ORDER)
    got_trend = core.logrank_trend(t, e, g, order=ORDER)
    assert got_trend.chi2 == pytest.approx(want_trend.chi2, rel=1e-12)
    assert round(got_trend.chi2, 2) == 14.27  # R, tests/reference_r/test_r_survival_chapter.py
    scored = core.logrank_trend(t, e, g, order=ORDER, scores=(2, 1, 0))
    assert scored.chi2 == pytest.approx(got_trend.chi2) and scored.statistic == pytest.approx(
        -got_trend.statistic)


@pytest.mark.parametrize("x", [0.0, 0.5, 3.84, 20.0, 80.0])
@pytest.mark.parametrize("df", [1, 2, 3, 4, 7])
def test_chi2_tail_equals_scipy(x, df):
    from scipy import stats

    assert core.chi2_sf(x, df) == pytest.approx(float(stats.chi2.sf(x, df)), rel=1e-12,
                                                abs=1e-300)


def lifelines_cox(t, e, x):
    import pandas as pd
    from lifelines import CoxPHFitter

    frame = pd.DataFrame({"t": t, "e": e, "x": x})
    fit = CoxPHFitter().fit(frame, "t", "e", fit_options={"precision": 1e-12})
    return float(fit.params_["x"]), float(fit.standard_errors_["x"])


@settings(max_examples=40, deadline=None)
@given(survival_data(groups=2))
@example(([1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0], [0, 0, 0, 0, 0, 0, 1, 0],
          ["a", "a", "a", "a", "a", "a", "a", "b"]))
def test_one_covariate_cox_equals_lifelines_with_efron_ties(data):
    import warnings

    t, e, g = data
    x = [1.0 if v == "b" else 0.0 for v in g]
    if len(set(x)) < 2 or not any(e):
        return
    from lifelines.exceptions import ConvergenceError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns when the likelihood is monotone
        try:
            beta, se = lifelines_cox(t, e, x)
        except ConvergenceError:  # lifelines gives up (a monotone likelihood, or ties at one
            return                # time it cannot invert): nothing to compare with
    try:
        fit = core.cox_one_covariate(t, e, x)
    except ValueError as err:
        if "no information" in str(err):  # a flat likelihood: lifelines stays at 0, and its
            # SE is NaN or, when rounding leaves an information of ~1e-18 instead of 0, absurd
            # (7.6e8 for one death with only x = 0 at risk, which hypothesis found)
            assert beta == 0 and (math.isnan(se) or se > 1e6), (beta, se)
            return
        # No maximum (the likelihood rises forever): lifelines wanders off towards ±infinity.
        assert "no finite maximum" in str(err)
        assert abs(beta) > 3 or se > 10, (beta, se)
        return
    # lifelines stops its Newton steps a little earlier than this core (within a few 1e-6 of
    # the maximum: five patients dying at one time, two of them, give the exact β = ln 28 / 2
    # = 1.6661023, which lifelines reaches only to 1.3e-6; the tied example below has an
    # exact maximum too, β = ln 15 / 2).
    assert fit.coefficient == pytest.approx(beta, abs=1e-5)
    assert fit.se == pytest.approx(se, rel=1e-5)


def test_the_two_cases_hypothesis_found():
    # Five at risk at 1 month, two deaths there (x = 0 and x = 1): Efron's score
    # 1 − r/(4 + r) − r/(7 + r) = 0 gives r² = 28.
    fit = core.cox_one_covariate([1] * 5, [0, 0, 0, 1, 1], [0, 0, 0, 0, 1])
    assert fit.coefficient == pytest.approx(math.log(28) / 2, rel=1e-12)
    # The patient with x = 1 is censored before the only death: no information.
    with pytest.raises(ValueError, match="carry no information on the hazard ratio"):
        core.cox_one_covariate([1, 1, 2, 2, 2], [0, 0, 0, 0, 1], [0, 1, 0, 0, 0])


def test_tied_deaths_are_split_as_efron_splits_them():
    # Four patients at risk at 1 month, two deaths there (x = 0 and x = 1), two censored
    # (x = 0): Efron's log L = β − log(3 + r) − log(3 + r − (1 + r)/2), whose score is
    # 1 − r/(3 + r) − r/(5 + r) = 0, i.e. r² = 15.
    fit = core.cox_one_covariate([1, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1])
    assert fit.coefficient == pytest.approx(math.log(15) / 2, rel=1e-14)


def test_the_immortal_time_hazard_ratios_equal_nec_immortal_time():
    # nec.immortal_time fits with lifelines (precision 1e-10), which stops within ~3e-7 of the
    # maximum on these 400 patients; this core goes on to R's coxph value (to 1e-9:
    # tests/reference_r/test_r_checker_core.py), so the two agree to 1e-6.
    import pandas as pd

    from nec import immortal_time

    rows = immortal_rows()
    frame = pd.DataFrame(rows).drop(columns="patient")
    t, e, x = columns(rows, "months", "died", "combination")
    naive = immortal_time.naive_hazard_ratio(frame)
    assert core.cox_one_covariate(t, e, x).hazard_ratio == pytest.approx(naive.hazard_ratio,
                                                                         rel=1e-6)
    lm = immortal_time.landmark_cohort(frame, 6.0)
    got = core.cox_one_covariate(lm["months"], lm["died"], lm["combination"])
    assert got.hazard_ratio == pytest.approx(
        immortal_time.landmark_hazard_ratio(frame, 6.0).hazard_ratio, rel=1e-6)
    assert (got.patients, got.deaths) == (len(lm), int(lm["died"].sum()))


def test_a_hand_worked_cox_example():
    # Deaths at 1 (x = 1), 2 (x = 0) and 3 (x = 1), censored at 4 (x = 0); r = e^β. The risk
    # sets give log L = β − log(2r + 2) + 0 − log(r + 2) + β − log(r + 1), so the score is
    # 2 − 2r/(r + 1) − r/(r + 2) = 0, i.e. r² − r − 4 = 0, r = (1 + √17)/2; the information
    # is 2r/(r + 1)² + 2r/(r + 2)². No tied deaths, so Efron's method changes nothing.
    fit = core.cox_one_covariate([1, 2, 3, 4], [1, 1, 1, 0], [1, 0, 1, 0])
    r = (1 + math.sqrt(17)) / 2
    assert fit.hazard_ratio == pytest.approx(r, rel=1e-12)
    assert fit.se == pytest.approx(1 / math.sqrt(2 * r / (r + 1) ** 2 + 2 * r / (r + 2) ** 2),
                                   rel=1e-12)
    assert (fit.patients, fit.deaths) == (4, 3)
    # The treated patient dies first, then the other: L = r / (r + 1) rises without bound.
    with pytest.raises(ValueError, match="no finite maximum"):
        core.cox_one_covariate([1, 2], [1, 1], [1, 0])


# (call, the sentence it must raise)
DEGENERATE = [
    (lambda: core.kaplan_meier([], []), "There are no patients"),
    (lambda: core.median_follow_up([1, 2], [1, 1]), "Every patient died"),
    (lambda: core.logrank([1, 2], [1, 1], ["a", "a"]), "only one group"),
    (lambda: core.logrank([1, 2], [0, 0], ["a", "b"]), "There are no deaths"),
    (lambda: core.logrank([1, 0.5], [1, 0], ["a", "b"]), "no information"),
    (lambda: core.logrank_trend([1, 2], [1, 1], ["a", "b"], order="ab"), "at least three"),
    (lambda: core.cox_one_covariate([1, 2], [0, 0], [0, 1]), "There are no deaths"),
    (lambda: core.cox_one_covariate([1, 2], [1, 1], [1, 1]), "same value"),
]


@pytest.mark.parametrize("call, sentence", DEGENERATE)
def test_degenerate_data_get_a_sentence(call, sentence):
    with pytest.raises(ValueError, match=sentence):
        call()
