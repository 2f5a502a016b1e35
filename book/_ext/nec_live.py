"""Sphinx extension: live explorers and exercise checkers in the static book.

The HTML book shows each explorer in its first state (the widget state embedded at build
time). This extension adds, next to every explorer and every exercise answer cell, a small
"Run live" control. Pressing it loads Python into the reader's own browser (Pyodide, vendored
in ``book/_static/vendor/pyodide`` by ``scripts/vendor_live.sh``, with ``live-python.zip``: its
standard library and ipywidgets as bytecode) together with ``nec``, and runs the same explorer
or checker there
(``book/_static/js/nec-live.js``). Until the button is pressed nothing more is downloaded:
the control is a few hundred bytes of HTML whose click handler imports the script.

What it does at build time:

- ``doctree-resolved``: finds the notebook cells that make an explorer
  (``nec.widgets.<name>_explorer(...)``) and the exercise answer cells (``answer = <literal>``
  followed by ``check("<id>", answer)``), reading their source from the notebook itself (a
  cell's code may be hidden from the page), and puts the control before each one.
- ``build-finished``: writes ``_static/live/nec-book.zip`` (the ``nec`` package and ``data/``,
  exactly as they are in the source tree, so the browser runs the code the book was built
  with, and nec's bytecode compiled by Pyodide in Node, so the page compiles nothing) and
  ``_static/live/manifest.json`` (the files the browser must load, with sizes), and removes
  from the built site the vendored files the page never loads (:data:`NOT_SERVED`).
- ``builder-inited``: fails the build with a sentence saying how to fetch the runtime when the
  vendored Pyodide or wheels are missing (a book whose "Run live" buttons lead nowhere must not
  be built silently).
"""

from __future__ import annotations

import ast
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

EXPLORER_CALL = re.compile(r"\bnec\.widgets\.(\w+_explorer)\(")
#: The explorers whose whole science path runs on the standard library (tested live in
#: tests/browser/test_live.py). Any other explorer keeps its preview with a sentence saying
#: why, rather than a button that would fail.
LIVE_EXPLORERS = {"grading_explorer", "dosing_explorer", "options_explorer", "nomogram_explorer",
                  "audit_explorer"}
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([\w-]+)["']\s*,\s*answer\s*\)""")
#: What the browser's Python lacks (no WebAssembly build reaches us), and what a checker that needs
#: it does with it: the answer box of such a checker says so in one sentence instead of offering
#: a button that would fail (browser_unavailable_checkers finds them).
HEAVY_LIBRARIES = {
    "lifelines": "refits a survival model with lifelines",
    "numpy": "computes with numpy",
    "pandas": "reads its table with pandas",
    "scipy": "computes with scipy",
    "statsmodels": "fits a model with statsmodels",
    "matplotlib": "draws with matplotlib",
}
#: Run in a fresh interpreter with those libraries made unimportable: every checker is called
#: with answers of each kind, and the first library it asks for is printed (JSON).
_PROBE = """
import importlib, importlib.abc, json, sys
HEAVY = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in HEAVY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
from nec.exercises import EXERCISES, check
for extra in filter(None, sys.argv[2].split(",")):  # more checkers to sort (a test's)
    importlib.import_module(extra)
needs = {}
for eid in sorted(EXERCISES):
    for answer in (None, "", "NET G2", 2.9, 0, 12, {"a": 1}, [1, 2]):
        try:
            check(eid, answer)
        except ImportError as err:
            needs[eid] = (err.name or "").split(".")[0]
            break
        except Exception:
            pass
print(json.dumps(needs))
"""
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "live-python.zip")
#: Where the page unpacks nec-book.zip (nec-live.js); its bytecode names its files there.
BUNDLE_DIR = "/home/pyodide/nec-book"


def _root(app: Sphinx) -> Path:
    return Path(app.confdir)


def _vendor(app: Sphinx) -> Path:
    return _root(app) / "book" / "_static" / "vendor"


def _wheels(app: Sphinx) -> list[Path]:
    return sorted((_vendor(app) / "live-wheels").glob("*.whl"))


