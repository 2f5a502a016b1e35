"""nec.validation against rms::validate, rms::calibrate and the cll-spline calibration
computed with survival::coxph and rms::rcs, on GBSG2 and veteran (the same CSV files).

Deterministic quantities (apparent indices, the grouped Kaplan–Meier table, knots, ICI)
must agree to rounding. Bootstrap quantities cannot agree resample by resample (R and
numpy draw different resamples), so each side runs SEEDS seeds and the means must agree
within Monte Carlo error: |mean_nec − mean_R| ≤ 4·√(s²_nec/k + s²_R/k) + FLOOR, with s the
standard deviation over the k seeds. Four standard errors keep a false alarm below 1 in
10,000 per comparison; FLOOR covers R's resample fits, which stop at eps = 1e-4 (rms's
validate and calibrate refit with their defaults) where nec converges fully.
"""

import numpy as np
import pytest

from nec.validation import calibrate, km_with_se, rms_cuts, smoothed_calibration, validate_c_index
from reference_r.datasets import DATASETS
from reference_r.rscript import run_r

SEEDS = 6
B = 100
FLOOR = 0.002
# "To rounding": lifelines stops its Newton steps at 1e-7 where R is told 1e-10, so
# coefficients agree to ~1e-6 and what is computed from them to a few 1e-6.
EXACT = 1e-5
SPLINE_TOL = 5e-5


def within_mc(name, ours, theirs):
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    se = np.sqrt(ours.var(ddof=1) / len(ours) + theirs.var(ddof=1) / len(theirs))
    gap = abs(ours.mean() - theirs.mean())
    assert gap <= 4 * se + FLOOR, (
        f"{name}: nec mean {ours.mean():.4f} (sd {ours.std(ddof=1):.4f} over {len(ours)} "
        f"seeds), R mean {theirs.mean():.4f} (sd {theirs.std(ddof=1):.4f}); gap {gap:.4f} > "
        f"4 × {se:.4f} + {FLOOR}")


R_VALIDATE = r"""
suppressPackageStartupMessages(library(rms))
{read}
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, eps = 1e-10, tol = 1e-12,
         iter.max = 100)
runs <- lapply(1:{seeds}, function(s) {{
  set.seed(s)
  v <- validate(f, B = {B})
  list(orig = as.list(v[, "index.orig"]), optimism = as.list(v[, "optimism"]),
       corrected = as.list(v[, "index.corrected"]), n = v[1, "n"])
}})
lp <- f$linear.predictors
cc <- survival::concordance(Surv(d$time, d$status) ~ lp, reverse = TRUE)
write_json(list(runs = runs, c = cc$concordance, c_se = sqrt(cc$var)), "out.json",
           digits = NA, auto_unbox = TRUE)
"""


@pytest.fixture(scope="module", params=sorted(DATASETS))
def validated(request):
    ds = DATASETS[request.param]()
    r = run_r(R_VALIDATE.format(read=ds.r_read(), seeds=SEEDS, B=B), {"data": ds.raw})
    ours = [validate_c_index(ds.design, duration_col="time", event_col="status",
                             covariates=ds.covariates, resamples=B, seed=s)
            for s in range(1, SEEDS + 1)]
    return ds, ours, r


def test_apparent_indices_equal_rms(validated):
    ds, ours, r = validated
    orig = r["runs"][0]["orig"]
    v = ours[0]
    for name, got in (("Dxy", v.dxy[0]), ("R2", v.r2[0]), ("Slope", v.slope[0])):
        assert got == pytest.approx(orig[name], abs=EXACT), (
            f"{ds.name}: apparent {name}: nec {got:.7f}, rms::validate {orig[name]:.7f}")
    assert v.apparent == pytest.approx(r["c"], abs=EXACT), (
        f"{ds.name}: apparent C: nec {v.apparent:.7f}, survival::concordance {r['c']:.7f}")


@pytest.mark.parametrize("index", ["Dxy", "R2", "Slope"])
def test_optimism_and_corrected_index_agree_within_monte_carlo_error(validated, index):
    ds, ours, r = validated
    attr = {"Dxy": "dxy", "R2": "r2", "Slope": "slope"}[index]
    within_mc(f"{ds.name}: optimism of {index}", [getattr(v, attr)[1] for v in ours],
              [run["optimism"][index] for run in r["runs"]])
    within_mc(f"{ds.name}: corrected {index}", [getattr(v, attr)[2] for v in ours],
              [run["corrected"][index] for run in r["runs"]])


