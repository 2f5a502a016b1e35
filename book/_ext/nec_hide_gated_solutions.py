"""Make sphinx-exercise's ``hide_solutions`` work with gated solutions (student build only).

The chapters write their solutions as gated directives (``{solution-start}`` ... ``{solution-end}``)
because a solution spans code cells. sphinx-exercise 1.2.1 cannot hide those: with
``hide_solutions = True`` the start directive returns nothing, so the content between start and end
stays on the page and the orphaned ``solution_end_node`` crashes the HTML writer ("departing
unknown node type: solution_end_node"; executablebooks/sphinx-exercise issue 89).

This extension is loaded only by the student build (run.sh writes it into the generated student
config beside ``hide_solutions: true``); the full build never loads it. When ``hide_solutions`` is
on, the ``solution-start`` directive leaves a marker node, and a transform that runs before
sphinx-exercise's own gated-directive merge removes everything from each marker up to and
including its ``solution_end_node``: the solution's text and its code cells. The exercises stay.

The page sources would still give the solutions away (``_sources/*.ipynb`` and the theme's
download buttons that link to them): the student config sets ``html_copy_source: false``, and
this extension drops the download links into ``_sources`` (the print-to-PDF button stays).

It also sets the Sphinx tag ``student``, so a page can say which edition it is in:
``{only} student`` ... and ``{only} not student`` ... (book/intro.md does; the student notebooks,
scripts/student_notebooks.py, keep and drop the same blocks).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class hidden_solution_start(nodes.Element):  # noqa: N801 - docutils node naming
    """Where a hidden gated solution began; removed by RemoveHiddenGatedSolutions."""


class HidingSolutionStartDirective(SolutionStartDirective):
    def run(self) -> list[nodes.Node]:
        result = super().run()  # also records the start in sphinx-exercise's gated registry
        if self.env.app.config.hide_solutions:
            return [hidden_solution_start(label=self.arguments[0])]
        return result


class RemoveHiddenGatedSolutions(SphinxTransform):
    # After sphinx-exercise's structure check (1), before its MergeGatedSolutions (10).
    default_priority = 5

    def apply(self, **kwargs: Any) -> None:
        for marker in list(self.document.findall(hidden_solution_start)):
            parent = marker.parent
            start = parent.index(marker)
            end = None
            for i in range(start + 1, len(parent.children)):
                if isinstance(parent.children[i], solution_end_node):
                    end = i
                    break
            if end is None:
                # CheckGatedDirectives has already reported an unbalanced start/end.
                parent.remove(marker)
                continue
            for child in parent.children[start : end + 1]:
                parent.remove(child)


def _drop_source_downloads(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    if not app.config.hide_solutions:
        return
    for group in context.get("header_buttons") or []:
        buttons = group.get("buttons") if isinstance(group, dict) else None
        if buttons:
            buttons[:] = [b for b in buttons if "_sources" not in str(b.get("url", ""))]


def _tag_student_edition(app: Sphinx, config) -> None:
    # ``{only} student`` / ``{only} not student`` blocks let a page say which edition it is in.
    if config.hide_solutions:
        app.tags.add("student")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.connect("config-inited", _tag_student_edition)
    app.add_node(hidden_solution_start)
    app.add_directive("solution-start", HidingSolutionStartDirective, override=True)
    app.add_transform(RemoveHiddenGatedSolutions)
    # After sphinx-book-theme has added its header buttons (default priority 500).
    app.connect("html-page-context", _drop_source_downloads, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
