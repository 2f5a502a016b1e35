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
- tables that print less than an ``rms`` nomogram: no survival axis (only points, as a score
  chart does), no scale, a lowest level that carries points (an offset on every total), and
  a printed range of totals (kind ``total_range``). With no survival axis the points fix
  each effect only relative to the others (:func:`relative_effect`); printed hazard ratios,
  when given, set the scale and are checked against each other (see
  :func:`audit_points_table`);
- the second published table: :func:`grade_audit`, the reader on the points Angeli et al.
  2020 print for the GRADE (``data/grade_angeli2020_points.csv``);
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
#: The GRADE legend prints whole points (37, 28, 60, …).
GRADE_POINTS_ERROR = 0.5


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
    contrasts
        One record per contrast, in points (what a table gives even with no scale):
        ``predictor``, ``level`` (a categorical level, or ``per unit, a to b`` along a
        continuous axis), ``reference`` (the lowest-points level; ``None`` on a continuous
        axis), ``points`` (the difference, or points per unit), ``points_bound`` (what
        rounding allows on it).
    offsets
        One record per predictor whose lowest value carries points (``predictor``,
        ``level``, ``points``): together they are a constant in every total.
    totals
        One record per printed lowest or highest total (``which``, ``printed``,
        ``from_axes``: the sum of the predictors' lowest or highest points, ``bound``,
        ``consistent``).
    relative
        ``True`` when no survival axis is printed: no baseline, and no coefficient unless a
        scale is printed or set by printed hazard ratios.
    """

    model: object
    coefficients: tuple
    baseline: tuple
    residuals: tuple
    inconsistencies: tuple
    remarks: tuple
    summary: str
    contrasts: tuple = ()
    offsets: tuple = ()
    totals: tuple = ()
    relative: bool = False


#: A printed range of totals: a row of kind ``total_range``, axis ``total_points``, level
#: one of these, value the total the paper prints ("the total score ranges from 112 to 333").
TOTAL_RANGE_LEVELS = ("lowest", "highest")


def audit_table_schema() -> dict:
    """The columns an audited table may use: :data:`nec.published.POINTS_TABLE_SCHEMA`, with
    the kind ``total_range`` added (a printed lowest or highest total)."""
    from nec.published import POINTS_TABLE_SCHEMA

    schema = {col: dict(spec) for col, spec in POINTS_TABLE_SCHEMA.items()}
    schema["kind"]["allowed"] += "|total_range"
    return schema


def parse_points_csv(text, *, name: str = "the points table") -> list[dict]:
    """Validated rows of a points table typed as CSV text (columns of
    :data:`nec.published.POINTS_TABLE_SCHEMA`; ``unit`` and ``notes`` may be left out; the
    kind ``total_range`` is allowed too, see :func:`audit_table_schema`).

    A malformed cell raises ``ValueError`` naming the row (spreadsheet numbering, header =
    row 1) and the column.

    >>> rows = parse_points_csv("row_id,kind,axis,level,value,source\\n"
    ...                         "a,points,age_years,40,0,typed\\n")
    >>> rows[0]["level"], rows[0]["value"]
    ('40', 0.0)
    >>> try:
    ...     parse_points_csv("row_id,kind,axis,level,value,source\\na,point,age,40,0,typed")
    ... except ValueError as err:
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    the points table, row 2, column kind: 'point' is not one of points, total_points, scale,
    total_range.
    """
    from nec import data

    schema = audit_table_schema()

    if not isinstance(text, str):
        raise ValueError(f"Give the points table as CSV text, not {type(text).__name__}.")
    if len(text) > MAX_CSV_CHARS:
        raise ValueError(f"{name} is {len(text):,} characters long; a points table is a few "
                         f"thousand (at most {MAX_CSV_CHARS:,} are read): is this the right "
                         "text?")
    if not text.strip():
        raise ValueError(f"{name} is empty: type or paste the table, its header first "
                         f"({', '.join(schema)}).")
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
    missing = [c for c in schema if c not in header and c not in optional]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)} in the header (a "
                         f"points table has the columns {', '.join(schema)}).")
    unknown = [c for c in header if c not in schema]
    if unknown:
        raise ValueError(f"{name}: column(s) {', '.join(unknown)} in the header are not "
                         f"points-table columns ({', '.join(schema)}).")
    if len(rows) < 2:
        raise ValueError(f"{name} has a header but no rows.")
    out = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"{name}, row {i}: {len(row)} cells where the header has "
                             f"{len(header)} (a comma inside an unquoted cell?).")
        record = {col: data._parse(name, i, col, cell, schema[col])
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

    A table with no survival axis (no ``total_points`` rows: a score chart, or a nomogram
    whose outcome axis is only drawn) is audited for what it does give (``relative`` is
    then ``True``): every contrast in points with its rounding bound, the offset its lowest
    levels carry, the printed range of totals against the axes. Its coefficients need a
    scale: printed, or set by printed hazard ratios. Each ratio gives the scale an interval
    (its contrast's points, ± rounding, over its log, ± 0.005: two decimals, wider than a
    ratio printed to three needs); ratios whose
    intervals do not overlap cannot all describe these points, and are named.

    >>> text = ("row_id,kind,axis,level,value,source\\n"
    ...         "a,points,sex,female,0,typed\\nb,points,sex,male,20,typed\\n"
    ...         "c,total_points,survival_1y,0.9,0,typed\\nd,scale,points_per_lp_unit,,50,typed\\n")
    >>> audit = audit_points_table(text)
    >>> audit.coefficients[0]["coefficient"], round(audit.baseline[0]["survival"], 3)
    (0.4, 0.9)
    >>> score = audit_points_table("row_id,kind,axis,level,value,source\\n"
    ...                            "a,points,sex,female,10,typed\\nb,points,sex,male,30,typed\\n")
    >>> score.relative, score.contrasts[0]["points"], score.offsets[0]["points"]
    (True, 20.0, 10.0)
    """
    from nec.points_table import _num, from_points_table
    from nec.published import read_points_table

    delta_t = _num(points_error, "The points rounding (points_error)", low=0, high=50)
    rows = parse_points_csv(table) if isinstance(table, str) else table
    if isinstance(rows, dict) or not hasattr(rows, "__iter__"):
        raise ValueError("Give the points table as CSV text or as a list of row records, "
                         f"not {type(rows).__name__}.")
    printed_totals, rows = _total_range_rows(list(rows))
    if not any(isinstance(r, dict) and r.get("kind") == "total_points" for r in rows):
        return _relative_audit(rows, printed_totals, delta_t, scale_error, hazard_ratios,
                               source)
    kwargs = read_points_table(rows)
    model = from_points_table(**kwargs, points_error=points_error,
                              survival_error=survival_error, scale_error=scale_error,
                              hazard_ratios=hazard_ratios, source=source)
    bounds = model.baseline_survival_bounds()
    baseline = tuple({"time": t, "survival": s, "bound": bounds[t]}
                     for t, s in model.baseline_survival().items())
    residuals = tuple(model.residual_records())
    off = sum(not r["consistent"] for r in residuals)
    contrasts = _contrasts(model.continuous, model.categorical, delta_t)
    offsets, totals, notes, remarks = _offsets_and_totals(
        model.continuous, model.categorical, printed_totals, delta_t, survival_axis=True)
    inconsistencies = (*model.inconsistencies, *notes)
    unit = kwargs["time_unit"]
    times = ", ".join(f"{t:g}" for t in model.times) + (f" {unit}" if unit else "")
    summary = (f"Scale {model.scale:.10g} points per unit of linear predictor "
               f"({model.scale_source}); {len(residuals)} printed ticks, "
               f"{off} outside what rounding allows; survival axes at {times}; "
               f"{_count(len(inconsistencies))}.")
    return Audit(model=model, coefficients=tuple(model.coefficient_records()),
                 baseline=baseline, residuals=residuals,
                 inconsistencies=tuple(inconsistencies),
                 remarks=(*model.remarks, *remarks), summary=summary, contrasts=contrasts,
                 offsets=offsets, totals=totals)


