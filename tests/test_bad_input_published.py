"""Bad input to the general nomogram reader (nec.points_table, nec.published): every call
below must raise ValueError with the sentence fragment beside it, never a traceback from
inside, never a silent wrong answer. A typed-in CSV names the row and column."""

import pytest

from nec.points_table import from_points_table
from nec.published import (
    load_points_table,
    luo2024,
    luo2024_audit,
    published_hazard_ratios,
    read_points_table,
)

CONT = {"age_years": [(40, 0), (60, 50), (80, 100)]}
CAT = {"sex": {"female": 0, "male": 20}}
OUT = {12: [(20, 0.9), (80, 0.5)]}


def reader(**change):
    kw = {"continuous": CONT, "categorical": CAT, "outcomes": OUT, "scale": 50}
    kw.update(change)
    return lambda: from_points_table(**kw)


BAD_CALLS = [
    ("no predictors", reader(continuous={}, categorical={}), "has no predictor axes"),
    ("predictors not a mapping", reader(continuous=[(1, 2)]), "Give the predictor axes as"),
    ("same name twice", reader(categorical={"age_years": {"a": 0, "b": 1}}),
     "both as a continuous and as a categorical"),
    ("no outcome axis", reader(outcomes={}), "has no outcome axis"),
    ("outcomes not a mapping", reader(outcomes=[(20, 0.9)]), "has no outcome axis"),
    ("time zero", reader(outcomes={0: [(20, 0.9)]}), "must be above 0"),
    ("time as text", reader(outcomes={"1y": [(20, 0.9)]}), "must be a number, not '1y'"),
    ("empty outcome axis", reader(outcomes={12: []}), "The survival axis at 12 has no ticks"),
    ("survival as percent", reader(outcomes={12: [(20, 90)]}),
     "tick 1: the survival is 90: it must lie strictly between 0 and 1"),
    ("survival exactly 1", reader(outcomes={12: [(20, 1.0)]}), "strictly between 0 and 1"),
    ("survival as text", reader(outcomes={12: [(20, "0.9")]}), "must be a number, not '0.9'"),
    ("tick not a pair", reader(outcomes={12: [(20, 0.9, 3)]}),
     "tick 1: expected a (total points, survival) pair"),
    ("negative total", reader(outcomes={12: [(-5, 0.9)]}), "cannot be below 0"),
    ("total with a misplaced decimal point", reader(outcomes={12: [(20000, 0.9)]}),
     "cannot be above 10000"),
    ("one tick on a continuous axis", reader(continuous={"age_years": [(40, 0)]}),
     "needs at least two (value, points) pairs"),
    ("duplicate axis value", reader(continuous={"age_years": [(40, 0), (40, 10)]}),
     "prints the value 40 twice"),
    ("negative points", reader(continuous={"age_years": [(40, -3), (60, 10)]}),
     "the points is -3: it cannot be below 0"),
    ("points as NaN", reader(continuous={"age_years": [(40, float("nan")), (60, 10)]}),
     "must be a finite number"),
    ("axis not a list", reader(continuous={"age_years": 5}),
     "must be a list of (value, points) pairs"),
    ("one level", reader(categorical={"sex": {"female": 0}}), "at least two levels"),
    ("level points as text", reader(categorical={"sex": {"female": 0, "male": "20"}}),
     "level 'male': the points must be a number"),
    ("scale zero", reader(scale=0), "a nomogram's scale is a positive number"),
    ("scale negative", reader(scale=-29.5), "cannot be below 0"),
    ("no scale and one total", reader(scale=None, outcomes={12: [(20, 0.9)]}),
     "the outcome axes cannot give one"),
    ("points rounding as text", reader(points_error="half"),
     "The points rounding (points_error) must be a number"),
    ("survival rounding in percent", reader(survival_error=0.5),
     "survival rounding (survival_error) is 0.5: it cannot be above 0.1"),
    ("time unit not a word", reader(time_unit=12), "a word such as 'years'"),
    ("hazard ratios as a mapping", reader(hazard_ratios={"sex": 1.2}),
     "as a list of records"),
    ("hazard ratio record without hr", reader(hazard_ratios=[{"predictor": "sex"}]),
     "needs at least 'predictor' and 'hr'"),
    ("hazard ratio zero", reader(hazard_ratios=[{"predictor": "age_years", "hr": 0}]),
     "a hazard ratio is positive"),
    ("hazard ratio for an unknown predictor",
     reader(hazard_ratios=[{"predictor": "grade", "hr": 1.3}]), "has no predictor 'grade'"),
    ("hazard ratio for an unknown level",
     reader(hazard_ratios=[{"predictor": "sex", "level": "other", "reference": "female",
                            "hr": 1.3}]), "not 'other'"),
    # the recovered model
    ("patient outside the axis", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .total_points({"age_years": 90, "sex": "male"}), "outside the printed axis (40 to 80)"),
    ("patient missing a predictor", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .total_points({"age_years": 50}), "missing sex"),
    ("patient with an unknown level", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .total_points({"age_years": 50, "sex": "x"}), "not 'x'"),
    ("survival at an unprinted time", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .survival(50, 24), "outcome axes at [12] only"),
    ("coefficient of an unknown predictor", lambda: from_points_table(CONT, CAT, OUT,
     scale=50).coefficient("grade"), "has no predictor 'grade'"),
    # an axis and a contrast of the recovered model
    ("points at a text value", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .continuous["age_years"].points_at("50"), "age_years must be a number, not '50'"),
    ("points off the axis", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .continuous["age_years"].points_at(90), "age_years 90 is outside the printed axis"),
    ("points at NaN", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .continuous["age_years"].points_at(float("nan")), "must be a finite number"),
    ("contrast of text", lambda: from_points_table(CONT, CAT, OUT, scale=50)
     .contrast_bound("20"), "The points difference must be a number, not '20'"),
    # the published Luo 2024 nomogram read back
    ("printed axis covers text", lambda: luo2024().survival_axis(1).covers("100"),
     "Total points must be a number, not '100'"),
    ("printed axis covers NaN", lambda: luo2024().survival_axis(3).covers(float("nan")),
     "Total points is missing (not a number)"),
    ("baseline at year 2", lambda: luo2024().baseline_survival((2,)),
     "The nomogram has survival axes at [1, 3, 5] years only (asked for 2)"),
    ("baseline year as text", lambda: luo2024().baseline_survival("1"),
     "survival axes at [1, 3, 5] years only (asked for '1')"),
    ("beyond the axes at 300 points", lambda: luo2024().beyond_printed_axes(300),
     "Total points must be between 0 and 212.0"),
    ("beyond the axes of text", lambda: luo2024().beyond_printed_axes("150"),
     "Total points must be a number, not '150'"),
    ("audit with a word for the flag", lambda: luo2024_audit("yes"),
     "hazard_ratios must be True or False, not 'yes'"),
    ("audit unknown keyword", lambda: luo2024_audit(hr=True),
     "luo2024_audit() does not take hr: it takes hazard_ratios"),
    ("hazard ratios of a misspelt analysis", lambda: published_hazard_ratios("multivarate"),
     "Unknown analysis 'multivarate': choose one of 'univariable', 'multivariable'"),
    ("hazard ratios of a number", lambda: published_hazard_ratios(3), "Unknown analysis 3"),
    ("single coefficient of a bent axis", lambda: from_points_table(
        {"x": [(0, 0), (1, 50), (2, 60)]}, None, OUT, scale=50).coefficient("x"),
     "axis bends: it has no single coefficient"),
]


