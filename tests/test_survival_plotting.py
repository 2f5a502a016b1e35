"""Kaplan–Meier figures as the reader sees them: numbers at risk under the right ticks,
censor marks, the SYNTHETIC label, legible text."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nec.cohort import synthetic_luo2024  # noqa: E402
from nec.plotting import (  # noqa: E402
    SURVIVAL_MIN_FONT_PT,
    SYNTHETIC_LABEL,
    at_risk_table,
    kaplan_meier_plot,
    scaled_schoenfeld_plot,
)


@pytest.fixture(scope="module")
def drawn():
    d = synthetic_luo2024().data
    groups = {label: (d.loc[d["resection"] == level, "months"],
                      d.loc[d["resection"] == level, "died"])
              for level, label in (("yes", "resected"), ("no", "not resected"))}
    ax = kaplan_meier_plot(groups, max_months=60, tick_months=12)
    ax.figure.canvas.draw()
    yield d, groups, ax
    plt.close(ax.figure)


def test_at_risk_counts_sit_under_the_axis_ticks(drawn):
    _, _, ax = drawn
    table = at_risk_table(ax)
    assert table is not None
    assert list(table.get_xticks()) == list(ax.get_xticks()) == [0, 12, 24, 36, 48, 60]
    assert table.get_xlim() == ax.get_xlim() == (0, 60)
    # Rendered positions: each count's label is drawn at the pixel of its axis tick.
    ax_px = [ax.transData.transform((t, 0))[0] for t in ax.get_xticks()]
    tab_px = [table.transData.transform((t, 0))[0] for t in table.get_xticks()]
    assert np.allclose(ax_px, tab_px)


def test_at_risk_counts_are_the_patients_still_followed(drawn):
    # lifelines' row counts the patients whose follow-up goes beyond the tick (T > t).
    _, groups, ax = drawn
    labels = [t.get_text() for t in at_risk_table(ax).get_xticklabels()]
    for tick, text in zip(ax.get_xticks(), labels, strict=True):
        shown = [int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", text)][-len(groups):]
        expected = [int((np.asarray(m) > tick).sum()) for m, _ in groups.values()]
        assert shown == expected, (tick, text)


def test_censor_marks_one_per_censored_patient_in_view(drawn):
    _, groups, ax = drawn
    marks = [line for line in ax.get_lines() if line.get_marker() == "|"
             and line.get_label().startswith("_")]
    n_marks = sum(len(line.get_xdata()) for line in marks)
    # lifelines draws one mark per distinct censoring time of each curve.
    expected = sum(len(np.unique(np.asarray(m)[np.asarray(e) == 0]))
                   for m, e in groups.values())
    assert n_marks == expected and n_marks > 0


def test_the_figure_says_synthetic_and_no_text_is_below_the_minimum(drawn):
    _, _, ax = drawn
    texts = [t for t in ax.figure.findobj(matplotlib.text.Text) if t.get_text().strip()]
    assert any(t.get_text() == SYNTHETIC_LABEL for t in ax.texts)
    assert min(t.get_fontsize() for t in texts) >= SURVIVAL_MIN_FONT_PT >= 9
    assert ax.figure.get_size_inches()[0] <= 7.5


def test_schoenfeld_panel_draws_points_smooth_and_reference():
    t = np.linspace(0, 1, 20)
    ax = scaled_schoenfeld_plot(t, np.sin(6 * t), 0.3, name="size")
    assert ax.get_lines()[-1].get_ydata()[0] == pytest.approx(0.3)  # the fitted log HR
    assert any("SYNTHETIC" in x.get_text() for x in ax.texts)
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: kaplan_meier_plot({}), "at least one group"),
        (lambda: kaplan_meier_plot({"a": ([1], [1])}, max_months=0), "end after 0"),
        (lambda: kaplan_meier_plot({"a": ([1], [1])}, tick_months=100), "tick spacing"),
        (lambda: scaled_schoenfeld_plot([1, 2], [1, 2], 0), "three events"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
    plt.close("all")


def _legend_labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_censored_key_only_when_a_censor_mark_is_on_the_axis():
    # Group A: censored at 40 months, beyond a 36-month axis; group B censored at 10 months.
    early_deaths = {"A": ([3, 8, 20, 40], [1, 1, 1, 0])}
    ax = kaplan_meier_plot(early_deaths, max_months=36, tick_months=12, at_risk=False)
    assert _legend_labels(ax) == ["A"]
    plt.close(ax.figure)
    ax = kaplan_meier_plot({**early_deaths, "B": ([10, 30], [0, 1])}, max_months=36,
                           tick_months=12, at_risk=False)
    assert _legend_labels(ax) == ["A", "B", "censored"]
    plt.close(ax.figure)


def test_schoenfeld_panel_from_a_cox_zph_result_has_band_and_legend():
    from lifelines import CoxPHFitter

    from nec.cohort import design_matrix
    from nec.survival_stats import cox_zph

    x = design_matrix(synthetic_luo2024().data)
    fit = CoxPHFitter().fit(x, "months", "died")
    zph = cox_zph(x.drop(columns=["months", "died"]), x["months"], x["died"], fit)
    ax = scaled_schoenfeld_plot(zph, "size_cm", name="size")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "residual", "running mean", "± 2 SE", "fitted β (constant)"]
    assert ax.get_lines()[-1].get_ydata()[0] == pytest.approx(fit.params_["size_cm"])
    plt.close(ax.figure)
