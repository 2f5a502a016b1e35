"""nec.plotting.style(): every text at least 9 pt, default figures that fit the ~750 px column;
figure_problems() finds the figures that do not; mark_synthetic() labels a figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from nec import plotting  # noqa: E402

FONT_KEYS = ["font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
             "ytick.labelsize", "legend.fontsize", "legend.title_fontsize", "figure.titlesize"]


@pytest.mark.parametrize("key", FONT_KEYS)
def test_style_sets_every_text_size_to_at_least_9_pt(key):
    with plotting.style():
        # Relative sizes ("small") resolve against font.size inside the style.
        size = FontProperties(size=matplotlib.rcParams[key]).get_size_in_points()
    assert size >= 9.0, f"{key} is {size:g} pt in the book's style"


def test_style_draws_text_of_at_least_9_pt_on_a_real_figure():
    with plotting.style():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="a line")
        ax.set(title="Title", xlabel="x", ylabel="y")
        ax.legend(title="Legend")
        fig.suptitle("Suptitle")
        fig.canvas.draw()
        assert plotting.figure_problems(fig) == []
        sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    plt.close(fig)
    assert sizes and min(sizes) >= 9.0


def test_the_default_figure_fits_the_column():
    with plotting.style():
        fig = plt.figure()
        width_in = fig.get_size_inches()[0]
        width_px = width_in * fig.dpi
    plt.close(fig)
    assert width_in <= plotting.MAX_FIGURE_WIDTH_IN
    # Shown in a ~750 px column, the image is shrunk by at most 1.3 (text keeps >= ~75 %).
    assert width_px / 750 <= 1.3


def test_figure_problems_names_a_wide_figure_and_small_text():
    with plotting.style():
        fig, ax = plt.subplots(figsize=(9, 3))
        ax.set_xlabel("Months", fontsize=7)
        ax.text(0, 0, "at risk", fontsize=8.5)
    problems = plotting.figure_problems(fig)
    plt.close(fig)
    assert problems[0] == "The figure is 9 in wide; at most 7.5 in fits the column."
    assert sorted(problems[1:]) == ["Text 'Months' is 7 pt; at least 9 pt is legible.",
                                    "Text 'at risk' is 8.5 pt; at least 9 pt is legible."]


def test_mark_synthetic_writes_inside_the_figure():
    fig, _ = plt.subplots()
    text = plotting.mark_synthetic(fig)
    plt.close(fig)
    assert text.get_text() == "SYNTHETIC data: not real patients"
    assert text in fig.texts and text.get_fontsize() >= 9
