"""Exponential curves from a median, and their error against a known Kaplan-Meier curve."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.survival_curves import approximation_error, exponential_hazard, exponential_survival


@given(st.floats(0.1, 200))
def test_the_drawn_curve_has_the_reported_median(median):
    assert exponential_survival(median, median_months=median) == pytest.approx(0.5)
    assert exponential_survival(0, median_months=median) == 1.0


@given(st.floats(0.1, 100), st.floats(0, 100), st.floats(0, 100))
def test_survival_falls_with_time(median, t1, t2):
    lo, hi = sorted((t1, t2))
    assert exponential_survival(lo, median_months=median) >= exponential_survival(
        hi, median_months=median)


def test_hazard_and_doubling_of_time():
    assert exponential_hazard(median_months=6) == pytest.approx(math.log(2) / 6)
    s = exponential_survival(np.array([6.0, 12.0, 18.0]), median_months=6)
    assert s == pytest.approx([0.5, 0.25, 0.125])


def test_hand_worked_kaplan_meier_comparison():
    # Four deaths at 1, 2, 3, 4: KM = 0.75, 0.5, 0.25, 0; median 2.
    # Exponential with median 2: 0.7071, 0.5, 0.3536, 0.25.
    r = approximation_error([1, 2, 3, 4], [1, 1, 1, 1])
    assert r.km_median == 2
    assert r.max_abs_difference == pytest.approx(0.25) and r.at_time == 4
    expected_mean = (abs(0.75 - 2**-0.5) + 0 + abs(0.25 - 2**-1.5) + 0.25) / 4
    assert r.mean_abs_difference == pytest.approx(expected_mean)
    assert "at most 25.0 percentage points" in r.summary()


def test_exponential_data_are_approximated_well():
    rng = np.random.default_rng(2024)
    t = rng.exponential(scale=8 / math.log(2), size=4000)  # median 8
    r = approximation_error(t, np.ones_like(t))
    assert r.km_median == pytest.approx(8, rel=0.06)
    assert r.max_abs_difference < 0.03


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: exponential_survival(3, median_months=0), "median"),
        (lambda: exponential_survival(3, median_months=-4), "median"),
        (lambda: exponential_survival(-1, median_months=4), "not negative"),
        (lambda: approximation_error([1, 2], [1]), "same length"),
        (lambda: approximation_error([1, 2, 3], [1, 2, 0]), "1 (event) or 0"),
        (lambda: approximation_error([1, 2, 3, 4, 5], [0, 1, 0, 0, 0]), "never reaches 50"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


def test_approximation_in_days_is_not_held_to_the_months_bound():
    # Four deaths at 100, 200, 300, 400 days: the same shape as the hand-worked example.
    r = approximation_error([100, 200, 300, 400], [1, 1, 1, 1], unit="days")
    assert r.km_median == 200 and r.max_abs_difference == pytest.approx(0.25)
    assert "days" in r.summary()


def test_events_coded_as_floats_one_and_zero_are_read():
    r = approximation_error([1, 2, 3, 4], [1.0, 1.0, 1.0, 1.0])
    assert r.events == 4
