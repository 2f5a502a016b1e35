"""The second-line options explorer's logic: matching rules, completeness, bad input."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.second_line import DISCLAIMER, features, options

NAN = np.nan

# A small option table with one rule of each kind, independent of the curated data.
TABLE = pd.DataFrame(
    [
        ("rechallenge", "Platinum rechallenge", "platinum-etoposide", "nec", "none", 6.0, NAN,
         NAN, NAN, "", "practice survey only", "survey"),
        ("folfiri", "FOLFIRI", "folfiri", "nec", "none", NAN, NAN, NAN, 2.0, "", "", "trial"),
        ("pembro", "Pembrolizumab", "anti-pd1", "any", "msi_h_or_tmb_h", NAN, NAN, NAN, NAN,
         "msi_h;tmb_h", "", "basket trial"),
        ("prrt", "PRRT", "prrt", "net_g3", "sstr_positive", NAN, NAN, 55.0, NAN, "", "", "t"),
        ("cabo", "Cabozantinib", "tki", "any", "none", NAN, 20.0, 60.0, NAN, "", "a|b", "t"),
    ],
    columns=["option_id", "option", "regimen_families", "morphology", "biomarker",
             "min_interval_months", "ki67_min", "ki67_max", "max_ps", "evidence_biomarker",
             "caveats", "source"],
).set_index("option_id")

EVIDENCE = pd.DataFrame(
    [
        ("a2020", "second", "folfiri", "none", 60),
        ("b2021", "second", "anti-pd1", "msi_h", 30),
        ("c2022", "second", "anti-pd1", "none", 29),
        ("d2023", "first", "folfiri", "none", 99),
        ("e2024", "second", "tki", "none", 32),
    ],
    columns=["study_id", "line", "regimen_family", "biomarker_selection", "n_total"],
).set_index("study_id")

BASE = dict(months_since_first_line=2, ki67=80, morphology="nec", sstr_imaging="negative",
            performance_status=1, msi="mss", tmb="low")


def names(answer):
    return [o.name for o in answer.shown]


def run(**change):
    return options(evidence=EVIDENCE, table=TABLE, **(BASE | change))


def test_base_case_shows_folfiri_only_with_its_later_line_rows():
    a = run()
    assert names(a) == ["FOLFIRI"]
    folfiri = a.shown[0]
    assert list(folfiri.evidence.index) == ["a2020"]  # the first-line row is not evidence here
    assert folfiri.n_patients == 60


def test_rechallenge_needs_the_interval():
    assert "Platinum rechallenge" not in names(run(months_since_first_line=5.9))
    assert "Platinum rechallenge" in names(run(months_since_first_line=6))
    reason = next(o for o in run().not_shown if o.option_id == "rechallenge").reasons[0]
    assert "at least 6 months" in reason and "here 2" in reason


def test_biomarker_options_and_their_selected_evidence():
    assert "Pembrolizumab" not in names(run())
    a = run(msi="msi_h")
    pembro = next(o for o in a.shown if o.option_id == "pembro")
    assert list(pembro.evidence.index) == ["b2021"]  # the unselected study is excluded
    assert "Pembrolizumab" in names(run(tmb="high"))
    unknown = next(o for o in run(msi="unknown").not_shown if o.option_id == "pembro")
    assert "unknown" in unknown.reasons[0]


def test_prrt_needs_net_g3_sstr_positive_and_ki67_at_most_55():
    assert "PRRT" not in names(run(sstr_imaging="positive"))  # NEC
    assert "PRRT" in names(run(morphology="net_g3", sstr_imaging="positive", ki67=40))
    assert "PRRT" not in names(run(morphology="net_g3", sstr_imaging="positive", ki67=56))


def test_performance_status_limit_and_note():
    a = run(performance_status=3)
    assert "FOLFIRI" not in names(a)
    assert any("ECOG 0–2" in r for o in a.not_shown for r in o.reasons)
    assert any("ECOG 3–4" in n for n in a.notes)


def test_ki67_range_and_caveats():
    a = run(ki67=40)
    cabo = next(o for o in a.shown if o.option_id == "cabo")
    assert cabo.caveats == ("a", "b")
    assert "Cabozantinib" not in names(run(ki67=61))


def test_never_ranked_always_alphabetical_and_disclaimed():
    a = run(msi="msi_h", ki67=40, months_since_first_line=12)
    assert names(a) == sorted(names(a), key=str.lower)
    assert DISCLAIMER in a.summary() and "does not recommend" in DISCLAIMER


CATEGORIES = dict(morphology=["nec", "net_g3"], sstr_imaging=["positive", "negative", "unknown"],
                  msi=["msi_h", "mss", "unknown"], tmb=["high", "low", "unknown"],
                  performance_status=[0, 1, 2, 3, 4])


def test_every_combination_of_categories_gives_a_well_formed_answer():
    keys = list(CATEGORIES)
    for combo in itertools.product(*CATEGORIES.values()):
        a = run(**dict(zip(keys, combo, strict=True)))
        assert len(a.shown) + len(a.not_shown) == len(TABLE)
        assert {o.option_id for o in a.shown}.isdisjoint(o.option_id for o in a.not_shown)
        for o in a.not_shown:
            assert o.reasons and all(r for r in o.reasons)
        for o in a.shown:
            assert o.matches and o.reasons


@given(st.floats(0, 600), st.floats(0, 100), st.integers(0, 4))
def test_every_numeric_input_gives_a_well_formed_answer(interval, ki67, ps):
    a = run(months_since_first_line=interval, ki67=ki67, performance_status=ps)
    assert len(a.shown) + len(a.not_shown) == len(TABLE)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"ki67": 140}, "Ki-67"),
        ({"months_since_first_line": -1}, "first line"),
        ({"performance_status": 5}, "ECOG"),
        ({"performance_status": 1.5}, "whole number"),
        ({"morphology": "moderate"}, "morphology"),
        ({"msi": "maybe"}, "MSI"),
        ({"tmb": None}, "TMB"),
        ({"sstr_imaging": "bright"}, "receptor imaging"),
    ],
)
def test_bad_input_gives_a_clear_message(change, words):
    with pytest.raises(ValueError, match=words):
        features(**(BASE | change))


# --- The curated option table ------------------------------------------------------------------

from nec.second_line import option_table  # noqa: E402


def test_curated_options_cover_every_family_they_name():
    from nec.evidence import load_evidence

    families = set(load_evidence()["regimen_family"].dropna())
    for option_id, row in option_table().iterrows():
        for family in filter(None, (row["regimen_families"] or "").split(";")):
            assert family in families, (option_id, family)
        assert row["source"]


def test_curated_answer_for_a_typical_nec_patient():
    a = options(months_since_first_line=2, ki67=80, morphology="nec", sstr_imaging="negative",
                performance_status=1, msi="mss", tmb="low")
    shown = {o.option_id for o in a.shown}
    assert {"folfiri", "nal_iri", "temozolomide"} <= shown
    assert {"pd1_selected", "prrt", "rechallenge", "cabozantinib"}.isdisjoint(shown)
    folfiri = next(o for o in a.shown if o.option_id == "folfiri")
    assert set(folfiri.evidence.index) >= {"walter2023_folfiri", "walter2023_folfiribev"}
    assert (folfiri.evidence["line"] != "first").all()


def test_curated_answer_for_the_case_report_patient_at_recurrence():
    # 33 months recurrence-free after adjuvant EC, Ki-67 50 % on the recurrence biopsy,
    # 68Ga-DOTATATE negative, ECOG 0 (seed 000); MSI and TMB not reported.
    a = options(months_since_first_line=33, ki67=50, morphology="nec",
                sstr_imaging="negative", performance_status=0, msi="unknown", tmb="unknown")
    shown = {o.option_id for o in a.shown}
    assert {"rechallenge", "temozolomide", "cabozantinib", "docetaxel"} <= shown
    pembro = next(o for o in a.not_shown if o.option_id == "pd1_selected")
    assert "unknown" in pembro.reasons[0]


def test_curated_msi_high_patient_sees_the_selected_pembrolizumab_rows_only():
    a = options(months_since_first_line=2, ki67=80, morphology="nec", sstr_imaging="negative",
                performance_status=1, msi="msi_h", tmb="unknown")
    pembro = next(o for o in a.shown if o.option_id == "pd1_selected")
    assert len(pembro.evidence) >= 1
    assert set(pembro.evidence["biomarker_selection"]) <= {"msi_h", "tmb_h"}
