"""The survival statistics the exercise checkers need, on the standard library alone.

The survival chapter computes its tables and figures with numpy, lifelines and
:mod:`nec.survival_stats`; the reader's browser (Pyodide) has none of those compiled
libraries, so the checkers that mark survival answers call this small core instead. It
computes the same quantities from plain lists:

- :func:`kaplan_meier`: the product-limit curve; :func:`median_r` reads its median as R's
  ``print.survfit`` does (and :func:`nec.survival_stats.kaplan_meier` does),
  :func:`median_lifelines` as lifelines' ``median_survival_time_`` does;
- :func:`median_follow_up`: the reverse Kaplan–Meier median follow-up and the median
  observed time;
- :func:`logrank`: the k-group log-rank χ² (R's ``survdiff``) and :func:`logrank_trend`, the
  1-degree-of-freedom trend test with scores;
- :func:`cox_one_covariate`: the Cox model of one covariate (Efron's ties, as lifelines and
  R's ``coxph`` by default), by Newton–Raphson to convergence;
- :func:`chi2_sf`: the upper tail of the χ² distribution.

The tests compare every function with its numpy/lifelines counterpart
(``tests/test_survival_core.py``) and with R's survival package
(``tests/reference_r/test_r_checker_core.py``), and run them under Pyodide. Inputs are
taken as already checked (the checkers pass the book's own data files); a degenerate case
raises ``ValueError`` with a sentence.

>>> curve = kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
>>> median_r(curve), median_lifelines(curve)
(5.0, 5.0)
>>> round(logrank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"]).chi2, 4)
0.6154
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

#: Two survival probabilities closer than this are the same step: the tolerance with which
#: :mod:`nec.survival_stats` decides that a curve sits exactly at 0.5 (R's rule).
SAME_PROBABILITY = 1e-10

#: A pivot of the log-rank covariance below this (relative to its largest diagonal entry) is
#: a direction with no information: the χ² then uses a generalised inverse, as numpy's pinv
#: does in :func:`nec.survival_stats.logrank`.
_RANK_TOLERANCE = 1e-12

#: Newton–Raphson for the Cox fit stops when the step in β is below this: far tighter than
#: lifelines' default, so that the answer is the converged maximum (as R's coxph gives it).
_COX_STEP = 1e-12
_COX_MAX_ITERATIONS = 100


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier curve: per distinct time, the survival just after it and the counts."""

    times: tuple
    survival: tuple
    at_risk: tuple
    deaths: tuple


def kaplan_meier(months, died) -> Curve:
    """The product-limit estimate; censored at a death time counts as at risk at it.

    >>> [round(s, 4) for s in kaplan_meier([1, 2, 2, 4], [1, 1, 0, 1]).survival]
    [0.75, 0.5, 0.0]
    """
    pairs = sorted(zip((float(t) for t in months), (int(e) for e in died), strict=True))
    if not pairs:
        raise ValueError("There are no patients: give at least one follow-up time.")
    times, surv, at_risk, deaths = [], [], [], []
    n, s, i = len(pairs), 1.0, 0
    while i < len(pairs):
        t = pairs[i][0]
        j = i
        while j < len(pairs) and pairs[j][0] == t:
            j += 1
        d = sum(e for _, e in pairs[i:j])
        s *= 1.0 - d / n
        times.append(t)
        surv.append(s)
        at_risk.append(n)
        deaths.append(d)
        n -= j - i
        i = j
    return Curve(tuple(times), tuple(surv), tuple(at_risk), tuple(deaths))


def median_r(curve: Curve) -> float:
    """The median as R's ``print.survfit`` reads it: the first time the curve falls below 0.5;
    the midpoint to the next death when it sits exactly at 0.5; ``nan`` if never reached.

    >>> median_r(kaplan_meier(range(1, 11), [1] * 10))
    5.5
    """
    for i, s in enumerate(curve.survival):
        if abs(s - 0.5) <= SAME_PROBABILITY:
            later = [t for t, d in zip(curve.times[i + 1:], curve.deaths[i + 1:], strict=True)
                     if d > 0]
            return (curve.times[i] + later[0]) / 2 if later else curve.times[i]
        if s < 0.5:
            return curve.times[i]
    return math.nan


