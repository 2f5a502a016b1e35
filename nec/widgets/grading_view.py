"""The grading explorer: a thin view over :func:`nec.grading.classify`."""

from __future__ import annotations

import html
import numbers

import ipywidgets as W

from nec import _validate, grading
from nec.widgets._base import (
    _STYLE,
    _WIDE,
    _assign,
    _error_html,
    _Explorer,
    _number_with_slider,
)


class GradingExplorer(_Explorer):
    """Ki-67, mitoses, morphology and edition in; WHO category and the deciding rule out.

    The default state is the case-report patient (seed 000): poorly differentiated
    large-cell carcinoma, Ki-67 55 %, no mitotic count reported, graded by WHO 2017.

    Every value goes through :mod:`nec.grading`'s own checks, so a value it refuses shows
    its sentence where the result would be, and nothing is raised (a dropdown given an
    option it lacks, text where a number belongs, a share of 150 %: none is clamped or
    silently replaced).

    >>> ex = GradingExplorer()
    >>> ex.result.category
    'NEC, large-cell'
    >>> ex.set(ki67=140)
    >>> ex.error.split(".")[0]
    'Ki-67 must be between 0 and 100 % (got 140 %)'
    >>> ex.set(edition="2031")
    >>> ex.error.split(":")[0]
    "Unknown WHO edition '2031'"
    """

    #: The names ``set`` accepts, each with the label the participant sees.
    _LABELS = {
        "ki67": "Ki-67 index (%)",
        "mitoses_per_2mm2": "Mitoses per 2 mm²",
        "differentiation": "Morphology",
        "nec_subtype": "Carcinoma subtype",
        "edition": "WHO edition",
        "neuroendocrine_pct": "Neuroendocrine part (%)",
        "hpf_mitoses": "Mitoses counted",
        "hpf_fields": "High-power fields",
        "hpf_field_diameter_mm": "Field diameter (mm)",
    }

    def __init__(self, *, ki67=55.0, mitoses_per_2mm2=None, differentiation="poorly",
                 nec_subtype="large-cell", edition="2017", neuroendocrine_pct=100.0):
        L = self._LABELS
        # The sliders span what nec.grading accepts (its bounds, not copies of them); the
        # mitotic count's slider stops at 60, three times the highest WHO cut-off (20): the
        # grades are decided below it, and a higher count (up to the module's bound of
        # MITOSES_PER_2MM2_MAX) is typed in the box.
        self.ki67, self.ki67_slider = _number_with_slider(L["ki67"], 0.0, 0,
                                                          grading.KI67_MAX_PCT, 0.5)
        self.mitoses, self.mitoses_slider = _number_with_slider(
            L["mitoses_per_2mm2"], 0.0, 0, 60, 0.5)
        self.mitoses_assessed = W.Checkbox(value=False, description="Mitotic count assessed",
                                           style=_STYLE, layout=_WIDE)
        self.differentiation = W.Dropdown(
            options=[("well differentiated", "well"), ("poorly differentiated", "poorly")],
            value="poorly", description=L["differentiation"], style=_STYLE, layout=_WIDE)
        self.nec_subtype = W.Dropdown(
            options=[("not stated", ""), ("small-cell", "small-cell"),
                     ("large-cell", "large-cell")],
            value="", description=L["nec_subtype"], style=_STYLE, layout=_WIDE)
        self.edition = W.Dropdown(
            options=[(f"WHO {key} ({ed.scope.split(' (')[0]})", key)
                     for key, ed in grading.EDITIONS.items()],
            value="2019", description=L["edition"], style=_STYLE, layout=_WIDE)
        # A typed box with a slider (not a bare slider): a slider would clamp a typed 150 %
        # to 100 % and grade the clamped value; the box passes 150 to the checks instead.
        self.neuroendocrine_pct, self.neuroendocrine_pct_slider = _number_with_slider(
            L["neuroendocrine_pct"], 100.0, 0, grading.NEUROENDOCRINE_PCT_MAX, 5)

        # Counting aid: mitoses over high-power fields -> per 2 mm².
        self.hpf_mitoses = W.FloatText(value=10, description=L["hpf_mitoses"], style=_STYLE,
                                       layout=_WIDE)
        self.hpf_fields = W.FloatText(value=50, description=L["hpf_fields"], style=_STYLE,
                                      layout=_WIDE)
        self.hpf_diameter = W.FloatText(value=0.55, description=L["hpf_field_diameter_mm"],
                                        style=_STYLE, layout=_WIDE)
        self.hpf_convert = W.Button(description="Use as mitoses per 2 mm²",
                                    layout=W.Layout(width="20em", margin="0 0 0 13.5em"))
        self.hpf_message = W.HTML()

        self.output = W.HTML()
        self._quiet = False
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
            self.differentiation, self.nec_subtype, self.edition,
            self.neuroendocrine_pct, self.neuroendocrine_pct_slider,
            aid, self.output,
        ])
        for control in (self.ki67, self.mitoses, self.mitoses_assessed, self.differentiation,
                        self.nec_subtype, self.edition, self.neuroendocrine_pct):
            control.observe(self._on_change, "value")
        self.hpf_convert.on_click(self._on_convert)
        # The starting values go through the same checks as a participant's: a bad one is
        # shown on screen, not raised.
        self.set(ki67=ki67, mitoses_per_2mm2=mitoses_per_2mm2,
                 differentiation=differentiation, nec_subtype=nec_subtype, edition=edition,
                 neuroendocrine_pct=neuroendocrine_pct)

    # --- driving the controls --------------------------------------------------------

    def set(self, **values) -> None:
        """Set controls by name as a participant would, then recompute.

        Names: ``ki67``, ``mitoses_per_2mm2`` (``None`` = not assessed),
        ``differentiation``, ``nec_subtype``, ``edition``, ``neuroendocrine_pct``, and the
        counting aid's ``hpf_mitoses``, ``hpf_fields``, ``hpf_field_diameter_mm`` (press
        :meth:`convert` to use them). A value :mod:`nec.grading` refuses is shown with its
        sentence and raises nothing; only a name that is no control raises ``ValueError``.
        """
        unknown = [name for name in values if name not in self._LABELS]
        if unknown:
            raise ValueError(f"The grading explorer has no control called {unknown[0]!r}; "
                             "its controls are " + ", ".join(self._LABELS) + ".")
        # The morphology first: whether a subtype may be set depends on it.
        order = sorted(values, key=lambda n: n != "differentiation")
        message = None
        self._quiet = True  # one recomputation at the end, not one per control
        try:
            for name in order:
                try:
                    self._put(name, values[name])
                except ValueError as err:
                    message = str(err)
                    break
        finally:
            self._quiet = False
        if message is None:
            self.update()
        elif name.startswith("hpf_"):
            self.hpf_message.value = _error_html(message)
        else:
            self._show_error(message)

    def convert(self) -> None:
        """Press the counting aid's button: convert its count and use it as the mitotic count."""
        self._on_convert()

    def _put(self, name: str, value) -> None:
        """Check ``value`` by the grading module's rules, then put it in its control.

        Raises ``ValueError`` with the module's sentence for a value it refuses; a number
        the module refuses is still shown in its box (as if typed), other values are not.
        """
        label = self._LABELS[name]
        if name == "mitoses_per_2mm2":
            if value is None:
                _assign(self.mitoses_assessed, False, "Mitotic count assessed")
                return
            _assign(self.mitoses_assessed, True, "Mitotic count assessed")
            self._put_number(self.mitoses, value, grading.check_mitoses_per_2mm2, label)
        elif name == "ki67":
            self._put_number(self.ki67, value, grading.check_ki67, label)
        elif name == "neuroendocrine_pct":
            self._put_number(self.neuroendocrine_pct, value, grading.check_neuroendocrine_pct,
                             label)
        elif name == "edition":
            _assign(self.edition, grading.get_edition(value).key, label)
        elif name == "differentiation":
            _assign(self.differentiation, _validate.choice(
                value, name="Differentiation", options=grading._DIFFERENTIATION), label)
        elif name == "nec_subtype":
            canonical = "" if value in (None, "") else _validate.choice(
                value, name="NEC subtype", options=grading._SUBTYPE)
            if canonical and self.differentiation.value == "well":
                raise ValueError(
                    f"A {canonical} subtype describes a poorly differentiated carcinoma, but "
                    "the morphology chosen is well differentiated. Choose poorly "
                    "differentiated first, or leave the subtype empty.")
            _assign(self.nec_subtype, canonical, label)
        else:  # the counting aid: its own checks run when the button is pressed
            control = {"hpf_mitoses": self.hpf_mitoses, "hpf_fields": self.hpf_fields,
                       "hpf_field_diameter_mm": self.hpf_diameter}[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                # Let the module word it: the conversion refuses what is not a number.
                grading.mitotic_count_per_2mm2(**{**self._hpf_values(), _HPF_ARG[name]: value})
            _assign(control, value, label)

    def _put_number(self, control, value, check, label) -> None:
        try:
            check(value)
        except ValueError:
            if isinstance(value, numbers.Real) and not isinstance(value, bool):
                _assign(control, value, label)  # show the typed number beside the sentence
            raise
        _assign(control, value, label)

    def _hpf_values(self) -> dict:
        return dict(mitoses=self.hpf_mitoses.value, fields=self.hpf_fields.value,
                    field_diameter_mm=self.hpf_diameter.value)

    # --- recomputing --------------------------------------------------------------------

    def _on_change(self, _change) -> None:
        if not self._quiet:
            self.update()

    def _show_error(self, message: str) -> None:
        self.result, self.error = None, message
        self.output.value = _error_html(message)

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
            self._show_error(str(err))
            return
        self.error = None
        self.output.value = _result_html(self.result)

    def _on_convert(self, _button=None) -> None:
        try:
            per_2mm2 = grading.mitotic_count_per_2mm2(**self._hpf_values())
        except ValueError as err:
            self.hpf_message.value = _error_html(str(err))
            return
        self.hpf_message.value = html.escape(
            f"{self.hpf_mitoses.value:g} mitoses in {self.hpf_fields.value:g} fields of "
            f"{self.hpf_diameter.value:g} mm = {per_2mm2:.2f} per 2 mm²."
        )
        self.set(mitoses_per_2mm2=round(per_2mm2, 2))


#: Which argument of mitotic_count_per_2mm2 each counting-aid control feeds.
_HPF_ARG = {"hpf_mitoses": "mitoses", "hpf_fields": "fields",
            "hpf_field_diameter_mm": "field_diameter_mm"}


def _result_html(r: grading.GradingResult) -> str:
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    prognostic = "".join(f"<li>{html.escape(n)}</li>" for n in r.prognostic_notes)
    if r.classifiable or r.minor_neuroendocrine:
        grade = f"{r.grade_text} · WHO {r.edition}"
    else:
        grade = f"no WHO {r.edition} category · indices alone give {r.grade_label}"
    parts = [
        '<div style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#f3f8fc">',
        f'<div style="font-size:1.3em"><b class="nec-category">{html.escape(r.category)}</b>'
        f" &nbsp;<span>{html.escape(grade)}</span></div>",
        f"<div>Decided by <b>{html.escape(r.decided_by)}</b>. {html.escape(r.rule)}</div>",
    ]
    if notes:
        parts.append(f"<ul>{notes}</ul>")
    if prognostic:
        parts.append(f"<div><i>Not a WHO criterion:</i><ul>{prognostic}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def grading_explorer(*args, **defaults) -> GradingExplorer:
    """Create a :class:`GradingExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(GradingExplorer, "grading_explorer", args, defaults)
