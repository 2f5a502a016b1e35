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
    2019 rules are applied and every result says so (``Edition.verified`` is False). Luo et
    al. 2024 (seed 002), citing it, note that NECs are no longer graded: a 2022 carcinoma's
    result says that too.

How a grade is set: for a well-differentiated tumour (and for every tumour under WHO 2010)
the Ki-67 index and the mitotic count are each turned into a grade and **the higher of the
two is the grade**. The rule was read only in secondary sources (the WHO 2019 tables as
reproduced by UpToDate and J Nucl Med Technol, and the CAP checklist; clinical_facts.md §1.3
and §1.5, [S]). The 2017 thresholds printed in seed 001 join the two indices with "and/or",
which agrees with the rule only for G3: read the same way, their G1 row would make a tumour G1
when either index is low, the opposite. From 2017 on a poorly differentiated carcinoma is high
grade by its morphology, not by its indices. A mitotic count is expressed per 2 mm² (10
high-power fields of 0.2 mm² in the older editions, see :func:`mitotic_count_per_2mm2` to
convert a count made on another microscope).

Where the cut-offs were read: WHO 2017's in seed 001 (the Oncologist 2019 review); WHO
2010's and WHO 2019's only in secondary tables (``Edition.cutoffs_read_in``), not in the
edition books themselves.

The Ki-67 55 % cut-off seen in many NEC papers is *not* a WHO criterion; it is reported
separately, as a prognostic note (:attr:`GradingResult.prognostic_notes`), and a NET G3 gets
NORDIC NEC 2's finding on platinum first line instead.

A poorly differentiated tumour is never given a NET name: where an edition has no category
for it (WHO 2010, indices below G3) the result says so (``classifiable`` False) and why.

Bad input raises ``ValueError`` with a sentence. Each quantity's bounds are defined once, with
the reason: :data:`KI67_MAX_PCT`, :data:`MITOSES_PER_2MM2_MAX`,
:data:`FIELD_DIAMETER_MM_RANGE`, :data:`KI67_CELLS_COUNTED_MAX`, and the neuroendocrine share
(above 0, at most 100 %); :func:`check_ki67`, :func:`check_mitoses_per_2mm2` and
:func:`check_neuroendocrine_pct` apply them for the explorer too.

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
import numbers
from dataclasses import dataclass, field

from nec import _validate
from nec._proportion import wilson_score

EDITION_KEYS = ("2010", "2017", "2019", "2022")

#: Ki-67 cut-off, in %, used by the NORDIC NEC study as a prognostic marker; not WHO.
KI67_PROGNOSTIC_CUTOFF = 55.0

#: Ki-67 is the percentage of counted tumour cells that stain, so 0–100 % by definition.
KI67_MAX_PCT = 100.0

#: The neuroendocrine part of a tumour is a share of the whole tumour: at most 100 % (a
#: pure neuroendocrine neoplasm), and above 0 (with none, the tumour is not a neuroendocrine
#: neoplasm and no WHO neuroendocrine grade applies; WHO 2019).
NEUROENDOCRINE_PCT_MAX = 100.0

#: Highest mitotic count per 2 mm² accepted as a real reading. It is a plausibility bound
#: chosen for this book, not a published or physical limit (no source gives one): 500 is 25
#: times the highest WHO cut-off (20 per 2 mm²), so nothing that grading needs is refused,
#: while the usual slips are caught: a count over all 50 fields (10 mm²) not divided by 5,
#: a count per 10 fields of another size, or an extra digit.
MITOSES_PER_2MM2_MAX = 500.0

#: High-power field diameters, in mm, accepted by :func:`mitotic_count_per_2mm2`. The
#: field number of the eyepiece (about 18–26 mm) divided by a ×40 objective gives
#: 0.45–0.65 mm; the CAP protocol's worked example uses 0.55 mm (clinical_facts.md §1.5).
#: The accepted range is wider on purpose, to admit other objectives and wide-field
#: eyepieces (e.g. field number 20 with a ×60 objective, 0.33 mm), while still refusing a
#: diameter entered in µm (550) or in cm (0.055).
FIELD_DIAMETER_MM_RANGE = (0.3, 0.8)

