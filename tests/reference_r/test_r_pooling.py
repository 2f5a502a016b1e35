"""nec.pooling.pooled_response against R's metafor on the same counts.

Both sides read the same (responders, n) counts, written to CSV: metafor computes the logit
and its variance with ``escalc(measure = "PLO")`` (0.5 added to both cells of an arm with
0 or n responders, as nec does) and pools them with ``rma`` with the same tau² estimator
(DerSimonian–Laird, Paule–Mandel with a tightened tolerance). Compared: the pooled logit
and its standard error, the back-transformed estimate and 95 % CI, tau², I² and Q.
Tolerance: 1e-8 relative (1e-10 absolute for quantities that are 0), far below anything the
book prints.
"""

from __future__ import annotations

import pandas as pd
import pytest

from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, responders, select
from nec.pooling import pooled_response
from reference_r.rscript import run_r

R_CODE = """
suppressPackageStartupMessages(library(metafor))
d <- read.csv("counts.csv")
es <- escalc(measure = "PLO", xi = responders, ni = n, data = d)
out <- list()
for (m in c("DL", "PM")) {
  fit <- rma(yi, vi, data = es, method = m, test = "z",
             control = list(tol = 1e-12, maxiter = 1000))
  ci <- predict(fit, transf = transf.ilogit)
  out[[m]] <- list(logit = as.numeric(fit$beta), se = fit$se, tau2 = fit$tau2,
                   i2 = fit$I2 / 100, q = fit$QE, estimate = ci$pred,
                   ci_low = ci$ci.lb, ci_high = ci$ci.ub)
}
write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


def _real_counts() -> pd.DataFrame:
    # The chapter's pool: NEC-only platinum–etoposide first-line arms of data/evidence.csv.
    arms = select(load_evidence(), family=PLATINUM_ETOPOSIDE, nec_only=True, line="first")
    return responders(arms).counts[["responders", "n"]]


CASES = {
    "chapter pool (9 arms)": _real_counts,
    "a zero and an all-responder arm": lambda: pd.DataFrame(
        {"responders": [0, 8, 5, 12], "n": [10, 8, 20, 30]}, index=list("abcd")),
    "homogeneous (tau² truncated at 0)": lambda: pd.DataFrame(
        {"responders": [10, 11, 9], "n": [40, 40, 40]}, index=list("abc")),
    "two randomised arms": lambda: pd.DataFrame(
        {"responders": [42, 14], "n": [77, 33]}, index=["topic", "zhang"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_pooled_response_matches_metafor(case):
    counts = CASES[case]()
    r_out = run_r(R_CODE, {"counts": counts.reset_index(drop=True)})
    for method in ("dl", "pm"):
        ours = pooled_response(counts, method=method)
        theirs = r_out[method.upper()]
        for name, value in (("logit", ours.logit), ("se", ours.se_logit),
                            ("tau2", ours.tau2), ("i2", ours.i2), ("q", ours.q),
                            ("estimate", ours.proportion), ("ci_low", ours.ci_low),
                            ("ci_high", ours.ci_high)):
            assert value == pytest.approx(theirs[name], rel=1e-8, abs=1e-10), (
                f"{case}, {method}: {name} is {value!r} in nec, {theirs[name]!r} in metafor")
