"""The synthetic Luo 2024 cohort: Table 1 margins, determinism, and the published model."""

import math

import numpy as np
import pytest
from lifelines import CoxPHFitter

from nec.cohort import (
    HAZARD_RATIOS,
    TABLE1,
    TABLE1_CONFLICT,
    baseline_weibull,
    design_matrix,
    synthetic_luo2024,
)


@pytest.fixture(scope="module")
def cohort():
    return synthetic_luo2024()


@pytest.mark.parametrize("variable", list(TABLE1))
def test_table1_counts_are_exact(cohort, variable):
    counts = cohort.data[variable].value_counts().to_dict()
    assert counts == TABLE1[variable]


def test_size_summary_matches_the_printed_median_and_iqr(cohort):
    size = cohort.data["size_cm"]
    assert size.median() == pytest.approx(4.4)
    q1, q3 = size.quantile([0.25, 0.75])
    assert q3 - q1 == pytest.approx(1.8, abs=0.05)
    assert (size > 5).sum() == 10 and size.between(1, 10).all()


def test_ages_honour_the_groups_and_the_conflict_is_stated(cohort):
    d = cohort.data
    assert (d.loc[d["age_group"] == "<=60", "age_years"] <= 60).all()
    assert (d.loc[d["age_group"] == ">60", "age_years"] > 60).all()
    assert d["age_years"].median() > 60  # so the printed median of 53 cannot hold
    assert "53" in TABLE1_CONFLICT and "31 of the 45" in TABLE1_CONFLICT


def test_same_seed_same_cohort_other_seed_other_cohort():
    a, b = synthetic_luo2024(seed=7).data, synthetic_luo2024(seed=7).data
    assert a.equals(b)
    assert not a.equals(synthetic_luo2024(seed=8).data)


def test_baseline_reproduces_the_nomogram_baseline():
    from nec.nomogram import luo2024

    shape, scale = baseline_weibull()
    s0 = luo2024().baseline_survival()
    for years in (1, 3, 5):
        weibull = math.exp(-((12 * years / scale) ** shape))
        assert weibull == pytest.approx(s0[years], abs=0.01)


def test_a_cox_fit_recovers_the_published_hazard_ratios_at_large_n():
    big = synthetic_luo2024(n=20_000, seed=11).data
    fit = CoxPHFitter().fit(design_matrix(big), "months", "died")
    for name, hr in HAZARD_RATIOS.items():
        assert math.exp(fit.params_[name]) == pytest.approx(hr, rel=0.06), name


def test_the_45_patient_cohort_has_events_and_censoring(cohort):
    died = cohort.data["died"]
    assert 20 <= died.sum() < 45
    assert (cohort.data["months"] > 0).all()


def test_table1_view_puts_printed_and_synthetic_side_by_side(cohort):
    t = cohort.table1()
    counts = t[t["variable"].isin(TABLE1)]
    assert (counts["printed"] == counts["synthetic"]).all()
    age = t[(t["variable"] == "age") & (t["level"] == "median")].iloc[0]
    assert age["printed"] == 53 and age["synthetic"] > 60


@pytest.mark.parametrize(
    "kw, words",
    [({"n": 10}, "number of patients"), ({"n": 45.5}, "whole number"),
     ({"censor_min_months": 50, "censor_max_months": 20}, "after the earliest")],
)
def test_bad_input(kw, words):
    with pytest.raises(ValueError, match=words):
        synthetic_luo2024(**kw)


def test_design_matrix_uses_the_papers_reference_levels(cohort):
    x = design_matrix(cohort.data)
    both = cohort.data["treatment"] == "chemotherapy and targeted"
    assert (x.loc[both, ["treatment_either", "treatment_neither"]] == 0).all().all()
    assert np.isin(x["resection_no"], [0, 1]).all()
