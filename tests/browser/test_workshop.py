"""Workshop mode (./run.sh workshop) in headless Chromium: live explorers, Run All, no pop-up.

The built book shows each explorer's starting state only; in a workshop JupyterLab runs the
chapters and the explorers compute. This module writes the workshop folder as ./run.sh workshop
writes it (scripts/student_notebooks.py --workshop --instructor: the student notebooks, the full
chapters in instructor/, the workshop's lab-settings/), starts JupyterLab in it with the flags of
./run.sh workshop (scripts/workshop_flags.txt, and its launcher lab-settings/workshop_lab.py),
opens the URL the server printed, and checks, as the room would see it:

- from the command, the grading explorer in explorers.ipynb answers within seconds (issue 19's
  5 s target, printed with the measurement; the bound is the target scaled by the machine's
  load), in the kernel the workshop started for that notebook while JupyterLab loaded;
- the grading and dosing explorers answer typed values with what nec computes, and an
  impossible value (Ki-67 140 %, creatinine 0) shows nec's own error sentence;
- Run All in a student notebook, after the explorer was moved, shows no error, no solution and
  no "Correct." verdict: each exercise shows its checker's "Not yet.";
- in the instructor's copy (with solutions and hidden checks), moving the explorer and then
  running every cell below it raises no assertion: the checks test captured values;
- JupyterLab never asks "get notified about official Jupyter news?" (the workshop's
  lab-settings/overrides.json; this test's own user settings say nothing about news);
- the page never reaches beyond the local server, no page error occurs, and book/ is unchanged.

Screenshots go to test-artifacts/screenshots/workshop-*.png. Run by ./run.sh test with the other
browser tests, after the build (the student notebooks take the build's glued numbers).
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lab import (
    FLAGS_FILE,
    LAB_TIMEOUT_MS,
    Lab,
    assert_no_news_question,
    is_local,
    lab_in_browser,
    running_lab,
    wait_for_text,
    workshop_flags,
)

from nec import dosing, grading
from nec.widgets import DosingExplorer, GradingExplorer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
EXECUTED = ROOT / "_build" / "jupyter_execute"
ANSWER_TIMEOUT_MS = 15_000
RUN_ALL_TIMEOUT_MS = 120_000  # Run All of a chapter takes ~10 s here; a loaded 2-core machine more


#: When the lab fixture began writing the workshop folder (the step of ./run.sh workshop after
#: its incremental build): the start of the clock of the command-to-first-answer test, and the
#: machine's 1-minute load average then.
COMMAND_STARTED: list[float] = []
COMMAND_LOAD: list[float] = []
#: Issue 19's target, from the command to an explorer's first answer on the instructor's screen.
FIRST_ANSWER_TARGET_S = 5.0
#: The bound the test asserts (first_answer_limit_s), a looser one than the target: the target
#: times FIRST_ANSWER_SLACK, or times the load average if that is higher (the higher of the
#: 1-minute loads at the command and at the answer). The machine is shared, and inside
#: ./run.sh test the other browser lane runs beside this one: every step slows, JupyterLab's
#: front end the most, and a fixed 5 s would fail for the load, not for the workshop (the path
#: took 12–17 s at loads of 4–6 here). The measurement is printed with the target either way,
#: and the benchmark (run alone) reports it against the target itself.
FIRST_ANSWER_SLACK = 4.0
TIMING_RESULT = ROOT / "test-artifacts" / "workshop_timing.json"
#: ./run.sh workshop's way to start JupyterLab with the flags (scripts/workshop_lab_settings/).
WORKSHOP_LAUNCHER = "workshop_lab.py"


def _book_state() -> dict[str, tuple[int, int]]:
    """Every file under book/ with its size and modification time."""
    return {
        str(p.relative_to(ROOT)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in (ROOT / "book").rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    """JupyterLab as ./run.sh workshop starts it: in a workshop folder written as run.sh writes
    it, with the same flags, on a free port, with a known token."""
    if not EXECUTED.is_dir():
        pytest.fail(f"{EXECUTED} is missing: build the book first (./run.sh build)")
    with tempfile.TemporaryDirectory(prefix="nec-workshop-") as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "workshop"
        COMMAND_STARTED.append(time.monotonic())  # what ./run.sh workshop does after its build
        COMMAND_LOAD.append(round(os.getloadavg()[0], 2))
        subprocess.run([sys.executable, str(ROOT / "scripts" / "student_notebooks.py"),
                        "--workshop", "--instructor", str(folder), "--executed", str(EXECUTED)],
                       check=True, capture_output=True)
        # As ./run.sh workshop starts it (its launcher: lab-settings/workshop_lab.py).
        cmd = [sys.executable, str(folder / "lab-settings" / WORKSHOP_LAUNCHER),
               *workshop_flags()]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        before = _book_state()
        with running_lab(cmd, folder, tmp / "state") as server:
            yield server
        changed = sorted(set(before.items()) ^ set(_book_state().items()))
        assert not changed, f"the workshop session changed files under book/: {changed}"


def printed_path(lab: Lab) -> str:
    """The URL path of the link the server printed for the instructor to open (it opens
    explorers.ipynb when the workshop folder has it: lab-settings/workshop_server_config.py)."""
    found = re.search(rf"{re.escape(lab.url)}(/[^?\s]*)\?token=", lab.log_tail(200_000))
    assert found, f"JupyterLab printed no URL to open. Its log:\n{lab.log_tail()}"
    return found.group(1)


@pytest.fixture(scope="module")
def lab_page(browser, lab: Lab):
    """One JupyterLab page for the module, opened at the URL the server printed, as the
    instructor opens it: loading JupyterLab costs seconds on the 2-core machine, so each test
    opens its chapter from the file browser instead."""
    with lab_in_browser(browser, lab, printed_path(lab)) as page_and_watch:
        yield page_and_watch


def _notebook_cells(lab: Lab, name: str) -> list[dict]:
    """The cells of a notebook as the workshop serves it (notebooks/ is JupyterLab's root)."""
    path = lab.folder / "notebooks" / name
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def open_notebook(page, lab: Lab, name: str):
    """Open ``name`` (e.g. "grading.ipynb" or "instructor/grading.ipynb") from the file browser,
    wait for its kernel, and return (its cells on the page, its cells on disk)."""
    from playwright.sync_api import expect

    sources = _notebook_cells(lab, name)
    listing = page.locator(".jp-DirListing-content")
    *folders, file_name = name.split("/")
    # Back to the root, then down: the file browser remembers where the last test left it.
    page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").first.click()
    for folder in folders:
        listing.get_by_text(folder, exact=True).dblclick()
        # Wait until the listing is the folder's: the root lists a file of the same name too.
        expect(page.locator(".jp-FileBrowser .jp-BreadCrumbs")).to_contain_text(
            folder, timeout=LAB_TIMEOUT_MS)
        expect(listing.get_by_text(folder, exact=True)).to_have_count(0, timeout=LAB_TIMEOUT_MS)
    expect(listing).to_contain_text(file_name, timeout=LAB_TIMEOUT_MS)
    listing.get_by_text(file_name, exact=True).dblclick()
    cells = notebook_in_front(page, name, sources)
    if folders:
        page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").first.click()
    return cells, sources


def notebook_in_front(page, name: str, sources: list[dict]):
    """Wait until ``name`` is the notebook in front with all its cells and an idle kernel;
    return its cells on the page."""
    from playwright.sync_api import expect

    file_name = name.split("/")[-1]
    main = page.get_by_role("main")
    expect(main.get_by_role("tab", name=file_name, selected=True)).to_be_visible(
        timeout=LAB_TIMEOUT_MS)
    cells = main.get_by_role("tabpanel", name=file_name).locator(
        ".jp-Notebook .jp-Notebook-cell")
    expect(cells).to_have_count(len(sources), timeout=LAB_TIMEOUT_MS)
    # The notebook's kernel (python3, from the environment) must be up first: a run before it
    # is does nothing. The status bar tells, for the current tab (the toolbar's indicator says
    # "idle" before any kernel exists). Its items redraw together, so once it names this
    # notebook, "Idle" is this notebook's kernel, not the previous tab's.
    status = page.locator(".jp-StatusBar-TextItem")
    expect(status.filter(has_text=re.compile(rf"^{re.escape(file_name)}$"))).to_be_visible(
        timeout=LAB_TIMEOUT_MS)
    expect(status.filter(has_text=re.compile(r"\| Idle$"))).to_be_visible(
        timeout=LAB_TIMEOUT_MS)
    return cells


def _tracebacks(cell) -> list[str]:
    return cell.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        has_text="Traceback").all_inner_texts()


