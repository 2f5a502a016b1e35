"""nec's Cox fit and nomogram against rms::cph and rms::nomogram on GBSG2 and veteran.

Both sides read the same CSV file. Compared: coefficients (rms fitted with eps = 1e-10,
tol = 1e-12, iter.max = 100: its default eps = 1e-4 stops early), R's pretty() axis values
and the points at every one of them, the points scale, survival at a grid of totals and at
each survival axis' tick positions (rms::Survival reads the baseline as a step function),
and the ticks each axis shows (rms leaves out ticks beyond its linear-predictor axis, which
can end before the largest total; nec draws them up to the largest total).
"""

import numpy as np
import pytest
from lifelines import CoxPHFitter

from nec.nomogram import Nomogram, r_pretty
from reference_r.datasets import DATASETS
from reference_r.rscript import run_r

# Coefficients: both fits converge to ~1e-10 in the log-likelihood; coefficients agree to
# ~1e-6 (lifelines stops when the Newton step is below 1e-7).
COEF_TOL = 1e-5
# Points are 100 / span · partial LP: the coefficient tolerance scaled up.
POINTS_TOL = 1e-3
# Survival at a total: same baseline (Efron-corrected Breslow, a step), same coefficients.
SURV_TOL = 1e-5
# rms::nomogram places survival ticks by linear interpolation over a grid of totals; an
# exact inversion differs from it by up to a few hundredths of a point.
TICK_TOL = 0.05

R_NOMOGRAM = r"""
suppressPackageStartupMessages(library(rms))
{read}
dd <- datadist(d); options(datadist = "dd")
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, eps = 1e-10, tol = 1e-12,
         iter.max = 100)
S <- Survival(f)
times <- c({times})
ticks <- c({ticks})
funs <- lapply(times, function(u) {{ force(u); function(lp) S(u, lp) }})
labs <- paste0("s", seq_along(times))
nom <- nomogram(f, fun = funs, funlabel = labs, fun.at = ticks)
info <- attr(nom, "info")
totals <- seq(0, {max_total}, length.out = 41)
surv <- lapply(times, function(u) as.numeric(S(u, info$Intercept + totals / info$sc)))
tick_x <- lapply(labs, function(l) nom[[l]]$x)
tick_s <- lapply(labs, function(l) nom[[l]]$x.real)
write_json(list(coef = as.list(coef(f)), sc = info$sc, intercept = info$Intercept,
                cont_x = nom[["{cont}"]][["{cont}"]], cont_points = nom[["{cont}"]]$points,
                cat_levels = nom[["{cat}"]][["{cat}"]], cat_points = nom[["{cat}"]]$points,
                totals = totals, surv = surv, tick_x = tick_x, tick_s = tick_s,
                lp_axis_points = range((info$lp.at - info$Intercept) * info$sc)),
           "out.json", digits = NA, auto_unbox = TRUE)
"""


def build(ds):
    fitter = CoxPHFitter().fit(ds.design, "time", "status")
    nomo = Nomogram.from_cox(fitter, ds.design, groups={ds.categorical: ds.dummies},
                             reference_labels={ds.categorical: ds.levels[0]}, times=ds.times,
                             time_unit="days")
    return fitter, nomo


@pytest.fixture(scope="module", params=sorted(DATASETS))
def case(request):
    ds = DATASETS[request.param]()
    fitter, nomo = build(ds)
    code = R_NOMOGRAM.format(read=ds.r_read(), times=", ".join(map(str, ds.times)),
                             ticks=", ".join(map(str, ds.ticks)),
                             max_total=repr(nomo.max_total_points), cont=ds.continuous,
                             cat=ds.categorical)
    return ds, fitter, nomo, run_r(code, {"data": ds.raw})


def test_coefficients_agree_with_rms_cph(case):
    ds, fitter, _, r = case
    for level, column in ds.dummies.items():
        got, want = fitter.params_[column], r["coef"][f"{ds.categorical}={level}"]
        assert got == pytest.approx(want, abs=COEF_TOL), (
            f"{ds.name}: coefficient of {ds.categorical}={level}: nec {got:.8f}, R {want:.8f}")
    got, want = fitter.params_[ds.continuous], r["coef"][ds.continuous]
    assert got == pytest.approx(want, abs=COEF_TOL), (
        f"{ds.name}: coefficient of {ds.continuous}: nec {got:.8f}, R {want:.8f}")


