"""Bad input to the second-line chapter's code: every call refuses with a sentence.

Each case is (what was done, the call, a fragment of the sentence it must produce). The
science functions raise ``ValueError``; the explorer shows the sentence and raises nothing.
"""

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nec import second_line
from nec.second_line import case_clocks, features, months_between, options, treatment_months
from nec.survival_curves import approximation_error, exponential_hazard, exponential_survival

NOT_FOR_READERS = {
    "nec.second_line.Features": "the validated record features() returns; readers call "
                                "features() or options(), which check every value",
    "nec.second_line.Option": "one option of the answer options() builds from the curated "
                              "tables; readers only read it",
    "nec.second_line.Answer": "the result record options() builds from checked features; "
                              "readers call options()",
    "nec.second_line.CaseClocks": "the clocks case_clocks() computes from the case course; "
                                  "readers call case_clocks()",
}

EVIDENCE = second_line.read_records("evidence")
ROW = EVIDENCE[0]

GOOD = dict(platinum_free_months=3, ki67=80, morphology="nec", sstr_imaging="negative",
            performance_status=1, msi="mss", tmb="low", liver_function="normal")


def with_(**change):
    return {k: v for k, v in (GOOD | change).items() if v is not ...}


FEATURE_CASES = [
    ("Ki-67 above 100", with_(ki67=140), "Ki-67 must be between 0 and 100 %"),
    ("Ki-67 negative", with_(ki67=-1), "Ki-67 must be between 0 and 100 %"),
    ("Ki-67 as text with a %", with_(ki67="55%"), "without a unit or a % sign"),
    ("Ki-67 NaN", with_(ki67=math.nan), "Ki-67 is missing"),
    ("Ki-67 infinite", with_(ki67=math.inf), "finite"),
    ("Ki-67 missing", with_(ki67=...), "Missing patient feature(s): ki67"),
    ("interval negative", with_(platinum_free_months=-1), "between 0 and 240 months"),
    ("interval in days", with_(platinum_free_months=1004), "not days or weeks"),
    ("interval None", with_(platinum_free_months=None), "platinum-free interval"),
    ("interval True", with_(platinum_free_months=True), "must be a number"),
    ("old ambiguous keyword", with_(platinum_free_months=..., months_since_first_line=3),
     "months_since_first_line is ambiguous"),
    ("unknown keyword", with_(age=66), "no patient feature called 'age'"),
    ("ECOG 5", with_(performance_status=5), "ECOG runs from 0"),
    ("ECOG 1.5", with_(performance_status=1.5), "whole number"),
    ("ECOG as text", with_(performance_status="one"), "ECOG performance status must be a number"),
    ("morphology misspelt", with_(morphology="moderate"), "Unknown morphology 'moderate'"),
    ("morphology None", with_(morphology=None), "Morphology is missing"),
    ("SSTR imaging 'bright'", with_(sstr_imaging="bright"), "somatostatin-receptor imaging"),
    ("MSI 'maybe'", with_(msi="maybe"), "Unknown MSI status 'maybe'"),
    ("TMB None", with_(tmb=None), "TMB status is missing"),
    ("TMB a number", with_(tmb=12), "Unknown TMB status 12"),
    ("liver 'bad'", with_(liver_function="bad"), "Unknown liver function 'bad'"),
    ("liver missing", with_(liver_function=...), "Missing patient feature(s): liver_function"),
]


@pytest.mark.parametrize("what, patient, fragment", FEATURE_CASES,
                         ids=[c[0] for c in FEATURE_CASES])
def test_features_and_options_refuse_bad_patients(what, patient, fragment):
    for call in (features, options):
        with pytest.raises(ValueError) as err:
            call(**patient)
        assert fragment in str(err.value), (what, str(err.value))


