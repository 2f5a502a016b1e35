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
    assert any("rests on Ki-67 alone" in n and "could only raise it" in n for n in r.notes)
    r = grade(None, 8, 2019)
    assert any("rests on the mitotic count alone" in n for n in r.notes)
    # the uncited "usually the more sensitive index" is gone (review 1, finding 12)
    assert not any("sensitive" in n for n in r.notes)
    r = grade(None, 25, 2019)
    assert (r.category, r.decided_by, r.ki67_grade) == ("NET G3", "mitotic count", None)


@pytest.mark.parametrize("ki67, mitoses, edition, differentiation", [
    (55, None, 2017, "well"),     # the case's aspirate reading: Ki-67 55 % is already G3
    (35, None, 2010, "well"),     # a 2010 NEC G3 on Ki-67 alone
    (35, None, 2010, "poorly"),
    (None, 25, 2019, "well"),     # mitoses 25 per 2 mm² are already G3
    (None, 25, 2010, "poorly"),
])
def test_no_could_only_raise_it_note_when_the_index_is_already_g3(ki67, mitoses, edition,
                                                                   differentiation):
    # Review 1, finding 9: at G3 a missing second index cannot raise anything.
    r = grade(ki67, mitoses, edition, differentiation)
    assert r.grade == 3
    assert not any("could only raise" in n for n in r.notes), r.notes


@pytest.mark.parametrize("edition", ["2017", "2019", "2022"])
def test_a_carcinoma_gets_no_higher_index_wins_note(edition):
    # Review 1, finding 9: Ki-67 60 % (G3) and 2.86 mitoses (G2) on a carcinoma: the grade is
    # set by the morphology, so "the higher grade, G3, is assigned" would name a rule that
    # did not decide it. The same indices on a NET keep the note.
    nec = grade(60, 2.86, edition, "poorly")
    assert nec.decided_by == "morphology"
    assert not any("disagree" in n or "higher grade" in n for n in nec.notes), nec.notes
    net = grade(60, 2.86, edition, "well")
    assert any("the higher grade, G3, is assigned" in n for n in net.notes)
    # WHO 2010 grades a carcinoma by its indices, so there the note stays
    assert any("the higher grade, G3" in n for n in grade(60, 2.86, 2010, "poorly").notes)


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


@pytest.mark.parametrize("edition", [2017, 2019, 2022])
@pytest.mark.parametrize("ki67", [15, 0.5, 20])
def test_a_carcinoma_below_the_g3_ki67_range_gets_no_nordic_note(edition, ki67):
    # Review 2, finding 2: the NORDIC cohorts described grade-3 tumours (Ki-67 > 20 %);
    # comparing Ki-67 15 % with their 55 % cut-off takes their findings outside them.
    r = grade(ki67, None, edition, "poorly")
    assert r.category.startswith("NEC") and r.prognostic_notes == ()
    assert "below 55" not in r.summary()


def test_a_carcinoma_just_above_the_g3_ki67_range_keeps_its_note():
    assert "Ki-67 20.1 % is below 55 %" in grade(20.1, None, 2019, "poorly").prognostic_notes[0]


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
        (29.99, "Non-neuroendocrine neoplasm with a minor neuroendocrine component"),
        (0.5, "Non-neuroendocrine neoplasm with a minor neuroendocrine component"),
    ],
)
def test_mixed_tumour_needs_each_component_at_least_30_pct(ne_pct, expected):
    assert grade(8, 5, 2019, neuroendocrine_pct=ne_pct).category == expected


@pytest.mark.parametrize("differentiation, ki67, edition", [
    ("well", 30, 2019), ("poorly", 30, 2019), ("poorly", 60, 2017), ("well", 35, 2010),
])
def test_a_minor_neuroendocrine_part_names_no_neuroendocrine_tumour(differentiation, ki67,
                                                                    edition):
    # Review 1, finding 5: at 10 % neuroendocrine the tumour is named by its other part, so
    # the NET G3 rule ("it is not a carcinoma") and the NORDIC NEC / NEC 2 notes (cohorts of
    # NET G3 and NEC) do not describe it.
    r = grade(ki67, None, edition, differentiation, neuroendocrine_pct=10)
    assert r.category == "Non-neuroendocrine neoplasm with a minor neuroendocrine component"
    assert "carcinoma" not in r.category
    assert r.minor_neuroendocrine
    assert r.rule.startswith("The neuroendocrine component (10 %) is under 30 %")
    assert "it is not a carcinoma" not in r.rule and "every grade-3" not in r.rule
    assert r.prognostic_notes == ()
    # A poorly differentiated part under WHO 2019 is a carcinoma: high grade, no G number
    # (clinical review 5, minor 9); the other editions and a NET part keep their G3.
    if differentiation == "poorly" and edition == 2019:
        assert "the neuroendocrine part high grade by definition, no G number" in r.summary()
    else:
        assert "the neuroendocrine part's grade G3" in r.summary()


def test_a_mixed_tumour_keeps_its_prognostic_note():
    r = grade(60, None, 2019, "poorly", neuroendocrine_pct=40)
    assert not r.minor_neuroendocrine and "In NORDIC NEC," in r.prognostic_notes[0]


def test_a_2010_manec_whose_carcinoma_has_no_category_says_so_in_a_sentence():
    # Review 2, finding 5: no nested "Unclassifiable under WHO 2010 (...)" label.
    r = grade(10, None, 2010, "poorly", neuroendocrine_pct=50)
    assert r.category == "MANEC; its neuroendocrine component has no WHO 2010 category"
    assert not r.classifiable and "Unclassifiable" not in r.summary()


