"""Reading a published nomogram back into its Cox model: Luo, Chen & Zhang 2024.

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

:class:`Nomogram` goes the other way: ``Nomogram.from_cox(fitter, data)`` builds the rms
nomogram of any fitted lifelines ``CoxPHFitter`` — points, total points, survival axes —
and draws it.

>>> model = luo2024()
>>> round(model.points(size_cm=4, resection="yes", treatment="neither").total, 1)
94.3
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nec import _validate

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

    def points(self, *, size_cm, resection, treatment) -> Points:
        """Points for one patient; sizes outside the printed axis raise ``ValueError``."""
        lo, hi = self.size_range_cm
        size = _validate.number(size_cm, name="Tumour size", unit=" cm", low=0,
                                low_inclusive=False)
        if not lo <= size <= hi:
            raise ValueError(
                f"Tumour size {size:g} cm is outside the nomogram's size axis ({lo:g}–{hi:g} "
                "cm). The published model gives no points there, and extending the line "
                "would be an extrapolation the authors did not make."
            )
        r = _validate.choice(resection, name="Primary tumour resection", options=_RESECTION)
        t = _validate.choice(treatment, name="Treatment", options=_TREATMENT)
        return Points(
            size=(size - lo) * self.size_points_per_cm,
            resection=self.level_points["resection"][r],
            treatment=self.level_points["treatment"][t],
        )

    def survival(self, points, years=YEARS) -> dict[int, float]:
        """Survival at each year for a total of ``points`` (a number or a :class:`Points`)."""
        total = points.total if isinstance(points, Points) else _validate.number(
            points, name="Total points", low=0, high=400)
        return {y: math.exp(-math.exp(self.log_cumhaz0[y] + total / self.points_per_lp))
                for y in self._years(years)}

    def points_for_survival(self, survival, year) -> float:
        """Total points at which the ``year`` survival axis reads ``survival``."""
        s = _validate.number(survival, name="Survival probability", low=0, high=1,
                             low_inclusive=False, high_inclusive=False)
        (y,) = self._years((year,))
        return self.points_per_lp * (math.log(-math.log(s)) - self.log_cumhaz0[y])

    def _years(self, years):
        out = []
        for y in years:
            if y not in self.log_cumhaz0:
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


def _table():
    from nec.data import load

    return load("luo2024_nomogram")


def _survival_ticks():
    t = _table()
    ticks = t[t["kind"] == "total_points"]
    return [(int(axis.split("_")[1].rstrip("y")), float(level), float(value))
            for axis, level, value in zip(ticks["axis"], ticks["level"], ticks["value"],
                                          strict=True)]


def luo2024() -> ReconstructedNomogram:
    """The Luo 2024 nomogram (pNEC with liver metastasis), recovered from its Table 4.

    - Coefficients: each printed level's points divided by 29.528; for size, the slope of
      the size axis (100 points over 1–10 cm) divided by 29.528.
    - Baseline: for each year, log(−log S₀) is the mean over the printed ticks of
      log(−log S) − T / 29.528 (each tick gives one estimate; the printed points are
      rounded to whole numbers, so the estimates scatter slightly).
    """
    import numpy as np

    t = _table()
    scale = float(t.loc["nomo_scale", "value"])
    size = t[(t["kind"] == "points") & (t["axis"] == "size_cm")]
    cm = size["level"].astype(float).to_numpy()
    pts = size["value"].to_numpy()
    # rms gives the widest-ranging predictor exactly 100 points over its range, so the slope
    # comes from the axis ends; the ticks between them are rounded to whole points.
    slope = float((pts.max() - pts.min()) / (cm.max() - cm.min()))
    levels: dict[str, dict[str, float]] = {}
    for axis in ("resection", "treatment"):
        rows = t[(t["kind"] == "points") & (t["axis"] == axis)]
        levels[axis] = dict(zip(rows["level"], rows["value"].astype(float), strict=True))
    by_year: dict[int, list[float]] = {}
    for y, s, total in _survival_ticks():
        by_year.setdefault(y, []).append(math.log(-math.log(s)) - total / scale)
    log_cumhaz0 = {y: float(np.mean(v)) for y, v in by_year.items()}
    return ReconstructedNomogram(
        points_per_lp=scale, size_points_per_cm=slope,
        size_range_cm=(float(cm.min()), float(cm.max())), level_points=levels,
        log_cumhaz0=log_cumhaz0,
        notes=("Points 0 = size 1 cm, primary tumour resected, chemotherapy and targeted "
               "therapy: the lowest-risk corner of the table.",),
    )


def published_hazard_ratios(analysis="multivariable"):
    """The hazard ratios printed in Luo 2024 (Tables 2–3), as a DataFrame."""
    from nec.data import load

    table = load("luo2024_cox")
    return table[table["analysis"] == analysis]


# ======================================================================================
# Building a nomogram from a fitted Cox model, as Harrell's rms builds one
# ======================================================================================

#: Survival probabilities marked on each drawn survival axis (those the total points reach).
SURVIVAL_TICKS = (0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05)
#: Survival probabilities whose total points :meth:`Nomogram.summary` prints.
SUMMARY_SURVIVALS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)
# Floating-point slack when a total is compared with the nomogram's maximum.
_SLACK = 1e-9


@dataclass(frozen=True)
class Predictor:
    """One axis of a :class:`Nomogram`: a predictor and its part of the linear predictor.

    A continuous predictor contributes β·x for x over its observed range ``low``–``high``.
    A categorical predictor (a group of 0/1 dummy columns) contributes 0 for its reference
    level and β_j for level j; ``levels`` lists the reference first.
    """

    name: str
    label: str
    kind: str  # "continuous" or "categorical"
    columns: tuple[str, ...]
    coefficients: tuple[float, ...]
    low: float | None = None
    high: float | None = None
    levels: tuple[str, ...] = ()
    integer_valued: bool = False

    def level_lp(self) -> dict[str, float]:
        """Partial linear predictor of each level (categorical predictors only)."""
        return dict(zip(self.levels, (0.0, *self.coefficients), strict=True))

    def partial_lp(self, value) -> float:
        """This predictor's part of the (uncentred) linear predictor at a checked value."""
        if self.kind == "continuous":
            return self.coefficients[0] * value
        return self.level_lp()[value]

    @property
    def lp_range(self) -> tuple[float, float]:
        """Smallest and largest partial linear predictor over the observed range or levels."""
        if self.kind == "continuous":
            ends = (self.coefficients[0] * self.low, self.coefficients[0] * self.high)
        else:
            ends = tuple(self.level_lp().values())
        return min(ends), max(ends)

    @property
    def lp_span(self) -> float:
        lo, hi = self.lp_range
        return hi - lo

    def axis_values(self) -> list:
        """Values marked on this predictor's axis: round numbers in range, or every level."""
        if self.kind == "categorical":
            return list(self.levels)
        return _pretty(self.low, self.high, integer=self.integer_valued)


