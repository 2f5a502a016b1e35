"""The book's figures, drawn in one style.

The palette is Okabe & Ito's, chosen because it stays distinguishable with the common
colour-vision deficiencies; sizes are set for reading on a laptop screen. Every function
draws on a matplotlib ``Axes`` (a new one if none is given) and returns it, so a chapter
can place figures side by side.
"""

from __future__ import annotations

import contextlib

#: Okabe–Ito colour-blind-safe palette.
PALETTE = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

#: One colour per WHO grade, light to dark so the order reads without colour too.
GRADE_COLOURS = {1: "#CFE8F3", 2: "#56B4E9", 3: "#0072B2"}

#: The book's column is about 750 px wide; a figure wider than this (in inches, at
#: ``figure.dpi``) is shrunk by the browser and its text with it.
MAX_FIGURE_WIDTH_IN = 7.5
#: No text in a figure smaller than this: about the body's smallest text at the column width.
MIN_FONT_PT = 9.0

RC = {
    # 7 in × 110 dpi = 770 px: shown at ~750 px in the column, so text keeps ~97 % of its size.
    "figure.figsize": (7.0, 4.5),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    # Every text size explicit and at least MIN_FONT_PT: matplotlib's relative defaults
    # ("small", "x-small") would fall below it.
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # filled in by style()
    "legend.frameon": False,
}


@contextlib.contextmanager
def style():
    """Context manager applying the book's matplotlib style.

    Fonts are at least :data:`MIN_FONT_PT` and the default figure is
    :data:`MAX_FIGURE_WIDTH_IN` wide at most, so a figure fits the book's column.

    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots()
    """
    import matplotlib as mpl
    from cycler import cycler

    rc = dict(RC)
    rc["axes.prop_cycle"] = cycler(color=[PALETTE[c] for c in
                                          ("blue", "orange", "green", "vermillion",
                                           "purple", "sky", "yellow", "black")])
    with mpl.rc_context(rc):
        yield


