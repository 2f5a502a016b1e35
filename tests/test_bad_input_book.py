"""Bad input to the book-wide helpers: nec.data (the tables), nec.tables (how results are
shown), nec.plotting (the figures) and nec.exercises (the checkers, typed or not).

Each row is (what is called, the sentence fragment the refusal must contain). A function must
raise ``ValueError`` — never a matplotlib, numpy, pandas or lifelines error, never a figure or a
table drawn from a slip. The fragments say what a reader should read; they are not copied from
the code's output.
"""

from __future__ import annotations

import math
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nec import data, plotting, tables  # noqa: E402
from nec.exercises import EXERCISES, check  # noqa: E402
from nec.exercises.typed import check_typed, check_typed_html, read_answer  # noqa: E402
from nec.second_line import read_records  # noqa: E402

NOT_FOR_READERS = {
    "nec.tables.Table": "the formatted result that nec.tables.table builds; readers call table(), "
                        "which checks every option",
    "nec.tables.TextBlock": "the result that nec.tables.text_block builds; readers call "
                            "text_block(), which checks the text and title",
}

ROWS = [{"arm": "EP", "n": 129.0, "orr": 31.0}]
COURSE = read_records("case_course")
GROUPS = {"A": ([3, 8, 20, 40], [1, 0, 1, 0])}


def _fig():
    return plt.figure()


def _ax():
    return plt.subplots()[1]


def _file(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _table_dir(tmp_path, table: bytes, dictionary: bytes):
    _file(tmp_path, "t.csv", table)
    _file(tmp_path, "t_dictionary.csv", dictionary)
    return tmp_path


DICTIONARY = (b"column,type,unit,required,allowed,description\n"
              b"id,string,,yes,,key\nn,integer,,yes,0..,count\n")

# (call taking tmp_path, fragment)
DATA_CASES = [
    # --- nec.data.load
    (lambda d: data.load("evidense"), "There is no table 'evidense' in data/: the tables are "
                                      "case_course, case_pathology, evidence,"),
    (lambda d: data.load(5), "A table is named by a word such as 'evidence'"),
    (lambda d: data.load(None), "not None"),
    (lambda d: data.load("../data/evidence"), "A table is named by a word"),
    (lambda d: data.load("evidence", data_dir=5), "The data folder must be a folder's path"),
    (lambda d: data.load("evidence", data_dir=d / "nowhere"), "does not exist"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id,n\n", DICTIONARY)),
     "t.csv has a header but no rows"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"\xef\xbb\xbfid,n\na,1\n", DICTIONARY)),
     "t.csv starts with a byte-order mark"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id;n\na;1\n", DICTIONARY)),
     "t.csv is separated by semicolons, not commas"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id\tn\na\t1\n", DICTIONARY)),
     "separated by tabs"),
    (lambda d: data.load("t", data_dir=_table_dir(d, "id,n\nMünster,1\n".encode("latin-1"),
                                                  DICTIONARY)),
     "t.csv is not UTF-8 text (byte 0xfc on line 2"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id\na\n", DICTIONARY)),
     "t.csv: missing column(s) n"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id,n\na,one\n", DICTIONARY)),
     "t.csv, row 2, column n: 'one' is not a whole number"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"id,n\na,1,5\n", DICTIONARY)),
     "3 cells where the header has 2"),
    (lambda d: data.load("t", data_dir=_table_dir(d, b"", DICTIONARY)), "the file is empty"),
    # --- nec.data.records (the same checks without pandas)
    (lambda d: data.records("evidense"), "There is no table 'evidense'"),
    (lambda d: data.records(["evidence"]), "A table is named by a word"),
    (lambda d: data.records("t", data_dir=_table_dir(d, b"id,n\n", DICTIONARY)),
     "has a header but no rows"),
    (lambda d: data.records("evidence", data_dir=_file(d, "x.csv", b"a\n1\n")),
     "is a file, not a folder"),
    # --- nec.data.tables
    (lambda d: data.tables(d / "nowhere"), "The data folder"),
    (lambda d: data.tables(d / "nowhere"), "does not exist"),
    (lambda d: data.tables(3.5), "not 3.5"),
    (lambda d: data.tables(_file(d, "x.csv", b"a\n1\n")), "is a file, not a folder"),
    # --- nec.data.read_rows
    (lambda d: data.read_rows(d / "missing.csv"), "missing.csv: file not found"),
    (lambda d: data.read_rows(None), "read_rows() needs the path of a CSV file"),
    (lambda d: data.read_rows(d), "is a folder, not a CSV file"),
    (lambda d: data.read_rows(_file(d, "h.csv", b"a,b\n")), "h.csv has a header but no rows"),
    (lambda d: data.read_rows(_file(d, "h.csv", b"a,b\n\n \n")), "has a header but no rows"),
    (lambda d: data.read_rows(_file(d, "b.csv", b"\xef\xbb\xbfa,b\n1,2\n")), "byte-order mark"),
    (lambda d: data.read_rows(_file(d, "s.csv", b"a;b\n1,5;2\n")), "separated by semicolons"),
    (lambda d: data.read_rows(_file(d, "l.csv", "a\né\n".encode("cp1252"))),
     "l.csv is not UTF-8 text"),
    (lambda d: data.read_rows(_file(d, "n.csv", b"a,b\n1,\x002\n")), "contains a NUL byte"),
]


