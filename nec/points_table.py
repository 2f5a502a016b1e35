"""Reading any published Cox nomogram back into its model, from its printed points table.

Papers print a nomogram as a drawing or as a table: for each predictor, axis values with
their points; and one or more outcome axes, total points against survival at a time.
:func:`from_points_table` takes those numbers and gives back the Cox model they draw,
the residual of every printed tick against it, and a plain-language list of what in the
table no single model can explain. Pure Python (``math`` only), so the live book can run
it in the browser: numbers in, records out.

The model an ``rms``-style nomogram draws
-----------------------------------------
With ``s`` the scale (points per unit of linear predictor):

- a predictor's points are ``s`` times its contribution to the linear predictor, less that
  contribution's smallest value on the axis (so every axis starts at 0 points);
- an outcome axis at time *t* puts survival *S* at the total *T* with
  ``log(−log S) = c(t) + T / s``, where ``c(t) = log(−log S₀(t))`` and S₀(t) is the
  survival of the patient with 0 total points.

So a coefficient is points / ``s`` (per unit along a continuous axis, per level of a
categorical one), and each outcome tick gives one estimate of ``c(t)``. What the table
cannot give is the centring (the linear predictor of the fitting data's average patient):
the recovered baseline is the 0-point patient's, which predicts exactly the same.

The error rounding allows (the bound every recovered number carries)
-------------------------------------------------------------------
Write δ_T for the largest error of a printed points value (0.5 for whole points), δ_S for
that of a printed survival (0.005 for two decimals; 0 when the survival values are the
axis labels, chosen exactly, as in a Luo-style table), ε_s for that of the printed scale.

- A continuous axis read as a line through its end ticks x₁ < x₂: each end is off by at
  most δ_T, so the slope is off by at most 2δ_T / (x₂ − x₁) points per unit, and the
  coefficient by ``2δ_T / ((x₂ − x₁)·s) + |slope|·ε_s / s²``. Every tick between lies
  within 2δ_T of that line (its own rounding plus the line's), which is the test that the
  axis is straight; where it is not, the axis is read piecewise between ticks (a bend, or
  a spline), each piece with the same bound over its own width.
- A contrast between two levels (or two ticks) is off by at most
  ``2δ_T / s + |ΔP|·ε_s / s²``.
- An outcome tick's ``log(−log S)`` is off by at most
  f = max(|z(S ± δ_S) − z(S)|) (computed exactly, not to first order); c(t), the mean of
  the tick estimates, is therefore off by at most
  ``mean(f) + δ_T / s + mean(T)·ε_s / s²``, and S₀(t) by the largest change of
  exp(−exp(c)) over that interval of c.
- When no scale is printed, it is the common slope of log(−log S) against T over all
  outcome axes (least squares, one intercept per axis); to first order it is off by at
  most ``s² · Σ|aᵢ|(fᵢ + δ_T/s)``, aᵢ being the least-squares weights.

A printed tick further from the recovered model than its bound is an inconsistency; so is
a printed scale further from the outcome axes' own slope than both bounds together, and a
printed hazard ratio further from the points than its rounding (2 decimals) plus theirs.

>>> m = from_points_table(
...     continuous={"age_years": [(40, 0), (60, 50), (80, 100)]},
...     categorical={"sex": {"female": 0, "male": 20}},
...     outcomes={12: [(20, 0.9), (80, 0.5)]}, scale=50)
>>> round(m.coefficient("age_years"), 3), round(m.coefficient("sex", "male"), 3)
(0.05, 0.4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Survival a printed outcome axis may carry: strictly between 0 and 1 (log(−log S) is
#: undefined at either end, and no axis prints a certainty).
SURVIVAL_OPEN_RANGE = (0.0, 1.0)
#: The largest points value a table can print: rms gives the widest predictor 100 points
#: and totals stay within a few hundred; 10 000 catches a misplaced decimal point, not a
#: real nomogram.
MAX_POINTS = 10_000.0
#: Hazard ratios are printed to 2 decimals in almost every paper: half the last digit. A
#: ratio printed to 3 (Luo 2024) is known better; the wider bound is conservative, never wrong.
HR_ROUNDING = 0.005
#: The largest rounding error of a printed points value: half of the 100 points rms gives
#: the widest predictor. A larger "rounding" would let any table pass as consistent.
POINTS_ERROR_MAX = 50.0
#: The largest rounding error of a printed survival: 0.1 is a survival printed to one
#: decimal rounded twice over; a larger one would let any survival axis pass.
SURVIVAL_ERROR_MAX = 0.1
#: The largest rounding error of a printed scale (points per unit of linear predictor): 0.5
#: is a scale printed as a whole number; one less precise than that is no printed scale
#: (leave it out, scale=None, and it is estimated from the outcome axes).
SCALE_ERROR_MAX = 0.5


@dataclass(frozen=True)
class Piece:
    """One straight piece of a continuous axis: from ``x_low`` to ``x_high``.

    ``points_per_unit`` is the slope as printed; ``coefficient`` = slope / scale (the log
    hazard ratio per unit along this piece), with its rounding ``bound``.
    """

    x_low: float
    x_high: float
    points_low: float
    points_high: float
    points_per_unit: float
    coefficient: float
    bound: float


@dataclass(frozen=True)
class ContinuousAxis:
    """A continuous predictor's printed ticks and the straight pieces that fit them."""

    name: str
    ticks: tuple[tuple[float, float], ...]
    pieces: tuple[Piece, ...]

    @property
    def linear(self) -> bool:
        return len(self.pieces) == 1

    @property
    def range(self) -> tuple[float, float]:
        return self.ticks[0][0], self.ticks[-1][0]

    def points_at(self, x: float) -> float:
        """Points at ``x``, along the piece that holds it (straight between its ends)."""
        x = _num(x, self.name)
        for p in self.pieces:
            if p.x_low <= x <= p.x_high:
                return p.points_low + (x - p.x_low) * p.points_per_unit
        lo, hi = self.range
        raise ValueError(f"{self.name} {x:g} is outside the printed axis ({lo:g} to {hi:g}): "
                         "the published nomogram gives no points there, and extending the "
                         "axis would be an extrapolation its authors did not make.")


