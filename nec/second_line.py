"""Second-line options for GEP-NEC: which evidence matches a patient's features.

No second-line regimen is standard. :func:`options` does not choose one: given a patient's
features it lists every option whose *evidence* was gathered in patients like this one,
each with its study rows from ``data/evidence.csv`` (who was treated, n, design, response,
median PFS and OS, evidence tag) and its caveats, in alphabetical order. It lists apart the
options whose studies do not say whether they took patients like this one ("not stated"),
and the options left out, each with the reason. It never ranks and never recommends.

The options and the conditions their evidence covers live in ``data/second_line_options.csv``
(one row per option, with its source), so a reviewer can check every rule against the
papers. The module is pure Python (no pandas): tables go in and come out as lists of
dictionaries ("records"); a pandas ``DataFrame`` is accepted too.

The case report's course (``data/case_course.csv``) is read here as well: the clocks of
that course (:func:`case_clocks`) are what the chapter compares with cohort medians, each
from where the cohort's own clock starts.

>>> answer = options(platinum_free_months=2, ki67=80, morphology="nec",
...                  sstr_imaging="negative", performance_status=1, msi="mss", tmb="low",
...                  liver_function="normal")
>>> "FOLFIRI (± bevacizumab)" in [o.name for o in answer.shown]
True
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nec import _validate, grading

#: Rows that count as evidence for a later line; "not_stated" rows (most immunotherapy
#: studies) are included and their line is shown, rather than hidden.
LATER_LINES = ("second", "third_or_later", "second_or_later", "not_stated")

#: Longest platinum-free interval accepted, in months. Twenty years is far beyond any
#: follow-up in the sources (the case report's longest interval is 33 months); a larger
#: number is more likely days or weeks typed into a box that asks for months.
PLATINUM_FREE_MONTHS_MAX = 240.0

#: ECOG performance status that an option whose studies state no limit still covers.
#: Treatment studies enrol the fittest patients (ECOG 0-1); whether a study also took
#: ECOG 2 or worse must be stated by a source (BEVANEC: 0-2, clinical_facts.md 3.2), so a
#: blank limit is "not stated" from ECOG 2 on, never "covering".
PS_COVERED_WHEN_NOT_STATED = 1

#: The ECOG performance status is a whole number from 0 (fully active) to 4 (completely
#: disabled); 5 (dead) is no patient to list options for (Oken et al. 1982).
ECOG_RANGE = (0, 4)

#: The case report's survival as printed: "more than 48 months since diagnosis" (seed 000,
#: case presentation, abstract and conclusion); the paper gives no date of last follow-up.
CASE_SURVIVAL_FROM_DIAGNOSIS_MONTHS = 48.0

#: Months per day, for drawing courses whose length is given in cycles of so many days.
DAYS_PER_MONTH = 365.25 / 12

#: Highest Ki-67 (%) that is not G3 by itself: G3 needs a Ki-67 above 20 % or more than 20
#: mitoses (WHO 2017 grading as given by Thomas et al. 2019). A NEC or NET G3 entered with
#: Ki-67 at or below this gets a note (it may be G3 by mitoses, or the value may be mistyped).
#: The cut-off is grading's, defined once there.
G3_KI67_ABOVE_PCT = grading.EDITIONS["2017"].ki67_g3_above

#: Shown instead of "covering" for a well-differentiated NET G3 on every treatment option
#: whose evidence is not NET G3's own (morphology "any": NEC series, or series that did
#: not separate NEC from NET G3), unless its row gives a reason of its own (net_g3_reason).
#: NET G3 treatment is outside this book's scope, and the
#: fact sheet (clinical_facts.md 2.8) says its first line has mostly been
#: temozolomide-based or FOLFOX except for aggressive cases: the rows here (NEC series, or
#: series that did not report NET G3 apart) are not its evidence.
NET_G3_NOT_COVERED = ("for a well-differentiated NET G3 the study rows here come from NEC "
                      "series, or from series that did not report NET G3 apart, and are not "
                      "its evidence; NET G3 treatment (in first line mostly temozolomide-based "
                      "or FOLFOX, except for aggressive tumours, NORDIC NEC 2) is outside this "
                      "book's scope")

_MORPHOLOGY = {"nec": "nec", "poorly differentiated": "nec", "poorly": "nec",
               "poorly differentiated nec": "nec",
               "net g3": "net_g3", "well differentiated": "net_g3", "well": "net_g3",
               "well differentiated net g3": "net_g3"}
_SSTR = {"positive": "positive", "negative": "negative", "unknown": "unknown",
         "not done": "unknown"}
_MSI = {"msi h": "msi_h", "dmmr": "msi_h", "msi h/dmmr": "msi_h", "mss": "mss",
        "pmmr": "mss", "unknown": "unknown", "not tested": "unknown"}
_TMB = {"high": "high", "tmb h": "high", "low": "low", "unknown": "unknown",
        "not tested": "unknown"}
_LIVER = {"normal": "normal", "impaired": "impaired", "unknown": "unknown",
          "not known": "unknown"}

#: The patient features :func:`features` takes, in the order the explorer shows them.
FEATURES = ("platinum_free_months", "ki67", "morphology", "sstr_imaging",
            "performance_status", "msi", "tmb", "liver_function")

DISCLAIMER = (
    "This lists the evidence that exists for patients with these features. It does not rank "
    "the options and does not recommend any of them."
)

POPULATION_LABELS = {
    "nec": "NEC",
    "net_g3": "NET G3",
    "high_grade_mixed": "high-grade NEN (NEC and NET G3 not separated)",
    "mixed_grades": "NEN of several grades",
    "tumour_agnostic": "many tumour types (biomarker-selected); no NEC results",
    "unclear": "not described in the source",
}

TAG_LABELS = {"seed": "source paper", "V": "V (primary source)", "S": "S (secondary source)"}


@dataclass(frozen=True)
class Features:
    """A patient's features, validated. See :func:`features`."""

    platinum_free_months: float
    ki67: float
    morphology: str
    sstr_imaging: str
    performance_status: int
    msi: str
    tmb: str
    liver_function: str


