"""The dynamic nomogram's standard-library core refuses bad input with a sentence."""

import math

import pytest

from nec.nomogram_core import (
    MAX_CURVE_MONTHS,
    LiveNomogram,
    luo2024_live,
    printed_survival_axes,
    weibull_through,
)

NOT_FOR_READERS = {
    "nec.nomogram_core.LiveNomogram": "made by LiveNomogram.from_export (checked below) or "
                                      "luo2024_live(), never from a reader's values",
}

BAD_INPUT = [
    (lambda: LiveNomogram.from_export({"points_per_lp": 29.5}), "is the dictionary"),
    (lambda: LiveNomogram.from_export("luo"), "not str 'luo'"),
    (lambda: luo2024_live().survival_curve(300, 60), "Total points must be between 0 and 212"),
    (lambda: luo2024_live().survival_curve(-1, 60), "Total points must be between 0 and 212"),
    (lambda: luo2024_live().survival_curve("a", 60), "Total points must be a number"),
    (lambda: luo2024_live().survival_curve(50, 0), "The curve's end must be"),
    (lambda: luo2024_live().survival_curve(50, MAX_CURVE_MONTHS + 1), "The curve's end must be"),
    (lambda: luo2024_live().survival_curve(50, 60, steps=2.5), "whole number"),
    (lambda: luo2024_live().survival_curve(50, 60, steps=0), "whole number"),
    (lambda: luo2024_live().beyond_printed_axes(math.nan), "Total points is missing"),
    (lambda: luo2024_live().beyond_printed_axes(213), "Total points must be between"),
    (lambda: luo2024_live().survival_curve(50, 60, step=2), "survival_curve() does not take "
                                                            "step: it takes total, end_months "
                                                            "and steps."),
    (lambda: printed_survival_axes("data/luo2024_nomogram.csv"),
     "printed_survival_axes() takes the rows of data/luo2024_nomogram.csv"),
    (lambda: printed_survival_axes([{"kind": "points"}]), "records with the columns kind, axis"),
    (lambda: weibull_through({1: 0.9}), "weibull_through() takes a baseline survival at two "
                                        "or more years"),
    (lambda: weibull_through({1: 0.9, 3: 1.2}), "each survival strictly between 0 and 1"),
    (lambda: weibull_through([0.9, 0.8]), "not [0.9, 0.8]"),
    (lambda: weibull_through({1: 0.9, 3: 0.9}), "two different survivals"),
]


@pytest.mark.parametrize("call, sentence", BAD_INPUT)
def test_bad_input_is_refused_with_a_sentence(call, sentence):
    with pytest.raises(ValueError) as err:
        call()
    assert sentence in str(err.value)
