"""The survival chapter's checkers: right answers accepted, each slip named, and for a
multi-part answer each part judged on its own. Expected values here come from R-checked
functions (tests/reference_r) or from counting by hand."""

import pytest

from nec.exercises import EXERCISES, check

# Hand counts on the synthetic cohort: 36 deaths; 6 candidate parameters in Table 2.
DEATHS = 36


def test_the_chapter_has_at_least_four_exercises():
    assert len([e for e in EXERCISES.values() if e.chapter == "survival"]) >= 4


# 9 candidate parameters: the paper's 6, Ki-67 (continuous) 1, site (three levels) 2.
@pytest.mark.parametrize(
    "answer, correct, explains",
    [
        (DEATHS / 9, True, "9 candidate parameters"),
        (DEATHS / 6, False, "paper's own 6"),
        (DEATHS / 8, False, "site as one parameter"),
        (DEATHS / 10, False, "gives the site three parameters"),
        (DEATHS / 4, False, "Count every parameter screened"),
        (45 / 9, False, "patients, not the events"),
        ("nine", False, "as a number"),
        (2.0, False, "every parameter screened"),
    ],
)
def test_events_per_candidate_parameter(answer, correct, explains):
    fb = check("survival-epv", answer)
    assert fb.correct is correct and explains in fb.message, fb.message


def cohort():
    from nec.cohort import synthetic_luo2024

    return synthetic_luo2024().data


def women_follow_up():
    # The oracle is lifelines, not the code under test: a Kaplan–Meier fit of 1 - died.
    from lifelines import KaplanMeierFitter

    women = cohort()[lambda d: d["sex"] == "female"]
    reverse = KaplanMeierFitter().fit(women["months"], 1 - women["died"])
    return reverse.median_survival_time_, float(women["months"].median()), women


def test_follow_up_judges_each_part():
    reverse, observed, _ = women_follow_up()
    both = check("survival-follow-up", {"reverse_km": reverse, "observed": observed})
    assert both.correct, both.message
    one = check("survival-follow-up", {"reverse_km": observed, "observed": observed})
    assert not one.correct
    assert "reverse_km: not yet" in one.message and "observed: right" in one.message
    assert "median observed time" in one.message
    swapped = check("survival-follow-up", [reverse, 1.0])
    assert "reverse_km: right" in swapped.message and "observed: not yet" in swapped.message
    assert "missing observed" in check("survival-follow-up", {"reverse_km": 1}).message
    assert "dict" in check("survival-follow-up", 73).message


def test_follow_up_names_the_whole_cohort_and_the_median_survival_slips():
    from lifelines import KaplanMeierFitter

    d = cohort()
    whole = KaplanMeierFitter().fit(d["months"], 1 - d["died"]).median_survival_time_
    fb = check("survival-follow-up", {"reverse_km": whole, "observed": d["months"].median()})
    assert not fb.correct and fb.message.count("whole cohort's") == 2, fb.message
    _, _, women = women_follow_up()
    survival_median = KaplanMeierFitter().fit(women["months"],
                                              women["died"]).median_survival_time_
    fb = check("survival-follow-up", {"reverse_km": survival_median, "observed": 0})
    assert "median *survival*" in fb.message


def pair_chi2():
    # lifelines' two-group log-rank test is the oracle for both agents against neither.
    from lifelines.statistics import logrank_test

    d = cohort()
    a = d[d["treatment"] == "chemotherapy and targeted"]
    b = d[d["treatment"] == "neither"]
    return logrank_test(a["months"], b["months"], a["died"], b["died"]).test_statistic