def test_corrected_c_is_half_of_corrected_dxy_plus_half(validated):
    ds, ours, r = validated
    within_mc(f"{ds.name}: corrected C", [v.corrected for v in ours],
              [run["corrected"]["Dxy"] / 2 + 0.5 for run in r["runs"]])


def test_fixed_model_interval_has_survivals_standard_error(validated):
    # survival::concordance's infinitesimal-jackknife SE of C for the fitted model against
    # the width of nec's percentile interval over patients resampled (B = 100 per seed):
    # the same uncertainty, estimated two ways; a 25 % band covers the bootstrap's noise.
    ds, ours, r = validated
    widths = np.mean([(v.fixed_high - v.fixed_low) / (2 * 1.96) for v in ours])
    assert widths == pytest.approx(r["c_se"], rel=0.25), (
        f"{ds.name}: SE of C for the fixed model: nec interval/3.92 = {widths:.4f}, "
        f"survival::concordance {r['c_se']:.4f}")


# --- calibration ---------------------------------------------------------------------------
R_CALIBRATE = r"""
suppressPackageStartupMessages(library(rms))
{read}
u <- {u}
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, time.inc = u, eps = 1e-10,
         tol = 1e-12, iter.max = 100)
runs <- lapply(1:{seeds}, function(s) {{
  set.seed(s)
  cal <- if ({use_m}) calibrate(f, cmethod = "KM", u = u, m = {m}, B = {B})
         else calibrate(f, cmethod = "KM", u = u, cuts = c({cuts}), B = {B})
  list(table = as.data.frame(unclass(cal)[, c("mean.predicted", "KM", "std.err",
                                              "mean.optimism", "KM.corrected", "n")]),
       predicted = attr(cal, "predicted"))
}})
write_json(runs, "out.json", digits = NA)
"""


def r_cuts(pred, cuts):
    """Cut points for R that reproduce nec's groups: each inner cut moved half-way to the
    prediction below it, so float noise between the two sides cannot move a patient."""
    pred = np.sort(np.asarray(pred))
    inner = []
    for c in cuts[1:-1]:
        below = pred[pred < c]
        inner.append((below.max() + c) / 2 if len(below) else c)
    return [0.0, *inner, 1.0]


@pytest.fixture(scope="module", params=[(name, how) for name in sorted(DATASETS)
                                        for how in ("groups", "m")])
