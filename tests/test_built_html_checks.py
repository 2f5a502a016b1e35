"""The built-HTML checks (tests/browser/built_html.py) find what they are for, on small pages.

The checks themselves run on the real build in the browser stage (tests/browser/
test_built_html.py); here each is shown a page with the fault and one without.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import built_html  # noqa: E402


def page(body: str) -> str:
    return (f'<html><body><nav>study_id NaN {{cite:p}}</nav><main><article class="bd-article">'
            f'{body}</article></main></body></html>')


def cell(source: str, output: str) -> str:
    return (f'<div class="cell docutils container"><div class="cell_input docutils container">'
            f'<div class="highlight-ipython3 notranslate"><pre>{source}</pre></div></div>'
            f'<div class="cell_output docutils container"><div class="output stream '
            f'highlight-myst-ansi notranslate"><pre>{output}</pre></div></div></div>')


def table(header: list[str], rows: list[list[str]], caption: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def widget_state(text: str, key: str = "value") -> str:
    """A page's saved explorer state (as myst-nb writes it) holding one HTML model's text."""
    import json

    state = {"version_major": 2, "version_minor": 0, "state": {"m1": {
        "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0", "state": {key: text, "layout": "IPY_MODEL_m2"}}}}
    return (f'<script type="application/vnd.jupyter.widget-state+json">{json.dumps(state)}'
            "</script>")


# (check, page with the fault, fragment of the finding)
FAULTS = [
    ("visible_myst_source", "<p>The worst score is {glue:text}<code>ph_worst</code>.</p>",
     "MyST role source visible: …The worst score is {glue:text}"),
    ("visible_myst_source", "<p>As shown {cite:p}<code>luo2024</code>.</p>", "{cite:p}"),
    ("visible_myst_source", "<p>See {term}`Ki-67`.</p>", "{term}`"),
    ("visible_myst_source", '<div class="highlight-default"><pre>```{exercise} x</pre></div>'
                            "<p>```{exercise} grading-1</p>", "MyST directive source visible"),
    ("visible_myst_source", "<p>:label: grading-discordant</p>", "MyST directive option"),
    ("visible_myst_source", "<p>Text :class: dropdown more</p>", "MyST directive option"),
    ("repeated_sentences",
     "<p>The pooled response is 41 % across the arms.</p>"
     "<p>The pooled response is 41 % across the arms. Then more.</p>",
     "sentence printed twice in a row: 'The pooled response is 41 % across the arms.'"),
    ("stray_none_outputs", cell("summary(fit)", "C-index 0.74\nNone"),
     "a cell prints a stray None: 'C-index 0.74 / None'"),
    ("warnings_in_outputs",
     cell("calibration(fit)", "/x/site-packages/lifelines/calibration.py:45: RuntimeWarning: "
                              "divide by zero"), "warning text on the page: '/x/site-packages/"),
    ("warnings_in_outputs",
     '<div class="cell_output docutils container"><div class="output stderr"><pre>note</pre>'
     "</div></div>", "warning text on the page: 'note'"),
    ("raw_pandas_in_tables", table(["Study", "ORR"], [["A", "NaN"], ["B", "31"]]),
     "table 1: missing values shown as NaN"),
    ("raw_pandas_in_tables", table(["Study", "Year"], [["A", "&lt;NA&gt;"], ["B", "2013"]]),
     "missing values shown as <NA>"),
    ("raw_pandas_in_tables", table(["", "Study"], [["0", "A"], ["1", "B"], ["2", "C"]]),
     "a bare 0..2 index column"),
    ("raw_pandas_in_tables", table(["study_id", "n_nec"], [["a", "3"], ["b", "4"]], "Arms"),
     "table 1 ('Arms'): column headers in code form: study_id, n_nec"),
    ("raw_pandas_in_tables", table(["Study", "Patients"], [["A", "129.0"], ["B", "23.0"]]),
     "whole numbers shown as floats in 'Patients' (e.g. 129.0)"),
    ("internal_references", "<p>Welin's series (seed 001 thinks some were NET G3).</p>",
     "a source paper by its project number in the text: …Welin's series (seed 001"),
    ("internal_references", "<p>Seed 002 quotes a CAPTEM series.</p>", "project number"),
    ("internal_references", table(["Edition", "Cut-offs read in"], [["2017", "seed paper"],
                                                                     ["2019", "UpToDate"]]),
     "a source paper by its project name in the text"),
    ("internal_references", "<p>read in a secondary source (clinical_facts.md §4.5)</p>",
     "the project's fact sheet by its file name"),
    ("internal_references", "<p>The CABONEN report our fact sheet read.</p>",
     "the project's fact sheet in the text"),
    ("internal_references", "<p>As described in <code>book/instructors.md</code>.</p>",
     "a Markdown file name in the text"),
    # What an explorer shows lives in the page's saved widget state, outside the article.
    ("internal_references", "<p>Explorer:</p>" + widget_state(
        "<b>Caveats</b>: no place was available (seed 000)"),
     "a source paper by its project number in the explorer: …"),
    ("internal_references", "<p>Audit:</p>" + widget_state(
        'nomo_size_1,points,size_cm,1,,0,"Luo 2024 (seed 002), Table 4",', key="value"),
     "(seed 002"),
]


@pytest.mark.parametrize("check, body, fragment", FAULTS)
def test_each_check_finds_its_fault(check, body, fragment):
    findings = getattr(built_html, check)(built_html.parse(page(body)))
    assert any(fragment in f for f in findings), findings


CLEAN = [
    # Code that merely looks like MyST, inside a code cell's source, is code.
    cell('glue("ph_worst", 0.3)\nprint("{glue:text}")', "done"),
    "<p>Ki-67 55 % {a set} and a dict {'a': 1}.</p>",
    # Two different sentences, and a short one repeated ("Yes. Yes.") is not a finding.
    "<p>The first arm responded. The second arm did not.</p><p>Yes. Yes.</p>",
    # 'None' inside a sentence of output is not a stray None.
    cell("print(x)", "None of the arms reached 50 %."),
    table(["Study", "Patients", "HR"], [["A", "129", "2.0"], ["B", "23", "0.8"]], "Arms"),
    table(["Row", "Study"], [["1", "A"], ["2", "B"]]),
    table(["Study", "Median OS"], [["A", "–"], ["B", "12.5"]]),
    table(["Feature", "Status"], [["MSI", "none"], ["TMB", "high"]]),
    cell("print(rule)", "Error rates differ between editions."),
    # A clinical warning printed by the dose sheet is for the reader.
    cell("print(sheet)", "Warning: BMI 37.6 kg/m²: actual weight overestimates clearance."),
    # A random seed is not a source paper; a citation by name is what the reader needs; a data
    # file the reader can open is named as such; code may name anything.
    "<p>A second synthetic cohort with another seed (seed 2024) differs; simulate(seed=3).</p>",
    "<p>The Thomas 2019 review names liver dysfunction (data/second_line_options.csv).</p>",
    cell('open("README.md")  # seed 001', "read"),
    "<p>Explorer:</p>" + widget_state("no place was available (Sevilla-Resúa 2025)"),
    # Plumbing keys of a widget's state are not shown.
    "<p>Explorer:</p>" + widget_state("seed 001", key="_view_name"),
]


@pytest.mark.parametrize("body", CLEAN)
def test_a_clean_page_has_no_findings(body):
    article = built_html.parse(page(body))
    assert {name: check(article) for name, check in built_html.CHECKS.items()} == {
        name: [] for name in built_html.CHECKS}


def test_the_theme_navigation_is_not_read():
    # page() puts faults in <nav>: only the article counts.
    article = built_html.parse(page("<p>Fine.</p>"))
    assert all(not check(article) for check in built_html.CHECKS.values())
