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

    ``risk`` is any score where higher means worse (e.g. a Cox linear predictor). Pairs are
    counted as ``lifelines.utils.concordance_index`` counts them (a death is compared with
    everyone who left the study later, and with those censored at its own time; tied risks
    count one half), and the result is the same number; the counting is vectorised, so it
    takes O(n log n) array operations instead of a Python loop.

    >>> harrell_c([2, 4, 6, 8], [1, 1, 0, 1], risk=[4, 3, 2, 1])
    1.0
    >>> harrell_c([2, 4, 6, 8], [1, 1, 0, 1], risk=[1, 2, 3, 4])
    0.0
    """
    import numpy as np

    t = np.asarray(durations, dtype=float)
    e = np.asarray(events).astype(bool)
    score = -np.asarray(risk, dtype=float)  # higher score = expected to live longer
    if not (len(t) == len(e) == len(score)):
        raise ValueError("Durations, events and risks must have the same length.")
    if np.isnan(t).any() or np.isnan(score).any():
        raise ValueError("Durations and risks must not be missing (NaN).")
    correct, tied, pairs = _concordance_counts(t, score, e)
    if pairs == 0:
        raise ValueError("No usable pairs: Harrell's C needs at least one death before "
                         "another patient's last follow-up.")
    return float((correct + tied / 2) / pairs)


def _concordance_counts(t, score, e):
    """Concordant, tied and usable pairs, counted by a bottom-up merge of sorted blocks.

    Every death enters twice: as a *query* (compared with earlier deaths) and as a member
    of the *pool* that later patients are compared with. Sorting by (time, role) with the
    roles query-death < pool-death < query-censored makes "pool member earlier in the
    sequence" mean exactly "a usable pair": an earlier death, or a death at the time a
    patient was censored. Each (pool, query) pair is then counted once, at the merge level
    where the two first fall in the two halves of one block.
    """
    import numpy as np

    nd = int(e.sum())
    time = np.concatenate([t[e], t[e], t[~e]])
    role = np.concatenate([np.zeros(nd), np.ones(nd), np.full(len(t) - nd, 2.0)])
    value = np.concatenate([score[e], score[e], score[~e]])
    order = np.lexsort((role, time))
    is_pool = (role == 1)[order]
    rank = np.unique(value, return_inverse=True)[1][order].astype(np.int64)
    levels = int(rank.max()) + 1 if len(rank) else 1
    m = len(rank)
    # Usable pairs: for each query, the pool members before it.
    pool_before = np.cumsum(is_pool) - is_pool
    pairs = int(pool_before[~is_pool].sum())
    correct = tied = 0
    pos = np.arange(m)
    width = 1
    while width < m:
        block = pos // (2 * width)
        left = (pos % (2 * width)) < width
        members = left & is_pool
        queries = ~left & ~is_pool
        # Offsetting ranks by block keeps one sorted array for all blocks at once.
        pool_keys = np.sort(rank[members] + block[members] * levels)
        query_keys = rank[queries] + block[queries] * levels
        base = np.searchsorted(pool_keys, block[queries] * levels, side="left")
        below = np.searchsorted(pool_keys, query_keys, side="left")
        upto = np.searchsorted(pool_keys, query_keys, side="right")
        correct += int((below - base).sum())
        tied += int((upto - below).sum())
        width *= 2
    return correct, tied, pairs


@dataclass(frozen=True)
class CIndexValidation:
    """What :func:`validate_c_index` computed.

    ``train`` and ``test`` hold, for each resample in the order drawn, the refitted model's
    C on its own resample and on the original data (NaN where the fit failed).
    """

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
    train: tuple = ()
    test: tuple = ()

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


ENGINES = ("fast", "lifelines")


def _lifelines_fit(frame, duration_col, event_col, penalizer=0.0):
    """A lifelines Cox fit in which any warning or floating-point trouble is a failure."""
    import numpy as np
    from lifelines import CoxPHFitter

    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        model = CoxPHFitter(penalizer=penalizer).fit(frame, duration_col, event_col)
    if not np.all(np.isfinite(model.params_)):
        raise ValueError("non-finite coefficients")
    return model


def _fit_failures():
    import numpy as np
    from lifelines.exceptions import ConvergenceError

    return (ConvergenceError, Warning, FloatingPointError, np.linalg.LinAlgError, ValueError)


def _bootstrap_inputs(data, duration_col, event_col, resamples, engine):
    """Checked bootstrap settings and the data as arrays: (B, durations, events, covariate
    names, covariate matrix)."""
    b = _validate.number(resamples, name="The number of bootstrap resamples", low=10,
                         high=100_000)
    if b != int(b):
        raise ValueError(f"The number of resamples must be a whole number (got {b:g}).")
    if engine not in ENGINES:
        raise ValueError(f"The engine must be one of {', '.join(ENGINES)} (got {engine!r}).")
    for col in (duration_col, event_col):
        if col not in data.columns:
            raise ValueError(f"Column {col!r} is not in the data.")
    covariates = [c for c in data.columns if c not in (duration_col, event_col)]
    return (int(b), data[duration_col].to_numpy(float), data[event_col].to_numpy(int),
            covariates, data[covariates].to_numpy(float))


def validate_c_index(data, *, duration_col, event_col, resamples=200, seed=2024,
                     penalizer=0.0, engine="fast") -> CIndexValidation:
    """Efron–Gong optimism-corrected C-index and a bootstrap percentile interval.

    ``data`` holds the covariates (every column except the duration and event) and the
    outcome. Each resample refits the Cox model; a fit that fails to converge (or warns that
    it did not) is counted in ``failed`` and left out.

    ``engine="lifelines"`` is the plain loop: ``lifelines.CoxPHFitter`` refitted on every
    resample and scored with ``lifelines.utils.concordance_index``. ``engine="fast"`` (the
    default) runs the same Newton–Raphson on arrays (:mod:`nec._cox`), hands any resample
    that leaves the well-behaved path to lifelines, and scores with :func:`harrell_c`. Both
    see the same resamples and give the same C values (``train``, ``test``). With a
    penalizer the fits are lifelines'.
    """
    import numpy as np

    from nec import _cox

    b, t, e, covariates, x = _bootstrap_inputs(data, duration_col, event_col, resamples, engine)
    rng = np.random.default_rng(seed)
    failures = _fit_failures()

    try:
        full = _lifelines_fit(data, duration_col, event_col, penalizer)
    except failures as err:
        raise ValueError(f"The Cox model cannot be fitted on these data ({err}). With few "
                         "events per predictor, or a predictor that separates deaths from "
                         "survivors, there is nothing stable to validate.") from None
    apparent = harrell_c(t, e, full.predict_log_partial_hazard(data))

    def refit(idx):
        """Coefficients on the covariates' scale, or None where the fit fails."""
        if engine == "fast" and penalizer == 0:
            try:
                return _cox.fit_coefficients(x[idx], t[idx], e[idx])
            except _cox.Unusual:
                pass  # lifelines decides (it usually fails too)
        try:
            model = _lifelines_fit(data.iloc[idx].reset_index(drop=True), duration_col,
                                   event_col, penalizer)
        except failures:
            return None
        return model.params_[covariates].to_numpy()

    if engine == "lifelines":
        from lifelines.utils import concordance_index

        def c_index(durations, events, risk):
            return float(concordance_index(durations, -risk, events))
    else:
        c_index = harrell_c

    n = len(data)
    train, test = [], []
    # One draw per resample, in order, so every engine sees the same resamples.
    for idx in [rng.integers(0, n, n) for _ in range(int(b))]:
        beta = refit(idx)
        if beta is None:
            train.append(float("nan"))
            test.append(float("nan"))
            continue
        train.append(c_index(t[idx], e[idx], x[idx] @ beta))
        test.append(c_index(t, e, x @ beta))
    ok = ~np.isnan(train)
    if not ok.any():
        raise ValueError("Every bootstrap fit failed: the model cannot be validated on these "
                         "data (too few events for the number of predictors?).")
    optimism = float(np.mean(np.asarray(train)[ok] - np.asarray(test)[ok]))
    low, high = np.percentile(np.asarray(train)[ok], [2.5, 97.5])
    return CIndexValidation(n=n, events=int(e.sum()), apparent=apparent, optimism=optimism,
                            corrected=apparent - optimism, percentile_low=float(low),
                            percentile_high=float(high), resamples=int(b),
                            failed=int((~ok).sum()), seed=seed, train=tuple(train),
                            test=tuple(test))


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


