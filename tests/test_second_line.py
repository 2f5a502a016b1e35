"""The second-line options explorer's logic: matching rules, counting, clocks, the case data."""

import csv
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.second_line import (
    DISCLAIMER,
    NET_G3_NOT_COVERED,
    case_clocks,
    months_between,
    option_table,
    options,
    population_text,
    read_records,
    secondary_only,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def option(option_id, name, families="", morphology="any", biomarker="none", interval=None,
           ki67_min=None, ki67_max=None, max_ps=None, kind="treatment", liver="",
           evidence_biomarker="", overlapping="", caveats="", reason=""):
    return dict(option_id=option_id, option=name, kind=kind, regimen_families=families,
                morphology=morphology, morphology_reason=reason or None, biomarker=biomarker,
                min_platinum_free_months=interval, ki67_min=ki67_min, ki67_max=ki67_max,
                max_ps=max_ps, liver_caution=liver or None,
                evidence_biomarker=evidence_biomarker or None,
                overlapping_rows=overlapping or None, caveats=caveats or None, source="test")


# A small option table with one rule of each kind, independent of the curated data.
TABLE = [
    option("rechallenge", "Platinum rechallenge", morphology="nec", interval=6.0,
           caveats="practice survey only"),
    option("folfiri", "FOLFIRI", "folfiri", morphology="nec", max_ps=2,
           liver="irinotecan is metabolised in the liver"),
    option("pembro", "Pembrolizumab", "anti-pd1", biomarker="msi_h_or_tmb_h",
           evidence_biomarker="msi_h;tmb_h", overlapping="b2020+b2025"),
    option("prrt", "PRRT", "prrt", morphology="net_g3", biomarker="sstr_positive",
           ki67_max=55.0, reason="not recommended for NEC"),
    option("cabo", "Cabozantinib", "tki", ki67_min=20.0, ki67_max=60.0, caveats="a|b"),
    option("bsc", "Best supportive care", kind="supportive", max_ps=4),
]


def arm(study_id, line, family, selection, n_total, n_nec):
    return dict(study_id=study_id, line=line, regimen_family=family,
                biomarker_selection=selection, n_total=n_total, n_nec=n_nec)


EVIDENCE = [
    arm("a2020", "second", "folfiri", "none", 60, 60),
    arm("b2020", "second_or_later", "anti-pd1", "msi_h", 30, 4),
    arm("b2025", "second_or_later", "anti-pd1", "msi_h", 50, 6),   # update of b2020
    arm("c2022", "second", "anti-pd1", "none", 29, 29),
    arm("d2023", "first", "folfiri", "none", 99, 99),
    arm("e2024", "not_stated", "tki", "none", 32, None),
]

BASE = dict(platinum_free_months=2, ki67=80, morphology="nec", sstr_imaging="negative",
            performance_status=1, msi="mss", tmb="low", liver_function="normal")


def names(answer):
    return [o.name for o in answer.shown]


def run(**change):
    return options(evidence=EVIDENCE, table=TABLE, **(BASE | change))


def test_base_case_shows_folfiri_with_its_later_line_rows_only():
    a = run()
    assert names(a) == ["Best supportive care", "FOLFIRI"]
    folfiri = next(o for o in a.shown if o.option_id == "folfiri")
    assert [r["study_id"] for r in folfiri.evidence] == ["a2020"]  # not the first-line row
    assert folfiri.n_nec == 60 and folfiri.warnings == ()


def test_rechallenge_needs_more_than_six_months_from_the_end_of_platinum():
    # The 2017 survey asked about "more than 6 months": exactly 6 does not qualify.
    assert "Platinum rechallenge" not in names(run(platinum_free_months=5.9))
    assert "Platinum rechallenge" not in names(run(platinum_free_months=6))
    assert "Platinum rechallenge" in names(run(platinum_free_months=6.5))
    reason = next(o for o in run().not_shown if o.option_id == "rechallenge").reasons[0]
    assert "more than 6 months have passed since the end of the last platinum course" in reason
    assert "here 2" in reason


def test_ki67_lower_bound_is_exclusive_and_a_non_g3_value_gets_a_note():
    # G3 begins above 20 % (seed 001): cabozantinib (20-60 %) is not shown at exactly 20.
    assert "Cabozantinib" not in names(run(ki67=20))
    assert "Cabozantinib" in names(run(ki67=20.5))
    reason = next(o for o in run(ki67=20).not_shown if o.option_id == "cabo").reasons[0]
    assert "above 20 % up to 60 %" in reason
    assert any("not above 20 %" in n for n in run(ki67=20).notes)
    assert not any("not above 20 %" in n for n in run(ki67=21).notes)


def test_outside_scope_lists_a_covered_option_as_not_stated():
    table = TABLE + [option("netrx", "A NET treatment", morphology="net_g3")]
    table[-1]["outside_scope"] = "NET treatment is outside this book's scope"
    a = options(evidence=EVIDENCE, table=table, **(BASE | {"morphology": "net_g3",
                                                          "ki67": 40}))
    netrx = next(o for o in a.not_stated if o.option_id == "netrx")
    assert netrx.reasons == ("NET treatment is outside this book's scope",)
    a = options(evidence=EVIDENCE, table=table, **BASE)  # a NEC: the morphology reason
    assert "netrx" in {o.option_id for o in a.not_shown}


def test_overlapping_reports_are_counted_once_with_the_larger_nec_count():
    pembro = next(o for o in run(msi="msi_h").shown if o.option_id == "pembro")
    assert [r["study_id"] for r in pembro.evidence] == ["b2020", "b2025"]
    assert pembro.n_nec == 6  # max(4, 6), never 4 + 6


def test_rows_without_an_nec_count_add_nothing_and_are_counted_apart():
    cabo = next(o for o in run(ki67=40).shown if o.option_id == "cabo")
    assert cabo.n_nec == 0 and cabo.arms_without_nec_count == 1
    assert cabo.caveats == ("a", "b")
    assert "Cabozantinib" not in names(run(ki67=61))


def test_answer_counts_distinct_arms_and_nec_patients():
    c = run(msi="msi_h", ki67=40).counts()
    # shown: bsc, cabo (e2024: no NEC count), folfiri (a2020: 60), pembro (b2020/b2025: 6)
    assert c == {"options_shown": 4, "options_not_stated": 0, "options_not_shown": 2,
                 "arms": 4, "nec_patients": 66, "arms_without_nec_count": 1,
                 "nec_patients_secondary_only": 0}


def test_prrt_is_never_shown_for_a_nec_and_gives_the_sources_reason():
    a = run(sstr_imaging="positive")
    assert "PRRT" not in names(a)
    prrt = next(o for o in a.not_shown if o.option_id == "prrt")
    assert prrt.reasons[0] == "not recommended for NEC"
    assert "PRRT" in names(run(morphology="net_g3", sstr_imaging="positive", ki67=40))
    assert "PRRT" not in names(run(morphology="net_g3", sstr_imaging="positive", ki67=56))


def test_a_blank_performance_status_limit_is_not_stated_beyond_ecog_1():
    one = run(performance_status=1, ki67=40)
    assert "Cabozantinib" in names(one)
    cabo = next(o for o in one.shown if o.option_id == "cabo")
    assert cabo.ps_text == "ECOG enrolled: not stated in the sources"
    for ps in (2, 3, 4):
        a = run(performance_status=ps, ki67=40)
        assert "Cabozantinib" not in names(a)
        cabo = next(o for o in a.not_stated if o.option_id == "cabo")
        assert f"ECOG {ps}" in cabo.reasons[0] and "do not state" in cabo.reasons[0]


def test_stated_limit_excludes_and_supportive_care_covers_everyone():
    a = run(performance_status=3)
    assert names(a) == ["Best supportive care"]
    assert any("ECOG 0–2" in r for o in a.not_shown for r in o.reasons)
    assert any("ECOG 3–4" in n for n in a.notes)
    assert names(run(performance_status=4)) == ["Best supportive care"]


def test_liver_caution_is_a_warning_on_the_irinotecan_option():
    impaired = next(o for o in run(liver_function="impaired").shown if o.option_id == "folfiri")
    assert impaired.warnings == ("Liver function impaired: irinotecan is metabolised in the "
                                 "liver.",)
    unknown = next(o for o in run(liver_function="unknown").shown if o.option_id == "folfiri")
    assert unknown.warnings[0].startswith("Liver function not entered")


def test_never_ranked_always_alphabetical_and_disclaimed():
    a = run(msi="msi_h", ki67=40, platinum_free_months=12)
    assert names(a) == sorted(names(a), key=str.lower)
    assert DISCLAIMER in a.summary() and "does not recommend" in DISCLAIMER


def test_a_dataframe_gives_the_same_answer_as_records():
    import pandas as pd

    frame_answer = options(evidence=pd.DataFrame(EVIDENCE).set_index("study_id"),
                           table=pd.DataFrame(TABLE).set_index("option_id"), **BASE)
    assert names(frame_answer) == names(run())


CATEGORIES = dict(morphology=["nec", "net_g3"], sstr_imaging=["positive", "negative", "unknown"],
                  msi=["msi_h", "mss", "unknown"], tmb=["high", "low", "unknown"],
                  performance_status=[0, 1, 2, 3, 4],
                  liver_function=["normal", "impaired", "unknown"])


def test_every_combination_of_categories_gives_a_well_formed_answer():
    keys = list(CATEGORIES)
    for combo in itertools.product(*CATEGORIES.values()):
        a = run(**dict(zip(keys, combo, strict=True)))
        groups = (a.shown, a.not_stated, a.not_shown)
        assert sum(len(g) for g in groups) == len(TABLE)
        ids = [o.option_id for g in groups for o in g]
        assert len(ids) == len(set(ids))
        assert all(o.reasons and all(o.reasons) for g in groups for o in g)
        assert "bsc" in {o.option_id for o in a.shown}  # supportive care is never left out


@given(st.floats(0, 240), st.floats(0, 100), st.integers(0, 4))
def test_every_numeric_input_gives_a_well_formed_answer(interval, ki67, ps):
    a = run(platinum_free_months=interval, ki67=ki67, performance_status=ps)
    assert len(a.shown) + len(a.not_stated) + len(a.not_shown) == len(TABLE)


@given(st.floats(0, 240), st.floats(0, 240))
def test_a_longer_platinum_free_interval_never_removes_an_option(a, b):
    short, long_ = sorted((a, b))
    assert set(names(run(platinum_free_months=short))) <= set(names(
        run(platinum_free_months=long_)))


# --- The curated tables, counted here from the CSV files, not by the code under test --------

def _csv(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _expected_counts(shown_ids):
    """Arms and NEC patients behind the shown options, counted straight from the CSVs."""
    later = {"second", "third_or_later", "second_or_later", "not_stated"}
    rows = {}
    groups = []
    for opt in _csv("second_line_options"):
        if opt["option_id"] not in shown_ids:
            continue
        families = [f for f in opt["regimen_families"].split(";") if f]
        selection = [s for s in opt["evidence_biomarker"].split(";") if s]
        for r in _csv("evidence"):
            if r["line"] in later and r["regimen_family"] in families and (
                    not selection or r["biomarker_selection"] in selection):
                rows[r["study_id"]] = r
        groups += [g.split("+") for g in opt["overlapping_rows"].split(";") if g]
    # Rows read only in a secondary source (tag S, no [V] part in the source) are counted
    # apart, never added to the NEC patients.
    unchecked = {s for s, r in rows.items() if r["evidence_tag"] == "S" and "[V" not in r["source"]}
    secondary = sum(int(rows[s]["n_nec"]) for s in unchecked if rows[s]["n_nec"])
    rows_checked = {s: r for s, r in rows.items() if s not in unchecked}
    grouped = {s for g in groups for s in g}
    nec = sum(int(r["n_nec"]) for s, r in rows_checked.items() if r["n_nec"] and s not in grouped)
    for g in groups:
        known = [int(rows_checked[s]["n_nec"]) for s in g
                 if s in rows_checked and rows_checked[s]["n_nec"]]
        nec += max(known) if known else 0
    return {"arms": len(rows), "nec_patients": nec,
            "arms_without_nec_count": sum(1 for r in rows.values() if not r["n_nec"]),
            "nec_patients_secondary_only": secondary}


@pytest.mark.parametrize("patient", [
    dict(BASE, msi="unknown", tmb="unknown", liver_function="unknown"),  # explorer's start
    dict(BASE, msi="msi_h"),
    dict(BASE, ki67=40, platinum_free_months=12, sstr_imaging="positive", morphology="net_g3"),
    dict(BASE, performance_status=3),
])
def test_summary_counts_match_the_data_files(patient):
    a = options(**patient)
    c = a.counts()
    expected = _expected_counts({o.option_id for o in a.shown})
    assert {k: c[k] for k in expected} == expected
    assert f"{c['nec_patients']} NEC patients" in a.summary()


def test_the_explorers_start_counts_the_printed_nec_patients():
    # Hand count from data/evidence.csv for the explorer's starting patient: FOLFIRI
    # 19 + 68 + 65; nal-IRI 29; docetaxel 29; FOLFOX 20; temozolomide 25 + 28 + 13 + 27;
    # 28 + 13 + 27 (Welin 2011's 25 do not count: NEC and NET G3 not separated);
    # PD-1 unselected (Raj A 14, Raj B 22, spartalizumab 21 GEP-NEC from seed 002);
    # anti-PD-1 + CTLA-4 (DART 18, results [V]). The DLL3 engager's 60 (obrixtamig, read
    # only in a secondary source, clinical_facts.md 3.4 [S]) are counted apart.
    a = options(**dict(BASE, msi="unknown", tmb="unknown", liver_function="unknown"))
    assert a.counts()["nec_patients"] == 152 + 29 + 29 + 20 + 68 + 57 + 18
    assert a.counts()["nec_patients_secondary_only"] == 60
    assert "60 more NEC patients in rows read only in a secondary source" in a.summary()
    dll3 = next(o for o in a.shown if o.option_id == "dll3")
    assert (dll3.n_nec, dll3.n_nec_secondary_only) == (0, 60)


def test_keynote_158_rows_add_no_nec_patients_and_are_one_cohort():
    a = options(**dict(BASE, msi="msi_h"))
    pembro = next(o for o in a.shown if o.option_id == "pd1_selected")
    assert {r["study_id"] for r in pembro.evidence} == {"marabelle2020", "marabelle2025"}
    assert pembro.n_nec == 0 and pembro.arms_without_nec_count == 2
    assert ("marabelle2020", "marabelle2025") in pembro.overlapping


def test_curated_options_cover_every_family_they_name():
    families = {r["regimen_family"] for r in read_records("evidence")}
    ids = {r["study_id"] for r in read_records("evidence")}
    for row in option_table():
        for family in filter(None, (row["regimen_families"] or "").split(";")):
            assert family in families, (row["option_id"], family)
        for group in filter(None, (row["overlapping_rows"] or "").split(";")):
            assert set(group.split("+")) <= ids, row["option_id"]
        assert row["source"]


def test_curated_prrt_agrees_with_the_evidence_for_nec():
    # Seed 001: PRRT is not recommended for GEP-NEC; receptor-positive imaging does not
    # bring it in for a NEC, a well-differentiated morphology does.
    nec = options(**dict(BASE, sstr_imaging="positive"))
    prrt = next(o for o in nec.not_shown if o.option_id == "prrt")
    # The reason is the lack of trials (seed 001: "no prospective research studies ..."), the
    # 7-patient subgroup is the evidence cited beside it (clinical review 5, minor 3).
    assert "do not recommend PRRT for GEP-NEC, because no prospective study" in prrt.reasons[0]
    assert "71.4 %" in prrt.reasons[0] and "one of them a NEC that responded" in prrt.reasons[0]
    # For a NET G3 it is a NET treatment, outside the book's scope: "not stated", never
    # "covering", at any Ki-67.
    for ki67 in (40, 80):
        net = options(**dict(BASE, sstr_imaging="positive", morphology="net_g3", ki67=ki67))
        prrt = next(o for o in net.not_stated if o.option_id == "prrt")
        assert "outside this book's scope" in prrt.reasons[0]
    # The 7-patient high-grade subgroup is not counted as NEC.
    ezziddin = next(r for r in read_records("evidence")
                    if r["study_id"] == "ezziddin2011_ki67high")
    assert ezziddin["n_nec"] is None and ezziddin["pd_pct"] == 71.4


def test_curated_mixed_grade_rows_give_no_nec_count_and_seed_002_figures_are_used():
    rows = {r["study_id"]: r for r in read_records("evidence")}
    for study in ("welin2011", "sorbye2013_secondline", "ezziddin2011_ki67high"):
        assert rows[study]["n_nec"] is None, study
        assert rows[study]["population_grade"] == "high_grade_mixed", study
    spartalizumab = rows["spartalizumab_nen"]  # seed 002: 21 GEP-NECs, 4.8 %, 1.8, 6.8
    assert (spartalizumab["n_nec"], spartalizumab["response_rate_pct"],
            spartalizumab["median_pfs_months"], spartalizumab["median_os_months"]) == (
        21, 4.8, 1.8, 6.8)
    assert "irinotecan or paclitaxel" in rows["raj_partb"]["regimen"]


def test_curated_tmb_high_alone_lists_no_immunotherapy_and_says_why():
    a = options(**dict(BASE, msi="mss", tmb="high"))
    assert "pd1_selected" in {o.option_id for o in a.not_shown}
    assert any("secondary source" in n for n in a.notes)
    assert "pd1_selected" in {o.option_id for o in options(**dict(BASE, msi="msi_h")).shown}


def test_curated_rechallenge_is_not_shown_at_exactly_six_months():
    shown = {o.option_id for o in options(**dict(BASE, platinum_free_months=6)).shown}
    assert "rechallenge" not in shown
    shown = {o.option_id for o in options(**dict(BASE, platinum_free_months=6.5)).shown}
    assert "rechallenge" in shown


def test_performance_status_note_speaks_of_the_sources_transcribed():
    a = options(**dict(BASE, performance_status=3))
    assert any("transcribed so far" in n and "ECOG 0–2" in n for n in a.notes)


def test_study_rows_read_as_the_sources_print_them():
    from nec.second_line import os_clock, os_text, progression_text, regimen_text, response_text

    rows = {r["study_id"]: r for r in read_records("evidence")}
    assert response_text(rows["hadoux2015"]) == "PR 29 % (no overall rate printed)"
    assert response_text(rows["apostolidis2016"]) == "PR in 2 (no rate printed)"
    assert response_text(rows["patel2020"]) == "44 % (in 18 of the 32)"   # DART subgroup
    assert os_text(rows["patel2020"]) == "11 (all 32 patients)"
    assert response_text(rows["walter2023_folfiri"]) == "18 %"
    assert progression_text(rows["ezziddin2011_ki67high"]) == "71.4 %"
    assert os_clock(rows["mcgarrah2020"]) == "start of second-line treatment"
    assert os_clock(rows["hentic2012"]) == "not stated in the sources read"
    assert regimen_text(rows["mcnamara2023_docetaxel"]) == "docetaxel"
    from nec.second_line import LATER_LINES, REGIMEN_LABELS

    for r in rows.values():  # every later-line family has a reader's name, never the code
        if r["line"] in LATER_LINES:
            assert r["regimen_family"] in REGIMEN_LABELS, r["regimen_family"]


def test_toxicity_grades_read_as_words_never_as_a_tumour_grade():
    # "G3" on the book's pages is a WHO tumour grade; a CTCAE grade is written "grade 3".
    from nec.second_line import toxicity_text

    rows = {r["study_id"]: r for r in read_records("evidence")}
    assert toxicity_text(rows["hentic2012"]) == (
        "grade 3 neutropenia 5%; diarrhea 16%; grade 4 neutropenia without fever 11%")
    assert toxicity_text(rows["mcnamara2023_docetaxel"]) == "grade ≥ 3 AEs 55.2%"
    assert toxicity_text(rows["ferrarotto2013"]) == "grade 3, events not named 25%"
    for r in rows.values():  # no row keeps the shorthand
        text = toxicity_text(r)
        assert text is None or not re.search(r"\bG\s*[>\d]", text), text


def test_curated_answer_for_a_typical_nec_patient():
    a = options(**BASE)
    shown = {o.option_id for o in a.shown}
    assert {"folfiri", "nal_iri", "temozolomide", "bsc", "trial"} <= shown
    assert {"pd1_selected", "prrt", "rechallenge", "cabozantinib"}.isdisjoint(shown)
    folfiri = next(o for o in a.shown if o.option_id == "folfiri")
    assert {r["study_id"] for r in folfiri.evidence} >= {"walter2023_folfiri",
                                                         "walter2023_folfiribev"}
    assert all(r["line"] != "first" for r in folfiri.evidence)


def test_curated_ecog_3_shows_only_what_is_open_to_everyone():
    a = options(**dict(BASE, performance_status=3))
    assert [o.option_id for o in a.shown] == ["bsc"]
    assert "folfiri" in {o.option_id for o in a.not_shown}
    assert {"trial", "temozolomide", "docetaxel"} <= {o.option_id for o in a.not_stated}


def test_curated_case_patient_after_the_rechallenge():
    # Progression on the carboplatin-etoposide rechallenge (the first palliative line,
    # seed 000): short platinum-free interval, Ki-67 50 % at recurrence, DOTATATE negative,
    # ECOG 0; MSI, TMB and liver function not reported.
    patient = dict(ki67=50, morphology="nec", sstr_imaging="negative", performance_status=0,
                   msi="unknown", tmb="unknown", liver_function="unknown")
    a = options(platinum_free_months=0, **patient)
    shown = {o.option_id for o in a.shown}
    assert {"temozolomide", "cabozantinib", "docetaxel", "folfiri"} <= shown
    assert "rechallenge" not in shown
    assert shown == {o.option_id for o in options(platinum_free_months=5.9, **patient).shown}


# --- The case report's data and clocks ----------------------------------------------------

def _course():
    return {r["event_id"]: r for r in _csv("case_course")}


def test_months_between_is_counted_month_by_month():
    assert months_between("2021-02-18", "2023-11") == 33
    assert months_between("2020-12-31", "2021-01") == 1
    with pytest.raises(ValueError, match="no month"):
        months_between("2021", "2023-11")


def test_case_clocks_by_hand():
    c = case_clocks()
    assert c.recurrence == 33                                   # Feb 2021 -> Nov 2023
    assert c.diagnosis_earliest == pytest.approx(-48 / (365.25 / 12))  # 1 Jan -> 18 Feb
    # Second line starts after 3 rechallenge cycles of 21 days: 63 days.
    assert c.second_line_start == pytest.approx(33 + 63 / (365.25 / 12))
    # CAPTEM 8 x 28 + XELIRI 5 x 21 (irinotecan every 3 weeks, as printed) + docetaxel
    # 6 x 21 = 224 + 105 + 126 = 455 days.
    assert c.alive_from_second_line_min == pytest.approx(455 / (365.25 / 12))
    assert c.survival_from_diagnosis_min == 48
    # With no cycle assumption but the rechallenge's: 48 months from 1 Jan 2021 is at least
    # 48 - 48 days after the operation; minus the start of CAPTEM (33 months + 63 days).
    month = 365.25 / 12
    assert c.alive_after_operation_min == pytest.approx(48 - 48 / month)      # ~46.4
    assert c.alive_from_second_line_printed_min == pytest.approx(
        48 - 48 / month - 33 - 63 / month)                                     # ~11.4


def test_case_course_follows_seed_000():
    course = _course()
    assert "infiltrated the splenic vein" in course["diagnosis"]["notes"]
    assert "touching" not in course["diagnosis"]["notes"]
    assert "regional" in course["diagnosis"]["notes"]
    assert "Couinaud" in course["recurrence"]["notes"]
    assert course["docetaxel"]["regimen"] == "docetaxel 75 mg/m2 every 3 weeks"
    assert course["docetaxel"]["cycle_days"] == "21"
    assert course["docetaxel"]["cycle_days_basis"].startswith("printed")
    assert "from diagnosis" in course["overall_survival"]["notes"]
    assert "first-line palliative" in course["ec_rechallenge"]["notes"]
    assert "'additional'" in course["ec_rechallenge"]["notes"]
    assert course["xeliri"]["cycle_days"] == "21"  # irinotecan "every 3 weeks"
    assert "not from the end of this treatment" in course["adjuvant_chemotherapy"]["notes"]


# --- The timeline figure --------------------------------------------------------------------

def test_timeline_labels_do_not_overlap_and_the_33_month_line_is_labelled():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nec.plotting import case_timeline, label_overlaps, style

    c = case_clocks()
    with style():
        ax = case_timeline(read_records("case_course"), references=[
            (c.diagnosis_earliest + 15.4, "Benini 2025: median OS 15.4 months,\nfrom diagnosis"),
            (c.second_line_start + 6.2, "McGarrah 2020: median OS 6.2 months\nfrom 2nd line"),
        ])
    fig = ax.figure
    try:
        assert label_overlaps(fig) == []
        texts = [t.get_text() for t in ax.texts]
        assert any("33 months after the operation" in t for t in texts)
        assert any("radiotherapy" in t for t in texts)
        assert any("after the diagnosis" in t for t in texts)
        assert fig.get_size_inches()[0] <= 7.5
        fig.canvas.draw()
        width = fig.get_tightbbox(fig.canvas.get_renderer()).width
        assert width <= 7.5  # inches, labels included
        assert min(t.get_fontsize() for t in fig.findobj(matplotlib.text.Text)
                   if t.get_text().strip()) >= 9
        # The adjuvant course does not start on the day of the operation.
        adjuvant = min((p for p in ax.patches if p.get_width() > 0 and p.get_x() > 0),
                       key=lambda p: p.get_x())
        assert adjuvant.get_x() > 0
    finally:
        plt.close(fig)


def test_label_overlaps_finds_two_labels_on_top_of_each_other():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nec.plotting import label_overlaps

    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "first label")
    ax.text(0.52, 0.5, "second label")
    try:
        assert label_overlaps(fig) == [("first label", "second label")]
    finally:
        plt.close(fig)


# --- The chapter's checkers -------------------------------------------------------------------

from nec.exercises import check  # noqa: E402


@pytest.mark.parametrize("answer, correct, fragments", [
    (("no", "not stated"), True, ["(a) is right", "(b) is right", "71.4 %",
                                  "outside this book's scope"]),
    (("No", "Not_Stated"), True, ["(a) is right", "(b) is right"]),
    ({"a": "no", "b": "not stated"}, True, ["(b) is right"]),
    (("yes", "not stated"), False, ["(a) is not right", "(b) is right"]),
    (("no", "shown"), False, ["(a) is right", "(b) is not right"]),
    (("no", "not shown"), False, ["(a) is right", "(b) is not right"]),
    (("maybe", "age"), False, ["(a) answer 'yes' or 'no'", "(b) answer 'shown'"]),
    ("no", False, ["Give two answers"]),
    (None, False, ["Give two answers"]),
])
def test_prrt_checker_says_which_part_is_right(answer, correct, fragments):
    fb = check("secondline-prrt", answer)
    assert fb.correct is correct, fb.message
    for fragment in fragments:
        assert fragment in fb.message, (fragment, fb.message)


@pytest.mark.parametrize("exercise, answer, fragment", [
    ("secondline-exponential-6m", 60, "what the trial observed"),
    ("secondline-long-survivor", 21.2, "arithmetic, not a fact"),  # exp(-ln2 60 / 26.8)
    ("secondline-long-survivor", 73.4, "t / median"),  # 0.5 ** (26.8 / 60)
    ("secondline-long-survivor", 87.9, "60 months"),   # exp(-ln2 5 / 26.8) = 0.8787
    ("secondline-rfi", 33, "recurrence-free interval"),
    ("secondline-rfi", 26.5, "30.4375 days"),           # 33 - 2 - 6 x 21 / 28
    ("secondline-rfi", 31, "take off the cycles"),
    ("secondline-interval-option", "PRRT", "not shown for a NEC at any interval"),
    ("secondline-interval-option", "best supportive care", "shown at both intervals"),
    ("secondline-interval-option", "platinum-etoposide rechallenge", "platinum-free interval"),
    ("secondline-interval-option", "FOLFIRI after platinum", "shown at both intervals"),
    ("secondline-interval-option", "rechallenge with platinum", "progressed on it"),
])
def test_second_line_checkers_explain_common_slips(exercise, answer, fragment):
    fb = check(exercise, answer)
    assert fragment in fb.message, fb.message


def test_second_line_runs_without_pandas_or_numpy():
    # The live book will run the explorer's logic in the browser, where pandas is absent.
    import subprocess
    import sys

    code = ("import sys\n"
            "from nec.second_line import options, case_clocks\n"
            "options(platinum_free_months=2, ki67=80, morphology='nec', sstr_imaging='negative',"
            " performance_status=1, msi='mss', tmb='low', liver_function='normal')\n"
            "case_clocks()\n"
            "print('pandas' in sys.modules, 'numpy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


def test_survival_curve_figures_fit_the_column_with_legible_text():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nec.plotting import approximation_plot, median_curves, style

    with style():
        axes = [median_curves([("arm A: median 3.5 months", 3.5), ("arm B", 6.0)]),
                approximation_plot([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 1])]
    for ax in axes:
        fig = ax.figure
        try:
            fig.canvas.draw()
            assert fig.get_tightbbox(fig.canvas.get_renderer()).width <= 7.5
            sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text)
                     if t.get_text().strip()]
            assert min(sizes) >= 9
        finally:
            plt.close(fig)
    texts = [t.get_text() for t in axes[0].texts]
    assert any("Not a comparison" in t for t in texts)


