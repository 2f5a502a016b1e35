"""No shown code line is cut off, at the desktop width or on a phone.

Code the page shows is meant to be read: at 1366 px its longest line must fit its box, or the
reader has to scroll the box sideways to see the end of a call. Folded cells ("Show code") are
measured too when the browser lays them out, since opened they are read the same way. Fold long
lines in the notebook: the code box holds about 83 characters at 1366 px, fewer than the 100 that
ruff allows. Every code block is measured, not only notebook cells: the Markdown pages' code
blocks (the instructors' shell commands) were once missed, because the check looked only at
``div.cell_input``.

On a phone (390 px) no box can hold 83 characters, so book/_static/css/a11y.css wraps code
there (its text is unchanged); the phone test checks that no code box still scrolls sideways.
Each page is visited once (visits.py); this test reads the report of that visit.
"""

from __future__ import annotations

import pytest
from conftest import HTML_DIR
from visits import pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PAGES = pages_of(HTML_DIR)
# Pages whose code must be measured: they show code (a regression that hides every code block
# from the selector would otherwise pass silently).
PAGES_WITH_CODE = ["book/grading.html", "book/nomogram_audit.html", "book/instructors.html"]


def _listed(cut) -> str:
    return "\n  ".join(f"cut by {c['overflow']} px: {c['text']!r}" for c in cut)


def test_the_pages_with_code_are_built():
    missing = [rel for rel in PAGES_WITH_CODE if rel not in PAGES]
    assert not missing, f"not built: {missing}"


@pytest.mark.parametrize("rel", PAGES)
def test_no_shown_code_line_is_cut_off_at_the_desktop_column(page_report, rel):
    cut = page_report("full", rel).code_cut_off
    assert not cut, (f"{rel} at 1366 px: shown code wider than its box (fold the long "
                     "lines):\n  " + _listed(cut))


@pytest.mark.parametrize("rel", PAGES)
def test_no_shown_code_box_scrolls_sideways_on_a_phone(page_report, rel):
    cut = page_report("full", rel).phone_code_cut_off
    assert not cut, (f"{rel} at 390 px: code boxes that scroll sideways (code wraps on a "
                     "phone: book/_static/css/a11y.css):\n  " + _listed(cut))
