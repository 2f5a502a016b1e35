"""Bad input to the points-table audit (nec.points_audit), its explorer
(nec.widgets.audit_view) and its exercise checker: every call below must raise ValueError with
the sentence fragment beside it (the explorer: show it on screen, raise nothing), never a
traceback from csv, traitlets or the reader's insides, never a silent wrong answer. A bad cell
of a typed table is named by its row and column."""

import math

import pytest

from nec.exercises import check
from nec.points_audit import (
    audit_points_table,
    grade_audit,
    parse_points_csv,
    points_csv_text,
    relative_effect,
    veteran_audit,
)
from nec.widgets.audit_view import AuditExplorer, audit_explorer

HEADER = "row_id,kind,axis,level,value,source\n"
GOOD = (HEADER + "a,points,sex,female,0,typed\nb,points,sex,male,20,typed\n"
        "c,total_points,survival_1y,0.9,0,typed\nd,scale,points_per_lp_unit,,50,typed\n")

NOT_FOR_READERS = {
    "nec.points_audit.Audit": "a result record that audit_points_table builds; a reader "
                              "never constructs one",
    "nec.points_audit.axis_label": "labels an axis name of a table the reader's audit already "
                                   "validated; an unknown name is shown as typed",
    "nec.points_audit.contrast_label": "labels a contrast of a validated audit; an unknown "
                                       "one is shown as typed",
    "nec.points_audit.PointsOnlyModel": "a result record that audit_points_table builds for a "
                                        "table with no survival axis; a reader never "
                                        "constructs one",
}
SCORE = HEADER + "a,points,x,no,0,t\nb,points,x,yes,30,t\nc,points,y,no,0,t\nd,points,y,yes,10,t\n"
BENT = (HEADER + "a,points,size,1,0,t\nb,points,size,2,10,t\nc,points,size,3,40,t\n")