def test_every_later_line_row_has_a_readable_name():
    from nec.second_line import study_label

    for r in read_records("evidence"):
        label = study_label(r)
        assert "_" not in label and label != r["study_id"] or r["first_author"], label


def test_secondary_only_rows_are_the_s_rows_with_no_primary_part():
    rows = {r["study_id"]: r for r in read_records("evidence")}
    for study in ("obrixtamig2025", "nipinec_nivo", "nipinec_nivoipi", "toripalimab_nen",
                  "avenec"):
        assert secondary_only(rows[study]), study
    # BEVANEC is a [V/S] block and DART's results are [V]: their counts are added.
    for study in ("walter2023_folfiri", "walter2023_folfiribev", "patel2020", "hentic2012",
                  "mcnamara2023_nalirifu"):
        assert not secondary_only(rows[study]), study


def test_secondary_only_nec_counts_are_counted_apart_in_a_small_table():
    evidence = EVIDENCE + [dict(arm("s2025", "not_stated", "tki", "none", 40, 40),
                                evidence_tag="S", source="a press report, via [S]")]
    a = options(evidence=evidence, table=TABLE, **(BASE | {"ki67": 40}))
    cabo = next(o for o in a.shown if o.option_id == "cabo")
    assert (cabo.n_nec, cabo.n_nec_secondary_only, cabo.arms_without_nec_count) == (0, 40, 1)
    c = a.counts()
    assert (c["nec_patients"], c["nec_patients_secondary_only"]) == (60, 40)  # a2020 only


