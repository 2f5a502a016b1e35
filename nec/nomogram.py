"""Building a nomogram from a fitted Cox model, as Harrell's ``rms`` builds one.

``Nomogram.from_cox(fitter, data)`` draws any fitted lifelines ``CoxPHFitter`` as
``rms::nomogram`` draws a ``cph`` fit: each predictor's points are its part of the linear
predictor scaled so the widest-ranging predictor spans 100 points, a total of points maps
back to the linear predictor, and survival axes read the Breslow baseline at chosen times.
Checked against R's ``rms`` in ``tests/reference_r/test_r_nomogram.py``.

Two choices follow ``rms`` rather than lifelines:

- **Axis ranges** (``axis_range="pretty"``, the default): a continuous predictor's axis runs
  over R's ``pretty(range(x), n = 10)`` — round numbers just enclosing the data, e.g.
  1–10 cm for sizes observed from 1.7 to 9.4 cm — and its points are scaled over that
  axis, as ``rms::nomogram`` does. A predictor with fewer than 10 distinct values is drawn
  at those values (``rms::datadist``'s rule). ``axis_range="observed"`` scales over the
  observed minimum–maximum instead.
- **Baseline survival is a step function.** The Breslow estimator of the cumulative hazard
  only changes at death times; ``rms``/``survival`` read it at time t as its value at the
  last event time at or before t. lifelines' ``predict_survival_function(times=...)``
  instead interpolates linearly between event times, which moves predictions between
  deaths (by up to 0.04 on the 45-patient synthetic cohort). The nomogram uses the step.

The published Luo 2024 nomogram, read back from its points table, is :mod:`nec.published`;
its names are re-exported here (``from nec.nomogram import luo2024`` works).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nec import _nomogram_checks as _checks
from nec import _validate
from nec.published import (  # noqa: F401  (re-exported: nec.nomogram.luo2024 and friends)
    YEARS,
    Points,
    ReconstructedNomogram,
    SurvivalAxis,
    luo2024,
    published_hazard_ratios,
)

#: Survival probabilities marked on each drawn survival axis (those the total points reach).
SURVIVAL_TICKS = (0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05)
#: Survival probabilities whose total points :meth:`Nomogram.summary` prints.
SUMMARY_SURVIVALS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)
# Floating-point slack when a total is compared with the nomogram's maximum.
_SLACK = _checks.SLACK
#: How a continuous axis is ranged: rms's pretty(range(x), 10), or the observed range.
AXIS_RANGES = ("pretty", "observed")
#: rms::nomogram's nint: about this many intervals on a continuous axis.
RMS_NINT = 10
#: rms::datadist's n.unique: a predictor with fewer distinct values is drawn at them.
RMS_N_UNIQUE = 10
#: Most intervals :func:`r_pretty` is asked for: rms uses 10; beyond 100 an axis's ticks
#: cannot be read (and a huge n is a slip, not a wish).
MAX_PRETTY_N = 100


@dataclass(frozen=True)
class Predictor:
    """One axis of a :class:`Nomogram`: a predictor and its part of the linear predictor.

    A continuous predictor contributes β·x for x on its axis ``low``–``high`` (rms's pretty
    range or the observed range; ``observed_low``/``observed_high`` are the data's). A
    categorical predictor (a group of 0/1 dummy columns) contributes 0 for its reference
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
    ticks: tuple[float, ...] = ()
    observed_low: float | None = None
    observed_high: float | None = None

    def level_lp(self) -> dict[str, float]:
        """Partial linear predictor of each level (categorical predictors only)."""
        return dict(zip(self.levels, (0.0, *self.coefficients), strict=True))

    def partial_lp(self, value) -> float:
        """This predictor's part of the (uncentred) linear predictor at ``value``: a number on
        its axis (``low``–``high``) or one of its ``levels``.

        >>> Predictor("size_cm", "Size (cm)", "continuous", ("size_cm",), (0.4,), low=1,
        ...           high=10).partial_lp(5)
        2.0
        """
        if self.kind == "continuous":
            x = _validate.number(value, name=self.label)
            slack = _SLACK * max(1.0, abs(self.high - self.low))
            if not self.low - slack <= x <= self.high + slack:
                raise ValueError(f"{self.label} {x:g} is outside the nomogram's axis "
                                 f"({self.low:g} to {self.high:g}): the model gives it no "
                                 "points.")
            return self.coefficients[0] * x
        if isinstance(value, str) and value in self.levels:
            return self.level_lp()[value]
        raise ValueError(f"{self.label} has the levels "
                         f"{', '.join(repr(v) for v in self.levels)}, not {value!r}.")

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
        """Values marked on this predictor's axis: its ticks, or every level."""
        if self.kind == "categorical":
            return list(self.levels)
        return list(self.ticks)


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

    where H₀ is the baseline cumulative hazard (Breslow's estimator, Efron's correction for
    tied deaths by default, read as a step function as ``rms`` reads it), which belongs to a
    patient with every covariate at its mean in the fitting data (linear predictor
    ``lp_centre``).

    Attributes
    ----------
    predictors
        The axes, in the model's column order (:class:`Predictor`).
    points_per_lp
        Points per unit of linear predictor (``100 / widest partial-LP range``).
    lp_at_zero_points
        Uncentred linear predictor of a patient with 0 total points (Σ each part's minimum).
    lp_centre
        Uncentred linear predictor at the covariate means, where the baseline sits.
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
                 times=(12, 36, 60), time_unit="months", axis_range="pretty",
                 baseline_ties="efron") -> Nomogram:
        """Build the nomogram of a fitted lifelines ``CoxPHFitter``.

        Parameters
        ----------
        fitter
            A ``lifelines.CoxPHFitter`` fitted with the default Breslow baseline, no strata
            and no formula (one column per coefficient).
        data
            The DataFrame the model was fitted on; each predictor's range (or its levels)
            comes from it, and the nomogram refuses values outside its axis.
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
        axis_range
            ``"pretty"`` (default, as ``rms::nomogram``): each continuous axis runs over R's
            ``pretty(range(x), n = 10)`` and points are scaled over it; ``"observed"``: over
            the observed minimum to maximum. A predictor with fewer than 10 distinct values
            is drawn at those values either way (``rms::datadist``).
        baseline_ties
            How tied deaths enter the baseline hazard (:func:`nec._cox.baseline_cumulative_hazard`):
            ``"efron"`` (default, as ``rms::cph``/``survival::survfit`` for an Efron fit) or
            ``"breslow"`` (lifelines' ``baseline_cumulative_hazard_``). Without tied deaths
            they are equal.

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
        >>> nomo.predictor("pnodes").low, nomo.predictor("pnodes").high  # pretty(1–51)
        (0.0, 55.0)
        >>> round(patient.total, 1)
        29.5
        >>> round(nomo.survival(patient)[60], 2)
        0.44
        """
        import numpy as np
        import pandas as pd
        from lifelines import CoxPHFitter

        if axis_range not in AXIS_RANGES:
            raise ValueError(f"axis_range must be one of {', '.join(map(repr, AXIS_RANGES))}"
                             f" (got {axis_range!r}).")
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
                                             reference_labels or {}, labels or {},
                                             axis_range)
        widest = max(p.lp_span for p in predictors)
        if not widest > 0:
            raise ValueError("Every coefficient of this model is 0 over the observed data: no "
                             "predictor changes the risk, so there is nothing to draw.")
        # lifelines centres the linear predictor at the covariate means of the fitting data:
        # predict_log_partial_hazard(x) = (x − mean)·β, and baseline_cumulative_hazard_ is
        # the cumulative hazard at x = mean. Its value at x = 0 is therefore −mean·β.
        zero_row = pd.DataFrame([[0.0] * len(columns)], columns=params.index)
        lp_centre = -float(fitter.predict_log_partial_hazard(zero_row).iloc[0])
        from nec import _cox

        if baseline_ties not in _cox.BASELINE_TIES:
            raise ValueError(f"baseline_ties must be one of {', '.join(_cox.BASELINE_TIES)} "
                             f"(got {baseline_ties!r}).")
        if getattr(fitter, "weights_col", None):
            raise ValueError("This Cox model is weighted; the nomogram's baseline is the "
                             "unweighted estimator, so refit without weights_col.")
        outcome = [fitter.duration_col] + ([fitter.event_col] if fitter.event_col else [])
        absent = [c for c in outcome if c not in data.columns]
        if absent:
            raise ValueError(f"data lacks the model's outcome column(s) {absent}: pass the "
                             "DataFrame the model was fitted on.")
        durations = data[fitter.duration_col].to_numpy(float)
        events = (data[fitter.event_col].to_numpy(float) if fitter.event_col
                  else np.ones(len(data)))
        baseline_times, baseline_cumhaz = _cox.baseline_cumulative_hazard(
            data[columns].to_numpy(float), durations, events, params.to_numpy(float),
            ties=baseline_ties)
        nomogram = cls(
            predictors=tuple(predictors),
            points_per_lp=100.0 / widest,
            lp_at_zero_points=float(sum(p.lp_range[0] for p in predictors)),
            lp_centre=lp_centre,
            times=(),
            time_unit=str(time_unit),
            n=len(durations),
            events=int(events.sum()),
            baseline_times=baseline_times,
            baseline_cumhaz=baseline_cumhaz,
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

    @_validate.refuses_bad_arguments
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
        mapping. A continuous value must lie on its axis (``low``–``high``); a level must be
        one of the predictor's levels (matched case- and spacing-blind). An unknown or
        missing predictor raises ``ValueError`` naming the predictors.
        """
        given = {**(dict(values) if values is not None else {}), **more}
        _checks.keyword_values(given, [p.name for p in self.predictors], what="The model")
        points, values_out = {}, {}
        for p in self.predictors:
            value = self._check_value(p, given[p.name])
            values_out[p.name] = value
            points[p.name] = (p.partial_lp(value) - p.lp_range[0]) * self.points_per_lp
        return NomogramPoints(points=points, values=values_out)

    def survival(self, total_points, times=None, *, extrapolate=False) -> dict[float, float]:
        """Survival at each time (``times``, default the nomogram's) for a total of points.

        ``total_points`` is a number between 0 and :attr:`max_total_points` (any number with
        ``extrapolate=True``) or a :class:`NomogramPoints`. Survival is read from the
        Breslow baseline as a step function, as ``rms``/``survival`` read it (see the module
        docstring). Returns ``{time: survival probability}``.
        """
        import numpy as np

        total = self._total(total_points, extrapolate=_checks.flag(extrapolate))
        lp = total / self.points_per_lp + self.lp_at_zero_points - self.lp_centre
        out = {}
        for t in (self.times if times is None else _as_tuple(times)):
            t = self._time(t)
            with np.errstate(over="ignore"):  # an extrapolated total far out: survival 0
                out[t] = float(np.exp(-self._baseline(t) * np.exp(lp)))
        return out

    def points_for_survival(self, survival, time, *, extrapolate=False) -> float:
        """Total points at which the survival axis at ``time`` reads ``survival``.

        Raises ``ValueError`` when no total between 0 and :attr:`max_total_points` gives
        that survival (the axis would not show it), unless ``extrapolate=True``.
        """
        extrapolate = _checks.flag(extrapolate)
        s = _checks.survival_probability(survival)
        t = self._time(time)
        total = self._points_for_survival(s, t)
        if total is not None and extrapolate:
            return total
        if not _checks.reached(total, max_total=self.max_total_points):
            raise _checks.unreachable(
                s, f"{t:g} {self.time_unit}", max_total=self.max_total_points,
                best=self.survival(0, (t,))[t],
                worst=self.survival(self.max_total_points, (t,))[t])
        return min(max(total, 0.0), self.max_total_points)

    # --- printing -----------------------------------------------------------------------
    def summary(self) -> str:
        """What was computed, as ``rms``'s ``print(nomogram)`` shows it, as a string."""
        return self._summary_text()

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
            "baseline read as a step function, as rms reads it)",
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
                lines.append(f"{p.label}: β = {p.coefficients[0]:.4g} per unit; axis "
                             f"{p.low:g} to {p.high:g} (observed {p.observed_low:g} to "
                             f"{p.observed_high:g})")
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
            f"predictor {self.lp_at_zero_points:.4f}; the baseline sits at the covariate "
            f"means, linear predictor {self.lp_centre:.4f}.",
            f"Survival at t for T total points: S = exp(−H₀(t) · exp(T / "
            f"{self.points_per_lp:.4f} {'+' if shift >= 0 else '−'} {abs(shift):.4f})), with "
            "the baseline cumulative hazard H₀ (a step function):",
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
    @_validate.refuses_bad_arguments
    def plot(self, ax=None, *, survival_ticks=SURVIVAL_TICKS):
        """Draw the nomogram as ``rms`` does, in the book's style; returns the Axes.

        From the top: a "Points" axis (0–100); one axis per predictor with its values or
        levels placed at their points; a "Total Points" axis (0 to the largest total,
        stretched to the same width); one axis per survival time with ``survival_ticks``
        placed at the total points that give them (those the total points reach).
        """
        import matplotlib.pyplot as plt

        from nec.plotting import PALETTE, style

        if ax is not None and not (hasattr(ax, "plot") and hasattr(ax, "figure")):
            raise ValueError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()), not "
                             f"{type(ax).__name__}.")
        if isinstance(survival_ticks, str | bytes) or not hasattr(survival_ticks, "__iter__"):
            raise ValueError("survival_ticks must be a list of survival probabilities, e.g. "
                             f"(0.9, 0.5, 0.1), not {survival_ticks!r}.")
        survival_ticks = [_checks.survival_probability(s) for s in survival_ticks]
        rows = 2 + len(self.predictors) + len(self.times)
        with style():
            if ax is None:
                # 5 in wide: its 9-pt ticks stay legible when a phone shows it ~360 px wide.
                _, ax = plt.subplots(figsize=(5.0, 0.55 * rows + 0.6))
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
        # The Breslow cumulative hazard is a step function: its value at the last time at
        # or before t, as rms::Survival and survival::survfit read it (lifelines'
        # predict_*(times=...) interpolates linearly instead; see the module docstring).
        return _step_at(self.baseline_times, self.baseline_cumhaz, t)

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

    def _total(self, total_points, extrapolate=False) -> float:
        if isinstance(total_points, NomogramPoints):
            total_points = total_points.total
        return _checks.total_points(total_points, max_total=self.max_total_points,
                                    extrapolate=extrapolate)

    def _check_value(self, p: Predictor, value):
        if p.kind == "categorical":
            options = {_validate.normalise(level): level for level in p.levels}
            for level, column in zip(p.levels[1:], p.columns, strict=True):
                options.setdefault(_validate.normalise(column), level)
            return _validate.choice(value, name=p.label, options=options)
        x = _validate.number(value, name=p.label)
        if not p.low <= x <= p.high:
            raise ValueError(
                f"{p.label} {x:g} is outside the nomogram's axis ({p.low:g} to {p.high:g}; "
                f"observed {p.observed_low:g} to {p.observed_high:g}): the model was not "
                "fitted there, so the nomogram gives it no points.")
        return x


