"""Is a continuous predictor's effect on the log hazard a straight line? A restricted cubic
spline check, as ``rms::rcs`` and ``anova`` do it.

A Cox model with "tumour size (per cm)" assumes that each extra centimetre multiplies the
hazard by the same factor, from 1 to 2 cm as from 9 to 10 cm. Harrell's check replaces the
single size column by a *restricted cubic spline*: the linear term plus k − 2 cubic terms
that bend the curve between k knots and keep it straight beyond the outer knots. The Wald
test that all the cubic terms are zero is the *test of nonlinearity* that ``anova`` prints
for ``rcs(size, k)`` in an ``rms::cph`` fit; a likelihood-ratio test of the same hypothesis
is given too.

Knots and basis follow ``Hmisc::rcspline.eval`` (the function ``rms::rcs`` calls):

- default knots at Harrell's quantiles (3 knots: 10, 50, 90 %; 4: 5, 35, 65, 95 %; 5: 5,
  27.5, 50, 72.5, 95 %), except that with fewer than 100 patients the outer knots are the
  5th smallest and 5th largest values;
- term j (j = 1 … k − 2) is (x − t_j)₊³ − (x − t_{k−1})₊³ (t_k − t_j)/(t_k − t_{k−1})
  + (x − t_k)₊³ (t_{k−1} − t_j)/(t_k − t_{k−1}), divided by (t_k − t_1)² (``norm = 2``).

A test that does not reject is weak evidence of linearity when events are few: with 36
events a real bend can easily go undetected. Reference: Harrell FE, *Regression Modeling
Strategies*, 2nd ed., Springer 2015, section 2.4.

>>> import numpy as np
>>> rcs_basis(np.array([0.0, 5.0, 10.0]), (1.0, 4.0, 9.0)).round(4).ravel().tolist()
[0.0, 0.975, 6.0]
"""

from __future__ import annotations

from dataclasses import dataclass

from nec import _validate

#: How many knots the default placement takes: the module's quantile rules (Harrell, RMS 2nd
#: ed., section 2.4) are written out for 3, 4 and 5 knots; fewer is no spline, and more
#: bends than a cohort of a rare tumour can support.
N_KNOTS = _validate.Bound("The number of knots", low=3, high=5, whole=True,
                          why="Harrell's default knot placements are for 3, 4 or 5 knots.",
                          source="Harrell, Regression Modeling Strategies, 2nd ed., section 2.4")


@_validate.refuses_bad_arguments
def rcs_knots(values, n_knots: int = 4) -> tuple[float, ...]:
    """Knots where ``rms::rcs(x, n_knots)`` puts them by default (see the module notes).

    >>> rcs_knots(list(range(1, 201)), 3)
    (20.9, 100.5, 180.1)
    """
    import numpy as np

    k = N_KNOTS.check(n_knots)
    x = np.sort(_finite(values, "The predictor"))
    if len(np.unique(x)) < int(k) + 2:
        raise ValueError(f"A spline with {int(k)} knots needs at least {int(k) + 2} distinct "
                         f"values of the predictor; these data have {len(np.unique(x))}.")
    # One implementation of Hmisc's rules (quantiles, tied ends, the small-sample outer
    # knots), shared with the smoothed calibration.
    from nec.validation import rcs_knots as hmisc_knots

    return tuple(float(round(v, 10)) for v in hmisc_knots(x, int(k)))


@_validate.refuses_bad_arguments
def rcs_basis(values, knots):
    """The k − 2 nonlinear columns of a restricted cubic spline (``rms`` scaling), as an
    (n, k − 2) array; the linear column is the predictor itself.

    >>> rcs_basis([2.0], (1.0, 2.0, 3.0)).tolist()
    [[0.25]]
    """
    import numpy as np

    x = _finite(values, "The predictor")
    try:
        t = np.asarray(knots, dtype=float)
    except (TypeError, ValueError):
        t = np.array([])
    if t.ndim != 1 or not np.isfinite(t).all() or len(t) < 3 or not np.all(np.diff(t) > 0):
        raise ValueError("Knots must be at least three increasing numbers, e.g. (2, 4.5, 7) "
                         f"cm (got {knots!r}).")
    k = len(t)
    scale = (t[-1] - t[0]) ** 2

    def cube(d):
        return np.clip(d, 0, None) ** 3

    cols = [(cube(x - t[j]) - cube(x - t[k - 2]) * (t[k - 1] - t[j]) / (t[k - 1] - t[k - 2])
             + cube(x - t[k - 1]) * (t[k - 2] - t[j]) / (t[k - 1] - t[k - 2])) / scale
            for j in range(k - 2)]
    return np.column_stack(cols)


