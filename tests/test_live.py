"""The live book's Python side, under CPython: the comm bridge, typed answers, the build hooks.

The browser test (tests/browser/test_live.py) drives the same code in Pyodide; these tests
pin down the message flow and the parsing without a browser.
"""

import importlib.util
import json
import zipfile
from pathlib import Path

import comm
import pytest

from nec.exercises import check
from nec.exercises.typed import check_typed, check_typed_html, read_answer

ROOT = Path(__file__).resolve().parents[1]


def _load_extension():
    spec = importlib.util.spec_from_file_location("nec_live", ROOT / "book/_ext/nec_live.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bridge():
    """The bridge installed with a fake page that records what Python publishes."""
    from nec import _browser_comm

    saved = comm.create_comm, comm.get_comm_manager
    sent = []
    _browser_comm.install(lambda t, c, m, b: sent.append((t, json.loads(c), json.loads(m), b)))
    yield _browser_comm, sent
    comm.create_comm, comm.get_comm_manager = saved


def test_an_explorer_opens_its_models_through_the_bridge_and_answers_a_change(bridge):
    from nec import grading
    from nec.widgets import grading_explorer

    browser_comm, sent = bridge
    explorer = grading_explorer()
    opened = {c["comm_id"]: c for t, c, _, _ in sent if t == "comm_open"}
    model_id = browser_comm.model_id(explorer)
    assert model_id in opened
    assert opened[model_id]["data"]["state"]["_model_name"] == "VBoxModel"
    assert all(m.get("version", "").startswith("2.") for t, _, m, _ in sent if t == "comm_open")

    # The page types a Ki-67 of 12 into the box, as the widget manager would send it.
    box = explorer.ki67
    sent.clear()
    assert browser_comm.receive(box.model_id, json.dumps(
        {"method": "update", "state": {"value": 12.0}, "buffer_paths": []}))
    expected = grading.classify(ki67=12, mitoses_per_2mm2=None, differentiation="poorly",
                                nec_subtype="large-cell", edition=2017)
    assert explorer.result.category == expected.category
    updates = [c["data"] for t, c, _, _ in sent if t == "comm_msg"]
    assert any(u.get("method") == "update" and "value" in u.get("state", {}) for u in updates)


def test_a_message_for_a_closed_widget_is_dropped(bridge):
    browser_comm, _ = bridge
    assert browser_comm.receive("no-such-comm", "{}") is False


@pytest.mark.parametrize("text, value", [
    ("NET G2", "NET G2"), ('"NET G2"', "NET G2"), ("2.9", 2.9), ("", None),
    ('{"fna": "NET G3", "resection": "NEC, large-cell"}',
     {"fna": "NET G3", "resection": "NEC, large-cell"}),
    ("[1, 2", "[1, 2"),  # not a literal: kept as the text typed
])
def test_typed_answers_read_as_the_notebook_would(text, value):
    assert read_answer(text) == value


def test_typed_feedback_is_the_notebook_feedback():
    for text, value in [("NET G2", "NET G2"), ("NET G3", "NET G3"), ("", None)]:
        assert check_typed("grading-discordant", text) == check("grading-discordant", value)
    html = check_typed_html("no-such-exercise", "1")
    assert "There is no exercise" in html and 'role="alert"' in html


def test_answer_cells_are_found_and_solution_cells_are_not():
    ext = _load_extension()
    assert ext.answer_cell('answer = {"2010": None}\ncheck("grading-editions", answer)') == (
        "grading-editions", "")
    assert ext.answer_cell("answer = f(1)\ncheck('x', answer)") is None
    assert ext.answer_cell("explorer = 1") is None


def test_the_bundle_holds_nec_and_data_and_the_manifest_names_it(tmp_path):
    ext = _load_extension()
    manifest = ext.write_bundle(ROOT, tmp_path, [])
    with zipfile.ZipFile(tmp_path / "nec-book.zip") as zf:
        names = set(zf.namelist())
    assert "nec/grading.py" in names and "nec/_browser_comm.py" in names
    assert any(n.startswith("data/") and n.endswith(".csv") for n in names)
    assert not any("__pycache__" in n for n in names)
    assert manifest["bundle"] == "live/nec-book.zip"
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest


HEAVY_CHECKER = """
from nec.exercises._core import exercise

@exercise("test-heavy", "test", "A checker that refits with lifelines.")
def _heavy(answer):
    from lifelines import CoxPHFitter  # noqa: F401
    return True, "refitted"
"""


def test_checkers_the_browser_cannot_run_are_found_and_say_why(tmp_path, monkeypatch):
    ext = _load_extension()
    # Every checker of the book runs on the standard library (survival ones included:
    # nec._survival_core); a checker that imports lifelines is found by the probe.
    assert ext.browser_unavailable_checkers(str(ROOT)) == {}
    (tmp_path / "heavy_checker_fixture.py").write_text(HEAVY_CHECKER, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    unavailable = ext.browser_unavailable_checkers(str(ROOT),
                                                   extra_modules=("heavy_checker_fixture",))
    assert unavailable == {"test-heavy": "lifelines"}
    sentence = ext.unavailable_sentence("lifelines")
    assert sentence.replace("./run.sh", "").count(".") == 1  # one sentence
    assert sentence.endswith("cannot run.")
    assert "JupyterLab" in sentence and "refits a survival model with lifelines" in sentence
    box = ext._control_html("check", "survival-follow-up", unavailable="lifelines")
    assert "<button" not in box and "nec-live-unavailable" in box
