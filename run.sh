#!/usr/bin/env bash
# Build and test nec-book.
#
#   ./run.sh build   set up .venv, vendor the offline JavaScript, build the book into _build/html
#   ./run.sh student set up as above, then build the student edition (every exercise solution
#                    removed) strictly (-W -n) into _build/student/html, and write its notebooks
#                    (no solutions, no checks) into _build/student/notebooks
#   ./run.sh test    set up as above (+ Debian's chromium), then, stopping after the first
#                    failing stage:
#                    ruff, unit tests (+ a smoke run of benchmarks/run.py), nbval on every
#                    notebook, strict builds (-W -n) of the book and the student edition,
#                    and the headless-browser tests of both builds and of workshop mode (a
#                    live explorer in JupyterLab, the explorers page); the stages run in two
#                    lanes, one per core (run_lanes): a failure stops its lane, and the run
#                    fails, naming the stage, when both lanes are done
#   ./run.sh workshop  build, then start JupyterLab (127.0.0.1:8888) on the student notebooks
#                    (_build/workshop/notebooks; the full chapters in its instructor/ folder)
#   ./run.sh explorers  start Voilà (127.0.0.1:8866) on one page of the five explorers, live in
#                    this machine's Python, no code shown, no chapter run (_build/explorers):
#                    the quickest way to an explorer on the projector
#   ./run.sh bundle  both builds, then write _build/bundle/nec-workshop-<tag>.tar.gz (wheels,
#                    student notebooks and book, install.sh) for laptops with no network, and
#                    test it: a fresh venv in /tmp installs it with pip --no-index
#   ./run.sh serve   serve _build/html on 127.0.0.1:8000, so the live explorers and checkers run
#   ./run.sh lock    rewrite constraints.txt from the working .venv (pip freeze)
#
# Every stage is a small function (stage_*), so new subcommands can reuse them.
# The set-up is idempotent: a second run only checks stamps and takes a few seconds.
# The chapters draw their figures with the notebook's inline backend: an MPLBACKEND set in the
# caller's shell (Agg, say, as benchmarks/run.py sets for itself) would reach the kernels and
# leave every figure out of the book. The unit and R stages set Agg themselves.
unset MPLBACKEND
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
CONSTRAINTS="$ROOT/constraints.txt"
INSTALL_STAMP="$VENV/.nec-install-stamp"
HTML_DIR="$ROOT/_build/html"
STUDENT_DIR="$ROOT/_build/student"
STUDENT_HTML_DIR="$STUDENT_DIR/html"
STUDENT_NOTEBOOKS_DIR="$STUDENT_DIR/notebooks"
WORKSHOP_DIR="$ROOT/_build/workshop"
EXPLORERS_DIR="$ROOT/_build/explorers"
BUNDLE_DIR="$ROOT/_build/bundle"
CHROMIUM="/usr/bin/chromium"
WORKSHOP_FLAGS="$ROOT/scripts/workshop_flags.txt"

# Keep pip quiet and non-interactive (CI has no stdin).
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_NO_INPUT=1
export DEBIAN_FRONTEND=noninteractive
# No __pycache__ folders in the source tree (Sphinx imports book/_ext; pytest imports tests/).
# pytest always runs with -p no:cacheprovider: a .pytest_cache/README.md once broke a -W build.
export PYTHONDONTWRITEBYTECODE=1

# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
TIMINGS=()
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
header() {
  printf '\n==============================================================================\n'
  printf '== %s\n' "$*"
  printf '==============================================================================\n'
}
# run_timed LABEL FUNCTION [ARGS...]: run a stage, record how long it took.
CURRENT_STAGE=""
run_timed() {
  local label="$1"; shift
  local t0
  CURRENT_STAGE="$label"
  t0="$(now)"
  "$@"
  t1="$(now)"
  TIMINGS+=("$(printf '%-28s %7.1f s' "$label" "$(elapsed "$t0" "$t1")")")
  CURRENT_STAGE=""
}
# run_lanes LABEL LANE...: run each LANE (a function of in_lane calls) at once, in the background,
# and wait for all of them. The machine has two cores and most stages use one (pytest, R, a kernel,
# node), so two lanes of stages take about as long as the longer lane. Each lane's output goes to
# _build/lanes/LANE.log and is printed, lane by lane, when all are done; each stage's time is
# recorded as run_timed records it, and the group's wall time under LABEL. A failed lane fails the
# group (after every lane has finished), naming the stage that failed.
LANE_DIR="$ROOT/_build/lanes"
in_lane() {
  local label="$1"; shift
  local t0
  t0="$(now)"
  printf '%s' "$label" > "$LANE_DIR/$LANE.current"
  "$@"
  printf '%-28s %7.1f s\n' "$label" "$(elapsed "$t0" "$(now)")" >> "$LANE_DIR/$LANE.timings"
}
run_lanes() {
  local label="$1"; shift
  local t0 lane i=0 pids=() failed=() line
  t0="$(now)"
  CURRENT_STAGE="$label"
  mkdir -p "$LANE_DIR"
  for lane in "$@"; do rm -f "$LANE_DIR/$lane".{log,timings,current}; done
  header "In parallel: $* (their output follows when all are done; live: $LANE_DIR/*.log)"
  for lane in "$@"; do
    # One maths thread per lane: two lanes on two cores, each with OpenBLAS's own thread pool
    # of two, would fight over the cores (the unit and R stages ran 4x slower side by side).
    ( export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1; LANE="$lane"; "$lane" ) \
      > "$LANE_DIR/$lane.log" 2>&1 &
    pids+=("$!")
  done
  for lane in "$@"; do
    wait "${pids[$i]}" || failed+=("$lane")
    i=$((i + 1))
  done
  for lane in "$@"; do
    cat "$LANE_DIR/$lane.log"
    if [ -f "$LANE_DIR/$lane.timings" ]; then
      while IFS= read -r line; do TIMINGS+=("$line"); done < "$LANE_DIR/$lane.timings"
    fi
  done
  TIMINGS+=("$(printf '%-28s %7.1f s' "| $label" "$(elapsed "$t0" "$(now)")")")
  if [ "${#failed[@]}" -gt 0 ]; then
    for lane in "${failed[@]}"; do
      CURRENT_STAGE="$(cat "$LANE_DIR/$lane.current" 2>/dev/null || echo "$lane")"
      printf '\nFAILED in lane %s: %s (its output: %s)\n' "$lane" "$CURRENT_STAGE" \
        "$LANE_DIR/$lane.log" >&2
    done
    return 1
  fi
  CURRENT_STAGE=""
}
on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$CURRENT_STAGE" ]; then
    [ "${#TIMINGS[@]}" -gt 0 ] && print_timings
    printf '\nFAILED at stage: %s (exit code %s)\n' "$CURRENT_STAGE" "$rc" >&2
  fi
}
trap on_exit EXIT
print_timings() {
  header "Timings"
  local line
  for line in "${TIMINGS[@]}"; do printf '  %s\n' "$line"; done
}
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
venv_bin() { printf '%s/bin/%s' "$VENV" "$1"; }

# ----------------------------------------------------------------------------------------------
# set-up stages
# ----------------------------------------------------------------------------------------------
stage_venv() {
  if [ -x "$PY" ] && "$PY" -c 'import sys' 2>/dev/null; then
    echo "Using existing $VENV"
    return 0
  fi
  header "Creating virtual environment $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
}

# The install is redone only when something it depends on changed: pyproject.toml,
# constraints.txt, or the set of packages under nec/ (an editable install maps the packages it
# found when it ran, so a new package folder needs a new install).
install_fingerprint() {
  {
    cat pyproject.toml
    [ -f "$CONSTRAINTS" ] && cat "$CONSTRAINTS"
    find nec -name '__init__.py' 2>/dev/null | LC_ALL=C sort
  } | sha256sum | cut -d' ' -f1
}