@pytest.mark.parametrize("call, fragment", DATA_CASES,
                         ids=[f"{i}-{c[1][:30]}" for i, c in enumerate(DATA_CASES)])
def test_the_data_loaders_refuse_with_a_sentence(call, fragment, tmp_path):
    with pytest.raises(ValueError) as err:
        call(tmp_path)
    assert fragment in str(err.value), str(err.value)


TABLE_CASES = [
    (lambda: tables.table(ROWS, caption=""), "A table needs a caption"),
    (lambda: tables.table(ROWS, caption=None), "A table needs a caption"),
    (lambda: tables.table("evidence.csv", caption="c"), "a pandas DataFrame or a list of rows"),
    (lambda: tables.table(np.zeros((2, 2)), caption="c"), "not ndarray"),
    (lambda: tables.table({"arm": ["EP"]}, caption="c"), "not dict"),
    (lambda: tables.table([["EP", 129]], caption="c"), "Row 1 of the table is not a mapping"),
    (lambda: tables.table([], caption="c"), "The table has no rows: there is nothing to show"),
    (lambda: tables.table(pd.DataFrame({"arm": []}), caption="c"), "The table has no rows"),
    (lambda: tables.table(ROWS, caption="c", columns=["orr", "os"]),
     "The table has no column 'os'; its columns are 'arm', 'n', 'orr'"),
    (lambda: tables.table(ROWS, caption="c", columns="arm"),
     "columns must be a list of column names or a mapping {column: label}, not 'arm' "
     "(one column: columns=['arm'])"),
    (lambda: tables.table(ROWS, caption="c", columns=3), "columns must be a list"),
    (lambda: tables.table(ROWS, caption="c", digits=-1),
     "The number of decimals (digits) must be a whole number between 0 and 6 (got -1)"),
    (lambda: tables.table(ROWS, caption="c", digits=20), "between 0 and 6 (got 20)"),
    (lambda: tables.table(ROWS, caption="c", digits=1.5), "whole number between 0 and 6, not 1.5"),
    (lambda: tables.table(ROWS, caption="c", digits="2"), "not '2'"),
    (lambda: tables.table(ROWS, caption="c", digits=math.nan), "is missing (not a number)"),
    (lambda: tables.table(ROWS, caption="c", digits={"orr": "one"}),
     "The number of decimals for column 'orr' must be a whole number"),
    (lambda: tables.table(ROWS, caption="c", digits={"os": 1}),
     "digits names column 'os', which the table does not have"),
    (lambda: tables.table(ROWS, caption="c", whole="n"),
     "whole must be a list of column names, not 'n' (one column: whole=['n'])"),
    (lambda: tables.table(ROWS, caption="c", whole=["patients"]),
     "whole names column 'patients', which the table does not have"),
    (lambda: tables.table(ROWS, caption="c", whole=["arm"]),
     "whole names column 'arm', but it holds text, not numbers"),
    (lambda: tables.table(ROWS, caption="c", formats={"orr": "{:.1f}"}),
     "The format for column 'orr' must be a function of the row"),
    (lambda: tables.table(ROWS, caption="c", columns=["arm", "ci"],
                          formats={"ci": lambda r: r["low"]}),
     "The format for column 'ci' failed on row 1 (KeyError: 'low')"),
    (lambda: tables.table(ROWS, caption="c", formats={"ci": lambda r: r["n"]}),
     "formats gives a format for column 'ci', which the table does not show"),
    (lambda: tables.table(ROWS, caption="c", formats=[len]), "formats must be a mapping"),
    (lambda: tables.table(ROWS, caption="c", index="study"),
     "a list of rows has no index (leave index out)"),
    (lambda: tables.table(pd.DataFrame(ROWS), caption="c", index=3),
     "index is the label of the index column (text), not 3"),
    (lambda: tables.table(ROWS, caption="c", missing_note=0),
     "missing_note must be text (or None for no note), not 0"),
    (lambda: tables.text_block(None), "text_block() needs the text to show"),
    (lambda: tables.text_block("   "), "text_block() was given empty text"),
    (lambda: tables.text_block(["line 1", "line 2"]),
     "text_block() shows one text, not a list: join the lines first"),
    (lambda: tables.text_block("Ki-67 55 %", title=2019), "The title must be text, not 2019"),
]


