"""Sphinx extension: each page loads only the heavy JavaScript it uses.

What a reader's browser downloads per page (measured by tests/browser/test_page_weight.py):
MathJax (about 1.2 MB) and the ipywidgets HTML manager with require.js (about 3.7 MB) are the
heaviest files of the book. myst-nb already adds the widget scripts only to notebooks that saved
a widget state, and Sphinx adds MathJax only to pages with equations, but Sphinx counts a page as
having equations when any page in its toctree has them (``MathDomain.has_equations``), so the
root page (book/intro, which only lists the chapters) loaded all of MathJax for no formula.

At ``html-page-context``, after Sphinx and myst-nb added their scripts, this removes from the
page's script list:

- MathJax (``mathjax_path`` and its inline ``window.MathJax = ...`` configuration) when the page
  itself has no math: no equation in its own document and no ``class="math`` in its body;
- the widget scripts (``nb_ipywidgets_js``) when its body embeds no widget view.

Pages with math or an explorer keep exactly what they had (tests/browser/test_pages.py checks
that their math is typeset and their explorers drawn).

Font Awesome's JavaScript (the theme's ``scripts/fontawesome.js``, 1.5 MB uncompressed, 0.54 MB
with gzip, on every page): pydata-sphinx-theme writes its ``<script>`` tag straight into each
page's head (its ``head_js_preload`` macro, "so that users can add custom icons"); the script
swaps each ``<i class="fa-...">`` for an inline SVG. The theme's stylesheet already carries Font
Awesome's own CSS and web fonts, which draw the same icons from those ``<i>`` elements with no
script (the solid and regular fonts are 0.16 and 0.03 MB, fetched only by a page that shows one
of their icons). The book adds no custom icon, so once every page is written this removes that
one tag from each of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: What in a page's body needs the widget manager, and what needs MathJax.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATH_CLASS = 'class="math'


def _filename(script: Any) -> str:
    # Sphinx 7.4 names a local file by its path under the output ("_static/vendor/...").
    return str(getattr(script, "filename", script) or "").split("?")[0].removeprefix("_static/")


def _body(script: Any) -> str:
    return str(getattr(script, "attributes", {}).get("body", "") or "")


def page_needs(app: Sphinx, pagename: str, body: str) -> tuple[bool, bool]:
    """(needs MathJax, needs the widget manager) for one page."""
    domain = app.env.get_domain("math")
    own_equations = bool(domain.data.get("has_equations", {}).get(pagename))
    return own_equations or MATH_CLASS in body, WIDGET_VIEW in body


def prune_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree: Any) -> None:
    scripts = context.get("script_files")
    if app.builder.format != "html" or not isinstance(scripts, list):
        return
    needs_math, needs_widgets = page_needs(app, pagename, context.get("body", ""))
    drop = set()
    if not needs_math:
        drop.add(str(app.config.mathjax_path).split("?")[0])
    if not needs_widgets:
        drop.update(str(name).split("?")[0] for name in (app.config.nb_ipywidgets_js or {}))
    if not drop:
        return
    # In place: Sphinx restores the builder's own list after the page is written.
    scripts[:] = [s for s in scripts
                  if _filename(s) not in drop
                  and not (not needs_math and _body(s).lstrip().startswith("window.MathJax"))]


#: The theme's Font Awesome script tag, as pydata-sphinx-theme's head_js_preload macro writes it.
FONTAWESOME_JS = re.compile(
    r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js(\?[^"]*)?"></script>\n?')


def drop_fontawesome_js(html: str) -> str:
    """``html`` without the theme's Font Awesome script tag (its CSS draws the icons)."""
    return FONTAWESOME_JS.sub("", html)


def drop_fontawesome_js_from_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        lighter = drop_fontawesome_js(text)
        if lighter != text:
            path.write_text(lighter, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx.ext.mathjax (500) and myst-nb have added theirs.
    app.connect("html-page-context", prune_scripts, priority=900)
    # Every page is written by then, with the theme's templates in it.
    app.connect("build-finished", drop_fontawesome_js_from_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