def test_a_minor_2010_neuroendocrine_part_with_no_category_is_not_nested_either():
    r = grade(10, None, 2010, "poorly", neuroendocrine_pct=10)
    assert r.category == "Non-neuroendocrine neoplasm with a minor neuroendocrine component"
    assert "Unclassifiable" not in r.summary()
    assert any("that part by itself would have no WHO 2010 category" in n for n in r.notes)


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
    with pytest.raises(ValueError, match=r"classify\(\) takes its values by name"):
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


# The oracle is statsmodels' proportion_confint(x, n, alpha, method="wilson") (a test extra),
# which nec.grading no longer calls; non-integer x (50 % of 7 cells) and other levels included.
@pytest.mark.parametrize("ki67, n, level", [
    (55, 500, 0.95), (22, 500, 0.95), (21, 500, 0.95), (3, 2000, 0.95), (0, 500, 0.95),
    (100, 400, 0.95), (50, 7, 0.95), (33.3, 123, 0.90), (55, 500, 0.99), (1.5, 1_000_000, 0.8),
    (99.9, 1000, 0.5),
])
def test_ki67_interval_matches_statsmodels_to_1e_12(ki67, n, level):
    from statsmodels.stats.proportion import proportion_confint

    exp_lo, exp_hi = proportion_confint(ki67 / 100 * n, n, alpha=1 - level, method="wilson")
    lo, hi = ki67_interval(ki67, cells_counted=n, level=level)
    assert lo == pytest.approx(min(max(100 * exp_lo, 0.0), ki67), abs=1e-12)
    assert hi == pytest.approx(max(min(100 * exp_hi, 100.0), ki67), abs=1e-12)


def test_ki67_interval_by_hand_for_22_pct_of_500():
    # Worked by hand: p = 0.22, n = 500, z = 1.959964; z²/n = 0.0076829;
    # centre = (0.22 + 0.0038415) / 1.0076829 = 0.222135; half-width =
    # 1.959964 × √(0.22 × 0.78 / 500 + 0.0000038415) / 1.0076829 = 0.036234,
    # so 18.59–25.84 %.
    lo, hi = ki67_interval(22, cells_counted=500)
    assert round(lo, 2) == 18.59 and round(hi, 2) == 25.84


def test_classify_conversion_and_interval_need_no_numpy_pandas_or_statsmodels():
    # The live book runs these three in the browser, where the heavy libraries are not loaded.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nec.grading import classify, ki67_interval, mitotic_count_per_2mm2\n"
        "classify(ki67=30, mitoses_per_2mm2=3, differentiation='well', edition=2019,"
        " neuroendocrine_pct=40)\n"
        "classify(ki67=60, mitoses_per_2mm2=None, differentiation='poorly', edition=2010)\n"
        "ki67_interval(22, cells_counted=500, level=0.9)\n"
        "mitotic_count_per_2mm2(mitoses=17, fields=50, field_diameter_mm=0.55)\n"
        "try:\n    ki67_interval(-1, cells_counted=5)\nexcept ValueError:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'statsmodels', 'scipy')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


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
    # Review 1, finding 3: say where each edition's cut-offs were read, not "Checked: yes".
    assert "Checked" not in table.columns
    read_in = table["Cut-offs read in"]
    assert read_in[EDITIONS["2017"].title] == "Thomas et al. 2019 (The Oncologist review)"
    assert read_in[EDITIONS["2010"].title].startswith("secondary table (Drug Des Devel Ther 2016")
    assert read_in[EDITIONS["2019"].title].startswith("secondary tables (UpToDate")
    assert read_in[EDITIONS["2022"].title].startswith("not read")


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


def test_grade_map_stops_the_2010_gap_at_the_mitotic_g3_cutoff():
    # Review 1, finding 15: above 20 mitoses per 2 mm² the tumour is G3 whatever its Ki-67,
    # so the hatched 2010 band must end at 20, not run to the top of the map.
    import matplotlib

    matplotlib.use("Agg")
    from nec.plotting import grade_map

    ax = grade_map(edition=2010, differentiation="well", resolution=20)
    bands = [p for p in ax.patches if p.get_hatch() == "///"]
    assert len(bands) == 1
    (x0, y0), (x1, y1) = bands[0].get_bbox().get_points()
    assert (x0, x1) == pytest.approx((2, 3)) and y1 == pytest.approx(20)


def test_grade_map_names_the_carcinoma_subtype_it_is_given():
    # Review 1, finding 15: the case's figure is a large-cell NEC, not "subtype not stated".
    import matplotlib

    matplotlib.use("Agg")
    from nec.plotting import grade_map

    ax = grade_map(edition=2017, differentiation="poorly", nec_subtype="large-cell",
                   resolution=12, point=(55, None, "case"))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "NEC, large-cell" and not any("not stated" in x for x in labels)


@pytest.mark.parametrize("edition, expected", [
    (2010, "grade G3"), (2017, "grade G3"),  # WHO 2017 (pancreas) wrote G3 for a PanNEC
    (2019, "high grade by definition, no G number"),
    (2022, "high grade by definition, no G number"),
])
def test_a_carcinoma_gets_a_g_number_only_where_its_edition_gives_one(edition, expected):
    # clinical_facts.md 1.3: from WHO 2019 NECs are not formally graded, high grade by
    # definition (clinical review 5, minor 9: the summary said "grade G3" for a WHO 2019 NEC).
    r = grade(60, None, edition, "poorly")
    assert r.grade == 3
    assert r.grade_text == expected
    assert f"; {expected}, decided by" in r.summary()
    well = grade(60, None, edition, "well")
    assert well.grade_text == "grade G3"
