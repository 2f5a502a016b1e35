"""Sphinx extension for nec-book's HTML output (loaded from _config.yml: sphinx.local_extensions).

1. Removes duplicated inline <script> blocks. Sphinx 7.4 adds a body-only script that an extension
   registers after the builder started (sphinx-thebe's THEBE_JS_URL config, sphinx-togglebutton's
   selector) twice: once with filename None, once with filename "" (Builder.prepare_writing), and
   the two copies do not compare equal. The second `const THEBE_JS_URL = ...` then throws
   "Identifier 'THEBE_JS_URL' has already been declared" in the browser on every page.

2. Repairs markup in which the accessibility test (tests/browser/test_a11y.py, axe-core) finds
   serious or critical violations. It edits the written HTML files: most of this markup comes
   from the theme's templates (pydata-sphinx-theme 0.17.1), which no Sphinx event lets us edit.
   - The search field button is named "Search" (aria-label) but shows "Search Ctrl+K": a speech
     user who says what they see does not match its name (WCAG 2.5.3, label in name). Without
     the aria-label it takes its name from what it shows; aria-keyshortcuts tells a screen
     reader the shortcut the theme binds (Ctrl+K, or Cmd+K on a Mac).
   - The colour-mode button is named "Color mode", but Font Awesome turns each icon's title
     ("Light", "Dark", "System Settings") into a visible <svg><title>, so the name again misses
     the visible label. Without the titles the icons are drawn aria-hidden; the button keeps its
     name and its "Color mode" tooltip.
   - docutils writes each bibliography entry as role="doc-biblioentry" inside role="list". DPUB-ARIA
     1.1 deprecates that role and ARIA does not allow it on a <div>, so browsers drop it and the
     list appears to own the entries' links directly (critical: aria-required-children). ARIA's
     replacement is role="listitem".
   A theme upgrade that changes this markup makes these substitutions no-ops; test_a11y.py then
   fails on the page, which is the signal to revisit them.

3. Keeps the static files fresh in incremental builds. Sphinx copies html_static_path only when it
   writes at least one page; after an edit to book/_static alone ("no targets are out of date") the
   built book would keep the old CSS or JavaScript. When the static files' sizes or times change,
   the root page is marked out of date, so the build writes it and copies the static files.

4. Refuses to build a book that would have no math and no widgets. The vendored JavaScript
   (book/_static/vendor/: MathJax, require.js, the ipywidgets HTML manager) is fetched by
   scripts/vendor_js.sh and not committed. Without it a plain `jupyter-book build .` (even -W)
   used to succeed and write pages whose formulas stay raw TeX and whose explorers are blank.
   When the builder starts, every local file that mathjax_path and nb_ipywidgets_js name is looked
   up in html_static_path; if one is missing the build stops with a sentence saying how to fetch
   them (check_vendored_js, tested in tests/test_book.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError

#: The command that fetches the vendored JavaScript (from the repository root).
FETCH_COMMAND = "bash scripts/vendor_js.sh"


def _local(url: str) -> bool:
    return bool(url) and not url.startswith(("http://", "https://", "//", "data:"))


def missing_vendored_js(confdir, static_paths, mathjax_path, ipywidgets_js) -> list[str]:
    """The local JavaScript files the configuration names that no static folder holds.

    ``mathjax_path`` and the keys of ``ipywidgets_js`` (myst-nb's ``nb_ipywidgets_js``) are
    paths relative to a static folder (``html_static_path``, relative to ``confdir``); URLs are
    left alone (a CDN is a choice, not a missing file).
    """
    wanted = [mathjax_path] + list(ipywidgets_js or {})
    folders = [Path(confdir, entry) for entry in static_paths]
    missing = []
    for rel in wanted:
        if not _local(rel):
            continue
        if not any((folder / rel).is_file() and (folder / rel).stat().st_size
                   for folder in folders):
            missing.append(rel)
    return missing


def check_vendored_js(app: Sphinx) -> None:
    """Stop an HTML build whose vendored MathJax / require.js / widget manager are absent."""
    if getattr(app.builder, "format", None) != "html":
        return
    config = app.config
    missing = missing_vendored_js(
        app.confdir, config.html_static_path, getattr(config, "mathjax_path", ""),
        getattr(config, "nb_ipywidgets_js", {}))
    if missing:
        # Extensions append their own (absolute) static folders; name the book's.
        ours = [p for p in dict.fromkeys(config.html_static_path) if not Path(p).is_absolute()]
        raise ConfigError(
            "The book's offline JavaScript is missing from "
            f"{', '.join(ours)}: {', '.join(missing)}. Without it the built "
            "pages show raw TeX instead of formulas and blank explorers. Fetch it with "
            f"`{FETCH_COMMAND}` (from the repository root; ./run.sh build runs it), then build "
            "again.")


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


_SEARCH_FIELD_TAG = re.compile(r'<button class="[^"]*\bsearch-button-field\b[^"]*"[^>]*>')
_THEME_ICON_TAG = re.compile(r'<i class="theme-switch\b[^"]*"[^>]*>')
_ARIA_LABEL = re.compile(r'\s+aria-label="[^"]*"')
_TITLE = re.compile(r'\s+title="[^"]*"')
# The sidebar's fold for a chapter with sections (open on the chapter's own pages).
_SIDEBAR_TOGGLE = re.compile(r'(<details(?: open="open")?>)<summary><span class="toctree-toggle"')
# Folders of the output that hold assets or page sources, not pages.
_NOT_PAGES = {"_static", "_sources", "_images"}


def _search_field(match: re.Match) -> str:
    tag = _ARIA_LABEL.sub("", match.group(0))
    if "aria-keyshortcuts" not in tag:
        tag = tag[:-1] + ' aria-keyshortcuts="Control+K Meta+K">'
    return tag


def fix_html(text: str) -> str:
    """The accessibility repairs of item 2 of the module docstring; idempotent.

    Also: a folded code cell's toggle (``<summary aria-label="Toggle hidden content">``) shows
    "Show code cell source" but is named otherwise (WCAG 2.5.3, label in name); without the
    aria-label it takes its name from what it shows. The sidebar's toggle for a chapter's
    sections shows only an icon, so it gets a name (axe: summary-name).
    """
    text = text.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    # The sidebar's fold for a chapter with sections is an icon alone: give it a name.
    text = _SIDEBAR_TOGGLE.sub(
        r'\1<summary aria-label="Sections of this chapter"><span class="toctree-toggle"', text)
    text = _SEARCH_FIELD_TAG.sub(_search_field, text)
    text = _THEME_ICON_TAG.sub(lambda m: _TITLE.sub("", m.group(0)), text)
    return text.replace('role="doc-biblioentry"', 'role="listitem"')


def _fix_written_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if _NOT_PAGES & set(path.relative_to(outdir).parts[:-1]):
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_html(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def _static_stamp(app: Sphinx) -> list[tuple[str, int, int]]:
    stamp = []
    for entry in app.config.html_static_path:
        folder = Path(app.confdir, entry)
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file():
                info = path.stat()
                stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return stamp


def _outdated_by_static_files(app: Sphinx, env, added, changed, removed) -> list[str]:
    stamp = _static_stamp(app)
    if getattr(env, "nec_static_stamp", None) == stamp:
        return []
    env.nec_static_stamp = stamp  # kept with the pickled environment for the next build
    return [app.config.root_doc]


def setup(app: Sphinx) -> dict[str, Any]:
    # Late priority: run after the extensions that add page-specific scripts (myst-nb's widgets).
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    # Every page is written by then: the theme's templates are in the files.
    app.connect("build-finished", _fix_written_pages)
    app.connect("env-get-outdated", _outdated_by_static_files)
    app.connect("builder-inited", check_vendored_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