TABLE_CASES = [
    ("evidence as a file name", dict(evidence="data/evidence.csv"),
     "The evidence table must be a list of rows (dictionaries) or a DataFrame, not str"),
    ("evidence as a number array", dict(evidence=np.zeros((2, 2))),
     "The evidence table must be a list of rows"),
    ("evidence without its columns", dict(evidence=[{"study_id": "x"}]),
     "The evidence table has no column(s) line"),
    ("option table as a dict", dict(table={"a": 1}), "The option table must be a list of rows"),
    ("option table without its columns", dict(table=[{"option_id": "x", "option": "X"}]),
     "The option table has no column(s) kind"),
]


@pytest.mark.parametrize("what, tables, fragment", TABLE_CASES,
                         ids=[c[0] for c in TABLE_CASES])
def test_options_refuses_tables_that_are_not_tables(what, tables, fragment):
    with pytest.raises(ValueError) as err:
        options(**tables, **GOOD)
    assert fragment in str(err.value), (what, str(err.value))


CALL_CASES = [
    ("year-only date", lambda: months_between("2021", "2023-11"), "has no month"),
    ("month 13", lambda: months_between("2021-13", "2023-11"), "months run from 1 to 12"),
    ("date in words", lambda: months_between("Feb-2021", "2023-11"), "YYYY-MM"),
    ("course row without cycles", lambda: treatment_months({"event_id": "x", "cycles": None,
                                                            "cycle_days": 21}),
     "no cycle count or cycle length"),
    ("course without a recurrence", lambda: case_clocks([{"event_id": "surgery",
                                                          "start": "2021-02-18",
                                                          "cycles": None,
                                                          "cycle_days": None}]),
     "The case course has no 'recurrence' row"),
    ("course as text", lambda: case_clocks("case_course.csv"), "The case course must be"),
    ("median 0", lambda: exponential_survival(3, median_months=0), "median survival must be"),
    ("a time of True", lambda: exponential_survival(True, median_months=6),
     "Times must be a number or a list of numbers (months), not True."),
    ("times with a True", lambda: exponential_survival([1, True], median_months=6),
     "Times must be numbers (months), not True or False."),
    ("median negative", lambda: exponential_survival(3, median_months=-4),
     "median survival must be"),
    ("median as text", lambda: exponential_survival(3, median_months="8.9 months"),
     "without a unit"),
    ("median in days", lambda: exponential_survival(3, median_months=271),
     "median survival must be"),
    ("hazard of a zero median", lambda: exponential_hazard(median_months=0),
     "median survival must be"),
    ("negative time", lambda: exponential_survival(-1, median_months=4), "not negative"),
    ("time as text", lambda: exponential_survival("six", median_months=4),
     "must be a number or a list of numbers"),
    ("NaN time", lambda: exponential_survival([1, math.nan], median_months=4), "missing value"),
    ("list with text", lambda: exponential_survival([1, "x"], median_months=4),
     "one of them is not a number"),
    ("durations and events of different lengths", lambda: approximation_error([1, 2], [1]),
     "same length"),
    ("events coded 1/2", lambda: approximation_error([1, 2, 3], [1, 2, 2]), "1 (event) or 0"),
    ("events coded 0.5", lambda: approximation_error([1, 2, 3], [1, 0.5, 1]), "0.5"),
    ("events missing", lambda: approximation_error([1, 2, 3], [1, math.nan, 1]),
     "1 (event) or 0"),
    ("events as text", lambda: approximation_error([1, 2, 3], "110"), "Events must be a list"),
    ("events with words", lambda: approximation_error([1, 2, 3], ["dead", 0, 1]),
     "not a number"),
    ("no events", lambda: approximation_error([1, 2, 3], [0, 0, 0]), "no events"),
    ("negative duration", lambda: approximation_error([1, -2, 3], [1, 1, 1]), "not negative"),
    ("NaN duration", lambda: approximation_error([1, math.nan, 3], [1, 1, 1]), "missing value"),
    ("durations in days as months", lambda: approximation_error([100, 900], [1, 1]),
     "days or weeks"),
    ("median never reached", lambda: approximation_error([1, 2, 3, 4, 5], [0, 1, 0, 0, 0]),
     "never reaches 50"),
    ("horizon beyond follow-up", lambda: approximation_error([1, 2, 3, 4], [1, 1, 1, 1],
                                                             horizon=40),
     "The horizon must be"),
    ("horizon before the first event", lambda: approximation_error([2, 3, 4, 5], [1, 1, 1, 1],
                                                                   horizon=1),
     "before the first event"),
    ("horizon as text", lambda: approximation_error([1, 2, 3, 4], [1, 1, 1, 1], horizon="2y"),
     "The horizon must be a number"),
    ("unit not a word", lambda: approximation_error([1, 2, 3, 4], [1, 1, 1, 1], unit=3),
     "The unit must be a word"),
    ("one patient", lambda: approximation_error([1], [1]), "(≥ 2)"),
]


