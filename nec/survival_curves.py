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

#: Longest median or time accepted, in months: fifty years, far beyond any survival
#: reported for these tumours; a larger number is more likely days typed as months.
MONTHS_MAX = 600.0

#: Longest median accepted, in months: twenty years. The longest median in the book's
#: sources is 85.3 months (WHO 2017 pancreatic NET G1, Yang 2020, clinical_facts.md 1.2);
#: a median of a few hundred is more likely a median in days typed as months.
MEDIAN_MONTHS_MAX = 240.0


def _times(values, *, name: str, limit=MONTHS_MAX):
    """``values`` as a float array of finite, non-negative times, or a clear ValueError."""
    import numpy as np

    if isinstance(values, str | bytes | bool) or values is None:
        raise ValueError(f"{name} must be a number or a list of numbers (months), "
                         f"not {values!r}.")
    # True is not a time: numpy would read it as 1 month.
    if (values.dtype == bool if isinstance(values, np.ndarray) else
            any(isinstance(v, bool | np.bool_) for v in np.asarray(values, dtype=object).ravel())):
        raise ValueError(f"{name} must be numbers (months), not True or False.")
    try:
        t = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (months since the start); one of them is "
                         "not a number. Enter the numbers alone, without units.") from None
    if np.any(np.isnan(t)):
        raise ValueError(f"{name} include a missing value (NaN): remove or fill it first.")
    if np.any(np.isinf(t)) or np.any(t < 0):
        raise ValueError(f"{name} must be finite and not negative (months since the start).")
    if limit is not None and np.any(t > limit):
        raise ValueError(f"{name} must be at most {limit:g} months (got "
                         f"{float(t.max()):g}): were days or weeks entered as months?")
    return t


def exponential_survival(months, *, median_months):
    """Survival probability at ``months`` under a constant hazard with the given median.

    ``months`` may be a number or a NumPy array (returned as the same shape).

    >>> round(exponential_survival(12, median_months=6), 2)
    0.25
    """
    med = _validate.number(median_months, name="The median survival", unit=" months", low=0,
                           low_inclusive=False, high=MEDIAN_MONTHS_MAX,
                           why="Enter the median as reported, in months (not days).")
    if isinstance(months, int | float) and not isinstance(months, bool):
        # One time, on the standard library: the live book's checkers call this in the
        # browser, where there is no numpy. The same checks as _times, the same sentences.
        t = float(months)
        if math.isnan(t):
            raise ValueError("Times include a missing value (NaN): remove or fill it first.")
        if math.isinf(t) or t < 0:
            raise ValueError("Times must be finite and not negative (months since the start).")
        if t > MONTHS_MAX:
            raise ValueError(f"Times must be at most {MONTHS_MAX:g} months (got {t:g}): were "
                             "days or weeks entered as months?")
        return math.exp(-LN2 * t / med)
    import numpy as np

    t = _times(months, name="Times")
    s = np.exp(-LN2 * t / med)
    return float(s) if s.ndim == 0 else s


def exponential_hazard(*, median_months) -> float:
    """The constant monthly hazard whose median is ``median_months`` (ln 2 / median).

    >>> round(exponential_hazard(median_months=6.9315), 3)
    0.1
    """
    med = _validate.number(median_months, name="The median survival", unit=" months", low=0,
                           low_inclusive=False, high=MEDIAN_MONTHS_MAX,
                           why="Enter the median as reported, in months (not days).")
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
        The unit of ``durations``, used in the summary (times in months are checked
        against :data:`MONTHS_MAX`).

    Returns an :class:`ApproximationError`; bad input raises ``ValueError``.

    >>> approximation_error([1, 2, 3, 4], [1, 1, 1, 1]).max_abs_difference
    0.25
    """
    import numpy as np
    from lifelines import KaplanMeierFitter

    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"The unit must be a word such as 'months', not {unit!r}.")
    t = _times(durations, name="Durations", limit=MONTHS_MAX if unit == "months" else None)
    if isinstance(events, str | bytes) or events is None:
        raise ValueError(f"Events must be a list of 1 (event) and 0 (censored), not {events!r}.")
    try:
        e_raw = np.asarray(events, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("Events must be 1 (event) or 0 (censored); one of them is not a "
                         "number.") from None
    if t.shape != e_raw.shape or t.ndim != 1 or t.size < 2:
        raise ValueError("Durations and events must be two lists of the same length (≥ 2).")
    if np.any(np.isnan(e_raw)) or not set(np.unique(e_raw)) <= {0.0, 1.0}:
        raise ValueError("Events must be 1 (event) or 0 (censored); other codes (2, 0.5, a "
                         "missing value) are not read as either.")
    e = e_raw.astype(int)
    if e.sum() == 0:
        raise ValueError("There are no events (every patient is censored): no curve falls, "
                         "so there is nothing to approximate.")
    if horizon is not None:
        horizon = _validate.number(horizon, name="The horizon", unit=f" {unit}", low=0,
                                   low_inclusive=False, high=float(t.max()),
                                   why="Compare only within the follow-up.")
        if horizon < float(t[e == 1].min()):
            raise ValueError(f"The horizon ({horizon:g} {unit}) comes before the first event "
                             f"({float(t[e == 1].min()):g} {unit}): there is nothing to "
                             "compare.")
    km = KaplanMeierFitter().fit(t, e)
    median = float(km.median_survival_time_)
    if not math.isfinite(median):
        raise ValueError("The Kaplan–Meier curve never reaches 50 %: the median is not "
                         "estimable, so there is nothing to approximate.")
    event_times = np.unique(t[e == 1])
    limit = event_times.max() if horizon is None else float(horizon)
    grid = event_times[event_times <= limit]
    km_s = km.survival_function_at_times(grid).to_numpy()
    # Computed directly, not through exponential_survival: the unit need not be months.
    exp_s = np.exp(-LN2 * grid / median) if median > 0 else np.zeros_like(grid)
    diff = np.abs(km_s - exp_s)
    i = int(np.argmax(diff))
    return ApproximationError(
        n=int(t.size), events=int(e.sum()), km_median=median,
        max_abs_difference=float(diff[i]), at_time=float(grid[i]),
        mean_abs_difference=float(diff.mean()), horizon=float(limit), unit=unit,
    )


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
