"""The points-table audit explorer: a thin view over :func:`nec.points_audit.audit_points_table`.

The reader edits a nomogram's points table as CSV text (the columns of
:data:`nec.published.POINTS_TABLE_SCHEMA`) and the rounding it was printed with; the
explorer shows the recovered model (coefficients and hazard ratios with their rounding
bounds, the baseline survival at each printed time), the residual of every printed tick,
and the inconsistencies in plain words. Records in, HTML out: nothing here needs pandas or
matplotlib, so the same view could run in the reader's browser.
"""

from __future__ import annotations

import html
import math

import ipywidgets as W

from nec.widgets._base import _STYLE, _WIDE, _error_html, _Explorer

_CONTROLS = {"table": "Points table (CSV)", "points_error": "Points rounding (±)",
             "survival_error": "Survival rounding (±)", "scale_error": "Scale rounding (±)",
             "example": "Start from"}

#: The tables the explorer can start from, with the rounding each was printed with.
EXAMPLES = {
    "Luo 2024, Table 4": dict(points_error=0.5, survival_error=0.0, scale_error=0.0005),
    "Angeli 2020 (GRADE), Figure 5 legend": dict(points_error=0.5, survival_error=0.0,
                                                 scale_error=0.0),
    "rms: survival::veteran (not a paper)": dict(points_error=0.5, survival_error=0.0,
                                                 scale_error=0.000005),
}
#: The data/ table each example starts from.
_EXAMPLE_TABLES = {"Luo 2024, Table 4": "luo2024_nomogram",
                   "Angeli 2020 (GRADE), Figure 5 legend": "grade_angeli2020_points",
                   "rms: survival::veteran (not a paper)": "veteran_nomogram"}


#: A starting value not given (``None`` is a value a control can be set to, and refuses).
_UNSET = object()


def _example_rows(name: str) -> list[dict]:
    from nec.data import records

    return records(_EXAMPLE_TABLES[name])


def _number_box(description: str, value: float) -> W.FloatText:
    return W.FloatText(value=value, description=description, style=_STYLE, layout=_WIDE)


def _cells(values, right=()) -> str:
    return "".join(
        f"<td style='text-align:{'right' if i in right else 'left'};padding:0 0.6em'>"
        f"{html.escape(str(v))}</td>" for i, v in enumerate(values))


def _table(caption: str, header, rows, right=()) -> str:
    head = "".join(f"<th style='padding:0 0.6em;text-align:left'>{html.escape(h)}</th>"
                   for h in header)
    body = "".join(f"<tr>{_cells(r, right)}</tr>" for r in rows)
    # Scrolls inside its own box on a narrow screen rather than widening the page.
    return (f"<div style='overflow-x:auto'><table style='margin:0.4em 0'><caption "
            f"style='text-align:left'><b>{html.escape(caption)}</b></caption><tr>{head}</tr>"
            f"{body}</table></div>")


