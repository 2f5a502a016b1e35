"""Harrell's C and the Efron-Gong optimism bootstrap on small known cases."""

import numpy as np
import pandas as pd
import pytest

from nec.validation import risk_c_index, validate_c_index

X = ["x"]


def test_harrell_c_on_hand_worked_pairs():
    t, e = [1, 2, 3, 4], [1, 1, 1, 1]
    assert risk_c_index(t, e, [4, 3, 2, 1]) == 1.0  # the highest risk dies first
    assert risk_c_index(t, e, [1, 2, 3, 4]) == 0.0
    # one discordant pair of six: (1,2) ordered wrongly
    assert risk_c_index(t, e, [3, 4, 2, 1]) == pytest.approx(5 / 6)
    # censored at 1: no usable pair starts from that patient
    assert risk_c_index([1, 2, 3], [0, 1, 1], [1, 3, 2]) == pytest.approx(1.0)


def simulate(n, beta, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    t = rng.exponential(1 / np.exp(beta * x))
    c = rng.uniform(0, 3, size=n)
    return pd.DataFrame({"x": x, "time": np.minimum(t, c), "event": (t <= c).astype(int)})


def test_noise_shows_more_optimism_than_a_strong_predictor():
    noise = validate_c_index(simulate(60, beta=0.0, seed=3), duration_col="time",
                             event_col="event", covariates=X, resamples=200, seed=1)
    strong = validate_c_index(simulate(300, beta=1.5, seed=4), duration_col="time",
                              event_col="event", covariates=X, resamples=50, seed=2)
    assert noise.optimism > 0.02  # refitted models look better on their own resample
    assert 0 <= strong.optimism < noise.optimism
    assert strong.apparent > 0.7
    assert strong.percentile_low <= strong.apparent <= strong.percentile_high
    assert noise.corrected == pytest.approx(noise.apparent - noise.optimism)


def test_same_seed_same_answer_and_summary_says_what_was_done():
    data = simulate(50, beta=0.8, seed=5)
    a = validate_c_index(data, duration_col="time", event_col="event", covariates=X,
                         resamples=30, seed=9)
    b = validate_c_index(data, duration_col="time", event_col="event", covariates=X,
                         resamples=30, seed=9)
    assert a == b
    text = a.summary()
    assert "resamples requested 30" in text and "fits failed" in text and "n = 50" in text


def test_failed_fits_are_counted_not_hidden():
    # One event among the x = 0 patients: resamples that miss it separate deaths perfectly.
    data = pd.DataFrame({"x": [1] * 8 + [0] * 7,
                         "time": [1, 2, 3, 4, 5, 6, 7, 8] + [2, 9, 9, 9, 9, 9, 9],
                         "event": [1, 1, 1, 1, 1, 1, 0, 0] + [1, 0, 0, 0, 0, 0, 0]})
    v = validate_c_index(data, duration_col="time", event_col="event", covariates=X,
                         resamples=40, seed=0)
    assert 0 < v.failed < 40
    assert f"fits failed {v.failed}" in v.summary()


def test_unfittable_data_give_a_clear_message():
    data = pd.DataFrame({"x": [1] * 6 + [0] * 6, "time": list(range(1, 13)),
                         "event": [1] * 6 + [0] * 6})
    with pytest.raises(ValueError, match="cannot be fitted"):
        validate_c_index(data, duration_col="time", event_col="event", covariates=X,
                         resamples=20)


@pytest.mark.parametrize(
    "kw, words",
    [({"resamples": 5}, "resamples"), ({"resamples": 20.5}, "whole number"),
     ({"duration_col": "months"}, "not in the data")],
)
def test_bad_input(kw, words):
    data = simulate(30, beta=0.5, seed=6)
    args = dict(duration_col="time", event_col="event", covariates=X, resamples=20) | kw
    with pytest.raises(ValueError, match=words):
        validate_c_index(data, **args)


# --- Calibration ------------------------------------------------------------------------------

from nec.validation import calibrate  # noqa: E402


def test_a_correct_model_is_calibrated_at_large_n():
    data = simulate(600, beta=1.0, seed=8)
    cal = calibrate(data, duration_col="time", event_col="event", covariates=X, time=0.5,
                    groups=4, resamples=15, seed=3)
    table = cal.table
    assert list(table["group"]) == [1, 2, 3, 4] and table["n"].sum() == 600
    assert (table["predicted"].diff().dropna() > 0).all()  # groups ordered by prediction
    assert (table["observed"] - table["predicted"]).abs().max() < 0.06
    assert "resamples" in cal.summary()


def test_calibrate_refuses_bad_input():
    data = simulate(60, beta=1.0, seed=9)
    with pytest.raises(ValueError, match="calibration time"):
        calibrate(data, duration_col="time", event_col="event", covariates=X, time=0)
    with pytest.raises(ValueError, match="risk groups"):
        calibrate(data, duration_col="time", event_col="event", covariates=X, time=0.5,
                  groups=1)
    with pytest.raises(ValueError, match="not in the data"):
        calibrate(data, duration_col="months", event_col="event", covariates=X, time=0.5)
    with pytest.raises(ValueError, match="whole number"):
        calibrate(data, duration_col="time", event_col="event", covariates=X, time=0.5,
                  resamples=20.5)


# --- the fast engine gives the plain lifelines loop's numbers --------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from lifelines.utils import concordance_index  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.booleans(), st.integers(0, 4)),
                min_size=2, max_size=40))
