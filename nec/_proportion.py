"""The Wilson score interval for a proportion, on the standard library alone.

Shared by :func:`nec.grading.ki67_interval` (a Ki-67 index is a share of counted cells) and
:func:`nec.pooling.wilson_interval` (a response rate), so that both run wherever Python runs,
the live book included. Wilson (1927); the same interval as statsmodels'
``proportion_confint(method="wilson")``, which the tests compare it with.
"""

from __future__ import annotations

import math
from statistics import NormalDist


def wilson_score(successes: float, n: float, level: float) -> tuple[float, float]:
    """(low, high) of the Wilson score interval for ``successes / n`` at ``level``.

    Inputs are taken as checked by the caller (0 ≤ successes ≤ n, n > 0, 0 < level < 1).

    >>> [round(b, 4) for b in wilson_score(5, 10, 0.95)]
    [0.2366, 0.7634]
    """
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = successes / n
    z2_n = z * z / n
    centre = (p + z2_n / 2) / (1 + z2_n)
    half_width = z * math.sqrt(p * (1 - p) / n + z2_n / (4 * n)) / (1 + z2_n)
    return centre - half_width, centre + half_width
