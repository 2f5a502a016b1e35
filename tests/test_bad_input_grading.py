"""Bad input to nec.grading and its explorer: every refusal is a ValueError with a sentence.

One table per public function and one for the explorer's controls: each row is a call and an
exact fragment of the sentence it must produce. The explorer rows also check that nothing is
raised, that the sentence is on screen, and that no stale or clamped result is left showing.
The fragments are written from what a clinician should read, not copied from the code's output.
"""

import html
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec import grading
from nec.grading import (
    EDITIONS,
    check_ki67,
    check_mitoses_per_2mm2,
    check_neuroendocrine_pct,
    classify,
    get_edition,
    ki67_interval,
    mitotic_count_per_2mm2,
)
from nec.widgets import GradingExplorer, grading_explorer

NOT_FOR_READERS = {
    "nec.grading.Edition": "the four WHO editions are built once in EDITIONS from cited "
                           "sources; readers pick one by name through get_edition",
    "nec.grading.GradingResult": "the result record classify() builds from checked inputs; "
                                 "readers call classify",
}

GOOD = dict(ki67=10, mitoses_per_2mm2=1, differentiation="well", edition=2019)


def refusal(call):
    with pytest.raises(ValueError) as err:
        call()
    message = str(err.value)
    # A sentence: capital first, full stop last, no numpy/traitlets wording.
    assert message[0].isupper() and message.rstrip().endswith("."), message
    for leak in ("TraitError", "could not convert", "numpy", "Traceback"):
        assert leak not in message, message
    return message


# --- classify ------------------------------------------------------------------------------

CLASSIFY = [
    ({"ki67": 140}, "Ki-67 must be between 0 and 100 % (got 140 %)"),
    ({"ki67": -1}, "Ki-67 must be between 0 and 100 % (got -1 %)"),
    ({"ki67": -1}, "stain, so it cannot be negative."),
    ({"ki67": 100.5}, "cannot exceed 100 %"),
    ({"ki67": "55%"}, "Ki-67 must be a number between 0 and 100 %, not '55%'"),
    ({"ki67": "55"}, "not '55'"),
    ({"ki67": True}, "Ki-67 must be a number"),
    ({"ki67": [55]}, "Ki-67 must be a number"),
    ({"ki67": float("nan")}, "Ki-67 is missing (not a number)"),
    ({"ki67": math.inf}, "Ki-67 must be a finite number"),
    ({"mitoses_per_2mm2": -3}, "A count of mitoses cannot be negative"),
    ({"mitoses_per_2mm2": math.inf}, "The mitotic count per 2 mm² must be a finite number"),
    ({"mitoses_per_2mm2": float("nan")}, "The mitotic count per 2 mm² is missing"),
    ({"mitoses_per_2mm2": 500.01}, "must be at most 500 (got 500.01)"),
    ({"mitoses_per_2mm2": 500.01}, "25 times the highest WHO cut-off (20), set here to catch "
                                   "slips, not a published limit"),
    ({"mitoses_per_2mm2": 1e6}, "must be at most 500 (got 1,000,000)"),
    ({"mitoses_per_2mm2": "many"}, "The mitotic count per 2 mm² must be a number"),
    ({"ki67": None, "mitoses_per_2mm2": None}, "Both Ki-67 and the mitotic count are missing"),
    ({"edition": 2015}, "Unknown WHO edition 2015: choose one of '2010', '2017', '2019', '2022'"),
    ({"edition": "2031"}, "Unknown WHO edition '2031'"),
    ({"edition": 2019.5}, "WHO edition must be one of '2010', '2017', '2019', '2022', not 2019.5"),
    ({"edition": None}, "WHO edition is missing"),
    ({"differentiation": "moderate"}, "Unknown differentiation 'moderate': choose one of "
                                      "'well', 'poorly'"),
    ({"differentiation": None}, "Differentiation is missing"),
    ({"differentiation": 1}, "Unknown differentiation 1"),
    ({"nec_subtype": "large-cell"}, "describes a poorly differentiated carcinoma, but the "
                                    "differentiation given is 'well'"),
    ({"differentiation": "poorly", "nec_subtype": "medium"}, "Unknown NEC subtype 'medium'"),
    ({"neuroendocrine_pct": 0}, "must be above 0 % (got 0 %): with no neuroendocrine component"),
    ({"neuroendocrine_pct": -5}, "The neuroendocrine share of the tumour must be between 0 and "
                                 "100 % (got -5 %)"),
    ({"neuroendocrine_pct": 120}, "(got 120 %). It is a share of the whole tumour, so it "
                                  "cannot exceed 100 %."),
    ({"neuroendocrine_pct": -5}, "(got -5 %). It is a share of the whole tumour, so it "
                                 "cannot be negative."),
    ({"neuroendocrine_pct": "half"}, "The neuroendocrine share of the tumour must be a number"),
    ({"neuroendocrine_pct": None}, "The neuroendocrine share of the tumour is missing"),
]


