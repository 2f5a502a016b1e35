"""The Luo 2024 nomogram recovered from its Table 4: consistency with every printed number."""

import math

import pytest

from nec.nomogram import luo2024, published_hazard_ratios

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
    for total in range(0, 221, 5):
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
