"""The Luo 2024 nomogram on the standard library alone: what the dynamic nomogram computes.

The live book runs the dynamic nomogram explorer in the reader's browser, where there is no
numpy, pandas or matplotlib. Everything that explorer needs is here, on ``math``:

- :func:`luo2024_export`: the reconstructed model as plain JSON-ready records: points per
  predictor level, the size axis (its range and points per cm), points per unit of linear
  predictor, each year's baseline log(−log S₀), where each printed survival axis of Table 4
  starts and ends, and the Weibull baseline the curve uses between the printed years;
- :class:`LiveNomogram`: that export evaluated: the points and survival of
  :func:`nec.published.luo2024` (the same :class:`~nec.published.ReconstructedNomogram`,
  rebuilt from the records, so a patient's points, survival and refusal sentences are the
  published module's own), the printed axes, and the survival curve to a given month.

:func:`nec.published.luo2024` stays the model the chapter teaches (its audit and hazard-ratio
checks use pandas); ``tests/test_nomogram_core.py`` proves the export reproduces it exactly,
and the Weibull fit equals :func:`nec.cohort.baseline_weibull` (numpy's least squares).

>>> live = LiveNomogram.from_export(luo2024_export())
>>> round(live.model.points(size_cm=4, resection="yes", treatment="neither").total, 1)
94.3
>>> live.printed_axes[1].last_points
142.0
"""

from __future__ import annotations

import functools
import math

from nec import _nomogram_checks as _checks
from nec import _validate
from nec.published import YEARS, ReconstructedNomogram, SurvivalAxis

#: Months per year on the survival axes of Table 4 (1, 3 and 5 years are 12, 36, 60 months),
#: the times the Weibull baseline is fitted at, as :func:`nec.cohort.baseline_weibull` does.
MONTHS_PER_YEAR = 12
#: The export's format: a reader of the JSON checks it before trusting the fields.
EXPORT_VERSION = 1
#: The longest curve drawn: the paper's last survival axis is at 5 years (60 months), and a
#: Weibull baseline fitted at 1, 3 and 5 years says nothing about the tail beyond twice that.
MAX_CURVE_MONTHS = 120
#: At most this many segments per curve: a smooth line on a 650 px plot needs ~100; more only
#: slows the browser.
MAX_CURVE_STEPS = 1000


def printed_survival_axes(records) -> dict[int, SurvivalAxis]:
    """Where each printed survival axis starts and ends, from the table's records.

    ``records`` are the rows of ``data/luo2024_nomogram.csv`` (:func:`nec.data.records`);
    the ``total_points`` rows of axis ``survival_<n>y`` are that axis' ticks. The same reading
    as :meth:`nec.published.ReconstructedNomogram.survival_axis`, without pandas.
    """
    if not isinstance(records, list | tuple) or not all(
            isinstance(r, dict) and {"kind", "axis", "value", "level"} <= set(r)
            for r in records):
        raise ValueError("printed_survival_axes() takes the rows of data/luo2024_nomogram.csv "
                         "(nec.data.records('luo2024_nomogram')): records with the columns "
                         "kind, axis, level and value.")
    ticks: dict[int, list[tuple[float, float]]] = {}
    for r in records:
        if r["kind"] != "total_points":
            continue
        year = int(r["axis"].split("_")[1].rstrip("y"))
        ticks.setdefault(year, []).append((float(r["value"]), float(r["level"])))
    axes = {}
    for year in sorted(ticks):
        marks = sorted(ticks[year])
        axes[year] = SurvivalAxis(year=year, first_points=marks[0][0], last_points=marks[-1][0],
                                  first_survival=marks[0][1], last_survival=marks[-1][1])
    return axes


def weibull_through(baseline_survival: dict) -> tuple[float, float]:
    """Weibull (shape, scale in months) through a baseline survival at whole years.

    H₀(t) = (t / scale)^shape fitted by ordinary least squares of log H₀ on log t (t in
    months), the straight line :func:`nec.cohort.baseline_weibull` fits with numpy.

    >>> shape, scale = weibull_through({1: math.exp(-1), 2: math.exp(-2)})
    >>> round(shape, 6), round(scale, 6)
    (1.0, 12.0)
    """
    if not isinstance(baseline_survival, dict) or len(baseline_survival) < 2 or not all(
            _is_number(y) and y > 0 and _is_number(s) and 0 < s < 1
            for y, s in baseline_survival.items()):
        raise ValueError("weibull_through() takes a baseline survival at two or more years, "
                         "{year: survival}, each year above 0 and each survival strictly "
                         f"between 0 and 1, not {baseline_survival!r:.60}.")
    if len({float(y) for y in baseline_survival}) < 2 or \
            len({float(s) for s in baseline_survival.values()}) < 2:
        raise ValueError("weibull_through() needs two different years with two different "
                         "survivals to draw a line through them.")
    xs = [math.log(MONTHS_PER_YEAR * year) for year in baseline_survival]
    ys = [math.log(-math.log(s)) for s in baseline_survival.values()]
    x_mean, y_mean = sum(xs) / len(xs), sum(ys) / len(ys)
    shape = (sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
             / sum((x - x_mean) ** 2 for x in xs))
    intercept = y_mean - shape * x_mean
    return shape, math.exp(-intercept / shape)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=1)
