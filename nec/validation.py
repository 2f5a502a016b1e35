"""Validating a Cox model as Harrell's rms does: optimism-corrected C, Dxy, R², slope;
grouped Kaplan–Meier calibration; a smoothed calibration curve (ICI, E50, E90).

A model's C-index on the data it was fitted to (the *apparent* C) is optimistic. The
Efron–Gong bootstrap estimates by how much: fit the model again on each bootstrap resample,
and compare its C on that resample with its C on the original data. The mean difference is
the *optimism*; apparent minus optimism is the corrected C, as ``rms::validate`` reports.

Two intervals answer two questions. The *percentile interval* of the refitted models' C on
their own resamples carries the optimism (it sits around the apparent C, not the corrected
one). The interval of the *fixed* model holds its predictions as fitted and resamples the
patients: the uncertainty of that one model's C. :func:`validate_c_index` reports both,
with the number of resamples and of failed fits; a published "C (95 % CI)" does not say
which it is.

Every function here takes the covariates explicitly and refuses other columns, shares its
input checks with the others (:func:`_check_inputs`), and is compared with R's ``rms`` and
``survival`` in ``tests/reference_r``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from nec import _validate


def risk_c_index(durations, events, risk) -> float:
    """Harrell's C of a risk score: the share of usable pairs whose higher-risk member
    fails first.

    ``risk`` is any score where higher means worse (e.g. a Cox linear predictor). This is
    ``lifelines.utils.concordance_index(durations, -risk, events)`` — note lifelines'
    order (times, *scores where higher means longer survival*, events) — and gives the same
    number: a death is compared with everyone who left the study later, and with those
    censored at its own time; tied risks count one half. The counting is vectorised
    (O(n log n) array operations instead of a Python loop).

    >>> risk_c_index([2, 4, 6, 8], [1, 1, 0, 1], risk=[4, 3, 2, 1])
    1.0
    >>> risk_c_index([2, 4, 6, 8], [1, 1, 0, 1], risk=[1, 2, 3, 4])
    0.0
    """
    import numpy as np

    t = _as_float_array(durations, "Durations")
    e = _as_float_array(events, "Events")
    score = -_as_float_array(risk, "Risks")  # higher score = expected to live longer
    if not (len(t) == len(e) == len(score)):
        raise ValueError("Durations, events and risks must have the same length.")
    if np.isnan(t).any() or np.isnan(score).any():
        raise ValueError("Durations and risks must not be missing (NaN).")
    if not np.isin(e, (0.0, 1.0)).all():
        raise ValueError("Events must be coded 0 (censored) or 1 (died).")
    correct, tied, pairs = _concordance_counts(t, score, e.astype(bool))
    if pairs == 0:
        raise ValueError("No usable pairs: Harrell's C needs at least one death before "
                         "another patient's last follow-up.")
    return float((correct + tied / 2) / pairs)


def harrell_c(*args, **kwargs):
    """Renamed :func:`risk_c_index`; calling this raises ``ValueError`` saying so.

    It had lifelines' name (``concordance_index``'s "Harrell's C") with the opposite sign
    convention, a trap for anyone who knows lifelines.
    """
    raise ValueError(
        "nec.validation.harrell_c was renamed risk_c_index(durations, events, risk), where a "
        "higher risk means worse. lifelines.utils.concordance_index(durations, scores, "
        "events) is the same count with scores where higher means longer survival "
        "(scores = -risk).")


def _matrix(values, name, *, rows=None, columns=None, allow_nan=False):
    """``values`` as a float array of finite numbers (a vector or a table), or a sentence."""
    import numpy as np

    if isinstance(values, str | bytes) or values is None:
        raise ValueError(f"{name} must be numbers (an array or a column), not {values!r}.")
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; some are not (text?).") from None
    if not allow_nan and not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite numbers, with no missing values.")
    if rows is not None or columns is not None:
        x = x[:, None] if x.ndim == 1 else x
        if x.ndim != 2 or (rows is not None and x.shape[0] != rows) \
                or (columns is not None and x.shape[1] != columns):
            want = f"{rows} rows" if rows is not None else f"{columns} columns"
            raise ValueError(f"{name} must be a table with {want} (one row per patient, one "
                             f"column per covariate); got shape {x.shape}.")
    return x


def _as_float_array(values, name):
    import numpy as np

    try:
        return np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers.") from None


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


#: Above this many (death, patient) pairs, counting pairs directly costs more than the merge.
PAIRWISE_LIMIT = 400_000


class _PairCounts:
    """Harrell's C of many risk scores on one set of patients, each weighted by how often a
    bootstrap resample drew it: the counts of :func:`_concordance_counts`, for all resamples
    at once.

    A resample repeats patients, so its usable pairs are pairs of original patients (a
    death i and a patient j who left later, or was censored at i's time), counted
    w_i·w_j times; a patient is never a usable pair with a copy of itself (same time, a
    death). The pair matrix of the original data is built once; each resample is then two
    comparisons and two weighted sums. The counts are whole numbers (exact in float64), so
    C is bit-for-bit :func:`risk_c_index`'s.
    """

    def __init__(self, t, e):
        import numpy as np

        self.deaths = np.flatnonzero(e)
        td = t[self.deaths, None]
        self.usable_bool = (t[None, :] > td) | ((t[None, :] == td) & ~e[None, :])
        self.usable = self.usable_bool.astype(float)
        self.n_usable = int(np.count_nonzero(self.usable_bool))
        self.t, self.e, self._sequence = t, e, None

    @staticmethod
    def fits(t, e):
        return int(e.sum()) * len(t) <= PAIRWISE_LIMIT

    def counts(self, risk, weights):
        """Counts (correct, tied, pairs) for each row of ``risk`` (resamples × patients):
        once with each pair weighted by the row of ``weights`` (times drawn: the C on the
        resample) and once unweighted (the C on the original data)."""
        return _weighted_merge_counts(self.sequence, risk, weights)

    @property
    def sequence(self):
        if self._sequence is None:
            self._sequence = _MergeSequence(self.t, self.e)
        return self._sequence

    def fixed_counts(self, risk, weights):
        """(correct, tied, pairs) of one fixed ``risk`` under each row of ``weights``."""
        import numpy as np

        rd = risk[self.deaths, None]
        n = len(risk)
        stacked = np.concatenate([(rd > risk[None, :]) * self.usable,
                                  (rd == risk[None, :]) * self.usable, self.usable], axis=1)
        sums = weights[:, self.deaths] @ stacked
        return np.stack([(sums[:, k * n:(k + 1) * n] * weights).sum(1) for k in range(3)])


class _MergeSequence:
    """The order in which :func:`_weighted_merge_counts` meets the patients (the same for
    every resample): latest time first; at one time the censored, then each death as a
    *query*, then the deaths as *pool* members. A query's usable pairs are then exactly
    the pool members before it: everyone who left later, and those censored at its time.
    """

    def __init__(self, t, e):
        import numpy as np

        deaths = np.flatnonzero(e)
        patient = np.concatenate([np.arange(len(t)), deaths])
        # role: 0 censored (pool), 1 death as query, 2 death as pool member.
        role = np.concatenate([np.where(e, 2, 0), np.ones(len(deaths), int)])
        order = np.lexsort((role, -t[patient]))
        self.patient = patient[order]
        self.is_pool = role[order] != 1
        self.m = len(order)


def _weighted_merge_counts(seq, risk, weights):
    """(correct, tied, pairs) of each row of ``risk`` with each pair weighted by the
    product of the two patients' ``weights`` (on the resample) and unweighted (on the
    original data): the bottom-up merge of :func:`_concordance_counts`, for every resample
    in one array (keys offset by resample and block), with cumulative weights in place of
    counts. O(B·n·log n); whole numbers throughout, so exact."""
    import numpy as np

    b_count, n = risk.shape
    # Dense ranks of each row's risks (ties share a rank).
    order = np.argsort(risk, axis=1, kind="stable")
    ordered = np.take_along_axis(risk, order, axis=1)
    new_value = np.concatenate([np.zeros((b_count, 1), np.int64),
                                (ordered[:, 1:] != ordered[:, :-1]).astype(np.int64)], axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.cumsum(new_value, axis=1), axis=1)
    rank_e = rank[:, seq.patient]  # (B, m)
    w_e = np.asarray(weights, dtype=float)[:, seq.patient]
    m, levels = seq.m, n + 1
    pos = np.arange(m)
    queries = ~seq.is_pool
    below_w, tied_w = np.zeros((b_count, queries.sum())), np.zeros((b_count, queries.sum()))
    below_1, tied_1 = np.zeros_like(below_w), np.zeros_like(below_w)
    q_index = np.cumsum(queries) - 1  # each query entry's column in the arrays above
    row = np.arange(b_count)[:, None]
    width = 1
    while width < m:
        block = pos // (2 * width)
        left = (pos % (2 * width)) < width
        pool = np.flatnonzero(left & seq.is_pool)
        query = np.flatnonzero(~left & queries)
        width *= 2
        if not len(pool) or not len(query):
            continue
        blocks = block[-1] + 1
        pool_keys = ((row * blocks + block[pool]) * levels + rank_e[:, pool]).ravel()
        by_key = np.argsort(pool_keys, kind="stable")
        keys = pool_keys[by_key]
        cw = np.concatenate([[0.0], np.cumsum(w_e[:, pool].ravel()[by_key])])
        base = ((row * blocks + block[query]) * levels).ravel()
        q_keys = base + rank_e[:, query].ravel()
        lo = np.searchsorted(keys, base, side="left")
        lt = np.searchsorted(keys, q_keys, side="left")
        le = np.searchsorted(keys, q_keys, side="right")
        cols = q_index[query]
        below_w[:, cols] += (cw[lt] - cw[lo]).reshape(b_count, -1)
        tied_w[:, cols] += (cw[le] - cw[lt]).reshape(b_count, -1)
        below_1[:, cols] += (lt - lo).reshape(b_count, -1)
        tied_1[:, cols] += (le - lt).reshape(b_count, -1)
    wq = w_e[:, queries]
    pool_before_w = (np.cumsum(w_e * seq.is_pool, axis=1) - w_e * seq.is_pool)[:, queries]
    pool_before_1 = (np.cumsum(seq.is_pool) - seq.is_pool)[queries]
    on_sample = np.stack([(wq * below_w).sum(1), (wq * tied_w).sum(1),
                          (wq * pool_before_w).sum(1)])
    on_original = np.stack([below_1.sum(1), tied_1.sum(1),
                            np.full(b_count, float(pool_before_1.sum()))])
    return on_sample, on_original


def _c_from_counts(counts):
    """C from (correct, tied, pairs) rows; NaN where there is no usable pair."""
    import numpy as np

    correct, tied, pairs = counts
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, (correct + tied / 2) / pairs, np.nan)


# ======================================================================================
# Checked inputs, shared by validate_c_index, calibrate and smoothed_calibration
# ======================================================================================

ENGINES = ("fast", "lifelines")
#: What to do with columns of ``data`` that are neither outcome nor covariate.
OTHER_COLUMNS = ("refuse", "ignore")
#: rms::calibrate gives up on a (re)sample with fewer deaths than this (coxfit, distance).
MIN_EVENTS = 5
#: Bootstrap resamples: fewer than 10 estimate nothing; more than 100,000 is a typo.
RESAMPLES_RANGE = (10, 100_000)
#: Risk groups of :func:`calibrate`: at least 2 to compare; rms's usual 3–5, and more than 10
#: groups of a clinical cohort's size hold too few patients each for a Kaplan–Meier estimate.
RISK_GROUPS_RANGE = (2, 10)


@dataclass(frozen=True)
class _Inputs:
    """The checked data: outcome and covariate matrix, with the covariates' names."""

    frame: object  # DataFrame: covariate columns, then duration and event (for lifelines)
    durations: object
    events: object
    covariates: tuple
    x: object
    duration_col: str
    event_col: str
    resamples: int
    seed: int
    engine: str


