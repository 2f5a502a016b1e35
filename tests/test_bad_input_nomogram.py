"""Bad input to a nomogram built from a Cox fit (nec.nomogram) and to its helpers: every call
raises ValueError with the sentence fragment beside it, never a numpy or matplotlib exception,
never a silent answer. Property tests: any value off a predictor's axis is refused by
``partial_lp``; any survival tick outside (0, 1) is refused by ``plot``; ``r_pretty`` refuses
every n that is not a whole number from 1 to 100.
"""

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter
from refusals import assert_refused, over_rows

from nec.cohort import design_matrix, synthetic_luo2024
from nec.nomogram import Nomogram, r_pretty, step_at

GROUPS = {"resection": {"not resected": "resection_no"},
          "treatment": {"chemotherapy or targeted": "treatment_either",
                        "neither": "treatment_neither"}}


@cache
def nomogram():
    x = design_matrix(synthetic_luo2024().data)
    fit = CoxPHFitter().fit(x, "months", "died")
    return Nomogram.from_cox(fit, x, groups=GROUPS,
                             reference_labels={"resection": "resected",
                                               "treatment": "chemotherapy and targeted"})


def size():
    return nomogram().predictor("size_cm")


def treatment():
    return nomogram().predictor("treatment")


BAD = [
    ("r_pretty NaN end", lambda: r_pretty(float("nan"), 1),
     "The low end is missing (not a number)"),
    ("r_pretty text end", lambda: r_pretty("1", 5), "The low end must be a number, not '1'"),
    ("r_pretty infinite end", lambda: r_pretty(1, float("inf")),
     "The high end must be a finite number"),
    ("r_pretty ends reversed", lambda: r_pretty(5, 1),
     "The high end (1) must not be below the low end (5)"),
    ("r_pretty fractional n", lambda: r_pretty(1, 5, 2.5),
     "The number of intervals (n) must be a whole number between 1 and 100, not 2.5"),
    ("r_pretty n zero", lambda: r_pretty(1, 5, 0), "between 1 and 100 (got 0)"),
    ("r_pretty unknown keyword", lambda: r_pretty(1, 5, nint=10), "r_pretty() does not take nint"),
    ("step_at lengths", lambda: step_at([1, 2], [0.1], 1),
     "Give the times and values as two lists of finite numbers of the same length"),
    ("step_at NaN value", lambda: step_at([1, 2], [0.1, float("nan")], 1),
     "two lists of finite numbers"),
    ("step_at text", lambda: step_at("12", [0.1, 0.2], 1), "two lists of finite numbers"),
    ("step_at unsorted", lambda: step_at([2, 1], [0.1, 0.2], 1),
     "The times must be sorted from earliest to latest"),
    ("step_at time as text", lambda: step_at([1, 2], [0.1, 0.2], "1"),
     "The time must be a number, not '1'"),
    ("predictor unknown", lambda: nomogram().predictor("age"),
     "The model has no predictor 'age'; its predictors are 'size_cm', 'resection', "
     "'treatment'"),
    ("predictor by number", lambda: nomogram().predictor(0), "The model has no predictor 0"),
    ("predictor without a name", lambda: nomogram().predictor(),
     "predictor() needs name (it takes name)"),
    ("partial_lp text size", lambda: size().partial_lp("4 cm"),
     "size_cm must be a number"),
    ("partial_lp size off the axis", lambda: size().partial_lp(50),
     "size_cm 50 is outside the nomogram's axis"),
    ("partial_lp NaN size", lambda: size().partial_lp(float("nan")), "is missing (not a number)"),
    ("partial_lp unknown level", lambda: treatment().partial_lp("surgery"),
     "treatment has the levels 'chemotherapy and targeted', 'chemotherapy or targeted', "
     "'neither', not 'surgery'"),
    ("partial_lp level as a number", lambda: treatment().partial_lp(1), "not 1"),
    ("plot onto a non-Axes", lambda: nomogram().plot("figure.png"),
     "ax must be a matplotlib Axes (e.g. from plt.subplots()), not str"),
    ("plot survival ticks in percent", lambda: nomogram().plot(survival_ticks=(90, 50)),
     "Survival probability must be above 0 below 1 (got 90)"),
    ("plot survival ticks as text", lambda: nomogram().plot(survival_ticks="0.5"),
     "survival_ticks must be a list of survival probabilities"),
    ("plot unknown keyword", lambda: nomogram().plot(ticks=(0.5,)),
     "plot() does not take ticks: it takes ax and survival_ticks"),
]


@over_rows(BAD)
def test_bad_input_is_refused_with_a_sentence(call, fragment):
    assert_refused(call, fragment)


def test_good_input_still_gives_the_same_points():
    # partial_lp is β·x on a continuous axis and β of the level for a category: by hand.
    p, t = size(), treatment()
    assert p.partial_lp(4) == pytest.approx(4 * p.coefficients[0])
    assert t.partial_lp("neither") == pytest.approx(t.coefficients[1])
    assert t.partial_lp("chemotherapy and targeted") == 0.0
    assert step_at([1.0, 2.0, 4.0], [0.1, 0.3, 0.6], 0.5) == 0.0  # before the first time


# --- rules with a shape ------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_a_size_is_refused_exactly_when_it_is_off_the_axis(x):
    p = size()
    if p.low <= x <= p.high:
        assert p.partial_lp(x) == pytest.approx(p.coefficients[0] * x)
    elif x < p.low - 1e-6 or x > p.high + 1e-6:
        with pytest.raises(ValueError, match="is outside the nomogram's axis"):
            p.partial_lp(x)


@settings(max_examples=25, deadline=None)
@given(st.floats(allow_nan=False).filter(lambda s: not 0 < s < 1))
def test_any_survival_tick_outside_0_1_is_refused(tick):
    with pytest.raises(ValueError, match="Survival probability must"):
        nomogram().plot(survival_ticks=(0.5, tick))


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.integers(-50, 0), st.integers(101, 10_000),
                 st.floats(0.01, 100).filter(lambda v: v != int(v))))
def test_r_pretty_refuses_any_n_that_is_not_1_to_100(n):
    with pytest.raises(ValueError, match=r"The number of intervals \(n\) must be a whole"):
        r_pretty(1.7, 9.4, n)


NOT_FOR_READERS = {
    "nec.nomogram.Predictor": "one axis Nomogram.from_cox builds from a fitted model; readers "
                              "never construct one",
    "nec.nomogram.NomogramPoints": "a result record Nomogram.points returns, never built by a "
                                   "reader",
    "nec.nomogram.Nomogram": "built by Nomogram.from_cox, which checks every input; the raw "
                             "constructor is not for readers",
}
