"""WHO grading: worked cases, every boundary, properties and bad input.

Expected categories are written out by hand from the editions' tables (see the module
docstring of nec.grading for the sources), never produced by the code under test.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.grading import (
    EDITION_KEYS,
    EDITIONS,
    classify,
    get_edition,
    ki67_interval,
    mitotic_count_per_2mm2,
    thresholds_table,
)


def grade(ki67, mitoses, edition, differentiation="well", **kw):
    return classify(
        ki67=ki67, mitoses_per_2mm2=mitoses, differentiation=differentiation,
        edition=edition, **kw,
    )


# --- Ki-67 boundaries: value exactly at and just past each cut-off ------------------

KI67_5TH_AND_2017 = [
    (0, "NET G1"), (2.9, "NET G1"), (2.99, "NET G1"), (3, "NET G2"), (3.01, "NET G2"),
    (19.9, "NET G2"), (20, "NET G2"), (20.01, "NET G3"), (21, "NET G3"), (100, "NET G3"),
]


@pytest.mark.parametrize("edition", ["2017", "2019", "2022"])
@pytest.mark.parametrize("ki67, expected", KI67_5TH_AND_2017)
def test_ki67_boundaries_2017_onward(edition, ki67, expected):
    # mitoses 0 => mitotic grade G1, so Ki-67 alone sets the grade
    assert grade(ki67, 0, edition).category == expected


KI67_2010 = [
    (0, "NET G1"), (2, "NET G1"), (3, "NET G2"), (20, "NET G2"),
    (20.01, "NEC G3"), (55, "NEC G3"), (100, "NEC G3"),
]


@pytest.mark.parametrize("ki67, expected", KI67_2010)
def test_ki67_boundaries_2010(ki67, expected):
    assert grade(ki67, 0, 2010).category == expected


@pytest.mark.parametrize("ki67", [2.01, 2.5, 2.99])
def test_2010_grey_zone_is_flagged_and_read_as_g2(ki67):
    r = grade(ki67, 0, 2010)
    assert r.category == "NET G2"
    assert any("gap WHO 2010 left" in n for n in r.notes)
    # the same value is G1 from 2017 on, with no grey-zone note
    later = grade(ki67, 0, 2019)
    assert later.category == "NET G1"
    assert not any("gap" in n for n in later.notes)


@pytest.mark.parametrize("ki67", [2, 3, 1])
def test_no_grey_zone_note_outside_the_gap(ki67):
    assert not any("gap" in n for n in grade(ki67, 0, 2010).notes)


# --- Mitotic boundaries -------------------------------------------------------------

MITOSES = [
    (0, 1), (1, 1), (1.99, 1), (2, 2), (2.01, 2), (20, 2), (20.01, 3), (21, 3), (150, 3),
]


@pytest.mark.parametrize("edition", EDITION_KEYS)
@pytest.mark.parametrize("mitoses, expected_grade", MITOSES)
def test_mitotic_boundaries(edition, mitoses, expected_grade):
    r = grade(1, mitoses, edition)  # Ki-67 1 % => Ki-67 grade G1
    assert r.mitotic_grade == expected_grade
    assert r.grade == expected_grade


# --- The higher index wins ----------------------------------------------------------

def test_mitoses_raise_grade_above_ki67():
    r = grade(12, 25, 2019)
    assert (r.category, r.grade, r.decided_by) == ("NET G3", 3, "mitotic count")
    assert (r.ki67_grade, r.mitotic_grade) == (2, 3)
    assert any("disagree" in n for n in r.notes)


def test_ki67_raises_grade_above_mitoses():
    r = grade(25, 1, 2019)
    assert (r.category, r.decided_by) == ("NET G3", "Ki-67")


def test_concordant_indices():
    r = grade(8, 5, 2019)
    assert (r.category, r.decided_by) == ("NET G2", "both indices")
    assert not any("disagree" in n for n in r.notes)


def test_one_index_missing_grades_on_the_other_and_says_so():
    r = grade(8, None, 2019)
    assert (r.category, r.decided_by, r.mitotic_grade) == ("NET G2", "Ki-67", None)
    assert any("rests on Ki-67 alone" in n for n in r.notes)
    r = grade(None, 25, 2019)
    assert (r.category, r.decided_by, r.ki67_grade) == ("NET G3", "mitotic count", None)


# --- Differentiation: NET G3 versus NEC ----------------------------------------------

@pytest.mark.parametrize("edition", ["2017", "2019", "2022"])
def test_differentiation_separates_net_g3_from_nec(edition):
    assert grade(35, 8, edition, "well").category == "NET G3"
    r = grade(35, 8, edition, "poorly", nec_subtype="large-cell")
    assert (r.category, r.grade, r.decided_by) == ("NEC, large-cell", 3, "morphology")
    assert grade(80, 40, edition, "poorly", nec_subtype="small-cell").category == (
        "NEC, small-cell"
    )
    assert grade(80, 40, edition, "poorly").category == "NEC, subtype not stated"


def test_2010_calls_every_grade_3_tumour_nec():
    r = grade(35, 8, 2010, "well")
    assert r.category == "NEC G3"
    assert any("NET G3" in n for n in r.notes)
    assert grade(35, 8, 2010, "poorly", nec_subtype="small-cell").category == "NEC G3, small-cell"


@pytest.mark.parametrize("edition", ["2017", "2019", "2022"])
def test_nec_is_high_grade_by_definition_even_with_low_indices(edition):
    r = grade(10, 3, edition, "poorly", nec_subtype="large-cell")
    assert r.grade == 3 and r.category == "NEC, large-cell"
    assert any("unusual" in n for n in r.notes)


# --- A poorly differentiated tumour is never a NET ---------------------------------------
# WHO 2010 has NETs (well differentiated, G1/G2) and NEC (G3); a poorly differentiated
# carcinoma with lower indices fits neither, so it must come back unclassifiable, with why.

AROUND_EVERY_BOUNDARY = [0, 1, 1.99, 2, 2.01, 2.5, 2.99, 3, 3.01, 15, 19.99, 20, 20.01, 21,
                         55, 100]


@pytest.mark.parametrize("ki67", AROUND_EVERY_BOUNDARY)
@pytest.mark.parametrize("mitoses", [None, 0, 1.99, 2, 20, 20.01, 21, 150])
@pytest.mark.parametrize("edition", EDITION_KEYS)
def test_poorly_differentiated_is_never_called_a_net(ki67, mitoses, edition):
    r = grade(ki67, mitoses, edition, "poorly")
    assert "NET" not in r.category, r.category
    g3 = ki67 > 20 or (mitoses is not None and mitoses > 20)
    if edition == "2010" and not g3:
        assert not r.classifiable
        assert r.category == (
            "Unclassifiable under WHO 2010 (poorly differentiated, indices below G3)")
        assert "no category for a poorly differentiated carcinoma" in r.rule
        assert r.prognostic_notes == ()
    else:
        assert r.classifiable and r.grade == 3
        assert r.category.startswith("NEC")


def test_the_reviewers_case_poorly_differentiated_ki67_15_under_2010():
    r = classify(differentiation="poorly", ki67=15, mitoses_per_2mm2=None, edition=2010)
    assert not r.classifiable and "NET" not in r.category
    assert r.ki67_grade == 2  # what the index alone gives, kept for the reader
    assert "no category applies" in r.summary()
    # the same tumour by a later edition: morphology decides
    assert classify(differentiation="poorly", ki67=15, mitoses_per_2mm2=None,
                    edition=2019).category == "NEC, subtype not stated"


@pytest.mark.parametrize("edition", EDITION_KEYS)
@pytest.mark.parametrize("ki67", AROUND_EVERY_BOUNDARY)
def test_well_differentiated_is_never_unclassifiable(edition, ki67):
    assert grade(ki67, 0, edition).classifiable


# --- Prognostic notes: NORDIC NEC 2 for NET G3, the 55 % observations for NEC -----------

def test_net_g3_gets_the_nordic_nec_2_note_not_the_nec_one():
    r = grade(35, 8, 2019, "well")
    assert r.category == "NET G3" and len(r.prognostic_notes) == 1
    note = r.prognostic_notes[0]
    assert "NORDIC NEC 2" in note and "negative factor" in note and "NET G3" in note
    assert "responded less often" not in note  # the NEC observation is not borrowed
    assert "below that example" in note        # Ki-67 35 % < the 55 % example


def test_nec_gets_the_ki67_55_observations():
    note = grade(70, 30, 2019, "poorly").prognostic_notes[0]
    assert "In NORDIC NEC," in note and "independent factor" in note and "above 55" in note
    assert "platinum-based first line" not in note


def test_net_g3_by_mitoses_alone_still_gets_its_note():
    r = grade(None, 25, 2019, "well")
    assert r.category == "NET G3" and "NORDIC NEC 2" in r.prognostic_notes[0]


def test_2022_carcinoma_says_necs_are_not_graded():
    r = grade(60, None, 2022, "poorly")
    assert any("no longer graded" in n and "Luo" in n for n in r.notes)
    assert not any("no longer graded" in n for n in grade(60, None, 2019, "poorly").notes)


def test_2010_well_differentiated_g3_says_trials_may_have_included_net_g3():
    r = grade(35, 8, 2010, "well")
    assert any("may have included some NET G3" in n for n in r.notes)


# --- The case report (seed 000) ------------------------------------------------------

def test_case_report_resection_is_large_cell_nec_under_2017():
    # Resection specimen: poorly differentiated, large-cell, Ki-67 55 %, WHO 2017.
    r = classify(ki67=55, mitoses_per_2mm2=None, differentiation="poorly",
                 nec_subtype="large-cell", edition=2017)
    assert (r.category, r.grade) == ("NEC, large-cell", 3)
    assert any("exactly on the 55 %" in n for n in r.prognostic_notes)


def test_case_report_fna_reading_would_have_been_net_g3():
    r = classify(ki67=55, mitoses_per_2mm2=None, differentiation="well", edition=2017)
    assert r.category == "NET G3"


# --- MiNEN ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "ne_pct, expected",
    [
        (100, "NET G2"),
        (70.01, "NET G2"),
        (70, "MiNEN (neuroendocrine component: NET G2)"),
        (50, "MiNEN (neuroendocrine component: NET G2)"),
        (30, "MiNEN (neuroendocrine component: NET G2)"),
        (29.99, "Non-neuroendocrine carcinoma with a minor neuroendocrine component"),
        (0.5, "Non-neuroendocrine carcinoma with a minor neuroendocrine component"),
    ],
)
def test_mixed_tumour_needs_each_component_at_least_30_pct(ne_pct, expected):
    assert grade(8, 5, 2019, neuroendocrine_pct=ne_pct).category == expected


def test_mixed_tumour_is_manec_in_2010():
    assert grade(50, 30, 2010, neuroendocrine_pct=50).category == (
        "MANEC (neuroendocrine component: NEC G3)"
    )


# --- Notes that must (and must not) appear --------------------------------------------

def test_55_pct_heuristic_is_only_a_prognostic_note():
    r = grade(70, 30, 2019, "poorly")
    assert r.prognostic_notes and "above 55" in r.prognostic_notes[0]
    assert not any("55" in n for n in r.notes)
    assert "below that example" in grade(30, 3, 2019, "well").prognostic_notes[0]
    assert grade(15, 3, 2019).prognostic_notes == ()


def test_2022_says_its_rules_are_unchecked():
    assert any("could not be checked" in n for n in grade(8, 1, 2022).notes)
    assert not any("could not be checked" in n for n in grade(8, 1, 2019).notes)
    assert get_edition("WHO 2022").verified is False


def test_summary_mentions_category_rule_and_notes():
    text = grade(12, 25, 2019).summary()
    assert text.startswith("NET G3 (WHO 2019")
    assert "Rule:" in text and "Note:" in text


# --- Calling conventions (bad input: tests/test_bad_input_grading.py) -------------

def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        classify(10, 1, "well", 2019)  # noqa


def test_spellings_are_accepted():
    r = classify(ki67=50, mitoses_per_2mm2=30, differentiation="Poorly differentiated",
                 nec_subtype="Large cell", edition="WHO 2019")
    assert r.category == "NEC, large-cell"


# --- Properties ----------------------------------------------------------------------

ki67s = st.floats(min_value=0, max_value=100, allow_nan=False)
mitoses = st.floats(min_value=0, max_value=500, allow_nan=False)
editions = st.sampled_from(EDITION_KEYS)
differentiations = st.sampled_from(["well", "poorly"])


@given(ki67s, ki67s, mitoses, editions, differentiations)
def test_grade_never_falls_as_ki67_rises(k1, k2, m, edition, diff):
    lo, hi = sorted((k1, k2))
    assert grade(lo, m, edition, diff).grade <= grade(hi, m, edition, diff).grade


@given(ki67s, mitoses, mitoses, editions, differentiations)
def test_grade_never_falls_as_mitoses_rise(k, m1, m2, edition, diff):
    lo, hi = sorted((m1, m2))
    assert grade(k, lo, edition, diff).grade <= grade(k, hi, edition, diff).grade


@given(ki67s, mitoses, editions)
def test_well_differentiated_grade_is_the_higher_index(k, m, edition):
    r = grade(k, m, edition)
    assert r.grade == max(r.ki67_grade, r.mitotic_grade)
    assert r.category.startswith("NET G") or r.category.startswith("NEC G3")


@given(ki67s, mitoses, st.sampled_from(["2017", "2019", "2022"]))
def test_poorly_differentiated_is_always_grade_3_from_2017(k, m, edition):
    assert grade(k, m, edition, "poorly").grade == 3


@given(ki67s, mitoses, editions)
def test_property_poorly_differentiated_is_never_a_net(k, m, edition):
    r = grade(k, m, edition, "poorly")
    assert "NET" not in r.category
    assert r.classifiable == (edition != "2010" or r.grade == 3)


@given(ki67s, mitoses, editions, differentiations)
def test_property_a_second_index_never_lowers_the_grade(k, m, edition, diff):
    # A second index can only raise the grade ("the higher of the two").
    both = grade(k, m, edition, diff).grade
    assert both >= grade(k, None, edition, diff).grade
    assert both >= grade(None, m, edition, diff).grade


@given(st.floats(allow_nan=False).filter(lambda x: x < 0 or x > 100))
def test_any_ki67_outside_0_to_100_is_refused(k):
    with pytest.raises(ValueError, match="Ki-67"):
        grade(k, 1, 2019)


# --- Mitotic count conversion ---------------------------------------------------------

def test_cap_worked_example_42_fields_of_055_mm_is_about_10_mm2():
    # CAP: with a 0.55 mm field, 42 HPF = 10 mm², so divide the count by 5.
    per_2mm2 = mitotic_count_per_2mm2(mitoses=25, fields=42, field_diameter_mm=0.55)
    assert per_2mm2 == pytest.approx(25 / 5, rel=0.01)


def test_who_50_fields_of_02_mm2_divides_by_5():
    d = 2 * math.sqrt(0.2 / math.pi)  # diameter of a 0.2 mm² field
    assert mitotic_count_per_2mm2(mitoses=40, fields=50, field_diameter_mm=d) == (
        pytest.approx(8.0)
    )
    assert mitotic_count_per_2mm2(mitoses=7, fields=10, field_diameter_mm=d) == pytest.approx(7)


def test_fractional_rate_out_whole_counts_in():
    # 17 mitoses in 50 fields of 0.55 mm: 50 x pi x 0.275^2 = 11.879 mm²; 34 / 11.879 = 2.862
    per_2mm2 = mitotic_count_per_2mm2(mitoses=17, fields=50, field_diameter_mm=0.55)
    assert per_2mm2 == pytest.approx(2.862, abs=0.001)
    # the fractional rate is accepted by classify: 2.862 mitoses per 2 mm² is mitotic G2
    assert grade(1, per_2mm2, 2019).mitotic_grade == 2


# --- Ki-67 sampling interval ------------------------------------------------------------

def wilson(p, n, z=1.959963984540054):
    # Independent textbook formula (Wilson 1927), not the statsmodels call under test.
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


@pytest.mark.parametrize("ki67, n", [(55, 500), (21, 500), (3, 2000), (0, 500), (100, 400)])
def test_ki67_interval_matches_the_wilson_formula(ki67, n):
    lo, hi = ki67_interval(ki67, cells_counted=n)
    exp_lo, exp_hi = wilson(ki67 / 100, n)
    assert lo == pytest.approx(exp_lo, abs=1e-9) and hi == pytest.approx(exp_hi, abs=1e-9)
    assert lo <= ki67 <= hi


# --- Thresholds table -----------------------------------------------------------------

def test_thresholds_table_has_one_row_per_edition_with_the_printed_cutoffs():
    table = thresholds_table()
    assert len(table) == len(EDITIONS) == 4
    by_title = {ed.key: table.loc[ed.title] for ed in EDITIONS.values()}
    assert by_title["2010"]["Ki-67 G1"] == "≤ 2 %"
    assert by_title["2010"]["Grey zone"] == "2–3 % undefined"
    assert by_title["2019"]["Ki-67 G1"] == "< 3 %"
    assert by_title["2019"]["Ki-67 G3"] == "> 20 %"
    assert by_title["2017"]["Well-differentiated G3"] == "NET G3"
    assert by_title["2010"]["Well-differentiated G3"].startswith("none")
    assert by_title["2022"]["Checked"].startswith("no")


# --- The grade map draws what classify decides ----------------------------------------------

def test_grade_map_shows_the_2010_carcinoma_gap_as_no_category():
    import matplotlib

    matplotlib.use("Agg")
    from nec.plotting import grade_map

    ax = grade_map(edition=2010, differentiation="poorly", resolution=20)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["NEC G3", "no WHO 2010 category"]
    assert not any(label.startswith("NET") for label in labels)
    # well-differentiated 2010: the Ki-67 gap is drawn, and nothing is unclassifiable
    labels = [t.get_text() for t in grade_map(edition=2010, differentiation="well",
                                              resolution=20).get_legend().get_texts()]
    assert labels == ["NET G1", "NET G2", "NEC G3", "Ki-67 2–3 %: undefined"]
