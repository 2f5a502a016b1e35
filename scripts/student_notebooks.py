"""Write the student edition's notebooks: every chapter without its solutions or its checks.

    python scripts/student_notebooks.py OUT_DIR [--executed DIR]
    python scripts/student_notebooks.py --workshop [--instructor] FOLDER [--executed DIR]
    python scripts/student_notebooks.py --explorers-page FOLDER   (./run.sh explorers' folder)

For each chapter notebook named in _toc.yml, a copy under OUT_DIR in which

- everything between ``{solution-start}`` and ``{solution-end}`` is gone: the explanation in the
  markdown and every code cell in between (removed, not hidden: nothing to unfold, nothing on disk);
- the checks are gone: ``assert`` statements are deleted from the cells tagged ``remove-cell``, and
  a cell with nothing else left is deleted; what remains of such a cell (a ``glue`` call, a number
  the prose needs) keeps its tag and is collapsed (``jupyter.source_hidden``);
- the MyST markup that JupyterLab would show as stray text is turned into plain Markdown:
  ``{exercise-start}`` becomes a heading "Exercise 2.3" (chapter number from _toc.yml, then the
  exercise's place in the chapter: the numbering of the HTML book), the other exercise markers and
  ``(label)=`` targets disappear, ``{glue:text}`` becomes the number the full build computed (read
  from its executed notebooks, ``--executed``), ``{term}``/``{ref}``/``{cite:*}`` become words,
  an admonition becomes a quoted paragraph with its title in bold, and an ``{only}`` block is
  kept or dropped as the student HTML build keeps it (tag ``student``);
- a first code cell imports nec and installs nothing;
- there are no outputs and no execution counts.

The input notebooks are only read. The test tests/test_student_notebooks.py runs every written
notebook and checks that no solution's text survived.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_CELL = """\
# Student edition of "{title}": the exercises without their solutions.
# Nothing is installed here: nec comes with the book's environment (./run.sh build, or the
# workshop bundle's install script). If this cell fails, that environment is not the kernel.
import nec
from nec.exercises import check

print(f"nec {{nec.__version__}} is ready: answer each exercise, then run its cell.")
"""

# A fenced MyST directive: ```{name} argument, then ":key: value" options, a body, the same fence.
_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})[ \t]*\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
_OPTION = re.compile(r"^:[\w-]+:[^\n]*\n?", re.MULTILINE)
_TARGET = re.compile(r"^\([\w:-]+\)=[ \t]*\n", re.MULTILINE)
_ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`")
_TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


class StudentEditionError(ValueError):
    """A notebook that does not follow the exercise structure of README "Contributing"."""


@dataclass
class Chapter:
    """What the conversion needs to know about one chapter."""

    number: int | None  # None: an unnumbered page (the exercises are then numbered 1, 2, ...)
    glue: dict[str, str] = field(default_factory=dict)  # glued name -> its text/plain
    # Exercises of the same chapter on earlier pages: a section (a `sections:` entry of
    # _toc.yml) continues its chapter's numbering, as sphinx-exercise numbers it.
    first_exercise: int = 0


def chapters_in_toc(toc_path: Path = ROOT / "_toc.yml") -> dict[str, int | None]:
    """Notebook path (relative to the root, no suffix) -> chapter number, in _toc.yml order.

    Chapters in a part marked ``numbered`` are numbered 1, 2, ... as Sphinx numbers them (one
    count over the numbered parts); the rest have no number. A chapter's ``sections`` follow it
    with its number (their exercises continue its count: :func:`exercise_offsets`).
    """
    import yaml

    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    numbers: dict[str, int | None] = {}
    count = 0

    def add_sections(entry: dict, number: int | None) -> None:
        for section in entry.get("sections", []):
            if "file" in section:
                numbers[section["file"]] = number
            add_sections(section, number)

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for entry in part.get("chapters", []):
            if "file" not in entry:
                continue
            if part.get("numbered"):
                count += 1
                numbers[entry["file"]] = count
            else:
                numbers[entry["file"]] = None
            add_sections(entry, numbers[entry["file"]])
    return numbers


def exercise_offsets(numbers: dict[str, int | None], root: Path = ROOT) -> dict[str, int]:
    """Page -> how many exercises the pages before it with the same chapter number hold (0 for
    a chapter; its count so far for each of its sections), in ``numbers``' (_toc.yml) order."""
    offsets: dict[str, int] = {}
    seen: dict[int, int] = {}
    for page, number in numbers.items():
        offsets[page] = seen.get(number, 0) if number is not None else 0
        source = root / f"{page}.ipynb"
        if number is not None and source.is_file():
            cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
            seen[number] = offsets[page] + sum(
                "".join(c["source"]).count("{exercise-start}") for c in cells
                if c["cell_type"] == "markdown")
    return offsets