#: Most high-power fields a mitotic count can be made over. The count is reported per
#: 2 mm², about 10 fields of 0.5 mm; a plausibility bound chosen for this book, not a
#: published limit: 2,000 fields of 0.55 mm cover about 475 mm², more than a whole section
#: of a large resection, so a larger number is a slip (an area, or cells, typed as fields).
HPF_FIELDS_MAX = 2000

#: Most cells a Ki-67 count can rest on. Hot-spot counts are 400–2,000 cells (ENETS, CAP;
#: WHO 2019 asks for at least 500); automated whole-slide analysis counts more, but a
#: million would be a whole section of a large resection: beyond it, suspect a slip.
KI67_CELLS_COUNTED_MAX = 1_000_000

#: Each component of a mixed neuroendocrine–non-neuroendocrine neoplasm must be at
#: least this share of the tumour (WHO 2019; the WHO 2000 precursor used the same 30 %).
MIXED_COMPONENT_MIN_PCT = 30.0


@dataclass(frozen=True)
class Edition:
    """The grading rules of one WHO edition.

    Ki-67 limits are in %, mitotic limits per 2 mm². ``ki67_g1_max`` is the upper end of
    G1; it is inclusive (≤) when ``ki67_g1_inclusive`` is True (2010) and exclusive (<)
    otherwise. G2 starts at ``ki67_g2_min`` (inclusive) and ends at 20 % (inclusive);
    above 20 % (or above 20 mitoses) is G3. ``cutoffs_read_in`` says, for a table, where this
    book read the cut-offs (a seed paper, or a secondary table: ``cite`` names the edition,
    not the place its numbers were checked).
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
    cutoffs_read_in: str
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
        ki67 = check_ki67(ki67)
        if ki67 > self.ki67_g3_above:
            return 3
        g1 = ki67 <= self.ki67_g1_max if self.ki67_g1_inclusive else ki67 < self.ki67_g1_max
        return 1 if g1 else 2

    def in_grey_zone(self, ki67: float) -> bool:
        """True when this edition gives the Ki-67 value no grade (WHO 2010: above 2, below 3 %)."""
        ki67 = check_ki67(ki67)
        return self.has_grey_zone and self.ki67_g1_max < ki67 < self.ki67_g2_min

    def mitotic_grade(self, mitoses_per_2mm2: float) -> int:
        """Grade (1–3) that the mitotic count alone gives."""
        mitoses_per_2mm2 = check_mitoses_per_2mm2(mitoses_per_2mm2)
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
        cutoffs_read_in="secondary table (Drug Des Devel Ther 2016, Table 1)",
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
        cutoffs_read_in="Thomas et al. 2019 (The Oncologist review)",
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
        cutoffs_read_in="secondary tables (UpToDate, J Nucl Med Technol)",
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
        cutoffs_read_in="not read: the 2019 rules are applied",
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


#: Editions that give a neuroendocrine carcinoma no G number: it is high grade by definition
#: (clinical_facts.md 1.3). WHO 2017 for the pancreas still wrote "G3" for a PanNEC.
NO_G_NUMBER_FOR_NEC = frozenset({"2019", "2022"})


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
        1, 2 or 3. NECs are 3: high grade by definition. For a tumour no category of the
        edition fits (``classifiable`` False), the grade its indices give alone.
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
        Observations that are *not* WHO criteria (the Ki-67 55 % cut-off, the NORDIC NEC 2
        findings in NET G3).
    classifiable
        False when the edition has no category for this combination (WHO 2010 and a poorly
        differentiated carcinoma whose indices are below G3): ``category`` then says so and
        ``rule`` says why; never a NET name for a poorly differentiated tumour.
    minor_neuroendocrine
        True when the neuroendocrine part is under 30 % of the tumour: the category is then
        :data:`MINOR_NEUROENDOCRINE_CATEGORY`, ``grade`` is the neuroendocrine part's only,
        and no prognostic note is attached.
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
    classifiable: bool = True
    minor_neuroendocrine: bool = False

    @property
    def grade_label(self) -> str:
        return _GRADE_WORD[self.grade]

    @property
    def grade_text(self) -> str:
        """The grade as the edition writes it: ``"grade G2"``; for a carcinoma that WHO 2019
        or 2022 grades by morphology, ``"high grade by definition, no G number"`` (those
        editions give a NEC no G number; WHO 2017 for the pancreas still wrote G3). For a minor
        neuroendocrine part, the same said of that part.

        >>> classify(ki67=55, mitoses_per_2mm2=None, differentiation="poorly",
        ...          edition="2019").grade_text
        'high grade by definition, no G number'
        >>> classify(ki67=55, mitoses_per_2mm2=None, differentiation="poorly",
        ...          edition="2017").grade_text
        'grade G3'
        """
        no_g_number = self.decided_by == "morphology" and self.edition in NO_G_NUMBER_FOR_NEC
        if self.minor_neuroendocrine:
            return ("the neuroendocrine part high grade by definition, no G number"
                    if no_g_number else f"the neuroendocrine part's grade {self.grade_label}")
        if no_g_number:
            return "high grade by definition, no G number"
        return f"grade {self.grade_label}"

    def summary(self) -> str:
        """A short plain-text report: category, grade, rule, then the notes."""
        if self.classifiable or self.minor_neuroendocrine:
            head = (f"{self.category} (WHO {self.edition}; {self.grade_text}, "
                    f"decided by {self.decided_by})")
        else:
            head = (f"{self.category} (WHO {self.edition}; no category applies; the indices "
                    f"alone give {self.grade_label}, set by {self.decided_by})")
        lines = [head, f"Rule: {self.rule}"]
        lines += [f"Note: {n}" for n in self.notes]
        lines += [f"Prognostic note, not a WHO criterion: {n}" for n in self.prognostic_notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def get_edition(edition) -> Edition:
    """Return the :class:`Edition` for ``2010``, ``"2019"``, ``"WHO 2022"``, …"""
    if isinstance(edition, float) and edition.is_integer():
        edition = int(edition)  # a year read from a table with missing cells comes as 2017.0
    key = _validate.choice(edition, name="WHO edition", options=_EDITION_ALIASES)
    return EDITIONS[key]


@_validate.refuses_bad_arguments
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
    k = None if ki67 is None else check_ki67(ki67)
    m = None if mitoses_per_2mm2 is None else check_mitoses_per_2mm2(mitoses_per_2mm2)
    ne_pct = check_neuroendocrine_pct(neuroendocrine_pct)

    notes: list[str] = []
    k_grade = ed.ki67_grade(k) if k is not None else None
    m_grade = ed.mitotic_grade(m) if m is not None else None
    index_grade = max(g for g in (k_grade, m_grade) if g is not None)

    # From 2017 the morphology, not the indices, makes a carcinoma high grade: a note that
    # "the higher grade is assigned" or that a missing index "could only raise" the grade
    # would describe a rule that did not decide anything.
    graded_by_morphology = diff == "poorly" and ed.net_g3
    if k_grade is not None and m_grade is not None:
        if k_grade == m_grade:
            decided_by = "both indices"
        else:
            decided_by = "Ki-67" if k_grade > m_grade else "mitotic count"
            if not graded_by_morphology:
                notes.append(
                    f"The indices disagree: Ki-67 {k:g} % alone gives "
                    f"{_GRADE_WORD[k_grade]}, a mitotic count of {m:g} per 2 mm² alone gives "
                    f"{_GRADE_WORD[m_grade]}; the higher grade, {_GRADE_WORD[index_grade]}, "
                    "is assigned."
                )
    elif graded_by_morphology:
        decided_by = "Ki-67" if k_grade is not None else "mitotic count"
    elif k_grade is not None:
        decided_by = "Ki-67"
        if index_grade < 3:  # at G3 a second index cannot raise the grade any further
            notes.append(
                "No mitotic count was given, so the grade rests on Ki-67 alone; "
                "a mitotic count could only raise it."
            )
    else:
        decided_by = "mitotic count"
        if index_grade < 3:
            notes.append(
                "No Ki-67 was given, so the grade rests on the mitotic count alone; "
                "a Ki-67 index could only raise it."
            )

    if k is not None and ed.in_grey_zone(k):
        notes.append(
            f"Ki-67 {k:g} % falls in the gap WHO 2010 left between G1 (≤ 2 %) and "
            "G2 (≥ 3 %). It is read here as G2, the higher of the two possible grades; "
            "from 2017 on it would be G1 (< 3 %). Report the count to a whole number "
            "and state how it was rounded."
        )

    category, grade, decided_by, rule, classifiable = _category(
        ed, diff, subtype, index_grade, decided_by)
    notes.extend(_morphology_notes(ed, diff, index_grade, k, m))
    category, mixed_rule, mixed_notes = _mixed(ed, category, ne_pct,
                                               classifiable=classifiable)
    minor_neuroendocrine = mixed_rule is not None
    if minor_neuroendocrine:
        rule = mixed_rule
    notes.extend(mixed_notes)

    if ed.key == "2017":
        notes.append(
            "WHO 2017 was written for pancreatic NENs; AJCC 2017 applied the same "
            "scheme to the other digestive sites."
        )
    if ed.key == "2022" and diff == "poorly":
        notes.append(
            "Under WHO 2022 neuroendocrine carcinomas are no longer graded at all (Luo et "
            "al. 2024, citing Rindi et al. 2022): high grade by definition, with no G "
            "number."
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
        prognostic_notes=() if minor_neuroendocrine else tuple(
            _prognostic_notes(k, grade, diff, classifiable, ki67_g3_above=ed.ki67_g3_above)),
        classifiable=classifiable,
        minor_neuroendocrine=minor_neuroendocrine,
    )


def check_ki67(ki67) -> float:
    """Return a Ki-67 index as a float in %, or raise ``ValueError`` saying what is wrong.

    The one check every function of this module (and its explorer) applies to a Ki-67.

    >>> check_ki67(55)
    55.0
    """
    above = _is_real(ki67) and ki67 > KI67_MAX_PCT
    return _validate.number(
        ki67, name="Ki-67", unit=" %", low=0, high=KI67_MAX_PCT,
        why="Ki-67 is the percentage of tumour cells that stain, so it cannot exceed "
        "100 %." if above else "Ki-67 is the percentage of tumour cells that stain, so it "
        "cannot be negative.",
    )


def _is_real(value) -> bool:
    """True for a real number that is not a bool (the reason for a bound picks its side)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_mitoses_per_2mm2(mitoses_per_2mm2) -> float:
    """Return a mitotic count per 2 mm² as a float, or raise ``ValueError``.

    It may be fractional (a count converted from high-power fields is), but not negative
    and not above :data:`MITOSES_PER_2MM2_MAX`.

    >>> check_mitoses_per_2mm2(2.86)
    2.86
    """
    m = _validate.number(
        mitoses_per_2mm2, name="The mitotic count per 2 mm²", low=0,
        why="A count of mitoses cannot be negative.",
    )
    if m > MITOSES_PER_2MM2_MAX:
        shown = f"{m:,.0f}" if m >= 1e5 else f"{m:g}"
        raise ValueError(
            f"The mitotic count per 2 mm² must be at most {MITOSES_PER_2MM2_MAX:g} (got "
            f"{shown}). That bound is 25 times the highest WHO cut-off (20), set here to "
            "catch slips, not a published limit: check that the count was not made over a "
            "larger area (convert a count over high-power fields with "
            "mitotic_count_per_2mm2) or typed with an extra digit."
        )
    return m


