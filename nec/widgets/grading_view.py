"""The grading explorer: a thin view over :func:`nec.grading.classify`."""

from __future__ import annotations

import html

import ipywidgets as W

from nec import grading
from nec.widgets._base import _STYLE, _WIDE, _error_html, _Explorer, _number_with_slider


class GradingExplorer(_Explorer):
    """Ki-67, mitoses, morphology and edition in; WHO category and the deciding rule out.

    The default state is the case-report patient (seed 000): poorly differentiated
    large-cell carcinoma, Ki-67 55 %, no mitotic count reported, graded by WHO 2017.

    >>> ex = GradingExplorer()
    >>> ex.result.category
    'NEC, large-cell'
    >>> ex.set(ki67=140)
    >>> ex.error.split(".")[0]
    'Ki-67 must be between 0 and 100 % (got 140 %)'
    """

    def __init__(self, *, ki67=55.0, mitoses_per_2mm2=None, differentiation="poorly",
                 nec_subtype="large-cell", edition="2017", neuroendocrine_pct=100.0):
        self.ki67, self.ki67_slider = _number_with_slider("Ki-67 index (%)", ki67, 0, 100, 0.5)
        self.mitoses, self.mitoses_slider = _number_with_slider(
            "Mitoses per 2 mm²", 0.0 if mitoses_per_2mm2 is None else mitoses_per_2mm2,
            0, 60, 0.5)
        self.mitoses_assessed = W.Checkbox(value=mitoses_per_2mm2 is not None,
                                           description="Mitotic count assessed",
                                           style=_STYLE, layout=_WIDE)
        self.differentiation = W.Dropdown(
            options=[("well differentiated", "well"), ("poorly differentiated", "poorly")],
            value=differentiation, description="Morphology", style=_STYLE, layout=_WIDE)
        self.nec_subtype = W.Dropdown(
            options=[("not stated", ""), ("small-cell", "small-cell"),
                     ("large-cell", "large-cell")],
            value=nec_subtype or "", description="Carcinoma subtype", style=_STYLE, layout=_WIDE)
        self.edition = W.Dropdown(
            options=[(f"WHO {key} ({ed.scope.split(' (')[0]})", key)
                     for key, ed in grading.EDITIONS.items()],
            value=str(edition), description="WHO edition", style=_STYLE, layout=_WIDE)
        self.neuroendocrine_pct = W.FloatSlider(
            value=neuroendocrine_pct, min=0, max=100, step=5, readout_format=".0f",
            description="Neuroendocrine part (%)", style=_STYLE, layout=_WIDE)

        # Counting aid: mitoses over high-power fields -> per 2 mm².
        self.hpf_mitoses = W.FloatText(value=10, description="Mitoses counted", style=_STYLE,
                                       layout=_WIDE)
        self.hpf_fields = W.FloatText(value=50, description="High-power fields", style=_STYLE,
                                      layout=_WIDE)
        self.hpf_diameter = W.FloatText(value=0.55, description="Field diameter (mm)",
                                        style=_STYLE, layout=_WIDE)
        self.hpf_convert = W.Button(description="Use as mitoses per 2 mm²",
                                    layout=W.Layout(width="20em", margin="0 0 0 13.5em"))
        self.hpf_message = W.HTML()

        self.output = W.HTML()
        self.result: grading.GradingResult | None = None
        self.error: str | None = None

        counting = W.VBox([self.hpf_mitoses, self.hpf_fields, self.hpf_diameter,
                           self.hpf_convert, self.hpf_message])
        aid = W.Accordion(children=[counting], titles=("Convert a count over high-power fields",))
        aid.selected_index = None
        self.widget = W.VBox([
            W.HTML("<b>WHO grading explorer</b>"),
            self.ki67, self.ki67_slider,
            self.mitoses_assessed, self.mitoses, self.mitoses_slider,
            self.differentiation, self.nec_subtype, self.edition, self.neuroendocrine_pct,
            aid, self.output,
        ])
        for control in (self.ki67, self.mitoses, self.mitoses_assessed, self.differentiation,
                        self.nec_subtype, self.edition, self.neuroendocrine_pct):
            control.observe(self._on_change, "value")
        self.hpf_convert.on_click(self._on_convert)
        self.update()

    def set(self, **values) -> None:
        """Set controls by name as a participant would, then recompute.

        Names: ``ki67``, ``mitoses_per_2mm2`` (``None`` = not assessed),
        ``differentiation``, ``nec_subtype``, ``edition``, ``neuroendocrine_pct``.
        """
        with self.widget.hold_trait_notifications():
            for name, value in values.items():
                if name == "mitoses_per_2mm2":
                    self.mitoses_assessed.value = value is not None
                    if value is not None:
                        self.mitoses.value = value
                elif name == "nec_subtype":
                    self.nec_subtype.value = value or ""
                elif name == "edition":
                    self.edition.value = str(value)
                elif name in ("ki67", "differentiation", "neuroendocrine_pct"):
                    getattr(self, name).value = value
                else:
                    raise ValueError(f"The grading explorer has no control called {name!r}.")
        self.update()

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the controls and redraw the result."""
        well = self.differentiation.value == "well"
        if well and self.nec_subtype.value:
            self.nec_subtype.value = ""  # a subtype only describes a carcinoma
        self.nec_subtype.disabled = well
        self.mitoses.disabled = self.mitoses_slider.disabled = not self.mitoses_assessed.value
        try:
            self.result = grading.classify(
                ki67=self.ki67.value,
                mitoses_per_2mm2=self.mitoses.value if self.mitoses_assessed.value else None,
                differentiation=self.differentiation.value,
                nec_subtype=self.nec_subtype.value or None,
                edition=self.edition.value,
                neuroendocrine_pct=self.neuroendocrine_pct.value,
            )
        except ValueError as err:
            self.result, self.error = None, str(err)
            self.output.value = _error_html(self.error)
            return
        self.error = None
        self.output.value = _result_html(self.result)

    def _on_convert(self, _button=None) -> None:
        try:
            per_2mm2 = grading.mitotic_count_per_2mm2(
                mitoses=self.hpf_mitoses.value, fields=self.hpf_fields.value,
                field_diameter_mm=self.hpf_diameter.value)
        except ValueError as err:
            self.hpf_message.value = _error_html(str(err))
            return
        self.hpf_message.value = html.escape(
            f"{self.hpf_mitoses.value:g} mitoses in {self.hpf_fields.value:g} fields of "
            f"{self.hpf_diameter.value:g} mm = {per_2mm2:.2f} per 2 mm²."
        )
        self.set(mitoses_per_2mm2=round(per_2mm2, 2))


def _result_html(r: grading.GradingResult) -> str:
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    prognostic = "".join(f"<li>{html.escape(n)}</li>" for n in r.prognostic_notes)
    parts = [
        '<div style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#f3f8fc">',
        f'<div style="font-size:1.3em"><b class="nec-category">{html.escape(r.category)}</b>'
        f" &nbsp;<span>grade {r.grade_label} · WHO {r.edition}</span></div>",
        f"<div>Decided by <b>{html.escape(r.decided_by)}</b>. {html.escape(r.rule)}</div>",
    ]
    if notes:
        parts.append(f"<ul>{notes}</ul>")
    if prognostic:
        parts.append(f"<div><i>Not a WHO criterion:</i><ul>{prognostic}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def grading_explorer(**defaults) -> GradingExplorer:
    """Create a :class:`GradingExplorer`; keywords set its starting values."""
    return GradingExplorer(**defaults)


