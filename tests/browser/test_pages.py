"""Smoke test of the built book in headless Chromium.

Every page of _build/html is opened from a local server. A page fails on any console error,
uncaught page error, failed request, HTTP status >= 400, request that leaves the local server
(the book must work with no network: MathJax and the widget manager are vendored) or broken
image. A full-page screenshot of each page goes to test-artifacts/screenshots/. The grading
page must draw its embedded widget, and every page with math must have it typeset by MathJax.

Run by ./run.sh test after the strict build; `pytest tests` in the unit stage skips this folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

HTML_DIR = Path(__file__).resolve().parents[2] / "_build" / "html"
# Folders of the build that hold assets, copies of sources, or execution reports, not pages.
SKIP_DIRS = {"_static", "_sources", "_images", "reports"}
GRADING_PAGE = "book/grading.html"
LOAD_TIMEOUT_MS = 60_000


def pages_of(html_dir: Path) -> list[str]:
    """Every page of a built book, relative to its folder (asset folders left out)."""
    if not html_dir.is_dir():
        return []
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = pages_of(HTML_DIR)


@dataclass
class Visit:
    """What one page load produced."""

    problems: list[str] = field(default_factory=list)


def _is_local(url: str, base_url: str) -> bool:
    return url.startswith(base_url) or url.startswith(("data:", "blob:", "about:"))


def open_page(browser, base_url: str, rel: str):
    """Open a page, wait until it has settled, and return (page, context, visit)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = Visit()
    problems = visit.problems

    def route(route, request):
        # Nothing may leave the local server: record the attempt and refuse it.
        if _is_local(request.url, base_url):
            route.continue_()
        else:
            problems.append(f"external request: {request.method} {request.url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console error: {msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "requestfailed",
        lambda req: (
            problems.append(f"failed request: {req.url} ({req.failure})")
            if _is_local(req.url, base_url)
            else None
        ),  # external ones are already reported by route()
    )
    page.on(
        "response",
        lambda resp: (
            problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
        ),
    )
    page.goto(base_url + rel, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
    # Let MathJax finish typesetting if the page loads it.
    page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
    return page, context, visit


BROKEN_IMAGES_JS = """
async () => {
  const imgs = Array.from(document.images);
  // Lazy images below the fold would otherwise never load in a headless window.
  imgs.forEach((img) => { img.loading = "eager"; });
  await Promise.all(imgs.map((img) => img.complete ? null : new Promise((resolve) => {
    img.addEventListener("load", resolve);
    img.addEventListener("error", resolve);
    setTimeout(resolve, 15000);
  })));
  return imgs.filter((img) => img.naturalWidth === 0)
             .map((img) => img.currentSrc || img.src || img.outerHTML.slice(0, 200));
}
"""


def _screenshot_name(rel: str) -> str:
    return rel.removesuffix(".html").replace("/", "__") + ".png"


def test_book_was_built():
    assert PAGES, f"no HTML pages under {HTML_DIR}: build the book first (./run.sh build)"
    assert "index.html" in PAGES
    assert GRADING_PAGE in PAGES, f"{GRADING_PAGE} missing from the build"


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly(browser, base_url, screenshot_dir: Path, rel: str):
    page, context, visit = open_page(browser, base_url, rel)
    try:
        broken = page.evaluate(BROKEN_IMAGES_JS)
        visit.problems.extend(f"broken image: {src}" for src in broken)
        page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
        page.screenshot(path=str(screenshot_dir / _screenshot_name(rel)), full_page=True)
    finally:
        context.close()
    assert not visit.problems, f"{rel}:\n  " + "\n  ".join(visit.problems)


def _has_math(rel: str) -> bool:
    """Does the built page carry math for MathJax (Sphinx marks it with class="math ...")?"""
    return 'class="math' in (HTML_DIR / rel).read_text(encoding="utf-8")


MATH_PAGES = [rel for rel in PAGES if _has_math(rel)]

WIDGET_VISIBLE_JS = """
() => Array.from(document.querySelectorAll('.widget-slider, .jupyter-widgets')).some((el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
})
"""


def _has_widget(rel: str) -> bool:
    """Does the built page embed the saved state of a widget view?"""
    return "application/vnd.jupyter.widget-view+json" in (HTML_DIR / rel).read_text(
        encoding="utf-8")


WIDGET_PAGES = [rel for rel in PAGES if _has_widget(rel)]


def test_every_chapter_explorer_is_embedded():
    # grading, dosing (first line), options (second line), dynamic nomogram
    assert len(WIDGET_PAGES) >= 4 and GRADING_PAGE in WIDGET_PAGES, WIDGET_PAGES


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_embedded_widgets_render_their_initial_state(browser, base_url, rel):
    page, context, visit = open_page(browser, base_url, rel)
    try:
        # The embedded widget is drawn by the vendored html-manager from the saved widget state.
        page.wait_for_function(WIDGET_VISIBLE_JS, timeout=30_000)
        if _has_math(rel):
            page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
    finally:
        context.close()
    assert not visit.problems, f"{rel}:\n  " + "\n  ".join(visit.problems)


def test_the_book_has_math_to_typeset():
    # The chapters show their formulas (mitotic-count conversion, BSA, Cockcroft-Gault,
    # Calvert); if none reaches the HTML, MathJax is not being exercised at all.
    assert MATH_PAGES, "no built page contains math"


@pytest.mark.parametrize("rel", MATH_PAGES)
def test_math_is_typeset(browser, base_url, rel):
    """Every page with math gets it typeset by the vendored MathJax (no raw TeX left)."""
    page, context, visit = open_page(browser, base_url, rel)
    try:
        page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        pending = page.evaluate(
            "() => document.querySelectorAll('.math:not(:has(mjx-container))').length"
        )
    finally:
        context.close()
    assert pending == 0, f"{rel}: {pending} math element(s) left untypeset"
    assert not visit.problems, f"{rel}:\n  " + "\n  ".join(visit.problems)


MISSING_ALT_JS = r"""
() => Array.from(document.querySelectorAll('main img, article img'))
  // Images drawn by the widget manager from a widget's saved state (e.g. a plot inside an
  // explorer) carry no alt; each explorer is preceded by a static figure that has one.
  .filter((img) => !img.closest('.jupyter-widgets, .widget-output, .jp-OutputArea'))
  // myst-nb fills a missing alt with the image's file name: that is no description.
  .filter((img) => {
    const alt = (img.getAttribute('alt') || '').trim();
    return !alt || /\.(png|jpe?g|svg|gif|webp)$/i.test(alt) || alt === img.getAttribute('src');
  })
  .map((img) => img.currentSrc || img.src)
"""


@pytest.mark.parametrize("rel", PAGES)
def test_every_image_has_alt_text(browser, base_url, rel):
    page, context, visit = open_page(browser, base_url, rel)
    try:
        missing = page.evaluate(MISSING_ALT_JS)
    finally:
        context.close()
    assert not missing, f"{rel}: images without alt text: {missing}"