def median_lifelines(curve: Curve) -> float:
    """The median as lifelines' ``KaplanMeierFitter.median_survival_time_`` reads it: the first
    time the curve is at or below 0.5; ``inf`` if it stays above.

    lifelines computes the curve as exp(Σ log(n − d) − log(n)), not as a product, so a curve
    that sits at 0.5 can come out a hair above it: the same arithmetic is used here, so that
    the same time (or ``inf``) comes out.

    >>> median_lifelines(kaplan_meier(range(1, 11), [1] * 10))
    5.0
    >>> median_lifelines(kaplan_meier([1] * 6, [0, 0, 0, 1, 1, 1]))  # exp(log 3 − log 6) > 0.5
    inf
    """
    log_s, survival = 0.0, []
    for n, d in zip(curve.at_risk, curve.deaths, strict=True):
        log_s += (math.log(n - d) if n > d else -math.inf) - math.log(n)
        survival.append(math.exp(log_s))
    if survival[-1] > 0.5:
        return math.inf
    return next(t for t, s in zip(curve.times, survival, strict=True) if s <= 0.5)


@dataclass(frozen=True)
class FollowUp:
    """Median follow-up (reverse Kaplan–Meier) and the median observed time, in months."""

    median_months: float
    median_observed_months: float


def median_follow_up(months, died) -> FollowUp:
    """The reverse Kaplan–Meier median (censoring is the event) and the plain median time.

    >>> median_follow_up([2, 5, 7, 9], [1, 0, 1, 0])
    FollowUp(median_months=9.0, median_observed_months=6.0)
    """
    months, died = list(months), [int(e) for e in died]
    if all(died):
        raise ValueError("Every patient died: no one was censored, so a reverse Kaplan–Meier "
                         "median is not defined.")
    reverse = kaplan_meier(months, [1 - e for e in died])
    return FollowUp(median_r(reverse), float(statistics.median(float(t) for t in months)))


def chi2_sf(x: float, df: int) -> float:
    """P(χ² on ``df`` degrees of freedom > ``x``): the p value of a χ² statistic.

    The regularised upper incomplete gamma function Q(df/2, x/2), by its series below
    a + 1 and its continued fraction above (Numerical Recipes §6.2); exact formulas for
    1 and 2 degrees of freedom.

    >>> round(chi2_sf(3.841458820694124, 1), 6), round(chi2_sf(5.991464547107979, 2), 6)
    (0.05, 0.05)
    >>> round(chi2_sf(11.070497693516351, 5), 6)
    0.05
    """
    if x <= 0:
        return 1.0
    if df == 1:
        return math.erfc(math.sqrt(x / 2))
    if df == 2:
        return math.exp(-x / 2)
    a, z = df / 2, x / 2
    log_prefix = a * math.log(z) - z - math.lgamma(a)
    if z < a + 1:
        term = total = 1.0 / a
        k = a
        while abs(term) > abs(total) * 1e-17:
            k += 1
            term *= z / k
            total += term
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = z + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-16:
            break
    return math.exp(log_prefix) * h


@dataclass(frozen=True)
class LogRank:
    """The k-group log-rank test: per-group observed and expected deaths, χ², df, p."""

    groups: tuple
    observed: tuple
    expected: tuple
    chi2: float
    df: int
    p: float


@dataclass(frozen=True)
class Trend:
    """The log-rank test for trend: U = Σ score × (O − E), χ² = U² / wᵀVw on 1 df, p."""

    groups: tuple
    scores: tuple
    statistic: float
    chi2: float
    p: float


def _observed_expected(months, died, groups, levels):
    """Observed and expected deaths per level and the hypergeometric covariance, summed over
    the distinct death times (as :func:`nec.survival_stats.logrank` and R's survdiff)."""
    k = len(levels)
    index = {lv: j for j, lv in enumerate(levels)}
    rows = sorted(zip((float(t) for t in months), (int(e) for e in died),
                      (index[g] for g in groups), strict=True))
    n_g = [0.0] * k
    for _, _, j in rows:
        n_g[j] += 1
    obs, exp_ = [0.0] * k, [0.0] * k
    cov = [[0.0] * k for _ in range(k)]
    i = 0
    while i < len(rows):
        t = rows[i][0]
        j = i
        while j < len(rows) and rows[j][0] == t:
            j += 1
        dead = [0] * k
        for _, e, g in rows[i:j]:
            dead[g] += e
        d = sum(dead)
        if d:
            n = sum(n_g)
            p = [m / n for m in n_g]
            for g in range(k):
                obs[g] += dead[g]
                exp_[g] += d * n_g[g] / n
            if n > 1:
                factor = d * (n - d) / (n - 1)
                for a in range(k):
                    for b in range(k):
                        cov[a][b] += factor * ((p[a] if a == b else 0.0) - p[a] * p[b])
        for _, _, g in rows[i:j]:
            n_g[g] -= 1
        i = j
    return obs, exp_, cov


