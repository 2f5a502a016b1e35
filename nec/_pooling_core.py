"""The random-effects pooled response the first-line checker needs, on the standard library.

:func:`nec.pooling.pooled_response` (numpy, pandas, scipy) makes the first-line chapter's
pooled numbers and tables. The reader's browser (Pyodide) has none of those libraries, so
the exercise checker that marks a pooled response calls this core instead, which does the
same steps on plain records:

- :func:`select_arms`: the evidence rows of a regimen family, design, line and NEC-only
  response population, as :func:`nec.evidence.select` chooses them;
- :func:`responder_counts`: the responders behind each printed rate, with the same rules
  (and the same exclusions) as :func:`nec.pooling.responders`;
- :func:`pool_dl`: the DerSimonian–Laird random-effects pool of logit proportions, with
  metafor's continuity correction of 0.5 for an arm with 0 or n responders.

``tests/test_pooling_core.py`` compares each with the pandas path on the real evidence
table, and ``tests/reference_r/test_r_checker_core.py`` the pool with R's metafor.

>>> r = pool_dl([("A", 5, 8), ("B", 2, 21)])
>>> round(100 * r.proportion, 1), r.k, r.n_patients
(29.6, 2, 29)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from nec.pooling import CONTINUITY_CORRECTION, _printed_decimals


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def evidence_records(data_dir=None) -> list[dict]:
    """The rows of ``data/evidence.csv`` as dictionaries, checked against its dictionary
    (:func:`nec.data.records`: empty text is ``None``, an empty number ``nan``)."""
    from nec.data import records

    return records("evidence", data_dir=data_dir)


def select_arms(rows, *, family=None, design=None, line=None, nec_only=False) -> list[dict]:
    """The rows whose ``regimen_family``, ``design`` and ``line`` are among those given (each a
    value or a tuple of them; ``None``: any) and, with ``nec_only``, whose response population
    is NEC alone. Values are taken as the data dictionary writes them.

    >>> arms = select_arms(evidence_records(), family="carboplatin-etoposide")
    >>> sorted(r["study_id"] for r in arms)
    ['sevillaresua2025_case', 'sorbye2013_ec']
    """
    from nec.evidence import NEC_POPULATIONS

    def wanted(value, choice):
        if choice is None:
            return True
        return value in ((choice,) if isinstance(choice, str) else tuple(choice))

    return [r for r in rows
            if wanted(r["regimen_family"], family) and wanted(r["design"], design)
            and wanted(r["line"], line)
            and (not nec_only or r["response_population"] in NEC_POPULATIONS)]


def responder_counts(rows) -> tuple[list[tuple[str, int, int]], list[tuple[str, str]]]:
    """``([(study_id, responders, n)], [(study_id, reason)])``: the rules of
    :func:`nec.pooling.responders`, which names each reason for leaving a row out.

    >>> rows = [r for r in evidence_records() if r["study_id"] in ("zhang2020_ep", "kulke2006")]
    >>> used, excluded = responder_counts(rows)
    >>> used, len(excluded)
    ([('zhang2020_ep', 14, 33)], 1)
    """
    from nec.evidence import NEC_POPULATIONS

    used, excluded = [], []
    for row in rows:
        study, rate, population = row["study_id"], row["response_rate_pct"], \
            row["response_population"]
        if not _present(rate):
            excluded.append((study, "no response rate printed"))
            continue
        if population not in NEC_POPULATIONS:
            excluded.append((study, f"the rate is for a {population or 'unstated'} population"))
            continue
        if _present(row["n_response"]):
            n = int(row["n_response"])
        elif population == "nec" and _present(row["n_nec"]):
            n = int(row["n_nec"])
        else:
            excluded.append((study, "the denominator of the rate is not printed"))
            continue
        count = math.floor(rate * n / 100 + 0.5)
        tolerance = 0.5 * 10 ** -_printed_decimals(rate) + 1e-9
        if abs(100 * count / n - rate) > tolerance:
            excluded.append((study, f"{rate:g} % is not a whole-number share of n = {n}"))
            continue
        if _present(row["cr_n"]) and _present(row["pr_n"]) \
                and row["cr_n"] + row["pr_n"] != count:
            excluded.append((study, "printed CR + PR counts disagree with the rate"))
            continue
        used.append((study, count, n))
    return used, excluded


@dataclass(frozen=True)
class Pooled:
    """A DerSimonian–Laird random-effects pooled proportion (0–1) and what went into it."""

    proportion: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    k: int
    n_patients: int
    n_responders: int


def pool_dl(counts, level: float = 0.95) -> Pooled:
    """Pool ``[(label, responders, n)]`` on the logit scale with DerSimonian–Laird's τ²
    (truncated at 0), weights 1/(v + τ²) and a Wald interval, back-transformed; an arm with
    0 or n responders gets 0.5 added to responders and to non-responders (metafor's
    ``escalc("PLO")``). I² = τ²/(τ² + s²), Higgins & Thompson's typical within-arm s².

    >>> r = pool_dl([("A", 14, 33), ("B", 14, 33)])
    >>> round(r.proportion, 3), r.tau2, r.i2
    (0.424, 0.0, 0.0)
    """
    counts = list(counts)
    if len(counts) < 2:
        raise ValueError(f"Pooling needs at least two arms with a responder count; "
                         f"{len(counts)} given.")
    effect, variance = [], []
    for _, x, n in counts:
        if x in (0, n):
            x, n = x + CONTINUITY_CORRECTION, n + 2 * CONTINUITY_CORRECTION
        p = x / n
        effect.append(math.log(p / (1 - p)))
        variance.append(1 / (n * p * (1 - p)))
    k = len(counts)
    w = [1 / v for v in variance]
    sw, sw2 = sum(w), sum(wi * wi for wi in w)
    mu_fe = sum(wi * y for wi, y in zip(w, effect, strict=True)) / sw
    q = max(sum(wi * (y - mu_fe) ** 2 for wi, y in zip(w, effect, strict=True)), 0.0)
    tau2 = max((q - (k - 1)) / (sw - sw2 / sw), 0.0)
    w_re = [1 / (v + tau2) for v in variance]
    mean = sum(wi * y for wi, y in zip(w_re, effect, strict=True)) / sum(w_re)
    se = 1 / math.sqrt(sum(w_re))
    s2 = (k - 1) * sw / (sw * sw - sw2)
    i2 = tau2 / (tau2 + s2) if tau2 > 0 else 0.0
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)

    def expit(v):
        return 1 / (1 + math.exp(-v))

    return Pooled(proportion=expit(mean), ci_low=expit(mean - z * se),
                  ci_high=expit(mean + z * se), tau2=tau2, i2=i2, q=q, k=k,
                  n_patients=sum(n for _, _, n in counts),
                  n_responders=sum(x for _, x, _ in counts))