def features(*args, **values) -> Features:
    """Validate a patient's features; raise ``ValueError`` with a clear sentence if wrong.

    Every feature is given by name: eight values in a row are too easy to give in the wrong
    order (a Ki-67 of 3 and a platinum-free interval of 80 months would both pass), so a value
    without a name is refused with a sentence listing the names.

    Parameters (all keywords, all required)
    ----------------------------------------
    platinum_free_months
        Months from the end of the last platinum course to progression (the
        platinum-free interval), 0 to 240. Not months from diagnosis or from surgery.
    ki67
        Ki-67 index in % (0–100).
    morphology
        ``"nec"`` (poorly differentiated carcinoma) or ``"net_g3"`` (well differentiated).
    sstr_imaging
        Somatostatin-receptor imaging: ``"positive"``, ``"negative"`` or ``"unknown"``.
    performance_status
        ECOG performance status, a whole number 0–4.
    msi, tmb
        ``"msi_h"`` / ``"mss"`` / ``"unknown"`` and ``"high"`` / ``"low"`` / ``"unknown"``.
    liver_function
        ``"normal"``, ``"impaired"`` or ``"unknown"`` (irinotecan's limit, seed 001).

    >>> features(platinum_free_months=3, ki67=80, morphology="nec", sstr_imaging="negative",
    ...          performance_status=1, msi="mss", tmb="low", liver_function="normal").ki67
    80.0
    >>> features(3, 80)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: features() takes the patient's features by name (platinum_free_months, ...
    """
    _no_values_without_names("features", args)
    _check_names(values)
    interval = _validate.number(
        values.get("platinum_free_months"),
        name="The platinum-free interval (months from the end of the last platinum course "
             "to progression)",
        unit=" months", low=0, high=PLATINUM_FREE_MONTHS_MAX,
        why="Count months, not days or weeks, from the last platinum dose.")
    k = grading.check_ki67(values.get("ki67"))  # one Ki-67 bound for the whole book
    ps = _validate.number(values.get("performance_status"),
                          name="The ECOG performance status", low=ECOG_RANGE[0],
                          high=ECOG_RANGE[1],
                          why="ECOG runs from 0 (fully active) to 4 (bedbound).")
    if ps != int(ps):
        raise ValueError(f"The ECOG performance status is a whole number from "
                         f"{ECOG_RANGE[0]} to {ECOG_RANGE[1]} (got {ps:g}).")
    return Features(
        platinum_free_months=interval,
        ki67=k,
        morphology=_validate.choice(values.get("morphology"), name="Morphology",
                                    options=_MORPHOLOGY),
        sstr_imaging=_validate.choice(values.get("sstr_imaging"),
                                      name="Somatostatin-receptor imaging", options=_SSTR),
        performance_status=int(ps),
        msi=_validate.choice(values.get("msi"), name="MSI status", options=_MSI),
        tmb=_validate.choice(values.get("tmb"), name="TMB status", options=_TMB),
        liver_function=_validate.choice(values.get("liver_function"), name="Liver function",
                                        options=_LIVER),
    )


def _no_values_without_names(function: str, args: tuple) -> None:
    if args:
        raise ValueError(f"{function}() takes the patient's features by name "
                         f"({', '.join(FEATURES)}), e.g. {function}(ki67=80, ...); got "
                         f"{len(args)} value{'s' if len(args) > 1 else ''} without a name.")


def _check_names(values: Mapping) -> None:
    listed = ", ".join(FEATURES)
    for name in values:
        if name == "months_since_first_line":
            raise ValueError(
                "months_since_first_line is ambiguous and no longer accepted: give "
                "platinum_free_months, the months from the end of the last platinum course "
                "to progression.")
        if name not in FEATURES:
            raise ValueError(f"There is no patient feature called {name!r}; the features "
                             f"are: {listed}.")
    missing = [n for n in FEATURES if n not in values]
    if missing:
        raise ValueError(f"Missing patient feature(s): {', '.join(missing)}. Give all of: "
                         f"{listed} (use 'unknown' where a result is not known).")


