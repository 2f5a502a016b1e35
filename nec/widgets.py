"""ipywidgets explorers for workshops.

Each explorer is a thin view: it reads its controls, calls a tested function of the
science modules, and shows the result — or, when the input is wrong, the sentence of the
``ValueError`` that function raised. Nothing is computed here that the science modules do
not already offer.

Every explorer can be driven from Python (``set(...)``, then read ``result``, ``error``
and ``output.value``) so that tests and instructors' scripts exercise exactly what a
workshop participant sees.
"""

from __future__ import annotations

import html

import ipywidgets as W

from nec import grading

_STYLE = {"description_width": "13em"}
_WIDE = W.Layout(width="34em")


class _Explorer:
    """Shared display plumbing: an explorer shows as its ``widget``."""

    widget: W.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _number_with_slider(description, value, low, high, step):
    """A typed box (accepts anything, so bad values reach the checks) and a slider that
    follows it while the value is in range.

    The slider sits under the box's label and shows none of its own; its tooltip carries
    the label, so that the slider has a name for screen readers too (the book's
    ``widgets-offline.js`` hands it to the slider's handle).
    """
    text = W.FloatText(value=value, description=description, style=_STYLE, layout=_WIDE)
    slider = W.FloatSlider(value=min(max(value, low), high), min=low, max=high, step=step,
                           readout=False, tooltip=description,
                           layout=W.Layout(width="34em", margin="0 0 0 13.5em"))
    state = {"syncing": False}

    def from_slider(change):
        if not state["syncing"]:
            state["syncing"] = True
            text.value = change["new"]
            state["syncing"] = False

    def from_text(change):
        if not state["syncing"] and low <= change["new"] <= high:
            state["syncing"] = True
            slider.value = change["new"]
            state["syncing"] = False

    slider.observe(from_slider, "value")
    text.observe(from_text, "value")
    return text, slider


def _error_html(message: str) -> str:
    return (
        '<div role="alert" style="border-left:4px solid #D55E00;padding:0.4em 0.8em;'
        'background:#fff4ec"><b>Check the input.</b> ' + html.escape(message) + "</div>"
    )


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


class DosingExplorer(_Explorer):
    """Body measures, renal function and regimen in; the regimen's dose sheet out.

    A thin view over :func:`nec.dosing.regimen_sheet`: every number shown comes from
    there, and a bad value shows that function's sentence instead of a sheet.

    >>> ex = DosingExplorer()
    >>> ex.sheet.regimen
    'ec'
    >>> ex.set(creatinine=0)
    >>> "not a measurement" in ex.error
    True
    """

    def __init__(self, *, regimen="ec", height_cm=175.0, weight_kg=115.0, age=66.0,
                 creatinine=1.0, unit="mg/dL", sex="male", weight="actual",
                 bsa_method="mosteller", gfr_ml_min=None):
        from nec import dosing

        table = dosing.regimens()
        names = dict(zip(table["regimen_id"], table["regimen_name"], strict=False))
        self.regimen = W.Dropdown(options=[(v, k) for k, v in names.items()], value=regimen,
                                  description="Regimen", style=_STYLE, layout=_WIDE)
        self.height_cm, self.height_slider = _number_with_slider("Height (cm)", height_cm,
                                                                 140, 210, 1)
        self.weight_kg, self.weight_slider = _number_with_slider("Weight (kg)", weight_kg,
                                                                 35, 180, 1)
        self.age, self.age_slider = _number_with_slider("Age (years)", age, 18, 95, 1)
        self.creatinine = W.FloatText(value=creatinine, description="Serum creatinine",
                                      style=_STYLE, layout=_WIDE)
        self.unit = W.Dropdown(options=[("mg/dL", "mg/dL"), ("µmol/L", "umol/L")], value=unit,
                               description="Creatinine unit", style=_STYLE, layout=_WIDE)
        self.sex = W.Dropdown(options=["male", "female"], value=sex, description="Sex",
                              style=_STYLE, layout=_WIDE)
        self.weight = W.Dropdown(options=[("actual", "actual"), ("ideal (Devine)", "ideal"),
                                          ("adjusted", "adjusted")], value=weight,
                                 description="Weight for Cockcroft–Gault", style=_STYLE,
                                 layout=_WIDE)
        self.bsa_method = W.Dropdown(options=[("Mosteller", "mosteller"),
                                              ("DuBois", "dubois")], value=bsa_method,
                                     description="BSA formula", style=_STYLE, layout=_WIDE)
        self.use_measured_gfr = W.Checkbox(value=gfr_ml_min is not None,
                                           description="Use a measured GFR", style=_STYLE,
                                           layout=_WIDE)
        self.gfr_ml_min = W.FloatText(value=gfr_ml_min or 90.0,
                                      description="Measured GFR (mL/min)", style=_STYLE,
                                      layout=_WIDE)
        self.output = W.HTML()
        self.sheet = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Regimen dose sheet (teaching only — not for prescribing)</b>"),
            self.regimen, self.height_cm, self.height_slider, self.weight_kg,
            self.weight_slider, self.age, self.age_slider, self.sex, self.creatinine,
            self.unit, self.weight, self.bsa_method, self.use_measured_gfr,
            self.gfr_ml_min, self.output,
        ])
        for control in (self.regimen, self.height_cm, self.weight_kg, self.age,
                        self.creatinine, self.unit, self.sex, self.weight, self.bsa_method,
                        self.use_measured_gfr, self.gfr_ml_min):
            control.observe(lambda _change: self.update(), "value")
        self.update()

    _NAMES = ("regimen", "height_cm", "weight_kg", "age", "creatinine", "unit", "sex",
              "weight", "bsa_method")

    def set(self, **values) -> None:
        """Set controls by name (those of ``__init__``), then recompute."""
        for name, value in values.items():
            if name == "gfr_ml_min":
                self.use_measured_gfr.value = value is not None
                if value is not None:
                    self.gfr_ml_min.value = value
            elif name in self._NAMES:
                getattr(self, name).value = value
            else:
                raise ValueError(f"The dosing explorer has no control called {name!r}.")
        self.update()

    def update(self) -> None:
        from nec import dosing

        measured = self.use_measured_gfr.value
        self.gfr_ml_min.disabled = not measured
        try:
            self.sheet = dosing.regimen_sheet(
                self.regimen.value, height_cm=self.height_cm.value,
                weight_kg=self.weight_kg.value, age=self.age.value,
                creatinine=self.creatinine.value, sex=self.sex.value, unit=self.unit.value,
                bsa_method=self.bsa_method.value, weight=self.weight.value,
                gfr_ml_min=self.gfr_ml_min.value if measured else None)
        except ValueError as err:
            self.sheet, self.error = None, str(err)
            self.output.value = _error_html(self.error)
            return
        self.error = None
        self.output.value = _sheet_html(self.sheet)


