"""The exercise checkers' standard-library core (nec._survival_core, nec._pooling_core)
against R's survival and metafor, on the very files the checkers read (data/
synthetic_luo2024.csv, data/immortal_time_n400_seed3.csv, data/evidence.csv).

What the survival checkers compute: the reverse Kaplan–Meier median follow-up and the median
survival of the women (survfit), the log-rank χ² of both agents against neither and of the
three groups, the trend test over the resected patients (survdiff's obs, exp and var), and
the immortal-time Cox models (coxph, Efron ties, converged tightly); what the first-line
checker computes: the DerSimonian–Laird pools of the retrospective, randomised and all
first-line platinum–etoposide arms (escalc("PLO") + rma(method = "DL")).
"""

from __future__ import annotations

import pandas as pd
import pytest

from nec import _pooling_core as pooling
from nec import _survival_core as core
from nec.data import DATA_DIR
from nec.evidence import PLATINUM_ETOPOSIDE
from nec.exercises._data_files import cohort_rows, immortal_rows
from reference_r.rscript import run_r

ORDER = ["chemotherapy and targeted", "chemotherapy or targeted", "neither"]

SURVIVAL_R = r"""
library(survival)
d <- read.csv("cohort.csv")
im <- read.csv("immortal.csv")
out <- list()
w <- subset(d, sex == "female")
out$women_follow_up <- unname(summary(survfit(Surv(months, 1 - died) ~ 1, w))$table["median"])
out$women_median <- unname(summary(survfit(Surv(months, died) ~ 1, w))$table["median"])
pair <- subset(d, treatment %in% c("chemotherapy and targeted", "neither"))
sd <- survdiff(Surv(months, died) ~ treatment, pair)
out$pair <- c(sd$chisq, pchisq(sd$chisq, 1, lower.tail = FALSE))
for (who in c("all", "resected")) {
  x <- if (who == "all") d else subset(d, resection == "yes")
  x$treatment <- factor(x$treatment, levels = c("chemotherapy and targeted",
                                                "chemotherapy or targeted", "neither"))
  sd <- survdiff(Surv(months, died) ~ treatment, x)
  s <- 0:2
  u <- sum(s * (sd$obs - sd$exp))
  trend <- u^2 / as.numeric(t(s) %*% sd$var %*% s)
  out[[who]] <- list(chisq = sd$chisq, p = pchisq(sd$chisq, 2, lower.tail = FALSE),
                     u = u, trend = trend, trend_p = pchisq(trend, 1, lower.tail = FALSE))
}
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100)
fit <- function(f, data) { m <- coxph(f, data, ties = "efron", control = ctl)
  c(unname(coef(m)), sqrt(unname(diag(m$var)))) }
alive <- subset(im, months > 6)
landmark <- data.frame(months = alive$months - 6, died = alive$died,
                       combination = as.integer(!is.na(alive$second_agent_months) &
                                                alive$second_agent_months <= 6))
out$naive <- fit(Surv(months, died) ~ combination, im)
out$landmark <- fit(Surv(months, died) ~ combination, landmark)
out$ever <- fit(Surv(months, died) ~ combination, alive)
write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


@pytest.fixture(scope="module")
def r_survival():
    return run_r(SURVIVAL_R, {
        "cohort": pd.read_csv(DATA_DIR / "synthetic_luo2024.csv"),
        "immortal": pd.read_csv(DATA_DIR / "immortal_time_n400_seed3.csv")})


def col(rows, name):
    return [r[name] for r in rows]


def test_the_womens_follow_up_and_median_survival_equal_survfit(r_survival):
    women = [r for r in cohort_rows() if r["sex"] == "female"]
    t, e = col(women, "months"), col(women, "died")
    assert core.median_follow_up(t, e).median_months == pytest.approx(
        r_survival["women_follow_up"], abs=1e-12)
    assert core.median_r(core.kaplan_meier(t, e)) == pytest.approx(r_survival["women_median"],
                                                                   abs=1e-12)


def test_the_pair_logrank_equals_survdiff(r_survival):
    pair = [r for r in cohort_rows() if r["treatment"] in (ORDER[0], ORDER[2])]
    got = core.logrank(col(pair, "months"), col(pair, "died"), col(pair, "treatment"))
    chisq, p = r_survival["pair"]
    assert (got.chi2, got.p, got.df) == (pytest.approx(chisq, rel=1e-10),
                                         pytest.approx(p, rel=1e-9), 1)


@pytest.mark.parametrize("who", ["all", "resected"])
def test_the_three_group_and_trend_tests_equal_survdiff(r_survival, who):
    rows = [r for r in cohort_rows() if who == "all" or r["resection"] == "yes"]
    t, e, g = col(rows, "months"), col(rows, "died"), col(rows, "treatment")
    overall, trend = core.logrank(t, e, g), core.logrank_trend(t, e, g, order=ORDER)
    want = r_survival[who]
    assert overall.chi2 == pytest.approx(want["chisq"], rel=1e-10)
    assert overall.p == pytest.approx(want["p"], rel=1e-9)
    assert trend.statistic == pytest.approx(want["u"], rel=1e-10)
    assert trend.chi2 == pytest.approx(want["trend"], rel=1e-10)
    assert trend.p == pytest.approx(want["trend_p"], rel=1e-9)


def test_the_immortal_time_cox_models_equal_coxph(r_survival):
    rows = immortal_rows()
    alive = [r for r in rows if r["months"] > 6]
    fits = {
        "naive": core.cox_one_covariate(col(rows, "months"), col(rows, "died"),
                                        col(rows, "combination")),
        "landmark": core.cox_one_covariate(
            [r["months"] - 6 for r in alive], col(alive, "died"),
            [int(r["second_agent_months"] <= 6) for r in alive]),
        "ever": core.cox_one_covariate(col(alive, "months"), col(alive, "died"),
                                       col(alive, "combination")),
    }
    for name, fit in fits.items():
        coef, se = r_survival[name]
        assert fit.coefficient == pytest.approx(coef, abs=1e-9), name
        assert fit.se == pytest.approx(se, rel=1e-8), name


METAFOR_R = """
suppressPackageStartupMessages(library(metafor))
out <- list()
for (name in c("retrospective", "randomised", "all")) {
  d <- read.csv(paste0(name, ".csv"))
  es <- escalc(measure = "PLO", xi = responders, ni = n, data = d)
  fit <- rma(yi, vi, data = es, method = "DL", test = "z")
  ci <- predict(fit, transf = transf.ilogit)
  out[[name]] <- list(estimate = ci$pred, ci_low = ci$ci.lb, ci_high = ci$ci.ub,
                      tau2 = fit$tau2, i2 = fit$I2 / 100, q = fit$QE)
}
write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


def test_the_first_line_pools_equal_metafor():
    arms = pooling.select_arms(pooling.evidence_records(), family=PLATINUM_ETOPOSIDE,
                               nec_only=True, line="first")
    counts = {"retrospective": pooling.select_arms(arms, design="retrospective"),
              "randomised": pooling.select_arms(arms, design="randomised"), "all": arms}
    counts = {k: pooling.responder_counts(v)[0] for k, v in counts.items()}
    frames = {k: pd.DataFrame(v, columns=["study_id", "responders", "n"])
              for k, v in counts.items()}
    r = run_r(METAFOR_R, frames)
    for name, used in counts.items():
        ours = pooling.pool_dl(used)
        for field, theirs in (("proportion", "estimate"), ("ci_low", "ci_low"),
                              ("ci_high", "ci_high"), ("tau2", "tau2"), ("i2", "i2"),
                              ("q", "q")):
            assert getattr(ours, field) == pytest.approx(r[name][theirs], rel=1e-8,
                                                         abs=1e-10), (name, field)
    assert round(100 * pooling.pool_dl(counts["retrospective"]).proportion, 1) == 32.0
