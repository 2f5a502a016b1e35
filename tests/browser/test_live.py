"""The live book in headless Chromium: explorers and checkers run in the page, offline.

The built book is served the way ``./run.sh serve`` serves it (scripts/serve.py: gzip, the
right types for .mjs and .wasm), on a free loopback port. For each page with a live control:

- before any button is pressed, nothing of the live mode is downloaded;
- pressing "Run live" starts Python in the page and the explorer answers typed values with
  exactly what ``nec`` computes under CPython (expected values come from ``nec`` here, never
  from the page), bad input shows nec's own sentence;
- each exercise answer box gives the notebook checker's feedback for right and wrong answers
  (the student edition: the same boxes and live files, and one page's boxes live);
- no request leaves the machine and no console error appears.

Timings (runtime start, first answer, each change) are printed and written to
``test-artifacts/live-timings.json`` for benchmarks/run.py.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import time
from html import unescape
from pathlib import Path

import pytest
from conftest import run_sh_handler, serve
from visits import CONTROLS_JS, OPEN_FOLDS_JS, PHONE_VIEWPORT, controls_outside

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TIMINGS = ROOT / "test-artifacts" / "live-timings.json"
START_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def live_url(html_dir):
    with serve(html_dir, run_sh_handler()) as url:
        yield url


class LivePages:
    """The book's pages an explorer test has made live, kept open for the checker test.

    Each explorer test opens its page fresh (it measures a cold start and that nothing of the
    live mode loads before its button is pressed), measures its first live answer at 390 px
    for the phone test (``phone``), and hands the page over when it passes; the checker test
    then types its answers into that page, whose Python is already running, instead of opening
    the page and starting Python again (two to four seconds a page, each time). A page no
    explorer test left open is opened as before.
    """

    def __init__(self):
        self.kept = {}
        self.phone = {}  # rel -> CONTROLS_JS's measurement of the first live view at 390 px

    def keep(self, rel, context, page, watch):
        self.kept[rel] = (context, page, watch)

    def take(self, browser, url, rel):
        kept = self.kept.pop(rel, None)
        return kept if kept is not None else _open(browser, url, rel)

    def phone_layout(self, browser, url, rel):
        """The first live view of ``rel`` measured at 390 px (by its explorer test, or now on a
        page opened for it and kept for the checker test)."""
        if rel not in self.phone:
            if rel in self.kept:  # live already, but its explorer test did not measure it
                page = self.kept[rel][1]
            else:
                context, page, watch = _open(browser, url, rel)
                self.keep(rel, context, page, watch)
                _start_explorer(page)
            self.phone[rel] = _measure_on_a_phone(page)
        return self.phone[rel]

    def close(self):
        for context, _, _ in self.kept.values():
            context.close()
        self.kept.clear()


def _measure_on_a_phone(page):
    """Every control and output box of the page's live view, shown at 390 px (folds opened),
    then the page back at its width."""
    page.set_viewport_size(PHONE_VIEWPORT)
    try:
        page.wait_for_timeout(500)  # the view's layout settles at the new width
        page.evaluate(OPEN_FOLDS_JS, ".nec-live-view")
        page.wait_for_timeout(300)
        return page.evaluate(CONTROLS_JS, ".nec-live-view")
    finally:
        page.set_viewport_size(LIVE_VIEWPORT)


@pytest.fixture(scope="module")
def live_pages():
    pages = LivePages()
    yield pages
    pages.close()


class Watch:
    """Every request and console error of one page, and what left the machine."""

    def __init__(self, page, base_url):
        self.requests, self.external, self.errors, self.bytes = [], [], [], 0
        self.base_url = base_url
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        page.on("requestfinished", self._finished)

    def _request(self, req):
        self.requests.append(req.url)

    def _finished(self, req):
        with contextlib.suppress(Exception):
            sizes = req.sizes()
            self.bytes += sizes.get("responseBodySize", 0) + sizes.get("responseHeadersSize", 0)


LIVE_VIEWPORT = {"width": 1280, "height": 900}


def _open(browser, url, rel):
    context = browser.new_context(viewport=LIVE_VIEWPORT)
    watch = None

    def route(route, request):
        if request.url.startswith(url) or request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            watch.external.append(request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    watch = Watch(page, url)
    page.goto(url + rel, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, watch


def _live_requests(watch):
    return [u for u in watch.requests if "/vendor/pyodide/" in u or "/live/" in u
            or "/live-wheels/" in u or "nec-live.js" in u]


def _start_explorer(page, index=0):
    t0 = time.perf_counter()
    block = page.locator(".nec-live-explorer").nth(index)
    block.locator("button.nec-live-button").click()
    page.wait_for_selector(".nec-live-view .widget-vbox, .nec-live-view .jupyter-widgets",
                           timeout=START_TIMEOUT_MS)
    return time.perf_counter() - t0


def _squash(text: str) -> str:
    """Text with every space removed: the page's innerText and the CPython HTML's text
    differ only in where line breaks fall."""
    return re.sub(r"\s+", "", text)


def _text_of(html_value: str) -> str:
    return _squash(unescape(re.sub(r"<[^>]+>", " ", html_value)))


def _texts(scope) -> list[str]:
    return [_squash(t) for t in scope.locator(".widget-html-content").all_text_contents()]


def _wait_for_output(scope, want: str, change=None) -> None:
    """Wait until one of the HTML outputs inside ``scope`` (a Locator: the live view, or one
    explorer's output on the workshop's explorers page) reads ``want`` (spaces ignored)."""
    try:
        scope.page.wait_for_function(
            "([root, w]) => Array.from(root.querySelectorAll('.widget-html-content'))"
            ".some(e => e.textContent.replace(/\\s+/g, '') === w)",
            arg=[scope.element_handle(), want], timeout=20_000)
    except Exception as err:
        raise AssertionError(
            f"after {change}, the page shows {_texts(scope)} instead of {want!r}") from err


def apply_change(scope, change):
    """Make one change inside ``scope`` as a reader would: type into a number box, choose an
    option, retype a line of a text area or press a button."""
    kind, label, value = change
    if kind == "click":
        scope.locator("button", has_text=label).first.click()
    elif kind == "edit":  # replace one line of a text area, as a reader retyping a cell
        area = scope.locator(".widget-textarea", has_text=label).locator("textarea").first
        old, new = value
        text = area.input_value()
        assert old in text, f"{old!r} is not in the page's text area"
        area.fill(text.replace(old, new))
    elif kind == "type":
        box = scope.locator(".widget-text", has_text=label).locator("input").first
        box.fill(str(value))
        box.press("Enter")
    else:
        scope.locator(".widget-dropdown", has_text=label).locator(
            "select").first.select_option(label=value)


#: The audit explorer's edits: (old line start, new line start) in its CSV text area: the 3-year
#: tick of survival 0.5 typed as 36 instead of 63, and a size cell typed "4x".
AUDIT_SLIP = ("nomo_s3y_50,total_points,survival_3y,0.5,,63,",
              "nomo_s3y_50,total_points,survival_3y,0.5,,36,")
AUDIT_BAD_CELL = ("nomo_size_5,points,size_cm,5,,44,", "nomo_size_5,points,size_cm,5,,4x,")

# For each live explorer: its page, how to make the same explorer under CPython, and changes made
# in the page in order, each with the same change made with the explorer's set() (or, named by a
# string, the same button pressed). Bad values are part of each table: the page must show nec's
# own sentence.
EXPLORERS = {
    "grading": ("book/grading.html", "grading_explorer", [
        (("type", "Ki-67", 12), {"ki67": 12}),
        (("select", "Morphology", "well differentiated"), {"differentiation": "well"}),
        (("type", "Ki-67", 30), {"ki67": 30}),
        (("select", "WHO edition", "WHO 2010 (digestive system)"), {"edition": "2010"}),
        (("type", "Ki-67", 140), {"ki67": 140}),
        (("type", "Ki-67", -3), {"ki67": -3}),
        (("select", "WHO edition", "WHO 2019 (digestive system)"), {"edition": "2019"}),
        (("type", "Ki-67", 2.5), {"ki67": 2.5}),
    ]),
    "dose sheet": ("book/first_line.html", "dosing_explorer", [
        (("type", "Weight (kg)", 45), {"weight_kg": 45}),
        (("select", "Weight for Cockcroft–Gault", "ideal (Devine)"), {"weight": "ideal"}),
        (("type", "Serum creatinine", 0.5), {"creatinine": 0.5}),
        (("select", "Creatinine floor", "0.8 mg/dL"), {"creatinine_floor_mg_dl": "0.8"}),
        (("select", "Regimen", "EP: cisplatin 80 mg/m2 day 1 + etoposide"), {"regimen": "ep"}),
        (("type", "Serum creatinine", 2.5), {"creatinine": 2.5}),
        (("select", "Sex", "female"), {"sex": "female"}),
        (("type", "Serum creatinine", 88), {"creatinine": 88}),
        (("select", "Creatinine unit", "µmol/L"), {"unit": "umol/L"}),
        (("type", "Height (cm)", 1.75), {"height_cm": 1.75}),
    ]),
    "second-line options": ("book/second_line.html", "options_explorer", [
        (("type", "Platinum-free months", 12), {"platinum_free_months": 12}),
        (("select", "ECOG PS", "3"), {"performance_status": 3}),
        (("select", "Morphology", "well-differentiated NET G3"), {"morphology": "net_g3"}),
        (("select", "SSTR imaging", "positive"), {"sstr_imaging": "positive"}),
        (("select", "Liver function", "impaired"), {"liver_function": "impaired"}),
        (("type", "Ki-67", 150), {"ki67": 150}),
        (("type", "Ki-67", 40), {"ki67": 40}),
        (("type", "Platinum-free months", -1), {"platinum_free_months": -1}),
    ]),
    # The dynamic nomogram: points, survival, the flag beyond the printed axes, and its SVG
    # curve (its legend and text alternative are compared too: SHOWN below).
    "nomogram": ("book/nomogram.html", "nomogram_explorer", [
        (("type", "Tumour size (cm)", 7), {"size_cm": 7}),
        (("click", "Keep this profile", None), "keep"),
        (("select", "Primary resected", "no"), {"resection": "no"}),
        (("select", "Treatment", "neither"), {"treatment": "neither"}),
        (("type", "Tumour size (cm)", 12), {"size_cm": 12}),
        (("type", "Tumour size (cm)", -2), {"size_cm": -2}),
        (("type", "Tumour size (cm)", 0.5), {"size_cm": 0.5}),
        (("type", "Tumour size (cm)", 1), {"size_cm": 1}),
        (("select", "Primary resected", "yes"), {"resection": "yes"}),
        (("select", "Treatment", "chemotherapy and targeted"),
         {"treatment": "chemotherapy and targeted"}),
        (("type", "Tumour size (cm)", 8), {"size_cm": 8}),
        (("click", "Clear kept profiles", None), "clear"),
    ]),
    # The points-table audit: a typing slip the audit flags, a malformed cell named by its row
    # and column (the sentence on screen), the table set right again, and the other example.
    "points-table audit": ("book/nomogram_audit.html", "audit_explorer", [
        (("edit", "Points table (CSV)", AUDIT_SLIP), AUDIT_SLIP),
        (("edit", "Points table (CSV)", AUDIT_BAD_CELL), AUDIT_BAD_CELL),
        (("edit", "Points table (CSV)", AUDIT_BAD_CELL[::-1]), AUDIT_BAD_CELL[::-1]),
        (("type", "Points rounding", 0.05), {"points_error": 0.05}),
        (("select", "Start from", "rms: survival::veteran (not a paper)"),
         {"example": "rms: survival::veteran (not a paper)"}),
    ]),
}
#: The HTML outputs of each explorer compared with CPython's after every change (default: its
#: result box, ``output``).
SHOWN = {"nomogram": ("output", "plot")}


def change_reference(reference, values):
    """The change of an EXPLORERS row made with the CPython explorer's own controls."""
    if isinstance(values, tuple):  # a text-area edit: (old, new) in the table's text
        reference.set(table=reference.table.value.replace(*values))
    elif isinstance(values, str):
        getattr(reference, values).click()
    else:
        reference.set(**values)