def check_neuroendocrine_pct(neuroendocrine_pct) -> float:
    """Return the neuroendocrine share of a tumour in %, or raise ``ValueError``.

    Above 0 and at most 100 %: a tumour with no neuroendocrine component is not a
    neuroendocrine neoplasm, and no WHO grade for one applies to it.

    >>> check_neuroendocrine_pct(40)
    40.0
    """
    above = _is_real(neuroendocrine_pct) and neuroendocrine_pct > NEUROENDOCRINE_PCT_MAX
    share = _validate.number(
        neuroendocrine_pct, name="The neuroendocrine share of the tumour", unit=" %",
        low=0, high=NEUROENDOCRINE_PCT_MAX,
        why="It is a share of the whole tumour, so it cannot exceed 100 %." if above else
        "It is a share of the whole tumour, so it cannot be negative.",
    )
    if share == 0:
        raise ValueError(
            "The neuroendocrine share of the tumour must be above 0 % (got 0 %): with no "
            "neuroendocrine component the tumour is not a neuroendocrine neoplasm, and these "
            "rules do not grade it. Enter the neuroendocrine part's share, up to 100 %."
        )
    return share


def _category(ed: Edition, diff: str, subtype: str | None, index_grade: int, decided_by: str):
    """Name the category; return (category, grade, decided_by, rule, classifiable)."""
    g = _GRADE_WORD[index_grade]
    if not ed.net_g3:
        # WHO 2010 named tumours by proliferation alone: G3 meant carcinoma.
        if index_grade == 3:
            name = "NEC G3" + (f", {subtype}" if subtype else "")
            rule = (
                "In WHO 2010 every grade-3 neoplasm (Ki-67 > 20 % or > 20 mitoses) is a "
                "neuroendocrine carcinoma, whatever its morphology."
            )
            return name, 3, decided_by, rule, True
        if diff == "poorly":
            # A NET is well differentiated by definition; 2010's NEC is grade 3 by
            # definition. A poorly differentiated carcinoma with lower indices fits neither.
            rule = (
                "WHO 2010 has no category for a poorly differentiated carcinoma whose indices "
                f"are in the {g} range: its NETs are well differentiated and its NEC is grade 3 "
                "(Ki-67 > 20 % or > 20 mitoses per 2 mm²). Re-examine the morphology and the "
                "count, or classify by a later edition, where morphology decides."
            )
            return ("Unclassifiable under WHO 2010 (poorly differentiated, indices "
                    "below G3)"), index_grade, decided_by, rule, False
        rule = f"In WHO 2010 the grade follows the higher of the two indices: {g}."
        return f"NET {g}", index_grade, decided_by, rule, True
    if diff == "poorly":
        name = f"NEC, {subtype}" if subtype else "NEC, subtype not stated"
        rule = (
            "From WHO 2017 on, poorly differentiated morphology defines a neuroendocrine "
            "carcinoma, high grade by definition; Ki-67 does not separate NET G3 from NEC."
        )
        return name, 3, "morphology", rule, True
    if index_grade == 3:
        rule = (
            "A well-differentiated tumour with Ki-67 > 20 % or > 20 mitoses per 2 mm² "
            f"is NET G3 (WHO {ed.key}); it is not a carcinoma."
        )
    else:
        rule = f"A well-differentiated tumour is graded by the higher of the two indices: {g}."
    return f"NET {g}", index_grade, decided_by, rule, True


