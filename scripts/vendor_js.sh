#!/usr/bin/env bash
# Fetch the JavaScript the built book needs into book/_static/vendor/, so that the HTML works with
# no network (no CDN): MathJax for formulas, require.js + the ipywidgets HTML manager for embedded
# widgets. Taken from the npm registry with `npm pack` (no node_modules, no install scripts).
# Idempotent: a package is skipped when its folder carries the right version stamp.
# The vendored files are not committed (.gitignore); ./run.sh calls this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/book/_static/vendor"

# Exact versions. Change a version here and the next run re-fetches that package.
# - html-manager 1.0.15 and requirejs 2.3.7: the pair checked in headless Chromium with widgets
#   embedded by myst-nb (0 external requests, 0 console errors); html-manager 1.x matches
#   ipywidgets 8's widget state format.
# - mathjax 3.2.2: the last 3.x; Sphinx 7's default mathjax3 configuration is written for v3
#   (MathJax 4 changed its font and configuration layout).
HTML_MANAGER_VERSION="1.0.15"
REQUIREJS_VERSION="2.3.7"
MATHJAX_VERSION="3.2.2"

log() { printf '[vendor_js] %s\n' "$*"; }

ensure_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  log "npm not found: installing Debian's npm"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
}

# fetch NAME PKG@VERSION: unpack the package tarball into a temporary folder, then hand the
# unpacked folder to the copy function given as $3.
fetch() {
  local name="$1" spec="$2" copy_fn="$3"
  local stamp="$DEST/$name/.version"
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
  rm -rf "$DEST/$name"
  mkdir -p "$DEST/$name"
  "$copy_fn" "$tmp/x/package" "$DEST/$name"
  printf '%s\n' "$spec" > "$stamp"
  rm -rf "$tmp"
}

# The whole dist/ folder: embed-amd.js loads sibling chunk and font files at run time.
copy_html_manager() { cp -r "$1/dist" "$2/dist"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }
copy_requirejs() { cp "$1/require.js" "$2/require.js"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }
# es5/ holds the combined components (tex-chtml.js, ...) and the fonts they load.
copy_mathjax() { cp -r "$1/es5" "$2/es5"; cp "$1/LICENSE"* "$2/" 2>/dev/null || true; }

mkdir -p "$DEST"
fetch html-manager "@jupyter-widgets/html-manager@$HTML_MANAGER_VERSION" copy_html_manager
fetch requirejs "requirejs@$REQUIREJS_VERSION" copy_requirejs
fetch mathjax "mathjax@$MATHJAX_VERSION" copy_mathjax

# Fail loudly if a file the book's configuration points at is missing.
for f in html-manager/dist/embed-amd.js requirejs/require.js mathjax/es5/tex-mml-chtml.js; do
  [ -s "$DEST/$f" ] || { log "missing $DEST/$f"; exit 1; }
done
log "done: $(du -sh "$DEST" | cut -f1) in $DEST"
