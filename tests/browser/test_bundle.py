"""The workshop bundle (./run.sh bundle), end to end, as a participant's laptop with no network.

The archive _build/bundle/nec-workshop-<tag>.tar.gz is unpacked into a new folder in /tmp and
its install.sh is run there with nothing of this machine's Python set-up: a fresh venv from the
base interpreter, no pip index (PIP_NO_INDEX=1, and install.sh passes --no-index), no pip
configuration or cache (PIP_CONFIG_FILE=/dev/null, an empty HOME), no PYTHONPATH, no VIRTUAL_ENV.
Then, with the installed environment only:

- every explorer is built and answers (grading, dose sheet, second-line options, nomogram);
- every student notebook runs top to bottom in the bundle's own kernel (jupyter nbconvert), and
  each exercise cell shows the checker's "Not yet.";
- the bundle's start.sh starts JupyterLab (the workshop flags), which lists the notebooks, opens
  grading.ipynb in headless Chromium, runs its first cell, and never asks about the news;
- the offline book (book/index.html, its JavaScript vendored) is there.

The install's duration is written to test-artifacts/bundle-timings.txt. Run by ./run.sh bundle,
after it has written the archive (./run.sh test leaves this module out: it has no archive).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab import (
    LAB_TIMEOUT_MS,
    assert_no_news_question,
    is_local,
    lab_in_browser,
    running_lab,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_DIR = ROOT / "_build" / "bundle"
TIMINGS = ROOT / "test-artifacts" / "bundle-timings.txt"
EXPLORERS = """
import nec.widgets as w
grading = w.grading_explorer()
dosing = w.dosing_explorer()
options = w.options_explorer()
nomogram = w.nomogram_explorer()
for name, explorer in [("grading", grading), ("dosing", dosing), ("options", options),
                       ("nomogram", nomogram)]:
    assert explorer.error is None, (name, explorer.error)
print(grading.result.category)
"""


def _archive() -> Path:
    archives = sorted(BUNDLE_DIR.glob("nec-workshop-*.tar.gz"))
    if len(archives) != 1:
        pytest.fail(f"expected one bundle in {BUNDLE_DIR}, found {archives}: run ./run.sh bundle")
    return archives[0]


def _clean_env(home: Path) -> dict[str, str]:
    """An environment with nothing of this machine's Python or pip set-up in it."""
    keep = {"LANG", "LC_ALL", "TERM", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_CACHE_DIR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "PYTHON": getattr(sys, "_base_executable", sys.executable),
    })
    return env


@pytest.fixture(scope="module")
def installed() -> Iterator[tuple[Path, dict[str, str]]]:
    """The bundle unpacked in /tmp and installed by its own install.sh: (its folder, the env)."""
    archive = _archive()
    with tempfile.TemporaryDirectory(prefix="nec-bundle-", dir="/tmp") as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        (folder,) = [p for p in tmp.iterdir() if p.is_dir()]
        home = tmp / "home"
        home.mkdir()
        env = _clean_env(home)
        started = time.monotonic()
        result = subprocess.run(["bash", str(folder / "install.sh")], cwd=folder, env=env,
                                capture_output=True, text=True, timeout=900)
        seconds = time.monotonic() - started
        assert result.returncode == 0, f"install.sh failed:\n{result.stdout}\n{result.stderr}"
        TIMINGS.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS.write_text(f"{archive.name}: {archive.stat().st_size / 1e6:.0f} MB; "
                           f"install.sh (venv + pip --no-index) {seconds:.0f} s\n",
                           encoding="utf-8")
        print(f"\ninstall.sh took {seconds:.0f} s")
        yield folder, env


def _python(folder: Path) -> str:
    return str(folder / ".venv" / "bin" / "python")


