"""WHO grading of gastroenteropancreatic neuroendocrine neoplasms (GEP-NENs).

Four editions are implemented, the ones a fellow meets when reading papers:

``2010``
    WHO Classification of Tumours of the Digestive System, 4th ed. :cite:`bosman2010`.
    Grade comes from proliferation alone and every grade-3 tumour is a neuroendocrine
    carcinoma (NEC G3); there is no well-differentiated G3 tumour. G1 is Ki-67 ≤ 2 % and
    G2 starts at 3 %, so values between 2 and 3 % belong to neither.
``2017``
    WHO Classification of Tumours of Endocrine Organs, 4th ed., pancreatic NENs only
    :cite:`inzani2018`. Introduces the well-differentiated NET G3 and separates it from
    the poorly differentiated NEC by morphology. Thresholds as printed in the 2019
    Oncologist review (seed 001): G1 Ki-67 < 3 % and < 2 mitoses, G2 3–20 % and 2–20,
    G3 > 20 % or > 20 mitoses.
``2019``
    WHO Classification of Tumours, Digestive System Tumours, 5th ed.
    :cite:`nagtegaal2020`, built on the IARC–WHO common framework :cite:`rindi2018`.
    Same cut-offs, extended to the whole digestive system; mitoses per 2 mm²; NECs are
    high grade by definition and not formally graded; MiNEN needs each component ≥ 30 %.
``2022``
    WHO Classification of Endocrine and Neuroendocrine Tumours, 5th ed.
    :cite:`rindi2022`. Its text was not available when this module was written, so the
    2019 rules are applied and every result says so (``Edition.verified`` is False).

Rules common to all editions: the Ki-67 index and the mitotic count are each turned
into a grade and **the higher of the two is the grade**; a mitotic count is expressed per
2 mm² (10 high-power fields of 0.2 mm² in the older editions, see
:func:`mitotic_count_per_2mm2` to convert a count made on another microscope).

The Ki-67 55 % cut-off seen in many NEC papers is *not* a WHO criterion; it is reported
separately, as a prognostic note (:attr:`GradingResult.prognostic_notes`).

Example
-------
>>> from nec.grading import classify
>>> r = classify(ki67=55, mitoses_per_2mm2=None, differentiation="poorly",
...              nec_subtype="large-cell", edition=2017)
>>> r.category, r.grade
('NEC, large-cell', 3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nec import _validate

EDITION_KEYS = ("2010", "2017", "2019", "2022")

#: Ki-67 cut-off, in %, used by the NORDIC NEC study as a prognostic marker; not WHO.
KI67_PROGNOSTIC_CUTOFF = 55.0

#: Each component of a mixed neuroendocrine–non-neuroendocrine neoplasm must be at
#: least this share of the tumour (WHO 2019; the WHO 2000 precursor used the same 30 %).
MIXED_COMPONENT_MIN_PCT = 30.0


@dataclass(frozen=True)
class Edition:
    """The grading rules of one WHO edition.

    Ki-67 limits are in %, mitotic limits per 2 mm². ``ki67_g1_max`` is the upper end of
    G1; it is inclusive (≤) when ``ki67_g1_inclusive`` is True (2010) and exclusive (<)
    otherwise. G2 starts at ``ki67_g2_min`` (inclusive) and ends at 20 % (inclusive);
    above 20 % (or above 20 mitoses) is G3.
    """

    key: str
    title: str
    scope: str
    ki67_g1_max: float
    ki67_g1_inclusive: bool
    ki67_g2_min: float
    net_g3: bool
    mixed_name: str
    mitotic_unit: str
    cite: str
    source: str
    verified: bool = True
    ki67_g3_above: float = 20.0
    mitoses_g1_below: float = 2.0
    mitoses_g3_above: float = 20.0

    @property
    def has_grey_zone(self) -> bool:
        """True when some Ki-67 values between G1 and G2 belong to neither grade."""
        return self.ki67_g1_inclusive and self.ki67_g1_max < self.ki67_g2_min

    def ki67_grade(self, ki67: float) -> int:
        """Grade (1–3) that the Ki-67 index alone gives; the 2010 grey zone counts as 2.

        The grey zone is read as the higher grade, in the spirit of the rule that the
        higher of two indices wins; :func:`classify` always flags it.
        """
        if ki67 > self.ki67_g3_above:
            return 3
        g1 = ki67 <= self.ki67_g1_max if self.ki67_g1_inclusive else ki67 < self.ki67_g1_max
        return 1 if g1 else 2

    def in_grey_zone(self, ki67: float) -> bool:
        return self.has_grey_zone and self.ki67_g1_max < ki67 < self.ki67_g2_min

    def mitotic_grade(self, mitoses_per_2mm2: float) -> int:
        """Grade (1–3) that the mitotic count alone gives."""
        if mitoses_per_2mm2 > self.mitoses_g3_above:
            return 3
        return 1 if mitoses_per_2mm2 < self.mitoses_g1_below else 2


EDITIONS: dict[str, Edition] = {
    "2010": Edition(
        key="2010",
        title="WHO 2010, digestive system (4th ed.)",
        scope="digestive system",
        ki67_g1_max=2.0,
        ki67_g1_inclusive=True,
        ki67_g2_min=3.0,
        net_g3=False,
        mixed_name="MANEC",
        mitotic_unit="per 10 HPF (= 2 mm²)",
        cite="bosman2010",
        source="Cut-offs as tabulated in Drug Des Devel Ther 2016;10:3459, Table 1 "
        "(secondary); NEC = every G3 tumour (TOPIC-NEC and NORDIC NEC used this edition).",
    ),
    "2017": Edition(
        key="2017",
        title="WHO 2017, pancreatic NENs (4th ed., endocrine organs)",
        scope="pancreas (AJCC 2017 applied it to all digestive sites)",
        ki67_g1_max=3.0,
        ki67_g1_inclusive=False,
        ki67_g2_min=3.0,
        net_g3=True,
        mixed_name="MiNEN",
        mitotic_unit="per 10 HPF (= 2 mm²)",
        cite="inzani2018",
        source="Oncologist 2019 review (seed 001), grading paragraph; Inzani 2018.",
    ),
    "2019": Edition(
        key="2019",
        title="WHO 2019, digestive system (5th ed.)",
        scope="digestive system",
        ki67_g1_max=3.0,
        ki67_g1_inclusive=False,
        ki67_g2_min=3.0,
        net_g3=True,
        mixed_name="MiNEN",
        mitotic_unit="per 2 mm²",
        cite="nagtegaal2020",
        source="WHO 2019 grading table as reproduced by J Nucl Med Technol and UpToDate "
        "(secondary); IARC–WHO common framework (Rindi 2018).",
    ),
    "2022": Edition(
        key="2022",
        title="WHO 2022, endocrine and neuroendocrine tumours (5th ed.)",
        scope="all sites (endocrine and neuroendocrine tumours)",
        ki67_g1_max=3.0,
        ki67_g1_inclusive=False,
        ki67_g2_min=3.0,
        net_g3=True,
        mixed_name="MiNEN",
        mitotic_unit="per 2 mm²",
        cite="rindi2022",
        source="Rules of the 2019 edition applied; the 2022 overview (Rindi 2022) "
        "was not available to check.",
        verified=False,
    ),
}

_DIFFERENTIATION = {
    "well": "well",
    "well differentiated": "well",
    "wd": "well",
    "poorly": "poorly",
    "poor": "poorly",
    "poorly differentiated": "poorly",
    "pd": "poorly",
}
_SUBTYPE = {
    "small cell": "small-cell",
    "small": "small-cell",
    "sc": "small-cell",
    "large cell": "large-cell",
    "large": "large-cell",
    "lc": "large-cell",
}
_EDITION_ALIASES = {k: k for k in EDITION_KEYS} | {f"who {k}": k for k in EDITION_KEYS}

_GRADE_WORD = {1: "G1", 2: "G2", 3: "G3"}


@dataclass(frozen=True)
class GradingResult:
    """What :func:`classify` concluded, and why.

    Attributes
    ----------
    category
        The diagnosis as a pathologist would write it, e.g. ``"NET G2"`` or
        ``"NEC, large-cell"``; for a mixed tumour, the mixed category with its
        neuroendocrine component in brackets.
    grade
        1, 2 or 3. NECs are 3: high grade by definition.
    decided_by
        ``"Ki-67"``, ``"mitotic count"``, ``"both indices"`` (they agree) or
        ``"morphology"`` (a poorly differentiated carcinoma, 2017 onward).
    rule
        One sentence naming the rule that set the category.
    ki67_grade, mitotic_grade
        The grade each index gives alone (``None`` if that index was not assessed).
    notes
        Everything a careful reader should see: discordant indices, the 2010 grey zone,
        morphology that does not fit the indices, an unverified edition.
    prognostic_notes
        Observations that are *not* WHO criteria (the Ki-67 55 % cut-off).
    """

    edition: str
    category: str
    grade: int
    decided_by: str
    rule: str
    ki67_grade: int | None
    mitotic_grade: int | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    prognostic_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def grade_label(self) -> str:
        return _GRADE_WORD[self.grade]

    def summary(self) -> str:
        """A short plain-text report: category, grade, rule, then the notes."""
        lines = [
            f"{self.category} (WHO {self.edition}; grade {self.grade_label}, "
            f"decided by {self.decided_by})",
            f"Rule: {self.rule}",
        ]
        lines += [f"Note: {n}" for n in self.notes]
        lines += [f"Prognostic note, not a WHO criterion: {n}" for n in self.prognostic_notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def get_edition(edition) -> Edition:
    """Return the :class:`Edition` for ``2010``, ``"2019"``, ``"WHO 2022"``, …"""
    key = _validate.choice(edition, name="WHO edition", options=_EDITION_ALIASES)
    return EDITIONS[key]


def classify(
    *,
    ki67,
    mitoses_per_2mm2,
    differentiation,
    edition,
    nec_subtype=None,
    neuroendocrine_pct=100.0,
) -> GradingResult:
    """Classify and grade a GEP neuroendocrine neoplasm by the rules of one WHO edition.

    Parameters
    ----------
    ki67
        Ki-67 labelling index in % (0–100), counted in hot spots. ``None`` means
        "not assessed" and is allowed only if the mitotic count is given.
    mitoses_per_2mm2
        Mitotic count per 2 mm² (≥ 0). ``None`` means "not assessed" (common on small
        biopsies) and is allowed only if Ki-67 is given. Use
        :func:`mitotic_count_per_2mm2` to convert a count over high-power fields.
    differentiation
        ``"well"`` or ``"poorly"`` (morphology).
    edition
        ``2010``, ``2017``, ``2019`` or ``2022``.
    nec_subtype
        ``"small-cell"`` or ``"large-cell"`` for a poorly differentiated carcinoma;
        leave ``None`` if not stated. Not allowed with well-differentiated morphology.
    neuroendocrine_pct
        Share of the tumour that is neuroendocrine, in % (default 100). Between 30 and
        70 % both components reach 30 % and the tumour is a mixed neoplasm (MiNEN;
        MANEC in 2010).

    Returns
    -------
    GradingResult

    Raises
    ------
    ValueError
        With a sentence saying what is wrong, for any value out of range, of the wrong
        kind, unknown, or missing.

    Examples
    --------
    >>> classify(ki67=12, mitoses_per_2mm2=25, differentiation="well", edition=2019).category
    'NET G3'
    >>> classify(ki67=35, mitoses_per_2mm2=8, differentiation="well", edition=2010).category
    'NEC G3'
    """
    ed = get_edition(edition)
    diff = _validate.choice(differentiation, name="Differentiation", options=_DIFFERENTIATION)
    subtype = None
    if nec_subtype is not None:
        subtype = _validate.choice(nec_subtype, name="NEC subtype", options=_SUBTYPE)
        if diff == "well":
            raise ValueError(
                f"A {subtype} subtype describes a poorly differentiated carcinoma, but the "
                "differentiation given is 'well'. Either the morphology is poorly "
                "differentiated, or leave the subtype empty."
            )
    if ki67 is None and mitoses_per_2mm2 is None:
        raise ValueError(
            "Both Ki-67 and the mitotic count are missing: a WHO grade needs at least "
            "one of them, and ideally both (the higher grade of the two is assigned)."
        )
    k = None
    if ki67 is not None:
        k = _validate.number(
            ki67, name="Ki-67", unit=" %", low=0, high=100,
            why="Ki-67 is the percentage of tumour cells that stain, so it cannot exceed 100 %.",
        )
    m = None
    if mitoses_per_2mm2 is not None:
        m = _validate.number(
            mitoses_per_2mm2, name="The mitotic count per 2 mm²", low=0,
            why="A count of mitoses cannot be negative.",
        )
    ne_pct = _validate.number(
        neuroendocrine_pct, name="The neuroendocrine share of the tumour", unit=" %",
        low=0, high=100,
    )

    notes: list[str] = []
    k_grade = ed.ki67_grade(k) if k is not None else None
    m_grade = ed.mitotic_grade(m) if m is not None else None
    index_grade = max(g for g in (k_grade, m_grade) if g is not None)

    if k_grade is not None and m_grade is not None:
        if k_grade == m_grade:
            decided_by = "both indices"
        else:
            decided_by = "Ki-67" if k_grade > m_grade else "mitotic count"
            notes.append(
                f"The indices disagree: Ki-67 {k:g} % alone gives {_GRADE_WORD[k_grade]}, "
                f"a mitotic count of {m:g} per 2 mm² alone gives {_GRADE_WORD[m_grade]}; "
                f"the higher grade, {_GRADE_WORD[index_grade]}, is assigned."
            )
    elif k_grade is not None:
        decided_by = "Ki-67"
        notes.append(
            "No mitotic count was given, so the grade rests on Ki-67 alone; "
            "a mitotic count could only raise it."
        )
    else:
        decided_by = "mitotic count"
        notes.append(
            "No Ki-67 was given, so the grade rests on the mitotic count alone; "
            "a Ki-67 index could only raise it (and is usually the more sensitive index)."
        )

    if k is not None and ed.in_grey_zone(k):
        notes.append(
            f"Ki-67 {k:g} % falls in the gap WHO 2010 left between G1 (≤ 2 %) and "
            "G2 (≥ 3 %). It is read here as G2, the higher of the two possible grades; "
            "from 2017 on it would be G1 (< 3 %). Report the count to a whole number "
            "and state how it was rounded."
        )

    category, grade, decided_by, rule = _category(ed, diff, subtype, index_grade, decided_by)
    notes.extend(_morphology_notes(ed, diff, index_grade, k, m))
    category, mixed_notes = _mixed(ed, category, ne_pct)
    notes.extend(mixed_notes)

    if ed.key == "2017":
        notes.append(
            "WHO 2017 was written for pancreatic NENs; AJCC 2017 applied the same "
            "scheme to the other digestive sites."
        )
    if not ed.verified:
        notes.append(
            f"The text of the {ed.key} edition could not be checked for this book; the "
            "2019 digestive-system rules are applied. Confirm against Rindi et al. 2022 "
            "before relying on an edition-specific detail."
        )

    return GradingResult(
        edition=ed.key,
        category=category,
        grade=grade,
        decided_by=decided_by,
        rule=rule,
        ki67_grade=k_grade,
        mitotic_grade=m_grade,
        notes=tuple(notes),
        prognostic_notes=tuple(_prognostic_notes(k, grade)),
    )


def _category(ed: Edition, diff: str, subtype: str | None, index_grade: int, decided_by: str):
    """Name the category; return (category, grade, decided_by, rule)."""
    g = _GRADE_WORD[index_grade]
    if not ed.net_g3:
        # WHO 2010 named tumours by proliferation alone: G3 meant carcinoma.
        if index_grade == 3:
            name = "NEC G3" + (f", {subtype}" if subtype else "")
            rule = (
                "In WHO 2010 every grade-3 neoplasm (Ki-67 > 20 % or > 20 mitoses) is a "
                "neuroendocrine carcinoma, whatever its morphology."
            )
            return name, 3, decided_by, rule
        rule = f"In WHO 2010 the grade follows the higher of the two indices: {g}."
        return f"NET {g}", index_grade, decided_by, rule
    if diff == "poorly":
        name = f"NEC, {subtype}" if subtype else "NEC, subtype not stated"
        rule = (
            "From WHO 2017 on, poorly differentiated morphology defines a neuroendocrine "
            "carcinoma, high grade by definition; Ki-67 does not separate NET G3 from NEC."
        )
        return name, 3, "morphology", rule
    if index_grade == 3:
        rule = (
            "A well-differentiated tumour with Ki-67 > 20 % or > 20 mitoses per 2 mm² "
            f"is NET G3 (WHO {ed.key}); it is not a carcinoma."
        )
    else:
        rule = f"A well-differentiated tumour is graded by the higher of the two indices: {g}."
    return f"NET {g}", index_grade, decided_by, rule


def _morphology_notes(ed: Edition, diff: str, index_grade: int, k, m) -> list[str]:
    notes = []
    if diff == "poorly" and index_grade < 3:
        shown = " and ".join(
            s for s in (f"Ki-67 {k:g} %" if k is not None else "",
                        f"{m:g} mitoses per 2 mm²" if m is not None else "") if s
        )
        if ed.net_g3:
            notes.append(
                f"Poorly differentiated morphology with {shown} (below the G3 range) is "
                "unusual: NECs almost always have Ki-67 > 20 %. Re-examine the morphology "
                "and the count (a small or crushed biopsy can mislead both)."
            )
        else:
            notes.append(
                f"Poorly differentiated morphology with {shown} fits no WHO 2010 "
                "category, which named tumours by proliferation; re-examine the morphology "
                "and the count."
            )
    if diff == "well" and index_grade == 3 and not ed.net_g3:
        notes.append(
            "From WHO 2017 on, a well-differentiated tumour with these indices would be "
            "NET G3, not a carcinoma; trials that used WHO 2010 (TOPIC-NEC, NORDIC NEC) "
            "therefore included some NET G3."
        )
    return notes


def _mixed(ed: Edition, category: str, ne_pct: float) -> tuple[str, list[str]]:
    other = 100.0 - ne_pct
    if ne_pct >= 100.0:
        return category, []
    lo = MIXED_COMPONENT_MIN_PCT
    if ne_pct >= lo and other >= lo:
        return f"{ed.mixed_name} (neuroendocrine component: {category})", [
            f"Both components reach {lo:g} % (neuroendocrine {ne_pct:g} %, "
            f"non-neuroendocrine {other:g} %), so the tumour is a {ed.mixed_name}. Grade "
            "each component separately; the grade shown is the neuroendocrine component's."
        ]
    if ne_pct < lo:
        return "Non-neuroendocrine carcinoma with a minor neuroendocrine component", [
            f"The neuroendocrine component ({ne_pct:g} %) is under {lo:g} %, so this is "
            f"not a {ed.mixed_name}: the tumour is classified by its non-neuroendocrine "
            "component, and the neuroendocrine part is mentioned in the report. The "
            "grade shown is that of the neuroendocrine part."
        ]
    return category, [
        f"The non-neuroendocrine component ({other:g} %) is under {lo:g} %, so the "
        f"tumour is not a {ed.mixed_name}; mention the minor component in the report."
    ]


def _prognostic_notes(k, grade: int) -> list[str]:
    if k is None or grade < 3:
        return []
    cut = KI67_PROGNOSTIC_CUTOFF
    if k == cut:
        side = (
            f"Ki-67 {k:g} % sits exactly on the {cut:g} % cut-off: whether it counts as "
            "high depends on whether a study wrote '> 55 %' or '≥ 55 %', and the "
            "sampling error of a count is several points either way."
        )
    elif k > cut:
        side = f"Ki-67 {k:g} % is above {cut:g} %."
    else:
        side = f"Ki-67 {k:g} % is below {cut:g} %."
    return [
        f"In NORDIC NEC, grade-3 tumours with Ki-67 < {cut:g} % responded less often to "
        "platinum–etoposide but lived longer. " + side
    ]


def mitotic_count_per_2mm2(*, mitoses, fields, field_diameter_mm) -> float:
    """Convert a mitotic count over high-power fields to mitoses per 2 mm².

    A field's area depends on the microscope: π (d/2)² for a field of diameter ``d``
    mm. WHO 2019 asks for 50 fields of 0.2 mm² (10 mm² in all), i.e. the count divided
    by 5; the CAP protocol's example counts 42 fields of 0.55 mm (≈ 10 mm²).

    Parameters
    ----------
    mitoses
        Mitotic figures counted (≥ 0).
    fields
        Number of high-power fields examined (a whole number ≥ 1).
    field_diameter_mm
        Diameter of one field in mm (0.3–0.8 mm covers the objectives and eyepieces
        in use; 0.55 mm is common).

    Examples
    --------
    >>> round(mitotic_count_per_2mm2(mitoses=25, fields=42, field_diameter_mm=0.55), 2)
    5.01
    """
    n = _validate.number(mitoses, name="The number of mitoses counted", low=0,
                         why="A count cannot be negative.")
    f = _validate.number(fields, name="The number of high-power fields", low=1,
                         why="At least one field must be examined.")
    if f != int(f):
        raise ValueError(f"The number of high-power fields must be a whole number (got {f:g}).")
    d = _validate.number(
        field_diameter_mm, name="The field diameter", unit=" mm", low=0.3, high=0.8,
        why="High-power field diameters are about 0.4–0.7 mm; check the microscope's "
        "field number divided by the objective's magnification.",
    )
    area_mm2 = f * math.pi * (d / 2) ** 2
    return n * 2.0 / area_mm2


def ki67_interval(ki67, *, cells_counted, level=0.95) -> tuple[float, float]:
    """Wilson confidence interval, in %, for a Ki-67 index counted on ``cells_counted`` cells.

    A Ki-67 index is a proportion estimated from a sample of cells, so it carries a
    sampling error before any other source of variation (hot-spot choice, staining,
    observer). WHO 2019 asks for at least 500 cells.

    Examples
    --------
    >>> lo, hi = ki67_interval(55, cells_counted=500)
    >>> round(lo, 1), round(hi, 1)
    (50.6, 59.3)
    """
    k = _validate.number(ki67, name="Ki-67", unit=" %", low=0, high=100)
    n = _validate.number(cells_counted, name="The number of cells counted", low=1)
    if n != int(n):
        raise ValueError(f"The number of cells counted must be a whole number (got {n:g}).")
    lv = _validate.number(level, name="The confidence level", low=0.5, high=1,
                          high_inclusive=False)
    lo, hi = _wilson(k / 100 * n, n, lv)
    # Rounding can put a bound a hair past 0 % or 100 % (or the estimate); clip it.
    return min(max(100 * float(lo), 0.0), k), max(min(100 * float(hi), 100.0), k)


def _wilson(successes: float, n: float, level: float) -> tuple[float, float]:
    """Wilson score interval for a proportion (as statsmodels' ``method="wilson"``), on the
    standard library alone so that it runs in the live book too."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def thresholds_table():
    """The cut-offs of every edition as a :class:`pandas.DataFrame`, one row per edition.

    Built from :data:`EDITIONS`, the same objects :func:`classify` uses, so the table
    in the book cannot drift from the code.
    """
    import pandas as pd

    rows = []
    for ed in EDITIONS.values():
        g1 = f"≤ {ed.ki67_g1_max:g} %" if ed.ki67_g1_inclusive else f"< {ed.ki67_g1_max:g} %"
        rows.append(
            {
                "Edition": ed.title,
                "Ki-67 G1": g1,
                "Ki-67 G2": f"{ed.ki67_g2_min:g}–{ed.ki67_g3_above:g} %",
                "Ki-67 G3": f"> {ed.ki67_g3_above:g} %",
                "Mitoses G1": f"< {ed.mitoses_g1_below:g}",
                "Mitoses G2": f"{ed.mitoses_g1_below:g}–{ed.mitoses_g3_above:g}",
                "Mitoses G3": f"> {ed.mitoses_g3_above:g}",
                "Mitotic unit": ed.mitotic_unit,
                "Well-differentiated G3": "NET G3" if ed.net_g3 else "none (all G3 = NEC)",
                "Mixed tumour": ed.mixed_name,
                "Grey zone": (
                    f"{ed.ki67_g1_max:g}–{ed.ki67_g2_min:g} % undefined"
                    if ed.has_grey_zone else "none"
                ),
                "Checked": "yes" if ed.verified else "no: 2019 rules applied",
            }
        )
    return pd.DataFrame(rows).set_index("Edition")
