"""ipywidgets explorers for workshops.

Each explorer is a thin view: it reads its controls, calls a tested function of the
science modules, and shows the result — or, when the input is wrong, the sentence of the
``ValueError`` that function raised. Nothing is computed here that the science modules do
not already offer.

Every explorer can be driven from Python (``set(...)``, then read ``result``, ``error``
and ``output.value``) so that tests and instructors' scripts exercise exactly what a
workshop participant sees.

One module per explorer (``grading_view``, ``dosing_view``, ``options_view``,
``nomogram_view``, ``audit_view``, with the shared plumbing in ``_base``); this package
re-exports them, so ``nec.widgets.grading_explorer()`` is the way to make one.
"""

from __future__ import annotations

import importlib

#: Each public name and the module that defines it. They load on first use, so that the live
#: book's browser imports only the view its page shows (and its science module), not all five.
_WHERE = {
    "GradingExplorer": "grading_view", "grading_explorer": "grading_view",
    "DosingExplorer": "dosing_view", "dosing_explorer": "dosing_view",
    "OptionsExplorer": "options_view", "options_explorer": "options_view",
    "NomogramExplorer": "nomogram_view", "nomogram_explorer": "nomogram_view",
    "AuditExplorer": "audit_view", "audit_explorer": "audit_view",
    "_Explorer": "_base", "_assign": "_base", "_error_html": "_base",
    "_number_with_slider": "_base",
}

__all__ = [
    "GradingExplorer", "grading_explorer", "DosingExplorer", "dosing_explorer",
    "OptionsExplorer", "options_explorer", "NomogramExplorer", "nomogram_explorer",
    "AuditExplorer", "audit_explorer", "_Explorer", "_assign", "_error_html", "_number_with_slider",
]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"nec.widgets.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nec.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
