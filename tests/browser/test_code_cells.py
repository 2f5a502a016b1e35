"""No shown code line is cut off at the desktop width.

A code cell the page shows is meant to be read: at 1366 px its longest line must fit its box, or
the reader has to scroll the box sideways to see the end of a call. Folded cells ("Show code")
are measured too when the browser lays them out, since opened they are read the same way. Fold
long lines in the notebook: the code box holds about 83 characters at 1366 px, fewer than the
100 that ruff allows. Each page is visited once (visits.py); this test reads the
report of that visit.
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR
from visits import pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PAGES = pages_of(HTML_DIR)


@pytest.mark.parametrize("rel", PAGES)
def test_no_shown_code_line_is_cut_off_at_the_desktop_column(page_report, rel):
    cut = page_report("full", rel).code_cut_off
    assert not cut, (f"{rel} at 1366 px: shown code cells wider than their box (fold the long "
                     "lines):\n  " + "\n  ".join(f"cut by {c['overflow']} px: {c['text']!r}"
                                                 for c in cut))
