"""nec._validate: the shared checks. Each bad input is a row with the sentence it must produce."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec import _validate as v

KI67 = v.Bound("Ki-67", unit=" %", low=0, high=100, why="Ki-67 is a percentage of tumour cells.")
SIZE = v.Bound("Tumour size", unit=" cm", low=0, high=40, low_inclusive=False)
GROUPS = v.Bound("The number of groups", low=2, high=20, whole=True,
                 why="Each group needs patients in it.")


# ---- Bound ----------------------------------------------------------------------------------
@pytest.mark.parametrize("bound, value, expected", [
    (KI67, 0, 0.0), (KI67, 100, 100.0), (KI67, np.float64(55.5), 55.5),
    (SIZE, 0.1, 0.1), (SIZE, 40, 40.0), (GROUPS, 5, 5), (GROUPS, 5.0, 5), (GROUPS, np.int64(2), 2),
])
def test_bound_accepts_what_is_in_range(bound, value, expected):
    result = bound.check(value)
    assert result == expected and type(result) is type(expected)
    assert value in bound


BAD_BOUNDED = [
    (KI67, 155, "Ki-67 must be between 0 and 100 % (got 155 %). "
                "Ki-67 is a percentage of tumour cells."),
    (KI67, -1, "Ki-67 must be between 0 and 100 % (got -1 %)."),
    (KI67, "55%", "Ki-67 must be a number between 0 and 100 %, not '55%'. Enter the number alone"),
    (KI67, None, "Ki-67 is missing: enter a value between 0 and 100 %."),
    (KI67, math.nan, "Ki-67 is missing (not a number): enter a value."),
    (KI67, True, "Ki-67 must be a number"),
    (SIZE, 0, "Tumour size must be above 0 cm up to 40 cm (got 0 cm)."),
    (SIZE, math.inf, "Tumour size must be a finite number (got inf)."),
    (GROUPS, 2.5, "The number of groups must be a whole number between 2 and 20, not 2.5."),
    (GROUPS, 1, "The number of groups must be a whole number between 2 and 20 (got 1). "
                "Each group needs patients in it."),
    (GROUPS, "3", "The number of groups must be a whole number between 2 and 20, not '3'."),
    (GROUPS, None, "The number of groups is missing: enter a whole number between 2 and 20."),
    (GROUPS, math.nan, "The number of groups is missing (not a number)"),
    (GROUPS, math.inf, "The number of groups must be a whole number between 2 and 20, not inf."),
    (GROUPS, False, "The number of groups must be a whole number between 2 and 20, not False."),
]


@pytest.mark.parametrize("bound, value, fragment", BAD_BOUNDED)
def test_bound_refuses_with_its_sentence(bound, value, fragment):
    with pytest.raises(ValueError) as err:
        bound.check(value)
    assert fragment in str(err.value)
    assert value not in bound


def test_bound_describes_itself_for_the_docs():
    assert GROUPS.describe() == ("The number of groups: a whole number between 2 and 20. "
                                 "Each group needs patients in it.")
    sourced = v.Bound("GFR", unit=" mL/min", low=0, high=250, source="Calvert 1989")
    assert sourced.describe() == "GFR: between 0 and 250 mL/min. (Calvert 1989)"


def test_a_bound_is_a_constant():
    with pytest.raises(AttributeError):
        KI67.high = 200  # frozen: a module's bound cannot be changed by a caller


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_bound_check_agrees_with_the_range(x):
    inside = 0 <= x <= 100
    assert (x in KI67) == inside
    if inside:
        assert KI67.check(x) == x


# ---- count ----------------------------------------------------------------------------------
@given(st.integers(min_value=0, max_value=10**9))
def test_count_accepts_every_whole_number(n):
    assert v.count(n, name="A count") == n
    assert v.count(float(n), name="A count") == n


@given(st.floats(min_value=0, max_value=1e6).filter(lambda x: x != math.floor(x)))
def test_count_refuses_every_fraction(x):
    with pytest.raises(ValueError, match="A count must be a whole number of at least 0, not"):
        v.count(x, name="A count")


def test_count_refuses_a_negative_count():
    with pytest.raises(ValueError) as err:
        v.count(-3, name="The number of patients")
    assert str(err.value) == ("The number of patients must be a whole number of at least 0 "
                              "(got -3).")


# ---- dataframe ------------------------------------------------------------------------------
FRAME = pd.DataFrame({"time_months": [3.0, 8.0], "died": [1, 0]})

BAD_FRAMES = [
    ("cohort.csv", {}, "The data must be a pandas DataFrame (a table with named columns), not a "
                       "str ('cohort.csv'). To use a file, load it first, "
                       "e.g. pandas.read_csv('cohort.csv')."),
    (Path("cohort.csv"), {}, "not a PosixPath ('cohort.csv'). To use a file, load it first"),
    (np.zeros((3, 2)), {}, "not a numpy ndarray: a numpy array has no column names."),
    ([[1, 2], [3, 4]], {}, "The data must be a pandas DataFrame (a table with named columns), "
                           "not a list."),
    (None, {}, "not a NoneType."),
    (FRAME["died"], {}, "not a single column (a Series). Use series.to_frame()"),
    (FRAME, {"columns": ["time_months", "event"]},
     "The data has no column(s) event (its columns are: time_months, died)."),
    (FRAME, {"columns": "event"}, "The data has no column(s) event"),
    (FRAME.iloc[:0], {}, "The data has 0 row(s); at least 1 row needed."),
    (FRAME, {"min_rows": 3}, "The data has 2 row(s); at least 3 rows needed."),
]


@pytest.mark.parametrize("value, kwargs, fragment", BAD_FRAMES)
def test_dataframe_refuses_what_is_not_a_usable_table(value, kwargs, fragment):
    with pytest.raises(ValueError) as err:
        v.dataframe(value, **kwargs)
    assert fragment in str(err.value)


def test_dataframe_returns_the_frame_it_was_given():
    assert v.dataframe(FRAME, columns=["died"]) is FRAME


# ---- events and durations -------------------------------------------------------------------
@pytest.mark.parametrize("values", [[0, 1, 1], [True, False], np.array([0.0, 1.0]),
                                    pd.Series([1, 1], dtype="Int64")])
def test_events_coded_0_1_are_returned_as_ints(values):
    out = v.events(values)
    assert out.dtype.kind == "i" and set(out.tolist()) <= {0, 1}
    assert out.tolist() == [int(x) for x in values]


BAD_EVENTS = [
    ([1, 2, 2, 1], "The event column must be coded 0 = censored, 1 = died; got 1 and 2."),
    ([0, 0.5, 1], "must be coded 0 = censored, 1 = died; got 0, 0.5 and 1."),
    ([0, -1], "got -1 and 0."),
    ([0, None, 1], "The event column is missing for row 1: code every patient 0 = censored"),
    (pd.Series([0, math.nan, math.nan], index=["P01", "P02", "P03"]),
     "The event column is missing for rows P02 and P03"),
    ([0, "died", 1], "The event column must be numbers; row 1 is not (e.g. 'died')."),
    ("0,1,1", "The event column must be a column of numbers (one per patient), not '0,1,1'."),
    (1, "must be a column of numbers (one per patient), not 1."),
]


@pytest.mark.parametrize("values, fragment", BAD_EVENTS)
def test_events_refuse_other_codes(values, fragment):
    with pytest.raises(ValueError) as err:
        v.events(values)
    assert fragment in str(err.value)


BAD_DURATIONS = [
    ([3.5, -2, 7], {}, "The follow-up time cannot be negative: row 1 is -2 months."),
    ([-1, 3, -4], {}, "The follow-up time cannot be negative: rows 0 and 2 are negative "
                      "(e.g. -1 months)."),
    ([0, 3], {"allow_zero": False},
     "The follow-up time must be greater than 0: row 0 is 0 months."),
    ([1, math.inf], {}, "The follow-up time must be a finite number of months; row 1 is infinite."),
    ([1, math.nan], {}, "The follow-up time is missing for row 1: every patient needs a "
                        "follow-up time."),
    ([1, "12 months"], {}, "The follow-up time must be numbers; row 1 is not (e.g. '12 months')."),
    ([1, -30], {"name": "OS", "unit": " days"}, "OS cannot be negative: row 1 is -30 days."),
]


@pytest.mark.parametrize("values, kwargs, fragment", BAD_DURATIONS)
def test_durations_refuse_what_is_not_a_follow_up_time(values, kwargs, fragment):
    with pytest.raises(ValueError) as err:
        v.durations(values, **kwargs)
    assert fragment in str(err.value)


@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=30))
def test_durations_pass_every_finite_non_negative_list(xs):
    assert v.durations(xs).tolist() == xs


# ---- survival_data --------------------------------------------------------------------------
def test_survival_data_returns_both_columns():
    t, e = v.survival_data(FRAME, duration_col="time_months", event_col="died")
    assert t.tolist() == [3.0, 8.0] and e.tolist() == [1, 0]


BAD_SURVIVAL = [
    (FRAME.assign(died=0), "The data has no deaths (every patient censored): a survival model "
                           "needs at least one event."),
    (FRAME.assign(died=[1, 2]), "The event column (died) must be coded 0 = censored, 1 = died; "
                                "got 1 and 2."),
    (FRAME.assign(time_months=[-1.0, 2.0]),
     "The follow-up time (time_months) cannot be negative: row 0 is -1 months."),
    (FRAME.rename(columns={"died": "event"}), "The data has no column(s) died"),
    (FRAME.iloc[:1], "The data has 1 row(s); at least 2 rows needed."),
    ("cohort.csv", "must be a pandas DataFrame"),
]


@pytest.mark.parametrize("frame, fragment", BAD_SURVIVAL)
def test_survival_data_refuses_bad_data(frame, fragment):
    with pytest.raises(ValueError) as err:
        v.survival_data(frame, duration_col="time_months", event_col="died")
    assert fragment in str(err.value)


# ---- refuses_bad_arguments ----------------------------------------------------------------------
@v.refuses_bad_arguments
def points(*, size_cm, resection, treatment="none"):
    return size_cm


class Model:
    @v.refuses_bad_arguments
    def survival(self, total_points, *, months=12):
        return total_points


@pytest.mark.parametrize("call, fragment", [
    (lambda: points(size_cm=4, resection="yes", age=60),
     "points() does not take age: it takes size_cm, resection and treatment."),
    (lambda: points(size_cm=4, resection="yes", age=60, sex="m"),
     "points() does not take age, sex: it takes"),
    (lambda: points(size_cm=4), "points() needs resection (it takes size_cm, resection and "
                                "treatment)."),
    (lambda: points(4, "yes"), "points() takes its values by name (size_cm, resection and "
                               "treatment), e.g. size_cm=...; got 2 without a name."),
    (lambda: Model().survival(), "survival() needs total_points"),
    (lambda: Model().survival(100, month=12), "survival() does not take month: it takes "
                                              "total_points and months."),
])
def test_bad_arguments_get_a_sentence_not_a_type_error(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value)


def test_good_arguments_pass_through():
    assert points(size_cm=4, resection="yes") == 4
    assert Model().survival(100, months=36) == 100
    assert points.__name__ == "points"
