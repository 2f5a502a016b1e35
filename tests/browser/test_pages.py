"""Smoke test of the built book in headless Chromium.

Every page of _build/html is opened from a local server. A page fails on any console error,
uncaught page error, failed request, HTTP status >= 400, request that leaves the local server
(the book must work with no network: MathJax and the widget manager are vendored) or broken
image. Full-page screenshots of each page at 1366 px and at 390 px (a phone: *__phone-390.jpg)
go to test-artifacts/screenshots/. The grading page must draw its embedded widget, every page with
math must have it typeset by MathJax, every figure must be legible at the desktop column (not
shrunk by more than MAX_SHRINK) and on a phone (its smallest text at least MIN_PHONE_TEXT_PX
tall as shown), no printed output, table or display equation may be
cut off at either width, and no page may scroll sideways on a phone.

Each page is visited once (visits.py); these tests read the report of that visit.
Run by ./run.sh test after the strict build; `pytest tests` in the unit stage skips this folder.
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR
from visits import pages_of, pages_with_widgets

from nec.plotting import MIN_FONT_PT, RC

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

GRADING_PAGE = "book/grading.html"
PAGES = pages_of(HTML_DIR)


def _source(rel: str) -> str:
    return (HTML_DIR / rel).read_text(encoding="utf-8")


# From the built files, so that a page that stopped embedding its explorer or its math fails
# test_every_chapter_explorer_is_embedded / test_the_book_has_math_to_typeset.
MATH_PAGES = [rel for rel in PAGES if 'class="math' in _source(rel)]
WIDGET_PAGES = pages_with_widgets(HTML_DIR)


def _problems(rel, report) -> str:
    return f"{rel}:\n  " + "\n  ".join(report.problems)


def test_book_was_built():
    assert PAGES, f"no HTML pages under {HTML_DIR}: build the book first (./run.sh build)"
    assert "index.html" in PAGES
    assert GRADING_PAGE in PAGES, f"{GRADING_PAGE} missing from the build"


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly(page_report, rel: str):
    report = page_report("full", rel)
    assert not report.problems, _problems(rel, report)
    assert not report.broken_images, f"{rel}: broken images {report.broken_images}"
    assert report.screenshot is not None and report.screenshot.is_file()
    assert report.phone_screenshot is not None and report.phone_screenshot.is_file()


# A figure drawn at the book's style (7 in at 110 dpi = 770 px) and shown in the ~750 px column is
# shrunk by ~1.03. Shrunk by more than 1.3, its text falls below ~75 % of the size it was drawn at:
# the three-panel grade map (1743 px shown at ~750) had ticks about 5 px tall.
MAX_SHRINK = 1.3


@pytest.mark.parametrize("rel", PAGES)
def test_every_figure_is_legible_at_the_desktop_column(page_report, rel):
    report = page_report("full", rel)
    shrunk = [f"{img['natural']} px shown at {img['shown']:.0f} px "
              f"(x{img['natural'] / img['shown']:.2f}): {img['alt'][:70] or img['src'][-60:]}"
              for img in report.images
              if img["shown"] > 0 and img["natural"] / img["shown"] > MAX_SHRINK]
    assert not shrunk, (f"{rel}: figures shrunk by more than {MAX_SHRINK} at 1366 px (size them "
                        "for the column: figsize width <= 7.5 in, <= 2 panels side by side):\n  "
                        + "\n  ".join(shrunk))


# On a phone (390 px) a figure is shown at about the column's 350 px. The book's style draws no
# text smaller than MIN_FONT_PT points at the figure's dpi (nec.plotting.style, checked in each
# chapter by figure_problems); shown at `shown` px of its `natural` px, that text is
# MIN_FONT_PT × dpi / 72 × shown / natural CSS px tall. It must stay at least MIN_PHONE_TEXT_PX,
# about the smallest text a phone shows legibly (the theme's own small print is ~12 px): so
# natural / shown <= (MIN_FONT_PT × dpi / 72) / MIN_PHONE_TEXT_PX, i.e. at 110 dpi a figure may
# be shrunk at most ~1.53 times, and a figure ~4.8 in wide (panels stacked) fits a phone.
# Tapping to zoom is no excuse: a reader should not have to zoom into every figure.
MIN_PHONE_TEXT_PX = 9.0


def _smallest_text_px(img) -> float:
    dpi = img.get("dpi") or RC["figure.dpi"]  # a PNG without pHYs: the style's dpi
    return MIN_FONT_PT * dpi / 72 * img["shown"] / img["natural"]


@pytest.mark.parametrize("rel", PAGES)
def test_every_figure_is_legible_on_a_phone(page_report, rel):
    report = page_report("full", rel)
    small = [f"{img['natural']} px ({img.get('dpi') or RC['figure.dpi']:.0f} dpi) shown at "
             f"{img['shown']:.0f} px: {MIN_FONT_PT:g} pt text is {_smallest_text_px(img):.1f} px: "
             f"{img['alt'][:70] or img['src'][-60:]}"
             for img in report.phone_images
             if img["shown"] > 0 and _smallest_text_px(img) < MIN_PHONE_TEXT_PX - 1e-9]
    assert not small, (f"{rel}: at 390 px these figures show their smallest text below "
                       f"{MIN_PHONE_TEXT_PX:g} px (make them narrower: figsize width <= ~4.8 in, "
                       "panels stacked, or larger text):\n  " + "\n  ".join(small))


def _cut(boxes) -> str:
    return "\n  ".join(f"{b['what']} cut by {b['overflow']} px: {b['text']!r}" for b in boxes)


@pytest.mark.parametrize("rel", PAGES)
def test_no_output_table_or_equation_is_cut_off_at_the_desktop_column(page_report, rel):
    boxes = page_report("full", rel).cut_off
    assert not boxes, f"{rel} at 1366 px (wrap, split, or fewer columns):\n  " + _cut(boxes)


@pytest.mark.parametrize("rel", PAGES)
def test_no_output_table_or_equation_is_cut_off_on_a_phone(page_report, rel):
    boxes = page_report("full", rel).phone_cut_off
    assert not boxes, f"{rel} at 390 px (wrap, split, or fewer columns):\n  " + _cut(boxes)


@pytest.mark.parametrize("rel", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(page_report, rel):
    overflow = page_report("full", rel).phone_overflow_px
    assert overflow <= 1, f"{rel}: at 390 px the page scrolls {overflow} px sideways"


def test_every_chapter_explorer_is_embedded():
    # grading, dosing (first line), options (second line), dynamic nomogram
    assert len(WIDGET_PAGES) >= 4 and GRADING_PAGE in WIDGET_PAGES, WIDGET_PAGES


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_embedded_widgets_render_their_initial_state(page_report, rel):
    # The embedded explorer is drawn by the vendored html-manager from the saved widget state.
    report = page_report("full", rel)
    assert report.widgets_drawn, _problems(rel, report)


def test_the_book_has_math_to_typeset():
    # The chapters show their formulas (mitotic-count conversion, BSA, Cockcroft-Gault,
    # Calvert); if none reaches the HTML, MathJax is not being exercised at all.
    assert MATH_PAGES, "no built page contains math"


@pytest.mark.parametrize("rel", MATH_PAGES)
def test_math_is_typeset(page_report, rel):
    """Every page with math gets it typeset by the vendored MathJax (no raw TeX left)."""
    report = page_report("full", rel)
    assert report.math_pending == 0, f"{rel}: {report.math_pending} math element(s) untypeset"
    assert not report.problems, _problems(rel, report)


@pytest.mark.parametrize("rel", PAGES)
def test_every_image_has_alt_text(page_report, rel):
    # Explorer plots included: the dynamic nomogram's <img> describes its curves.
    missing = page_report("full", rel).missing_alt
    assert not missing, f"{rel}: images without alt text: {missing}"


# A display formula on a phone: the theme's body text is 16 px, MathJax sets a formula a little
# larger, and a fraction's numerator and denominator keep the formula's size in display style.
# Shrunk to fit the column (the CSS once set display math at 74 % on phones) the Cockcroft-Gault
# denominator came out at about 7 px. Every character must stay at least MIN_PHONE_MATH_PX, the
# floor the figures are held to; a formula too wide for a phone is split over lines instead.
MIN_PHONE_MATH_PX = 9.0


@pytest.mark.parametrize("rel", MATH_PAGES)
def test_display_math_is_legible_on_a_phone(page_report, rel):
    formulas = page_report("full", rel).phone_math
    if '<div class="math' in _source(rel):  # the page has display math: it must be measured
        assert formulas and all(f["min_px"] for f in formulas), (rel, formulas)
    small = [f"{f['min_px']:.1f} px (formula at {f['container_px']:.1f} px): {f['text']!r}"
             for f in formulas if f["min_px"] is not None and f["min_px"] < MIN_PHONE_MATH_PX]
    assert not small, (f"{rel}: at 390 px these display formulas have characters below "
                       f"{MIN_PHONE_MATH_PX:g} px (do not scale math to fit; split the formula "
                       "over lines, units in the sentence):\n  " + "\n  ".join(small))
