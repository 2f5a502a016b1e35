"""The grading explorer, driven through its controls as a workshop participant would."""

import ipywidgets as W
import pytest

from nec.widgets import GradingExplorer, grading_explorer


def test_default_state_is_the_case_report_patient():
    ex = GradingExplorer()
    assert ex.result.category == "NEC, large-cell"
    assert "NEC, large-cell" in ex.output.value
    assert "Not a WHO criterion" in ex.output.value  # the 55 % note, labelled apart
    assert ex.mitoses.disabled  # no mitotic count in the case report


def test_moving_the_slider_changes_the_shown_category():
    ex = grading_explorer(differentiation="well", nec_subtype=None, ki67=2,
                          mitoses_per_2mm2=1, edition="2019")
    assert ex.result.category == "NET G1"
    ex.ki67_slider.value = 10
    assert ex.ki67.value == 10
    assert ex.result.category == "NET G2" and ">NET G2<" in ex.output.value
    ex.mitoses_slider.value = 30
    assert ex.result.category == "NET G3"
    assert "mitotic count" in ex.output.value


def test_choosing_well_differentiated_clears_and_disables_the_subtype():
    ex = GradingExplorer()
    ex.differentiation.value = "well"
    assert ex.nec_subtype.value == "" and ex.nec_subtype.disabled
    assert ex.result.category == "NET G3"
    ex.differentiation.value = "poorly"
    assert not ex.nec_subtype.disabled
    assert ex.result.category == "NEC, subtype not stated"


def test_edition_dropdown_changes_the_rules():
    ex = GradingExplorer(differentiation="well", nec_subtype=None, ki67=35,
                         mitoses_per_2mm2=8, edition="2019")
    assert ex.result.category == "NET G3"
    ex.edition.value = "2010"
    assert ex.result.category == "NEC G3"


def test_a_typed_bad_value_shows_the_sentence_not_a_traceback():
    ex = GradingExplorer()
    ex.ki67.value = 140
    assert ex.result is None
    assert "between 0 and 100" in ex.error
    assert "between 0 and 100" in ex.output.value and 'role="alert"' in ex.output.value
    assert ex.ki67_slider.value == 55  # the slider does not silently clamp to 100
    ex.ki67.value = 60
    assert ex.error is None and ex.result.category == "NEC, large-cell"


def test_negative_mitoses_are_refused_with_a_message():
    ex = GradingExplorer()
    ex.set(mitoses_per_2mm2=-2)
    assert "cannot be negative" in ex.output.value


def test_converter_feeds_the_mitotic_count():
    ex = GradingExplorer(differentiation="well", nec_subtype=None, ki67=1,
                         mitoses_per_2mm2=0, edition="2019")
    ex.hpf_mitoses.value, ex.hpf_fields.value, ex.hpf_diameter.value = 17, 50, 0.55
    ex.hpf_convert.click()
    assert ex.mitoses_assessed.value
    assert ex.mitoses.value == pytest.approx(2.86, abs=0.005)  # 17*2/(50*pi*0.275^2)
    assert ex.result.category == "NET G2"
    assert "2.86 per 2 mm²" in ex.hpf_message.value


def test_converter_shows_bad_field_diameter():
    ex = GradingExplorer()
    ex.hpf_diameter.value = 0
    ex.hpf_convert.click()
    assert "field diameter" in ex.hpf_message.value
    assert ex.result.category == "NEC, large-cell"  # the grading is untouched


def test_set_rejects_unknown_controls():
    with pytest.raises(ValueError, match="no control called"):
        GradingExplorer().set(size_cm=3)


def test_mixed_tumour_box_and_slider():
    ex = GradingExplorer()
    ex.neuroendocrine_pct.value = 50
    assert ex.result.category.startswith("MiNEN")
    assert ex.neuroendocrine_pct_slider.value == 50  # the slider follows the typed share
    ex.neuroendocrine_pct_slider.value = 20
    assert ex.neuroendocrine_pct.value == 20
    assert ex.result.category.startswith("Non-neuroendocrine neoplasm")


def test_unclassifiable_2010_carcinoma_is_shown_as_such():
    ex = GradingExplorer()
    ex.set(edition=2010, ki67=15)
    assert not ex.result.classifiable
    assert "Unclassifiable under WHO 2010" in ex.output.value
    assert "no WHO 2010 category" in ex.output.value and "NET" not in ex.result.category


def test_set_takes_the_spellings_the_module_takes():
    ex = GradingExplorer()
    ex.set(differentiation="Well differentiated", edition="WHO 2019", nec_subtype=None)
    assert ex.edition.value == "2019" and ex.differentiation.value == "well"
    assert ex.result.category == "NET G3"
    assert "NORDIC NEC 2" in ex.output.value  # the NET G3 note, not the NEC one
    ex.set(nec_subtype="large cell", differentiation="poorly")  # order does not matter
    assert ex.result.category == "NEC, large-cell"