@dataclass(frozen=True)
class PublishedModel:
    """A Cox model recovered from a printed nomogram table (see :func:`from_points_table`).

    Attributes
    ----------
    scale
        Points per unit of linear predictor (printed, or estimated from the outcome axes:
        ``scale_source`` says which) and ``scale_bound``, its error bound.
    continuous, categorical
        The predictor axes: :class:`ContinuousAxis` by name; points by level by name.
    log_cumhaz0, log_cumhaz0_bound
        For each printed time, c(t) = log(−log S₀(t)) of the 0-point patient and its bound.
    residuals
        One record per printed tick (see :meth:`residual_records`).
    inconsistencies
        Sentences, one per thing in the table that no single Cox model explains.
    remarks
        Sentences about the table's shape that are not errors (an axis that bends).
    """

    scale: float
    scale_source: str
    scale_bound: float
    continuous: dict
    categorical: dict
    log_cumhaz0: dict
    log_cumhaz0_bound: dict
    residuals: tuple
    inconsistencies: tuple
    points_error: float
    survival_error: float
    source: str = ""
    remarks: tuple = ()

    # --- the model ----------------------------------------------------------------------
    def coefficient(self, predictor: str, level=None) -> float:
        """The log hazard ratio: per unit of a straight continuous axis, or of ``level``
        against the categorical predictor's lowest-points level (its 0-point level in an
        ``rms`` nomogram; a table whose lowest level carries points is read the same way)."""
        if predictor in self.continuous:
            axis = self.continuous[predictor]
            if not axis.linear:
                raise ValueError(f"The {predictor} axis bends: it has no single coefficient; "
                                 "read coefficient_records() for one per straight piece.")
            return axis.pieces[0].coefficient
        if predictor in self.categorical:
            levels = self.categorical[predictor]
            if level not in levels:
                raise ValueError(f"{predictor} has the levels {', '.join(map(str, levels))}"
                                 f" on this nomogram, not {level!r}.")
            return (levels[level] - min(levels.values())) / self.scale
        raise ValueError(f"The nomogram has no predictor {predictor!r}: its predictors are "
                         f"{', '.join(self.predictors)}.")

    @property
    def predictors(self) -> list[str]:
        return [*self.continuous, *self.categorical]

    def coefficient_records(self) -> list[dict]:
        """Every recovered coefficient with its rounding bound, one record each."""
        out = []
        for name, axis in self.continuous.items():
            for p in axis.pieces:
                out.append({"predictor": name, "level": f"per unit, {p.x_low:g} to {p.x_high:g}",
                            "points": p.points_per_unit, "coefficient": p.coefficient,
                            "hazard_ratio": math.exp(p.coefficient), "bound": p.bound})
        for name, levels in self.categorical.items():
            ref = min(levels, key=levels.get)
            for level, pts in levels.items():
                if level == ref:
                    continue
                diff = pts - levels[ref]  # the lowest level may carry points (an offset)
                out.append({"predictor": name, "level": f"{level} vs {ref}", "points": diff,
                            "coefficient": diff / self.scale,
                            "hazard_ratio": math.exp(diff / self.scale),
                            "bound": self.contrast_bound(diff)})
        return out

    def contrast_bound(self, points_difference: float) -> float:
        """The rounding bound of a contrast worth ``points_difference`` points (see module)."""
        points_difference = _num(points_difference, "The points difference")
        return (2 * self.points_error / self.scale
                + abs(points_difference) * self.scale_bound / self.scale ** 2)

    @property
    def times(self) -> list:
        return sorted(self.log_cumhaz0)

    def baseline_survival(self) -> dict:
        """S₀(t) of the 0-point patient at each printed time."""
        return {t: _surv(c) for t, c in sorted(self.log_cumhaz0.items())}

    def baseline_survival_bounds(self) -> dict:
        """The largest error of each S₀(t) that rounding allows."""
        out = {}
        for t, c in sorted(self.log_cumhaz0.items()):
            b = self.log_cumhaz0_bound[t]
            out[t] = max(abs(_surv(c + b) - _surv(c)), abs(_surv(c - b) - _surv(c)))
        return out

    @property
    def max_total_points(self) -> float:
        """Every predictor at its highest-points value."""
        return (sum(max(p for _, p in a.ticks) for a in self.continuous.values())
                + sum(max(v.values()) for v in self.categorical.values()))

    def total_points(self, values: dict) -> float:
        """Total points for one patient: ``values`` maps every predictor to its value."""
        if not isinstance(values, dict):
            raise ValueError("Give the patient as a mapping of predictor to value, e.g. "
                             f"{{{', '.join(repr(p) + ': …' for p in self.predictors)}}}.")
        missing = [p for p in self.predictors if p not in values]
        extra = [p for p in values if p not in self.predictors]
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"not on the nomogram: {', '.join(map(str, extra))}"] if extra else [])
            raise ValueError(f"The nomogram's predictors are {', '.join(self.predictors)} "
                             f"({'; '.join(parts)}).")
        total = 0.0
        for name, axis in self.continuous.items():
            x = values[name]
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                raise ValueError(f"{name} must be a number, not {x!r}.")
            total += axis.points_at(float(x))
        for name, levels in self.categorical.items():
            if values[name] not in levels:
                raise ValueError(f"{name} has the levels {', '.join(map(str, levels))} on "
                                 f"this nomogram, not {values[name]!r}.")
            total += levels[values[name]]
        return total

    def survival(self, total: float, time) -> float:
        """Survival at ``time`` for a patient with ``total`` points."""
        if time not in self.log_cumhaz0:
            raise ValueError(f"The nomogram has outcome axes at {self.times} only (asked for "
                             f"{time!r}).")
        if isinstance(total, bool) or not isinstance(total, int | float) \
                or not math.isfinite(total):
            raise ValueError(f"Total points must be a number, not {total!r}.")
        return _surv(self.log_cumhaz0[time] + total / self.scale)

    def residual_records(self) -> list[dict]:
        """Every printed tick against the recovered model, one record each.

        Keys: ``axis``, ``value`` (the tick's axis value, or survival), ``points_printed``,
        ``points_model``, ``residual_points`` (printed − model), ``bound_points`` (what
        rounding allows), ``consistent``.
        """
        return [dict(r) for r in self.residuals]


