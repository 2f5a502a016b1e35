"""Survival curves drawn from a reported median, and how wrong that can be.

Most second-line studies report a median progression-free or overall survival and nothing
else. To put several options on one plot, the book draws each as the exponential curve
with that median, S(t) = exp(−ln 2 · t / median): the curve of a constant hazard, whose
median is exactly the reported one. The assumption is strong (no early drop, no plateau,
no long tail), so :func:`approximation_error` measures it against a cohort whose full
curve is known.

>>> round(exponential_survival(6.0, median_months=6.0), 3)
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nec import _validate

LN2 = math.log(2.0)


def exponential_survival(months, *, median_months):
    """Survival probability at ``months`` under a constant hazard with the given median.

    ``months`` may be a number or a NumPy array (returned as the same shape).
    """
    med = _validate.number(median_months, name="The median survival", unit=" months", low=0,
                           low_inclusive=False, high=600,
                           why="Enter the median as reported, in months.")
    import numpy as np

    t = np.asarray(months, dtype=float)
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("Times must be finite and not negative (months since the start).")
    s = np.exp(-LN2 * t / med)
    return float(s) if s.ndim == 0 else s


def exponential_hazard(*, median_months) -> float:
    """The constant monthly hazard whose median is ``median_months`` (ln 2 / median)."""
    med = _validate.number(median_months, name="The median survival", unit=" months", low=0,
                           low_inclusive=False, high=600)
    return LN2 / med


@dataclass(frozen=True)
class ApproximationError:
    """How far the exponential curve with a cohort's median is from its Kaplan–Meier curve."""

    n: int
    events: int
    km_median: float
    max_abs_difference: float
    at_time: float
    mean_abs_difference: float
    horizon: float
    unit: str

    def summary(self) -> str:
        return (
            f"Kaplan–Meier median {self.km_median:.1f} {self.unit} (n = {self.n}, "
            f"{self.events} events). Exponential curve with that median differs from the "
            f"Kaplan–Meier curve by at most {100 * self.max_abs_difference:.1f} percentage "
            f"points (at {self.at_time:.1f} {self.unit}) and by "
            f"{100 * self.mean_abs_difference:.1f} points on average up to {self.horizon:.1f} "
            f"{self.unit}."
        )

    def __str__(self) -> str:
        return self.summary()


def approximation_error(durations, events, *, horizon=None, unit="months") -> ApproximationError:
    """Compare a cohort's Kaplan–Meier curve with the exponential curve of the same median.

    The differences are taken at every event time up to ``horizon`` (default: the last
    event time), where the Kaplan–Meier curve changes; the mean is over those times.

    Parameters
    ----------
    durations, events
        Follow-up times and event indicators (1 = event, 0 = censored).
    horizon
        Compare only up to this time.
    unit
        The unit of ``durations``, used in the summary.
    """
    import numpy as np
    from lifelines import KaplanMeierFitter

    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=int)
    if t.shape != e.shape or t.ndim != 1 or t.size < 2:
        raise ValueError("Durations and events must be two lists of the same length (≥ 2).")
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("Durations must be finite and not negative.")
    if not set(np.unique(e)) <= {0, 1}:
        raise ValueError("Events must be 1 (event) or 0 (censored).")
    km = KaplanMeierFitter().fit(t, e)
    median = float(km.median_survival_time_)
    if not math.isfinite(median):
        raise ValueError("The Kaplan–Meier curve never reaches 50 %: the median is not "
                         "estimable, so there is nothing to approximate.")
    event_times = np.unique(t[e == 1])
    limit = event_times.max() if horizon is None else float(horizon)
    grid = event_times[event_times <= limit]
    km_s = km.survival_function_at_times(grid).to_numpy()
    exp_s = exponential_survival(grid, median_months=median) if median > 0 else np.zeros_like(grid)
    diff = np.abs(km_s - exp_s)
    i = int(np.argmax(diff))
    return ApproximationError(
        n=int(t.size), events=int(e.sum()), km_median=median,
        max_abs_difference=float(diff[i]), at_time=float(grid[i]),
        mean_abs_difference=float(diff.mean()), horizon=float(limit), unit=unit,
    )