@dataclass(frozen=True)
class Option:
    """One option: whether its evidence covers the patient, why, and its study rows.

    ``status`` is ``"shown"`` (every condition its sources state is met), ``"not_stated"``
    (nothing contradicts, but its studies do not say whether they took a patient like
    this one) or ``"not_shown"``. ``evidence`` is a tuple of study rows (dictionaries from
    ``data/evidence.csv``, each with its ``study_id``).
    """

    option_id: str
    name: str
    kind: str
    status: str
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    warnings: tuple[str, ...]
    evidence: tuple[dict, ...]
    overlapping: tuple[tuple[str, ...], ...]
    max_ps: int | None
    source: str

    @property
    def matches(self) -> bool:
        return self.status == "shown"

    @property
    def n_nec(self) -> int:
        """NEC patients behind the option: each study's ``n_nec``, a report and its
        update counted once (the larger), studies with no NEC count adding nothing, and
        rows read only in a secondary source counted apart (:attr:`n_nec_secondary_only`)."""
        return _count_nec(self.evidence, self.overlapping)

    @property
    def n_nec_secondary_only(self) -> int:
        """NEC patients in rows read only in a secondary source (not in :attr:`n_nec`)."""
        return _count_nec_secondary_only(self.evidence)

    @property
    def arms_without_nec_count(self) -> int:
        return sum(1 for r in self.evidence if r.get("n_nec") is None)

    @property
    def ps_text(self) -> str:
        if self.kind == "supportive":
            return "any performance status"
        if self.max_ps is None:
            return "ECOG enrolled: not stated in the sources"
        return f"ECOG enrolled: 0–{self.max_ps}"


@functools.lru_cache(maxsize=1)
def _evidence_spec() -> dict:
    from nec.data import DATA_DIR, _read_dictionary

    return _read_dictionary(DATA_DIR / "evidence_dictionary.csv")


def _study_row(row, *, func: str, needs: Sequence[str] = ()) -> Mapping:
    """``row`` if it reads as a study row of ``data/evidence.csv``, or ``ValueError``.

    The cells it has are held to that table's data dictionary (a category from its list, a
    number in its range, a count whole), so a hand-made row with a misspelt category gets a
    sentence, not a silent "not described"; ``needs`` names the cells the caller cannot do
    without. Returns the row with empty cells (None, NaN) as ``None``.
    """
    if not isinstance(row, Mapping):
        shown = f"{row!r}" if isinstance(row, str) else type(row).__name__
        raise ValueError(f"{func}() takes one study row, a dictionary with the columns of "
                         "data/evidence.csv (e.g. nec.second_line.read_records('evidence')[0]), "
                         f"not {shown}.")
    if not row:
        raise ValueError(f"{func}() was given an empty study row: give a row of "
                         "data/evidence.csv.")
    missing = [c for c in needs if _missing(row.get(c))]
    if missing:
        raise ValueError(f"The study row has no {', '.join(missing)}: {func}() needs it.")
    # Each row text re-reads its row, and a page of options reads each row ten times: a row
    # already found good is not checked again (its key holds each value's type, so that 1,
    # 1.0 and True stay three rows).
    key = tuple((k, type(v), v) for k, v in row.items())
    try:
        return dict(_GOOD_ROWS[key])
    except (KeyError, TypeError):  # not seen, or a value that cannot be a key (a list)
        pass
    spec = _evidence_spec()
    for col, value in row.items():
        rule = spec.get(col)
        if rule is None or _missing(value):
            continue
        allowed, kind = rule["allowed"].strip(), rule["type"]
        what = f"The study row's {col}"
        if kind == "category":
            options = allowed.split("|")
            if value not in options:
                raise ValueError(f"{what} {value!r} is not one of {', '.join(options)} (the "
                                 "categories of data/evidence.csv).")
        elif kind == "string":
            if not isinstance(value, str):
                raise ValueError(f"{what} must be text, not {value!r}.")
        else:
            low, _, high = allowed.partition("..")
            unit = {"%": " %", "months": " months"}.get(rule["unit"], "")
            number = _validate.number(value, name=what, unit=unit,
                                      low=float(low) if low else None,
                                      high=float(high) if high else None)
            if kind == "integer" and number != int(number):
                raise ValueError(f"{what} must be a whole number (got {number:g}).")
    # An empty cell reads as None whether it came as None or as a DataFrame's NaN.
    clean = {k: None if _missing(v) else v for k, v in row.items()}
    try:
        if len(_GOOD_ROWS) >= 1024:
            _GOOD_ROWS.clear()
        _GOOD_ROWS[key] = clean
    except TypeError:
        pass
    return dict(clean)


_GOOD_ROWS: dict = {}  # _study_row's rows found good, by their cells


def secondary_only(row: Mapping) -> bool:
    """True when a study row was read only in a secondary source: tag S, and its source
    names no [V] part (BEVANEC "[V/S]" and DART, whose results are [V], are not).

    Their NEC counts are not checked against a primary source or a seed, so they are
    counted apart from the NEC patients, never added to them.

    >>> secondary_only({"evidence_tag": "S", "source": "OncLive, via clinical_facts.md [S]"})
    True
    >>> secondary_only({"evidence_tag": "S", "source": "Lancet Oncol, clinical_facts.md [V/S]"})
    False
    """
    row = _study_row(row, func="secondary_only")
    return row.get("evidence_tag") == "S" and "[V" not in str(row.get("source") or "")


def _count_nec_secondary_only(rows) -> int:
    return sum(int(r["n_nec"]) for r in rows
               if secondary_only(r) and r.get("n_nec") is not None)


def _count_nec(rows, overlapping) -> int:
    rows = [r for r in rows if not secondary_only(r)]
    counts = {r["study_id"]: r.get("n_nec") for r in rows}
    total, seen = 0, set()
    for group in overlapping:
        present = [counts[s] for s in group if s in counts]
        seen.update(group)
        known = [c for c in present if c is not None]
        if known:
            total += int(max(known))
    for study_id, n in counts.items():
        if study_id not in seen and n is not None:
            total += int(n)
    return total