@dataclass(frozen=True)
class NonlinearityTest:
    """What :func:`nonlinearity_test` computed.

    ``coefficients`` are the spline model's: the predictor's linear term first, then its
    nonlinear terms, then the other covariates (as ``rms::cph`` orders them).
    """

    predictor: str
    knots: tuple[float, ...]
    n: int
    events: int
    wald_chi2: float
    df: int
    p_value: float
    lr_chi2: float
    lr_p_value: float
    coefficients: dict
    linear_coefficient: float
    spline_columns: tuple[str, ...]
    variance: object = None  # covariance of the predictor's terms (linear, nonlinear …)

    def summary(self) -> str:
        knots = ", ".join(f"{k:g}" for k in self.knots)
        return "\n".join([
            f"Restricted cubic spline for {self.predictor}: {len(self.knots)} knots at "
            f"{knots}; Cox model, n = {self.n}, {self.events} events",
            f"  Wald test of nonlinearity (as rms anova): chi-square {self.wald_chi2:.2f} on "
            f"{self.df} df, p = {self.p_value:.3f}",
            f"  likelihood-ratio test, spline against linear: chi-square {self.lr_chi2:.2f} on "
            f"{self.df} df, p = {self.lr_p_value:.3f}",
            "  A large p is not proof of linearity: with few events the test has little power.",
        ])

    def __str__(self) -> str:
        return self.summary()

    @_validate.refuses_bad_arguments
    def log_relative_hazard(self, values, reference):
        """The spline's log hazard at ``values`` relative to ``reference``, with pointwise
        95 % limits: a DataFrame with columns value, log_hr, low, high."""
        import numpy as np
        import pandas as pd

        x = _finite(values, "The values")
        ref = [_validate.number(reference, name="The reference value")]
        design = np.column_stack([x, rcs_basis(x, self.knots)])
        design -= np.column_stack([ref, rcs_basis(ref, self.knots)])
        beta = np.array([self.coefficients[c] for c in self.spline_columns])
        est = design @ beta
        se = np.sqrt(np.einsum("ij,jk,ik->i", design, np.asarray(self.variance), design))
        return pd.DataFrame({"value": x, "log_hr": est, "low": est - 1.959964 * se,
                             "high": est + 1.959964 * se})


