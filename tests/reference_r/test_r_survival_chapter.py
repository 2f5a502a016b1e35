"""The survival chapter against R's survival package, on the synthetic cohort written to CSV.

Compared: Kaplan–Meier estimates and medians (survfit), log-rank χ² (survdiff), the trend
test (from survdiff's obs, exp and var), the reverse-KM median follow-up, the Cox
coefficients (coxph, Efron ties, converged tightly), and the proportional-hazards tests.

On the last: R's ``cox.zph`` (survival ≥ 3.0) computes an exact score test per term and a
GLOBAL test, with the Kaplan–Meier transform g = 1 − KM(t−) by default. lifelines'
``proportional_hazard_test`` uses the 1994 approximation (information averaged over deaths,
R's formula before 3.0), no global test, and for ``"km"`` takes KM(t) *after* each death.
So we compare two things: ``nec.survival_stats.cox_zph`` against ``cox.zph`` (same method,
exact agreement expected), and lifelines' statistic against the pre-3.0 formula recomputed
in R from ``residuals(fit, "scaledsch")`` with lifelines' transform (same arithmetic). The
chapter shows both tests so a reader sees they differ on 45 patients.
"""

import math

import numpy as np
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import proportional_hazard_test

from nec.cohort import design_matrix, synthetic_luo2024
from nec.survival_stats import cox_zph, kaplan_meier, logrank, logrank_trend, median_follow_up
from reference_r.rscript import run_r

TERMS = ["size_cm", "resection_no", "treatment_either", "treatment_neither"]
ORDER = ["chemotherapy and targeted", "chemotherapy or targeted", "neither"]  # = R's levels