def _check_inputs(data, duration_col, event_col, covariates, other_columns, resamples, seed,
                  engine, *, what) -> _Inputs:
    """Every check ``validate_c_index``, ``calibrate`` and ``smoothed_calibration`` share."""
    import numpy as np
    import pandas as pd

    if isinstance(data, str | bytes) or hasattr(data, "__fspath__"):
        raise ValueError(f"{what} needs the data as a pandas DataFrame, not a file name "
                         f"({data!r}): read it first, e.g. pandas.read_csv(path).")
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{what} needs the data as a pandas DataFrame with named columns, "
                         f"not a {type(data).__name__}.")
    if resamples is not None:
        b = _validate.number(resamples, name="The number of bootstrap resamples",
                             low=RESAMPLES_RANGE[0], high=RESAMPLES_RANGE[1])
        if b != int(b):
            raise ValueError(f"The number of resamples must be a whole number (got {b:g}).")
        resamples = int(b)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"The seed must be a whole number such as 2024, not {seed!r}.")
    if engine not in ENGINES:
        raise ValueError(f"The engine must be one of {', '.join(ENGINES)} (got {engine!r}).")
    if other_columns not in OTHER_COLUMNS:
        raise ValueError(f"other_columns must be one of {', '.join(map(repr, OTHER_COLUMNS))}"
                         f" (got {other_columns!r}).")
    for col, role in ((duration_col, "duration"), (event_col, "event")):
        if not isinstance(col, str) or col not in data.columns:
            raise ValueError(f"The {role} column {col!r} is not in the data; its columns are "
                             f"{[str(c) for c in data.columns]}.")
    t = _outcome_column(data[duration_col], f"The duration column {duration_col!r}")
    if (t < 0).any():
        raise ValueError(f"The duration column {duration_col!r} has negative times "
                         f"(smallest {t.min():g}): a follow-up time is at least 0.")
    e = _outcome_column(data[event_col], f"The event column {event_col!r}")
    values = set(np.unique(e).tolist())
    if not values <= {0.0, 1.0}:
        hint = (" R's survival package codes 1 = censored and 2 = died: subtract 1."
                if values <= {1.0, 2.0} else "")
        raise ValueError(
            f"The event column {event_col!r} must be coded 0 (censored) or 1 (died); it "
            f"holds {sorted(values)[:6]}.{hint}")
    if e.sum() == 0:
        raise ValueError(f"There are no deaths in the event column {event_col!r} (every "
                         "patient is censored): a survival model has nothing to predict.")
    names, x = _covariate_matrix(data, covariates, duration_col, event_col, other_columns)
    _check_not_collinear(names, x)
    frame = pd.DataFrame(x, columns=list(names))
    frame[duration_col], frame[event_col] = t, e.astype(int)
    return _Inputs(frame=frame, durations=t, events=e.astype(int), covariates=tuple(names),
                   x=x, duration_col=duration_col, event_col=event_col, resamples=resamples,
                   seed=int(seed), engine=engine)


