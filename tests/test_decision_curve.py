"""Net benefit of a survival model (nec.decision_curve), against worked examples by hand."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec.decision_curve import kaplan_meier, net_benefit


def test_uncensored_example_by_hand():
    # Ten patients; the four who die by 12 months die at 6, the others are followed to 24.
    risk = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
    died = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0]
    months = [6 if d else 24 for d in died]
    table = net_benefit(risk, months, died, time=12, thresholds=[0.35, 0.95]).table
    # Threshold 0.35: six flagged (risk >= 0.35), four of them die: TP 4, FP 2 of n = 10.
    # NB = 4/10 - 2/10 x 0.35/0.65 = 0.2923077; treat all: 4/10 - 6/10 x 0.35/0.65.
    assert table["flagged"].tolist() == [6, 0]
    assert table["model"][0] == pytest.approx(0.4 - 0.2 * 0.35 / 0.65)
    assert table["model"][0] == pytest.approx(0.2923077, abs=1e-7)
    assert table["treat_all"][0] == pytest.approx(0.0769231, abs=1e-7)
    # Threshold 0.95: nobody flagged, so the model's net benefit is that of treating no one.
    assert table["model"][1] == 0.0
    assert table["treat_all"][1] == pytest.approx(0.4 - 0.6 * 19)
    assert (table["treat_none"] == 0).all()


def test_censored_example_by_hand():
    # Flagged (risk 0.7): times 2, 4+, 6, 10, 15+. KM at 12 = 4/5 x 2/3 x 1/2 = 4/15.
    # Not flagged (risk 0.1): 20+, 20+, 20+, 20+ and a death at 3.
    risk = [0.7] * 5 + [0.1] * 5
    months = [2, 4, 6, 10, 15, 20, 20, 20, 20, 3]
    died = [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    curve = net_benefit(risk, months, died, time=12, thresholds=[0.5])
    # NB = (1 - 4/15) x 5/10 - 4/15 x 5/10 x 1 = 7/30.
    assert curve.table["model"][0] == pytest.approx(7 / 30)
    # All ten: KM at 12 = 9/10 x 8/9 x 6/7 x 5/6 = 4/7; treat all = 3/7 - 4/7 = -1/7.
    assert curve.table["treat_all"][0] == pytest.approx(-1 / 7)
    assert curve.events_by_time == pytest.approx(3 / 7)
    assert "threshold 0.50" in curve.summary()


def test_kaplan_meier_by_hand():
    assert kaplan_meier([2, 4, 6, 10, 15], [1, 0, 1, 1, 0], 12) == pytest.approx(4 / 15)
    assert kaplan_meier([2, 4], [1, 1], 1) == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 0.99), st.booleans()), min_size=2, max_size=30),
       st.floats(0.02, 0.9))
def test_without_censoring_before_t_net_benefit_is_the_counting_formula(patients, p):
    # Everyone either dies before t = 12 or is followed beyond it: KM is the plain share.
    risk = np.array([r for r, _ in patients])
    died = np.array([int(d) for _, d in patients])
    months = np.where(died == 1, 6.0, 30.0)
    if not died.any():  # nobody died: no decision curve, a sentence instead
        with pytest.raises(ValueError, match="No patient in these data died at all"):
            net_benefit(risk, months, died, time=12, thresholds=[p])
        return
    nb = net_benefit(risk, months, died, time=12, thresholds=[p]).table
    n = len(risk)
    tp = int(((risk >= p) & (died == 1)).sum())
    fp = int(((risk >= p) & (died == 0)).sum())
    assert nb["model"][0] == pytest.approx(tp / n - fp / n * p / (1 - p), abs=1e-12)
    assert nb["treat_all"][0] == pytest.approx(died.mean() - (1 - died.mean()) * p / (1 - p),
                                               abs=1e-12)
    if p <= risk.min():  # everyone flagged: the model is "treat all"
        assert nb["model"][0] == pytest.approx(nb["treat_all"][0], abs=1e-12)


@pytest.mark.parametrize(
    "kw, fragment",
    [
        (dict(thresholds=[0]), "A risk threshold must be"),
        (dict(thresholds=[1]), "exchange rate"),
        (dict(thresholds=[math.nan]), "Thresholds have missing"),
        (dict(predicted_risk=[1.2, 0.5]), "between 0 and 1"),
        (dict(predicted_risk=[0.5]), "one value per patient"),
        (dict(events=[1, 2]), "must be coded 0 = censored, 1 = died; got 1 and 2"),
        (dict(durations=[-1, 3]), "cannot be negative"),
        (dict(time=0), "The decision time must be"),
        (dict(predicted_risk=["high", "low"]), "Predicted risks must be numbers"),
    ],
)
def test_bad_input(kw, fragment):
    args = dict(predicted_risk=[0.2, 0.6], durations=[5, 20], events=[1, 0], time=12,
                thresholds=[0.3])
    args.update(kw)
    with pytest.raises(ValueError) as err:
        net_benefit(**args)
    assert fragment in str(err.value)