def test_a_net_g3_sees_no_treatment_option_as_covering():
    # NET G3 treatment is outside the book's scope and the NEC-derived rows are not its evidence:
    # every treatment option is "not stated" (morphology any) or "not shown" (NEC only).
    for ki67 in (25, 40, 55):
        a = options(**dict(BASE, morphology="net_g3", ki67=ki67, sstr_imaging="positive",
                           performance_status=0, msi="unknown", tmb="unknown",
                           liver_function="unknown"))
        assert {o.option_id for o in a.shown} == {"bsc", "trial"}, ki67
        stated = {o.option_id: o for o in a.not_stated}
        for option_id in ("temozolomide", "ipi_nivo", "pd1_unselected", "prrt"):
            assert option_id in stated, (ki67, option_id)
        assert stated["temozolomide"].reasons == (NET_G3_NOT_COVERED,)
        assert "outside this book's scope" in stated["prrt"].reasons[0]
        assert "folfiri" in {o.option_id for o in a.not_shown}
    # A NEC with the same features still sees the "any" options as covering.
    nec = options(**dict(BASE, morphology="nec", ki67=40, performance_status=0))
    assert {"temozolomide", "cabozantinib"} <= {o.option_id for o in nec.shown}


def test_a_net_g3_option_of_its_own_is_not_held_back_by_the_nec_rule():
    a = run(morphology="net_g3", sstr_imaging="positive", ki67=40)
    assert "PRRT" in names(a)  # morphology net_g3, no outside_scope: its own evidence
    cabo = next(o for o in a.not_stated if o.option_id == "cabo")  # morphology any
    assert cabo.reasons == (NET_G3_NOT_COVERED,)


