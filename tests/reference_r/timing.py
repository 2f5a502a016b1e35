"""Time nec against R for validate / calibrate at n = 45, 137 and 686 (not a test).

Run from tests/: ``../.venv/bin/python -m reference_r.timing``. Each side is timed around
the call alone (libraries loaded and data read before the clock starts), B = 200 for
validate and B = 100 for calibrate at the middle survival time, with rms grouping by m.
"""

import time

from nec.cohort import design_matrix, synthetic_luo2024
from nec.validation import calibrate, validate_c_index
from reference_r.datasets import gbsg2, veteran
from reference_r.rscript import run_r

R_TIMING = r"""
suppressPackageStartupMessages(library(rms))
d <- read.csv("data.csv")
covs <- setdiff(names(d), c("time", "status"))
fml <- as.formula(paste("Surv(time, status) ~", paste(covs, collapse = " + ")))
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, time.inc = {u}, eps = 1e-10,
         tol = 1e-12, iter.max = 100)
set.seed(1)
tv <- system.time(v <- validate(f, B = 200))[["elapsed"]]
tc <- system.time(cal <- calibrate(f, cmethod = "KM", u = {u}, m = {m}, B = 100))[["elapsed"]]
write_json(list(validate = tv, calibrate = tc, c = v["Dxy", "index.corrected"] / 2 + 0.5),
           "out.json", digits = NA, auto_unbox = TRUE)
"""


def cases():
    luo = design_matrix(synthetic_luo2024().data).rename(columns={"months": "time",
                                                                  "died": "status"})
    yield "synthetic cohort", luo, 12.0
    yield "veteran", veteran().design, 90.0
    yield "GBSG2", gbsg2().design, 1095.0


def main():
    print("data               n   nec validate  R validate  nec calibrate  R calibrate")
    for name, frame, u in cases():
        covs = [c for c in frame.columns if c not in ("time", "status")]
        m = len(frame) // 3
        validate_c_index(frame, duration_col="time", event_col="status", covariates=covs,
                         resamples=10)  # warm-up: imports
        t0 = time.perf_counter()
        validate_c_index(frame, duration_col="time", event_col="status", covariates=covs,
                         resamples=200, seed=1)
        tv = time.perf_counter() - t0
        t0 = time.perf_counter()
        calibrate(frame, duration_col="time", event_col="status", covariates=covs, time=u,
                  m=m, resamples=100, seed=1)
        tc = time.perf_counter() - t0
        r = run_r(R_TIMING.format(u=u, m=m), {"data": frame})
        print(f"{name:16s} {len(frame):4d}   {tv:9.2f} s  {r['validate']:8.2f} s  "
              f"{tc:11.2f} s  {r['calibrate']:9.2f} s")


if __name__ == "__main__":
    main()