# --- Dosing explorer ----------------------------------------------------------------------

from nec.widgets import DosingExplorer, dosing_explorer  # noqa: E402


def test_dosing_default_is_ec_for_an_obese_man_with_the_weight_note():
    ex = DosingExplorer()
    assert ex.sheet.regimen == "ec"
    # (140 - 66) x 115 / 72 = 118.2 mL/min; 5 x (118.2 + 25) = 716 mg
    assert ex.sheet.carboplatin.dose_mg == pytest.approx(5 * ((140 - 66) * 115 / 72 + 25))
    assert "716 mg" in ex.output.value and "BMI 37.6" in ex.output.value


def test_dosing_weight_basis_changes_the_carboplatin_dose():
    ex = dosing_explorer()
    ibw = 50 + 2.3 * (175 / 2.54 - 60)
    ex.weight.value = "ideal"
    assert ex.sheet.carboplatin.dose_mg == pytest.approx(5 * ((140 - 66) * ibw / 72 + 25))
    assert "ideal body weight" in ex.output.value


def test_dosing_thin_patient_keeps_the_actual_weight_on_screen():
    # 60 y man, 180 cm, 45 kg, creatinine 0.8: 80 x 45 / 57.6 = 62.5 mL/min for every choice
    ex = DosingExplorer(height_cm=180, weight_kg=45, age=60, creatinine=0.8, weight="adjusted")
    assert ex.sheet.crcl.ml_min == pytest.approx(62.5)
    assert "below the ideal weight" in ex.output.value
    assert "438 mg" in ex.output.value  # 5 x (62.5 + 25) = 437.5


def test_dosing_creatinine_floor_control():
    ex = DosingExplorer(age=80, creatinine=0.4, weight_kg=60, height_cm=170)
    ex.set(creatinine_floor_mg_dl=0.8)
    assert ex.creatinine_floor.value == "0.8"
    assert ex.sheet.crcl.creatinine_mg_dl == 0.8
    assert "raised to the floor of 0.8" in ex.output.value
    ex.creatinine_floor.value = "none"
    assert ex.sheet.crcl.creatinine_mg_dl == pytest.approx(0.4)


def test_dosing_measured_gfr_of_zero_is_refused_not_replaced():
    ex = DosingExplorer(gfr_ml_min=0)
    assert ex.sheet is None and "Measured GFR" in ex.error
    assert ex.use_measured_gfr.value and ex.gfr_ml_min.value == 0


def test_dosing_cap_warning_is_shown():
    ex = DosingExplorer()
    ex.set(creatinine=0.5, weight="actual")
    assert ex.sheet.carboplatin.capped
    assert "capped at 125" in ex.output.value and "750 mg" in ex.output.value


def test_dosing_measured_gfr_and_regimen_switch():
    ex = DosingExplorer()
    ex.set(gfr_ml_min=90)
    assert ex.sheet.carboplatin.dose_mg == pytest.approx(575)
    ex.regimen.value = "ep"
    assert ex.sheet.carboplatin is None and "cisplatin" in ex.output.value


@pytest.mark.parametrize(
    "change, words",
    [({"creatinine": 0}, "not a measurement"), ({"weight_kg": -70}, "Weight"),
     ({"height_cm": 1.75}, "centimetres"), ({"creatinine": 88}, "µmol/L")],
)
def test_dosing_bad_values_show_the_sentence(change, words):
    ex = DosingExplorer()
    ex.set(**change)
    assert ex.sheet is None and words in ex.error and 'role="alert"' in ex.output.value


def test_dosing_set_rejects_unknown_controls():
    with pytest.raises(ValueError, match="no control called"):
        DosingExplorer().set(ki67=3)


# --- Options explorer ----------------------------------------------------------------------------

from nec.widgets import OptionsExplorer, options_explorer  # noqa: E402


def test_options_explorer_lists_evidence_and_never_ranks():
    ex = options_explorer(msi="mss", tmb="low")
    assert "does not rank" in ex.output.value
    assert "FOLFIRI" in ex.output.value and "Not shown" in ex.output.value
    names = [o.name for o in ex.answer.shown]
    assert names == sorted(names, key=str.lower)


def test_options_explorer_shows_each_rows_population_and_evidence_tag():
    ex = OptionsExplorer()
    html = ex.output.value
    assert "Who was treated" in html and "Evidence tag" in html
    assert "S (secondary source)" in html and "V (primary source)" in html
    assert "source paper" in html
    assert "NEC count not given" in html  # e.g. the topotecan series
    assert f"{ex.answer.counts()['nec_patients']} NEC patients" in html


