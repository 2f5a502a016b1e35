"""The points-table audit explorer (nec.widgets.audit_view): a thin view over
nec.points_audit. It starts from Luo 2024's Table 4, recomputes on every edit, and switches
tables; each expected value is computed by hand from the printed table."""

import pytest

from nec.widgets import AuditExplorer, audit_explorer
from nec.widgets.audit_view import EXAMPLES

SMALL = ("row_id,kind,axis,level,value,source\n"
         "a,points,sex,female,0,typed\nb,points,sex,male,20,typed\n"
         "c,total_points,survival_1y,0.9,0,typed\nd,scale,points_per_lp_unit,,50,typed\n")


def test_it_starts_from_luo_2024_and_shows_the_recovered_model():
    ex = audit_explorer()
    assert ex.error is None and ex.result.inconsistencies == ()
    resection = next(r for r in ex.result.coefficients if r["predictor"] == "resection")
    assert resection["hazard_ratio"] == pytest.approx(5.6247, abs=1e-4)  # exp(51 / 29.528)
    html = ex.output.value
    assert "No inconsistency" in html and "Recovered coefficients" in html
    assert "Baseline survival of the 0-point patient" in html
    assert "Residual of every printed tick (63)" in html


def test_editing_the_table_recomputes():
    ex = AuditExplorer()
    ex.set(table=SMALL)
    assert ex.result.coefficients[0]["coefficient"] == pytest.approx(20 / 50)
    assert ex.result.baseline[0]["survival"] == pytest.approx(0.9)  # the 0-point tick itself


def test_typing_in_the_box_recomputes_as_set_does():
    ex = AuditExplorer()
    ex.table.value = SMALL  # as a reader's typing would
    assert ex.result.coefficients[0]["points"] == 20


def test_an_inconsistent_table_lists_its_sentences_on_screen():
    ex = AuditExplorer()
    ex.set(table=ex.table.value.replace("nomo_s3y_50,total_points,survival_3y,0.5,,63",
                                        "nomo_s3y_50,total_points,survival_3y,0.5,,36"))
    assert ex.error is None and ex.result.inconsistencies
    assert "Inconsistencies (" in ex.output.value
    assert "prints 0.5 at 36 points" in ex.output.value


def test_the_veteran_example_replaces_the_table_and_its_rounding():
    ex = AuditExplorer()
    ex.set(example="rms: survival::veteran (not a paper)")
    assert "vet_karno_10" in ex.table.value
    assert ex.scale_error.value == pytest.approx(0.000005)
    karno = ex.result.coefficients[0]
    assert karno["coefficient"] == pytest.approx(-100 / 90 / 35.77692)  # -0.0310566


def test_a_table_given_with_the_example_is_applied_after_it():
    ex = AuditExplorer(example="rms: survival::veteran (not a paper)", table=SMALL)
    assert ex.result.coefficients[0]["predictor"] == "sex"


def test_a_good_table_after_a_bad_one_brings_the_result_back():
    ex = AuditExplorer()
    ex.set(table="nonsense")
    assert ex.result is None and "missing column(s)" in ex.error
    ex.set(table=SMALL)
    assert ex.error is None and ex.result is not None


def test_a_wider_rounding_widens_every_bound():
    ex = AuditExplorer()
    before = ex.result.coefficients[0]["bound"]
    ex.set(points_error=1.0)
    # The size axis: 2δ_T / (9 cm × 29.528) + slope × ε_s / s²; doubling δ_T doubles the first
    # term, 2 × 0.5 / (9 × 29.528) = 0.0037629 → 0.0075258.
    assert ex.result.coefficients[0]["bound"] - before == pytest.approx(0.0037629, abs=1e-6)


def test_the_grade_example_shows_contrasts_in_points_the_offset_and_the_printed_range():
    # By hand from the Figure 5 legend: weight loss 37 - 28 = 9 points (± 1), slow gait
    # 60 - 28 = 32; four lowest levels at 28 points: an offset of 112; 112 and 333 printed.
    ex = AuditExplorer(example="Angeli 2020 (GRADE), Figure 5 legend")
    assert ex.error is None and ex.result.relative and ex.result.inconsistencies == ()
    page = ex.output.value
    assert "Contrasts in points (no scale printed, so no coefficient)" in page
    assert "Unintentional weight loss: Yes (vs No)</td><td style='text-align:right;" \
           "padding:0 0.6em'>9</td><td style='text-align:right;padding:0 0.6em'>1</td>" in page
    assert "includes 112 points that no patient can avoid" in page
    assert "The printed range of totals against the axes" in page
    assert "Baseline survival" not in page and "Residual of every printed tick" not in page


def test_no_example_table_shows_internal_file_names_or_seed_words():
    for name in EXAMPLES:
        text = AuditExplorer(example=name).table.value
        for word in ("seed", "scripts/", ".csv", "clinical_facts"):
            assert word not in text, (name, word)
    assert '"Luo et al. 2024, Table 4"' in AuditExplorer().table.value


def test_a_tick_bound_just_over_one_point_is_not_shown_as_one():
    # Reader reviews 4 and 6: a survival tick's bound of 1.001 points (half a point, plus what
    # the baseline's own error moves the tick) was printed "1.0", beside a residual of 1.0.
    import re

    from nec.widgets import audit_explorer

    shown = set(re.findall(r">(1\.\d+)<", audit_explorer().output.value))
    assert "1.001" in shown and "1.0" not in shown
