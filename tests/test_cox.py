"""nec._cox: lifelines' Cox Newton-Raphson on arrays lands where lifelines does."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from nec._cox import Unusual, fit_coefficients
from nec.cohort import design_matrix, synthetic_luo2024


def lifelines_params(x, t, e):
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])])
    frame["t"], frame["e"] = t, e
    return CoxPHFitter().fit(frame, "t", "e").params_.to_numpy()


@pytest.mark.parametrize("n", [45, 500])
def test_coefficients_match_lifelines_on_the_synthetic_cohort(n):
    d = design_matrix(synthetic_luo2024(n=n, seed=7).data)
    x = d.drop(columns=["months", "died"]).to_numpy(float)
    t, e = d["months"].to_numpy(float), d["died"].to_numpy(int)
    np.testing.assert_allclose(fit_coefficients(x, t, e), lifelines_params(x, t, e),
                               rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_coefficients_match_lifelines_with_heavy_ties(seed):
    # Whole-month times: many tied deaths, where Efron's correction matters.
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(120, 3))
    t = np.ceil(rng.exponential(6 / np.exp(x @ [0.5, -0.3, 0.0])))
    e = (rng.random(120) < 0.7).astype(int)
    np.testing.assert_allclose(fit_coefficients(x, t, e), lifelines_params(x, t, e),
                               rtol=0, atol=1e-9)


def test_a_constant_column_is_left_to_lifelines():
    x = np.column_stack([np.arange(10.0), np.ones(10)])
    with pytest.raises(Unusual, match="variance"):
        fit_coefficients(x, np.arange(1.0, 11.0), np.ones(10))


def test_complete_separation_is_left_to_lifelines():
    # Every patient with x = 1 dies before every patient with x = 0: no finite maximum.
    x = np.array([[1.0]] * 5 + [[0.0]] * 5)
    t = np.arange(1.0, 11.0)
    with pytest.raises(Unusual):
        fit_coefficients(x, t, np.ones(10))