@_validate.refuses_bad_arguments
def nonlinearity_test(data, *, predictor, covariates=(), duration_col, event_col,
                      n_knots=4, knots=None) -> NonlinearityTest:
    """Fit a Cox model with ``predictor`` as a restricted cubic spline, and test the bend.

    Parameters
    ----------
    data
        A DataFrame with the predictor, the other covariates and the outcome.
    predictor
        The continuous column to check (e.g. ``"size_cm"``).
    covariates
        The other columns of the model, entered linearly (0/1 dummies for categories).
    duration_col, event_col
        Follow-up time and the 0/1 event indicator.
    n_knots, knots
        Knots placed as ``rms::rcs`` places them (3–5), or given explicitly.

    Returns
    -------
    NonlinearityTest
        The Wald and likelihood-ratio tests of the nonlinear terms and the spline fit.

    Examples
    --------
    >>> from nec.cohort import design_matrix, synthetic_luo2024
    >>> x = design_matrix(synthetic_luo2024().data)
    >>> test = nonlinearity_test(x, predictor="size_cm", duration_col="months",
    ...                          event_col="died", n_knots=3,
    ...                          covariates=["resection_no", "treatment_either",
    ...                                      "treatment_neither"])
    >>> test.df
    1
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    for label, column in (("The predictor", predictor), ("The duration column", duration_col),
                          ("The event column", event_col)):
        if not isinstance(column, str):
            raise ValueError(f"{label} must be named as a column name (text), not {column!r}.")
    if isinstance(covariates, str):
        covariates = [covariates]
    elif covariates is None or not hasattr(covariates, "__iter__"):
        raise ValueError(f"The covariates must be a list of column names, not {covariates!r}.")
    covariates = list(covariates)
    _validate.dataframe(data, name="The data")
    needed = [predictor, *covariates, duration_col, event_col]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(f"Column {missing[0]!r} is not in the data; its columns are "
                         f"{list(data.columns)}.")
    if predictor in covariates:
        raise ValueError(f"{predictor!r} is the predictor under test; list only the other "
                         "covariates.")
    frame = data[needed].copy()
    if frame.isna().any().any():
        column = frame.columns[frame.isna().any()][0]
        raise ValueError(f"Column {column!r} has missing values; the test needs complete "
                         "data (drop or impute them first, and say which).")
    _validate.survival_data(frame, duration_col=duration_col, event_col=event_col)
    for column in [predictor, *covariates]:
        _finite(frame[column], f"Column {column!r}")
    x = frame[predictor].to_numpy(float)
    if knots is None:
        knots = rcs_knots(x, n_knots)
    basis = rcs_basis(x, knots)  # checks knots given by the reader
    knots = tuple(float(k) for k in knots)
    if knots[0] < x.min() or knots[-1] > x.max():
        raise ValueError(f"The knots {knots} lie outside the observed {predictor} "
                         f"({x.min():g} to {x.max():g}).")
    names = [predictor + "'" * (j + 1) for j in range(basis.shape[1])]
    columns = (predictor, *names)
    # The linear and cubic columns are nearly collinear, and lifelines' step-size rule then
    # stalls short of the maximum. Fitting on an orthonormal version of the spline block
    # (same column space, so the same likelihood) and mapping back is exact and converges.
    block = np.column_stack([x, basis])
    q, r = np.linalg.qr(block - block.mean(axis=0))
    scale = np.sqrt(len(x))
    z_names = [f"_spline_{j}" for j in range(block.shape[1])]
    spline = pd.concat([pd.DataFrame(q * scale, columns=z_names, index=frame.index),
                        frame[[*covariates, duration_col, event_col]]], axis=1)
    fit_spline = _cox_fit(spline, duration_col, event_col)
    fit_linear = _cox_fit(frame, duration_col, event_col)
    to_beta = np.eye(len(z_names) + len(covariates))
    to_beta[: len(z_names), : len(z_names)] = np.linalg.inv(r / scale)
    order = [*z_names, *covariates]
    beta = to_beta @ fit_spline.params_[order].to_numpy()
    variance = to_beta @ fit_spline.variance_matrix_.loc[order, order].to_numpy() @ to_beta.T
    nl = slice(1, len(z_names))
    b, v = beta[nl], variance[nl, nl]
    wald = float(b @ np.linalg.solve(v, b))
    lr = float(2 * (fit_spline.log_likelihood_ - fit_linear.log_likelihood_))
    df = len(names)
    return NonlinearityTest(
        predictor=predictor, knots=knots, n=len(frame), events=int(frame[event_col].sum()),
        wald_chi2=wald, df=df, p_value=float(stats.chi2.sf(wald, df)),
        lr_chi2=lr, lr_p_value=float(stats.chi2.sf(max(lr, 0.0), df)),
        coefficients=dict(zip([*columns, *covariates], map(float, beta), strict=True)),
        linear_coefficient=float(fit_linear.params_[predictor]),
        spline_columns=columns,
        variance=variance[: len(z_names), : len(z_names)],
    )


def _cox_fit(frame, duration_col, event_col):
    """A lifelines Cox fit (Efron ties, as rms::cph) that raises a sentence, not a warning,
    when it does not converge."""
    import warnings

    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            # Tight tolerances, as the R comparison fits rms::cph with eps = 1e-10.
            return CoxPHFitter().fit(frame, duration_col, event_col,
                                     fit_options={"precision": 1e-10, "r_precision": 1e-12,
                                                  "max_steps": 200})
    except (ConvergenceWarning, ConvergenceError):
        # lifelines' own text names internal spline columns and carries a URL: not for a
        # reader (issue 14), so the sentence says what it means instead.
        raise ValueError("The Cox model did not converge on these data: too few events for "
                         "the spline's terms, or the predictor (or a covariate) separates "
                         "deaths from survivors or follows the follow-up time almost "
                         "exactly.") from None


def _finite(values, name):
    import numpy as np

    if isinstance(values, str | bytes) or values is None:
        raise ValueError(f"{name} must be numbers (e.g. sizes in cm), not {values!r}.")
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (e.g. sizes in cm).") from None
    if x.size == 0:
        raise ValueError(f"{name} has no values.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} has missing or infinite values; remove them first.")
    return x


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