def _count(n: int) -> str:
    return f"{n} inconsistenc{'y' if n == 1 else 'ies'}"


def _total_range_rows(rows) -> tuple[dict, list]:
    """The printed lowest/highest totals (``{'lowest': (row, value)}``) and the rows for the
    reader: each total_range row replaced by a scale row the reader ignores (a scale row not
    named points_per_lp_unit), so that every later row keeps its row number in sentences."""
    printed, rest = {}, []
    for i, r in enumerate(rows, start=2):
        if not isinstance(r, dict) or r.get("kind") != "total_range":
            rest.append(r)
            continue
        rest.append({**r, "kind": "scale", "axis": "printed_total_range"})
        where = f"the points table, row {i}"
        if r.get("axis") != "total_points":
            raise ValueError(f"{where}, column axis: a total_range row's axis is total_points, "
                             f"not {r.get('axis')!r}.")
        level = r.get("level")
        if level not in TOTAL_RANGE_LEVELS:
            raise ValueError(f"{where}, column level: a total_range row's level is lowest or "
                             f"highest (the printed range of totals), not {level!r}.")
        if level in printed:
            raise ValueError(f"{where}, column level: the {level} total is already printed on "
                             f"row {printed[level][0]}.")
        printed[level] = (i, r.get("value"))
    return printed, rest


