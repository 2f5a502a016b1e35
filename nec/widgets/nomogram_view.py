"""The dynamic nomogram explorer: a thin view over :func:`nec.nomogram.luo2024`.

Its whole science path is the standard library (:mod:`nec.nomogram_core`: the model as plain
records, evaluated with ``math``) and its curve is inline SVG drawn here, so the same explorer
runs in JupyterLab and in the live book's browser Python (Pyodide), where there is no numpy or
matplotlib. The chapter's static figures stay matplotlib.
"""

from __future__ import annotations

import html

import ipywidgets as W

from nec.plotting import PALETTE
from nec.widgets._base import (
    _STYLE,
    _WIDE,
    _error_html,
    _Explorer,
    _number_with_slider,
)

#: The explorer draws survival to 60 months: the paper's last survival axis is at 5 years,
#: and nothing in its table describes later follow-up.
CURVE_END_MONTHS = 60

_RESECTION_OPTIONS = ("yes", "no")
_TREATMENT_OPTIONS = ("chemotherapy and targeted", "chemotherapy or targeted", "neither")
_CONTROLS = {"size_cm": "Tumour size (cm)", "resection": "Primary resected",
             "treatment": "Treatment"}

TIMING_NOTE = (
    "Resection and treatment were decided after diagnosis, the start of follow-up in this "
    "cohort: they are not choices a patient makes at diagnosis, and their points describe "
    "who received what, not what a treatment would do. The model cannot be used at "
    "diagnosis."
)


