"""The evidence figures: forest plot of response and dot plot of median survival (a view).

The numbers come from the science modules (:mod:`nec.evidence` for the rows,
:mod:`nec.pooling` for counts, Wilson intervals and the pooled diamond); this module only
draws them, in the book's style and colours (:mod:`nec.plotting`). Both figures are sized
to be read on a phone as well as in the book's ~750 px column
(:data:`nec.plotting.PHONE_FIGURE_WIDTH_IN` wide, no text under 9 pt, legends under the axes)
and mark every arm whose patients include primaries outside the GEP tract (``†``, from the
``site_scope`` column of ``data/evidence.csv``) and every first-line arm whose patients were
not all treated in first line (``‡``, :func:`nec.evidence.not_all_first_line`). The forest
plot marks with ``*`` a count whose denominator was assumed (every NEC patient of the arm)
rather than printed.
"""

from __future__ import annotations

import math

from nec import _validate
from nec.evidence import NOT_ALL_FIRST_LINE_NOTE, _allowed, rows_of
from nec.pooling import pooled_response, responders, wilson_interval

#: The mark after the label of an arm whose primaries go beyond the GEP tract.
NON_GEP_MARK = "†"
NON_GEP_NOTE = "† includes primaries outside the GEP tract"
#: The mark after the label of a first-line arm whose patients were not all first line.
NOT_FIRST_LINE_MARK = "‡"
NOT_FIRST_LINE_NOTE = "‡ not all patients in first line"
#: The mark after a responder count whose denominator is assumed, not printed.
ASSUMED_DENOMINATOR_MARK = "*"
ASSUMED_DENOMINATOR_NOTE = "* n assumed: all NEC patients of the arm"

_FAMILY_COLOURS = {
    "cisplatin-etoposide": "blue",
    "carboplatin-etoposide": "sky",
    "platinum-etoposide": "purple",
    "irinotecan-platinum": "orange",
    "platinum-etoposide-plus": "green",
    "other": "grey",
    # Later lines: one colour per kind of treatment (families are also grouped by header).
    "folfiri": "orange",
    "folfiri-bevacizumab": "vermillion",
    "folfox": "yellow",
    "nal-iri-5fu": "orange",
    "temozolomide-based": "purple",
    "topotecan": "sky",
    "taxane": "blue",
    "anti-pd1": "green",
    "anti-pd1-ctla4": "green",
    "anti-pdl1": "green",
    "anti-pdl1-ctla4": "green",
    "anti-pd1-chemotherapy": "green",
    "prrt": "yellow",
    "tki": "black",
    "dll3-engager": "blue",
}


def _colour(family) -> str:
    from nec.plotting import PALETTE

    return PALETTE[_FAMILY_COLOURS.get(family, "grey")]


def _present(v) -> bool:
    import pandas as pd

    return v is not None and not (not isinstance(v, str) and pd.isna(v))


def _arm_label(study: str, row) -> str:
    # Rows whose source names no author or year are labelled by their key.
    marks = (NON_GEP_MARK if _beyond_gep(row) else "") + (
        NOT_FIRST_LINE_MARK if _not_first_line(row) else "")
    mark = f" {marks}" if marks else ""
    if not (_present(row["first_author"]) and _present(row["year"])):
        return study + mark
    arm = study.partition("_")[2]
    return (f"{row['first_author']} {int(row['year'])}" + (f" ({arm.upper()})" if arm else "")
            + mark)


def _beyond_gep(row) -> bool:
    return "site_scope" in row.index and row["site_scope"] == "beyond_gep"


def _not_first_line(row) -> bool:
    notes = row["notes"] if "notes" in row.index else None
    return isinstance(notes, str) and NOT_ALL_FIRST_LINE_NOTE in notes


def _family_layout(frame):
    """(y, kind, payload) from top to bottom: a header row per family, then its arms."""
    order = [f for f in _allowed()["regimen_family"] if f in set(frame["regimen_family"])]
    layout, y = [], 0.0
    for family in order:
        layout.append((y, "family", family))
        y -= 1
        for study in frame.index[frame["regimen_family"] == family]:
            layout.append((y, "arm", study))
            y -= 1
        y -= 0.4
    return layout, y


def _finish_rows(ax, layout, labels, extra=()):
    # Family names as bold headers, arms as plain labels, on the y axis.
    ticks = [(y, payload if kind == "family" else labels[payload], kind == "family")
             for y, kind, payload in layout]
    ticks += list(extra)
    ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks])
    for tick, (_, _, bold) in zip(ax.get_yticklabels(), ticks, strict=True):
        if bold:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


