"""The book's figures, drawn in one style.

The palette is Okabe & Ito's, chosen because it stays distinguishable with the common
colour-vision deficiencies; sizes are set for reading on a laptop screen. Every function
draws on a matplotlib ``Axes`` (a new one if none is given) and returns it, so a chapter
can place figures side by side.
"""

from __future__ import annotations

import contextlib
import math

from nec import _plot_checks as _check
from nec import _validate
from nec.survival_curves import MONTHS_MAX

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
#: A figure to be read on a phone too is at most this wide (inches at ``figure.dpi``, after a
#: tight crop): a phone shows it in a ~358 px column, where 9 pt text drawn at 110 dpi stays at
#: least 9 CSS px tall only while the image is at most 358 × (9 × 110 / 72) / 9 ≈ 547 px
#: (≈ 5 in) wide (tests/browser/test_pages.py). Wider figures stack their panels instead.
PHONE_FIGURE_WIDTH_IN = 4.8

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

    fig = _check.figure(fig, func="figure_problems")
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
    fig = _check.figure(fig, func="mark_synthetic")
    _check.words(label, name="The label", allow_empty=False)
    return fig.text(0.995, 0.995, label, ha="right", va="top", fontsize=MIN_FONT_PT,
                    fontweight="bold", color="#6e7781")


