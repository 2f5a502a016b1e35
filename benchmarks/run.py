"""Measure nec-book on this machine: build, test command, import, widgets, bootstrap, drawing.

    python benchmarks/run.py --all --json out.json
                                        every row of the README's performance table, in one
                                        run (50 minutes on the shared 2-core machine): it builds
                                        the book in a clean copy, runs ./run.sh test on a fresh
                                        clone of this commit, R's rms side by side, the live
                                        book, then (after ./run.sh build) the pages and the
                                        workshop
    python benchmarks/readme_table.py out.json
                                        writes the README's performance table from that JSON
    python benchmarks/run.py --quick    everything except the clean build and the test command
    python benchmarks/run.py --rms      only nec's bootstrap validation against R's rms
    python benchmarks/run.py --pages    only the page weights and the workshop's first answer
                                        (runs their two browser tests; needs the built book)
    python benchmarks/run.py --smoke    tiny inputs, a few seconds: proves the script runs (CI)

Without a mode, the script runs --all. Each line is one measurement, its unit and, where the
project has a target, the target and whether it was met. ``--json FILE`` also writes the
measurements as JSON (with the commit, the time and the machine's load). Benchmarks are
measurements, not tests: nothing here fails because the machine is slow, except ``--smoke``
when the fast and the plain bootstrap disagree (that is a wrong result, not a slow one).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unittest.mock
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parent.parent


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for the commands it runs, without its own MPLBACKEND: in a
    book build Agg would reach the kernels and leave every figure out of the pages."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(extra)
    return env


PYTHON = sys.executable
RESULTS: list[dict] = []


def report(name, value, unit, target=None, *, lower_is_better=True, note=""):
    """Print one measurement and keep it for --json."""
    met = None
    if target is not None:
        met = value <= target if lower_is_better else value >= target
    verdict = "" if met is None else (f"  target {'≤' if lower_is_better else '≥'} {target:g}"
                                      f" {unit}: {'met' if met else 'MISSED'}")
    print(f"  {name:<58} {value:>10.3f} {unit}{verdict}{'  ' + note if note else ''}",
          flush=True)
    RESULTS.append({"name": name, "value": value, "unit": unit, "target": target,
                    "lower_is_better": lower_is_better, "met": met, "note": note})


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# --- import ----------------------------------------------------------------------------------
def bench_import(repeats):
    print("import nec (fresh interpreter each time)")
    code = "import time; t = time.perf_counter(); import nec; print(time.perf_counter() - t)"
    times = [float(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True,
                                  check=True, cwd=ROOT).stdout) for _ in range(repeats)]
    report("import nec, median", statistics.median(times), "s", 0.3)


# --- widgets ---------------------------------------------------------------------------------
def widget_cases():
    """Each explorer with every control it observes (and its buttons), and values to cycle
    through: None cycles a drop-down's choices, "click" presses a button."""
    from nec import widgets

    checkbox = [True, False]
    return {
        "grading": (widgets.grading_explorer, [
            ("ki67", [float(v) for v in range(1, 100, 3)]),
            ("mitoses_assessed", checkbox),
            ("mitoses", [float(v) for v in range(0, 40, 2)]),
            ("differentiation", None),
            ("nec_subtype", None),
            ("edition", None),
            ("neuroendocrine_pct", [float(v) for v in range(0, 101, 10)]),
            ("hpf_convert", "click"),
        ], 50),
        "dosing": (widgets.dosing_explorer, [
            ("regimen", None),
            ("height_cm", [150.0 + v for v in range(0, 45, 3)]),
            ("weight_kg", [50.0 + v for v in range(0, 60, 2)]),
            ("age", [float(v) for v in range(30, 90, 4)]),
            ("creatinine", [0.6 + v / 20 for v in range(20)]),
            ("unit", None),
            ("sex", None),
            ("weight", None),
            ("bsa_method", None),
            ("use_measured_gfr", checkbox),
            ("gfr_ml_min", [40.0 + v for v in range(0, 120, 8)]),
        ], 50),
        "second-line options": (widgets.options_explorer, [
            ("platinum_free_months", [float(v) for v in range(0, 24)]),
            ("ki67", [float(v) for v in range(20, 100, 4)]),
            ("morphology", None),
            ("sstr_imaging", None),
            ("performance_status", None),
            ("msi", None),
            ("tmb", None),
            ("liver_function", None),
        ], 50),
        "nomogram (redraws its SVG curve)": (widgets.nomogram_explorer, [
            ("size_cm", [1.0 + v / 4 for v in range(40)]),
            ("resection", None),
            ("treatment", None),
            ("keep", "click"),
            ("clear", "click"),
        ], 50),
    }


