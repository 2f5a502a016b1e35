"""Validating a Cox model as Harrell's rms does: the optimism-corrected C-index.

A model's C-index on the data it was fitted to (the *apparent* C) is optimistic. The
Efron–Gong bootstrap estimates by how much: fit the model again on each bootstrap resample,
and compare its C on that resample with its C on the original data. The mean difference is
the *optimism*; apparent minus optimism is the corrected C, as ``rms::validate`` reports.

A bootstrap *percentile interval* answers a different question — how much the apparent C
varies between resamples — and is what many papers print after "through bootstrapping".
:func:`validate_c_index` reports both, with the number of resamples and of failed fits,
so a reader can see which one a published figure most likely is.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from nec import _validate


def harrell_c(durations, events, risk) -> float:
    """Harrell's C: the share of usable pairs whose higher-risk member fails first.

    ``risk`` is any score where higher means worse (e.g. a Cox linear predictor).
    """
    import numpy as np
    from lifelines.utils import concordance_index

    return float(concordance_index(durations, -np.asarray(risk, dtype=float), events))


@dataclass(frozen=True)
class CIndexValidation:
    """What :func:`validate_c_index` computed."""

    n: int
    events: int
    apparent: float
    optimism: float
    corrected: float
    percentile_low: float
    percentile_high: float
    resamples: int
    failed: int
    seed: int

    def summary(self) -> str:
        return "\n".join([
            f"Harrell's C, Cox model, n = {self.n}, {self.events} events",
            f"  apparent (fitted and scored on all data)   {self.apparent:.3f}",
            f"  optimism (Efron–Gong bootstrap mean)       {self.optimism:.3f}",
            f"  optimism-corrected                          {self.corrected:.3f}",
            f"  95 % bootstrap percentile interval of the apparent C: "
            f"{self.percentile_low:.3f}–{self.percentile_high:.3f}",
            f"  resamples requested {self.resamples}, fits failed {self.failed} "
            f"(excluded), seed {self.seed}",
        ])

    def __str__(self) -> str:
        return self.summary()


def validate_c_index(data, *, duration_col, event_col, resamples=200, seed=2024,
                     penalizer=0.0) -> CIndexValidation:
    """Efron–Gong optimism-corrected C-index and a bootstrap percentile interval.

    ``data`` holds the covariates (every column except the duration and event) and the
    outcome. Each resample refits ``lifelines.CoxPHFitter``; a fit that fails to converge
    (or warns that it did not) is counted in ``failed`` and left out.
    """
    import numpy as np
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    b = _validate.number(resamples, name="The number of bootstrap resamples", low=10,
                         high=100_000)
    if b != int(b):
        raise ValueError(f"The number of resamples must be a whole number (got {b:g}).")
    for col in (duration_col, event_col):
        if col not in data.columns:
            raise ValueError(f"Column {col!r} is not in the data.")
    rng = np.random.default_rng(seed)
    t = data[duration_col].to_numpy(float)
    e = data[event_col].to_numpy(int)

    def fit(frame):
        # A fit that warns (no convergence, overflow, singular matrix) is a failed fit.
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
            warnings.simplefilter("error")
            model = CoxPHFitter(penalizer=penalizer).fit(frame, duration_col, event_col)
        if not np.all(np.isfinite(model.params_)):
            raise ValueError("non-finite coefficients")
        return model

    try:
        full = fit(data)
    except (ConvergenceError, Warning, FloatingPointError, np.linalg.LinAlgError,
            ValueError) as err:
        raise ValueError(f"The Cox model cannot be fitted on these data ({err}). With few "
                         "events per predictor, or a predictor that separates deaths from "
                         "survivors, there is nothing stable to validate.") from None
    apparent = harrell_c(t, e, full.predict_log_partial_hazard(data))
    optimism, boot_apparent, failed = [], [], 0
    n = len(data)
    for _ in range(int(b)):
        idx = rng.integers(0, n, n)
        sample = data.iloc[idx].reset_index(drop=True)
        try:
            model = fit(sample)
        except (ConvergenceError, Warning, FloatingPointError, np.linalg.LinAlgError,
                ValueError):
            failed += 1
            continue
        c_train = harrell_c(sample[duration_col], sample[event_col],
                            model.predict_log_partial_hazard(sample))
        c_test = harrell_c(t, e, model.predict_log_partial_hazard(data))
        boot_apparent.append(c_train)
        optimism.append(c_train - c_test)
    if not optimism:
        raise ValueError("Every bootstrap fit failed: the model cannot be validated on these "
                         "data (too few events for the number of predictors?).")
    opt = float(np.mean(optimism))
    low, high = np.percentile(boot_apparent, [2.5, 97.5])
    return CIndexValidation(n=n, events=int(e.sum()), apparent=apparent, optimism=opt,
                            corrected=apparent - opt, percentile_low=float(low),
                            percentile_high=float(high), resamples=int(b), failed=failed,
                            seed=seed)


@dataclass(frozen=True)
class Calibration:
    """Observed (Kaplan–Meier) against predicted survival at one time, by risk group."""

    time: float
    table: object  # DataFrame: group, n, predicted, observed, optimism, corrected
    resamples: int
    failed: int

    def summary(self) -> str:
        lines = [f"Calibration at t = {self.time:g}: patients grouped by predicted survival; "
                 f"observed = Kaplan–Meier within the group; bootstrap-corrected with "
                 f"{self.resamples - self.failed} of {self.resamples} resamples "
                 f"({self.failed} failed fits excluded)"]
        for _, r in self.table.iterrows():
            lines.append(f"  group {int(r['group'])} (n = {int(r['n'])}): predicted "
                         f"{r['predicted']:.2f}, observed {r['observed']:.2f}, corrected "
                         f"{r['corrected']:.2f}")
        return "\n".join(lines)


def _km_at(durations, events, time) -> float:
    from lifelines import KaplanMeierFitter

    km = KaplanMeierFitter().fit(durations, events)
    return float(km.survival_function_at_times(time).iloc[0])


def _grouped(model, frame, duration_col, event_col, time, edges):
    import numpy as np

    pred = model.predict_survival_function(frame, times=[time]).iloc[0].to_numpy()
    group = np.clip(np.searchsorted(edges, pred, side="right") - 1, 0, len(edges) - 2)
    out = {}
    for g in range(len(edges) - 1):
        mask = group == g
        if mask.sum() < 2:
            continue
        out[g] = (int(mask.sum()), float(pred[mask].mean()),
                  _km_at(frame[duration_col].to_numpy()[mask],
                         frame[event_col].to_numpy()[mask], time))
    return out


def calibrate(data, *, duration_col, event_col, time, groups=3, resamples=200, seed=2024):
    """Calibration at ``time`` in the manner of ``rms::calibrate(method="KM")``.

    Patients are cut into ``groups`` groups of equal size by the model's predicted survival
    at ``time``; in each, the mean prediction is set against the Kaplan–Meier survival.
    Bootstrap correction: each resample's model is grouped and compared on the resample
    and on the original data (with the same cut points); the mean difference of the
    observed-minus-predicted gaps is the optimism subtracted from the apparent observed.
    """
    import numpy as np
    import pandas as pd
    from lifelines import CoxPHFitter

    t = _validate.number(time, name="The calibration time", low=0, low_inclusive=False)
    k = _validate.number(groups, name="The number of risk groups", low=2, high=10)
    b = _validate.number(resamples, name="The number of bootstrap resamples", low=10,
                         high=100_000)
    rng = np.random.default_rng(seed)

    def fit(frame):
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                                    divide="raise"):
            warnings.simplefilter("error")
            return CoxPHFitter().fit(frame, duration_col, event_col)

    full = fit(data)
    pred_full = full.predict_survival_function(data, times=[t]).iloc[0].to_numpy()
    edges = np.quantile(pred_full, np.linspace(0, 1, int(k) + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    apparent = _grouped(full, data, duration_col, event_col, t, edges)
    gaps = {g: [] for g in apparent}
    failed = 0
    for _ in range(int(b)):
        sample = data.iloc[rng.integers(0, len(data), len(data))].reset_index(drop=True)
        try:
            model = fit(sample)
            on_sample = _grouped(model, sample, duration_col, event_col, t, edges)
            on_original = _grouped(model, data, duration_col, event_col, t, edges)
        except Exception:  # a failed fit or a group with no follow-up: counted, excluded
            failed += 1
            continue
        for g in gaps:
            if g in on_sample and g in on_original:
                gap_s = on_sample[g][2] - on_sample[g][1]
                gap_o = on_original[g][2] - on_original[g][1]
                gaps[g].append(gap_s - gap_o)
    rows = []
    for g, (n, predicted, observed) in apparent.items():
        optimism = float(np.mean(gaps[g])) if gaps[g] else float("nan")
        rows.append({"group": g + 1, "n": n, "predicted": predicted, "observed": observed,
                     "optimism": optimism, "corrected": observed - optimism})
    return Calibration(time=t, table=pd.DataFrame(rows), resamples=int(b), failed=failed)
