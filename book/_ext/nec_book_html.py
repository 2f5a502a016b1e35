"""Sphinx extension for nec-book's HTML output (loaded from _config.yml: sphinx.local_extensions).

Removes duplicated inline <script> blocks. Sphinx 7.4 adds a body-only script that an extension
registers after the builder started (sphinx-thebe's THEBE_JS_URL config, sphinx-togglebutton's
selector) twice: once with filename None, once with filename "" (Builder.prepare_writing), and
the two copies do not compare equal. The second `const THEBE_JS_URL = ...` then throws
"Identifier 'THEBE_JS_URL' has already been declared" in the browser on every page.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for js in scripts:
        filename = getattr(js, "filename", js) or ""
        attributes = tuple(sorted(getattr(js, "attributes", {}).items()))
        key = (filename, attributes)
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    # In place: the list is the builder's, which Sphinx restores after each page.
    scripts[:] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    # Late priority: run after the extensions that add page-specific scripts (myst-nb's widgets).
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