def _time_label(t, time_unit: str) -> str:
    """'1 year', '3 years', '180 days' (a time without a unit is the number alone)."""
    if isinstance(t, bool) or not isinstance(t, int | float):
        return repr(t)
    unit = time_unit.removesuffix("s") if t == 1 else time_unit
    return f"{t:g} {unit}" if unit else f"{t:g}"


def _surv(c: float) -> float:
    return 0.0 if c > 700 else math.exp(-math.exp(c))


def _apart(value: float, bound: float) -> tuple[str, str]:
    """``value`` and ``bound`` printed with the fewest decimals (1 to 3) that show which is
    larger, so that a sentence never says "1.0, more than the 1.0 allowed".

    >>> _apart(1.04, 1.001)
    ('1.04', '1.00')
    >>> _apart(26.2, 1.1)
    ('26.2', '1.1')
    """
    for decimals in (1, 2):
        a, b = f"{value:.{decimals}f}", f"{bound:.{decimals}f}"
        if a != b:
            return a, b
    return f"{value:.3f}", f"{bound:.3f}"


def _z(s: float) -> float:
    return math.log(-math.log(s))


def _z_error(s: float, delta: float) -> float:
    """The largest change of log(−log S) when S moves by up to ``delta`` (within (0, 1))."""
    if delta <= 0:
        return 0.0
    out = 0.0
    for s2 in (s - delta, s + delta):
        s2 = min(max(s2, 1e-12), 1 - 1e-12)
        out = max(out, abs(_z(s2) - _z(s)))
    return out