def test_options_explorer_reacts_to_controls():
    ex = OptionsExplorer()
    assert "rechallenge" not in {o.option_id for o in ex.answer.shown}
    ex.months_slider.value = 12
    assert ex.platinum_free_months.value == 12
    assert "rechallenge" in {o.option_id for o in ex.answer.shown}
    ex.msi.value = "msi_h"
    assert "pd1_selected" in {o.option_id for o in ex.answer.shown}
    ex.sstr_imaging.value = "positive"
    # PRRT stays out for a NEC, with the source's reason; for a NET G3 it is "not stated"
    # (a NET treatment, outside the book's scope: clinical review 1, finding 7).
    assert "Peptide receptor" not in ex.output.value.split("Not stated")[0].split("Not shown")[0]
    assert "do not recommend PRRT for GEP-NEC" in ex.output.value
    ex.set(morphology="net_g3", ki67=40)
    assert "prrt" in {o.option_id for o in ex.answer.not_stated}


def test_options_explorer_labels_the_clock_and_warns_about_the_liver():
    ex = OptionsExplorer()
    assert ex.platinum_free_months.description == "Platinum-free months"
    assert "end of the last platinum course" in ex.widget.children[1].value
    ex.set(liver_function="impaired")
    assert "Liver function impaired" in ex.output.value


def test_options_explorer_at_ecog_3_shows_not_stated_as_such():
    ex = OptionsExplorer()
    ex.performance_status.value = 3
    assert [o.option_id for o in ex.answer.shown] == ["bsc"]
    assert "Not stated (" in ex.output.value
    assert "do not state whether they enrolled patients at ECOG 3" in ex.output.value


def test_options_explorer_shows_bad_input_as_a_sentence():
    ex = OptionsExplorer()
    ex.set(ki67=140)
    assert ex.answer is None and "Ki-67" in ex.error and 'role="alert"' in ex.output.value
    ex.set(ki67=80, platinum_free_months=-3)
    assert "last platinum course" in ex.error
    with pytest.raises(ValueError, match="no control called"):
        ex.set(size_cm=3)


# --- Dynamic nomogram ---------------------------------------------------------------------

from nec.widgets import NomogramExplorer  # noqa: E402


def test_nomogram_explorer_shows_points_and_survival():
    ex = NomogramExplorer(size_cm=7, resection="no", treatment="neither")
    # (7 - 1) x 100 / 9 + 51 + 61
    assert ex.result.total == pytest.approx(6 * 100 / 9 + 51 + 61)
    assert "Total points" in ex.output.value and "5-year" in ex.output.value


def test_nomogram_explorer_keeps_profiles_and_refuses_sizes_off_the_axis():
    ex = NomogramExplorer()
    ex.keep.click()
    ex.set(size_cm=9)
    ex.keep.click()
    assert len(ex.kept) == 2 and ex.kept[0][1] < ex.kept[1][1]
    ex.clear.click()
    assert ex.kept == []
    ex.size_cm.value = 12
    assert ex.result is None and "size axis (1–10 cm)" in ex.output.value


def test_nomogram_plot_is_an_image_with_alt_text_that_follows_the_profiles():
    # The embedded page shows this inline SVG as saved: a screen reader gets its text
    # alternative (role="img" with aria-label, and <title>).
    ex = NomogramExplorer(size_cm=7)
    assert ex.plot.value.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-label="Predicted survival' in ex.plot.value and "7 cm" in ex.plot.value
    assert "<title>Predicted survival" in ex.plot.value
    # The curve is labelled as the explorer's current one, in the legend.
    assert "current: 7 cm, resected yes, chemotherapy or targeted" in ex.plot.value
    ex.keep.click()
    ex.set(size_cm=9)
    assert "kept for comparison: 7 cm" in ex.plot.value and "in orange" in ex.plot.value
    ex.size_cm.value = 12
    assert ex.plot.value == ""


def test_every_slider_has_a_name_for_screen_readers():
    # A slider under a labelled text box shows no label of its own: its tooltip names it.
    for ex in (GradingExplorer(), NomogramExplorer()):
        sliders = [w for w in vars(ex).values() if isinstance(w, W.FloatSlider)]
        assert sliders
        for slider in sliders:
            assert slider.description or slider.tooltip, slider


def test_every_explorer_the_package_offers_is_in_its_all():
    import nec.widgets

    public = {n for n in nec.widgets._WHERE if not n.startswith("_")}
    assert public <= set(nec.widgets.__all__)
    for name in public:  # each loads on first use
        assert callable(getattr(nec.widgets, name))
