"""Workshop mode (./run.sh workshop) in headless Chromium: a live explorer answers a new value.

The built book shows each explorer's starting state only; in a workshop JupyterLab runs the
chapters and the explorers compute. This module starts JupyterLab with the flags of
./run.sh workshop (scripts/workshop_flags.txt), opens a chapter, runs its imports and its
explorer cell, and drives the explorer through its controls: every answer shown must be the one
nec computes for the new value (grading: morphology and Ki-67; dosing: weight), and an
impossible value (Ki-67 140 %, creatinine 0) must show nec's own error sentence. The page may
not reach beyond the local server, and no page error may occur. Screenshots of the changed
explorers go to test-artifacts/screenshots/workshop-*.png.

Run by ./run.sh test with the other browser tests; it needs no built book.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nec import dosing, grading
from nec.widgets import DosingExplorer, GradingExplorer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
FLAGS_FILE = ROOT / "scripts" / "workshop_flags.txt"
STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20
# Opening JupyterLab and running a chapter; one explorer round trip takes well under a second.
LAB_TIMEOUT_MS = 45_000
ANSWER_TIMEOUT_MS = 15_000

# User settings for the test's own, temporary settings folder.
LAB_SETTINGS = {
    # Running cells marks the notebook changed; an autosave would write outputs into book/.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Attach every cell to the page, so a cell is found by its place in the notebook whatever
    # JupyterLab's default windowing does with cells outside the viewport.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # The news question would cover part of the screenshot (news_url=None already stops fetches).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}


def workshop_flags() -> list[str]:
    """JupyterLab's flags for workshop mode, as ./run.sh workshop reads them."""
    lines = (line.strip() for line in FLAGS_FILE.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_with_env(entry: str) -> list[int]:
    """Processes whose environment holds ``entry`` (NAME=value): the server's kernels inherit
    its environment, so a unique value finds them and nothing else."""
    needle = entry.encode()
    pids = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with contextlib.suppress(OSError):
            if needle in environ.read_bytes().split(b"\0"):
                pids.append(int(environ.parent.name))
    return pids


@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    log: Path

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def _book_state() -> dict[str, tuple[int, int]]:
    """Every file under book/ with its size and modification time."""
    return {
        str(p.relative_to(ROOT)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in (ROOT / "book").rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    """JupyterLab as ./run.sh workshop starts it, on a free port, with a known token.

    Every folder where Jupyter keeps per-user state is a temporary one here, so nothing of the
    machine's user leaks in (config, lab settings and workspaces, the kernels' IPython profile)
    and nothing leaks out (cookie secret, kernel connection files, notebook signatures,
    checkpoints). That is safe: the kernelspec and the lab extensions (the widget manager among
    them) come from the environment's share/jupyter, which Jupyter searches whatever
    JUPYTER_DATA_DIR says, and the server extensions from the environment's etc/jupyter.
    """
    with tempfile.TemporaryDirectory(prefix="nec-workshop-") as tmp_name:
        tmp = Path(tmp_name)
        dirs = {
            "JUPYTER_CONFIG_DIR": tmp / "config",
            "JUPYTER_DATA_DIR": tmp / "data",
            "JUPYTER_RUNTIME_DIR": tmp / "runtime",
            "JUPYTERLAB_SETTINGS_DIR": tmp / "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": tmp / "lab-workspaces",
            "IPYTHONDIR": tmp / "ipython",
        }
        for path in dirs.values():
            path.mkdir()
        for plugin, values in LAB_SETTINGS.items():
            package, name = plugin.rsplit("/", 1)
            target = dirs["JUPYTERLAB_SETTINGS_DIR"] / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        # Inherited JUPYTER* variables (JUPYTER_PATH, JUPYTER_TOKEN, ...) would bypass the above.
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        env.update({name: str(path) for name, path in dirs.items()})

        port, token = _free_port(), secrets.token_hex(16)
        cmd = [sys.executable, "-m", "jupyterlab", *workshop_flags(), f"--port={port}",
               f"--IdentityProvider.token={token}",
               # The port was free a moment ago; if it is taken now, fail instead of moving on.
               "--ServerApp.port_retries=0",
               # JupyterLab checkpoints a notebook when it opens it: not into book/.
               f"--FileCheckpoints.root_dir={tmp / 'checkpoints'}"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        log = tmp / "server.log"
        before = _book_state()
        with open(log, "wb") as log_file:
            # A session of its own, so a last-resort kill reaches the server's helpers only.
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        server = Lab(f"http://127.0.0.1:{port}", token, log)
        try:
            _wait_until_ready(proc, server)
            yield server
        finally:
            _stop(proc, f"JUPYTER_RUNTIME_DIR={dirs['JUPYTER_RUNTIME_DIR']}")
        changed = sorted(set(before.items()) ^ set(_book_state().items()))
        assert not changed, f"the workshop session changed files under book/: {changed}"


def _wait_until_ready(proc: subprocess.Popen, server: Lab) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    status = f"{server.url}/api/status?token={server.token}"
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib.error.URLError, OSError):
            with urllib.request.urlopen(status, timeout=2) as resp:
                if resp.status == 200:
                    return
        try:
            proc.wait(timeout=0.25)  # doubles as the pause between polls
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"JupyterLab exited with code {proc.returncode} before it was ready. "
                    f"Its log:\n{server.log_tail()}")
    pytest.fail(f"JupyterLab did not answer {server.url}/api/status within "
                f"{STARTUP_TIMEOUT_S} s. Its log:\n{server.log_tail()}")


def _stop(proc: subprocess.Popen, marker: str) -> None:
    """Stop the server and every kernel it started."""
    if proc.poll() is None:
        # On SIGTERM jupyter_server shuts its kernels down, then exits.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_TIMEOUT_S)
    # Kernels run in sessions of their own (jupyter_client starts them so), out of reach of the
    # kill above; one left behind by a server that had to be killed is found by its environment.
    for pid in _processes_with_env(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@dataclass
class Watch:
    """Every URL the page asked for, and everything that went wrong on it."""

    urls: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlsplit(url).hostname in {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def lab_page(browser, lab: Lab) -> Iterator[tuple[object, Watch]]:
    """One JupyterLab page for the module: loading JupyterLab costs about ten seconds on the
    2-core machine, so each test opens its chapter from the file browser instead."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    watch = Watch()

    def route(route, request):
        # Nothing may leave the machine: a request elsewhere is recorded and refused.
        if _is_local(request.url):
            route.continue_()
        else:
            watch.problems.append(f"external request: {request.method} {request.url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda req: watch.urls.append(req.url))
    # The kernel's channels are a WebSocket, which route() does not see.
    page.on("websocket", lambda ws: watch.urls.append(ws.url))
    page.on("pageerror", lambda exc: watch.problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            watch.problems.append(f"console error: {msg.text}") if msg.type == "error" else None
        ),
    )
    try:
        page.goto(f"{lab.url}/lab?token={lab.token}", timeout=LAB_TIMEOUT_MS)
        expect(page.locator(".jp-DirListing-content")).to_contain_text(
            "grading.ipynb", timeout=LAB_TIMEOUT_MS)
        yield page, watch
    finally:
        context.close()


def _notebook_cells(name: str) -> list[dict]:
    return json.loads((ROOT / "book" / name).read_text(encoding="utf-8"))["cells"]


def open_and_run(page, name: str, call: str):
    """Open a chapter from JupyterLab's file browser, run its first code cell (the imports) and
    the cell that calls ``call`` as a participant would, with Shift+Enter, and return that cell.

    Only these two cells run: nbval already runs every cell of every chapter, and Run All Cells
    (figures, exercises) would add ten seconds or more per chapter on the 2-core machine for
    nothing the explorer needs; it would also stop at the first error.
    """
    from playwright.sync_api import expect

    sources = _notebook_cells(name)
    code = [i for i, c in enumerate(sources) if c["cell_type"] == "code"]
    calling = [i for i in code if call in "".join(sources[i]["source"])]
    assert len(calling) == 1, f"{name}: expected one cell calling {call}, found {calling}"
    page.locator(".jp-DirListing-content").get_by_text(name, exact=True).dblclick()
    main = page.get_by_role("main")
    expect(main.get_by_role("tab", name=name, selected=True)).to_be_visible(
        timeout=LAB_TIMEOUT_MS)
    cells = main.get_by_role("tabpanel", name=name).locator(".jp-Notebook .jp-Notebook-cell")
    expect(cells).to_have_count(len(sources), timeout=LAB_TIMEOUT_MS)
    # The notebook's kernel (python3, from the environment) must be up first: a run before it
    # is does nothing. The status bar tells, for the current tab (the toolbar's indicator says
    # "idle" before any kernel exists). Its items redraw together, so once it names this
    # notebook, "Idle" is this notebook's kernel, not the previous tab's.
    status = page.locator(".jp-StatusBar-TextItem")
    expect(status.filter(has_text=re.compile(rf"^{re.escape(name)}$"))).to_be_visible(
        timeout=LAB_TIMEOUT_MS)
    expect(status.filter(has_text=re.compile(r"\| Idle$"))).to_be_visible(timeout=LAB_TIMEOUT_MS)
    for index in (code[0], calling[0]):
        cell = cells.nth(index)
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        expect(cell.locator(".jp-InputPrompt")).to_have_text(
            re.compile(r"^\[\d+\]:$"), timeout=LAB_TIMEOUT_MS)
        tracebacks = cell.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
            has_text="Traceback").all_inner_texts()
        assert not tracebacks, f"{name}, cell {index} failed:\n" + "\n".join(tracebacks)
    return cells.nth(calling[0])


def defaults(explorer_class) -> dict:
    """An explorer's starting values. Each explorer's keywords are the names its nec function
    takes, so the expected answers below come from nec with exactly the explorer's inputs."""
    return {name: p.default for name, p in inspect.signature(explorer_class).parameters.items()}


def test_the_flags_come_from_one_place():
    """./run.sh workshop reads the same flags file, so the two cannot drift apart."""
    run_sh = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert str(FLAGS_FILE.relative_to(ROOT)) in run_sh
    assert "--ip=127.0.0.1" in workshop_flags() and "--no-browser" in workshop_flags()


@contextlib.contextmanager
def live_explorer(lab_page, screenshot: Path, name: str, call: str, title: str):
    """Run a chapter's explorer in JupyterLab; yield (page, the explorer's box, its output).

    On the way out the page as the test left it is kept (beside ``screenshot``, also after a
    failure), and every request so far must have stayed on 127.0.0.1 with no error on the page.
    """
    from playwright.sync_api import expect

    page, watch = lab_page
    try:
        cell = open_and_run(page, name, call)
        widget = cell.locator(".jp-OutputArea-output > .widget-vbox")
        expect(widget).to_contain_text(title, timeout=ANSWER_TIMEOUT_MS)
        widget.scroll_into_view_if_needed()
        # The explorer's own output is the last HTML widget of its box.
        yield page, widget, widget.locator(".widget-html-content").last
    finally:
        page.screenshot(path=str(screenshot.with_name(f"{screenshot.stem}-last.png")))
        urls, problems = watch.urls[:], watch.problems[:]
        outside = [url for url in urls if not _is_local(url)]
        # Each test answers for what happened on the shared page since the previous one.
        watch.urls.clear()
        watch.problems.clear()
    # The kernel's channels must have been seen, or the recording missed the live traffic.
    assert any(urlsplit(url).scheme == "ws" for url in urls), "no WebSocket was recorded"
    assert not outside, "requests that left 127.0.0.1:\n  " + "\n  ".join(outside)
    assert not problems, "\n  ".join(["problems on the page:", *problems])


def enter(box, value: float) -> None:
    # A FloatText sends its value to the kernel on Enter (or when it loses focus).
    box.fill(f"{value:g}")
    box.press("Enter")


def test_live_grading_explorer_answers_a_new_value(lab_page, screenshot_dir):
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
    with live_explorer(lab_page, shot, "grading.ipynb", "nec.widgets.grading_explorer(",
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


def test_live_dosing_explorer_answers_a_new_value(lab_page, screenshot_dir):
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
    with live_explorer(lab_page, shot, "first_line.ipynb", "nec.widgets.dosing_explorer(",
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