def _predictors_from_groups(params, data, columns, groups, reference_labels, labels,
                            axis_range="pretty"):
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
            low, high = float(x.min()), float(x.max())
            integer = bool(np.all(x == np.round(x)))
            distinct = np.unique(x)
            if len(distinct) < RMS_N_UNIQUE:
                ticks = [float(v) for v in distinct]  # rms::datadist keeps these values
            elif axis_range == "pretty":
                ticks = r_pretty(low, high, RMS_NINT)
                low, high = ticks[0], ticks[-1]
            else:
                ticks = _pretty(low, high, integer=integer)
            predictors.append(Predictor(
                name=name, label=label, kind="continuous", columns=(column,),
                coefficients=(float(params[column]),), low=low, high=high,
                integer_valued=integer, ticks=tuple(ticks), observed_low=float(x.min()),
                observed_high=float(x.max()),
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


@_validate.refuses_bad_arguments
def r_pretty(low: float, high: float, n: int = 5) -> list[float]:
    """R's ``pretty(c(low, high), n)``: about ``n`` round intervals covering low–high.

    A transcription of R's ``R_pretty`` (src/appl/pretty.c) with ``pretty.default``'s
    arguments (min.n = n %/% 3, shrink.sml = 0.75, high.u.bias = 1.5, u5.bias = 0.5 + 1.5 ×
    1.5, eps.correct = 0); the tests compare it with R.

    >>> r_pretty(1.7, 9.4, 10)
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    >>> r_pretty(1, 51, 10)
    [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0]
    """
    import sys

    low = _validate.number(low, name="The low end")
    high = _validate.number(high, name="The high end")
    if high < low:
        raise ValueError(f"The high end ({high:g}) must not be below the low end ({low:g}).")
    n = _validate.count(n, name="The number of intervals (n)", low=1, high=MAX_PRETTY_N,
                        why="An axis with more intervals than that has unreadable ticks.")
    eps = sys.float_info.epsilon
    rounding_eps = 1e-10
    h, h5 = 1.5, 0.5 + 1.5 * 1.5
    min_n = n // 3
    dx = high - low
    if dx == 0 and high == 0:
        cell, small = 1.0, True
    else:
        cell = max(abs(low), abs(high))
        u = 1 + (1 / (1 + h) if h5 >= 1.5 * h + 0.5 else 1.5 / (1 + h5))
        u *= max(1, n) * eps
        small = dx < cell * u * 3
    if small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= 0.75
        if min_n > 1:
            cell /= min_n
    else:
        cell = dx
        if n > 1:
            cell /= n
    base = 10.0 ** math.floor(math.log10(cell))
    unit = base
    if 2 * base - cell < h * (cell - unit):
        unit = 2 * base
        if 5 * base - cell < h5 * (cell - unit):
            unit = 5 * base
            if 10 * base - cell < h * (cell - unit):
                unit = 10 * base
    ns = math.floor(low / unit + rounding_eps)
    nu = math.ceil(high / unit - rounding_eps)
    while ns * unit > low + rounding_eps * unit:
        ns -= 1
    while nu * unit < high - rounding_eps * unit:
        nu += 1
    k = int(0.5 + nu - ns)
    if k < min_n:
        k = min_n - k
        if ns >= 0:
            nu += k // 2
            ns -= k // 2 + k % 2
        else:
            ns -= k // 2
            nu += k // 2 + k % 2
        k = min_n
    # bounds = TRUE: the ends cover the data; then seq.int(l, u, length.out = k + 1)
    first, last = min(low, ns * unit), max(high, nu * unit)
    if k == 0:
        return [float(first)]
    by = (last - first) / k
    ticks = [first + i * by for i in range(k + 1)]
    return [0.0 if abs(v) < 1e-14 * by else float(v) for v in ticks]


@_validate.refuses_bad_arguments
def step_at(times, values, t) -> float:
    """A right-continuous step function read at ``t``: ``values`` at the last of ``times``
    (sorted) at or before ``t``, 0 before the first.

    >>> step_at([1.0, 2.0, 4.0], [0.1, 0.3, 0.6], 3.9)
    0.3
    """
    import numpy as np

    try:
        x = np.asarray(times, dtype=float)
        y = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("The times and values must be numbers.") from None
    if isinstance(times, str) or isinstance(values, str) or x.ndim != 1 or y.shape != x.shape \
            or not np.isfinite(x).all() or not np.isfinite(y).all():
        raise ValueError("Give the times and values as two lists of finite numbers of the same "
                         "length (one value per time).")
    if (np.diff(x) < 0).any():
        raise ValueError("The times must be sorted from earliest to latest.")
    return _step_at(x, y, _validate.number(t, name="The time"))


def _step_at(times, values, t) -> float:
    import numpy as np

    i = int(np.searchsorted(np.asarray(times, dtype=float), t, side="right")) - 1
    return 0.0 if i < 0 else float(values[i])


def _singular(unit: str) -> str:
    return unit[:-1] if unit.endswith("s") else unit


def _as_tuple(times) -> tuple:
    if isinstance(times, str) or not hasattr(times, "__iter__"):
        return (times,)
    return tuple(times)


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
