"""Immortal-time bias, made visible by a simulation with no treatment effect at all.

A cohort timed from diagnosis that compares patients who "received chemotherapy and
targeted therapy" with the rest has a built-in flaw when the second agent may start later
(Luo 2024 defines the combination as "simultaneous or sequential" use): to be counted in
the combination group a patient must have *lived* until the second agent started. That
stretch of follow-up is "immortal" — no death can happen in it and still leave the patient
in the group — and a naive Cox model that classifies patients by what they received at any
time credits it to the combination (Suissa 2008). Primary tumour resection performed
months after diagnosis has the same flaw.

:func:`simulate` makes such a cohort in which the second agent does **nothing**: every
patient's death time is drawn from one exponential distribution, before and regardless of
treatment. The three analyses then show the bias and two ways to remove it:

- :func:`naive_hazard_ratio` — "ever received the combination" as a baseline covariate:
  the hazard ratio favours the combination although the true one is 1;
- :func:`landmark_hazard_ratio` — only patients alive at a landmark, grouped by what they
  had received by then, followed from the landmark (Anderson, Cain & Gelber 1983);
- :func:`time_varying_hazard_ratio` — the combination as a time-varying covariate: a
  patient counts as "single agent" until the second agent starts, then as "combination"
  (lifelines' ``CoxTimeVaryingFitter``; R: ``coxph(Surv(start, stop, died) ~ combination)``).

Every number is synthetic and illustrates a method; none describes real patients.

>>> cohort = simulate(n=2000, seed=1)
>>> naive_hazard_ratio(cohort).hazard_ratio < 0.8
True
>>> 0.85 < time_varying_hazard_ratio(cohort).hazard_ratio < 1.15
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nec import _validate

#: Median survival used by default, in months: of the order of the medians reported for
#: metastatic GEP-NEC (e.g. 15.4 months in Benini 2025); the bias does not depend on it.
DEFAULT_MEDIAN_MONTHS = 12.0

#: Newton–Raphson stopping rule for the Cox fits: lifelines' default (1e-7 on the step)
#: left a coefficient 6e-5 from R's converged value in a landmark fit; 1e-10 costs nothing
#: with one covariate and agrees with R's coxph to 1e-7.
_FIT_OPTIONS = {"precision": 1e-10}

#: A simulated cohort smaller than this gives hazard ratios too noisy to show anything.
MIN_PATIENTS = 20

#: A million patients is far beyond any cohort of these rare tumours; more would only make
#: the simulation slow (a typo such as an extra zero, not a wish).
MAX_PATIENTS = 1_000_000


@dataclass(frozen=True)
class HazardRatio:
    """A hazard ratio for the combination from one analysis, with its 95 % interval."""

    method: str
    hazard_ratio: float
    lower: float
    upper: float
    patients: int
    deaths: int

    def __str__(self) -> str:
        return (f"{self.method}: HR {self.hazard_ratio:.2f} (95 % CI {self.lower:.2f}–"
                f"{self.upper:.2f}), {self.patients} patients, {self.deaths} deaths.")

    def row(self) -> dict:
        """The result as one table row (for :func:`nec.tables.table`)."""
        return {"method": self.method, "hr": self.hazard_ratio, "lower": self.lower,
                "upper": self.upper, "patients": self.patients, "deaths": self.deaths}


@_validate.refuses_bad_arguments
def simulate(*, n=400, seed=0, median_months=DEFAULT_MEDIAN_MONTHS, planned_fraction=0.5,
             start_min_months=2.0, start_max_months=10.0, follow_up_months=60.0):
    """A SYNTHETIC cohort timed from diagnosis in which the second agent has no effect.

    Each patient's death time is exponential with median ``median_months``, drawn first
    and independently of treatment. A fraction ``planned_fraction`` is *planned* to add a
    second agent at a time uniform between ``start_min_months`` and ``start_max_months``;
    the patient receives it only if still alive and followed then. Follow-up ends at
    ``follow_up_months`` (administrative censoring).

    Returns
    -------
    pandas.DataFrame
        one row per patient: ``months`` (from diagnosis), ``died`` (0/1), ``combination``
        (1 if the second agent was ever received) and ``second_agent_months`` (when it
        started; NaN if never).

    >>> d = simulate(n=50, seed=3)
    >>> sorted(d.columns)
    ['combination', 'died', 'months', 'second_agent_months']
    >>> treated = d[d.combination == 1]
    >>> bool((treated.second_agent_months < treated.months).all())
    True
    """
    import numpy as np
    import pandas as pd

    size = _validate.count(n, name="The number of patients", low=MIN_PATIENTS,
                           high=MAX_PATIENTS, why="Fewer patients give no stable estimate.")
    seed = _validate.count(seed, name="The seed", low=0)
    median = _validate.number(median_months, name="The median survival", unit=" months",
                              low=0, low_inclusive=False)
    fraction = _validate.number(planned_fraction, name="The fraction planned for a second "
                                "agent", low=0, high=1, low_inclusive=False,
                                high_inclusive=False)
    lo = _validate.number(start_min_months, name="The earliest start of the second agent",
                          unit=" months", low=0)
    hi = _validate.number(start_max_months, name="The latest start of the second agent",
                          unit=" months", low=0)
    if hi < lo:
        raise ValueError("The latest start of the second agent must not be before the "
                         "earliest.")
    end = _validate.number(follow_up_months, name="The length of follow-up", unit=" months",
                           low=0, low_inclusive=False)
    if end <= hi:
        raise ValueError("Follow-up must last beyond the latest start of the second agent.")
    rng = np.random.default_rng(seed)
    n = int(size)
    death = rng.exponential(median / math.log(2), size=n)
    planned = rng.uniform(size=n) < fraction
    start = rng.uniform(lo, hi, size=n)
    months = np.minimum(death, end)
    received = planned & (start < months)
    return pd.DataFrame({
        "months": months,
        "died": (death <= end).astype(int),
        "combination": received.astype(int),
        "second_agent_months": np.where(received, start, np.nan),
    })


_COHORT_COLUMNS = ("months", "died", "combination", "second_agent_months")


def _check_cohort(data):
    """A cohort shaped as :func:`simulate` makes it, or a ValueError saying what is wrong."""
    import numpy as np
    import pandas as pd

    _validate.dataframe(data, name="The cohort (as made by nec.immortal_time.simulate)",
                        columns=_COHORT_COLUMNS, min_rows=2)
    months, _ = _validate.survival_data(data, duration_col="months", event_col="died",
                                        name="The cohort")
    combination = pd.to_numeric(data["combination"], errors="coerce").to_numpy(dtype=float)
    if not np.isin(combination, (0.0, 1.0)).all():
        raise ValueError("The combination column must be coded 1 = received the second agent, "
                         "0 = did not, for every patient.")
    start = pd.to_numeric(data["second_agent_months"], errors="coerce").to_numpy(dtype=float)
    treated = combination == 1
    bad = treated & ~((start >= 0) & (start < months))
    if bad.any():
        row = data.index[np.flatnonzero(bad)[0]]
        raise ValueError(f"Patient {row!r} received the combination, so the second agent must "
                         "start at a time of 0 months or more and before the end of follow-up "
                         f"(second_agent_months {start[bad][0]:g}, months {months[bad][0]:g}).")


def _from_summary(method, summary, patients, deaths):
    row = summary.loc["combination"]
    return HazardRatio(method=method, hazard_ratio=float(row["exp(coef)"]),
                       lower=float(row["exp(coef) lower 95%"]),
                       upper=float(row["exp(coef) upper 95%"]), patients=int(patients),
                       deaths=int(deaths))


@_validate.refuses_bad_arguments
def naive_hazard_ratio(data) -> HazardRatio:
    """Cox model with "ever received the combination" fixed at diagnosis (the biased one).

    >>> str(naive_hazard_ratio(simulate(n=400, seed=0))).startswith("Naive")
    True
    """
    from lifelines import CoxPHFitter

    _check_cohort(data)
    fit = CoxPHFitter().fit(data[["months", "died", "combination"]], "months", "died",
                           fit_options=_FIT_OPTIONS)
    return _from_summary("Naive (ever received, from diagnosis)", fit.summary, len(data),
                         data["died"].sum())


@_validate.refuses_bad_arguments
def landmark_cohort(data, landmark_months):
    """Patients still alive and followed at the landmark, grouped by what they had received
    by then, with time counted from the landmark.

    A patient who starts the second agent after the landmark stays in the single-agent
    group: the grouping uses only what was known at the landmark.
    """
    import pandas as pd

    _check_cohort(data)
    landmark = _validate.number(landmark_months, name="The landmark", unit=" months",
                                low=0, low_inclusive=False)
    alive = data[data["months"] > landmark]
    if len(alive) == 0 or int(alive["died"].sum()) == 0:
        raise ValueError(f"No patient dies after the landmark at {landmark:g} months: "
                         "choose an earlier landmark.")
    by_landmark = (alive["second_agent_months"] <= landmark).astype(int)
    return pd.DataFrame({"months": alive["months"] - landmark, "died": alive["died"],
                         "combination": by_landmark})


@_validate.refuses_bad_arguments
def landmark_hazard_ratio(data, landmark_months=6.0) -> HazardRatio:
    """Cox model among patients alive at the landmark, grouped by treatment received by then.

    >>> r = landmark_hazard_ratio(simulate(n=400, seed=0), landmark_months=6)
    >>> r.patients < 400
    True
    """
    from lifelines import CoxPHFitter

    lm = landmark_cohort(data, landmark_months)
    if lm["combination"].nunique() < 2:
        raise ValueError("At the landmark every patient is in the same group: choose a later "
                         "landmark.")
    fit = CoxPHFitter().fit(lm, "months", "died", fit_options=_FIT_OPTIONS)
    return _from_summary(f"Landmark at {float(landmark_months):g} months", fit.summary,
                         len(lm), lm["died"].sum())


@_validate.refuses_bad_arguments
def episodes(data):
    """The cohort in start–stop form: one row per patient and period of constant treatment.

    A patient who adds the second agent at month s contributes (0, s] as single agent
    (no death in it) and (s, end] as combination; every other patient one row (0, end].

    >>> e = episodes(simulate(n=30, seed=2))
    >>> list(e.columns)
    ['patient', 'start', 'stop', 'combination', 'died']
    """
    import pandas as pd

    _check_cohort(data)
    rows = []
    for pid, (months, died, combo, s) in enumerate(
            data[["months", "died", "combination", "second_agent_months"]].itertuples(
                index=False)):
        if combo:
            rows.append((pid, 0.0, s, 0, 0))
            rows.append((pid, s, months, 1, int(died)))
        else:
            rows.append((pid, 0.0, months, 0, int(died)))
    return pd.DataFrame(rows, columns=["patient", "start", "stop", "combination", "died"])


@_validate.refuses_bad_arguments
def time_varying_hazard_ratio(data) -> HazardRatio:
    """Cox model with the combination as a time-varying covariate (removes the bias).

    >>> 0.5 < time_varying_hazard_ratio(simulate(n=400, seed=0)).hazard_ratio < 2
    True
    """
    from lifelines import CoxTimeVaryingFitter

    long = episodes(data)
    fit = CoxTimeVaryingFitter().fit(long, id_col="patient", event_col="died",
                                     start_col="start", stop_col="stop",
                                     fit_options=_FIT_OPTIONS)
    return _from_summary("Time-varying covariate", fit.summary, len(data),
                         data["died"].sum())


@_validate.refuses_bad_arguments
def compare(data, landmark_months=6.0) -> list[HazardRatio]:
    """The three analyses of the same cohort: naive, landmark, time-varying."""
    return [naive_hazard_ratio(data), landmark_hazard_ratio(data, landmark_months),
            time_varying_hazard_ratio(data)]


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