def _sheet_html(sheet) -> str:
    cell = 'style="padding:0.2em 0.6em;text-align:{}"'
    head = "".join(f"<th {cell.format(a)}>{h}</th>" for h, a in
                   (("Drug", "left"), ("Prescribed", "left"), ("Dose per day", "right"),
                    ("Days", "left"), ("Per cycle", "right"), ("Route", "left")))
    body = "".join(
        "<tr>"
        f"<td {cell.format('left')}>{html.escape(r['drug'])}</td>"
        f"<td {cell.format('left')}>{html.escape(r['prescribed'])}</td>"
        f"<td {cell.format('right')}><b>{r['dose_per_day_mg']:.0f} mg</b></td>"
        f"<td {cell.format('left')}>{html.escape(r['days'])}</td>"
        f"<td {cell.format('right')}>{r['total_per_cycle_mg']:.0f} mg</td>"
        f"<td {cell.format('left')}>{html.escape(r['route'])}</td></tr>"
        for r in sheet.rows
    )
    facts = [f"Every {sheet.cycle_days} days. BSA {sheet.bsa_m2:.2f} m² ({sheet.bsa_method})."]
    if sheet.crcl is not None:
        c = sheet.crcl
        facts.append(f"Creatinine clearance {c.ml_min:.0f} mL/min (Cockcroft–Gault, "
                     f"{c.weight_basis} weight {c.weight_used_kg:.1f} kg).")
    if sheet.carboplatin is not None:
        k = sheet.carboplatin
        facts.append(f"Carboplatin = AUC {k.auc:g} × ({k.gfr_used_ml_min:.0f} + 25) = "
                     f"{k.dose_mg:.0f} mg.")
    warnings = "".join(f'<li class="nec-warning">{html.escape(w)}</li>' for w in sheet.warnings)
    return (
        '<div style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#f3f8fc">'
        f"<div><b>{html.escape(sheet.name)}</b></div>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<div>{' '.join(html.escape(f) for f in facts)}</div>"
        + (f'<div style="color:#a04000"><b>Check:</b><ul>{warnings}</ul></div>' if warnings else "")
        + "</div>"
    )


def dosing_explorer(**defaults) -> DosingExplorer:
    """Create a :class:`DosingExplorer`; keywords set its starting values."""
    return DosingExplorer(**defaults)