def bench_widgets(changes):
    print(f"widget callbacks: {changes} changes per explorer, cycling through every control it "
          "observes and its buttons, each timed from the change to the updated output "
          "(outside a browser)")
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    def show_as_png(*_args, **_kwargs):
        # In a notebook, plt.show() under the inline backend renders each open figure to a
        # PNG with IPython's print_figure; under Agg it does nothing. Do the notebook's work.
        for number in plt.get_fignums():
            print_figure(plt.figure(number), "png")

    for name, (make, controls, target) in widget_cases().items():
        # redirect: an Output widget outside a kernel writes terminal control codes.
        with contextlib.redirect_stdout(io.StringIO()), \
                unittest.mock.patch.object(plt, "show", show_as_png):
            times = change_times(name, make, controls, changes)
        report(f"{name}: median", statistics.median(times), "ms")
        report(f"{name}: p95", percentile(times, 95), "ms", target)
    plt.close("all")


def change_times(name, make, controls, changes):
    """Milliseconds per value change, cycling through the controls and their values."""
    explorer = make()
    times, outputs = [], set()
    # One extra change first: it pays for lazy imports and caches, which a user meets once.
    for i in range(changes + 1):
        attr, values = controls[i % len(controls)]
        control = getattr(explorer, attr)
        if values == "click":
            t = time.perf_counter()
            control.click()
            elapsed = time.perf_counter() - t
        else:
            if values is None:  # a drop-down: cycle through its choices
                values = [o[1] if isinstance(o, tuple) else o for o in control.options]
            new = values[(i // len(controls)) % len(values)]
            if control.value == new:
                new = values[(i // len(controls) + 1) % len(values)]
            t = time.perf_counter()
            control.value = new
            elapsed = time.perf_counter() - t
        outputs.add(explorer.output.value)
        if i:
            times.append(elapsed * 1000)
    if len(outputs) < 2:
        raise SystemExit(f"the {name} explorer's output never changed: not measuring it")
    return times


# --- bootstrap -------------------------------------------------------------------------------
def bench_bootstrap(sizes, resamples):
    import numpy as np

    from nec.cohort import design_matrix, synthetic_luo2024
    from nec.validation import validate_c_index

    print(f"bootstrap C-index validation, B = {resamples}: fast engine against the plain loop "
          "of lifelines refits, on the same resamples")
    for n in sizes:
        data = design_matrix(synthetic_luo2024(n=n, seed=2024).data)
        kw = dict(duration_col="months", event_col="died", resamples=resamples, seed=2024,
                  covariates=["size_cm", "resection_no", "treatment_either",
                              "treatment_neither"])
        runs = {}
        for engine in ("lifelines", "fast"):
            validate_c_index(data, engine=engine, **{**kw, "resamples": 10})  # warm-up
            t = time.perf_counter()
            runs[engine] = validate_c_index(data, engine=engine, **kw)
            runs[engine + "_s"] = time.perf_counter() - t
        fast, plain = runs["fast"], runs["lifelines"]
        identical = (np.array_equal(fast.train, plain.train, equal_nan=True)
                     and np.array_equal(fast.test, plain.test, equal_nan=True))
        report(f"n = {n}: plain lifelines loop", runs["lifelines_s"], "s")
        report(f"n = {n}: fast engine", runs["fast_s"], "s")
        report(f"n = {n}: speed-up", runs["lifelines_s"] / runs["fast_s"], "x", 3,
               lower_is_better=False,
               note=(f"C values identical in all {resamples} resamples "
                     f"({fast.failed} failed fits in both)") if identical else
               "C VALUES DIFFER")
        if not identical:
            raise SystemExit(f"fast and plain bootstrap disagree at n = {n}")


def bench_calibration(resamples):
    from nec.cohort import design_matrix, synthetic_luo2024
    from nec.validation import calibrate

    print(f"calibration at 12 months, n = 45, B = {resamples}")
    data = design_matrix(synthetic_luo2024(n=45, seed=2024).data)
    kw = dict(duration_col="months", event_col="died", time=12, resamples=resamples,
              seed=2024, covariates=["size_cm", "resection_no", "treatment_either",
                                     "treatment_neither"])
    for engine in ("lifelines", "fast"):
        calibrate(data, engine=engine, **{**kw, "resamples": 10})  # warm-up
        t = time.perf_counter()
        calibrate(data, engine=engine, **kw)
        report(f"{engine} engine", time.perf_counter() - t, "s")


def machine_load() -> str:
    """The 1-, 5- and 15-minute load averages (the machine may be shared)."""
    try:
        return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "load average unknown"


def bench_against_rms(repeats):
    """nec's validate_c_index / calibrate against rms::validate / rms::calibrate, same data,
    same B, timed in one run (tests/reference_r/timing.py: the clock around the call alone,
    libraries loaded). Target: nec no slower than rms, median and first call alike. Each
    ratio is printed with the spread of the repeats (min–max of each side) and the
    machine's load before and after, since a shared machine slows both sides unevenly."""
    sys.path.insert(0, str(ROOT / "tests"))
    from reference_r import timing

    median = statistics.median
    print(f"bootstrap validation (B = {timing.VALIDATE_RESAMPLES}) and calibration "
          f"(B = {timing.CALIBRATE_RESAMPLES}) against R's rms, medians of {repeats} runs; "
          f"nec's first call in a fresh process; {machine_load()}")
    for name, frame, u in timing.cases():
        nec_v, nec_c = timing.nec_times(frame, u, repeats)
        first_v, first_c = timing.nec_first_call(frame, u, repeats)
        r_v, r_c = timing.r_times(frame, u, repeats)
        label = f"{name}, n = {len(frame)}"
        for what, nec, first, r in (("validate", nec_v, first_v, r_v),
                                    ("calibrate", nec_c, first_c, r_c)):
            report(f"{label}: rms::{what}", median(r), "s",
                   note=f"runs {min(r):.2f}–{max(r):.2f} s")
            report(f"{label}: nec {what}", median(nec), "s", median(r),
                   note=f"runs {min(nec):.2f}–{max(nec):.2f} s")
            report(f"{label}: nec {what}, first call", median(first), "s", median(r),
                   note=f"runs {min(first):.2f}–{max(first):.2f} s")
            report(f"{label}: {what} time nec / rms", median(nec) / median(r), "x", 1,
                   note=f"first call {median(first) / median(r):.2f}x; nec fastest / rms "
                        f"slowest {min(nec) / max(r):.2f}x, nec slowest / rms fastest "
                        f"{max(nec) / min(r):.2f}x")
            report(f"{label}: {what} first call nec / rms", median(first) / median(r), "x",
                   1)
    print(f"  after the comparison: {machine_load()}")


# --- pages and the workshop (measured by the browser tests) ---------------------------------
PAGE_WEIGHT_JSON = ROOT / "test-artifacts" / "page_weight.json"
WORKSHOP_JSON = ROOT / "test-artifacts" / "workshop_timing.json"
EXPLORERS_JSON = ROOT / "test-artifacts" / "explorers_timing.json"
MAX_CHAPTER_MB = 1.5  # issue 19: a chapter without an explorer
FIRST_ANSWER_TARGET_S = 5.0  # issue 19: workshop command to an explorer's first answer


def run_browser_measurements():
    """The browser tests that measure (tests/browser/test_page_weight.py, and the first test
    of test_workshop.py and of test_explorers_page.py); each writes its JSON into
    test-artifacts/."""
    pytest = str(Path(PYTHON).parent / "pytest")
    for selection in (["tests/browser/test_page_weight.py"],
                      ["tests/browser/test_workshop.py", "-k",
                       "opens_an_explorer_seconds_after_the_command"],
                      ["tests/browser/test_explorers_page.py", "-k",
                       "first_answer_comes_seconds_after_the_command"]):
        done = subprocess.run([pytest, "-q", "-p", "no:cacheprovider", *selection], cwd=ROOT,
                              capture_output=True, text=True, env=child_env())
        if done.returncode:
            print(f"  {' '.join(selection)} failed:\n" + done.stdout[-1500:])


def bench_pages_and_workshop():
    """Report what the browser tests measured (their JSON files), with the targets."""
    print("pages: bytes transferred (everything a page loads, scripts/serve.py with gzip, "
          "empty cache) and "
          "seconds from the request to rendered content (headless Chromium)")
    weights = json.loads(PAGE_WEIGHT_JSON.read_text(encoding="utf-8")) \
        if PAGE_WEIGHT_JSON.is_file() else None
    if weights is None:
        print(f"  no {PAGE_WEIGHT_JSON.relative_to(ROOT)}: run the browser tests first")
    else:
        for w in weights["pages"]:
            if not w["page"].startswith("book/"):
                continue
            target = MAX_CHAPTER_MB if not w["explorer"] and w["page"] not in (
                "book/intro.html", "book/glossary.html", "book/references.html",
                "book/instructors.html") else None
            what = ("explorer" if w["explorer"] else "no explorer") + (
                ", math" if w["math"] else ", no math")
            report(f"{w['page']} ({what}): transferred", w["bytes"] / 1e6, "MB", target,
                   note=f"{w['files']} files, {w['uncompressed_bytes'] / 1e6:.2f} MB "
                        "uncompressed")
            report(f"{w['page']}: rendered", w["rendered_s"], "s",
                   note=(f"largest figure served {w['largest_served_over_shown']:.2f}x its "
                         "shown width" if w["largest_served_over_shown"] else "no figures"))
    _report_first_answer(
        WORKSHOP_JSON, "tests/browser/test_workshop.py",
        "workshop: from the command (workshop folder written, JupyterLab started and loaded) "
        "to the grading explorer's first answer in explorers.ipynb",
        "command to the first explorer answer",
        lambda t: f"JupyterLab loaded at {t['command_to_lab_loaded_s']:.1f} s")
    _report_first_answer(
        EXPLORERS_JSON, "tests/browser/test_explorers_page.py",
        "explorers page: from ./run.sh explorers (Voilà) to the grading explorer's first "
        "answer on the page it prints",
        "explorers page: command to the first explorer answer",
        lambda t: f"URL printed at {t['command_to_url_printed_s']:.1f} s")


def _report_first_answer(path, test, heading, name, step):
    """One workshop timing a browser test wrote (its JSON), against the 5 s target."""
    print(heading)
    if not path.is_file():
        print(f"  no {path.relative_to(ROOT)}: run {test}")
        return
    timing = json.loads(path.read_text(encoding="utf-8"))
    report(name, timing["command_to_first_answer_s"], "s", FIRST_ANSWER_TARGET_S,
           note=f"{step(timing)}; load average {timing['load_average'][0]:.1f}")


# --- drawing ---------------------------------------------------------------------------------
def bench_nomogram_drawing(repeats):
    import matplotlib.pyplot as plt
    from lifelines import CoxPHFitter

    from nec.cohort import design_matrix, synthetic_luo2024
    from nec.nomogram import Nomogram
    from nec.plotting import style

    print(f"nomogram drawing (Nomogram.plot, Agg, {repeats} times)")
    x = design_matrix(synthetic_luo2024().data)
    nomo = Nomogram.from_cox(CoxPHFitter().fit(x, "months", "died"), x,
                             groups={"resection": {"no": "resection_no"},
                                     "treatment": {"either": "treatment_either",
                                                   "neither": "treatment_neither"}},
                             times=(12, 36, 60))
    times = []
    for _ in range(repeats + 1):
        t = time.perf_counter()
        with style():
            fig, ax = plt.subplots(figsize=(11, 6))
            nomo.plot(ax=ax)
            fig.canvas.draw()
        plt.close(fig)
        times.append((time.perf_counter() - t) * 1000)
    report("draw and render one nomogram, median", statistics.median(times[1:]), "ms")


# --- the book --------------------------------------------------------------------------------
def clean_copy() -> Path:
    """The committed files plus the vendored JavaScript, in a new folder (no caches)."""
    dest = Path(tempfile.mkdtemp(prefix="nec-bench-")) / "book"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    shutil.copytree(ROOT / "book" / "_static" / "vendor", dest / "book" / "_static" / "vendor")
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def jb_build(folder: Path) -> tuple[float, str]:
    # PYTHONPATH: the copy's nec, not the one the editable install points at.
    env = child_env(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(folder))
    t = time.perf_counter()
    done = subprocess.run([str(Path(PYTHON).parent / "jupyter-book"), "build", "."],
                          cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    return elapsed, done.stdout + done.stderr


def executed(log: str) -> list[str]:
    return sorted(set(re.findall(r"/(\w+\.ipynb): Executed notebook", log)))


def append_to_first_cell(notebook: Path, cell_type: str, text: str) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    next(c for c in nb["cells"] if c["cell_type"] == cell_type)["source"].append(text)
    notebook.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def bench_book(run_test_command):
    folder = clean_copy()
    try:
        print(f"book build in a clean copy ({folder})")
        seconds, log = jb_build(folder)
        report("clean build (every chapter executed)", seconds, "s", 120)
        for name, secs in sorted(re.findall(r"/(\w+\.ipynb): Executed notebook in ([\d.]+) "
                                            r"seconds", log)):
            report(f"  executing {name}", float(secs), "s")

        seconds, log = jb_build(folder)
        report("rebuild, nothing changed", seconds, "s", note=f"executed: {executed(log)}")

        append_to_first_cell(folder / "book" / "grading.ipynb", "markdown",
                             "\n\nA sentence added by the benchmark.")
        seconds, log = jb_build(folder)
        report("rebuild after editing one chapter's prose", seconds, "s", 20,
               note=f"executed: {executed(log)}")

        # The slowest chapter to execute: the worst case of a code edit.
        append_to_first_cell(folder / "book" / "nomogram.ipynb", "code",
                             "\n# a comment added by the benchmark")
        seconds, log = jb_build(folder)
        report("rebuild after editing the nomogram chapter's code", seconds, "s", 20,
               note=f"executed: {executed(log)}")

        module = folder / "nec" / "dosing.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# edited by the benchmark\n",
                          encoding="utf-8")
        seconds, log = jb_build(folder)
        report("rebuild after editing nec/dosing.py", seconds, "s",
               note=f"executed: {executed(log)} (every chapter imports nec.exercises, which "
                    "uses nec.dosing)")

    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    if run_test_command:
        bench_fresh_clone_test()


#: The README's test command on a fresh clone, with the R and the browser stages (issue 19).
FRESH_CLONE_TEST_TARGET_S = 600
#: The stages ./run.sh test spends setting up (a fresh clone pays them once).
SETUP_STAGE = re.compile(r"^env: ")


def bench_fresh_clone_test():
    """./run.sh test on a fresh clone of this commit (git clone, then the command: venv,
    pip install, the JavaScript, R and Chromium checks, every test stage), as CI runs it.
    Each stage's seconds, the total, and the total without the set-up stages are reported
    (stages that run side by side, run.sh's lanes, each count their own seconds)."""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    parent = Path(tempfile.mkdtemp(prefix="nec-fresh-"))
    clone = parent / "nec-book"
    print(f"the README's test command (./run.sh test) on a fresh clone of {commit[:7]} "
          f"({clone}); {machine_load()}")
    try:
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(clone)],
                       check=True)
        subprocess.run(["git", "checkout", "-q", commit], cwd=clone, check=True)
        # Nothing of this checkout's environment may leak in (the clone makes its own .venv).
        env = {k: v for k, v in child_env().items()
               if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
        t = time.perf_counter()
        done = subprocess.run(["bash", "run.sh", "test"], cwd=clone, env=env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - t
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        (ROOT / "test-artifacts" / "fresh-clone-test.log").write_text(
            done.stdout + "\n--- stderr ---\n" + done.stderr, encoding="utf-8")
        stages = [(name.strip(), float(secs)) for name, secs in re.findall(
            r"^  ((?:env: |\d )[^\n]*?)\s+([\d.]+) s$", done.stdout, flags=re.M)]
        if done.returncode:
            # Reported, not raised: the other measurements of the run still count. A failed
            # run's total is no measurement of the command (stages after the failure never ran).
            failed = re.findall(r"FAILED (?:at stage|in lane \S+): ([^\n(]+)", done.stdout
                                + done.stderr)
            print("  ./run.sh test FAILED on the fresh clone"
                  f" ({', '.join(f.strip() for f in failed) or 'see the log'}); its output: "
                  "test-artifacts/fresh-clone-test.log\n" + done.stdout[-1500:])
            for name, secs in stages:
                report(f"  stage {name}", secs, "s")
            return
        report("./run.sh test on a fresh clone (with pip install, R and browser stages)",
               seconds, "s", FRESH_CLONE_TEST_TARGET_S)
        setup = sum(secs for name, secs in stages if SETUP_STAGE.match(name))
        report("./run.sh test without its set-up stages (env: ...)", seconds - setup, "s",
               note=f"set-up stages {setup:.0f} s")
        for name, secs in stages:
            report(f"  stage {name}", secs, "s")
    finally:
        shutil.rmtree(parent, ignore_errors=True)


# --- the live book in headless Chromium (issue 17) -------------------------------------------
#: Each live explorer: its page, its factory, the number box typed into, the values typed
#: (each changes the answer), and the HTML outputs compared with CPython's after each change.
LIVE_CASES = {
    "grading": ("book/grading.html", "grading_explorer", "ki67", "Ki-67",
                [float(v) for v in range(1, 91, 3)], ("output",)),
    "dose sheet": ("book/first_line.html", "dosing_explorer", "weight_kg", "Weight (kg)",
                   [40.0 + 2 * v for v in range(30)], ("output",)),
    "second-line options": ("book/second_line.html", "options_explorer", "ki67", "Ki-67",
                            [float(v) for v in range(21, 100, 3)], ("output",)),
    "nomogram": ("book/nomogram.html", "nomogram_explorer", "size_cm", "Tumour size (cm)",
                 [round(1.3 + 0.3 * v, 1) for v in range(30)], ("output", "plot")),
    "points-table audit": ("book/nomogram_audit.html", "audit_explorer", "points_error",
                           "Points rounding (±)", [round(0.1 + 0.1 * v, 1) for v in range(30)],
                           ("output",)),
}
#: The steps nec-live.js times (window.necLiveTimings), in order: the manifest read, Pyodide's
#: module imported, Python started with its library, nec's bundle unpacked, the comm bridge
#: installed, the page's widget manager ready, ipywidgets imported, the explorer's cell run,
#: its view on screen.
_LIVE_STEPS = ("manifest", "module", "pyodide", "unpack", "ready", "manager", "ipywidgets",
               "explorer", "shown")
#: Chromium as tests/browser/conftest.py starts it (root needs --no-sandbox; no calls home).
LIVE_CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                      "--no-first-run", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"]
#: In the page: press "Run live", then wait until every expected text is on screen.
_LIVE_START_JS = """async ([wants, timeoutMs]) => {
  const squash = (s) => s.replace(/\\s+/g, '');
  const ok = () => {
    const t = [...document.querySelectorAll('.nec-live-view .widget-html-content')]
      .map((e) => squash(e.textContent));
    return wants.every((w) => t.includes(w));
  };
  const t0 = performance.now();
  const done = new Promise((resolve, reject) => {
    const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(); } });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { obs.disconnect(); reject(new Error('no first answer')); }, timeoutMs);
  });
  document.querySelector('.nec-live-explorer button.nec-live-button').click();
  await done;
  return performance.now() - t0;
}"""
#: In the page: type each value into the box (a change event, as leaving the box sends) and
#: time it until the page shows CPython's answer for it.
_LIVE_CHANGES_JS = """async ([label, values, wants]) => {
  const squash = (s) => s.replace(/\\s+/g, '');
  const root = document.querySelector('.nec-live-view');
  const box = [...root.querySelectorAll('.widget-text')].find((e) => e.textContent.includes(label))
                .querySelector('input');
  const times = [];
  for (let i = 0; i < values.length; i++) {
    const ok = () => {
      const t = [...root.querySelectorAll('.widget-html-content')]
        .map((e) => squash(e.textContent));
      return wants[i].every((w) => t.includes(w));
    };
    const t0 = performance.now();
    const done = new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(); } });
      obs.observe(root, {subtree: true, childList: true, characterData: true});
      setTimeout(() => { obs.disconnect(); reject(new Error('no answer: ' + values[i])); }, 2e4);
    });
    box.value = String(values[i]);
    box.dispatchEvent(new Event('change', {bubbles: true}));
    await done;
    times.push(performance.now() - t0);
  }
  return times;
}"""


def _squash_html(value: str) -> str:
    import html as html_module

    return re.sub(r"\s+", "", html_module.unescape(re.sub(r"<[^>]+>", " ", value)))


def bench_live(repeats, *, html_dir=None, names=None):
    """The live book: from pressing "Run live" to the first answer (cold and warm browser
    cache), each typed change's time to its answer (p95), bytes before and after the press,
    each explorer page in headless Chromium (Debian's), served as ./run.sh serve serves it.

    Needs a built book (./run.sh build) and /usr/bin/chromium. Run alone with
    ``python -c 'import runpy; runpy.run_path("benchmarks/run.py")["bench_live"](5)'``.
    Every answer timed is compared with what nec computes under CPython here. ``names`` limits
    the run to some of :data:`LIVE_CASES`.
    """
    import functools
    import http.server
    import importlib.util
    import threading
    import urllib.request

    html_dir = Path(html_dir or ROOT / "_build" / "html")
    chromium = Path("/usr/bin/chromium")
    if not (html_dir / "index.html").is_file() or not chromium.exists():
        print(f"live book: skipped (needs {html_dir / 'index.html'} and {chromium})")
        return
    from playwright.sync_api import sync_playwright

    from nec import widgets

    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(serve.Handler, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    manifest = json.loads((html_dir / "_static/live/manifest.json").read_text())
    live_files = [manifest["bundle"], manifest["library"],
                  *(f"{manifest['runtime']}{f}" for f in ("pyodide.mjs", "pyodide.asm.mjs",
                                                         "pyodide.asm.wasm"))]
    # The server compresses each file once and keeps it (a production host serves them
    # precompressed): do that first, so no measurement includes it.
    for rel in live_files:
        request = urllib.request.Request(url + "_static/" + rel,
                                         headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            response.read()
    load = os.getloadavg()
    print(f"live book in headless Chromium ({repeats} cold and {repeats} warm starts per "
          f"explorer; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on "
          f"{os.cpu_count()} cores)")

    def is_live(request_url):
        return any(k in request_url for k in ("/vendor/pyodide/", "/_static/live/",
                                              "/live-wheels/", "nec-live.js"))

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=LIVE_CHROMIUM_ARGS)
            for name, (rel, factory, attr, label, values, parts) in LIVE_CASES.items():
                if names is not None and name not in names:
                    continue
                reference = getattr(widgets, factory)()
                first = [_squash_html(getattr(reference, part).value) for part in parts]
                typed, wants, previous = [], [], first
                for value in values:
                    reference.set(**{attr: value})
                    want = [_squash_html(getattr(reference, part).value) for part in parts]
                    if want != previous:  # a value that changes nothing would time nothing
                        typed.append(value)
                        wants.append(want)
                    previous = want
                cold, warm, changes, before, live_bytes, early = [], [], [], [], [], []
                steps = {"cold": [], "warm": []}  # nec-live.js's window.necLiveTimings
                ready = []  # runtime-ready times, cold and warm starts alike
                for _ in range(repeats):
                    context = browser.new_context()  # a fresh context: an empty cache
                    page = context.new_page()
                    sizes = {"bytes": 0, "live": 0, "pressed": False}

                    def finished(req, sizes=sizes, early=early):
                        with contextlib.suppress(Exception):
                            n = req.sizes()["responseBodySize"] + req.sizes()[
                                "responseHeadersSize"]
                            sizes["bytes" if not sizes["pressed"] else "live"] += n
                            if not sizes["pressed"] and is_live(req.url):
                                early.append(req.url)

                    page.on("requestfinished", finished)
                    pending = set()
                    page.on("request", lambda r, pending=pending: pending.add(r.url))
                    page.on("requestfinished", lambda r, pending=pending: pending.discard(r.url))
                    page.on("requestfailed", lambda r, pending=pending: pending.discard(r.url))

                    def settle(page=page, pending=pending):
                        # The page's own requests done (networkidle); a page that never goes
                        # quiet is measured anyway, and its open requests are named.
                        try:
                            page.wait_for_load_state("networkidle", timeout=60_000)
                        except Exception:
                            print(f"      (not quiet after 60 s; open: {sorted(pending)[:5]})")

                    # nec-live.js logs when Python, the wheels and nec are loaded: the part of
                    # the start that is the runtime's, before the explorer is made.
                    page.on("console", lambda m, ready=ready: ready.append(
                        float(m.text.split()[-2]) / 1000) if "runtime ready in" in m.text
                        else None)
                    page.goto(url + rel, wait_until="load", timeout=180_000)
                    settle()
                    before.append(sizes["bytes"])
                    sizes["pressed"] = True
                    cold.append(page.evaluate(_LIVE_START_JS, [first, 180_000]) / 1000)
                    steps["cold"].append(page.evaluate("() => window.necLiveTimings"))
                    changes += page.evaluate(_LIVE_CHANGES_JS, [label, typed, wants])
                    settle()
                    live_bytes.append(sizes["live"])
                    # Warm: the same browser profile, the page opened again.
                    page.goto(url + rel, wait_until="load", timeout=180_000)
                    settle()
                    warm.append(page.evaluate(_LIVE_START_JS, [first, 180_000]) / 1000)
                    steps["warm"].append(page.evaluate("() => window.necLiveTimings"))
                    context.close()
                spread = f"spread {min(cold):.2f}–{max(cold):.2f} s"
                report(f"{name}: Run live to first answer, cold cache, median",
                       statistics.median(cold), "s", 5, note=spread)
                report(f"{name}: Run live to first answer, warm cache, median",
                       statistics.median(warm), "s", 2,
                       note=f"spread {min(warm):.2f}–{max(warm):.2f} s")
                report(f"{name}: of which runtime ready (Pyodide, wheels, nec), median",
                       statistics.median(ready) if ready else float("nan"), "s",
                       note=f"spread {min(ready, default=0):.2f}–{max(ready, default=0):.2f} s")
                for cache, runs in steps.items():
                    # Where the start goes: each step's median end (ms after the press).
                    ends = {k: statistics.median(r[k] for r in runs if k in r)
                            for k in _LIVE_STEPS if any(k in r for r in runs)}
                    print(f"      {cache} start, each step's end (median ms after the press): "
                          + ", ".join(f"{k} {v:.0f}" for k, v in ends.items()))
                report(f"{name}: typed change to its answer, median",
                       statistics.median(changes), "ms")
                report(f"{name}: typed change to its answer, p95 ({len(changes)} changes)",
                       percentile(changes, 95), "ms", 50)
                report(f"{name}: bytes before pressing Run live", statistics.median(before),
                       "B", note=f"live-mode files among them: {len(early)} (must be 0)")
                report(f"{name}: live assets transferred (gzip) after pressing",
                       statistics.median(live_bytes) / 1e6, "MB", 10)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    load = os.getloadavg()
    print(f"  (load average afterwards {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--all", action="store_true",
                      help="every measurement of the README's table (the default)")
    mode.add_argument("--smoke", action="store_true", help="tiny inputs (for CI)")
    mode.add_argument("--quick", action="store_true",
                      help="skip the clean build and the test command")
    mode.add_argument("--pages", action="store_true",
                      help="only the page weights and the workshop's first answer")
    mode.add_argument("--rms", action="store_true",
                      help="only the comparison with R's rms::validate and rms::calibrate")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--repeats", type=int, default=5,
                        help="runs of each side in the comparison with rms (median reported)")
    args = parser.parse_args(argv)

    started = time.gmtime()
    load_at_start = os.getloadavg()
    # The commit measured (a clean checkout of it is what the fresh-clone test runs).
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    print(f"nec-book benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{machine_load()}")
    if args.rms:
        bench_against_rms(args.repeats)
    elif args.pages:
        run_browser_measurements()
        bench_pages_and_workshop()
    elif args.smoke:  # no R here: the smoke run proves the script runs, in seconds
        bench_import(1)
        bench_widgets(4)
        bench_bootstrap([45, 120], 10)
        bench_calibration(10)
        bench_nomogram_drawing(1)
    else:  # --all (the default), or --quick
        bench_import(5)
        bench_widgets(120)
        bench_bootstrap([45, 2000], 200)
        bench_calibration(100)
        bench_against_rms(args.repeats)  # needs R with rms (the R reference stage installs it)
        bench_nomogram_drawing(10)
        # This checkout's book, built first (incremental), so that the live book, the pages and
        # the workshop are measured on the code of the commit measured, not on an older build.
        subprocess.run(["bash", "run.sh", "build"], cwd=ROOT, check=True, capture_output=True,
                       env=child_env())
        bench_live(3)  # needs Debian's chromium; says so when it is missing
        if not args.quick:
            bench_book(run_test_command=True)
        # The pages and the workshop measured alone (inside ./run.sh test they share the
        # machine with the other browser lane).
        run_browser_measurements()
        bench_pages_and_workshop()
    if args.json:
        mode = next((m for m in ("smoke", "quick", "pages", "rms") if getattr(args, m)), "all")
        args.json.write_text(json.dumps({
            "mode": mode, "commit": commit, "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "started": time.strftime("%Y-%m-%d %H:%M UTC", started),
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average_start": [round(v, 2) for v in load_at_start],
            "load_average_end": [round(v, 2) for v in os.getloadavg()],
            "results": RESULTS}, indent=1), encoding="utf-8")
    missed = [r["name"] for r in RESULTS if r["met"] is False]
    print("targets missed: " + (", ".join(missed) if missed else "none"))


if __name__ == "__main__":
    main()
