"""Kaplan–Meier medians, the log-rank test, its trend version, and median follow-up.

What a reader of a survival paper expects beside the curves, written out so that every
number can be checked by hand and against R's ``survival`` package:

- :func:`kaplan_meier` — the product-limit estimate, and its median read as R's
  ``print.survfit`` reads it;
- :func:`logrank` — observed and expected deaths per group and the k-group log-rank χ²
  (R's ``survdiff``);
- :func:`logrank_trend` — the 1-degree-of-freedom test for a trend across *ordered* groups
  (scores × (observed − expected), with the log-rank covariance), which has more power than
  the k − 1 df test when the hazard rises or falls with the group's order;
- :func:`cox_zph` — the score test of proportional hazards, per covariate and global, as
  R's ``cox.zph`` computes it since survival 3.0;
- :func:`median_follow_up` — the reverse Kaplan–Meier estimate of median follow-up
  (Schemper & Smith 1996): the Kaplan–Meier median of the *censoring* times, with death
  treated as censoring of the follow-up. Unlike the median observed time, it does not
  shrink because patients die early.

All times are in months. Inputs are validated: a bad value raises ``ValueError`` with a
sentence, never a numpy error.

>>> km = kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
>>> km.median_months
5.0
>>> round(logrank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"]).chi2, 4)
0.6154
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nec import _validate

# Two survival probabilities closer than this are the same step (floating-point products):
# it decides when a Kaplan–Meier curve sits *exactly* at 0.5, as R does with its own
# tolerance, so the median is then the midpoint of that flat step.
_SAME_PROBABILITY = 1e-10


_NO_INFORMATION = ("No death happens while patients of two groups are both at risk: the "
                   "groups cannot be compared (the test has no information).")


def _arrays(months, died, groups=None):
    """Validated numpy arrays: times ≥ 0 and finite, events 0/1, equal lengths."""
    import numpy as np

    t, e = _validate.survival_arrays(months, died, time_name="The follow-up time",
                                     event_name="The death indicator")
    if t.size == 0:
        raise ValueError("There are no patients: give at least one follow-up time.")
    if groups is None:
        return t, e.astype(int)
    if groups is None or isinstance(groups, str | bytes) or not hasattr(groups, "__len__"):
        raise ValueError(f"The groups must be one label per patient (a list or a column), "
                         f"not {groups!r}.")
    g = np.asarray(groups, dtype=object).ravel()
    if g.size != t.size:
        raise ValueError(f"There are {t.size} follow-up times but {g.size} group labels: "
                         "give one of each per patient.")
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in g):
        raise ValueError("A patient has no group: every patient needs a group label.")
    return t, e.astype(int), g


def _median_of(times, curve, deaths):
    """The first time ``curve`` falls below 0.5; the midpoint of a step that sits exactly at
    0.5; ``nan`` if it never falls below (R's rule in ``print.survfit``)."""
    for i, s in enumerate(curve):
        if abs(s - 0.5) <= _SAME_PROBABILITY:
            later = [t for t, d in zip(times[i + 1:], deaths[i + 1:], strict=True) if d > 0]
            return (times[i] + later[0]) / 2 if later else times[i]
        if s < 0.5:
            return times[i]
    return math.nan


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier estimate: the curve at each distinct time, and its median.

    ``times_months`` are the distinct observed times; ``survival`` the estimate just after
    each; ``at_risk``, ``deaths`` and ``censored`` the counts there.
    """

    times_months: tuple
    survival: tuple
    at_risk: tuple
    deaths: tuple
    censored: tuple

    @property
    def median_months(self) -> float:
        """The median as R's ``print.survfit`` gives it: the first time the curve falls
        below 0.5; if the curve sits exactly at 0.5 over a step, the midpoint of that
        step; ``nan`` if the curve never reaches 0.5 (median not reached)."""
        return _median_of(self.times_months, self.survival, self.deaths)

    @_validate.refuses_bad_arguments
    def median_ci(self, level: float = 0.95, conf_type: str = "log") -> tuple[float, float]:
        """The confidence interval of the median (Brookmeyer & Crowley 1982), as R's
        ``print.survfit`` gives it: the times at which the lower and the upper pointwise
        confidence curves of S(t) fall below 0.5 (``nan``: the curve never does, "NA" in R).

        The pointwise curves use Greenwood's variance of log S(t), Σ d / (n (n − d)), and
        ``conf_type`` ``"log"`` (R's default: S · exp(± z·se), capped at 1) or ``"log-log"``
        (R's ``conf.type = "log-log"``).

        >>> km = kaplan_meier(range(1, 11), [1] * 10)     # R: median 5.5, 0.95LCL 3, UCL NA
        >>> km.median_months, km.median_ci()
        (5.5, (3.0, nan))
        >>> kaplan_meier([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15],
        ...              [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0]).median_ci(conf_type="log-log")
        (2.0, nan)
        """
        from scipy import stats

        if isinstance(level, bool) or not isinstance(level, int | float) \
                or not _validate.CONFIDENCE_LEVEL_RANGE[0] <= level \
                < _validate.CONFIDENCE_LEVEL_RANGE[1]:
            raise ValueError(f"The confidence level must be between 0.5 and 1 (got {level}).")
        if conf_type not in ("log", "log-log"):
            raise ValueError(f"Unknown confidence interval type {conf_type!r}: choose "
                             "'log' or 'log-log'.")
        z = float(stats.norm.ppf(0.5 + level / 2))
        lower, upper, greenwood = [], [], 0.0
        for s, n, d in zip(self.survival, self.at_risk, self.deaths, strict=True):
            greenwood = greenwood + d / (n * (n - d)) if n > d else math.inf
            if s <= 0 or not math.isfinite(greenwood):  # R: no interval once S reaches 0
                lower.append(0.0)
                upper.append(math.nan)
            elif greenwood == 0:
                lower.append(s)
                upper.append(s)
            elif conf_type == "log":
                se = math.sqrt(greenwood)
                lower.append(s * math.exp(-z * se))
                upper.append(min(1.0, s * math.exp(z * se)))
            else:  # log(-log S) ± z · se / |log S|
                se = math.sqrt(greenwood) / abs(math.log(s))
                lower.append(s ** math.exp(z * se))
                upper.append(s ** math.exp(-z * se))
        return (_median_of(self.times_months, lower, self.deaths),
                _median_of(self.times_months, upper, self.deaths))

    def at(self, months: float) -> float:
        """The estimated survival at ``months`` (a step function, right-continuous).

        A time after the last follow-up is refused while the curve is above 0 there: nobody
        was observed then, so the estimate says nothing about it (R's ``summary(survfit)``
        likewise stops at the last time unless told to extend).

        >>> kaplan_meier([2, 4, 6], [1, 0, 1]).at(3)
        0.6666666666666667
        """
        months = _validate.number(months, name="The time", unit=" months", low=0)
        last = self.times_months[-1] if self.times_months else 0.0
        if months > last and self.survival and self.survival[-1] > 0:
            raise ValueError(f"The time {months:g} months is after the last follow-up "
                             f"({last:g} months): the Kaplan–Meier curve is not known there.")
        value = 1.0
        for t, s in zip(self.times_months, self.survival, strict=True):
            if t <= months:
                value = s
            else:
                break
        return value


@_validate.refuses_bad_arguments
def kaplan_meier(months, died) -> KaplanMeier:
    """The Kaplan–Meier (product-limit) estimate of survival.

    Patients censored at a time of death are counted at risk at that death, as in every
    standard implementation (R's ``survfit``, lifelines).

    >>> km = kaplan_meier([1, 2, 2, 4], [1, 1, 0, 1])
    >>> [round(s, 4) for s in km.survival]
    [0.75, 0.5, 0.0]
    """
    import numpy as np

    t, e = _arrays(months, died)
    times = np.unique(t)
    surv, at_risk, deaths, censored = [], [], [], []
    s = 1.0
    for u in times:
        n = int((t >= u).sum())
        d = int(((t == u) & (e == 1)).sum())
        c = int(((t == u) & (e == 0)).sum())
        s *= 1.0 - d / n
        surv.append(s)
        at_risk.append(n)
        deaths.append(d)
        censored.append(c)
    return KaplanMeier(tuple(float(x) for x in times), tuple(surv), tuple(at_risk),
                       tuple(deaths), tuple(censored))


@dataclass(frozen=True)
class FollowUp:
    """Median follow-up by the reverse Kaplan–Meier method, with what it is."""

    median_months: float
    median_observed_months: float
    n: int
    deaths: int

    def __str__(self) -> str:
        return (f"Median follow-up {self.median_months:.1f} months (reverse Kaplan–Meier: "
                f"deaths treated as censoring of follow-up; {self.n} patients, "
                f"{self.deaths} deaths). The median observed time, "
                f"{self.median_observed_months:.1f} months, is shorter because it counts "
                "the deaths as the end of follow-up.")


@_validate.refuses_bad_arguments
def median_follow_up(months, died) -> FollowUp:
    """Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996).

    The Kaplan–Meier estimate is computed with the event indicator reversed: being
    censored is the "event", and a death censors the follow-up. Its median is how long
    patients *would* have been followed had none died. R: the median of
    ``survfit(Surv(months, 1 - died) ~ 1)``.

    >>> str(median_follow_up([2, 5, 7, 9], [1, 0, 1, 0]).median_months)
    '9.0'
    """
    import numpy as np

    t, e = _arrays(months, died)
    if (e == 1).all():
        raise ValueError("Every patient died: no one was censored, so follow-up is complete "
                         "and a reverse Kaplan–Meier median is not defined.")
    reverse = kaplan_meier(t, 1 - e)
    return FollowUp(median_months=reverse.median_months,
                    median_observed_months=float(np.median(t)), n=int(t.size),
                    deaths=int(e.sum()))


@dataclass(frozen=True)
class LogRank:
    """A log-rank comparison of k groups: per-group observed and expected deaths, χ², p."""

    groups: tuple
    observed: tuple
    expected: tuple
    chi2: float
    df: int
    p: float
    covariance: tuple  # the k × k log-rank covariance of (observed − expected)

    def rows(self) -> list[dict]:
        """One row per group (for :func:`nec.tables.table`)."""
        return [{"group": str(g), "observed": o, "expected": x, "o_over_e": o / x}
                for g, o, x in zip(self.groups, self.observed, self.expected, strict=True)]


def _observed_expected(t, e, g, levels):
    """Observed and expected deaths per level, and the hypergeometric covariance."""
    import numpy as np

    k = len(levels)
    obs, exp_, cov = np.zeros(k), np.zeros(k), np.zeros((k, k))
    member = np.array([[gi == lv for gi in g] for lv in levels])  # k × n
    for u in np.unique(t[e == 1]):
        risk = t >= u
        n = risk.sum()
        dead = (t == u) & (e == 1)
        d = dead.sum()
        n_g = (member & risk).sum(axis=1).astype(float)
        obs += (member & dead).sum(axis=1)
        exp_ += d * n_g / n
        if n > 1:
            p = n_g / n
            cov += d * (n - d) / (n - 1) * (np.diag(p) - np.outer(p, p))
    return obs, exp_, cov


def _levels(g, order):
    present = list(dict.fromkeys(g))
    if order is None:
        return sorted(present, key=str)
    if isinstance(order, bytes) or not hasattr(order, "__iter__"):
        raise ValueError(f"The order must list the groups (e.g. ['G1', 'G2', 'G3']), not "
                         f"{order!r}.")
    order = list(order)
    missing = [lv for lv in present if lv not in order]
    if missing:
        raise ValueError(f"The group {missing[0]!r} is not in the order given "
                         f"({', '.join(map(str, order))}): list every group once.")
    if len(set(order)) != len(order):
        raise ValueError("A group is listed twice in the order: list every group once.")
    return [lv for lv in order if lv in present]


@_validate.refuses_bad_arguments
def logrank(months, died, groups, *, order=None) -> LogRank:
    """The k-group log-rank test (R's ``survdiff(Surv(months, died) ~ groups)``).

    χ² = (O − E)ᵀ V⁻ (O − E) on k − 1 degrees of freedom, with V the hypergeometric
    covariance summed over the distinct death times.

    >>> r = logrank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    >>> r.observed, [round(x, 4) for x in r.expected], r.df
    ((2, 2), [1.3333, 2.6667], 1)
    """
    import numpy as np
    from scipy import stats

    t, e, g = _arrays(months, died, groups)
    levels = _levels(g, order)
    if len(levels) < 2:
        raise ValueError("A log-rank test compares groups: the data hold only one group.")
    if e.sum() == 0:
        raise ValueError("There are no deaths: the log-rank test has nothing to compare.")
    obs, exp_, cov = _observed_expected(t, e, g, levels)
    diff = (obs - exp_)[:-1]
    v = cov[:-1, :-1]
    df = int(np.linalg.matrix_rank(v))
    if df == 0:
        raise ValueError(_NO_INFORMATION)
    chi2 = float(diff @ np.linalg.pinv(v) @ diff)
    return LogRank(groups=tuple(levels), observed=tuple(int(o) for o in obs),
                   expected=tuple(float(x) for x in exp_), chi2=chi2, df=df,
                   p=float(stats.chi2.sf(chi2, df)),
                   covariance=tuple(tuple(float(c) for c in row) for row in cov))


@dataclass(frozen=True)
class TrendTest:
    """The log-rank test for trend across ordered groups (1 degree of freedom)."""

    groups: tuple
    scores: tuple
    statistic: float  # Σ score × (O − E)
    chi2: float
    p: float

    def __str__(self) -> str:
        order = " < ".join(f"{g} ({s:g})" for g, s in zip(self.groups, self.scores,
                                                           strict=True))
        return (f"Log-rank test for trend over {order}: χ² {self.chi2:.2f} on 1 degree of "
                f"freedom, p = {self.p:.4f}.")


@_validate.refuses_bad_arguments
def logrank_trend(months, died, groups, *, order, scores=None) -> TrendTest:
    """The log-rank test for trend: does the hazard rise (or fall) with the group's order?

    With scores w (default 0, 1, 2, … by position in ``order``, so a level with no patient
    keeps its place), U = Σ w_g (O_g − E_g) and
    χ² = U² / (wᵀ V w) on 1 degree of freedom, V being the log-rank covariance
    (Collett, *Modelling Survival Data in Medical Research*, §2.6). A positive U means
    more deaths than expected in the groups with higher scores. R: the same arithmetic on
    ``survdiff``'s ``obs``, ``exp`` and ``var``.

    >>> r = logrank_trend([1, 2, 3, 4, 5, 6], [1] * 6, list("aabbcc"), order="abc")
    >>> r.scores, round(r.statistic, 4)
    ((0.0, 1.0, 2.0), -3.3667)
    """
    import numpy as np
    from scipy import stats

    t, e, g = _arrays(months, died, groups)
    if order is None:
        raise ValueError("A trend test needs the groups' order (order=[...], lowest first): "
                         "the order is what the trend is about.")
    levels = _levels(g, order)
    if len(levels) < 3:
        raise ValueError("A trend test needs at least three ordered groups; with two, use "
                         "the log-rank test.")
    if scores is None:
        # By position in ``order``: a level with no patient keeps its place in the scores.
        w = np.array([list(order).index(lv) for lv in levels], dtype=float)
    else:
        try:
            w = np.asarray(scores, dtype=float).ravel()
        except (TypeError, ValueError):
            raise ValueError("The scores must be numbers, one per group.") from None
        if w.size != len(list(order)) or not np.isfinite(w).all():
            raise ValueError("Give one finite score per group in the order.")
        w = w[[list(order).index(lv) for lv in levels]]
    if e.sum() == 0:
        raise ValueError("There are no deaths: the trend test has nothing to compare.")
    obs, exp_, cov = _observed_expected(t, e, g, levels)
    u = float(w @ (obs - exp_))
    var = float(w @ cov @ w)
    if var <= 1e-12:
        raise ValueError(_NO_INFORMATION)
    chi2 = u * u / var
    return TrendTest(groups=tuple(levels), scores=tuple(float(x) for x in w), statistic=u,
                     chi2=chi2, p=float(stats.chi2.sf(chi2, 1)))


@dataclass(frozen=True)
class ProportionalHazardsTest:
    """Score tests of proportional hazards, one per covariate and a global one (R's
    ``cox.zph``, survival ≥ 3.0)."""

    terms: tuple
    chi2: tuple
    p: tuple
    global_chi2: float
    global_df: int
    global_p: float
    transform: str
    #: R's ``cox.zph(fit)$x``: the transformed time g(t) of each death, one per death in
    #: time order (tied deaths share it).
    x: tuple = ()
    #: R's ``$y``: the scaled Schoenfeld residuals *with β added* (estimates of β(t)), one
    #: row per death (same order as ``x``), one column per term.
    y: tuple = ()
    #: The fitted log hazard ratios β, and the diagonal of their variance (inverse
    #: information at β): the residual plot's reference line and its ±2 SE band.
    coefficients: tuple = ()
    variances: tuple = ()

    def residuals(self, term) -> list[float]:
        """The scaled Schoenfeld residuals (β added) of ``term``, in the order of ``x``."""
        if term not in self.terms:
            raise ValueError(f"There is no term {term!r}: the terms are "
                             + ", ".join(self.terms) + ".")
        j = self.terms.index(term)
        return [row[j] for row in self.y]

    def rows(self) -> list[dict]:
        """One row per covariate, then the global test (for :func:`nec.tables.table`)."""
        rows = [{"term": t, "chi2": c, "df": 1, "p": p}
                for t, c, p in zip(self.terms, self.chi2, self.p, strict=True)]
        rows.append({"term": "GLOBAL", "chi2": self.global_chi2, "df": self.global_df,
                     "p": self.global_p})
        return rows


_TRANSFORMS = ("km", "identity", "rank", "log")

# The score test of each γ is taken at β where the score of β is 0. A converged fit gives a
# score statistic Uᵀ I⁻¹ U of order 1e-12 or less; a penalised fit (penalizer 0.1) or β
# rounded to two decimals gives 1e-3 and more on the chapter's cohort.
_SCORE_AT_MAXIMUM = 1e-6


@_validate.refuses_bad_arguments
def cox_zph(covariates, months, died, coefficients, *, transform="km"):
    """Test proportional hazards as R's ``cox.zph`` does (survival ≥ 3.0, Efron ties).

    For each covariate x_j the Cox model is extended by x_j · g(t), g a transform of time,
    and the score test of that term's coefficient γ_j = 0 is computed at the fitted β with
    the full information matrix of (β, γ) (Grambsch & Therneau 1994; Therneau's
    implementation since survival 3.0). The global test adds every γ at once (p degrees of
    freedom). lifelines' ``proportional_hazard_test`` instead uses the 1994 approximation
    (the information replaced by its average over death times), which R's ``cox.zph``
    used before version 3.0; on small data sets the two can differ a lot.

    ``transform``: ``"km"`` (R's default: g = 1 − KM(t−), the Kaplan–Meier estimate just
    before each death), ``"identity"``, ``"rank"`` (the rank of the death time among *all*
    follow-up times, censored ones included, as R computes it) or ``"log"``.

    Parameters
    ----------
    covariates
        n × p numbers (a DataFrame keeps its column names as the term names);
    months, died
        follow-up in months and 0/1 death indicators;
    coefficients
        the fitted lifelines ``CoxPHFitter`` (preferred: a penalised fit is refused), or its
        log hazard ratios (length p), e.g. ``fitter.params_``. The test is a score test at the
        maximum of the *unpenalised* partial likelihood (where the score of β is 0); β that
        are not that maximum (a penalised fit, a rounded or published β) are refused rather
        than given a silently wrong p value.

    Returns
    -------
    ProportionalHazardsTest
        the χ² and p per term and global, and R's ``$x`` and ``$y`` for the residual plot.
    """
    import numpy as np
    from scipy import stats

    t, e = _arrays(months, died)
    names = [str(c) for c in getattr(covariates, "columns", [])]
    if hasattr(coefficients, "params_"):  # a fitted lifelines model
        if float(getattr(coefficients, "penalizer", 0) or 0) != 0:
            raise ValueError("The Cox model was fitted with a penalizer: the proportional-"
                             "hazards test needs the unpenalised fit (penalizer=0).")
        coefficients = coefficients.params_
    try:
        x = np.asarray(covariates, dtype=float)
        beta = np.asarray(coefficients, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("The covariates and coefficients must be numbers.") from None
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or not np.isfinite(x).all() or not np.isfinite(beta).all():
        raise ValueError("The covariates and coefficients must be finite numbers (one row of "
                         "covariates per patient, no missing values).")
    n, p = x.shape
    if n != t.size or beta.size != p:
        raise ValueError(f"Give one row of covariates per patient ({t.size}) and one "
                         f"coefficient per covariate ({p}).")
    if transform not in _TRANSFORMS:
        raise ValueError(f"Unknown time transform {transform!r}: choose one of "
                         + ", ".join(_TRANSFORMS) + ".")
    if e.sum() < 2:
        raise ValueError("At least two deaths are needed to test proportional hazards.")
    names = names or [f"x{j + 1}" for j in range(p)]
    death_times = np.unique(t[e == 1])
    # g(t) per distinct death time.
    if transform == "km":
        km = kaplan_meier(t, e)
        surv_before, prev = [], 1.0
        for u in death_times:  # KM just before each death time (left-continuous)
            surv_before.append(prev)
            prev = km.at(u)
        g_of = dict(zip(death_times, 1.0 - np.array(surv_before), strict=True))
    elif transform == "identity":
        g_of = {u: u for u in death_times}
    elif transform == "log":
        g_of = {u: math.log(u) if u > 0 else math.nan for u in death_times}
    else:  # R ranks every follow-up time, censored ones included (ties share the average)
        ranks = stats.rankdata(t)
        g_of = {u: float(ranks[t == u][0]) for u in death_times}
    risk_w = np.exp(x @ beta)
    u_gamma, u_beta = np.zeros(p), np.zeros(p)
    info = np.zeros((2 * p, 2 * p))
    zph_x, schoenfeld = [], []
    for u in death_times:
        g = g_of[u]
        at_risk = t >= u
        dead = at_risk & (t == u) & (e == 1)
        d = int(dead.sum())
        w_r, x_r = risk_w[at_risk], x[at_risk]
        w_d, x_d = risk_w[dead], x[dead]
        s0, s1 = w_r.sum(), w_r @ x_r
        s2 = (x_r * w_r[:, None]).T @ x_r
        d0, d1 = w_d.sum(), w_d @ x_d
        d2 = (x_d * w_d[:, None]).T @ x_d
        score = x_d.sum(axis=0)
        means = []
        for k in range(d):  # Efron: the tied deaths leave the risk set a fraction at a time
            f = k / d
            a0, a1, a2 = s0 - f * d0, s1 - f * d1, s2 - f * d2
            mean = a1 / a0
            means.append(mean)
            v = a2 / a0 - np.outer(mean, mean)
            score = score - mean
            block = np.array([[1.0, g], [g, g * g]])
            info += np.kron(block, v)
        u_gamma += g * score
        u_beta += score
        # Schoenfeld residual of each death: its covariates minus the (Efron-averaged) mean.
        for row in x_d:
            schoenfeld.append(row - np.mean(means, axis=0))
            zph_x.append(g)
    if not np.isfinite(info).all():
        raise ValueError("The time transform is not finite at every death (a log transform "
                         "with a death at 0 months?).")
    info_beta = info[:p, :p]
    if float(u_beta @ np.linalg.lstsq(info_beta, u_beta, rcond=None)[0]) > _SCORE_AT_MAXIMUM:
        raise ValueError("These coefficients are not the maximum of the Cox partial likelihood "
                         "on these data (a penalised or rounded fit?): give the unpenalised "
                         "fitted model.")
    variance = np.linalg.inv(info_beta)
    # R: residuals(fit, "scaledsch") = nevent · r · var + β.
    scaled = np.asarray(schoenfeld) @ variance * len(schoenfeld) + beta
    full_u = np.concatenate([np.zeros(p), u_gamma])
    chi2 = []
    for j in range(p):
        idx = list(range(p)) + [p + j]
        sub_u = full_u[idx]
        chi2.append(float(sub_u @ np.linalg.solve(info[np.ix_(idx, idx)], sub_u)))
    global_chi2 = float(full_u @ np.linalg.solve(info, full_u))
    return ProportionalHazardsTest(
        terms=tuple(names), chi2=tuple(chi2),
        p=tuple(float(stats.chi2.sf(c, 1)) for c in chi2), global_chi2=global_chi2,
        global_df=p, global_p=float(stats.chi2.sf(global_chi2, p)), transform=transform,
        x=tuple(float(v) for v in zph_x),
        y=tuple(tuple(float(v) for v in row) for row in scaled),
        coefficients=tuple(float(b) for b in beta),
        variances=tuple(float(v) for v in np.diag(variance)))


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
