"""The dynamic nomogram explorer: a thin view over :func:`nec.nomogram.luo2024`."""

from __future__ import annotations

import html

import ipywidgets as W

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
    :func:`nec.cohort.baseline_weibull` (the curve between the printed years). Nothing is
    fitted or read from disk per change: the model, its printed axes and the Weibull
    baseline are taken once, when the explorer is made. A value a control cannot take
    shows its sentence where the result would be; nothing is raised.

    >>> ex = NomogramExplorer(size_cm=4.4, resection="no", treatment="neither")
    >>> round(ex.result.total, 1), ex.beyond_axes
    (149.8, (1, 3, 5))
    >>> ex.set(resection="maybe")
    >>> ex.error
    "Primary resected must be one of 'yes', 'no', not 'maybe'."
    """

    def __init__(self, *, size_cm=4.4, resection="yes", treatment="chemotherapy or targeted"):
        from nec.cohort import baseline_weibull
        from nec.nomogram import YEARS, luo2024

        self.model = luo2024()
        # The printed survival axes of Table 4, read once from the published module (its
        # beyond_printed_axes() re-reads the table per call; a slider needs it per change).
        self.printed_axes = {year: self.model.survival_axis(year) for year in YEARS}
        self._weibull = baseline_weibull()
        self.size_cm, self.size_slider = _number_with_slider("Tumour size (cm)", 4.4,
                                                             1, 10, 0.1)
        self.resection = W.Dropdown(options=list(_RESECTION_OPTIONS), value="yes",
                                    description="Primary resected", style=_STYLE, layout=_WIDE)
        self.treatment = W.Dropdown(options=list(_TREATMENT_OPTIONS),
                                    value="chemotherapy or targeted", description="Treatment",
                                    style=_STYLE, layout=_WIDE)
        self.keep = W.Button(description="Keep this profile",
                             layout=W.Layout(width="14em", margin="0 0 0 13.5em"))
        self.clear = W.Button(description="Clear kept profiles", layout=W.Layout(width="14em"))
        self.output = W.HTML()
        # The curve as an <img> with alt text (an Output widget's matplotlib image has no alt).
        self.plot = W.HTML()
        self._axes = None
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
        import numpy as np

        shape, scale = self._weibull
        months = np.linspace(0, CURVE_END_MONTHS, 121)
        lp = total / self.model.points_per_lp
        return months, np.exp(-((months / scale) ** shape) * np.exp(lp))

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

    def _figure(self):
        """The plot's figure and axes, made once: each redraw only swaps the curves."""
        if self._axes is None:
            from matplotlib.figure import Figure

            from nec.plotting import style

            with style():
                fig = Figure(figsize=(6.5, 3.4))
                ax = fig.subplots()
                ax.set_xlabel("Months from diagnosis")
                ax.set_ylabel("Predicted survival")
                ax.set_xlim(0, CURVE_END_MONTHS)
                ax.set_xticks(range(0, CURVE_END_MONTHS + 1, 12))
                ax.set_ylim(0, 1)
                # Margins fitted once to the labels, then fixed: a "tight" bounding box on
                # every redraw would draw the figure twice.
                fig.tight_layout()
            self._axes = ax
        return self._axes

    def _draw(self) -> None:
        import base64
        import io

        from nec.plotting import PALETTE, style

        ax = self._figure()
        for line in list(ax.lines):
            line.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        with style():
            for i, (label, total) in enumerate(self.kept):
                colour = PALETTE[self._KEPT_COLOURS[i % len(self._KEPT_COLOURS)]]
                ax.plot(*self._curve(total), color=colour, label=label,
                        linestyle="--" if self._beyond(total) else "-")
            if self.result is not None:
                flag = " (beyond printed axes)" if self.beyond_axes else ""
                ax.plot(*self._curve(self.result.total), color=PALETTE["blue"], linewidth=2.5,
                        linestyle="--" if self.beyond_axes else "-",
                        label=f"current: {self._label()}{flag}")
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=9, loc="upper right")
            png = io.BytesIO()
            ax.figure.savefig(png, format="png", dpi=ax.figure.dpi)
        data = base64.b64encode(png.getvalue()).decode("ascii")
        self.plot.value = (f'<img src="data:image/png;base64,{data}" '
                           f'alt="{html.escape(self._alt(), quote=True)}">')


def nomogram_explorer(*args, **defaults) -> NomogramExplorer:
    """Create a :class:`NomogramExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(NomogramExplorer, "nomogram_explorer", args, defaults)