ROW_FUNCTIONS = [second_line.secondary_only, second_line.study_label,
                 second_line.population_text, second_line.regimen_text,
                 second_line.response_text, second_line.progression_text, second_line.os_clock,
                 second_line.os_text, second_line.line_text, second_line.toxicity_text]

CALL_CASES += [
    # features itself (options gets the same table above)
    ("features: Ki-67 with a %", lambda: features(**with_(ki67="80%")), "without a unit"),
    ("features: values without names", lambda: features(3, 80, "nec"),
     "features() takes the patient's features by name (platinum_free_months, ki67, "
     "morphology, sstr_imaging, performance_status, msi, tmb, liver_function), e.g. "
     "features(ki67=80, ...); got 3 values without a name."),
    ("features: one value without a name", lambda: features(with_()),
     "got 1 value without a name"),
    ("options: values without names", lambda: second_line.options(3, 80),
     "options() takes the patient's features by name"),
    ("features: ECOG 5", lambda: features(**with_(performance_status=5)),
     "The ECOG performance status must be between 0 and 4 (got 5)"),
    ("features: Ki-67 above 100", lambda: features(**with_(ki67=120)),
     "Ki-67 must be between 0 and 100 % (got 120 %). Ki-67 is the percentage of tumour cells"),
    ("features: a misspelt feature", lambda: features(**with_(ki_67=80)),
     "There is no patient feature called 'ki_67'; the features are: platinum_free_months, "
     "ki67,"),
    # the tables, by name
    ("records of a misspelt table", lambda: second_line.read_records("evidense"),
     "There is no table 'evidense' in data/: the tables are case_course"),
    ("records from a missing folder", lambda: second_line.read_records("evidence", "/nowhere"),
     "The data folder /nowhere does not exist"),
    ("option table from a number", lambda: second_line.option_table(5),
     "The data folder must be a folder's path"),
    # one study row, as the chapter's tables format it
    *[(f"{f.__name__}: a study id instead of a row", lambda f=f: f("walter2023"),
       f"{f.__name__}() takes one study row, a dictionary with the columns of "
       "data/evidence.csv") for f in ROW_FUNCTIONS],
    *[(f"{f.__name__}: None", lambda f=f: f(None), "not NoneType") for f in ROW_FUNCTIONS],
    *[(f"{f.__name__}: an empty row", lambda f=f: f({}),
       f"{f.__name__}() was given an empty study row") for f in ROW_FUNCTIONS],
    ("study label: year as text", lambda: second_line.study_label({**ROW, "year": "2020a"}),
     "The study row's year must be a number between 1980 and 2026, not '2020a'"),
    ("study label: half a year", lambda: second_line.study_label({**ROW, "year": 2020.5}),
     "The study row's year must be a whole number (got 2020.5)"),
    ("study label: no author, no id",
     lambda: second_line.study_label({"first_author": None, "year": 2020}),
     "The study row has no study_id: study_label() needs it"),
    ("population misspelt",
     lambda: second_line.population_text({**ROW, "population_grade": "nex"}),
     "The study row's population_grade 'nex' is not one of nec, net_g3, high_grade_mixed"),
    ("response above 100 %",
     lambda: second_line.response_text({**ROW, "response_rate_pct": 140}),
     "The study row's response_rate_pct must be between 0 and 100 % (got 140 %)"),
    ("response with a % sign",
     lambda: second_line.response_text({**ROW, "response_rate_pct": "31%"}),
     "without a unit or a % sign"),
    ("response infinite",
     lambda: second_line.response_text({**ROW, "response_rate_pct": math.inf}), "finite"),
    ("toxicity of a study list",
     lambda: second_line.toxicity_text([ROW]),
     "toxicity_text() takes one study row, a dictionary with the columns of data/evidence.csv"),
    ("progression share as text",
     lambda: second_line.progression_text({**ROW, "pd_pct": "high"}),
     "The study row's pd_pct must be a number"),
    ("negative OS", lambda: second_line.os_text({**ROW, "median_os_months": -3}),
     "The study row's median_os_months must be at least 0 months (got -3 months)"),
    ("regimen family misspelt",
     lambda: second_line.regimen_text({**ROW, "regimen_family": "folfirri"}),
     "The study row's regimen_family 'folfirri' is not one of"),
    ("regimen family missing",
     lambda: second_line.regimen_text({**ROW, "regimen_family": None}),
     "The study row has no regimen_family: regimen_text() needs it"),
    ("line misspelt", lambda: second_line.line_text({**ROW, "line": "2nd"}),
     "The study row's line '2nd' is not one of first, second"),
    ("line missing", lambda: second_line.line_text({"design": "prospective"}),
     "The study row has no line: line_text() needs it"),
    ("clocks as a list", lambda: second_line.os_clock(ROW, clocks=["mcgarrah2020"]),
     "clocks must be a dictionary {study_id: where its survival clock starts}"),
    ("os clock without an id", lambda: second_line.os_clock({"line": "second"}),
     "The study row has no study_id: os_clock() needs it"),
    ("a tag that does not exist",
     lambda: second_line.secondary_only({"evidence_tag": "X", "source": "a paper"}),
     "The study row's evidence_tag 'X' is not one of seed, V, S"),
]