# --- checking what was typed ---------------------------------------------------------------
def _num(value, what: str, *, low=None, high=None, open_range=False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, not {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}.")
    if open_range:
        if not low < value < high:
            raise ValueError(f"{what} is {value:g}: it must lie strictly between {low:g} and "
                             f"{high:g}.")
    else:
        if low is not None and value < low:
            raise ValueError(f"{what} is {value:g}: it cannot be below {low:g}.")
        if high is not None and value > high:
            raise ValueError(f"{what} is {value:g}: it cannot be above {high:g}.")
    return value


def _pairs(ticks, what: str, first: str, second: str) -> list[tuple]:
    if isinstance(ticks, dict):
        ticks = list(ticks.items())
    if isinstance(ticks, str) or not hasattr(ticks, "__iter__"):
        raise ValueError(f"{what} must be a list of ({first}, {second}) pairs, not {ticks!r}.")
    out = []
    for i, pair in enumerate(ticks, start=1):
        if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"{what}, tick {i}: expected a ({first}, {second}) pair, not "
                             f"{pair!r}.")
        out.append(tuple(pair))
    return out


def _continuous_axis(name, ticks, scale, delta_t, scale_err) -> ContinuousAxis:
    what = f"The {name} axis"
    pairs = _pairs(ticks, what, "value", "points")
    clean = []
    for i, (x, p) in enumerate(pairs, start=1):
        x = _num(x, f"{what}, tick {i}: the axis value")
        p = _num(p, f"{what}, tick {i}: the points", low=0, high=MAX_POINTS)
        clean.append((x, p))
    if len(clean) < 2:
        raise ValueError(f"{what} has {len(clean)} tick(s): a continuous axis needs at least "
                         "two (value, points) pairs to give a slope.")
    clean.sort()
    for (x1, p1), (x2, p2) in zip(clean, clean[1:], strict=False):
        if x1 == x2:
            raise ValueError(f"{what} prints the value {x1:g} twice ({p1:g} and {p2:g} "
                             "points): each value has one position on an axis.")
    pieces = []
    start = 0
    n = len(clean)
    while start < n - 1:
        end = start + 1
        # Extend the piece while every tick inside lies within 2δ_T of the line through its
        # ends (each tick's rounding plus the line's).
        while end + 1 < n and _straight(clean[start:end + 2], 2 * delta_t):
            end += 1
        (x1, p1), (x2, p2) = clean[start], clean[end]
        slope = (p2 - p1) / (x2 - x1)
        bound = 2 * delta_t / ((x2 - x1) * scale) + abs(slope) * scale_err / scale ** 2
        pieces.append(Piece(x1, x2, p1, p2, slope, slope / scale, bound))
        start = end
    return ContinuousAxis(name, tuple(clean), tuple(pieces))