stage_install() {
  local fp
  fp="$(install_fingerprint)"
  if [ -f "$INSTALL_STAMP" ] && [ "$(cat "$INSTALL_STAMP")" = "$fp" ]; then
    echo "Python packages up to date (stamp $INSTALL_STAMP)"
    return 0
  fi
  header "Installing nec with its book and test extras"
  local cargs=()
  if [ -f "$CONSTRAINTS" ]; then
    cargs=(-c "$CONSTRAINTS")
  else
    echo "NOTE: no constraints.txt: resolving freely (run ./run.sh lock to write one)"
  fi
  # This machine's pip configuration names local wheel folders that may not exist; pip then
  # prints one "Location ... is ignored" warning per package. Drop only those lines.
  # --no-compile: pip compiles every installed module to bytecode on one core (about 35 s of its
  # 75 s on a fresh venv here); stage_bytecode_start does it on every core, beside the fetching
  # of the JavaScript, and stage_bytecode_wait writes the stamp once it is done.
  "$PY" -m pip install -q --no-compile -e ".[book,test]" "${cargs[@]}" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  INSTALL_PENDING_STAMP="$fp"
}

# The installed packages' bytecode (what pip would have written), compiled in the background
# while stage_vendor runs. Only the venv's site-packages: the source tree stays free of
# __pycache__. A module left uncompiled is still imported, only more slowly, so a failure here
# fails the set-up with its message rather than silently.
BYTECODE_PID=""
INSTALL_PENDING_STAMP=""
stage_bytecode_start() {
  [ -n "${INSTALL_PENDING_STAMP:-}" ] || return 0
  local site
  site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  "$PY" -m compileall -q -j 0 "$site" > "$VENV/compileall.log" 2>&1 &
  BYTECODE_PID="$!"
}
stage_bytecode_wait() {
  [ -n "$BYTECODE_PID" ] || return 0
  if ! wait "$BYTECODE_PID"; then
    echo "Compiling the installed packages failed:"; tail -20 "$VENV/compileall.log"; return 1
  fi
  BYTECODE_PID=""
  printf '%s\n' "$INSTALL_PENDING_STAMP" > "$INSTALL_STAMP"
  INSTALL_PENDING_STAMP=""
}

stage_vendor() {
  bash "$ROOT/scripts/vendor_js.sh"
  # The live book's runtime: Pyodide and pure widget wheels (book/_ext/nec_live.py needs them).
  PYTHON="$PY" bash "$ROOT/scripts/vendor_live.sh"
}

stage_chromium() {
  if [ -x "$CHROMIUM" ]; then
    echo "Chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    return 0
  fi
  header "Installing Debian's chromium (browser downloads by test tools do not work here)"
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium >/dev/null
  "$CHROMIUM" --version
}

# R is the oracle for the statistics (tests/reference_r): Debian's R with rms, survival,
# metafor and jsonlite. Installed only when one is missing (a minute or two from Debian).
R_PACKAGES=(r-base-core r-cran-rms r-cran-survival r-cran-metafor r-cran-jsonlite)
stage_r_install() {
  if command -v Rscript >/dev/null 2>&1 && Rscript --vanilla -e \
      'q(status = !all(sapply(c("rms","survival","metafor","jsonlite"), requireNamespace, quietly = TRUE)))' \
      >/dev/null 2>&1; then
    echo "R present: $(Rscript --version 2>&1 | head -1)"
    return 0
  fi
  header "Installing Debian's R with rms, survival, metafor (the statistics' reference)"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${R_PACKAGES[@]}" >/dev/null
  Rscript --version 2>&1 | head -1
}

# Every kernel of the venv reads $VENV/etc/ipython/ipython_kernel_config.py (IPython's config
# folder of an environment, after the user's own profile): scripts/ipython_kernel_config.py,
# one slow, unused import left out (its docstring says which). Replaced whole (mv), and only
# when it differs: kernels of another lane may be reading it.
stage_kernel_config() {
  local target="$VENV/etc/ipython/ipython_kernel_config.py"
  cmp -s "$ROOT/scripts/ipython_kernel_config.py" "$target" && return 0
  mkdir -p "$(dirname "$target")"
  cp "$ROOT/scripts/ipython_kernel_config.py" "$target.$$" && mv "$target.$$" "$target"
}