def test_a_dataframe_row_with_empty_cells_reads_as_missing_not_nan():
    # A row from a DataFrame has NaN for an empty cell: "not in the source read", never "nan %".
    row = {**ROW, "response_rate_pct": float("nan"), "pr_pct": None, "pr_n": None,
           "pd_pct": None}
    assert second_line.response_text(row) == "not in the source read"
    assert second_line.progression_text({**ROW, "pd_pct": float("nan")}) == "–"


@pytest.mark.parametrize("what, call, fragment", CALL_CASES, ids=[c[0] for c in CALL_CASES])
def test_every_public_function_refuses_with_a_sentence(what, call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), (what, str(err.value))


# --- The explorer: the sentence on screen, nothing raised --------------------------------

EXPLORER_CASES = [
    ("Ki-67 text", dict(ki67="high"), "Ki-67 (%) must be a number, not 'high'"),
    ("Ki-67 150 %", dict(ki67=150), "Ki-67 must be between 0 and 100 %"),
    ("Ki-67 NaN", dict(ki67=math.nan), "Ki-67 is missing"),
    ("interval negative", dict(platinum_free_months=-3), "between 0 and 240 months"),
    ("interval 1000 (days?)", dict(platinum_free_months=1000), "not days or weeks"),
    ("interval text", dict(platinum_free_months="33 months"),
     "Months from the end of the last platinum course to progression must be a number"),
    ("morphology not offered", dict(morphology="moderate"),
     "Morphology must be one of 'nec', 'net_g3', not 'moderate'"),
    ("SSTR not offered", dict(sstr_imaging="bright"), "SSTR imaging must be one of"),
    ("ECOG 5", dict(performance_status=5), "ECOG PS must be one of 0, 1, 2, 3, 4, not 5"),
    ("ECOG as text", dict(performance_status="2"), "ECOG PS must be one of"),
    ("MSI not offered", dict(msi="maybe"), "MSI status must be one of"),
    ("TMB not offered", dict(tmb=12), "TMB must be one of"),
    ("liver not offered", dict(liver_function="bad"), "Liver function must be one of"),
    ("liver cleared", dict(liver_function=None), "Liver function is missing"),
]


@pytest.mark.parametrize("what, values, fragment", EXPLORER_CASES,
                         ids=[c[0] for c in EXPLORER_CASES])
