"""Fixtures for the browser smoke test: a local HTTP server for _build/html and headless Chromium.

The browser is Debian's /usr/bin/chromium driven by Playwright's Python package: Playwright's own
browser download does not work on this machine (it fetches a browser build from outside the
package registries). run.sh installs Debian's chromium before this stage.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML_DIR = ROOT / "_build" / "html"
# The student edition (./run.sh student): the same book with every exercise solution hidden.
STUDENT_HTML_DIR = ROOT / "_build" / "student" / "html"
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("NEC_CHROMIUM", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox. Without the background-networking flags it tries to reach
# Google's services at every start; the machine's closed network refuses those connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML_DIR / "index.html").is_file():
        pytest.fail(f"{HTML_DIR / 'index.html'} is missing: build the book first (./run.sh build)")
    return HTML_DIR


@contextlib.contextmanager
def serve(directory: Path, handler_class=_QuietHandler) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port chosen by the OS, in a background thread
    (with ``handler_class``, e.g. :func:`run_sh_handler`'s, to serve as ``./run.sh serve``)."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run_sh_handler():
    """scripts/serve.py's request handler (gzip, ETags), as ``./run.sh serve`` uses it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nec_serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Handler


@pytest.fixture(scope="session")
def base_url(html_dir: Path) -> Iterator[str]:
    """Serve _build/html (the full book)."""
    with serve(html_dir) as url:
        yield url


@pytest.fixture(scope="session")
def student_html_dir() -> Path:
    if not (STUDENT_HTML_DIR / "index.html").is_file():
        pytest.fail(
            f"{STUDENT_HTML_DIR / 'index.html'} is missing: build it first (./run.sh student)"
        )
    return STUDENT_HTML_DIR


@pytest.fixture(scope="session")
def student_base_url(student_html_dir: Path) -> Iterator[str]:
    """Serve _build/student/html (the student edition) on its own port."""
    with serve(student_html_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (./run.sh test does)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


AXE_JS = ROOT / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
EDITIONS = {"full": HTML_DIR, "student": STUDENT_HTML_DIR}


@pytest.fixture(scope="session")
def page_report(request, browser, screenshot_dir: Path):
    """``page_report(edition, rel)``: the report of one visit to that page, made on first use.

    Every test that looks at a page shares its one visit (see visits.py).
    """
    from visits import visit_page

    reports = {}

    def get(edition: str, rel: str):
        if (edition, rel) not in reports:
            base_url = request.getfixturevalue(
                {"full": "base_url", "student": "student_base_url"}[edition])
            # Screenshots and the phone layout of the full edition only: a student page is the
            # same page without its solutions, and every check a test reads still runs on it
            # (visits.py).
            name = rel.removesuffix(".html").replace("/", "__") + ".jpg"
            shot = screenshot_dir / name if edition == "full" else None
            axe = AXE_JS if AXE_JS.is_file() and AXE_JS.stat().st_size else None
            reports[edition, rel] = visit_page(browser, base_url, EDITIONS[edition], rel,
                                               screenshot=shot, axe_js=axe,
                                               phone=edition == "full")
        return reports[edition, rel]

    return get