@pytest.mark.parametrize("call, fragment", TABLE_CASES,
                         ids=[f"{i}-{c[1][:30]}" for i, c in enumerate(TABLE_CASES)])
def test_tables_and_text_blocks_refuse_with_a_sentence(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), str(err.value)


PLOT_CASES = [
    # --- figure_problems, label_overlaps, mark_synthetic: a figure
    (lambda: plotting.figure_problems(_ax()), "figure_problems() takes a whole figure, not one "
                                              "axes: pass ax.figure"),
    (lambda: plotting.figure_problems(None), "figure_problems() takes a matplotlib figure"),
    (lambda: plotting.figure_problems("fig.png"), "not text ('fig.png')"),
    (lambda: plotting.label_overlaps(_ax()), "label_overlaps() takes a whole figure"),
    (lambda: plotting.label_overlaps([1]), "not a list ([1])"),
    (lambda: plotting.mark_synthetic(_ax()), "mark_synthetic() takes a whole figure, not one "
                                             "axes"),
    (lambda: plotting.mark_synthetic(_fig(), label=""), "The label is empty"),
    (lambda: plotting.mark_synthetic(_fig(), label=3), "The label must be text, not 3"),
    # --- label_synthetic, at_risk_table: one axes
    (lambda: plotting.label_synthetic(_fig()), "label_synthetic() draws on one axes, not a "
                                               "whole figure"),
    (lambda: plotting.label_synthetic(plt.subplots(1, 2)[1]), "not an array of them: pick one"),
    (lambda: plotting.label_synthetic(None), "label_synthetic() draws on a matplotlib axes"),
    (lambda: plotting.label_synthetic(_ax(), loc="middle"),
     "Unknown label position (loc) 'middle': choose one of 'upper right', 'upper left', "
     "'lower right', 'lower left'"),
    (lambda: plotting.label_synthetic(_ax(), text=None), "The label must be text"),
    (lambda: plotting.at_risk_table(_fig()), "at_risk_table() draws on one axes"),
    (lambda: plotting.at_risk_table("ax"), "at_risk_table() draws on a matplotlib axes"),
    # --- grade_map
    (lambda: plotting.grade_map(edition="2031", differentiation="well"),
     "Unknown WHO edition '2031'"),
    (lambda: plotting.grade_map(edition=2019, differentiation="moderate", resolution=10),
     "Unknown differentiation 'moderate'"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=2.5),
     "The map's resolution (cells per axis) must be a whole number between 10 and 400, "
     "not 2.5"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10_000),
     "(got 10000)"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution="fine"),
     "not 'fine'"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                legend="left"), "legend must be 'below', 'inside' or None"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=(12, 25)), "point must be (Ki-67, mitoses per 2 mm² or "
                                                 "None, label)"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=(150, 25, "case")), "Ki-67 must be between 0 and 100 %"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=("12%", 25, "case")), "not '12%'"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=(0, 25, "case")),
     "The point's Ki-67 of 0 % is off the map: the map's axes run from 0.5 to 100 "
     "(logarithmic, so 0 cannot be drawn)"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=(12, 300, "case")),
     "The point's mitotic count of 300 per 2 mm² is off the map"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                point=(12, 25, "")), "The point's label is empty"),
    (lambda: plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                                ax=_fig()), "grade_map() draws on one axes, not a whole figure"),
    # --- case_timeline
    (lambda: plotting.case_timeline("case_course.csv"),
     "The case course must be a list of rows (dictionaries) or a DataFrame, not str"),
    (lambda: plotting.case_timeline([r for r in COURSE if r["event_id"] != "captem"]),
     "The case course has no 'captem' row"),
    (lambda: plotting.case_timeline([r for r in COURSE
                                     if r["event_id"] != "adjuvant_radiotherapy"]),
     "The case course has no 'adjuvant_radiotherapy' row"),
    (lambda: plotting.case_timeline(COURSE, recovery_months=-1),
     "The recovery before adjuvant chemotherapy must be between 0 and 28.8 months (got -1 "
     "months). The adjuvant course must end before the recurrence"),
    (lambda: plotting.case_timeline(COURSE, recovery_months=40), "(got 40 months)"),
    (lambda: plotting.case_timeline(COURSE, recovery_months="2"), "must be a number"),
    (lambda: plotting.case_timeline(COURSE, references=[(8.9, "median OS")][0]),
     "references must be a list of pairs (months, label); 8.9 is not a pair"),
    (lambda: plotting.case_timeline(COURSE, references=5),
     "references must be a list of pairs (months, label), not an int (5)"),
    (lambda: plotting.case_timeline(COURSE, references=[(-8.9, "median OS")]),
     "The reference 'median OS' must be between 0 and 600 months (got -8.9 months)"),
    (lambda: plotting.case_timeline(COURSE, references=[(math.nan, "median OS")]),
     "The reference 'median OS' is missing (not a number)"),
    (lambda: plotting.case_timeline(COURSE, references=[("8.9 months", "median OS")]),
     "without a unit"),
    (lambda: plotting.case_timeline(COURSE, references=[(8.9, None)]),
     "A reference's label must be text"),
    (lambda: plotting.case_timeline(COURSE, ax="left"), "case_timeline() draws on a "
                                                        "matplotlib axes"),
    # --- median_curves
    (lambda: plotting.median_curves("EP"),
     "The arms must be a list of pairs (label, median months), not text ('EP')"),
    (lambda: plotting.median_curves({"FOLFIRI": 4}), "not a dict"),
    (lambda: plotting.median_curves([]), "Give at least one arm"),
    (lambda: plotting.median_curves([("FOLFIRI",)]), "('FOLFIRI',) is not a pair"),
    (lambda: plotting.median_curves([("FOLFIRI", 0)]), "The median survival must be"),
    (lambda: plotting.median_curves([("FOLFIRI", "4 months")]), "without a unit"),
    (lambda: plotting.median_curves([(None, 4)]), "An arm's label must be text"),
    (lambda: plotting.median_curves([("FOLFIRI", 4)], months=0),
     "The time axis (months) must be above 0 months up to 600 months (got 0 months)"),
    (lambda: plotting.median_curves([("FOLFIRI", 4)], months="12"), "not '12'"),
    (lambda: plotting.median_curves([("FOLFIRI", 4)], months=math.inf), "finite"),
    (lambda: plotting.median_curves([("FOLFIRI", 4)], endpoint=""), "The endpoint is empty"),
    (lambda: plotting.median_curves([("FOLFIRI", 4)], ax=_fig()), "not a whole figure"),
    # --- approximation_plot (nec.survival_curves' checks, then the axes)
    (lambda: plotting.approximation_plot("months", [1, 0]),
     "Durations must be a number or a list of numbers (months), not 'months'"),
    (lambda: plotting.approximation_plot([1, 2, 3, 4], [1, 2, 2, 1]), "Events must be 1 (event) "
                                                                      "or 0 (censored)"),
    (lambda: plotting.approximation_plot([1, 2, 3, 4], [1, 1, 1, 1], ax="ax"),
     "approximation_plot() draws on a matplotlib axes"),
    # --- kaplan_meier_plot
    (lambda: plotting.kaplan_meier_plot({}), "Give at least one group"),
    (lambda: plotting.kaplan_meier_plot("cohort.csv"),
     "kaplan_meier_plot() takes the groups as a dictionary {label: (months, died)}, not text "
     "('cohort.csv') (load it and split it into groups first)"),
    (lambda: plotting.kaplan_meier_plot(pd.DataFrame({"months": [3], "died": [1]})),
     "not a DataFrame (load it and split it into groups first)"),
    (lambda: plotting.kaplan_meier_plot([([3, 8], [1, 0])]), "not a list"),
    (lambda: plotting.kaplan_meier_plot({"A": [3, 8, 20]}),
     "The group 'A' must be a pair (months, died)"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, 8, 20], [1, 2, 2])}),
     "The death indicator of group 'A' must be coded 0 = censored, 1 = died; got 1 and 2"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, 8, 20], [1, 0.5, 1])}), "got 0.5 and 1"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, math.nan, 20], [1, 0, 1])}),
     "The follow-up time of group 'A' is missing for row 1"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, -8, 20], [1, 0, 1])}),
     "The follow-up time of group 'A' cannot be negative: row 1 is -8 months"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, "8 mo", 20], [1, 0, 1])}),
     "must be numbers; row 1 is not (e.g. '8 mo')"),
    (lambda: plotting.kaplan_meier_plot({"A": ([3, 8, 20], [1, 0])}),
     "The group 'A' has 3 follow-up times but 2 death indicators"),
    (lambda: plotting.kaplan_meier_plot({"A": ([], [])}), "The group 'A' has no patients"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, max_months=0), "must end after 0 months"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, max_months=math.inf),
     "The time axis (max_months) must be a finite number"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, max_months=1000), "(got 1000 months)"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, max_months=1e-9),
     "The time axis (max_months) must be between 1 and 600 months (got 1e-09 months)"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, max_months="60"), "not '60'"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, tick_months=100),
     "The tick spacing (tick_months) must be between 3 and 60 months (got 100 months)"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, tick_months=0.5),
     "At most 20 ticks: more would crowd the at-risk numbers"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, tick_months=math.nan), "is missing"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, ci="yes"), "ci must be True or False, not 'yes'"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, at_risk="no"), "at_risk must be True or False"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, synthetic=0), "synthetic must be True or False"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, title=5), "The title must be text, not 5"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, ylabel=None), "The y-axis label must be text"),
    (lambda: plotting.kaplan_meier_plot(GROUPS, ax=plt.subplots(1, 2)[1]),
     "not an array of them"),
    # --- scaled_schoenfeld_plot
    (lambda: plotting.scaled_schoenfeld_plot([1, 2, 3]), "Give the cox_zph result and a term"),
    (lambda: plotting.scaled_schoenfeld_plot("times", [1, 2, 3], 0.5),
     "The event times must be a column of numbers"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, math.nan], [1, 2, 3], 0.5),
     "The event times must be finite numbers; row 2 is missing or infinite"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, math.inf, 3], 0.5),
     "The residuals must be finite numbers; row 1"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], ["a", "b", "c"], 0.5),
     "The residuals must be numbers"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, 2, 3], "0.5"),
     "The coefficient (log hazard ratio) must be a number, not '0.5'"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, 2, 3], math.nan),
     "The coefficient (log hazard ratio) is missing"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, 2, 3], 0.5, variance=-0.1),
     "The coefficient's variance must be greater than 0"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5], [1, 2], 0.5), "at least three events"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, 2, 3], 0.5, name=5),
     "The term's name must be text"),
    (lambda: plotting.scaled_schoenfeld_plot([0.1, 0.5, 0.9], [1, 2, 3], 0.5, legend="yes"),
     "legend must be True or False"),
]


