"""The dynamic nomogram flags totals beyond the printed survival axes, stops its curve at 60
months and says that resection and treatment are not choices made at diagnosis."""

import re

import pytest

from nec.nomogram import luo2024
from nec.widgets import NomogramExplorer
from nec.widgets.nomogram_view import CURVE_END_MONTHS, TIMING_NOTE


def test_printed_axes_are_those_of_table_4():
    # Luo 2024 Table 4: 1-year 22 (0.95) to 142 (0.05); 3-year 8 (0.9) to 107 (0.05);
    # 5-year 11 (0.8) to 88 (0.05).
    axes = NomogramExplorer().printed_axes
    got = {y: (a.first_points, a.last_points, a.first_survival, a.last_survival)
           for y, a in axes.items()}
    assert got == {1: (22.0, 142.0, 0.95, 0.05), 3: (8.0, 107.0, 0.9, 0.05),
                   5: (11.0, 88.0, 0.8, 0.05)}


@pytest.mark.parametrize("total", [0, 7.9, 8, 10.9, 11, 22, 87.9, 88, 88.1, 107, 107.1, 142,
                                   142.1, 149.8, 212])
def test_the_explorer_flags_the_years_the_published_module_names(total):
    # One source of truth: the explorer's flag is luo2024().beyond_printed_axes.
    ex = NomogramExplorer()
    assert list(ex._beyond(total)) == luo2024().beyond_printed_axes(total)


def test_every_total_the_controls_can_reach_is_on_the_total_points_axis():
    # The worst corner, 10 cm, not resected, neither: 100 + 51 + 61 = 212 points, the end of
    # the total-points axis, so survival() needs no extrapolate=True.
    ex = NomogramExplorer(size_cm=10, resection="no", treatment="neither")
    assert ex.error is None and ex.result.total == pytest.approx(212)
    assert ex.result.total == pytest.approx(ex.model.max_total_points)
    assert ex.beyond_axes == (1, 3, 5)


def test_a_total_beyond_every_printed_axis_is_flagged():
    # 4.4 cm, not resected, neither: 3.4 x 100 / 9 + 51 + 61 = 149.8 points > 142, 107, 88.
    ex = NomogramExplorer(size_cm=4.4, resection="no", treatment="neither")
    assert ex.result.total == pytest.approx(3.4 * 100 / 9 + 112)
    assert ex.beyond_axes == (1, 3, 5)
    assert "Beyond the printed axes" in ex.output.value
    assert "the printed axis ends at 142 points" in ex.output.value
    assert "dashed where its total lies beyond" in ex.plot.value


def test_a_total_inside_every_axis_is_not_flagged_and_one_below_an_axis_is():
    ex = NomogramExplorer(size_cm=8, resection="yes", treatment="chemotherapy and targeted")
    assert ex.result.total == pytest.approx(7 * 100 / 9)  # 77.8 points
    assert ex.beyond_axes == () and "extrapolated" not in ex.output.value
    ex.set(size_cm=1)  # 0 points: below the first tick of every axis (22, 8 and 11 points)
    assert ex.result.total == 0 and ex.beyond_axes == (1, 3, 5)
    assert "above 95 %: the printed axis starts at 22 points" in ex.output.value


def test_the_curve_stops_at_60_months_and_the_timing_is_stated():
    ex = NomogramExplorer()
    months, _ = ex._curve(ex.result.total)
    assert CURVE_END_MONTHS == 60 and max(months) == 60
    # The x axis of the SVG plot is labelled 0 to 60 months in steps of 12.
    ticks = re.findall(r'text-anchor="middle"[^>]*>(\d+)</text>', ex.plot.value)
    assert ticks == ["0", "12", "24", "36", "48", "60"]
    assert "not choices a patient makes at diagnosis" in TIMING_NOTE
    assert any(TIMING_NOTE[:40] in str(getattr(w, "value", "")) for w in ex.widget.children)