setup_env() {
  run_timed "env: venv" stage_venv
  run_timed "env: pip install" stage_install
  stage_kernel_config
  stage_bytecode_start
  run_timed "env: vendor JS" stage_vendor
  run_timed "env: bytecode" stage_bytecode_wait
}

# ----------------------------------------------------------------------------------------------
# build and test stages
# ----------------------------------------------------------------------------------------------
# pytest exits 5 when it collected nothing; a stage whose folder is still empty is reported,
# not failed.
pytest_allow_empty() {
  local rc=0
  "$(venv_bin pytest)" "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "NOTE: pytest collected no tests for: $*"
    return 0
  fi
  return "$rc"
}

stage_build() {
  header "Building the book (jupyter-book build .)"
  # Incremental: Sphinx re-reads the pages whose source changed, and (book/_ext/
  # nec_execution_deps.py) the chapters whose code or data in nec/ or data/ changed; notebooks
  # whose code did not change take their outputs from the execution cache.
  "$(venv_bin jupyter-book)" build .
}

stage_lint() {
  header "Stage 1/6: ruff check ."
  "$(venv_bin ruff)" check .
}

stage_unit() {
  header "Stage 2/6: unit tests and the docstring examples of nec (browser tests excluded)"
  MPLBACKEND=Agg pytest_allow_empty tests nec --doctest-modules -p no:cacheprovider \
    --ignore=tests/browser --ignore=tests/reference_r -m "not browser"
}

# The same statistics computed by R (rms, survival, metafor) on the same files: a separate stage
# so that a disagreement with the oracle is reported as such.
stage_r_reference() {
  header "Stage 2/6 (R): nec against R's rms, survival and metafor (tests/reference_r)"
  MPLBACKEND=Agg "$(venv_bin pytest)" tests/reference_r -p no:cacheprovider
}

# The benchmarks are measurements, not tests; here they only prove the script still runs (tiny
# inputs, a few seconds), and that the fast bootstrap still equals the plain lifelines loop.
stage_bench_smoke() {
  header "Stage 2/6 (end): benchmarks/run.py --smoke"
  "$PY" benchmarks/run.py --smoke
}

# nec's standard-library core (what the live book runs in the browser) under Pyodide, CPython 3.14
# in WebAssembly, in Node: the core's own tests and docstring examples. The book builds on 3.11;
# the browser runs 3.14; both must pass.
PYODIDE_TEST_WHEELS=(pytest pluggy iniconfig packaging hypothesis attrs sortedcontainers)
# The core: what the live book calls. Deselected by name (-k), each because it is not about the
# core's behaviour on Pyodide: a build-time table or figure made with pandas or matplotlib
# (grading's thresholds table and grade map, dosing's regimen table read as a DataFrame), a
# comparison with statsmodels (the oracle, run in the unit stage) and an import check that
# starts a subprocess (WebAssembly has none; the unit stage runs it); and the nomogram core's
# comparisons with luo2024()'s pandas reading of the axes and numpy's Weibull fit (the oracles
# run in the unit stage; under Pyodide the core is checked against Table 4's printed numbers).
PYODIDE_CORE_TESTS=(-k "not thresholds_table and not grade_map and not regimen_table and not ep_split_note and not folfiri_rows and not matches_statsmodels and not need_no_numpy and not equal_survival_axis and not equal_beyond_printed_axes and not numpys_least_squares"
                    tests/test_nomogram_core.py tests/test_bad_input_nomogram_core.py
                    nec/nomogram_core.py
                    tests/test_grading.py tests/test_bad_input_grading.py tests/test_dosing.py
                    nec/grading.py nec/dosing.py nec/second_line.py nec/tables.py
                    nec/exercises/typed.py nec/exercises/_core.py nec/_browser_comm.py
                    nec/_proportion.py
                    nec/_survival_core.py nec/_pooling_core.py nec/exercises/__init__.py
                    tests/test_checker_answers.py tests/pyodide/pyodide_checker_feedback.py)
