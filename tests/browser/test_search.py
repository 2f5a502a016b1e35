"""The built book's search page finds terms in the chapters that contain them.

Sphinx search runs in the browser: search.html?q=... loads searchindex.js and writes its results
into #search-results, ending with a summary line ("Search finished, found N page(s) ..." or "Your
search did not match any documents"). The test waits for that line, then reads the result links.
Each term's expected chapter is checked against the built HTML first, so a term that a chapter
no longer uses fails clearly rather than as a search bug.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from visits import LOAD_TIMEOUT_MS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

HTML_DIR = Path(__file__).resolve().parents[2] / "_build" / "html"
# term -> a chapter page that contains it
CASES = {
    "Calvert": "book/first_line.html",
    "MiNEN": "book/grading.html",
}

SEARCH_DONE_JS = """
() => {
  const summary = document.querySelector('#search-results .search-summary');
  return !!summary && /Search finished|did not match/.test(summary.textContent);
}
"""
RESULT_LINKS_JS = """
() => Array.from(document.querySelectorAll('#search-results ul.search li a'))
  .map((a) => a.getAttribute('href'))
"""


@pytest.mark.parametrize(("term", "chapter"), sorted(CASES.items()))
def test_search_lists_the_chapter(browser, base_url, term: str, chapter: str):
    html = (HTML_DIR / chapter).read_text(encoding="utf-8")
    assert term in html, f"{chapter} no longer contains {term!r}: update the test's CASES"

    page, context, visit = open_page(browser, base_url, f"search.html?q={quote(term)}")
    try:
        page.wait_for_function(SEARCH_DONE_JS, timeout=LOAD_TIMEOUT_MS)
        summary = page.inner_text("#search-results .search-summary")
        links = page.evaluate(RESULT_LINKS_JS)
    finally:
        context.close()
    pages = {href.split("#", 1)[0].split("?", 1)[0] for href in links}
    assert chapter in pages, f"q={term}: {chapter} not in the results {sorted(pages)} ({summary})"
    assert not visit.problems, f"search.html?q={term}:\n  " + "\n  ".join(visit.problems)