@dataclass(frozen=True)
class Answer:
    """What :func:`options` found: covering, not-stated and left-out options (each
    alphabetical), and notes."""

    features: Features
    shown: tuple[Option, ...]
    not_stated: tuple[Option, ...]
    not_shown: tuple[Option, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def counts(self) -> dict:
        """How much evidence the covering options rest on.

        ``arms``: distinct study rows; ``nec_patients``: NEC patients in them (a report
        and its update counted once; rows without an NEC count add nothing);
        ``arms_without_nec_count``: rows whose source gives no NEC count;
        ``nec_patients_secondary_only``: NEC patients in rows read only in a secondary
        source, counted apart and not in ``nec_patients``.
        """
        rows, groups = {}, set()
        for o in self.shown:
            rows.update({r["study_id"]: r for r in o.evidence})
            groups.update(o.overlapping)
        values = list(rows.values())
        return {
            "options_shown": len(self.shown),
            "options_not_stated": len(self.not_stated),
            "options_not_shown": len(self.not_shown),
            "arms": len(values),
            "nec_patients": _count_nec(values, tuple(groups)),
            "arms_without_nec_count": sum(1 for r in values if r.get("n_nec") is None),
            "nec_patients_secondary_only": _count_nec_secondary_only(values),
        }

    def summary(self) -> str:
        c = self.counts()
        lines = [DISCLAIMER, "",
                 f"{c['options_shown']} options whose evidence covers these features "
                 f"({c['arms']} study arms, {c['nec_patients']} NEC patients; "
                 f"{c['arms_without_nec_count']} arms give no NEC count; "
                 f"{c['nec_patients_secondary_only']} more NEC patients in rows read only in "
                 f"a secondary source, not added):"]
        for o in self.shown:
            lines.append(f"- {o.name}: {_evidence_phrase(o)}; {o.ps_text}")
            lines += [f"    warning: {w}" for w in o.warnings]
            lines += [f"    caveat: {x}" for x in o.caveats]
        if self.not_stated:
            lines += ["", "Not stated (the studies do not say whether they took patients like "
                      "this):"]
            lines += [f"- {o.name}: {'; '.join(o.reasons)}" for o in self.not_stated]
        if self.not_shown:
            lines += ["", "Not shown (the evidence does not cover these features):"]
            lines += [f"- {o.name}: {'; '.join(o.reasons)}" for o in self.not_shown]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _evidence_phrase(o: Option) -> str:
    if o.kind != "treatment" or not o.evidence:
        return "no study arm with numbers in the data"
    n = len(o.evidence)
    text = f"{n} study arm{'s' if n != 1 else ''}, {o.n_nec} NEC patients"
    if o.arms_without_nec_count:
        text += f" ({o.arms_without_nec_count} arm{'s' if o.arms_without_nec_count != 1 else ''}"
        text += " with no NEC count)"
    if o.n_nec_secondary_only:
        text += (f"; {o.n_nec_secondary_only} more in rows read only in a secondary source, "
                 "not added")
    return text


# --- Tables as records ------------------------------------------------------------------

def read_records(name: str, data_dir=None) -> list[dict]:
    """``data/<name>.csv`` as a list of dictionaries, checked against its data dictionary
    (:func:`nec.data.records`: the checks of :func:`nec.data.load`, without pandas). Empty
    cells are ``None``, numbers included.

    >>> read_records("case_course")[0]["event_id"]
    'diagnosis'
    """
    from nec.data import records

    return [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
            for r in records(name, data_dir)]


def _as_records(table, *, what: str, key: str, needs: Sequence[str]) -> list[dict]:
    """Accept a list of row dictionaries or a pandas DataFrame indexed by ``key``."""
    if hasattr(table, "to_dict") and hasattr(table, "reset_index"):
        frame = table.reset_index() if key not in getattr(table, "columns", ()) else table
        records = frame.to_dict("records")
    elif isinstance(table, Sequence) and not isinstance(table, str | bytes) and all(
            isinstance(r, Mapping) for r in table):
        records = [dict(r) for r in table]
    else:
        raise ValueError(f"{what} must be a list of rows (dictionaries) or a DataFrame, "
                         f"not {type(table).__name__}.")
    clean = []
    for r in records:
        clean.append({k: (None if _missing(v) else v) for k, v in r.items()})
    absent = [c for c in (key, *needs) if clean and c not in clean[0]]
    if absent:
        raise ValueError(f"{what} has no column(s) {', '.join(absent)}.")
    return clean


def _row_has(row, column: str) -> bool:
    """Whether ``row`` (a mapping) has a value, not an empty cell, in ``column``."""
    return isinstance(row, Mapping) and not _missing(row.get(column))


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


def option_table(data_dir=None) -> list[dict]:
    """The option definitions from ``data/second_line_options.csv``, as records."""
    return read_records("second_line_options", data_dir=data_dir)


_OPTION_COLUMNS = ("option", "kind", "regimen_families", "morphology", "morphology_reason",
                   "biomarker", "min_platinum_free_months", "ki67_min", "ki67_max", "max_ps",
                   "liver_caution", "evidence_biomarker", "overlapping_rows", "caveats",
                   "source")
_EVIDENCE_COLUMNS = ("line", "regimen_family", "biomarker_selection", "n_nec", "n_total")


def options(*args, evidence=None, table=None, **patient) -> Answer:
    """Every second-line option whose evidence covers ``patient``'s features.

    Keywords are those of :func:`features`. ``evidence`` and ``table`` default to the
    curated tables (``data/evidence.csv`` and :func:`option_table`, as records); tests
    pass their own (records or DataFrames).

    Returns an :class:`Answer`: ``shown`` (evidence covers every feature its sources
    state), ``not_stated`` and ``not_shown``, each alphabetical, never ranked.
    """
    _no_values_without_names("options", args)
    f = features(**patient)
    evidence = read_records("evidence") if evidence is None else evidence
    table = option_table() if table is None else table
    evidence = _as_records(evidence, what="The evidence table", key="study_id",
                           needs=_EVIDENCE_COLUMNS)
    table = _as_records(table, what="The option table", key="option_id",
                        needs=_OPTION_COLUMNS)
    later = [r for r in evidence if r["line"] in LATER_LINES]
    groups = {"shown": [], "not_stated": [], "not_shown": []}
    for row in table:
        reasons = _mismatches(row, f)
        unstated = [] if reasons else (_outside_scope(row) or _net_g3_scope(row, f)
                                       or _not_stated(row, f))
        status = "not_shown" if reasons else ("not_stated" if unstated else "shown")
        warnings = ()
        if row.get("liver_caution") and f.liver_function != "normal":
            lead = ("Liver function impaired: " if f.liver_function == "impaired"
                    else "Liver function not entered: ")
            warnings = (lead + row["liver_caution"] + ".",)
        groups[status].append(Option(
            option_id=row["option_id"], name=row["option"], kind=row["kind"], status=status,
            reasons=tuple(reasons or unstated or [_match_reason(row)]),
            caveats=_split(row.get("caveats"), "|"), warnings=warnings,
            evidence=tuple(_evidence_rows(row, later)),
            overlapping=tuple(tuple(_split(g, "+")) for g in _split(row.get("overlapping_rows"),
                                                                     ";")),
            max_ps=None if row.get("max_ps") is None else int(row["max_ps"]),
            source=row["source"],
        ))
    notes = []
    if f.performance_status >= 3:
        notes.append("No study transcribed so far states that it enrolled patients at ECOG "
                     "3–4; of the sources transcribed so far only BEVANEC's limit is "
                     "recorded (ECOG 0–2).")
    if f.ki67 <= G3_KI67_ABOVE_PCT:
        notes.append(f"Ki-67 {f.ki67:g} % is not above 20 %: a NEC or NET G3 needs Ki-67 above "
                     "20 % or more than 20 mitoses (Thomas et al. 2019). Check the value; the "
                     "evidence here is in G3 disease.")
    if f.tmb == "high":
        notes.append("TMB-high: a tumour-agnostic TMB-high indication for pembrolizumab is "
                     "known to this book only from a secondary source, so no option is listed "
                     "for it; in Raj's study the only responders had TMB-high tumours.")
    if f.morphology == "net_g3":
        notes.append("For a well-differentiated NET G3 this book does not weigh the studies "
                     "here as its evidence, and NET G3 regimens are outside this book's "
                     "scope.")
    order = {k: tuple(sorted(v, key=lambda o: o.name.lower())) for k, v in groups.items()}
    return Answer(f, order["shown"], order["not_stated"], order["not_shown"], tuple(notes))


def _split(text, sep) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(sep) if x.strip())


