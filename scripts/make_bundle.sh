#!/usr/bin/env bash
# Write the workshop bundle: one archive that sets up a participant's laptop with no network.
#
#   scripts/make_bundle.sh PYTHON OUT_DIR     (./run.sh bundle calls it after both builds)
#
# PYTHON is the project's .venv python (its pip downloads and builds the wheels; the index is
# needed here, on the instructor's machine, and never again). The archive
# OUT_DIR/nec-workshop-<tag>.tar.gz unpacks to nec-workshop-<tag>/ with
#   wheels/            every wheel of the locked environment for nec[book,workshop] (constraints.txt),
#                      and setuptools, to install nec from source/ with no index
#   source/            nec/, data/ and pyproject.toml as committed (git archive HEAD): nec reads its
#                      tables from data/ beside the package, so it is installed editable from here
#                      (a wheel of nec would leave data/ out)
#   constraints.txt    the lock, so the offline install resolves exactly the tested versions
#   notebooks/         the student edition of every chapter (no solutions, no checks)
#   lab-settings/      JupyterLab's workshop defaults (no news question)
#   book/              the student edition of the book (HTML, its JavaScript vendored: offline)
#   workshop_flags.txt JupyterLab's flags, the same as ./run.sh workshop's
#   install.sh         python3 -m venv .venv + pip install --no-index --find-links wheels -e source
#   start.sh           JupyterLab on notebooks/, on this laptop only
#   README.txt         the two commands
# <tag> is cp<major><minor>-<platform> (e.g. cp311-linux-x86_64): wheels with compiled code
# (numpy, scipy, pandas, matplotlib) fit one Python version on one platform, so the bundle
# installs on a laptop with the same Python minor version, OS and architecture.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$1"
OUT="$2"
TAG="$("$PY" -c 'import sys, sysconfig
print(f"cp{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform()}")')"
NAME="nec-workshop-$TAG"
STAGE="$OUT/$NAME"
STUDENT_HTML="$ROOT/_build/student/html"
EXECUTED="$ROOT/_build/jupyter_execute"

[ -f "$STUDENT_HTML/index.html" ] || { echo "no $STUDENT_HTML: run ./run.sh student" >&2; exit 1; }
[ -d "$EXECUTED" ] || { echo "no $EXECUTED: run ./run.sh build" >&2; exit 1; }

rm -rf "$STAGE" "$OUT/$NAME.tar.gz"
mkdir -p "$STAGE/wheels"

echo "[bundle] wheels for nec[book,workshop] with constraints.txt (pip wheel; pip's cache is used)"
# pip wheel builds nec's wheel and fetches (or builds, for an sdist-only package) a wheel of
# every dependency at the locked version. This machine's pip configuration may name local wheel
# folders that do not exist; pip then warns once per package: drop only those lines.
"$PY" -m pip wheel -q --wheel-dir "$STAGE/wheels" -c "$ROOT/constraints.txt" \
  "$ROOT[book,workshop]" "setuptools>=69" \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
# A wheel is built from a copy of the tree, which leaves a build/ folder behind with setuptools.
rm -rf "$ROOT/build" "$ROOT"/nec.egg-info
# nec itself goes in as source (see source/ above), not as this wheel.
rm -f "$STAGE"/wheels/nec-*.whl
cp "$ROOT/constraints.txt" "$STAGE/constraints.txt"
mkdir -p "$STAGE/source"
# What is committed, not whatever the working tree holds (git archive HEAD).
git -C "$ROOT" archive HEAD pyproject.toml README.md nec data | tar -x -C "$STAGE/source"

echo "[bundle] student notebooks, workshop settings, student book"
"$PY" "$ROOT/scripts/student_notebooks.py" --workshop "$STAGE" --executed "$EXECUTED" >/dev/null
cp -R "$STUDENT_HTML" "$STAGE/book"
cp "$ROOT/scripts/workshop_flags.txt" "$STAGE/workshop_flags.txt"

cat > "$STAGE/install.sh" <<EOF
#!/usr/bin/env bash
# Install the nec workshop environment from this folder alone: pip uses no index and no network.
#   ./install.sh            (PYTHON=/path/to/python3.X ./install.sh to choose the Python)
set -euo pipefail
HERE="\$(cd "\$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
PYTHON="\${PYTHON:-python3}"
"\$PYTHON" - <<'PYEOF'
import sys, sysconfig
made_for = "$TAG"
this = f"cp{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform()}"
if this != made_for:
    sys.exit(f"This bundle was made for {made_for}, but this Python is {this}: its wheels "
             "would not install. Use a Python of that version (PYTHON=... ./install.sh), or ask "
             "the instructor for the bundle made on a laptop like this one.")
PYEOF
"\$PYTHON" -m venv "\$HERE/.venv"
# Editable from source/: nec finds its tables in source/data (do not move this folder afterwards).
PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "\$HERE/.venv/bin/python" -m pip install -q \\
  --no-index --find-links "\$HERE/wheels" -c "\$HERE/constraints.txt" -e "\$HERE/source[book,workshop]"
(cd / && "\$HERE/.venv/bin/python" -c "import nec.widgets; nec.data.load('regimens'); print('nec', nec.__version__, 'installed')")
echo "Start the workshop with: \$HERE/start.sh   (the book, offline: \$HERE/book/index.html)"
EOF

cat > "$STAGE/start.sh" <<'EOF'
#!/usr/bin/env bash
# JupyterLab on the student notebooks, on this laptop only (the flags of ./run.sh workshop).
#   ./start.sh               (NEC_WORKSHOP_PORT=8890 ./start.sh for another port)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"   # the flags' paths (notebooks/, lab-settings/) are relative to this folder
flags=()
while IFS= read -r line; do
  case "$line" in ''|'#'*|[[:space:]]*'#'*) ;; *) flags+=("$line") ;; esac
done < "$HERE/workshop_flags.txt"
[ "$(id -u)" -eq 0 ] && flags+=(--allow-root)
# lab-settings/workshop_lab.py is jupyter lab with one slow, unused import left out (its
# docstring says which), as ./run.sh workshop starts it.
exec "$HERE/.venv/bin/python" "$HERE/lab-settings/workshop_lab.py" "${flags[@]}" \
  --port="${NEC_WORKSHOP_PORT:-8888}" "$@"
EOF

cat > "$STAGE/README.txt" <<EOF
nec-book workshop bundle ($TAG; made $(date -u +%Y-%m-%d) from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown))

This folder installs everything the workshop needs with no network: it is for a laptop with
Python ${TAG:2:1}.${TAG:3:2} on $(uname -s) $(uname -m) ($TAG).

  1. ./install.sh     once (a minute or two): a .venv in this folder, from wheels/ only
  2. ./start.sh       JupyterLab on notebooks/ (open the http://127.0.0.1:8888/lab?token=... URL)

notebooks/  the chapters with their exercises and explorers, without solutions
book/       the book itself, offline: open book/index.html in a browser

The book teaches. It does not give advice on the care of any patient.
EOF
chmod +x "$STAGE/install.sh" "$STAGE/start.sh"

echo "[bundle] archive"
(cd "$STAGE/wheels" && sha256sum ./*.whl > ../SHA256SUMS.wheels)
tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
rm -rf "$STAGE"
echo "[bundle] $(find "$OUT/$NAME.tar.gz" -printf '%s' | awk '{printf "%.0f MB", $1/1e6}'): $OUT/$NAME.tar.gz"
