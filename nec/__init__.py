"""nec: the helper package of nec-book, a teaching book on poorly differentiated
gastroenteropancreatic neuroendocrine carcinoma.

The science lives in small modules, each imported only when first used so that
``import nec`` stays quick:

- :mod:`nec.grading`: WHO grading (2010, 2017, 2019, 2022) — ``nec.grading.classify``.
- :mod:`nec.dosing`: BSA, Cockcroft–Gault, Calvert with the GFR cap, regimen dose sheets.
- :mod:`nec.evidence`: the study arms of the evidence table, loaded, checked, selected.
- :mod:`nec.pooling`: Wilson intervals, responder counts, the random-effects pooled response.
- :mod:`nec.cohort`: a SYNTHETIC cohort shaped like Luo 2024's Table 1 and Cox model.
- :mod:`nec.survival_stats`: Kaplan–Meier medians, log-rank and trend tests, reverse-KM
  follow-up, and R's ``cox.zph`` proportional-hazards test.
- :mod:`nec.immortal_time`: a simulation of immortal-time bias, with landmark and
  time-varying analyses that remove it.
- :mod:`nec.validation`: Harrell's C with Efron–Gong optimism correction, as rms does.
- :mod:`nec.nomogram`: the Luo 2024 nomogram recovered from its printed table, and
  rms-style nomograms built from any lifelines Cox model (``Nomogram.from_cox``).
- :mod:`nec.published`: published nomograms read back from their printed tables (Luo 2024).
- :mod:`nec.points_table`: the general reader: any Cox nomogram's points table in, the
  recovered model, its rounding bounds and its inconsistencies out (standard library only).
- :mod:`nec.linearity`: restricted cubic splines and a nonlinearity test, as rms does.
- :mod:`nec.decision_curve`: net benefit of a survival model at a time (decision curves).
- :mod:`nec.survival_curves`: curves from a reported median, and their error.
- :mod:`nec.data`: the curated tables in ``data/``, validated against their dictionaries.
- :mod:`nec.exercises`: checkers for the book's exercises — ``nec.exercises.check``.
- :mod:`nec.plotting`: the book's figures, in one colour-blind-safe style
  (:mod:`nec.evidence_plots`: the forest and survival plots of the evidence).
- :mod:`nec.tables`: one way to show a table or a result sentence on the page.
- :mod:`nec.widgets`: ipywidgets explorers for workshops (thin views over the above).

This package teaches; it is not a medical device and does not advise on patient care.

>>> import nec
>>> nec.grading.classify(ki67=8, mitoses_per_2mm2=1, differentiation="well",
...                      edition=2019).category
'NET G2'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
__all__ = [
    "grading", "dosing", "evidence", "pooling", "cohort", "nomogram", "published", "points_table",
    "validation", "survival_curves", "survival_stats", "immortal_time", "linearity",
    "decision_curve", "data", "exercises", "plotting", "evidence_plots", "tables", "widgets",
]


def __getattr__(name: str):
    # Submodules load on first use: matplotlib, pandas and ipywidgets are slow to import.
    if name in __all__:
        module = importlib.import_module(f"nec.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'nec' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