def _mismatches(row, f: Features) -> list[str]:
    reasons = []
    morph = row["morphology"]
    if morph != "any" and morph != f.morphology:
        label = {"nec": "poorly differentiated NEC", "net_g3": "well-differentiated NET G3"}
        reasons.append(row.get("morphology_reason") or f"its evidence is in {label[morph]}")
    need = row["biomarker"]
    if need == "msi_h" and f.msi != "msi_h":
        reasons.append("its evidence is in MSI-high (dMMR) tumours"
                       + ("; MSI status is unknown" if f.msi == "unknown" else ""))
    elif need == "tmb_h" and f.tmb != "high":
        reasons.append("its evidence is in TMB-high tumours"
                       + ("; TMB is unknown" if f.tmb == "unknown" else ""))
    elif need == "msi_h_or_tmb_h" and not (f.msi == "msi_h" or f.tmb == "high"):
        unknown = f.msi == "unknown" or f.tmb == "unknown"
        reasons.append("its evidence is in MSI-high or TMB-high tumours"
                       + ("; one of them is unknown" if unknown else ""))
    elif need == "sstr_positive" and f.sstr_imaging != "positive":
        reasons.append("its evidence is in tumours positive on somatostatin-receptor imaging"
                       + ("; imaging result unknown" if f.sstr_imaging == "unknown" else ""))
    low = row.get("min_platinum_free_months")
    # "More than 6 months" was the survey's criterion, so exactly 6 does not qualify.
    if low is not None and f.platinum_free_months <= low:
        reasons.append(f"this explorer shows it only when more than {low:g} months have "
                       f"passed since the end of the last platinum course (here "
                       f"{f.platinum_free_months:g}): its stricter reading of one practice "
                       "survey's threshold, which was on the first-line progression-free "
                       "interval; no guideline this book read sets a cut-off")
    k_lo, k_hi = row.get("ki67_min"), row.get("ki67_max")
    # The lower bound is exclusive: G3 begins above 20 % (seed 001).
    if (k_lo is not None and f.ki67 <= k_lo) or (k_hi is not None and f.ki67 > k_hi):
        span = (f"above {k_lo:g} % up to {k_hi:g} %" if k_lo is not None and k_hi is not None
                else f"above {k_lo:g} %" if k_lo is not None else f"≤ {k_hi:g} %")
        reasons.append(f"its evidence covers Ki-67 {span} (here {f.ki67:g} %)")
    ps = row.get("max_ps")
    if ps is not None and f.performance_status > ps:
        reasons.append(f"its studies enrolled ECOG 0–{int(ps)} (here {f.performance_status})")
    return reasons


