"""Round trips: rms prints a nomogram's points table, a journal rounds it, nec reads it back.

For three public data sets, R's ``rms::cph`` fits a Cox model and ``rms::nomogram`` prints
its table: the points at every tick of every predictor axis and, for each survival axis,
total points against survival. The table is then rounded as journals print it, and
:func:`nec.points_table.from_points_table` recovers the model from the rounded table alone.

- survival::lung (written to CSV by R): a restricted cubic spline in age (4 knots; the
  axis is not straight and is read piecewise), sex, ECOG as a straight axis; survival at
  180 and 365 days as rms prints it (survival labels 0.9 … 0.1, totals rounded to whole
  points).
- survival::veteran (written to CSV by R): Karnofsky score and cell type; the other
  printed form, survival at totals 0, 10, 20, … rounded to two decimals.
- lifelines' GBSG2 (CSV written by Python): tumour size, positive nodes, hormonal therapy,
  grade; survival at 1 and 3 years, and the scale estimated from the survival axes alone.

The bound (derived in :mod:`nec.points_table`): with δ_T the largest error of a printed
points value, δ_S of a printed survival and ε_s of the printed scale,

- a straight axis' coefficient is within 2δ_T / (range · s) + |slope| ε_s / s²;
- a contrast between two levels or two ticks within 2δ_T / s + |ΔP| ε_s / s²;
- log(−log S₀(t)) within mean(fᵢ) + δ_T / s + mean(T) ε_s / s², with fᵢ the largest
  change of log(−log S) when a printed survival moves by δ_S, and S₀(t) within the change
  of exp(−exp(c)) over that interval.

Here δ_T = 0.5 (whole points) + 0.05 for survival axes in rms's form (rms places a
survival tick by interpolating over a grid of totals, off by up to 0.05 points: measured
in test_r_nomogram.py, TICK_TOL) — one δ_T = 0.55 is used for every printed points value,
which only widens the bound for the predictor axes; δ_S = 0.005 (two decimals) for the
veteran table and 0 where the survival values are rms's exact labels; ε_s = 0.0005 (the
scale printed to three decimals). Every recovered number must lie within its bound of
what rms fitted, and the rounded tables, being drawn from one model, must produce no
inconsistency.
"""

import math

import pytest
from lifelines.datasets import load_gbsg2

from nec.points_table import from_points_table
from reference_r.rscript import run_r

#: Whole points, plus rms's own tick interpolation (see the module docstring).
POINTS_ERROR = 0.55
SCALE_ERROR = 0.0005
SURVIVAL_TWO_DECIMALS = 0.005

R_TABLE = r"""
suppressPackageStartupMessages(library(rms))
{prepare}
dd <- datadist(d); options(datadist = "dd")
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, eps = 1e-10, tol = 1e-12,
         iter.max = 100)
S <- Survival(f)
times <- c({times})
funs <- lapply(times, function(u) {{ force(u); function(lp) S(u, lp) }})
labs <- paste0("s", seq_along(times))
nom <- nomogram(f, fun = funs, funlabel = labs, fun.at = c(0.9, 0.8, 0.7, 0.6, 0.5, 0.4,
                                                           0.3, 0.2, 0.1))
info <- attr(nom, "info")
vars <- c({vars})
axes <- lapply(vars, function(v) list(values = as.character(nom[[v]][[v]]),
                                       points = as.numeric(nom[[v]]$points),
                                       xbeta = as.numeric(nom[[v]]$Xbeta)))
names(axes) <- vars
surv_axes <- lapply(labs, function(l) list(total = nom[[l]]$x, survival = nom[[l]]$x.real))
maxtot <- sum(sapply(vars, function(v) max(nom[[v]]$points)))
grid <- seq(0, floor(maxtot / 10) * 10, by = 10)
surv_grid <- lapply(times, function(u) as.numeric(S(u, info$Intercept + grid / info$sc)))
baseline <- sapply(times, function(u) as.numeric(S(u, info$Intercept)))
write_json(list(coef = as.list(coef(f)), sc = info$sc, axes = axes, surv_axes = surv_axes,
                grid = grid, surv_grid = surv_grid, baseline = baseline, times = times),
           "out.json", digits = NA, auto_unbox = FALSE)
"""