class NomogramExplorer(_Explorer):
    """A dynamic nomogram in the spirit of R's DynNom, over the Luo 2024 model.

    Size, resection and treatment in; points per predictor, total points, survival at
    1, 3 and 5 years and a survival curve to 60 months out. A survival read beyond the
    range a printed survival axis covers is flagged as an extrapolation. "Keep this
    profile" adds the current curve to the plot so profiles can be compared. A thin view
    over :func:`nec.nomogram.luo2024` (points, survival, and each printed survival axis,
    :meth:`~nec.published.ReconstructedNomogram.survival_axis`) and the Weibull baseline of
    :func:`nec.cohort.baseline_weibull` (the curve between the printed years), all taken
    from :func:`nec.nomogram_core.luo2024_live`, which rebuilds them from plain records on
    ``math`` alone (tested equal to those functions). Nothing is fitted or read from disk
    per change: the model, its printed axes and the Weibull baseline are taken once, when
    the explorer is made. The curve is inline SVG (no matplotlib), so the explorer also runs
    in the browser. A value a control cannot take shows its sentence where the result would
    be; nothing is raised.

    >>> ex = NomogramExplorer(size_cm=4.4, resection="no", treatment="neither")
    >>> round(ex.result.total, 1), ex.beyond_axes
    (149.8, (1, 3, 5))
    >>> ex.set(resection="maybe")
    >>> ex.error
    "Primary resected must be one of 'yes', 'no', not 'maybe'."
    """

    def __init__(self, *, size_cm=4.4, resection="yes", treatment="chemotherapy or targeted"):
        from nec.nomogram_core import luo2024_live

        # The model, the printed survival axes of Table 4 and the curve's Weibull baseline,
        # made once from plain records (nec.nomogram_core: math only, so it runs in the
        # browser too; tested equal to luo2024(), its survival_axis() and baseline_weibull()).
        self._live = luo2024_live()
        self.model = self._live.model
        self.printed_axes = dict(self._live.printed_axes)
        self._weibull = self._live.weibull
        # The slider spans the model's printed size axis (the range its points accept).
        self.size_cm, self.size_slider = _number_with_slider("Tumour size (cm)", 4.4,
                                                             *self.model.size_range_cm, 0.1)
        self.resection = W.Dropdown(options=list(_RESECTION_OPTIONS), value="yes",
                                    description="Primary resected", style=_STYLE, layout=_WIDE)
        self.treatment = W.Dropdown(options=list(_TREATMENT_OPTIONS),
                                    value="chemotherapy or targeted", description="Treatment",
                                    style=_STYLE, layout=_WIDE)
        self.keep = W.Button(description="Keep this profile",
                             layout=W.Layout(width="14em", margin="0 0 0 13.5em"))
        self.clear = W.Button(description="Clear kept profiles", layout=W.Layout(width="14em"))
        self.output = W.HTML()
        # The curve as inline SVG with a text alternative (role="img", aria-label, <title>).
        self.plot = W.HTML()
        self.kept: list[tuple[str, float]] = []
        self.result = None
        self.survival: dict[int, float] | None = None
        self.beyond_axes: tuple[int, ...] = ()
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Dynamic nomogram — Luo 2024 model as reconstructed (teaching only; "
                   "not for use at diagnosis)</b>"),
            self.size_cm, self.size_slider, self.resection, self.treatment,
            W.HBox([self.keep, self.clear]), self.output, self.plot,
            W.HTML(f"<small>{html.escape(TIMING_NOTE)}</small>"),
        ])
        self._quiet = True  # one update after the starting values, not one per control
        for control in (self.size_cm, self.resection, self.treatment):
            control.observe(lambda _change: self._observed(), "value")
        self.keep.on_click(lambda _b: self._keep())
        self.clear.on_click(lambda _b: self._clear())
        self.set(size_cm=size_cm, resection=resection, treatment=treatment)
        self._quiet = False

    def _observed(self) -> None:
        if not self._quiet:
            self.update()

    def set(self, **values) -> None:
        """Set ``size_cm``, ``resection`` or ``treatment`` as a participant would; a value
        the control cannot take shows its sentence on screen instead of a result."""
        self._set_controls(values, _CONTROLS, "nomogram explorer")

    def _label(self) -> str:
        return (f"{self.size_cm.value:g} cm, resected {self.resection.value}, "
                f"{self.treatment.value}")

    def _keep(self) -> None:
        if self.result is not None:
            self.kept.append((self._label(), self.result.total))
            self._draw()

    def _clear(self) -> None:
        self.kept.clear()
        self._draw()

    def _show_error(self, message: str) -> None:
        self.result, self.survival, self.beyond_axes = None, None, ()
        self.error = message
        self.output.value = _error_html(message)
        self.plot.value = ""

    def _beyond(self, total: float) -> tuple[int, ...]:
        """The years whose printed axis does not reach ``total``: the published module's
        :meth:`~nec.published.SurvivalAxis.covers`, as its ``beyond_printed_axes`` uses."""
        return tuple(y for y, axis in self.printed_axes.items() if not axis.covers(total))

    def update(self) -> None:
        try:
            points = self.model.points(size_cm=self.size_cm.value,
                                       resection=self.resection.value,
                                       treatment=self.treatment.value)
        except ValueError as err:
            self._show_error(str(err))
            return
        self.result, self.error = points, None
        # No extrapolate=True: a size on its 1–10 cm axis with any levels totals at most
        # max_total_points (212), which survival() accepts. A total inside that range can
        # still lie beyond a printed survival axis; that is flagged below, not refused.
        self.survival = self.model.survival(points)
        self.beyond_axes = self._beyond(points.total)
        cells = "".join(
            f"<tr><td>{name}</td><td style='text-align:right'>{value:.1f}</td></tr>"
            for name, value in (("Size", points.size), ("Resection", points.resection),
                                ("Treatment", points.treatment),
                                ("<b>Total points</b>", points.total)))
        readings = []
        for year, s in self.survival.items():
            axis = self.printed_axes[year]
            if year in self.beyond_axes:
                side = (f"below {100 * axis.last_survival:.0f} %: the printed axis ends at "
                        f"{axis.last_points:.0f} points" if points.total > axis.last_points
                        else f"above {100 * axis.first_survival:.0f} %: the printed axis "
                        f"starts at {axis.first_points:.0f} points")
                readings.append(f"{year}-year {100 * s:.0f} % <b>extrapolated</b> ({side})")
            else:
                readings.append(f"{year}-year <b>{100 * s:.0f} %</b>")
        warning = ""
        if self.beyond_axes:
            warning = ("<div style='color:#9a3a00'><b>Beyond the printed axes.</b> The paper's "
                       "table prints no survival for this total at "
                       + ", ".join(f"{y}" for y in self.beyond_axes)
                       + " years; the figure shown is the model's line carried past the "
                       "printed ticks.</div>")
        self.output.value = (
            '<div style="border-left:4px solid #0072B2;padding:0.3em 0.8em;background:#f3f8fc">'
            f"<table>{cells}</table><div>Predicted survival: {' · '.join(readings)}</div>"
            f"{warning}<div><small>Reconstructed from the paper's points table; the curve "
            "between the printed years uses a Weibull baseline through them and stops at "
            f"{CURVE_END_MONTHS} months.</small></div></div>")
        self._draw()

    def _curve(self, total):
        """``(months, survival)`` of a total, 0 to 60 months: the Weibull baseline."""
        return self._live.survival_curve(total, CURVE_END_MONTHS)

    _KEPT_COLOURS = ("orange", "green", "purple", "sky", "vermillion")

    def _alt(self) -> str:
        """What the plot shows, in words: its alt text."""
        names = {"sky": "sky blue"}
        current = (f"the current profile ({self._label()}) in blue" if self.result is not None
                   else "no current profile (the input is not valid)")
        if self.beyond_axes:
            current += ", dashed where its total lies beyond the printed survival axes"
        colours = [self._KEPT_COLOURS[i % len(self._KEPT_COLOURS)] for i in range(len(self.kept))]
        kept = "; ".join(f"{label} in {names.get(c, c)}"
                         for (label, _), c in zip(self.kept, colours, strict=True))
        return (f"Predicted survival over {CURVE_END_MONTHS} months from the nomogram: "
                f"{current}" + (f"; kept for comparison: {kept}." if kept else "."))

    def _lines(self) -> list[tuple[str, float, str, bool, float]]:
        """(label, total, colour, dashed, width) of each curve: kept ones, then the current."""
        lines = []
        for i, (label, total) in enumerate(self.kept):
            colour = PALETTE[self._KEPT_COLOURS[i % len(self._KEPT_COLOURS)]]
            lines.append((label, total, colour, bool(self._beyond(total)), 1.8))
        if self.result is not None:
            flag = " (beyond printed axes)" if self.beyond_axes else ""
            lines.append((f"current: {self._label()}{flag}", self.result.total, PALETTE["blue"],
                          bool(self.beyond_axes), 3.0))
        return lines

    def _draw(self) -> None:
        self.plot.value = _survival_svg(
            [(label, *self._curve(total), colour, dashed, width)
             for label, total, colour, dashed, width in self._lines()],
            alt=self._alt())


