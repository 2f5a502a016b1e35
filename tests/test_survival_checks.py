"""The survival chapter's checkers: right answers accepted, each slip named, and for a
multi-part answer each part judged on its own. Expected values here come from R-checked
functions (tests/reference_r) or from counting by hand."""

import pytest

from nec.exercises import EXERCISES, check

# Hand counts on the synthetic cohort: 36 deaths; 6 candidate parameters in Table 2.
DEATHS = 36


def test_the_chapter_has_at_least_four_exercises():
    assert len([e for e in EXERCISES.values() if e.chapter == "survival"]) >= 4


@pytest.mark.parametrize(
    "answer, correct, explains",
    [
        (DEATHS / 6, True, "6 candidate parameters"),
        (DEATHS / 4, False, "coefficients kept"),
        (DEATHS / 5, False, "two parameters"),
        (DEATHS / 3, False, "variables kept"),
        (45 / 6, False, "patients, not the events"),
        ("six", False, "as a number"),
        (2.0, False, "parameters screened"),
    ],
)
def test_events_per_candidate_parameter(answer, correct, explains):
    fb = check("survival-epv", answer)
    assert fb.correct is correct and explains in fb.message, fb.message


def follow_up():
    from nec.cohort import synthetic_luo2024
    from nec.survival_stats import median_follow_up

    d = synthetic_luo2024().data
    return median_follow_up(d["months"], d["died"]), d


def test_follow_up_judges_each_part():
    fu, d = follow_up()
    both = check("survival-follow-up", {"reverse_km": fu.median_months,
                                        "observed": fu.median_observed_months})
    assert both.correct
    one = check("survival-follow-up", {"reverse_km": fu.median_observed_months,
                                       "observed": fu.median_observed_months})
    assert not one.correct
    assert "reverse_km: not yet" in one.message and "observed: right" in one.message
    assert "median observed time" in one.message
    swapped = check("survival-follow-up", [fu.median_months, 1.0])
    assert "reverse_km: right" in swapped.message and "observed: not yet" in swapped.message
    assert "missing observed" in check("survival-follow-up", {"reverse_km": 1}).message
    assert "dict" in check("survival-follow-up", 73).message


def test_follow_up_names_the_median_survival_slip():
    from lifelines import KaplanMeierFitter

    _, d = follow_up()
    survival_median = KaplanMeierFitter().fit(d["months"], d["died"]).median_survival_time_
    fb = check("survival-follow-up", {"reverse_km": survival_median, "observed": 0})
    assert "median *survival*" in fb.message


# From R (survival 3.x) on the chapter's cohort, /tmp/review-survival/r1.R and
# tests/reference_r/test_r_survival_chapter.py: survdiff(Surv(months, died) ~ treatment) gives
# χ² 16.99 on 2 df (p 2.04e-4); the trend contrast with scores 0, 1, 2 gives χ² 14.27 on 1 df
# (p 1.58e-4). Both p values are 0.0002 at four decimals, so the questions ask for χ².
LOGRANK_CHI2 = 16.99
TREND_CHI2 = 14.27


@pytest.mark.parametrize(
    "exercise, answer, correct, explains",
    [
        ("survival-logrank", LOGRANK_CHI2, True, "2 degrees of freedom"),
        ("survival-logrank", 17.0, True, "2 degrees of freedom"),
        ("survival-logrank", TREND_CHI2, False, "trend test"),
        ("survival-logrank", 14.3, False, "trend test"),
        ("survival-logrank", 0.0002, False, "looks like a p value"),
        ("survival-logrank", 0.000204, False, "looks like a p value"),
        ("survival-logrank", 0.00016, False, "looks like a p value"),
        ("survival-logrank", 0.000158, False, "looks like a p value"),
        ("survival-logrank", 25.0, False, "Not the right χ²"),
        ("survival-logrank", "chi2", False, "as a number"),
        ("survival-trend", TREND_CHI2, True, "1 degree of freedom"),
        ("survival-trend", 14.3, True, "1 degree of freedom"),
        ("survival-trend", LOGRANK_CHI2, False, "2-degree-of-freedom"),
        ("survival-trend", 17.0, False, "2-degree-of-freedom"),
        ("survival-trend", 0.00016, False, "looks like a p value"),
        ("survival-trend", 0.0002, False, "looks like a p value"),
        ("survival-trend", 0.000158, False, "looks like a p value"),
        ("survival-trend", 3.0, False, "Not the right χ²"),
    ],
)
def test_trend_and_logrank_tell_each_other_apart(exercise, answer, correct, explains):
    fb = check(exercise, answer)
    assert fb.correct is correct and explains in fb.message, fb.message


def test_the_success_message_prints_the_statistic_it_accepted():
    assert "χ² = 16.99" in check("survival-logrank", LOGRANK_CHI2).message
    assert "χ² = 14.27" in check("survival-trend", TREND_CHI2).message


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