def _resamples_given(resamples) -> None:
    """``None`` is how smoothed_calibration says "no bootstrap"; from a reader it is a slip."""
    if resamples is None:
        raise ValueError("The number of bootstrap resamples is missing: give a whole number "
                         f"from {RESAMPLES_RANGE[0]} to {RESAMPLES_RANGE[1]} (200 by default).")


def _outcome_column(column, name):
    import numpy as np
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        if pd.api.types.is_bool_dtype(column):
            return column.to_numpy(float)
        raise ValueError(f"{name} must hold numbers, not {column.dtype} values such as "
                         f"{column.iloc[0]!r}.")
    values = column.to_numpy(float)
    if np.isnan(values).any():
        raise ValueError(f"{name} has {int(np.isnan(values).sum())} missing value(s): drop "
                         "or complete those patients first.")
    if np.isinf(values).any():
        raise ValueError(f"{name} has infinite values.")
    return values


def _covariate_matrix(data, covariates, duration_col, event_col, other_columns):
    """(names, matrix) from a list of columns, a fitted CoxPHFitter or a formula."""
    import numpy as np
    import pandas as pd

    outcome = {duration_col, event_col}
    if covariates is None:
        raise ValueError("Name the model's covariates: covariates=[column, ...], a fitted "
                         "lifelines CoxPHFitter, or a formula such as 'age + C(grade)'. "
                         "Every other column is refused, so an ID column cannot slip in.")
    formula = None
    if type(covariates).__name__ == "CoxPHFitter":
        if not hasattr(covariates, "params_"):
            raise ValueError("The CoxPHFitter given as covariates has not been fitted.")
        formula = getattr(covariates, "formula", None)
        if not formula:
            covariates = [str(c) for c in covariates.params_.index]
    elif isinstance(covariates, str):
        formula = covariates
    if formula is not None:
        from formulaic import Formula

        try:
            parsed = Formula(formula)
            used = set(parsed.required_variables)
            missing = sorted(used - set(map(str, data.columns)))
            if missing:
                raise ValueError(f"The formula {formula!r} names {missing}, which are not "
                                 "columns of the data.")
            matrix = parsed.get_model_matrix(data, na_action="raise")
        except ValueError:
            raise
        except Exception as err:
            raise ValueError(f"The formula {formula!r} cannot be read ({type(err).__name__})."
                             " Write it as 'size_cm + C(grade)'.") from None
        matrix = matrix.drop(columns=[c for c in matrix.columns if c == "Intercept"])
        names = [str(c) for c in matrix.columns]
        x = matrix.to_numpy(float)
    else:
        if isinstance(covariates, str) or not hasattr(covariates, "__iter__"):
            raise ValueError("covariates must be a list of column names, a fitted lifelines "
                             f"CoxPHFitter or a formula string, not {covariates!r}.")
        names = [str(c) if not isinstance(c, str) else c for c in covariates]
        if not names:
            raise ValueError("covariates is empty: a Cox model needs at least one covariate.")
        if len(set(names)) != len(names):
            raise ValueError(f"covariates lists a column twice: {names}.")
        absent = [c for c in names if c not in data.columns]
        if absent:
            raise ValueError(f"The covariate(s) {absent} are not columns of the data; its "
                             f"columns are {[str(c) for c in data.columns]}.")
        clash = [c for c in names if c in outcome]
        if clash:
            raise ValueError(f"{clash} is the outcome, and cannot also be a covariate.")
        used = set(names)
        for c in names:
            col = data[c]
            if not pd.api.types.is_numeric_dtype(col):
                raise ValueError(f"The covariate {c!r} holds {col.dtype} values such as "
                                 f"{col.iloc[0]!r}: code it as numbers (0/1 dummy columns for "
                                 "a categorical one) or pass a formula such as 'C(" + c + ")'.")
            if col.isna().any():
                raise ValueError(f"The covariate {c!r} has {int(col.isna().sum())} missing "
                                 "value(s): drop or complete those patients first.")
        x = data[names].to_numpy(float)
        if not np.isfinite(x).all():
            raise ValueError("The covariates hold infinite values.")
    others = [str(c) for c in data.columns if c not in used and c not in outcome]
    if others and other_columns == "refuse":
        raise ValueError(
            f"The data hold column(s) {others} that are neither the outcome nor a covariate. "
            "Drop them, or pass other_columns='ignore' if leaving them out is intended (an ID "
            "or date column must never enter the model).")
    return names, x


def _check_not_collinear(names, x):
    import numpy as np

    centred = x - x.mean(0)
    constant = [n for n, sd in zip(names, centred.std(0), strict=True) if sd == 0]
    if constant:
        raise ValueError(f"The covariate(s) {constant} take a single value in these data: "
                         "they carry no information for the model; leave them out.")
    if np.linalg.matrix_rank(centred / centred.std(0)) < len(names):
        raise ValueError(
            f"The covariates {list(names)} are collinear: one is a combination of the others "
            "(e.g. a dummy column for every level of a variable), so the model has no "
            "unique fit. Drop one of them (a reference level).")


def _fit_failures():
    import numpy as np
    from lifelines.exceptions import ConvergenceError

    return (ConvergenceError, Warning, FloatingPointError, np.linalg.LinAlgError, ValueError)


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


def _full_fit(inputs, penalizer=0.0):
    """Coefficients of the model on all the data, or a sentence saying why there are none."""
    from nec import _cox

    if inputs.engine == "fast" and penalizer == 0:
        try:  # without importing lifelines (seconds on a first call), where it is not needed
            return _cox.fit_coefficients(inputs.x, inputs.durations, inputs.events)
        except _cox.Unusual:
            pass  # lifelines decides
    try:
        model = _lifelines_fit(inputs.frame, inputs.duration_col, inputs.event_col, penalizer)
    except _fit_failures():
        deaths = int(inputs.events.sum())
        raise ValueError(
            f"The Cox model cannot be fitted on these data ({len(inputs.durations)} patients, "
            f"{deaths} deaths, {len(inputs.covariates)} covariates): the fit does not "
            "converge. With few deaths per covariate, or a covariate that separates deaths "
            "from survivors, there is nothing stable to validate.") from None
    return model.params_[list(inputs.covariates)].to_numpy(float)


def _refit(inputs, idx, penalizer=0.0, with_log_likelihood=False):
    """Coefficients on a resample (covariates' scale), or None where the fit fails.

    ``with_log_likelihood``: return ``(beta, log L(beta), log L(0))`` on the resample,
    the log-likelihoods None where the fast fit did not give them.
    """
    from nec import _cox

    x, t, e = inputs.x, inputs.durations, inputs.events
    if inputs.engine == "fast" and penalizer == 0:
        try:
            fit = _cox.fit_with_log_likelihood(x[idx], t[idx], e[idx])
            return fit if with_log_likelihood else fit[0]
        except _cox.Diverged:
            return None  # lifelines' own steps fail here: its fit fails too
        except _cox.Unusual:
            pass  # lifelines decides (it usually fails too)
    try:
        model = _lifelines_fit(inputs.frame.iloc[idx].reset_index(drop=True),
                               inputs.duration_col, inputs.event_col, penalizer)
    except _fit_failures():
        return None
    beta = model.params_[list(inputs.covariates)].to_numpy()
    return (beta, None, None) if with_log_likelihood else beta