def wait_for_cpythons_answer(scope, reference, name, change=None):
    """Wait until ``scope`` shows what the CPython explorer ``reference`` shows (every part of
    SHOWN)."""
    for part in SHOWN.get(name, ("output",)):
        _wait_for_output(scope, _text_of(getattr(reference, part).value), change)


def _record(name, data):
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings[name] = data
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=1))


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_each_explorer_runs_live_with_cpythons_answers(browser, live_url, live_pages, name):
    import nec.widgets

    rel, factory, changes = EXPLORERS[name]
    context, page, watch = _open(browser, live_url, rel)
    passed = False
    try:
        assert page.locator(".nec-live-explorer").count() == 1
        assert _live_requests(watch) == [], "live files loaded before any button was pressed"
        before = watch.bytes
        clicked = time.perf_counter()
        _start_explorer(page)
        reference = getattr(nec.widgets, factory)()  # the same explorer under CPython
        view = page.locator(".nec-live-view")
        wait_for_cpythons_answer(view, reference, name)
        start = time.perf_counter() - clicked  # from the press of "Run live" to the first answer
        live_pages.phone[rel] = _measure_on_a_phone(page)  # for the phone test, below
        timings = []
        for change, values in changes:
            change_reference(reference, values)
            t0 = time.perf_counter()
            apply_change(view, change)
            wait_for_cpythons_answer(view, reference, name, change)
            timings.append(time.perf_counter() - t0)
        assert watch.external == [], f"requests left the machine: {watch.external}"
        assert watch.errors == [], f"console errors: {watch.errors}"
        # The page runs the compiled library (scripts/live_precompile.mjs), never the wheels.
        loaded = _live_requests(watch)
        assert any(u.endswith("/live-python.zip") for u in loaded), loaded
        assert not any("/live-wheels/" in u or u.endswith("/python_stdlib.zip") for u in loaded)
        steps = page.evaluate("() => window.necLiveTimings")
        live_bytes = watch.bytes - before
        _record(name, {"page": rel, "start_to_first_answer_s": round(start, 2),
                       "change_s": [round(t, 3) for t in timings], "live_bytes": live_bytes,
                       "steps_ms": steps})
        print(f"\nlive {name}: {start:.1f} s to the first answer; changes "
              f"{', '.join(f'{t * 1000:.0f}' for t in timings)} ms; {live_bytes / 1e6:.1f} MB")
        assert live_bytes < 10e6, "the live assets must travel compressed in under 10 MB"
        passed = True
    finally:
        if passed:
            live_pages.keep(rel, context, page, watch)
        else:
            context.close()


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_control_of_the_live_explorer_fits_a_phone(browser, live_url, live_pages, name):
    """After "Run live", every control and output box of the first live view lies inside a
    phone's 390 px window (test_phone_preview.py says what is measured, and why; the same for
    the static preview). The explorer test's page is measured when its first answer shows,
    shown at 390 px: the theme and book/_static/css/a11y.css lay it out by the window's width,
    as for a page opened there."""
    rel = EXPLORERS[name][0]
    measured = live_pages.phone_layout(browser, live_url, rel)
    assert measured["width"] == PHONE_VIEWPORT["width"], measured
    assert len(measured["controls"]) >= 3, f"{rel}: no live controls found at 390 px"
    outside = controls_outside(measured)
    assert not outside, (f"{rel}, live, at {measured['width']} px: controls outside the window:"
                         "\n  " + "\n  ".join(outside))


