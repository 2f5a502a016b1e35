"""Time nec against R's rms for validate / calibrate at n = 45, 137 and 686 (not a test).

Run from tests/: ``../.venv/bin/python -m reference_r.timing``; ``benchmarks/run.py`` uses
the same functions. Each side is timed around the call alone (libraries loaded and data
read before the clock starts), B = 200 for validate and B = 100 for calibrate at the
middle survival time, with rms grouping by m. Both sides repeat each call and report the
median (the machine may be shared); nec's *first* call — in a fresh Python process, after
``import nec.validation`` and before any other call, so it pays for what the call imports —
is timed separately, as the first call is what a reader of the book waits for.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

VALIDATE_RESAMPLES = 200
CALIBRATE_RESAMPLES = 100

R_TIMING = r"""
suppressPackageStartupMessages(library(rms))
d <- read.csv("data.csv")
covs <- setdiff(names(d), c("time", "status"))
fml <- as.formula(paste("Surv(time, status) ~", paste(covs, collapse = " + ")))
f <- cph(fml, data = d, x = TRUE, y = TRUE, surv = TRUE, time.inc = {u}, eps = 1e-10,
         tol = 1e-12, iter.max = 100)
tv <- tc <- numeric({repeats})
for (r in seq_len({repeats})) {{
  set.seed(r)
  tv[r] <- system.time(v <- validate(f, B = {bv}))[["elapsed"]]
  tc[r] <- system.time(cal <- calibrate(f, cmethod = "KM", u = {u}, m = {m},
                                        B = {bc}))[["elapsed"]]
}}
write_json(list(validate = tv, calibrate = tc, c = v["Dxy", "index.corrected"] / 2 + 0.5),
           "out.json", digits = NA, auto_unbox = FALSE)
"""

# nec's first call, in a fresh process: prints the two times as JSON.
FIRST_CALL = r"""
import json, sys, time
import pandas as pd
import nec.validation as v
frame = pd.read_csv(sys.argv[1]); u = float(sys.argv[2]); m = int(sys.argv[3])
covs = [c for c in frame.columns if c not in ("time", "status")]
t0 = time.perf_counter()
v.validate_c_index(frame, duration_col="time", event_col="status", covariates=covs,
                   resamples={bv}, seed=1)
tv = time.perf_counter() - t0
t0 = time.perf_counter()
v.calibrate(frame, duration_col="time", event_col="status", covariates=covs, time=u, m=m,
            resamples={bc}, seed=1)
print(json.dumps({{"validate": tv, "calibrate": time.perf_counter() - t0}}))
"""


def cases():
    """(name, design frame with columns time, status and covariates, calibration time)."""
    from nec.cohort import design_matrix, synthetic_luo2024
    from reference_r.datasets import gbsg2, veteran

    luo = design_matrix(synthetic_luo2024().data).rename(columns={"months": "time",
                                                                  "died": "status"})
    yield "synthetic cohort", luo, 12.0
    yield "veteran", veteran().design, 90.0
    larger = design_matrix(synthetic_luo2024(n=300, seed=2024).data).rename(
        columns={"months": "time", "died": "status"})
    yield "synthetic cohort", larger, 12.0
    yield "GBSG2", gbsg2().design, 1095.0


def groups_of(frame) -> int:
    """rms::calibrate's m here: three groups."""
    return len(frame) // 3


def r_times(frame, u, repeats=3):
    """R's seconds for validate and calibrate, each a list of ``repeats`` runs."""
    from reference_r.rscript import run_r

    r = run_r(R_TIMING.format(u=u, m=groups_of(frame), repeats=repeats,
                              bv=VALIDATE_RESAMPLES, bc=CALIBRATE_RESAMPLES),
              {"data": frame}, timeout=1200, fresh=True)
    return list(r["validate"]), list(r["calibrate"])


def nec_times(frame, u, repeats=3):
    """nec's seconds for validate and calibrate (lists of ``repeats`` runs, after one
    first call that is not counted here: see :func:`nec_first_call`)."""
    from nec.validation import calibrate, validate_c_index

    covs = [c for c in frame.columns if c not in ("time", "status")]
    kw = dict(duration_col="time", event_col="status", covariates=covs)
    validate_c_index(frame, resamples=10, **kw)  # warm-up: imports
    tv, tc = [], []
    for r in range(repeats):
        t0 = time.perf_counter()
        validate_c_index(frame, resamples=VALIDATE_RESAMPLES, seed=r + 1, **kw)
        tv.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        calibrate(frame, time=u, m=groups_of(frame), resamples=CALIBRATE_RESAMPLES,
                  seed=r + 1, **kw)
        tc.append(time.perf_counter() - t0)
    return tv, tc


def nec_first_call(frame, u, repeats=3):
    """nec's first validate and first calibrate in fresh processes (lists of seconds)."""
    import tempfile

    root = Path(__file__).resolve().parents[2]
    tv, tc = [], []
    with tempfile.TemporaryDirectory(prefix="nec-first-") as tmp:
        csv = Path(tmp) / "data.csv"
        frame.to_csv(csv, index=False)
        code = FIRST_CALL.format(bv=VALIDATE_RESAMPLES, bc=CALIBRATE_RESAMPLES)
        for _ in range(repeats):
            out = subprocess.run([sys.executable, "-c", code, str(csv), str(u),
                                  str(groups_of(frame))], cwd=root, check=True,
                                 capture_output=True, text=True).stdout
            times = json.loads(out.strip().splitlines()[-1])
            tv.append(times["validate"])
            tc.append(times["calibrate"])
    return tv, tc


def main(repeats=3):
    median = statistics.median
    print(f"medians of {repeats} runs; nec first = first call in a fresh process")
    print("data               n   nec validate (first)  R validate   nec calibrate (first)"
          "  R calibrate")
    for name, frame, u in cases():
        tv, tc = nec_times(frame, u, repeats)
        fv, fc = nec_first_call(frame, u, repeats)
        rv, rc = r_times(frame, u, repeats)
        print(f"{name:16s} {len(frame):4d}   {median(tv):6.2f} s ({median(fv):5.2f} s)"
              f"  {median(rv):7.2f} s   {median(tc):7.2f} s ({median(fc):5.2f} s)"
              f"  {median(rc):8.2f} s")


if __name__ == "__main__":
    main()