class AuditExplorer(_Explorer):
    """Edit a nomogram's points table; see the Cox model it draws and what does not fit.

    Controls: ``table`` (the CSV text), ``points_error``, ``survival_error`` and
    ``scale_error`` (the largest rounding error of a printed points value, survival and
    scale), and ``example`` (replaces the text with one of :data:`EXAMPLES`). ``result`` is
    the :class:`nec.points_audit.Audit`, or ``None`` when the input is wrong; then
    ``error`` holds the sentence shown on screen, naming the row and column of a bad cell.
    Nothing is raised.

    >>> ex = AuditExplorer()
    >>> ex.result.inconsistencies
    ()
    >>> ex.set(table=ex.table.value.replace("nomo_size_5,points,size_cm,5,,44",
    ...                                     "nomo_size_5,points,size_cm,5,,4x"))
    >>> ex.error
    "the points table, row 6, column value: '4x' is not a number."
    """

    def __init__(self, *, example="Luo 2024, Table 4", table=_UNSET, points_error=_UNSET,
                 survival_error=_UNSET, scale_error=_UNSET):
        from nec.points_audit import points_csv_text

        self._points_csv_text = points_csv_text
        first = example if isinstance(example, str) and example in EXAMPLES else (
            next(iter(EXAMPLES)))
        self.example = W.Dropdown(options=list(EXAMPLES), value=first,
                                  description="Start from", style=_STYLE, layout=_WIDE)
        self.table = W.Textarea(value=points_csv_text(_example_rows(first)),
                                description="Points table (CSV)", style=_STYLE,
                                layout=W.Layout(width="100%", max_width="46em", height="16em"))
        rounding = EXAMPLES[first]
        self.points_error = _number_box("Points rounding (±)", rounding["points_error"])
        self.survival_error = _number_box("Survival rounding (±)", rounding["survival_error"])
        self.scale_error = _number_box("Scale rounding (±)", rounding["scale_error"])
        self.output = W.HTML()
        self.result = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Auditing a nomogram from its points table</b> (edit the CSV; every "
                   "number below is recomputed from it)"),
            self.example, self.table, self.points_error, self.survival_error,
            self.scale_error, self.output,
        ])
        self._quiet = True
        for control in (self.table, self.points_error, self.survival_error,
                        self.scale_error):
            control.observe(lambda _change: self._observed(), "value")
        self.example.observe(lambda _change: self._load_example(), "value")
        start = {}
        if example != first:
            start["example"] = example  # shown as the dropdown's sentence, not raised
        for name, value in (("table", table), ("points_error", points_error),
                            ("survival_error", survival_error), ("scale_error", scale_error)):
            if value is not _UNSET:
                start[name] = value
        self.set(**start)
        self._quiet = False

    def _observed(self) -> None:
        if not self._quiet:
            self.update()

    def _load_example(self) -> None:
        name = self.example.value
        if name not in EXAMPLES:  # a dropdown can be emptied (None): say so, change nothing
            self._show_error(f"{_CONTROLS['example']} must be one of "
                             f"{', '.join(repr(e) for e in EXAMPLES)}, not {name!r}.")
            return
        quiet, self._quiet = self._quiet, True
        try:
            self.table.value = self._points_csv_text(_example_rows(name))
            for control, value in EXAMPLES[name].items():
                getattr(self, control).value = value
        finally:
            self._quiet = quiet
        if not quiet:
            self.update()

    def set(self, **values) -> None:
        """Set ``table``, ``points_error``, ``survival_error``, ``scale_error`` or
        ``example`` as a reader would; a value a control cannot take shows its sentence on
        screen instead of a result."""
        if "table" in values and not isinstance(values["table"], str):
            self._show_error(f"{_CONTROLS['table']} is text: type or paste the CSV, not "
                             f"{type(values['table']).__name__} {values['table']!r}.")
            return
        if "example" in values:  # the example replaces the table: apply it first
            values = {"example": values.pop("example"), **values}
        self._set_controls(values, _CONTROLS, "audit explorer")
        if self.example.value not in EXAMPLES:  # emptied: _load_example showed the sentence
            self._show_error(f"{_CONTROLS['example']} must be one of "
                             f"{', '.join(repr(e) for e in EXAMPLES)}, not "
                             f"{self.example.value!r}.")

    def _show_error(self, message: str) -> None:
        self.result, self.error = None, message
        self.output.value = _error_html(message)

    def update(self) -> None:
        from nec.points_audit import audit_points_table

        try:
            audit = audit_points_table(self.table.value,
                                       points_error=self.points_error.value,
                                       survival_error=self.survival_error.value,
                                       scale_error=self.scale_error.value)
        except ValueError as err:
            self._show_error(str(err))
            return
        self.result, self.error = audit, None
        self.output.value = _audit_html(audit)


def _fmt(x: float, digits: int = 3) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _points(x: float, digits: int = 1) -> str:
    """Points as the page prints them: a whole number as one (51, not 51.0), else ``digits``."""
    if x is not None and not (isinstance(x, float) and math.isnan(x)) and float(x).is_integer():
        return f"{x:.0f}"
    return _fmt(x, digits)


