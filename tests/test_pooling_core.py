"""nec._pooling_core (the first-line checker's standard-library pool) against nec.evidence's
select, nec.pooling's responders and pooled_response (metafor-checked in tests/reference_r),
on every selection of the real evidence table the chapter makes, and on random counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec import _pooling_core as core
from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, pooled_response, responders, select

SELECTIONS = [
    dict(family=PLATINUM_ETOPOSIDE, nec_only=True, line="first"),
    dict(family=PLATINUM_ETOPOSIDE, nec_only=True, line="first", design="retrospective"),
    dict(family=PLATINUM_ETOPOSIDE, nec_only=True, line="first", design="randomised"),
    dict(family=PLATINUM_ETOPOSIDE, nec_only=True),
    dict(family=PLATINUM_ETOPOSIDE),
    dict(nec_only=True, line="first"),
    dict(line="first"),
    dict(family="cisplatin-etoposide"),
    dict(),
]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_selection_and_counts_equal_the_pandas_path(selection):
    frame = select(load_evidence(), **selection)
    rows = core.select_arms(core.evidence_records(), **selection)
    assert [r["study_id"] for r in rows] == list(frame.index)
    used, excluded = core.responder_counts(rows)
    want = responders(frame)
    assert used == [(s, int(r.responders), int(r.n)) for s, r in want.counts.iterrows()]
    assert [s for s, _ in excluded] == [s for s, _ in want.excluded]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_pool_equals_pooled_response(selection):
    frame = select(load_evidence(), **selection)
    used, _ = core.responder_counts(core.select_arms(core.evidence_records(), **selection))
    if len(used) < 2:
        pytest.fail(f"selection {selection} pools fewer than two arms: choose another")
    got, want = core.pool_dl(used), pooled_response(frame)
    assert (got.k, got.n_patients, got.n_responders) == (want.k, want.n_patients,
                                                         want.n_responders)
    for name in ("proportion", "ci_low", "ci_high", "tau2", "i2", "q"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-12, abs=1e-14)


def test_the_exercises_pools_are_the_chapters_printed_numbers():
    # The chapter prints the randomised pool, 50.3 %, and the retrospective one is 32.0 %
    # (metafor: tests/reference_r/test_r_checker_core.py).
    arms = core.select_arms(core.evidence_records(), family=PLATINUM_ETOPOSIDE, nec_only=True,
                            line="first")
    for design, pct, k in (("retrospective", 32.0, 6), ("randomised", 50.3, 2)):
        pool = core.pool_dl(core.responder_counts(core.select_arms(arms, design=design))[0])
        assert (round(100 * pool.proportion, 1), pool.k) == (pct, k)


arms = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60)).map(
    lambda p: (min(p), max(p))), min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(arms)
def test_random_counts_pool_as_pooled_response(pairs):
    counts = [(f"arm {i + 1}", x, n) for i, (x, n) in enumerate(pairs)]
    got, want = core.pool_dl(counts), pooled_response([(x, n) for x, n in pairs])
    for name in ("proportion", "ci_low", "ci_high", "tau2", "i2", "q"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-9, abs=1e-12)


def test_fewer_than_two_arms_get_a_sentence():
    with pytest.raises(ValueError, match="at least two arms"):
        core.pool_dl([("A", 3, 10)])
