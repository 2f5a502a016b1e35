"""The student notebooks (scripts/student_notebooks.py): no solution, and every checker runs.

Each chapter of book/ is converted as ./run.sh student converts it, with one difference: the
glued numbers of the prose (which the real run reads from the build's executed notebooks) are a
placeholder here, so this test needs no built book. Then

- no line of any solution (the explanation and the code between ``{solution-start}`` and
  ``{solution-end}`` in the source) is anywhere in the student notebook, nor any ``assert``;
- no MyST marker is left as text for JupyterLab to show, and each exercise has the heading
  "Exercise <chapter>.<n>" of the HTML book's numbering;
- the first cell imports nec and installs nothing;
- the whole notebook runs (nbclient, a fresh kernel), and every exercise cell shows the checker's
  verdict on the unanswered stub: "Not yet." with the sentence ``check`` gives for that stub.
"""

from __future__ import annotations

import ast
import copy
import importlib.metadata
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "student_notebooks", ROOT / "scripts" / "student_notebooks.py")
student_notebooks = importlib.util.module_from_spec(_spec)
sys.modules["student_notebooks"] = student_notebooks
_spec.loader.exec_module(student_notebooks)

NUMBERS = student_notebooks.chapters_in_toc(ROOT / "_toc.yml")
OFFSETS = student_notebooks.exercise_offsets(NUMBERS, ROOT)
CHAPTERS = [page for page in NUMBERS if (ROOT / f"{page}.ipynb").is_file()]
GLUE_PLACEHOLDER = "GLUED"


class _AnyGlue(dict):
    """Every glued name 'has' the placeholder value (this test does not build the book)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> str:
        return "1"


def _source(page: str) -> dict:
    return json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))


def _convert(page: str) -> dict:
    chapter = student_notebooks.Chapter(NUMBERS[page], _AnyGlue(),
                                        first_exercise=OFFSETS[page])
    return student_notebooks.student_notebook(_source(page), chapter, page)


def _text(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _squash(line: str) -> str:
    return " ".join(line.split())


def solution_lines(notebook: dict) -> tuple[set[str], int]:
    """The lines only a solution has (markdown and code between the solution markers, minus any
    line that also occurs outside a solution, e.g. ``check("id", answer)``), and how many
    solutions there were."""
    inside, outside = set(), set()
    in_solution, solutions = False, 0
    for cell in notebook["cells"]:
        for line in _text(cell).splitlines():
            # A markdown cell may end one solution and start the next exercise.
            if cell["cell_type"] == "markdown" and "{solution-start}" in line:
                in_solution, solutions = True, solutions + 1
            elif cell["cell_type"] == "markdown" and "{solution-end}" in line:
                in_solution = False
            else:
                (inside if in_solution else outside).add(_squash(line))
    # Short lines ("```", "answer = None") say nothing about a solution, nor does a line that
    # is part of a longer line outside the solutions (a continuation such as
    # `msi="unknown", tmb="unknown")` that also ends a call in the chapter's own code).
    outside_text = "\n".join(outside)
    return {ln for ln in inside - outside if len(ln) >= 12 and ln not in outside_text}, solutions


@pytest.fixture(scope="module", params=CHAPTERS)
def converted(request) -> tuple[str, dict, dict]:
    return request.param, _source(request.param), _convert(request.param)


def test_every_chapter_is_converted():
    assert len(CHAPTERS) >= 5, f"chapters found in _toc.yml: {CHAPTERS}"


def test_the_source_is_not_changed(converted):
    page, source, _ = converted
    assert source == _source(page)


def leaked_solution_lines(source: dict, notebook: dict) -> list[str]:
    """The solution lines of ``source`` that are in ``notebook``: a line left whole, or a long
    one inside a longer line (a short continuation such as `line="first")` also ends lines
    outside the solutions)."""
    lines, _ = solution_lines(source)
    notebook_lines = {_squash(ln) for c in notebook["cells"] for ln in _text(c).splitlines()}
    body = "\n".join(_squash(_text(c)) for c in notebook["cells"])
    return sorted(ln for ln in lines if ln in notebook_lines or (len(ln) >= 40 and ln in body))


def test_no_solution_text_survives(converted):
    page, source, student = converted
    lines, solutions = solution_lines(source)
    assert solutions > 0 and lines, f"{page}: no solution found to look for"
    # The detector finds every solution line in the notebook that still has them...
    assert leaked_solution_lines(source, source) == sorted(lines)
    # ... and none in the student notebook.
    leaked = leaked_solution_lines(source, student)
    assert not leaked, f"{page}: solution text in the student notebook: {leaked[:5]}"


def test_no_check_is_left(converted):
    page, _, student = converted
    for cell in student["cells"]:
        if cell["cell_type"] == "code":
            asserts = [n for n in ast.walk(ast.parse(_text(cell))) if isinstance(n, ast.Assert)]
            assert not asserts, f"{page}: an assert is left in:\n{_text(cell)}"


MARKERS = re.compile(
    r"\{(exercise|solution)-(start|end)\}|^:(label|class|dropdown):|\{glue[:\w]*\}`|"
    r"\{(term|ref|cite:[pt]|numref|doc)\}`|^\([\w:-]+\)=|^(```|:::)\s*\{", re.MULTILINE)


def test_no_myst_marker_shows_as_text(converted):
    page, _, student = converted
    for cell in student["cells"]:
        if cell["cell_type"] == "markdown":
            found = MARKERS.findall(_text(cell))
            assert not found, f"{page}: MyST markup left in a markdown cell:\n{_text(cell)}"


def test_exercises_are_numbered_per_chapter(converted):
    page, source, student = converted
    expected = sum(_text(c).count("{exercise-start}") for c in source["cells"])
    headings = [m for c in student["cells"] if c["cell_type"] == "markdown"
                for m in re.findall(r"^### (Exercise [\d.]+)", _text(c), re.MULTILINE)]
    number, first = NUMBERS[page], OFFSETS[page]  # a section continues its chapter's count
    assert headings == [f"Exercise {number}.{k}" for k in range(first + 1, first + expected + 1)]


def test_a_section_continues_its_chapters_exercise_numbering(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: C\n    numbered: 1\n"
        "    chapters:\n      - file: book/a\n      - file: book/b\n        sections:\n"
        "          - file: book/b_more\n      - file: book/c\n", encoding="utf-8")
    for page, exercises in (("a", 2), ("b", 3), ("b_more", 1), ("c", 1)):
        cells = [{"cell_type": "markdown", "source": "```{exercise-start}\n```"}] * exercises
        (tmp_path / "book" / f"{page}.ipynb").write_text(json.dumps({"cells": cells}))
    numbers = student_notebooks.chapters_in_toc(tmp_path / "_toc.yml")
    assert numbers == {"book/a": 1, "book/b": 2, "book/b_more": 2, "book/c": 3}
    assert student_notebooks.exercise_offsets(numbers, tmp_path) == {
        "book/a": 0, "book/b": 0, "book/b_more": 3, "book/c": 0}


def test_first_cell_imports_nec_and_installs_nothing(converted):
    page, _, student = converted
    first = student["cells"][0]
    code = _text(first)
    assert first["cell_type"] == "code"
    assert re.search(r"^import nec$", code, re.MULTILINE)
    assert not re.search(r"pip|conda|^\s*[!%]", code, re.MULTILINE), code


def test_no_outputs_are_stored(converted):
    page, _, student = converted
    for cell in student["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def _exercise_cells(student: dict) -> list[tuple[int, str, str]]:
    """(index, exercise id, the cell's code) for each answer cell: the code cells calling check."""
    found = []
    for index, cell in enumerate(student["cells"]):
        if cell["cell_type"] != "code" or index == 0:
            continue
        match = re.search(r"""check\(\s*["']([\w-]+)["']""", _text(cell))
        if match:
            found.append((index, match.group(1), _text(cell)))
    return found


def _unanswered(code: str):
    """The stub's answer: the value the cell assigns to ``answer`` (a literal in every stub)."""
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "answer" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"no literal `answer = ...` in the exercise cell:\n{code}")


