"""One visit per page: open it in headless Chromium once and record everything the tests check.

Loading a page (MathJax, the widget manager, the saved widget state) is most of a browser test's
time, and every check looks at the same settled page. So each page of each edition is visited
once per test session (conftest.py's ``page_report`` fixture keeps the reports) and the tests in
test_pages.py, test_a11y.py and test_student.py each assert on their part of the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LOAD_TIMEOUT_MS = 60_000
# The widths the book is read at (issue 15): a common laptop, and a phone.
DESKTOP_VIEWPORT = {"width": 1366, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
# The full-page screenshots are for a person to look at, not measured: JPEG at quality 80
# encodes in about half PNG's time (a long chapter at 1366 px: 1.3 s against 2.3 s).
SCREENSHOT_FORMAT = {"type": "jpeg", "quality": 80}
SETTLE_TIMEOUT_MS = 30_000
# Folders of the build that hold assets, copies of sources, or execution reports, not pages.
SKIP_DIRS = {"_static", "_sources", "_images", "reports"}


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


# What a built page holds when it embeds an explorer (its saved widget state).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def pages_with_widgets(html_dir: Path) -> list[str]:
    """The pages of a built book that embed an explorer."""
    return [rel for rel in pages_of(html_dir)
            if WIDGET_VIEW in (html_dir / rel).read_text(encoding="utf-8")]


@dataclass
class Visit:
    """What went wrong while a page was open."""

    problems: list[str] = field(default_factory=list)


# Sub-pixel rounding of a box that ends exactly at the edge.
CONTROLS_TOLERANCE_PX = 0.5


def controls_outside(measured: dict) -> list[str]:
    """The controls of a CONTROLS_JS measurement that reach past the window's right edge (or
    its left), as sentences."""
    width = measured["width"]
    return [f"{c['what']} {c['text']!r}: {c['left']:.0f} to {c['right']:.0f} px"
            for c in measured["controls"]
            if c["right"] > width + CONTROLS_TOLERANCE_PX or c["left"] < -CONTROLS_TOLERANCE_PX]


def _is_local(url: str, base_url: str) -> bool:
    return url.startswith(base_url) or url.startswith(("data:", "blob:", "about:"))


def open_page(browser, base_url: str, rel: str):
    """Open a page, wait until it has loaded, and return (page, context, visit).

    A page's problems: console errors, uncaught page errors, failed requests, HTTP status >= 400,
    and any request that leaves the local server (it is refused: the book works offline).
    """
    context = browser.new_context(viewport=DESKTOP_VIEWPORT)
    visit = Visit()
    problems = visit.problems

    def route(route, request):
        if _is_local(request.url, base_url):
            route.continue_()
        else:
            problems.append(f"external request: {request.method} {request.url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: (
        problems.append(f"console error: {msg.text} ({msg.location.get('url', '')})")
        if msg.type == "error" else None))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: (
        problems.append(f"failed request: {req.url} ({req.failure})")
        if _is_local(req.url, base_url) else None))  # external ones: reported by route()
    page.on("response", lambda resp: (
        problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None))
    page.goto(base_url + rel, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
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

WIDGET_VISIBLE_JS = """
() => Array.from(document.querySelectorAll('.widget-slider, .jupyter-widgets')).some((el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
})
"""

MISSING_ALT_JS = r"""
() => Array.from(document.querySelectorAll('main img, article img'))
  // myst-nb fills a missing alt with the image's file name: that is no description.
  .filter((img) => {
    const alt = (img.getAttribute('alt') || '').trim();
    return !alt || /\.(png|jpe?g|svg|gif|webp)$/i.test(alt) || alt === img.getAttribute('src');
  })
  .map((img) => img.currentSrc || img.src)
