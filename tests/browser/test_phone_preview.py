"""Every control of each explorer's static preview fits a phone's screen (the live view:
test_phone_controls.py, which says why and how the controls are measured).

The preview is measured during the page's one visit (visits.py: at 390 px, folds opened), the
visit every other test of the built pages reads.
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR
from visits import PHONE_VIEWPORT, controls_outside, pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

WIDGET_PAGES = [rel for rel in pages_of(HTML_DIR) if "application/vnd.jupyter.widget-view+json"
                in (HTML_DIR / rel).read_text(encoding="utf-8")]


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
