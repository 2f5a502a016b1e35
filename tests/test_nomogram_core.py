"""The dynamic nomogram's standard-library core reproduces the published module exactly.

nec.nomogram_core rebuilds the reconstructed Luo 2024 model from plain records, so that the
explorer runs in the browser (Pyodide, no numpy or pandas). Every answer it gives is compared
here with nec.published.luo2024() (and nec.cohort.baseline_weibull, numpy's least squares),
and its export with the numbers printed in Table 4. This file also runs under Pyodide
(run.sh's stage_pyodide_core), which deselects the three comparisons whose oracle needs pandas
or numpy (survival_axis, beyond_printed_axes, baseline_weibull): they run here, under CPython.
"""

import json
import math

import pytest

from nec.nomogram_core import (
    LiveNomogram,
    luo2024_export,
    luo2024_live,
    weibull_through,
)
from nec.published import luo2024

SIZES_CM = [1, 1.1, 2.5, 4.4, 5, 7, 9.9, 10]
RESECTION = ["yes", "no", "resected", "not resected"]
TREATMENT = ["chemotherapy and targeted", "chemotherapy or targeted", "neither", "both", "none"]


def test_the_export_holds_the_numbers_printed_in_table_4():
    export = luo2024_export()
    # Table 4: 29.528 points per unit of linear predictor; size 0 points at 1 cm, 100 at 10 cm;
    # resection no 51; treatment either 25, neither 61.
    assert export["points_per_lp"] == 29.528
    assert export["size_cm"]["range"] == [1.0, 10.0]
    assert export["size_cm"]["points_per_cm"] == pytest.approx(100 / 9)
    assert export["level_points"] == {
        "resection": {"yes": 0.0, "no": 51.0},
        "treatment": {"chemotherapy and targeted": 0.0, "chemotherapy or targeted": 25.0,
                      "neither": 61.0}}
    # The printed axes: 1-year 22 (0.95) to 142 (0.05); 3-year 8 (0.9) to 107 (0.05);
    # 5-year 11 (0.8) to 88 (0.05).
    axes = {y: (a["first_points"], a["last_points"], a["first_survival"], a["last_survival"])
            for y, a in export["printed_axes"].items()}
    assert axes == {"1": (22.0, 142.0, 0.95, 0.05), "3": (8.0, 107.0, 0.9, 0.05),
                    "5": (11.0, 88.0, 0.8, 0.05)}


def test_the_export_is_json_and_a_round_trip_through_json_changes_nothing():
    export = luo2024_export()
    text = json.dumps(export)
    assert len(text) < 2000  # a few hundred bytes of records, not a serialised object
    again = LiveNomogram.from_export(json.loads(text))
    live = luo2024_live()
    assert again.model == live.model
    assert again.printed_axes == live.printed_axes and again.weibull == live.weibull


def test_the_export_is_a_copy():
    export = luo2024_export()
    export["level_points"]["resection"]["no"] = 0
    assert luo2024_export()["level_points"]["resection"]["no"] == 51.0


@pytest.mark.parametrize("size_cm", SIZES_CM)
@pytest.mark.parametrize("resection", RESECTION)
@pytest.mark.parametrize("treatment", TREATMENT)
def test_points_and_survival_equal_luo2024_exactly(size_cm, resection, treatment):
    published, live = luo2024(), luo2024_live().model
    want = published.points(size_cm=size_cm, resection=resection, treatment=treatment)
    got = live.points(size_cm=size_cm, resection=resection, treatment=treatment)
    assert got == want  # equal to the last bit, not approximately
    assert live.survival(got) == published.survival(want)
    assert live.max_total_points == published.max_total_points


@pytest.mark.parametrize("values", [
    dict(size_cm=0.5, resection="yes", treatment="neither"),
    dict(size_cm=12, resection="yes", treatment="neither"),
    dict(size_cm="four", resection="yes", treatment="neither"),
    dict(size_cm=math.nan, resection="yes", treatment="neither"),
    dict(size_cm=4, resection="maybe", treatment="neither"),
    dict(size_cm=4, resection="yes", treatment="surgery"),
    dict(size_cm=4, resection="yes"),
])
def test_a_bad_patient_gets_the_published_modules_own_sentence(values):
    with pytest.raises(ValueError) as published:
        luo2024().points(**values)
    with pytest.raises(ValueError) as live:
        luo2024_live().model.points(**values)
    assert str(live.value) == str(published.value)


def test_the_printed_axes_equal_survival_axis():
    published = luo2024()
    assert luo2024_live().printed_axes == {y: published.survival_axis(y) for y in (1, 3, 5)}


@pytest.mark.parametrize("total", [0, 7.9, 8, 10.9, 11, 22, 87.9, 88, 88.1, 107, 107.1, 142,
                                   142.1, 149.8, 212])
def test_the_years_beyond_the_axes_equal_beyond_printed_axes(total):
    assert list(luo2024_live().beyond_printed_axes(total)) == luo2024().beyond_printed_axes(total)


@pytest.mark.parametrize("total, years", [(0, (1, 3, 5)), (8, (1, 5)), (22, ()), (88, ()),
                                          (88.1, (5,)), (107.1, (3, 5)), (142.1, (1, 3, 5))])
def test_the_years_beyond_the_axes_by_hand(total, years):
    # From the printed ends above: 1-year 22–142, 3-year 8–107, 5-year 11–88.
    assert luo2024_live().beyond_printed_axes(total) == years


def test_the_weibull_baseline_equals_numpys_least_squares():
    from nec.cohort import baseline_weibull

    shape, scale = luo2024_live().weibull
    want_shape, want_scale = baseline_weibull()
    assert shape == pytest.approx(want_shape, rel=1e-12)
    assert scale == pytest.approx(want_scale, rel=1e-12)


def test_the_weibull_fit_by_hand():
    # H(t) = (t / 24)^2 at 12, 24 and 48 months (1, 2, 4 years): shape 2, scale 24.
    baseline = {y: math.exp(-((12 * y / 24) ** 2)) for y in (1, 2, 4)}
    shape, scale = weibull_through(baseline)
    assert shape == pytest.approx(2, rel=1e-12) and scale == pytest.approx(24, rel=1e-12)


def test_the_curve_is_the_weibull_baseline_raised_to_the_relative_hazard():
    live = luo2024_live()
    shape, scale = live.weibull
    months, survival = live.survival_curve(51, 60)
    assert len(months) == 121 and months[0] == 0 and months[-1] == 60
    # 51 points: exp(51 / 29.528) times the 0-point hazard (H = (t / scale)^shape).
    hr = math.exp(51 / 29.528)
    for m, s in zip(months[::30], survival[::30], strict=True):
        assert s == pytest.approx(math.exp(-((m / scale) ** shape) * hr), rel=1e-12)
    # Through the printed years, the Weibull is close to the model's own survival (3 points).
    model = luo2024_live().model.survival(51)
    for year in (1, 3, 5):
        assert survival[year * 24] == pytest.approx(model[year], abs=0.02)