def test_the_explorer_shows_the_sentence_and_raises_nothing(what, values, fragment):
    from nec.widgets import OptionsExplorer

    ex = OptionsExplorer()
    ex.set(**values)  # must not raise
    assert ex.answer is None and ex.error is not None
    assert fragment in ex.error, (what, ex.error)
    assert 'role="alert"' in ex.output.value
    ex.set(**{k: v for k, v in GOOD.items() if k in values})  # and it recovers
    assert ex.error is None and ex.answer is not None


@pytest.mark.parametrize("what, values, fragment", EXPLORER_CASES[:5],
                         ids=[c[0] for c in EXPLORER_CASES[:5]])
def test_the_explorer_refuses_bad_starting_values_on_screen(what, values, fragment):
    from nec.widgets import options_explorer

    ex = options_explorer(**values)
    assert ex.answer is None and fragment in ex.error, (what, ex.error)


@pytest.mark.parametrize("args, values, fragment", [
    ((), dict(age=66), "options_explorer() has no starting value called 'age'; it takes "
                       "platinum_free_months, ki67, morphology"),
    ((3,), {}, "options_explorer() takes its starting values by name"),
])
def test_the_factory_shows_a_wrong_name_on_screen_and_raises_nothing(args, values, fragment):
    from nec.widgets import options_explorer

    ex = options_explorer(*args, **values)
    assert ex.answer is None and fragment in ex.error, ex.error
    assert 'role="alert"' in ex.output.value


def test_typing_into_the_box_outside_the_slider_still_reaches_the_check():
    from nec.widgets import OptionsExplorer

    ex = OptionsExplorer()
    ex.ki67.value = 150  # the slider stops at 100; the box keeps 150 and the check sees it
    assert ex.ki67_slider.value == 80 and "Ki-67 must be between 0 and 100 %" in ex.error


def test_the_interval_slider_follows_the_box_over_its_whole_range():
    # Review 1, finding 20: set(platinum_free_months=40) left the slider at 2.
    from nec.widgets import OptionsExplorer

    ex = OptionsExplorer()
    ex.set(platinum_free_months=40)
    assert ex.months_slider.value == 40 and ex.error is None
    ex.set(platinum_free_months=241)  # beyond the box's bound: the sentence, not a traceback
    assert "240" in ex.error and ex.months_slider.value == 40


def test_the_explorer_table_names_regimens_and_shows_progression_clock_and_toxicity():
    from nec.widgets import OptionsExplorer

    ex = OptionsExplorer()
    html = ex.output.value
    for code in ("nal-iri-5fu", ">taxane<", ">tki<", "anti-pd1"):
        assert code not in html, code
    assert "nal-IRI + 5-FU" in html and "Grade ≥ 3 toxicity" in html
    assert "grade ≥ 3 treatment-related AEs 21%" in html            # BEVANEC FOLFIRI arm
    assert "44 % (in 18 of the 32)" in html and "11 (all 32 patients)" in html   # DART
    assert "not stated in the sources read" in html
    ex.set(morphology="net_g3", sstr_imaging="positive", ki67=40)
    assert "outside this book&#x27;s scope" in ex.output.value


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.floats(allow_nan=False), st.integers(-1000, 1000), st.text(max_size=4),
                 st.booleans()))
@example(-0.0)  # once shown as "-0 %"
def test_property_a_response_rate_is_shown_only_when_it_is_a_percentage(value):
    # Property: response_text shows a rate between 0 and 100 %, and refuses anything else.
    row = {**ROW, "response_rate_pct": value}
    try:
        text = second_line.response_text(row)
    except ValueError as err:
        assert "response_rate_pct" in str(err)
        assert not (isinstance(value, int | float) and not isinstance(value, bool)
                    and 0 <= value <= 100), (value, str(err))
    else:
        # + 0.0: a -0.0 (which hypothesis finds) is shown as the 0 % it is.
        assert 0 <= float(value) <= 100 and text.startswith(f"{float(value) + 0.0:g} %")
