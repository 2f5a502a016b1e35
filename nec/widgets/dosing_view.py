"""The dose-sheet explorer: a thin view over :func:`nec.dosing.regimen_sheet`."""

from __future__ import annotations

import html
import numbers

import ipywidgets as W

from nec.widgets._base import (
    _STYLE,
    _WIDE,
    _assign,
    _error_html,
    _Explorer,
    _number_with_slider,
)

#: What the measured-GFR box shows while it is switched off (it is not used then).
_GFR_BOX_IDLE_ML_MIN = 90.0

_FLOOR_OPTIONS = [("none (measured value)", "none"), ("0.7 mg/dL", "0.7"),
                  ("0.8 mg/dL", "0.8")]

_LABELS = {"regimen": "Regimen", "height_cm": "Height (cm)", "weight_kg": "Weight (kg)",
           "age": "Age (years)", "creatinine": "Serum creatinine",
           "unit": "Creatinine unit", "sex": "Sex", "weight": "Weight for Cockcroft–Gault",
           "bsa_method": "BSA formula", "gfr_ml_min": "Measured GFR (mL/min)",
           "creatinine_floor_mg_dl": "Creatinine floor"}


class DosingExplorer(_Explorer):
    """Body measures, renal function and regimen in; the regimen's dose sheet out.

    A thin view over :func:`nec.dosing.regimen_sheet`: every number shown comes from
    there, and a bad value — typed, chosen or passed to :meth:`set` or the constructor —
    shows that function's sentence (or the control's) instead of a sheet; nothing is
    raised.

    >>> ex = DosingExplorer()
    >>> ex.sheet.regimen
    'ec'
    >>> ex.set(creatinine=0)
    >>> "not a measurement" in ex.error
    True
    """

    def __init__(self, *, regimen="ec", height_cm=175.0, weight_kg=115.0, age=66.0,
                 creatinine=1.0, unit="mg/dL", sex="male", weight="actual",
                 bsa_method="mosteller", gfr_ml_min=None, creatinine_floor_mg_dl=None):
        from nec import dosing

        names = {r["regimen_id"]: r["regimen_name"] for r in dosing.regimen_rows()}
        self.regimen = W.Dropdown(options=[(v, k) for k, v in names.items()], value="ec",
                                  description="Regimen", style=_STYLE, layout=_WIDE)
        # Each slider spans what nec.dosing accepts (its bounds, not copies), so a valid
        # typed value moves it too.
        self.height_cm, self.height_slider = _number_with_slider("Height (cm)", 175.0,
                                                                 *dosing.HEIGHT_RANGE_CM, 1)
        self.weight_kg, self.weight_slider = _number_with_slider("Weight (kg)", 115.0,
                                                                 *dosing.WEIGHT_RANGE_KG, 1)
        self.age, self.age_slider = _number_with_slider("Age (years)", 66.0,
                                                        *dosing.AGE_RANGE_YEARS, 1)
        self.creatinine = W.FloatText(value=1.0, description="Serum creatinine",
                                      style=_STYLE, layout=_WIDE)
        self.unit = W.Dropdown(options=[("mg/dL", "mg/dL"), ("µmol/L", "umol/L")],
                               value="mg/dL", description="Creatinine unit", style=_STYLE,
                               layout=_WIDE)
        self.creatinine_floor = W.Dropdown(options=_FLOOR_OPTIONS, value="none",
                                           description="Creatinine floor", style=_STYLE,
                                           layout=_WIDE)
        self.sex = W.Dropdown(options=["male", "female"], value="male", description="Sex",
                              style=_STYLE, layout=_WIDE)
        self.weight = W.Dropdown(options=[("actual", "actual"), ("ideal (Devine)", "ideal"),
                                          ("adjusted", "adjusted")], value="actual",
                                 description="Weight for Cockcroft–Gault", style=_STYLE,
                                 layout=_WIDE)
        self.bsa_method = W.Dropdown(options=[("Mosteller", "mosteller"),
                                              ("DuBois", "dubois")], value="mosteller",
                                     description="BSA formula", style=_STYLE, layout=_WIDE)
        self.use_measured_gfr = W.Checkbox(value=False, description="Use a measured GFR",
                                           style=_STYLE, layout=_WIDE)
        self.gfr_ml_min = W.FloatText(value=_GFR_BOX_IDLE_ML_MIN,
                                      description="Measured GFR (mL/min)", style=_STYLE,
                                      layout=_WIDE)
        self.output = W.HTML()
        self.sheet = None
        self.error: str | None = None
        self._input_error: str | None = None
        self._quiet = True
        self.widget = W.VBox([
            W.HTML("<b>Regimen dose sheet (teaching only — not for prescribing)</b>"),
            self.regimen, self.height_cm, self.height_slider, self.weight_kg,
            self.weight_slider, self.age, self.age_slider, self.sex, self.creatinine,
            self.unit, self.creatinine_floor, self.weight, self.bsa_method,
            self.use_measured_gfr, self.gfr_ml_min, self.output,
        ])
        for control in (self.regimen, self.height_cm, self.weight_kg, self.age,
                        self.creatinine, self.unit, self.creatinine_floor, self.sex,
                        self.weight, self.bsa_method, self.use_measured_gfr,
                        self.gfr_ml_min):
            control.observe(self._changed, "value")
        self._quiet = False
        self.set(regimen=regimen, height_cm=height_cm, weight_kg=weight_kg, age=age,
                 creatinine=creatinine, unit=unit, sex=sex, weight=weight,
                 bsa_method=bsa_method, gfr_ml_min=gfr_ml_min,
                 creatinine_floor_mg_dl=creatinine_floor_mg_dl)

    _NAMES = ("regimen", "height_cm", "weight_kg", "age", "creatinine", "unit", "sex",
              "weight", "bsa_method")

    def _changed(self, _change) -> None:
        # A participant's own change replaces any earlier refused value.
        if not self._quiet:
            self._input_error = None
            self.update()

    def set(self, **values) -> None:
        """Set controls by name (those of ``__init__``), then recompute.

        A value a control cannot hold shows its sentence instead of a sheet; only an
        unknown control name raises ``ValueError`` (a programming slip, not an input).
        """
        from nec import dosing

        unknown = [n for n in values if n not in (*self._NAMES, "gfr_ml_min",
                                                  "creatinine_floor_mg_dl")]
        if unknown:
            raise ValueError(f"The dosing explorer has no control called {unknown[0]!r}; "
                             f"its controls are {', '.join(_LABELS)}.")
        problem = None
        self._quiet = True
        try:
            for name, value in values.items():
                try:
                    if name == "gfr_ml_min":
                        self.use_measured_gfr.value = value is not None
                        if value is not None:
                            _assign(self.gfr_ml_min, value, _LABELS[name])
                    elif name == "creatinine_floor_mg_dl":
                        if value is None or value == "none":
                            self.creatinine_floor.value = "none"
                        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
                            floor = dosing._creatinine_floor(value)  # the module's sentence
                            self.creatinine_floor.value = f"{floor:g}"
                        else:
                            _assign(self.creatinine_floor, value, _LABELS[name])
                    else:
                        _assign(getattr(self, name), value, _LABELS[name])
                except ValueError as err:
                    problem = problem or str(err)
        finally:
            self._quiet = False
        self._input_error = problem
        self.update()

    def _show_error(self, message: str) -> None:
        # Shown until a participant changes a control (``_changed`` clears it).
        self._input_error = message
        self.update()

    def update(self) -> None:
        from nec import dosing

        measured = self.use_measured_gfr.value
        self.gfr_ml_min.disabled = not measured
        if self._input_error is not None:
            self.sheet, self.error = None, self._input_error
            self.output.value = _error_html(self.error)
            return
        floor = self.creatinine_floor.value
        if floor is None:  # the dropdown emptied: nothing chosen, nothing to compute
            self.sheet = None
            self.error = (f"{_LABELS['creatinine_floor_mg_dl']} must be one of "
                          f"{', '.join(repr(v) for _, v in _FLOOR_OPTIONS)}, not None.")
            self.output.value = _error_html(self.error)
            return
        try:
            self.sheet = dosing.regimen_sheet(
                self.regimen.value, height_cm=self.height_cm.value,
                weight_kg=self.weight_kg.value, age=self.age.value,
                creatinine=self.creatinine.value, sex=self.sex.value, unit=self.unit.value,
                bsa_method=self.bsa_method.value, weight=self.weight.value,
                gfr_ml_min=self.gfr_ml_min.value if measured else None,
                creatinine_floor_mg_dl=None if floor == "none" else float(floor))
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
    warnings = "".join(f'<li class="nec-warning">{html.escape(w)}</li>' for w in sheet.warnings)
    return (
        '<div style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#f3f8fc;'
        'overflow-wrap:break-word">'
        f"<div><b>{html.escape(sheet.name)}</b></div>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<div>{' '.join(html.escape(f) for f in sheet.facts())}</div>"
        + (f'<div style="color:#a04000"><b>Check:</b><ul>{warnings}</ul></div>' if warnings else "")
        + "</div>"
    )


def dosing_explorer(*args, **defaults) -> DosingExplorer:
    """Create a :class:`DosingExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(DosingExplorer, "dosing_explorer", args, defaults)
