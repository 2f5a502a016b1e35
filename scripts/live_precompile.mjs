// Compile the live book's Python to bytecode, with the very runtime that will run it.
//
// Pyodide's python_stdlib.zip holds Python source only, so the reader's browser would compile
// every module it imports (argparse, logging, traitlets, ipywidgets, nec ...: most of the live
// start). This runs Pyodide itself in Node and compiles each module with it, so the bytecode
// matches the browser's Python exactly (unchecked hash-based .pyc, PEP 552: valid whatever the
// files' dates). Two uses:
//
//   node scripts/live_precompile.mjs library PYODIDE_DIR OUT_ZIP SHIM_DIR REPO WHEEL [WHEEL ...]
//     ONE zip that replaces python_stdlib.zip (loadPyodide's stdLibURL), imported straight from
//     with nothing to unpack in the page: the wheels' packages as bytecode (their tests left
//     out; IPython replaced by the small stand-in in SHIM_DIR: ipywidgets needs four names of
//     it, see its docstring), and the standard library, as bytecode for each module that the
//     widgets or REPO's nec import (found by importing them here), as source for the rest
//     (which .pyc would make twice as large, for modules the page never loads).
//     scripts/vendor_live.sh runs it, once per runtime and wheel versions.
//   node scripts/live_precompile.mjs bundle PYODIDE_DIR ZIP EXTRACT_DIR
//     adds __pycache__/*.pyc beside each .py of ZIP (nec-book.zip, which the page unpacks into
//     EXTRACT_DIR); book/_ext/nec_live.py runs it at every build.
import { mkdirSync } from "node:fs";
import path from "node:path";

const [mode, ...rest] = process.argv.slice(2);
const [pyodideDir, outZip, third, ...more] = rest.map((p, i) => (mode === "bundle" && i === 2 ? p : path.resolve(p)));
const repo = mode === "library" ? more.shift() : null;
const wheels = more;
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: pyodideDir + path.sep });
const mounts = { "/in/pyodide": pyodideDir, "/out": path.dirname(outZip) };
if (mode === "library") Object.assign(mounts, { "/in/shim": third, "/in/repo": repo });
wheels.forEach((w, i) => { mounts[`/in/wheel${i}`] = path.dirname(w); });
mkdirSync(path.dirname(outZip), { recursive: true });
for (const [at, root] of Object.entries(mounts)) {
  py.FS.mkdirTree(at);
  py.FS.mount(py.FS.filesystems.NODEFS, { root }, at);
}
py.globals.set("_mode", mode);
py.globals.set("_third", third);
py.globals.set("_wheels", py.toPy(wheels.map((w, i) => `/in/wheel${i}/${path.basename(w)}`)));
py.globals.set("_out", `/out/${path.basename(outZip)}`);
py.runPython(`
import importlib._bootstrap_external as external
import importlib.util
import os
import sys
import zipfile

STAMP = (2020, 1, 1, 0, 0, 0)  # fixed dates: the same inputs give the same bytes


def bytecode(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=0)
    return bytes(external._code_to_hash_pyc(code, importlib.util.source_hash(source), False))


def entry(name):
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def imported_stdlib(where):
    """The standard library's files that the widgets, the shim and nec's modules import."""
    import pkgutil
    site = "/tmp/live-site"
    for wheel in _wheels:
        zipfile.ZipFile(wheel).extractall(site)
    sys.path[:0] = [site, "/in/shim", "/in/repo"]
    sys.dont_write_bytecode = True
    import nec
    for name in ["ipywidgets", "comm", *(m.name for m in pkgutil.walk_packages(nec.__path__, "nec."))]:
        try:
            __import__(name)
        except Exception:  # numpy, pandas, matplotlib...: not in the browser either
            pass
    # What the page runs imports more as it goes (csv when a table is read...): make each
    # explorer and call each checker once, as the page would.
    from nec import _browser_comm, widgets
    from nec.exercises import EXERCISES
    from nec.exercises.typed import check_typed_html
    _browser_comm.install(lambda *message: None)
    runs = [lambda name=name: getattr(widgets, name)() for name in widgets._WHERE
            if name.endswith("_explorer")]
    runs += [lambda e=e: check_typed_html(e, "1") for e in EXERCISES]
    for run in runs:
        try:
            run()
        except Exception:  # a checker that needs lifelines: the page does not run it either
            pass
    return {m.__spec__.origin[len(where) + 1:] for m in list(sys.modules.values())
            if getattr(getattr(m, "__spec__", None), "origin", None)
            and m.__spec__.origin.startswith(where + "/")}


def library():
    where = "/lib/python%d%d.zip" % sys.version_info[:2]  # where Pyodide mounts its library
    used = imported_stdlib(where)

    def add(out, name, data, *, compiled=True):
        if name.endswith(".py") and compiled:  # sourceless: the .pyc alone, where the .py was
            name, data = name + "c", bytecode(data, f"{where}/{name}")
        out.writestr(entry(name), data)

    def wanted(name):
        parts = name.split("/")
        return not ("tests" in parts or "__pycache__" in parts or name.endswith("/"))

    with zipfile.ZipFile(_out + ".tmp", "w") as out:
        with zipfile.ZipFile("/in/pyodide/python_stdlib.zip") as stdlib:
            for name in stdlib.namelist():
                if not name.endswith("/"):
                    add(out, name, stdlib.read(name), compiled=name in used)
        for wheel in _wheels:
            with zipfile.ZipFile(wheel) as whl:
                for name in whl.namelist():
                    if wanted(name):
                        add(out, name, whl.read(name))
        for folder, _, files in sorted(os.walk("/in/shim")):
            for file in sorted(files):
                if file.endswith(".py"):
                    full = os.path.join(folder, file)
                    with open(full, "rb") as f:
                        add(out, os.path.relpath(full, "/in/shim"), f.read())


def bundle():
    # The sources stay (tracebacks show them, and nec reads data/ beside itself); each gets
    # its bytecode where the import system looks first.
    with zipfile.ZipFile(_out) as src, zipfile.ZipFile(_out + ".tmp", "w") as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, data)
            if info.filename.endswith(".py"):
                target = f"{_third.rstrip('/')}/{info.filename}"
                pyc = importlib.util.cache_from_source(target)[len(_third.rstrip('/')) + 1:]
                out.writestr(entry(pyc), bytecode(data, target))


library() if _mode == "library" else bundle()
os.replace(_out + ".tmp", _out)
print(f"[live_precompile] {_mode} {_out[5:]}: {len(zipfile.ZipFile(_out).namelist())} files "
      f"compiled by Python {sys.version.split()[0]}")
`);