"""

# Every image of the page's own content that has loaded and is shown: its natural width (pixels
# in the file) against the width it is drawn at. A figure shrunk by more than ~1.3 shrinks its
# text below ~75 % of the size it was drawn at (tests/browser/test_pages.py).
IMAGE_SIZES_JS = """
() => {
  const seen = new Set();
  return Array.from(document.querySelectorAll('article img, main img'))
    .filter((img) => { if (seen.has(img)) return false; seen.add(img); return true; })
    .filter((img) => img.naturalWidth > 0)
    .map((img) => ({src: (img.currentSrc || img.src || '').slice(0, 300),
                    alt: (img.getAttribute('alt') || '').slice(0, 120),
                    natural: img.naturalWidth,
                    shown: img.getBoundingClientRect().width}));
}
"""

# The same images measured on a phone, with the resolution each PNG was drawn at (its pHYs chunk,
# which matplotlib writes from the figure's dpi; null when the file has none): the phone test turns
# a figure's smallest text, drawn at MIN_FONT_PT points at that dpi, into CSS pixels as shown.
PHONE_IMAGE_SIZES_JS = """
async () => {
  const pngDpi = async (src) => {
    try {
      const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
      const view = new DataView(bytes.buffer);
      const png = bytes.length > 8 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
      if (!png) return null;
      for (let at = 8; at + 8 <= bytes.length;) {
        const length = view.getUint32(at);
        const type = String.fromCharCode(...bytes.slice(at + 4, at + 8));
        if (type === 'pHYs' && length >= 9) {
          const perUnit = view.getUint32(at + 8);
          return bytes[at + 16] === 1 ? perUnit * 0.0254 : null;  // unit 1: per metre
        }
        if (type === 'IDAT' || type === 'IEND') return null;  // pHYs comes before the data
        at += 12 + length;
      }
    } catch (err) { return null; }
    return null;
  };
  const seen = new Set();
  const imgs = Array.from(document.querySelectorAll('article img, main img'))
    .filter((img) => { if (seen.has(img)) return false; seen.add(img); return true; })
    .filter((img) => img.naturalWidth > 0 && img.getBoundingClientRect().width > 0);
  return Promise.all(imgs.map(async (img) => ({
    src: (img.currentSrc || img.src || '').slice(0, 300),
    alt: (img.getAttribute('alt') || '').slice(0, 120),
    natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width,
    dpi: await pngDpi(img.currentSrc || img.src)})));
}
"""

# Shown code (not folded cells) whose longest line is wider than its box: the reader sees the
# rest only by scrolling the box sideways. Code cells' source and the code blocks of Markdown
# pages (the instructors' shell commands) alike; printed outputs are CUT_OFF_JS's. The widest
# line is returned to name the block.
CODE_CUT_OFF_JS = """
() => Array.from(document.querySelectorAll('article pre'))
  .filter((el) => el.getBoundingClientRect().width > 0 && !el.closest('.cell_output, .output'))
  .map((el) => {
    const lines = (el.textContent || '').split('\\n');
    const widest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
    return {what: 'code', text: widest.trim().slice(0, 100),
            overflow: el.scrollWidth - el.clientWidth};
  })
  .filter((x) => x.overflow > 1)
"""

# Boxes of the content that are cut off at the right: a printed output line, a table or a display
# equation wider than the column, which the reader sees only by scrolling that box sideways (or
# not at all). Measured on the element and on its parent (a table's scrolling wrapper).
CUT_OFF_JS = """
() => {
  const sel = 'article div.cell_output pre, article table, article mjx-container[display="true"]';
  return Array.from(document.querySelectorAll(sel))
    .filter((el) => el.getBoundingClientRect().width > 0 && !el.closest('.cell_input'))
    .map((el) => {
      const own = el.scrollWidth - el.clientWidth;
      const box = el.parentElement;
      const wrapper = box ? box.scrollWidth - box.clientWidth : 0;
      return {what: el.tagName.toLowerCase(),
              text: (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 80),
              overflow: Math.max(own, wrapper)};
    })
    .filter((x) => x.overflow > 1);
}
"""

# Every control of every explorer (number box, slider, drop-down, check box, button, text area,
# label) and every output box it writes (a result, a dose sheet's table) that the page shows,
# with its box: on a phone each must lie inside the window, or the
# reader cannot reach its right end (a spinner, a drop-down's arrow). Folded parts (an accordion's
# counting aid) are opened first, so that their controls are measured too. ``root`` narrows the
# search (the live view after "Run live").
OPEN_FOLDS_JS = """
(root) => {
  const scope = root ? document.querySelector(root) : document;
  if (!scope) return 0;
  const closed = Array.from(scope.querySelectorAll(
    '.jupyter-widget-Collapse:not(.jupyter-mod-active) > .jupyter-widget-Collapse-header'));
  closed.forEach((header) => header.click());
  return closed.length;
}
"""

CONTROLS_JS = """
(root) => {
  const scope = root ? document.querySelector(root) : document.querySelector('article');
  if (!scope) return {width: window.innerWidth, controls: []};
  const sel = ['.jupyter-widgets input', '.jupyter-widgets select', '.jupyter-widgets textarea',
               '.jupyter-widgets button', '.widget-label', '.widget-hslider', '.widget-slider',
               '.widget-readout', '.widget-dropdown', '.widget-text', '.widget-textarea',
               '.widget-checkbox', '.widget-button',
               // What the explorer writes (its result, a dose sheet's table): a box wider
               // than the window is cut off too.
               '.widget-html-content', '.widget-html-content table'].join(', ');
  const width = document.documentElement.clientWidth;
  const controls = Array.from(scope.querySelectorAll(sel))
    .filter((el) => !el.closest('script, template'))
    .map((el) => ({el, r: el.getBoundingClientRect()}))
    .filter(({el, r}) => r.width > 0 && r.height > 0
                         && getComputedStyle(el).visibility !== 'hidden')
    .map(({el, r}) => {
      const label = el.closest('.jupyter-widgets');
      const named = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim()
        || (label ? (label.textContent || '').trim() : '');
      return {what: el.tagName.toLowerCase() + '.' + (el.className || '').toString().split(' ')[0],
              text: named.replace(/\\s+/g, ' ').slice(0, 60),
              left: Math.round(r.left * 10) / 10, right: Math.round(r.right * 10) / 10};
    });
  return {width, controls};
}
"""

# Every display formula on a phone: the smallest font size (CSS px) of any of its characters
# (MathJax's CHTML draws each as an mjx-c, or mjx-utext for text it has no glyph for), with the
# formula's own text. A formula scaled down to fit, or a fraction's denominator in a small size,
# shows here (tests/browser/test_pages.py).
MATH_SIZES_JS = """
() => Array.from(document.querySelectorAll('article mjx-container[display="true"]'))
  .filter((el) => el.getBoundingClientRect().width > 0)
  .map((el) => {
    const sizes = Array.from(el.querySelectorAll('mjx-c, mjx-utext'))
      .filter((c) => c.getBoundingClientRect().width > 0)
      .map((c) => parseFloat(getComputedStyle(c).fontSize));
    const tex = el.parentElement ? (el.parentElement.getAttribute('data-tex') || '') : '';
    const alt = el.querySelector('mjx-assistive-mml');
    const text = alt ? alt.textContent : el.textContent || tex;
    return {text: text.replace(/\\s+/g, ' ').slice(0, 80),
            min_px: sizes.length ? Math.min(...sizes) : null,
            container_px: parseFloat(getComputedStyle(el).fontSize)};
  })