@dataclass(frozen=True)
class NomogramPoints:
    """Points of one patient on a :class:`Nomogram`: ``points[predictor]`` and ``total``."""

    points: dict
    values: dict

    @property
    def total(self) -> float:
        return float(sum(self.points.values()))

    def __getitem__(self, predictor: str) -> float:
        return self.points[predictor]

    def __str__(self) -> str:
        width = max(len(str(k)) for k in [*self.points, "Total points"])
        lines = [f"{name:<{width}}  {self.values[name]!s:>10}  {pts:6.1f}"
                 for name, pts in self.points.items()]
        lines.append(f"{'Total points':<{width}}  {'':>10}  {self.total:6.1f}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Nomogram:
    """A fitted Cox model drawn as a nomogram, with the scaling of Harrell's ``rms``.

    Build one with :meth:`Nomogram.from_cox`. Each predictor's points are its part of the
    linear predictor minus that part's minimum, times ``points_per_lp``; the predictor
    whose part spans the widest range gets exactly 100 points. A total of T points is the
    linear predictor ``T / points_per_lp + lp_at_zero_points``, and survival at time t is

        S(t | T) = exp(−H₀(t) · exp(T / points_per_lp + lp_at_zero_points − lp_centre)),

    where H₀ is lifelines' baseline cumulative hazard, which belongs to a patient with every
    covariate at its mean in the fitting data (linear predictor ``lp_centre``).

    Attributes
    ----------
    predictors
        The axes, in the model's column order (:class:`Predictor`).
    points_per_lp
        Points per unit of linear predictor (``100 / widest partial-LP range``).
    lp_at_zero_points
        Uncentred linear predictor of a patient with 0 total points (Σ each part's minimum).
    lp_centre
        Uncentred linear predictor at the covariate means, where lifelines' baseline sits.
    times, time_unit
        The survival axes drawn and summarised.
    n, events
        Patients and events in the fitting data.
    """

    predictors: tuple[Predictor, ...]
    points_per_lp: float
    lp_at_zero_points: float
    lp_centre: float
    times: tuple[float, ...]
    time_unit: str
    n: int
    events: int
    baseline_times: object = field(repr=False, compare=False)
    baseline_cumhaz: object = field(repr=False, compare=False)

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_cox(cls, fitter, data, *, groups=None, reference_labels=None, labels=None,
                 times=(12, 36, 60), time_unit="months") -> Nomogram:
        """Build the nomogram of a fitted lifelines ``CoxPHFitter``.

        Parameters
        ----------
        fitter
            A ``lifelines.CoxPHFitter`` fitted with the default Breslow baseline, no strata
            and no formula (one column per coefficient).
        data
            The DataFrame the model was fitted on; each predictor's observed range (or its
            levels) comes from it, and the nomogram refuses values outside that range.
        groups
            ``{name: (column, ...)}`` or ``{name: {level label: column, ...}}``: the 0/1
            dummy columns of one categorical predictor. Its reference level is the row with
            all of them 0. Level labels default to the column names. Every other covariate
            column is its own continuous predictor.
        reference_labels
            ``{name: label}`` for the reference level of each group (default "reference").
        labels
            ``{name: text}``: how each predictor is written on the axes (default its name).
        times
            Times of the survival axes, in the unit of the model's duration column; each
            must lie within the follow-up of the fitting data.
        time_unit
            That unit, for labels ("months" gives "12-month survival").

        Returns
        -------
        Nomogram

        >>> from lifelines import CoxPHFitter
        >>> from lifelines.datasets import load_gbsg2
        >>> df = load_gbsg2()
        >>> df = df.assign(months=df["time"] / (365.25 / 12),
        ...                horTh_yes=(df["horTh"] == "yes").astype(int))
        >>> df = df[["months", "cens", "tsize", "pnodes", "horTh_yes"]]
        >>> cph = CoxPHFitter().fit(df, duration_col="months", event_col="cens")
        >>> nomo = Nomogram.from_cox(cph, df, groups={"horTh": {"yes": "horTh_yes"}},
        ...                          reference_labels={"horTh": "no"})
        >>> patient = nomo.points(tsize=30, pnodes=5, horTh="no")
        >>> round(patient.total, 1)
        29.6
        >>> round(nomo.survival(patient)[60], 2)
        0.44
        """
        import numpy as np
        import pandas as pd
        from lifelines import CoxPHFitter

        if not isinstance(fitter, CoxPHFitter):
            raise ValueError(f"A nomogram is built from a fitted lifelines CoxPHFitter, not from "
                             f"{type(fitter).__name__}.")
        if not hasattr(fitter, "params_"):
            raise ValueError("The Cox model has not been fitted yet: fit the model first "
                             "(fitter.fit(data, duration_col=..., event_col=...)), then build "
                             "its nomogram.")
        if fitter.baseline_estimation_method != "breslow":
            raise ValueError(
                f"This Cox model uses a {fitter.baseline_estimation_method!r} baseline; the "
                "nomogram reads lifelines' Breslow baseline (the default), so refit with "
                "CoxPHFitter() or CoxPHFitter(baseline_estimation_method='breslow').")
        if fitter.strata:
            raise ValueError(f"This Cox model is stratified by {fitter.strata}; a stratified "
                             "model has one baseline per stratum and needs one nomogram per "
                             "stratum, which this function does not draw.")
        if not isinstance(data, pd.DataFrame):
            raise ValueError("data must be the DataFrame the model was fitted on, not "
                             f"{type(data).__name__}.")
        params = fitter.params_
        columns = [str(c) for c in params.index]
        missing = [c for c in columns if c not in data.columns]
        if missing:
            raise ValueError(
                f"The model's covariate(s) {missing} are not columns of data. Pass the "
                "DataFrame the model was fitted on, with one column per coefficient (models "
                "fitted with a formula are not supported: build the columns first).")
        means = getattr(fitter, "_norm_mean", None)
        if means is not None and len(data) and not np.allclose(
                data[columns].mean().to_numpy(float), means.reindex(columns).to_numpy(float),
                rtol=1e-9, atol=1e-9):
            raise ValueError("data does not look like the data the model was fitted on (its "
                             "covariate means differ from the fit's). The nomogram's ranges "
                             "must come from the fitting data.")

        predictors = _predictors_from_groups(params, data, columns, groups or {},
                                             reference_labels or {}, labels or {})
        widest = max(p.lp_span for p in predictors)
        if not widest > 0:
            raise ValueError("Every coefficient of this model is 0 over the observed data: no "
                             "predictor changes the risk, so there is nothing to draw.")
        # lifelines centres the linear predictor at the covariate means of the fitting data:
        # predict_log_partial_hazard(x) = (x − mean)·β, and baseline_cumulative_hazard_ is
        # the cumulative hazard at x = mean. Its value at x = 0 is therefore −mean·β.
        zero_row = pd.DataFrame([[0.0] * len(columns)], columns=params.index)
        lp_centre = -float(fitter.predict_log_partial_hazard(zero_row).iloc[0])
        baseline = fitter.baseline_cumulative_hazard_
        durations = getattr(fitter, "durations", None)
        events = getattr(fitter, "event_observed", None)
        nomogram = cls(
            predictors=tuple(predictors),
            points_per_lp=100.0 / widest,
            lp_at_zero_points=float(sum(p.lp_range[0] for p in predictors)),
            lp_centre=lp_centre,
            times=(),
            time_unit=str(time_unit),
            n=len(durations) if durations is not None else len(data),
            events=int(events.sum()) if events is not None else -1,
            baseline_times=baseline.index.to_numpy(float),
            baseline_cumhaz=baseline.iloc[:, 0].to_numpy(float),
        )
        checked = tuple(nomogram._time(t) for t in _as_tuple(times))
        if not checked:
            raise ValueError("Give at least one time for a survival axis, e.g. times=(12, 36).")
        object.__setattr__(nomogram, "times", checked)
        return nomogram

    # --- reading the nomogram -----------------------------------------------------------
    @property
    def max_total_points(self) -> float:
        """The largest total: every predictor at its highest-risk value or level."""
        return sum(p.lp_span for p in self.predictors) * self.points_per_lp

    def predictor(self, name: str) -> Predictor:
        """The :class:`Predictor` called ``name``; an unknown name raises ``ValueError``."""
        for p in self.predictors:
            if p.name == name:
                return p
        known = ", ".join(repr(p.name) for p in self.predictors)
        raise ValueError(f"The model has no predictor {name!r}; its predictors are {known}.")

    def points(self, values=None, /, **more) -> NomogramPoints:
        """Points of one patient, predictor by predictor, and their total.

        Give every predictor's value by name (``points(age=60, grade="G3")``) or as one
        mapping. A continuous value must lie within the observed range; a level must be one
        of the predictor's levels (matched case- and spacing-blind).
        """
        given = {**(dict(values) if values is not None else {}), **more}
        for name in given:
            self.predictor(name)
        missing = [p.name for p in self.predictors if p.name not in given]
        if missing:
            raise ValueError(f"Missing value(s) for {', '.join(map(repr, missing))}: the "
                             "nomogram needs every predictor of the model.")
        points, values_out = {}, {}
        for p in self.predictors:
            value = self._check_value(p, given[p.name])
            values_out[p.name] = value
            points[p.name] = (p.partial_lp(value) - p.lp_range[0]) * self.points_per_lp
        return NomogramPoints(points=points, values=values_out)

    def survival(self, total_points, times=None) -> dict[float, float]:
        """Survival at each time (``times``, default the nomogram's) for a total of points.

        ``total_points`` is a number between 0 and :attr:`max_total_points` or a
        :class:`NomogramPoints`. Returns ``{time: survival probability}``.
        """
        import numpy as np

        total = self._total(total_points)
        lp = total / self.points_per_lp + self.lp_at_zero_points - self.lp_centre
        out = {}
        for t in (self.times if times is None else _as_tuple(times)):
            t = self._time(t)
            out[t] = float(np.exp(-self._baseline(t) * np.exp(lp)))
        return out

    def points_for_survival(self, survival, time) -> float:
        """Total points at which the survival axis at ``time`` reads ``survival``.

        Raises ``ValueError`` when no total between 0 and :attr:`max_total_points` gives
        that survival (the axis would not show it).
        """
        s = _validate.number(survival, name="Survival probability", low=0, high=1,
                             low_inclusive=False, high_inclusive=False)
        t = self._time(time)
        total = self._points_for_survival(s, t)
        if total is None or not -_SLACK <= total <= self.max_total_points + _SLACK:
            best, worst = self.survival(0, (t,))[t], self.survival(self.max_total_points, (t,))[t]
            raise ValueError(
                f"Survival {s:g} at {t:g} {self.time_unit} is not on this nomogram: its total "
                f"points run from 0 to {self.max_total_points:.1f}, where survival at "
                f"{t:g} {self.time_unit} runs from {best:.3f} down to {worst:.3f}.")
        return min(max(total, 0.0), self.max_total_points)

    # --- printing -----------------------------------------------------------------------
    def summary(self) -> None:
        """Print what was computed, as ``rms``'s ``print(nomogram)`` does."""
        print(self._summary_text())

    def __str__(self) -> str:
        return self._summary_text()

    def __repr__(self) -> str:
        times = ", ".join(f"{t:g}" for t in self.times)
        return (f"Nomogram({len(self.predictors)} predictors, "
                f"{self.points_per_lp:.4g} points per unit of linear predictor, "
                f"total 0–{self.max_total_points:.1f} points, survival at {times} "
                f"{self.time_unit})")

    def _summary_text(self) -> str:
        widest = max(self.predictors, key=lambda p: p.lp_span)
        lines = [
            "Nomogram of a Cox proportional-hazards model (lifelines CoxPHFitter, Breslow "
            "baseline)",
            f"n = {self.n}, events = {self.events}",
            "",
            f"Points per unit of linear predictor: {self.points_per_lp:.4f}",
            f"Linear predictor units per point:    {1 / self.points_per_lp:.5f}",
            f"{widest.label} has the widest range of linear predictor "
            f"({widest.lp_span:.4f}) and spans 100 points.",
            "Points = (the predictor's part of the linear predictor − its minimum) × "
            f"{self.points_per_lp:.4f}.",
            "",
        ]
        for p in self.predictors:
            if p.kind == "continuous":
                lines.append(f"{p.label}: β = {p.coefficients[0]:.4g} per unit; observed range "
                             f"{p.low:g} to {p.high:g}")
                rows = [(f"{v:g}", p.coefficients[0] * v) for v in p.axis_values()]
            else:
                lines.append(f"{p.label}: categorical, reference level {p.levels[0]!r}")
                rows = list(p.level_lp().items())
            width = max(len(r[0]) for r in rows)
            lines.append(f"  {'value':<{width}}  {'partial LP':>10}  {'points':>6}")
            for value, lp in rows:
                pts = (lp - p.lp_range[0]) * self.points_per_lp
                lines.append(f"  {value:<{width}}  {lp:10.4f}  {pts:6.1f}")
            lines.append("")
        shift = self.lp_at_zero_points - self.lp_centre
        lines += [
            f"Total points run from 0 to {self.max_total_points:.1f}. 0 points = linear "
            f"predictor {self.lp_at_zero_points:.4f}; lifelines' baseline sits at the "
            f"covariate means, linear predictor {self.lp_centre:.4f}.",
            f"Survival at t for T total points: S = exp(−H₀(t) · exp(T / "
            f"{self.points_per_lp:.4f} {'+' if shift >= 0 else '−'} {abs(shift):.4f})), with "
            "lifelines' baseline cumulative hazard H₀:",
        ]
        lines += [f"  H₀({t:g} {self.time_unit}) = {self._baseline(t):.5f}" for t in self.times]
        for t in self.times:
            lines += ["", f"  Total points  {t:g}-{_singular(self.time_unit)} survival"]
            reached = [(s, self._points_for_survival(s, t)) for s in SUMMARY_SURVIVALS]
            reached = [(s, pts) for s, pts in reached
                       if pts is not None and -_SLACK <= pts <= self.max_total_points + _SLACK]
            lines += [f"  {pts:12.1f}  {s:g}" for s, pts in reached]
            if not reached:
                lines.append("  (no survival from 0.9 to 0.1 is reached on this nomogram)")
        return "\n".join(lines)

    # --- drawing --------------------------------------------------------------------------
    def plot(self, ax=None, *, survival_ticks=SURVIVAL_TICKS):
        """Draw the nomogram as ``rms`` does, in the book's style; returns the Axes.

        From the top: a "Points" axis (0–100); one axis per predictor with its values or
        levels placed at their points; a "Total Points" axis (0 to the largest total,
        stretched to the same width); one axis per survival time with ``survival_ticks``
        placed at the total points that give them (those the total points reach).
        """
        import matplotlib.pyplot as plt

        from nec.plotting import PALETTE, style

        rows = 2 + len(self.predictors) + len(self.times)
        with style():
            if ax is None:
                _, ax = plt.subplots(figsize=(10, 0.62 * rows + 0.6))
            names = ["Points", "Total Points", *(p.label for p in self.predictors),
                     *(self._survival_label(t) for t in self.times)]
            fig = ax.figure
            width_in = ax.get_position().width * fig.get_figwidth()
            char_in = 0.6 * 10 / 72  # a 10-pt character is about 0.6 em wide
            name_in = max(len(n) for n in names) * char_in + 0.15
            # Leave room on the left for the axis names, in data units (points run 0–100).
            right = 104.0
            left = -(right * name_in / max(width_in - name_in, 1.0))
            ax.set_xlim(left, right)
            ax.set_ylim(-(rows - 1) - 0.9, 0.9)
            ax.set_axis_off()
            units_per_in = (right - left) / width_in
            char_units = 0.6 * 9 / 72 * units_per_in

            def draw(y, ticks, name, colour, line=None, drop_crowded=False):
                # The line spans the predictor's whole range; ticks mark round values in it.
                xs = [x for x, _ in ticks]
                x0, x1 = line if line is not None else (min(xs), max(xs))
                ax.plot([x0, x1], [y, y], color=colour, linewidth=1.3, solid_capstyle="butt")
                ax.text(left, y, name, ha="left", va="center", fontsize=10, color=colour)
                last_end = {"above": -1e9, "below": -1e9}
                for x, text in sorted(ticks, key=lambda xt: xt[0]):
                    half = len(text) * char_units / 2 + 0.6
                    side = next((s for s in ("above", "below") if x - half >= last_end[s]), None)
                    if side is None:
                        if drop_crowded:
                            continue
                        side = "above"
                    last_end[side] = x + half
                    sign = 1 if side == "above" else -1
                    ax.plot([x, x], [y, y + sign * 0.13], color=colour, linewidth=1.1)
                    ax.text(x, y + sign * 0.18, text, ha="center",
                            va="bottom" if side == "above" else "top", fontsize=9,
                            color=colour)

            grey, black = PALETTE["grey"], PALETTE["black"]
            for x in range(0, 101, 10):
                ax.plot([x, x], [0, -len(self.predictors)], color=grey, linewidth=0.5,
                        alpha=0.4, zorder=0)
            draw(0, [(float(x), f"{x:g}") for x in range(0, 101, 10)], "Points", black)
            for i, p in enumerate(self.predictors, start=1):
                values = p.axis_values()
                texts = [f"{v:g}" for v in values] if p.kind == "continuous" else values
                ticks = [((p.partial_lp(v) - p.lp_range[0]) * self.points_per_lp, text)
                         for v, text in zip(values, texts, strict=True)]
                draw(-i, ticks, p.label, PALETTE["blue"],
                     line=(0.0, p.lp_span * self.points_per_lp))
            y_total = -(len(self.predictors) + 1)
            stretch = 100.0 / self.max_total_points
            draw(y_total, [(v * stretch, f"{v:g}")
                           for v in _pretty(0.0, self.max_total_points, integer=True, n=8)],
                 "Total Points", black, line=(0.0, 100.0))
            for j, t in enumerate(self.times, start=1):
                ticks = []
                for s in survival_ticks:
                    pts = self._points_for_survival(s, t)
                    if pts is not None and -_SLACK <= pts <= self.max_total_points + _SLACK:
                        ticks.append((pts * stretch, f"{s:g}"))
                if ticks:
                    draw(y_total - j, ticks, self._survival_label(t), PALETTE["vermillion"],
                         drop_crowded=True)
                else:
                    ax.text(left, y_total - j, f"{self._survival_label(t)}: no tick in range",
                            ha="left", va="center", fontsize=10, color=PALETTE["vermillion"])
        return ax

    # --- helpers ------------------------------------------------------------------------
    def _survival_label(self, t) -> str:
        return f"{t:g}-{_singular(self.time_unit)} Survival"

    def _baseline(self, t) -> float:
        import numpy as np

        # lifelines interpolates its Breslow cumulative hazard linearly between event
        # times (predict_cumulative_hazard uses np.interp); do the same so the nomogram and
        # fitter.predict_survival_function agree exactly.
        return float(np.interp(t, self.baseline_times, self.baseline_cumhaz))

    def _points_for_survival(self, s, t):
        import math as m

        h0 = self._baseline(t)
        if h0 <= 0:
            return None
        lp = m.log(-m.log(s) / h0)
        return (lp + self.lp_centre - self.lp_at_zero_points) * self.points_per_lp

    def _time(self, t) -> float:
        last = float(self.baseline_times[-1])
        return _validate.number(
            t, name=f"Survival time ({self.time_unit})", low=0, high=last,
            low_inclusive=False,
            why=f"Follow-up in the fitting data ends at {last:g} {self.time_unit}; the model "
                "cannot say what happens after it.")

    def _total(self, total_points) -> float:
        if isinstance(total_points, NomogramPoints):
            total_points = total_points.total
        total = _validate.number(total_points, name="Total points")
        if not -_SLACK <= total <= self.max_total_points + _SLACK:
            raise ValueError(f"Total points must be between 0 and {self.max_total_points:.1f} "
                             f"on this nomogram (got {total:g}).")
        return min(max(total, 0.0), self.max_total_points)

    def _check_value(self, p: Predictor, value):
        if p.kind == "categorical":
            options = {_validate.normalise(level): level for level in p.levels}
            for level, column in zip(p.levels[1:], p.columns, strict=True):
                options.setdefault(_validate.normalise(column), level)
            return _validate.choice(value, name=p.label, options=options)
        x = _validate.number(value, name=p.label)
        if not p.low <= x <= p.high:
            raise ValueError(
                f"{p.label} {x:g} is outside the range the model was fitted on ({p.low:g} to "
                f"{p.high:g}): the model was not fitted there, so the nomogram gives it no "
                "points.")
        return x


def _predictors_from_groups(params, data, columns, groups, reference_labels, labels):
    """One :class:`Predictor` per group of dummies and per remaining column, in model order."""
    import numpy as np

    grouped: dict[str, str] = {}
    group_levels: dict[str, dict[str, str]] = {}
    for name, spec in groups.items():
        level_columns = (dict(spec) if isinstance(spec, dict)
                         else {str(c): c for c in ((spec,) if isinstance(spec, str) else spec)})
        if not level_columns:
            raise ValueError(f"Group {name!r} lists no dummy columns.")
        for column in level_columns.values():
            if column not in columns:
                raise ValueError(f"Group {name!r} names {column!r}, which is not a covariate of "
                                 f"the model; its covariates are {columns}.")
            if column in grouped:
                raise ValueError(f"Column {column!r} is in two groups, {grouped[column]!r} and "
                                 f"{name!r}; a dummy column belongs to one variable.")
            grouped[column] = name
            observed = set(np.unique(data[column].to_numpy(float)))
            if not observed <= {0.0, 1.0}:
                raise ValueError(f"Column {column!r} of group {name!r} holds values other than "
                                 "0 and 1; a group is made of 0/1 dummy columns.")
        if (data[list(level_columns.values())].sum(axis=1) > 1).any():
            raise ValueError(f"Some rows have more than one of group {name!r}'s columns set to 1; "
                             "the dummies of one categorical variable are mutually exclusive.")
        group_levels[name] = level_columns
    for name in [*reference_labels, *labels]:
        if name not in groups and name not in columns:
            raise ValueError(f"{name!r} is not a predictor of the model; its predictors are "
                             f"{[c for c in columns if c not in grouped] + list(groups)}.")
    predictors, done = [], set()
    for column in columns:
        name = grouped.get(column, column)
        if name in done:
            continue
        done.add(name)
        label = str(labels.get(name, name))
        if name in groups:
            level_columns = group_levels[name]
            predictors.append(Predictor(
                name=name, label=label, kind="categorical",
                columns=tuple(level_columns.values()),
                coefficients=tuple(float(params[c]) for c in level_columns.values()),
                levels=(str(reference_labels.get(name, "reference")),
                        *map(str, level_columns)),
            ))
        else:
            x = data[column].to_numpy(float)
            predictors.append(Predictor(
                name=name, label=label, kind="continuous", columns=(column,),
                coefficients=(float(params[column]),), low=float(x.min()), high=float(x.max()),
                integer_valued=bool(np.all(x == np.round(x))),
            ))
    return predictors


def _pretty(low, high, *, integer=False, n=6) -> list[float]:
    """Round numbers between ``low`` and ``high`` for an axis (about ``n`` of them)."""
    if high <= low:
        return [low]
    raw = (high - low) / n
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(k * magnitude for k in (1, 2, 2.5, 5, 10) if k * magnitude >= raw)
    if integer:
        step = max(1.0, round(step))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    ticks = [round(k * step, 10) for k in range(first, last + 1)]
    return ticks or [low, high]


def _singular(unit: str) -> str:
    return unit[:-1] if unit.endswith("s") else unit


def _as_tuple(times) -> tuple:
    if isinstance(times, str) or not hasattr(times, "__iter__"):
        return (times,)
    return tuple(times)