CASES = {
    "lung": dict(
        prepare=r'''
l <- survival::lung
l <- l[complete.cases(l[, c("time", "status", "age", "sex", "ph.ecog")]),
       c("time", "status", "age", "sex", "ph.ecog")]
write.csv(l, "lung.csv", row.names = FALSE)
d <- read.csv("lung.csv")
d$sex <- factor(d$sex, levels = 1:2, labels = c("male", "female"))
fml <- Surv(time, status) ~ rcs(age, 4) + sex + ph.ecog
''', times="180, 365", vars='"age", "sex", "ph.ecog"', continuous=("age", "ph.ecog"),
        linear=("ph.ecog",), form="labels", frames=None),
    "veteran": dict(
        prepare=r'''
v <- survival::veteran[, c("time", "status", "karno", "celltype")]
write.csv(v, "veteran.csv", row.names = FALSE)
d <- read.csv("veteran.csv", stringsAsFactors = FALSE)
d$celltype <- factor(d$celltype, levels = c("squamous", "smallcell", "adeno", "large"))
fml <- Surv(time, status) ~ karno + celltype
''', times="30, 90", vars='"karno", "celltype"', continuous=("karno",), linear=("karno",),
        form="grid", frames=None),
    "gbsg2": dict(
        prepare=r'''
d <- read.csv("gbsg2.csv", stringsAsFactors = FALSE)
d$horTh <- factor(d$horTh, levels = c("no", "yes"))
d$tgrade <- factor(d$tgrade, levels = c("I", "II", "III"))
fml <- Surv(time, cens) ~ tsize + pnodes + horTh + tgrade
''', times="365, 1095", vars='"tsize", "pnodes", "horTh", "tgrade"',
        continuous=("tsize", "pnodes"), linear=("tsize", "pnodes"), form="labels",
        frames="gbsg2"),
}


def _gbsg2_frame():
    g = load_gbsg2()
    return g[["time", "cens", "tsize", "pnodes", "horTh", "tgrade"]].astype(
        {"time": float, "cens": int, "tsize": float, "pnodes": float, "horTh": str,
         "tgrade": str})


def printed_table(r, case):
    """The table as a journal prints it: whole points, survival to two decimals."""
    continuous, categorical = {}, {}
    for name, axis in r["axes"].items():
        pts = [round(p) for p in axis["points"]]
        if name in case["continuous"]:
            continuous[name] = [(float(v), p) for v, p in zip(axis["values"], pts, strict=True)]
        else:
            categorical[name] = dict(zip(axis["values"], pts, strict=True))
    outcomes = {}
    for t, sa, sg in zip(r["times"], r["surv_axes"], r["surv_grid"], strict=True):
        if case["form"] == "labels":
            outcomes[t] = [(round(x), s) for x, s in zip(sa["total"], sa["survival"],
                                                          strict=True)]
        else:
            outcomes[t] = [(g, round(s, 2)) for g, s in zip(r["grid"], sg, strict=True)
                           if 0.01 <= round(s, 2) <= 0.99]
    return continuous, categorical, outcomes


@pytest.fixture(scope="module", params=sorted(CASES))
def roundtrip(request):
    case = CASES[request.param]
    frames = {"gbsg2": _gbsg2_frame()} if case["frames"] else None
    code = R_TABLE.format(prepare=case["prepare"], times=case["times"], vars=case["vars"])
    r = run_r(code, frames)
    r["sc"] = r["sc"][0]
    continuous, categorical, outcomes = printed_table(r, case)
    survival_error = SURVIVAL_TWO_DECIMALS if case["form"] == "grid" else 0.0
    model = from_points_table(continuous, categorical, outcomes, scale=round(r["sc"], 3),
                              points_error=POINTS_ERROR, survival_error=survival_error,
                              scale_error=SCALE_ERROR, time_unit="days")
    return request.param, case, r, model


def test_the_rounded_tables_raise_no_inconsistency(roundtrip):
    name, _, _, model = roundtrip
    assert model.inconsistencies == (), f"{name}: {model.inconsistencies}"


def test_straight_axes_give_the_fitted_coefficient_within_the_rounding_bound(roundtrip):
    name, case, r, model = roundtrip
    for var in case["linear"]:
        axis = model.continuous[var]
        assert axis.linear, f"{name}: the {var} axis should read as straight"
        got, bound = axis.pieces[0].coefficient, axis.pieces[0].bound
        want = r["coef"][var][0]
        assert abs(got - want) <= bound, (
            f"{name} {var}: recovered {got:.5f}, rms {want:.5f}, bound {bound:.5f}")


