"""What a reader's browser downloads, page by page, and how long the page takes to show.

Two kinds of check (issue 19):

- in the built HTML: a page without an explorer loads no widget manager and no require.js, a
  page without math loads no MathJax (book/_ext/page_assets.py), and the pages that have them
  still load them;
- in headless Chromium, each page opened in a fresh browser context (empty cache) from the
  book's own server (scripts/serve.py, as ``./run.sh serve`` runs it: gzip for what
  compresses): the bytes transferred for the page and everything it loads (compressed, as
  sent), the same files' uncompressed size (what a host without compression would send), and
  the time from the request to rendered content (loaded, explorers drawn from their saved
  state, math typeset, images decoded). A chapter without an explorer must stay under
  MAX_CHAPTER_BYTES transferred and under MAX_CHAPTER_UNCOMPRESSED_BYTES uncompressed (no page
  loads the theme's Font Awesome script: page_assets.py), and the largest page's figures must
  be served at about the size they are shown.

The measurements go to test-artifacts/page_weight.json, which benchmarks/run.py reports.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from conftest import HTML_DIR, ROOT, run_sh_handler, serve
from visits import (
    DESKTOP_VIEWPORT,
    IMAGE_SIZES_JS,
    LOAD_TIMEOUT_MS,
    SETTLE_TIMEOUT_MS,
    WIDGET_VIEW,
    WIDGET_VISIBLE_JS,
    pages_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PAGES = pages_of(HTML_DIR)
CHAPTERS = [rel for rel in PAGES if rel.startswith("book/")]
RESULT = ROOT / "test-artifacts" / "page_weight.json"
#: Issue 19's target for a chapter without an explorer: everything it loads, as transferred
#: (``transferSize``: on the wire, compressed by the server where it compresses, headers
#: included)...
MAX_CHAPTER_BYTES = 1.5e6
#: ... and the same files' uncompressed size (``decodedBodySize``: what a host without
#: compression, e.g. a plain static file server, would send), held to the same figure.
MAX_CHAPTER_UNCOMPRESSED_BYTES = 1.5e6
#: A figure whose file is wider than this many times its shown width wastes bytes (and shrinks
#: its text): the same bound as test_pages.py's legibility check.
MAX_SERVED_OVER_SHOWN = 1.3
#: How long to wait for the network to fall quiet after the page rendered.
IDLE_WAIT_MS = 10_000

MATHJAX = re.compile(r'<script[^>]+src="[^"]*mathjax/[^"]*"')
WIDGET_SCRIPTS = (re.compile(r'<script[^>]+src="[^"]*requirejs/require\.js[^"]*"'),
                  re.compile(r'<script[^>]+src="[^"]*html-manager/dist/embed-amd\.js[^"]*"'))
# The theme's Font Awesome script (1.5 MB; its CSS and web fonts draw the icons without it).
FONTAWESOME_JS = re.compile(r'<script[^>]+src="[^"]*fontawesome\.js[^"]*"')


def _source(rel: str) -> str:
    return (HTML_DIR / rel).read_text(encoding="utf-8")


def _has_widget(rel: str) -> bool:
    return WIDGET_VIEW in _source(rel)


def _has_math(rel: str) -> bool:
    return 'class="math' in _source(rel)


def test_there_are_pages_with_and_without_explorers_and_math():
    assert PAGES, f"no pages under {HTML_DIR}: build the book first (./run.sh build)"
    assert any(map(_has_widget, PAGES)) and not all(map(_has_widget, PAGES))
    assert any(map(_has_math, PAGES)) and not all(map(_has_math, PAGES))


@pytest.mark.parametrize("rel", PAGES)
def test_widget_manager_and_require_js_only_where_an_explorer_is(rel):
    source = _source(rel)
    loaded = [bool(p.search(source)) for p in WIDGET_SCRIPTS]
    if _has_widget(rel):
        assert all(loaded), f"{rel} embeds an explorer but does not load the widget scripts"
    else:
        assert not any(loaded), f"{rel} has no explorer but loads require.js/the widget manager"


@pytest.mark.parametrize("rel", PAGES)
def test_mathjax_only_where_there_is_math(rel):
    loaded = bool(MATHJAX.search(_source(rel)))
    if _has_math(rel):
        assert loaded, f"{rel} has math but does not load MathJax"
    else:
        assert not loaded, f"{rel} has no math but loads MathJax"


# The bytes of the document and of every resource it loaded: transferSize (on the wire, headers
# included, gzip where scripts/serve.py compresses: text files, not images or web fonts) and
# decodedBodySize (the same bodies uncompressed).
TRANSFERRED_JS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {document: nav ? nav.transferSize : 0,
          resources: res.reduce((s, r) => s + r.transferSize, 0),
          decoded: (nav ? nav.decodedBodySize : 0)
                   + res.reduce((s, r) => s + r.decodedBodySize, 0),
          files: res.length,
          largest: res.map((r) => [r.transferSize, r.name.split('/').slice(-3).join('/')])
                      .sort((a, b) => b[0] - a[0]).slice(0, 3),
          first_contentful_paint_ms: paint ? paint.startTime : null};
}
"""