@pytest.mark.parametrize("call, fragment", PLOT_CASES,
                         ids=[f"{i}-{c[1][:30]}" for i, c in enumerate(PLOT_CASES)])
def test_every_figure_function_refuses_with_a_sentence(call, fragment):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no matplotlib or lifelines warning either
            with pytest.raises(ValueError) as err:
                call()
    finally:
        plt.close("all")
    assert fragment in str(err.value), str(err.value)


def test_a_cox_zph_result_with_an_unknown_term_lists_its_terms():
    class Zph:  # the parts of nec.survival_stats.cox_zph's result the figure reads
        terms = ["size_cm", "resection"]
        coefficients, variances, x = [0.1, -0.8], [0.01, 0.04], [0.1, 0.5, 0.9]

        def residuals(self, term):
            return [1.0, 2.0, 3.0]

    with pytest.raises(ValueError, match="has no term 'age'; its terms are 'size_cm', "
                                         "'resection'"):
        plotting.scaled_schoenfeld_plot(Zph(), "age")


def test_good_calls_still_draw():
    # The checks refuse slips, not the book's own calls.
    ax = plotting.grade_map(edition=2019, differentiation="well", resolution=10,
                            point=(12, None, "Ki-67 only"))
    assert ax.get_title() == "WHO 2019, well differentiated"
    assert plotting.kaplan_meier_plot(GROUPS, ci=True).get_xlim() == (0.0, 60.0)
    assert plotting.label_synthetic(_ax(), loc="Lower Left").get_text()
    assert plotting.case_timeline(COURSE, references=[(8.9, "median OS")]) is not None
    plt.close("all")


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4),
                 st.none(), st.booleans(), st.integers(-10**4, 10**4)))