@pytest.mark.parametrize("change, fragment", CLASSIFY)
def test_classify_refuses(change, fragment):
    assert fragment in refusal(lambda: classify(**(GOOD | change)))


def test_classify_arguments_are_keyword_only_and_named():
    # These sentences start with the function's name, as Python spells it (lower case).
    cases = [
        (lambda: classify(10, 1, "well", 2019), "classify() takes its values by name"),
        (lambda: classify(**GOOD, ki_67=10), "classify() does not take ki_67: it takes ki67"),
        (lambda: mitotic_count_per_2mm2(mitoses=3, fields=10),
         "mitotic_count_per_2mm2() needs field_diameter_mm"),
        (lambda: ki67_interval(20, cells=500),
         "ki67_interval() does not take cells: it takes ki67, cells_counted"),
    ]
    for call, fragment in cases:
        with pytest.raises(ValueError) as err:
            call()
        assert fragment in str(err.value), str(err.value)


# --- the other public functions -------------------------------------------------------------

def hpf(**change):
    return mitotic_count_per_2mm2(**(dict(mitoses=17, fields=50, field_diameter_mm=0.55)
                                     | change))


OTHERS = [
    # a count of mitotic figures is whole; the rate it converts to need not be
    (lambda: hpf(mitoses=17.5), "The number of mitoses counted must be a whole number "
                                "(got 17.5): it is a count of mitotic figures"),
    (lambda: hpf(mitoses=-1), "A count cannot be negative"),
    (lambda: hpf(mitoses="17"), "The number of mitoses counted must be a number"),
    (lambda: hpf(mitoses=None), "The number of mitoses counted is missing"),
    (lambda: hpf(fields=0), "The number of high-power fields must be at least 1 (got 0)"),
    (lambda: hpf(fields=2.5), "The number of high-power fields must be a whole number (got 2.5)"),
    (lambda: hpf(fields=math.nan), "The number of high-power fields is missing"),
    (lambda: hpf(field_diameter_mm=0), "The field diameter must be between 0.3 and 0.8 mm "
                                       "(got 0 mm)"),
    (lambda: hpf(field_diameter_mm=2), "(got 2 mm)"),
    (lambda: hpf(field_diameter_mm=550), "field number divided by the objective"),
    # the reason names the range the check applies (review 1, finding 10)
    (lambda: hpf(field_diameter_mm=0.25), "High-power field diameters lie between 0.3 and "
                                          "0.8 mm (0.45–0.65 mm with a ×40 objective)"),
    # 3000 mitoses in one 0.55 mm field: 3000 x 2 / 0.2376 = 25,254 per 2 mm²
    (lambda: hpf(mitoses=3000, fields=1), "A count of 3000 mitoses in 1 field of "
                                                "0.55 mm is 25254 per 2 mm²"),
    (lambda: hpf(mitoses=3000, fields=1), "above this book's plausibility bound of 500 per "
                                          "2 mm² (25 times the highest WHO cut-off)"),
    (lambda: ki67_interval(20, cells_counted=500.5), "The number of cells counted must be a "
                                                     "whole number (got 500.5)"),
    (lambda: ki67_interval(20, cells_counted=0), "The number of cells counted must be at least 1"),
    (lambda: ki67_interval(20, cells_counted=2_000_000), "must be at most 1,000,000 "
                                                         "(got 2,000,000)"),
    (lambda: ki67_interval(20, cells_counted="500"),
     "The number of cells counted must be a number"),
    (lambda: ki67_interval(120, cells_counted=500),
     "Ki-67 must be between 0 and 100 % (got 120 %)"),
    (lambda: ki67_interval("22%", cells_counted=500), "not '22%'"),
    (lambda: ki67_interval(20, cells_counted=500, level=95), "The confidence level must be at "
                                                             "least 0.5 and below 1 (got 95)"),
    (lambda: ki67_interval(20, cells_counted=500, level=1), "e.g. 0.95 for a 95 % interval"),
    (lambda: get_edition("WHO 2015"), "Unknown WHO edition 'WHO 2015'"),
    (lambda: get_edition([2019]), "WHO edition must be one of"),
    (lambda: check_ki67(-0.1), "Ki-67 must be between 0 and 100 %"),
    (lambda: check_mitoses_per_2mm2(501), "must be at most 500 (got 501)"),
    (lambda: check_neuroendocrine_pct(0), "no neuroendocrine component"),
    (lambda: EDITIONS["2019"].ki67_grade("high"), "Ki-67 must be a number"),
    (lambda: EDITIONS["2010"].in_grey_zone(None), "Ki-67 is missing"),
    (lambda: EDITIONS["2019"].mitotic_grade(-1), "A count of mitoses cannot be negative"),
    (lambda: EDITIONS["2019"].mitotic_grade(10**7), "must be at most 500"),
]


