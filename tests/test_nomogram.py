"""The Luo 2024 nomogram recovered from its Table 4: consistency with every printed number."""

import math

import pytest

from nec.nomogram import luo2024, published_hazard_ratios
from nec.published import luo2024 as luo2024_published

SCALE = 29.528  # points per unit of linear predictor, printed in Table 4


@pytest.fixture(scope="module")
def model():
    return luo2024()


def test_size_axis_is_100_points_over_1_to_10_cm(model):
    assert model.size_points_per_cm == pytest.approx(100 / 9)
    # the printed ticks are that line rounded to whole points
    printed = [0, 11, 22, 33, 44, 56, 67, 78, 89, 100]
    assert [round((cm - 1) * 100 / 9) for cm in range(1, 11)] == printed


@pytest.mark.parametrize(
    "key, printed_points",
    [("multi_ptr_no", 51), ("multi_tx_either", 25), ("multi_tx_neither", 61)],
)
def test_published_hazard_ratios_round_to_the_printed_points(key, printed_points):
    hr = published_hazard_ratios().loc[key, "hr"]
    assert round(math.log(hr) * SCALE) == printed_points


def test_published_size_hazard_ratio_spans_100_points():
    hr = published_hazard_ratios().loc["multi_size", "hr"]
    assert math.log(hr) * SCALE * 9 == pytest.approx(100, abs=0.5)


def test_recovered_hazard_ratios_match_the_published_within_rounding(model):
    recovered = model.hazard_ratios()
    published = published_hazard_ratios().set_index("level")["hr"]
    # half a point of rounding is exp(0.5 / 29.528) - 1 = 1.7 % on a hazard ratio
    tolerance = math.exp(0.5 / SCALE) - 1
    assert recovered["size_cm (per cm)"] == pytest.approx(published["per cm"], rel=0.001)
    assert recovered["resection: no"] == pytest.approx(published["no"], rel=tolerance)
    for level in ("chemotherapy or targeted", "neither"):
        assert recovered[f"treatment: {level}"] == pytest.approx(published[level], rel=tolerance)


def test_every_printed_survival_tick_is_reproduced_within_rounding(model):
    audit = model.audit()
    assert len(audit) == 19 + 18 + 16
    # printed totals are whole points (+-0.5); the fitted baseline adds a little
    assert audit["points_difference"].abs().max() < 0.6
    assert (audit["survival_at_printed_points"] - audit["survival"]).abs().max() < 0.01


def test_survival_falls_as_points_rise_and_with_time(model):
    previous = {1: 1.0, 3: 1.0, 5: 1.0}
    for total in range(0, 213, 4):
        s = model.survival(total)
        assert s[1] >= s[3] >= s[5]
        assert all(s[y] <= previous[y] for y in s)
        previous = s


def test_points_for_a_patient(model):
    p = model.points(size_cm=4, resection="no", treatment="either")
    assert p.size == pytest.approx(3 * 100 / 9)
    assert (p.resection, p.treatment) == (51, 25)
    assert p.total == pytest.approx(3 * 100 / 9 + 76)


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"size_cm": 12}, "outside the nomogram's size axis"),
        ({"size_cm": 0.5}, "outside the nomogram's size axis"),
        ({"size_cm": 0}, "Tumour size"),
        ({"size_cm": -3}, "Tumour size"),
        ({"resection": "partial"}, "resection"),
        ({"treatment": "radiotherapy"}, "treatment"),
    ],
)
def test_bad_input(model, kw, words):
    args = dict(size_cm=4, resection="yes", treatment="neither") | kw
    with pytest.raises(ValueError, match=words):
        model.points(**args)


def test_unknown_year(model):
    with pytest.raises(ValueError, match="1, 3, 5"):
        model.survival(50, years=(2,))


def test_nec_nomogram_re_exports_the_published_model():
    assert luo2024 is luo2024_published


def test_the_total_points_axis_ends_at_212(model):
    # 100 (10 cm) + 51 (not resected) + 61 (neither)
    assert model.max_total_points == pytest.approx(212)


def test_a_survival_above_the_zero_point_patient_is_refused(model):
    with pytest.raises(ValueError, match="Survival 0.99 at 1 year is not on this nomogram"):
        model.points_for_survival(0.99, 1)
    assert model.points_for_survival(0.99, 1, extrapolate=True) < 0


def test_a_total_beyond_the_printed_axes_is_refused_unless_asked(model):
    with pytest.raises(ValueError, match="between 0 and 212.0"):
        model.survival(300)
    s = model.survival(300, extrapolate=True)
    assert s[1] < model.survival(212)[1]


def test_each_survival_axis_says_where_it_was_printed(model):
    # Table 4: the 1-year axis runs from 0.95 at 22 points to 0.05 at 142, the 3-year one
    # from 0.9 at 8 to 0.05 at 107, the 5-year one from 0.8 at 11 to 0.05 at 88.
    assert [(a.first_points, a.last_points) for a in map(model.survival_axis, (1, 3, 5))] == [
        (22, 142), (8, 107), (11, 88)]
    assert model.beyond_printed_axes(150) == [1, 3, 5]
    assert model.beyond_printed_axes(100) == [5]
    assert model.beyond_printed_axes(5) == [1, 3, 5]  # above every printed survival


@pytest.mark.parametrize("kw, words", [
    ({"age": 60}, "has no predictor 'age'; its predictors are 'size_cm', 'resection', "
                  "'treatment'"),
])
def test_an_unexpected_keyword_names_the_predictors(model, kw, words):
    with pytest.raises(ValueError) as err:
        model.points(size_cm=4, resection="yes", treatment="neither", **kw)
    assert words in str(err.value)


def test_a_missing_keyword_names_the_predictors(model):
    with pytest.raises(ValueError) as err:
        model.points(size_cm=4, resection="yes")
    assert "Missing value(s) for 'treatment'" in str(err.value)