def test_the_install_used_the_bundle_alone(installed):
    folder, env = installed
    out = subprocess.run([_python(folder), "-m", "pip", "check"], env=env, capture_output=True,
                         text=True, cwd=folder)
    assert out.returncode == 0, out.stdout + out.stderr
    nec_file = subprocess.run(
        [_python(folder), "-c", "import nec; print(nec.__file__)"], env=env, capture_output=True,
        text=True, check=True, cwd=folder.parent).stdout.strip()
    # Installed (editable) from the bundle's own copy of the sources, not from this repository.
    assert nec_file == str(folder / "source" / "nec" / "__init__.py"), nec_file
    lock = {ln.split("==")[0].lower(): ln.split("==")[1]
            for ln in (folder / "constraints.txt").read_text().splitlines() if "==" in ln}
    frozen = subprocess.run([_python(folder), "-m", "pip", "freeze", "--exclude-editable"],
                            env=env, capture_output=True, text=True, check=True,
                            cwd=folder).stdout.splitlines()
    off_lock = [ln for ln in frozen if "==" in ln and not ln.startswith("nec==")
                and lock.get(ln.split("==")[0].lower()) != ln.split("==")[1]]
    assert not off_lock, f"installed versions that differ from constraints.txt: {off_lock}"


def test_the_explorers_import_and_answer(installed):
    folder, env = installed
    out = subprocess.run([_python(folder), "-c", EXPLORERS], env=env, capture_output=True,
                         text=True, cwd=folder.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "NEC, large-cell"


def test_every_student_notebook_runs_in_the_bundle(installed):
    folder, env = installed
    notebooks = sorted((folder / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 5, notebooks
    out_dir = folder.parent / "executed"
    result = subprocess.run(
        [str(folder / ".venv" / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.timeout=300", "--output-dir", str(out_dir),
         *map(str, notebooks)],
        env={**env, "JUPYTER_PLATFORM_DIRS": "1"}, capture_output=True, text=True, cwd=folder)
    assert result.returncode == 0, result.stderr[-4000:]
    for notebook in notebooks:
        cells = json.loads((out_dir / notebook.name).read_text(encoding="utf-8"))["cells"]
        answers = [c for c in cells if c["cell_type"] == "code"
                   and re.search(r"""check\(\s*["']""", "".join(c["source"]))]
        assert answers, f"{notebook.name}: no exercise cell"
        for cell in answers:
            # A saved notebook keeps a multi-line output as a list of lines.
            html = "".join("".join(o.get("data", {}).get("text/html", ""))
                           for o in cell["outputs"])
            assert "Not yet." in html, f"{notebook.name}: {''.join(cell['source'])}\n{html}"


def test_the_book_is_in_the_bundle_offline(installed):
    folder, _ = installed
    assert (folder / "book" / "index.html").is_file()
    vendor = folder / "book" / "_static" / "vendor"
    assert (vendor / "requirejs" / "require.js").is_file()
    assert (vendor / "html-manager" / "dist" / "embed-amd.js").is_file()
    assert (vendor / "mathjax" / "es5" / "tex-mml-chtml.js").is_file()


def test_start_sh_serves_the_notebooks_in_the_browser(installed, browser, screenshot_dir):
    from playwright.sync_api import expect

    folder, env = installed
    cmd = ["bash", str(folder / "start.sh")]
    with tempfile.TemporaryDirectory(prefix="nec-bundle-lab-") as state:
        with running_lab(cmd, folder, Path(state), extra_env=env, port_flag=False) as lab:
            listed = {item["name"] for item in lab.api("/api/contents")["content"]}
            assert {p.name for p in (folder / "notebooks").glob("*.ipynb")} <= listed
            kernels = lab.api("/api/kernelspecs")["kernelspecs"]
            assert "python3" in kernels
            with lab_in_browser(browser, lab) as (page, watch):
                page.locator(".jp-DirListing-content").get_by_text(
                    "grading.ipynb", exact=True).dblclick()
                main = page.get_by_role("main")
                panel = main.get_by_role("tabpanel", name="grading.ipynb")
                status = page.locator(".jp-StatusBar-TextItem")
                expect(status.filter(has_text=re.compile(r"\| Idle$"))).to_be_visible(
                    timeout=LAB_TIMEOUT_MS)
                first = panel.locator(".jp-Notebook .jp-Notebook-cell").first
                first.locator(".jp-InputArea-editor").click()
                page.keyboard.press("Shift+Enter")
                expect(first.locator(".jp-OutputArea-output")).to_contain_text(
                    "is ready", timeout=LAB_TIMEOUT_MS)
                assert_no_news_question(page, lab)
                page.screenshot(path=str(screenshot_dir / "bundle-grading.png"))
                outside = [u for u in watch.urls if not is_local(u)]
                assert not outside and not watch.problems, (outside, watch.problems)
    shutil.rmtree(folder.parent / "executed", ignore_errors=True)