@pytest.mark.parametrize("call, fragment", OTHERS)
def test_other_public_functions_refuse(call, fragment):
    assert fragment in refusal(call)


# Review 1, finding 10: each refusal gives the reason for the side it was refused on, and
# no physical ceiling is claimed for the mitotic bound.
WRONG_REASONS = [
    (lambda: check_ki67(-1), "exceed"),
    (lambda: check_ki67(101), "negative"),
    (lambda: check_neuroendocrine_pct(-5), "exceed"),
    (lambda: check_neuroendocrine_pct(150), "negative"),
    (lambda: check_mitoses_per_2mm2(501), "few per cent"),
    (lambda: check_mitoses_per_2mm2(501), "fastest-dividing"),
    (lambda: hpf(mitoses=3000, fields=1), "can plausibly show"),
    (lambda: hpf(field_diameter_mm=0.25), "0.4–0.7"),
]


@pytest.mark.parametrize("call, absent", WRONG_REASONS)
def test_a_refusal_does_not_give_the_other_sides_reason(call, absent):
    assert absent not in refusal(call)


def test_whole_number_floats_are_counts_and_whole_float_years_are_editions():
    # 17.0 mitoses is a whole count; 2017.0 is how a year arrives from a table with gaps.
    assert hpf(mitoses=17.0) == pytest.approx(hpf(mitoses=17))
    assert get_edition(2017.0).key == "2017"


# --- the explorer ---------------------------------------------------------------------------

