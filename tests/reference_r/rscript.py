"""Run R as the reference for nec's statistics.

R's ``rms``, ``survival`` and ``metafor`` (Debian packages, installed by ``./run.sh test``'s
R reference stage) compute the same quantities as ``nec``; these tests feed both sides the
same CSV files and compare. ``run_r`` writes the given frames to a temporary folder, runs
the R code there and returns what the code wrote with
``jsonlite::write_json(result, "out.json", digits = NA, auto_unbox = TRUE)``.

The code runs in one R session kept for the whole test run (``worker.R``: loading rms is most
of what a new ``Rscript`` costs), which puts the session back as it was at start after each
script, so each runs as if alone; ``fresh=True`` runs it in its own ``Rscript --vanilla``.

R is never optional here: if ``Rscript`` or a package is missing the test fails and says
how to install it (a skipped oracle would let a disagreement land unseen).
"""

from __future__ import annotations

import atexit
import json
import selectors
import shutil
import subprocess
import tempfile
from pathlib import Path

R_PACKAGES = "r-base-core r-cran-rms r-cran-survival r-cran-metafor r-cran-jsonlite"
WORKER = Path(__file__).with_name("worker.R")
DONE = "NEC-R-DONE "


def rscript() -> str:
    path = shutil.which("Rscript")
    if path is None:
        raise AssertionError(
            "Rscript is not installed: the R reference tests need Debian's "
            f"{R_PACKAGES} (./run.sh test installs them in its R reference stage)."
        )
    return path


class _Session:
    """The one R session (started on first use, restarted after a timeout or a crash)."""

    def __init__(self):
        self.proc = None
        self.log = None

    def _start(self):
        self.log = tempfile.TemporaryFile(prefix="nec-r-session-")
        self.proc = subprocess.Popen(
            [rscript(), "--vanilla", str(WORKER)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1)

    def _session_log(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:].decode("utf-8", "replace")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def run(self, folder: Path, timeout: float) -> str:
        """Run folder/script.R; return "ok" or "error <message>"."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self.proc.stdin.write(f"{folder}\n")
        self.proc.stdin.flush()
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while True:
                if not sel.select(timeout):
                    self.proc.kill()
                    self.proc = None
                    raise AssertionError(f"R did not finish within {timeout:.0f} s")
                line = self.proc.stdout.readline()
                if not line:  # the session died
                    self.proc.wait()
                    code, self.proc = self.proc.returncode, None
                    raise AssertionError(f"the R session exited ({code}):\n"
                                         + self._session_log())
                if line.startswith(DONE):
                    return line[len(DONE):].strip()


_SESSION = _Session()
atexit.register(_SESSION.stop)


def run_r(code: str, frames: dict | None = None, timeout: float = 300,
          fresh: bool = False) -> dict:
    """Run ``code`` in R with each ``frames`` entry written as ``<name>.csv``; return out.json.

    The R code runs in the temporary folder, with ``library(jsonlite)`` loaded; it must
    write its result to ``out.json``. ``fresh`` runs it in a new ``Rscript`` process (timings
    that must not depend on what ran before).
    """
    with tempfile.TemporaryDirectory(prefix="nec-r-") as tmp:
        folder = Path(tmp)
        for name, frame in (frames or {}).items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        (folder / "script.R").write_text(
            "suppressPackageStartupMessages(library(jsonlite))\n" + code, encoding="utf-8"
        )
        if fresh:
            proc = subprocess.run(
                [rscript(), "--vanilla", "script.R"], cwd=folder, capture_output=True,
                text=True, timeout=timeout,
            )
            if proc.returncode != 0:
                raise AssertionError(f"R failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
            stdout = proc.stdout
        else:
            status = _SESSION.run(folder, timeout)
            stdout = (folder / "stdout.txt").read_text(encoding="utf-8", errors="replace")
            if status != "ok":
                stderr = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")
                raise AssertionError(f"R failed ({status[:200]}):\n{stderr[-3000:]}")
        out = folder / "out.json"
        if not out.exists():
            raise AssertionError("The R code wrote no out.json:\n" + stdout[-2000:])
        return json.loads(out.read_text(encoding="utf-8"))
