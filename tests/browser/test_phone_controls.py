"""Every explorer control fits a phone's screen after "Run live" (test_phone_preview.py: the
static preview).

nec.widgets lays an explorer out for the desktop column (a 13em label beside a 34em control,
sliders indented under their label). At 390 px that put the right end of number boxes and
drop-downs at about x = 562: the spinner, the drop-down's arrow and the end of what was typed
were cut off. book/_static/css/a11y.css stacks each label above its control on a phone; these
tests measure every control's box (number box, slider, drop-down, check box, button, text area,
label), and every output box the explorer writes (its result, the dose sheet's table, which once
pushed the sheet's sentences past the edge), at 390 px and fail on any that reaches past the
window's right edge (or its left).

The live view is measured after pressing "Run live" on each page that has it (Python in the
page, as tests/browser/test_live.py drives it; about 4 to 20 s a page). The static preview is
measured during the page's one visit (visits.py, folds opened), in test_phone_preview.py, which
runs beside the other tests of those visits (./run.sh test's lane of the built pages).
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR, run_sh_handler, serve
from visits import CONTROLS_JS, OPEN_FOLDS_JS, PHONE_VIEWPORT, controls_outside, pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PAGES = pages_of(HTML_DIR)
WIDGET_PAGES = [rel for rel in PAGES if "application/vnd.jupyter.widget-view+json"
                in (HTML_DIR / rel).read_text(encoding="utf-8")]
LIVE_PAGES = [rel for rel in WIDGET_PAGES
              if "nec-live-explorer" in (HTML_DIR / rel).read_text(encoding="utf-8")]
START_TIMEOUT_MS = 120_000


def test_there_are_live_explorers_to_measure():
    assert len(LIVE_PAGES) >= 5, LIVE_PAGES


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
    outside = controls_outside(measured)
    assert not outside, (f"{rel}, live, at {measured['width']} px: controls outside the window:"
                         "\n  " + "\n  ".join(outside))