def _contrasts(continuous: dict, categorical: dict, delta_t: float) -> tuple:
    """Every contrast in points with its rounding bound (no scale needed)."""
    out = []
    for name, axis in continuous.items():
        for p in axis.pieces:
            width = p.x_high - p.x_low
            out.append({"predictor": name, "level": f"per unit, {p.x_low:g} to {p.x_high:g}",
                        "reference": None, "points": p.points_per_unit,
                        "points_bound": 2 * delta_t / width})
    for name, levels in categorical.items():
        ref = min(levels, key=levels.get)
        for level, pts in levels.items():
            if level != ref:
                out.append({"predictor": name, "level": level, "reference": ref,
                            "points": pts - levels[ref], "points_bound": 2 * delta_t})
    return tuple(out)


def _offsets_and_totals(continuous, categorical, printed, delta_t, *, survival_axis):
    """Offset records, printed-total records, and the sentences they give."""
    lows = {name: min(axis.ticks, key=lambda t: t[1]) for name, axis in continuous.items()}
    lows.update({name: min(levels.items(), key=lambda kv: kv[1])
                 for name, levels in categorical.items()})
    highs = [max(p for _, p in a.ticks) for a in continuous.values()] + [
        max(v.values()) for v in categorical.values()]
    offsets = tuple({"predictor": name, "level": level, "points": pts}
                    for name, (level, pts) in lows.items() if pts > 0)
    offset = sum(r["points"] for r in offsets)
    notes, remarks = [], []
    if offsets:
        shown = ", ".join(f"{axis_label(r['predictor'])} {r['level']!s} ({r['points']:g})"
                          for r in offsets)
        text = (f"The lowest value of {len(offsets)} predictor"
                f"{'s' if len(offsets) > 1 else ''} carries points, not 0 as on an rms "
                f"nomogram: {shown}. Every total therefore includes {offset:g} points that "
                "no patient can avoid. Differences between patients, and so every hazard "
                "ratio and every ranking, are unchanged; but totals start at "
                f"{offset:g}, not 0, so a risk or survival axis must be read at the total as "
                "printed, never at a total counted from 0")
        if survival_axis:
            text += (f"; and the 0-point patient whose baseline is recovered lies {offset:g}"
                     " points below the lowest-risk real patient (an extrapolation)")
        remarks.append(text + ".")
    k = len(lows)
    sums = {"lowest": sum(p for _, p in lows.values()), "highest": sum(highs)}
    totals = []
    for which in TOTAL_RANGE_LEVELS:
        if which not in printed:
            continue
        _row, value = printed[which]
        bound = (k + 1) * delta_t  # k rounded axis values and the printed total itself
        ok = abs(value - sums[which]) <= bound + 1e-9
        totals.append({"which": which, "printed": value, "from_axes": sums[which],
                       "bound": bound, "consistent": ok})
        if not ok:
            notes.append(f"The paper prints a {which} total of {value:g}, but the "
                         f"predictors' {which} points add up to {sums[which]:g}, "
                         f"{abs(value - sums[which]):g} apart, more than the {bound:g} that "
                         "rounding allows: a level's points or the printed range is off.")
    if totals and all(t["consistent"] for t in totals):
        remarks.append("The printed range of totals is the sum of the predictors' "
                       + " and ".join(f"{t['which']} points ({t['from_axes']:g}; printed "
                                      f"{t['printed']:g})" for t in totals) + ".")
    return offsets, tuple(totals), notes, remarks