def glued_values(executed: Path) -> dict[str, str]:
    """name -> text/plain of every ``glue(...)`` of an executed notebook: from the
    ``<name>.glue.json`` myst-nb writes beside it, or else from the notebook's outputs."""
    values: dict[str, str] = {}

    def record(name: str, data: dict, prefix: str) -> None:
        text = data.get(prefix + "text/plain", data.get("text/plain"))
        if text is not None:
            values[name] = "".join(text)

    for cell in json.loads(executed.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                record(scrap["name"], output.get("data", {}), scrap.get("mime_prefix", ""))
    glue_file = executed.with_suffix(".glue.json")
    if glue_file.is_file():
        for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            record(name, output.get("data", {}), "")
    return values


def _glue_text(content: str, glue: dict[str, str], where: str) -> str:
    # As myst-nb's {glue:text}: the text/plain of the value, or `name:format` applied to a number.
    name, _, spec = content.partition(":")
    if name not in glue:
        raise StudentEditionError(
            f"{where}: no executed value for {{glue:text}}`{content}`; build the book first "
            "(the student notebooks take the numbers the build computed)")
    text = glue[name].strip("'\"")
    if not spec:
        return text
    try:
        return format(float(text), spec)
    except ValueError as exc:
        raise StudentEditionError(f"{where}: cannot format {text!r} as {spec!r}") from exc


class _Citations:
    """Author–year citations from references.bib, as the book's author_year style prints them."""

    def __init__(self, bib: Path = ROOT / "references.bib") -> None:
        self.bib = bib
        self._entries: dict[str, tuple[str, str]] | None = None

    def _load(self) -> dict[str, tuple[str, str]]:
        if self._entries is None:
            from pybtex.database import parse_file

            self._entries = {}
            for key, entry in parse_file(str(self.bib)).entries.items():
                people = entry.persons.get("author") or entry.persons.get("editor") or []
                last = [" ".join(p.last_names) for p in people]
                if not last:
                    names = entry.fields.get("organization", key)
                elif len(last) == 1:
                    names = last[0]
                elif len(last) == 2:
                    names = f"{last[0]} and {last[1]}"
                else:
                    names = f"{last[0]} et al."
                self._entries[key] = (names.replace("{", "").replace("}", ""),
                                      entry.fields.get("year", "n.d."))
        return self._entries

    def cite(self, keys: str, textual: bool) -> str:
        entries = self._load()
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            names, year = entries.get(key, (key, ""))
            parts.append(f"{names} ({year})" if textual else f"{names}, {year}")
        return "; ".join(parts) if textual else f"({'; '.join(parts)})"


def _heading_titles(paths: list[Path]) -> dict[str, str]:
    """``(label)=`` target -> the text of the heading under it, over the book's pages."""
    titles: dict[str, str] = {}
    pattern = re.compile(r"^\(([\w:-]+)\)=[ \t]*\n+#+[ \t]+(.+)$", re.MULTILINE)
    for path in paths:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        for label, title in pattern.findall(text):
            titles[label] = title.strip()
    return titles


@dataclass
class _State:
    chapter: Chapter
    citations: _Citations
    titles: dict[str, str]
    where: str
    in_exercise: bool = False
    in_solution: bool = False
    exercises: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # exercise label -> "Exercise 2.3"

    def exercise_name(self) -> str:
        number = f"{self.chapter.number}.{self.exercises}" if self.chapter.number else (
            str(self.exercises))
        return f"Exercise {number}"


def _roles(text: str, state: _State) -> str:
    def replace(match: re.Match) -> str:
        name, content = match["name"], match["content"]
        titled = _TITLED.match(content)
        if name == "glue:text" or name == "glue":
            return _glue_text(content, state.chapter.glue, state.where)
        if name in ("term", "ref", "numref", "doc", "download"):
            if titled:
                return titled["text"]
            if name == "ref":
                return state.labels.get(content) or state.titles.get(content, content)
            return content
        if name.startswith("cite"):
            return state.citations.cite(content, textual=name == "cite:t")
        return content  # e.g. {sub}`2`: the plain text is the best a notebook can show

    return _ROLE.sub(replace, text)


def _only_in_student_edition(expression: str, where: str) -> bool:
    """Whether an ``{only}`` block's expression holds in the student edition (tag ``student``)."""
    words = expression.replace("(", " ( ").replace(")", " ) ").split()
    if not words or any(not re.fullmatch(r"[\w-]+|\(|\)", w) for w in words):
        raise StudentEditionError(f"{where}: cannot read {{only}} {expression!r}")
    python = " ".join(w if w in ("and", "or", "not", "(", ")") else str(w == "student")
                      for w in words)
    return bool(eval(python, {"__builtins__": {}}))  # only True/False/and/or/not/parentheses


def _markdown(source: str, state: _State) -> str:
    """The student version of one markdown cell (empty when nothing of it stays)."""
    out: list[str] = []
    pos = 0

    def keep(text: str) -> None:
        if not state.in_solution and text:
            out.append(text)

    for match in _DIRECTIVE.finditer(source):
        keep(source[pos:match.start()])
        pos = match.end()
        name, arg, body = match["name"], match["arg"].strip(), match["body"]
        if name == "exercise-start":
            if state.in_exercise or state.in_solution:
                raise StudentEditionError(f"{state.where}: an exercise starts inside another")
            state.in_exercise = True
            state.exercises += 1
            label = re.search(r"^:label:[ \t]*(\S+)", body, re.MULTILINE)
            heading = state.exercise_name()
            if label:
                state.labels[label.group(1)] = heading
            title = f": {arg}" if arg else ""
            out.append(f"### {heading}{title}\n\n")
        elif name == "exercise-end":
            if not state.in_exercise:
                raise StudentEditionError(f"{state.where}: exercise-end without exercise-start")
            state.in_exercise = False
        elif name == "solution-start":
            if state.in_solution:
                raise StudentEditionError(f"{state.where}: a solution starts inside another")
            state.in_solution = True
        elif name == "solution-end":
            if not state.in_solution:
                raise StudentEditionError(f"{state.where}: solution-end without solution-start")
            state.in_solution = False
        elif name in ("exercise", "solution"):
            # An ungated exercise or solution: the same rules in one block.
            if name == "solution":
                continue
            state.exercises += 1
            out.append(f"### {state.exercise_name()}\n\n{_OPTION.sub('', body).strip()}\n\n")
        elif name == "only":
            # The edition switch of book/_ext/nec_hide_gated_solutions.py: tag "student" is set.
            if _only_in_student_edition(arg, state.where):
                keep(_markdown(body, state) if _DIRECTIVE.search(body) else body)
        elif name in ("admonition", "note", "warning", "important", "tip", "danger", "caution",
                      "attention", "hint", "seealso", "error"):
            title = arg or name.capitalize()
            body_text = _OPTION.sub("", body).strip()
            quoted = "\n".join(f"> {line}" if line else ">" for line in body_text.splitlines())
            keep(f"> **{title}**\n>\n{quoted}\n")
        else:
            keep(_OPTION.sub("", body))
    keep(source[pos:])
    text = _TARGET.sub("", "".join(out))
    text = _roles(text, state)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + ("\n" if text.strip() else "")


def _without_asserts(source: str) -> str:
    """A remove-cell cell's code with its ``assert`` statements (and the comment lines right
    above each) deleted; empty when nothing but comments would be left."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source  # IPython magics: not a check cell; leave it to the notebook run to judge
    lines = source.splitlines()
    drop: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.Assert):
            drop.update(range(node.lineno - 1, node.end_lineno))
            above = node.lineno - 2
            while above >= 0 and lines[above].lstrip().startswith("#"):
                drop.add(above)
                above -= 1
    kept = [line for i, line in enumerate(lines) if i not in drop]
    if not any(line.strip() and not line.lstrip().startswith("#") for line in kept):
        return ""
    return "\n".join(kept).strip("\n")


def _code_cell(source: str, metadata: dict) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": metadata,
            "outputs": [], "source": source}


def student_notebook(notebook: dict, chapter: Chapter, where: str = "notebook",
                     citations: _Citations | None = None,
                     titles: dict[str, str] | None = None) -> dict:
    """The student version of one chapter (a notebook as a dict; the input is not changed)."""
    state = _State(chapter, citations or _Citations(), titles or {}, where,
                   exercises=chapter.first_exercise)
    cells: list[dict] = []
    title = next((m.group(1) for c in notebook["cells"] if c["cell_type"] == "markdown"
                  for m in [re.search(r"^#[ \t]+(.+)$", "".join(c["source"]), re.MULTILINE)]
                  if m), where)
    cells.append(_code_cell(FIRST_CELL.format(title=title.replace('"', "'")),
                            {"tags": ["student-edition-setup"]}))
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        state.where = f"{where}, cell {index}"
        if cell["cell_type"] == "markdown":
            text = _markdown(source, state)
            if text:
                cells.append({"cell_type": "markdown", "metadata": {}, "source": text})
            continue
        if cell["cell_type"] != "code" or state.in_solution:
            continue
        metadata = {k: v for k, v in cell.get("metadata", {}).items()
                    if k in ("tags", "jupyter", "collapsed")}
        tags = metadata.get("tags", [])
        if "remove-cell" in tags:
            source = _without_asserts(source)
            if not source:
                continue
            # Plumbing the prose needs (glue, a table's data): there, but folded.
            metadata["jupyter"] = {**metadata.get("jupyter", {}), "source_hidden": True}
        elif "remove-input" in tags:
            metadata["jupyter"] = {**metadata.get("jupyter", {}), "source_hidden": True}
        cells.append(_code_cell(source, metadata))
    if state.in_solution or state.in_exercise:
        raise StudentEditionError(f"{where}: an exercise or solution is not closed at the end")
    metadata = {k: v for k, v in notebook.get("metadata", {}).items()
                if k in ("kernelspec", "language_info")}
    metadata["nec_student_edition"] = {"source": where, "exercises": dict(state.labels)}
    return {"cells": cells, "metadata": metadata, "nbformat": 4,
            "nbformat_minor": max(notebook.get("nbformat_minor", 5), 5)}


def _with_ids(notebook: dict) -> dict:
    # nbformat 4.5 wants a unique id per cell; stable ids keep rewrites of the same input equal.
    for i, cell in enumerate(notebook["cells"]):
        cell["id"] = f"student-{i:03d}"
    return notebook


def write_student_notebooks(out_dir: Path, executed_dir: Path, root: Path = ROOT) -> list[Path]:
    """Write one student notebook per chapter of _toc.yml into ``out_dir``; return their paths.

    ``executed_dir`` holds the build's executed copies (``_build/jupyter_execute``), whose glued
    values replace the ``{glue:text}`` roles.
    """
    numbers = chapters_in_toc(root / "_toc.yml")
    offsets = exercise_offsets(numbers, root)
    pages = [root / f"{p}.ipynb" for p in numbers if (root / f"{p}.ipynb").is_file()]
    pages += [root / f"{p}.md" for p in numbers if (root / f"{p}.md").is_file()]
    titles = _heading_titles(pages)
    citations = _Citations(root / "references.bib")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for page, number in numbers.items():
        source = root / f"{page}.ipynb"
        if not source.is_file():
            continue
        executed = executed_dir / f"{page}.ipynb"
        if not executed.is_file():
            raise StudentEditionError(f"{executed} is missing: build the book first")
        chapter = Chapter(number, glued_values(executed), first_exercise=offsets[page])
        notebook = json.loads(source.read_text(encoding="utf-8"))
        student = _with_ids(student_notebook(notebook, chapter, page, citations, titles))
        target = out_dir / source.name
        target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        written.append(target)
    return written


LAB_SETTINGS = ROOT / "scripts" / "workshop_lab_settings"

#: The workshop's explorers notebook: (heading, what it shows, the call that makes it), each the
#: call its chapter makes, so an instructor opens any explorer without running a chapter.
EXPLORERS = (
    ("WHO grading (chapter 1)", "Ki-67, mitoses and morphology to a WHO category, by edition.",
     "nec.widgets.grading_explorer()"),
    ("Regimen dose sheet (chapter 2)", "Doses of a first-line regimen from height, weight and "
     "renal function, with the pharmacy's checks.", "nec.widgets.dosing_explorer()"),
    ("Second-line options (chapter 3)", "The evidence that matches a patient's features, "
     "listed, never ranked.", "nec.widgets.options_explorer()"),
    ("Dynamic nomogram (chapter 5)", "Predicted survival of the synthetic cohort's Cox model "
     "for chosen predictors.", "nec.widgets.nomogram_explorer()"),
    ("Points-table audit (chapter 5)", "Edit a published nomogram's points table and see the "
     "model it implies and any inconsistency.", "nec.widgets.audit_explorer()"),
)
EXPLORERS_NOTEBOOK = "explorers.ipynb"


def explorers_notebook(page: bool = False) -> dict:
    """A notebook that opens the five explorers and nothing else (no chapter is executed):
    for an instructor who wants one on the screen within seconds of ``./run.sh workshop``, or,
    with ``page``, the page ``./run.sh explorers`` shows (Voilà runs every cell and shows only
    their outputs, so its first words say where the chapters are instead)."""
    intro = (
        "# The five explorers\n\nEvery control answers at once: the explorers run in this "
        "machine's Python (Voilà shows the notebook's outputs, not its code). The chapters, with "
        "their exercises, open in JupyterLab with `./run.sh workshop`."
        if page else
        "# The five explorers\n\nRun the first cell, then the cell of the explorer you "
        "want: each opens in a second or two, without running its chapter. The chapters "
        "themselves are in this folder (student edition) and in `instructor/`.")
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": intro},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import nec"},
    ]
    for heading, what, call in EXPLORERS:
        cells.append({"cell_type": "markdown", "metadata": {},
                      "source": f"## {heading}\n\n{what}"})
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                      "outputs": [], "source": call})
    return _with_ids({"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5})


def write_workshop_folder(folder: Path, executed_dir: Path, instructor: bool,
                          root: Path = ROOT) -> list[Path]:
    """The folder JupyterLab starts in for a workshop (see scripts/workshop_flags.txt):
    ``notebooks/`` (the student edition), with ``notebooks/instructor/`` (the full chapters, as
    in book/) and ``notebooks/explorers.ipynb`` (the five explorers, no chapter run) when
    ``instructor``, and ``lab-settings/`` (JupyterLab's workshop defaults).

    Notebooks already there are replaced: the workshop starts from the book as it is now.
    """
    import shutil

    notebooks = folder / "notebooks"
    if notebooks.exists():
        shutil.rmtree(notebooks)
    written = write_student_notebooks(notebooks, executed_dir, root)
    if instructor:
        (notebooks / "instructor").mkdir()
        for page in chapters_in_toc(root / "_toc.yml"):
            source = root / f"{page}.ipynb"
            if source.is_file():
                written.append(Path(shutil.copy2(source, notebooks / "instructor" / source.name)))
        # The instructor's shortcut to the explorers (not in the bundle: every notebook a
        # participant gets is a chapter with exercises).
        explorers = notebooks / EXPLORERS_NOTEBOOK
        explorers.write_text(json.dumps(explorers_notebook(), indent=1, ensure_ascii=False)
                             + "\n", encoding="utf-8")
        written.append(explorers)
    settings = folder / "lab-settings"
    if settings.exists():
        shutil.rmtree(settings)
    shutil.copytree(LAB_SETTINGS, settings)
    return written


EXPLORERS_PAGE_SETTINGS = ROOT / "scripts" / "explorers_page"


def write_explorers_page(folder: Path) -> list[Path]:
    """The folder ``./run.sh explorers`` starts Voilà in: ``explorers.ipynb`` (the page's
    version of the explorers notebook), ``voila.json`` (Voilà's settings, which it reads from
    the folder it starts in), ``share/`` (the page's template, found through JUPYTER_PATH) and
    ``explorers_voila.py`` (the launcher). The folder is rewritten whole."""
    import shutil

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(EXPLORERS_PAGE_SETTINGS, folder)
    notebook = folder / EXPLORERS_NOTEBOOK
    notebook.write_text(json.dumps(explorers_notebook(page=True), indent=1, ensure_ascii=False)
                        + "\n", encoding="utf-8")
    return [notebook]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out_dir", type=Path,
                        help="where to write the notebooks (with --workshop: the workshop folder)")
    parser.add_argument("--executed", type=Path, default=ROOT / "_build" / "jupyter_execute",
                        help="the build's executed notebooks (default: _build/jupyter_execute)")
    parser.add_argument("--workshop", action="store_true",
                        help="write a workshop folder: notebooks/, lab-settings/")
    parser.add_argument("--instructor", action="store_true",
                        help="with --workshop: also notebooks/instructor/, the full chapters")
    parser.add_argument("--explorers-page", action="store_true",
                        help="write the folder of ./run.sh explorers (Voilà's explorers page)")
    args = parser.parse_args(argv)
    try:
        if args.explorers_page:
            written = write_explorers_page(args.out_dir)
        elif args.workshop:
            written = write_workshop_folder(args.out_dir, args.executed, args.instructor)
        else:
            written = write_student_notebooks(args.out_dir, args.executed)
    except StudentEditionError as exc:
        print(f"student notebooks: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"  {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
