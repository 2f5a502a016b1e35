"""Accessibility of every page of both builds, checked with axe-core in headless Chromium.

Each page of _build/html and _build/student/html is opened as in test_pages.py, left to finish
drawing (MathJax typesets, the embedded explorers render from their saved state: axe must see
what a reader sees, not the page before its scripts ran), and axe-core is injected from
tests/browser/vendor/ (fetched from the npm registry by scripts/vendor_js.sh; never shipped with
the book, never loaded from a CDN). axe runs the WCAG 2.0/2.1 A and AA rules and its best-practice
rules; a page fails on any violation of impact serious or critical. The moderate and minor ones do
not fail, but every page's full list goes to test-artifacts/a11y/ for whoever tidies up next.

No rule and no element is excluded: a violation is fixed where the markup is made (_config.yml,
book/_static/css/, book/_ext/nec_book_html.py, nec/widgets.py), not hidden from the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HTML_DIR, ROOT, STUDENT_HTML_DIR
from test_pages import LOAD_TIMEOUT_MS, WIDGET_VISIBLE_JS, open_page, pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

AXE_JS = ROOT / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
REPORT_DIR = ROOT / "test-artifacts" / "a11y"
# WCAG 2.0 and 2.1, levels A and AA, the level the book promises; best-practice adds rules such
# as landmark and heading structure that no success criterion names but screen readers rely on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# How much of each violation the failure message shows: enough to find the element.
SHOWN_NODES = 3
SNIPPET_CHARS = 200

EDITIONS = {"full": HTML_DIR, "student": STUDENT_HTML_DIR}
BASE_URL_FIXTURE = {"full": "base_url", "student": "student_base_url"}
CASES = [(edition, rel) for edition, html_dir in EDITIONS.items() for rel in pages_of(html_dir)]

RUN_AXE_JS = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return {
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        html: n.html,
        // The check's own sentence, e.g. the measured contrast ratio and the colours.
        message: [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean)[0] || '',
      })),
    })),
  };
}
"""


def _require_axe() -> Path:
    # Checked in each test, not in a fixture: a missing file must fail the tests, not error or skip.
    if not AXE_JS.is_file() or AXE_JS.stat().st_size == 0:
        pytest.fail(f"{AXE_JS} is missing: run scripts/vendor_js.sh (./run.sh does it)",
                    pytrace=False)
    return AXE_JS


def _settle(page, html_dir: Path, base_url: str, rel: str) -> str:
    """Wait until the page looks as a reader sees it: explorers drawn and math typeset.

    Returns the page that is shown: index.html only redirects (meta refresh) to the first
    chapter, and axe must run on that chapter once it has loaded, not during the redirect.
    """
    source = (html_dir / rel).read_text(encoding="utf-8")
    if 'http-equiv="Refresh"' in source:
        page.wait_for_url(lambda url: not url.split("#")[0].endswith("/" + rel),
                          timeout=LOAD_TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
        rel = page.url.removeprefix(base_url).split("#")[0]
        source = (html_dir / rel).read_text(encoding="utf-8")
    if "application/vnd.jupyter.widget-view+json" in source:
        page.wait_for_function(WIDGET_VISIBLE_JS, timeout=30_000)
    if 'class="math' in source:
        page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
    # Widget labels are typeset after the widgets render (js/widgets-offline.js): let that and
    # any font or chunk it loads finish.
    page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
    return rel


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
def test_page_has_no_serious_a11y_violation(request, browser, edition: str, rel: str):
    axe_js = _require_axe()
    base_url = request.getfixturevalue(BASE_URL_FIXTURE[edition])
    page, context, _ = open_page(browser, base_url, rel)
    try:
        shown = _settle(page, EDITIONS[edition], base_url, rel)
        page.add_script_tag(path=str(axe_js))
        result = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    finally:
        context.close()

    result["page"] = shown
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report = REPORT_DIR / (f"{edition}__" + rel.removesuffix(".html").replace("/", "__") + ".json")
    report.write_text(json.dumps(result, indent=1), encoding="utf-8")
    failing = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
    if failing:
        # pytrace=False: the list of violations is the message; a traceback would bury it.
        label = rel if shown == rel else f"{rel} (redirected to {shown})"
        pytest.fail(_describe(edition, label, failing), pytrace=False)
