"""The built pages as a reader reads them: no MyST source, no repeated sentence, no stray None,
no raw pandas table (built_html.py says what each check looks for and why).

These read _build/html; they run in the browser stage of ./run.sh test, after the strict build
(marked browser, so the unit stage skips them). tests/test_built_html_checks.py proves each check
on small hand-written pages.
"""

from __future__ import annotations

import functools

import pytest
from built_html import CHECKS, check_page
from conftest import HTML_DIR
from visits import pages_of

pytestmark = pytest.mark.browser

# Sphinx's own pages have no prose or tables of ours.
NOT_CONTENT = {"genindex.html", "search.html", "py-modindex.html"}
PAGES = [rel for rel in pages_of(HTML_DIR) if rel not in NOT_CONTENT]
# check_page runs every check on its page at once: each page is parsed and checked once, and
# each check's test reads its own findings (a long chapter takes about a second).
findings_of = functools.cache(check_page)


def test_there_are_pages_to_read():
    assert PAGES, f"no pages under {HTML_DIR}: build the book first (./run.sh build)"


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("rel", PAGES)
def test_page_reads_clean(rel, check):
    findings = findings_of(HTML_DIR / rel)[check]
    assert not findings, f"{rel}: {check}:\n  " + "\n  ".join(findings)