@dataclass(frozen=True)
class PointsOnlyModel:
    """What a table without a survival axis gives: the axes, and a scale if one is known.

    ``continuous`` holds :class:`nec.points_table.ContinuousAxis` read in points (each
    piece's ``coefficient`` is its points per unit); ``categorical`` the points per level;
    ``scale`` is ``None`` when neither printed nor set by printed hazard ratios, else with
    ``scale_low``/``scale_high`` (the interval rounding allows) and ``scale_source``.
    """

    continuous: dict
    categorical: dict
    scale: float | None
    scale_low: float | None
    scale_high: float | None
    scale_source: str
    points_error: float
    source: str = ""

    @property
    def predictors(self) -> list[str]:
        return [*self.continuous, *self.categorical]


def _relative_audit(rows, printed_totals, delta_t, scale_error, hazard_ratios, source):
    from nec.points_table import _axis_residuals, _categorical, _continuous_axis, _num
    from nec.published import read_points_table

    eps_s = _num(scale_error, "The scale rounding (scale_error)", low=0)
    # read_points_table demands a survival axis; this table has none, so one placeholder
    # tick is appended after the typed rows (its row number is past the last, so every
    # sentence about a typed row still names that row) and dropped again.
    placeholder = {"row_id": "placeholder", "kind": "total_points", "axis": "survival_1y",
                   "level": "0.5", "unit": None, "value": 0.0, "source": "", "notes": None}
    kwargs = read_points_table([*rows, placeholder])
    continuous = {name: _continuous_axis(name, ticks, 1.0, delta_t, 0.0)
                  for name, ticks in kwargs["continuous"].items()}
    categorical = {name: _categorical(name, levels)
                   for name, levels in kwargs["categorical"].items()}
    contrasts = _contrasts(continuous, categorical, delta_t)
    offsets, totals, notes, remarks = _offsets_and_totals(
        continuous, categorical, printed_totals, delta_t, survival_axis=False)
    residuals = []
    _axis_residuals(continuous, delta_t, residuals, remarks)

    scale = kwargs["scale"]
    if scale is not None:
        scale = _num(scale, "The printed scale (points per unit of linear predictor)", low=0)
        if scale == 0:
            raise ValueError("The printed scale is 0 points per unit of linear predictor: a "
                             "nomogram's scale is a positive number (29.528 in Luo 2024).")
    checked = _hazard_ratio_intervals(hazard_ratios, continuous, categorical, delta_t)
    s_low = s_high = None
    if scale is not None:
        s_low, s_high, s_source = scale - eps_s, scale + eps_s, "printed"
        for c in checked:
            if c["sign_conflict"] or c["low"] > s_high + 1e-12 or c["high"] < s_low - 1e-12:
                notes.append(_hr_sentence(c, scale))
    elif checked:
        usable = [c for c in checked if not c["sign_conflict"]]
        notes += [_hr_sentence(c, None) for c in checked if c["sign_conflict"]]
        low = max((c["low"] for c in usable), default=None)
        high = min((c["high"] for c in usable), default=None)
        if usable and low <= high:
            estimates = sorted(c["estimate"] for c in usable)
            middle = estimates[len(estimates) // 2] if len(estimates) % 2 else (
                (estimates[len(estimates) // 2 - 1] + estimates[len(estimates) // 2]) / 2)
            scale, s_low, s_high = min(max(middle, low), high), low, high
            s_source = (f"set by {len(usable)} printed hazard ratio"
                        f"{'s' if len(usable) > 1 else ''}")
            if len(usable) == 1:
                remarks.append("One printed hazard ratio sets the scale; with only one, "
                               "nothing can be checked against it.")
        elif usable:
            for i, a in enumerate(usable):
                for b in usable[i + 1:]:
                    if a["low"] > b["high"] or b["low"] > a["high"]:
                        notes.append(_pair_sentence(a, b))
            estimates = sorted(c["estimate"] for c in usable)
            scale = estimates[len(estimates) // 2]
            s_low = s_high = None
            s_source = "set by printed hazard ratios that disagree"
    if scale is None:
        s_source = "not printed, and no hazard ratio given to set it"
    model = PointsOnlyModel(continuous=continuous, categorical=categorical, scale=scale,
                            scale_low=s_low, scale_high=s_high, scale_source=s_source,
                            points_error=delta_t, source=source)
    coefficients = []
    for c in contrasts:
        level = c["level"] if c["reference"] is None else f"{c['level']} vs {c['reference']}"
        record = {"predictor": c["predictor"], "level": level, "points": c["points"],
                  "coefficient": None, "hazard_ratio": None, "bound": None}
        if scale is not None:
            spread = 0.0 if s_low is None else max(scale - s_low, s_high - scale)
            record.update(coefficient=c["points"] / scale,
                          hazard_ratio=math.exp(c["points"] / scale),
                          bound=c["points_bound"] / scale + abs(c["points"]) * spread
                          / scale ** 2)
        coefficients.append(record)
    lo = next((t["from_axes"] for t in totals if t["which"] == "lowest"),
              sum(r["points"] for r in offsets))
    if scale is None:
        head = ("No survival axis and no scale are printed: the points fix each effect only "
                f"relative to the others ({len(contrasts)} contrasts, in points)")
    else:
        shown = f"{scale:.4g}" + (f" ({s_low:.4g} to {s_high:.4g})"
                                  if s_low is not None and s_source != "printed" else "")
        head = (f"No survival axis is printed; scale {shown} points per unit of linear "
                f"predictor ({s_source}): {len(contrasts)} coefficients, no baseline")
    total_words = f"; totals from {lo:g}" if offsets else ""
    summary = f"{head}{total_words}; {_count(len(notes))}."
    return Audit(model=model, coefficients=tuple(coefficients), baseline=(),
                 residuals=tuple(residuals), inconsistencies=tuple(notes),
                 remarks=tuple(remarks), summary=summary, contrasts=contrasts,
                 offsets=offsets, totals=totals, relative=True)


def _hazard_ratio_intervals(hazard_ratios, continuous, categorical, delta_t) -> list[dict]:
    """For each printed hazard ratio: its contrast in points and the interval of scales
    (points per unit of linear predictor) that rounding lets it and the points share."""
    from nec.points_table import (
        HR_ROUNDING,
        _contrast_points,
        _hazard_ratio_records,
        _no_such_predictor,
    )

    if hazard_ratios is None:
        return []
    predictors = [*continuous, *categorical]
    out = []
    for i, rec, name, hr in _hazard_ratio_records(hazard_ratios):
        if name in continuous:
            axis = continuous[name]
            if not axis.linear:
                raise ValueError(f"Hazard ratio {i}: the {name} axis bends, so one hazard "
                                 "ratio per unit cannot describe it.")
            width = axis.pieces[0].x_high - axis.pieces[0].x_low
            diff, bound = axis.pieces[0].points_per_unit, 2 * delta_t / width
            shown, worth = f"{name} per unit", f"{diff:.4g} points per unit"
        elif name in categorical:
            level, ref, diff = _contrast_points(categorical[name], i, rec, name)
            bound = 2 * delta_t
            shown, worth = f"{name} {level} vs {ref}", f"{diff:g} points"
        else:
            raise _no_such_predictor(i, name, predictors)
        h = math.log(hr)
        h_lo = math.log(max(hr - HR_ROUNDING, 1e-12))
        h_hi = math.log(hr + HR_ROUNDING)
        # Points and ratio must point the same way: more points, a higher hazard.
        conflict = (diff - bound > 0 and h_hi < 0) or (diff + bound < 0 and h_lo > 0)
        mags = sorted((abs(h_lo), abs(h_hi)))
        h_min = 0.0 if h_lo <= 0 <= h_hi else mags[0]
        low = max(abs(diff) - bound, 0.0) / mags[1]
        high = math.inf if h_min == 0 else (abs(diff) + bound) / h_min
        estimate = math.inf if h == 0 else abs(diff) / abs(h)
        out.append({"shown": shown, "worth": worth, "hr": hr, "points": diff,
                    "points_bound": bound,
                    "low": low, "high": high, "estimate": estimate,
                    "sign_conflict": conflict})
    return out


def _hr_sentence(c: dict, scale) -> str:
    if c["sign_conflict"]:
        return (f"The paper prints a hazard ratio of {c['hr']:g} for {c['shown']}, but the "
                f"points ({c['worth']}) put that hazard the other way: points and ratio "
                "cannot describe the same model.")
    got = math.exp(c["points"] / scale)
    lo = math.exp((c["points"] - c["points_bound"]) / scale)
    hi = math.exp((c["points"] + c["points_bound"]) / scale)
    return (f"The paper prints a hazard ratio of {c['hr']:g} for {c['shown']}, but the axis "
            f"points give {got:.2f} (rounding allows {lo:.2f} to {hi:.2f}): the nomogram and "
            "the hazard-ratio table do not describe the same model.")


def _pair_sentence(a: dict, b: dict) -> str:
    def span(c):
        high = "any larger" if math.isinf(c["high"]) else f"{c['high']:.1f}"
        return f"{c['low']:.1f} to {high}"

    return (f"The printed hazard ratios of {a['hr']:g} for {a['shown']} ({a['worth']}) and "
            f"{b['hr']:g} for {b['shown']} ({b['worth']}) cannot both "
            f"describe these points: the first needs a scale of {span(a)} points per unit of "
            f"linear predictor, the second {span(b)}, and rounding cannot close the gap.")


def relative_effect(audit: Audit, first, second) -> dict:
    """How many times the log hazard ratio of one contrast is that of another, from the
    points alone (no scale needed), with the interval rounding allows.

    ``first`` and ``second`` are ``(predictor, level)``: a categorical level (against the
    predictor's lowest-points level), or ``(predictor, None)`` for a straight continuous
    axis (per unit). Returns ``{"ratio", "low", "high"}``; each contrast is off by at most
    its ``points_bound``, so ``low`` = (a − bₐ)/(b + b_b) and ``high`` = (a + bₐ)/(b − b_b).

    >>> score = audit_points_table("row_id,kind,axis,level,value,source\\n"
    ...     "a,points,x,no,0,t\\nb,points,x,yes,30,t\\nc,points,y,no,0,t\\nd,points,y,yes,10,t\\n")
    >>> r = relative_effect(score, ("x", "yes"), ("y", "yes"))
    >>> r["ratio"], round(r["low"], 4), round(r["high"], 4)
    (3.0, 2.6364, 3.4444)
    """
    if not isinstance(audit, Audit):
        raise ValueError("Give the audit that audit_points_table returned, not "
                         f"{type(audit).__name__}.")
    picked = []
    for which, key in (("first", first), ("second", second)):
        if isinstance(key, str) or not isinstance(key, tuple | list) or len(key) != 2:
            raise ValueError(f"The {which} contrast is a (predictor, level) pair, e.g. "
                             f"('cancer_extension', 'Metastatic'), not {key!r}.")
        predictor, level = key
        names = sorted({c["predictor"] for c in audit.contrasts})
        if predictor not in names:
            raise ValueError(f"The table has no predictor {predictor!r}: its predictors are "
                             f"{', '.join(names)}.")
        found = [c for c in audit.contrasts if c["predictor"] == predictor
                 and (c["level"] == level or (level is None and c["reference"] is None))]
        if len(found) != 1:
            levels = [str(c["level"]) for c in audit.contrasts if c["predictor"] == predictor]
            raise ValueError(f"{predictor} has no single contrast for {level!r}: give one of "
                             f"{', '.join(levels)} (a straight continuous axis: None).")
        picked.append(found[0])
    a, b = picked
    pa, ba, pb, bb = a["points"], a["points_bound"], b["points"], b["points_bound"]
    if abs(pb) <= bb:
        raise ValueError(f"The second contrast is {pb:g} point{'' if pb == 1 else 's'}, within "
                         f"the rounding of 0 "
                         f"(±{bb:g}): nothing can be divided by it.")
    ends = [(pa + x) / (pb + y) for x in (-ba, ba) for y in (-bb, bb)]
    return {"ratio": pa / pb, "low": min(ends), "high": max(ends)}


def grade_audit() -> Audit:
    """The audit of ``data/grade_angeli2020_points.csv``: the points Angeli et al. 2020 print
    for the GRADE (legend of Figure 5; whole points; no survival axis or scale printed as
    numbers, the lowest total 112 and the highest 333)."""
    from nec.data import records

    return audit_points_table(records("grade_angeli2020_points"), points_error=GRADE_POINTS_ERROR,
                              source="Angeli et al. 2020, Figure 5 legend")


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


#: Reader-facing names of the axes of the tables this book audits (the CSV keeps its
#: column names: they are the format). An axis not listed is shown under its own name.
AXIS_LABELS = {
    "weight_loss": "Unintentional weight loss",
    "slow_gait_speed": "Slow gait speed",
    "cancer_site": "Cancer site",
    "cancer_extension": "Cancer extension",
    "supportive_care_only": "Exclusively supportive care",
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


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