def forest_plot(frame, ax=None, *, pooled=True, method="dl"):
    """Forest plot of objective response per arm with Wilson 95 % intervals.

    One row per arm that has a printed response rate, grouped under its regimen family.
    Arms with a defensible responder count (:func:`responders`) get a filled square of
    area ∝ n and a Wilson 95 % interval, with ``responders/n`` at the right. Arms without
    one (mixed or unclear population, denominator unknown) are drawn as a hollow grey
    circle at the printed rate, without an interval, with the reason at the right; they
    are not pooled. Arms with no printed rate are left out and counted in the title.

    If ``pooled`` and at least two arms have counts, the random-effects estimate of
    :func:`pooled_response` (over *all* counted arms shown, whatever their family) is
    drawn as a diamond at the bottom spanning its 95 % interval.

    Parameters
    ----------
    frame
        Evidence rows (:func:`load_evidence`, :func:`select`).
    ax
        Axes to draw on; a new figure sized to the rows if ``None``.
    pooled
        Draw the pooled diamond.
    method
        tau² estimator for the diamond (``"dl"`` or ``"pm"``).

    Returns
    -------
    matplotlib.axes.Axes

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, select
    >>> ax = forest_plot(select(load_evidence(), family=PLATINUM_ETOPOSIDE))
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from nec.plotting import PALETTE, PHONE_FIGURE_WIDTH_IN, style

    rows_of(frame, "response_rate_pct", "regimen_family", "first_author", "year")
    if not isinstance(pooled, bool):
        raise ValueError(f"pooled must be True or False, not {pooled!r}.")
    shown = frame[frame["response_rate_pct"].notna()]
    if shown.empty:
        raise ValueError("None of the rows given has a printed response rate, so there is "
                         "nothing to draw; check the selection.")
    counts = responders(shown)
    c = counts.counts
    reasons = dict(counts.excluded)
    result = None
    if pooled and len(c) >= 2:
        result = pooled_response(shown, method=method)
    layout, y_end = _family_layout(shown)
    labels = {s: _arm_label(s, shown.loc[s]) for s in shown.index}
    with style():
        if ax is None:
            fig, ax = plt.subplots(figsize=(PHONE_FIGURE_WIDTH_IN,
                                            1.4 + 0.3 * (len(layout) + 2)))
        n_max = max(c["n"].max() if len(c) else 1, 1)
        right = ax.get_yaxis_transform()  # x in axes fraction, y in data
        for y, kind, study in layout:
            if kind != "arm":
                continue
            colour = _colour(shown.loc[study, "regimen_family"])
            if study in c.index:
                x, n = int(c.loc[study, "responders"]), int(c.loc[study, "n"])
                low, high = wilson_interval(x, n)
                ax.plot([100 * low, 100 * high], [y, y], color=colour, linewidth=1.6)
                ax.scatter([100 * x / n], [y], s=20 + 180 * n / n_max, marker="s",
                           color=colour, zorder=3)
                assumed = c.loc[study, "n_from"] != "n_response"
                ax.text(1.02, y, f"{x}/{n}" + (ASSUMED_DENOMINATOR_MARK if assumed else ""),
                        transform=right, va="center", fontsize=9)
            else:
                ax.scatter([shown.loc[study, "response_rate_pct"]], [y], s=40, marker="o",
                           facecolor="white", edgecolor=PALETTE["grey"], linewidth=1.5,
                           zorder=3)
                ax.text(1.02, y, _short_reason(reasons[study]),
                        transform=right, va="center", fontsize=9, color="0.3")
        extra = []
        if result is not None:
            y = y_end - 0.2
            lo, mid, hi = 100 * result.ci_low, 100 * result.proportion, 100 * result.ci_high
            ax.fill([lo, mid, hi, mid], [y, y + 0.35, y, y - 0.35], color=PALETTE["black"])
            ax.axvline(mid, color=PALETTE["grey"], linestyle=":", linewidth=1, zorder=0)
            ax.text(1.02, y, f"{result.n_responders}/{result.n_patients}", transform=right,
                    va="center", fontsize=9, fontweight="bold")
            extra.append((y, f"Pooled, random effects ({result.method.upper()}), "
                             f"k = {result.k}", True))
        _finish_rows(ax, layout, labels, extra)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Objective response (%), Wilson 95 % CI")
        missing = len(frame) - len(shown)
        title = "Objective response by arm"
        if missing:
            title += f"\n({_arms(missing)} without a printed rate not shown)"
        ax.set_title(title, loc="left")
        handles = [
            Line2D([], [], marker="s", color=PALETTE["black"], linestyle="-",
                   label="counted arm (area ∝ n)"),
            Line2D([], [], marker="o", markerfacecolor="white", color=PALETTE["grey"],
                   linestyle="none", label="printed rate, not counted (reason at right)"),
        ]
        _fit_columns(ax)
        _legend_below(ax, handles, ncol=1,
                      marked=any(_beyond_gep(shown.loc[s]) for s in shown.index),
                      not_first=any(_not_first_line(shown.loc[s]) for s in shown.index),
                      assumed=bool(len(c)) and bool((c["n_from"] != "n_response").any()))
    return ax


def _arms(count: int) -> str:
    return f"{count} arm" + ("" if count == 1 else "s")


def _fit_columns(ax, pad_in=0.08):
    """Fit a figure drawn by this module to its width: the arm labels on the left and the
    texts at the right (counts, medians, reasons) get just the room they need, measured,
    so that the crop is no wider than the figure (a phone shows it at its own width), and
    the title starts at the figure's left edge. A figure a chapter made is left alone."""
    fig = ax.figure
    if len(fig.axes) != 1:
        return
    renderer = fig.canvas.get_renderer()
    width_in = fig.get_figwidth()
    inches = fig.dpi_scale_trans.inverted()

    def widest(artists):
        return max((a.get_window_extent(renderer).transformed(inches).width
                    for a in artists if a.get_text()), default=0.0)

    left_in = widest(ax.get_yticklabels()) + 2 * pad_in
    right_in = widest(t for t in ax.texts if t.get_transform() != ax.transAxes) + 2 * pad_in
    fig.subplots_adjust(left=left_in / width_in, right=1 - right_in / width_in)
    axes_width_in = width_in - left_in - right_in
    ax.set_title(ax.get_title(loc="left"), loc="left", x=-(left_in - pad_in) / axes_width_in)