def _pages_with_checkers(html_dir):
    return sorted(p.relative_to(html_dir).as_posix() for p in (html_dir / "book").glob("*.html")
                  if "nec-live-check" in p.read_text(encoding="utf-8"))


def _extension():
    spec = importlib.util.spec_from_file_location("nec_live_ext",
                                                  ROOT / "book" / "_ext" / "nec_live.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _typed_answers():
    """The first right, wrong and bad answer of each exercise (tests/checker_answers.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from checker_answers import ANSWERS

    return {exercise: [kinds[k][0] for k in ("right", "wrong", "bad")]
            for exercise, kinds in ANSWERS.items()}


def _boxes(html_dir, rel):
    """Each answer box of a built page, as HTML, with its exercise's id."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_dir / rel).read_text(encoding="utf-8"), "html.parser")
    return [(box["data-exercise"], str(box)) for box in soup.select(".nec-live-check")]


def _live_files(html_dir):
    """The files the answer boxes run on: the live script and the runtime it loads."""
    static = html_dir / "_static"
    files = [static / "js" / "nec-live.js", *sorted((static / "live").rglob("*"))]
    return {f.relative_to(html_dir).as_posix(): f.read_bytes() for f in files if f.is_file()}


def test_every_exercise_checker_answers_in_the_browser(browser, live_url, live_pages, html_dir):
    """Every answer box on every page of the book has a button, and gives CPython's feedback
    (the notebook's nec.exercises.check, as the answer box shows it) for a right, a wrong and a
    bad answer typed into it; every exercise has its box. Pages an explorer test made live are
    reused (LivePages), so their Python is already running."""
    from nec.exercises import EXERCISES
    from nec.exercises.typed import check_typed_html

    ext = _extension()
    assert ext.browser_unavailable_checkers(str(ROOT)) == {}, "a checker needs a heavy library"
    typed_answers = _typed_answers()
    pages = _pages_with_checkers(html_dir)
    assert len(pages) >= 5, f"answer boxes on only {pages}"
    seen = set()
    for rel in pages:
        opened = live_pages.take(browser, live_url, rel)
        _check_every_box(opened, rel, typed_answers, check_typed_html, seen)
    assert seen == set(EXERCISES), f"exercises without an answer box: {set(EXERCISES) - seen}"


def test_the_student_editions_answer_boxes_are_the_books_and_answer_there(browser,
                                                                          student_html_dir,
                                                                          html_dir):
    """The student edition's pages differ from the book's by their solutions only: each page
    has the same answer boxes, to the byte, and the same live script and runtime behind them
    (so the full edition's test of every box holds for them too); and in that edition's own
    build, served as ./run.sh serve serves it, the page with the most boxes starts Python and
    gives CPython's feedback for a right answer in each of its boxes."""
    from nec.exercises import EXERCISES
    from nec.exercises.typed import check_typed_html

    pages = _pages_with_checkers(student_html_dir)
    assert pages == _pages_with_checkers(html_dir), "the editions put answer boxes on other pages"
    seen = set()
    for rel in pages:
        student, book = _boxes(student_html_dir, rel), _boxes(html_dir, rel)
        assert student == book, f"{rel}: the student edition's answer boxes differ from the book's"
        seen.update(exercise for exercise, _ in student)
    assert seen == set(EXERCISES), f"exercises without an answer box: {set(EXERCISES) - seen}"
    student_files, book_files = _live_files(student_html_dir), _live_files(html_dir)
    assert "_static/js/nec-live.js" in student_files and len(student_files) > 1
    assert student_files.keys() == book_files.keys(), "the editions ship other live files"
    differ = [name for name in student_files if student_files[name] != book_files[name]]
    assert differ == [], f"live files that differ between the editions: {differ}"

    right = {exercise: answers[:1] for exercise, answers in _typed_answers().items()}
    busiest = max(pages, key=lambda rel: len(_boxes(student_html_dir, rel)))
    with serve(student_html_dir, run_sh_handler()) as url:
        _check_every_box(_open(browser, url, busiest), busiest, right, check_typed_html, set())


def _check_every_box(opened, rel, typed_answers, check_typed_html, seen):
    """Type each exercise's answers into its box on the open page ``rel`` (``opened``: its
    context, page and watch, closed here); each must show CPython's feedback, with no request
    off the machine and no console error."""
    context, page, watch = opened
    try:
        boxes = page.locator(".nec-live-check")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            exercise = box.get_attribute("data-exercise")
            seen.add(exercise)
            assert "nec-live-unavailable" not in (box.get_attribute("class") or ""), exercise
            assert box.locator("button").count() == 1, exercise
            for typed in typed_answers[exercise]:
                box.locator("input").fill(typed)
                box.locator("button").click()
                want = _text_of(check_typed_html(exercise, typed))
                try:
                    page.wait_for_function(
                        "([i, w]) => document.querySelectorAll('.nec-live-check')[i]"
                        ".querySelector('.nec-live-feedback').textContent"
                        ".replace(/\\s+/g, '') === w", arg=[i, want], timeout=60_000)
                except Exception as err:
                    shown = box.locator(".nec-live-feedback").inner_text()
                    raise AssertionError(f"{rel}, {exercise}, typed {typed!r}: the page "
                                         f"shows {shown!r}, CPython {want!r}") from err
        assert watch.external == [], f"{rel}: requests left the machine: {watch.external}"
        assert watch.errors == [], f"{rel}: console errors: {watch.errors}"
    finally:
        context.close()


def test_from_file_the_page_says_how_to_make_it_live(browser, html_dir):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((html_dir / "book" / "grading.html").as_uri(), wait_until="load")
        page.locator(".nec-live-explorer button").click()
        page.wait_for_function(
            "() => document.querySelector('.nec-live-explorer .nec-live-status')"
            ".textContent.includes('./run.sh serve')", timeout=10_000)
        # The static preview stays.
        assert page.locator(".nec-live-view").count() == 0
    finally:
        context.close()


def test_every_explorer_is_live_or_says_why_not(html_dir):
    """Each explorer on the built pages has either a Run live button (and is in the live
    table above) or a sentence saying why it stays a preview: never a button that fails."""
    nec_live_ext = _extension()

    live = {rel for rel, _, _ in EXPLORERS.values()}
    for path in sorted((html_dir / "book").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(html_dir).as_posix()
        buttons, previews = text.count("nec-live-explorer"), text.count("nec-live-preview")
        if buttons:
            assert rel in live, f"{rel} has a Run live button that no live test presses"
        if rel in live:
            assert buttons == 1 and previews == 0, rel
        if previews:
            assert "cannot run in the browser" in text, rel
    assert nec_live_ext.LIVE_EXPLORERS == {f for _, f, _ in EXPLORERS.values()}