def _km_at_lifelines(durations, events, time) -> float:
    from lifelines import KaplanMeierFitter

    km = KaplanMeierFitter().fit(durations, events)
    return float(km.survival_function_at_times(time).iloc[0])


def km_at(durations, events, time) -> float:
    """Kaplan–Meier survival at ``time``, computed as lifelines computes it.

    The product of (1 - deaths / at risk) over the death times up to ``time``, summed in
    logs as ``lifelines.KaplanMeierFitter`` does; 1 before the first time.

    >>> round(km_at([1, 2, 3, 4], [1, 1, 0, 1], 2.5), 12)  # (1 - 1/4) × (1 - 1/3)
    0.5
    """
    import numpy as np

    t = np.asarray(durations, dtype=float)
    times, index = np.unique(t, return_inverse=True)
    deaths = np.bincount(index, weights=np.asarray(events, dtype=float))
    left = np.bincount(index)
    at_risk = len(t) - np.concatenate([[0], np.cumsum(left)[:-1]])
    with np.errstate(divide="ignore"):  # everyone at risk died: survival is exactly 0
        survival = np.exp(np.cumsum(np.log(1.0 - deaths / at_risk)))
    last = np.searchsorted(times, time, side="right") - 1
    return 1.0 if last < 0 else float(survival[last])