def _legend_below(ax, handles, ncol, marked=False, not_first=False, assumed=False):
    # A fixed distance under the x label, whatever the number of rows makes the axes' height;
    # 10 pt text in at most two columns, so that it stays legible at the column's width.
    from matplotlib.lines import Line2D

    for shown, note in ((marked, NON_GEP_NOTE), (not_first, NOT_FIRST_LINE_NOTE),
                        (assumed, ASSUMED_DENOMINATOR_NOTE)):
        if shown:
            handles = [*handles, Line2D([], [], linestyle="none", label=note)]
    position = ax.get_position()
    axes_height_in = ax.figure.get_figheight() * position.height
    if ncol == 1:  # from the figure's left edge, so that a narrow figure keeps its width
        anchor, loc = (-position.x0 / position.width, -0.62 / axes_height_in), "upper left"
    else:
        anchor, loc = (0.5, -0.62 / axes_height_in), "upper center"
    ax.legend(handles=handles, loc=loc, bbox_to_anchor=anchor,
              ncol=min(ncol, 2), fontsize=10, handlelength=2.2, columnspacing=1.2)


def _short_reason(reason: str) -> str:
    for key, short in (("mixed", "mixed population"), ("unclear", "population unclear"),
                       ("measurable", "n not printed"),
                       ("not printed", "n not printed"),
                       ("whole-number", "rate ≠ x/n"), ("CR + PR", "counts disagree"),
                       ("not NEC", "not NEC")):
        if key in reason:
            return short
    return reason