BAD_CALLS = [
    ("table not text", lambda: parse_points_csv(42), "Give the points table as CSV text, not int"),
    ("empty text", lambda: parse_points_csv("  \n"), "the points table is empty"),
    ("semicolons", lambda: parse_points_csv("row_id;kind;axis;level;value;source\n"),
     "separated by semicolons, not commas"),
    ("tabs", lambda: parse_points_csv("row_id\tkind\taxis\tlevel\tvalue\tsource\n"),
     "separated by tabs, not commas"),
    ("far too long", lambda: parse_points_csv("x" * 300_000), "is the right text?"),
    ("missing column", lambda: parse_points_csv("row_id,kind,axis,level,value\na,points,x,1,0"),
     "missing column(s) source in the header"),
    ("unknown column", lambda: parse_points_csv(HEADER.strip() + ",weight\n"),
     "column(s) weight in the header are not points-table columns"),
    ("header only", lambda: parse_points_csv(HEADER), "has a header but no rows"),
    ("short row", lambda: parse_points_csv(HEADER + "a,points,sex,female,0\n"),
     "row 2: 5 cells where the header has 6"),
    ("bad kind", lambda: parse_points_csv(HEADER + "a,point,sex,female,0,typed\n"),
     "row 2, column kind: 'point' is not one of points, total_points, scale"),
    ("decimal comma", lambda: parse_points_csv(HEADER + 'a,points,sex,female,"4,5",typed\n'),
     "row 2, column value: '4,5' is not a number (write a decimal point, not a comma)"),
    ("empty value", lambda: parse_points_csv(HEADER + "a,points,sex,female,,typed\n"),
     "row 2, column value: a value is required but the cell is empty"),
    ("no source", lambda: parse_points_csv(HEADER + "a,points,sex,female,0,\n"),
     "row 2, column source: a value is required"),
    ("points beyond any nomogram", lambda: parse_points_csv(HEADER + "a,points,x,1,20000,t\n"),
     "row 2, column value: 20000 is outside the allowed range 0..10000"),
    ("survival as percent", lambda: audit_points_table(
        GOOD.replace("survival_1y,0.9", "survival_1y,90")),
     "row 4, column level: survival 90 must lie strictly between 0 and 1"),
    ("bad outcome axis", lambda: audit_points_table(GOOD.replace("survival_1y", "os_1y")),
     "'os_1y' is not an outcome axis name"),
    ("one level", lambda: audit_points_table(GOOD.replace("b,points,sex,male,20,typed\n", "")),
     "sex has one level"),
    ("a total range on another axis", lambda: audit_points_table(
        SCORE + "e,total_range,total,lowest,0,t\n"),
     "row 6, column axis: a total_range row's axis is total_points, not 'total'"),
    ("a total range that is neither end", lambda: audit_points_table(
        SCORE + "e,total_range,total_points,min,0,t\n"),
     "row 6, column level: a total_range row's level is lowest or highest"),
    ("a total range printed twice", lambda: audit_points_table(
        SCORE + "e,total_range,total_points,lowest,0,t\nf,total_range,total_points,lowest,1,t\n"),
     "row 7, column level: the lowest total is already printed on row 6"),
    ("a bad row after a total range keeps its number", lambda: audit_points_table(
        HEADER + "e,total_range,total_points,lowest,0,t\na,points,x,no,0,t\n"
        "b,total_points,os,0.5,1,t\n"), "row 4, column axis: 'os' is not an outcome axis name"),
    ("table neither text nor rows", lambda: audit_points_table(42),
     "Give the points table as CSV text or as a list of row records"),
    ("hazard ratios not a list, no scale", lambda: audit_points_table(
        SCORE, hazard_ratios={"predictor": "x", "hr": 2}), "as a list of records"),
    ("a zero hazard ratio, no scale", lambda: audit_points_table(
        SCORE, hazard_ratios=[{"predictor": "x", "level": "yes", "reference": "no", "hr": 0}]),
     "Hazard ratio 1 (x) is 0: a hazard ratio is positive"),
    ("a hazard ratio for an unknown level, no scale", lambda: audit_points_table(
        SCORE, hazard_ratios=[{"predictor": "x", "level": "maybe", "reference": "no",
                               "hr": 2}]), "x has the levels no, yes on the nomogram, not 'maybe'"),
    ("a hazard ratio record without hr, no scale", lambda: audit_points_table(
        SCORE, hazard_ratios=[{"predictor": "x"}]), "a record needs at least 'predictor' and 'hr'"),
    ("a hazard ratio for an unknown predictor, no scale", lambda: audit_points_table(
        SCORE, hazard_ratios=[{"predictor": "age", "hr": 1.2}]), "has no predictor 'age'"),
    ("a hazard ratio per unit of a bent axis", lambda: audit_points_table(
        BENT, hazard_ratios=[{"predictor": "size", "hr": 1.2}]),
     "the size axis bends, so one hazard ratio per unit cannot describe it"),
    ("a zero printed scale, no survival axis", lambda: audit_points_table(
        SCORE + "e,scale,points_per_lp_unit,,0,t\n"), "The printed scale is 0 points"),
    ("relative effect of something else", lambda: relative_effect("GRADE", ("x", "yes"),
                                                                  ("y", "yes")),
     "Give the audit that audit_points_table returned, not str"),
    ("relative effect of a bare name", lambda: relative_effect(
        audit_points_table(SCORE), "x", ("y", "yes")),
     "The first contrast is a (predictor, level) pair"),
    ("relative effect of an unknown predictor", lambda: relative_effect(
        audit_points_table(SCORE), ("x", "yes"), ("age", None)),
     "The table has no predictor 'age': its predictors are x, y"),
    ("relative effect of an unknown level", lambda: relative_effect(
        grade_audit(), ("weight_loss", "Often"), ("slow_gait_speed", "Yes")),
     "weight_loss has no single contrast for 'Often': give one of Yes"),
    ("relative effect over a zero contrast", lambda: relative_effect(
        audit_points_table(SCORE.replace("d,points,y,yes,10", "d,points,y,yes,1")),
        ("x", "yes"), ("y", "yes")), "The second contrast is 1 point, within the rounding of 0"),
    ("negative rounding", lambda: audit_points_table(GOOD, points_error=-1),
     "The points rounding (points_error) is -1: it cannot be below 0"),
    ("rounding as text", lambda: audit_points_table(GOOD, survival_error="0.005"),
     "The survival rounding (survival_error) must be a number, not '0.005'"),
    ("rows not records", lambda: audit_points_table([1, 2]),
     "row 2: a points-table row needs the columns kind, axis and value"),
    ("hazard ratio for an unknown predictor", lambda: audit_points_table(
        GOOD, hazard_ratios=[{"predictor": "age", "hr": 1.2}]), "has no predictor 'age'"),
    ("rows to write not a list", lambda: points_csv_text("a,b"),
     "Give the rows of a points table as a list of records"),
    ("a row to write not a record", lambda: points_csv_text([("a", 1)]),
     "Row 2 of the points table is not a record"),
    ("veteran flag not a bool", lambda: veteran_audit(hazard_ratios="yes"),
     "hazard_ratios is True or False, not 'yes'"),
]


