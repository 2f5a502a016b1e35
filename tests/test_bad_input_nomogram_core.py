"""The dynamic nomogram's standard-library core refuses bad input with a sentence."""

import math

import pytest

from nec.nomogram_core import MAX_CURVE_MONTHS, LiveNomogram, luo2024_live

NOT_FOR_READERS = {
    "nec.nomogram_core.LiveNomogram": "made by LiveNomogram.from_export (checked below) or "
                                      "luo2024_live(), never from a reader's values",
    "nec.nomogram_core.printed_survival_axes": "reads data/luo2024_nomogram.csv's records, "
                                               "validated by nec.data.records; no reader's "
                                               "value reaches it",
    "nec.nomogram_core.weibull_through": "fitted once to the model's own baseline survival "
                                         "(luo2024().baseline_survival()); no reader's value "
                                         "reaches it",
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
]


@pytest.mark.parametrize("call, sentence", BAD_INPUT)
def test_bad_input_is_refused_with_a_sentence(call, sentence):
    with pytest.raises(ValueError) as err:
        call()
    assert sentence in str(err.value)