@pytest.mark.timeout(900)
def test_the_notebook_runs_and_every_checker_says_not_yet(converted, tmp_path):
    from nbclient import NotebookClient
    from nbformat import from_dict

    from nec.exercises import check

    page, source, student = converted
    exercises = _exercise_cells(student)
    expected_count = sum(_text(c).count("{exercise-start}") for c in source["cells"])
    assert len(exercises) == expected_count, f"{page}: answer cells {exercises}"

    notebook = from_dict(copy.deepcopy(student))
    # The kernel runs where the student would open the notebook: not in book/.
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for index, exercise_id, code in exercises:
        outputs = notebook.cells[index].outputs
        shown = [o for o in outputs if o.get("output_type") in ("execute_result", "display_data")]
        assert shown, f"{page}: exercise {exercise_id} showed nothing: {outputs}"
        html = shown[-1]["data"].get("text/html", "")
        verdict = check(exercise_id, _unanswered(code))
        assert not verdict.correct
        assert html == verdict._repr_html_(), (
            f"{page}: exercise {exercise_id} shows {html!r}, expected the unanswered verdict")
        assert "Not yet." in html


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str, tags: list[str] | None = None) -> dict:
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "outputs": [],
            "execution_count": None, "source": text}


def _small(cells: list[dict], glue: dict[str, str] | None = None) -> dict:
    notebook = {"cells": [_md("# Small\n"), *cells], "metadata": {}, "nbformat": 4,
                "nbformat_minor": 5}
    return student_notebooks.student_notebook(
        notebook, student_notebooks.Chapter(4, glue or {}), "small")


