"""A lean Cox fit for bootstrap loops: lifelines' own algorithm, without its bookkeeping.

``lifelines.CoxPHFitter.fit`` spends most of a small fit on pandas bookkeeping (sorting,
summaries, baseline hazards, variances) and, on large data, on a Python loop over rows for
the Efron gradient. A bootstrap only needs the coefficients. :func:`fit_coefficients` runs
the same Newton–Raphson as lifelines — same normalisation, same starting point, same step
sizes and the same stopping rules — with the Efron sums vectorised, so it lands on the same
coefficients (to rounding, about 1e-12) and fails on the same data.

Where lifelines would warn (a column with almost no variance, no convergence, a
suspiciously large last step), :func:`fit_coefficients` raises :class:`Unusual`; the caller
then hands that resample to lifelines itself, so rare edge cases are judged by lifelines
and not by a re-implementation — except where the Newton steps themselves, which are
lifelines' steps, overflow or end without converging (:class:`Diverged`): lifelines fails
there too, and is not imported only to say so.

For speed the Efron sums keep what does not change with beta (the tie structure of the
sorted times) between Newton steps, and the calibration slopes of all bootstrap resamples,
fitted on one outcome, step together (:func:`fit_slopes`).
"""

from __future__ import annotations

import warnings

import numpy as np

# lifelines' defaults (CoxPHFitter._newton_raphson_for_efron_model) and its low-variance
# threshold (lifelines.utils._low_var).
STEP_SIZE = 0.95
PRECISION = 1e-07
R_PRECISION = 1e-9
MAX_STEPS = 500
LOW_VARIANCE = 1e-4


class Unusual(Exception):
    """The data or the iterations left the well-behaved path; let lifelines judge them."""


class Diverged(Unusual):
    """The Newton steps, which are lifelines' own steps, overflowed, did not converge or
    ended on a large step: lifelines' fit of these data takes the same steps and fails (or
    warns) at the same point, so the caller need not run it to know (and need not import
    lifelines, seconds on a first call)."""


class _StepSizer:
    """lifelines.utils.StepSizer, copied so that a fit does not import lifelines (seconds on
    a first call): the step grows back after big Newton steps and shrinks when they stop
    decreasing."""

    def __init__(self, initial_step_size):
        self.initial_step_size = self.step_size = initial_step_size
        self.temper_back_up = False
        self.norm_of_deltas = []

    def update(self, norm_of_delta):
        scale, lookback = 1.3, 3
        self.norm_of_deltas.append(norm_of_delta)
        if self.temper_back_up:
            self.step_size = min(self.step_size * scale, self.initial_step_size)
        if norm_of_delta >= 15.0:
            self.step_size *= 0.1
            self.temper_back_up = True
        elif 15.0 > norm_of_delta > 5.0:
            self.step_size *= 0.25
            self.temper_back_up = True
        recent = self.norm_of_deltas[-lookback:]
        if len(self.norm_of_deltas) >= lookback:
            if np.all(np.diff(recent) < 0):
                self.step_size = min(self.step_size * scale, 1.0)
            else:
                self.step_size *= 0.98
        return self

    def next(self):
        return self.step_size


class _Ties:
    """What Efron's sums need of sorted (t, e) that does not change with beta: computed once
    per data set instead of once per Newton step."""

    __slots__ = ("ev", "starts", "group", "frac", "tied_rows", "tied_starts", "tied_k",
                 "tied_group", "tied_frac")

    def __init__(self, t, e):
        ev = e.astype(float)
        # t is sorted: a distinct time starts where it differs from the one before.
        all_starts = np.flatnonzero(np.concatenate([[True], t[1:] != t[:-1]]))
        all_deaths = np.add.reduceat(ev, all_starts)
        keep = all_deaths > 0
        deaths = all_deaths[keep].astype(int)
        group = np.repeat(np.arange(len(deaths)), deaths)
        first = np.repeat(np.cumsum(deaths) - deaths, deaths)
        self.ev = ev
        self.starts = all_starts[keep]
        self.group = group
        self.frac = (np.arange(len(group)) - first) / deaths[group]
        # Times with tied deaths: within a time the deaths sort last (lexsort on (e, t)),
        # so its deaths are the last d rows before the next time starts.
        ends = np.append(all_starts[1:], len(t))[keep]
        tied = np.flatnonzero(deaths > 1)
        d = deaths[tied]
        self.tied_rows = (np.repeat(ends[tied] - d, d)
                          + np.arange(d.sum()) - np.repeat(np.cumsum(d) - d, d))
        self.tied_starts = np.cumsum(d) - d
        # The Efron terms (rows of `group`) with l > 0: the ones the tied deaths change.
        self.tied_k = np.flatnonzero(self.frac > 0)
        position = np.full(len(deaths), -1)
        position[tied] = np.arange(len(tied))
        self.tied_group = position[group[self.tied_k]]
        self.tied_frac = self.frac[self.tied_k]


