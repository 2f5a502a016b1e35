"""Accessibility of every page of both builds, checked with axe-core in headless Chromium.

Each page of _build/html and _build/student/html is visited once (visits.py), left to finish
drawing (MathJax typesets, the embedded explorers render from their saved state: axe must see
what a reader sees, not the page before its scripts ran), and axe-core is injected from
tests/browser/vendor/ (fetched from the npm registry by scripts/vendor_js.sh; never shipped with
the book, never loaded from a CDN). axe runs the WCAG 2.0/2.1 A and AA rules and its best-practice
rules; a page fails on any violation of impact serious or critical. The moderate and minor ones do
not fail, but every page's full list goes to test-artifacts/a11y/ for whoever tidies up next.

No rule and no element is excluded: a violation is fixed where the markup is made (_config.yml,
book/_static/css/, book/_ext/nec_book_html.py, nec/widgets/), not hidden from the test.
"""

from __future__ import annotations

import json

import pytest
from conftest import AXE_JS, EDITIONS, ROOT
from visits import pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

REPORT_DIR = ROOT / "test-artifacts" / "a11y"
FAILING_IMPACTS = {"serious", "critical"}
# How much of each violation the failure message shows: enough to find the element.
SHOWN_NODES = 3
SNIPPET_CHARS = 200

CASES = [(edition, rel) for edition, html_dir in EDITIONS.items() for rel in pages_of(html_dir)]


def _describe(edition: str, rel: str, failing: list[dict]) -> str:
    lines = [f"{edition} {rel}: {len(failing)} serious/critical axe violation(s)"]
    for v in failing:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        lines.append(f"      {v['helpUrl']}")
        for node in v["nodes"][:SHOWN_NODES]:
            snippet = " ".join(node["html"].split())[:SNIPPET_CHARS]
            lines.append(f"      - {node['target']}")
            lines.append(f"        {snippet}")
            if node["message"]:
                lines.append(f"        {node['message']}")
        if len(v["nodes"]) > SHOWN_NODES:
            lines.append(f"      ... and {len(v['nodes']) - SHOWN_NODES} more")
    lines.append(f"  full list: {REPORT_DIR.relative_to(ROOT)}/")
    return "\n".join(lines)


def test_both_builds_have_pages():
    # An empty parameter list would make the test below pass by running nothing.
    for edition, html_dir in EDITIONS.items():
        assert any(e == edition for e, _ in CASES), (
            f"no {edition} pages under {html_dir}: run ./run.sh build and ./run.sh student")


@pytest.mark.parametrize(("edition", "rel"), CASES, ids=[f"{e}/{r}" for e, r in CASES])
def test_page_has_no_serious_a11y_violation(page_report, edition: str, rel: str):
    # Checked in each test, not in a fixture: a missing file must fail the tests, not skip.
    if not AXE_JS.is_file() or AXE_JS.stat().st_size == 0:
        pytest.fail(f"{AXE_JS} is missing: run scripts/vendor_js.sh (./run.sh does it)",
                    pytrace=False)
    report = page_report(edition, rel)
    assert report.axe is not None, f"{edition} {rel}: axe-core did not run"
    result = {**report.axe, "page": report.shown}
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{edition}__" + rel.removesuffix(".html").replace("/", "__") + ".json"
    (REPORT_DIR / name).write_text(json.dumps(result, indent=1), encoding="utf-8")
    failing = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
    if failing:
        # pytrace=False: the list of violations is the message; a traceback would bury it.
        shown = report.shown
        label = rel if shown == rel else f"{rel} (redirected to {shown})"
        pytest.fail(_describe(edition, label, failing), pytrace=False)