@pytest.mark.parametrize(("label", "call", "fragment"), BAD_CALLS,
                         ids=[c[0] for c in BAD_CALLS])
def test_bad_call_is_refused_with_a_sentence(label, call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), f"{label}: got {err.value}"


HEADER = "row_id,kind,axis,level,unit,value,source,notes\n"
GOOD = [
    "a1,points,age_years,40,,0,Paper Table 2,",
    "a2,points,age_years,80,,100,Paper Table 2,",
    "s1,points,sex,female,,0,Paper Table 2,",
    "s2,points,sex,male,,20,Paper Table 2,",
    "o1,total_points,survival_1y,0.9,,20,Paper Table 2,",
    "o2,total_points,survival_1y,0.5,,80,Paper Table 2,",
    "k,scale,points_per_lp_unit,,,50,Paper Table 2,",
]


def typed(tmp_path, replace=None, extra=(), header=HEADER):
    lines = list(GOOD)
    if replace:
        i, line = replace
        lines[i] = line
    path = tmp_path / "typed.csv"
    path.write_text(header + "\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


BAD_FILES = [
    ("points as text", (1, "a2,points,age_years,80,,hundred,Paper Table 2,"),
     "typed.csv, row 3, column value: 'hundred' is not a number"),
    ("decimal comma", (1, 'a2,points,age_years,80,,"99,5",Paper Table 2,'),
     "row 3, column value: '99,5' is not a number (write a decimal point, not a comma)"),
    ("unknown kind", (2, "s1,point,sex,female,,0,Paper Table 2,"),
     "row 4, column kind: 'point' is not one of points, total_points, scale"),
    ("no source", (3, "s2,points,sex,male,,20,,"),
     "row 5, column source: a value is required but the cell is empty"),
    ("survival in percent", (4, "o1,total_points,survival_1y,90,,20,Paper Table 2,"),
     "row 6, column level: survival 90 must lie strictly between 0 and 1"),
    ("survival as a word", (4, "o1,total_points,survival_1y,high,,20,Paper Table 2,"),
     "row 6, column level: 'high' is not a survival probability"),
    ("outcome axis misnamed", (5, "o2,total_points,1-year,0.5,,80,Paper Table 2,"),
     "row 7, column axis: '1-year' is not an outcome axis name"),
    ("missing level", (0, "a1,points,age_years,,,0,Paper Table 2,"),
     "row 2, column level: a points row needs a level"),
    ("too many cells", (0, "a1,points,age_years,40,,0,Paper,Table 2,"),
     "row 2: 9 cells where the header has 8"),
    ("points above the bound", (1, "a2,points,age_years,80,,20000,Paper Table 2,"),
     "row 3, column value: 20000 is outside the allowed range 0..10000"),
]


@pytest.mark.parametrize(("label", "replace", "fragment"), BAD_FILES,
                         ids=[c[0] for c in BAD_FILES])
def test_bad_typed_table_names_row_and_column(tmp_path, label, replace, fragment):
    with pytest.raises(ValueError) as err:
        load_points_table(typed(tmp_path, replace))
    assert fragment in str(err.value), f"{label}: got {err.value}"


def test_duplicate_value_names_both_rows(tmp_path):
    path = typed(tmp_path, extra=["a3,points,age_years,40,,5,Paper Table 2,"])
    with pytest.raises(ValueError, match=r"row 9, column level: age_years 40 is already on "
                                         r"row 2"):
        read_points_table(path)


def test_records_without_the_columns_are_refused():
    with pytest.raises(ValueError, match=r"the points table, row 2: a points-table row needs "
                                         r"the columns kind, axis and value"):
        read_points_table([{"axis": "age", "value": 3}])
    with pytest.raises(ValueError, match="has no rows"):
        read_points_table([])


def test_missing_column_and_missing_file(tmp_path):
    path = typed(tmp_path, header=HEADER.replace(",notes", ""))
    path.write_text(path.read_text().replace(",\n", "\n"))
    with pytest.raises(ValueError, match=r"missing column\(s\) notes"):
        read_points_table(path)
    with pytest.raises(ValueError, match="file not found"):
        read_points_table(tmp_path / "absent.csv")


def test_good_calls_still_give_the_printed_numbers():
    # Luo 2024 Table 2 prints six univariable hazard ratios and Table 3 four multivariable.
    assert len(published_hazard_ratios("univariable")) == 6
    assert len(published_hazard_ratios("Multivariate")) == 4
    assert luo2024().survival_axis(1).covers(22) and not luo2024().survival_axis(1).covers(150)


NOT_FOR_READERS = {
    "nec.points_table.Piece": "one straight piece from_points_table fits to a printed axis, "
                              "never built by a reader",
    "nec.points_table.ContinuousAxis": "an axis from_points_table builds from checked ticks, "
                                       "never built by a reader",
    "nec.points_table.PublishedModel": "the model from_points_table returns after checking "
                                       "every input; not built by readers",
    "nec.published.SurvivalAxis": "a record survival_axis returns from the printed table, "
                                  "never built by a reader",
    "nec.published.Points": "a result record ReconstructedNomogram.points returns, never built "
                            "by a reader",
    "nec.published.ReconstructedNomogram": "the model luo2024 builds from the checked table; "
                                           "readers call luo2024 instead",
}


def test_a_good_typed_table_reads(tmp_path):
    model = load_points_table(typed(tmp_path))
    assert model.coefficient("age_years") == pytest.approx(100 / 40 / 50)
    assert model.coefficient("sex", "male") == pytest.approx(20 / 50)
    assert model.times == [1]
