"""Restricted cubic splines and the nonlinearity test (nec.linearity); R agreement is in
tests/reference_r/test_r_nomogram_chapter.py."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec.linearity import nonlinearity_test, rcs_basis, rcs_knots


def test_knots_follow_rcspline_eval():
    # n = 20 < 100: outer knots are the 5th smallest (5) and 5th largest (16) values; inner
    # knots the 35 % and 65 % quantiles (1 + 0.35 x 19 = 7.65, 1 + 0.65 x 19 = 13.35).
    assert rcs_knots(list(range(1, 21)), 4) == pytest.approx((5, 7.65, 13.35, 16))
    # n = 200: the 10, 50, 90 % quantiles.
    assert rcs_knots(list(range(1, 201)), 3) == pytest.approx((20.9, 100.5, 180.1))


def test_basis_by_hand():
    # Knots 1, 4, 9: at x = 5, (5-1)^3 - (5-4)^3 x (9-1)/(9-4) = 64 - 1.6 = 62.4; / 8^2.
    assert rcs_basis([0.0, 5.0, 10.0], (1, 4, 9))[:, 0] == pytest.approx([0, 0.975, 6.0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.5, 20), min_size=3, max_size=3, unique=True))
def test_the_spline_is_zero_below_the_first_knot_and_straight_beyond_the_last(raw):
    knots = tuple(sorted(raw))
    if min(np.diff(knots)) < 0.05:
        return
    below = rcs_basis([knots[0] - 2, knots[0] - 1, knots[0]], knots)[:, 0]
    assert below == pytest.approx([0, 0, 0], abs=1e-12)
    beyond = rcs_basis([knots[-1] + 1, knots[-1] + 2, knots[-1] + 3], knots)[:, 0]
    assert beyond[2] - beyond[1] == pytest.approx(beyond[1] - beyond[0], rel=1e-9)


def _simulated(shape, n=600, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, n)
    lp = {"linear": 0.3 * x, "threshold": 1.5 * (x > 5)}[shape]
    t = rng.exponential(1 / (0.05 * np.exp(lp)))
    c = rng.uniform(0, 40, n)
    return pd.DataFrame({"x": x, "months": np.minimum(t, c), "died": (t <= c).astype(int)})


def test_a_step_in_the_hazard_is_detected_and_a_straight_line_is_not_flagged():
    bent = nonlinearity_test(_simulated("threshold"), predictor="x", duration_col="months",
                             event_col="died", n_knots=4)
    assert bent.df == 2 and bent.p_value < 0.001 and bent.lr_p_value < 0.001
    straight = nonlinearity_test(_simulated("linear"), predictor="x", duration_col="months",
                                 event_col="died", n_knots=4)
    assert straight.p_value > 0.01
    frame = straight.log_relative_hazard([1, 5, 10], reference=1)
    assert frame["log_hr"][0] == pytest.approx(0) and (frame["low"] <= frame["high"]).all()
    assert "Wald test of nonlinearity" in straight.summary()


@pytest.mark.parametrize(
    "kw, fragment",
    [
        (dict(predictor="weight"), "Column 'weight' is not in the data"),
        (dict(covariates=["x"]), "is the predictor under test"),
        (dict(n_knots=6), "The number of knots must be"),
        (dict(n_knots=3.5), "whole number"),
        (dict(knots=(5, 3, 8)), "increasing"),
        (dict(knots=(0.1, 5, 8)), "outside the observed"),
    ],
)
def test_bad_input(kw, fragment):
    args = dict(data=_simulated("linear", n=80), predictor="x", duration_col="months",
                event_col="died")
    args.update(kw)
    with pytest.raises(ValueError) as err:
        nonlinearity_test(**args)
    assert fragment in str(err.value)


def test_missing_values_are_refused_with_a_sentence():
    data = _simulated("linear", n=80)
    data.loc[3, "x"] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        nonlinearity_test(data, predictor="x", duration_col="months", event_col="died")
    with pytest.raises(ValueError, match="distinct values"):
        rcs_knots([1, 1, 2, 2, 3, 3], 4)