def _outside_scope(row) -> list[str]:
    return [row["outside_scope"]] if row.get("outside_scope") else []


def _net_g3_scope(row, f: Features) -> list[str]:
    if f.morphology == "net_g3" and row["kind"] == "treatment" and row["morphology"] == "any":
        # An option whose evidence is not from NEC series (mostly NET G3, or tumour-agnostic)
        # gives its own reason instead of the general sentence.
        return [row.get("net_g3_reason") or NET_G3_NOT_COVERED]
    return []


def _not_stated(row, f: Features) -> list[str]:
    if row.get("max_ps") is None and f.performance_status > PS_COVERED_WHEN_NOT_STATED:
        return [f"its studies do not state whether they enrolled patients at ECOG "
                f"{f.performance_status}"]
    return []


def _match_reason(row) -> str:
    if row["kind"] == "supportive":
        return "open to every patient"
    if row["kind"] == "trial":
        return "eligibility is set by each trial"
    parts = []
    if row["biomarker"] != "none":
        parts.append({"msi_h": "MSI-high", "tmb_h": "TMB-high",
                      "msi_h_or_tmb_h": "MSI-high or TMB-high",
                      "sstr_positive": "somatostatin-receptor positive"}[row["biomarker"]])
    if row["morphology"] != "any":
        parts.append({"nec": "NEC", "net_g3": "NET G3"}[row["morphology"]])
    return "evidence gathered in " + (", ".join(parts) if parts else "unselected") + " patients"


def _evidence_rows(row, later) -> list[dict]:
    families = set(_split(row.get("regimen_families"), ";"))
    rows = [r for r in later if r["regimen_family"] in families]
    selection = _split(row.get("evidence_biomarker"), ";")
    if selection:  # keep biomarker-selected and unselected studies of one class apart
        rows = [r for r in rows if r["biomarker_selection"] in selection]
    return rows


# --- How a study row is shown ---------------------------------------------------------------

#: How rows whose source names no author are called on the page (the key is an internal id).
STUDY_NAMES = {
    "japanesetmz2021": "Japanese phase II, temozolomide",
    "dacarbazinetmz_pmc7354717": "Dacarbazine or temozolomide series",
    "nipinec_nivo": "NIPINEC, nivolumab",
    "nipinec_nivoipi": "NIPINEC, nivolumab + ipilimumab",
    "spartalizumab_nen": "Spartalizumab study",
    "toripalimab_nen": "Toripalimab study",
    "avenec": "AVENEC",
    "obrixtamig2025": "Obrixtamig phase I",
    "checkmate032_nivo": "CheckMate 032, nivolumab (lung)",
    "checkmate032_nivoipi": "CheckMate 032, nivolumab + ipilimumab (lung)",
    "prrtcase2017": "PRRT case report",
}


def study_label(row: Mapping) -> str:
    """``"Walter 2023"``; where the source names no author, the study's name (with its year
    where printed), never the internal key.

    >>> study_label({"study_id": "avenec", "first_author": None, "year": None})
    'AVENEC'
    """
    row = _study_row(row, func="study_label",
               needs=() if _row_has(row, "first_author") else ("study_id",))
    author, year = row.get("first_author"), row.get("year")
    if not author:
        name = STUDY_NAMES.get(row["study_id"], str(row["study_id"]).replace("_", " "))
        return f"{name} ({int(year)})" if year is not None else name
    return f"{author} {int(year)}" if year is not None else str(author)


def population_text(row: Mapping) -> str:
    """Who was treated, and whose figures the response columns are, in words.

    >>> population_text({"population_grade": "nec", "response_population": "other",
    ...                  "population": "small-cell lung cancer (SCLC), cited as the model"})
    'small-cell lung cancer (an analogy, not GEP-NEC)'
    >>> population_text({"population_grade": "mixed_grades", "population": "non-pancreatic NEN"})
    'NEN of several grades; non-pancreatic primaries only'
    """
    row = _study_row(row, func="population_text")
    population = str(row.get("population") or "").lower()
    if population.startswith("small-cell lung cancer"):
        return "small-cell lung cancer (an analogy, not GEP-NEC)"
    text = POPULATION_LABELS.get(row.get("population_grade"), "not described in the source")
    if "non-pancreatic" in population:
        text += "; non-pancreatic primaries only"
    if row.get("response_population") == "other":
        text += "; figures are not from an NEC population"
    return text