EXPLORER = [
    ({"ki67": 140}, "Ki-67 must be between 0 and 100 % (got 140 %)"),
    ({"ki67": "55%"}, "Ki-67 must be a number between 0 and 100 %, not '55%'"),
    ({"ki67": True}, "Ki-67 must be a number"),
    ({"ki67": None}, "Ki-67 is missing"),
    ({"ki67": float("nan")}, "Ki-67 is missing (not a number)"),
    ({"mitoses_per_2mm2": -2}, "A count of mitoses cannot be negative"),
    ({"mitoses_per_2mm2": 1e6}, "must be at most 500 (got 1,000,000)"),
    ({"mitoses_per_2mm2": "many"}, "The mitotic count per 2 mm² must be a number"),
    ({"differentiation": "moderate"}, "Unknown differentiation 'moderate'"),
    ({"differentiation": None}, "Differentiation is missing"),
    ({"nec_subtype": "medium"}, "Unknown NEC subtype 'medium'"),
    ({"nec_subtype": 3}, "Unknown NEC subtype 3"),
    ({"differentiation": "well", "nec_subtype": "large-cell"},
     "describes a poorly differentiated carcinoma, but the morphology chosen is well"),
    ({"edition": "2031"},
     "Unknown WHO edition '2031': choose one of '2010', '2017', '2019', '2022'"),
    ({"edition": 2015}, "Unknown WHO edition 2015"),
    ({"edition": None}, "WHO edition is missing"),
    # a share the slider cannot show is refused, not clamped to 100 % and graded
    ({"neuroendocrine_pct": 150}, "(got 150 %). It is a share of the whole tumour, so it "
                                  "cannot exceed 100 %."),
    ({"neuroendocrine_pct": 0}, "with no neuroendocrine component"),
    ({"neuroendocrine_pct": "half"}, "The neuroendocrine share of the tumour must be a number"),
]


@pytest.mark.parametrize("values, fragment", EXPLORER)
def test_explorer_shows_the_modules_sentence_and_raises_nothing(values, fragment):
    ex = GradingExplorer()
    ex.set(**values)  # must not raise
    assert ex.result is None, "a stale result is still shown beside the error"
    assert fragment in ex.error
    assert 'role="alert"' in ex.output.value
    assert html.escape(fragment) in ex.output.value


def test_a_typed_share_of_150_is_not_clamped():
    ex = GradingExplorer()
    ex.neuroendocrine_pct.value = 150  # typed in the box, as a participant would
    assert ex.result is None and "(got 150 %)" in ex.error
    assert ex.neuroendocrine_pct.value == 150
    assert ex.neuroendocrine_pct_slider.value == 100  # the slider did not move, nor grade


def test_a_typed_mitotic_count_beyond_the_ceiling_is_refused():
    ex = GradingExplorer()
    ex.mitoses_assessed.value = True
    ex.mitoses.value = 5000
    assert ex.result is None and "must be at most 500" in ex.error


COUNTING_AID = [
    ({"hpf_mitoses": 17.5}, "The number of mitoses counted must be a whole number"),
    ({"hpf_mitoses": -1}, "A count cannot be negative"),
    ({"hpf_fields": 2.5}, "The number of high-power fields must be a whole number"),
    ({"hpf_fields": 0}, "must be at least 1"),
    ({"hpf_field_diameter_mm": 0}, "The field diameter must be between 0.3 and 0.8 mm"),
    ({"hpf_mitoses": 3000, "hpf_fields": 1},
     "per 2 mm², above this book's plausibility bound of 500"),
]


@pytest.mark.parametrize("values, fragment", COUNTING_AID)
def test_counting_aid_refuses_on_convert_and_leaves_the_grade_alone(values, fragment):
    ex = GradingExplorer()
    before = ex.result
    ex.set(**values)
    ex.convert()
    assert html.escape(fragment) in ex.hpf_message.value
    assert ex.result == before and not ex.mitoses_assessed.value


@pytest.mark.parametrize("values, fragment", [
    ({"hpf_mitoses": "ten"}, "The number of mitoses counted must be a number"),
    ({"hpf_fields": "fifty"}, "The number of high-power fields must be a number"),
    ({"hpf_field_diameter_mm": "wide"}, "The field diameter must be a number"),
])
def test_counting_aid_refuses_text_at_once(values, fragment):
    ex = GradingExplorer()
    ex.set(**values)
    assert fragment in ex.hpf_message.value


