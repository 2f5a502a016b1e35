"""Run R as the reference for nec's statistics.

R's ``rms``, ``survival`` and ``metafor`` (Debian packages, installed by ``./run.sh test``'s
R reference stage) compute the same quantities as ``nec``; these tests feed both sides the
same CSV files and compare. ``run_r`` writes the given frames to a temporary folder, runs
the R code there with ``Rscript`` and returns what the code wrote with
``jsonlite::write_json(result, "out.json", digits = NA, auto_unbox = TRUE)``.

R is never optional here: if ``Rscript`` or a package is missing the test fails and says
how to install it (a skipped oracle would let a disagreement land unseen).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

R_PACKAGES = "r-base-core r-cran-rms r-cran-survival r-cran-metafor r-cran-jsonlite"


def rscript() -> str:
    path = shutil.which("Rscript")
    if path is None:
        raise AssertionError(
            "Rscript is not installed: the R reference tests need Debian's "
            f"{R_PACKAGES} (./run.sh test installs them in its R reference stage)."
        )
    return path


def run_r(code: str, frames: dict | None = None, timeout: float = 300) -> dict:
    """Run ``code`` in R with each ``frames`` entry written as ``<name>.csv``; return out.json.

    The R code runs in the temporary folder, with ``library(jsonlite)`` loaded; it must
    write its result to ``out.json``.
    """
    with tempfile.TemporaryDirectory(prefix="nec-r-") as tmp:
        folder = Path(tmp)
        for name, frame in (frames or {}).items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        (folder / "script.R").write_text(
            "suppressPackageStartupMessages(library(jsonlite))\n" + code, encoding="utf-8"
        )
        proc = subprocess.run(
            [rscript(), "--vanilla", "script.R"], cwd=folder, capture_output=True, text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise AssertionError(f"R failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        out = folder / "out.json"
        if not out.exists():
            raise AssertionError("The R code wrote no out.json:\n" + proc.stdout[-2000:])
        return json.loads(out.read_text(encoding="utf-8"))