IMAGES_DECODED_JS = """
async () => {
  const imgs = Array.from(document.images);
  imgs.forEach((img) => { img.loading = 'eager'; });
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  return imgs.length;
}
"""


def measure(browser, base_url: str, rel: str) -> dict:
    """Open ``rel`` in a fresh context and measure what it transferred and when it showed."""
    context = browser.new_context(viewport=DESKTOP_VIEWPORT)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(base_url + rel, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        widget, math = _has_widget(rel), _has_math(rel)
        drawn = typeset = None
        if widget:
            page.wait_for_function(WIDGET_VISIBLE_JS, timeout=SETTLE_TIMEOUT_MS)
            drawn = True
        if math:
            page.wait_for_selector("mjx-container", state="attached", timeout=SETTLE_TIMEOUT_MS)
            page.evaluate("() => (window.MathJax && MathJax.startup && "
                          "MathJax.startup.promise) || null")
            typeset = True
        page.evaluate(IMAGES_DECODED_JS)
        rendered_s = time.perf_counter() - t0
        try:  # late requests (fonts, a widget's chunks) counted too, where they come
            page.wait_for_load_state("networkidle", timeout=IDLE_WAIT_MS)
        except Exception:  # noqa: BLE001 - a page that keeps a connection open: count so far
            pass
        sizes = page.evaluate(TRANSFERRED_JS)
        images = page.evaluate(IMAGE_SIZES_JS)
    finally:
        context.close()
    ratios = [img["natural"] / img["shown"] for img in images if img["shown"] > 0]
    return {"page": rel, "explorer": widget, "math": math, "widgets_drawn": drawn,
            "math_typeset": typeset, "rendered_s": round(rendered_s, 3),
            "bytes": sizes["document"] + sizes["resources"], "uncompressed_bytes": sizes["decoded"],
            "files": sizes["files"] + 1,
            "largest_files": sizes["largest"],
            "first_contentful_paint_ms": sizes["first_contentful_paint_ms"],
            "images": len(images),
            "largest_served_over_shown": round(max(ratios), 3) if ratios else None}


@pytest.fixture(scope="module")
def book_server(html_dir):
    """_build/html served by scripts/serve.py's handler (gzip), on a free port."""
    with serve(html_dir, run_sh_handler()) as url:
        yield url


@pytest.fixture(scope="module")
def weights(browser, book_server) -> list[dict]:
    base_url = book_server
    # index.html only redirects to the first chapter (measured as itself).
    results = [measure(browser, base_url, rel) for rel in PAGES
               if 'http-equiv="Refresh"' not in _source(rel)]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                            time.gmtime()),
                                  "server": "scripts/serve.py (gzip, as ./run.sh serve)",
                                  "max_chapter_bytes_without_explorer": MAX_CHAPTER_BYTES,
                                  "pages": results}, indent=1), encoding="utf-8")
    return results


def test_a_chapter_without_an_explorer_stays_light(weights):
    plain = [w for w in weights if w["page"] in CHAPTERS and not w["explorer"]]
    assert plain, "no chapter without an explorer to measure"
    heavy = [f"{w['page']}: {w['bytes'] / 1e6:.2f} MB transferred ({w['largest_files']})"
             for w in plain
             if w["bytes"] > MAX_CHAPTER_BYTES]
    assert not heavy, (f"chapters without an explorer over {MAX_CHAPTER_BYTES / 1e6:g} MB:\n  "
                       + "\n  ".join(heavy))


def test_a_chapter_without_an_explorer_stays_light_uncompressed(weights):
    plain = [w for w in weights if w["page"] in CHAPTERS and not w["explorer"]]
    heavy = [f"{w['page']}: {w['uncompressed_bytes'] / 1e6:.2f} MB uncompressed"
             for w in plain if w["uncompressed_bytes"] > MAX_CHAPTER_UNCOMPRESSED_BYTES]
    assert not heavy, (f"chapters without an explorer over "
                       f"{MAX_CHAPTER_UNCOMPRESSED_BYTES / 1e6:g} MB uncompressed:\n  "
                       + "\n  ".join(heavy))


@pytest.mark.parametrize("rel", PAGES)
def test_no_page_loads_font_awesome_javascript(rel):
    assert not FONTAWESOME_JS.search(_source(rel)), (
        f"{rel} loads the theme's fontawesome.js (book/_ext/page_assets.py removes it)")


def test_pages_with_explorers_or_math_still_render_them(weights):
    for w in weights:
        if w["explorer"]:
            assert w["widgets_drawn"], f"{w['page']}: the explorer was not drawn"
        if w["math"]:
            assert w["math_typeset"], f"{w['page']}: the math was not typeset"


def test_every_page_serves_its_figures_at_the_size_shown(weights):
    """Issue 19 asks it of the largest page; every page is held to it (the largest included)."""
    assert any(w["images"] for w in weights), "no page showed a figure to check"
    wide = [f"{w['page']}: a figure served {w['largest_served_over_shown']:.2f} times wider "
            "than it is shown" for w in weights
            if (w["largest_served_over_shown"] or 0) > MAX_SERVED_OVER_SHOWN]
    assert not wide, "\n".join(wide)


def load(path: Path = RESULT) -> dict | None:
    """The last measurement (for benchmarks/run.py), or None."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
