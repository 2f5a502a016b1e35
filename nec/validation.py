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