def outcome_dot_plot(frame, outcome="os", ax=None):
    """Median overall or progression-free survival per arm, grouped by regimen family.

    Marker area ∝ the arm's patients the median describes (``n_nec`` when the outcome
    population is NEC and the count is printed, otherwise ``n_total``). Arms whose
    outcome population is mixed or unclear are drawn hollow: their medians include
    non-NEC patients or may. The interval printed with each median is drawn with a line
    style for its kind (range, 95 % CI, IQR, unspecified), because a range and a CI
    cannot be read the same way; a bound the source did not print is not drawn. Arms
    without a median are left out and counted in the title.

    Parameters
    ----------
    frame
        Evidence rows.
    outcome
        ``"os"`` or ``"pfs"``.
    ax
        Axes to draw on; a new figure if ``None``.

    Returns
    -------
    matplotlib.axes.Axes

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nec.evidence import load_evidence
    >>> ax = outcome_dot_plot(load_evidence(), outcome="pfs")
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from nec.plotting import PALETTE, PHONE_FIGURE_WIDTH_IN, style

    key = _validate.choice(outcome, name="Outcome",
                           options={"os": "os", "overall survival": "os",
                                    "pfs": "pfs", "progression free survival": "pfs"})
    median_col = f"median_{key}_months"
    rows_of(frame, median_col, "regimen_family", "first_author", "year",
            "outcome_population", "n_nec", "n_total")
    shown = frame[frame[median_col].notna()]
    word = {"os": "overall survival", "pfs": "progression-free survival"}[key]
    if shown.empty:
        raise ValueError(f"None of the rows given has a median {word}, so there is nothing "
                         "to draw; check the selection.")
    line_styles = {"range": ":", "ci95": "-", "iqr": "--", "unspecified": "-."}
    kind_words = {"range": "range", "ci95": "95 % CI", "iqr": "IQR",
                  "unspecified": "interval, no level given"}
    layout, _ = _family_layout(shown)
    labels = {s: _arm_label(s, shown.loc[s]) for s in shown.index}

    def arm_n(row):
        # The OS of some series is for more patients than the arm (Benini 2025: all 173,
        # the arm is the 136 treated in first line): n_os says so.
        if key == "os" and "n_os" in row.index and _present(row["n_os"]):
            return int(row["n_os"])
        if row["outcome_population"] == "nec" and not math.isnan(row["n_nec"]):
            return int(row["n_nec"])
        # None: the source prints no arm size (drawn with the smallest marker).
        return int(row["n_total"]) if _present(row["n_total"]) else None

    sizes = {s: arm_n(shown.loc[s]) for s in shown.index}
    n_max = max([n for n in sizes.values() if n is not None], default=1)
    with style():
        if ax is None:
            fig, ax = plt.subplots(figsize=(PHONE_FIGURE_WIDTH_IN,
                                            1.4 + 0.3 * (len(layout) + 2)))
        right = ax.get_yaxis_transform()
        kinds = set()
        for y, kind, study in layout:
            if kind != "arm":
                continue
            row = shown.loc[study]
            colour = _colour(row["regimen_family"])
            median = float(row[median_col])
            low, high = row[f"{key}_low"], row[f"{key}_high"]
            interval = row[f"{key}_interval_type"]
            if interval is not None:
                kinds.add(interval)
                for bound in (low, high):
                    if not math.isnan(bound):
                        ax.plot([bound, median], [y, y], color=colour, linewidth=1.4,
                                linestyle=line_styles[interval])
            nec = row["outcome_population"] == "nec"
            n_arm = sizes[study]
            ax.scatter([median], [y], s=20 + 220 * (n_arm or 0) / n_max, marker="o",
                       facecolor=colour if nec else "white", edgecolor=colour,
                       linewidth=1.6, zorder=3)
            n_text = f"n {n_arm}" if n_arm is not None else "n not printed"
            ax.text(1.02, y, f"{median:g}, {n_text}", transform=right,
                    va="center", fontsize=9, color="0.1" if nec else "0.4")
        _finish_rows(ax, layout, labels)
        ax.set_xlim(left=0)
        ax.set_xlabel(f"Median {word} (months)\nat right: median, patients")
        missing = len(frame) - len(shown)
        title = f"Median {word} by arm"
        if missing:
            title += f"\n({_arms(missing)} without a median not shown)"
        ax.set_title(title, loc="left")
        handles = [
            Line2D([], [], marker="o", color=PALETTE["black"], linestyle="none",
                   label="NEC only (area ∝ n)"),
            Line2D([], [], marker="o", markerfacecolor="white", color=PALETTE["black"],
                   linestyle="none", label="mixed or unclear population"),
        ]
        handles += [Line2D([], [], color=PALETTE["black"], linestyle=line_styles[k],
                           label=kind_words[k]) for k in line_styles if k in kinds]
        _fit_columns(ax)
        _legend_below(ax, handles, ncol=1,
                      marked=any(_beyond_gep(shown.loc[s]) for s in shown.index),
                      not_first=any(_not_first_line(shown.loc[s]) for s in shown.index))
    return ax


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
