"""The nomogram chapter's linearity check against R: rms::rcs + anova (Wald test of the
nonlinear terms), the likelihood-ratio test from two cph fits, the spline coefficients, and
rcspline.eval's default knots, on the synthetic cohort and on lifelines' Rossi data."""

import pytest

from nec.linearity import nonlinearity_test, rcs_knots
from reference_r.rscript import run_r

R_CODE = """
suppressPackageStartupMessages(library(rms))
d <- read.csv("data.csv")
k <- as.numeric(strsplit("{knots}", ",")[[1]])
others <- "{others}"
rhs <- function(term) if (nchar(others)) paste(term, "+", others) else term
fs <- as.formula(paste("Surv({time}, {event}) ~", rhs("rcs({x}, k)")))
fl <- as.formula(paste("Surv({time}, {event}) ~", rhs("{x}")))
spline <- cph(fs, data = d, eps = 1e-10, tol = 1e-12, iter.max = 100)
linear <- cph(fl, data = d, eps = 1e-10, tol = 1e-12, iter.max = 100)
a <- anova(spline)
default <- attr(rcs(d${x}, {nk}), "parms")
write_json(list(wald = a[" Nonlinear", "Chi-Square"], df = a[" Nonlinear", "d.f."],
                p = a[" Nonlinear", "P"],
                lr = unname(spline$stats["Model L.R."] - linear$stats["Model L.R."]),
                coef = unname(coef(spline)), default_knots = default),
           "out.json", digits = NA, auto_unbox = TRUE)
"""


def _synthetic():
    from nec.cohort import design_matrix, synthetic_luo2024

    return (design_matrix(synthetic_luo2024().data).reset_index(drop=True), "size_cm",
            ["resection_no", "treatment_either", "treatment_neither"], "months", "died")


def _rossi():
    from lifelines.datasets import load_rossi

    return load_rossi(), "age", ["fin", "prio", "paro"], "week", "arrest"


@pytest.mark.parametrize("dataset", [_synthetic, _rossi], ids=["synthetic", "rossi"])
@pytest.mark.parametrize("n_knots", [3, 4])
def test_nonlinearity_test_agrees_with_rms(dataset, n_knots):
    data, x, others, time, event = dataset()
    ours = nonlinearity_test(data, predictor=x, covariates=others, duration_col=time,
                             event_col=event, n_knots=n_knots)
    code = (R_CODE.replace("{knots}", ",".join(repr(k) for k in ours.knots))
            .replace("{others}", " + ".join(others)).replace("{time}", time)
            .replace("{event}", event).replace("{x}", x).replace("{nk}", str(n_knots)))
    r = run_r(code, {"data": data[[x, *others, time, event]]})
    assert rcs_knots(data[x], n_knots) == pytest.approx(r["default_knots"], abs=1e-9), \
        "default knots differ from Hmisc::rcspline.eval"
    assert ours.df == r["df"]
    assert ours.wald_chi2 == pytest.approx(r["wald"], rel=1e-4), "Wald chi-square differs"
    assert ours.p_value == pytest.approx(r["p"], rel=1e-3, abs=1e-6), "Wald p differs"
    assert ours.lr_chi2 == pytest.approx(r["lr"], rel=1e-4, abs=1e-6), "LR chi-square differs"
    coef = [ours.coefficients[c] for c in ours.spline_columns] + \
        [ours.coefficients[c] for c in others]
    assert coef == pytest.approx(r["coef"], rel=1e-4, abs=1e-6), "spline coefficients differ"