def _morphology_notes(ed: Edition, diff: str, index_grade: int, k, m) -> list[str]:
    notes = []
    if diff == "poorly" and index_grade < 3 and ed.net_g3:
        shown = " and ".join(
            s for s in (f"Ki-67 {k:g} %" if k is not None else "",
                        f"{m:g} mitoses per 2 mm²" if m is not None else "") if s
        )
        notes.append(
            f"Poorly differentiated morphology with {shown} (below the G3 range) is "
            "unusual: NECs almost always have Ki-67 > 20 %. Re-examine the morphology "
            "and the count (a small or crushed biopsy can mislead both)."
        )
    if diff == "well" and index_grade == 3 and not ed.net_g3:
        notes.append(
            "From WHO 2017 on, a well-differentiated tumour with these indices would be "
            "NET G3, not a carcinoma. NORDIC NEC did not separate the two, so trials that "
            "enrolled by WHO 2010 (NORDIC NEC, TOPIC-NEC) may have included some NET G3."
        )
    return notes


#: The category of a tumour whose neuroendocrine part is under 30 %. "Neoplasm", not
#: "carcinoma": the non-neuroendocrine part, which names the tumour, is not necessarily a
#: carcinoma, and nothing entered into :func:`classify` describes it.
MINOR_NEUROENDOCRINE_CATEGORY = "Non-neuroendocrine neoplasm with a minor neuroendocrine component"