def _audit_html(audit) -> str:
    if audit.inconsistencies:
        found = "".join(f"<li>{html.escape(s)}</li>" for s in audit.inconsistencies)
        verdict = (f"<div role='status' style='color:#9a3a00'><b>Inconsistencies "
                   f"({len(audit.inconsistencies)})</b><ul>{found}</ul></div>")
    elif audit.relative:
        # No survival axis: nothing to fit a model to, so say what was checked and what not.
        verdict = ("<div role='status'><b>No inconsistency found</b> in what this table "
                   "prints: with no survival axis, only the printed range of totals and any "
                   "hazard ratios given can contradict its points.</div>")
    else:
        # A predictor's own points only set its coefficient: a slip there is invisible unless
        # a printed hazard ratio is given to compare with (reader review 4).
        verdict = ("<div role='status'><b>No inconsistency found:</b> one Cox model explains "
                   "every survival tick and the scale to within rounding. A slip in a "
                   "predictor's own points cannot show here: it only changes that "
                   "predictor's recovered coefficient, so compare the hazard ratios below "
                   "with the ones the source prints.</div>")
    remarks = "".join(f"<div><small>{html.escape(s)}</small></div>" for s in audit.remarks)
    from nec.points_audit import axis_label, contrast_label

    # The same precision as the page's static tables: points whole or to 0.1, coefficient
    # and bound to 4 decimals, hazard ratio to 3.
    if audit.relative and audit.model.scale is None:
        coefs = _table("Contrasts in points (no scale printed, so no coefficient)",
                       ["Predictor and contrast", "Points", "± rounding (points)"],
                       [(contrast_label(c["predictor"], c["level"] if c["reference"] is None
                                        else f"{c['level']} vs {c['reference']}"),
                         _points(c["points"]), _points(c["points_bound"], 2))
                        for c in audit.contrasts], right=(1, 2))
    else:
        coefs = _table("Recovered coefficients",
                       ["Predictor and contrast", "Points", "Coefficient", "Hazard ratio",
                        "± bound"],
                       [(contrast_label(r["predictor"], r["level"]), _points(r["points"]),
                         _fmt(r["coefficient"], 4), _fmt(r["hazard_ratio"], 3),
                         _fmt(r["bound"], 4)) for r in audit.coefficients],
                       right=(1, 2, 3, 4))
    parts = [coefs]
    if audit.baseline:
        parts.append(_table("Baseline survival of the 0-point patient",
                            ["Time", "S₀", "± bound"],
                            [(f"{b['time']:g}", _fmt(b["survival"], 3), _fmt(b["bound"], 4))
                             for b in audit.baseline], right=(1, 2)))
    if audit.totals:
        parts.append(_table("The printed range of totals against the axes",
                            ["Total", "Printed", "Sum of the axes", "Allowed", "Fits"],
                            [(t["which"], _points(t["printed"]), _points(t["from_axes"]),
                              f"±{t['bound']:g}", "yes" if t["consistent"] else "NO")
                             for t in audit.totals], right=(1, 2, 3)))
    if audit.residuals:
        ticks = _table("Every printed tick against the recovered model",
                       ["Axis", "Value", "Points printed", "Model", "Residual", "Allowed",
                        "Fits"],
                       [(axis_label(r["axis"]), f"{r['value']:g}", f"{r['points_printed']:g}",
                         _fmt(r["points_model"], 1), _fmt(r["residual_points"], 1),
                         # three decimals: a bound of 1.001 is not "1.0" (reader reviews 4, 6)
                         _fmt(r["bound_points"], 3), "yes" if r["consistent"] else "NO")
                        for r in audit.residuals], right=(1, 2, 3, 4, 5))
        parts.append(f"<details><summary>Residual of every printed tick "
                     f"({len(audit.residuals)})</summary>{ticks}</details>")
    return ('<div style="border-left:4px solid #0072B2;padding:0.3em 0.8em;'
            f'background:#f3f8fc"><div>{html.escape(audit.summary)}</div>{verdict}{remarks}'
            f"{''.join(parts)}</div>")


def audit_explorer(*args, **defaults) -> AuditExplorer:
    """Create an :class:`AuditExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(AuditExplorer, "audit_explorer", args, defaults)