@pytest.mark.parametrize("what, call, fragment", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_gets_a_sentence(what, call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), str(err.value)


#: The explorer's controls: a value each cannot take, and the sentence shown on screen.
BAD_CONTROLS = [
    (dict(table=""), "the points table is empty"),
    (dict(table=None), "Points table (CSV) is text: type or paste the CSV, not NoneType None"),
    (dict(table=12), "Points table (CSV) is text"),
    (dict(table=GOOD.replace(",50,typed", ",fifty,typed")),
     "row 5, column value: 'fifty' is not a number"),
    (dict(table=GOOD.replace("survival_1y,0.9", "survival_1y,1.2")),
     "survival 1.2 must lie strictly between 0 and 1"),
    (dict(points_error="half"), "Points rounding (±) must be a number, not 'half'"),
    (dict(points_error=None), "Points rounding (±) must be a number, not None"),
    (dict(points_error=-0.5), "The points rounding (points_error) is -0.5: it cannot be below 0"),
    (dict(points_error=math.inf), "must be a finite number"),
    (dict(survival_error=5), "The survival rounding (survival_error) is 5: it cannot be above"),
    (dict(scale_error=-1), "The scale rounding (scale_error) is -1: it cannot be below 0"),
    (dict(scale_error="0,0005"), "Scale rounding (±) must be a number, not '0,0005'"),
    (dict(example="Luo 2025"), "Start from must be one of"),
    (dict(example=None), "Start from must be one of"),
]


@pytest.mark.parametrize("values, sentence", BAD_CONTROLS)
def test_a_bad_control_value_shows_its_sentence_and_raises_nothing(values, sentence):
    ex = AuditExplorer()
    ex.set(**values)  # must not raise
    assert ex.result is None
    assert sentence in ex.error, ex.error
    assert 'role="alert"' in ex.output.value


@pytest.mark.parametrize("values, sentence", BAD_CONTROLS)
def test_bad_starting_values_show_the_sentence_too(values, sentence):
    ex = audit_explorer(**values)  # must not raise either
    assert ex.result is None and sentence in ex.error, ex.error


def test_an_unknown_control_name_is_a_programming_error():
    with pytest.raises(ValueError, match="no control called 'scale'"):
        AuditExplorer().set(scale=30)


BAD_ANSWERS = [
    (None, "Answer with a dict with the keys 'smallcell_hr', 'karno_coefficient'"),
    ([2.07, -0.0311, 0.881], "Answer with a dict"),
    ({"smallcell_hr": 2.07, "karno_coefficient": -0.0311}, "Answer with a dict"),
    ({"smallcell_hr": "two", "karno_coefficient": -0.0311, "baseline_90d": 0.881},
     "smallcell_hr: give the hazard ratio as a number"),
    ({"smallcell_hr": 2.07, "karno_coefficient": math.nan, "baseline_90d": 0.881},
     "karno_coefficient: give the coefficient per Karnofsky point as a number"),
    ({"smallcell_hr": 2.07, "karno_coefficient": -0.0311, "baseline_90d": True},
     "baseline_90d: give the survival as a number between 0 and 1"),
]


@pytest.mark.parametrize("answer, fragment", BAD_ANSWERS)
def test_the_checker_says_what_is_wrong_with_a_malformed_answer(answer, fragment):
    feedback = check("audit-veteran", answer)
    assert not feedback.correct and fragment in feedback.message, feedback.message