def _mixed(ed: Edition, category: str, ne_pct: float, *,
           classifiable: bool = True) -> tuple[str, str | None, list[str]]:
    """Return (category, rule or None, notes) once the neuroendocrine share is known.

    The rule is replaced (not None) only when the neuroendocrine part is under 30 %: the
    tumour is then named by its other part, and the rule that graded the neuroendocrine
    part would misname it.
    """
    other = 100.0 - ne_pct
    if ne_pct >= NEUROENDOCRINE_PCT_MAX:
        return category, None, []
    lo = MIXED_COMPONENT_MIN_PCT
    if ne_pct >= lo and other >= lo:
        name = (f"{ed.mixed_name} (neuroendocrine component: {category})" if classifiable
                else f"{ed.mixed_name}; its neuroendocrine component has no WHO {ed.key} "
                     "category")
        return name, None, [
            f"Both components reach {lo:g} % (neuroendocrine {ne_pct:g} %, "
            f"non-neuroendocrine {other:g} %), so the tumour is a {ed.mixed_name}. Grade "
            "each component separately; the grade shown is the neuroendocrine component's."
        ]
    if ne_pct < lo:
        rule = (
            f"The neuroendocrine component ({ne_pct:g} %) is under {lo:g} %, so the tumour "
            f"is neither a neuroendocrine neoplasm nor a {ed.mixed_name}: it is classified "
            "by its non-neuroendocrine component, and the neuroendocrine part is mentioned "
            "in the report."
        )
        return MINOR_NEUROENDOCRINE_CATEGORY, rule, [
            (f"The grade shown is that of the minor neuroendocrine part ({category} by "
             "itself)." if classifiable else
             "The grade shown is what the indices of the minor neuroendocrine part give; "
             f"that part by itself would have no WHO {ed.key} category.") +
            " The cohort observations attached to NET G3 and NEC are not shown: "
            "they come from neuroendocrine neoplasms, and this tumour is named by its "
            "non-neuroendocrine part."
        ]
    return category, None, [
        f"The non-neuroendocrine component ({other:g} %) is under {lo:g} %, so the "
        f"tumour is not a {ed.mixed_name}; mention the minor component in the report."
    ]