def _refit_all(inputs, draws, penalizer=0.0):
    """:func:`_refit` (with log-likelihoods) of every resample: the fast engine fits them
    all at once (:func:`nec._cox.fit_resamples`, lifelines' steps on each), and only a
    resample that left the well-behaved path is fitted alone, as before."""
    from nec import _cox

    if inputs.engine != "fast" or penalizer != 0:
        return [_refit(inputs, idx, penalizer, with_log_likelihood=True) for idx in draws]
    design = _cox.ResampleDesign(inputs.x, inputs.durations, inputs.events)
    betas, lls, ll0s, status = _cox.fit_resamples(design, design.weights_of(draws))
    fits = []
    for k, idx in enumerate(draws):
        if status[k] == _cox.FIT_OK:
            fits.append((betas[k], float(lls[k]), float(ll0s[k])))
        elif status[k] == _cox.FIT_DIVERGED:
            fits.append(None)
        else:
            fits.append(_refit(inputs, idx, penalizer, with_log_likelihood=True))
    return fits


def _draws(inputs, n):
    import numpy as np

    rng = np.random.default_rng(inputs.seed)
    # One draw per resample, in order, so every engine sees the same resamples.
    return [rng.integers(0, n, n) for _ in range(inputs.resamples)]


# ======================================================================================
# validate_c_index: Harrell's C, Dxy, R², calibration slope, as rms::validate reports them
# ======================================================================================

@dataclass(frozen=True)
class CIndexValidation:
    """What :func:`validate_c_index` computed.

    For each index (C, Dxy, R², slope): the apparent value (model fitted and scored on all
    data), the optimism (Efron–Gong bootstrap mean of the refitted model's value on its
    resample minus its value on the original data) and the corrected value (apparent −
    optimism), as ``rms::validate`` reports them.

    - ``c``: Harrell's C; ``dxy`` = 2(C − ½), Somers' rank correlation.
    - ``r2``: Nagelkerke's R² as ``rms`` defines it for ``cph``: (1 − exp(−LR/n)) /
      (1 − exp(2·log L₀/n)), LR the likelihood-ratio χ² of the model; on the original data
      a refitted model's LR is that of a Cox fit of the outcome on its linear predictor.
    - ``slope``: the calibration slope — apparent 1 by construction; on the original data,
      the coefficient of a Cox fit of the outcome on the refitted model's linear predictor.
      The corrected slope is the mean of those: a *uniform shrinkage factor*. A value of 0.8
      says the model's log hazard ratios should be multiplied by about 0.8 (shrunk by 20 %;
      put the other way, they are 1/0.8 = 1.25 times too large) to calibrate its
      predictions for new patients.

    Intervals for C: ``percentile_low/high`` is the 2.5–97.5 % range of the refitted
    models' C on their own resamples (it carries the optimism, so it is centred above the
    corrected C); ``fixed_low/high`` is the interval of the *fixed* model — its predictions
    held as fitted, the patients resampled — which is what "C (95 % CI)" of one published
    model means. ``train``/``test`` hold each resample's C (NaN where the fit failed).
    """

    n: int
    events: int
    apparent: float
    optimism: float
    corrected: float
    percentile_low: float
    percentile_high: float
    fixed_low: float
    fixed_high: float
    resamples: int
    failed: int
    seed: int
    dxy: tuple  # (apparent, optimism, corrected)
    r2: tuple
    slope: tuple
    covariates: tuple = ()
    train: tuple = ()
    test: tuple = ()

    def table(self):
        """The indices as rms::validate prints them: index.orig, training, test, optimism,
        index.corrected, n (resamples used)."""
        import pandas as pd

        used = self.resamples - self.failed
        rows = [("Dxy", *self.dxy), ("R2", *self.r2), ("Slope", *self.slope),
                ("C", self.apparent, self.optimism, self.corrected)]
        return pd.DataFrame(
            [{"index": name, "apparent": a, "optimism": o, "corrected": c, "resamples": used}
             for name, a, o, c in rows])

    def summary(self) -> str:
        return "\n".join([
            f"Cox model on {', '.join(self.covariates)}: n = {self.n}, {self.events} events",
            "                 apparent  optimism  corrected",
            f"  Harrell's C      {self.apparent:6.3f}    {self.optimism:6.3f}     "
            f"{self.corrected:6.3f}",
            f"  Somers' Dxy      {self.dxy[0]:6.3f}    {self.dxy[1]:6.3f}     {self.dxy[2]:6.3f}",
            f"  Nagelkerke R²    {self.r2[0]:6.3f}    {self.r2[1]:6.3f}     {self.r2[2]:6.3f}",
            f"  slope            {self.slope[0]:6.3f}    {self.slope[1]:6.3f}     "
            f"{self.slope[2]:6.3f}  (corrected slope = shrinkage factor)",
            f"  95 % interval of C for the fitted model (patients resampled): "
            f"{self.fixed_low:.3f}–{self.fixed_high:.3f}",
            f"  95 % percentile interval of the refitted models' apparent C: "
            f"{self.percentile_low:.3f}–{self.percentile_high:.3f}",
            f"  resamples requested {self.resamples}, fits failed {self.failed} "
            f"(excluded), seed {self.seed}",
        ])

    def __str__(self) -> str:
        return self.summary()


def _r2(ll, ll0, n):
    """rms's R² for cph: Nagelkerke's, from log L of the model and of the null model."""
    import math as m

    return (1 - m.exp(-2 * (ll - ll0) / n)) / (1 - m.exp(2 * ll0 / n))


