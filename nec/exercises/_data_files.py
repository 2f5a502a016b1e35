"""The data the survival and nomogram checkers mark against, as files in ``data/``.

The checkers run in the reader's browser too (Pyodide), where numpy, pandas and lifelines
cannot run. The data they need were made with numpy's random generator (the synthetic
cohort, the immortal-time simulation) or with lifelines (the GBSG2 validation), so they are
committed to ``data/`` as CSV files with data dictionaries, and the checkers read them with
the standard library (:func:`nec.data.records`):

- ``synthetic_luo2024.csv``: :func:`nec.cohort.synthetic_luo2024` with its defaults (45
  patients, seed 2024), as the survival chapter makes it;
- ``immortal_time_n400_seed3.csv``: :func:`nec.immortal_time.simulate` ``(n=400, seed=3)``,
  the immortal-time exercise's cohort, every time written to 17 significant digits (Python's
  ``repr``), so that the file reads back to the same floating-point numbers;
- ``gbsg2_validation.csv``: the exercise's optimism-corrected C on lifelines' GBSG2 data
  (:func:`nec.exercises.nomogram_checks.gbsg2_validation`, 51 Cox fits): only its five
  numbers, which are all the checker prints or compares.

``python -m nec.exercises._data_files`` rewrites the three files from the functions that
make them (CPython with the book's libraries); ``tests/test_checker_data.py`` fails when a
file differs from what its function makes now.
"""

from __future__ import annotations

import csv
import io
import math

from nec.data import DATA_DIR, records

COHORT_FILE = "synthetic_luo2024"
IMMORTAL_FILE = "immortal_time_n400_seed3"
GBSG2_FILE = "gbsg2_validation"

#: The immortal-time exercise's simulated cohort (``nec.immortal_time.simulate`` arguments).
IMMORTAL_N = 400
IMMORTAL_SEED = 3


def cohort_rows() -> list[dict]:
    """The survival chapter's synthetic cohort, one dictionary per patient."""
    return records(COHORT_FILE)


def immortal_rows() -> list[dict]:
    """The immortal-time exercise's simulated cohort, one dictionary per patient."""
    return records(IMMORTAL_FILE)


def gbsg2_numbers() -> dict:
    """The GBSG2 validation's numbers: n, events, apparent, optimism, corrected."""
    return records(GBSG2_FILE)[0]


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv(header, rows) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def cohort_csv() -> str:
    """``synthetic_luo2024.csv`` as :func:`nec.cohort.synthetic_luo2024` makes it now."""
    from nec.cohort import synthetic_luo2024

    data = synthetic_luo2024().data
    header = ["patient", *data.columns]
    rows = [[patient, *(v.item() if hasattr(v, "item") else v for v in values)]
            for patient, values in zip(data.index, data.itertuples(index=False), strict=True)]
    return _csv(header, rows)


def immortal_csv() -> str:
    """``immortal_time_n400_seed3.csv`` as :func:`nec.immortal_time.simulate` makes it now."""
    from nec.immortal_time import simulate

    data = simulate(n=IMMORTAL_N, seed=IMMORTAL_SEED)
    header = ["patient", *data.columns]
    rows = [[f"P{i + 1:03d}", *(v.item() if hasattr(v, "item") else v for v in values)]
            for i, values in enumerate(data.itertuples(index=False))]
    return _csv(header, rows)


def gbsg2_csv() -> str:
    """``gbsg2_validation.csv`` from :func:`nec.exercises.nomogram_checks.gbsg2_validation`."""
    from nec.exercises.nomogram_checks import GBSG2_SPEC, gbsg2_validation

    v = gbsg2_validation()
    header = ["model_id", "covariates", "resamples", "seed", "n", "events", "apparent",
              "optimism", "corrected", "source"]
    row = ["gbsg2_tsize_pnodes_horth", " + ".join(GBSG2_SPEC["covariates"]),
           GBSG2_SPEC["resamples"], GBSG2_SPEC["seed"], int(v.n), int(v.events),
           float(v.apparent), float(v.optimism), float(v.corrected),
           "nec.validation.validate_c_index on lifelines.datasets.load_gbsg2() "
           "(nec.exercises.nomogram_checks.gbsg2_validation)"]
    return _csv(header, [row])


WRITERS = {COHORT_FILE: cohort_csv, IMMORTAL_FILE: immortal_csv, GBSG2_FILE: gbsg2_csv}


def write_all(folder=DATA_DIR) -> None:
    """Rewrite the three files in ``folder`` from the functions that make them."""
    for name, make in WRITERS.items():
        (folder / f"{name}.csv").write_text(make(), encoding="utf-8", newline="")


if __name__ == "__main__":
    write_all()