"""

# How far the page scrolls sideways (0 = it fits the window).
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"

MATH_PENDING_JS = "() => document.querySelectorAll('.math:not(:has(mjx-container))').length"

# textContent, not innerText: a folded (dropdown) solution is still on the page.
EXERCISES_JS = """
() => {
  const main = document.querySelector('main');
  return [document.querySelectorAll('main .exercise').length,
          document.querySelectorAll('main .solution').length,
          main ? main.textContent : ''];
}
"""

RUN_AXE_JS = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return {
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        html: n.html,
        // The check's own sentence, e.g. the measured contrast ratio and the colours.
        message: [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean)[0] || '',
      })),
    })),
  };
}
"""
# WCAG 2.0 and 2.1, levels A and AA, the level the book promises; best-practice adds rules such
# as landmark and heading structure that no success criterion names but screen readers rely on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@dataclass
class PageReport:
    """Everything one visit of a settled page recorded."""

    rel: str
    shown: str = ""  # the page finally shown (index.html redirects to the first chapter)
    problems: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    has_widget: bool = False
    widgets_drawn: bool = False
    has_math: bool = False
    math_pending: int = 0
    missing_alt: list[str] = field(default_factory=list)
    exercises: int = 0
    solutions: int = 0
    main_text: str = ""
    axe: dict | None = None
    screenshot: Path | None = None
    # At DESKTOP_VIEWPORT: [{src, alt, natural, shown}] for every loaded image of the content.
    images: list[dict] = field(default_factory=list)
    # At PHONE_VIEWPORT: [{src, alt, natural, shown, dpi}] (dpi from the PNG, None if unknown).
    phone_images: list[dict] = field(default_factory=list)
    # [{what, text, overflow}] for shown code wider than its box, at each width.
    code_cut_off: list[dict] = field(default_factory=list)
    phone_code_cut_off: list[dict] = field(default_factory=list)
    # [{what, text, overflow}]: content boxes cut off at the right, at each width.
    cut_off: list[dict] = field(default_factory=list)
    phone_cut_off: list[dict] = field(default_factory=list)
    # At PHONE_VIEWPORT: a full-page screenshot, and how many pixels the page scrolls sideways.
    phone_screenshot: Path | None = None
    phone_overflow_px: int = 0
    # At PHONE_VIEWPORT, folds opened: {width, controls: [{what, text, left, right}]} of every
    # explorer control shown (CONTROLS_JS).
    phone_controls: dict = field(default_factory=dict)
    # At PHONE_VIEWPORT: [{text, min_px, container_px}] for every display formula (MATH_SIZES_JS).
    phone_math: list[dict] = field(default_factory=list)