def _check_runtime(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    missing = [f for f in RUNTIME_FILES if not (_vendor(app) / "pyodide" / f).exists()]
    if missing or not _wheels(app):
        raise ExtensionError(
            "The live book's Python runtime is missing from book/_static/vendor "
            f"({', '.join(missing) or 'live-wheels/*.whl'}): run `bash scripts/vendor_live.sh` "
            "(./run.sh build does it) to fetch Pyodide from the npm registry and the widget "
            "wheels from PyPI, then build again."
        )


def answer_cell(source: str) -> tuple[str, str] | None:
    """``(exercise_id, hint)`` when ``source`` is an exercise's answer cell, else ``None``.

    An answer cell assigns a literal (``None``, a number, a dict of ``None``...) to ``answer``
    and checks it; a solution cell computes its answer, so it is not one.

    >>> answer_cell('answer = None  # your answer, e.g. "NET G2"\\ncheck("grading-x", answer)')
    ('grading-x', 'your answer, e.g. "NET G2"')
    >>> answer_cell('answer = classify(ki67=12).category\\ncheck("grading-x", answer)') is None
    True
    """
    found = CHECK_CALL.search(source)
    if not found:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    first = tree.body[0] if tree.body else None
    if not (isinstance(first, ast.Assign) and len(first.targets) == 1
            and isinstance(first.targets[0], ast.Name) and first.targets[0].id == "answer"):
        return None
    try:
        ast.literal_eval(first.value)
    except ValueError:
        return None
    line = source.splitlines()[first.lineno - 1]
    hint = line.split("#", 1)[1].strip() if "#" in line else ""
    return found.group(1), hint


@functools.lru_cache(maxsize=4)
def browser_unavailable_checkers(root: str, python: str = sys.executable,
                                 extra_modules: tuple[str, ...] = ()) -> dict[str, str]:
    """``{exercise_id: library}`` for each checker that imports a library the browser lacks.

    Found by calling every checker under CPython with those libraries blocked (a fresh
    interpreter, so the build's own imports are untouched), not from a list kept by hand.
    Every checker of the book runs on the standard library, so the book's answer is ``{}``;
    ``extra_modules`` (importable names, e.g. a test's own checker) are imported first, so
    that their checkers are sorted too.
    """
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run([python, "-c", _PROBE, ",".join(HEAVY_LIBRARIES),
                           ",".join(extra_modules)], cwd=root,
                          env=env, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise ExtensionError("nec_live could not sort the exercise checkers into those the "
                             f"browser can run and those it cannot:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def unavailable_sentence(library: str) -> str:
    """The one sentence an answer box shows when its checker cannot run in the browser.

    >>> print(unavailable_sentence("lifelines"))  # doctest: +NORMALIZE_WHITESPACE
    This checker runs only in JupyterLab (the student notebooks, ./run.sh workshop): it refits
    a survival model with lifelines, which the browser's Python cannot run.
    """
    why = HEAVY_LIBRARIES.get(library, f"needs {library}")
    return (f"This checker runs only in JupyterLab (the student notebooks, ./run.sh workshop): "
            f"it {why}, which the browser's Python cannot run.")


FILE_SENTENCE = (
    "The live mode needs the book served over http: run ./run.sh serve and open the address it "
    "prints (this page keeps its static preview)."
)


def _onclick(function: str) -> str:
    # From file:// Chromium refuses to import the module (and Pyodide): say how to make the
    # page live instead, in the status line right after the button.
    return html.escape(
        "if (location.protocol === 'file:') { this.nextElementSibling.textContent = "
        + json.dumps(FILE_SENTENCE).replace('"', "'")
        + "; } else { import(new window.URL('_static/js/nec-live.js', new window.URL("
        "document.documentElement.dataset.content_root || './', document.baseURI)))"
        f".then(m => m.{function}(this)); }}",
        quote=True,
    )


def _control_html(kind: str, payload: str, hint: str = "", unavailable: str = "") -> str:
    if unavailable:
        return (
            f'<div class="nec-live nec-live-check nec-live-unavailable" '
            f'data-exercise="{html.escape(payload)}"><p class="nec-live-note">'
            f"{html.escape(unavailable_sentence(unavailable))}</p></div>"
        )
    if kind == "explorer":
        return (
            '<div class="nec-live nec-live-explorer">'
            '<p class="nec-live-note"><span class="nec-live-label">Preview: the explorer below '
            "shows its starting state.</span> "
            f'<button type="button" class="nec-live-button" onclick="{_onclick("runExplorer")}">'
            "Run live</button> "
            '<span class="nec-live-status" role="status"></span></p>'
            f'<script type="text/x-python" class="nec-live-source">{html.escape(payload)}'
            "</script></div>"
        )
    label = f"Your answer to this exercise ({html.escape(hint)})" if hint else "Your answer"
    return (
        f'<div class="nec-live nec-live-check" data-exercise="{html.escape(payload)}">'
        f'<label class="nec-live-label">{label}: '
        '<input type="text" class="nec-live-answer" autocomplete="off" spellcheck="false" '
        f'placeholder="{html.escape(hint or "your answer")}"></label> '
        f'<button type="button" class="nec-live-button" onclick="{_onclick("runCheck")}">'
        "Check in the browser</button> "
        '<span class="nec-live-status" role="status"></span>'
        '<div class="nec-live-feedback" aria-live="polite"></div></div>'
    )


def _notebook_cells(app: Sphinx, docname: str) -> list[dict] | None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return None
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _add_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    cells = _notebook_cells(app, docname)
    if cells is None:
        return
    for container in list(doctree.findall(nodes.container)):
        if container.get("nb_element") != "cell_code":
            continue
        index = container.get("cell_index")
        if index is None or index >= len(cells):
            continue
        source = "".join(cells[index].get("source", ""))
        if (call := EXPLORER_CALL.search(source)) and call.group(1) not in LIVE_EXPLORERS:
            raw = (
                '<div class="nec-live nec-live-preview"><p class="nec-live-note">Preview: the '
                "explorer below shows its starting state. It needs numpy, pandas or "
                "matplotlib, which cannot run in the browser: run the chapter in JupyterLab "
                "(<code>./run.sh workshop</code>) to use it.</p></div>"
            )
        elif call:
            raw = _control_html("explorer", "import nec\n" + source)
        elif (found := answer_cell(source)) is not None:
            exercise_id, hint = found
            heavy = browser_unavailable_checkers(str(_root(app))).get(exercise_id, "")
            raw = _control_html("check", exercise_id, hint, unavailable=heavy)
        else:
            continue
        parent = container.parent
        position = parent.index(container)
        target = position if raw.startswith(('<div class="nec-live nec-live-explorer"',
                                             '<div class="nec-live nec-live-preview"')) \
            else position + 1
        parent.insert(target, nodes.raw("", raw, format="html"))


def _add_bytecode(root: Path, archive: Path) -> bool:
    """Add the bytecode of every module of ``archive``, compiled by the page's own Python
    (Pyodide in Node: scripts/live_precompile.mjs), so that the page compiles nothing.

    Without Node the bundle keeps its sources only: the page then compiles nec itself (about
    two seconds more to the first answer) and says nothing, since the answers are the same.
    """
    node = shutil.which("node")
    if node is None:
        print("nec_live: node not found, so nec-book.zip has no bytecode (the live start is "
              "slower; Debian: apt-get install nodejs)")
        return False
    subprocess.run([node, str(root / "scripts" / "live_precompile.mjs"), "bundle",
                    str(root / "book" / "_static" / "vendor" / "pyodide"), str(archive),
                    BUNDLE_DIR], check=True, timeout=600)
    return True


def write_bundle(root: Path, out: Path, wheels: list[Path], *, bytecode: bool = False) -> dict:
    """Write ``nec-book.zip`` (``nec/`` and ``data/``, with nec's bytecode when ``bytecode``)
    and ``manifest.json`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    archive = out / "nec-book.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder, suffixes in (("nec", {".py"}), ("data", {".csv", ".md"})):
            for path in sorted((root / folder).rglob("*")):
                if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                    zf.write(path, path.relative_to(root).as_posix())
    if bytecode:
        _add_bytecode(root, archive)
    library = root / "book" / "_static" / "vendor" / "pyodide" / "live-python.zip"
    manifest = {
        "runtime": "vendor/pyodide/",
        # The standard library and the widget packages as bytecode (scripts/vendor_live.sh);
        # the wheels themselves are not loaded by the page.
        "library": "vendor/pyodide/live-python.zip",
        "bundle": "live/nec-book.zip",
        "bytes": {
            "bundle": archive.stat().st_size,
            "library": library.stat().st_size if library.exists() else 0,
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


#: Vendored files the page never loads (the Pyodide test stage of ./run.sh uses them from
#: book/_static/vendor): Pyodide's source-only standard library, replaced in the page by
#: live-python.zip, and the wheels, whose packages are in live-python.zip as bytecode.
NOT_SERVED = ("vendor/pyodide/python_stdlib.zip", "vendor/live-wheels")


def _write_bundle(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    write_bundle(_root(app), static / "live", _wheels(app), bytecode=True)
    for rel in NOT_SERVED:
        target = static / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _check_runtime)
    app.connect("doctree-resolved", _add_controls)
    app.connect("build-finished", _write_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
