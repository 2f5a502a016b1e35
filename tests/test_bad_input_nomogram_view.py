"""Every control of the dynamic nomogram refuses bad input with a sentence on screen: no
exception, no result, the sentence in the alert box, no curve."""

import math

import pytest

from nec.widgets import NomogramExplorer, nomogram_explorer

BAD_INPUT = [
    (dict(size_cm="four"), "Tumour size (cm) must be a number, not 'four'"),
    (dict(size_cm=None), "Tumour size (cm) must be a number, not None"),
    (dict(size_cm=math.nan), "Tumour size is missing"),
    (dict(size_cm=math.inf), "Tumour size must be a finite number"),
    (dict(size_cm=-2), "Tumour size must be"),
    (dict(size_cm=0), "Tumour size must be"),
    (dict(size_cm=0.5), "outside the nomogram's size axis (1–10 cm)"),
    (dict(size_cm=12), "outside the nomogram's size axis (1–10 cm)"),
    (dict(resection="maybe"), "Primary resected must be one of 'yes', 'no', not 'maybe'."),
    (dict(resection=None), "Primary tumour resection is missing: choose one of 'yes', 'no'."),
    (dict(treatment=None), "Treatment is missing"),
    (dict(resection=True), "Primary resected must be one of 'yes', 'no', not True."),
    (dict(treatment="both"), "not 'both'"),  # the model's synonym, not a listed option
    (dict(treatment="surgery"), "Treatment must be one of 'chemotherapy and targeted', "
                                "'chemotherapy or targeted', 'neither', not 'surgery'."),
    (dict(treatment=3), "Treatment must be one of"),
]


@pytest.mark.parametrize("values, sentence", BAD_INPUT)
def test_bad_input_shows_its_sentence_on_screen(values, sentence):
    ex = NomogramExplorer()
    ex.set(**values)  # must not raise
    assert ex.result is None and ex.survival is None
    assert sentence in ex.error, ex.error
    assert 'role="alert"' in ex.output.value
    assert ex.plot.value == ""


@pytest.mark.parametrize("values, sentence", BAD_INPUT)
def test_bad_starting_values_show_the_sentence_too(values, sentence):
    ex = NomogramExplorer(**values)  # must not raise either
    assert ex.result is None and sentence in ex.error, ex.error


def test_a_good_value_after_a_bad_one_brings_the_result_back():
    ex = NomogramExplorer()
    ex.set(size_cm="four")
    ex.set(size_cm=7, resection="no", treatment="neither")
    assert ex.error is None
    assert ex.result.total == pytest.approx(6 * 100 / 9 + 51 + 61)  # 178.7, by hand


def test_an_unknown_control_name_is_a_programming_error():
    with pytest.raises(ValueError, match="no control called 'age'"):
        NomogramExplorer().set(age=60)


FACTORY = [
    (dict(size_cm="four"), "Tumour size (cm) must be a number, not 'four'"),
    (dict(size_cm=math.inf), "Tumour size must be a finite number"),
    (dict(treatment=None), "Treatment is missing"),
    (dict(size=4), "nomogram_explorer() has no starting value called 'size'; it takes size_cm, "
                   "resection, treatment."),
    (dict(size_cm=4, age=60), "no starting value called 'age'"),
]


@pytest.mark.parametrize("values, sentence", FACTORY)
def test_the_factory_shows_bad_keywords_on_screen_and_raises_nothing(values, sentence):
    ex = nomogram_explorer(**values)  # must not raise
    assert ex.result is None and sentence in ex.error, ex.error
    assert 'role="alert"' in ex.output.value and ex.plot.value == ""


def test_the_factory_refuses_a_value_without_a_name_on_screen():
    ex = nomogram_explorer(4.4, "yes")
    assert ex.result is None
    assert "nomogram_explorer() takes its starting values by name (size_cm, resection, " \
           "treatment)" in ex.error

