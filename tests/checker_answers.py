"""Typed answers to every exercise, as a reader types them in the book's answer boxes.

One table for three tests, so that they cannot drift apart:

- ``tests/test_checker_answers.py`` (CPython, and Pyodide in Node): every exercise is in the
  table; each "right" answer is marked correct, each "wrong" one is marked not correct with
  feedback about the answer, each "bad" one is asked for again in the right form;
- ``tests/pyodide/pyodide_checker_feedback.py`` (Pyodide in Node): every answer's feedback
  equals CPython's (``tests/pyodide/checker_feedback.py`` writes CPython's);
- ``tests/browser/test_live.py`` (headless Chromium): the first right, wrong and bad answer
  of each exercise typed into its answer box on the built page shows CPython's feedback.

Right answers are the values the chapters' solutions compute (rounded as the questions ask);
wrong answers are the slips each checker names (the whole cohort for the women, the trend
test for the pair, the apparent C, …).
"""

from __future__ import annotations

#: exercise id -> {"right": [typed, ...], "wrong": [...], "bad": [...]}
ANSWERS: dict[str, dict[str, list[str]]] = {
    "audit-veteran": {
        "right": ["{'smallcell_hr': 2.07, 'karno_coefficient': -0.0311, 'baseline_90d': 0.881}"],
        "wrong": ["{'smallcell_hr': 2.04, 'karno_coefficient': 0.0311, 'baseline_90d': 0.5}"],
        "bad": ["2.07", ""],
    },
    "audit-grade": {  # 37+28+71+81+28 = 245; (55-28)/(37-28) = 3.0
        "right": ["{'total': 245, 'supportive_vs_weight_loss': 3.0}"],
        "wrong": ["{'total': 189, 'supportive_vs_weight_loss': 1.49}"],
        "bad": ["245", ""],
    },
    "firstline-wilson": {
        "right": ["30.6"], "wrong": ["62.5", "0.306", "86.3"], "bad": ["low", ""]},
    "firstline-carboplatin-cap": {
        "right": ["750"], "wrong": ["958", "833"], "bad": ["a lot", ""]},
    "firstline-crcl-weight": {
        "right": ["77.1"], "wrong": ["105.4", "58.3"], "bad": ["normal", ""]},
    "firstline-etoposide-cycle": {
        "right": ["545"], "wrong": ["182", "300"], "bad": ["545 mg", ""]},
    "firstline-pooled-retrospective": {
        "right": ["32.0", "32"], "wrong": ["50.3", "39.3", "31.9", "0.32"],
        "bad": ["about a third", ""]},
    "grading-discordant": {
        "right": ["NET G3"], "wrong": ["NET G2", "NEC, large-cell"], "bad": ["42", ""]},
    "grading-hpf": {"right": ["1.7"], "wrong": ["12", "2.4"], "bad": ["few", ""]},
    "grading-editions": {
        "right": ["{'2010': 'NEC G3', '2019': 'NET G3'}"],
        "wrong": ["{'2010': 'NET G3', '2019': 'NET G3'}"], "bad": ["NET G3", ""]},
    "grading-case": {
        "right": ["{'fna': 'NET G2', 'resection': 'NEC, large-cell'}"],
        "wrong": ["{'fna': 'NET G3', 'resection': 'NEC, small-cell'}"], "bad": ["NET G2", ""]},
    "grading-ki67-interval": {
        "right": ["20.5"], "wrong": ["24", "27.9"], "bad": ["twenty", ""]},
    "nomogram-points": {"right": ["178.7"], "wrong": ["127.7", "189.8"], "bad": ["many", ""]},
    "nomogram-hr-from-points": {
        "right": ["3.38"], "wrong": ["1.22", "3.31"], "bad": ["three", ""]},
    "nomogram-size-hazard": {
        "right": ["29.6"], "wrong": ["13.1", "43.1"], "bad": ["thirty", ""]},
    "nomogram-net-benefit": {
        "right": ["{'model': 0.188, 'treat_all': 0.312}"],
        "wrong": ["{'model': 0.15, 'treat_all': -0.1}"], "bad": ["0.188", ""]},
    "nomogram-gbsg2": {
        "right": ["0.653", "0.6527"], "wrong": ["0.657", "0.5", "1.2"], "bad": ["high", ""]},
    "secondline-exponential-6m": {
        "right": ["62.7"], "wrong": ["60", "0.627"], "bad": ["most", ""]},
    "secondline-long-survivor": {
        "right": ["21.2"], "wrong": ["11.1", "0.212"], "bad": ["a fifth", ""]},
    "secondline-rfi": {"right": ["26.9"], "wrong": ["33", "31"], "bad": ["long", ""]},
    "secondline-interval-option": {
        "right": ["Platinum–etoposide rechallenge"], "wrong": ["FOLFIRI"], "bad": ["12", ""]},
    "secondline-prrt": {
        "right": ["('no', 'not stated')"], "wrong": ["('yes', 'shown')", "('no', 'shown')"],
        "bad": ["no", ""]},
    "survival-epv": {
        "right": ["4", "4.0"], "wrong": ["6", "4.5", "3.6", "5", "2"], "bad": ["nine", ""]},
    "survival-logrank": {
        "right": ["12.07", "12.1"], "wrong": ["16.99", "14.27", "0.0005", "25"],
        "bad": ["chi2", ""]},
    "survival-follow-up": {
        "right": ["{'reverse_km': 80.92, 'observed': 25.59}", "[80.9, 25.6]"],
        "wrong": ["{'reverse_km': 73.59, 'observed': 21.98}",
                  "{'reverse_km': 29.35, 'observed': 25.6}",
                  "{'reverse_km': 25.59, 'observed': 80.92}"],
        "bad": ["80.92", "{'reverse_km': 80.92}", ""]},
    "survival-trend": {
        "right": ["15.15", "15.2"], "wrong": ["14.27", "16.29", "16.99", "0.0001", "3"],
        "bad": ["trend", ""]},
    "survival-immortal": {
        "right": ["{'naive': 0.66, 'landmark': 1.15}", "[0.663, 1.146]"],
        "wrong": ["{'naive': 1.51, 'landmark': 0.98}", "{'naive': 0.66, 'landmark': 0.66}",
                  "{'naive': 0.9, 'landmark': 1.5}"],
        "bad": ["0.66", "{'naive': 0.66}", ""]},
}


def typed_answers():
    """(exercise id, kind, typed text) for every answer of the table."""
    return [(exercise, kind, typed) for exercise, kinds in ANSWERS.items()
            for kind, texts in kinds.items() for typed in texts]