def breslow_survival(x_train, t_train, e_train, beta, x_new, time):
    """Cox-predicted survival at ``time`` for the rows of ``x_new``, as lifelines predicts it.

    Breslow's baseline cumulative hazard from the training data (covariates centred on their
    training means), linearly interpolated between the training times as
    ``CoxPHFitter.predict_survival_function(..., times=[time])`` does.
    """
    import numpy as np

    mean = x_train.mean(0)
    partial = np.exp((x_train - mean) @ beta)
    times, index = np.unique(t_train, return_inverse=True)
    risk = np.cumsum(np.bincount(index, weights=partial)[::-1])[::-1]
    cumulative = np.cumsum(np.bincount(index, weights=e_train.astype(float)) / risk)
    baseline = np.interp(time, times, cumulative)
    return np.exp(-baseline * np.exp((x_new - mean) @ beta))


def _grouped(pred, durations, events, time, edges, km):
    import numpy as np

    group = np.clip(np.searchsorted(edges, pred, side="right") - 1, 0, len(edges) - 2)
    out = {}
    for g in range(len(edges) - 1):
        mask = group == g
        if mask.sum() < 2:
            continue
        out[g] = (int(mask.sum()), float(pred[mask].mean()),
                  km(durations[mask], events[mask], time))
    return out


def calibrate(data, *, duration_col, event_col, time, groups=3, resamples=200, seed=2024,
              engine="fast"):
    """Calibration at ``time`` in the manner of ``rms::calibrate(method="KM")``.

    Patients are cut into ``groups`` groups of equal size by the model's predicted survival
    at ``time``; in each, the mean prediction is set against the Kaplan–Meier survival.
    Bootstrap correction: each resample's model is grouped and compared on the resample
    and on the original data (with the same cut points); the mean difference of the
    observed-minus-predicted gaps is the optimism subtracted from the apparent observed.

    ``engine`` as in :func:`validate_c_index`: "lifelines" refits and predicts with
    ``CoxPHFitter`` and ``KaplanMeierFitter`` on every resample; "fast" (the default) does
    the same arithmetic on arrays (:func:`breslow_survival`, :func:`km_at`) and agrees with
    it to rounding (about 1e-12).
    """
    import numpy as np
    import pandas as pd

    from nec import _cox

    t = _validate.number(time, name="The calibration time", low=0, low_inclusive=False)
    k = _validate.number(groups, name="The number of risk groups", low=2, high=10)
    b, durations, events, _, x = _bootstrap_inputs(data, duration_col, event_col, resamples,
                                                    engine)
    rng = np.random.default_rng(seed)
    km = km_at if engine == "fast" else _km_at_lifelines

    def lifelines_predictions(idx):
        sample = data.iloc[idx].reset_index(drop=True)
        model = _lifelines_fit(sample, duration_col, event_col)
        return (model.predict_survival_function(sample, times=[t]).iloc[0].to_numpy(),
                model.predict_survival_function(data, times=[t]).iloc[0].to_numpy())

    def predictions(idx):
        """Predicted survival at t on the resample and on the original data."""
        if engine == "fast":
            try:
                beta = _cox.fit_coefficients(x[idx], durations[idx], events[idx])
            except _cox.Unusual:
                return lifelines_predictions(idx)  # lifelines decides
            return (breslow_survival(x[idx], durations[idx], events[idx], beta, x[idx], t),
                    breslow_survival(x[idx], durations[idx], events[idx], beta, x, t))
        return lifelines_predictions(idx)

    full = _lifelines_fit(data, duration_col, event_col)
    pred_full = full.predict_survival_function(data, times=[t]).iloc[0].to_numpy()
    edges = np.quantile(pred_full, np.linspace(0, 1, int(k) + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    apparent = _grouped(pred_full, durations, events, t, edges, km)
    gaps = {g: [] for g in apparent}
    failed = 0
    n = len(data)
    for _ in range(int(b)):
        idx = rng.integers(0, n, n)
        try:
            on_sample, on_original = predictions(idx)
            on_sample = _grouped(on_sample, durations[idx], events[idx], t, edges, km)
            on_original = _grouped(on_original, durations, events, t, edges, km)
        except Exception:  # a failed fit or a group with no follow-up: counted, excluded
            failed += 1
            continue
        for g in gaps:
            if g in on_sample and g in on_original:
                gap_s = on_sample[g][2] - on_sample[g][1]
                gap_o = on_original[g][2] - on_original[g][1]
                gaps[g].append(gap_s - gap_o)
    rows = []
    for g, (size, predicted, observed) in apparent.items():
        optimism = float(np.mean(gaps[g])) if gaps[g] else float("nan")
        rows.append({"group": g + 1, "n": size, "predicted": predicted, "observed": observed,
                     "optimism": optimism, "corrected": observed - optimism})
    return Calibration(time=t, table=pd.DataFrame(rows), resamples=int(b), failed=failed)