def run_cell(page, cell, label: str) -> None:
    """Run one cell with Shift+Enter, as a participant would, and wait for its result."""
    from playwright.sync_api import expect

    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    expect(cell.locator(".jp-InputPrompt")).to_have_text(
        re.compile(r"^\[\d+\]:$"), timeout=LAB_TIMEOUT_MS)
    tracebacks = _tracebacks(cell)
    assert not tracebacks, f"{label} failed:\n" + "\n".join(tracebacks)


def open_and_run(page, lab: Lab, name: str, call: str):
    """Open a chapter from JupyterLab's file browser, run its first code cell (the imports) and
    the cell that calls ``call`` as a participant would, with Shift+Enter, and return that cell.

    Only these two cells run here: nbval already runs every cell of every chapter, and the Run
    All tests below run one chapter whole.
    """
    cells, sources = open_notebook(page, lab, name)
    code = [i for i, c in enumerate(sources) if c["cell_type"] == "code"]
    # The participant's cell, not a hidden check that makes a fresh explorer by the same call
    # (tagged remove-cell: the built book leaves it out, the student edition drops it).
    calling = [i for i in code if call in "".join(c for c in sources[i]["source"])
               and "remove-cell" not in sources[i].get("metadata", {}).get("tags", [])]
    assert len(calling) == 1, f"{name}: expected one cell calling {call}, found {calling}"
    for index in (code[0], calling[0]):
        run_cell(page, cells.nth(index), f"{name}, cell {index}")
    return cells.nth(calling[0])