def grade_map(*, edition, differentiation, nec_subtype=None, ax=None, point=None,
              resolution=160, legend="below"):
    """Draw the grade regions of one WHO edition over Ki-67 × mitotic count.

    Every cell of the map is classified by :func:`nec.grading.classify`, so the figure
    shows exactly what the code decides: the grade, a hatched band where WHO 2010 left
    Ki-67 undefined (drawn only below the mitotic G3 cut-off: above it the mitotic count
    makes the tumour G3 whatever the Ki-67, so the gap decides nothing there), dots where
    a carcinoma's indices stay below G3, and grey cross-hatching where the edition has no
    category at all (WHO 2010, poorly differentiated, indices below G3). Both axes are
    logarithmic (the G1/G2 cut-offs at 2–3 would otherwise vanish
    against 100); zero cannot be shown on them.

    Parameters
    ----------
    edition, differentiation, nec_subtype
        As for :func:`nec.grading.classify` (``nec_subtype`` only with poorly
        differentiated morphology; it names the carcinoma in the legend).
    ax
        The axes to draw on; a new figure if ``None``.
    point
        Optional ``(ki67, mitoses_per_2mm2, label)`` to mark a case; ``mitoses`` may be
        ``None`` (drawn as a vertical line: only Ki-67 is known).
    resolution
        Cells per axis.
    legend
        ``"below"`` (under the axes, so that a small panel keeps its map visible),
        ``"inside"`` (upper left) or ``None``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    from nec.grading import classify, get_edition

    ed = get_edition(edition)
    ax = _check.axes(ax, func="grade_map")
    resolution = GRADE_MAP_RESOLUTION.check(resolution)
    if legend not in ("below", "inside", None):
        raise ValueError(f"legend must be 'below', 'inside' or None, not {legend!r}.")
    if point is not None:
        _check_point(point)
    # The first cell is classified before anything is drawn: a bad differentiation or
    # subtype is refused with nec.grading's sentence, not after a half-drawn map.
    classify(ki67=1.0, mitoses_per_2mm2=1.0, differentiation=differentiation,
             nec_subtype=nec_subtype, edition=ed.key)
    if ax is None:
        _, ax = plt.subplots()
    ki67 = np.geomspace(0.5, 100, resolution)
    mitoses = np.geomspace(0.5, 100, resolution)
    grades = np.empty((resolution, resolution))
    index_grades = np.empty((resolution, resolution))
    unclassifiable = np.zeros((resolution, resolution), dtype=bool)
    names: dict[int, str] = {}
    for i, m in enumerate(mitoses):
        for j, k in enumerate(ki67):
            r = classify(ki67=float(k), mitoses_per_2mm2=float(m),
                         differentiation=differentiation, nec_subtype=nec_subtype,
                         edition=ed.key)
            index_grades[i, j] = max(r.ki67_grade, r.mitotic_grade)
            if r.classifiable:
                grades[i, j] = r.grade
                names.setdefault(r.grade, r.category)
            else:
                grades[i, j] = 0
                unclassifiable[i, j] = True
    no_category = "#EEEEEE"
    cmap = ListedColormap([no_category] + [GRADE_COLOURS[g] for g in (1, 2, 3)])
    ax.pcolormesh(ki67, mitoses, grades, cmap=cmap, vmin=-0.5, vmax=3.5, shading="auto",
                  rasterized=True)
    if ed.has_grey_zone and differentiation != "poorly":
        ax.add_patch(Rectangle(
            (ed.ki67_g1_max, mitoses[0]), ed.ki67_g2_min - ed.ki67_g1_max,
            ed.mitoses_g3_above - mitoses[0], facecolor="none", edgecolor=PALETTE["black"],
            hatch="///", linewidth=0))
    if unclassifiable.any():
        ax.contourf(ki67, mitoses, unclassifiable.astype(float), levels=[0.5, 1.5],
                    colors="none", hatches=["xx"])
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
    ax.minorticks_off()
    ax.tick_params(labelsize=10)
    ax.set_xlabel("Ki-67 index (%)")
    ax.set_ylabel("Mitoses per 2 mm²")
    ax.set_title(f"WHO {ed.key}, {differentiation} differentiated")
    handles = [Patch(facecolor=GRADE_COLOURS[g], edgecolor="0.4", label=names[g])
               for g in sorted(names)]
    if ed.has_grey_zone and differentiation != "poorly":
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="///",
                             label=f"Ki-67 {ed.ki67_g1_max:g}–{ed.ki67_g2_min:g} %: undefined"))
    if unclassifiable.any():
        handles.append(Patch(facecolor=no_category, edgecolor="black", hatch="xx",
                             label=f"no WHO {ed.key} category"))
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
    if legend == "below":
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.16),
                  fontsize=10, frameon=False, borderaxespad=0, handlelength=1.6)
    elif legend == "inside":
        ax.legend(handles=handles, loc="upper left", fontsize=10, frameon=True,
                  framealpha=0.9)
    elif legend is not None:
        raise ValueError(f"legend must be 'below', 'inside' or None, not {legend!r}.")
    return ax


#: Cells per axis of :func:`grade_map`: each cell is one call of classify, so 400 (160,000
#: calls, several seconds) is the most worth drawing; fewer than 10 cannot show the G1/G2
#: cut-offs at 2-3 % on a 0.5-100 axis.
GRADE_MAP_RESOLUTION = _check._validate.Bound(
    "The map's resolution (cells per axis)", low=10, high=400, whole=True,
    why="Each cell is one grading; 160 is the book's default.")

#: The axes of :func:`grade_map` (Ki-67 % and mitoses per 2 mm², both logarithmic).
GRADE_MAP_AXIS = (0.5, 100.0)


def _check_point(point) -> None:
    """The case marked on a grade map: (Ki-67, mitoses or None, label), on the map's axes."""
    from nec.grading import check_ki67, check_mitoses_per_2mm2

    low, high = GRADE_MAP_AXIS
    if isinstance(point, str) or not isinstance(point, tuple | list) or len(point) != 3:
        raise ValueError("point must be (Ki-67, mitoses per 2 mm² or None, label), e.g. "
                         f"(12, 25, 'the case'), not {point!r}.")
    ki67, mitoses, label = point
    on_axis = (f"the map's axes run from {low:g} to {high:g} (logarithmic, so 0 cannot be "
               "drawn)")
    if not low <= check_ki67(ki67) <= high:
        raise ValueError(f"The point's Ki-67 of {ki67:g} % is off the map: {on_axis}.")
    if mitoses is not None and not low <= check_mitoses_per_2mm2(mitoses) <= high:
        raise ValueError(f"The point's mitotic count of {mitoses:g} per 2 mm² is off the map: "
                         f"{on_axis}; give None to draw the Ki-67 alone as a line.")
    _check.words(label, name="The point's label", allow_empty=False)


from nec.second_line import DAYS_PER_MONTH, months_between  # noqa: E402,F401  (re-exported)