def _prognostic_notes(k, grade: int, diff: str, classifiable: bool, *,
                      ki67_g3_above: float = 20.0) -> list[str]:
    """Observations from cohorts, never WHO criteria, for a grade-3 tumour.

    A well-differentiated grade-3 tumour (NET G3, or a 2010 "NEC G3" that later editions
    call NET G3) gets the NORDIC NEC 2 finding in NET G3; a carcinoma gets the Ki-67 55 %
    observations made in NEC. Sources: the NORDIC NEC 2 abstract and introduction
    (:cite:`sorbye2025`; clinical_facts.md §2.7–2.8, [V]).

    A carcinoma whose Ki-67 is in the G1–G2 range (``ki67`` ≤ ``ki67_g3_above``) gets no
    note: the NORDIC cohorts described grade-3 tumours, and comparing such a Ki-67 with
    their 55 % cut-off would carry their findings outside the tumours they studied.
    """
    if grade < 3 or not classifiable:
        return []
    cut = KI67_PROGNOSTIC_CUTOFF
    if diff == "well":
        note = (
            "In the prospective NORDIC NEC 2 cohort, a platinum-based first line was a "
            "negative factor for progression-free and overall survival in NET G3, and later "
            "lines did not make up for it; first-line treatment of metastatic NET G3 has "
            "mostly been temozolomide-based or FOLFOX, with exceptions for aggressive cases "
            f"(the example given is Ki-67 ≥ {cut:g} %)."
        )
        if k is not None:
            where = "at or above" if k >= cut else "below"
            note += f" This tumour's Ki-67, {k:g} %, is {where} that example."
        return [note]
    if k is None or k <= ki67_g3_above:
        return []
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
        "platinum–etoposide but lived longer; in NORDIC NEC 2, Ki-67 > 55 % was an "
        "independent factor for shorter overall survival in NEC. " + side
    ]