def test_harrell_c_counts_pairs_exactly_as_lifelines(rows):
    # Few distinct times and risks: ties in both, the cases a counting shortcut gets wrong.
    t, e, risk = (np.array(col, dtype=float) for col in zip(*rows, strict=True))
    try:
        expected = concordance_index(t, -risk, e)
    except ZeroDivisionError:
        with pytest.raises(ValueError, match="No usable pairs"):
            risk_c_index(t, e, risk)
        return
    assert risk_c_index(t, e, risk) == expected


def test_harrell_c_refuses_mismatched_or_missing_input():
    with pytest.raises(ValueError, match="same length"):
        risk_c_index([1, 2, 3], [1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="missing"):
        risk_c_index([1, 2, np.nan], [1, 1, 1], [0.1, 0.2, 0.3])


LUO = ["size_cm", "resection_no", "treatment_either", "treatment_neither"]


def luo_like(n, seed):
    from nec.cohort import design_matrix, synthetic_luo2024

    return design_matrix(synthetic_luo2024(n=n, seed=seed).data)


@pytest.mark.parametrize("n, seed, resamples", [(45, 1, 20), (300, 5, 10)])
def test_fast_and_plain_engines_give_identical_c_values(n, seed, resamples):
    data = luo_like(n, seed=2024)
    kw = dict(duration_col="months", event_col="died", covariates=LUO, resamples=resamples,
              seed=seed)
    fast = validate_c_index(data, engine="fast", **kw)
    plain = validate_c_index(data, engine="lifelines", **kw)
    assert np.array_equal(fast.train, plain.train, equal_nan=True)
    assert np.array_equal(fast.test, plain.test, equal_nan=True)
    assert (fast.failed, fast.optimism, fast.corrected) == (plain.failed, plain.optimism,
                                                            plain.corrected)
    if n == 45:  # this seed draws one resample lifelines cannot fit: both engines drop it
        assert fast.failed == 1


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        validate_c_index(luo_like(45, 2024), duration_col="months", event_col="died",
                         covariates=LUO, engine="turbo")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=30),
       st.floats(0, 8))
def test_km_at_is_lifelines_kaplan_meier(rows, time):
    from lifelines import KaplanMeierFitter

    from nec.validation import km_at

    t, e = (np.array(col, dtype=float) for col in zip(*rows, strict=True))
    expected = KaplanMeierFitter().fit(t, e).survival_function_at_times(time).iloc[0]
    if time > t.max() and expected > 0:
        # lifelines carries the last value forward; nec refuses, as survfit's extend=FALSE
        # drops such a time (nobody was followed so long)
        with pytest.raises(ValueError, match="after the last follow-up time"):
            km_at(t, e, time)
        return
    assert km_at(t, e, time) == pytest.approx(expected, abs=1e-12)


KM_BEYOND_FOLLOW_UP = [
    # (durations, events, time, sentence fragment or the survival by hand)
    ([1, 2, 3, 4], [1, 1, 0, 0], 6, "The time 6 is after the last follow-up time in these "
                                    "data (4); the Kaplan–Meier estimate is not defined there."),
    ([1, 2, 3, 4], [1, 1, 0, 1], 4.5, 0.0),  # everyone has died by 4: survival stays 0
    ([1, 2, 3, 4], [1, 1, 0, 0], 4, 0.5),    # at the last follow-up time itself: (3/4)(2/3)
    ([5, 5], [0, 0], 5.01, "after the last follow-up time in these data (5)"),
]


@pytest.mark.parametrize("durations, events, time, want", KM_BEYOND_FOLLOW_UP)
def test_km_after_the_last_follow_up_is_refused_unless_everyone_died(durations, events, time,
                                                                     want):
    from nec.validation import km_at, km_with_se

    for function in (km_at, lambda *a: km_with_se(*a)[0]):
        if isinstance(want, str):
            with pytest.raises(ValueError, match="after the last follow-up") as err:
                function(durations, events, time)
            assert want in str(err.value)
        else:
            assert function(durations, events, time) == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("time", [3.0, 12.0, 36.0, 500.0])
