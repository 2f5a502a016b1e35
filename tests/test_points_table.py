"""The general nomogram reader (nec.points_table): exact recovery, the rounding bound, the
audit's sentences, and Luo 2024 as one instance of it.

Expected values are hand-computed (Luo: points / 29.528 from Table 4) or come from the
model the ticks were drawn from; rms round trips are in tests/reference_r."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec.points_table import from_points_table
from nec.published import luo2024, luo2024_audit

ROOT = Path(__file__).resolve().parents[1]


def z(s):
    return math.log(-math.log(s))


def draw(beta_per_unit, x_range, level_points, scale, c_by_time, survivals):
    """A table drawn exactly from a known linear Cox model (no rounding)."""
    lo, hi = x_range
    lp = [beta_per_unit * (x - lo) for x in (lo, (lo + hi) / 2, hi)]
    shift = min(lp)
    xs = (lo, (lo + hi) / 2, hi)
    continuous = {"x": [(x, scale * (v - shift)) for x, v in zip(xs, lp, strict=True)]}
    categorical = {"group": dict(level_points)}
    # Only ticks within the total-points axis, as rms prints them.
    max_total = scale * (max(lp) - shift) + max(level_points.values())
    outcomes = {t: [(scale * (z(s) - c), s) for s in survivals
                    if 0 <= scale * (z(s) - c) <= max_total - 1]
                for t, c in c_by_time.items()}
    return continuous, categorical, outcomes, shift


model_parameters = dict(
    beta=st.floats(0.01, 0.5), lo=st.floats(0, 50), width=st.floats(5, 60),
    group=st.floats(0, 80), scale=st.floats(10, 80), c1=st.floats(-5, -1),
    dc=st.floats(0.1, 1.5))
SURVIVALS = (0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05)


@settings(max_examples=60, deadline=None)
@given(**model_parameters)
def test_exact_ticks_of_a_linear_model_are_recovered_exactly(beta, lo, width, group, scale,
                                                             c1, dc):
    cont, cat, out, _ = draw(beta, (lo, lo + width), {"a": 0, "b": group}, scale,
                             {1: c1, 3: c1 + dc}, SURVIVALS)
    out = {t: v for t, v in out.items() if v}
    if not out:
        return
    m = from_points_table(cont, cat, out, scale=scale, points_error=0)
    assert m.coefficient("x") == pytest.approx(beta, rel=1e-9)
    assert m.coefficient("group", "b") == pytest.approx(group / scale, abs=1e-12)
    for t, c in {1: c1, 3: c1 + dc}.items():
        if t in out:
            assert m.log_cumhaz0[t] == pytest.approx(c, abs=1e-9)
    assert m.inconsistencies == ()
    if any(len(v) >= 2 for v in out.values()):
        est = from_points_table(cont, cat, out, scale=None, points_error=0)
        assert est.scale == pytest.approx(scale, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(**model_parameters)
def test_rounded_ticks_stay_within_the_stated_bound(beta, lo, width, group, scale, c1, dc):
    cont, cat, out, _ = draw(beta, (lo, lo + width), {"a": 0, "b": group}, scale,
                             {1: c1, 3: c1 + dc}, SURVIVALS)
    rounded_cont = {"x": [(x, round(p)) for x, p in cont["x"]]}
    rounded_cat = {"group": {k: round(v) for k, v in cat["group"].items()}}
    rounded_out = {t: [(round(total), s) for total, s in v] for t, v in out.items() if v}
    if not rounded_out:
        return
    m = from_points_table(rounded_cont, rounded_cat, rounded_out, scale=scale)
    piece = m.continuous["x"].pieces[0]
    assert m.continuous["x"].linear
    assert abs(piece.coefficient - beta) <= piece.bound
    got_b = m.coefficient("group", "b") if rounded_cat["group"]["b"] else 0.0
    assert abs(got_b - group / scale) <= m.contrast_bound(rounded_cat["group"]["b"])
    for t, c in {1: c1, 3: c1 + dc}.items():
        if t in rounded_out:
            assert abs(m.log_cumhaz0[t] - c) <= m.log_cumhaz0_bound[t] + 1e-12
    assert m.inconsistencies == ()


def test_a_bent_axis_is_read_in_pieces():
    # Points rise 10 per unit to x = 5, then 2 per unit: two straight pieces.
    ticks = [(x, 10 * x if x <= 5 else 50 + 2 * (x - 5)) for x in range(11)]
    m = from_points_table({"x": ticks}, None, {1: [(0, 0.9), (30, 0.8)]}, scale=25,
                          points_error=0.5)
    pieces = m.continuous["x"].pieces
    assert [(p.x_low, p.x_high) for p in pieces] == [(0, 5), (5, 10)]
    assert [p.coefficient for p in pieces] == pytest.approx([10 / 25, 2 / 25])
    assert m.remarks == ("The x axis is not straight (it bends at 5): it is read piecewise, "
                         "one coefficient per piece.",)
    assert m.total_points({"x": 7.5}) == pytest.approx(55)


SCALE = 29.528


def luo_like(**change):
    # Luo's 1-year axis, 0.9 → 43 points and 0.5 → 98 points, and its levels.
    out = {1: [(43, 0.9), (79, 0.7), (98, 0.5)], 3: [(8, 0.9), (44, 0.7), (63, 0.5)]}
    kw = dict(continuous={"size_cm": [(1, 0), (10, 100)]},
              categorical={"resection": {"yes": 0, "no": 51}}, outcomes=out, scale=SCALE)
    kw.update(change)
    return from_points_table(**kw, time_unit="years")


def test_a_consistent_table_raises_nothing():
    assert luo_like().inconsistencies == ()


def test_a_survival_rising_with_points_is_named():
    m = luo_like(outcomes={1: [(43, 0.9), (79, 0.5), (98, 0.7)]})
    assert any("prints 0.5 at 79 points but a higher survival, 0.7, at 98 points" in s
               for s in m.inconsistencies), m.inconsistencies


def test_a_tick_off_its_axis_is_named():
    m = luo_like(outcomes={1: [(43, 0.9), (60, 0.7), (98, 0.5)]})
    assert any("The survival axis at 1 year prints 0.7 at 60 points" in s
               for s in m.inconsistencies), m.inconsistencies


def test_a_slip_sentence_prints_the_distance_above_its_bound():
    # Luo's survival at 3 years with its 0.5 tick typed 36 instead of 63 (the page's example):
    # the ticks nearby are pulled by about a point, just past their bound. Each sentence must
    # print a distance visibly larger than the bound it exceeds, never "1.0 ... the 1.0".
    import re

    from nec.points_audit import audit_points_table

    csv = (ROOT / "data" / "luo2024_nomogram.csv").read_text(encoding="utf-8")
    tick = "nomo_s3y_50,total_points,survival_3y,0.5,,63,"
    assert tick in csv
    audit = audit_points_table(csv.replace(tick, tick.replace(",63,", ",36,")))
    pairs = [tuple(map(float, found)) for sentence in audit.inconsistencies for found in
             re.findall(r"([\d.]+) points away, more than the ([\d.]+) that", sentence)]
    assert len(pairs) >= 2, audit.inconsistencies
    assert all(away > allowed for away, allowed in pairs), pairs


def test_a_later_axis_with_higher_survival_is_named():
    m = luo_like(outcomes={1: [(8, 0.9), (44, 0.7), (63, 0.5)],
                           3: [(43, 0.9), (79, 0.7), (98, 0.5)]})
    assert any("the 3 years axis gives a higher survival than the 1 year axis" in s
               for s in m.inconsistencies), m.inconsistencies


def test_a_printed_scale_the_axes_disagree_with_is_named():
    m = luo_like(scale=45.0)
    assert any("The printed scale, 45 points per unit" in s for s in m.inconsistencies)


def test_hazard_ratios_checked_against_the_points():
    # 51 / 29.528 = 1.72717 → HR 5.62; rounding allows about 5.44 to 5.82.
    ok = luo_like(hazard_ratios=[{"predictor": "resection", "level": "no",
                                  "reference": "yes", "hr": 5.67}])
    assert ok.inconsistencies == ()
    bad = luo_like(hazard_ratios=[{"predictor": "resection", "level": "no",
                                   "reference": "yes", "hr": 2.94}])
    assert bad.inconsistencies == (
        "The paper prints a hazard ratio of 2.94 resection no vs yes, but the axis points give "
        "5.62 (rounding allows 5.44 to 5.82): the nomogram and the hazard-ratio table do not "
        "describe the same model.",)


def test_luo2024_is_an_instance_of_the_general_reader():
    m = luo2024_audit()
    # Hand-computed from Table 4: β = points / 29.528; size: 100 points over 9 cm.
    assert m.coefficient("size_cm") == pytest.approx(100 / 9 / 29.528, rel=1e-12)
    assert m.coefficient("resection", "no") == pytest.approx(51 / 29.528, rel=1e-12)
    assert m.coefficient("treatment", "neither") == pytest.approx(61 / 29.528, rel=1e-12)
    # The paper's own Table 3 hazard ratios agree with its points within rounding.
    assert m.inconsistencies == ()
    old = luo2024()
    assert old.log_cumhaz0 == m.log_cumhaz0
    assert old.size_points_per_cm == pytest.approx(100 / 9)
    # The 1-year baseline by hand: mean over the 19 printed ticks of z(S) − T / 29.528.
    ticks = [(142, .05), (134, .1), (128, .15), (123, .2), (119, .25), (115, .3), (111, .35),
             (107, .4), (103, .45), (98, .5), (94, .55), (89, .6), (84, .65), (79, .7),
             (73, .75), (65, .8), (56, .85), (43, .9), (22, .95)]
    want = sum(z(s) - t / 29.528 for t, s in ticks) / len(ticks)
    assert m.log_cumhaz0[1] == pytest.approx(want, abs=1e-12)


def test_the_typed_in_schema_is_the_luo_tables_dictionary():
    # One format for every typed-in points table: the columns, types and requirements of
    # data/luo2024_nomogram_dictionary.csv, so Luo's file is one instance of it.
    from nec.data import DATA_DIR, read_rows
    from nec.published import POINTS_TABLE_SCHEMA

    header, rows = read_rows(DATA_DIR / "luo2024_nomogram_dictionary.csv")
    spec = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert list(spec) == list(POINTS_TABLE_SCHEMA)
    for column, entry in POINTS_TABLE_SCHEMA.items():
        assert (entry["type"], entry["required"]) == (spec[column]["type"],
                                                      spec[column]["required"]), column
    assert POINTS_TABLE_SCHEMA["kind"]["allowed"] == spec["kind"]["allowed"]


def test_luo2024_csv_read_by_the_typed_in_loader():
    from nec.data import DATA_DIR
    from nec.published import load_points_table

    m = load_points_table(DATA_DIR / "luo2024_nomogram.csv")
    assert m.log_cumhaz0 == luo2024_audit().log_cumhaz0
    assert m.scale == 29.528
