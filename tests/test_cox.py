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


@pytest.mark.parametrize("seed", range(3))
def test_all_resamples_at_once_land_where_lifelines_lands_on_each(seed):
    # Whole-month times and repeated patients: tied deaths of every kind, as resamples have.
    from nec._cox import FIT_ALONE, FIT_DIVERGED, FIT_OK, ResampleDesign, fit_resamples

    rng = np.random.default_rng(seed)
    n = 60
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)]).astype(float)
    t = np.ceil(rng.exponential(8 / np.exp(x @ [0.6, -0.5])))
    e = (rng.random(n) < 0.75).astype(int)
    draws = [rng.integers(0, n, n) for _ in range(12)]
    design = ResampleDesign(x, t, e)
    betas, lls, ll0s, status = fit_resamples(design, design.weights_of(draws))
    for k, idx in enumerate(draws):
        frame = pd.DataFrame(x[idx], columns=["x0", "x1"])
        frame["t"], frame["e"] = t[idx], e[idx]
        if status[k] == FIT_OK:
            model = CoxPHFitter().fit(frame, "t", "e")
            np.testing.assert_allclose(betas[k], model.params_.to_numpy(), rtol=0, atol=1e-9)
            assert lls[k] == pytest.approx(model.log_likelihood_, abs=1e-9)
            assert ll0s[k] == pytest.approx(model.log_likelihood_ratio_test().test_statistic
                                            / -2 + model.log_likelihood_, abs=1e-8)
        else:
            assert status[k] in (FIT_ALONE, FIT_DIVERGED)
    assert (status == FIT_OK).sum() >= 10


def test_a_resample_lifelines_cannot_fit_is_not_fitted_in_the_batch():
    from nec._cox import FIT_OK, ResampleDesign, fit_resamples

    # The second resample draws only x = 1 patients for one column: no variance left.
    x = np.column_stack([np.arange(8.0), [0, 0, 0, 0, 1, 1, 1, 1]])
    t = np.arange(1.0, 9.0)
    e = np.array([1, 0, 1, 1, 0, 1, 1, 1])
    draws = [np.array([0, 1, 2, 3, 4, 5, 6, 7]), np.array([4, 5, 6, 7, 4, 5, 6, 7])]
    design = ResampleDesign(x, t, e)
    _, _, _, status = fit_resamples(design, design.weights_of(draws))
    assert status[1] != FIT_OK


def test_fractional_weights_are_refused():
    # Multiplicities only: a fractional weight would need coxph(weights=)'s Efron correction.
    from nec._cox import ResampleDesign, fit_resamples

    x = np.array([[0.0], [1.0], [0.5], [2.0]])
    design = ResampleDesign(x, np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 1, 0, 1]))
    w = design.weights_of([np.array([0, 1, 2, 3])]).astype(float)
    w[0, 0] = 0.5
    with pytest.raises(ValueError, match="whole numbers"):
        fit_resamples(design, w)
