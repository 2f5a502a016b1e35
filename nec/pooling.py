"""Response proportions from the evidence: Wilson intervals and a random-effects pool.

- :func:`wilson_interval`: a response rate's confidence interval from responders and n;
- :func:`responders`: the count of responders behind each printed rate of the evidence
  table (:mod:`nec.evidence`), only where the denominator can be defended;
- :func:`pooled_response`: a random-effects pooled response proportion, from evidence
  rows or from a user's own ``(responders, n)`` counts, with τ² by DerSimonian–Laird or
  Paule–Mandel and I² by the τ²-based definition (Higgins & Thompson 2002), which for
  DerSimonian–Laird is the familiar (Q − df)/Q.

The arithmetic is checked against R's metafor (``escalc("PLO")`` + ``rma``) in
``tests/reference_r/test_r_pooling.py``. This module draws nothing: the figures are in
:mod:`nec.evidence_plots`.

>>> r = pooled_response([(14, 33), (14, 33)])
>>> round(r.proportion, 3), r.tau2, r.i2
(0.424, 0.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from nec import _validate

#: Added to responders and to non-responders of an arm with 0 or n responders, whose logit
#: is otherwise infinite (the usual 1/2, as in metafor's ``escalc(add=1/2, to="only0")``).
CONTINUITY_CORRECTION = 0.5

_METHODS = {"dl": "DerSimonian-Laird", "pm": "Paule-Mandel"}

#: The most patients one study arm can have: more than any trial or registry series of
#: GEP-NEC; a larger count is a typing slip (and beyond it floats lose whole numbers).
PATIENTS_MAX = 1_000_000



def wilson_interval(events, n, level=0.95) -> tuple[float, float]:
    """Wilson score confidence interval for a proportion ``events / n``, as proportions.

    The Wilson interval keeps its coverage for the small series typical of NEC (n of
    8–30) and never leaves 0–1, unlike the Wald interval p ± z·√(p(1−p)/n), which is
    degenerate at 0 or n events. The same interval as statsmodels'
    ``proportion_confint(method="wilson")`` (Wilson 1927; Newcombe 1998), computed on the
    standard library (:mod:`nec._proportion`) so that it runs in the live book too.

    Parameters
    ----------
    events
        Number of patients with the event, e.g. responders (a whole number, 0 ≤ events ≤ n).
    n
        Number of patients (a whole number ≥ 1).
    level
        Confidence level, 0.5 ≤ level < 1 (default 0.95).

    Returns
    -------
    (low, high)
        Bounds as proportions in [0, 1].

    >>> [round(b, 4) for b in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    from nec._proportion import wilson_score

    n = _whole(n, name="The number of patients", low=1)
    events = _whole(events, name="The number of patients with the event", low=0)
    if events > n:
        raise ValueError(f"The number of patients with the event ({events}) cannot exceed "
                         f"the number of patients ({n}).")
    low, high = _validate.CONFIDENCE_LEVEL_RANGE
    lv = _validate.number(level, name="The confidence level", low=low, high=high,
                          high_inclusive=False)
    low, high = wilson_score(events, n, lv)
    # The Wilson interval always contains events/n and is exactly 0 (1) at 0 (n) events;
    # floating point can put a bound a hair off, so clip it.
    p = events / n
    return min(max(float(low), 0.0), p), max(min(float(high), 1.0), p)


def _whole(value, *, name: str, low: int) -> int:
    v = _validate.number(value, name=name, low=low)
    if v > PATIENTS_MAX:
        raise ValueError(f"{name} must be at most {PATIENTS_MAX:,} (got {v:,.0f}): more than "
                         "any study arm; check for a typing slip.")
    if v != int(v):
        raise ValueError(f"{name} must be a whole number (got {v:g}).")
    return int(v)


@dataclass(frozen=True)
class ResponderCounts:
    """Responders per arm, where a count can be defended; see :func:`responders`.

    Attributes
    ----------
    counts
        :class:`pandas.DataFrame` indexed by study_id with ``responders``, ``n`` (the
        denominator), ``n_from`` (which column gave n), ``response_rate_pct`` (as
        printed) and ``regimen_family``.
    excluded
        ``(study_id, reason)`` for every row given that has no defensible count.
    """

    counts: object
    excluded: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def n_excluded(self) -> int:
        return len(self.excluded)

    def summary(self) -> str:
        c = self.counts
        lines = [
            "Responders derived from printed response rates",
            "responders = round(response_rate_pct × n / 100); n = printed denominator "
            "(n_response) or, for an NEC-only rate, n_nec",
            f"Rows with a count: {len(c)}; rows excluded: {self.n_excluded}",
        ]
        lines += [f"  {s}: {int(r.responders)}/{int(r.n)} (printed {r.response_rate_pct:g} %, "
                  f"n from {r.n_from})" for s, r in c.iterrows()]
        lines += [f"  excluded {s}: {why}" for s, why in self.excluded]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _printed_decimals(x: float) -> int:
    text = f"{x:.10g}"
    return min(len(text.partition(".")[2]), 2)


def responders(frame) -> ResponderCounts:
    """The number of responders behind each printed response rate, where it can be defended.

    A response rate was printed, not a count, so the count is derived:
    ``responders = round(response_rate_pct × n / 100)``, half up, with ``n`` the
    denominator of *that* rate:

    - ``n_response`` when the source prints the denominator (e.g. TOPIC-NEC's ORR among
      the 77 and 80 patients with measurable disease, Zhang 2020's 14/33);
    - otherwise, for a rate among NEC patients (``response_population = nec``),
      ``n_nec``: every NEC patient of the arm is assumed to be in the denominator.

    A row is excluded, with its reason, when:

    - no response rate is printed;
    - the rate is for a mixed or unclear population (it says nothing about NEC alone);
    - the rate is among NEC patients with measurable disease and their number is not
      printed, or the NEC count of the arm is not printed;
    - the printed rate is not a whole-number share of n to its printed precision
      (e.g. 44 % of 28: 12/28 = 42.9 %, 13/28 = 46.4 %), so n cannot be its denominator;
    - printed CR and PR counts add up to a different number of responders.

    Returns
    -------
    ResponderCounts
        ``counts`` (one row per usable arm: responders, n, n_from, …) and ``excluded``
        (study_id, reason) for the rest.

    >>> from nec.evidence import load_evidence
    >>> rc = responders(load_evidence().loc[["zhang2020_ep", "kulke2006"]])
    >>> rc.counts[["responders", "n"]].values.tolist(), rc.n_excluded
    ([[14, 33]], 1)
    """
    import pandas as pd

    from nec.evidence import NEC_POPULATIONS, rows_of

    rows_of(frame, "response_rate_pct", "response_population", "n_response", "n_nec",
            "cr_n", "pr_n", "regimen_family")

    def present(v):
        return v is not None and not (not isinstance(v, str) and pd.isna(v))

    rows, excluded = [], []
    for study, row in frame.iterrows():
        rate = row["response_rate_pct"]
        population = row["response_population"]
        if not present(rate):
            excluded.append((study, "no response rate printed"))
            continue
        if population not in NEC_POPULATIONS:
            what = {"mixed": "a mixed NEC + non-NEC population",
                    "unclear": "a population whose denominator the source leaves unclear",
                    "other": "a population that is not NEC (another tumour type or a "
                             "tumour-agnostic cohort)"}
            whose = what.get(population, population or "a population the row does not state")
            excluded.append((study, f"the rate is for {whose}"))
            continue
        if present(row["n_response"]):
            n, n_from = int(row["n_response"]), "n_response"
        elif population == "nec" and present(row["n_nec"]):
            n, n_from = int(row["n_nec"]), "n_nec"
        elif population == "nec_measurable":
            excluded.append((study, "the rate is among patients with measurable disease, "
                                    "whose number is not printed"))
            continue
        else:
            excluded.append((study, "the number of NEC patients in the arm is not printed"))
            continue
        count = math.floor(rate * n / 100 + 0.5)
        tolerance = 0.5 * 10 ** -_printed_decimals(rate) + 1e-9
        if abs(100 * count / n - rate) > tolerance:
            excluded.append((study, f"{rate:g} % is not a whole-number share of n = {n} "
                                    f"(nearest {count}/{n} = {100 * count / n:.1f} %), so n "
                                    "is not its denominator"))
            continue
        if present(row["cr_n"]) and present(row["pr_n"]) and row["cr_n"] + row["pr_n"] != count:
            excluded.append((study, f"printed CR + PR counts ({row['cr_n']:g} + "
                                    f"{row['pr_n']:g}) disagree with {rate:g} % of {n}"))
            continue
        rows.append({"study_id": study, "responders": count, "n": n, "n_from": n_from,
                     "response_rate_pct": float(rate),
                     "regimen_family": row["regimen_family"]})
    counts = pd.DataFrame(rows, columns=["study_id", "responders", "n", "n_from",
                                         "response_rate_pct", "regimen_family"])
    counts = counts.astype({"responders": int, "n": int}).set_index("study_id")
    return ResponderCounts(counts=counts, excluded=tuple(excluded))


# --------------------------------------------------------------------------- pooling


@dataclass(frozen=True)
class PooledResponse:
    """A random-effects pooled response proportion; see :func:`pooled_response`.

    Proportions are in 0–1; ``logit``, ``se_logit`` and ``tau2`` are on the logit scale.
    ``studies`` is a :class:`pandas.DataFrame` (one row per arm used: responders, n,
    continuity-corrected, logit, variance, random-effects weight in %). ``i2`` is
    τ²/(τ² + s²) with s² the typical within-arm variance (``i2_definition`` says so);
    ``i2_q`` is max(0, (Q − df)/Q), which equals ``i2`` for DerSimonian–Laird.
    ``source`` is ``"evidence rows"`` or ``"counts given"``.
    """

    proportion: float
    ci_low: float
    ci_high: float
    level: float
    logit: float
    se_logit: float
    tau2: float
    tau2_truncated: bool
    i2: float
    q: float
    q_df: int
    q_pvalue: float
    k: int
    n_patients: int
    n_responders: int
    method: str
    continuity_correction: float
    corrected: tuple[str, ...]
    used: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]
    studies: object = None
    i2_q: float = 0.0
    s2_typical: float = 0.0
    i2_definition: str = ""
    source: str = "evidence rows"
    #: study id -> the name a reader knows the arm by ("Moertel 1991"); ids not in it show as is.
    labels: Mapping = field(default_factory=dict)

    def summary(self) -> str:
        """What was computed, how, and from which arms, in the manner of Harrell's rms."""
        def name(study):
            return self.labels.get(study, study)

        pct = f"{100 * self.level:g} %"
        method = _METHODS[self.method]
        truncated = (" (the estimate was negative, Q < df: set to 0, so the random-effects"
                     " and fixed-effect estimates coincide)" if self.tau2_truncated else "")
        lines = [
            "Random-effects meta-analysis of a single proportion (objective response)",
            "",
            f" Arms pooled, k            {self.k}",
            f" Patients (denominators)   {self.n_patients}",
            f" Responders                {self.n_responders}",
            f" Pooled response           {100 * self.proportion:.1f} %   "
            f"{pct} CI {100 * self.ci_low:.1f} to {100 * self.ci_high:.1f} %",
            f" tau² (logit scale)        {self.tau2:.4f}",
            f" I²                        {100 * self.i2:.1f} %",
            f" Q                         {self.q:.2f} on {self.q_df} df, "
            f"p = {self.q_pvalue:.3g}",
            "",
            f"Method: tau² by {method} (method={self.method!r}){truncated}; weights "
            f"1/(v + tau²); {pct} CI Wald (normal) on the logit scale.",
            f"I²: {self.i2_definition}",
            "Transform: logit(p), within-arm variance v = 1/(n p (1 - p)); pooled logit and "
            "CI back-transformed with the inverse logit (a median-type proportion, not the "
            "mean of the arms' rates).",
            f"Continuity correction: {self.continuity_correction:g} added to responders and "
            f"to non-responders (n + {2 * self.continuity_correction:g}) of arms with 0 or n "
            f"responders; applied to {len(self.corrected)} arm(s)"
            + (f": {', '.join(name(c) for c in self.corrected)}." if self.corrected else "."),
        ]
        if self.source == "evidence rows":
            lines.append("Responders: round(printed rate × n); n = printed denominator "
                         "(n_response) or n_nec (see nec.pooling.responders).")
        else:
            lines.append("Responders and n: as given.")
        lines += [
            f"Used ({self.k}): "
            + ", ".join(f"{name(s)} {int(r.responders)}/{int(r.n)}"
                        for s, r in self.studies.iterrows()),
            f"Excluded ({len(self.excluded)}):" + ("" if self.excluded else " none"),
        ]
        lines += [f"  {name(s)}: {why}" for s, why in self.excluded]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


