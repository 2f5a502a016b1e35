#!/usr/bin/env bash
# Fetch what the live book runs in the reader's browser into book/_static/vendor/ (not committed):
#   pyodide/      the Pyodide runtime (CPython in WebAssembly) from the npm registry
#   live-wheels/  pure-Python wheels of ipywidgets and what it imports, from PyPI
#   pyodide/live-python.zip  what the page loads instead of python_stdlib.zip: the standard
#                 library, ipywidgets, comm and traitlets compiled to bytecode by Pyodide itself
#                 (scripts/live_precompile.mjs, in Node), and scripts/live_shim/IPython
# The live book runs nec's own pure-Python code on Pyodide's standard library plus these wheels:
# no registry we reach has WebAssembly builds of numpy, pandas or matplotlib.
#
# Versions, in one place:
# - PYODIDE_VERSION below (314.0.7: CPython 3.14; its lockfile is not used, since every wheel is
#   loaded from this folder by nec-live.js, so nothing in it needs regenerating);
# - the wheels take their versions from constraints.txt, so the browser runs the same ipywidgets
#   (and widget protocol) as the build that embedded the widget states.
# Idempotent: a folder whose stamp matches is left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/book/_static/vendor"
PYODIDE_VERSION="314.0.7"
PYODIDE_PYTHON="3.14"
# What `import ipywidgets` imports (measured with python -X importtime): the rest of IPython's
# dependencies load only for a terminal or completion, which the page never uses. ipython and
# pygments are fetched for the Pyodide test stage (run.sh) only: the page has a stand-in for
# IPython (BROWSER_WHEELS are those that go into live-python.zip).
LIVE_WHEELS=(ipywidgets comm traitlets ipython pygments)
BROWSER_WHEELS=(ipywidgets comm traitlets)
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3

log() { printf '[vendor_live] %s\n' "$*"; }

pin() {  # pin NAME: NAME==VERSION from constraints.txt (names compared case- and _/- blind)
  local want
  want="$(printf '%s' "$1" | tr 'A-Z_' 'a-z-')"
  awk -F'==' -v w="$want" '{ n = tolower($1); gsub("_", "-", n); if (n == w) { print $1 "==" $2; exit } }' \
    "$ROOT/constraints.txt"
}

# --- Pyodide --------------------------------------------------------------------------------
stamp="$DEST/pyodide/.version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "pyodide@$PYODIDE_VERSION" ]; then
  log "pyodide@$PYODIDE_VERSION already present"
else
  command -v npm >/dev/null 2>&1 || { log "npm is needed (Debian: apt-get install npm)"; exit 1; }
  tmp="$(mktemp -d)"
  log "fetching pyodide@$PYODIDE_VERSION"
  (cd "$tmp" && npm pack --silent --ignore-scripts "pyodide@$PYODIDE_VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/*.tgz -C "$tmp/x"
  rm -rf "$DEST/pyodide" && mkdir -p "$DEST/pyodide"
  for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json \
           package.json README.md; do
    cp "$tmp/x/package/$f" "$DEST/pyodide/"
  done
  printf 'pyodide@%s\n' "$PYODIDE_VERSION" > "$stamp"
  rm -rf "$tmp"
fi

# --- wheels ---------------------------------------------------------------------------------
specs=()
for name in "${LIVE_WHEELS[@]}"; do
  spec="$(pin "$name")"
  [ -n "$spec" ] || { log "$name is not in constraints.txt"; exit 1; }
  specs+=("$spec")
done
want="$(printf '%s\n' "${specs[@]}" | LC_ALL=C sort | tr '\n' ' ')"
stamp="$DEST/live-wheels/.version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  log "live wheels already present ($want)"
else
  log "fetching pure wheels for Python $PYODIDE_PYTHON: $want"
  rm -rf "$DEST/live-wheels" && mkdir -p "$DEST/live-wheels"
  "$PY" -m pip download -q --no-deps --only-binary=:all: --python-version "$PYODIDE_PYTHON" \
    --platform any --implementation py -d "$DEST/live-wheels" "${specs[@]}" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  printf '%s' "$want" > "$stamp"
fi

# --- the page's library, as bytecode -----------------------------------------------------
inputs=("$ROOT/scripts/live_precompile.mjs" "$ROOT"/scripts/live_shim/IPython/*.py "$ROOT"/scripts/live_shim/IPython/core/*.py)
browser=()
for name in "${BROWSER_WHEELS[@]}"; do browser+=("$(ls "$DEST"/live-wheels/"$name"-*.whl)"); done
want="pyodide@$PYODIDE_VERSION $(cat "${inputs[@]}" | sha256sum | cut -c1-16) ${browser[*]##*/}"
stamp="$DEST/pyodide/.live-python"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$DEST/pyodide/live-python.zip" ]; then
  log "live-python.zip already built ($want)"
else
  command -v node >/dev/null 2>&1 || { log "node is needed (Debian: apt-get install nodejs)"; exit 1; }
  log "compiling the page's library with Pyodide (Node; about a minute)"
  node "$ROOT/scripts/live_precompile.mjs" library "$DEST/pyodide" "$DEST/pyodide/live-python.zip" \
    "$ROOT/scripts/live_shim" "$ROOT" "${browser[@]}"
  printf '%s' "$want" > "$stamp"
fi
