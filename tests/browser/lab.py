"""Start JupyterLab as a workshop starts it, with every per-user state folder a temporary one.

Shared by test_workshop.py (./run.sh workshop: the repository's .venv, _build/workshop) and
test_bundle.py (the bundle's start.sh in a fresh install). Both read scripts/workshop_flags.txt.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# JupyterLab's own debugger extension logs this when a kernel it was querying is shut down or
# restarted mid-request (a race inside JupyterLab; the book never uses the debugger). Only this
# exact message is let through: every other console error still fails the test.
JUPYTERLAB_DEBUGGER_RACE = "Could not restore the debugger state: Canceled future for debug_request"

ROOT = Path(__file__).resolve().parents[2]
FLAGS_FILE = ROOT / "scripts" / "workshop_flags.txt"
STARTUP_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20
# Opening JupyterLab and running a chapter; one explorer round trip takes well under a second.
LAB_TIMEOUT_MS = 45_000
# The question JupyterLab asks when the news setting is left at "Ask" (its default).
NEWS_QUESTION = "official Jupyter news"

# User settings for the test's own, temporary settings folder: what a test needs, never what
# the workshop itself must get right (the news question comes from the workshop's lab-settings/).
TEST_USER_SETTINGS = {
    # Running cells marks the notebook changed; an autosave would write outputs to disk.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Attach every cell to the page, so a cell is found by its place in the notebook whatever
    # JupyterLab's default windowing does with cells outside the viewport.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def workshop_flags(flags_file: Path = FLAGS_FILE) -> list[str]:
    """JupyterLab's flags for workshop mode, as ./run.sh workshop and start.sh read them."""
    lines = (line.strip() for line in flags_file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with_env(entry: str) -> list[int]:
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
    folder: Path  # the workshop folder it started in (notebooks/ is its root)

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]

    def api(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=10) as resp:
            return json.loads(resp.read().decode("utf-8"))


def state_dirs(tmp: Path) -> dict[str, Path]:
    """Temporary per-user Jupyter folders, with the test's user settings written."""
    dirs = {
        "JUPYTER_CONFIG_DIR": tmp / "config",
        "JUPYTER_DATA_DIR": tmp / "data",
        "JUPYTER_RUNTIME_DIR": tmp / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": tmp / "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": tmp / "lab-workspaces",
        "IPYTHONDIR": tmp / "ipython",
    }
    for path in dirs.values():
        path.mkdir(parents=True)
    for plugin, values in TEST_USER_SETTINGS.items():
        package, name = plugin.rsplit("/", 1)
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    return dirs