R_CODE = r"""
library(survival)
d <- read.csv("cohort.csv")
out <- list()
km <- survfit(Surv(months, died) ~ 1, data = d)
out$km_time <- km$time
out$km_surv <- km$surv
for (g in c("resection", "size_group", "treatment")) {
  f <- as.formula(paste("Surv(months, died) ~", g))
  fit <- survfit(f, data = d)
  tab <- summary(fit)$table
  out[[paste0("median_", g)]] <- as.list(setNames(unname(tab[, "median"]),
                                                  sub("^[^=]*=", "", rownames(tab))))
  sd <- survdiff(f, data = d)
  out[[paste0("chisq_", g)]] <- sd$chisq
  out[[paste0("exp_", g)]] <- as.numeric(sd$exp)
}
sd <- survdiff(Surv(months, died) ~ treatment, data = d)
w <- 0:2
u <- sum(w * (sd$obs - sd$exp))
out$trend_u <- u
out$trend_chisq <- u^2 / as.numeric(t(w) %*% sd$var %*% w)
rk <- survfit(Surv(months, 1 - died) ~ 1, data = d)
out$follow_up_median <- unname(summary(rk)$table["median"])
fit <- coxph(Surv(months, died) ~ size_cm + resection_no + treatment_either + treatment_neither,
             data = d, ties = "efron",
             control = coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100))
out$coef <- as.list(coef(fit))
out$se <- as.list(setNames(sqrt(diag(fit$var)), names(coef(fit))))
zph <- cox.zph(fit, transform = "km")
out$zph_chisq <- as.list(zph$table[, "chisq"])
out$zph_identity <- as.list(cox.zph(fit, transform = "identity")$table[, "chisq"])
out$zph_rank <- as.list(cox.zph(fit, transform = "rank")$table[, "chisq"])
# The pre-3.0 approximation (lifelines' formula), with lifelines' km transform 1 - KM(t).
rs <- residuals(fit, type = "scaledsch")
dt <- sort(d$months[d$died == 1])
g <- 1 - summary(km, times = dt, extend = TRUE)$surv
xx <- g - mean(g)
nd <- sum(d$died)
old <- sapply(seq_along(coef(fit)), function(j)
  sum(xx * (rs[, j] - coef(fit)[j]))^2 / (nd * fit$var[j, j] * sum(xx^2)))
out$rs <- unname(rs)
out$rs_time <- as.numeric(rownames(rs))
out$old_chisq <- as.list(setNames(old, names(coef(fit))))
write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


@pytest.fixture(scope="module")
def both():
    patients = synthetic_luo2024().data
    x = design_matrix(patients)
    frame = patients[["months", "died", "resection", "size_group", "treatment"]].join(x[TERMS])
    r = run_r(R_CODE, {"cohort": frame})
    return patients, x, r


def test_kaplan_meier_equals_survfit(both):
    patients, _, r = both
    km = kaplan_meier(patients["months"], patients["died"])
    assert np.allclose(km.times_months, r["km_time"], atol=1e-9)
    assert np.allclose(km.survival, r["km_surv"], atol=1e-12), "KM estimate differs from survfit"


@pytest.mark.parametrize("column", ["resection", "size_group", "treatment"])
def test_medians_and_logrank_equal_survfit_and_survdiff(both, column):
    patients, _, r = both
    for level, r_median in r[f"median_{column}"].items():
        group = patients[patients[column] == level]
        ours = kaplan_meier(group["months"], group["died"]).median_months
        if r_median is None or r_median == "NA":
            assert math.isnan(ours), f"{column}={level}: R says median not reached"
        else:
            assert ours == pytest.approx(r_median, abs=1e-9), f"median of {column}={level}"
    test = logrank(patients["months"], patients["died"], patients[column])
    assert test.chi2 == pytest.approx(r[f"chisq_{column}"], rel=1e-9), f"log-rank χ² {column}"
    assert np.allclose(test.expected, r[f"exp_{column}"], rtol=1e-9)


def test_trend_test_equals_the_survdiff_arithmetic(both):
    patients, _, r = both
    trend = logrank_trend(patients["months"], patients["died"], patients["treatment"],
                          order=ORDER)
    assert trend.statistic == pytest.approx(r["trend_u"], rel=1e-9)
    assert trend.chi2 == pytest.approx(r["trend_chisq"], rel=1e-9), "trend χ² differs"


def test_reverse_km_follow_up_equals_survfit(both):
    patients, _, r = both
    fu = median_follow_up(patients["months"], patients["died"])
    assert fu.median_months == pytest.approx(r["follow_up_median"], abs=1e-9)
    reverse = KaplanMeierFitter().fit(patients["months"], 1 - patients["died"])
    assert reverse.median_survival_time_ == pytest.approx(r["follow_up_median"], abs=1e-9)


def tight_fit(x):
    # lifelines stops at a step of 1e-7 by default; R here converged to 1e-12.
    return CoxPHFitter().fit(x, "months", "died", fit_options={"precision": 1e-12})


def test_cox_coefficients_equal_coxph(both):
    _, x, r = both
    fit = tight_fit(x)
    for term in TERMS:
        assert fit.params_[term] == pytest.approx(r["coef"][term], abs=1e-7), term
        assert fit.standard_errors_[term] == pytest.approx(r["se"][term], rel=1e-4), term


def test_cox_zph_score_test_equals_r(both):
    _, x, r = both
    fit = tight_fit(x)
    ours = cox_zph(x[TERMS], x["months"], x["died"], fit.params_[TERMS], transform="km")
    for term, chi2 in zip(ours.terms, ours.chi2, strict=True):
        assert chi2 == pytest.approx(r["zph_chisq"][term], rel=1e-6), f"cox.zph {term}"
    assert ours.global_chi2 == pytest.approx(r["zph_chisq"]["GLOBAL"], rel=1e-6)
    for transform in ("identity", "rank"):
        other = cox_zph(x[TERMS], x["months"], x["died"], fit.params_[TERMS],
                        transform=transform)
        for term, chi2 in zip(other.terms, other.chi2, strict=True):
            assert chi2 == pytest.approx(r[f"zph_{transform}"][term], rel=1e-6), (transform,
                                                                                  term)
        assert other.global_chi2 == pytest.approx(r[f"zph_{transform}"]["GLOBAL"], rel=1e-6)


def test_lifelines_ph_test_equals_the_pre_3_formula_in_r(both):
    _, x, r = both
    fit = tight_fit(x)
    ph = proportional_hazard_test(fit, x, time_transform="km").summary
    for term in TERMS:
        assert ph.loc[term, "test_statistic"] == pytest.approx(r["old_chisq"][term],
                                                               rel=1e-6), term


def test_scaled_schoenfeld_residuals_are_rs_minus_beta(both):
    # R's residuals(fit, "scaledsch") include β (they estimate β(t)); lifelines' do not: the
    # chapter's plot adds β back. Rows are deaths; tied deaths are matched by sorting each
    # side on (time, residuals).
    _, x, r = both
    fit = tight_fit(x)
    ours = fit.compute_residuals(x, "scaled_schoenfeld")[TERMS]
    mine = np.column_stack([x.loc[ours.index, "months"].to_numpy(), ours.to_numpy()])
    theirs = np.column_stack([r["rs_time"],
                              np.asarray(r["rs"]) - fit.params_[TERMS].to_numpy()])
    mine = mine[np.lexsort(np.round(mine, 6).T[::-1])]
    theirs = theirs[np.lexsort(np.round(theirs, 6).T[::-1])]
    assert np.allclose(mine, theirs, atol=1e-6), "scaled Schoenfeld residuals differ"


def test_immortal_time_analyses_equal_coxph():
    # The chapter's simulation: naive, landmark and start–stop (time-varying) Cox models.
    from nec import immortal_time

    data = immortal_time.simulate(n=400, seed=2024)
    long = immortal_time.episodes(data)
    landmark = immortal_time.landmark_cohort(data, 6)
    r = run_r(
        "library(survival)\n"
        "d <- read.csv('cohort.csv'); e <- read.csv('episodes.csv'); l <- read.csv('lm.csv')\n"
        "ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100)\n"
        "out <- list(\n"
        "  naive = unname(coef(coxph(Surv(months, died) ~ combination, d, control = ctl))),\n"
        "  landmark = unname(coef(coxph(Surv(months, died) ~ combination, l, control = ctl))),\n"
        "  varying = unname(coef(coxph(Surv(start, stop, died) ~ combination, e,\n"
        "                              control = ctl))))\n"
        "write_json(out, 'out.json', digits = NA, auto_unbox = TRUE)\n",
        {"cohort": data.drop(columns="second_agent_months"), "episodes": long, "lm": landmark},
    )
    ours = {"naive": immortal_time.naive_hazard_ratio(data),
            "landmark": immortal_time.landmark_hazard_ratio(data, 6),
            "varying": immortal_time.time_varying_hazard_ratio(data)}
    for name, result in ours.items():
        assert math.log(result.hazard_ratio) == pytest.approx(r[name], abs=1e-7), name
