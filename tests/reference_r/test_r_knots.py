"""Spline knots placed as Hmisc::rcspline.eval places them (rms::rcs's default), at every
sample size: below 100 values Hmisc moves the outer knots to the 5th smallest and 5th largest
value, which the smoothed calibration of the 45-patient chapter cohort depends on."""

import numpy as np
import pandas as pd
import pytest

from nec.linearity import rcs_knots as linearity_knots
from nec.validation import rcs_knots
from reference_r.rscript import run_r


def _samples():
    rng = np.random.default_rng(7)
    return {
        "n45": rng.normal(size=45),
        "n99": rng.exponential(size=99),
        "n100": rng.normal(size=100),
        "n300": rng.gamma(2.0, size=300),
    }


@pytest.fixture(scope="module")
def r_knots():
    samples = _samples()
    frame = pd.DataFrame({k: pd.Series(v) for k, v in samples.items()})
    code = (
        "suppressPackageStartupMessages(library(Hmisc))\n"
        "d <- read.csv('x.csv')\n"
        "out <- list()\n"
        "for (name in names(d)) for (nk in 3:5) {\n"
        "  x <- d[[name]]; x <- x[!is.na(x)]\n"
        "  k <- rcspline.eval(x, nk = nk, knots.only = TRUE)\n"
        "  out[[paste0(name, '_', nk)]] <- as.numeric(k)\n"
        "}\n"
        "write_json(out, 'out.json', digits = NA)\n"
    )
    return samples, run_r(code, {"x": frame})


@pytest.mark.parametrize("nk", [3, 4, 5])
@pytest.mark.parametrize("name", ["n45", "n99", "n100", "n300"])
def test_knots_equal_hmisc(r_knots, name, nk):
    samples, r = r_knots
    want = r[f"{name}_{nk}"]
    got = rcs_knots(samples[name], nk)
    assert got == pytest.approx(want, abs=1e-12), f"{name}, {nk} knots: nec {got}, R {want}"
    # The chapter's linearity check uses its own helper: both must place the same knots.
    assert list(linearity_knots(samples[name], nk)) == pytest.approx(want, abs=1e-9)