def run_menu(page, item: str, menu: str = "Run") -> None:
    """Choose ``menu`` → ``item`` in JupyterLab's menu bar (for the notebook in front)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def wait_until_all_ran(page, cells, sources, first: int = 0, what: str = "Run All") -> None:
    """Wait until every code cell from ``first`` on has run; fail at once, with the error's
    text, when a cell shows an error (JupyterLab then stops running the rest).

    A cell whose source the student edition folds (plumbing) shows no execution count in
    JupyterLab: its prompt is a placeholder. Run All numbers the cells it runs one after
    another, so the count of the next shown cell proves that each folded cell before it ran.
    """
    import time

    code = [i for i, c in enumerate(sources) if i >= first and c["cell_type"] == "code"]
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_MS / 1000
    while True:
        errors = _errors_shown(cells)
        assert not errors, f"{what} stopped at an error:\n" + "\n".join(errors)
        # One round trip for every prompt: a locator call per cell takes seconds on a long page.
        prompts = cells.evaluate_all(
            "cells => cells.map(c => {"
            "  const p = c.querySelector('.jp-InputPrompt');"
            "  return p && [p.classList.contains('jp-Placeholder-prompt'), p.textContent]; })")
        shown = {i: prompts[i][1].strip() for i in code if prompts[i] and not prompts[i][0]}
        waiting = {i: p for i, p in shown.items() if not re.fullmatch(r"\[\d+\]:", p)}
        if not waiting and code[-1] in shown:
            counts = {i: int(p.strip("[]:")) for i, p in shown.items()}
            for before, after in itertools.pairwise(sorted(counts)):
                between = sum(before < i < after for i in code)
                assert counts[after] - counts[before] == between + 1, (
                    f"{what}: the {between} folded cells between cells {before} and {after} "
                    f"did not all run (counts {counts[before]} and {counts[after]})")
            return
        assert time.monotonic() < deadline, (
            f"{what}: cells not run after {RUN_ALL_TIMEOUT_MS / 1000:.0f} s "
            f"(cell: its prompt): {waiting}")
        page.wait_for_timeout(500)


def _errors_shown(cells) -> list[str]:
    """Every error output on the notebook's page (a traceback, an assertion)."""
    return cells.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
    ).filter(has_text=re.compile(r"Traceback|Error")).all_inner_texts()