def case_timeline(course, *, ax=None, references=(), recovery_months=2.0):
    """Draw the case-report patient's course as a swimmer-style timeline.

    Months run from the operation (18 February 2021), the first exactly dated event. What
    the paper dates is drawn solid: the operation, the recurrence (its month, labelled
    with its 33 months), and survival of more than 48 months counted, as the paper counts
    it, from the diagnosis (only its year, 2021, is printed: the arrow starts on
    1 January 2021, the earliest the diagnosis can have been). Treatment blocks are drawn
    in the paper's order with a length of cycles × cycle length (``cycle_days``; printed
    or assumed, see ``cycle_days_basis``), hatched, because their dates are not printed.
    The adjuvant course starts after ``recovery_months`` of recovery from the operation's
    complications, a length the paper does not print (the figure says so); the adjuvant
    radiotherapy, whose dates and length are not printed, is a marker after it.

    ``references`` is a sequence of ``(months, label)`` drawn as dashed lines (cohort
    medians) on the same clock, each measured from where that cohort's clock starts.
    Every label sits in its own row, so no two labels overlap.

    Returns the ``Axes``; its figure is 5 inches wide when the function makes it,
    every label inside it.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from nec.second_line import _as_records, case_clocks, treatment_months

    rows = {r["event_id"]: r for r in _as_records(
        course, what="The case course", key="event_id", needs=("cycles", "cycle_days"))}
    clocks = case_clocks(course)
    ax = _check.axes(ax, func="case_timeline")
    for needed in ("adjuvant_chemotherapy", "adjuvant_radiotherapy"):
        if needed not in rows:
            raise ValueError(f"The case course has no {needed!r} row.")
    recovery_months = _validate.number(
        recovery_months, name="The recovery before adjuvant chemotherapy", unit=" months",
        low=0, high=math.floor(10 * (clocks.recurrence
                                     - treatment_months(rows["adjuvant_chemotherapy"]))) / 10,
        why="The adjuvant course must end before the recurrence, which is dated.")
    for months, label in _check.pairs(references, name="references",
                                      example="(months, label)"):
        _validate.number(months, name=f"The reference {label!r}", unit=" months", low=0,
                         high=MONTHS_MAX, why="Give cohort medians in months.")
        _check.words(label, name="A reference's label", allow_empty=False)
    if ax is None:
        # 5 in wide, labels inside the axes: legible when a phone shows it ~360 px wide.
        _, ax = plt.subplots(figsize=(5.0, 7.4))
    references = list(references)
    lanes = [  # (event, label above the bar, start)
        ("adjuvant_chemotherapy",
         "adjuvant carboplatin–etoposide ×{c}\n"
         f"(start not printed: drawn after {recovery_months:g} months)", recovery_months),
        ("adjuvant_radiotherapy", "adjuvant radiotherapy (dates, dose,\nlength not printed)",
         None),
        ("ec_rechallenge", "EC again ×{c}\n(no line number printed)",
         clocks.first_palliative_start),
        ("captem", "2nd line: CAPTEM ×{c}", clocks.second_line_start),
        ("xeliri", "3rd line: XELIRI ×{c}", None),
        ("docetaxel", "4th line: docetaxel ×{c}", None),
    ]
    colours = [PALETTE[c] for c in ("sky", "sky", "blue", "orange", "green", "purple")]
    # The recurrence is a labelled line like the cohort medians, each label in its own row.
    marks = [(float(clocks.recurrence),
              f"recurrence, November 2023:\n{clocks.recurrence} months after the operation",
              PALETTE["vermillion"], "-", 2.0)]
    marks += [(float(m), label, PALETTE["black"], "--", 1.0) for m, label in references]
    d0 = clocks.diagnosis_earliest
    x_left = d0 - 1
    # Each lane is a bar with its label above it, left-aligned: a row tall enough for the
    # label's lines, so that no two labels touch.
    line_h, bar_h = 0.42, 0.5

    def lane_height(label):
        return bar_h + 0.25 + line_h * (label.count("\n") + 1)

    y, lane_y = 0.0, []
    for _, label, _ in reversed(lanes):
        lane_y.insert(0, y)
        y += lane_height(label)
    dated_label = f"no evidence of disease for {clocks.recurrence} months (dated)"
    y_dated = y
    y += lane_height(dated_label)
    heights = [0.3 + line_h * (label.count("\n") + 1) for _, label, *_ in marks]
    y_marks = []
    for h in reversed(heights):
        y_marks.insert(0, y + h / 2)
        y += h
    # The one element on another clock: its offset on this axis is written in its label
    # (reader review 3, #12), and the grey stub before the operation is said to be uncertain.
    arrow_label = (f"alive more than {clocks.survival_from_diagnosis_min:g} months after the "
                   f"diagnosis,\non its own clock, from month {d0:.1f} (1 January\n2021: the "
                   "year is printed, not the month; grey:\nwhen the diagnosis may have "
                   "been)").replace("-", "−")
    y_arrow = y
    top = y_arrow + lane_height(arrow_label) - 0.1
    t_end = 0.0
    previous_end = None

    def lane_label(y_bar, text):
        ax.text(x_left + 0.3, y_bar + bar_h / 2 + 0.12, text, ha="left", va="bottom",
                fontsize=9, linespacing=1.1, zorder=6,
                # Opaque: the reference lines run behind the labels, not through them
                # (reader review 6).
                bbox=dict(facecolor="white", edgecolor="none", pad=0.5, alpha=1.0))

    for (event, label, start), colour, y in zip(lanes, colours, lane_y, strict=True):
        row = rows[event]
        cycles = row.get("cycles")
        text = label.format(c=int(cycles) if cycles is not None else "")
        if event == "adjuvant_radiotherapy":
            ax.plot([previous_end + 0.6], [y], marker="D", markersize=8, color=colour,
                    markeredgecolor=PALETTE["black"], linestyle="none")
            lane_label(y, text)
            continue
        start = previous_end if start is None else start
        length = treatment_months(row)
        ax.barh(y, length, left=start, height=bar_h, color=colour, hatch="//",
                edgecolor="white", linewidth=0)
        if event == "adjuvant_chemotherapy":
            ax.plot([0, start], [y, y], linestyle=":", color=PALETTE["black"], linewidth=1.2)
        if event == "docetaxel" and row.get("stop_reason") == "ongoing":
            ax.annotate("", xy=(start + length + 2.5, y), xytext=(start + length, y),
                        arrowprops=dict(arrowstyle="->", color=colour, linewidth=1.5))
            text += " (ongoing)"
        lane_label(y, text)
        previous_end = start + length
        t_end = max(t_end, previous_end)
    ax.barh(y_dated, clocks.recurrence, left=0, height=bar_h, color=PALETTE["grey"],
            alpha=0.35)
    lane_label(y_dated, dated_label)
    x_max = max(t_end + 4, d0 + clocks.survival_from_diagnosis_min + 3)
    ax.plot([0, 0], [-0.6, y_dated + bar_h / 2], color=PALETTE["black"], linewidth=1.5)
    for (months, label, colour, dash, width), y in zip(marks, y_marks, strict=True):
        ax.plot([months, months], [-0.6, y + 0.2], color=colour, linestyle=dash,
                linewidth=width)
        right = months > (x_max + x_left) / 2
        # A white box keeps a label legible where another mark's line runs behind it.
        ax.text(months + (-0.5 if right else 0.5), y, label, ha="right" if right else "left",
                va="center", fontsize=9, color=colour, zorder=5, linespacing=1.1,
                bbox=dict(facecolor="white", edgecolor="none", pad=1.5))
    # Survival, counted from the diagnosis as the paper counts it.
    ax.barh(y_arrow, -d0, left=d0, height=0.3, color=PALETTE["black"], alpha=0.25)
    ax.annotate("", xy=(d0 + clocks.survival_from_diagnosis_min, y_arrow), xytext=(d0, y_arrow),
                arrowprops=dict(arrowstyle="->", color=PALETTE["black"], linewidth=1.5))
    lane_label(y_arrow, arrow_label)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.8, top)
    ax.set_xlim(x_left, x_max)
    ax.set_xlabel(f"Months from the operation ({rows['surgery']['start']})")
    ax.legend(handles=[
        Patch(facecolor=PALETTE["grey"], alpha=0.35, label="dated interval"),
        Patch(facecolor="white", edgecolor=PALETTE["black"], hatch="//",
              label="length = cycles × cycle length;\ndates not printed"),
    ], loc="upper left", bbox_to_anchor=(0.0, -0.09), ncol=2, fontsize=9, frameon=False)
    return ax


def label_overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of text labels in ``fig`` whose drawn boxes intersect (empty: none overlap).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.1, 0.5, "one"), ax.text(0.8, 0.5, "two")
    >>> label_overlaps(fig)
    []
    """
    fig = _check.figure(fig, func="label_overlaps")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(match=lambda a: type(a).__name__ in ("Text", "Annotation"))
             if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    pairs = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (a, box_a), (b, box_b) = boxes[i], boxes[j]
            if box_a.overlaps(box_b):
                pairs.append((a, b))
    return pairs