#: Regimen families as a reader names them (the codes are the data's).
REGIMEN_LABELS = {
    "folfiri": "FOLFIRI", "folfiri-bevacizumab": "FOLFIRI + bevacizumab",
    "nal-iri-5fu": "nal-IRI + 5-FU", "taxane": "docetaxel", "folfox": "FOLFOX",
    "topotecan": "topotecan", "temozolomide-based": "temozolomide-based",
    "tki": "cabozantinib", "anti-pd1": "PD-1 antibody",
    "anti-pd1-chemotherapy": "PD-1 antibody + chemotherapy", "anti-pdl1": "PD-L1 antibody",
    "anti-pd1-ctla4": "PD-1 + CTLA-4 antibodies",
    "anti-pdl1-ctla4": "PD-L1 + CTLA-4 antibodies", "prrt": "PRRT",
    "dll3-engager": "DLL3 T-cell engager", "other": "several regimens",
}


def regimen_text(row: Mapping) -> str:
    """The row's regimen family in words, never the data code.

    >>> regimen_text({"regimen_family": "nal-iri-5fu"})
    'nal-IRI + 5-FU'
    """
    row = _study_row(row, func="regimen_text", needs=("regimen_family",))
    family = row.get("regimen_family")
    return REGIMEN_LABELS.get(family, str(family).replace("-", " "))


def response_text(row: Mapping) -> str:
    """The best response the source prints, in words: the objective response rate, or
    the partial responses where no overall rate is printed; with the subgroup it was
    measured in when that is smaller than the arm (DART: 18 high-grade of 32).

    >>> response_text({"response_rate_pct": None, "pr_pct": 29, "pr_n": None,
    ...                "n_response": None, "n_total": 20})
    'PR 29 % (no overall rate printed)'
    >>> response_text({"response_rate_pct": 44, "n_response": 18, "n_total": 32})
    '44 % (in 18 of the 32)'
    """
    row = _study_row(row, func="response_text")
    rate, n_resp, n_total = (row.get(k) for k in ("response_rate_pct", "n_response",
                                                   "n_total"))
    if rate is not None:
        text = f"{float(rate) + 0.0:g} %"  # + 0.0: a rate of -0.0 reads "0 %", not "-0 %"
        if n_resp is not None and n_total is not None and n_resp < n_total:
            text += f" (in {int(n_resp)} of the {int(n_total)})"
        return text
    if row.get("pr_pct") is not None:
        return f"PR {float(row['pr_pct']) + 0.0:g} % (no overall rate printed)"
    if row.get("pr_n") is not None:
        return f"PR in {int(row['pr_n'])} (no rate printed)"
    if row.get("pd_pct") is not None:
        return f"progression {float(row['pd_pct']) + 0.0:g} % (no response rate printed)"
    return "not in the source read"


def progression_text(row: Mapping) -> str:
    """The share with progression as best response, where printed (PRRT's 71.4 %)."""
    row = _study_row(row, func="progression_text")
    pd = row.get("pd_pct")
    return "–" if pd is None else f"{float(pd):g} %"


#: Where each later-line study's survival clock starts, as the sources read print it
#: (``data/second_line_os_clock.csv``); a study not listed there: "not stated".
def os_clock(row: Mapping, clocks: Mapping | None = None) -> str:
    """From when the row's median OS is counted, or "not stated" where the source read
    does not say.

    >>> os_clock({"study_id": "mcgarrah2020"})
    'start of second-line treatment'
    """
    row = _study_row(row, func="os_clock", needs=("study_id",))
    if clocks is not None and not isinstance(clocks, Mapping):
        raise ValueError("clocks must be a dictionary {study_id: where its survival clock "
                         f"starts}} (or None for data/second_line_os_clock.csv), not "
                         f"{type(clocks).__name__}.")
    if clocks is None:
        clocks = {r["study_id"]: r["os_counted_from"]
                  for r in read_records("second_line_os_clock")}
    return clocks.get(row["study_id"]) or "not stated in the sources read"


def toxicity_text(row: Mapping) -> str | None:
    """The grade ≥ 3 toxicity the source prints, with CTCAE grades in words.

    The data keep the sources' shorthand ("G3-4 neutropenia"); the book writes "grade",
    because "G3" on its pages is a tumour grade (WHO). Returns ``None`` where no toxicity
    is printed, so the table shows its dash.

    >>> toxicity_text({"toxicity_g34": "G>=3 AEs 51.7%; G3-4 neutropenia 35%; G3 nausea 5%"})
    'grade ≥ 3 AEs 51.7%; grade 3–4 neutropenia 35%; grade 3 nausea 5%'
    >>> toxicity_text({"toxicity_g34": None}) is None
    True
    """
    row = _study_row(row, func="toxicity_text")
    text = row.get("toxicity_g34")
    if text is None:
        return None
    text = re.sub(r"\bG\s*>=\s*(\d)", r"grade ≥ \1", str(text))
    text = re.sub(r"\bG(\d)\s*-\s*(\d)\b", r"grade \1–\2", text)
    return re.sub(r"\bG(\d)\b", r"grade \1", text)


def os_text(row: Mapping) -> str:
    """Median OS in months, saying when it is the whole cohort's rather than the
    response subgroup's (DART).

    >>> os_text({"median_os_months": 11, "outcome_population": "mixed",
    ...          "response_population": "nec", "n_total": 32})
    '11 (all 32 patients)'
    """
    row = _study_row(row, func="os_text")
    value = row.get("median_os_months")
    if value is None:
        return "–"
    text = f"{float(value):g}"
    if (row.get("outcome_population") == "mixed" and row.get("response_population") == "nec"
            and row.get("n_total") is not None):
        text += f" (all {int(row['n_total'])} patients)"
    return text