def efron_terms(x, t, e, beta, ties=None):
    """Hessian, gradient and log partial likelihood of a Cox model (Efron's ties).

    ``x`` (n, p), ``t`` (n,) and ``e`` (n,) must be sorted by ``t`` ascending (and, at
    one time, the censored before the deaths, as ``np.lexsort((e, t))`` sorts). The sums
    run over the risk sets from the last time backwards, as lifelines accumulates them.
    ``ties`` (a ``_Ties`` of the same t, e) saves recomputing what beta does not change.
    """
    if ties is None:
        ties = _Ties(t, e)
    n, p = x.shape
    scores = np.exp(x @ beta)
    # One array for the three sums (score, score·x, score·x·xᵀ), so that each step below is
    # one numpy call instead of three.
    terms = np.empty((n, 1 + p + p * p))
    terms[:, 0] = scores
    phi_x = terms[:, 1:1 + p]
    np.multiply(scores[:, None], x, out=phi_x)
    terms[:, 1 + p:] = (phi_x[:, :, None] * x[:, None, :]).reshape(n, p * p)
    # Risk sets: everyone still under observation at each time = reverse cumulative sums,
    # needed only at the death times; one row per Efron term (per death).
    at_death = np.cumsum(terms[::-1], axis=0)[::-1][ties.starts][ties.group]

    # Efron: the l-th of d tied deaths sees the risk set less l/d of the tied deaths' weight
    # (l = 0 sees all of it, so only times with tied deaths need the tied sums).
    if len(ties.tied_k):
        tied = np.add.reduceat(terms[ties.tied_rows], ties.tied_starts, axis=0)
        at_death[ties.tied_k] -= ties.tied_frac[:, None] * tied[ties.tied_group]
    inv = 1.0 / at_death[:, 0]
    summand = at_death[:, 1:1 + p] * inv[:, None]
    hessian = summand.T @ summand - (inv @ at_death[:, 1 + p:]).reshape(p, p)
    x_death = ties.ev @ x
    gradient = x_death - summand.sum(0)
    log_lik = float(x_death @ beta + np.log(inv).sum())
    return hessian, gradient, log_lik


def fit_coefficients(x, t, e):
    """Cox coefficients on the scale of ``x``, by lifelines' Newton–Raphson (Efron ties).

    Raises :class:`Unusual` wherever lifelines would warn or fail; floating-point trouble
    (overflow, division by zero) raises too.

    >>> import numpy as np
    >>> x = np.array([[0.], [1.], [0.], [1.], [0.], [1.]])
    >>> t = np.array([1., 2., 3., 4., 5., 6.])
    >>> e = np.array([1, 1, 0, 1, 1, 0])
    >>> round(float(fit_coefficients(x, t, e)[0]), 4)  # lifelines: CoxPHFitter gives -0.2739
    -0.2739
    """
    return fit_with_log_likelihood(x, t, e)[0]