def test_property_any_time_axis_draws_or_refuses_with_a_sentence(value):
    # Property: max_months is a finite number of months in [1, 600], or a ValueError.
    try:
        ax = plotting.kaplan_meier_plot(GROUPS, max_months=value, tick_months=value,
                                        at_risk=False)
    except ValueError as err:
        assert str(err).endswith(".")
        assert not (isinstance(value, int | float) and not isinstance(value, bool)
                    and 1 <= value <= 600), (value, str(err))
    else:
        assert 1 <= float(value) <= 600 and ax.get_xlim()[1] == float(value)
    finally:
        plt.close("all")


# --- the checkers ----------------------------------------------------------------------

EXERCISE_CASES = [
    (lambda: check("grading-discordnt", "NET G3"),
     "There is no exercise 'grading-discordnt'; the exercises are: "),
    (lambda: check(["grading-discordant"], "NET G3"),
     "There is no exercise ['grading-discordant']"),
    (lambda: check(None, "NET G3"), "There is no exercise None"),
    (lambda: check(3, "NET G3"), "There is no exercise 3"),
    (lambda: read_answer(55), "A typed answer must be text (what was typed in the answer box), "
                              "not int 55"),
    (lambda: read_answer(None), "not NoneType None"),
    (lambda: read_answer(b"NET G3"), "not bytes"),
    (lambda: check_typed("grading-discordnt", "NET G3"), "There is no exercise"),
    (lambda: check_typed("grading-discordant", ["NET G3"]), "A typed answer must be text"),
]