class OptionsExplorer(_Explorer):
    """Patient features in; every second-line option whose evidence matches, with its rows.

    A thin view over :func:`nec.second_line.options`. It lists options alphabetically,
    never ranks them, and shows the options left out with the reason.
    """

    def __init__(self, *, months_since_first_line=2.0, ki67=80.0, morphology="nec",
                 sstr_imaging="negative", performance_status=1, msi="unknown", tmb="unknown"):
        from nec.evidence import load_evidence
        from nec.second_line import option_table

        self._evidence, self._table = load_evidence(), option_table()
        self.months_since_first_line, self.months_slider = _number_with_slider(
            "Months since 1st line", months_since_first_line, 0, 36, 0.5)
        self.ki67, self.ki67_slider = _number_with_slider("Ki-67 (%)", ki67, 0, 100, 1)
        self.morphology = W.Dropdown(options=[("poorly differentiated NEC", "nec"),
                                              ("well-differentiated NET G3", "net_g3")],
                                     value=morphology, description="Morphology", style=_STYLE,
                                     layout=_WIDE)
        self.sstr_imaging = W.Dropdown(options=["positive", "negative", "unknown"],
                                       value=sstr_imaging, description="SSTR imaging",
                                       style=_STYLE, layout=_WIDE)
        self.performance_status = W.Dropdown(options=[0, 1, 2, 3, 4], value=performance_status,
                                             description="ECOG PS",
                                             style=_STYLE, layout=_WIDE)
        self.msi = W.Dropdown(options=[("MSI-high / dMMR", "msi_h"), ("MSS / pMMR", "mss"),
                                       ("unknown", "unknown")], value=msi,
                              description="MSI status", style=_STYLE, layout=_WIDE)
        self.tmb = W.Dropdown(options=["high", "low", "unknown"], value=tmb,
                              description="TMB", style=_STYLE,
                              layout=_WIDE)
        self.output = W.HTML()
        self.answer = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Second-line options explorer — lists evidence, never ranks or "
                   "recommends</b>"),
            self.months_since_first_line, self.months_slider, self.ki67, self.ki67_slider,
            self.morphology, self.sstr_imaging, self.performance_status, self.msi, self.tmb,
            self.output,
        ])
        for control in (self.months_since_first_line, self.ki67, self.morphology,
                        self.sstr_imaging, self.performance_status, self.msi, self.tmb):
            control.observe(lambda _change: self.update(), "value")
        self.update()

    _NAMES = ("months_since_first_line", "ki67", "morphology", "sstr_imaging",
              "performance_status", "msi", "tmb")

    def set(self, **values) -> None:
        """Set controls by name (those of ``__init__``), then recompute."""
        for name, value in values.items():
            if name not in self._NAMES:
                raise ValueError(f"The options explorer has no control called {name!r}.")
            getattr(self, name).value = value
        self.update()

    def update(self) -> None:
        from nec.second_line import options

        try:
            self.answer = options(
                evidence=self._evidence, table=self._table,
                **{name: getattr(self, name).value for name in self._NAMES})
        except ValueError as err:
            self.answer, self.error = None, str(err)
            self.output.value = _error_html(self.error)
            return
        self.error = None
        self.output.value = _options_html(self.answer)


def _fmt(value, unit=""):
    import pandas as pd

    return "–" if value is None or pd.isna(value) else f"{float(value):g}{unit}"


def _design_line(row) -> str:
    design = row["design"] or "design not stated"
    line = row["line"]
    return f"{design}; " + ("line not stated" if line == "not_stated"
                            else f"{line.replace('_', ' ')} line")


def _study_label(study_id, row) -> str:
    import pandas as pd

    author, year = row["first_author"], row["year"]
    if author is None or pd.isna(author):
        return str(study_id)
    return f"{author} {int(year)}" if not pd.isna(year) else str(author)


def _options_html(answer) -> str:
    from nec.second_line import DISCLAIMER

    cell = 'style="padding:0.15em 0.5em;text-align:left"'
    parts = [f'<div style="padding:0.3em 0"><i>{html.escape(DISCLAIMER)}</i></div>']
    for o in answer.shown:
        rows = "".join(
            f"<tr><td {cell}>{html.escape(_study_label(sid, r))}<br>"
            f"<small>{html.escape(str(r['regimen_family']))}</small></td>"
            f"<td {cell}>{html.escape(_design_line(r))}</td>"
            f"<td {cell}>{_fmt(r['n_total'])}</td>"
            f"<td {cell}>{_fmt(r['response_rate_pct'], ' %')}</td>"
            f"<td {cell}>{_fmt(r['median_pfs_months'], ' mo')}</td>"
            f"<td {cell}>{_fmt(r['median_os_months'], ' mo')}</td></tr>"
            for sid, r in o.evidence.iterrows()
        ) or f'<tr><td {cell} colspan="6">no study arm with numbers in the data</td></tr>'
        head = "".join(f"<th {cell}>{h}</th>" for h in
                       ("Study", "Design, line", "n", "Response", "Median PFS", "Median OS"))
        caveats = "".join(f"<li>{html.escape(c)}</li>" for c in o.caveats)
        parts.append(
            '<div class="nec-option" style="border-left:4px solid #0072B2;margin:0.4em 0;'
            'padding:0.3em 0.8em;background:#f3f8fc">'
            f"<b>{html.escape(o.name)}</b> — {html.escape(o.reasons[0])}"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            + (f"<ul>{caveats}</ul>" if caveats else "") + "</div>")
    if answer.not_shown:
        items = "".join(f"<li><b>{html.escape(o.name)}</b>: {html.escape('; '.join(o.reasons))}"
                        "</li>" for o in answer.not_shown)
        parts.append(f"<details><summary>Not shown ({len(answer.not_shown)})</summary>"
                     f"<ul>{items}</ul></details>")
    parts += [f"<div><i>{html.escape(n)}</i></div>" for n in answer.notes]
    return "".join(parts)


def options_explorer(**defaults) -> OptionsExplorer:
    """Create an :class:`OptionsExplorer`; keywords set its starting values."""
    return OptionsExplorer(**defaults)


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