@contextlib.contextmanager
def running_lab(cmd: list[str], folder: Path, tmp: Path,
                extra_env: dict[str, str] | None = None, port_flag: bool = True) -> Iterator[Lab]:
    """Run ``cmd`` (JupyterLab with the workshop flags, or a script that execs it) in ``folder``
    with a known token on a free port; stop it and every kernel it started on the way out.

    Every folder where Jupyter keeps per-user state is a temporary one, so nothing of the
    machine's user leaks in (config, lab settings and workspaces, the kernels' IPython profile)
    and nothing leaks out (cookie secret, kernel connection files, notebook signatures,
    checkpoints). The kernelspec and the lab extensions (the widget manager among them) come from
    the environment's share/jupyter, which Jupyter searches whatever JUPYTER_DATA_DIR says.
    """
    dirs = state_dirs(tmp)
    # Inherited JUPYTER* variables (JUPYTER_PATH, JUPYTER_TOKEN, ...) would bypass the above.
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update({name: str(path) for name, path in dirs.items()})
    env.update(extra_env or {})
    port, token = free_port(), secrets.token_hex(16)
    env["NEC_WORKSHOP_PORT"] = str(port)
    # start.sh reads the port from NEC_WORKSHOP_PORT (port_flag=False) and adds --port itself.
    cmd = [*cmd, *([f"--port={port}"] if port_flag else []), f"--IdentityProvider.token={token}",
           # The port was free a moment ago; if it is taken now, fail instead of moving on.
           "--ServerApp.port_retries=0",
           # JupyterLab checkpoints a notebook when it opens it: not into the workshop folder.
           f"--FileCheckpoints.root_dir={tmp / 'checkpoints'}"]
    log = tmp / "server.log"
    with open(log, "wb") as log_file:
        # A session of its own, so a last-resort kill reaches the server's helpers only.
        proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=log_file,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(f"http://127.0.0.1:{port}", token, log, folder)
    try:
        _wait_until_ready(proc, server)
        yield server
    finally:
        _stop(proc, f"JUPYTER_RUNTIME_DIR={dirs['JUPYTER_RUNTIME_DIR']}")


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
    for pid in processes_with_env(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@dataclass
class Watch:
    """Every URL the page asked for, and everything that went wrong on it."""

    urls: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlsplit(url).hostname in {"127.0.0.1", "localhost"}


#: Every address :func:`is_local` refuses, as a pattern Playwright's driver matches itself.
#: A context routed with it passes only those requests to the test (to be recorded and
#: refused); one routed with "**/*" passes every request through Python, a few milliseconds
#: each, which a clock from the command to the first answer should not count (Voilà's page
#: loads about 90 files, JupyterLab about 130).
OUTSIDE = re.compile(
    r"^(?!(?:data|blob|about):|https?://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:[/?#]|$))")


def refuse_outside(context, record) -> None:
    """Route ``context`` so that a request to an address outside this machine is refused and
    its URL passed to ``record``; requests to this machine are not intercepted."""

    def route(route, request):
        if is_local(request.url):  # OUTSIDE let it through: never refuse this machine
            route.continue_()
        else:
            record(request.url)
            route.abort()

    context.route(OUTSIDE, route)


def wait_for_text(page, root, selector: str, text: str, timeout_ms: float) -> None:
    """Wait until the first ``selector`` inside ``root`` (an element handle, or None for the
    page) reads ``text``, its spaces at the ends ignored. The page checks on every frame, so a
    clock read after this stops when the answer shows: ``expect()`` checks again only after
    100, 250 and 500 ms, then every second, and would add up to a second to a timing."""
    page.wait_for_function(
        "([root, selector, text]) => {"
        " const e = (root || document).querySelector(selector);"
        " return e !== null && e.textContent.trim() === text; }",
        arg=[root, selector, text], timeout=timeout_ms)


@contextlib.contextmanager
def lab_in_browser(browser, lab: Lab, path: str = "/lab") -> Iterator[tuple[object, Watch]]:
    """One JupyterLab page at ``path`` (the server's URL path, e.g. the one it printed),
    loaded until its file browser lists the chapters."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    watch = Watch()
    # Nothing may leave the machine: a request elsewhere is recorded and refused.
    refuse_outside(context, lambda url: watch.problems.append(f"external request: {url}"))
    page = context.new_page()
    page.on("request", lambda req: watch.urls.append(req.url))
    # The kernel's channels are a WebSocket, which route() does not see.
    page.on("websocket", lambda ws: watch.urls.append(ws.url))
    page.on("pageerror", lambda exc: watch.problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            watch.problems.append(f"console error: {msg.text}")
            if msg.type == "error" and not msg.text.startswith(JUPYTERLAB_DEBUGGER_RACE)
            else None
        ),
    )
    try:
        page.goto(f"{lab.url}{path}?token={lab.token}", timeout=LAB_TIMEOUT_MS)
        expect(page.locator(".jp-DirListing-content")).to_contain_text(
            "grading.ipynb", timeout=LAB_TIMEOUT_MS)
        yield page, watch
    finally:
        context.close()


def news_setting(lab: Lab) -> str:
    """The news setting JupyterLab hands the page (user settings over the workshop defaults)."""
    plugin = lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    # The server folds overrides.json into the schema's defaults; "settings" are the user's own.
    default = plugin["schema"]["properties"]["fetchNews"]["default"]
    return plugin["settings"].get("fetchNews", default)


def assert_no_news_question(page, lab: Lab, wait_ms: int = 3000) -> None:
    """Neither the setting that makes JupyterLab ask nor the question itself is on the page."""
    assert news_setting(lab) == "false", (
        "the workshop's lab-settings/overrides.json did not set the news to 'Never'")
    page.wait_for_timeout(wait_ms)  # the question comes a moment after JupyterLab has loaded
    toasts = page.locator(".Toastify__toast, .jp-Notification-Toast").all_inner_texts()
    asked = [t for t in toasts if NEWS_QUESTION in t]
    assert not asked, f"JupyterLab asks about the news: {asked}"
    assert page.get_by_text(NEWS_QUESTION).count() == 0
