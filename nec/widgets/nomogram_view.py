"""The dynamic nomogram explorer: a thin view over :func:`nec.nomogram.luo2024`."""

from __future__ import annotations

import html

import ipywidgets as W

from nec.widgets._base import _STYLE, _WIDE, _error_html, _Explorer, _number_with_slider


class NomogramExplorer(_Explorer):
    """A dynamic nomogram in the spirit of R's DynNom, over the Luo 2024 model.

    Size, resection and treatment in; points per predictor, total points, survival at
    1, 3 and 5 years and a survival curve out. "Keep this profile" adds the current curve
    to the plot so profiles can be compared. A thin view over
    :func:`nec.nomogram.luo2024` (points, survival) and the Weibull baseline of
    :func:`nec.cohort.baseline_weibull` (the curve between the printed years).
    """

    def __init__(self, *, size_cm=4.4, resection="yes", treatment="chemotherapy or targeted"):
        from nec.cohort import baseline_weibull
        from nec.nomogram import luo2024

        self.model = luo2024()
        self._weibull = baseline_weibull()
        self.size_cm, self.size_slider = _number_with_slider("Tumour size (cm)", size_cm,
                                                             1, 10, 0.1)
        self.resection = W.Dropdown(options=["yes", "no"], value=resection,
                                    description="Primary resected", style=_STYLE, layout=_WIDE)
        self.treatment = W.Dropdown(
            options=["chemotherapy and targeted", "chemotherapy or targeted", "neither"],
            value=treatment, description="Treatment", style=_STYLE, layout=_WIDE)
        self.keep = W.Button(description="Keep this profile",
                             layout=W.Layout(width="14em", margin="0 0 0 13.5em"))
        self.clear = W.Button(description="Clear kept profiles", layout=W.Layout(width="14em"))
        self.output = W.HTML()
        # The curve as an <img> with alt text (an Output widget's matplotlib image has no alt).
        self.plot = W.HTML()
        self._axes = None
        self.kept: list[tuple[str, float]] = []
        self.result = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Dynamic nomogram — Luo 2024 model as reconstructed (teaching only)</b>"),
            self.size_cm, self.size_slider, self.resection, self.treatment,
            W.HBox([self.keep, self.clear]), self.output, self.plot,
        ])
        for control in (self.size_cm, self.resection, self.treatment):
            control.observe(lambda _change: self.update(), "value")
        self.keep.on_click(lambda _b: self._keep())
        self.clear.on_click(lambda _b: self._clear())
        self.update()

    def set(self, **values) -> None:
        """Set ``size_cm``, ``resection`` or ``treatment`` as a participant would."""
        for name, value in values.items():
            if name not in ("size_cm", "resection", "treatment"):
                raise ValueError(f"The nomogram explorer has no control called {name!r}.")
            getattr(self, name).value = value
        self.update()

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

    def update(self) -> None:
        try:
            points = self.model.points(size_cm=self.size_cm.value,
                                       resection=self.resection.value,
                                       treatment=self.treatment.value)
        except ValueError as err:
            self.result, self.error = None, str(err)
            self.output.value = _error_html(self.error)
            self.plot.value = ""
            return
        self.result, self.error = points, None
        survival = self.model.survival(points)
        cells = "".join(
            f"<tr><td>{name}</td><td style='text-align:right'>{value:.1f}</td></tr>"
            for name, value in (("Size", points.size), ("Resection", points.resection),
                                ("Treatment", points.treatment),
                                ("<b>Total points</b>", points.total)))
        surv = " · ".join(f"{y}-year <b>{100 * s:.0f} %</b>" for y, s in survival.items())
        self.output.value = (
            '<div style="border-left:4px solid #0072B2;padding:0.3em 0.8em;background:#f3f8fc">'
            f"<table>{cells}</table><div>Predicted survival: {surv}</div>"
            "<div><small>Reconstructed from the paper's points table; the curve between the "
            "printed years uses a Weibull baseline through them.</small></div></div>")
        self._draw()

    def _curve(self, total):
        import numpy as np

        shape, scale = self._weibull
        months = np.linspace(0, 72, 145)
        lp = total / self.model.points_per_lp
        return months, np.exp(-((months / scale) ** shape) * np.exp(lp))

    _KEPT_COLOURS = ("orange", "green", "purple", "sky", "vermillion")

    def _alt(self) -> str:
        """What the plot shows, in words: its alt text."""
        names = {"sky": "sky blue"}
        current = (f"the current profile ({self._label()}) in blue" if self.result is not None
                   else "no current profile (the input is not valid)")
        colours = [self._KEPT_COLOURS[i % len(self._KEPT_COLOURS)] for i in range(len(self.kept))]
        kept = "; ".join(f"{label} in {names.get(c, c)}"
                         for (label, _), c in zip(self.kept, colours, strict=True))
        return (f"Predicted survival over 72 months from the nomogram: {current}"
                + (f"; kept for comparison: {kept}." if kept else "."))

    def _figure(self):
        """The plot's figure and axes, made once: each redraw only swaps the curves."""
        if self._axes is None:
            from matplotlib.figure import Figure

            from nec.plotting import style

            with style():
                fig = Figure(figsize=(6.5, 3.4))
                ax = fig.subplots()
                ax.set_xlabel("Months")
                ax.set_ylabel("Predicted survival")
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
                ax.plot(*self._curve(total), color=colour, label=label)
            if self.result is not None:
                ax.plot(*self._curve(self.result.total), color=PALETTE["blue"], linewidth=2.5,
                        label=f"current: {self._label()}")
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=7, loc="upper right")
            png = io.BytesIO()
            ax.figure.savefig(png, format="png", dpi=ax.figure.dpi)
        data = base64.b64encode(png.getvalue()).decode("ascii")
        self.plot.value = (f'<img src="data:image/png;base64,{data}" '
                           f'alt="{html.escape(self._alt(), quote=True)}">')


def nomogram_explorer(**defaults) -> NomogramExplorer:
    """Create a :class:`NomogramExplorer`; keywords set its starting values."""
    return NomogramExplorer(**defaults)