def figure_problems(fig) -> list[str]:
    """What makes ``fig`` illegible in the book's column: too wide, or text too small.

    Returns sentences (empty when the figure is fine): the width above
    :data:`MAX_FIGURE_WIDTH_IN` inches, and every visible text (titles, labels, ticks,
    legends, annotations) smaller than :data:`MIN_FONT_PT` points. A chapter's hidden check
    cell can ``assert not figure_problems(fig)``.

    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots(figsize=(11, 4))
    ...     _ = ax.text(0.5, 0.5, "tiny", fontsize=6)
    >>> for problem in figure_problems(fig):
    ...     print(problem)
    The figure is 11 in wide; at most 7.5 in fits the column.
    Text 'tiny' is 6 pt; at least 9 pt is legible.
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    problems = []
    width = float(fig.get_size_inches()[0])
    if width > MAX_FIGURE_WIDTH_IN + 1e-9:
        problems.append(f"The figure is {width:g} in wide; at most {MAX_FIGURE_WIDTH_IN:g} in "
                        "fits the column.")
    seen = set()
    for text in fig.findobj(Text):
        label = text.get_text().strip()
        if not label or not text.get_visible():
            continue
        size = float(text.get_fontsize())
        if size < MIN_FONT_PT - 1e-9 and (label, size) not in seen:
            seen.add((label, size))
            problems.append(f"Text {label[:40]!r} is {size:g} pt; at least {MIN_FONT_PT:g} pt "
                            "is legible.")
    return problems


#: What every figure drawn from the synthetic cohort says inside the figure.
SYNTHETIC_LABEL = "SYNTHETIC data: not real patients"


def mark_synthetic(fig, label: str = SYNTHETIC_LABEL):
    """Write ``label`` inside ``fig`` (top right, grey, 9 pt), so the figure says it is
    synthetic even when it is copied out of the page. Returns the text artist.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> mark_synthetic(fig).get_text()
    'SYNTHETIC data: not real patients'
    >>> plt.close(fig)
    """
    return fig.text(0.995, 0.995, label, ha="right", va="top", fontsize=MIN_FONT_PT,
                    fontweight="bold", color="#6e7781")


def grade_map(*, edition, differentiation, ax=None, point=None, resolution=160):
    """Draw the grade regions of one WHO edition over Ki-67 × mitotic count.

    Every cell of the map is classified by :func:`nec.grading.classify`, so the figure
    shows exactly what the code decides. Both axes are logarithmic (the G1/G2 cut-offs
    at 2–3 would otherwise vanish against 100); zero cannot be shown on them.

    Parameters
    ----------
    edition, differentiation
        As for :func:`nec.grading.classify`.
    ax
        The axes to draw on; a new figure if ``None``.
    point
        Optional ``(ki67, mitoses_per_2mm2, label)`` to mark a case; ``mitoses`` may be
        ``None`` (drawn as a vertical line: only Ki-67 is known).
    resolution
        Cells per axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from nec.grading import classify, get_edition

    ed = get_edition(edition)
    if ax is None:
        _, ax = plt.subplots()
    ki67 = np.geomspace(0.5, 100, resolution)
    mitoses = np.geomspace(0.5, 100, resolution)
    grades = np.empty((resolution, resolution))
    index_grades = np.empty((resolution, resolution))
    names: dict[int, str] = {}
    for i, m in enumerate(mitoses):
        for j, k in enumerate(ki67):
            r = classify(ki67=float(k), mitoses_per_2mm2=float(m),
                         differentiation=differentiation, edition=ed.key)
            grades[i, j] = r.grade
            index_grades[i, j] = max(r.ki67_grade, r.mitotic_grade)
            names.setdefault(r.grade, r.category)
    cmap = ListedColormap([GRADE_COLOURS[g] for g in (1, 2, 3)])
    ax.pcolormesh(ki67, mitoses, grades, cmap=cmap, vmin=0.5, vmax=3.5, shading="auto",
                  rasterized=True)
    if ed.has_grey_zone:
        ax.axvspan(ed.ki67_g1_max, ed.ki67_g2_min, facecolor="none", edgecolor=PALETTE["black"],
                   hatch="///", linewidth=0)
    # A carcinoma whose indices stay below G3 is still NEC, but the code flags it.
    unusual = (grades == 3) & (index_grades < 3)
    if unusual.any():
        ax.contourf(ki67, mitoses, unusual.astype(float), levels=[0.5, 1.5], colors="none",
                    hatches=[".."])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = [0.5, 1, 2, 3, 5, 10, 20, 50, 100]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlabel("Ki-67 index (%)")
    ax.set_ylabel("Mitoses per 2 mm²")
    ax.set_title(f"WHO {ed.key}, {differentiation} differentiated")
    handles = [Patch(facecolor=GRADE_COLOURS[g], edgecolor="0.4", label=names[g])
               for g in sorted(names)]
    if ed.has_grey_zone:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="///",
                             label=f"{ed.ki67_g1_max:g}–{ed.ki67_g2_min:g} % undefined"))
    if unusual.any():
        handles.append(Patch(facecolor=GRADE_COLOURS[3], edgecolor="black", hatch="..",
                             label="indices below G3: unusual for NEC"))
    if point is not None:
        k, m, label = point
        if m is None:
            ax.axvline(k, color=PALETTE["vermillion"], linewidth=2.5, label=label)
        else:
            ax.plot([k], [m], marker="o", markersize=10, color=PALETTE["vermillion"],
                    markeredgecolor="white", linestyle="none", label=label)
        handles.append(ax.get_legend_handles_labels()[0][-1])
    ax.legend(handles=handles, loc="upper left", fontsize=9, frameon=True, framealpha=0.9)
    return ax


DAYS_PER_MONTH = 365.25 / 12


