"""The audit exercise's table (data/veteran_nomogram.csv, data/veteran_cox.csv) is what R
prints: scripts/veteran_nomogram.R's model is refitted here and every row of both files is
compared with rms's own numbers, rounded as rms prints them (whole points; total points of
each survival label to whole points; the scale to 5 decimals; coefficients and standard
errors to 4 decimals; hazard ratios to 2). A typing slip in either file fails this test."""

from nec.data import records
from reference_r.rscript import run_r

R_CODE = r"""
suppressPackageStartupMessages(library(rms))
d <- survival::veteran[, c("time", "status", "karno", "celltype")]
d$celltype <- factor(d$celltype, levels = c("squamous", "smallcell", "adeno", "large"))
dd <- datadist(d); options(datadist = "dd")
f <- cph(Surv(time, status) ~ karno + celltype, data = d, x = TRUE, y = TRUE, surv = TRUE)
S <- Survival(f)
s90 <- function(lp) S(90, lp); s180 <- function(lp) S(180, lp)
nom <- nomogram(f, fun = list(s90, s180), funlabel = c("s90", "s180"),
                fun.at = c(0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1))
write_json(list(
  karno = list(values = nom$karno$karno, points = nom$karno$points),
  celltype = list(values = as.character(nom$celltype$celltype),
                  points = nom$celltype$points),
  s90 = list(total = nom$s90$x, survival = nom$s90$x.real),
  s180 = list(total = nom$s180$x, survival = nom$s180$x.real),
  sc = attr(nom, "info")$sc, coef = as.list(coef(f)),
  se = as.list(sqrt(diag(vcov(f))))), "out.json", digits = NA, auto_unbox = FALSE)
"""


def test_every_row_of_the_exercise_table_is_what_rms_prints():
    r = run_r(R_CODE)
    want = {}
    for v, p in zip(r["karno"]["values"], r["karno"]["points"], strict=True):
        want[("points", "karno", f"{v:g}")] = round(p)
    for v, p in zip(r["celltype"]["values"], r["celltype"]["points"], strict=True):
        want[("points", "celltype", v)] = round(p)
    for name, axis in (("s90", "survival_90d"), ("s180", "survival_180d")):
        for t, s in zip(r[name]["total"], r[name]["survival"], strict=True):
            want[("total_points", axis, f"{s:g}")] = round(t)
    want[("scale", "points_per_lp_unit", None)] = round(r["sc"][0], 5)
    want[("scale", "lp_units_per_point", None)] = round(1 / r["sc"][0], 8)
    got = {(row["kind"], row["axis"], row["level"]): row["value"]
           for row in records("veteran_nomogram")}
    assert got == want


def test_every_printed_coefficient_is_what_rms_prints():
    import math

    r = run_r(R_CODE)
    names = {"per point": "karno", "smallcell": "celltype=smallcell",
             "adeno": "celltype=adeno", "large": "celltype=large"}
    rows = records("veteran_cox")
    assert sorted(row["level"] for row in rows) == sorted(names)
    for row in rows:
        beta, se = r["coef"][names[row["level"]]][0], r["se"][names[row["level"]]][0]
        assert row["coef"] == round(beta, 4), row
        assert row["se"] == round(se, 4), row
        assert row["hr"] == round(math.exp(beta), 2), row
