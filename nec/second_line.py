"""Second-line options for GEP-NEC: which evidence matches a patient's features.

No second-line regimen is standard. :func:`options` does not choose one: given a patient's
features it lists every option whose *evidence* was gathered in patients like this one,
each with its study rows from ``data/evidence.csv`` (n, design, response, median PFS and
OS) and its caveats, in alphabetical order, and it lists the options left out with the
reason. It never ranks and never recommends.

The options and the conditions their evidence covers live in ``data/second_line_options.csv``
(one row per option, with its source), so a reviewer can check every rule against the
papers.

>>> answer = options(months_since_first_line=2, ki67=80, morphology="nec",
...                  sstr_imaging="negative", performance_status=1, msi="mss", tmb="low")
>>> "FOLFIRI (± bevacizumab)" in [o.name for o in answer.shown]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nec import _validate

#: Rows that count as evidence for a later line; "not_stated" rows (most immunotherapy
#: studies) are included and their line is shown, rather than hidden.
LATER_LINES = ("second", "third_or_later", "second_or_later", "not_stated")

_MORPHOLOGY = {"nec": "nec", "poorly differentiated": "nec", "poorly": "nec",
               "net g3": "net_g3", "well differentiated": "net_g3", "well": "net_g3"}
_SSTR = {"positive": "positive", "negative": "negative", "unknown": "unknown",
         "not done": "unknown"}
_MSI = {"msi h": "msi_h", "dmmr": "msi_h", "msi h/dmmr": "msi_h", "mss": "mss",
        "pmmr": "mss", "unknown": "unknown", "not tested": "unknown"}
_TMB = {"high": "high", "tmb h": "high", "low": "low", "unknown": "unknown",
        "not tested": "unknown"}

DISCLAIMER = (
    "This lists the evidence that exists for patients with these features. It does not rank "
    "the options and does not recommend any of them."
)


@dataclass(frozen=True)
class Features:
    """A patient's features, validated. See :func:`features`."""

    months_since_first_line: float
    ki67: float
    morphology: str
    sstr_imaging: str
    performance_status: int
    msi: str
    tmb: str


def features(*, months_since_first_line, ki67, morphology, sstr_imaging, performance_status,
             msi, tmb) -> Features:
    """Validate a patient's features; raise ``ValueError`` with a clear sentence if wrong.

    Parameters
    ----------
    months_since_first_line
        Months from the end of first-line chemotherapy to progression (≥ 0).
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
    """
    interval = _validate.number(months_since_first_line,
                                name="The time from the end of first line to progression",
                                unit=" months", low=0, high=600)
    k = _validate.number(ki67, name="Ki-67", unit=" %", low=0, high=100)
    ps = _validate.number(performance_status, name="The ECOG performance status", low=0,
                          high=4, why="ECOG runs from 0 (fully active) to 4 (bedbound).")
    if ps != int(ps):
        raise ValueError(f"The ECOG performance status is a whole number from 0 to 4 "
                         f"(got {ps:g}).")
    return Features(
        months_since_first_line=interval,
        ki67=k,
        morphology=_validate.choice(morphology, name="Morphology", options=_MORPHOLOGY
                                    | {"net_g3": "net_g3"}),
        sstr_imaging=_validate.choice(sstr_imaging, name="Somatostatin-receptor imaging",
                                      options=_SSTR),
        performance_status=int(ps),
        msi=_validate.choice(msi, name="MSI status", options=_MSI | {"msi_h": "msi_h"}),
        tmb=_validate.choice(tmb, name="TMB status", options=_TMB),
    )


@dataclass(frozen=True)
class Option:
    """One option: why its evidence matches (or not), its caveats and its study rows."""

    option_id: str
    name: str
    matches: bool
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    evidence: object  # pandas.DataFrame of the study arms behind the option
    source: str

    @property
    def n_patients(self) -> int:
        return int(self.evidence["n_total"].sum()) if len(self.evidence) else 0


