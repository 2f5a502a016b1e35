"""Argument slips, and the rows a hostile sweep of the whole API found (issue 14).

Two tables:

- every public function and method of every ``nec`` module, called with a keyword it does not
  take, gets a ``ValueError`` sentence naming what it takes (``refuse_bad_arguments_in``, each
  science module's last line), never Python's ``TypeError``; a few with values without names
  or a missing argument, as a reader types them;
- the inputs a sweep of a few hundred hostile values per function found escaping as
  ``TypeError``, ``AttributeError`` or ``OverflowError``, or answered where a refusal was due,
  each with the sentence it now gets.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pandas as pd
import pytest
from refusals import assert_refused, over_rows
from test_bad_input_coverage import _public_callables

from nec import (
    cohort,
    data,
    dosing,
    evidence,
    grading,
    linearity,
    plotting,
    points_audit,
    pooling,
    published,
    second_line,
    tables,
    validation,
)
from nec.nomogram import luo2024


def _takes_any_keyword(function) -> bool:
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())


def _unknown_keyword_rows():
    rows = []
    for qualname, value in _public_callables():
        if inspect.isclass(value):
            continue  # result records (their fields are set by the code) and explorers
        if _takes_any_keyword(value):
            continue  # features(), options(), points(**given), set(): their own tables
        rows.append((qualname, value))
    return rows


UNKNOWN_KEYWORD = _unknown_keyword_rows()


@pytest.mark.parametrize("qualname, function", UNKNOWN_KEYWORD,
                         ids=[q for q, _ in UNKNOWN_KEYWORD])
def test_every_public_function_refuses_a_keyword_it_does_not_take(qualname, function):
    with pytest.raises(ValueError) as err:
        function(zzz_not_an_argument=1)
    assert "does not take zzz_not_an_argument: it takes" in str(err.value), str(err.value)


def test_the_table_reaches_every_module():
    modules = {q.rsplit(".", 1)[0] for q, _ in UNKNOWN_KEYWORD}
    modules = {m.rsplit(".", 1)[0] if m.rsplit(".", 1)[1][0].isupper() else m for m in modules}
    for name in ("nec.data", "nec.evidence", "nec.plotting", "nec.tables", "nec.pooling",
                 "nec.grading", "nec.published", "nec.validation", "nec.exercises.typed"):
        assert name in modules, name
    assert importlib.import_module("nec.exercises").check.__wrapped__  # the readers' checker


SLIPS = [
    ("evidence select: the site without its name", lambda: evidence.select(EV, "pancreas"),
     "select() takes at most 1 value without a name (frame); got 2. Give the others by name "
     "(it takes frame, family, site, design, nec_only, line, agent_class, population_grade "
     "and biomarker)."),
    ("evidence select: a misspelt filter", lambda: evidence.select(EV, sites="pancreas"),
     "select() does not take sites: it takes frame, family, site"),
    ("grading check with two values", lambda: grading.check_ki67(55, 60),
     "check_ki67() takes at most 1 value without a name (ki67); got 2."),
    ("data load with no name", lambda: data.load(),
     "load() needs name (it takes name and data_dir)."),
    ("a table with its caption unnamed", lambda: tables.table([{"a": 1}], "Caption"),
     "table() takes at most 1 value without a name (data); got 2. Give the others by name"),
    ("grade map with a misspelt keyword",
     lambda: plotting.grade_map(edition="2019", differentation="poorly"),
     "grade_map() does not take differentation: it takes edition, differentiation"),
    ("the reader's checker, answer misnamed",
     lambda: importlib.import_module("nec.exercises").check("grading-1", answr=3),
     "check() does not take answr"),
    ("a nomogram's survival by year, misspelt", lambda: luo2024().survival(100, year=3),
     "survival() does not take year: it takes points, years and extrapolate."),
    ("the live model, cached, with an argument",
     lambda: importlib.import_module("nec.nomogram_core").luo2024_live(size_cm=4),
     "luo2024_live() does not take size_cm: it takes no arguments."),
    ("Luo survival axis without a year", lambda: luo2024().survival_axis(),
     "survival_axis() needs year"),
    ("calibrate with its time unnamed", lambda: validation.calibrate(LUO, "months", "died", 24),
     "calibrate() takes at most 1 value without a name (data); got 4."),
]


@over_rows(SLIPS)
def test_an_argument_slip_gets_a_sentence(call, fragment):
    assert_refused(call, fragment)


# --- what the sweep found ---------------------------------------------------------------------

EV = evidence.load_evidence()
LUO = cohort.design_matrix(cohort.synthetic_luo2024().data)
COVARIATES = [c for c in LUO.columns if c not in ("months", "died")]
AUDIT_TEXT = points_audit.points_csv_text(data.records("luo2024_nomogram"))
_line = np.linspace(1, 10, 60)
COLLINEAR = pd.DataFrame({"x": _line, "t": _line[::-1] * 4, "e": [1, 0, 1] * 20})

SWEEP = [
    ("audit of a number", lambda: points_audit.audit_points_table(3),
     "Give the points table as CSV text or as a list of row records, not int."),
    ("points table of a float", lambda: published.read_points_table(2.5),
     "must be a list of rows (records with the columns row_id, kind, axis, level, unit, "
     "value, source, notes), CSV text or a CSV file's path, not float 2.5."),
    ("points table of a frame", lambda: published.read_points_table(pd.DataFrame()),
     "CSV text or a CSV file's path, not DataFrame"),
    ("load a points table from a number", lambda: published.load_points_table(7),
     "must be a list of rows"),
    ("Wilson interval of 1e308 patients", lambda: pooling.wilson_interval(5, 1e308),
     "The number of patients must be at most 1,000,000 (got "),
    ("pooled response, method as a list",
     lambda: pooling.pooled_response(evidence.select(EV, family=evidence.PLATINUM_ETOPOSIDE),
                                     method=["dl"]),
     "Unknown method ['dl'] for tau²: choose 'dl' (DerSimonian-Laird) or 'pm'"),
    ("treatment months of nothing", lambda: second_line.treatment_months(None),
     "treatment_months() takes one row of data/case_course.csv, a dictionary"),
    ("treatment months of a study id", lambda: second_line.treatment_months("captem"),
     "not 'captem'"),
    ("C-index validation, resamples None", lambda: validation.validate_c_index(
        LUO, duration_col="months", event_col="died", covariates=COVARIATES, resamples=None),
     "The number of bootstrap resamples is missing: give a whole number from 10 to 100000"),
    ("calibration, resamples None", lambda: validation.calibrate(
        LUO, duration_col="months", event_col="died", covariates=COVARIATES, time=24,
        resamples=None), "The number of bootstrap resamples is missing"),
    ("a spline fit that does not converge, without lifelines' URL",
     lambda: linearity.nonlinearity_test(COLLINEAR, predictor="x", duration_col="t",
                                         event_col="e", n_knots=3),
     "The Cox model did not converge on these data"),
    ("a mitotic count over a billion fields",
     lambda: grading.mitotic_count_per_2mm2(mitoses=10, fields=1e9, field_diameter_mm=0.55),
     "The number of high-power fields must be at most 2,000 (got 1,000,000,000)"),
    ("a scale rounding larger than the scale",
     lambda: points_audit.audit_points_table(AUDIT_TEXT, scale_error=1e12),
     "The scale rounding (scale_error) is 1e+12: it cannot be above 0.5"),
    ("net benefit, nobody died", lambda: __import__("nec.decision_curve").decision_curve
     .net_benefit([0.2, 0.5], [12, 24], [0, 0], time=6, thresholds=[0.3]),
     "No patient in these data died at all, so every action is a false positive: net benefit "
     "is 0 for acting on no one"),
    ("creatinine True", lambda: dosing.creatinine_mg_dl(True, "mg/dL"),
     "Serum creatinine must be a number"),
    ("a GFR cap of 500", lambda: dosing.carboplatin_dose(auc=5, gfr_ml_min=90, cap_ml_min=500),
     "The GFR cap must be between 60 and 200 mL/min (got 500 mL/min)"),
    ("an AUC typed as a dose", lambda: dosing.carboplatin_dose(auc=500, gfr_ml_min=90),
     "Target AUC must be between 1 and 8 mg/mL·min (got 500 mg/mL·min)"),
    ("a confidence level of 1", lambda: grading.ki67_interval(20, cells_counted=500, level=1),
     "The confidence level must be at least 0.5 and below 1 (got 1)"),
    ("a median CI at level 0.3", lambda: __import__("nec.survival_stats").survival_stats
     .kaplan_meier([2, 4, 6], [1, 1, 1]).median_ci(0.3),
     "The confidence level must be between 0.5 and 1 (got 0.3)"),
]


@over_rows(SWEEP)
def test_what_the_sweep_found_is_refused_with_a_sentence(call, fragment):
    assert_refused(call, fragment)