def median_curves(arms, *, ax=None, months=12.0, endpoint="progression-free"):
    """Draw, for each arm, the exponential curve with its reported median.

    ``arms`` is a sequence of ``(label, median_months)``. The curves share one axis, "months
    from the start of the study's treatment": the studies differ in design and line, so the
    figure says it is not a comparison between them.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from nec.survival_curves import exponential_survival

    arms = _check.pairs(arms, name="The arms", example="(label, median months)")
    if not arms:
        raise ValueError("Give at least one arm: [(label, median months), ...].")
    for label, median in arms:
        _check.words(label, name="An arm's label", allow_empty=False)
        exponential_survival(0.0, median_months=median)  # the median's own check
    _validate.number(months, name="The time axis (months)", unit=" months", low=0,
                     high=MONTHS_MAX, low_inclusive=False)
    _check.words(endpoint, name="The endpoint", allow_empty=False)
    ax = _check.axes(ax, func="median_curves")
    if ax is None:
        # 5 in: its 9-pt text stays about 9 px tall when a phone shows it ~360 px wide.
        _, ax = plt.subplots(figsize=(5.0, 4.0))
    grid = np.linspace(0, months, 200)
    for label, median in arms:
        ax.plot(grid, exponential_survival(grid, median_months=median), label=label)
    ax.axhline(0.5, color="grey", linewidth=0.8)
    ax.set_xlabel("Months from the start of each study's treatment")
    ax.set_ylabel(f"{endpoint.capitalize()}\n(exponential from the median)")
    ax.set_ylim(0, 1.02)
    ax.text(0.98, 0.97, "Not a comparison: trials of different design and line",
            transform=ax.transAxes, ha="right", va="top", fontsize=9, style="italic")
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    return ax


def approximation_plot(durations, events, *, ax=None, unit="months"):
    """A cohort's Kaplan–Meier curve beside the exponential curve with the same median."""
    import matplotlib.pyplot as plt
    import numpy as np
    from lifelines import KaplanMeierFitter

    from nec.survival_curves import approximation_error, exponential_survival

    error = approximation_error(durations, events, unit=unit)
    ax = _check.axes(ax, func="approximation_plot")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 3.6))  # legible on a phone (see median_curves)
    km = KaplanMeierFitter().fit(durations, events, label="Kaplan–Meier")
    km.plot_survival_function(ax=ax)
    grid = np.linspace(0, float(np.max(durations)), 300)
    ax.plot(grid, exponential_survival(grid, median_months=error.km_median),
            label="exponential with the same median")
    ax.set_xlabel(unit.capitalize())
    ax.set_ylabel("Overall survival")
    ax.legend(fontsize=9)
    return ax


