"""Auditing a typed-in nomogram points table: CSV text in, records and sentences out.

The reader is :func:`nec.points_table.from_points_table` (what a table encodes, and the
rounding bound of every recovered number, are derived in that module); typed-in rows are
read by :func:`nec.published.read_points_table`. This module adds what an audit of a table
typed into a text box needs, on the standard library alone (no pandas, no matplotlib), so
the explorer built on it (:mod:`nec.widgets.audit_view`) could run in the reader's browser:

- :func:`parse_points_csv`: CSV *text* in the columns of
  :data:`nec.published.POINTS_TABLE_SCHEMA` to validated rows, naming the row and column of a
  malformed cell, as :func:`nec.data.load` names them in a file;
- :func:`audit_points_table`: rows or text to an :class:`Audit` (coefficients, baseline
  survival per printed time, residual per tick, inconsistencies), every part a list of
  records or sentences;
- the exercise's table: :func:`veteran_audit`, the reader on ``data/veteran_nomogram.csv``,
  a nomogram that ``rms`` printed from R's ``survival::veteran`` data (NOT a published paper:
  the stand-in for one, see ``scripts/veteran_nomogram.R``), and :func:`veteran_printed_cox`,
  the Cox table R printed beside it (``data/veteran_cox.csv``).

>>> audit = veteran_audit()
>>> [round(r["coefficient"], 4) for r in audit.coefficients][:2]
[-0.0311, 0.7267]
>>> audit.inconsistencies
()
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

#: The longest CSV text the audit reads: a points table is tens to a few hundred rows of
#: under 200 characters (Luo 2024's Table 4 typed in is 70 rows, about 6,000 characters);
#: 200,000 characters is far beyond any nomogram and stops a pasted file of something else
#: before it is parsed.
MAX_CSV_CHARS = 200_000

#: The Veterans' Administration table as rms prints it: whole points, survival at exact axis
#: labels (0.9 … 0.1, so no survival rounding), the scale to five decimals (35.77692).
VETERAN_POINTS_ERROR = 0.5
VETERAN_SCALE_ERROR = 0.000005


@dataclass(frozen=True)
class Audit:
    """What a points table gives back, as records and sentences (see :func:`audit_points_table`).

    Attributes
    ----------
    model
        The :class:`nec.points_table.PublishedModel` itself.
    coefficients
        One record per coefficient: ``predictor``, ``level``, ``points``, ``coefficient``,
        ``hazard_ratio``, ``bound`` (the rounding bound of the coefficient).
    baseline
        One record per printed time: ``time``, ``survival`` (S₀ of the 0-point patient),
        ``bound``.
    residuals
        One record per printed tick (``nec.points_table.PublishedModel.residual_records``).
    inconsistencies
        Sentences: what in the table no single Cox model explains (empty when all is well).
    remarks
        Sentences about the table's shape that are not errors (an axis that bends).
    summary
        One sentence: the scale used, how many ticks, how many inconsistent.
    """

    model: object
    coefficients: tuple
    baseline: tuple
    residuals: tuple
    inconsistencies: tuple
    remarks: tuple
    summary: str


def parse_points_csv(text, *, name: str = "the points table") -> list[dict]:
    """Validated rows of a points table typed as CSV text (columns of
    :data:`nec.published.POINTS_TABLE_SCHEMA`; ``unit`` and ``notes`` may be left out).

    A malformed cell raises ``ValueError`` naming the row (spreadsheet numbering, header =
    row 1) and the column.

    >>> rows = parse_points_csv("row_id,kind,axis,level,value,source\\n"
    ...                         "a,points,age_years,40,0,typed\\n")
    >>> rows[0]["level"], rows[0]["value"]
    ('40', 0.0)
    >>> try:
    ...     parse_points_csv("row_id,kind,axis,level,value,source\\na,point,age,40,0,typed")
    ... except ValueError as err:
    ...     print(err)
    the points table, row 2, column kind: 'point' is not one of points, total_points, scale.
    """
    from nec import data
    from nec.published import POINTS_TABLE_SCHEMA

    if not isinstance(text, str):
        raise ValueError(f"Give the points table as CSV text, not {type(text).__name__}.")
    if len(text) > MAX_CSV_CHARS:
        raise ValueError(f"{name} is {len(text):,} characters long; a points table is a few "
                         f"thousand (at most {MAX_CSV_CHARS:,} are read): is this the right "
                         "text?")
    if not text.strip():
        raise ValueError(f"{name} is empty: type or paste the table, its header first "
                         f"({', '.join(POINTS_TABLE_SCHEMA)}).")
    first_line = text.strip().splitlines()[0]
    for separator, label in ((";", "semicolons"), ("\t", "tabs")):
        if separator in first_line and "," not in first_line:
            raise ValueError(f"{name} is separated by {label}, not commas: write it as "
                             "comma-separated values.")
    try:
        rows = [r for r in csv.reader(io.StringIO(text.strip("\ufeff"), newline=""))
                if r and any(c.strip() for c in r)]
    except csv.Error as err:
        raise ValueError(f"{name} cannot be read as CSV ({err}).") from None
    header = [c.strip() for c in rows[0]]
    optional = ("unit", "notes")
    missing = [c for c in POINTS_TABLE_SCHEMA if c not in header and c not in optional]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)} in the header (a "
                         f"points table has the columns {', '.join(POINTS_TABLE_SCHEMA)}).")
    unknown = [c for c in header if c not in POINTS_TABLE_SCHEMA]
    if unknown:
        raise ValueError(f"{name}: column(s) {', '.join(unknown)} in the header are not "
                         f"points-table columns ({', '.join(POINTS_TABLE_SCHEMA)}).")
    if len(rows) < 2:
        raise ValueError(f"{name} has a header but no rows.")
    out = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"{name}, row {i}: {len(row)} cells where the header has "
                             f"{len(header)} (a comma inside an unquoted cell?).")
        record = {col: data._parse(name, i, col, cell, POINTS_TABLE_SCHEMA[col])
                  for col, cell in zip(header, row, strict=True)}
        for col in optional:
            record.setdefault(col, None)
        out.append(record)
    return out


def points_csv_text(rows) -> str:
    """Rows of a points table (as :func:`parse_points_csv` or :func:`nec.data.records` give
    them) written back as CSV text, for an editor to start from."""
    from nec.published import POINTS_TABLE_SCHEMA

    if isinstance(rows, str | bytes) or not hasattr(rows, "__iter__"):
        raise ValueError("Give the rows of a points table as a list of records.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(POINTS_TABLE_SCHEMA))
    for i, r in enumerate(rows, start=2):
        if not isinstance(r, dict):
            raise ValueError(f"Row {i} of the points table is not a record: {r!r}.")
        cells = []
        for col in POINTS_TABLE_SCHEMA:
            v = r.get(col)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                cells.append("")
            elif isinstance(v, float):
                cells.append(f"{v:g}" if v.is_integer() else repr(v))
            else:
                cells.append(str(v))
        writer.writerow(cells)
    return buffer.getvalue()


def audit_points_table(table, *, points_error: float = 0.5, survival_error: float = 0.0,
                       scale_error: float = 0.0, hazard_ratios=None,
                       source: str = "") -> Audit:
    """Recover the Cox model a points table draws and audit it, records out.

    ``table`` is CSV text (:func:`parse_points_csv`) or a list of rows
    (:func:`nec.published.read_points_table`). The other arguments are those of
    :func:`nec.points_table.from_points_table`: the largest error of a printed points value
    (0.5 = whole points), of a printed survival (0 = the survival values are exact axis
    labels; 0.005 = two decimals), of the printed scale, and printed hazard ratios to check.
    Bad input raises ``ValueError`` with a sentence naming what is wrong.

    >>> text = ("row_id,kind,axis,level,value,source\\n"
    ...         "a,points,sex,female,0,typed\\nb,points,sex,male,20,typed\\n"
    ...         "c,total_points,survival_1y,0.9,0,typed\\nd,scale,points_per_lp_unit,,50,typed\\n")
    >>> audit = audit_points_table(text)
    >>> audit.coefficients[0]["coefficient"], round(audit.baseline[0]["survival"], 3)
    (0.4, 0.9)
    """
    from nec.points_table import from_points_table
    from nec.published import read_points_table

    rows = parse_points_csv(table) if isinstance(table, str) else table
    kwargs = read_points_table(rows)
    model = from_points_table(**kwargs, points_error=points_error,
                              survival_error=survival_error, scale_error=scale_error,
                              hazard_ratios=hazard_ratios, source=source)
    bounds = model.baseline_survival_bounds()
    baseline = tuple({"time": t, "survival": s, "bound": bounds[t]}
                     for t, s in model.baseline_survival().items())
    residuals = tuple(model.residual_records())
    off = sum(not r["consistent"] for r in residuals)
    unit = kwargs["time_unit"]
    times = ", ".join(f"{t:g}" for t in model.times) + (f" {unit}" if unit else "")
    summary = (f"Scale {model.scale:.10g} points per unit of linear predictor "
               f"({model.scale_source}); {len(residuals)} printed ticks, "
               f"{off} outside what rounding allows; survival axes at {times}; "
               f"{len(model.inconsistencies)} inconsistenc"
               f"{'y' if len(model.inconsistencies) == 1 else 'ies'}.")
    return Audit(model=model, coefficients=tuple(model.coefficient_records()),
                 baseline=baseline, residuals=residuals,
                 inconsistencies=tuple(model.inconsistencies), remarks=tuple(model.remarks),
                 summary=summary)


def veteran_printed_cox() -> list[dict]:
    """``data/veteran_cox.csv``: the Cox coefficients, standard errors and (two-decimal)
    hazard ratios R printed for the model behind ``data/veteran_nomogram.csv``."""
    from nec.data import records

    return records("veteran_cox")


def veteran_hazard_ratios() -> list[dict]:
    """The printed hazard ratios of :func:`veteran_printed_cox`, as
    :func:`nec.points_table.from_points_table` checks them."""
    out = []
    for r in veteran_printed_cox():
        per_unit = r["variable"] == "karno"
        out.append({"predictor": r["variable"], "hr": r["hr"],
                    "level": None if per_unit else r["level"],
                    "reference": None if per_unit else r["reference"]})
    return out


def veteran_audit(hazard_ratios: bool = True) -> Audit:
    """The audit of ``data/veteran_nomogram.csv`` (an rms-printed table, not a paper's):
    whole points, exact survival labels, the scale to five decimals; with
    ``hazard_ratios`` the two-decimal ratios R printed are checked against the points."""
    from nec.data import records

    if not isinstance(hazard_ratios, bool):
        raise ValueError(f"hazard_ratios is True or False, not {hazard_ratios!r}.")
    return audit_points_table(
        records("veteran_nomogram"), points_error=VETERAN_POINTS_ERROR,
        scale_error=VETERAN_SCALE_ERROR,
        hazard_ratios=veteran_hazard_ratios() if hazard_ratios else None,
        source="rms nomogram of survival::veteran (scripts/veteran_nomogram.R)")


#: Reader-facing names of the axes of the two tables this book audits (the CSV keeps its
#: column names: they are the format). An axis not listed is shown under its own name.
AXIS_LABELS = {
    "size_cm": "Tumour size (cm)",
    "resection": "Primary resected",
    "treatment": "Treatment",
    "karno": "Karnofsky score",
    "celltype": "Cell type",
}
#: Contrasts worded for a reader: (axis, contrast as the reader names it) to a label.
CONTRAST_LABELS = {
    ("size_cm", "per unit, 1 to 10"): "Tumour size (per cm, 1 to 10 cm)",
    ("resection", "no vs yes"): "Primary not resected (vs resected)",
    ("treatment", "chemotherapy or targeted vs chemotherapy and targeted"):
        "Treatment: chemotherapy or targeted therapy (vs chemotherapy and targeted therapy)",
    ("treatment", "neither vs chemotherapy and targeted"):
        "Treatment: neither (vs chemotherapy and targeted therapy)",
    ("karno", "per unit, 10 to 100"): "Karnofsky score (per point, 10 to 100)",
    ("celltype", "smallcell vs squamous"): "Cell type: small cell (vs squamous)",
    ("celltype", "adeno vs squamous"): "Cell type: adenocarcinoma (vs squamous)",
    ("celltype", "large vs squamous"): "Cell type: large cell (vs squamous)",
}
#: Level values worded for a reader (the veteran table's cell types).
LEVEL_LABELS = {"smallcell": "small cell", "adeno": "adenocarcinoma", "large": "large cell"}
_TIME_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


def axis_label(axis: str) -> str:
    """A reader's name for an axis: ``survival_90d`` reads "Survival at 90 days".

    An axis the book does not know is returned as it was typed.

    >>> axis_label("survival_3y"), axis_label("karno"), axis_label("weight_kg")
    ('Survival at 3 years', 'Karnofsky score', 'weight_kg')
    >>> axis_label("survival at 90 days")
    'Survival at 90 days'
    """
    axis = str(axis)
    if axis.startswith("survival at "):  # already worded by the reader's residual records
        return "S" + axis[1:]
    if axis in AXIS_LABELS:
        return AXIS_LABELS[axis]
    time = axis.removeprefix("survival_")
    if time != axis and time[:-1].isdigit() and time[-1:] in _TIME_UNITS:
        years = int(time[:-1])
        unit = _TIME_UNITS[time[-1]]
        return f"Survival at {years} {unit[:-1] if years == 1 else unit}"
    return axis


def contrast_label(predictor: str, level: str) -> str:
    """A reader's name for a recovered coefficient (a predictor and its contrast).

    >>> contrast_label("resection", "no vs yes")
    'Primary not resected (vs resected)'
    >>> contrast_label("stage", "IV vs I")
    'stage: IV (vs I)'
    """
    key = (str(predictor), str(level))
    if key in CONTRAST_LABELS:
        return CONTRAST_LABELS[key]
    first, sep, second = key[1].partition(" vs ")
    worded = f"{first} (vs {second})" if sep else key[1]
    return f"{axis_label(key[0])}: {worded}"
