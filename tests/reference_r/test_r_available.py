"""The oracle itself: R runs and has the packages the reference tests use."""

from reference_r.rscript import run_r


def test_r_has_the_reference_packages():
    out = run_r(
        'pk <- c("rms", "survival", "metafor")\n'
        'ok <- sapply(pk, requireNamespace, quietly = TRUE)\n'
        'write_json(as.list(ok), "out.json", auto_unbox = TRUE)\n'
    )
    assert out == {"rms": True, "survival": True, "metafor": True}, (
        f"R packages missing: {[k for k, v in out.items() if not v]}"
    )