def test_axis_values_are_rs_pretty_range(case):
    ds, _, nomo, r = case
    got = nomo.predictor(ds.continuous).axis_values()
    assert got == pytest.approx(r["cont_x"], abs=1e-9), (
        f"{ds.name}: {ds.continuous} axis values: nec {got}, R {r['cont_x']}")


def test_points_scale_and_points_at_every_axis_value(case):
    ds, _, nomo, r = case
    assert nomo.points_per_lp == pytest.approx(r["sc"], rel=1e-5), (
        f"{ds.name}: points per unit of linear predictor: nec {nomo.points_per_lp:.6f}, "
        f"R {r['sc']:.6f}")
    p = nomo.predictor(ds.continuous)
    for value, want in zip(r["cont_x"], r["cont_points"], strict=True):
        got = (p.partial_lp(value) - p.lp_range[0]) * nomo.points_per_lp
        assert got == pytest.approx(want, abs=POINTS_TOL), (
            f"{ds.name}: points of {ds.continuous} = {value:g}: nec {got:.4f}, R {want:.4f}")
    c = nomo.predictor(ds.categorical)
    assert list(c.levels) == r["cat_levels"], f"{ds.name}: levels {c.levels} vs {r['cat_levels']}"
    for level, want in zip(r["cat_levels"], r["cat_points"], strict=True):
        got = (c.level_lp()[level] - c.lp_range[0]) * nomo.points_per_lp
        assert got == pytest.approx(want, abs=POINTS_TOL), (
            f"{ds.name}: points of {ds.categorical} = {level}: nec {got:.4f}, R {want:.4f}")


def test_lp_at_zero_points_is_rms_intercept(case):
    ds, _, nomo, r = case
    got = nomo.lp_at_zero_points - nomo.lp_centre
    assert got == pytest.approx(r["intercept"], abs=1e-5), (
        f"{ds.name}: centred linear predictor at 0 points: nec {got:.6f}, R {r['intercept']:.6f}")


def test_survival_at_totals_is_rms_survival(case):
    ds, _, nomo, r = case
    for t, want_row in zip(ds.times, r["surv"], strict=True):
        for total, want in zip(r["totals"], want_row, strict=True):
            got = nomo.survival(min(total, nomo.max_total_points), times=[t])[t]
            assert got == pytest.approx(want, abs=SURV_TOL), (
                f"{ds.name}: survival at {t:g} days for {total:.2f} points: nec {got:.6f}, "
                f"R {want:.6f}")


def test_survival_ticks_sit_where_rms_puts_them(case):
    ds, _, nomo, r = case
    for t, xs, ss in zip(ds.times, r["tick_x"], r["tick_s"], strict=True):
        xs, ss = np.atleast_1d(xs), np.atleast_1d(ss)
        ours = {s: nomo._points_for_survival(s, t) for s in ds.ticks}
        shown = sorted(s for s, pts in ours.items()
                       if pts is not None and -1e-9 <= pts <= nomo.max_total_points + 1e-9)
        # rms places ticks only within its linear-predictor axis (pretty values inside the
        # total range), so it may show fewer; nec shows every tick on the total-points axis.
        lo, hi = r["lp_axis_points"]
        within = [s for s in shown if lo - 1e-9 <= ours[s] <= hi + 1e-9]
        assert within == pytest.approx(sorted(ss)), (
            f"{ds.name}: ticks on the {t:g}-day axis within rms's axis ({lo:.1f}–{hi:.1f} "
            f"points): nec {within}, R {sorted(ss)}")
        for s, want in zip(ss, xs, strict=True):
            assert ours[s] == pytest.approx(want, abs=TICK_TOL), (
                f"{ds.name}: {t:g}-day survival {s:g} at {ours[s]:.3f} points in nec, "
                f"{want:.3f} in R")


@pytest.mark.parametrize("low, high, n", [(1.7, 9.4, 10), (10, 99, 10), (3, 120, 10),
                                          (0.013, 0.94, 10), (-2.5, 3.1, 5), (5, 5, 5),
                                          (0, 1e-12, 5), (123.4, 5678.9, 7), (1, 51, 10)])
def test_r_pretty_is_rs_pretty(low, high, n):
    want = run_r(f'write_json(list(p = pretty(c({low!r}, {high!r}), n = {n})), "out.json", '
                 'digits = NA)')["p"]
    got = r_pretty(low, high, n)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15), (
        f"pretty(c({low}, {high}), {n}): nec {got}, R {want}")