def _wait(page, report: PageReport, what: str, action) -> bool:
    try:
        action()
        return True
    except Exception as err:  # a timeout: recorded, so the test that cares says what failed
        report.problems.append(f"{what} did not happen: {type(err).__name__}")
        return False


def visit_page(browser, base_url: str, html_dir: Path, rel: str, *, screenshot: Path | None,
               axe_js: Path | None, phone: bool = True) -> PageReport:
    """Open ``rel``, let it settle as a reader sees it, and record every check's evidence.

    Settled: the redirect of index.html followed; the embedded explorers drawn from their saved
    state; MathJax finished (the widget labels are typeset after the widgets render). Then the
    images are loaded eagerly and measured, a full-page screenshot is taken at 1366 px, axe-core
    (when given) runs on the page as shown, and the page is shown at 390 px (a phone) for a
    second screenshot and a sideways-scroll measurement. With ``screenshot`` None every check
    runs the same and no screenshot is taken (the student edition's pages, which differ from the
    full edition's only by their solutions: two full-page screenshots are a third of a visit).
    With ``phone`` False the page is not shown at 390 px and the phone fields stay empty (the
    student edition's: no test reads them; the full edition's visit measures the same layout).
    """
    report = PageReport(rel=rel, shown=rel)
    page, context, visit = open_page(browser, base_url, rel)
    report.problems = visit.problems  # the same list: later errors land in the report too
    try:
        source = (html_dir / rel).read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in source:
            _wait(page, report, "the redirect", lambda: page.wait_for_url(
                lambda url: not url.split("#")[0].endswith("/" + rel), timeout=LOAD_TIMEOUT_MS))
            page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
            report.shown = page.url.removeprefix(base_url).split("#")[0]
            source = (html_dir / report.shown).read_text(encoding="utf-8")
        report.has_widget = WIDGET_VIEW in source
        report.has_math = 'class="math' in source
        if report.has_widget:
            report.widgets_drawn = _wait(page, report, "drawing the embedded explorer",
                                         lambda: page.wait_for_function(
                                             WIDGET_VISIBLE_JS, timeout=SETTLE_TIMEOUT_MS))
        if report.has_math:
            _wait(page, report, "typesetting the math", lambda: page.wait_for_selector(
                "mjx-container", state="attached", timeout=SETTLE_TIMEOUT_MS))
        page.evaluate(
            "() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
        report.broken_images = page.evaluate(BROKEN_IMAGES_JS)
        page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
        report.math_pending = page.evaluate(MATH_PENDING_JS) if report.has_math else 0
        report.missing_alt = page.evaluate(MISSING_ALT_JS)
        report.exercises, report.solutions, text = page.evaluate(EXERCISES_JS)
        report.main_text = " ".join(text.split())
        report.images = page.evaluate(IMAGE_SIZES_JS)
        report.cut_off = page.evaluate(CUT_OFF_JS)
        report.code_cut_off = page.evaluate(CODE_CUT_OFF_JS)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True, **SCREENSHOT_FORMAT)
            report.screenshot = screenshot
        if axe_js is not None:
            page.add_script_tag(path=str(axe_js))
            report.axe = page.evaluate(RUN_AXE_JS, AXE_TAGS)
        if not phone:
            return report
        # Last, so that every check above sees the desktop page: the same page on a phone.
        page.set_viewport_size(PHONE_VIEWPORT)
        page.wait_for_timeout(300)  # let the theme's layout settle at the new width
        report.phone_overflow_px = int(page.evaluate(OVERFLOW_JS))
        report.phone_cut_off = page.evaluate(CUT_OFF_JS)
        report.phone_code_cut_off = page.evaluate(CODE_CUT_OFF_JS)
        report.phone_images = page.evaluate(PHONE_IMAGE_SIZES_JS)
        report.phone_math = page.evaluate(MATH_SIZES_JS) if report.has_math else []
        if screenshot is not None:
            phone = screenshot.with_name(screenshot.stem + "__phone-390" + screenshot.suffix)
            page.screenshot(path=str(phone), full_page=True, **SCREENSHOT_FORMAT)
            report.phone_screenshot = phone
        if report.has_widget:  # after the screenshot: opening the folds changes the page
            page.evaluate(OPEN_FOLDS_JS, None)
            page.wait_for_timeout(300)
            report.phone_controls = page.evaluate(CONTROLS_JS, None)
    finally:
        context.close()
    return report