def _straight(ticks, tolerance) -> bool:
    (x1, p1), (x2, p2) = ticks[0], ticks[-1]
    slope = (p2 - p1) / (x2 - x1)
    return all(abs(p - (p1 + (x - x1) * slope)) <= tolerance + 1e-9 for x, p in ticks[1:-1])


def _categorical(name, levels) -> dict:
    what = f"The {name} predictor"
    if not isinstance(levels, dict) or len(levels) < 2:
        raise ValueError(f"{what} must map each of at least two levels to its points, e.g. "
                         "{'no': 0, 'yes': 51}.")
    return {lv: _num(p, f"{what}, level {lv!r}: the points", low=0, high=MAX_POINTS)
            for lv, p in levels.items()}


def from_points_table(continuous=None, categorical=None, outcomes=None, *, scale=None,
                      points_error: float = 0.5, survival_error: float = 0.0,
                      scale_error: float = 0.0, hazard_ratios=None,
                      time_unit: str = "", source: str = "") -> PublishedModel:
    """Recover the Cox model a printed nomogram table draws, and audit the table.

    Parameters
    ----------
    continuous
        ``{name: [(value, points), ...]}``: each continuous predictor's printed ticks (any
        number ≥ 2, any spacing, bends allowed).
    categorical
        ``{name: {level: points}}``.
    outcomes
        ``{time: [(total_points, survival), ...]}``: each outcome axis's printed ticks.
    scale
        The printed points per unit of linear predictor, or ``None`` to estimate it from
        the outcome axes (which then need at least two ticks with different totals).
    points_error, survival_error, scale_error
        The largest error of a printed points value (0.5 = whole points), of a printed
        survival (0.005 = two decimals; 0 when the survival values are exact axis labels)
        and of the printed scale (0.0005 = three decimals).
    hazard_ratios
        Optional records ``{"predictor", "level", "reference", "hr"}`` printed elsewhere in
        the paper (``level``/``reference`` ``None`` for a per-unit continuous ratio); each is
        checked against the axis points.
    time_unit
        Words for the times in sentences ("years", "days").

    Returns
    -------
    PublishedModel
        Coefficients, baseline, residuals and ``inconsistencies`` (sentences).

    >>> s_30 = math.exp(-math.exp(math.log(-math.log(0.9)) + 1))  # 30 points = 1 unit of lp
    >>> m = from_points_table(continuous={"x": [(0, 0), (1, 30), (2, 60)]},
    ...                       outcomes={1: [(0, 0.9), (30, s_30)]}, points_error=0)
    >>> round(m.scale, 6), m.scale_source
    (30.0, 'estimated from the outcome axes')
    """
    delta_t = _num(points_error, "The points rounding (points_error)", low=0,
                   high=POINTS_ERROR_MAX)
    delta_s = _num(survival_error, "The survival rounding (survival_error)", low=0,
                   high=SURVIVAL_ERROR_MAX)
    eps_s = _num(scale_error, "The scale rounding (scale_error)", low=0, high=SCALE_ERROR_MAX)
    if not isinstance(time_unit, str):
        raise ValueError(f"The time unit is a word such as 'years' or 'days', not "
                         f"{time_unit!r}.")
    continuous = {} if continuous is None else continuous
    categorical = {} if categorical is None else categorical
    if not isinstance(continuous, dict) or not isinstance(categorical, dict):
        raise ValueError("Give the predictor axes as mappings: continuous={name: [(value, "
                         "points), ...]}, categorical={name: {level: points}}.")
    if not continuous and not categorical:
        raise ValueError("The table has no predictor axes: give at least one continuous or "
                         "categorical predictor with its points.")
    both = set(continuous) & set(categorical)
    if both:
        raise ValueError(f"{', '.join(sorted(both))} is given both as a continuous and as a "
                         "categorical predictor: it is one axis, of one kind.")
    if not isinstance(outcomes, dict) or not outcomes:
        raise ValueError("The table has no outcome axis: give outcomes={time: [(total points,"
                         " survival), ...]} for at least one printed time.")
    axes: dict = {}
    for t, ticks in outcomes.items():
        tt = _num(t, "An outcome axis's time", low=0)
        if tt <= 0:
            raise ValueError(f"An outcome axis's time is {tt:g}: survival is read at a time "
                             "after the start, so it must be above 0.")
        what = f"The survival axis at {_time_label(t, time_unit)}"
        pairs = _pairs(ticks, what, "total points", "survival")
        if not pairs:
            raise ValueError(f"{what} has no ticks: give at least one (total points, "
                             "survival) pair.")
        clean = []
        for i, (total, s) in enumerate(pairs, start=1):
            total = _num(total, f"{what}, tick {i}: the total points", low=0, high=MAX_POINTS)
            s = _num(s, f"{what}, tick {i}: the survival", low=0, high=1, open_range=True)
            clean.append((total, s))
        axes[t] = sorted(clean)

    notes: list[str] = []
    remarks: list[str] = []
    # The scale: the outcome axes' own slope, and the printed one if there is one.
    est = _scale_from_outcomes(axes, delta_t, delta_s)
    if scale is None:
        if est is None:
            raise ValueError("No scale is printed and the outcome axes cannot give one: they "
                             "need at least two ticks with different totals on one axis.")
        s_used, s_bound, s_source = est[0], est[1], "estimated from the outcome axes"
    else:
        s_used = _num(scale, "The printed scale (points per unit of linear predictor)", low=0)
        if s_used == 0:
            raise ValueError("The printed scale is 0 points per unit of linear predictor: a "
                             "nomogram's scale is a positive number (29.528 in Luo 2024).")
        s_bound, s_source = eps_s, "printed"
        if est is not None and abs(est[0] - s_used) > est[1] + eps_s + 1e-9 * s_used:
            notes.append(f"The printed scale, {s_used:g} points per unit of linear predictor,"
                         f" disagrees with the outcome axes, whose spacing gives {est[0]:.3f}"
                         f" ± {est[1]:.3f}: one of them was misprinted or drawn from a "
                         "different model.")

    cont = {name: _continuous_axis(name, ticks, s_used, delta_t, s_bound)
            for name, ticks in continuous.items()}
    cat = {name: _categorical(name, levels) for name, levels in categorical.items()}
    max_total = (sum(max(p for _, p in a.ticks) for a in cont.values())
                 + sum(max(v.values()) for v in cat.values()))

    residuals: list[dict] = []
    _axis_residuals(cont, delta_t, residuals, remarks)

    log_cumhaz0, c_bound = {}, {}
    for t, ticks in sorted(axes.items()):
        label = _time_label(t, time_unit)
        for (t1, s1), (t2, s2) in zip(ticks, ticks[1:], strict=False):
            if s2 > s1 + 2 * delta_s and t2 - t1 > 2 * delta_t:
                notes.append(f"The survival axis at {label} prints {s1:g} at {t1:g} points but a "
                             f"higher survival, {s2:g}, at {t2:g} points: no model in which "
                             "points add risk draws that (a typing error, or a swapped pair?).")
        errs = [_z_error(s, delta_s) for _, s in ticks]
        ests = [_z(s) - total / s_used for total, s in ticks]
        c = sum(ests) / len(ests)
        mean_total = sum(total for total, _ in ticks) / len(ticks)
        bound = sum(errs) / len(errs) + delta_t / s_used + mean_total * s_bound / s_used ** 2
        log_cumhaz0[t], c_bound[t] = c, bound
        for (total, s), f in zip(ticks, errs, strict=True):
            model = s_used * (_z(s) - c)
            tick_bound = delta_t + s_used * (f + bound)
            ok = abs(total - model) <= tick_bound + 1e-9
            residuals.append({"axis": f"survival at {label}", "value": s,
                              "points_printed": total, "points_model": model,
                              "residual_points": total - model, "bound_points": tick_bound,
                              "consistent": ok})
            if not ok:
                # To the decimals that tell the two apart: "1.0 points away, more than the
                # 1.0 that rounding allows" read as a contradiction (reader review 4, #3).
                away, allowed = _apart(abs(total - model), tick_bound)
                notes.append(f"The survival axis at {label} prints {s:g} at {total:g} points; "
                             f"the model its other ticks give puts {s:g} at {model:.1f} points,"
                             f" {away} points away, more than the {allowed} that rounding "
                             "allows.")
            if total > max_total + delta_t * (len(cont) + len(cat)):
                notes.append(f"The survival axis at {label} prints a tick at {total:g} points, "
                             f"beyond the largest total the predictor axes give "
                             f"({max_total:g}).")
    times = sorted(log_cumhaz0)
    for a, b in zip(times, times[1:], strict=False):
        if log_cumhaz0[b] < log_cumhaz0[a] - c_bound[a] - c_bound[b]:
            notes.append(f"At the same total points, the {_time_label(b, time_unit)} axis gives"
                         f" a higher survival than the {_time_label(a, time_unit)} axis: "
                         "survival cannot rise with "
                         "time, so one of the axes is misplaced.")

    model = PublishedModel(scale=s_used, scale_source=s_source, scale_bound=s_bound,
                           continuous=cont, categorical=cat, log_cumhaz0=log_cumhaz0,
                           log_cumhaz0_bound=c_bound, residuals=tuple(residuals),
                           inconsistencies=(), points_error=delta_t,
                           survival_error=delta_s, source=source)
    notes += _check_hazard_ratios(model, hazard_ratios)
    return PublishedModel(**{**model.__dict__, "inconsistencies": tuple(notes),
                             "remarks": tuple(remarks)})