@dataclass(frozen=True)
class Answer:
    """What :func:`options` found: the matching options (alphabetical) and the others."""

    features: Features
    shown: tuple[Option, ...]
    not_shown: tuple[Option, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        lines = [DISCLAIMER, ""]
        for o in self.shown:
            lines.append(f"- {o.name}: {len(o.evidence)} study arm(s), {o.n_patients} patients")
            lines += [f"    caveat: {c}" for c in o.caveats]
        if self.not_shown:
            lines.append("")
            lines.append("Not shown (the evidence does not cover these features):")
            lines += [f"- {o.name}: {'; '.join(o.reasons)}" for o in self.not_shown]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def option_table(data_dir=None):
    """The option definitions from ``data/second_line_options.csv``."""
    from nec.data import load

    return load("second_line_options", data_dir=data_dir)


def options(*, evidence=None, table=None, **patient) -> Answer:
    """Every second-line option whose evidence covers ``patient``'s features.

    Keywords are those of :func:`features`. ``evidence`` and ``table`` default to the
    curated tables (``nec.evidence.load_evidence()`` and :func:`option_table`); tests pass
    their own.
    """
    f = features(**patient)
    if evidence is None:
        from nec.evidence import load_evidence

        evidence = load_evidence()
    if table is None:
        table = option_table()
    later = evidence[evidence["line"].isin(LATER_LINES)]
    shown, not_shown = [], []
    for option_id, row in table.iterrows():
        reasons = _mismatches(row, f)
        rows = _evidence_rows(row, later)
        caveats = tuple(c.strip() for c in (row["caveats"] or "").split("|") if c.strip())
        option = Option(
            option_id=option_id, name=row["option"], matches=not reasons,
            reasons=tuple(reasons) if reasons else (_match_reason(row, f),),
            caveats=caveats, evidence=rows, source=row["source"],
        )
        (not_shown if reasons else shown).append(option)
    notes = []
    if f.performance_status >= 3:
        notes.append("The studies listed enrolled patients with ECOG 0–2 where they say; none "
                     "of them describes treatment at ECOG 3–4.")
    if f.morphology == "net_g3":
        notes.append("For a well-differentiated NET G3 the NEC evidence applies poorly, and "
                     "NET G3 regimens are outside this book's scope.")
    return Answer(f, tuple(sorted(shown, key=lambda o: o.name.lower())),
                  tuple(sorted(not_shown, key=lambda o: o.name.lower())), tuple(notes))


def _mismatches(row, f: Features) -> list[str]:
    reasons = []
    morph = row["morphology"]
    if morph != "any" and morph != f.morphology:
        label = {"nec": "poorly differentiated NEC", "net_g3": "well-differentiated NET G3"}
        reasons.append(f"its evidence is in {label[morph]}")
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
    low = row["min_interval_months"]
    if low == low and f.months_since_first_line < low:  # NaN-safe: NaN != NaN
        reasons.append(f"it applies after at least {low:g} months from the end of first line "
                       f"(here {f.months_since_first_line:g})")
    k_lo, k_hi = row["ki67_min"], row["ki67_max"]
    if (k_lo == k_lo and f.ki67 < k_lo) or (k_hi == k_hi and f.ki67 > k_hi):
        span = f"{k_lo:g}–{k_hi:g} %" if k_lo == k_lo and k_hi == k_hi else (
            f"≥ {k_lo:g} %" if k_lo == k_lo else f"≤ {k_hi:g} %")
        reasons.append(f"its evidence covers Ki-67 {span} (here {f.ki67:g} %)")
    ps = row["max_ps"]
    if ps == ps and f.performance_status > ps:
        reasons.append(f"its studies enrolled ECOG 0–{int(ps)} (here {f.performance_status})")
    return reasons


def _match_reason(row, f: Features) -> str:
    parts = []
    if row["biomarker"] != "none":
        parts.append({"msi_h": "MSI-high", "tmb_h": "TMB-high",
                      "msi_h_or_tmb_h": "MSI-high or TMB-high",
                      "sstr_positive": "somatostatin-receptor positive"}[row["biomarker"]])
    if row["morphology"] != "any":
        parts.append({"nec": "NEC", "net_g3": "NET G3"}[row["morphology"]])
    return "evidence gathered in " + (", ".join(parts) if parts else "unselected") + " patients"


def _evidence_rows(row, later):
    families = [x.strip() for x in (row["regimen_families"] or "").split(";") if x.strip()]
    rows = later[later["regimen_family"].isin(families)]
    selection = row["evidence_biomarker"]
    if selection == selection and selection:  # restrict to the biomarker-selected studies
        rows = rows[rows["biomarker_selection"].isin(selection.split(";"))]
    return rows