@_validate.refuses_bad_arguments
def mitotic_count_per_2mm2(*, mitoses, fields, field_diameter_mm) -> float:
    """Convert a mitotic count over high-power fields to mitoses per 2 mm².

    A field's area depends on the microscope: π (d/2)² for a field of diameter ``d``
    mm. WHO 2019 asks for 50 fields of 0.2 mm² (10 mm² in all), i.e. the count divided
    by 5; the CAP protocol's example counts 42 fields of 0.55 mm (≈ 10 mm²).

    The counts going in are counts of things (mitotic figures, fields) and must be whole
    numbers; the rate coming out is usually fractional, and :func:`classify` accepts it so.

    Parameters
    ----------
    mitoses
        Mitotic figures counted (a whole number ≥ 0).
    fields
        Number of high-power fields examined (a whole number ≥ 1).
    field_diameter_mm
        Diameter of one field in mm (:data:`FIELD_DIAMETER_MM_RANGE`, 0.3–0.8 mm, covers
        the objectives and eyepieces in use; 0.55 mm is common).

    Returns
    -------
    float
        Mitoses per 2 mm², at most :data:`MITOSES_PER_2MM2_MAX`.

    Examples
    --------
    >>> round(mitotic_count_per_2mm2(mitoses=25, fields=42, field_diameter_mm=0.55), 2)
    5.01
    """
    n = _validate.number(mitoses, name="The number of mitoses counted", low=0,
                         why="A count cannot be negative.")
    if n != int(n):
        raise ValueError(
            f"The number of mitoses counted must be a whole number (got {n:g}): it is a count "
            "of mitotic figures. Enter the figures seen, not a rate; only the result per "
            "2 mm² may be fractional."
        )
    f = _validate.number(fields, name="The number of high-power fields", low=1,
                         why="At least one field must be examined.")
    if f > HPF_FIELDS_MAX:
        raise ValueError(
            f"The number of high-power fields must be at most {HPF_FIELDS_MAX:,} (got "
            f"{f:,.0f}): more fields would cover more than a whole section. Check that an "
            "area or a cell count was not typed as the number of fields.")
    if f != int(f):
        raise ValueError(f"The number of high-power fields must be a whole number (got {f:g}).")
    low, high = FIELD_DIAMETER_MM_RANGE
    d = _validate.number(
        field_diameter_mm, name="The field diameter", unit=" mm", low=low, high=high,
        why=f"High-power field diameters lie between {low:g} and {high:g} mm (0.45–0.65 mm "
        "with a ×40 objective): check the eyepiece's field number divided by the "
        "objective's magnification, and give the diameter in mm, not the radius.",
    )
    area_mm2 = f * math.pi * (d / 2) ** 2
    per_2mm2 = n * 2.0 / area_mm2
    if per_2mm2 > MITOSES_PER_2MM2_MAX:
        raise ValueError(
            f"A count of {n:g} mitoses in {f:g} field{'s' if f != 1 else ''} of {d:g} mm is "
            f"{per_2mm2:.0f} per 2 mm², above this book's plausibility bound of "
            f"{MITOSES_PER_2MM2_MAX:g} per 2 mm² (25 times the highest WHO cut-off): check "
            "the number of mitoses and the number of fields (a count over many fields "
            "entered with too few fields gives this)."
        )
    return per_2mm2


@_validate.refuses_bad_arguments
def ki67_interval(ki67, *, cells_counted, level=0.95) -> tuple[float, float]:
    """Wilson confidence interval, in %, for a Ki-67 index counted on ``cells_counted`` cells.

    A Ki-67 index is a proportion estimated from a sample of cells, so it carries a
    sampling error before any other source of variation (hot-spot choice, staining,
    observer). WHO 2019 asks for at least 500 cells.

    The Wilson score interval (Wilson 1927) for ``x`` stained cells of ``n`` counted,
    ``p = x / n`` and ``z`` the standard-normal quantile for ``level``, is

        (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n),

    computed here with the standard library alone (the live book runs it in the browser);
    the unit tests compare it with ``statsmodels``' ``proportion_confint(method="wilson")``.

    Returns
    -------
    tuple of float
        (lower, upper) in %, clipped to 0–100 % and never excluding the observed index.

    Examples
    --------
    >>> lo, hi = ki67_interval(55, cells_counted=500)
    >>> round(lo, 1), round(hi, 1)
    (50.6, 59.3)
    """
    k = check_ki67(ki67)
    n = _validate.number(cells_counted, name="The number of cells counted", low=1)
    if n > KI67_CELLS_COUNTED_MAX:
        raise ValueError(
            f"The number of cells counted must be at most {KI67_CELLS_COUNTED_MAX:,} (got "
            f"{n:,.0f}). A hot-spot count covers hundreds to a few thousand cells; even image "
            "analysis of a whole slide rarely passes a million."
        )
    if n != int(n):
        raise ValueError(f"The number of cells counted must be a whole number (got {n:g}).")
    lv = _validate.number(level, name="The confidence level")
    low, high = _validate.CONFIDENCE_LEVEL_RANGE
    if not low <= lv < high:
        raise ValueError(
            f"The confidence level must be at least 0.5 and below 1 (got {lv:g}): give it as "
            "a fraction, e.g. 0.95 for a 95 % interval."
        )
    p = k / 100
    lo, hi = wilson_score(p * n, n, lv)
    # Rounding can put a bound a hair past 0 % or 100 % (or the estimate); clip it.
    return min(max(100 * lo, 0.0), k), max(min(100 * hi, 100.0), k)


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
                    if ed.has_grey_zone else "no gap"
                ),
                "Cut-offs read in": ed.cutoffs_read_in,
            }
        )
    return pd.DataFrame(rows).set_index("Edition")


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