def resected_trend_chi2():
    # The trend statistic by hand (Collett §2.6): U = Σ w (O − E), V = Σ over death times
    # of the hypergeometric covariance, χ² = U² / wᵀVw, with scores 0, 1, 2.
    import numpy as np

    d = cohort()[lambda x: x["resection"] == "yes"]
    order = ["chemotherapy and targeted", "chemotherapy or targeted", "neither"]
    w = np.array([0.0, 1.0, 2.0])
    u, var = 0.0, 0.0
    for t in sorted(d.loc[d["died"] == 1, "months"].unique()):
        at_risk = d[d["months"] >= t]
        n = np.array([(at_risk["treatment"] == g).sum() for g in order], float)
        deaths_t = at_risk[(at_risk["months"] == t) & (at_risk["died"] == 1)]
        o = np.array([(deaths_t["treatment"] == g).sum() for g in order], float)
        big_n, dd = n.sum(), o.sum()
        u += w @ (o - dd * n / big_n)
        if big_n > 1:
            cov = dd * (big_n - dd) / (big_n - 1) * (np.diag(n / big_n)
                                                     - np.outer(n, n) / big_n ** 2)
            var += w @ cov @ w
    return u * u / var


# From R (survival 3.x) on the chapter's cohort, tests/reference_r/test_r_survival_chapter.py:
# survdiff(Surv(months, died) ~ treatment) gives χ² 16.99 on 2 df; the trend contrast with
# scores 0, 1, 2 gives χ² 14.27 on 1 df. They are printed in the chapter, so the exercises ask
# for other tests, and name these two as the slip of reading the chapter's number.
LOGRANK_CHI2 = 16.99
TREND_CHI2 = 14.27


def test_trend_and_logrank_tell_the_questions_apart():
    pair, trend = pair_chi2(), resected_trend_chi2()
    cases = [
        ("survival-logrank", pair, True, "1 degree of freedom"),
        ("survival-logrank", round(pair, 1), True, "1 degree of freedom"),
        ("survival-logrank", LOGRANK_CHI2, False, "all three groups"),
        ("survival-logrank", TREND_CHI2, False, "trend test"),
        ("survival-logrank", 0.0005, False, "looks like a p value"),
        ("survival-logrank", 25.0, False, "Not the right χ²"),
        ("survival-logrank", "chi2", False, "as a number"),
        ("survival-trend", trend, True, "resected patients"),
        ("survival-trend", round(trend, 1), True, "1 degree of freedom"),
        ("survival-trend", TREND_CHI2, False, "whole cohort's trend test"),
        ("survival-trend", LOGRANK_CHI2, False, "whole cohort's 2-degree"),
        ("survival-trend", 0.0001, False, "looks like a p value"),
        ("survival-trend", 3.0, False, "Not the right χ²"),
    ]
    for exercise, answer, correct, explains in cases:
        fb = check(exercise, answer)
        assert fb.correct is correct and explains in fb.message, (exercise, answer, fb.message)


def test_the_success_message_prints_the_statistic_it_accepted():
    assert f"χ² = {pair_chi2():.2f}" in check("survival-logrank", pair_chi2()).message
    assert f"χ² = {resected_trend_chi2():.2f}" in check("survival-trend",
                                                        resected_trend_chi2()).message


def test_the_resected_two_df_test_is_named_as_the_trend_slip():
    from lifelines.statistics import multivariate_logrank_test

    d = cohort()[lambda x: x["resection"] == "yes"]
    two_df = multivariate_logrank_test(d["months"], d["treatment"], d["died"]).test_statistic
    fb = check("survival-trend", two_df)
    assert not fb.correct and "Right patients" in fb.message, fb.message


def test_immortal_time_judges_each_part_and_names_the_ever_received_slip():
    from lifelines import CoxPHFitter

    from nec import immortal_time

    data = immortal_time.simulate(n=400, seed=3)
    naive = CoxPHFitter().fit(data[["months", "died", "combination"]], "months",
                              "died").hazard_ratios_["combination"]
    alive = data[data["months"] > 6]
    ever = CoxPHFitter().fit(alive[["months", "died", "combination"]], "months",
                             "died").hazard_ratios_["combination"]
    landmark = immortal_time.landmark_hazard_ratio(data, 6).hazard_ratio
    assert check("survival-immortal", {"naive": naive, "landmark": landmark}).correct
    slip = check("survival-immortal", {"naive": naive, "landmark": ever})
    assert not slip.correct and "naive: right" in slip.message
    assert "at any time" in slip.message
    inverse = check("survival-immortal", {"naive": 1 / naive, "landmark": landmark})
    assert "inverse" in inverse.message and "landmark: right" in inverse.message