def test_a_small_notebook_converts_as_described():
    student = _small([
        _md("Intro (see {ref}`other <x>`), n = {glue:text}`n`, p = {glue:text}`p:.2f`.\n\n"
            "```{only} not student\nSolutions are folded.\n```\n\n"
            "```{only} student\nThis is the student edition.\n```\n\n"
            "```{exercise-start} Odds\n:label: ex-odds\n```\n\nTurn 0.2 into odds.\n"),
        _code("answer = None\ncheck('odds', answer)"),
        _md("```{exercise-end}\n```\n\n```{solution-start} ex-odds\n:class: dropdown\n```\n"
            "\nODDS ARE P OVER ONE MINUS P.\n"),
        _code("answer = 0.2 / 0.8  # SECRET"),
        _md("```{solution-end}\n```\n\n(later)=\n## Later {term}`NEC`\n"),
        _code("value = 3\n# why\nassert value == 3", ["remove-cell"]),
        _code("assert True", ["remove-cell"]),
    ], glue={"n": "45", "p": "0.12345"})
    text = json.dumps(student)
    assert "SECRET" not in text and "ODDS ARE" not in text and "folded" not in text
    markdown = [_text(c) for c in student["cells"] if c["cell_type"] == "markdown"]
    assert markdown[1].startswith("Intro (see other), n = 45, p = 0.12.")
    assert "This is the student edition." in markdown[1]
    assert "### Exercise 4.1: Odds\n\nTurn 0.2 into odds." in markdown[1]
    assert markdown[2] == "## Later NEC\n"
    code = [(_text(c), c["metadata"]) for c in student["cells"] if c["cell_type"] == "code"]
    assert [c for c, _ in code[1:]] == ["answer = None\ncheck('odds', answer)", "value = 3"]
    assert code[2][1]["jupyter"] == {"source_hidden": True}


@pytest.mark.parametrize(("cells", "fragment"), [
    ([_md("```{solution-start} a\n```\n")], "not closed"),
    ([_md("```{solution-end}\n```\n")], "solution-end without solution-start"),
    ([_md("```{exercise-end}\n```\n")], "exercise-end without exercise-start"),
    ([_md("```{exercise-start}\n```\n```{exercise-start}\n```\n")],
     "an exercise starts inside another"),
    ([_md("n = {glue:text}`missing`")], "no executed value for {glue:text}`missing`"),
])
def test_a_notebook_off_the_structure_is_refused(cells, fragment):
    with pytest.raises(student_notebooks.StudentEditionError, match=re.escape(fragment)):
        _small(cells)


def test_the_explorers_page_folder_has_what_voila_needs(tmp_path):
    """./run.sh explorers' folder: the page's notebook (every explorer, code only as calls),
    Voilà's settings (this machine only, the page's own template, tracebacks off) and the
    template, which extends Voilà's lab template without its two CDN stylesheet links."""
    folder = tmp_path / "explorers"
    (folder / "stale.txt").parent.mkdir()
    (folder / "stale.txt").write_text("left from an older run")
    written = student_notebooks.write_explorers_page(folder)
    assert written == [folder / "explorers.ipynb"]
    assert not (folder / "stale.txt").exists(), "the folder should be rewritten whole"
    notebook = json.loads(written[0].read_text(encoding="utf-8"))
    calls = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert calls[0] == "import nec"
    assert calls[1:] == [call for _heading, _what, call in student_notebooks.EXPLORERS]
    # The page's template shows the notebook's cells as they are (Voilà clears them only in
    # the loop the template replaces), so the notebook must carry no outputs.
    assert all(c.get("outputs", []) == [] for c in notebook["cells"]), "outputs in the notebook"
    intro = "".join(notebook["cells"][0]["source"])
    assert "./run.sh workshop" in intro and "Run the first cell" not in intro
    settings = json.loads((folder / "voila.json").read_text(encoding="utf-8"))
    assert settings["Voila"]["ip"] == "127.0.0.1"
    assert settings["VoilaConfiguration"]["template"] == "nec-explorers"
    assert settings["VoilaConfiguration"]["show_tracebacks"] is False
    # The template sends the page before the kernel answers only with progressive rendering.
    assert settings["VoilaConfiguration"]["progressive_rendering"] is True
    template = folder / "share" / "voila" / "templates" / "nec-explorers"
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    page = (template / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'lab/index.html.j2'" in page and "super.super()" in page
    assert "://" not in page, "the page's template should link nothing by address"
    # The wait for the kernel (kernel_start) comes after the page's cells and body
    # (tests/browser/test_explorers_page.py shows the scripts load meanwhile).
    assert page.index("kernel_start(nb)") > page.index("block footer_js") \
        > page.index("for cell in nb.cells")
    # The template replaces two of Voilà's lab template's blocks: it was written against this
    # version (constraints.txt), so a new Voilà must be checked against it, not taken silently.
    assert importlib.metadata.version("voila") == "0.5.13", (
        "Voilà changed: compare scripts/explorers_page/.../nec-explorers/index.html.j2 with the "
        "new lab template's body_loop and footer_js, then update this version")
    assert (folder / "explorers_voila.py").is_file()
