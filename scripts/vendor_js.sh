#!/usr/bin/env bash
# Fetch the JavaScript the built book needs into book/_static/vendor/, so that the HTML works with
# no network (no CDN): MathJax for formulas, require.js + the ipywidgets HTML manager for embedded
# widgets. Also fetches axe-core, which only the accessibility test injects into pages: it goes to
# tests/browser/vendor/, outside book/_static, so the book never ships it.
# Taken from the npm registry with `npm pack` (no node_modules, no install scripts).
# Idempotent: a package is skipped when its folder carries the right version stamp.
# The vendored files are not committed (.gitignore); ./run.sh calls this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/book/_static/vendor"
TEST_DEST="$ROOT/tests/browser/vendor"

# Exact versions. Change a version here and the next run re-fetches that package.
# - html-manager 1.0.15 and requirejs 2.3.7: the pair checked in headless Chromium with widgets
#   embedded by myst-nb (0 external requests, 0 console errors); html-manager 1.x matches
#   ipywidgets 8's widget state format.
# - mathjax 3.2.2: the last 3.x; Sphinx 7's default mathjax3 configuration is written for v3
#   (MathJax 4 changed its font and configuration layout).
HTML_MANAGER_VERSION="1.0.15"
REQUIREJS_VERSION="2.3.7"
MATHJAX_VERSION="3.2.2"
# - axe-core 4.14.1: the current 4.x when tests/browser/test_a11y.py was written. A new minor
#   release adds or tightens rules, so a bump can fail pages that passed: bump it on purpose.
AXE_CORE_VERSION="4.14.1"

log() { printf '[vendor_js] %s\n' "$*"; }

ensure_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  log "npm not found: installing Debian's npm"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
}

# fetch NAME PKG@VERSION COPY_FN [DEST_ROOT]: unpack the package tarball into a temporary folder,
# then hand the unpacked folder to COPY_FN, which fills DEST_ROOT/NAME (DEST_ROOT: $DEST).
fetch() {
  local name="$1" spec="$2" copy_fn="$3" dest="${4:-$DEST}"
  local stamp="$dest/$name/.version"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ]; then
    log "$spec already present"
    return 0
  fi
  ensure_npm
  local tmp
  tmp="$(mktemp -d)"
  log "fetching $spec"
  if ! (cd "$tmp" && npm pack --silent --ignore-scripts "$spec" >/dev/null 2>"$tmp/npm.err"); then
    cat "$tmp/npm.err" >&2
    rm -rf "$tmp"
    log "npm pack $spec failed"
    return 1
  fi
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/*.tgz -C "$tmp/x"
  rm -rf "${dest:?}/$name"
  mkdir -p "$dest/$name"
  "$copy_fn" "$tmp/x/package" "$dest/$name"
  printf '%s\n' "$spec" > "$stamp"
  rm -rf "$tmp"
}

# The whole dist/ folder: embed-amd.js loads sibling chunk and font files at run time.
copy_html_manager() { cp -r "$1/dist" "$2/dist"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }
copy_requirejs() { cp "$1/require.js" "$2/require.js"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }
# es5/ holds the combined components (tex-chtml.js, ...) and the fonts they load.
copy_mathjax() { cp -r "$1/es5" "$2/es5"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }
# axe.min.js is the whole engine (rules and locale included); the test injects it as one file.
copy_axe_core() { cp "$1/axe.min.js" "$2/axe.min.js"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }

mkdir -p "$DEST"
fetch html-manager "@jupyter-widgets/html-manager@$HTML_MANAGER_VERSION" copy_html_manager
fetch requirejs "requirejs@$REQUIREJS_VERSION" copy_requirejs
fetch mathjax "mathjax@$MATHJAX_VERSION" copy_mathjax
mkdir -p "$TEST_DEST"
fetch axe-core "axe-core@$AXE_CORE_VERSION" copy_axe_core "$TEST_DEST"

# Fail loudly if a file the book's configuration (or the accessibility test) points at is missing.
for f in "$DEST/html-manager/dist/embed-amd.js" "$DEST/requirejs/require.js" \
         "$DEST/mathjax/es5/tex-mml-chtml.js" "$TEST_DEST/axe-core/axe.min.js"; do
  [ -s "$f" ] || { log "missing $f"; exit 1; }
done
log "done: $(du -sh "$DEST" | cut -f1) in $DEST, $(du -sh "$TEST_DEST" | cut -f1) in $TEST_DEST"
