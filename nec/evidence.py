"""Treatment evidence for GEP-NEC: the curated study arms and what they support.

``data/evidence.csv`` holds one row per study arm of treatment for poorly differentiated
gastroenteropancreatic neuroendocrine carcinoma, first line and later lines (column
``line``), transcribed from the *Oncologist* 2019 review (seed 001), the case report
(seed 000) and the project's fact sheet; ``data/README.md`` says where every row comes
from. This module loads it, checks what its data dictionary cannot,
and computes the few things the numbers defensibly support:

- :func:`load_evidence` and :func:`validate_evidence`: the table, checked cell by cell
  (by :func:`nec.data.load`) and across columns (here);
- :func:`select`: the arms of one regimen family, primary site, design, line, agent
  class, population grade or biomarker selection;
- :func:`wilson_interval` and :func:`responders`: a response rate as a count of
  responders with its confidence interval, only where the denominator is known;
- :func:`pooled_response`: a random-effects pooled response proportion;
- :func:`forest_plot` and :func:`outcome_dot_plot`: the arms side by side.

Almost all of these arms are small single-arm series, mostly retrospective, whose
populations, response criteria and denominators differ. A pooled number summarises them;
it does not turn them into a trial, and :meth:`PooledResponse.summary` says what was
pooled and what was left out.

Example
-------
>>> from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, pooled_response, select
>>> arms = select(load_evidence(), family=PLATINUM_ETOPOSIDE, nec_only=True)
>>> result = pooled_response(arms)
>>> result.k, round(100 * result.proportion, 1)
(9, 39.3)
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from nec import _validate

#: The table's file name, used in every message about it.
FILE = "evidence.csv"

#: Platinum–etoposide doublets: cisplatin, carboplatin, or a platinum the source does not
#: name. Pass it as ``family=`` to :func:`select`.
PLATINUM_ETOPOSIDE = ("cisplatin-etoposide", "carboplatin-etoposide", "platinum-etoposide")

#: Response populations made of NEC patients only (``nec_measurable``: those with
#: measurable disease).
NEC_POPULATIONS = ("nec", "nec_measurable")

#: Added to responders and to non-responders of an arm with 0 or n responders, whose logit
#: is otherwise infinite (the usual 1/2, as in metafor's ``escalc(add=1/2)``).
CONTINUITY_CORRECTION = 0.5

_METHODS = {"dl": "DerSimonian-Laird", "pm": "Paule-Mandel"}
_STUDY_ID = re.compile(r"^[a-z]+[0-9]{4}(_[a-z0-9]+)?$")
# Rows whose source names no author or prints no year: a lowercase trial/drug label instead.
_STUDY_ID_LABEL = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)?$")
_RESPONSE_COLUMNS = ("response_rate_pct", "n_response", "cr_n", "pr_n", "sd_n", "pd_n",
                     "cr_pct", "pr_pct", "sd_pct", "pd_pct")
_OUTCOME_COLUMNS = ("median_os_months", "os_low", "os_high",
                    "median_pfs_months", "pfs_low", "pfs_high", "os_6m_pct", "pfs_6m_pct")
_LANDMARK_COLUMNS = ("os_6m_pct", "pfs_6m_pct")


# --------------------------------------------------------------------------- loading


def load_evidence(data_dir=None):
    """The evidence table as a :class:`pandas.DataFrame`, one row per arm, indexed by study_id.

    The file is checked against ``data/evidence_dictionary.csv`` by :func:`nec.data.load`
    (types, ranges, categories, required cells), then across columns by
    :func:`validate_evidence`. Empty cells are ``NaN`` (numbers) or ``None`` (text);
    ``year`` and ``n_total`` are nullable integers (``pandas.NA`` where the source prints
    no year or arm size).

    Parameters
    ----------
    data_dir
        Folder holding ``evidence.csv`` and its dictionary; the project's ``data/`` if
        ``None``.

    >>> ev = load_evidence()
    >>> row = ev.loc["morizane2022_ep"]
    >>> int(row.n_total), float(row.response_rate_pct), int(row.n_response)
    (84, 54.5, 77)
    """
    from nec.data import load

    frame = load("evidence", data_dir=data_dir)
    # Whole numbers that may be missing (a source without a year or an arm size): nullable
    # integers, so that 1991 does not print as 1991.0.
    for column in ("year", "n_total"):
        frame[column] = frame[column].astype("Int64")
    validate_evidence(frame)
    return frame


def validate_evidence(frame) -> None:
    """Check the rules that the data dictionary cannot express; raise ``ValueError`` if broken.

    Every problem is reported on its own line as ``evidence.csv, row R (study_id),
    column C: what is wrong``, with R numbered as in a spreadsheet (header = row 1). The
    row number assumes ``frame`` is the whole file in file order, as
    :func:`nec.data.load` returns it; the study_id identifies the row in any case.

    Rules
    -----
    - ``study_id`` is a lowercase surname + 4-digit year, optionally ``_arm``; a row
      without ``first_author`` or ``year`` (the source names none) may use a lowercase
      trial or drug label instead (``nipinec_nivo``);
    - ``n_nec`` ≤ ``n_total``;
    - percentages (``response_rate_pct``, ``cr_pct`` … ``pd_pct``, the 6-month rates
      ``os_6m_pct`` and ``pfs_6m_pct``) lie in 0–100, and the
      four best-response percentages add up to at most 100 plus 0.5 per printed value
      (each may have been rounded);
    - ``n_response`` is filled only with a ``response_rate_pct`` and is at most the
      NEC count (``n_nec``, or ``n_total`` when that is empty);
    - the best-response counts add up to at most the patients they describe;
    - ``response_population`` is filled exactly when a response figure is, and
      ``outcome_population`` exactly when an OS or PFS figure (median, interval bound or
      6-month rate) is;
    - ``landmark_interval`` only with a 6-month rate;
    - medians are greater than 0 months;
    - for OS and for PFS: an interval bound appears only with an interval type and an
      interval type only with a bound; low ≤ median ≤ high for whichever are filled.
    """
    import pandas as pd

    expected = {"n_nec", "n_total", "response_population", "outcome_population",
                "os_interval_type", "pfs_interval_type", "landmark_interval",
                "first_author", "year", *_RESPONSE_COLUMNS, *_OUTCOME_COLUMNS}
    if "study_id" in frame.columns:
        frame = frame.set_index("study_id")
    missing = sorted(expected - set(frame.columns))
    if missing:
        raise ValueError(f"{FILE}: missing column(s) {', '.join(missing)}.")

    problems: list[str] = []
    for position, (study, row) in enumerate(frame.iterrows()):
        def say(column, text, study=study, position=position):
            problems.append(f"{FILE}, row {position + 2} ({study}), column {column}: {text}")

        def value(column, row=row):
            v = row[column]
            return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

        named = value("first_author") is not None and value("year") is not None
        if named and not _STUDY_ID.match(str(study)):
            say("study_id", f"{study!r} should be the first author's surname in lowercase "
                "letters and the 4-digit year, optionally followed by _arm "
                "(e.g. yamaguchi2014_ip).")
        elif not named and not _STUDY_ID_LABEL.match(str(study)):
            say("study_id", f"{study!r}: without an author and a year, the key is a lowercase "
                "trial or drug label of letters and digits, optionally followed by _arm "
                "(e.g. nipinec_nivo).")

        n_nec, n_total = value("n_nec"), value("n_total")
        if n_nec is not None and n_total is not None and n_nec > n_total:
            say("n_nec", f"{n_nec:g} NEC patients is more than the {n_total:g} patients of "
                "the arm (n_total); n_nec counts the NEC patients within the arm.")

        pct_columns = ("response_rate_pct", "cr_pct", "pr_pct", "sd_pct", "pd_pct")
        for column in (*pct_columns, *_LANDMARK_COLUMNS):
            v = value(column)
            if v is not None and not 0 <= v <= 100:
                say(column, f"{v:g} % is not a percentage between 0 and 100.")
        best = [value(c) for c in pct_columns[1:] if value(c) is not None]
        if best and sum(best) > 100 + 0.5 * len(best):
            say("cr_pct", f"CR + PR + SD + PD add up to {sum(best):g} %, more than 100 % "
                "even allowing for rounding; check the row against its source.")

        n_response, rate = value("n_response"), value("response_rate_pct")
        if n_response is not None:
            ceiling, name = (n_nec, "n_nec") if n_nec is not None else (n_total, "n_total")
            if rate is None:
                say("n_response", "a response denominator is given but no "
                    "response_rate_pct; fill both or neither.")
            elif ceiling is not None and n_response > ceiling:
                say("n_response", f"the response denominator {n_response:g} is more than "
                    f"the {ceiling:g} patients of the arm ({name}).")

        counts = [value(c) for c in ("cr_n", "pr_n", "sd_n", "pd_n")]
        counted = sum(c for c in counts if c is not None)
        population = value("response_population")
        if population in NEC_POPULATIONS:
            size = next((v for v in (n_response, n_nec, n_total) if v is not None), None)
        else:
            size = n_total
        if size is not None and counted > size:
            say("cr_n", f"CR + PR + SD + PD counts add up to {counted:g} patients, more "
                f"than the {size:g} the response figures describe.")

        for pop_column, columns, what in (
            ("response_population", _RESPONSE_COLUMNS, "response"),
            ("outcome_population", _OUTCOME_COLUMNS, "OS or PFS"),
        ):
            filled = [c for c in columns if value(c) is not None]
            if filled and value(pop_column) is None:
                say(pop_column, f"empty, but the row has {what} figures ({', '.join(filled)});"
                    " say whose figures they are (nec, mixed, unclear…).")
            if not filled and value(pop_column) is not None:
                say(pop_column, f"{value(pop_column)!r} is given but the row has no {what} "
                    "figures; leave it empty.")

        if value("landmark_interval") is not None and all(
                value(c) is None for c in _LANDMARK_COLUMNS):
            say("landmark_interval", "an interval is given but no 6-month rate (os_6m_pct or "
                "pfs_6m_pct); fill the rate or leave the interval empty.")

        for outcome in ("os", "pfs"):
            median_col = f"median_{outcome}_months"
            median, low, high = (value(median_col), value(f"{outcome}_low"),
                                 value(f"{outcome}_high"))
            kind = value(f"{outcome}_interval_type")
            if median is not None and median <= 0:
                say(median_col, f"a median survival of {median:g} months is not possible; "
                    "leave the cell empty if the median was not reached.")
            if (low is not None or high is not None) and kind is None:
                say(f"{outcome}_interval_type", "the interval has bounds but no type; give "
                    "the source's label (range, ci95, iqr or unspecified).")
            if kind is not None and low is None and high is None:
                say(f"{outcome}_interval_type", f"{kind!r} is given but both bounds are "
                    "empty; leave the type empty when there is no interval.")
            if low is not None and high is not None and low > high:
                say(f"{outcome}_high", f"the upper bound {high:g} is below the lower bound "
                    f"{low:g} months.")
            if median is not None and low is not None and median < low:
                say(f"{outcome}_low", f"the lower bound {low:g} is above the median "
                    f"{median:g} months; a median lies inside its interval.")
            if median is not None and high is not None and median > high:
                say(f"{outcome}_high", f"the upper bound {high:g} is below the median "
                    f"{median:g} months; a median lies inside its interval.")
    if problems:
        raise ValueError("\n".join(problems))


@functools.lru_cache(maxsize=1)
def _allowed() -> dict[str, tuple[str, ...]]:
    # The controlled vocabularies live in the data dictionary only, so select() cannot
    # drift from the file.
    from nec.data import DATA_DIR, _read_dictionary

    spec = _read_dictionary(DATA_DIR / "evidence_dictionary.csv")
    return {column: tuple(s["allowed"].split("|"))
            for column, s in spec.items() if s["type"] == "category"}


def _choices(value, column: str, name: str) -> tuple[str, ...]:
    allowed = _allowed()[column]
    listed = ", ".join(f"'{a}'" for a in allowed)
    values = (value,) if isinstance(value, str) else value
    try:
        values = tuple(values)
    except TypeError:
        raise ValueError(f"The {name} must be one of {listed} (or a list of them), "
                         f"not {value!r}.") from None
    if not values:
        raise ValueError(f"No {name} given: choose one or more of {listed}.")
    chosen = []
    for v in values:
        key = v.strip().lower() if isinstance(v, str) else v
        if key not in allowed:
            raise ValueError(f"Unknown {name} {v!r}: choose one of {listed}.")
        chosen.append(key)
    return tuple(chosen)


def select(frame, *, family=None, site=None, design=None, nec_only=False, line=None,
           agent_class=None, population_grade=None, biomarker=None):
    """The rows of ``frame`` that meet every condition given; the others are dropped.

    Parameters
    ----------
    frame
        The evidence table (:func:`load_evidence`) or a selection of it.
    family
        A ``regimen_family`` or a list of them, e.g. :data:`PLATINUM_ETOPOSIDE`.
    site
        Text looked for, case-blind, inside each semicolon-separated entry of
        ``primary_sites`` (``"pancrea"`` finds "pancreas (10)" and "pancreatic (4)").
        Rows whose sites are not printed never match. Some site lists cover a whole
        cohort rather than the arm (the row's notes say so).
    design
        A ``design`` or a list of them (``"randomised"``, ``"retrospective"``, …). Rows
        whose design the source does not state never match.
    nec_only
        Keep only rows whose response figures are for NEC patients alone
        (``response_population`` ``nec`` or ``nec_measurable``).
    line
        A treatment ``line`` or a list of them. The first-line evidence is
        ``line="first"``; later lines are ``"second"``, ``"third_or_later"``,
        ``"second_or_later"`` and ``"not_stated"`` (the source does not say).
    agent_class
        An ``agent_class`` or a list of them (``"chemotherapy"``, ``"immunotherapy"``, …).
    population_grade
        A ``population_grade`` or a list of them (``"nec"``, ``"high_grade_mixed"``, …).
    biomarker
        A ``biomarker_selection`` or a list of them (``"none"``, ``"msi_h"``, …).

    Raises
    ------
    ValueError
        For a family, design, line, agent class, population grade or biomarker that the
        data dictionary does not list (the message lists the allowed ones), or an empty
        site.

    >>> ev = load_evidence()
    >>> sorted(select(ev, family="carboplatin-etoposide").index)
    ['sevillaresua2025_case', 'sorbye2013_ec']
    """
    import numpy as np

    mask = np.ones(len(frame), dtype=bool)
    if family is not None:
        mask &= frame["regimen_family"].isin(_choices(family, "regimen_family",
                                                      "regimen family")).to_numpy()
    if design is not None:
        mask &= frame["design"].isin(_choices(design, "design", "study design")).to_numpy()
    if line is not None:
        mask &= frame["line"].isin(_choices(line, "line", "treatment line")).to_numpy()
    for value, column, name in ((agent_class, "agent_class", "agent class"),
                                (population_grade, "population_grade", "population grade"),
                                (biomarker, "biomarker_selection", "biomarker selection")):
        if value is not None:
            mask &= frame[column].isin(_choices(value, column, name)).to_numpy()
    if site is not None:
        if not isinstance(site, str) or not site.strip():
            raise ValueError(f"The primary site must be a word to look for, such as "
                             f"'pancreas' or 'colon', not {site!r}.")
        needle = site.strip().lower()
        mask &= frame["primary_sites"].map(
            lambda sites: isinstance(sites, str)
            and any(needle in entry.lower() for entry in sites.split(";"))
        ).to_numpy(dtype=bool)
    if not isinstance(nec_only, bool):
        raise ValueError(f"nec_only must be True or False, not {nec_only!r}.")
    if nec_only:
        mask &= frame["response_population"].isin(NEC_POPULATIONS).to_numpy()
    return frame.loc[mask].copy()


# --------------------------------------------------------------------------- proportions


def wilson_interval(events, n, level=0.95) -> tuple[float, float]:
    """Wilson score confidence interval for a proportion ``events / n``, as proportions.

    The Wilson interval keeps its coverage for the small series typical of NEC (n of
    8–30) and never leaves 0–1, unlike the Wald interval p ± z·√(p(1−p)/n), which is
    degenerate at 0 or n events. Computed by statsmodels'
    ``proportion_confint(method="wilson")`` (Wilson 1927; Newcombe 1998).

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
    from statsmodels.stats.proportion import proportion_confint

    n = _whole(n, name="The number of patients", low=1)
    events = _whole(events, name="The number of patients with the event", low=0)
    if events > n:
        raise ValueError(f"The number of patients with the event ({events}) cannot exceed "
                         f"the number of patients ({n}).")
    lv = _validate.number(level, name="The confidence level", low=0.5, high=1,
                          high_inclusive=False)
    low, high = proportion_confint(events, n, alpha=1 - lv, method="wilson")
    # The Wilson interval always contains events/n and is exactly 0 (1) at 0 (n) events;
    # floating point can put a bound a hair off, so clip it.
    p = events / n
    return min(max(float(low), 0.0), p), max(min(float(high), 1.0), p)


def _whole(value, *, name: str, low: int) -> int:
    v = _validate.number(value, name=name, low=low)
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

    >>> rc = responders(load_evidence().loc[["zhang2020_ep", "kulke2006"]])
    >>> rc.counts[["responders", "n"]].values.tolist(), rc.n_excluded
    ([[14, 33]], 1)
    """
    import pandas as pd

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
    continuity-corrected, logit, variance, random-effects weight in %).
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

    def summary(self) -> str:
        """What was computed, how, and from which arms, in the manner of Harrell's rms."""
        pct = f"{100 * self.level:g} %"
        method = _METHODS[self.method]
        truncated = (" (moment estimate was negative, Q < df: set to 0, so the random-effects"
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
            f"1/(v + tau²); {pct} CI Wald (normal) on the logit scale; statsmodels "
            "combine_effects.",
            "Transform: logit(p), within-arm variance v = 1/(n p (1 - p)); pooled logit and "
            "CI back-transformed with the inverse logit (a median-type proportion, not the "
            "mean of the arms' rates).",
            f"Continuity correction: {self.continuity_correction:g} added to responders and "
            f"to non-responders (n + {2 * self.continuity_correction:g}) of arms with 0 or n "
            f"responders; applied to {len(self.corrected)} arm(s)"
            + (f": {', '.join(self.corrected)}." if self.corrected else "."),
            "Responders: round(printed rate × n); n = printed denominator (n_response) or "
            "n_nec (see nec.evidence.responders).",
            f"Used ({self.k}): "
            + ", ".join(f"{s} {int(r.responders)}/{int(r.n)}"
                        for s, r in self.studies.iterrows()),
            f"Excluded ({len(self.excluded)}):" + ("" if self.excluded else " none"),
        ]
        lines += [f"  {s}: {why}" for s, why in self.excluded]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def pooled_response(frame, method="dl", level=0.95) -> PooledResponse:
    """Random-effects pooled objective response proportion over the arms of ``frame``.

    Each arm's responders come from :func:`responders` (rows without a defensible count
    are excluded and listed, with the reason, in the result). For an arm with ``x``
    responders of ``n``, the effect is ``logit(x / n)`` with within-arm variance
    ``1/(n p (1 − p)) = 1/x + 1/(n − x)``; an arm with 0 or n responders gets
    :data:`CONTINUITY_CORRECTION` (0.5) added to responders and to non-responders (so
    ``n + 1``). The logits are combined by statsmodels'
    ``stats.meta_analysis.combine_effects``, with the between-arm variance tau² from
    DerSimonian & Laird (1986) (``method="dl"``) or Paule & Mandel (``"pm"``); the pooled
    logit and its Wald interval are back-transformed with the inverse logit.

    statsmodels (checked on 0.15) does not truncate a negative DerSimonian–Laird tau² at 0 and
    reports I² = 1 − df/Q, which is negative (or −∞ at Q = 0) when Q < df. Here tau² is
    truncated at 0 (the pooled estimate is then the fixed-effect one, as in metafor), and
    I² = max(0, (Q − df)/Q), with I² = 0 when Q = 0 (Higgins & Thompson 2002).

    Parameters
    ----------
    frame
        Evidence rows, usually a :func:`select` ion (e.g. one regimen family, NEC only).
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
        For an unknown method, or fewer than two arms with a responder count.

    References
    ----------
    DerSimonian R, Laird N. Control Clin Trials 1986;7:177–88. Higgins JPT, Thompson SG.
    Stat Med 2002;21:1539–58.

    >>> r = pooled_response(load_evidence().loc[["zhang2020_ep", "zhang2020_ip"]])
    >>> round(r.proportion, 3), r.tau2, r.i2
    (0.424, 0.0, 0.0)
    """
    import numpy as np
    import pandas as pd
    from scipy import stats
    from statsmodels.stats.meta_analysis import combine_effects

    key = method.strip().lower() if isinstance(method, str) else method
    if key not in _METHODS:
        raise ValueError(f"Unknown method {method!r} for tau²: choose 'dl' "
                         "(DerSimonian-Laird) or 'pm' (Paule-Mandel).")
    lv = _validate.number(level, name="The confidence level", low=0.5, high=1,
                          high_inclusive=False)
    counts = responders(frame)
    c = counts.counts
    if len(c) < 2:
        reasons = "; ".join(f"{s}: {why}" for s, why in counts.excluded) or "no rows given"
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

    # With a negative DL tau², statsmodels' unused HKSJ variance is negative and its I² divides
    # by Q = 0 for identical arms; both trip numpy warnings (errors in the book build). Neither
    # value is used: tau² and I² are recomputed below.
    with np.errstate(invalid="ignore", divide="ignore"):
        res = combine_effects(effect, variance, method_re=key, row_names=list(c.index),
                              alpha=1 - lv)
    k = len(c)
    df = k - 1
    q = max(float(res.q), 0.0)  # round-off can make Q a hair below 0 for identical arms
    tau2_raw = float(res.tau2)
    truncated = tau2_raw < 0
    if truncated:
        # With tau² = 0 the random-effects weights are the fixed-effect ones.
        tau2, mean, se = 0.0, float(res.mean_effect_fe), float(res.sd_eff_w_fe)
        weights = res.weights_rel_fe
    else:
        tau2, mean, se = tau2_raw, float(res.mean_effect_re), float(res.sd_eff_w_re)
        weights = res.weights_rel_re
    z = float(stats.norm.isf((1 - lv) / 2))

    def expit(v):
        return 1 / (1 + math.exp(-v))

    studies = pd.DataFrame({
        "responders": c["responders"], "n": c["n"], "corrected": corrected,
        "logit": effect, "variance": variance, "weight_pct": 100 * np.asarray(weights),
    }, index=c.index)
    return PooledResponse(
        proportion=expit(mean), ci_low=expit(mean - z * se), ci_high=expit(mean + z * se),
        level=lv, logit=mean, se_logit=se, tau2=tau2, tau2_truncated=truncated,
        i2=max(0.0, (q - df) / q) if q > 0 else 0.0,
        q=q, q_df=df, q_pvalue=float(stats.chi2.sf(q, df)),
        k=k, n_patients=int(n.sum()), n_responders=int(x.sum()), method=key,
        continuity_correction=CONTINUITY_CORRECTION,
        corrected=tuple(s for s, flag in zip(c.index, corrected, strict=True) if flag),
        used=tuple(c.index), excluded=counts.excluded, studies=studies,
    )


# --------------------------------------------------------------------------- figures

_FAMILY_COLOURS = {
    "cisplatin-etoposide": "blue",
    "carboplatin-etoposide": "sky",
    "platinum-etoposide": "purple",
    "irinotecan-platinum": "orange",
    "platinum-etoposide-plus": "green",
    "other": "grey",
    # Later lines: one colour per kind of treatment (families are also grouped by header).
    "folfiri": "orange",
    "folfiri-bevacizumab": "vermillion",
    "folfox": "yellow",
    "nal-iri-5fu": "orange",
    "temozolomide-based": "purple",
    "topotecan": "sky",
    "taxane": "blue",
    "anti-pd1": "green",
    "anti-pd1-ctla4": "green",
    "anti-pdl1": "green",
    "anti-pdl1-ctla4": "green",
    "anti-pd1-chemotherapy": "green",
    "prrt": "yellow",
    "tki": "black",
    "dll3-engager": "blue",
}


def _colour(family) -> str:
    from nec.plotting import PALETTE

    return PALETTE[_FAMILY_COLOURS.get(family, "grey")]


def _present(v) -> bool:
    import pandas as pd

    return v is not None and not (not isinstance(v, str) and pd.isna(v))


def _arm_label(study: str, row) -> str:
    # Rows whose source names no author or year are labelled by their key.
    if not (_present(row["first_author"]) and _present(row["year"])):
        return study
    arm = study.partition("_")[2]
    return f"{row['first_author']} {int(row['year'])}" + (f" ({arm.upper()})" if arm else "")


def _family_layout(frame):
    """(y, kind, payload) from top to bottom: a header row per family, then its arms."""
    order = [f for f in _allowed()["regimen_family"] if f in set(frame["regimen_family"])]
    layout, y = [], 0.0
    for family in order:
        layout.append((y, "family", family))
        y -= 1
        for study in frame.index[frame["regimen_family"] == family]:
            layout.append((y, "arm", study))
            y -= 1
        y -= 0.4
    return layout, y


def _finish_rows(ax, layout, labels, extra=()):
    # Family names as bold headers, arms as plain labels, on the y axis.
    ticks = [(y, payload if kind == "family" else labels[payload], kind == "family")
             for y, kind, payload in layout]
    ticks += list(extra)
    ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks])
    for tick, (_, _, bold) in zip(ax.get_yticklabels(), ticks, strict=True):
        if bold:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