def calibrated(request):
    name, how = request.param
    ds = DATASETS[name]()
    u = ds.times[1]
    kw = dict(duration_col="time", event_col="status", covariates=ds.covariates, time=u,
              resamples=B)
    extra = {"groups": 4} if how == "groups" else {"m": len(ds.design) // 3}
    ours = [calibrate(ds.design, seed=s, **kw, **extra) for s in range(1, SEEDS + 1)]
    from nec.validation import _check_inputs, _full_fit, breslow_survival

    inputs = _check_inputs(ds.design, "time", "status", ds.covariates, "refuse", None, 0,
                           "fast", what="test")
    pred = breslow_survival(inputs.x, inputs.durations, inputs.events, _full_fit(inputs),
                            inputs.x, u)
    cuts = r_cuts(pred, ours[0].cuts) if how == "groups" else [0.0, 1.0]
    r = run_r(R_CALIBRATE.format(read=ds.r_read(), u=u, seeds=SEEDS, B=B,
                                 use_m="TRUE" if how == "m" else "FALSE",
                                 m=extra.get("m", 0), cuts=", ".join(repr(float(c)) for c in cuts)),
              {"data": ds.raw})
    return f"{ds.name} ({how})", ours, r, pred


def test_predicted_survival_is_rms_calibrate_prediction(calibrated):
    name, _, r, pred = calibrated
    np.testing.assert_allclose(pred, r[0]["predicted"], rtol=0, atol=EXACT,
                               err_msg=f"{name}: predicted survival at u differs from rms")


def test_grouped_kaplan_meier_table_equals_rms(calibrated):
    name, ours, r, _ = calibrated
    table, theirs = ours[0].table, r[0]["table"]
    assert len(table) == len(theirs), f"{name}: {len(table)} groups in nec, {len(theirs)} in R"
    for i, (row, want) in enumerate(zip(table.to_dict("records"), theirs, strict=True)):
        # (R's "n" column counts the resamples used, not the patients in the group.)
        for ours_col, r_col in (("predicted", "mean.predicted"),
                                ("observed", "KM"), ("std_err", "std.err")):
            assert row[ours_col] == pytest.approx(want[r_col], abs=EXACT), (
                f"{name}: group {i + 1} {ours_col}: nec {row[ours_col]:.7f}, R "
                f"{r_col} {want[r_col]:.7f}")


def test_calibration_optimism_agrees_within_monte_carlo_error(calibrated):
    name, ours, r, _ = calibrated
    for g in range(len(ours[0].table)):
        within_mc(f"{name}: optimism of group {g + 1}",
                  [c.table["optimism"].iloc[g] for c in ours],
                  [run["table"][g]["mean.optimism"] for run in r])


def test_m_cuts_are_rms_cuts():
    ds = DATASETS["veteran"]()
    pred = [float(p) for p in np.linspace(0.05, 0.95, 137) ** 1.3]
    want = run_r(f'p <- c({", ".join(map(repr, pred))}); g <- max(1, floor(length(p) / 40))\n'
                 'write_json(list(c = unique(quantile(c(0, 1, p), seq(0, 1, length = g + 1)))),'
                 ' "out.json", digits = NA)')["c"]
    assert rms_cuts(pred, 40) == pytest.approx(want, abs=1e-12), ds.name


def test_kaplan_meier_standard_error_is_survivals():
    ds = DATASETS["veteran"]()
    t, e = ds.raw["time"].to_numpy(), ds.raw["status"].to_numpy()
    r = run_r('library(survival); d <- read.csv("data.csv")\n'
              's <- summary(survfit(Surv(time, status) ~ 1, data = d), times = c(30, 90, 180))\n'
              'write_json(list(surv = s$surv, se = s$std.err / s$surv), "out.json", digits = NA)',
              {"data": ds.raw})
    for u, s, se in zip((30, 90, 180), r["surv"], r["se"], strict=True):
        got = km_with_se(t, e, u)
        assert got == pytest.approx((s, se), abs=1e-9), (
            f"veteran: KM at {u}: nec (S, se of log S) {got}, survival {s, se}")


# --- smoothed calibration -----------------------------------------------------------------
R_SMOOTH = r"""
suppressPackageStartupMessages({{library(rms); library(survival)}})
{read}
u <- {u}
f <- coxph(fml, data = d, ties = "efron", control = coxph.control(eps = 1e-12, iter.max = 100))
S <- summary(survfit(f, newdata = d), times = u)$surv
cll <- log(-log(as.numeric(S)))
cal <- coxph(Surv(time, status) ~ rcs(cll, 3), data = cbind(d, cll = cll), ties = "efron",
             control = coxph.control(eps = 1e-12, iter.max = 100))
obs <- 1 - as.numeric(summary(survfit(cal, newdata = data.frame(cll = cll)), times = u)$surv)
gap <- abs(obs - (1 - as.numeric(S)))
write_json(list(knots = attr(rcs(cll, 3), "parms"), observed = obs, ici = mean(gap),
                e50 = median(gap), e90 = unname(quantile(gap, 0.9)), emax = max(gap)),
           "out.json", digits = NA)
"""


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_smoothed_calibration_equals_the_cll_spline_in_r(name):
    ds = DATASETS[name]()
    u = ds.times[1]
    ours = smoothed_calibration(ds.design, duration_col="time", event_col="status",
                                covariates=ds.covariates, time=u)
    r = run_r(R_SMOOTH.format(read=ds.r_read(), u=u), {"data": ds.raw})
    assert list(ours.knots) == pytest.approx(r["knots"], abs=EXACT), (
        f"{name}: spline knots nec {ours.knots}, R {r['knots']}")
    # The calibration model is fitted to cll(predictions) that already differ by ~1e-6
    # between the sides (lifelines' 1e-7 stopping rule); the spline fit carries that to
    # ~1e-5 in its predictions, so this comparison allows SPLINE_TOL.
    np.testing.assert_allclose(ours.observed_risk, r["observed"], rtol=0, atol=SPLINE_TOL,
                               err_msg=f"{name}: observed risk by the calibration model")
    for key in ("ici", "e50", "e90", "emax"):
        assert getattr(ours, key) == pytest.approx(r[key][0], abs=SPLINE_TOL), (
            f"{name}: {key.upper()}: nec {getattr(ours, key):.6f}, R {r[key][0]:.6f}")