def months_between(start: str, end: str) -> float:
    """Whole months between two dates printed as YYYY-MM or YYYY-MM-DD (day ignored).

    >>> months_between("2021-02-18", "2023-11")
    33
    """
    def parse(text: str) -> tuple[int, int]:
        parts = text.split("-")
        if len(parts) < 2:
            raise ValueError(f"Date {text!r} has no month: the interval cannot be computed.")
        return int(parts[0]), int(parts[1])

    (y0, m0), (y1, m1) = parse(start), parse(end)
    return (y1 - y0) * 12 + (m1 - m0)


def case_timeline(course, *, ax=None, survival_months=48.0, references=()):
    """Draw the case-report patient's course as a swimmer-style timeline.

    Months run from the operation, the first exactly dated event. What the paper dates is
    drawn solid: the operation, the recurrence (its month), survival beyond
    ``survival_months``. Treatment blocks are drawn in the paper's order with a length of
    cycles × cycle length (``cycle_days`` in the data; printed or assumed, see
    ``cycle_days_basis``), hatched, because their dates are not printed.

    ``references`` is a sequence of ``(months, label)`` drawn as dashed lines (cohort
    medians), each measured from the start the label states.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.8))
    surgery = course.loc["surgery", "start"]
    recurrence_month = months_between(surgery, course.loc["recurrence", "start"])

    def block_length(event):
        return course.loc[event, "cycles"] * course.loc[event, "cycle_days"] / DAYS_PER_MONTH

    lanes = [("adjuvant_chemotherapy", 0.0, "adjuvant EC"), ]
    t = recurrence_month
    for event, label in (("ec_rechallenge", "EC rechallenge"), ("captem", "CAPTEM"),
                         ("xeliri", "XELIRI"), ("docetaxel", "docetaxel")):
        lanes.append((event, t, label))
        t += block_length(event)
    colours = [PALETTE[c] for c in ("sky", "blue", "orange", "green", "purple")]
    for y, ((event, start, label), colour) in enumerate(zip(lanes, colours, strict=True)):
        length = block_length(event)
        cycles = int(course.loc[event, "cycles"])
        ax.barh(y, length, left=start, height=0.55, color=colour, hatch="//",
                edgecolor="white", linewidth=0)
        ax.text(start + length + 0.4, y, f"{label} ×{cycles}", va="center", fontsize=9)
    top = len(lanes)
    ax.barh(top, recurrence_month, left=0, height=0.55, color=PALETTE["grey"], alpha=0.35)
    ax.text(0.4, top, f"no evidence of disease for {recurrence_month} months (dated)",
            va="center", fontsize=9)
    ax.axvline(0, color=PALETTE["black"], linewidth=1.5)
    ax.axvline(recurrence_month, color=PALETTE["vermillion"], linewidth=2)
    ax.annotate("", xy=(survival_months + 4, top + 0.9), xytext=(0, top + 0.9),
                arrowprops=dict(arrowstyle="->", color=PALETTE["black"], linewidth=1.5))
    ax.text(survival_months, top + 1.15, f"alive beyond {survival_months:g} months",
            ha="right", fontsize=9)
    for months, label in references:
        ax.axvline(months, color=PALETTE["black"], linestyle="--", linewidth=1)
        ax.text(months + 0.3, top - 0.45, label, rotation=90, va="top", ha="left", fontsize=8,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1))
    ax.set_yticks([])
    ax.set_ylim(-1, top + 1.6)
    ax.set_xlim(-1, survival_months + 6)
    ax.set_xlabel(f"Months from the operation ({surgery})")
    ax.legend(handles=[
        Patch(facecolor=PALETTE["grey"], alpha=0.35, label="dated interval"),
        Patch(facecolor="white", edgecolor=PALETTE["black"], hatch="//",
              label="order as printed; length = cycles × cycle length (dates not printed)"),
    ], loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
    return ax
