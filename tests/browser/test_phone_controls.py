"""Every explorer control fits a phone's screen, in the static preview and after "Run live".

nec.widgets lays an explorer out for the desktop column (a 13em label beside a 34em control,
sliders indented under their label). At 390 px that put the right end of number boxes and
drop-downs at about x = 562: the spinner, the drop-down's arrow and the end of what was typed
were cut off. book/_static/css/a11y.css stacks each label above its control on a phone; these
tests measure every control's box (number box, slider, drop-down, check box, button, text area,
label), and every output box the explorer writes (its result, the dose sheet's table, which once
pushed the sheet's sentences past the edge), at 390 px and fail on any that reaches past the
window's right edge (or its left).

The static preview is measured during the page's one visit (visits.py, folds opened); the live
view is measured after pressing "Run live" on each page that has it (Python in the page, as
tests/browser/test_live.py drives it; about 6 to 20 s a page).
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR, run_sh_handler, serve
from visits import CONTROLS_JS, OPEN_FOLDS_JS, PHONE_VIEWPORT, pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PAGES = pages_of(HTML_DIR)
WIDGET_PAGES = [rel for rel in PAGES if "application/vnd.jupyter.widget-view+json"
                in (HTML_DIR / rel).read_text(encoding="utf-8")]
LIVE_PAGES = [rel for rel in WIDGET_PAGES
              if "nec-live-explorer" in (HTML_DIR / rel).read_text(encoding="utf-8")]
START_TIMEOUT_MS = 120_000
# Sub-pixel rounding of a box that ends exactly at the edge.
TOLERANCE_PX = 0.5


def _outside(measured: dict) -> list[str]:
    width = measured["width"]
    return [f"{c['what']} {c['text']!r}: {c['left']:.0f} to {c['right']:.0f} px"
            for c in measured["controls"]
            if c["right"] > width + TOLERANCE_PX or c["left"] < -TOLERANCE_PX]


def test_there_are_explorers_to_measure():
    assert len(WIDGET_PAGES) >= 5, WIDGET_PAGES
    assert len(LIVE_PAGES) >= 5, LIVE_PAGES


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_every_control_of_the_static_preview_fits_a_phone(page_report, rel):
    measured = page_report("full", rel).phone_controls
    assert measured and measured["width"] == PHONE_VIEWPORT["width"], measured
    assert len(measured["controls"]) >= 3, f"{rel}: no explorer controls found at 390 px"
    outside = _outside(measured)
    assert not outside, (f"{rel} at {measured['width']} px: controls outside the window "
                         "(stack the label above a full-width control):\n  "
                         + "\n  ".join(outside))


@pytest.fixture(scope="module")
def live_url(html_dir):
    with serve(html_dir, run_sh_handler()) as url:
        yield url


@pytest.mark.parametrize("rel", LIVE_PAGES)
def test_every_control_of_the_live_explorer_fits_a_phone(browser, live_url, rel):
    context = browser.new_context(viewport=PHONE_VIEWPORT)
    try:
        page = context.new_page()
        page.goto(live_url + rel, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.locator(".nec-live-explorer button.nec-live-button").first.click()
        page.wait_for_selector(".nec-live-view .widget-vbox, .nec-live-view .jupyter-widgets",
                               timeout=START_TIMEOUT_MS)
        page.wait_for_timeout(500)  # the view's layout settles
        page.evaluate(OPEN_FOLDS_JS, ".nec-live-view")
        page.wait_for_timeout(300)
        measured = page.evaluate(CONTROLS_JS, ".nec-live-view")
    finally:
        context.close()
    assert len(measured["controls"]) >= 3, f"{rel}: no live controls found at 390 px"
    outside = _outside(measured)
    assert not outside, (f"{rel}, live, at {measured['width']} px: controls outside the window:"
                         "\n  " + "\n  ".join(outside))
