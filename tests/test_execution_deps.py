"""Incremental builds never serve a stale page (book/_ext/nec_execution_deps.py for executed
outputs, book/_ext/nec_book_html.py for static files).

A one-page book whose notebook prints a value from a small package stands in for the chapters
and nec/: it is built, the package is edited, and it is built again, incrementally, as
`./run.sh build` does. Without the extension the second build shows the old value.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

CONFIG = f"""
title: deps
only_build_toc_files: true
execute:
  execute_notebooks: cache
  cache: _build/.jupyter_cache
sphinx:
  local_extensions:
    nec_execution_deps: {ROOT / "book" / "_ext"}
    nec_book_html: {ROOT / "book" / "_ext"}
  config:
    html_static_path: [_static]
    nec_execution_dependencies: [pkg]
    nec_execution_dependents: '\\bimport\\s+pkg\\b'
"""


def write_book(folder: Path, value: int, heading: str = "A page") -> None:
    (folder / "pkg").mkdir(exist_ok=True)
    (folder / "pkg" / "__init__.py").write_text(f"VALUE = {value}\n")
    (folder / "_static").mkdir(exist_ok=True)
    (folder / "_static" / "look.css").write_text("p { color: #222; }\n")
    (folder / "_config.yml").write_text(CONFIG)
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {heading}"),
                nbformat.v4.new_code_cell('import pkg\nprint(f"VALUE={pkg.VALUE}")')]
    nbformat.write(nb, folder / "page.ipynb")


def build(folder: Path) -> tuple[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([str(JUPYTER_BOOK), "build", "."], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    html = (folder / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    return html, done.stdout + done.stderr


@pytest.mark.timeout(400)
def test_incremental_builds_serve_no_stale_page(tmp_path):
    """One book built four times, as a writer's edits would rebuild it (each build costs a
    jupyter-book start: one book for every step)."""
    write_book(tmp_path, value=1)
    html, log = build(tmp_path)
    assert "VALUE=1" in html and "Executing notebook" in log

    # Only the package the notebook imports changes; the notebook file is not touched.
    (tmp_path / "pkg" / "__init__.py").write_text("VALUE = 2\n")
    html, log = build(tmp_path)
    assert "VALUE=2" in html, "stale page: the cached output survived a change in pkg/"
    assert "re-executing page.ipynb" in log

    # Prose edited, package unchanged: the page is rebuilt from the cache, not executed.
    write_book(tmp_path, value=2, heading="A page, reworded")
    html, log = build(tmp_path)
    assert "A page, reworded" in html and "VALUE=2" in html
    assert "Executing notebook" not in log

    # Nothing but a stylesheet changes: Sphinx alone would find no page to write and skip the
    # copy of the static files.
    (tmp_path / "_static" / "look.css").write_text("p { color: #111; }\n")
    build(tmp_path)
    built = (tmp_path / "_build" / "html" / "_static" / "look.css").read_text()
    assert "#111" in built, "stale stylesheet: the edit to _static/look.css was not copied"