@pytest.mark.parametrize("call, fragment", EXERCISE_CASES,
                         ids=[f"{i}-{c[1][:30]}" for i, c in enumerate(EXERCISE_CASES)])
def test_the_checkers_refuse_what_is_no_answer(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), str(err.value)


@pytest.mark.parametrize("exercise_id, text, fragment", [
    ("grading-discordnt", "NET G3", "There is no exercise &#x27;grading-discordnt&#x27;"),
    ([1], "NET G3", "There is no exercise [1]"),
    ("grading-discordant", 12, "A typed answer must be text"),
])
def test_the_answer_box_shows_the_refusal_and_raises_nothing(exercise_id, text, fragment):
    html = check_typed_html(exercise_id, text)
    assert 'role="alert"' in html and fragment in html, html


# Answers of every wrong shape: each checker gives feedback ("not yet", with a sentence) or a
# ValueError sentence; never an exception of another kind, never "correct".
WRONG_SHAPES = [None, "", "   ", 5, -1, 2.5, math.nan, math.inf, True, [], ["NET G3"], {},
                {"2010": 5}, (1,), b"NET G3", {1, 2}, "1e999"]
FAST = sorted(e for e in EXERCISES if e not in ("firstline-pooled-retrospective", "nomogram-gbsg2"))


@pytest.mark.parametrize("exercise_id", FAST)
def test_every_checker_answers_an_answer_of_the_wrong_shape_with_a_sentence(exercise_id):
    for answer in WRONG_SHAPES:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                fb = check(exercise_id, answer)
            except ValueError as err:
                assert str(err).strip(), (exercise_id, answer)
                continue
        assert not fb.correct, (exercise_id, answer)
        assert fb.message.strip() and fb.message.rstrip()[-1] in ".)?", (exercise_id, answer,
                                                                         fb.message)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_property_any_typed_text_gets_feedback_or_a_sentence(text):
    html = check_typed_html("grading-discordant", text)
    assert html.startswith('<div class="nec-feedback"')