def validate_c_index(data, *, duration_col, event_col, covariates=None, resamples=200,
                     seed=2024, penalizer=0.0, engine="fast",
                     other_columns="refuse") -> CIndexValidation:
    """Efron–Gong optimism-corrected C, Dxy, R² and calibration slope (``rms::validate``).

    Parameters
    ----------
    data
        A DataFrame with the outcome and the covariates.
    duration_col, event_col
        The follow-up time (≥ 0) and the event indicator (0 censored, 1 died).
    covariates
        The model's covariates, always explicit: a list of numeric columns, a fitted
        lifelines ``CoxPHFitter`` (its covariates, or its formula), or a formula string
        (``"size_cm + C(grade)"``, read by formulaic as lifelines reads it).
    other_columns
        ``"refuse"`` (default): any other column of ``data`` raises ``ValueError`` (an ID
        column must never enter a model silently); ``"ignore"`` leaves them out.
    resamples, seed
        Bootstrap resamples (10–100,000) and the seed of numpy's default generator.
    engine
        ``"fast"`` (default) refits each resample with :mod:`nec._cox` (lifelines' own
        Newton–Raphson on arrays; a resample that leaves the well-behaved path goes to
        lifelines, unless those very steps diverge) and counts the C pairs of all resamples
        at once, as pairs of the original patients weighted by the times drawn;
        ``"lifelines"`` refits with ``CoxPHFitter`` and scores with
        ``lifelines.utils.concordance_index``. Both see the same resamples and give the
        same C values. With a penalizer the fits are lifelines'.

    A resample whose fit fails (or warns) is counted in ``failed`` and left out.
    Returns a :class:`CIndexValidation`; checked against ``rms::validate`` in
    ``tests/reference_r``.
    """
    import numpy as np

    from nec import _cox

    _resamples_given(resamples)
    inputs = _check_inputs(data, duration_col, event_col, covariates, other_columns,
                           resamples, seed, engine, what="validate_c_index")
    t, e, x = inputs.durations, inputs.events, inputs.x
    n = len(t)
    beta_full = _full_fit(inputs, penalizer)
    lp_full = x @ beta_full
    apparent = risk_c_index(t, e, lp_full)
    ll_full = _cox.log_likelihood(x, t, e, beta_full)
    ll0_full = _cox.log_likelihood(x, t, e, np.zeros(x.shape[1]))
    r2_apparent = _r2(ll_full, ll0_full, n)

    if engine == "lifelines":
        from lifelines.utils import concordance_index

        def c_index(durations, events, risk):
            return float(concordance_index(durations, -risk, events))
    else:
        c_index = risk_c_index

    draws = _draws(inputs, n)
    # Pairs of the original patients, counted once for all resamples (the fast engine).
    pairs = _PairCounts(t, e) if engine == "fast" and _PairCounts.fits(t, e) else None
    weights = np.stack([np.bincount(idx, minlength=n) for idx in draws]).astype(float)
    if pairs is not None:
        fixed = _c_from_counts(pairs.fixed_counts(lp_full, weights))
    else:
        fixed = []
        for idx in draws:
            try:
                fixed.append(risk_c_index(t[idx], e[idx], lp_full[idx]))
            except ValueError:  # a resample without a usable pair
                fixed.append(float("nan"))
    fixed = np.asarray(fixed, dtype=float)
    fixed = fixed[~np.isnan(fixed)]
    outcome = _cox.SortedOutcome(t, e)  # the original data, sorted once for the slope fits
    zero = np.zeros(x.shape[1])
    train, test, r2_train, betas = [], [], [], []
    for idx, fit in zip(draws, _refit_all(inputs, draws, penalizer), strict=True):
        if fit is None:
            for store in (train, test, r2_train):
                store.append(float("nan"))
            betas.append(np.full(x.shape[1], np.nan))
            continue
        beta, ll_train, ll0_train = fit
        if ll_train is None:
            # The resample's R² uses its own log L at β and at 0 (rms: fit$loglik).
            ll_train, ll0_train = (_cox.log_likelihood(x[idx], t[idx], e[idx], b)
                                   for b in (beta, zero))
        lp_test = x @ beta
        betas.append(beta)
        if pairs is None:
            train.append(c_index(t[idx], e[idx], x[idx] @ beta))
            test.append(c_index(t, e, lp_test))
        r2_train.append(_r2(ll_train, ll0_train, n))
    betas = np.asarray(betas)
    fitted = ~np.isnan(betas[:, 0])
    slopes, r2_test = np.full(len(draws), np.nan), np.full(len(draws), np.nan)
    if fitted.any():
        # The calibration slopes: Cox fits of the original outcome on each refitted model's
        # linear predictor, all on one sorted outcome, stepping together.
        slope, ll_s, ll0_s = _cox.fit_slopes(betas[fitted] @ x.T, outcome)
        slopes[fitted] = slope
        with np.errstate(invalid="ignore"):
            r2_test[fitted] = [_r2(a, b, n) for a, b in zip(ll_s, ll0_s, strict=True)]
    if pairs is not None:
        train, test = np.full(len(draws), np.nan), np.full(len(draws), np.nan)
        if fitted.any():
            risk = betas[fitted] @ x.T  # each row: x @ beta of one resample's model
            on_sample, on_original = pairs.counts(risk, weights[fitted])
            train[fitted], test[fitted] = _c_from_counts(on_sample), _c_from_counts(on_original)
        train, test = [float(v) for v in train], [float(v) for v in test]
    ok = ~np.isnan(train)
    if not ok.any():
        raise ValueError("Every bootstrap fit failed: the model cannot be validated on these "
                         "data (too few events for the number of predictors?).")

    def corrected(apparent_value, on_train, on_test):
        gap = np.asarray(on_train)[ok] - np.asarray(on_test)[ok]
        optimism = float(np.nanmean(gap))
        return (float(apparent_value), optimism, float(apparent_value) - optimism)

    c = corrected(apparent, train, test)
    dxy = tuple(2 * v for v in c)
    dxy = (2 * apparent - 1, dxy[1], 2 * apparent - 1 - dxy[1])
    low, high = np.percentile(np.asarray(train)[ok], [2.5, 97.5])
    fixed_low, fixed_high = np.percentile(fixed, [2.5, 97.5])
    return CIndexValidation(
        n=n, events=int(e.sum()), apparent=c[0], optimism=c[1], corrected=c[2],
        percentile_low=float(low), percentile_high=float(high), fixed_low=float(fixed_low),
        fixed_high=float(fixed_high), resamples=inputs.resamples, failed=int((~ok).sum()),
        seed=inputs.seed, dxy=dxy, r2=corrected(r2_apparent, r2_train, r2_test),
        slope=corrected(1.0, np.ones(len(slopes)), slopes), covariates=inputs.covariates,
        train=tuple(train), test=tuple(test))


# ======================================================================================
# Survival predictions and Kaplan–Meier, read as rms reads them
# ======================================================================================

@_validate.refuses_bad_arguments
def km_at(durations, events, time) -> float:
    """Kaplan–Meier survival at ``time``: the product of (1 − deaths / at risk) over the
    death times up to ``time`` (a step function; 1 before the first death).

    A ``time`` after the last follow-up time is refused (:func:`km_with_se`), unless every
    patient has died by then (survival has reached 0 and stays 0).

    >>> round(km_at([1, 2, 3, 4], [1, 1, 0, 1], 2.5), 12)  # (1 - 1/4) × (1 - 1/3)
    0.5
    """
    return km_with_se(durations, events, time)[0]


@_validate.refuses_bad_arguments
def km_with_se(durations, events, time) -> tuple[float, float]:
    """Kaplan–Meier survival at ``time`` and Greenwood's standard error of its log.

    The standard error is of log S (√Σ d / (n (n − d)) over the death times up to
    ``time``), the ``std.err`` that ``survival::survfit`` and ``rms::groupkm`` report; a
    95 % interval is S·exp(±1.96·se). Computed in logs as ``lifelines`` computes S. Where
    S has reached 0 the standard error of log S is not defined (NaN).

    ``time`` is in the unit of ``durations``. A time after the last follow-up time is refused
    while some patient was still alive then: nobody was observed so late, so the estimate is
    not defined there (``lifelines`` and ``survfit`` carry the last value forward;
    R's ``summary(survfit(...), times = , extend = FALSE)``, its default, drops such times).
    Once every patient has died, survival is 0 from the last death on, at any later time:
    the rule of ``rms::groupkm`` (missing only after the last follow-up while survival is
    above 0); ``summary.survfit(extend = FALSE)`` drops such a time even then.

    >>> s, se = km_with_se([1, 2, 3, 4], [1, 1, 0, 1], 2.5)
    >>> round(s, 6), round(se, 6)  # √(1/(4·3) + 1/(3·2))
    (0.5, 0.5)
    >>> km_with_se([1, 2, 3, 4], [1, 1, 0, 0], 6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The time 6 is after the last follow-up time in these data (4); the ...
    """
    durations, events = _validate.survival_arrays(durations, events, unit="")
    time = _validate.number(time, name="The time", low=0)
    s, se = _km_with_se_unchecked(durations, events, time)
    last = float(durations.max())
    if time > last and s > 0:
        raise ValueError(f"The time {time:g} is after the last follow-up time in these data "
                         f"({last:g}); the Kaplan–Meier estimate is not defined there.")
    return s, se