def forest_plot(frame, ax=None, *, pooled=True, method="dl"):
    """Forest plot of objective response per arm with Wilson 95 % intervals.

    One row per arm that has a printed response rate, grouped under its regimen family.
    Arms with a defensible responder count (:func:`responders`) get a filled square of
    area ∝ n and a Wilson 95 % interval, with ``responders/n`` at the right. Arms without
    one (mixed or unclear population, denominator unknown) are drawn as a hollow grey
    circle at the printed rate, without an interval, with the reason at the right; they
    are not pooled. Arms with no printed rate are left out and counted in the title.

    If ``pooled`` and at least two arms have counts, the random-effects estimate of
    :func:`pooled_response` (over *all* counted arms shown, whatever their family) is
    drawn as a diamond at the bottom spanning its 95 % interval.

    Parameters
    ----------
    frame
        Evidence rows (:func:`load_evidence`, :func:`select`).
    ax
        Axes to draw on; a new figure sized to the rows if ``None``.
    pooled
        Draw the pooled diamond.
    method
        tau² estimator for the diamond (``"dl"`` or ``"pm"``).

    Returns
    -------
    matplotlib.axes.Axes

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = forest_plot(select(load_evidence(), family=PLATINUM_ETOPOSIDE))
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from nec.plotting import PALETTE, style

    shown = frame[frame["response_rate_pct"].notna()]
    if shown.empty:
        raise ValueError("None of the rows given has a printed response rate, so there is "
                         "nothing to draw; check the selection.")
    counts = responders(shown)
    c = counts.counts
    reasons = dict(counts.excluded)
    result = None
    if pooled and len(c) >= 2:
        result = pooled_response(shown, method=method)
    layout, y_end = _family_layout(shown)
    labels = {s: _arm_label(s, shown.loc[s]) for s in shown.index}
    with style():
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 1.4 + 0.28 * (len(layout) + 2)))
        n_max = max(c["n"].max() if len(c) else 1, 1)
        right = ax.get_yaxis_transform()  # x in axes fraction, y in data
        for y, kind, study in layout:
            if kind != "arm":
                continue
            colour = _colour(shown.loc[study, "regimen_family"])
            if study in c.index:
                x, n = int(c.loc[study, "responders"]), int(c.loc[study, "n"])
                low, high = wilson_interval(x, n)
                ax.plot([100 * low, 100 * high], [y, y], color=colour, linewidth=1.6)
                ax.scatter([100 * x / n], [y], s=20 + 180 * n / n_max, marker="s",
                           color=colour, zorder=3)
                ax.text(1.02, y, f"{x}/{n}", transform=right, va="center", fontsize=9)
            else:
                ax.scatter([shown.loc[study, "response_rate_pct"]], [y], s=40, marker="o",
                           facecolor="white", edgecolor=PALETTE["grey"], linewidth=1.5,
                           zorder=3)
                ax.text(1.02, y, f"not pooled: {_short_reason(reasons[study])}",
                        transform=right, va="center", fontsize=8, color="0.35")
        extra = []
        if result is not None:
            y = y_end - 0.2
            lo, mid, hi = 100 * result.ci_low, 100 * result.proportion, 100 * result.ci_high
            ax.fill([lo, mid, hi, mid], [y, y + 0.35, y, y - 0.35], color=PALETTE["black"])
            ax.axvline(mid, color=PALETTE["grey"], linestyle=":", linewidth=1, zorder=0)
            ax.text(1.02, y, f"{result.n_responders}/{result.n_patients}", transform=right,
                    va="center", fontsize=9, fontweight="bold")
            extra.append((y, f"Pooled, random effects ({result.method.upper()}), "
                             f"k = {result.k}", True))
        _finish_rows(ax, layout, labels, extra)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Objective response (%), Wilson 95 % CI")
        missing = len(frame) - len(shown)
        title = "Objective response by arm"
        if missing:
            title += f" ({missing} arm(s) without a printed rate not shown)"
        ax.set_title(title, loc="left")
        handles = [
            Line2D([], [], marker="s", color=PALETTE["black"], linestyle="-",
                   label="counted arm (area ∝ n)"),
            Line2D([], [], marker="o", markerfacecolor="white", color=PALETTE["grey"],
                   linestyle="none", label="printed rate, not pooled"),
        ]
        _legend_below(ax, handles, ncol=2)
    return ax


def _legend_below(ax, handles, ncol):
    # A fixed distance under the x label, whatever the number of rows makes the axes' height.
    axes_height_in = ax.figure.get_figheight() * ax.get_position().height
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.62 / axes_height_in),
              ncol=ncol, fontsize=8)


def _short_reason(reason: str) -> str:
    for key, short in (("mixed", "mixed population"), ("unclear", "population unclear"),
                       ("measurable", "denominator not printed"),
                       ("not printed", "n NEC not printed"),
                       ("whole-number", "rate does not fit n"), ("CR + PR", "counts disagree"),
                       ("not NEC", "not an NEC population")):
        if key in reason:
            return short
    return reason


def outcome_dot_plot(frame, outcome="os", ax=None):
    """Median overall or progression-free survival per arm, grouped by regimen family.

    Marker area ∝ the arm's patients the median describes (``n_nec`` when the outcome
    population is NEC and the count is printed, otherwise ``n_total``). Arms whose
    outcome population is mixed or unclear are drawn hollow: their medians include
    non-NEC patients or may. The interval printed with each median is drawn with a line
    style for its kind (range, 95 % CI, IQR, unspecified), because a range and a CI
    cannot be read the same way; a bound the source did not print is not drawn. Arms
    without a median are left out and counted in the title.

    Parameters
    ----------
    frame
        Evidence rows.
    outcome
        ``"os"`` or ``"pfs"``.
    ax
        Axes to draw on; a new figure if ``None``.

    Returns
    -------
    matplotlib.axes.Axes

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = outcome_dot_plot(load_evidence(), outcome="pfs")
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from nec.plotting import PALETTE, style

    key = _validate.choice(outcome, name="Outcome",
                           options={"os": "os", "overall survival": "os",
                                    "pfs": "pfs", "progression free survival": "pfs"})
    median_col = f"median_{key}_months"
    shown = frame[frame[median_col].notna()]
    word = {"os": "overall survival", "pfs": "progression-free survival"}[key]
    if shown.empty:
        raise ValueError(f"None of the rows given has a median {word}, so there is nothing "
                         "to draw; check the selection.")
    line_styles = {"range": ":", "ci95": "-", "iqr": "--", "unspecified": "-."}
    kind_words = {"range": "range", "ci95": "95 % CI", "iqr": "IQR",
                  "unspecified": "interval, no level given"}
    layout, _ = _family_layout(shown)
    labels = {s: _arm_label(s, shown.loc[s]) for s in shown.index}

    def arm_n(row):
        if row["outcome_population"] == "nec" and not math.isnan(row["n_nec"]):
            return int(row["n_nec"])
        # None: the source prints no arm size (drawn with the smallest marker).
        return int(row["n_total"]) if _present(row["n_total"]) else None

    sizes = {s: arm_n(shown.loc[s]) for s in shown.index}
    n_max = max([n for n in sizes.values() if n is not None], default=1)
    with style():
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 1.4 + 0.28 * (len(layout) + 2)))
        right = ax.get_yaxis_transform()
        kinds = set()
        for y, kind, study in layout:
            if kind != "arm":
                continue
            row = shown.loc[study]
            colour = _colour(row["regimen_family"])
            median = float(row[median_col])
            low, high = row[f"{key}_low"], row[f"{key}_high"]
            interval = row[f"{key}_interval_type"]
            if interval is not None:
                kinds.add(interval)
                for bound in (low, high):
                    if not math.isnan(bound):
                        ax.plot([bound, median], [y, y], color=colour, linewidth=1.4,
                                linestyle=line_styles[interval])
            nec = row["outcome_population"] == "nec"
            n_arm = sizes[study]
            ax.scatter([median], [y], s=20 + 220 * (n_arm or 0) / n_max, marker="o",
                       facecolor=colour if nec else "white", edgecolor=colour,
                       linewidth=1.6, zorder=3)
            n_text = f"n {n_arm}" if n_arm is not None else "n not printed"
            ax.text(1.02, y, f"{median:g} mo, {n_text}", transform=right,
                    va="center", fontsize=9, color="0.1" if nec else "0.4")
        _finish_rows(ax, layout, labels)
        ax.set_xlim(left=0)
        ax.set_xlabel(f"Median {word} (months)")
        missing = len(frame) - len(shown)
        title = f"Median {word} by arm"
        if missing:
            title += f" ({missing} arm(s) without a median not shown)"
        ax.set_title(title, loc="left")
        handles = [
            Line2D([], [], marker="o", color=PALETTE["black"], linestyle="none",
                   label="NEC only (area ∝ n)"),
            Line2D([], [], marker="o", markerfacecolor="white", color=PALETTE["black"],
                   linestyle="none", label="mixed or unclear population"),
        ]
        handles += [Line2D([], [], color=PALETTE["black"], linestyle=line_styles[k],
                           label=kind_words[k]) for k in line_styles if k in kinds]
        _legend_below(ax, handles, ncol=3)
    return ax
