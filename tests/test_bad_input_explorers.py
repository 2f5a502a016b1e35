"""Every explorer, every control: bad input gets its sentence, never a traceback.

Three tables and their properties, for all five explorers at once:

- the explorer *classes* refuse a misspelt or unknown starting value, and a value without a
  name, with a ``ValueError`` naming what they take (the factories show the same on screen;
  their rows are in each chapter's bad-input file);
- every control, driven through ``set()`` with values it cannot take, and through its widget
  directly (``ex.ki67.value = ...``, what a participant's typing does) with the values the
  widget itself lets through (NaN, infinities, huge and negative numbers, an emptied
  dropdown): nothing is raised, no result is shown, the sentence is on screen;
- a control with a range: any value outside the science module's bound shows a sentence, any
  value inside answers (hypothesis), and the control's slider spans exactly that bound.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from refusals import assert_refused, over_rows

from nec import dosing, grading, second_line
from nec.nomogram import luo2024
from nec.widgets import (
    AuditExplorer,
    DosingExplorer,
    GradingExplorer,
    NomogramExplorer,
    OptionsExplorer,
)

# --- the classes: a misspelt keyword, a value without a name ----------------------------------

CLASSES = [
    ("grading misspelt", lambda: GradingExplorer(ki_67=55),
     "GradingExplorer() does not take ki_67: it takes ki67, mitoses_per_2mm2, "
     "differentiation, nec_subtype, edition and neuroendocrine_pct."),
    ("grading counting aid at creation", lambda: GradingExplorer(hpf_mitoses=10),
     "GradingExplorer() does not take hpf_mitoses"),
    ("grading positional", lambda: GradingExplorer(55),
     "GradingExplorer() takes its values by name (ki67, mitoses_per_2mm2, differentiation, "
     "nec_subtype, edition and neuroendocrine_pct), e.g. ki67=...; got 1 without a name."),
    ("dosing unknown", lambda: DosingExplorer(gfr=60),
     "DosingExplorer() does not take gfr: it takes regimen, height_cm, weight_kg, age, "
     "creatinine, unit, sex, weight, bsa_method, gfr_ml_min and creatinine_floor_mg_dl."),
    ("dosing positional", lambda: DosingExplorer("ep"),
     "DosingExplorer() takes its values by name (regimen, "),
    ("options unknown", lambda: OptionsExplorer(age=66),
     "OptionsExplorer() does not take age: it takes platinum_free_months, ki67, morphology, "
     "sstr_imaging, performance_status, msi, tmb and liver_function."),
    ("options old name", lambda: OptionsExplorer(months_since_first_line=3),
     "OptionsExplorer() does not take months_since_first_line"),
    ("options positional", lambda: OptionsExplorer(3, 80),
     "got 2 without a name"),
    ("nomogram misspelt", lambda: NomogramExplorer(size=4),
     "NomogramExplorer() does not take size: it takes size_cm, resection and treatment."),
    ("nomogram two unknown", lambda: NomogramExplorer(size_cm=4, age=60, sex="f"),
     "NomogramExplorer() does not take age, sex"),
    ("nomogram positional", lambda: NomogramExplorer(4.4),
     "NomogramExplorer() takes its values by name (size_cm, resection and treatment)"),
    ("audit unknown", lambda: AuditExplorer(csv=""),
     "AuditExplorer() does not take csv: it takes example, table, points_error, "
     "survival_error and scale_error."),
    ("audit positional", lambda: AuditExplorer("Luo 2024, Table 4"),
     "AuditExplorer() takes its values by name"),
    ("set positional", lambda: GradingExplorer().set(55),
     "GradingExplorer.set() takes each control by name, e.g. set(ki67=...); got 1 value "
     "without a name."),
    ("set positional, nomogram", lambda: NomogramExplorer().set(4, "no"),
     "NomogramExplorer.set() takes each control by name, e.g. set(size_cm=...); got 2 values"),
    ("set unknown control", lambda: OptionsExplorer().set(age=66),
     "The options explorer has no control called 'age'"),
]


@over_rows(CLASSES)
def test_the_explorer_classes_refuse_bad_keywords_with_a_sentence(call, fragment):
    assert_refused(call, fragment)


# --- every control, through set() and through its widget -----------------------------------

#: name → (make the explorer, whether it shows a result, its controls as set() names them)
EXPLORERS = {
    "grading": (GradingExplorer, lambda ex: ex.result),
    "dosing": (DosingExplorer, lambda ex: ex.sheet),
    "options": (OptionsExplorer, lambda ex: ex.answer),
    "nomogram": (NomogramExplorer, lambda ex: ex.result),
    "audit": (AuditExplorer, lambda ex: ex.result),
}

#: Values no number box, dropdown or text box of any explorer can take.
HOSTILE = [None, math.nan, math.inf, -math.inf, -1e12, 1e12, "", "abc", "55%", True, [1], {},
           (1, 2), object()]

#: The controls set() takes, per explorer, and the values each *can* take (not refused).
CONTROLS = {
    "grading": {"ki67": 55, "differentiation": "poorly", "nec_subtype": "large-cell",
                "edition": "2019", "neuroendocrine_pct": 100, "mitoses_per_2mm2": 12},
    "dosing": {"regimen": "ec", "height_cm": 175, "weight_kg": 80, "age": 60,
               "creatinine": 1.0, "unit": "mg/dL", "sex": "female", "weight": "actual",
               "bsa_method": "dubois", "gfr_ml_min": 90, "creatinine_floor_mg_dl": 0.7},
    "options": {"platinum_free_months": 3, "ki67": 60, "morphology": "nec",
                "sstr_imaging": "positive", "performance_status": 0, "msi": "mss",
                "tmb": "low", "liver_function": "normal"},
    "nomogram": {"size_cm": 3, "resection": "no", "treatment": "neither"},
    "audit": {"points_error": 0.5, "survival_error": 0.0, "scale_error": 0.0005},
}

#: Values that are no bad input for one control (``None`` = "not assessed" / "not measured").
ACCEPTED = {("grading", "mitoses_per_2mm2"): [None], ("grading", "nec_subtype"): [None, ""],
            ("dosing", "gfr_ml_min"): [None], ("dosing", "creatinine_floor_mg_dl"): [None],
            ("dosing", "unit"): [], ("audit", "survival_error"): []}

SET_ROWS = [(explorer, name, value) for explorer, controls in CONTROLS.items()
            for name in controls for value in HOSTILE
            if not any(value is v or value == v for v in ACCEPTED.get((explorer, name), [])
                       if type(v) is type(value))]


def _shows_a_sentence(ex, explorer: str) -> None:
    _, result = EXPLORERS[explorer]
    assert result(ex) is None, "a result is shown beside a refused value"
    assert ex.error and ex.error.rstrip().endswith((".", ")")), ex.error
    assert "Traceback" not in ex.error and "http" not in ex.error
    assert 'role="alert"' in ex.output.value


@pytest.mark.parametrize("explorer, name, value", SET_ROWS,
                         ids=[f"{e}-{n}-{v!r}"[:60] for e, n, v in SET_ROWS])
def test_set_with_a_hostile_value_shows_a_sentence_and_raises_nothing(explorer, name, value):
    ex = EXPLORERS[explorer][0]()
    ex.set(**{name: value})  # must not raise
    if explorer == "grading" and name == "mitoses_per_2mm2" and value is None:
        return  # "not assessed"
    _shows_a_sentence(ex, explorer)


@pytest.mark.parametrize("explorer", CONTROLS)
def test_every_control_takes_a_good_value_after_a_bad_one(explorer):
    make, result = EXPLORERS[explorer]
    ex = make()
    for name, good in CONTROLS[explorer].items():
        ex.set(**{name: "abc"})
        ex.set(**{name: good})
        assert ex.error is None and result(ex) is not None, (name, ex.error)


@pytest.mark.parametrize("explorer", CONTROLS)
def test_the_table_names_every_control_of_every_explorer(explorer):
    import inspect

    make, _ = EXPLORERS[explorer]
    starting = [n for n, p in inspect.signature(make.__init__).parameters.items()
                if p.kind is p.KEYWORD_ONLY]
    assert set(starting) - {"example", "table"} <= set(CONTROLS[explorer])


#: Widget values the widget itself takes (no TraitError), typed straight into a number box.
TYPED = [math.nan, math.inf, -math.inf, -1e12, 1e12, -1.0]

BOXES = {"grading": ["ki67", "neuroendocrine_pct", "mitoses"],
         "dosing": ["height_cm", "weight_kg", "age", "creatinine", "gfr_ml_min"],
         "options": ["platinum_free_months", "ki67"],
         "nomogram": ["size_cm"],
         "audit": ["points_error", "survival_error", "scale_error"]}

TYPED_ROWS = [(e, box, v) for e, boxes in BOXES.items() for box in boxes for v in TYPED]


@pytest.mark.parametrize("explorer, box, value", TYPED_ROWS,
                         ids=[f"{e}-{b}-{v!r}" for e, b, v in TYPED_ROWS])
def test_a_number_typed_into_a_box_shows_a_sentence_and_raises_nothing(explorer, box, value):
    ex = EXPLORERS[explorer][0]()
    if explorer == "grading" and box == "mitoses":
        ex.mitoses_assessed.value = True
    if explorer == "dosing" and box == "gfr_ml_min":
        ex.use_measured_gfr.value = True
    getattr(ex, box).value = value  # what the participant's typing does; must not raise
    _shows_a_sentence(ex, explorer)


DROPDOWNS = {"grading": ["differentiation", "edition"],
             "dosing": ["regimen", "unit", "sex", "weight", "bsa_method", "creatinine_floor"],
             "options": ["morphology", "sstr_imaging", "performance_status", "msi", "tmb",
                         "liver_function"],
             "nomogram": ["resection", "treatment"],
             "audit": ["example"]}

DROPDOWN_ROWS = [(e, d) for e, ds in DROPDOWNS.items() for d in ds]


@pytest.mark.parametrize("explorer, dropdown", DROPDOWN_ROWS,
                         ids=[f"{e}-{d}" for e, d in DROPDOWN_ROWS])
def test_an_emptied_dropdown_shows_a_sentence_and_raises_nothing(explorer, dropdown):
    # A dropdown's value can be None (nothing chosen); no other value outside its options
    # gets past the widget (a TraitError there is the widget's own, before any explorer code).
    ex = EXPLORERS[explorer][0]()
    getattr(ex, dropdown).value = None  # must not raise
    _shows_a_sentence(ex, explorer)


# --- ranges: outside the module's bound a sentence, inside an answer ------------------------

def _between(low, high, *, exclude_low=False):
    return st.floats(min_value=low, max_value=high, allow_nan=False, exclude_min=exclude_low)


def _outside(low, high):
    return st.one_of(st.floats(max_value=low, exclude_max=True, allow_nan=False,
                               allow_infinity=False),
                     st.floats(min_value=high, exclude_min=True, allow_nan=False,
                               allow_infinity=False))


SIZE_RANGE_CM = luo2024().size_range_cm
KI67 = (0.0, grading.KI67_MAX_PCT)
#: (explorer, control, the module's bound, whether the low end is refused, the slider)
RANGED = [
    ("grading", "ki67", KI67, False, "ki67_slider"),
    ("grading", "neuroendocrine_pct", (0.0, grading.NEUROENDOCRINE_PCT_MAX), True,
     "neuroendocrine_pct_slider"),
    ("grading", "mitoses_per_2mm2", (0.0, grading.MITOSES_PER_2MM2_MAX), False, None),
    ("dosing", "height_cm", dosing.HEIGHT_RANGE_CM, False, "height_slider"),
    ("dosing", "weight_kg", dosing.WEIGHT_RANGE_KG, False, "weight_slider"),
    ("dosing", "age", dosing.AGE_RANGE_YEARS, False, "age_slider"),
    ("dosing", "creatinine", (dosing.MIN_CREATININE_MG_DL, dosing.MAX_CREATININE_MG_DL), False,
     None),
    ("dosing", "gfr_ml_min", (0.0, dosing.MAX_TYPED_GFR_ML_MIN), True, None),
    ("options", "platinum_free_months", (0.0, second_line.PLATINUM_FREE_MONTHS_MAX), False,
     "months_slider"),
    ("options", "ki67", KI67, False, "ki67_slider"),
    ("nomogram", "size_cm", SIZE_RANGE_CM, False, "size_slider"),
]


@pytest.mark.parametrize("explorer, name, bound, exclude_low, slider", RANGED,
                         ids=[f"{r[0]}-{r[1]}" for r in RANGED])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_property_outside_the_bound_a_sentence_inside_an_answer(explorer, name, bound,
                                                                exclude_low, slider, data):
    make, result = EXPLORERS[explorer]
    ex = make()
    low, high = bound
    inside = data.draw(_between(low, high, exclude_low=exclude_low), label="inside")
    ex.set(**{name: inside})
    assert ex.error is None and result(ex) is not None, (inside, ex.error)
    outside = data.draw(_outside(low, high), label="outside")
    ex.set(**{name: outside})
    _shows_a_sentence(ex, explorer)


@pytest.mark.parametrize("explorer, name, bound, exclude_low, slider",
                         [r for r in RANGED if r[4]], ids=[f"{r[0]}-{r[1]}" for r in RANGED
                                                           if r[4]])
def test_each_slider_spans_the_science_modules_bound(explorer, name, bound, exclude_low,
                                                     slider):
    ex = EXPLORERS[explorer][0]()
    control = getattr(ex, slider)
    assert (control.min, control.max) == pytest.approx(bound)


def test_the_bounds_are_the_ones_the_functions_use():
    # One bound per quantity: the function refuses just past it, as the explorer does.
    assert_refused(lambda: grading.check_ki67(grading.KI67_MAX_PCT + 0.1),
                   "Ki-67 must be between 0 and 100 % (got 100.1 %)")
    assert_refused(lambda: second_line.features(
        platinum_free_months=3, ki67=grading.KI67_MAX_PCT + 1, morphology="nec",
        sstr_imaging="negative", performance_status=1, msi="mss", tmb="low",
        liver_function="normal"), "Ki-67 must be between 0 and 100 % (got 101 %)")
    assert_refused(lambda: dosing.bsa(height_cm=dosing.HEIGHT_RANGE_CM[1] + 1, weight_kg=70),
                   "Height must be between 100 and 250 cm (got 251 cm)")
    assert_refused(lambda: luo2024().points(size_cm=SIZE_RANGE_CM[1] + 0.1, resection="yes",
                                            treatment="neither"),
                   "outside the nomogram's size axis (1–10 cm)")