# --- Kaplan–Meier and survival-model figures ------------------------------------------------

#: Most ticks (and at-risk counts) on a Kaplan–Meier time axis: at 10 pt, a three-digit count
#: under each of more than 20 ticks would touch its neighbours on a 7-inch figure.
KM_MAX_TICKS = 20

#: The shortest Kaplan–Meier time axis, in months: the book's survival data are counted in
#: months, and an axis shorter than one would show no follow-up at all.
KM_MIN_AXIS_MONTHS = 1.0

#: Smallest text on a survival figure, in points (above the book-wide MIN_FONT_PT): the
#: at-risk numbers and tick labels stay legible when a 7-inch figure is shown in the book's
#: ~750 px column.
SURVIVAL_MIN_FONT_PT = 10


_CORNERS = {c: c for c in ("upper right", "upper left", "lower right", "lower left")}


def label_synthetic(ax, text=SYNTHETIC_LABEL, *, loc="upper right"):
    """Write ``text`` (default :data:`SYNTHETIC_LABEL`) inside ``ax``, so no copy of the figure
    can be mistaken for real patients' results. Returns the matplotlib ``Text``."""
    ax = _check.axes(ax, func="label_synthetic", optional=False)
    _check.words(text, name="The label", allow_empty=False)
    loc = _validate.choice(loc, name="Label position (loc)", options=_CORNERS)
    x, ha = (0.98, "right") if loc.endswith("right") else (0.02, "left")
    y, va = (0.97, "top") if loc.startswith("upper") else (0.03, "bottom")
    return ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=SURVIVAL_MIN_FONT_PT,
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
        one curve per entry, drawn in order. The legend has a "censored" key only if a
        patient is censored within the axis.
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

    _check.survival_groups(groups, func="kaplan_meier_plot")
    max_months = _validate.number(max_months, name="The time axis (max_months)",
                                  unit=" months", high=MONTHS_MAX)
    if not max_months > 0:
        raise ValueError(f"The time axis must end after 0 months (got {max_months!r}).")
    max_months = _validate.number(max_months, name="The time axis (max_months)",
                                  unit=" months", low=KM_MIN_AXIS_MONTHS, high=MONTHS_MAX,
                                  why="Survival figures count months; a shorter axis shows "
                                      "no follow-up.")
    tick_months = _validate.number(tick_months, name="The tick spacing (tick_months)",
                                   unit=" months", low=max_months / KM_MAX_TICKS,
                                   high=max_months,
                                   why=f"At most {KM_MAX_TICKS} ticks: more would crowd the "
                                       "at-risk numbers.")
    _check.switch(synthetic, name="synthetic")
    _check.switch(at_risk, name="at_risk")
    _check.switch(ci, name="ci")
    _check.words(title, name="The title", optional=True)
    _check.words(ylabel, name="The y-axis label")
    ax = _check.axes(ax, func="kaplan_meier_plot")
    if not groups:
        raise ValueError("Give at least one group: {label: (months, died)}.")
    if not (isinstance(max_months, int | float) and max_months > 0):
        raise ValueError(f"The time axis must end after 0 months (got {max_months!r}).")
    if not (isinstance(tick_months, int | float) and 0 < tick_months <= max_months):
        raise ValueError("The tick spacing must be a positive number of months no longer "
                         f"than the axis (got {tick_months!r}).")
    if ax is None:
        # 4.4 in: with its at-risk labels outside the axes the image is ~520 px wide, so a
        # phone (~358 px column) still shows 9 pt text at 9 px (tests/browser/test_pages.py).
        _, ax = plt.subplots(figsize=(4.4, 4.2))
    fitters = []
    censored_on_axis = False
    for label, (months, died) in groups.items():
        months = np.asarray(months, dtype=float)
        died = np.asarray(died, dtype=int)
        if months.size == 0:
            raise ValueError(f"The group {label!r} has no patients.")
        censored_on_axis |= bool(((died == 0) & (months <= max_months)).any())
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
    ax.tick_params(labelsize=SURVIVAL_MIN_FONT_PT)
    if title:
        ax.set_title(title)
    handles, _ = ax.get_legend_handles_labels()
    if censored_on_axis:  # a "censored" key with no mark on the axis would only puzzle
        handles.append(Line2D([], [], color="0.3", marker="|", linestyle="none", ms=9,
                              mew=1.3, label="censored"))
    ax.legend(handles=handles, loc="lower left", fontsize=SURVIVAL_MIN_FONT_PT)
    if synthetic:
        label_synthetic(ax)
    if at_risk:
        add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"], xticks=list(ticks),
                           fontsize=SURVIVAL_MIN_FONT_PT)
        ax.set_xlabel("Months")
    return ax


