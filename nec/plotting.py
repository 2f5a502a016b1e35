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

RC = {
    "figure.figsize": (7.0, 4.5),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # filled in by style()
    "legend.frameon": False,
}


@contextlib.contextmanager
def style():
    """Context manager applying the book's matplotlib style.

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


# --- Kaplan–Meier and survival-model figures ------------------------------------------------

#: Text of the label that every figure drawn from a synthetic cohort carries inside it.
SYNTHETIC_LABEL = "SYNTHETIC data"

#: Smallest text on a survival figure, in points: the at-risk numbers and tick labels stay
#: legible when a 7-inch figure is shown in the book's ~750 px column.
MIN_FONT_PT = 10


def label_synthetic(ax, text=SYNTHETIC_LABEL, *, loc="upper right"):
    """Write ``text`` (default "SYNTHETIC data") inside ``ax``, so no copy of the figure
    can be mistaken for real patients' results. Returns the matplotlib ``Text``."""
    x, ha = (0.98, "right") if loc.endswith("right") else (0.02, "left")
    y, va = (0.97, "top") if loc.startswith("upper") else (0.03, "bottom")
    return ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=MIN_FONT_PT,
                   fontweight="bold", color="0.35",
                   bbox=dict(facecolor="white", edgecolor="0.6", boxstyle="round,pad=0.25"))


def kaplan_meier_plot(groups, *, ax=None, max_months=60.0, tick_months=12.0, title=None,
                      synthetic=True, at_risk=True, ci=False, ylabel="Overall survival"):
    """Kaplan–Meier curves with censor marks and the numbers at risk under the ticks.

    The axis limits and ticks are set *before* the at-risk table is added, so each count
    sits under the time it belongs to (lifelines' ``add_at_risk_counts`` reads the ticks
    the axis has when it is called).

    Parameters
    ----------
    groups
        ``{label: (months, died)}``: follow-up times in months and 0/1 death indicators,
        one curve per entry, drawn in order.
    ax
        The axes to draw on; a new figure if ``None``.
    max_months, tick_months
        The time axis runs from 0 to ``max_months`` with a tick (and an at-risk count)
        every ``tick_months``.
    title
        Optional panel title.
    synthetic
        Write "SYNTHETIC data" inside the axes (default): the book's cohort is made up.
    at_risk
        Add the "At risk" row under the axis.
    ci
        Draw the pointwise 95 % confidence bands.

    Returns
    -------
    matplotlib.axes.Axes
        The survival axes; the at-risk table is a twin axes of it (``ax.figure.axes``).

    >>> import matplotlib.pyplot as plt
    >>> ax = kaplan_meier_plot({"A": ([3, 8, 20, 40], [1, 0, 1, 0])})
    >>> [float(t) for t in ax.get_xticks()]
    [0.0, 12.0, 24.0, 36.0, 48.0, 60.0]
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from lifelines import KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts
    from matplotlib.lines import Line2D

    if not groups:
        raise ValueError("Give at least one group: {label: (months, died)}.")
    if not (isinstance(max_months, int | float) and max_months > 0):
        raise ValueError(f"The time axis must end after 0 months (got {max_months!r}).")
    if not (isinstance(tick_months, int | float) and 0 < tick_months <= max_months):
        raise ValueError("The tick spacing must be a positive number of months no longer "
                         f"than the axis (got {tick_months!r}).")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.6))
    fitters = []
    for label, (months, died) in groups.items():
        months = np.asarray(months, dtype=float)
        died = np.asarray(died, dtype=int)
        if months.size == 0:
            raise ValueError(f"The group {label!r} has no patients.")
        km = KaplanMeierFitter().fit(months, died, label=str(label))
        km.plot_survival_function(ax=ax, ci_show=ci, show_censors=True,
                                  censor_styles={"marker": "|", "ms": 9, "mew": 1.3})
        fitters.append(km)
    ticks = np.arange(0.0, max_months + 1e-9, tick_months)
    ax.set_xlim(0, max_months)
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_ylim(0, 1.04)
    ax.set_xlabel("Months")
    ax.set_ylabel(ylabel)
    ax.tick_params(labelsize=MIN_FONT_PT)
    if title:
        ax.set_title(title)
    handles, _ = ax.get_legend_handles_labels()
    censor = Line2D([], [], color="0.3", marker="|", linestyle="none", ms=9, mew=1.3,
                    label="censored")
    ax.legend(handles=[*handles, censor], loc="lower left", fontsize=MIN_FONT_PT)
    if synthetic:
        label_synthetic(ax)
    if at_risk:
        add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"], xticks=list(ticks),
                           fontsize=MIN_FONT_PT)
        ax.set_xlabel("Months")
    return ax


def at_risk_table(ax):
    """The at-risk twin axes lifelines added under ``ax`` (``None`` if there is none).

    Used by the tests to read what the reader sees: its tick positions and labels.
    """
    for other in ax.figure.axes:
        if other is not ax and other.get_shared_y_axes().joined(other, ax) \
                and other.bbox.bounds == ax.bbox.bounds:
            return other
    return None


def scaled_schoenfeld_plot(times, residuals, coefficient, *, ax=None, name="",
                           time_label="Kaplan–Meier-transformed time", synthetic=True):
    """Scaled Schoenfeld residuals of one covariate against (transformed) event time.

    Under proportional hazards the residuals scatter around the fitted coefficient with no
    trend; a smooth that bends away from the horizontal line is what the Grambsch–Therneau
    test measures. The smooth is a running mean over the nearest 40 % of the points (a
    simple stand-in for R's spline smooth in ``plot(cox.zph(fit))``), drawn only as a guide.

    Parameters
    ----------
    times
        the transformed event time of each residual (one per death);
    residuals
        the scaled Schoenfeld residuals of the covariate (same length);
    coefficient
        the fitted log hazard ratio, drawn as the horizontal reference line.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.asarray(times, dtype=float)
    y = np.asarray(residuals, dtype=float)
    if x.size != y.size or x.size < 3:
        raise ValueError("Give one residual per event time, for at least three events.")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.0))
    order = np.argsort(x)
    x, y = x[order], y[order]
    k = max(3, int(round(0.4 * x.size)))
    smooth = np.array([y[np.argsort(np.abs(x - xi))[:k]].mean() for xi in x])
    ax.scatter(x, y, s=18, color=PALETTE["blue"], alpha=0.7, label="residual")
    ax.plot(x, smooth, color=PALETTE["vermillion"], linewidth=2, label="running mean")
    ax.axhline(coefficient, color=PALETTE["black"], linestyle="--", linewidth=1,
               label="fitted log HR")
    ax.set_xlabel(time_label, fontsize=MIN_FONT_PT)
    ax.set_ylabel(f"β(t) for {name}" if name else "β(t)", fontsize=MIN_FONT_PT)
    ax.tick_params(labelsize=MIN_FONT_PT)
    if synthetic:
        label_synthetic(ax, "SYNTHETIC", loc="upper right")
    return ax
