"""The book's sources: stored clean, every citation and glued number resolvable.

These catch mistakes that a build can pass silently: a prose line that starts with "%"
is a MyST comment and disappears from the page without a warning.
"""

import json
import os
import re
import sys
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


# ---- the bibliography: no placeholder that reads like a title ----------------------------------
# Phrases an editor writes when a field is not known. A missing field is left out and the entry's
# note says plainly what is not known; it is never filled with text the page prints as if it were
# the title or the authors.
PLACEHOLDER_PHRASES = [
    "not printed in the source", "as recalled", "recalled by", "title not", "to be replaced",
    "must be replaced", "placeholder", "tbd", "todo", "fixme", "xxx", "unknown title",
    "paraphrased", "[", "]", "??",
]


def bib_entries() -> dict[str, str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    entries = {}
    for match in re.finditer(r"^@\w+\{([^,]+),(.*?)^\}", text, re.M | re.S):
        entries[match.group(1)] = match.group(2)
    return entries


def bib_fields(body: str) -> dict[str, str]:
    """``name = {value}`` fields of one entry, braces balanced, whitespace folded."""
    fields = {}
    for m in re.finditer(r"(\w+)\s*=\s*\{", body):
        depth, i = 1, m.end()
        while depth and i < len(body):
            depth += {"{": 1, "}": -1}.get(body[i], 0)
            i += 1
        fields[m.group(1).lower()] = " ".join(body[m.end():i - 1].split())
    return fields


def test_the_bibliography_is_parsed():
    entries = bib_entries()
    assert len(entries) >= 15 and SEED_PAPERS <= set(entries)
    assert "title" in bib_fields(entries["luo2024"])


@pytest.mark.parametrize("key", sorted(bib_entries()))
def test_no_bibliography_field_is_a_placeholder(key):
    fields = bib_fields(bib_entries()[key])
    for name in ("title", "author", "editor", "journal", "booktitle"):
        value = fields.get(name, "").lower()
        found = [p for p in PLACEHOLDER_PHRASES if p in value]
        assert not found, f"references.bib {key}: {name} holds a placeholder ({found}): {value}"
    note = fields.get("note", "").lower()
    assert not any(p in note for p in ("as recalled", "placeholder", "paraphrased")), (
        f"references.bib {key}: a field stands in for one not known; leave it out and say so")


@pytest.mark.parametrize("key", sorted(SEED_PAPERS))
def test_every_source_paper_has_its_details_or_says_what_is_missing(key):
    fields = bib_fields(bib_entries()[key])
    note = fields.get("note", "").lower()
    assert {"author", "year"} <= set(fields), key
    assert "title" in fields or "title not printed" in note or "title is not known" in note, key
    assert "journal" in fields or "howpublished" in fields, key
    has_locator = "doi" in fields or ("volume" in fields and "pages" in fields)
    assert has_locator or "not known" in note or "not printed in the sources read" in note, (
        f"references.bib {key}: no DOI and no volume/pages, and no note saying they are not known")


# ---- the build refuses to run without the vendored JavaScript ------------------------------------
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import nec_book_html  # noqa: E402


def book_config() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]


def test_the_book_names_local_javascript_files_that_the_check_looks_for():
    config = book_config()
    assert nec_book_html.missing_vendored_js(
        "/nonexistent", config["html_static_path"], config["mathjax_path"],
        config["nb_ipywidgets_js"]) == [
        "vendor/mathjax/es5/tex-mml-chtml.js", "vendor/requirejs/require.js",
        "js/widgets-offline.js", "vendor/html-manager/dist/embed-amd.js"]


def test_the_check_passes_when_the_files_are_there(tmp_path):
    config = book_config()
    for rel in [config["mathjax_path"], *config["nb_ipywidgets_js"]]:
        (tmp_path / "static" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "static" / rel).write_text("// js\n")
    assert nec_book_html.missing_vendored_js(tmp_path, ["static"], config["mathjax_path"],
                                             config["nb_ipywidgets_js"]) == []
    # An empty file (an interrupted download) is missing too.
    (tmp_path / "static" / config["mathjax_path"]).write_text("")
    assert nec_book_html.missing_vendored_js(tmp_path, ["static"], config["mathjax_path"],
                                             config["nb_ipywidgets_js"]) == [config["mathjax_path"]]


def test_urls_are_not_files_to_look_for(tmp_path):
    assert nec_book_html.missing_vendored_js(
        tmp_path, ["_static"], "https://cdn.example/mathjax.js",
        {"https://cdn.example/require.js": {}}) == []


@pytest.mark.timeout(300)
def test_a_plain_strict_build_without_the_vendored_javascript_fails_with_the_fix(tmp_path):
    import subprocess

    (tmp_path / "_static" / "js").mkdir(parents=True)
    (tmp_path / "_static" / "js" / "glue.js").write_text("// present\n")
    (tmp_path / "_config.yml").write_text(f"""
title: vendor
only_build_toc_files: true
sphinx:
  local_extensions:
    nec_book_html: {ROOT / "book" / "_ext"}
  config:
    html_static_path: [_static]
    mathjax_path: vendor/mathjax/es5/tex-mml-chtml.js
    nb_ipywidgets_js:
      vendor/requirejs/require.js: {{}}
      js/glue.js: {{}}
""")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (tmp_path / "page.md").write_text("# A page\n\n$x^2$\n")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run([str(jupyter_book), "build", ".", "-W"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    log = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0, "the build succeeded without MathJax and require.js"
    assert ("The book's offline JavaScript is missing from _static: "
            "vendor/mathjax/es5/tex-mml-chtml.js, vendor/requirejs/require.js.") in log, log[-3000:]
    assert "bash scripts/vendor_js.sh" in log
    assert not (tmp_path / "_build" / "html" / "page.html").exists()


def test_the_sidebar_fold_of_a_chapter_with_sections_has_a_name():
    # The theme's toggle is an icon alone; axe's summary-name rule fails an unnamed <summary>.
    html = ('<li class="toctree-l1 has-children"><a href="nomogram.html">5.</a><details><summary>'
            '<span class="toctree-toggle" role="presentation"><i class="fa-solid"></i></span>'
            '</summary><ul></ul></details></li>')
    for page in (html, html.replace("<details>", '<details open="open">')):
        fixed = nec_book_html.fix_html(page)
        assert '<summary aria-label="Sections of this chapter">' in fixed
        assert nec_book_html.fix_html(fixed) == fixed
