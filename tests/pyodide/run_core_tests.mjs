// nec's standard-library core, tested under Pyodide (CPython 3.14 in WebAssembly) in Node.
//
// The live book runs nec's pure-Python modules in the reader's browser on Pyodide, while the
// book builds on CPython 3.11. This runs the core's own unit tests and docstring examples with
// pytest inside Pyodide, on the same files (the repository is mounted read-only into Pyodide's
// file system), so a change that works on 3.11 but not on 3.14 / WebAssembly fails here.
//
//   node tests/pyodide/run_core_tests.mjs REPO_ROOT WHEEL_DIR TEST [TEST ...]
//
// WHEEL_DIR holds pure wheels (pytest and what it imports, hypothesis, the live widget wheels);
// run.sh's stage_pyodide_core fetches them. Exit status: pytest's.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const [repo, wheelDir, ...tests] = process.argv.slice(2);
const pyodideDir = path.join(repo, "book/_static/vendor/pyodide");
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: pyodideDir + path.sep });
// Wheels unpack into site-packages (unpackArchive's default is the working directory).
const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
for (const name of readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
  const bytes = readFileSync(path.join(wheelDir, name));
  py.unpackArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), "wheel", { extractDir: sitePackages });
}
py.FS.mkdirTree("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, "/repo");
py.globals.set("_tests", py.toPy(tests));
const code = await py.runPythonAsync(`
import os, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
sys.dont_write_bytecode = True
import pytest
print(f"Python {sys.version.split()[0]} on {sys.platform} (Pyodide)")
pytest.main(["-q", "-p", "no:cacheprovider", "--doctest-modules",
             "-W", "ignore::pytest.PytestConfigWarning", *list(_tests)])
`);
process.exit(Number(code));