def test_breslow_survival_is_lifelines_baseline_read_as_a_step(time):
    from lifelines import CoxPHFitter

    from nec.validation import breslow_survival

    data = luo_like(120, seed=3)
    model = CoxPHFitter().fit(data, "months", "died")
    x = data.drop(columns=["months", "died"]).to_numpy(float)
    cumhaz = model.baseline_cumulative_hazard_.iloc[:, 0]
    h0 = cumhaz[cumhaz.index <= time].iloc[-1]
    expected = np.exp(-h0 * model.predict_partial_hazard(data).to_numpy())
    got = breslow_survival(x, data["months"].to_numpy(float), data["died"].to_numpy(int),
                           model.params_.to_numpy(), x, time, ties="breslow")
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_efron_baseline_differs_from_breslow_only_at_tied_deaths():
    from nec._cox import baseline_cumulative_hazard

    # Two deaths tied at t = 1 among 4 with equal scores: Efron 1/4 + 1/3, Breslow 2/4.
    x = np.zeros((4, 1))
    _, efron = baseline_cumulative_hazard(x, [1, 1, 2, 3], [1, 1, 1, 0], [0.0])
    _, breslow = baseline_cumulative_hazard(x, [1, 1, 2, 3], [1, 1, 1, 0], [0.0],
                                            ties="breslow")
    assert efron[0] == pytest.approx(1 / 4 + 1 / 3) and breslow[0] == pytest.approx(2 / 4)
    assert efron[1] - efron[0] == pytest.approx(1 / 2) == breslow[1] - breslow[0]


def test_fast_and_plain_calibration_agree():
    from nec.validation import calibrate

    data = luo_like(45, seed=2024)
    kw = dict(duration_col="months", event_col="died", covariates=LUO, time=12, groups=3,
              resamples=15, seed=1)
    fast = calibrate(data, engine="fast", **kw)
    plain = calibrate(data, engine="lifelines", **kw)
    assert fast.failed == plain.failed
    np.testing.assert_allclose(fast.table.to_numpy(), plain.table.to_numpy(), rtol=0,
                               atol=1e-12)


# --- the fast engine's shortcuts count what the plain formulas count -----------------------
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 40))
def test_pair_counts_of_a_resample_are_the_merge_counts_of_that_resample(seed, n):
    # Whole-number times and risks: ties of every kind (tied deaths, a death and a censoring
    # at one time, tied risks) and repeated patients, as bootstrap resamples have them.
    from nec.validation import _concordance_counts, _PairCounts

    rng = np.random.default_rng(seed)
    t = rng.integers(1, 6, n).astype(float)
    e = rng.random(n) < 0.6
    risk = rng.integers(0, 4, (3, n)).astype(float)
    draws = [rng.integers(0, n, n) for _ in range(3)]
    weights = np.stack([np.bincount(idx, minlength=n) for idx in draws]).astype(float)
    pairs = _PairCounts(t, e)
    on_sample, on_original = pairs.counts(risk, weights)
    fixed = pairs.fixed_counts(risk[0], weights)
    for k, idx in enumerate(draws):
        assert tuple(on_sample[:, k]) == _concordance_counts(t[idx], -risk[k][idx], e[idx])
        assert tuple(on_original[:, k]) == _concordance_counts(t, -risk[k], e)
        assert tuple(fixed[:, k]) == _concordance_counts(t[idx], -risk[0][idx], e[idx])


def test_fast_and_plain_engines_agree_on_r2_slope_and_the_fixed_interval():
    data = luo_like(137, seed=2024)
    kw = dict(duration_col="months", event_col="died", covariates=LUO, resamples=20, seed=3)
    fast = validate_c_index(data, engine="fast", **kw)
    plain = validate_c_index(data, engine="lifelines", **kw)
    np.testing.assert_allclose([*fast.r2, *fast.slope, *fast.dxy],
                               [*plain.r2, *plain.slope, *plain.dxy], rtol=0, atol=1e-10)
    assert (fast.fixed_low, fast.fixed_high) == (plain.fixed_low, plain.fixed_high)
    assert (fast.percentile_low, fast.percentile_high) == (plain.percentile_low,
                                                           plain.percentile_high)


def test_calibration_summary_names_a_group_left_out_as_rms_keeps_it_as_na():
    # Biostatistics review 4, finding 8: rms::calibrate keeps a group without a Kaplan–Meier
    # estimate as a row with NA; nec's table has no row for it, so the summary names it.
    import pandas as pd

    from nec.validation import Calibration

    row = {"n": 10, "events": 4, "predicted": 0.6, "observed": 0.55, "std_err": 0.1,
           "corrected": 0.58}
    table = pd.DataFrame([{"group": 1, **row}, {"group": 3, **row}])
    text = Calibration(time=12.0, table=table, resamples=50, failed=0,
                       cuts=(0.0, 0.3, 0.6, 1.0)).summary()
    assert "group 2 left out: fewer than 2 patients, or follow-up ending before t" in text
    both = pd.DataFrame([{"group": 1, **row}, {"group": 2, **row}])
    full = Calibration(time=12.0, table=both, resamples=50, failed=0, cuts=(0.0, 0.5, 1.0))
    assert "left out" not in full.summary()