def defaults(explorer_class) -> dict:
    """An explorer's starting values. Each explorer's keywords are the names its nec function
    takes, so the expected answers below come from nec with exactly the explorer's inputs."""
    return {name: p.default for name, p in inspect.signature(explorer_class).parameters.items()}


def first_answer_limit_s(load_average: float) -> float:
    """The bound this test asserts from the machine's 1-minute load average: the target times
    FIRST_ANSWER_SLACK on a quiet machine, times the load on a busy one (on the shared 2-core
    machine every step of the path slows with the load)."""
    return FIRST_ANSWER_TARGET_S * max(FIRST_ANSWER_SLACK, load_average)


def test_an_instructor_opens_an_explorer_seconds_after_the_command(lab_page, lab,
                                                                   screenshot_dir, capsys):
    """First in the module, so that its clock runs from the workshop command: writing the
    workshop folder, JupyterLab starting and loading in the browser at the URL it printed
    (which opens explorers.ipynb), the notebook's import cell and the grading explorer's cell
    run, until the explorer shows its answer. No chapter is executed. The notebook's kernel was
    started with nec's explorers imported while JupyterLab loaded (lab-settings/
    workshop_prestart.py), and JupyterLab attached to it instead of starting another. The
    seconds go to test-artifacts/workshop_timing.json (the benchmark reports them against
    FIRST_ANSWER_TARGET_S) and to the terminal."""
    from playwright.sync_api import expect

    assert COMMAND_STARTED, "the lab fixture did not record when the command started"
    lab_loaded = time.monotonic()
    assert printed_path(lab) == "/lab/tree/explorers.ipynb", (
        "the URL the workshop prints should open the explorers notebook")
    first = grading.classify(**defaults(GradingExplorer))
    shot = screenshot_dir / "workshop-explorers.png"
    with watched(lab_page, shot) as page:
        sources = _notebook_cells(lab, "explorers.ipynb")
        cells = notebook_in_front(page, "explorers.ipynb", sources)
        calls = [i for i, c in enumerate(sources) if "_explorer()" in "".join(c["source"])]
        assert len(calls) == 5, f"explorers.ipynb should open the five explorers: {calls}"
        code = [i for i, c in enumerate(sources) if c["cell_type"] == "code"]
        run_cell(page, cells.nth(code[0]), "explorers.ipynb, the import")
        run_cell(page, cells.nth(calls[0]), "explorers.ipynb, the grading explorer")
        wait_for_text(page, cells.nth(calls[0]).element_handle(), ".nec-category",
                      first.category, ANSWER_TIMEOUT_MS)
        answered = time.monotonic()
        expect(cells.nth(calls[0]).locator(".nec-category")).to_have_text(first.category)
        page.screenshot(path=str(shot))
    seconds = answered - COMMAND_STARTED[0]
    load = max(COMMAND_LOAD[0], round(os.getloadavg()[0], 2))
    limit = first_answer_limit_s(load)
    TIMING_RESULT.parent.mkdir(parents=True, exist_ok=True)
    TIMING_RESULT.write_text(json.dumps({
        "command_to_first_answer_s": round(seconds, 2),
        "command_to_lab_loaded_s": round(lab_loaded - COMMAND_STARTED[0], 2),
        "lab_loaded_to_first_answer_s": round(answered - lab_loaded, 2),
        "target_s": FIRST_ANSWER_TARGET_S, "limit_s": round(limit, 2),
        "load_average_at_command": COMMAND_LOAD[0], "load_average": list(os.getloadavg()),
        "measured": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}, indent=1),
        encoding="utf-8")
    with capsys.disabled():
        print(f"\n  workshop: command to the first explorer answer {seconds:.1f} s (target "
              f"≤ {FIRST_ANSWER_TARGET_S:g} s; JupyterLab loaded at "
              f"{lab_loaded - COMMAND_STARTED[0]:.1f} s; load average {load:.1f}, so this "
              f"test's bound is {limit:.1f} s)")
    # The kernel was started ahead, and the notebook runs in it: one session for the
    # notebook, whose kernel is the one the extension started and imported nec into.
    started = re.findall(r"workshop_prestart \| explorers\.ipynb: kernel (\S+) started, "
                         r"'import nec\.widgets' ran \(ok\)", lab.log_tail(200_000))
    assert len(started) == 1, f"the explorers kernel was not started ahead:\n{lab.log_tail()}"
    sessions = [s for s in lab.api("/api/sessions") if s["path"] == "explorers.ipynb"]
    assert [s["kernel"]["id"] for s in sessions] == started, (
        f"explorers.ipynb did not run in the kernel started ahead: {sessions}")
    assert seconds <= limit, (
        f"{seconds:.1f} s from the workshop command to the first explorer answer, over "
        f"{limit:.1f} s (the target, {FIRST_ANSWER_TARGET_S:g} s, at a load average of "
        f"{load:.1f})")


