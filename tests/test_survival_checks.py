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


def test_trend_and_logrank_tell_each_other_apart():
    from nec.cohort import synthetic_luo2024
    from nec.exercises.survival_checks import TREATMENT_ORDER
    from nec.survival_stats import logrank, logrank_trend

    d = synthetic_luo2024().data
    trend = logrank_trend(d["months"], d["died"], d["treatment"], order=TREATMENT_ORDER).p
    overall = logrank(d["months"], d["died"], d["treatment"]).p
    assert check("survival-trend", trend).correct
    assert "2-degree-of-freedom" in check("survival-trend", overall).message
    assert check("survival-logrank", overall).correct
    assert "trend test" in check("survival-logrank", trend).message


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
