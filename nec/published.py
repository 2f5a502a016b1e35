"""Reading a published nomogram back into its Cox model: any table, and Luo, Chen & Zhang 2024.

The general reader is :func:`nec.points_table.from_points_table` (re-exported here, with
:class:`~nec.points_table.PublishedModel`): numbers as a paper prints them in, the model,
its rounding bounds, every tick's residual and a list of inconsistencies out. A table typed
into a CSV (:data:`POINTS_TABLE_SCHEMA`) is read by :func:`load_points_table`;
:func:`luo2024_audit` is the reader on Luo's Table 4, and :func:`luo2024` wraps it in the
Luo-specific :class:`ReconstructedNomogram` the chapter uses.

(Building a nomogram from a fitted Cox model is :mod:`nec.nomogram`; ``nec.nomogram``
re-exports everything here, so ``from nec.nomogram import luo2024`` still works.)

A nomogram built as Harrell's ``rms`` builds one is a drawing of a Cox model:

- each predictor's points are proportional to its contribution to the linear predictor,
  scaled so that the widest-ranging predictor spans 100 points; the printed factor
  "points per unit of linear predictor" (29.528 here) is that scale;
- a survival axis at time *t* marks, for each probability *S*, the total points *T* with
  S = S₀(t)^exp(T / 29.528), where S₀(t) is the survival of a patient with 0 points.

So the paper's Table 4 alone (points per predictor level, and the total points printed
against each 1-, 3- and 5-year survival) gives back the coefficients, β = points / 29.528,
and the baseline survival S₀(t) of the 0-point patient. What it cannot give back is the
centring: ``rms`` reports survival relative to the mean linear predictor of the fitting
data, which the table does not contain. Every prediction is the same either way, because
a constant added to the linear predictor is absorbed into the baseline.

:class:`nec.nomogram.Nomogram` goes the other way: ``Nomogram.from_cox(fitter, data)``
builds the rms nomogram of any fitted lifelines ``CoxPHFitter`` — points, total points,
survival axes — and draws it. Both refuse the same mistakes with the same sentences
(:mod:`nec._nomogram_checks`): an unknown or missing predictor, a total beyond the
total-points axis, a survival no total on the axis gives.

>>> model = luo2024()
>>> round(model.points(size_cm=4, resection="yes", treatment="neither").total, 1)
94.3
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from nec import _nomogram_checks as _checks
from nec import _validate
from nec.points_table import (  # noqa: F401  (re-exported: the general reader)
    ContinuousAxis,
    Piece,
    PublishedModel,
    from_points_table,
)

_RESECTION = {"yes": "yes", "resected": "yes", "no": "no", "not resected": "no"}
_TREATMENT = {
    "chemotherapy and targeted": "chemotherapy and targeted",
    "chemotherapy combined targeted therapy": "chemotherapy and targeted",
    "both": "chemotherapy and targeted",
    "chemotherapy or targeted": "chemotherapy or targeted",
    "either": "chemotherapy or targeted",
    "neither": "neither",
    "none": "neither",
    "no chemotherapy or targeted therapy": "neither",
}
YEARS = (1, 3, 5)
PREDICTORS = ["size_cm", "resection", "treatment"]


@dataclass(frozen=True)
class SurvivalAxis:
    """Where one printed survival axis of Table 4 starts and ends.

    ``first_points`` carries the highest printed survival (``first_survival``),
    ``last_points`` the lowest (``last_survival``). A total outside
    ``first_points``–``last_points`` is read off the model beyond what the paper printed.
    """

    year: int
    first_points: float
    last_points: float
    first_survival: float
    last_survival: float

    def covers(self, total: float) -> bool:
        """Whether ``total`` lies within the printed axis.

        >>> luo2024().survival_axis(1).covers(100)
        True
        """
        total = _validate.number(total.total if isinstance(total, Points) else total,
                                 name="Total points")
        return self.first_points <= total <= self.last_points


@dataclass(frozen=True)
class Points:
    """Points per predictor and their total for one patient."""

    size: float
    resection: float
    treatment: float

    @property
    def total(self) -> float:
        return self.size + self.resection + self.treatment


@dataclass(frozen=True)
class ReconstructedNomogram:
    """A Cox model recovered from a printed nomogram table (see :func:`luo2024`).

    Attributes
    ----------
    points_per_lp
        Points per unit of linear predictor, as printed.
    size_points_per_cm
        Slope of the size axis (points per cm): 100 points over the printed range.
    size_range_cm
        The printed size axis; predictions outside it are refused.
    level_points
        Points of each level of the categorical predictors, as printed.
    log_cumhaz0
        For each year, log(−log S₀(t)): the 0-point patient's baseline, fitted to the
        printed survival ticks.
    """

    points_per_lp: float
    size_points_per_cm: float
    size_range_cm: tuple[float, float]
    level_points: dict
    log_cumhaz0: dict
    source: str = "Luo, Chen & Zhang 2024, Table 4"
    notes: tuple[str, ...] = field(default_factory=tuple)

    # --- the model ----------------------------------------------------------------------
    def coefficients(self) -> dict[str, float]:
        """Cox coefficients (log hazard ratios) implied by the points: β = points / scale."""
        coefs = {"size_cm (per cm)": self.size_points_per_cm / self.points_per_lp}
        for predictor, levels in self.level_points.items():
            for level, pts in levels.items():
                if pts:
                    coefs[f"{predictor}: {level}"] = pts / self.points_per_lp
        return coefs

    def hazard_ratios(self) -> dict[str, float]:
        return {k: math.exp(v) for k, v in self.coefficients().items()}

    def baseline_survival(self, years=YEARS) -> dict[int, float]:
        """S₀(t): survival at each year for a patient with 0 total points."""
        return {y: math.exp(-math.exp(self.log_cumhaz0[y])) for y in self._years(years)}

    @property
    def max_total_points(self) -> float:
        """The end of the total-points axis: every predictor at its highest-risk value."""
        size = (self.size_range_cm[1] - self.size_range_cm[0]) * self.size_points_per_cm
        return size + sum(max(levels.values()) for levels in self.level_points.values())

    def points(self, values=None, /, **given) -> Points:
        """Points for one patient: ``points(size_cm=4, resection="yes", treatment="neither")``.

        Every predictor must be given (``size_cm``, ``resection``, ``treatment``), by name or
        as one mapping; an unknown or missing one, or a size outside the printed axis, raises
        ``ValueError``.
        """
        given = {**(dict(values) if values is not None else {}), **given}
        _checks.keyword_values(given, PREDICTORS, what="The Luo 2024 nomogram")
        lo, hi = self.size_range_cm
        size = _validate.number(given["size_cm"], name="Tumour size", unit=" cm", low=0,
                                low_inclusive=False)
        if not lo <= size <= hi:
            raise ValueError(
                f"Tumour size {size:g} cm is outside the nomogram's size axis ({lo:g}–{hi:g} "
                "cm). The published model gives no points there, and extending the line "
                "would be an extrapolation the authors did not make."
            )
        r = _validate.choice(given["resection"], name="Primary tumour resection",
                             options=_RESECTION)
        t = _validate.choice(given["treatment"], name="Treatment", options=_TREATMENT)
        return Points(
            size=(size - lo) * self.size_points_per_cm,
            resection=self.level_points["resection"][r],
            treatment=self.level_points["treatment"][t],
        )

    def survival(self, points, years=YEARS, *, extrapolate=False) -> dict[int, float]:
        """Survival at each year for a total of ``points`` (a number or a :class:`Points`).

        A total beyond the total-points axis (0 to :attr:`max_total_points`, 212 here) is
        refused unless ``extrapolate=True``. A total inside it can still lie beyond a
        survival axis' printed ticks: :meth:`survival_axis` says where each one ends, and
        :meth:`beyond_printed_axes` which years a total falls outside of.

        >>> {y: round(s, 3) for y, s in luo2024().survival(100).items()}
        {1: 0.483, 3: 0.092, 5: 0.011}
        """
        extrapolate = _checks.flag(extrapolate)
        total = points.total if isinstance(points, Points) else points
        total = _checks.total_points(total, max_total=self.max_total_points,
                                     extrapolate=extrapolate)
        return {y: _survival_from_log_cumhaz(self.log_cumhaz0[y] + total / self.points_per_lp)
                for y in self._years(years)}

    def points_for_survival(self, survival, year, *, extrapolate=False) -> float:
        """Total points at which the ``year`` survival axis reads ``survival``.

        A survival that no total from 0 to :attr:`max_total_points` gives (0.99 at 1 year:
        even the 0-point patient is below it) is refused unless ``extrapolate=True``.
        """
        extrapolate = _checks.flag(extrapolate)
        s = _checks.survival_probability(survival)
        (y,) = self._years((year,))
        total = self.points_per_lp * (math.log(-math.log(s)) - self.log_cumhaz0[y])
        if extrapolate or _checks.reached(total, max_total=self.max_total_points):
            return total if extrapolate else min(max(total, 0.0), self.max_total_points)
        raise _checks.unreachable(
            s, f"{y} year{'s' if y != 1 else ''}", max_total=self.max_total_points,
            best=self.survival(0, (y,))[y], worst=self.survival(self.max_total_points, (y,))[y])

    def survival_axis(self, year) -> SurvivalAxis:
        """Where the printed ``year`` survival axis starts and ends (:class:`SurvivalAxis`).

        >>> axis = luo2024().survival_axis(1)
        >>> axis.first_points, axis.last_points, axis.last_survival
        (22.0, 142.0, 0.05)
        """
        (y,) = self._years((year,))
        ticks = sorted((t, s) for yy, s, t in _survival_ticks() if yy == y)
        return SurvivalAxis(year=y, first_points=ticks[0][0], last_points=ticks[-1][0],
                            first_survival=ticks[0][1], last_survival=ticks[-1][1])

    def beyond_printed_axes(self, points) -> list[int]:
        """The years whose printed survival axis does not reach a total of ``points``.

        >>> luo2024().beyond_printed_axes(150)
        [1, 3, 5]
        """
        total = points.total if isinstance(points, Points) else points
        total = _checks.total_points(total, max_total=self.max_total_points)
        return [y for y in sorted(self.log_cumhaz0) if not self.survival_axis(y).covers(total)]

    def _years(self, years):
        if isinstance(years, str) or not hasattr(years, "__iter__"):
            years = (years,)
        out = []
        for y in years:
            if isinstance(y, bool) or not isinstance(y, int | float) or y not in self.log_cumhaz0:
                raise ValueError(f"The nomogram has survival axes at {sorted(self.log_cumhaz0)}"
                                 f" years only (asked for {y!r}).")
            out.append(y)
        return out

    # --- checking the reconstruction against the table ----------------------------------
    def audit(self):
        """Every printed survival tick against the reconstruction, as a DataFrame.

        Columns: year, survival printed, total points printed, points the reconstruction
        puts at that survival, their difference, and the survival the reconstruction gives
        at the printed points.
        """
        import pandas as pd

        rows = []
        for y, s, t in _survival_ticks():
            rows.append({
                "year": y, "survival": s, "points_printed": t,
                "points_reconstructed": self.points_for_survival(s, y),
                "survival_at_printed_points": self.survival(t, years=(y,))[y],
            })
        frame = pd.DataFrame(rows)
        frame["points_difference"] = frame["points_reconstructed"] - frame["points_printed"]
        return frame


def _survival_from_log_cumhaz(z: float) -> float:
    """exp(−exp(z)), which is 0 to double precision once z > 700 (exp would overflow)."""
    return 0.0 if z > 700 else math.exp(-math.exp(z))


def _table():
    from nec.data import load

    return load("luo2024_nomogram")


def _survival_ticks():
    t = _table()
    ticks = t[t["kind"] == "total_points"]
    return [(int(axis.split("_")[1].rstrip("y")), float(level), float(value))
            for axis, level, value in zip(ticks["axis"], ticks["level"], ticks["value"],
                                          strict=True)]


# --- a typed-in points table: schema and loader ----------------------------------------------
#: The data dictionary of a typed-in nomogram points table (the columns of
#: ``data/luo2024_nomogram.csv``), in :mod:`nec.data`'s format. One row per printed number:
#:
#: - ``kind`` ``points``: ``axis`` is a predictor, ``level`` its printed value (a number for
#:   a continuous axis; any word for a categorical one; write ``level`` in ``unit`` to keep
#:   numeric codes such as ECOG 0/1/2 categorical) and ``value`` the points printed there;
#: - ``kind`` ``total_points``: ``axis`` is ``survival_<time><unit>`` (``survival_1y``,
#:   ``survival_36m``), ``level`` the survival printed and ``value`` its total points;
#: - ``kind`` ``scale``: ``axis`` ``points_per_lp_unit`` (the printed points per unit of
#:   linear predictor; any other scale row, such as its inverse, is kept but not used).
POINTS_TABLE_SCHEMA = {
    "row_id": {"type": "string", "required": "yes", "allowed": "", "unit": "",
               "description": "Row key."},
    "kind": {"type": "category", "required": "yes", "allowed": "points|total_points|scale",
             "unit": "", "description": "What the row's value is."},
    "axis": {"type": "string", "required": "yes", "allowed": "", "unit": "",
             "description": "Predictor, outcome axis (survival_<time><unit>) or scale name."},
    "level": {"type": "string", "required": "no", "allowed": "", "unit": "",
              "description": "Predictor value or level; for an outcome axis, the survival."},
    "unit": {"type": "string", "required": "no", "allowed": "", "unit": "",
             "description": "'level' keeps a numeric predictor categorical."},
    "value": {"type": "number", "required": "yes", "allowed": "0..10000", "unit": "",
              "description": "Points, total points, or the scale."},
    "source": {"type": "string", "required": "yes", "allowed": "", "unit": "",
               "description": "Where the row was read (paper, table, page)."},
    "notes": {"type": "string", "required": "no", "allowed": "", "unit": "",
              "description": "Anything a reviewer needs."},
}

_OUTCOME_AXIS = re.compile(r"^survival_(\d+(?:\.\d+)?)([a-z]*)$")


def read_points_table(rows, *, name: str = "the points table") -> dict:
    """The arguments of :func:`nec.points_table.from_points_table` from typed-in rows.

    ``rows`` is a list of records with the columns of :data:`POINTS_TABLE_SCHEMA` (as
    :func:`nec.data.records` returns them), or a path to a CSV file in that format, which is
    validated cell by cell. A malformed entry raises ``ValueError`` naming the row
    (spreadsheet numbering, header = row 1) and the column.

    >>> kw = read_points_table(records_of_luo2024())
    >>> sorted(kw["continuous"]), sorted(kw["categorical"]), sorted(kw["outcomes"]), kw["scale"]
    (['size_cm'], ['resection', 'treatment'], [1, 3, 5], 29.528)
    """
    from nec import data

    if isinstance(rows, str | Path):
        path = Path(rows)
        if not path.is_file():
            raise ValueError(f"{path.name}: file not found in {path.parent}.")
        name = path.name
        header, raw = data.read_rows(path)
        missing = [c for c in POINTS_TABLE_SCHEMA if c not in header]
        if missing:
            raise ValueError(f"{name}: missing column(s) {', '.join(missing)} (a points table "
                             f"has the columns {', '.join(POINTS_TABLE_SCHEMA)}).")
        parsed = []
        for i, row in enumerate(raw, start=2):
            if len(row) != len(header):
                raise ValueError(f"{name}, row {i}: {len(row)} cells where the header has "
                                 f"{len(header)} (a comma inside an unquoted cell?).")
            parsed.append({col: data._parse(name, i, col, cell, POINTS_TABLE_SCHEMA[col])
                           for col, cell in zip(header, row, strict=True)
                           if col in POINTS_TABLE_SCHEMA})
        rows = parsed
    if not isinstance(rows, list | tuple):
        raise ValueError(f"{name} must be a list of rows (records with the columns "
                         f"{', '.join(POINTS_TABLE_SCHEMA)}), CSV text or a CSV file's path, "
                         f"not {type(rows).__name__} {rows!r:.60}.")
    if not rows:
        raise ValueError(f"{name} has no rows: a points table needs at least one predictor "
                         "and one outcome axis.")
    predictor_rows: dict[str, list] = {}
    outcomes: dict = {}
    time_units = set()
    scale = None
    for i, r in enumerate(rows, start=2):
        where = f"{name}, row {i}"
        if not isinstance(r, dict) or any(c not in r for c in ("kind", "axis", "value")):
            raise ValueError(f"{where}: a points-table row needs the columns kind, axis and "
                             f"value (see POINTS_TABLE_SCHEMA), not {r!r}.")
        kind, axis, level, value = r["kind"], r["axis"], r.get("level"), r["value"]
        if kind == "scale":
            if axis == "points_per_lp_unit":
                scale = value
            continue
        if level is None:
            raise ValueError(f"{where}, column level: a {kind} row needs a level (the "
                             "predictor value, or the survival printed).")
        if kind == "points":
            predictor_rows.setdefault(axis, []).append((i, level, value, r.get("unit")))
            continue
        m = _OUTCOME_AXIS.match(axis)
        if m is None:
            raise ValueError(f"{where}, column axis: {axis!r} is not an outcome axis name "
                             "(write survival_<time><unit>, e.g. survival_1y).")
        time = float(m.group(1))
        time = int(time) if time.is_integer() else time
        time_units.add(m.group(2))
        try:
            survival = float(level)
        except ValueError:
            raise ValueError(f"{where}, column level: {level!r} is not a survival "
                             "probability (write it as a number between 0 and 1).") from None
        if not 0 < survival < 1:
            raise ValueError(f"{where}, column level: survival {survival:g} must lie strictly "
                             "between 0 and 1 (write 0.85, not 85).")
        outcomes.setdefault(time, []).append((value, survival))
    continuous, categorical = {}, {}
    for axis, entries in predictor_rows.items():
        numbers = []
        for _i, level, _v, unit in entries:
            try:
                numbers.append(float(level) if unit != "level" else None)
            except ValueError:
                numbers.append(None)
        if all(x is not None for x in numbers):
            seen = {}
            for (i, _level, _v, _u), x in zip(entries, numbers, strict=True):
                if x in seen:
                    raise ValueError(f"{name}, row {i}, column level: {axis} {x:g} is already "
                                     f"on row {seen[x]}: each value has one position.")
                seen[x] = i
            continuous[axis] = [(x, v) for (_i, _l, v, _u), x in
                                zip(entries, numbers, strict=True)]
        else:
            levels = {}
            for i, level, v, _u in entries:
                if level in levels:
                    raise ValueError(f"{name}, row {i}, column level: {axis} level {level!r} "
                                     "is printed twice.")
                levels[level] = v
            if len(levels) < 2:
                raise ValueError(f"{name}, row {entries[0][0]}, column axis: {axis} has one "
                                 "level; a categorical predictor needs at least two.")
            categorical[axis] = levels
    if not predictor_rows:
        raise ValueError(f"{name} has no points rows: a nomogram needs at least one "
                         "predictor axis.")
    if not outcomes:
        raise ValueError(f"{name} has no total_points rows: a nomogram needs at least one "
                         "survival axis.")
    units = {"y": "years", "m": "months", "d": "days", "w": "weeks", "": ""}
    time_unit = units.get(next(iter(time_units)), "") if len(time_units) == 1 else ""
    return {"continuous": continuous, "categorical": categorical, "outcomes": outcomes,
            "scale": scale, "time_unit": time_unit}


def records_of_luo2024() -> list[dict]:
    """``data/luo2024_nomogram.csv`` as records (validated by its data dictionary)."""
    from nec.data import records

    return records("luo2024_nomogram")


def load_points_table(path, **options):
    """Read a typed-in points table (:data:`POINTS_TABLE_SCHEMA`) and recover its model.

    ``options`` go to :func:`nec.points_table.from_points_table` (``points_error``,
    ``hazard_ratios``, ...).
    """
    kwargs = read_points_table(path)
    kwargs.update(options)
    return from_points_table(**kwargs)


@_validate.refuses_bad_arguments
def luo2024_audit(hazard_ratios=True):
    """The general reader on Luo 2024's Table 4: the :class:`PublishedModel` and its audit.

    Whole points (``points_error`` 0.5), survival values as exact axis labels, the scale
    printed to three decimals (``scale_error`` 0.0005); with ``hazard_ratios`` the
    multivariable ratios of Table 3 are checked against the points.
    """
    if not isinstance(hazard_ratios, bool):
        raise ValueError(f"hazard_ratios must be True or False, not {hazard_ratios!r}.")
    kwargs = read_points_table(records_of_luo2024(), name="luo2024_nomogram.csv")
    hrs = None
    if hazard_ratios:
        hrs = []
        for r in published_hazard_ratios().to_dict("records"):
            continuous = r["variable"] == "size_cm"
            hrs.append({"predictor": r["variable"], "hr": r["hr"],
                        "level": None if continuous else r["level"],
                        "reference": None if continuous else r["reference"]})
    return from_points_table(**kwargs, points_error=0.5, scale_error=0.0005,
                             hazard_ratios=hrs, source="Luo, Chen & Zhang 2024, Table 4")


def luo2024() -> ReconstructedNomogram:
    """The Luo 2024 nomogram (pNEC with liver metastasis), recovered from its Table 4 by the
    general reader (:func:`nec.points_table.from_points_table`).

    - Coefficients: each printed level's points divided by 29.528; for size, the slope of
      the size axis (100 points over 1–10 cm, its end ticks) divided by 29.528.
    - Baseline: for each year, log(−log S₀) is the mean over the printed ticks of
      log(−log S) − T / 29.528 (each tick gives one estimate; the printed points are
      rounded to whole numbers, so the estimates scatter slightly).
    """
    model = luo2024_audit(hazard_ratios=False)
    size = model.continuous["size_cm"]
    if not size.linear:  # the table as held is straight; an edited one must stay so
        raise ValueError("The size axis of luo2024_nomogram.csv is no longer straight.")
    return ReconstructedNomogram(
        points_per_lp=model.scale, size_points_per_cm=size.pieces[0].points_per_unit,
        size_range_cm=size.range, level_points=model.categorical,
        log_cumhaz0=dict(model.log_cumhaz0),
        notes=("Points 0 = size 1 cm, primary tumour resected, chemotherapy and targeted "
               "therapy: the lowest-risk corner of the table.",),
    )


#: The analyses of Luo 2024 whose hazard ratios are printed (Table 2, Table 3).
ANALYSES = {"univariable": "univariable", "univariate": "univariable",
            "multivariable": "multivariable", "multivariate": "multivariable"}


@_validate.refuses_bad_arguments
def published_hazard_ratios(analysis="multivariable"):
    """The hazard ratios printed in Luo 2024 (Tables 2–3), as a DataFrame.

    ``analysis`` is ``"univariable"`` (Table 2) or ``"multivariable"`` (Table 3).

    >>> len(published_hazard_ratios("univariable"))
    6
    """
    from nec.data import load

    analysis = _validate.choice(analysis, name="Analysis", options=ANALYSES)
    table = load("luo2024_cox")
    return table[table["analysis"] == analysis]


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