def test_every_tick_contrast_matches_rms_within_the_bound(roundtrip):
    # Levels of a categorical axis, ticks of a spline axis: the partial linear predictor
    # between any two printed ticks, against rms's own Xbeta.
    name, case, r, model = roundtrip
    for var, axis in r["axes"].items():
        xb = axis["xbeta"]
        if var in model.categorical:
            got = [model.categorical[var][v] / model.scale for v in axis["values"]]
        else:
            printed = dict(model.continuous[var].ticks)
            got = [printed[float(v)] / model.scale for v in axis["values"]]
        for i in range(len(xb)):
            for j in range(i):
                want = xb[i] - xb[j]
                diff = got[i] - got[j]
                bound = model.contrast_bound(diff * model.scale)
                assert abs(diff - want) <= bound, (
                    f"{name} {var} {axis['values'][i]} vs {axis['values'][j]}: recovered "
                    f"{diff:.5f}, rms {want:.5f}, bound {bound:.5f}")


def test_a_spline_axis_is_read_piecewise():
    case = CASES["lung"]
    r = run_r(R_TABLE.format(prepare=case["prepare"], times=case["times"], vars=case["vars"]))
    continuous, categorical, outcomes = printed_table(r, case)
    model = from_points_table(continuous, categorical, outcomes, scale=round(r["sc"][0], 3),
                              points_error=POINTS_ERROR, scale_error=SCALE_ERROR)
    assert not model.continuous["age"].linear
    assert any("age axis is not straight" in s for s in model.remarks)


def test_baseline_survival_within_the_rounding_bound(roundtrip):
    name, _, r, model = roundtrip
    got, bounds = model.baseline_survival(), model.baseline_survival_bounds()
    for t, want in zip(r["times"], r["baseline"], strict=True):
        assert abs(got[t] - want) <= bounds[t], (
            f"{name}: S0({t}) recovered {got[t]:.5f}, rms {want:.5f}, bound {bounds[t]:.5f}")
        assert bounds[t] < 0.05, f"{name}: the bound at {t} days is too loose to mean much"


def test_the_scale_estimated_from_the_survival_axes_alone(roundtrip):
    name, case, r, _ = roundtrip
    continuous, categorical, outcomes = printed_table(r, case)
    survival_error = SURVIVAL_TWO_DECIMALS if case["form"] == "grid" else 0.0
    model = from_points_table(continuous, categorical, outcomes, scale=None,
                              points_error=POINTS_ERROR, survival_error=survival_error)
    assert model.scale_source == "estimated from the outcome axes"
    assert abs(model.scale - r["sc"]) <= model.scale_bound, (
        f"{name}: scale from the axes {model.scale:.3f} ± {model.scale_bound:.3f}, rms "
        f"{r['sc']:.3f}")
    assert model.scale_bound < 0.1 * r["sc"]


def test_a_misprinted_scale_is_reported(roundtrip):
    name, case, r, _ = roundtrip
    continuous, categorical, outcomes = printed_table(r, case)
    survival_error = SURVIVAL_TWO_DECIMALS if case["form"] == "grid" else 0.0
    model = from_points_table(continuous, categorical, outcomes, scale=round(r["sc"] * 1.5, 3),
                              points_error=POINTS_ERROR, survival_error=survival_error,
                              scale_error=SCALE_ERROR)
    assert any("printed scale" in s and "disagrees" in s for s in model.inconsistencies), name


def test_the_fitted_hazard_ratio_passes_and_a_wrong_one_is_reported(roundtrip):
    name, case, r, model = roundtrip
    var = case["linear"][0]
    hr = math.exp(r["coef"][var][0])
    # rms's own ratio, printed to two decimals as papers do: consistent.
    ok = from_points_table(*printed_table(r, case), scale=round(r["sc"], 3),
                           points_error=POINTS_ERROR, scale_error=SCALE_ERROR,
                           survival_error=model.survival_error,
                           hazard_ratios=[{"predictor": var, "hr": round(hr, 2)}])
    assert not any("hazard ratio" in s for s in ok.inconsistencies), (name, ok.inconsistencies)
    # Per ten units instead of per unit: a common misreading, and far outside the bound.
    bad = from_points_table(*printed_table(r, case), scale=round(r["sc"], 3),
                            points_error=POINTS_ERROR, scale_error=SCALE_ERROR,
                            survival_error=model.survival_error,
                            hazard_ratios=[{"predictor": var, "hr": round(hr ** 10, 2)}])
    assert any("hazard ratio" in s for s in bad.inconsistencies), name