stage_pyodide_core() {
  header "Stage 2/6 (Pyodide): nec's core under CPython 3.14 in WebAssembly (Node)"
  command -v node >/dev/null 2>&1 || { as_root apt-get update -qq; as_root apt-get install -y -qq nodejs >/dev/null; }
  local wheels="$ROOT/_build/pyodide-test-wheels" specs=() name spec
  for name in "${PYODIDE_TEST_WHEELS[@]}"; do
    spec="$(grep -i "^${name}==" "$CONSTRAINTS" | head -1)"
    [ -n "$spec" ] || { echo "$name is not in constraints.txt"; return 1; }
    # The locked hypothesis publishes no wheel that declares Python 3.14 support: take the
    # newest release that does (the property tests use only its long-stable API).
    [ "$name" = hypothesis ] && spec="hypothesis"
    specs+=("$spec")
  done
  if [ "$(cat "$wheels/.version" 2>/dev/null)" != "${specs[*]}" ]; then
    rm -rf "$wheels" && mkdir -p "$wheels"
    "$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.14 --platform any \
      --implementation py -d "$wheels" "${specs[@]}" \
      2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    printf '%s' "${specs[*]}" > "$wheels/.version"
  fi
  cp "$ROOT"/book/_static/vendor/live-wheels/*.whl "$wheels/"
  # Every exercise checker's feedback under CPython, which the Pyodide run must equal.
  "$PY" "$ROOT/tests/pyodide/checker_feedback.py" "$ROOT/_build/pyodide-checker-feedback.json"
  node "$ROOT/tests/pyodide/run_core_tests.mjs" "$ROOT" "$wheels" "${PYODIDE_CORE_TESTS[@]}"
}

stage_nbval() {
  header "Stage 3/6: every notebook under book/ (pytest --nbval-lax)"
  pytest_allow_empty --nbval-lax --nbval-current-env -p no:cacheprovider book/
}

stage_strict_build() {
  header "Stage 4/6: strict book build (jupyter-book build . --all -W -n --keep-going)"
  "$(venv_bin jupyter-book)" build . --all -W -n --keep-going
}

# The student edition: the same sources and _config.yml, with sphinx-exercise's hide_solutions
# switched on. jupyter-book 1.x reads one YAML file and has no -D override, so the student config
# is generated from _config.yml on every run (never edited by hand, so the two cannot drift) and
# kept under _build/, where it is neither committed nor a candidate page. It only adds
#   sphinx: config: hide_solutions: true, html_copy_source: false (no _sources/*.ipynb with the
#     solutions in them)
#   sphinx: local_extensions: nec_hide_gated_solutions (book/_ext): sphinx-exercise 1.2.1 cannot
#     hide gated {solution-start}/{solution-end} solutions on its own (it crashes the writer);
#     it also sets the Sphinx tag "student" for {only} blocks
#   html: announcement: a banner on every page saying this is the student edition
# and makes sphinx.local_extensions paths absolute (jupyter-book resolves them against the
# config file's folder). jupyter-book writes to <--path-output>/_build/html; the HTML is then moved
# to _build/student/html, beside the full build's _build/html.
write_student_config() {
  mkdir -p "$STUDENT_DIR"
  "$PY" - "$ROOT/_config.yml" "$STUDENT_DIR/_config_student.yml" "$ROOT" <<'PYEOF'
import sys
from pathlib import Path

import yaml

src, dst, root = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
cfg = yaml.safe_load(src.read_text(encoding="utf-8"))
sphinx = cfg.setdefault("sphinx", {})
sphinx.setdefault("config", {})["hide_solutions"] = True
sphinx["config"]["html_copy_source"] = False
local = sphinx.setdefault("local_extensions", {})
local["nec_hide_gated_solutions"] = "book/_ext"
for name, path in local.items():
    local[name] = str((root / path).resolve())
# Every page says which edition it is (sphinx-book-theme's announcement banner).
cfg.setdefault("html", {})["announcement"] = (
    "Student edition: every exercise with its checker, no solutions. "
    "The notebooks to do them in are in _build/student/notebooks/.")
# One execution cache for both editions: the student build re-uses the full build's runs.
cfg["execute"]["cache"] = str((root / cfg["execute"]["cache"]).resolve())
header = "# GENERATED by run.sh from _config.yml for the student build: do not edit.\n"
dst.write_text(header + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
PYEOF
}

stage_student_build() {
  header "${1:-Student build}: strict student build, solutions hidden (hide_solutions) -> _build/student/html"
  write_student_config
  rm -rf "$STUDENT_HTML_DIR" "$STUDENT_DIR/_build/html"
  "$(venv_bin jupyter-book)" build . --all -W -n --keep-going \
    --config "$STUDENT_DIR/_config_student.yml" --path-output "$STUDENT_DIR"
  mv "$STUDENT_DIR/_build/html" "$STUDENT_HTML_DIR"
}

# The build's executed notebooks: their glued numbers go into the student notebooks' prose.
executed_dir() {
  if [ -d "$STUDENT_DIR/_build/jupyter_execute" ]; then
    printf '%s' "$STUDENT_DIR/_build/jupyter_execute"
  else
    printf '%s' "$ROOT/_build/jupyter_execute"
  fi
}

# The student notebooks: every chapter without its solutions and checks, MyST markers turned
# into plain Markdown (scripts/student_notebooks.py; tests/test_student_notebooks.py).
stage_student_notebooks() {
  header "Student notebooks (no solutions, no checks) -> $STUDENT_NOTEBOOKS_DIR"
  rm -rf "$STUDENT_NOTEBOOKS_DIR"
  "$PY" scripts/student_notebooks.py "$STUDENT_NOTEBOOKS_DIR" --executed "$(executed_dir)"
}

# The workshop bundle (scripts/make_bundle.sh), then its end-to-end test: unpacked in /tmp,
# installed into a fresh venv with no index (PIP_NO_INDEX=1), explorers imported, every student
# notebook executed by the bundle's own kernel, and one opened in the bundle's JupyterLab.
stage_bundle() {
  header "Workshop bundle -> $BUNDLE_DIR"
  bash "$ROOT/scripts/make_bundle.sh" "$PY" "$BUNDLE_DIR"
}

stage_bundle_test() {
  header "Workshop bundle: install from the archive alone in a fresh venv, and run it"
  "$(venv_bin pytest)" tests/browser/test_bundle.py -p no:cacheprovider -m browser
}

# stage_browser [PYTEST ARGS]: the browser tests (all of tests/browser unless told which).
stage_browser() {
  header "Stage 6/6: headless-Chromium tests of _build/html, _build/student/html and workshop mode"
  [ -f "$HTML_DIR/index.html" ] || { echo "No $HTML_DIR/index.html: build first"; return 1; }
  [ -f "$STUDENT_HTML_DIR/index.html" ] || {
    echo "No $STUDENT_HTML_DIR/index.html: run ./run.sh student first"; return 1; }
  [ "$#" -gt 0 ] || set -- tests/browser
  # test_bundle.py tests the archive that ./run.sh bundle writes (and runs itself).
  "$(venv_bin pytest)" "$@" -p no:cacheprovider -m browser --ignore=tests/browser/test_bundle.py
}
# The browser stage in two lanes: the tests that start their own servers and pages (workshop
# mode, the explorers page, the live book, the live explorers on a phone, the page weight, each
# page in a fresh context), beside the tests that read the one visit of each page of both
# builds (visits.py: accessibility, layout, figures, the static previews on a phone, the
# student edition) and the built HTML's text. Each lane is one pytest process driving one
# Chromium page at a time, so two lanes use both cores. Measured alone at 9f716f6: the visits
# about 150 s (28 pages, 5-13 s a chapter), the live book 55 s, workshop mode 65 s, page weight
# 26 s, the explorers page 15 s.
BROWSER_WORKSHOP_LANE=(tests/browser/test_workshop.py tests/browser/test_explorers_page.py
                       tests/browser/test_live.py tests/browser/test_page_weight.py)
lane_browser_workshop() {
  in_lane "6 browser: workshop, explorers, live" stage_browser "${BROWSER_WORKSHOP_LANE[@]}"
}
lane_browser_pages() {
  local ignore=() test
  for test in "${BROWSER_WORKSHOP_LANE[@]}"; do ignore+=("--ignore=$test"); done
  in_lane "6 browser: the built pages" stage_browser tests/browser "${ignore[@]}"
}

# ----------------------------------------------------------------------------------------------
# subcommands
# ----------------------------------------------------------------------------------------------
# finish T0: record the total since T0 and print every stage's time.
finish() {
  TIMINGS+=("$(printf '%-28s %7.1f s' "total" "$(elapsed "$1" "$(now)")")")
  print_timings
  echo
}

cmd_build() {
  local t0
  t0="$(now)"
  setup_env
  run_timed "build" stage_build
  finish "$t0"
  echo "Book built: $HTML_DIR/index.html"
}

# ./run.sh test in two lanes, one per core (run_lanes), each a sequence of stages that uses one
# core. The builds come first in their lane, because the browser stage tests what they built:
# the other lane reaches its browser tests later and waits for them there (wait_for_books), so
# no core sits idle at a barrier between groups of stages. Measured on a fresh clone at
# 35ee7db (each stage's seconds beside the other lane): unit 150, nbval 67, smoke 8, then the
# built pages' browser tests 177 (402 s); strict build 71, student build 15, R 58, Pyodide 24,
# then the workshop, explorers-page, live-book and phone browser tests 236 (403 s).
BOOKS_READY="$LANE_DIR/books.ready"
BOOKS_FAILED="$LANE_DIR/books.failed"
lane_tests() {
  in_lane "2 unit tests" stage_unit
  in_lane "3 nbval" stage_nbval
  in_lane "2 benchmark smoke run" stage_bench_smoke
  in_lane "6 browser: waiting for builds" wait_for_books
  lane_browser_pages
}
lane_books() {
  # However this lane ends, the other one must learn whether the books were built.
  trap '[ -f "$BOOKS_READY" ] || touch "$BOOKS_FAILED"' EXIT
  in_lane "4 strict build" stage_strict_build
  in_lane "5 strict student build" stage_student_build "Stage 5/6"
  in_lane "5 student notebooks" stage_student_notebooks
  touch "$BOOKS_READY"
  in_lane "2 R reference" stage_r_reference
  in_lane "2 Pyodide core" stage_pyodide_core
  lane_browser_workshop
}
wait_for_books() {
  until [ -f "$BOOKS_READY" ]; do
    if [ -f "$BOOKS_FAILED" ]; then
      echo "The strict builds failed in the other lane: the browser tests of the built pages"
      echo "cannot run (see $LANE_DIR/lane_books.log)."
      return 1
    fi
    sleep 1
  done
}

cmd_test() {
  local t0
  t0="$(now)"
  setup_env
  run_timed "env: chromium" stage_chromium
  run_timed "1 ruff" stage_lint
  run_timed "env: R" stage_r_install
  # Two lanes, one per core (lane_tests, lane_books above): nbval runs every notebook in its own
  # kernels; the strict build executes them into the execution cache, which the student build
  # re-uses.
  mkdir -p "$LANE_DIR"
  rm -f "$BOOKS_READY" "$BOOKS_FAILED"
  run_lanes "2-6 all tests, two lanes" lane_tests lane_books
  finish "$t0"
  echo "All stages passed. Screenshots: $ROOT/test-artifacts/screenshots/"
}

cmd_student() {
  local t0
  t0="$(now)"
  setup_env
  run_timed "student build" stage_student_build
  run_timed "student notebooks" stage_student_notebooks
  finish "$t0"
  echo "Student book built (solutions removed): $STUDENT_HTML_DIR/index.html"
  echo "Student notebooks (open them in JupyterLab): $STUDENT_NOTEBOOKS_DIR/"
}

cmd_bundle() {
  local t0
  t0="$(now)"
  setup_env
  run_timed "env: chromium" stage_chromium
  run_timed "build" stage_build
  run_timed "student build" stage_student_build
  run_timed "student notebooks" stage_student_notebooks
  run_timed "bundle" stage_bundle
  run_timed "bundle test" stage_bundle_test
  finish "$t0"
  echo "Workshop bundle (tested): $(ls "$BUNDLE_DIR"/nec-workshop-*.tar.gz)"
}

cmd_workshop() {
  # setup_env installs the test extra, which includes JupyterLab (the workshop extra).
  setup_env
  # The student notebooks carry the numbers the build computed: build first (incremental).
  stage_build
  local port="${NEC_WORKSHOP_PORT:-8888}"
  header "Workshop folder: student notebooks, the full chapters in instructor/ -> $WORKSHOP_DIR"
  "$PY" scripts/student_notebooks.py --workshop --instructor "$WORKSHOP_DIR" \
    --executed "$ROOT/_build/jupyter_execute" >/dev/null
  # One list of flags for this command, the bundle's start.sh and the live browser test
  # (tests/browser/test_workshop.py); its paths are relative to the workshop folder.
  local flags=()
  mapfile -t flags < <(grep -Ev '^[[:space:]]*(#|$)' "$WORKSHOP_FLAGS")
  [ "$(id -u)" -eq 0 ] && flags+=(--allow-root)
  header "JupyterLab on the student notebooks: open the URL printed below (Ctrl-C to stop)"
  echo "The URL opens notebooks/explorers.ipynb (the five explorers, no chapter run; its kernel"
  echo "is already starting); the chapters are in the file browser beside it."
  cd "$WORKSHOP_DIR"
  # lab-settings/workshop_lab.py is jupyter lab with one slow, unused import left out (its
  # docstring says which); lab-settings/workshop_server_config.py, which the flags load, starts
  # the explorers notebook's kernel while the browser loads JupyterLab.
  exec "$PY" lab-settings/workshop_lab.py "${flags[@]}" --port="$port"
}

cmd_explorers() {
  # setup_env installs the test extra, which includes Voilà (the workshop extra). No build: the
  # page is the explorers notebook alone, which Voilà runs when the page is opened.
  setup_env
  local port="${NEC_EXPLORERS_PORT:-8866}"
  "$PY" scripts/student_notebooks.py --explorers-page "$EXPLORERS_DIR" >/dev/null
  header "The five explorers, live, as one page (Voilà): open the URL printed below (Ctrl-C to stop)"
  cd "$EXPLORERS_DIR"
  # Voilà reads voila.json from the folder it starts in (its template, the two widget
  # extensions it loads, no tracebacks on the page, this machine only) and finds the template
  # under share/ through JUPYTER_PATH. explorers_voila.py is voila with one slow, unused import
  # left out (its docstring says which).
  JUPYTER_PATH="$EXPLORERS_DIR/share${JUPYTER_PATH:+:$JUPYTER_PATH}" \
    exec "$PY" explorers_voila.py explorers.ipynb --port="$port"
}

cmd_serve() {
  [ -f "$HTML_DIR/index.html" ] || { echo "No $HTML_DIR/index.html: run ./run.sh build first"; exit 1; }
  exec "$PY" "$ROOT/scripts/serve.py" "$HTML_DIR"
}

cmd_lock() {
  stage_venv
  stage_install
  header "Writing constraints.txt from $VENV"
  {
    echo "# Exact versions that built and tested nec-book (pip freeze --exclude-editable)."
    echo "# Used as pip -c by run.sh so every machine and CI resolve identically."
    echo "# Regenerate with: ./run.sh lock (after changing dependencies in pyproject.toml)."
    "$PY" -m pip freeze --exclude-editable
  } > "$CONSTRAINTS.tmp"
  mv "$CONSTRAINTS.tmp" "$CONSTRAINTS"
  # The stamp includes constraints.txt: record the new one so the next run does not reinstall.
  install_fingerprint > "$INSTALL_STAMP"
  echo "Wrote $CONSTRAINTS ($(grep -vc '^#' "$CONSTRAINTS") packages)"
}

usage() {
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  build) cmd_build ;;
  student) cmd_student ;;
  test) cmd_test ;;
  lock) cmd_lock ;;
  workshop) cmd_workshop ;;
  explorers) cmd_explorers ;;
  bundle) cmd_bundle ;;
  serve) cmd_serve ;;
  -h|--help|help|"") usage; [ -n "${1:-}" ] ;;
  *) echo "unknown subcommand: $1" >&2; usage >&2; exit 2 ;;
esac