def _quadratic_form(v, x):
    """(xᵀ V⁻ x, rank of V) for a symmetric positive semi-definite V, by Gaussian elimination
    that skips the directions without information (a generalised inverse)."""
    size = len(x)
    a = [row[:] + [x[i]] for i, row in enumerate(v)]
    scale = max((abs(v[i][i]) for i in range(size)), default=0.0)
    rank, total = 0, 0.0
    for col in range(size):
        pivot = a[col][col]
        if scale == 0 or abs(pivot) <= _RANK_TOLERANCE * scale:
            continue
        rank += 1
        total += a[col][size] ** 2 / pivot
        for r in range(col + 1, size):
            f = a[r][col] / pivot
            if f:
                for c in range(col, size + 1):
                    a[r][c] -= f * a[col][c]
    return total, rank


def _levels(groups, order):
    present = list(dict.fromkeys(groups))
    if order is None:
        return sorted(present, key=str)
    return [lv for lv in order if lv in present]


_NO_INFORMATION = ("No death happens while patients of two groups are both at risk: the "
                   "groups cannot be compared (the test has no information).")


def logrank(months, died, groups, *, order=None) -> LogRank:
    """The k-group log-rank test: χ² = (O − E)ᵀ V⁻ (O − E) on the first k − 1 groups.

    >>> r = logrank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    >>> r.observed, [round(x, 4) for x in r.expected], r.df
    ((2, 2), [1.3333, 2.6667], 1)
    """
    months, died, groups = list(months), list(died), list(groups)
    levels = _levels(groups, order)
    if len(levels) < 2:
        raise ValueError("A log-rank test compares groups: the data hold only one group.")
    if not any(int(e) for e in died):
        raise ValueError("There are no deaths: the log-rank test has nothing to compare.")
    obs, exp_, cov = _observed_expected(months, died, groups, levels)
    diff = [o - x for o, x in zip(obs, exp_, strict=True)][:-1]
    chi2, df = _quadratic_form([row[:-1] for row in cov[:-1]], diff)
    if df == 0:
        raise ValueError(_NO_INFORMATION)
    return LogRank(tuple(levels), tuple(int(o) for o in obs), tuple(exp_), chi2, df,
                   chi2_sf(chi2, df))


def logrank_trend(months, died, groups, *, order, scores=None) -> Trend:
    """The log-rank test for trend over ``order`` (scores 0, 1, 2, … by position in ``order``
    unless given; a level with no patient keeps its place).

    >>> r = logrank_trend([1, 2, 3, 4, 5, 6], [1] * 6, list("aabbcc"), order="abc")
    >>> r.scores, round(r.statistic, 4)
    ((0.0, 1.0, 2.0), -3.3667)
    """
    months, died, groups, order = list(months), list(died), list(groups), list(order)
    levels = _levels(groups, order)
    if len(levels) < 3:
        raise ValueError("A trend test needs at least three ordered groups; with two, use "
                         "the log-rank test.")
    given = range(len(order)) if scores is None else scores
    by_level = dict(zip(order, (float(s) for s in given), strict=True))
    # By position in ``order``: a level with no patient keeps its place in the scores.
    w = [by_level[lv] for lv in levels]
    obs, exp_, cov = _observed_expected(months, died, groups, levels)
    u = sum(wi * (o - x) for wi, o, x in zip(w, obs, exp_, strict=True))
    var = sum(w[a] * cov[a][b] * w[b] for a in range(len(w)) for b in range(len(w)))
    if var <= 1e-12:
        raise ValueError(_NO_INFORMATION)
    chi2 = u * u / var
    return Trend(tuple(levels), tuple(w), u, chi2, chi2_sf(chi2, 1))


@dataclass(frozen=True)
class CoxFit:
    """A one-covariate Cox model: the log hazard ratio, its standard error and exp(β)."""

    coefficient: float
    se: float
    patients: int
    deaths: int

    @property
    def hazard_ratio(self) -> float:
        return math.exp(self.coefficient)


