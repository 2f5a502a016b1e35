"""The checkers' data files in data/ are exactly what the functions that make them make now.

The survival checkers read the synthetic cohort and the immortal-time cohort from CSV (the
browser has no numpy to regenerate them), and the GBSG2 checker reads its five numbers; if
nec.cohort, nec.immortal_time or the validation changes, these tests fail until the files are
rewritten: ``python -m nec.exercises._data_files``.
"""

from __future__ import annotations

import math

import pytest

from nec.data import DATA_DIR
from nec.exercises import _data_files

REWRITE = "run `python -m nec.exercises._data_files` to rewrite it"


@pytest.mark.parametrize("name", sorted(_data_files.WRITERS))
def test_each_file_is_what_its_function_makes(name):
    on_disk = (DATA_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert on_disk == _data_files.WRITERS[name](), f"data/{name}.csv is out of date: {REWRITE}"


def test_the_cohort_file_reads_back_as_the_chapters_cohort():
    from nec.cohort import synthetic_luo2024

    frame = synthetic_luo2024().data
    rows = _data_files.cohort_rows()
    assert [r["patient"] for r in rows] == list(frame.index)
    for column in frame.columns:
        assert [r[column] for r in rows] == frame[column].tolist(), column


def test_the_immortal_file_reads_back_to_the_same_floats():
    from nec.immortal_time import simulate

    frame = simulate(n=_data_files.IMMORTAL_N, seed=_data_files.IMMORTAL_SEED)
    rows = _data_files.immortal_rows()
    assert len(rows) == len(frame) == 400
    for column in frame.columns:
        for got, want in zip((r[column] for r in rows), frame[column], strict=True):
            assert got == want or (math.isnan(got) and math.isnan(want)), column


def test_the_gbsg2_numbers_are_the_validation():
    from nec.exercises import gbsg2_validation

    v, row = gbsg2_validation(), _data_files.gbsg2_numbers()
    assert (row["n"], row["events"]) == (v.n, v.events) == (686, 299)
    assert (row["apparent"], row["optimism"], row["corrected"]) == (
        v.apparent, v.optimism, v.corrected)