def fit_with_log_likelihood(x, t, e):
    """:func:`fit_coefficients`, with the log partial likelihood at the coefficients and at
    zero (both come out of the Newton steps): ``(beta, log L(beta), log L(0))``."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    e = np.asarray(e, dtype=bool)
    if x.ndim != 2 or len(x) < 2:
        raise Unusual("need a 2-D covariate matrix with at least two rows")
    mean = x.mean(0)
    std = x.std(0, ddof=1)
    if np.any(std**2 < LOW_VARIANCE):
        raise Unusual("a column has (almost) no variance")
    order = np.lexsort((e, t))
    xn = ((x - mean) / std)[order]
    ts, es = t[order], e[order]
    ties = _Ties(ts, es)

    beta = np.zeros(x.shape[1])
    ll0 = None
    delta = np.zeros_like(beta)
    sizer = _StepSizer(STEP_SIZE)
    step = sizer.next()
    previous_ll = 0.0
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        try:
            for _ in range(MAX_STEPS):
                beta = beta + step * delta
                h, g, ll = efron_terms(xn, ts, es, beta, ties)
                if ll0 is None:
                    ll0 = ll
                # lifelines solves with scipy's assume_a="pos": a Hessian that is not
                # negative definite fails there, so it fails here (Cholesky), too.
                np.linalg.cholesky(-h)
                delta = np.linalg.solve(-h, g)
                if not np.all(np.isfinite(delta)) or not np.isfinite(ll):
                    raise Diverged("non-finite Newton step")
                norm_delta = float(np.sqrt(delta @ delta))
                decrement = g.dot(delta) / 2
                if norm_delta < PRECISION:
                    break
                if previous_ll != 0 and abs(ll - previous_ll) / (-previous_ll) < R_PRECISION:
                    break
                if decrement < PRECISION:
                    break
                if step <= 0.00001 or (abs(ll) < 0.0001 and norm_delta > 1.0):
                    raise Diverged("no convergence")
                previous_ll = ll
                step = sizer.update(norm_delta).next()
            else:
                raise Diverged("no convergence")
        except FloatingPointError as err:  # lifelines' fit overflows where these steps do
            raise Diverged(str(err)) from None
        except (np.linalg.LinAlgError, Warning, ValueError) as err:
            raise Unusual(str(err)) from None
    if norm_delta > 0.1:  # lifelines warns (ConvergenceWarning): a failed fit here
        raise Diverged("converged with a large last step")
    return beta / std, ll, ll0


#: How tied deaths enter the baseline hazard: "efron" (survival::survfit.coxph's default for
#: a model fitted with Efron's ties, and so rms::cph's) or "breslow" (d / risk-set sum, as
#: lifelines' baseline_cumulative_hazard_).
BASELINE_TIES = ("efron", "breslow")


def baseline_cumulative_hazard(x, t, e, beta, ties="efron"):
    """The Cox model's baseline cumulative hazard, at the covariate means of ``x``.

    Returns ``(times, cumulative_hazard)`` at every distinct time of ``t`` (deaths and
    censorings; it only rises at deaths). At a time with d tied deaths whose risk scores
    sum to D, in a risk set whose scores sum to R, the increment is

    - ``ties="efron"``: Σ_{l=0}^{d−1} 1 / (R − l·D/d), the estimator ``survival::survfit``
      uses for a Cox model fitted with Efron's ties (so ``rms::cph``'s survival);
    - ``ties="breslow"``: d / R, lifelines' ``baseline_cumulative_hazard_``.

    Both are the Breslow estimator when no deaths are tied. Read it as a step function
    (the value at the last time at or before t).

    >>> import numpy as np
    >>> times, h = baseline_cumulative_hazard(np.zeros((4, 1)), [1, 1, 2, 3], [1, 1, 0, 1],
    ...                                       np.zeros(1))
    >>> [round(float(v), 4) for v in h]  # 1/4 + 1/3 (Efron), then the censoring, then 1/1
    [0.5833, 0.5833, 1.5833]
    """
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    e = np.asarray(e, dtype=float)
    score = np.exp((x - x.mean(0)) @ np.asarray(beta, dtype=float))
    times, index = np.unique(t, return_inverse=True)
    risk = np.cumsum(np.bincount(index, weights=score, minlength=len(times))[::-1])[::-1]
    deaths = np.bincount(index, weights=e, minlength=len(times))
    if ties == "breslow":
        increment = np.divide(deaths, risk, out=np.zeros_like(risk), where=deaths > 0)
    elif ties == "efron":
        tied = np.bincount(index, weights=score * e, minlength=len(times))
        increment = np.divide(deaths, risk, out=np.zeros_like(risk), where=deaths > 0)
        tied_times = np.flatnonzero(deaths > 1)  # only tied deaths need Efron's sum
        if len(tied_times):
            d = np.rint(deaths[tied_times]).astype(int)
            which = np.repeat(np.arange(len(d)), d)
            l_over_d = (np.arange(d.sum()) - np.repeat(np.cumsum(d) - d, d)) / d[which]
            terms = 1.0 / (risk[tied_times][which] - l_over_d * tied[tied_times][which])
            increment[tied_times] = np.add.reduceat(terms, np.cumsum(d) - d)
    else:
        raise ValueError(f"ties must be one of {', '.join(BASELINE_TIES)} (got {ties!r}).")
    return times, np.cumsum(increment)


def log_likelihood(x, t, e, beta) -> float:
    """Cox log partial likelihood (Efron's ties) at ``beta``, data in any order."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    order = np.lexsort((e, t))
    return efron_terms(x[order], np.asarray(t, float)[order], np.asarray(e, bool)[order],
                       np.atleast_1d(np.asarray(beta, dtype=float)))[2]


class SortedOutcome:
    """An outcome (t, e) sorted once, for many Cox fits on it with different covariates."""

    def __init__(self, t, e):
        t = np.asarray(t, float)
        e = np.asarray(e, bool)
        self.order = np.lexsort((e, t))
        self.t, self.e = t[self.order], e[self.order]
        self.ties = _Ties(self.t, self.e)


def fit_slope(lp, t, e, *, max_steps=50, tolerance=1e-9, outcome=None):
    """Cox model of the outcome on one fixed score ``lp``: (slope, log L(slope), log L(0)).

    The calibration slope of ``rms::validate``: refit the outcome on the linear predictor
    a model gives new data; a slope below 1 means the predictions are too extreme there.
    Plain Newton–Raphson with step halving (Efron's ties).

    >>> import numpy as np
    >>> t = np.array([1., 2., 3., 4., 5., 6.]); e = np.array([1, 1, 0, 1, 1, 0])
    >>> lp = np.array([0., 1., 0., 1., 0., 1.])
    >>> round(fit_slope(lp, t, e)[0], 4)  # the one-covariate fit_coefficients gives
    -0.2739

    ``outcome`` (a :class:`SortedOutcome` of ``t``, ``e``) saves sorting them again.
    """
    lp = np.asarray(lp, dtype=float)
    scale = lp.std() or 1.0
    x = ((lp - lp.mean()) / scale)[:, None]
    if outcome is None:
        outcome = SortedOutcome(t, e)
    xs, ts, es, ties = x[outcome.order], outcome.t, outcome.e, outcome.ties
    beta = np.zeros(1)
    h, g, ll0 = efron_terms(xs, ts, es, beta, ties)
    ll = ll0
    with np.errstate(all="raise"):
        try:
            for _ in range(max_steps):
                step = -g / h[0, 0] if h[0, 0] < 0 else np.zeros(1)
                new = beta + step
                new_h, new_g, new_ll = efron_terms(xs, ts, es, new, ties)
                halvings = 0
                while new_ll < ll and halvings < 30:
                    step /= 2
                    new = beta + step
                    new_h, new_g, new_ll = efron_terms(xs, ts, es, new, ties)
                    halvings += 1
                beta, done = new, abs(new_ll - ll) < tolerance
                h, g, ll = new_h, new_g, new_ll
                if done:
                    break
        except FloatingPointError:
            raise Unusual("the slope fit overflowed") from None
    return float(beta[0] / scale), float(ll), float(ll0)


#: Beyond these exponents exp() over- or underflows (float64): such a slope fit is left to
#: :func:`fit_slope`, which reports the overflow as :class:`Unusual`.
_EXP_RANGE = 600.0


def _efron_1d(xs, ties, beta):
    """efron_terms for one covariate and many fits at once: ``xs`` (n, B) sorted as
    ``ties``, ``beta`` (B,). Returns (hessian, gradient, log L), each (B,)."""
    scores = np.exp(xs * beta)
    terms = np.stack([scores, scores * xs, scores * xs * xs], axis=-1)  # (n, B, 3)
    at_death = np.cumsum(terms[::-1], axis=0)[::-1][ties.starts][ties.group]
    if len(ties.tied_k):
        tied = np.add.reduceat(terms[ties.tied_rows], ties.tied_starts, axis=0)
        at_death[ties.tied_k] -= ties.tied_frac[:, None, None] * tied[ties.tied_group]
    inv = 1.0 / at_death[..., 0]
    summand = at_death[..., 1] * inv
    hessian = (summand * summand).sum(0) - (inv * at_death[..., 2]).sum(0)
    x_death = ties.ev @ xs
    return hessian, x_death - summand.sum(0), x_death * beta + np.log(inv).sum(0)


def fit_slopes(lps, outcome, *, max_steps=50, tolerance=1e-9):
    """:func:`fit_slope` for each row of ``lps`` (fits × patients) on one
    :class:`SortedOutcome`, all fits stepping together: arrays (slope, log L, log L(0)),
    NaN where the fit overflowed. Each fit takes the steps :func:`fit_slope` takes.

    >>> import numpy as np
    >>> t = np.array([1., 2., 3., 4., 5., 6.]); e = np.array([1, 1, 0, 1, 1, 0])
    >>> lp = np.array([[0., 1., 0., 1., 0., 1.], [0., 2., 0., 2., 0., 2.]])
    >>> [round(float(s), 4) for s in fit_slopes(lp, SortedOutcome(t, e))[0]]
    [-0.2739, -0.137]
    """
    lps = np.atleast_2d(np.asarray(lps, dtype=float))
    scale = lps.std(1)
    scale[scale == 0] = 1.0
    xs = ((lps - lps.mean(1)[:, None]) / scale[:, None]).T[outcome.order]  # (n, B)
    ties = outcome.ties
    fits = xs.shape[1]
    slope, ll_out, ll0_out = np.full(fits, np.nan), np.full(fits, np.nan), np.full(fits, np.nan)
    with np.errstate(all="ignore"):
        h, g, ll = _efron_1d(xs, ties, np.zeros(fits))
    ll0 = ll.copy()
    beta, steps, halvings = np.zeros(fits), np.zeros(fits, int), np.zeros(fits, int)
    step = np.where(h < 0, -g / np.where(h < 0, h, 1.0), 0.0)
    active = np.isfinite(ll) & np.isfinite(h)
    extreme = ~active.copy()
    while active.any():
        a = np.flatnonzero(active)
        new = beta[a] + step[a]
        bound = np.abs(xs[:, a]).max(0) * np.abs(new)
        with np.errstate(all="ignore"):
            nh, ng, nll = _efron_1d(xs[:, a], ties, new)
        bad = (bound > _EXP_RANGE) | ~np.isfinite(nll) | ~np.isfinite(nh) | ~np.isfinite(ng)
        extreme[a[bad]], active[a[bad]] = True, False
        ok = ~bad
        a, new, nh, ng, nll = a[ok], new[ok], nh[ok], ng[ok], nll[ok]
        halve = (nll < ll[a]) & (halvings[a] < 30)
        step[a[halve]] /= 2
        halvings[a[halve]] += 1
        acc = a[~halve]
        done = np.abs(nll[~halve] - ll[acc]) < tolerance
        beta[acc], h[acc], g[acc], ll[acc] = new[~halve], nh[~halve], ng[~halve], nll[~halve]
        steps[acc] += 1
        halvings[acc] = 0
        finished = acc[done | (steps[acc] >= max_steps)]
        active[finished] = False
        with np.errstate(all="ignore"):
            step[acc] = np.where(h[acc] < 0, -g[acc] / np.where(h[acc] < 0, h[acc], 1.0), 0.0)
    good = ~extreme
    slope[good] = beta[good] / scale[good]
    ll_out[good], ll0_out[good] = ll[good], ll0[good]
    for k in np.flatnonzero(extreme):  # the scalar fit says whether it overflows
        try:
            slope[k], ll_out[k], ll0_out[k] = fit_slope(lps[k], None, None, max_steps=max_steps,
                                                        tolerance=tolerance, outcome=outcome)
        except Unusual:
            pass
    return slope, ll_out, ll0_out


# ======================================================================================
# Every bootstrap resample at once: lifelines' Newton–Raphson on weighted original rows
# ======================================================================================

#: Beyond this |linear predictor| on any row, a resample's batched fit is handed back to the
#: one-at-a-time fit, which raises on overflow or underflow exactly where lifelines would.
_BATCH_LP_LIMIT = 300.0

#: Status codes of :func:`fit_resamples`.
FIT_OK, FIT_DIVERGED, FIT_ALONE = 0, 1, 2


class ResampleDesign:
    """What every resample's fit needs of the original data, computed once: the rows
    sorted by time, the standardised covariates, and the death times' tie structure.

    A bootstrap resample is the original patients, each counted as often as it was drawn
    (a whole-number weight). Sorted once, every resample shares these rows; a patient drawn
    k times is k tied copies, so Efron's sums count its death k times, with the l/d terms
    of a time with d = (weighted) deaths — exactly the sums of the fit of the repeated rows.
    """

    def __init__(self, x, t, e):
        x = np.asarray(x, dtype=float)
        t = np.asarray(t, dtype=float)
        e = np.asarray(e, dtype=bool)
        self.n, self.p = x.shape
        self.order = np.lexsort((e, t))
        xs, ts, es = x[self.order], t[self.order], e[self.order]
        self.mean = x.mean(0)
        self.scale = x.std(0, ddof=1)
        self.scale[self.scale == 0] = 1.0
        self.z = (xs - self.mean) / self.scale  # (n, p), sorted
        self.zz = (self.z[:, :, None] * self.z[:, None, :]).reshape(self.n, -1)
        self.e = es
        starts = np.flatnonzero(np.concatenate([[True], ts[1:] != ts[:-1]]))
        deaths = np.add.reduceat(es.astype(float), starts)
        keep = deaths > 0
        self.starts = starts[keep]  # first row of each death time's risk set
        # Deaths sort last within a time: the death rows of each death time, contiguous.
        self.death_rows = np.flatnonzero(es)
        self.death_group = np.searchsorted(self.starts, self.death_rows, side="right") - 1
        self.death_starts = np.flatnonzero(
            np.concatenate([[True], self.death_group[1:] != self.death_group[:-1]]))
        # For each row, the last death time at or before it (-1: none): which risk sets it is in.
        self.row_group = np.searchsorted(self.starts, np.arange(self.n), side="right") - 1

    def weights_of(self, draws):
        """(n, B) weights, rows sorted: how often each resample drew each patient."""
        return np.stack([np.bincount(idx, minlength=self.n) for idx in draws]).T[self.order] \
            .astype(float)


def _revcumsum(a):
    return np.cumsum(a[::-1], axis=0)[::-1]


def _sum_by(index, values, size):
    """Rows of ``values`` (T, q) summed by ``index`` into (size, q) (np.add.at, faster)."""
    return np.stack([np.bincount(index, weights=values[:, j], minlength=size)
                     for j in range(values.shape[1])], axis=1)


def _efron_weighted(design, w, beta, centre):
    """Efron's Hessian, gradient and log L for many weighted fits at once, on standardised
    covariates: ``w`` (n, B) sorted weights, ``beta`` (B, p), ``centre`` (B, p) each fit's
    weighted covariate mean (subtracted inside exp() so that scores stay near 1, as
    lifelines centres its data). Returns (hessian (B, p, p), gradient (B, p), log L (B,),
    largest |linear predictor| (B,)).

    Written with element-wise numpy and ``einsum`` (no BLAS calls: a multi-threaded BLAS
    on these thin matrices costs more in thread hand-offs than in arithmetic).
    """
    z, st = design.z, design.starts
    lp = np.einsum("np,bp->nb", z, beta) - np.einsum("bp,bp->b", centre, beta)  # (n, B)
    largest = np.abs(lp).max(0)
    ws = w * np.exp(np.clip(lp, -_BATCH_LP_LIMIT, _BATCH_LP_LIMIT))
    wsz = ws[:, :, None] * z[:, None, :]  # (n, B, p)
    s0 = _revcumsum(ws)[st]  # (K, B): the risk sets' sums at the death times
    s1 = _revcumsum(wsz)[st]  # (K, B, p)
    dr, ds = design.death_rows, design.death_starts
    d = np.add.reduceat(w[dr], ds, axis=0)  # each resample's deaths at each time (K, B)
    # One death at a time (most of them): Efron's sum has the one term 1 / S0.
    died = d > 0
    inv = np.where(died, 1.0 / np.where(died, s0, 1.0), 0.0)
    big_c, f0 = inv, inv * inv
    log_den = np.where(died, np.log(np.where(died, s0, 1.0)), 0.0)
    big_e = np.zeros_like(inv)
    tk, tb = np.nonzero(d > 1)  # tied deaths (a patient drawn twice who died counts twice)
    if len(tk):
        t0 = np.add.reduceat(ws[dr], ds, axis=0)[tk, tb]
        t1 = np.add.reduceat(wsz[dr], ds, axis=0)[tk, tb]  # (T, p)
        dt = d[tk, tb]
        ell = np.arange(int(dt.max()))
        used = ell < dt[:, None]
        frac = np.where(used, ell / dt[:, None], 0.0)
        den = np.where(used, s0[tk, tb][:, None] - frac * t0[:, None], 1.0)
        c = np.where(used, 1.0 / den, 0.0)
        c2 = c * c
        big_c[tk, tb], big_e[tk, tb] = c.sum(1), (c * frac).sum(1)
        f0[tk, tb] = c2.sum(1)
        f1, f2 = (c2 * frac).sum(1), (c2 * frac * frac).sum(1)
        log_den[tk, tb] = np.log(den).sum(1)
        s1t = s1[tk, tb]
        tied_terms = (f2[:, None, None] * t1[:, :, None] * t1[:, None, :]
                      - f1[:, None, None] * (s1t[:, :, None] * t1[:, None, :]
                                             + t1[:, :, None] * s1t[:, None, :]))
        gradient_tied = _sum_by(tb, big_e[tk, tb][:, None] * t1, len(beta))
    x_death = np.einsum("db,dp->bp", w[dr], z[dr])
    gradient = x_death - np.einsum("kb,kbp->bp", big_c, s1)
    log_lik = np.einsum("db,db->b", w[dr], lp[dr]) - log_den.sum(0)
    # Σ_k C_k S2_k = Σ_j ws_j a_j z_j z_jᵀ, a_j the sum of C over the risk sets row j is in;
    # the tied deaths' part Σ_k E_k T2_k enters through the death rows' coefficients.
    cum_c = np.cumsum(big_c, axis=0)
    a = np.where(design.row_group[:, None] >= 0, cum_c[np.maximum(design.row_group, 0)], 0.0)
    a[dr] -= big_e[design.death_group]
    second = np.einsum("nq,nb->bq", design.zz, ws * a).reshape(-1, design.p, design.p)
    hessian = np.einsum("kbi,kbj->bij", s1 * f0[..., None], s1) - second
    if len(tk):
        gradient += gradient_tied
        hessian += _sum_by(tb, tied_terms.reshape(len(tb), -1), len(beta)).reshape(hessian.shape)
    return hessian, gradient, log_lik, largest


def fit_resamples(design, w):
    """:func:`fit_with_log_likelihood` for every resample at once (columns of the sorted
    weights ``w``, (n, B)), each taking lifelines' own Newton steps (start at 0, step size
    0.95 and its sizer, the same stopping rules, in lifelines' normalised coordinates).

    Returns ``(beta (B, p), log L (B,), log L(0) (B,), status (B,))``: status
    ``FIT_OK``; ``FIT_DIVERGED`` where those steps diverge (lifelines fails there too); or
    ``FIT_ALONE`` where the resample left the well-behaved path (a column with almost no
    variance, a Hessian that is not negative definite, scores near overflow): fit it alone
    with :func:`fit_with_log_likelihood`, which decides as before.

    The weights are multiplicities (how often the bootstrap drew each row), and each copy of a
    tied death counts as its own death in Efron's correction, exactly as when the resampled rows
    are fitted literally. That is not the weighted Efron of ``coxph(weights=)`` or of lifelines'
    ``weights_col`` (which count rows, not copies), so fractional weights are refused.
    """
    if not np.array_equal(w, np.round(w)) or (w < 0).any():
        raise ValueError("fit_resamples takes bootstrap multiplicities: whole numbers, 0 or more "
                         "(fractional weights would need a different Efron correction).")
    p = design.p
    fits = w.shape[1]
    status = np.full(fits, FIT_OK)
    beta_out = np.full((fits, p), np.nan)
    ll_out, ll0_out = np.full(fits, np.nan), np.full(fits, np.nan)
    total = w.sum(0)
    centre = (w.T @ design.z) / total[:, None]
    var = ((w.T @ design.z**2) - total[:, None] * centre**2) / (total[:, None] - 1)
    ratio = np.sqrt(np.maximum(var, 0.0))  # each resample's sd over the original sd
    low = ((ratio * design.scale) ** 2 < LOW_VARIANCE).any(1)
    status[low] = FIT_ALONE
    active = ~low
    beta = np.zeros((fits, p))
    delta = np.zeros((fits, p))
    step = np.full(fits, STEP_SIZE)
    temper = np.zeros(fits, bool)
    norms = np.zeros((fits, 3))  # the last three norms of delta (lifelines' lookback)
    count = np.zeros(fits, int)
    previous_ll = np.zeros(fits)
    last_norm = np.zeros(fits)
    ll0 = np.full(fits, np.nan)
    for _ in range(MAX_STEPS):
        a = np.flatnonzero(active)
        if not len(a):
            break
        beta[a] = beta[a] + step[a, None] * delta[a]
        with np.errstate(all="ignore"):
            h, g, ll, largest = _efron_weighted(design, w[:, a], beta[a], centre[a])
        first = np.isnan(ll0[a])
        ll0[a[first]] = ll[first]
        bad = (largest >= _BATCH_LP_LIMIT) | ~np.isfinite(ll) | ~np.isfinite(h).all((1, 2)) \
            | ~np.isfinite(g).all(1)
        try:
            np.linalg.cholesky(-h[~bad])
            not_pd = np.zeros(len(a), bool)
        except np.linalg.LinAlgError:
            not_pd = np.array([not _negative_definite(hk) for hk in h])
        bad |= not_pd
        status[a[bad]] = FIT_ALONE
        active[a[bad]] = False
        keep = ~bad
        a, h, g, ll = a[keep], h[keep], g[keep], ll[keep]
        if not len(a):
            continue
        d = np.linalg.solve(-h, g[..., None])[..., 0]
        delta[a] = d
        # lifelines' norms and decrement are in its normalised coordinates: β_n = β_z·ratio.
        norm = np.sqrt(((d * ratio[a]) ** 2).sum(1))
        decrement = (g * d).sum(1) / 2
        last_norm[a] = norm
        finite = np.isfinite(d).all(1)
        prev = previous_ll[a]
        with np.errstate(divide="ignore", invalid="ignore"):
            small_change = (prev != 0) & (np.abs(ll - prev) / (-prev) < R_PRECISION)
        done = finite & ((norm < PRECISION) | small_change | (decrement < PRECISION))
        stuck = finite & ~done & ((step[a] <= 0.00001) | ((np.abs(ll) < 0.0001) & (norm > 1.0)))
        diverged = ~finite | stuck
        status[a[diverged]] = FIT_DIVERGED
        finished = done | diverged
        active[a[finished]] = False
        converged = a[done]
        beta_out[converged], ll_out[converged] = beta[converged], ll[done]
        go = ~finished
        a, norm, ll = a[go], norm[go], ll[go]
        previous_ll[a] = ll
        # lifelines' StepSizer.update, for each fit still stepping.
        s = step[a]
        s = np.where(temper[a], np.minimum(s * 1.3, STEP_SIZE), s)
        big, mid = norm >= 15.0, (norm > 5.0) & (norm < 15.0)
        s = np.where(big, s * 0.1, np.where(mid, s * 0.25, s))
        temper[a] |= big | mid
        norms[a] = np.column_stack([norms[a, 1], norms[a, 2], norm])
        count[a] += 1
        falling = (np.diff(norms[a], axis=1) < 0).all(1)
        s = np.where(count[a] >= 3, np.where(falling, np.minimum(s * 1.3, 1.0), s * 0.98), s)
        step[a] = s
    status[active] = FIT_DIVERGED  # MAX_STEPS without converging
    large_last = (status == FIT_OK) & (last_norm > 0.1)  # lifelines: ConvergenceWarning
    status[large_last] = FIT_DIVERGED
    ok = status == FIT_OK
    beta_out[ok] = beta_out[ok] / design.scale
    beta_out[~ok] = np.nan
    ll0_out[ok] = ll0[ok]
    ll_out[~ok] = np.nan
    return beta_out, ll_out, ll0_out, status


def _negative_definite(h):
    try:
        np.linalg.cholesky(-h)
        return True
    except np.linalg.LinAlgError:
        return False