def _scale_from_outcomes(axes, delta_t, delta_s):
    """Least-squares common slope of log(−log S) on T (one intercept per axis), as a scale,
    with its first-order rounding bound; ``None`` when no axis has two distinct totals."""
    rows = []
    for ticks in axes.values():
        mean_t = sum(t for t, _ in ticks) / len(ticks)
        for t, s in ticks:
            rows.append((t - mean_t, _z(s), _z_error(s, delta_s)))
    sxx = sum(d * d for d, _, _ in rows)
    if sxx <= 0:
        return None
    b = sum(d * z for d, z, _ in rows) / sxx
    if b <= 0:
        return None
    weights = [d / sxx for d, _, _ in rows]
    db = sum(abs(a) * (f + b * delta_t) for a, (_, _, f) in zip(weights, rows, strict=True))
    return 1 / b, db / b ** 2


def _hazard_ratio_records(hazard_ratios):
    """Each printed hazard ratio as (number, record, predictor, ratio), or a sentence for a
    malformed one; shared by this module's check and :mod:`nec.points_audit`'s."""
    if isinstance(hazard_ratios, dict | str) or not hasattr(hazard_ratios, "__iter__"):
        raise ValueError("Give the printed hazard ratios as a list of records, each "
                         "{'predictor': …, 'level': …, 'reference': …, 'hr': …}.")
    for i, rec in enumerate(hazard_ratios, start=1):
        if not isinstance(rec, dict) or "predictor" not in rec or "hr" not in rec:
            raise ValueError(f"Hazard ratio {i}: a record needs at least 'predictor' and 'hr'"
                             f", not {rec!r}.")
        name = rec["predictor"]
        hr = _num(rec["hr"], f"Hazard ratio {i} ({name})", low=0)
        if hr == 0:
            raise ValueError(f"Hazard ratio {i} ({name}) is 0: a hazard ratio is positive.")
        yield i, rec, name, hr