def test_the_flags_come_from_one_place():
    """./run.sh workshop and the bundle's start.sh read the same flags file, so the three
    (with this test) cannot drift apart."""
    relative = str(FLAGS_FILE.relative_to(ROOT))
    run_sh = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert relative in run_sh
    assert f"lab-settings/{WORKSHOP_LAUNCHER}" in run_sh, "./run.sh workshop starts the lab so"
    assert FLAGS_FILE.name in (ROOT / "scripts" / "make_bundle.sh").read_text(encoding="utf-8")
    flags = workshop_flags()
    assert "--ip=127.0.0.1" in flags and "--no-browser" in flags
    assert "--ServerApp.root_dir=notebooks" in flags
    assert "--LabApp.app_settings_dir=lab-settings" in flags


@contextlib.contextmanager
def watched(lab_page, screenshot: Path):
    """Yield the page; on the way out keep the page as the test left it (beside
    ``screenshot``, also after a failure) and check that every request so far stayed on
    127.0.0.1 with no error on the page."""
    page, watch = lab_page
    try:
        yield page
    finally:
        page.screenshot(path=str(screenshot.with_name(f"{screenshot.stem}-last.png")))
        urls, problems = watch.urls[:], watch.problems[:]
        # Each test answers for what happened on the shared page since the previous one.
        watch.urls.clear()
        watch.problems.clear()
    outside = [url for url in urls if not is_local(url)]
    assert not outside, "requests that left 127.0.0.1:\n  " + "\n  ".join(outside)
    assert not problems, "\n  ".join(["problems on the page:", *problems])
    return urls


@contextlib.contextmanager
def live_explorer(lab_page, lab: Lab, screenshot: Path, name: str, call: str, title: str):
    """Run a chapter's explorer in JupyterLab; yield (page, the explorer's box, its output)."""
    from playwright.sync_api import expect

    page, watch = lab_page
    with watched(lab_page, screenshot):
        cell = open_and_run(page, lab, name, call)
        widget = cell.locator(".jp-OutputArea-output > .widget-vbox")
        expect(widget).to_contain_text(title, timeout=ANSWER_TIMEOUT_MS)
        widget.scroll_into_view_if_needed()
        # The kernel's channels must have been seen, or the recording missed the live traffic.
        assert any(urlsplit(url).scheme == "ws" for url in watch.urls), "no WebSocket recorded"
        # The explorer's own output is the last HTML widget of its box.
        yield page, widget, widget.locator(".widget-html-content").last


def enter(box, value: float) -> None:
    # A FloatText sends its value to the kernel on Enter (or when it loses focus).
    box.fill(f"{value:g}")
    box.press("Enter")