def at_risk_table(ax):
    """The at-risk twin axes lifelines added under ``ax`` (``None`` if there is none).

    Used by the tests to read what the reader sees: its tick positions and labels.
    """
    ax = _check.axes(ax, func="at_risk_table", optional=False)
    for other in ax.figure.axes:
        if other is not ax and other.get_shared_y_axes().joined(other, ax) \
                and other.bbox.bounds == ax.bbox.bounds:
            return other
    return None


def scaled_schoenfeld_plot(times, residuals=None, coefficient=None, *, ax=None, name="",
                           time_label="Kaplan–Meier-transformed time", synthetic=True,
                           variance=None, legend=True):
    """Scaled Schoenfeld residuals of one covariate against (transformed) event time.

    Under proportional hazards the residuals scatter around the fitted coefficient with no
    trend; a smooth that bends away from the horizontal line is what the Grambsch–Therneau
    test measures. The smooth is a running mean over the nearest 40 % of the points (a
    simple stand-in for R's spline smooth in ``plot(cox.zph(fit))``), drawn only as a guide.

    With ``variance`` (the variance of the coefficient), a ±2 SE band is drawn around the
    smooth: under proportional hazards each scaled residual has variance ≈ deaths ×
    var(β), so a mean of k of them ± 2·sqrt(deaths · var(β) / k) — the analogue of the band
    of R's ``plot(cox.zph(fit))``. A line at β that leaves the band is evidence against
    proportional hazards.

    Parameters
    ----------
    times
        the result of :func:`nec.survival_stats.cox_zph` (then ``residuals`` is the term's
        name, and the coefficient and variance come from the result) — or the transformed
        event time of each residual (one per death);
    residuals
        the term's name, or the scaled Schoenfeld residuals *with β added* (same length);
    coefficient
        the fitted log hazard ratio, drawn as the horizontal reference line (taken from the
        result when ``times`` is one).
    legend
        Explain the points, the smooth, its band and the dashed line in a legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if hasattr(times, "residuals"):  # a cox_zph result and a term's name
        zph, term = times, residuals
        if term not in zph.terms:
            raise ValueError(f"The cox_zph result has no term {term!r}; its terms are "
                             + ", ".join(map(repr, zph.terms)) + ".")
        y_values = zph.residuals(term)
        j = zph.terms.index(term)
        coefficient, variance = zph.coefficients[j], zph.variances[j]
        times, residuals = zph.x, y_values
    if residuals is None or coefficient is None:
        raise ValueError("Give the cox_zph result and a term, or the times, the residuals "
                         "and the coefficient.")
    _check.finite_numbers(times, name="The event times")
    _check.finite_numbers(residuals, name="The residuals")
    _validate.number(coefficient, name="The coefficient (log hazard ratio)")
    if variance is not None:
        _validate.number(variance, name="The coefficient's variance", low=0,
                         low_inclusive=False)
    _check.words(name, name="The term's name")
    _check.words(time_label, name="The time axis label")
    _check.switch(synthetic, name="synthetic")
    _check.switch(legend, name="legend")
    ax = _check.axes(ax, func="scaled_schoenfeld_plot")
    x = np.asarray(times, dtype=float)
    y = np.asarray(residuals, dtype=float)
    if x.size != y.size or x.size < 3:
        raise ValueError("Give one residual per event time, for at least three events.")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 2.8))  # one panel of a stack, phone-legible
    order = np.argsort(x)
    x, y = x[order], y[order]
    k = max(3, int(round(0.4 * x.size)))
    smooth = np.array([y[np.argsort(np.abs(x - xi))[:k]].mean() for xi in x])
    ax.scatter(x, y, s=18, color=PALETTE["blue"], alpha=0.7, label="residual")
    ax.plot(x, smooth, color=PALETTE["vermillion"], linewidth=2, label="running mean")
    if variance is not None:
        half = 2 * np.sqrt(float(variance) * x.size / k)
        ax.fill_between(x, smooth - half, smooth + half, color=PALETTE["vermillion"],
                        alpha=0.15, linewidth=0, label="± 2 SE")
    ax.axhline(coefficient, color=PALETTE["black"], linestyle="--", linewidth=1,
               label="fitted β (constant)")
    if legend:
        ax.legend(fontsize=max(9, SURVIVAL_MIN_FONT_PT - 1), loc="lower left",
                  framealpha=0.8)
    ax.set_xlabel(time_label, fontsize=SURVIVAL_MIN_FONT_PT)
    ax.set_ylabel(f"β(t) for {name}" if name else "β(t)", fontsize=SURVIVAL_MIN_FONT_PT)
    ax.tick_params(labelsize=SURVIVAL_MIN_FONT_PT)
    if synthetic:
        label_synthetic(ax, "SYNTHETIC", loc="upper right")
    return ax


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
