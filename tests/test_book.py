"""The book's sources: stored clean, every citation and glued number resolvable.

These catch mistakes that a build can pass silently: a prose line that starts with "%"
is a MyST comment and disappears from the page without a warning.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
PAGES = sorted((ROOT / "book").glob("*.md"))
SEED_PAPERS = {"sevillaresua2025", "thomas2019", "luo2024", "kuchin2019", "benini2025"}


def markdown_of(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def code_of(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), re.M))


def test_there_are_chapters():
    assert NOTEBOOKS, "no chapter notebooks found in book/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, (
                f"{path.name}: a code cell is stored with outputs; strip them"
            )


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_no_prose_line_is_swallowed_as_a_myst_comment(path):
    lines = [line for line in markdown_of(path).splitlines() if line.startswith("%")]
    assert not lines, f"{path.name}: lines starting with % are MyST comments: {lines}"


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_every_citation_is_in_the_bibliography(path):
    cited = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", markdown_of(path)):
        cited |= {k.strip() for k in group.split(",")}
    missing = cited - bib_keys()
    assert not missing, f"{path.name} cites keys not in references.bib: {sorted(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_value_is_defined_in_its_notebook(path):
    used = {m.split(":")[0] for m in re.findall(r"\{glue(?::\w+)?\}`([^`]+)`", markdown_of(path))}
    # A name built in a loop, glue(f"nordic_{arm}_rr", ...), stands for a pattern.
    names = re.findall(r"glue\(\s*f?[\"']([^\"']+)[\"']", code_of(path))
    patterns = [re.compile(re.sub(r"\\\{[^}]*\\\}", r"\\w+", re.escape(n)) + "$") for n in names]
    undefined = sorted(u for u in used if not any(p.match(u) for p in patterns))
    assert not undefined, f"{path.name}: glued names never defined: {undefined}"


def test_all_five_source_papers_are_in_the_bibliography():
    assert SEED_PAPERS <= bib_keys()


def test_the_bibliography_page_lists_every_entry():
    text = (ROOT / "book" / "references.md").read_text()
    assert "{bibliography}" in text and ":all:" in text


def glossary_terms() -> set[str]:
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return {line.strip() for line in block.splitlines()
            if line and not line[0].isspace() and not line.startswith(":")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_links_its_key_terms_to_the_glossary(path):
    # {term}`text <Term>` or {term}`Term`: the target is what the glossary defines.
    targets = [m.group(2) or m.group(1)
               for m in re.finditer(r"\{term\}`([^`<]+?)\s*(?:<([^>]+)>)?`", markdown_of(path))]
    assert len(targets) >= 3, f"{path.name} links only {len(targets)} terms to the glossary"
    unknown = set(targets) - glossary_terms()
    assert not unknown, f"{path.name} links terms the glossary does not define: {unknown}"


def test_the_nomogram_chapter_points_to_the_evidence_chapters():
    text = markdown_of(ROOT / "book" / "nomogram.ipynb")
    for label in ("first-line", "second-line"):
        assert "{ref}`" + label + "`" in text, f"nomogram chapter has no link to {label}"
