"""What a reader must never see on a built page, found by reading _build/html (no browser).

Each check takes a page's HTML and returns a list of findings (sentences naming what and where),
empty when the page is clean. test_built_html.py runs them on every page of the built book;
tests/test_built_html_checks.py proves on small hand-written pages that each check finds what it
is for and passes what is fine.

What the strict build (-W -n) does not catch, and these do:
- MyST source left visible: a role or directive that did not parse (``{glue:text}`x` `` printed as
  text, ``{cite:p}``, a fenced ````{exercise}`` shown as a code block, ``:label:`` /
  ``:class:`` option lines).
- The same sentence printed twice in a row.
- A stray ``None`` as a cell's output (a function's return value echoed by the notebook).
- A warning or traceback printed in a cell's output (stderr, ``RuntimeWarning`` with a path).
- Raw pandas in a table: ``NaN`` / ``<NA>`` / ``None`` / ``NaT`` cells, a bare 0..N-1 index
  column, snake_case column headers (``study_id``), whole numbers shown as floats (``129.0``).
- The project's internal references, which a reader cannot resolve: a source paper by its
  project number ("seed 001"), the fact sheet (``clinical_facts.md``), a Markdown file name. In the
  prose and tables, and in what an explorer shows (its saved widget state: notes, options, the
  text in its boxes). INTERNAL_REFERENCES lists every banned pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

# A role as written in MyST: {name}` or {name:sub}` (the backtick may be lost, the braces stay).
ROLE_SOURCE = re.compile(r"\{(?:glue|cite|term|ref|numref|doc|eq|math|download|abbr|sub|sup|"
                         r"prf|exercise|solution|index|guilabel|kbd|glue:\w+|cite:\w+)"
                         r"(?::\w+)?\}`?")
DIRECTIVE_SOURCE = re.compile(r"(```|~~~|:::)\s*\{[a-z][\w:-]*\}")
OPTION_SOURCE = re.compile(r"(?:^|\s):(?:label|class|name|tags|width|align|figwidth|"
                           r"figclass|dropdown|nonumber|class-container|class-content):\s")
# As pandas prints them (a lower-case "none" in a table is a word: "MSI: none").
MISSING_CELLS = {"NaN", "nan", "<NA>", "None", "NaT"}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
FLOAT_WHOLE = re.compile(r"^-?\d{1,3}(?:,?\d{3})*\.0+$")


def _article(soup: BeautifulSoup) -> Tag:
    """The page's own content: the article, without the theme's navigation and sidebars."""
    return (soup.select_one("article.bd-article") or soup.select_one("main")
            or soup.body or soup)


def parse(html: str) -> Tag:
    return _article(BeautifulSoup(html, "html.parser"))


def _reader_text(article: Tag, *, drop_code_inputs: bool = True) -> str:
    """The text a reader sees: no scripts, styles, typeset math, or (by default) code cells'
    source, which legitimately contains Python that may look like anything."""
    clone = BeautifulSoup(str(article), "html.parser")
    selectors = ["script", "style", "noscript", "mjx-container", "span.math", "div.math",
                 "a.headerlink", "template"]
    if drop_code_inputs:
        selectors += ["div.cell_input", "div.highlight-ipython3", "div.highlight-python",
                      "div.highlight-default", "div.highlight-r", "div.highlight-bash",
                      "div.highlight-yaml"]
    for selector in selectors:
        for el in clone.select(selector):
            el.decompose()
    return " ".join(clone.get_text(" ").split())


def visible_myst_source(article: Tag) -> list[str]:
    """MyST roles, directives and directive options printed as text."""
    text = _reader_text(article)
    findings = []
    for pattern, what in ((ROLE_SOURCE, "role"), (DIRECTIVE_SOURCE, "directive"),
                          (OPTION_SOURCE, "directive option")):
        for m in pattern.finditer(text):
            start = max(0, m.start() - 40)
            findings.append(f"MyST {what} source visible: …{text[start:m.end() + 40]}…")
    return findings


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def repeated_sentences(article: Tag, *, min_chars: int = 20) -> list[str]:
    """A sentence printed twice in a row (one after the other, in any two blocks)."""
    text = _reader_text(article)
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    findings = []
    for first, second in zip(sentences, sentences[1:], strict=False):
        if first == second and len(first) >= min_chars:
            findings.append(f"sentence printed twice in a row: {first[:160]!r}")
    return findings


def stray_none_outputs(article: Tag) -> list[str]:
    """A cell output that is, or has a line that is, just ``None``."""
    findings = []
    for out in article.select("div.cell_output, div.output"):
        for block in out.select("pre, div.output_text, div.text_plain"):
            lines = [line.strip() for line in block.get_text().splitlines()]
            if "None" in lines:
                context = " / ".join(x for x in lines if x)[:160]
                findings.append(f"a cell prints a stray None: {context!r}")
    return findings


# A Python warning class (RuntimeWarning:, FutureWarning:, ...), a library's file path, a
# traceback. Not a bare "Warning:": the dose sheet's clinical warnings are meant for the reader.
WARNING_TEXT = re.compile(r"\b[A-Z]\w*Warning:|site-packages/|Traceback \(most recent")


def warnings_in_outputs(article: Tag) -> list[str]:
    """A warning, error or traceback that reached the page (stderr of a cell, a library's
    RuntimeWarning with its file path): the reader cannot act on it."""
    findings = []
    for out in article.select("div.cell_output"):
        for block in out.select("div.stderr, div.output.stderr, pre"):
            classes = " ".join(block.get("class", []))
            text = " ".join(block.get_text(" ").split())
            if "stderr" in classes or WARNING_TEXT.search(text):
                findings.append(f"warning text on the page: {text[:200]!r}")
                break
    return findings


def _table_rows(table: Tag) -> tuple[list[str], list[list[str]]]:
    header = []
    thead = table.find("thead")
    if thead:
        last = thead.find_all("tr")[-1]
        header = [" ".join(c.get_text(" ").split()) for c in last.find_all(["th", "td"])]
    body = table.find("tbody") or table
    rows = []
    for tr in body.find_all("tr", recursive=False) or body.find_all("tr"):
        if tr.parent is thead:
            continue
        rows.append([" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])])
    if not header and rows:
        header, rows = rows[0], rows[1:]
    return header, rows


def _table_name(table: Tag, number: int) -> str:
    caption = table.find("caption")
    if caption and caption.get_text(strip=True):
        return f"table {number} ({' '.join(caption.get_text(' ').split())[:60]!r})"
    return f"table {number}"


def raw_pandas_in_tables(article: Tag) -> list[str]:
    """Tables as pandas prints them instead of as a reader needs them."""
    findings = []
    for number, table in enumerate(article.find_all("table"), start=1):
        # Tables inside an embedded widget's saved state are not on the page.
        if table.find_parent("script"):
            continue
        name = _table_name(table, number)
        header, rows = _table_rows(table)
        missing = sorted({c for row in rows for c in row if c.strip() in MISSING_CELLS})
        if missing:
            findings.append(f"{name}: missing values shown as {', '.join(missing)} "
                            "(show a dash and say what it means)")
        snake = [h for h in header if SNAKE_CASE.match(h)]
        if snake:
            findings.append(f"{name}: column headers in code form: {', '.join(snake)} "
                            "(give human labels)")
        if len(rows) >= 2 and all(row for row in rows):
            first = [row[0] for row in rows]
            if first == [str(i) for i in range(len(rows))]:
                findings.append(f"{name}: a bare 0..{len(rows) - 1} index column "
                                "(pandas' row numbers mean nothing to a reader)")
        width = max((len(r) for r in rows), default=0)
        for col in range(width):
            cells = [r[col] for r in rows if col < len(r) and r[col].strip()]
            if len(cells) >= 2 and all(FLOAT_WHOLE.match(c) for c in cells):
                label = header[col] if col < len(header) and header[col] else f"column {col + 1}"
                findings.append(f"{name}: whole numbers shown as floats in {label!r} "
                                f"(e.g. {cells[0]})")
    return findings


# What the project calls things internally, which a reader cannot look up: cite the paper instead
# ({cite:p}`thomas2019`, or its short name, "the Thomas 2019 review"). Explicit, so that every
# part of the book (prose, nec's sentences, data/ columns an explorer shows) is held to one list.
INTERNAL_REFERENCES = (
    # A source paper by its number in the project's shared folder: "seed 001", "Seed 002's",
    # "seeds 001 and 002" (not a random seed: "seed 2024", "seed=3").
    (re.compile(r"\bseeds? 0\d\d\b", re.IGNORECASE), "a source paper by its project number"),
    (re.compile(r"\bseed paper", re.IGNORECASE), "a source paper by its project name"),
    # The project's fact sheet, by file name or by name.
    (re.compile(r"clinical_facts", re.IGNORECASE), "the project's fact sheet by its file name"),
    (re.compile(r"\bfact sheet\b", re.IGNORECASE), "the project's fact sheet"),
    # Any Markdown file name (README.md, book/instructors.md): a repository file, not a page.
    (re.compile(r"\b[\w./-]+\.md\b"), "a Markdown file name"),
)

# The widget state of a page's explorers: what its controls and notes show before (and
# without) any Python. Strings under these keys reach the screen; the rest is plumbing.
WIDGET_STATE_TYPE = "application/vnd.jupyter.widget-state+json"
_SHOWN_WIDGET_KEYS = {"value", "description", "placeholder", "tooltip", "_options_labels",
                      "titles", "_titles", "label"}


def _widget_texts(article: Tag) -> list[str]:
    """Every string the page's saved explorers show (HTML stripped to its text)."""
    import json

    root = article
    while root.parent is not None:
        root = root.parent
    texts = []
    for script in root.find_all("script", attrs={"type": WIDGET_STATE_TYPE}):
        try:
            state = json.loads(script.string or "{}").get("state", {})
        except ValueError:
            continue
        for model in state.values():
            for key, value in (model.get("state") or {}).items():
                if key not in _SHOWN_WIDGET_KEYS:
                    continue
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and item.strip():
                        text = BeautifulSoup(item, "html.parser").get_text(" ") \
                            if "<" in item else item
                        texts.append(" ".join(text.split()))
    return texts


def internal_references(article: Tag) -> list[str]:
    """Project-internal names (INTERNAL_REFERENCES) in the page's text or its explorers."""
    findings = []
    for where, text in [("text", _reader_text(article))] + [
            ("explorer", t) for t in _widget_texts(article)]:
        for pattern, what in INTERNAL_REFERENCES:
            for m in pattern.finditer(text):
                start = max(0, m.start() - 50)
                findings.append(f"{what} in the {where}: …{text[start:m.end() + 40]}…")
    return findings


CHECKS = {
    "visible MyST source": visible_myst_source,
    "repeated sentence": repeated_sentences,
    "stray None output": stray_none_outputs,
    "raw pandas in a table": raw_pandas_in_tables,
    "warning in an output": warnings_in_outputs,
    "internal reference": internal_references,
}


def check_page(path: Path) -> dict[str, list[str]]:
    """Every check's findings for one built page."""
    article = parse(path.read_text(encoding="utf-8"))
    return {name: check(article) for name, check in CHECKS.items()}
