"""ipywidgets explorers for workshops.

Each explorer is a thin view: it reads its controls, calls a tested function of the
science modules, and shows the result — or, when the input is wrong, the sentence of the
``ValueError`` that function raised. Nothing is computed here that the science modules do
not already offer.

Every explorer can be driven from Python (``set(...)``, then read ``result``, ``error``
and ``output.value``) so that tests and instructors' scripts exercise exactly what a
workshop participant sees.

One module per explorer (``grading_view``, ``dosing_view``, ``options_view``,
``nomogram_view``, with the shared plumbing in ``_base``); this package re-exports them, so
``nec.widgets.grading_explorer()`` is the way to make one.
"""

from __future__ import annotations

from nec.widgets._base import _assign, _error_html, _Explorer, _number_with_slider
from nec.widgets.audit_view import AuditExplorer, audit_explorer  # noqa: F401
from nec.widgets.dosing_view import DosingExplorer, dosing_explorer
from nec.widgets.grading_view import GradingExplorer, grading_explorer
from nec.widgets.nomogram_view import NomogramExplorer, nomogram_explorer
from nec.widgets.options_view import OptionsExplorer, options_explorer

__all__ = [
    "GradingExplorer", "grading_explorer", "DosingExplorer", "dosing_explorer",
    "OptionsExplorer", "options_explorer", "NomogramExplorer", "nomogram_explorer",
    "_Explorer", "_assign", "_error_html", "_number_with_slider",
]
