"""The student edition (./run.sh student, _build/student/html): exercises kept, solutions gone.

Every page of the student build must load as cleanly as the full book (no console error, no failed
or external request). Each chapter must still show its exercises, and none of its solutions:
no element of class ``solution`` and none of the text of the solution cells (the explanation
after each ``{solution-start}`` and the code cells up to ``{solution-end}``), while the full build
of the same chapter shows all of them, so the check cannot pass by looking for the wrong text.

The intro says which edition it is, no student page says the solutions are folded, and the
exercise numbers ("Exercise 2.3") of each student page are those of its student notebook
(_build/student/notebooks, written by ./run.sh student).

Run by ./run.sh test after the strict student build.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import STUDENT_HTML_DIR
from visits import pages_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

BOOK_DIR = Path(__file__).resolve().parents[2] / "book"
CHAPTERS = sorted(p.stem for p in BOOK_DIR.glob("*.ipynb"))
# Markdown that the HTML renders differently from its source: such lines are not searched for.
_MARKUP = re.compile(r"[`$*\\\[\]{}<>|#]|\]\(|^\s*[-:]")


STUDENT_PAGES = pages_of(STUDENT_HTML_DIR)


# Sphinx's smart quotes print a source's ' and " as typographic quotes.
_STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _squash(text: str) -> str:
    return " ".join(text.translate(_STRAIGHT).split())


def solution_snippets(chapter: str) -> list[str]:
    """Text that only a solution shows: per solution, its first plain line of explanation and
    the first line of each code cell between {solution-start} and {solution-end}."""
    cells = json.loads((BOOK_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    snippets: list[str] = []
    inside = False
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            hidden = {"remove-cell", "remove-input"} & set(cell["metadata"].get("tags", []))
            if inside and not hidden:  # a hidden cell's code is on no page
                first = next((ln for ln in source.splitlines() if ln.strip()), "")
                if first and not first.lstrip().startswith("#"):
                    snippets.append(_squash(first))
            continue
        if "{solution-end}" in source:
            inside = False
        if "{solution-start}" in source:
            inside = True
            after = source.split("{solution-start}", 1)[1]
            # Skip the directive's own fence and options, then take one plain line.
            body = after.split("```", 1)[1] if "```" in after else ""
            for line in body.splitlines():
                if len(line.strip()) >= 25 and not _MARKUP.search(line):
                    snippets.append(_squash(line))
                    break
    return snippets


def test_student_book_was_built():
    assert STUDENT_PAGES, f"no HTML pages under {STUDENT_HTML_DIR}: run ./run.sh student"
    for chapter in CHAPTERS:
        assert f"book/{chapter}.html" in STUDENT_PAGES, f"{chapter} missing from the student build"


def test_student_build_ships_no_sources():
    # _sources/*.ipynb would hand the solutions over (student config: html_copy_source: false).
    leaked = sorted(p.name for p in (STUDENT_HTML_DIR / "_sources").rglob("*") if p.is_file())
    assert not leaked, f"the student build copies page sources: {leaked}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_snippets_are_found(chapter: str):
    # Guards the test below: every chapter's solutions yield text to look for.
    assert solution_snippets(chapter), f"{chapter}: no solution text found in the notebook"


@pytest.mark.parametrize("rel", STUDENT_PAGES)
def test_student_page_loads_cleanly(page_report, rel: str):
    report = page_report("student", rel)
    assert not report.problems, f"student {rel}:\n  " + "\n  ".join(report.problems)
    assert not report.broken_images, f"student {rel}: broken images {report.broken_images}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_chapter_has_exercises_but_no_solutions(page_report, chapter: str):
    rel = f"book/{chapter}.html"
    snippets = solution_snippets(chapter)
    full = page_report("full", rel)
    student = page_report("student", rel)

    assert full.exercises > 0 and full.solutions > 0, (
        f"full {rel}: {full.exercises} exercises, {full.solutions} solutions")
    full_text, student_text = _squash(full.main_text), _squash(student.main_text)
    missing_in_full = [s for s in snippets if s not in full_text]
    assert not missing_in_full, f"full {rel} lacks solution text: {missing_in_full}"

    assert student.exercises == full.exercises, (
        f"student {rel}: {student.exercises} exercises, the full book has {full.exercises}")
    assert student.solutions == 0, f"student {rel}: {student.solutions} element(s) of class " \
                                   "'solution'"
    leaked = [s for s in snippets if s in student_text]
    assert not leaked, f"student {rel} shows solution text: {leaked}"


STUDENT_NOTEBOOKS = STUDENT_HTML_DIR.parent / "notebooks"


def test_the_student_edition_says_what_it_is(page_report):
    intro = page_report("student", "book/intro.html")
    full_intro = page_report("full", "book/intro.html")
    assert "This is the student edition." in intro.main_text
    assert "This is the student edition." not in full_intro.main_text
    assert "solutions are folded" in full_intro.main_text.lower()


@pytest.mark.parametrize("rel", STUDENT_PAGES)
def test_no_student_page_says_solutions_are_folded(page_report, rel: str):
    text = " ".join(page_report("student", rel).main_text.split()).lower()
    assert "solutions are folded" not in text, f"student {rel} says the solutions are folded"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_are_numbered_per_chapter_in_html_and_notebook(page_report, chapter: str):
    """The HTML's "Exercise 2.3" and the student notebook's heading are the same exercise."""
    student = page_report("student", f"book/{chapter}.html")
    in_html = list(dict.fromkeys(re.findall(r"Exercise (\d+\.\d+)", student.main_text)))
    cells = json.loads((STUDENT_NOTEBOOKS / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    in_notebook = [m for c in cells["cells"] if c["cell_type"] == "markdown"
                   for m in re.findall(r"^### Exercise (\d+\.\d+)", "".join(c["source"]), re.M)]
    assert in_notebook and in_html == in_notebook, (in_html, in_notebook)
    # A chapter counts from 1; a section of it (nomogram_audit) continues its chapter's count.
    chapter_number = in_notebook[0].split(".")[0]
    first = 1 + _exercise_offset(chapter)
    assert in_notebook == [f"{chapter_number}.{k}"
                           for k in range(first, first + len(in_notebook))]


def _exercise_offset(chapter: str) -> int:
    """How many exercises the chapter's earlier pages hold (scripts/student_notebooks.py's rule)."""
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "student_notebooks", root / "scripts" / "student_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.exercise_offsets(module.chapters_in_toc())[f"book/{chapter}"]


def _notebook_rules():
    """tests/test_student_notebooks.py's leak detector and marker pattern (one definition)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "test_student_notebooks.py"
    spec = importlib.util.spec_from_file_location("test_student_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_written_student_notebook_has_no_solution_and_no_marker(chapter: str):
    """The notebooks ./run.sh student wrote (with the build's glued numbers), not a test copy."""
    rules = _notebook_rules()
    source = json.loads((BOOK_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    written = json.loads((STUDENT_NOTEBOOKS / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    assert not rules.leaked_solution_lines(source, written)
    for cell in written["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert not rules.MARKERS.findall(text), f"{chapter}: MyST markup left:\n{text}"
