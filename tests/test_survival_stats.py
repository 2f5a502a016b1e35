"""Kaplan–Meier, log-rank, trend test and reverse-KM follow-up: worked examples by hand,
then agreement with lifelines on the synthetic cohort (R is compared in tests/reference_r)."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from nec.cohort import synthetic_luo2024
from nec.survival_stats import kaplan_meier, logrank, logrank_trend, median_follow_up

# Worked example A: three patients, one per group a, b, c, dying at months 1, 2, 3.
# Observed (1, 1, 1); expected: t=1 → 1/3 each; t=2 → b, c 1/2; t=3 → c 1:
# E = (1/3, 5/6, 11/6). Covariance (first two groups): t=1 [[2/9, -1/9], [-1/9, 2/9]],
# t=2 [[0, 0], [0, 1/4]] → χ² = (2/3, 1/6) V⁻¹ (2/3, 1/6)ᵀ = 2.6 on 2 df.
# Trend with scores 0, 1, 2: U = 1/6 − 2·5/6 = −3/2; wᵀVw = (5/3 − 1) + (5/2 − 9/4) = 11/12;
# χ² = (9/4) / (11/12) = 27/11.
A_MONTHS, A_DIED, A_GROUPS = [1, 2, 3], [1, 1, 1], ["a", "b", "c"]


def test_logrank_worked_example():
    r = logrank(A_MONTHS, A_DIED, A_GROUPS)
    assert r.observed == (1, 1, 1)
    assert r.expected == pytest.approx((1 / 3, 5 / 6, 11 / 6))
    assert r.chi2 == pytest.approx(2.6) and r.df == 2
    assert r.p == pytest.approx(math.exp(-2.6 / 2))  # χ² on 2 df: p = exp(−x/2)


def test_trend_worked_example():
    r = logrank_trend(A_MONTHS, A_DIED, A_GROUPS, order=["a", "b", "c"])
    assert r.statistic == pytest.approx(-1.5)
    assert r.chi2 == pytest.approx(27 / 11)
    assert r.p == pytest.approx(math.erfc(math.sqrt(27 / 11 / 2)))


def test_trend_reversed_order_flips_the_sign_only():
    up = logrank_trend(A_MONTHS, A_DIED, A_GROUPS, order="abc")
    down = logrank_trend(A_MONTHS, A_DIED, A_GROUPS, order="cba")
    assert down.statistic == pytest.approx(-up.statistic)
    assert down.chi2 == pytest.approx(up.chi2)


def test_kaplan_meier_worked_example_and_flat_median():
    # 4 patients: deaths at 1, 2 and 4, one censored at 2 → S = 3/4, 3/4·2/3 = 1/2, 0.
    km = kaplan_meier([1, 2, 2, 4], [1, 1, 0, 1])
    assert km.survival == pytest.approx((0.75, 0.5, 0.0))
    assert km.at_risk == (4, 3, 1)
    # The curve is flat at exactly 0.5 from 2 to 4: the median is the midpoint, as in R.
    assert km.median_months == 3.0
    assert km.at(3.9) == 0.5 and km.at(0.5) == 1.0


def test_median_follow_up_worked_example():
    # Reverse KM: censored at 5 and 9 are the "events"; the deaths at 2 and 7 censor.
    # S_c: 1 after 2, 2/3 after 5, 2/3 after 7, 0 after 9 → median 9. Observed median 6.
    fu = median_follow_up([2, 5, 7, 9], [1, 0, 1, 0])
    assert fu.median_months == 9.0 and fu.median_observed_months == 6.0
    assert "reverse Kaplan–Meier" in str(fu)


@pytest.fixture(scope="module")
def patients():
    return synthetic_luo2024().data


def test_kaplan_meier_equals_lifelines_on_the_cohort(patients):
    km = kaplan_meier(patients["months"], patients["died"])
    ll = KaplanMeierFitter().fit(patients["months"], patients["died"])
    sf = ll.survival_function_.iloc[1:, 0]  # lifelines starts with a row at time 0
    assert np.allclose(sf.index, km.times_months)
    assert np.allclose(sf.to_numpy(), km.survival)


@pytest.mark.parametrize("column", ["resection", "size_group", "treatment"])
def test_logrank_equals_lifelines_on_the_cohort(patients, column):
    r = logrank(patients["months"], patients["died"], patients[column])
    ll = multivariate_logrank_test(patients["months"], patients[column], patients["died"])
    assert r.chi2 == pytest.approx(ll.test_statistic, rel=1e-9)
    assert r.df == ll.degrees_of_freedom
    assert sum(r.observed) == patients["died"].sum()
    assert sum(r.expected) == pytest.approx(patients["died"].sum())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans(), st.sampled_from("abc")),
                min_size=6, max_size=40))
def test_observed_minus_expected_sums_to_zero_and_chi2_is_not_negative(rows):
    months, died, groups = zip(*rows, strict=True)
    if sum(died) == 0 or len(set(groups)) < 2:
        return
    try:
        r = logrank(months, [int(d) for d in died], groups)
    except ValueError as error:  # only when no death has two groups at risk
        assert "no information" in str(error)
        return
    assert sum(r.observed) == pytest.approx(sum(r.expected))
    assert r.chi2 >= -1e-9 and 0 <= r.p <= 1


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: kaplan_meier([1, -2], [1, 0]), "cannot be negative: row 1 is -2 months"),
        (lambda: kaplan_meier([1, 2], [1, 2]), "must be coded 0 = censored, 1 = died; got 1 and 2"),
        (lambda: kaplan_meier([1, 2, 3], [1, 0]), "3 follow-up times but 2 event codes"),
        (lambda: kaplan_meier([], []), "There are 0 patients"),
        (lambda: kaplan_meier(["a"], [1]), "must be numbers; row 0 is not"),
        (lambda: logrank([1, 2], [1, 1], ["a", "a"]), "only one group"),
        (lambda: logrank([1, 2], [0, 0], ["a", "b"]), "no deaths"),
        (lambda: logrank([1, 2], [1, 1], ["a"]), "group labels"),
        (lambda: logrank_trend([1, 2], [1, 1], ["a", "b"], order="ab"), "three ordered"),
        (lambda: logrank_trend(A_MONTHS, A_DIED, A_GROUPS, order="ab"), "not in the order"),
        (lambda: logrank_trend(A_MONTHS, A_DIED, A_GROUPS, order="abc", scores=[1, 2]),
         "one finite score"),
        (lambda: median_follow_up([1, 2], [1, 1]), "Every patient died"),
        (lambda: logrank([1, 2], [0, 1], ["a", "b"]), "no information"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


# Confidence intervals of the median, against R 4.x survival (print(survfit(...))):
#   survfit(Surv(1:10, rep(1, 10)) ~ 1)                 median 5.5, 0.95LCL 3, UCL NA
#   t <- c(1:10, 12, 15); e <- c(1,1,0,1,1,0,1,1,0,1,0,0)
#   survfit(Surv(t, e) ~ 1)                             median 8, LCL 5, UCL NA
#   survfit(Surv(t, e) ~ 1, conf.type = "log-log")      median 8, LCL 2, UCL NA
@pytest.mark.parametrize(
    "months, died, conf_type, median, lower",
    [
        (list(range(1, 11)), [1] * 10, "log", 5.5, 3.0),
        ([*range(1, 11), 12, 15], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0], "log", 8.0, 5.0),
        ([*range(1, 11), 12, 15], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0], "log-log", 8.0, 2.0),
    ],
)
def test_median_ci_equals_survfit(months, died, conf_type, median, lower):
    km = kaplan_meier(months, died)
    ci = km.median_ci(conf_type=conf_type)
    assert km.median_months == median and ci[0] == lower and math.isnan(ci[1])


@pytest.mark.parametrize(
    "kwargs, fragment",
    [({"level": 0.3}, "confidence level must be between 0.5 and 1"),
     ({"level": 1.0}, "confidence level must be between 0.5 and 1"),
     ({"level": "95 %"}, "confidence level must be between 0.5 and 1"),
     ({"conf_type": "plain"}, "Unknown confidence interval type")],
)
def test_median_ci_refuses_bad_settings(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        kaplan_meier([1, 2, 3], [1, 1, 1]).median_ci(**kwargs)


def _chapter_fit(**kwargs):
    from lifelines import CoxPHFitter

    from nec.cohort import design_matrix

    x = design_matrix(synthetic_luo2024().data)
    return x, CoxPHFitter(**kwargs).fit(x, "months", "died")


@pytest.mark.parametrize(
    "coefficients, fragment",
    [(lambda fit: fit, "fitted with a penalizer"),
     (lambda fit: fit.params_, "not the maximum of the Cox partial likelihood")],
)
def test_cox_zph_refuses_a_penalised_fit(coefficients, fragment):
    from nec.survival_stats import cox_zph

    x, fit = _chapter_fit(penalizer=0.1)
    with pytest.raises(ValueError, match=fragment):
        cox_zph(x.drop(columns=["months", "died"]), x["months"], x["died"], coefficients(fit))


def test_cox_zph_refuses_rounded_coefficients_and_accepts_the_fit():
    from nec.survival_stats import cox_zph

    x, fit = _chapter_fit()
    covariates = x.drop(columns=["months", "died"])
    with pytest.raises(ValueError, match="not the maximum"):
        cox_zph(covariates, x["months"], x["died"], fit.params_.round(1))
    from_fit = cox_zph(covariates, x["months"], x["died"], fit)
    assert from_fit.chi2 == cox_zph(covariates, x["months"], x["died"], fit.params_).chi2
    assert len(from_fit.x) == len(from_fit.y) == int(x["died"].sum())
    with pytest.raises(ValueError, match="There is no term 'age'"):
        from_fit.residuals("age")


def test_trend_default_scores_follow_the_order_given_when_a_level_is_empty():
    # Biostatistics review 4, finding 7: with order a, b, c, d and no patient in b, the
    # default scores are the positions 0, 2, 3 (as if scores=[0, 1, 2, 3] were given), not a
    # renumbering 0, 1, 2 of the levels present; both implementations agree.
    from nec import _survival_core, survival_stats

    months, died, groups = [1, 2, 3, 4, 5, 6, 7], [1, 1, 0, 1, 1, 0, 1], list("aaccddd")
    for impl in (survival_stats, _survival_core):
        default = impl.logrank_trend(months, died, groups, order="abcd")
        given = impl.logrank_trend(months, died, groups, order="abcd", scores=[0, 1, 2, 3])
        assert tuple(default.scores) == (0.0, 2.0, 3.0)
        assert abs(default.statistic - given.statistic) < 1e-12
