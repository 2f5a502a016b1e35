"""The dose-sheet explorer: a thin view over :func:`nec.dosing.regimen_sheet`."""

from __future__ import annotations

import html

import ipywidgets as W

from nec.widgets._base import _STYLE, _WIDE, _error_html, _Explorer, _number_with_slider


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