def _km_with_se_unchecked(durations, events, time) -> tuple[float, float]:
    """:func:`km_with_se` on arrays already checked, carrying the last value past the end of
    follow-up (``calibrate`` decides itself, per risk group, what to do there, as rms does)."""
    import numpy as np

    t = np.asarray(durations, dtype=float)
    times, index = np.unique(t, return_inverse=True)
    deaths = np.bincount(index, weights=np.asarray(events, dtype=float))
    left = np.bincount(index)
    at_risk = len(t) - np.concatenate([[0], np.cumsum(left)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):  # everyone at risk died: S = 0
        survival = np.exp(np.cumsum(np.log(1.0 - deaths / at_risk)))
        greenwood = np.cumsum(deaths / (at_risk * (at_risk - deaths)))
    last = np.searchsorted(times, time, side="right") - 1
    if last < 0:
        return 1.0, 0.0
    if survival[last] == 0:
        return 0.0, float("nan")  # log 0: no standard error of log S
    return float(survival[last]), float(np.sqrt(greenwood[last]))


def _km_at_unchecked(durations, events, time) -> float:
    """:func:`km_at` for ``calibrate``: :func:`_km_with_se_unchecked`'s survival."""
    return _km_with_se_unchecked(durations, events, time)[0]


def _km_at_lifelines(durations, events, time) -> float:
    from lifelines import KaplanMeierFitter

    km = KaplanMeierFitter().fit(durations, events)
    return float(km.survival_function_at_times(time).iloc[0])


@_validate.refuses_bad_arguments
def breslow_survival(x_train, t_train, e_train, beta, x_new, time, ties="efron"):
    """Cox-predicted survival at ``time`` for the rows of ``x_new``, as ``rms`` predicts it.

    The baseline cumulative hazard of the training data (:func:`nec._cox.baseline_
    cumulative_hazard`: Breslow's estimator with Efron's correction for tied deaths, or
    ``ties="breslow"`` for lifelines' d / R) at the training covariate means, read as a
    **step function** — its value at the last training time at or before ``time``, as
    ``rms::survest``/``survival::survfit`` read it. lifelines'
    ``predict_survival_function(times=[t])`` instead interpolates linearly between event
    times, which is not the estimator's value between deaths.

    >>> import numpy as np
    >>> x = np.zeros((4, 1)); t = np.array([1., 2., 3., 4.]); e = np.array([1, 1, 0, 1])
    >>> float(breslow_survival(x, t, e, np.zeros(1), x[:1], 2.5)[0]) == float(np.exp(-(1/4 + 1/3)))
    True
    """
    import numpy as np

    from nec import _cox

    t_train, e_train = _validate.survival_arrays(t_train, e_train, unit="",
                                                 time_name="The training follow-up time",
                                                 event_name="The training event column")
    x_train = _matrix(x_train, "The training covariates", rows=len(t_train))
    beta = _matrix(beta, "The coefficients").ravel()
    x_new = _matrix(x_new, "The new patients' covariates", columns=x_train.shape[1])
    if beta.size != x_train.shape[1]:
        raise ValueError(f"Give one coefficient per covariate ({x_train.shape[1]}), not "
                         f"{beta.size}.")
    time = _validate.number(time, name="The time", low=0)
    if ties not in ("efron", "breslow"):
        raise ValueError(f"Unknown ties method {ties!r}: choose 'efron' or 'breslow'.")
    times, cumhaz = _cox.baseline_cumulative_hazard(x_train, t_train, e_train, beta, ties)
    i = np.searchsorted(times, time, side="right") - 1
    baseline = 0.0 if i < 0 else cumhaz[i]
    mean = np.asarray(x_train, dtype=float).mean(0)
    return np.exp(-baseline * np.exp((np.asarray(x_new, dtype=float) - mean) @ beta))


# ======================================================================================
# calibrate: grouped Kaplan–Meier against predicted survival (rms::calibrate, cmethod="KM")
# ======================================================================================

@dataclass(frozen=True)
class Calibration:
    """Observed (Kaplan–Meier) against predicted survival at one time, by risk group.

    ``table`` columns: group, n, events, predicted (mean predicted survival), observed
    (Kaplan–Meier at ``time``), std_err (Greenwood standard error of log KM), optimism
    (bootstrap mean of the gap on the resample minus on the original data), corrected
    (observed − optimism) — rms::calibrate's mean.predicted, KM, std.err, mean.optimism,
    KM.corrected. ``cuts`` are the group boundaries on predicted survival.
    """

    time: float
    table: object
    resamples: int
    failed: int
    cuts: tuple = ()

    def summary(self) -> str:
        lines = [f"Calibration at t = {self.time:g}: patients grouped by predicted survival; "
                 f"observed = Kaplan–Meier within the group; bootstrap-corrected with "
                 f"{self.resamples - self.failed} of {self.resamples} resamples "
                 f"({self.failed} failed fits excluded)"]
        for _, r in self.table.iterrows():
            se = ("KM is 0, no SE" if r["std_err"] != r["std_err"]
                  else f"SE of log {r['std_err']:.2f}")
            lines.append(f"  group {int(r['group'])} (n = {int(r['n'])}): predicted "
                         f"{r['predicted']:.2f}, observed {r['observed']:.2f} ({se}), "
                         f"corrected {r['corrected']:.2f}")
        # rms keeps such a group as a row with KM = NA; say so, rather than lose it silently.
        shown = {int(g) for g in self.table["group"]} if len(self.table) else set()
        absent = [g for g in range(1, len(self.cuts)) if g not in shown]
        if absent:
            lines.append(f"  group{'s' if len(absent) > 1 else ''} "
                         f"{', '.join(str(g) for g in absent)} left out: fewer than 2 patients, "
                         "or follow-up ending before t while some were alive, so no Kaplan–Meier "
                         "estimate (rms::groupkm gives NA)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _group_of(pred, cuts):
    """Group index of each prediction: intervals [c_i, c_{i+1}), the last one closed
    (Hmisc::cut2's convention)."""
    import numpy as np

    return np.clip(np.searchsorted(cuts, pred, side="right") - 1, 0, len(cuts) - 2)


def _grouped(pred, durations, events, time, cuts, km):
    group = _group_of(pred, cuts)
    out = {}
    for g in range(len(cuts) - 1):
        mask = group == g
        if mask.sum() < 2:
            continue  # rms::groupkm: a group of fewer than 2 has no Kaplan–Meier
        s, se = _km_with_se_unchecked(durations[mask], events[mask], time)
        if time > durations[mask].max() and s > 0:
            continue  # follow-up in the group ends before time: KM not defined there (rms)
        if km is not _km_at_unchecked:
            s = km(durations[mask], events[mask], time)
        out[g] = (int(mask.sum()), int(events[mask].sum()), float(pred[mask].mean()), s, se)
    return out


@_validate.refuses_bad_arguments
def rms_cuts(predicted, m):
    """``rms::calibrate``'s cut points for ``m`` patients per group: the quantiles of
    (0, 1, predictions) at 0, 1/g, …, 1 with g = ⌊n / m⌋ (R's default type-7 quantile),
    duplicates dropped.

    >>> rms_cuts([0.2, 0.4, 0.6, 0.8], m=2)
    [0.0, 0.5, 1.0]
    """
    import numpy as np

    p = _matrix(predicted, "The predicted survivals").ravel()
    if p.size == 0 or ((p < 0) | (p > 1)).any():
        raise ValueError("The predicted survivals must be probabilities between 0 and 1, at "
                         "least one.")
    m = _validate.count(m, name="The number of patients per group (m)", low=1)
    g = max(1, len(p) // int(m))
    cuts = np.quantile(np.concatenate([[0.0, 1.0], p]), np.linspace(0, 1, g + 1))
    return [float(c) for c in np.unique(cuts)]


def _check_time(time, durations, what="The calibration time"):
    last = float(durations.max())
    return _validate.number(
        time, name=what, low=0, high=last, low_inclusive=False,
        why=f"Follow-up in these data ends at {last:g}; survival beyond it cannot be "
            "observed, so it cannot be calibrated.")


def calibrate(data, *, duration_col, event_col, time, covariates=None, groups=None, m=None,
              resamples=200, seed=2024, engine="fast", other_columns="refuse"):
    """Calibration at ``time`` in the manner of ``rms::calibrate(cmethod="KM")``.

    Patients are grouped by the model's predicted survival at ``time`` — into ``groups``
    groups of equal size (default 3), or, with ``m``, as ``rms`` groups them for ``m``
    patients per group (:func:`rms_cuts`) — and in each the mean prediction is set
    against the Kaplan–Meier survival (with Greenwood's standard error of its log).
    Bootstrap correction: each resample's model predicts on the resample and on the
    original data, both grouped with the same cuts; the mean difference of the
    observed-minus-predicted gaps is the optimism subtracted from the observed.

    Predictions read the baseline as a step function (:func:`breslow_survival`), as
    ``rms`` does. ``covariates``, ``other_columns``, ``engine``, ``resamples`` and ``seed``
    as in :func:`validate_c_index`, whose checks this shares. As ``rms``, a resample with
    fewer than 5 deaths counts as failed. ``engine="lifelines"`` refits with
    ``CoxPHFitter`` and takes Kaplan–Meier from ``KaplanMeierFitter`` (the same numbers to
    about 1e-12).
    """
    import numpy as np
    import pandas as pd

    _resamples_given(resamples)
    inputs = _check_inputs(data, duration_col, event_col, covariates, other_columns,
                           resamples, seed, engine, what="calibrate")
    durations, events, x = inputs.durations, inputs.events, inputs.x
    n = len(durations)
    t = _check_time(time, durations)
    if groups is not None and m is not None:
        raise ValueError("Give either groups (equal-size groups) or m (patients per group, "
                         "as rms), not both.")
    if m is not None:
        per_group = _validate.number(m, name="Patients per group (m)", low=2, high=n)
        if per_group != int(per_group):
            raise ValueError(f"Patients per group (m) must be a whole number (got {m!r}).")
        k = None
    else:
        k = _validate.number(3 if groups is None else groups, name="The number of risk groups",
                             low=RISK_GROUPS_RANGE[0], high=RISK_GROUPS_RANGE[1])
        if k != int(k):
            raise ValueError(f"The number of risk groups must be a whole number (got {k:g}).")
        k = int(k)
        if n < 2 * k:
            raise ValueError(f"{n} patients cannot make {k} risk groups of at least 2 patients"
                             f" each: use fewer groups (at least {2 * k} patients are needed).")
    if events.sum() < MIN_EVENTS:
        raise ValueError(f"Only {int(events.sum())} deaths: calibration needs at least "
                         f"{MIN_EVENTS} (rms::calibrate's minimum) to say anything.")
    km = _km_at_unchecked if engine == "fast" else _km_at_lifelines
    beta_full = _full_fit(inputs)
    pred_full = breslow_survival(x, durations, events, beta_full, x, t)
    if m is not None:
        cuts = np.asarray(rms_cuts(pred_full, int(per_group)))
    else:
        cuts = np.quantile(pred_full, np.linspace(0, 1, k + 1))
        cuts[0], cuts[-1] = -np.inf, np.inf
    apparent = _grouped(pred_full, durations, events, t, cuts, km)
    if not apparent:
        raise ValueError(f"No risk group has follow-up to t = {t:g}: choose an earlier time.")
    gaps = {g: [] for g in apparent}
    failed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed resample is counted, not shown
        draws = _draws(inputs, n)
        # rms gives up on a resample with fewer than MIN_EVENTS deaths: not fitted at all.
        enough = [idx for idx in draws if events[idx].sum() >= MIN_EVENTS]
        fits = iter(_refit_all(inputs, enough))
        for idx in draws:
            if events[idx].sum() < MIN_EVENTS:
                failed += 1
                continue
            fit = next(fits)
            if fit is None:
                failed += 1
                continue
            beta = fit[0]
            # The resample's rows are rows of the original data: predict once for all.
            predicted = breslow_survival(x[idx], durations[idx], events[idx], beta, x, t)
            on_sample = _grouped(predicted[idx], durations[idx], events[idx], t, cuts, km)
            on_original = _grouped(predicted, durations, events, t, cuts, km)
            for g in gaps:
                if g in on_sample and g in on_original:
                    gap_s = on_sample[g][3] - on_sample[g][2]
                    gap_o = on_original[g][3] - on_original[g][2]
                    gaps[g].append(gap_s - gap_o)
    rows = []
    for g, (size, deaths, predicted, observed, se) in apparent.items():
        optimism = float(np.mean(gaps[g])) if gaps[g] else float("nan")
        rows.append({"group": g + 1, "n": size, "events": deaths, "predicted": predicted,
                     "observed": observed, "std_err": se, "optimism": optimism,
                     "corrected": observed - optimism})
    return Calibration(time=t, table=pd.DataFrame(rows), resamples=inputs.resamples,
                       failed=failed, cuts=tuple(float(c) for c in cuts))


# ======================================================================================
# Smoothed calibration: the complementary log-log spline (Austin, Harrell & van Klaveren)
# ======================================================================================

#: Knots of the restricted cubic spline in the calibration model (Austin et al. use 3).
CALIBRATION_KNOTS = 3

#: Fewest and most knots :func:`rcs_knots` places: a restricted cubic spline needs at least
#: 3 (with 2 it is a straight line), and Hmisc's default quantiles are defined for 3 to 7.
MIN_KNOTS = 3
MAX_KNOTS = 7


@_validate.refuses_bad_arguments
def rcs_knots(x, nk=CALIBRATION_KNOTS) -> list[float]:
    """Default knots of a restricted cubic spline with ``nk`` knots, as ``rms::rcs`` places
    them (``Hmisc::rcspline.eval``): quantiles 0.10, 0.50, 0.90 for 3 knots (outer 0.05
    for 4–6 knots, 0.025 beyond), with its rules for heavily tied ends and, below 100
    values, the outer knots at the 5th smallest and 5th largest value.

    >>> [round(k, 6) for k in rcs_knots(range(1, 101))]
    [10.9, 50.5, 90.1]
    >>> rcs_knots(range(1, 46))  # R: rcspline.eval(1:45, nk = 3, knots.only = TRUE)
    [5.0, 23.0, 41.0]
    """
    import numpy as np

    xx = _matrix(x, "The values", allow_nan=True).ravel()
    if np.isinf(xx).any():
        raise ValueError("The values must be finite numbers (one is infinite).")
    xx = xx[~np.isnan(xx)]
    if len(xx) < 6:
        raise ValueError("A spline needs at least 6 patients to place its knots.")
    nk = _validate.count(nk, name="The number of knots", low=MIN_KNOTS, high=MAX_KNOTS,
                         why="A restricted cubic spline needs at least 3; Hmisc places at "
                             "most 7 by its default quantiles.")
    n = len(xx)
    unique = np.unique(xx)
    if len(unique) - 2 <= nk:
        return [float(k) for k in unique[1:-1]]
    outer = 0.05 if nk > 3 else 0.1
    if nk > 6:
        outer = 0.025
    nke, first, last = nk, [], []
    values, counts = np.unique(xx, return_counts=True)
    share = counts / n
    if share[1:-1].max() < 0.05:
        if share[0] >= 0.05:
            first = [float(xx[xx > xx.min()].min())]
            xx = xx[xx > first[0]]
            nke -= 1
        if share[-1] >= 0.05:
            last = [float(xx[xx < xx.max()].max())]
            xx = xx[xx < last[0]]
            nke -= 1
    if nke == 1:
        knots = [float(np.median(xx))]
    elif len(np.unique(xx)) <= nke:
        knots = [float(v) for v in np.unique(xx)]
    else:
        p = (np.linspace(0.5, 1 - outer, nke) if nke == 2 else
             np.linspace(outer, 1 - outer, nke))
        knots = [float(v) for v in np.quantile(xx, p)]
        if len(set(knots)) < min(nke, 3):
            raise ValueError("The predictions take too few distinct values to place the "
                             "spline's knots.")
        # Below 100 values Hmisc moves the outer knots to the 5th smallest and 5th largest
        # value (quantiles that far out rest on too few points), unless a tied end set them.
        if len(xx) < 100:
            ordered = np.sort(xx)
            if not first:
                knots[0] = float(ordered[4])
            if not last:
                knots[-1] = float(ordered[len(ordered) - 5])
    return sorted(set(first + knots + last))


@_validate.refuses_bad_arguments
def rcs_basis(x, knots):
    """Restricted cubic spline basis (x and the nk − 2 non-linear terms, Harrell's form,
    scaled by (t_k − t_1)^(2/3) as ``rms::rcs``); linear beyond the outer knots."""
    import numpy as np

    x = _matrix(x, "The values").ravel()
    k = _matrix(knots, "The knots").ravel()
    if k.size < 3 or not (np.diff(k) > 0).all():
        raise ValueError(f"The knots must be at least three increasing numbers (got "
                         f"{k.tolist()}).")
    kd = (k[-1] - k[0]) ** (2 / 3)

    def cube(v):
        return np.maximum(v / kd, 0) ** 3

    columns = [x]
    for j in range(len(k) - 2):
        columns.append(cube(x - k[j])
                       + ((k[-2] - k[j]) * cube(x - k[-1])
                          - (k[-1] - k[j]) * cube(x - k[-2])) / (k[-1] - k[-2]))
    return np.column_stack(columns)


@dataclass(frozen=True)
class SmoothedCalibration:
    """What :func:`smoothed_calibration` computed at ``time``.

    ``predicted_risk``/``observed_risk``: per patient, the model's predicted probability of
    death by ``time`` and the calibration model's estimate of the observed one. ``ici``
    (integrated calibration index) is the mean absolute difference, ``e50``/``e90`` its
    median and 90th percentile, ``emax`` its maximum. ``curve`` (DataFrame: predicted,
    observed) is the calibration curve over the 1st–99th percentiles of predicted risk.
    """

    time: float
    knots: tuple
    ici: float
    e50: float
    e90: float
    emax: float
    predicted_risk: tuple
    observed_risk: tuple
    curve: object
    n: int
    events: int

    def summary(self) -> str:
        return (f"Smoothed calibration at t = {self.time:g} (complementary log-log spline, "
                f"{len(self.knots)} knots; n = {self.n}, {self.events} events): "
                f"ICI {self.ici:.3f}, E50 {self.e50:.3f}, E90 {self.e90:.3f}, Emax "
                f"{self.emax:.3f} (absolute differences between predicted and observed risk "
                f"of death by t = {self.time:g}; apparent, not bootstrap-corrected)")

    def __str__(self) -> str:
        return self.summary()


def smoothed_calibration(data, *, duration_col, event_col, time, covariates=None,
                         knots=CALIBRATION_KNOTS, other_columns="refuse",
                         curve_points=100) -> SmoothedCalibration:
    """Smoothed calibration of a Cox model at ``time``: the complementary log-log spline
    method of Austin, Harrell & van Klaveren (Stat Med 2020).

    1. Fit the Cox model; predict each patient's risk of death by ``time``,
       p = 1 − S(time | x), reading the baseline as a step function (:func:`breslow_survival`).
    2. Fit a second Cox model of the same outcome on a restricted cubic spline
       (``knots`` knots, placed as ``rms::rcs`` places them) of cll(p) = log(−log(1 − p)).
    3. The second model's risk by ``time`` for each patient is the *observed* risk; the
       calibration curve plots it against p.

    ICI = mean |observed − predicted|; E50, E90 = its median and 90th percentile; Emax its
    maximum. These are apparent (in-sample) figures. ``covariates`` and ``other_columns``
    as in :func:`validate_c_index` (the same checks). Checked against
    ``survival::coxph(Surv(t, e) ~ rms::rcs(cll, 3))`` in ``tests/reference_r``.
    """
    import numpy as np
    import pandas as pd

    from nec import _cox

    inputs = _check_inputs(data, duration_col, event_col, covariates, other_columns, None, 0,
                           "fast", what="smoothed_calibration")
    t, e, x = inputs.durations, inputs.events, inputs.x
    when = _check_time(time, t, what="The calibration time")
    nk = _validate.number(knots, name="The number of spline knots", low=MIN_KNOTS,
                          high=MAX_KNOTS)
    if nk != int(nk):
        raise ValueError(f"The number of spline knots must be a whole number (got {nk:g}).")
    if e.sum() < MIN_EVENTS:
        raise ValueError(f"Only {int(e.sum())} deaths: calibration needs at least "
                         f"{MIN_EVENTS} to say anything.")
    beta = _full_fit(inputs)
    survival = breslow_survival(x, t, e, beta, x, when)
    if (survival >= 1).all():
        raise ValueError(f"No patient died by t = {when:g}: every predicted survival is 1, so "
                         "there is nothing to calibrate; choose a later time.")
    survival = np.clip(survival, 1e-12, 1 - 1e-12)
    cll = np.log(-np.log(survival))
    knot_list = rcs_knots(cll, int(nk))
    basis = rcs_basis(cll, knot_list)
    try:
        gamma = _cox.fit_coefficients(basis, t, e)
    except _cox.Unusual:
        frame = pd.DataFrame(basis, columns=[f"s{i}" for i in range(basis.shape[1])])
        frame["t"], frame["e"] = t, e
        try:
            gamma = _lifelines_fit(frame, "t", "e").params_.to_numpy(float)
        except _fit_failures():
            raise ValueError("The calibration model (a spline of the predictions) cannot be "
                             "fitted on these data: too few deaths, or predictions that "
                             "barely vary.") from None
    observed = 1 - breslow_survival(basis, t, e, gamma, basis, when)
    predicted = 1 - survival
    gap = np.abs(observed - predicted)
    grid = np.linspace(*np.quantile(predicted, [0.01, 0.99]), int(curve_points))
    grid_cll = np.log(-np.log(np.clip(1 - grid, 1e-12, 1 - 1e-12)))
    curve = pd.DataFrame({
        "predicted": grid,
        "observed": 1 - breslow_survival(basis, t, e, gamma, rcs_basis(grid_cll, knot_list),
                                         when)})
    return SmoothedCalibration(
        time=when, knots=tuple(knot_list), ici=float(gap.mean()), e50=float(np.median(gap)),
        e90=float(np.quantile(gap, 0.9)), emax=float(gap.max()),
        predicted_risk=tuple(predicted), observed_risk=tuple(observed), curve=curve,
        n=len(t), events=int(e.sum()))


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
