"""The immortal-time simulation: no true effect, a naive HR that favours the combination,
and two analyses (landmark, time-varying) that remove the bias."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec import immortal_time as it


@pytest.fixture(scope="module")
def big():
    return it.simulate(n=3000, seed=2024)


def test_death_times_ignore_treatment(big):
    # Exponential with median 12 months: S(12) = 0.5 whatever was received.
    assert (big["months"] > 12).mean() == pytest.approx(0.5, abs=0.03)
    # Everyone who received the combination was alive when it started: the immortal time.
    combo = big[big["combination"] == 1]
    assert (combo["second_agent_months"] < combo["months"]).all()
    assert combo["second_agent_months"].between(2, 10).all()
    assert big.loc[big["combination"] == 0, "second_agent_months"].isna().all()


def test_fixed_seed_naive_is_biased_and_the_two_fixes_are_not(big):
    naive = it.naive_hazard_ratio(big)
    landmark = it.landmark_hazard_ratio(big, landmark_months=6)
    varying = it.time_varying_hazard_ratio(big)
    assert naive.upper < 0.8                     # strongly "protective", truly null
    assert varying.lower < 1 < varying.upper
    assert varying.hazard_ratio == pytest.approx(1, abs=0.06)
    assert landmark.hazard_ratio == pytest.approx(1, abs=0.1)
    assert landmark.patients == int((big["months"] > 6).sum())


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_over_seeds_naive_below_one_time_varying_near_one(seed):
    cohort = it.simulate(n=600, seed=seed)
    naive = it.naive_hazard_ratio(cohort)
    varying = it.time_varying_hazard_ratio(cohort)
    assert naive.upper < 1
    # log HR standard error here is about 0.09: 0.35 is nearly four of them.
    assert abs(math.log(varying.hazard_ratio)) < 0.35


def test_episodes_keep_person_time_and_put_no_death_in_the_immortal_period():
    cohort = it.simulate(n=300, seed=5)
    e = it.episodes(cohort)
    assert (e["stop"] - e["start"]).sum() == pytest.approx(cohort["months"].sum())
    first = e[(e["combination"] == 0) & e["patient"].isin(e.loc[e["combination"] == 1,
                                                               "patient"])]
    assert (first["died"] == 0).all()
    assert e["died"].sum() == cohort["died"].sum()
    assert (e["stop"] > e["start"]).all()


def test_landmark_groups_by_what_was_received_by_then():
    cohort = it.simulate(n=300, seed=5)
    lm = it.landmark_cohort(cohort, 6)
    alive = cohort[cohort["months"] > 6]
    assert len(lm) == len(alive)
    assert (lm["months"] == alive["months"] - 6).all()
    late = alive["second_agent_months"] > 6
    assert (lm.loc[late[late].index, "combination"] == 0).all()


def test_result_strings_and_rows():
    r = it.compare(it.simulate(n=200, seed=1))
    assert [x.method.split()[0] for x in r] == ["Naive", "Landmark", "Time-varying"]
    assert "95 % CI" in str(r[0]) and set(r[0].row()) >= {"hr", "lower", "upper"}


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: it.simulate(n=5), "number of patients"),
        (lambda: it.simulate(n=50.5), "whole number"),
        (lambda: it.simulate(planned_fraction=1.5), "fraction planned"),
        (lambda: it.simulate(start_min_months=8, start_max_months=4), "must not be before"),
        (lambda: it.simulate(follow_up_months=5), "beyond the latest start"),
        (lambda: it.simulate(median_months=0), "median survival"),
        (lambda: it.naive_hazard_ratio({"months": [1]}), "simulate"),
        (lambda: it.landmark_hazard_ratio(it.simulate(n=50, seed=1), 500), "earlier landmark"),
        (lambda: it.landmark_hazard_ratio(it.simulate(n=50, seed=1), -1), "landmark"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


def test_simulate_is_deterministic():
    a, b = it.simulate(n=100, seed=3), it.simulate(n=100, seed=3)
    assert a.equals(b) and not a.equals(it.simulate(n=100, seed=4))
    assert np.isin(a["died"], [0, 1]).all()