def test_live_grading_explorer_answers_a_new_value(lab_page, lab, screenshot_dir):
    from playwright.sync_api import expect

    start = defaults(GradingExplorer)
    # A subtype only describes a carcinoma: the explorer clears it for a well-differentiated
    # tumour, and classify() expects none.
    well = {**start, "differentiation": "well", "nec_subtype": None}
    new_ki67, impossible_ki67 = 12.0, 140.0
    first, as_net = grading.classify(**start), grading.classify(**well)
    changed = grading.classify(**{**well, "ki67": new_ki67})
    assert len({first.category, as_net.category, changed.category}) == 3, (
        "each step must change the category shown, or the test cannot tell a live answer "
        "from a stale one")
    with pytest.raises(ValueError) as impossible:
        grading.classify(**{**well, "ki67": impossible_ki67})

    shot = screenshot_dir / "workshop-grading.png"
    with live_explorer(lab_page, lab, shot, "grading.ipynb", "nec.widgets.grading_explorer(",
                       "WHO grading explorer") as (page, widget, answer):
        category = answer.locator(".nec-category")
        ki67 = widget.get_by_label("Ki-67 index (%)", exact=True)
        expect(category).to_have_text(first.category, timeout=ANSWER_TIMEOUT_MS)

        widget.get_by_label("Morphology", exact=True).select_option("well differentiated")
        expect(category).to_have_text(as_net.category, timeout=ANSWER_TIMEOUT_MS)

        enter(ki67, new_ki67)
        expect(category).to_have_text(changed.category, timeout=ANSWER_TIMEOUT_MS)
        expect(answer).to_contain_text(changed.rule)
        # The kernel moved the slider to follow the typed value.
        expect(widget.locator('[role="slider"]').first).to_have_attribute(
            "aria-valuenow", re.compile(rf"^{new_ki67:g}(\.0+)?$"))
        page.screenshot(path=str(shot))

        enter(ki67, impossible_ki67)
        expect(answer.locator('[role="alert"]')).to_contain_text(
            str(impossible.value), timeout=ANSWER_TIMEOUT_MS)
        expect(category).to_have_count(0)


def test_live_dosing_explorer_answers_a_new_value(lab_page, lab, screenshot_dir):
    from playwright.sync_api import expect

    start = defaults(DosingExplorer)
    lighter = {**start, "weight_kg": 70.0}
    first, changed = dosing.regimen_sheet(**start), dosing.regimen_sheet(**lighter)

    def doses(sheet) -> list[int]:
        # The sheet shows each drug's dose per day in whole mg.
        return [round(row["dose_per_day_mg"]) for row in sheet.rows]

    def shown(mg: list[int]) -> list[re.Pattern]:
        return [re.compile(rf"^{dose}\b") for dose in mg]

    assert doses(first) != doses(changed), "the new weight must change the doses shown"
    with pytest.raises(ValueError) as impossible:
        dosing.regimen_sheet(**{**lighter, "creatinine": 0.0})

    shot = screenshot_dir / "workshop-dosing.png"
    with live_explorer(lab_page, lab, shot, "first_line.ipynb", "nec.widgets.dosing_explorer(",
                       "Regimen dose sheet") as (page, widget, answer):
        per_day = answer.locator("tbody tr > td:nth-child(3)")  # the "Dose per day" column
        expect(per_day).to_have_text(shown(doses(first)), timeout=ANSWER_TIMEOUT_MS)

        enter(widget.get_by_label("Weight (kg)", exact=True), lighter["weight_kg"])
        expect(per_day).to_have_text(shown(doses(changed)), timeout=ANSWER_TIMEOUT_MS)
        page.screenshot(path=str(shot))

        enter(widget.get_by_label("Serum creatinine", exact=True), 0.0)
        expect(answer.locator('[role="alert"]')).to_contain_text(
            str(impossible.value), timeout=ANSWER_TIMEOUT_MS)
        expect(per_day).to_have_count(0)