def test_a_bad_starting_value_is_shown_not_raised():
    ex = GradingExplorer(ki67=400)
    assert ex.result is None and "(got 400 %)" in ex.error


FACTORY = [
    (dict(ki67="55%"), "Ki-67 must be a number between 0 and 100 %, not '55%'"),
    (dict(ki67=math.inf), "Ki-67 must be a finite number"),
    (dict(edition=[2019]), "WHO edition must be one of '2010', '2017', '2019', '2022', "
                           "not [2019]"),
    (dict(mitoses_per_2mm2=-1), "A count of mitoses cannot be negative"),
    (dict(neuroendocrine_pct=math.nan), "The neuroendocrine share of the tumour is missing"),
    (dict(ki_67=55), "grading_explorer() has no starting value called 'ki_67'; it takes ki67, "
                     "mitoses_per_2mm2, differentiation, nec_subtype, edition, "
                     "neuroendocrine_pct."),
    # the counting aid is set with set(), not at creation
    (dict(hpf_mitoses=10), "no starting value called 'hpf_mitoses'"),
]


@pytest.mark.parametrize("values, fragment", FACTORY)
def test_the_factory_shows_bad_keywords_on_screen_and_raises_nothing(values, fragment):
    ex = grading_explorer(**values)  # must not raise
    assert ex.result is None and fragment in ex.error, ex.error
    assert html.escape(fragment) in ex.output.value


def test_the_factory_refuses_a_value_without_a_name_on_screen():
    ex = grading_explorer(55)
    assert ex.result is None
    assert "grading_explorer() takes its starting values by name" in ex.error
    ex.set(ki67=15)  # and a participant's change recovers
    assert ex.error is None and ex.result is not None


def test_an_unknown_control_name_is_a_programming_error():
    with pytest.raises(ValueError, match="no control called 'size_cm'"):
        GradingExplorer().set(size_cm=3)


def test_after_an_error_a_good_value_recovers():
    ex = GradingExplorer()
    ex.set(edition="2031")
    ex.set(edition="WHO 2010", ki67=15)  # spellings the module accepts are accepted
    assert ex.error is None and not ex.result.classifiable


# --- properties ---------------------------------------------------------------------------

not_numbers = st.one_of(st.text(max_size=5), st.booleans(), st.lists(st.integers(), max_size=2),
                        st.none())
out_of_range_pct = st.one_of(st.floats(max_value=-1e-9, allow_nan=False),
                             st.floats(min_value=100.000001, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["ki67", "mitoses_per_2mm2", "neuroendocrine_pct"]), not_numbers)
def test_property_no_non_number_escapes_the_explorer(name, value):
    ex = GradingExplorer()
    if name == "mitoses_per_2mm2" and value is None:
        value = "none"  # None means "not assessed" there, which is valid
    ex.set(**{name: value})
    assert ex.result is None and ex.error and ex.error.endswith(".")


@settings(max_examples=80, deadline=None)
@given(out_of_range_pct, st.sampled_from(["ki67", "neuroendocrine_pct"]))
def test_property_every_percentage_outside_0_to_100_is_refused(value, name):
    with pytest.raises(ValueError):
        classify(**(GOOD | {name: value}))


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=grading.MITOSES_PER_2MM2_MAX, allow_nan=False,
                 allow_infinity=False, exclude_min=True))
def test_property_every_mitotic_count_above_the_ceiling_is_refused(m):
    with pytest.raises(ValueError, match="at most 500"):
        classify(**(GOOD | {"mitoses_per_2mm2": m}))


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=0, max_value=10_000, allow_nan=False).filter(
    lambda x: not float(x).is_integer()))
def test_property_every_fractional_count_of_mitoses_is_refused(n):
    with pytest.raises(ValueError, match="whole number"):
        hpf(mitoses=n)
