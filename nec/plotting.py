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
