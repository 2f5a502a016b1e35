"""The survival chapter against R's survival package, on the synthetic cohort written to CSV.

Compared: Kaplan–Meier estimates, medians and their confidence intervals, numbers at risk
(survfit), log-rank χ² (survdiff), the trend test (from survdiff's obs, exp and var), the
reverse-KM median follow-up, the univariable and multivariable Cox models (coxph, Efron ties,
converged tightly), the proportional-hazards tests, and the immortal-time analyses with the
landmark and start–stop data built in R.

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
  lv <- sub("^[^=]*=", "", rownames(tab))
  out[[paste0("median_", g)]] <- as.list(setNames(unname(tab[, "median"]), lv))
  # Brookmeyer-Crowley intervals of the median: R's default log transform, and log-log.
  out[[paste0("lcl_", g)]] <- as.list(setNames(unname(tab[, "0.95LCL"]), lv))
  out[[paste0("ucl_", g)]] <- as.list(setNames(unname(tab[, "0.95UCL"]), lv))
  ll <- summary(survfit(f, data = d, conf.type = "log-log"))$table
  out[[paste0("lcl_loglog_", g)]] <- as.list(setNames(unname(ll[, "0.95LCL"]), lv))
  out[[paste0("ucl_loglog_", g)]] <- as.list(setNames(unname(ll[, "0.95UCL"]), lv))
  # Numbers at risk under the chapter's ticks (0, 12, ..., 60 months).
  risk <- summary(fit, times = seq(0, 60, 12), extend = TRUE)
  out[[paste0("risk_", g)]] <- split(risk$n.risk, sub("^[^=]*=", "", as.character(risk$strata)))
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
# The chapter's univariable models (Table 2 layout): hazard ratio and 95 % Wald interval.
d$male <- as.integer(d$sex == "male")
uni <- list(male = "male", age = "age_years", size_cm = "size_cm",
            resection_no = "resection_no", treatment = "treatment_either + treatment_neither")
out$uni <- list()
for (u in names(uni)) {
  ci <- summary(coxph(as.formula(paste("Surv(months, died) ~", uni[[u]])), data = d,
                      control = coxph.control(eps = 1e-12, toler.chol = 1e-14)))$conf.int
  for (j in seq_len(nrow(ci))) out$uni[[if (nrow(ci) > 1) rownames(ci)[j] else u]] <-
    unname(ci[j, c(1, 3, 4)])
}
out$se <- as.list(setNames(sqrt(diag(fit$var)), names(coef(fit))))
zph <- cox.zph(fit, transform = "km")
out$zph_x <- unname(zph$x)
out$zph_y <- unname(zph$y)
out$zph_time <- unname(zph$time)
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
    frame = patients[["months", "died", "resection", "size_group", "treatment", "sex",
                      "age_years"]].join(x[TERMS])
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


def _na(value):
    return value is None or value == "NA"


@pytest.mark.parametrize("column", ["resection", "size_group", "treatment"])
@pytest.mark.parametrize("conf_type, suffix", [("log", ""), ("log-log", "_loglog")])
def test_median_confidence_intervals_equal_survfit(both, column, conf_type, suffix):
    patients, _, r = both
    for level in r[f"median_{column}"]:
        group = patients[patients[column] == level]
        lower, upper = kaplan_meier(group["months"], group["died"]).median_ci(
            conf_type=conf_type)
        for ours, theirs, side in ((lower, r[f"lcl{suffix}_{column}"][level], "lower"),
                                   (upper, r[f"ucl{suffix}_{column}"][level], "upper")):
            if _na(theirs):
                assert math.isnan(ours), f"{column}={level} {side}: R gives NA"
            else:
                assert ours == pytest.approx(theirs, abs=1e-9), f"{column}={level} {side}"


@pytest.mark.parametrize("column", ["resection", "size_group", "treatment"])
def test_numbers_at_risk_under_the_ticks_equal_survfit(both, column):
    # The chapter's at-risk row (lifelines) counts follow-up > t; R's n.risk counts ≥ t. They
    # agree here because no follow-up ends exactly on a tick.
    patients, _, r = both
    for level, counts in r[f"risk_{column}"].items():
        group = patients[patients[column] == level]["months"].to_numpy()
        ours = [int((group > t).sum()) for t in range(0, 61, 12)]
        assert ours == [int(c) for c in counts], f"at risk, {column}={level}"


def test_univariable_hazard_ratios_equal_coxph(both):
    # The chapter's univariable table: lifelines with its default settings, as the chapter fits.
    patients, x, r = both
    x_uni = x.assign(male=(patients["sex"] == "male").astype(int), age=patients["age_years"])
    models = [["male"], ["age"], ["size_cm"], ["resection_no"],
              ["treatment_either", "treatment_neither"]]
    for columns in models:
        summary = CoxPHFitter().fit(x_uni[columns + ["months", "died"]], "months",
                                    "died").summary
        for term in columns:
            hr, lo, hi = r["uni"][term]
            row = summary.loc[term]
            assert row["exp(coef)"] == pytest.approx(hr, rel=1e-5), term
            assert row["exp(coef) lower 95%"] == pytest.approx(lo, rel=1e-5), term
            assert row["exp(coef) upper 95%"] == pytest.approx(hi, rel=1e-5), term


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


def test_cox_zph_x_and_y_equal_r(both):
    # What the chapter plots: R's cox.zph(fit)$x (1 − KM(t−) per death) and $y (scaled
    # Schoenfeld residuals with β added), rows matched on (time, residuals) as below.
    _, x, r = both
    fit = tight_fit(x)
    ours = cox_zph(x[TERMS], x["months"], x["died"], fit, transform="km")
    death_months = np.sort(x.loc[x["died"] == 1, "months"].to_numpy())
    mine = np.column_stack([death_months, ours.x, np.asarray(ours.y)])
    theirs = np.column_stack([r["zph_time"], r["zph_x"], np.asarray(r["zph_y"])])
    mine = mine[np.lexsort(np.round(mine, 6).T[::-1])]
    theirs = theirs[np.lexsort(np.round(theirs, 6).T[::-1])]
    assert np.allclose(mine, theirs, atol=1e-6), "cox.zph $x / $y differ"


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
    # R builds the landmark cohort and the start–stop data itself (subset, tmerge) from the
    # simulated patients, so the test checks nec's data construction, not only the fits.
    from nec import immortal_time

    data = immortal_time.simulate(n=400, seed=2024)
    r = run_r(
        "library(survival)\n"
        "d <- read.csv('cohort.csv')\n"
        "ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100)\n"
        "l <- subset(d, months > 6)\n"
        "l$months <- l$months - 6\n"
        "l$combination <- as.integer(!is.na(l$second_agent_months) &\n"
        "                            l$second_agent_months <= 6)\n"
        "d$id <- seq_len(nrow(d))\n"
        "base <- d[, c('id', 'months', 'died')]\n"
        "tv <- tmerge(base, base, id = id, death = event(months, died))\n"
        "tv <- tmerge(tv, d[d$combination == 1, c('id', 'second_agent_months')], id = id,\n"
        "             combination = tdc(second_agent_months))\n"
        "tv$combination[is.na(tv$combination)] <- 0\n"
        "out <- list(\n"
        "  naive = unname(coef(coxph(Surv(months, died) ~ combination, d, control = ctl))),\n"
        "  landmark = unname(coef(coxph(Surv(months, died) ~ combination, l, control = ctl))),\n"
        "  landmark_n = nrow(l), episodes = nrow(tv),\n"
        "  varying = unname(coef(coxph(Surv(tstart, tstop, death) ~ combination, tv,\n"
        "                              control = ctl))))\n"
        "write_json(out, 'out.json', digits = NA, auto_unbox = TRUE)\n",
        {"cohort": data},
    )
    ours = {"naive": immortal_time.naive_hazard_ratio(data),
            "landmark": immortal_time.landmark_hazard_ratio(data, 6),
            "varying": immortal_time.time_varying_hazard_ratio(data)}
    for name, result in ours.items():
        assert math.log(result.hazard_ratio) == pytest.approx(r[name], abs=1e-7), name
    assert ours["landmark"].patients == r["landmark_n"]
    assert len(immortal_time.episodes(data)) == r["episodes"]