def line_text(row: Mapping) -> str:
    """The row's design and treatment line in words.

    >>> line_text({"design": "prospective", "line": "second"})
    'prospective; second line'
    """
    row = _study_row(row, func="line_text", needs=("line",))
    design = row.get("design") or "design not stated"
    line = row["line"]
    return f"{design}; " + ("line not stated" if line == "not_stated"
                            else f"{line.replace('_', ' ')} line")


# --- The case report's course and its clocks -------------------------------------------------

def months_between(start: str, end: str) -> int:
    """Whole months between two dates printed as YYYY-MM or YYYY-MM-DD (day ignored).

    >>> months_between("2021-02-18", "2023-11")
    33
    """
    def parse(text) -> tuple[int, int]:
        parts = str(text).split("-")
        if len(parts) < 2:
            raise ValueError(f"Date {text!r} has no month: the interval cannot be computed.")
        try:
            year, month = int(parts[0]), int(parts[1])
        except ValueError:
            raise ValueError(f"Date {text!r} is not written YYYY-MM or YYYY-MM-DD.") from None
        if not 1 <= month <= 12:
            raise ValueError(f"Date {text!r} has month {month}: months run from 1 to 12.")
        return year, month

    (y0, m0), (y1, m1) = parse(start), parse(end)
    return (y1 - y0) * 12 + (m1 - m0)


def treatment_months(row: Mapping) -> float:
    """Length drawn for a treatment row: cycles × cycle length, in months."""
    if not isinstance(row, Mapping):
        shown = f"{row!r}" if isinstance(row, str) else type(row).__name__
        raise ValueError("treatment_months() takes one row of data/case_course.csv, a "
                         "dictionary (e.g. nec.second_line.read_records('case_course')[2]), "
                         f"not {shown}.")
    cycles, days = row.get("cycles"), row.get("cycle_days")
    if cycles is None or days is None:
        raise ValueError(f"The course row {row.get('event_id')!r} has no cycle count or cycle "
                         "length, so its length cannot be drawn.")
    return cycles * days / DAYS_PER_MONTH


@dataclass(frozen=True)
class CaseClocks:
    """The case report's course on one clock: months from the operation (18 Feb 2021).

    Only the operation (a day) and the recurrence (a month) are dated; treatment blocks
    are cycles × cycle length, some cycle lengths assumed (``cycle_days_basis``).
    """

    recurrence: int                    # dated: 33 months after the operation
    diagnosis_earliest: float          # the paper gives the year only: from 1 January 2021
    first_palliative_start: float      # the rechallenge, drawn from the recurrence
    second_line_start: float           # CAPTEM, after the rechallenge's cycles
    survival_from_diagnosis_min: float  # printed: more than 48 months from diagnosis
    second_line_to_docetaxel_sd: float  # CAPTEM + XELIRI + six docetaxel cycles, drawn

    @property
    def alive_after_operation_min(self) -> float:
        """Months from the operation that he was at least alive, with no cycle assumption:
        48 months from a diagnosis no earlier than 1 January 2021."""
        return self.survival_from_diagnosis_min + self.diagnosis_earliest

    @property
    def alive_from_second_line_printed_min(self) -> float:
        """Lower bound on survival from the start of CAPTEM using the printed 48 months
        and only the rechallenge's three cycles (21 days assumed) before it."""
        return self.alive_after_operation_min - self.second_line_start

    @property
    def alive_from_second_line_min(self) -> float:
        """Months from the start of second line to the stable disease after six docetaxel
        cycles, the last event the paper reports: a lower bound on his survival counted
        from the start of second line (the clock of McGarrah 2020)."""
        return self.second_line_to_docetaxel_sd


def case_clocks(course=None) -> CaseClocks:
    """The case report's clocks, from ``data/case_course.csv`` (records or a DataFrame).

    >>> case_clocks().recurrence
    33
    """
    rows = read_records("case_course") if course is None else _as_records(
        course, what="The case course", key="event_id", needs=("start", "cycles", "cycle_days"))
    by_id = {r["event_id"]: r for r in rows}
    for needed in ("surgery", "recurrence", "ec_rechallenge", "captem", "xeliri", "docetaxel",
                   "overall_survival"):
        if needed not in by_id:
            raise ValueError(f"The case course has no {needed!r} row.")
    surgery = by_id["surgery"]["start"]
    year = int(str(by_id["diagnosis"]["start"])[:4]) if "diagnosis" in by_id else None
    diag = -_fractional_months(f"{year}-01-01", surgery) if year else 0.0
    recurrence = months_between(surgery, by_id["recurrence"]["start"])
    second = recurrence + treatment_months(by_id["ec_rechallenge"])
    later = sum(treatment_months(by_id[e]) for e in ("captem", "xeliri", "docetaxel"))
    return CaseClocks(
        recurrence=recurrence, diagnosis_earliest=diag, first_palliative_start=float(recurrence),
        second_line_start=second,
        survival_from_diagnosis_min=CASE_SURVIVAL_FROM_DIAGNOSIS_MONTHS,
        second_line_to_docetaxel_sd=later,
    )


def _fractional_months(start: str, end: str) -> float:
    a, b = (datetime.date.fromisoformat(_full_date(x)) for x in (start, end))
    return (b - a).days / DAYS_PER_MONTH


def _full_date(text: str) -> str:
    parts = str(text).split("-")
    parts += ["01"] * (3 - len(parts))
    return "-".join(p.zfill(2) for p in parts[:3])


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