# --- the curve as SVG ---------------------------------------------------------------------------
#: The plot's size in CSS pixels: the width of the 6.5 in matplotlib figure it replaces at the
#: book's 100 dpi, inside the ~750 px column; it scales down on a narrow screen (viewBox).
SVG_WIDTH_PX, SVG_PLOT_HEIGHT_PX = 650, 300
#: Text in the plot: 13 px is about 10 pt, above the book's 9 pt floor for figure text.
SVG_FONT_PX = 13
_MARGIN = {"left": 62, "right": 14, "top": 12, "bottom": 46}
_LEGEND_ROW_PX = 20


def _survival_svg(curves, *, alt: str) -> str:
    """Survival curves as an inline SVG plot, months 0–60 across, survival 0–1 up.

    ``curves`` are ``(label, months, survival, colour, dashed, width)``; each label is written
    in a legend below the axes (long labels fit there, where a legend box inside the axes
    would cover the curves). ``alt`` is the plot in words (``role="img"``, ``aria-label`` and
    ``<title>``, read by screen readers).
    """
    left, top = _MARGIN["left"], _MARGIN["top"]
    right = SVG_WIDTH_PX - _MARGIN["right"]
    bottom = SVG_PLOT_HEIGHT_PX - _MARGIN["bottom"]
    height = SVG_PLOT_HEIGHT_PX + _LEGEND_ROW_PX * len(curves) + (6 if curves else 0)

    def x_px(month: float) -> float:
        return left + (right - left) * month / CURVE_END_MONTHS

    def y_px(survival: float) -> float:
        return bottom - (bottom - top) * survival

    font = f'font-family="sans-serif" font-size="{SVG_FONT_PX}" fill="#222"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {SVG_WIDTH_PX} '
        f'{height}" width="{SVG_WIDTH_PX}" style="max-width:100%;height:auto" '
        f'aria-label="{html.escape(alt, quote=True)}"><title>{html.escape(alt)}</title>',
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        'fill="none" stroke="#444"/>',
    ]
    for month in range(0, CURVE_END_MONTHS + 1, 12):
        x = x_px(month)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" '
                     f'stroke="#444"/><text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle" '
                     f"{font}>{month}</text>")
    for tenth in range(0, 11, 2):
        y = y_px(tenth / 10)
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" '
                     f'stroke="#444"/><text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
                     f"{font}>{tenth / 10:.1f}</text>")
    parts.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 38}" text-anchor="middle" '
                 f"{font}>Months from diagnosis</text>")
    parts.append(f'<text transform="translate(16 {(top + bottom) / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle" {font}>Predicted survival</text>')
    for row, (label, months, survival, colour, dashed, width) in enumerate(curves):
        points = " ".join(f"{x_px(m):.1f},{y_px(s):.1f}"
                          for m, s in zip(months, survival, strict=True))
        dash = ' stroke-dasharray="7 4"' if dashed else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="{width}"{dash}/>')
        y = SVG_PLOT_HEIGHT_PX + 6 + _LEGEND_ROW_PX * row + _LEGEND_ROW_PX / 2
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + 30}" y2="{y:.1f}" '
                     f'stroke="{colour}" stroke-width="{width}"{dash}/>'
                     f'<text x="{left + 38}" y="{y + 4:.1f}" {font}>{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def nomogram_explorer(*args, **defaults) -> NomogramExplorer:
    """Create a :class:`NomogramExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(NomogramExplorer, "nomogram_explorer", args, defaults)
