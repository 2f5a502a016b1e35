"""Every explorer control fits a phone's screen: here in the static preview, and after "Run
live" in tests/browser/test_live.py (test_every_control_of_the_live_explorer_fits_a_phone).

nec.widgets lays an explorer out for the desktop column (a 13em label beside a 34em control,
sliders indented under their label). At 390 px that put the right end of number boxes and
drop-downs at about x = 562: the spinner, the drop-down's arrow and the end of what was typed
were cut off. book/_static/css/a11y.css stacks each label above its control on a phone; both
tests measure every control's box (number box, slider, drop-down, check box, button, text area,
label), and every output box the explorer writes (its result, the dose sheet's table, which once
pushed the sheet's sentences past the edge), at 390 px (visits.py's CONTROLS_JS) and fail on any
that reaches past the window's right edge (or its left).

The preview is measured during the page's one visit (visits.py: at 390 px, folds opened), the
visit every other test of the built pages reads; the live view on the page the live book's
explorer test made live, when its first answer shows.
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR
from visits import PHONE_VIEWPORT, controls_outside, pages_with_widgets

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

WIDGET_PAGES = pages_with_widgets(HTML_DIR)


def test_there_are_explorers_to_measure():
    assert len(WIDGET_PAGES) >= 5, WIDGET_PAGES


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_every_control_of_the_static_preview_fits_a_phone(page_report, rel):
    measured = page_report("full", rel).phone_controls
    assert measured and measured["width"] == PHONE_VIEWPORT["width"], measured
    assert len(measured["controls"]) >= 3, f"{rel}: no explorer controls found at 390 px"
    outside = controls_outside(measured)
    assert not outside, (f"{rel} at {measured['width']} px: controls outside the window "
                         "(stack the label above a full-width control):\n  "
                         + "\n  ".join(outside))