def test_population_text_names_the_lung_analogy_and_non_pancreatic_cohorts():
    rows = {r["study_id"]: r for r in read_records("evidence")}
    for study in ("checkmate032_nivo", "checkmate032_nivoipi"):
        assert population_text(rows[study]) == "small-cell lung cancer (an analogy, not GEP-NEC)"
    assert population_text(rows["patel2020"]) == (
        "NEN of several grades; non-pancreatic primaries only")
    assert population_text(rows["walter2023_folfiri"]) == "NEC"


def test_ipi_nivo_caveat_says_dart_and_nccn_are_non_pancreatic():
    a = options(**dict(BASE, morphology="nec", ki67=50, performance_status=0))
    ipi = next(o for o in a.shown if o.option_id == "ipi_nivo")
    assert "excluded pancreatic primaries" in ipi.caveats[0]
    assert "non-pancreatic" in ipi.caveats[0]


def test_ecog_3_leaves_folfiri_not_shown_and_blank_limits_not_stated():
    a = options(**dict(BASE, performance_status=3))
    assert "folfiri" in {o.option_id for o in a.not_shown}
    assert "temozolomide" in {o.option_id for o in a.not_stated}
    temozolomide = next(o for o in option_table() if o["option_id"] == "temozolomide")
    assert "'not transcribed', not 'no limit'" in temozolomide["caveats"]


def test_cabozantinib_for_a_net_g3_says_its_evidence_was_mostly_net_g3():
    # CABONEN enrolled 26 NET G3 and 6 "NEC Ki-67-low" of 32 (clinical_facts.md 3.2 [V]):
    # its reason for a NET G3 must not call the evidence NEC-derived.
    from nec.second_line import NET_G3_NOT_COVERED, options

    answer = options(platinum_free_months=12, ki67=40, morphology="net_g3",
                     sstr_imaging="positive", performance_status=1, msi="unknown",
                     tmb="unknown", liver_function="unknown")
    reasons = {o.option_id: o.reasons for o in answer.not_stated}
    assert "mostly NET G3" in reasons["cabozantinib"][0]
    assert reasons["cabozantinib"][0] != NET_G3_NOT_COVERED
    assert reasons["temozolomide"] == (NET_G3_NOT_COVERED,)
