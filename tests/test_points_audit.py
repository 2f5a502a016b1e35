"""nec.points_audit: CSV text in, the recovered model as records out; the exercise's table.

Expected values are computed by hand from the printed numbers (never by the code under test):

- Veterans' Administration table (data/veteran_nomogram.csv, printed by rms): small-cell 26
  points over the printed scale 35.77692 gives 26 / 35.77692 = 0.726725, HR e^0.726725 =
  2.0683; the Karnofsky axis falls from 100 points at 10 to 0 at 100, so −100 / 90 =
  −1.11111 points per point, / 35.77692 = −0.0310566.
- Its 90-day baseline: the eight ticks (T, S) = (20, .8) (37, .7) (50, .6) (61, .5) (71, .4)
  (81, .3) (91, .2) (104, .1) have mean log(−log S) = −2.16099 / 8 = −0.270124 and mean T
  = 515 / 8 = 64.375, so log(−log S₀) = −0.270124 − 64.375 / 35.77692 = −2.06947 and
  S₀(90) = exp(−exp(−2.06947)) = exp(−0.12626) = 0.88139 (to the 5 decimals carried).
"""

import math

import pytest

from nec.points_audit import (
    audit_points_table,
    parse_points_csv,
    points_csv_text,
    veteran_audit,
    veteran_hazard_ratios,
    veteran_printed_cox,
)
from nec.published import records_of_luo2024


def test_the_veteran_coefficients_are_the_points_over_the_scale():
    audit = veteran_audit()
    coefs = {r["level"]: r for r in audit.coefficients}
    assert coefs["smallcell vs squamous"]["coefficient"] == pytest.approx(0.726725, abs=2e-6)
    assert coefs["smallcell vs squamous"]["hazard_ratio"] == pytest.approx(2.0683, abs=1e-4)
    assert coefs["per unit, 10 to 100"]["coefficient"] == pytest.approx(-0.0310566, abs=1e-7)


def test_the_veteran_baseline_is_the_mean_of_the_tick_estimates():
    baseline = {b["time"]: b for b in veteran_audit().baseline}
    assert baseline[90]["survival"] == pytest.approx(0.88139, abs=1e-5)


def test_what_r_printed_lies_within_the_rounding_bound_of_the_recovered_model():
    # R printed the coefficients of the model it drew (data/veteran_cox.csv, 4 decimals).
    audit = veteran_audit()
    printed = {r["level"]: r["coef"] for r in veteran_printed_cox()}
    for r in audit.coefficients:
        level = r["level"].split(" vs ")[0] if r["predictor"] == "celltype" else "per point"
        assert abs(r["coefficient"] - printed[level]) <= r["bound"] + 0.00005, r
    assert audit.inconsistencies == ()


def test_the_printed_hazard_ratios_are_read_as_the_reader_checks_them():
    hrs = veteran_hazard_ratios()
    assert {"predictor": "celltype", "hr": 2.04, "level": "smallcell",
            "reference": "squamous"} in hrs
    assert {"predictor": "karno", "hr": 0.97, "level": None, "reference": None} in hrs


def test_a_hazard_ratio_the_points_contradict_is_named():
    wrong = [{"predictor": "celltype", "hr": 3.5, "level": "smallcell", "reference": "squamous"}]
    from nec.data import records

    audit = audit_points_table(records("veteran_nomogram"), hazard_ratios=wrong,
                               scale_error=0.000005)
    assert len(audit.inconsistencies) == 1
    assert "hazard ratio of 3.5 celltype smallcell vs squamous" in audit.inconsistencies[0]
    assert "2.07" in audit.inconsistencies[0]  # exp(26 / 35.77692), by hand above


def test_luo_written_as_text_and_read_back_gives_the_same_model():
    text = points_csv_text(records_of_luo2024())
    assert text.startswith("row_id,kind,axis,level,unit,value,source,notes\n")
    audit = audit_points_table(text, points_error=0.5, scale_error=0.0005)
    resection = next(r for r in audit.coefficients if r["predictor"] == "resection")
    assert resection["coefficient"] == pytest.approx(51 / 29.528, abs=1e-12)  # 1.727174
    assert audit.inconsistencies == ()
    assert "63 printed ticks, 0 outside what rounding allows" in audit.summary


def test_a_typed_tick_that_no_model_fits_is_flagged_largest_first():
    rows = [dict(r, value=36.0) if r["row_id"] == "nomo_s3y_50" else r
            for r in records_of_luo2024()]
    audit = audit_points_table(rows, points_error=0.5, scale_error=0.0005)
    worst = max(audit.residuals, key=lambda r: abs(r["residual_points"]))
    assert (worst["axis"], worst["value"], worst["points_printed"]) == (
        "survival at 3 years", 0.5, 36.0)
    assert not worst["consistent"] and audit.inconsistencies


def test_optional_columns_may_be_left_out_and_are_kept_empty():
    rows = parse_points_csv("row_id,kind,axis,level,value,source\n"
                            "a,points,age_years,40,0,typed\n\n")
    assert rows == [{"row_id": "a", "kind": "points", "axis": "age_years", "level": "40",
                     "value": 0.0, "source": "typed", "unit": None, "notes": None}]


def test_a_byte_order_mark_pasted_with_the_text_is_ignored():
    rows = parse_points_csv("\ufeffrow_id,kind,axis,level,value,source\n"
                            "a,points,age_years,40,0,typed\n")
    assert rows[0]["row_id"] == "a"


def test_the_audit_path_imports_neither_pandas_nor_matplotlib():
    import subprocess
    import sys

    code = ("import sys; from nec.points_audit import veteran_audit; veteran_audit(); "
            "from nec.widgets.audit_view import AuditExplorer; AuditExplorer(); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_numbers_written_back_keep_their_printed_digits():
    text = points_csv_text([{"row_id": "s", "kind": "scale", "axis": "points_per_lp_unit",
                             "level": None, "unit": None, "value": 35.77692, "source": "x",
                             "notes": math.nan}])
    assert text.splitlines()[1] == "s,scale,points_per_lp_unit,,,35.77692,x,"