def _export() -> dict:
    from nec.published import luo2024, records_of_luo2024

    model = luo2024()
    axes = printed_survival_axes(records_of_luo2024())
    shape, scale = weibull_through(model.baseline_survival(YEARS))
    return {
        "version": EXPORT_VERSION,
        "source": model.source,
        "points_per_lp": model.points_per_lp,
        "size_cm": {"range": list(model.size_range_cm),
                    "points_per_cm": model.size_points_per_cm},
        "level_points": {p: dict(levels) for p, levels in model.level_points.items()},
        "log_cumhaz0": {str(y): c for y, c in model.log_cumhaz0.items()},
        "printed_axes": {str(y): {"first_points": a.first_points, "last_points": a.last_points,
                                  "first_survival": a.first_survival,
                                  "last_survival": a.last_survival} for y, a in axes.items()},
        "weibull": {"shape": shape, "scale_months": scale},
    }


def luo2024_export() -> dict:
    """The reconstructed Luo 2024 model as JSON-ready records (see the module docstring).

    A new dictionary on every call (the reading of the table is cached), so a caller may
    change it freely.

    >>> export = luo2024_export()
    >>> export["level_points"]["resection"], export["printed_axes"]["5"]["last_points"]
    ({'yes': 0.0, 'no': 51.0}, 88.0)
    """
    import copy

    return copy.deepcopy(_export())


class LiveNomogram:
    """The Luo 2024 nomogram evaluated from :func:`luo2024_export`'s records, with ``math``.

    ``model`` is a :class:`~nec.published.ReconstructedNomogram` (``points``, ``survival``,
    ``max_total_points``), ``printed_axes`` the :class:`~nec.published.SurvivalAxis` of each
    year, ``weibull`` the (shape, scale in months) of the curve's baseline.
    """

    def __init__(self, model: ReconstructedNomogram, printed_axes: dict, weibull: tuple):
        self.model = model
        self.printed_axes = printed_axes
        self.weibull = weibull

    @classmethod
    def from_export(cls, export: dict) -> LiveNomogram:
        """Rebuild the nomogram from :func:`luo2024_export`'s records (or their JSON)."""
        if not isinstance(export, dict) or export.get("version") != EXPORT_VERSION:
            raise ValueError(f"A nomogram export is the dictionary luo2024_export() returns "
                             f"(version {EXPORT_VERSION}), not {type(export).__name__} "
                             f"{str(export)[:40]!r}.")
        model = ReconstructedNomogram(
            points_per_lp=export["points_per_lp"],
            size_points_per_cm=export["size_cm"]["points_per_cm"],
            size_range_cm=tuple(export["size_cm"]["range"]),
            level_points={p: dict(v) for p, v in export["level_points"].items()},
            log_cumhaz0={int(y): c for y, c in export["log_cumhaz0"].items()},
            source=export["source"])
        axes = {int(y): SurvivalAxis(year=int(y), **a) for y, a in export["printed_axes"].items()}
        weibull = (export["weibull"]["shape"], export["weibull"]["scale_months"])
        return cls(model, axes, weibull)

    def beyond_printed_axes(self, total: float) -> tuple[int, ...]:
        """The years whose printed survival axis does not reach ``total`` points (a total on
        the total-points axis, 0 to ``model.max_total_points``).

        >>> luo2024_live().beyond_printed_axes(100)
        (5,)
        """
        total = _checks.total_points(total, max_total=self.model.max_total_points)
        return tuple(y for y, axis in self.printed_axes.items() if not axis.covers(total))

    def survival_curve(self, total: float, end_months: float, steps: int = 120):
        """Survival of a patient with ``total`` points from 0 to ``end_months``, on the Weibull
        baseline: ``(months, survival)``, two lists of ``steps + 1`` numbers.

        The 0-point patient at 12, 36 and 60 months, near the model's own 1-, 3- and 5-year
        survival through which the Weibull is fitted (0.976, 0.922, 0.859:
        :meth:`~nec.published.ReconstructedNomogram.baseline_survival`):

        >>> months, s = luo2024_live().survival_curve(0, 60, steps=5)
        >>> months[1::2], [round(x, 3) for x in s[1::2]]
        ([12.0, 36.0, 60.0], [0.976, 0.92, 0.862])
        """
        total = _checks.total_points(total, max_total=self.model.max_total_points)
        end_months = _validate.number(end_months, name="The curve's end", unit=" months",
                                      low=0, high=MAX_CURVE_MONTHS, low_inclusive=False)
        steps = _validate.count(steps, name="The number of curve steps", low=1,
                                high=MAX_CURVE_STEPS)
        shape, scale = self.weibull
        relative_hazard = math.exp(total / self.model.points_per_lp)
        months = [end_months * i / steps for i in range(steps + 1)]
        return months, [math.exp(-((m / scale) ** shape) * relative_hazard) for m in months]


@functools.lru_cache(maxsize=1)
def luo2024_live() -> LiveNomogram:
    """The Luo 2024 nomogram as the dynamic nomogram explorer uses it (made once)."""
    return LiveNomogram.from_export(_export())


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
