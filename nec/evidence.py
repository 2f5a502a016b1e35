"""Treatment evidence for GEP-NEC: the curated study arms, loaded, checked and selected.

``data/evidence.csv`` holds one row per study arm of treatment for poorly differentiated
gastroenteropancreatic neuroendocrine carcinoma, first line and later lines (column
``line``), transcribed from the *Oncologist* 2019 review (seed 001), the case report
(seed 000), Benini 2025 (seed 004) and the project's fact sheet; every row names its
source. This module is the table's one entry point:

- :func:`load_evidence` and :func:`validate_evidence`: the table, checked cell by cell
  (by :func:`nec.data.load`) and across columns (here);
- :func:`select`: the arms of one regimen family, primary site, design, line, agent
  class, population grade or biomarker selection; a site no arm lists is refused with
  the sites that exist.

What the numbers support is computed elsewhere, one concept per module:
:mod:`nec.pooling` (Wilson intervals, responder counts, the random-effects pooled
response; its names are re-exported here, so ``from nec.evidence import pooled_response``
keeps working) and :mod:`nec.evidence_plots` (the forest and survival plots, a view).

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
import re

#: The table's file name, used in every message about it.
FILE = "evidence.csv"

#: Platinum–etoposide doublets: cisplatin, carboplatin, or a platinum the source does not
#: name. Pass it as ``family=`` to :func:`select`.
PLATINUM_ETOPOSIDE = ("cisplatin-etoposide", "carboplatin-etoposide", "platinum-etoposide")

#: Response populations made of NEC patients only (``nec_measurable``: those with
#: measurable disease).
NEC_POPULATIONS = ("nec", "nec_measurable")

#: The phrase in ``notes`` of a first-line row whose patients were not all treated in first
#: line (prior treatment permitted or given to some, some in second line, or adjuvant
#: treatment): the row stays ``line = first`` as its source files it, and
#: :func:`not_all_first_line` finds it by this phrase (data/README.md, note 9).
NOT_ALL_FIRST_LINE_NOTE = "not all first line"

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
    if frame.empty:
        raise ValueError(f"{FILE}: the file has a header but no rows: there is no evidence to "
                         "load. Restore the table's rows.")
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

    if not _is_frame(frame):
        raise ValueError(_NOT_A_FRAME.format(type(frame).__name__))
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
        data dictionary does not list (the message lists the allowed ones), an empty
        site, or a site that no row of ``frame`` lists (a misspelling such as
        ``"pancraes"``; the message lists the sites that exist).

    >>> ev = load_evidence()
    >>> sorted(select(ev, family="carboplatin-etoposide").index)
    ['sevillaresua2025_case', 'sorbye2013_ec']
    """
    rows_of(frame, "primary_sites", "regimen_family", "design", "line",
            "response_population", "agent_class", "population_grade", "biomarker_selection")
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
        matches = frame["primary_sites"].map(
            lambda sites: isinstance(sites, str)
            and any(needle in entry.lower() for entry in sites.split(";"))
        ).to_numpy(dtype=bool)
        if len(frame) and not matches.any():
            listed = ", ".join(f"'{s}'" for s in site_names(frame))
            raise ValueError(
                f"No arm lists a primary site containing {site!r}: check the spelling. "
                f"The sites printed in these rows are: {listed}."
            )
        mask &= matches
    if not isinstance(nec_only, bool):
        raise ValueError(f"nec_only must be True or False, not {nec_only!r}.")
    if nec_only:
        mask &= frame["response_population"].isin(NEC_POPULATIONS).to_numpy()
    return frame.loc[mask].copy()


def site_names(frame) -> list[str]:
    """The primary-site words printed in ``frame``'s ``primary_sites``, without counts.

    >>> site_names(load_evidence().loc[["iwasa2010"]])
    ['ampulla of vater', 'gallbladder', 'liver', 'pancreas']
    """
    import re as _re

    rows_of(frame, "primary_sites")
    names = set()
    for sites in frame["primary_sites"]:
        if not isinstance(sites, str):
            continue
        for entry in _re.split(r"[;:]", sites):
            word = _re.sub(r"\([^)]*\)", "", entry).strip().lower()
            if word and not word.startswith(("nec", "total")):
                names.add(word)
    return sorted(names)


_NOT_A_FRAME = ("The evidence rows must be a pandas DataFrame, as nec.evidence.load_evidence() "
                "or select() returns them, not {}.")


def _is_frame(value) -> bool:
    import pandas as pd

    return isinstance(value, pd.DataFrame)


def rows_of(frame, *columns: str):
    """Return ``frame`` if it is a table of evidence rows with ``columns``; otherwise raise
    ``ValueError`` saying what was passed and what is needed (shared by every function that
    takes evidence rows).

    >>> rows_of("evidence.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The evidence rows must be a pandas DataFrame, ... not str.
    """
    if not _is_frame(frame):
        raise ValueError(_NOT_A_FRAME.format(type(frame).__name__))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"These rows lack the evidence column(s) {', '.join(missing)}: pass rows of "
            "nec.evidence.load_evidence() (or a select() of them)."
        )
    return frame


def not_all_first_line(frame):
    """Which rows are filed as first line although not all their patients were.

    Returns a boolean :class:`pandas.Series` indexed like ``frame``: ``True`` where the
    row's ``notes`` carry :data:`NOT_ALL_FIRST_LINE_NOTE` (pretreated patients, prior
    treatment permitted, some in second line, or adjuvant treatment).

    >>> flagged = not_all_first_line(select(load_evidence(), line="first"))
    >>> bool(flagged["ramirez2016"]), bool(flagged["morizane2022_ep"])
    (True, False)
    """
    rows_of(frame, "notes")
    return frame["notes"].fillna("").str.contains(NOT_ALL_FIRST_LINE_NOTE, regex=False)


# The response arithmetic lives in nec.pooling; these names stay importable from here,
# as the chapters, the exercises and nec.second_line have always imported them.
from nec.pooling import (  # noqa: E402
    CONTINUITY_CORRECTION,
    PooledResponse,
    ResponderCounts,
    pooled_response,
    responders,
    wilson_interval,
)

__all__ = [
    "FILE", "PLATINUM_ETOPOSIDE", "NEC_POPULATIONS", "CONTINUITY_CORRECTION",
    "NOT_ALL_FIRST_LINE_NOTE", "not_all_first_line",
    "load_evidence", "validate_evidence", "select", "site_names", "rows_of",
    "wilson_interval", "responders", "ResponderCounts", "pooled_response", "PooledResponse",
]


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