def _solution_lines(name: str) -> set[str]:
    """Lines only the solutions of book/<name> have (the student notebooks test's own rule)."""
    spec = importlib.util.spec_from_file_location(
        "test_student_notebooks", ROOT / "tests" / "test_student_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = json.loads((ROOT / "book" / name).read_text(encoding="utf-8"))
    return module.solution_lines(source)[0]


def test_run_all_in_a_student_notebook_shows_no_solution(lab_page, lab, screenshot_dir):
    """After the explorer was moved (the grading test above), Run All shows what the room may
    see: the explorer, the chapter, and for each exercise its checker's "Not yet."."""
    from playwright.sync_api import expect

    shot = screenshot_dir / "workshop-run-all.png"
    with watched(lab_page, shot) as page:
        cells, sources = open_notebook(page, lab, "grading.ipynb")
        # Move the explorer first, as a participant would have.
        explorer = [i for i, c in enumerate(sources)
                    if "nec.widgets.grading_explorer(" in "".join(c["source"])][0]
        run_cell(page, cells.nth(0), "grading.ipynb, cell 0")
        run_cell(page, cells.nth(explorer), "grading.ipynb, explorer cell")
        widget = cells.nth(explorer).locator(".jp-OutputArea-output > .widget-vbox")
        widget.get_by_label("Morphology", exact=True).select_option("well differentiated")
        run_menu(page, "Run All Cells")
        wait_until_all_ran(page, cells, sources, what="Run All in the student grading.ipynb")
        page.screenshot(path=str(shot), full_page=True)
        # The answer cells: every code cell that calls a checker, after the imports.
        exercises = sum(re.search(r"check\(\s*[\"']", "".join(c["source"])) is not None
                        for c in sources if c["cell_type"] == "code")
        verdicts = cells.locator(".nec-feedback")
        expect(verdicts).to_have_count(exercises)
        assert all(v.startswith("Not yet.") for v in verdicts.all_inner_texts())
        shown_text = " ".join(" ".join(cells.all_inner_texts()).split())
        assert "Correct." not in " ".join(cells.locator(".jp-OutputArea").all_inner_texts())
        leaked = sorted(line for line in _solution_lines("grading.ipynb") if line in shown_text)
        assert not leaked, f"solution text on the screen: {leaked[:5]}"


def test_instructor_copy_runs_below_a_moved_explorer(lab_page, lab, screenshot_dir):
    """In the full chapter (solutions and hidden checks), move the explorer and run every cell
    below it: no check may fail, because each tests what was computed when its cell ran."""
    shot = screenshot_dir / "workshop-instructor.png"
    name = "instructor/grading.ipynb"
    with watched(lab_page, shot) as page:
        # The student grading.ipynb is open too, under the same tab name: close every tab,
        # discarding the runs (JupyterLab asks once per changed notebook).
        run_menu(page, "Close All Tabs", menu="File")
        discard = page.locator(".jp-Dialog").get_by_role("button", name="Discard")
        for _ in range(10):
            try:
                discard.click(timeout=3000)
            except Exception:  # noqa: BLE001 - no dialog left: every tab is closed
                break
        cells, sources = open_notebook(page, lab, name)
        run_menu(page, "Run All Cells")
        wait_until_all_ran(page, cells, sources, what=f"Run All in {name}")
        explorer = [i for i, c in enumerate(sources)
                    if "nec.widgets.grading_explorer(" in "".join(c["source"])][0]
        widget = cells.nth(explorer).locator(".jp-OutputArea-output > .widget-vbox")
        widget.get_by_label("Morphology", exact=True).select_option("well differentiated")
        enter(widget.get_by_label("Ki-67 index (%)", exact=True), 12.0)
        page.wait_for_timeout(1000)  # the kernel answers the change well within a second
        below = explorer + 1
        cells.nth(below).locator(".jp-Cell-inputWrapper").first.click()
        run_menu(page, "Run Selected Cell and All Below")
        page.screenshot(path=str(shot))
        wait_until_all_ran(page, cells, sources, first=below,
                           what=f"{name}: running the cells below the moved explorer")
        page.screenshot(path=str(shot))
        errors = _errors_shown(cells)
        assert not errors, (f"{name}: running the cells below the moved explorer failed:\n"
                            + "\n".join(errors))


def test_jupyterlab_does_not_ask_about_news(lab_page, lab, screenshot_dir):
    """Last: by now the page has been open for the whole module, long past the moment
    JupyterLab would ask."""
    shot = screenshot_dir / "workshop-no-news.png"
    with watched(lab_page, shot) as page:
        assert_no_news_question(page, lab)
        page.screenshot(path=str(shot))