I2_DEFINITIONS = {
    "dl": "tau²/(tau² + s²), s² = (k - 1) Σw / ((Σw)² - Σw²), w = 1/v (Higgins & Thompson "
          "2002); with the DerSimonian-Laird tau² this equals max(0, (Q - df)/Q).",
    "pm": "tau²/(tau² + s²), s² = (k - 1) Σw / ((Σw)² - Σw²), w = 1/v (Higgins & Thompson "
          "2002), with the Paule-Mandel tau² (as metafor reports it; (Q - df)/Q would "
          "not match this tau²).",
}


def _user_counts(data):
    """A user's own counts as the ``counts`` frame of :func:`responders` (or ``None`` if
    ``data`` looks like evidence rows)."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if "response_rate_pct" in data.columns:
            return None
        missing = [c for c in ("responders", "n") if c not in data.columns]
        if missing:
            raise ValueError(
                "Pooling needs evidence rows (nec.evidence.select) or counts: a table with "
                f"columns 'responders' and 'n'; this one has no {' or '.join(map(repr, missing))}"
                f" (its columns: {', '.join(map(str, data.columns)) or 'none'})."
            )
        labels = [str(i) for i in data.index]
        pairs = list(zip(data["responders"], data["n"], strict=True))
    elif isinstance(data, dict):
        labels = [str(k) for k in data]
        pairs = list(data.values())
    elif isinstance(data, list | tuple):
        labels = [f"arm {i + 1}" for i in range(len(data))]
        pairs = list(data)
    else:
        raise ValueError(
            "Pooling needs evidence rows (nec.evidence.select), a table with columns "
            "'responders' and 'n', or a list of (responders, n) pairs, not "
            f"{type(data).__name__}."
        )
    rows = []
    for label, pair in zip(labels, pairs, strict=True):
        if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"{label}: give a pair (responders, n), not {pair!r}.")
        n = _whole(pair[1], name=f"{label}: the number of patients", low=1)
        x = _whole(pair[0], name=f"{label}: the number of responders", low=0)
        if x > n:
            raise ValueError(f"{label}: {x} responders cannot exceed the {n} patients.")
        rows.append({"study_id": label, "responders": x, "n": n})
    if len(set(labels)) != len(labels):
        raise ValueError("Each arm needs its own label; some labels repeat.")
    return pd.DataFrame(rows, columns=["study_id", "responders", "n"]).set_index("study_id")


def _tau2(effect, variance, method):
    """(tau², truncated) by DerSimonian–Laird or Paule–Mandel."""
    import numpy as np
    from scipy.optimize import brentq

    w = 1 / variance
    df = len(effect) - 1

    def q_at(tau2):
        wt = 1 / (variance + tau2)
        mu = np.sum(wt * effect) / np.sum(wt)
        return float(np.sum(wt * (effect - mu) ** 2))

    q0 = q_at(0.0)
    if method == "dl":
        c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
        raw = (q0 - df) / c
        return (max(raw, 0.0), raw < 0)
    # Paule–Mandel: the tau² at which the generalised Q equals its expectation k - 1;
    # Q decreases in tau², so the root is bracketed once Q(upper) < df.
    if q0 <= df:
        return 0.0, q0 < df
    upper = 1.0
    while q_at(upper) > df:
        upper *= 10
    return float(brentq(lambda t: q_at(t) - df, 0.0, upper, xtol=1e-14, rtol=1e-14)), False


def pooled_response(frame, method="dl", level=0.95) -> PooledResponse:
    """Random-effects pooled objective response proportion.

    ``frame`` is either evidence rows (a :func:`nec.evidence.select` ion: each arm's
    responders come from :func:`responders`, and rows without a defensible count are
    excluded and listed, with the reason, in the result) or a user's own counts: a
    table with columns ``responders`` and ``n`` (index = arm labels), a list of
    ``(responders, n)`` pairs, or a ``{label: (responders, n)}`` mapping.

    For an arm with ``x`` responders of ``n``, the effect is ``logit(x / n)`` with
    within-arm variance ``1/(n p (1 − p)) = 1/x + 1/(n − x)``; an arm with 0 or n
    responders gets :data:`CONTINUITY_CORRECTION` (0.5) added to responders and to
    non-responders (so ``n + 1``), as metafor's ``escalc("PLO")`` does. The between-arm
    variance τ² is DerSimonian & Laird's (1986) moment estimate (``method="dl"``,
    truncated at 0) or Paule & Mandel's (``"pm"``: the τ² at which the generalised Q equals
    k − 1, solved to 1e-14); weights 1/(v + τ²); the pooled logit and its Wald interval are
    back-transformed with the inverse logit.

    I² is reported by the τ²-based definition, τ²/(τ² + s²) with s² the "typical"
    within-arm variance (Higgins & Thompson 2002), which is what metafor reports for any
    τ² estimator; for DerSimonian–Laird it equals max(0, (Q − df)/Q). The Q-based value is
    kept as ``i2_q``.

    Parameters
    ----------
    frame
        Evidence rows, or counts (see above).
    method
        ``"dl"`` (default) or ``"pm"``.
    level
        Confidence level of the interval, 0.5 ≤ level < 1 (default 0.95).

    Returns
    -------
    PooledResponse

    Raises
    ------
    ValueError
        For an unknown method, counts that are not whole numbers with 0 ≤ x ≤ n, or
        fewer than two arms with a responder count.

    References
    ----------
    DerSimonian R, Laird N. Control Clin Trials 1986;7:177–88. Paule RC, Mandel J.
    J Res Natl Bur Stand 1982;87:377–85. Higgins JPT, Thompson SG. Stat Med
    2002;21:1539–58.

    >>> from nec.evidence import load_evidence
    >>> r = pooled_response(load_evidence().loc[["zhang2020_ep", "zhang2020_ip"]])
    >>> round(r.proportion, 3), r.tau2, r.i2
    (0.424, 0.0, 0.0)
    >>> round(100 * pooled_response({"A": (5, 8), "B": (2, 21)}).proportion, 1)
    29.6
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    key = method.strip().lower() if isinstance(method, str) else None
    if key not in _METHODS:
        raise ValueError(f"Unknown method {method!r} for tau²: choose 'dl' "
                         "(DerSimonian-Laird) or 'pm' (Paule-Mandel).")
    low, high = _validate.CONFIDENCE_LEVEL_RANGE
    lv = _validate.number(level, name="The confidence level", low=low, high=high,
                          high_inclusive=False)
    given = _user_counts(frame)
    if given is None:
        counts = responders(frame)
        c, excluded, source = counts.counts, counts.excluded, "evidence rows"
    else:
        c, excluded, source = given, (), "counts given"
    if len(c) < 2:
        reasons = "; ".join(f"{s}: {why}" for s, why in excluded) or "no rows given"
        raise ValueError(
            f"Pooling needs at least two arms with a responder count; {len(c)} of "
            f"{len(frame)} row(s) had one. Excluded: {reasons}."
        )

    x = c["responders"].to_numpy(dtype=float)
    n = c["n"].to_numpy(dtype=float)
    corrected = (x == 0) | (x == n)
    x_cc = np.where(corrected, x + CONTINUITY_CORRECTION, x)
    n_cc = np.where(corrected, n + 2 * CONTINUITY_CORRECTION, n)
    p = x_cc / n_cc
    effect = np.log(p / (1 - p))
    variance = 1 / (n_cc * p * (1 - p))

    k = len(c)
    df = k - 1
    w = 1 / variance
    mu_fe = float(np.sum(w * effect) / np.sum(w))
    q = float(np.sum(w * (effect - mu_fe) ** 2))
    q = max(q, 0.0)
    tau2, truncated = _tau2(effect, variance, key)
    w_re = 1 / (variance + tau2)
    mean = float(np.sum(w_re * effect) / np.sum(w_re))
    se = float(1 / math.sqrt(np.sum(w_re)))
    s2 = float(df * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2)))
    i2 = tau2 / (tau2 + s2) if tau2 > 0 else 0.0
    z = float(stats.norm.isf((1 - lv) / 2))

    def expit(v):
        return 1 / (1 + math.exp(-v))

    studies = pd.DataFrame({
        "responders": c["responders"], "n": c["n"], "corrected": corrected,
        "logit": effect, "variance": variance, "weight_pct": 100 * w_re / np.sum(w_re),
    }, index=c.index)
    return PooledResponse(
        proportion=expit(mean), ci_low=expit(mean - z * se), ci_high=expit(mean + z * se),
        level=lv, logit=mean, se_logit=se, tau2=tau2, tau2_truncated=truncated,
        i2=i2, q=q, q_df=df, q_pvalue=float(stats.chi2.sf(q, df)),
        k=k, n_patients=int(n.sum()), n_responders=int(x.sum()), method=key,
        continuity_correction=CONTINUITY_CORRECTION,
        corrected=tuple(s for s, flag in zip(c.index, corrected, strict=True) if flag),
        used=tuple(c.index), excluded=excluded, studies=studies,
        i2_q=max(0.0, (q - df) / q) if q > 0 else 0.0, s2_typical=s2,
        i2_definition=I2_DEFINITIONS[key], source=source,
        labels=_arm_labels(frame) if given is None else {},
    )


def _arm_labels(frame) -> dict:
    """Each evidence row's reader-facing name: "Author year", with the regimen where one
    study gives several arms (never the internal study id)."""
    if "first_author" not in frame or "year" not in frame:
        return {}

    import pandas as pd

    def text(v):
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    base = {}
    for study, row in frame.iterrows():
        author, year = text(row.get("first_author")), text(row.get("year"))
        base[study] = (f"{author} {int(year)}" if author and year is not None
                       else str(author or study).replace("_", " "))
    counts = {}
    for label in base.values():
        counts[label] = counts.get(label, 0) + 1
    labels = {}
    for study, label in base.items():
        regimen = text(frame.loc[study].get("regimen_family")) if counts[label] > 1 else None
        labels[study] = f"{label} ({regimen})" if regimen else label
    return labels


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