def _cox_derivatives(rows, beta):
    """(log partial likelihood, score, information) at β, Efron's method for tied deaths.

    ``rows`` are (time, died, x) sorted by time, descending, so that the risk set grows as
    the loop walks back in time.
    """
    loglik = score = info = 0.0
    s0 = s1 = s2 = 0.0
    i = 0
    while i < len(rows):
        t = rows[i][0]
        j = i
        d0 = d1 = d2 = 0.0
        dead_x = 0.0
        deaths = 0
        while j < len(rows) and rows[j][0] == t:
            _, e, x = rows[j]
            r = math.exp(beta * x)
            s0 += r
            s1 += r * x
            s2 += r * x * x
            if e:
                deaths += 1
                d0 += r
                d1 += r * x
                d2 += r * x * x
                dead_x += x
            j += 1
        if deaths:
            loglik += beta * dead_x
            score += dead_x
            for k in range(deaths):
                f = k / deaths
                a0, a1, a2 = s0 - f * d0, s1 - f * d1, s2 - f * d2
                mean = a1 / a0
                loglik -= math.log(a0)
                score -= mean
                info += a2 / a0 - mean * mean
        i = j
    return loglik, score, info


def _has_finite_maximum(rows) -> bool:
    """Whether the partial likelihood of one covariate has a finite maximum.

    As β → +∞ the score tends to Σ over deaths of (x of the death − the largest x at risk),
    which is ≤ 0; it is 0 (the likelihood rises for ever) exactly when every death has the
    largest x of its risk set; likewise for β → −∞ and the smallest. ``rows`` are sorted by
    time, descending, as :func:`_cox_derivatives` takes them.
    """
    below_max = above_min = False
    high = low = None
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j][0] == rows[i][0]:
            x = rows[j][2]
            high = x if high is None else max(high, x)
            low = x if low is None else min(low, x)
            j += 1
        for _, e, x in rows[i:j]:
            if e:
                below_max = below_max or x < high
                above_min = above_min or x > low
        i = j
    return below_max and above_min


def cox_one_covariate(months, died, x) -> CoxFit:
    """Fit a Cox proportional-hazards model of one covariate ``x`` (Efron's ties).

    Newton–Raphson from β = 0, halving a step that lowers the partial likelihood, until the
    step is below 1e-12: the maximum that lifelines (converged tightly) and R's coxph find.

    Deaths at 1, 2 and 3 months (x = 1, 0, 1), censored at 4 (x = 0): the score equation
    reduces to r² − r − 4 = 0 for r = e^β, so the hazard ratio is (1 + √17)/2 = 2.561553.

    >>> fit = cox_one_covariate([1, 2, 3, 4], [1, 1, 1, 0], [1, 0, 1, 0])
    >>> round(fit.hazard_ratio, 6)
    2.561553
    """
    rows = sorted(zip((float(t) for t in months), (int(e) for e in died),
                      (float(v) for v in x), strict=True), key=lambda r: -r[0])
    deaths = sum(e for _, e, _ in rows)
    if deaths == 0:
        raise ValueError("There are no deaths: a Cox model has nothing to fit.")
    if len({v for _, _, v in rows}) < 2:
        raise ValueError("Every patient has the same value of the covariate: a Cox model "
                         "cannot estimate its hazard ratio.")
    if _cox_derivatives(rows, 0.0)[2] <= 0:
        # Every death among patients at risk with one and the same value: a flat likelihood.
        raise ValueError("The data carry no information on the hazard ratio: at every death, "
                         "all the patients still at risk had the same value of the covariate.")
    if not _has_finite_maximum(rows):
        raise ValueError("The Cox model has no finite maximum: at every death the patient who "
                         "died had the highest (or at every death the lowest) value of the "
                         "covariate among those at risk, so the hazard ratio runs to infinity "
                         "(or 0).")
    beta = 0.0
    loglik, score, info = _cox_derivatives(rows, beta)
    for _ in range(_COX_MAX_ITERATIONS):
        if info <= 0:
            raise ValueError("The Cox model has no information about the covariate (every "
                             "death in one group?): its hazard ratio is not estimable.")
        step = score / info
        while True:
            candidate = beta + step
            new = _cox_derivatives(rows, candidate)
            if new[0] >= loglik - 1e-12 or abs(step) < _COX_STEP:
                break
            step /= 2
        beta, (loglik, score, info) = candidate, new
        if abs(step) < _COX_STEP:
            break
    else:
        raise ValueError("The Cox model did not converge (the hazard ratio runs to 0 or "
                         "infinity: every death in one group?).")
    return CoxFit(beta, 1 / math.sqrt(info), len(rows), deaths)