def _contrast_points(levels: dict, i: int, rec: dict, name: str) -> tuple[str, str, float]:
    """A printed hazard ratio's two levels of ``name`` and their difference in points;
    a level the nomogram does not show is refused with its sentence."""
    level, ref = rec.get("level"), rec.get("reference")
    for lv in (level, ref):
        if lv not in levels:
            raise ValueError(f"Hazard ratio {i}: {name} has the levels "
                             f"{', '.join(map(str, levels))} on the nomogram, not {lv!r}.")
    return level, ref, levels[level] - levels[ref]


def _no_such_predictor(i: int, name: str, predictors) -> ValueError:
    return ValueError(f"Hazard ratio {i}: the nomogram has no predictor {name!r} (its "
                      f"predictors are {', '.join(predictors)}).")


def _check_hazard_ratios(model: PublishedModel, hazard_ratios) -> list[str]:
    if hazard_ratios is None:
        return []
    notes = []
    for i, rec, name, hr in _hazard_ratio_records(hazard_ratios):
        hr_err = math.log(hr + HR_ROUNDING) - math.log(hr) if hr > HR_ROUNDING else math.inf
        hr_err = max(hr_err, math.log(hr) - math.log(max(hr - HR_ROUNDING, 1e-12)))
        if name in model.continuous:
            axis = model.continuous[name]
            if not axis.linear:
                notes.append(f"The {name} axis bends, so a single printed hazard ratio per "
                             "unit cannot be checked against it.")
                continue
            got, bound = axis.pieces[0].coefficient, axis.pieces[0].bound
            shown = f"per unit of {name}"
        elif name in model.categorical:
            level, ref, diff = _contrast_points(model.categorical[name], i, rec, name)
            got, bound = diff / model.scale, model.contrast_bound(diff)
            shown = f"{name} {level} vs {ref}"
        else:
            raise _no_such_predictor(i, name, model.predictors)
        if abs(got - math.log(hr)) > bound + hr_err:
            notes.append(f"The paper prints a hazard ratio of {hr:g} {shown}, but the axis "
                         f"points give {math.exp(got):.2f} (rounding allows "
                         f"{math.exp(got - bound):.2f} to {math.exp(got + bound):.2f}): the "
                         "nomogram and the hazard-ratio table do not describe the same model.")
    return notes


def _axis_residuals(continuous, delta_t, residuals, remarks) -> None:
    """Each printed tick of each continuous axis against the axis read back (within 2δ_T),
    into ``residuals``; a bent axis said in ``remarks``."""
    for name, axis in continuous.items():
        for x, p in axis.ticks:
            model = axis.points_at(x)
            residuals.append({"axis": name, "value": x, "points_printed": p,
                              "points_model": model, "residual_points": p - model,
                              "bound_points": 2 * delta_t,
                              "consistent": abs(p - model) <= 2 * delta_t + 1e-9})
        if not axis.linear:
            bends = ", ".join(f"{pc.x_high:g}" for pc in axis.pieces[:-1])
            remarks.append(f"The {name} axis is not straight (it bends at {bends}): it is "
                           "read piecewise, one coefficient per piece.")


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
